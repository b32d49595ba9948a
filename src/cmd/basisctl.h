/* src/cmd/basisctl.h — private to src/cmd/basisctl*.c: the tool's state
 * (one per run, built by main), the helpers the command files share and
 * the commands of basisctl_*.c, each run(app, argc, argv) returning the
 * exit status (0, 1 = a check failed, 2 = an error). */
#ifndef BASISCTL_H
#define BASISCTL_H

#include <limits.h>

#include "base/err.h"
#include "store/ingest.h"

struct band;
struct publish;
struct catalog;
struct ledger;
struct reg;
struct store;

struct app {
	char	state[PATH_MAX];
	char	catalog_dir[PATH_MAX];
	char	db[PATH_MAX + 16];
	char	rrd[PATH_MAX + 16];
	struct catalog *cat;
	struct reg *reg;
	struct ledger *led;
	struct store *store;
	struct ingest_ctx ictx;
	struct band *band;	/* indicators whose group bands are stale */
	struct publish *pub;	/* withheld figures, per data version */
	int	tty;		/* progress bars on stderr */
	const char *conf_path;	/* -f: the service's configuration */
	int	toekomst_marge;	/* from the state's basisd.conf */
};

/* "gebruik: basisctl … cmd usage" on stderr. */
void	basisctl_usage_line(const char *cmd, const char *usage);
/* A progress bar on stderr when it is a terminal (arg: the app). */
void	basisctl_progress(void *arg, size_t done, size_t total);
/* "basisctl: what: err" on stderr; returns 2. */
int	basisctl_fail(const char *what, const struct err *err);
/* A numeric argument, strictly (base/num): 0, or -1 after saying why. */
int	basisctl_arg_num(const char *what, const char *s, long long min,
	    long long max, long long *ret);
/* mkdir -p with mode 0755; 0 or -1 (errno set). */
int	basisctl_mkdir_p(const char *path);

/* basisctl_feed.c */
int	basisctl_ingest(struct app *app, int argc, char **argv);
int	basisctl_check(struct app *app, int argc, char **argv);
int	basisctl_demo(struct app *app, int argc, char **argv);
int	basisctl_cbs(struct app *app, int argc, char **argv);
/* basisctl_ledger.c */
int	basisctl_rebuild(struct app *app, int argc, char **argv);
int	basisctl_verify(struct app *app, int argc, char **argv);
int	basisctl_status(struct app *app, int argc, char **argv);
int	basisctl_export(struct app *app, int argc, char **argv);
int	basisctl_intrekken(struct app *app, int argc, char **argv);
int	basisctl_rejected(struct app *app, int argc, char **argv);
/* basisctl_access.c */
int	basisctl_token(struct app *app, int argc, char **argv);
int	basisctl_user(struct app *app, int argc, char **argv);

#endif /* BASISCTL_H */
