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
	/* ZRM indicators: the ZRM version of the scores ("2017"), always the
	 * indicator's zrm_versie (validate refuses any other); "" for other
	 * indicators and for rows stored before the column existed. */
	char	versie[8];
	long	line;		/* source line in the feed; 0 when read from the ledger */
};

struct validate_opts {
	int	partial;		/* keep good rows even when others fail */
	/* the gemeenten the supplier may write (rows of reg); NULL = all */
	const struct reg_scope *scope;
	/* Periods after the one containing now (UTC seconds) plus marge
	 * periods of the indicator's kind are refused; now = 0 checks none
	 * (issue 13: a 2042 row moved the whole series into the future). */
	long long now;
	int	toekomst_marge;
};

/* The first year basisd can keep: its time series count periods from
 * 1970 (store.h) and need one before the oldest. */
#define VALIDATE_FIRST_YEAR	1971

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
 * status, a ZRM row without its versie or with another version than the
 * catalogue's, a versie on a row that is no ZRM score, a period after the current one plus the grace in opts, a period
 * before VALIDATE_FIRST_YEAR or before the indicator's sinds). Returns 0 (result filled; rows with problems are left out), or
 * -1 when out of memory. The caller decides: with problems and !partial the
 * feed is rejected whole. */
int	validate_feed(const struct feed_table *t, const struct catalog *cat,
	    const struct reg *reg, const struct validate_opts *opts,
	    struct validate_result *ret, struct report *rep);
void	validate_result_free(struct validate_result *res);

/* The one table of observation status names: the name of s, or NULL when
 * s is out of range; parse is case-insensitive. */
const char *validate_status_name(enum obs_status s);
int	validate_status_parse(const char *s, enum obs_status *ret);

#endif /* VALIDATE_H */
