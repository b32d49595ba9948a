/* src/input/validate.h — checking a parsed feed against the catalogue and the
 * register (design §4), turning rows into observations. Pure: no I/O;
 * thread-safe for distinct tables. */
#ifndef VALIDATE_H
#define VALIDATE_H

#include <stddef.h>

#include "input/catalog.h"
#include "input/feed.h"
#include "base/period.h"
#include "input/register.h"
#include "base/report.h"

enum obs_status { STATUS_DEFINITIEF, STATUS_VOORLOPIG, STATUS_GESCHAT };

/* One delivered value. For indicators with components (ratio, gemiddelde)
 * teller and noemer are delivered and waarde is derived; otherwise waarde is
 * delivered and teller = noemer = NaN. */
struct obs {
	char	gemeente[8];	/* canonical "GM0363" */
	char	indicator[64];
	struct period periode;
	double	waarde, teller, noemer;
	enum obs_status status;
	int	synthetisch;	/* row marked synthetic (demo data) */
	char	toelichting[256];
	long	line;		/* source line in the feed; 0 when read from the ledger */
};

struct validate_opts {
	int	partial;		/* keep good rows even when others fail */
	const char *const *scope;	/* gemeente codes the supplier may write; NULL = all */
	size_t	nscope;
};

struct validate_result {
	struct obs *obs;	/* good rows, in feed order */
	size_t	n;
	size_t	rows;		/* data rows seen */
	size_t	bad_rows;	/* rows with at least one problem */
	size_t	scope_rows;	/* rows rejected only because of the scope */
	int	synthetisch;	/* every row marked synthetic */
};

/* Validate t. Each problem is added to rep (line, column, kolom, value,
 * Dutch reason: unknown gemeente/indicator, wrong period form, period not
 * matching the indicator's periode, non-number, negative count,
 * teller > noemer for a share, value outside min/max, duplicate key, missing
 * column, gemeente outside the scope, gemeente opgeheven in that period, bad
 * status). Returns 0 (result filled; rows with problems are left out), or
 * -1 when out of memory. The caller decides: with problems and !partial the
 * feed is rejected whole. */
int	validate_feed(const struct feed_table *t, const struct catalog *cat,
	    const struct reg *reg, const struct validate_opts *opts,
	    struct validate_result *ret, struct report *rep);
void	validate_result_free(struct validate_result *res);

const char *validate_status_name(enum obs_status s);
int	validate_status_parse(const char *s, enum obs_status *ret);

#endif /* VALIDATE_H */
