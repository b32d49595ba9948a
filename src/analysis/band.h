/* src/analysis/band.h — group bands (design §3): per (group, indicator) a band
 * file in the store holding, per period, n, P10…P90 and the group
 * aggregate of the published values (compare_eval with publiek = 1), so a
 * gemeente chart reads 2–3 files instead of 342. Recomputed from the
 * ledger's cross-sections after an ingest; peer groups
 * ("vergelijkbaar-GMxxxx") are computed on demand and rebuilt when the
 * ledger's data version changed.
 *
 * The groups are the standard set of the read model (query.h), whose
 * functions band reads every number through.
 *
 * Threads: a struct band (the dirty set) may be shared by threads. The
 * functions taking an ingest_ctx use its writer ledger and must be called
 * with the writer serialised (as app hooks are). band_ensure takes any
 * ledger connection (a pooled reader) and may run in
 * request threads: band files are replaced atomically under the store's
 * mutex. Functions return 0 or -1 with err set unless stated otherwise. */
#ifndef BAND_H
#define BAND_H

#include <stddef.h>

#include "analysis/query.h"
#include "input/catalog.h"
#include "analysis/compare.h"
#include "base/conf.h"
#include "base/err.h"
#include "store/ingest.h"
#include "store/ledger.h"
#include "input/register.h"
#include "store/store.h"

/* The indicators whose bands must be recomputed. */
struct band;

struct band *band_new(void);	/* NULL when out of memory */
void	band_free(struct band *b);	/* NULL is a no-op */
/* Mark every indicator touched by a commit (or one indicator) dirty. */
void	band_mark(struct band *b, const struct ledger_commit *commit);
void	band_mark_indicator(struct band *b, const char *indicator);
/* Number of dirty indicators. */
size_t	band_ndirty(struct band *b);
/* Recompute the bands of every dirty indicator for the standard groups.
 * Indicators that failed stay dirty. */
int	band_flush(struct band *b, struct ingest_ctx *ctx, struct err *err);

/* app_hook (arg = struct band *): band_update for the commit at once
 * (after flushing indicators left dirty by an earlier failure). Errors are
 * logged (the feed itself is already durable) and leave the commit's
 * indicators dirty for the next call. */
void	band_hook(void *arg, struct ingest_ctx *ctx,
	    const struct ledger_commit *commit);
/* ingest_hook (arg = struct band *) for a backfill (demo data, bulk
 * ingest): only marks, so a feed per gemeente does not recompute every
 * group 342 times; call band_flush (or band_rebuild_all) once at the end. */
void	band_ingest_hook(void *arg, const struct ledger_commit *commit);

/* Update the bands after one commit: only the periods the feed changed
 * (ledger_feed_changes) of the groups holding a gemeente it changed, over
 * the stored bands (a group without a band file is built whole). */
int	band_update(struct ingest_ctx *ctx, const struct ledger_commit *commit,
	    struct err *err);
/* Recompute one indicator for every standard group, all periods. */
int	band_indicator(struct ingest_ctx *ctx, const struct indicator *ind,
	    struct err *err);
/* Every catalogue indicator with data (after `basisctl demo-data --load`
 * and `basisctl rebuild`); reports progress per indicator via ctx. */
int	band_rebuild_all(struct ingest_ctx *ctx, struct err *err);

/* Make sure the band file of (groep_id, ind) exists and is current before a
 * chart reads it: a standard group is built when its file is missing; a
 * "vergelijkbaar-GMxxxx" group (the anchor and its k peers) is rebuilt
 * when the ledger's data version, k or the features changed since it was
 * written (recorded in a side file "<indicator>.versie"). Returns 0 (also
 * when the indicator has no data: then there is no file), -1 with err set
 * (unknown group, invalid id, I/O). */
int	band_ensure(const struct query_src *src, const char *groep_id,
	    const struct indicator *ind, struct err *err);
/* As band_ensure, with what a peer band depends on given by the caller
 * instead of the ledger's data version (which every upload moves, so
 * every peer band of every indicator would be rebuilt on the request path
 * after each one): version must change whenever the indicator's values or
 * the peer features change, e.g. cache_stamp_max over their tags. */
int	band_ensure_at(const struct query_src *src, const char *groep_id,
	    const struct indicator *ind, long long version, struct err *err);

#endif /* BAND_H */
