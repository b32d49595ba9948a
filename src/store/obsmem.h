/* src/store/obsmem.h — the ledger's current values in memory: what
 * ledger_series, ledger_cross_section, ledger_year and ledger_periods
 * return, served from RAM for the read model (issue 16: a comparison read
 * 342 to 4 000 rows through SQLite, a third of the daemon's CPU under a
 * public load). Derived and rebuilt at will: the ledger stays the source
 * of truth, and a read that cannot be answered here (not loaded, a failed
 * sync) says so and the caller reads the ledger.
 *
 * Sync: obsmem_sync loads everything the first time, later it applies
 * what the feeds since the last sync changed (ledger_changes), inside one
 * read transaction, so the data version and feed it records are exactly
 * those of the values it holds. The daemon syncs after every commit,
 * before any hook (bands, cache stamps, alerts) reads, and when it
 * notices a write by another process.
 *
 * Threads: every function may run on any thread; reads copy out under a
 * shared lock, a sync swaps its new series in under the exclusive one. */
#ifndef OBSMEM_H
#define OBSMEM_H

#include <stddef.h>

#include "base/err.h"
#include "base/period.h"
#include "input/validate.h"
#include "store/ledger.h"

struct obsmem;

struct obsmem *obsmem_new(void);	/* NULL when out of memory */
void	obsmem_free(struct obsmem *m);	/* NULL is a no-op */

/* Bring m up to the ledger's current state through led (any connection
 * not inside a transaction). 0, or -1 with err set: m then answers
 * nothing (every read returns 1) until a sync succeeds. */
int	obsmem_sync(struct obsmem *m, struct ledger *led, struct err *err);
/* The data version m holds (-1: nothing usable). */
long long obsmem_version(struct obsmem *m);
/* The last feed m holds (-1: nothing usable). */
long long obsmem_feed(struct obsmem *m);
/* 1 when a feed after since changed indicator in year (or m cannot
 * tell: since predates its load, or it holds nothing), else 0; as
 * ledger_year_changed. */
int	obsmem_year_changed(struct obsmem *m, const char *indicator, int year,
	    long long since);

/* As the ledger functions of the same name, in the same order; malloc'd
 * (free *ret). 0, -1 (out of memory, err set), or 1: m holds nothing
 * usable, read the ledger. */
int	obsmem_series(struct obsmem *m, const char *gemeente,
	    const char *indicator, struct obs **ret, size_t *ret_n,
	    struct err *err);
/* As ledger_revision_counts (1 also when its counts do not pair with
 * the values: then the ledger answers as it always did). */
int	obsmem_revision_counts(struct obsmem *m, const char *gemeente,
	    const char *indicator, int **ret, size_t *ret_n, struct err *err);
int	obsmem_cross_section(struct obsmem *m, const char *indicator,
	    const struct period *p, struct obs **ret, size_t *ret_n,
	    struct err *err);
int	obsmem_year(struct obsmem *m, const char *indicator, int year,
	    struct obs **ret, size_t *ret_n, struct err *err);
int	obsmem_periods(struct obsmem *m, const char *indicator,
	    struct period **ret, size_t *ret_n, struct err *err);

/* What m holds, for /metrics and the benchmarks. */
struct obsmem_stats {
	size_t	indicators, series, values, bytes;
	unsigned long long syncs, fallbacks;	/* fallbacks: reads answered 1 */
};
void	obsmem_stats(struct obsmem *m, struct obsmem_stats *ret);

#endif /* OBSMEM_H */
