/* src/cmd/basisctl.c — the admin tool: wiring only. Each command is a row in
 * one table; the work is done by the library modules. This file holds the
 * table, main, opening the state and init; the commands live in
 * basisctl_feed.c (ingest, check, demo-data, cbs), basisctl_ledger.c
 * (rebuild, verify, status, export, intrekken, afgewezen) and
 * basisctl_access.c (token, user). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "serve/api.h"
#include "base/auth.h"
#include "base/fetch.h"
#include "input/cbs.h"
#include "analysis/band.h"
#include "analysis/publish.h"
#include "input/catalog.h"
#include "analysis/compare.h"
#include "base/conf.h"
#include "tools/demo.h"
#include "store/ingest.h"
#include "store/ledger.h"
#include "base/log.h"
#include "base/num.h"
#include "input/register.h"
#include "store/store.h"
#include "input/validate.h"

#include "cmd/basisctl.h"

struct command {
	const char *name;
	int	(*run)(struct app *, int, char **);
	int	needs;		/* NEED_* bits */
	const char *usage;
};

enum { NEED_CATALOG = 1, NEED_LEDGER = 2, NEED_STORE = 4, NEED_RECOVER = 8 };

void
basisctl_usage_line(const char *cmd, const char *usage)
{
	fprintf(stderr, "gebruik: basisctl [-s MAP] [-c CATALOGUS] %s %s\n",
	    cmd, usage);
}

/* A progress bar on a terminal; silent otherwise. */
void
basisctl_progress(void *arg, size_t done, size_t total)
{
	const struct app *app = arg;
	int	width = 40, fill;

	if (!app->tty || total < 50 || (done % 25 != 0 && done != total))
		return;
	fill = (int)((double)done / (double)total * width);
	fprintf(stderr, "\r[%.*s%*s] %zu/%zu", fill,
	    "########################################", width - fill, "", done,
	    total);
	if (done == total)
		fputc('\n', stderr);
}

int
basisctl_fail(const char *what, const struct err *err)
{
	fprintf(stderr, "basisctl: %s%s%s\n", what, err ? ": " : "",
	    err ? err->msg : "");
	return 2;
}

/* A numeric argument, strictly (base/num: no trailing text, no wrap):
 * 0, or -1 after saying why. */
int
basisctl_arg_num(const char *what, const char *s, long long min, long long max,
    long long *ret)
{
	struct err err = { "" };

	if (num_int(s, min, max, ret, &err) == 0)
		return 0;
	basisctl_fail(what, &err);
	return -1;
}

/* Catalogue directory: -c, else catalog_dir of the service's configuration
 * (-f, else STATE/basisd.conf), else the installed one; the grace for
 * future periods from that configuration too. */
static void
resolve_catalog(struct app *app)
{
	char	cpath[PATH_MAX + 16];
	struct conf *conf;
	struct err err = { "" };

	snprintf(cpath, sizeof(cpath), "%s/basisd.conf", app->state);
	if (app->conf_path != NULL)
		snprintf(cpath, sizeof(cpath), "%s", app->conf_path);
	if (access(cpath, R_OK) == 0 && (conf = conf_load(cpath, &err))) {
		/* the service's grace for future periods holds here too */
		app->toekomst_marge = conf->toekomst_marge;
		if (app->catalog_dir[0] == '\0')
			snprintf(app->catalog_dir, sizeof(app->catalog_dir),
			    "%s", conf->catalog_dir);
		conf_free(conf);
	}
	if (app->catalog_dir[0] != '\0')
		return;
	snprintf(app->catalog_dir, sizeof(app->catalog_dir), "%s",
	    BASISD_DATADIR "/indicators");
}

static int
open_app(struct app *app, int needs)
{
	struct err err = { "" };

	resolve_catalog(app);
	snprintf(app->db, sizeof(app->db), "%s/basis.db", app->state);
	snprintf(app->rrd, sizeof(app->rrd), "%s/rrd", app->state);
	if ((needs & NEED_CATALOG) &&
	    ((app->cat = catalog_load(app->catalog_dir, &err)) == NULL ||
	    (app->reg = register_load(app->catalog_dir, &err)) == NULL))
		return basisctl_fail("catalogus", &err);
	if ((needs & NEED_LEDGER) && access(app->db, F_OK) != 0) {
		fprintf(stderr, "basisctl: %s bestaat niet; begin met "
		    "'basisctl -s %s init'\n", app->db, app->state);
		return 2;
	}
	if ((needs & NEED_LEDGER) &&
	    (app->led = ledger_open(app->db, 0, &err)) == NULL)
		return basisctl_fail("grootboek", &err);
	if ((needs & NEED_STORE) &&
	    (app->store = store_open(app->rrd, &err)) == NULL)
		return basisctl_fail("rrd-opslag", &err);
	if ((needs & NEED_STORE) && ((app->band = band_new()) == NULL ||
	    (app->pub = publish_new()) == NULL))
		return basisctl_fail("onvoldoende geheugen", NULL);
	/* Group bands: marked per feed, recomputed once at the end. */
	app->ictx = (struct ingest_ctx){ .cat = app->cat, .reg = app->reg,
		.led = app->led, .store = app->store, .progress = basisctl_progress,
		.progress_arg = app, .after_commit = band_ingest_hook,
		.hook_arg = app->band, .toekomst_marge = app->toekomst_marge,
		.pub = app->pub };
	/* a series that cannot be written yet stays pending (logged): the
	 * command itself may be what repairs it (rebuild, issue 13) */
	if ((needs & NEED_RECOVER) && ingest_recover(&app->ictx, &err) == -1)
		fprintf(stderr, "basisctl: herstel na onderbreking: %s (blijft "
		    "in de wachtrij)\n", err.msg);
	return 0;
}

/* Recompute the group bands of what the command touched. */
static int
flush_bands(struct app *app)
{
	struct err err = { "" };

	if (app->band == NULL || band_ndirty(app->band) == 0)
		return 0;
	if (band_flush(app->band, &app->ictx, &err) == -1)
		return basisctl_fail("groepsbanden", &err);
	return 0;
}

static void
close_app(struct app *app)
{
	band_free(app->band);
	publish_free(app->pub);
	store_close(app->store);
	ledger_close(app->led);
	register_free(app->reg);
	catalog_free(app->cat);
}

int
basisctl_mkdir_p(const char *path)
{
	char	buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) == -1 && errno != EEXIST ? -1 : 0;
}

/* init: state directory, empty ledger, default basisd.conf. */
static int
cmd_init(struct app *app, int argc, char **argv)
{
	static const char *const sub[] = { "", "/rrd", "/inbox", "/cache" };
	char	path[PATH_MAX + 32], www[PATH_MAX + 8], abs_cat[PATH_MAX];
	char	abs_state[PATH_MAX];
	struct err err = { "" };
	struct ledger *led;

	(void)argc;
	(void)argv;
	for (size_t i = 0; i < sizeof(sub) / sizeof(*sub); i++) {
		snprintf(path, sizeof(path), "%s%s", app->state, sub[i]);
		if (basisctl_mkdir_p(path) == -1)
			return basisctl_fail(path, NULL);
	}
	if ((led = ledger_open(app->db, 0, &err)) == NULL)
		return basisctl_fail("grootboek", &err);
	ledger_close(led);
	snprintf(path, sizeof(path), "%s/basisd.conf", app->state);
	if (app->conf_path != NULL)
		snprintf(path, sizeof(path), "%s", app->conf_path);
	else if (access(path, F_OK) != 0) {
		if (realpath(app->catalog_dir, abs_cat) == NULL ||
		    realpath(app->state, abs_state) == NULL)
			return basisctl_fail(app->catalog_dir, NULL);
		/* The dashboard ships beside the catalogue. */
		snprintf(www, sizeof(www), "%s/../www", abs_cat);
		if (realpath(www, abs_cat + 0) == NULL)
			return basisctl_fail(www, NULL);
		snprintf(www, sizeof(www), "%s", abs_cat);
		if (realpath(app->catalog_dir, abs_cat) == NULL)
			return basisctl_fail(app->catalog_dir, NULL);
		if (conf_write_default(path, abs_state, abs_cat, www, 8080,
		    &err) == -1)
			return basisctl_fail(path, &err);
	}
	printf("staat klaar in %s (grootboek %s, configuratie %s)\n",
	    app->state, app->db, path);
	return 0;
}

static const struct command commands[] = {
	{ "init", cmd_init, 0, "" },
	{ "ingest", basisctl_ingest, NEED_CATALOG | NEED_LEDGER | NEED_STORE |
	    NEED_RECOVER, "[--partial] [--json] BESTAND…" },
	{ "cbs", basisctl_cbs, NEED_CATALOG | NEED_LEDGER | NEED_STORE |
	    NEED_RECOVER, "[--koppeling BESTAND] [--ca PEM] [--jaar J] BRON…" },
	{ "check", basisctl_check, NEED_CATALOG, "" },
	{ "rebuild", basisctl_rebuild, NEED_CATALOG | NEED_LEDGER | NEED_STORE |
	    NEED_RECOVER, "[--reeksen | --banden] [--all | GM…]" },
	{ "verify", basisctl_verify, NEED_CATALOG | NEED_LEDGER | NEED_STORE, "" },
	{ "demo-data", basisctl_demo, NEED_CATALOG | NEED_LEDGER | NEED_STORE |
	    NEED_RECOVER, "[--seed N] [--van J] [--tot J] (--load | --uit MAP)" },
	{ "export", basisctl_export, NEED_CATALOG | NEED_LEDGER,
	    "GM INDICATOR [--per kwartaal|halfjaar|jaar] [--historie]" },
	{ "intrekken", basisctl_intrekken, NEED_CATALOG | NEED_LEDGER | NEED_STORE |
	    NEED_RECOVER, "GM INDICATOR PERIODE [--toelichting TEKST]" },
	{ "status", basisctl_status, NEED_LEDGER, "" },
	{ "afgewezen", basisctl_rejected, NEED_LEDGER, "[ID]" },
	{ "token", basisctl_token, NEED_CATALOG | NEED_LEDGER,
	    "add --rol R [--gemeente GM…] [--naam N] | list | revoke ID" },
	{ "user", basisctl_user, NEED_CATALOG | NEED_LEDGER,
	    "add NAAM --rol manager|beheer [--gemeente GM…] (wachtwoord via "
	    "stdin)" },
};

static void
usage(FILE *fp)
{
	fprintf(fp, "gebruik: basisctl [-s MAP | -f basisd.conf] [-c CATALOGUS] "
	    "[-v] OPDRACHT …\n"
	    "  -s MAP        staatmap (standaard $BASISD_STATE of ./state)\n"
	    "  -f BESTAND    staatmap en catalogus uit de configuratie van de "
	    "dienst\n"
	    "  -c MAP        catalogus (standaard uit basisd.conf)\n"
	    "  -v            meer logregels\n"
	    "  -V, --version versie;  -h, --help  deze hulp\n"
	    "opdrachten:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name,
		    commands[i].usage);
}

/* -f: the service's state and catalogue, as basisd reads them. */
static int
use_conf(struct app *app, const char *path)
{
	struct err err = { "" };
	struct conf *conf = conf_load(path, &err);

	if (conf == NULL)
		return basisctl_fail("configuratie", &err);
	snprintf(app->state, sizeof(app->state), "%s", conf->state_dir);
	app->conf_path = path;
	if (app->catalog_dir[0] == '\0')
		snprintf(app->catalog_dir, sizeof(app->catalog_dir), "%s",
		    conf->catalog_dir);
	conf_free(conf);
	return 0;
}

/* Root acting on a state directory another user owns (the service's
 * basisd user) continues as that owner: files root created there (an RRD
 * rebuilt, a WAL) would be unwritable for the service. */
static int
as_owner(const struct app *app)
{
	struct stat st;

	if (geteuid() != 0 || stat(app->state, &st) == -1 || st.st_uid == 0)
		return 0;
	if (setgroups(0, NULL) == -1 || setgid(st.st_gid) == -1 ||
	    setuid(st.st_uid) == -1) {
		fprintf(stderr, "basisctl: %s is van uid %u; kan niet als die "
		    "gebruiker verder (%s) en weigert als root\n", app->state,
		    (unsigned)st.st_uid, strerror(errno));
		return 2;
	}
	log_debug("als eigenaar van %s verder (uid %u)", app->state,
	    (unsigned)st.st_uid);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct app app = { .tty = isatty(STDERR_FILENO) };
	const char *state = getenv("BASISD_STATE"), *conf = NULL;
	int	c, rc;

	snprintf(app.state, sizeof(app.state), "%s", state ? state : "state");
	while ((c = getopt_long(argc, argv, "+s:c:f:vhV", longopts, NULL)) !=
	    -1) {
		if (c == 's')
			snprintf(app.state, sizeof(app.state), "%s", optarg);
		else if (c == 'c')
			snprintf(app.catalog_dir, sizeof(app.catalog_dir), "%s",
			    optarg);
		else if (c == 'f')
			conf = optarg;
		else if (c == 'v')
			log_set_level(LOG_LEVEL_DEBUG);
		else if (c == 'V') {
			printf("basisctl %s\n", PACKAGE_VERSION);
			return 0;
		} else {
			usage(c == 'h' ? stdout : stderr);
			return c == 'h' ? 0 : 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if ((conf != NULL && (rc = use_conf(&app, conf)) != 0) ||
	    (rc = as_owner(&app)) != 0)
		return rc;
	if (auth_init() == -1)
		return basisctl_fail("libsodium kon niet starten", NULL);
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++) {
		if (strcmp(argv[optind], commands[i].name) != 0)
			continue;
		if (commands[i].needs != 0 || strcmp(commands[i].name, "init") == 0)
			if ((rc = open_app(&app, commands[i].needs)) != 0) {
				close_app(&app);
				return rc;
			}
		rc = commands[i].run(&app, argc - optind, argv + optind);
		if (flush_bands(&app) != 0 && rc == 0)
			rc = 2;
		close_app(&app);
		return rc;
	}
	fprintf(stderr, "basisctl: onbekende opdracht '%s'\n", argv[optind]);
	usage(stderr);
	return 2;
}
