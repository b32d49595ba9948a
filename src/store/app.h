/* src/store/app.h — the daemon's shared state between HTTP threads: the
 * configuration, the catalogue, register and benchmark baseline (an
 * immutable snapshot, swapped
 * whole on reload), a pool of read-only ledger connections, the one writer
 * (ingest, serialised by a mutex), the RRD store, the response cache and the
 * after-ingest hooks (group bands, alerts, cache invalidation).
 *
 * Thread-safety: every function may be called from any thread.
 *
 * Lock and pool order (issue 16: a thread holding one pooled reader while
 * waiting for another, or for the writer, deadlocked the daemon once
 * every reader was held that way):
 *   1. authenticate first (app_authenticate borrows a reader and gives it
 *      back before it returns) — never while holding a reader;
 *   2. hold at most ONE reader per thread (app_reader_get blocks while all
 *      APP_READERS are out);
 *   3. never wait for the writer (app_ingest, app_with_writer) while
 *      holding a reader: the writer's hooks may borrow readers, and an
 *      upload waiting for the writer must not keep readers from others;
 *   4. the store's librrd mutex and the cache's lock are innermost: take
 *      nothing while holding them.
 * Snapshot references (app_snapshot_get) are counts, not locks. */
#ifndef APP_H
#define APP_H

#include <stddef.h>

#include "base/auth.h"
#include "base/cache.h"
#include "input/baseline.h"
#include "input/catalog.h"
#include "base/conf.h"
#include "base/err.h"
#include "base/throttle.h"
#include "input/geo.h"
#include "store/ingest.h"
#include "store/ledger.h"
#include "input/register.h"
#include "store/store.h"

#define APP_READERS	8	/* pooled read connections */
#define APP_MAX_HOOKS	8

/* Catalogue, register and baseline as loaded together from catalog_dir,
 * and the map boundaries from www_dir;
 * held by reference while a request uses them so a reload never frees them
 * underneath. */
struct app_snapshot {
	struct catalog *cat;
	struct reg *reg;
	struct baseline baseline;	/* BASELINE_FILE of the catalogue */
	/* The map's boundaries from www_dir/geo, parsed and projected once
	 * per snapshot (a render reads no file); NULL when they are not
	 * there or not readable (logged; the map answers 500). */
	struct geo *geo;
	int	refs;		/* guarded by the app's snapshot lock */
};

/* Called after a feed was committed and its RRDs updated, with the writer
 * lock held: the hook may use the writer ledger in ctx. */
typedef void (*app_hook)(void *arg, struct ingest_ctx *ctx,
    const struct ledger_commit *commit);

struct app;

/* Open the state in conf->state_dir: ledger (created if needed), store,
 * cache, reader pool; load catalogue and register; run recovery of the
 * pending journal. conf is copied. */
struct app *app_open(const struct conf *conf, struct err *err);
void	app_close(struct app *app);	/* NULL is a no-op */
const struct conf *app_conf(const struct app *app);
struct store *app_store(struct app *app);
/* The memo of withheld figures (analysis/publish.h), set once by the
 * program before serving; the readers and the ingest hooks share it.
 * NULL until set: every read computes them afresh. */
struct publish;
void	app_set_publish(struct app *app, struct publish *pub);
struct publish *app_publish(struct app *app);
/* The current values in memory every read model of the daemon reads
 * (obsmem.h): loaded at app_open, synced through led after every commit
 * before the hooks run, after app_with_writer, and by app_sync_values
 * when a reader notices another process wrote the ledger. A failed sync
 * is logged; reads then go to the ledger. */
struct obsmem *app_obsmem(struct app *app);
void	app_sync_values(struct app *app, struct ledger *led);
struct cache *app_cache(struct app *app);

/* Load and check everything a snapshot holds from dir, then drop it:
 * what `basisd -n` runs. Returns 0, or -1 with err set. */
int	app_snapshot_check(const char *dir, struct err *err);

/* The current snapshot, with a reference taken; give it back with
 * app_snapshot_put. Never NULL after a successful app_open. */
struct app_snapshot *app_snapshot_get(struct app *app);
void	app_snapshot_put(struct app *app, struct app_snapshot *snap);
/* Load catalogue and register again and swap them in; on error the old
 * ones stay and err says why (file:line: message). */
int	app_reload(struct app *app, struct err *err);

/* Borrow a read-only ledger connection (blocks while all are in use; see
 * the pool order above);
 * return it with app_reader_put. NULL with err set when none can be opened. */
struct ledger *app_reader_get(struct app *app, struct err *err);
void	app_reader_put(struct app *app, struct ledger *led);

/* Ingest one feed under the writer lock, then run the hooks; call it
 * holding no reader. Same
 * contract as ingest_feed, and one more outcome: 1 (ret untouched) when
 * APP_MAX_QUEUED feeds are already being ingested or waiting for the
 * writer, so a burst of uploads is told to come back later (HTTP 429)
 * instead of tying up every server thread. */
#define APP_MAX_QUEUED	8
int	app_ingest(struct app *app, const char *naam, const char *data,
	    size_t len, const struct ingest_opts *opts,
	    struct ingest_report *ret);
/* Run fn with the writer lock held (alert state changes, annotations). */
int	app_with_writer(struct app *app,
	    int (*fn)(void *arg, struct ledger *writer, struct err *err),
	    void *arg, struct err *err);
/* Run fn with an ingest context on the writer (lock held), the current
 * snapshot and the after-ingest hooks (withdrawal, healing): what fn
 * commits is seen by the next data-version read. Returns fn's result. */
int	app_with_ingest(struct app *app,
	    int (*fn)(void *arg, struct ingest_ctx *ctx, struct err *err),
	    void *arg, struct err *err);
/* Register an after-ingest hook (before serving). Returns 0 or -1. */
int	app_add_hook(struct app *app, app_hook fn, void *arg);

/* Check an "Authorization: Bearer bsd_…" header value against the stored
 * token hashes (constant-time), borrowing a reader for the lookup: call it
 * holding none. Returns 0 with *ret filled (role, scope),
 * or -1 with err set to a Dutch reason (missing, malformed, unknown or
 * revoked token) — answer 401. */
int	app_authenticate(struct app *app, const char *authorization,
	    struct ledger_token *ret, struct err *err);

/* Dashboard sign-in (issue 16): failed attempts are throttled per account
 * (5 free) and per address (20 free), then 1, 2, 4 … seconds up to 15
 * minutes. app_signin_wait: the seconds naam or addr (either may be NULL)
 * must still wait, 0 = it may try; app_signin_result: after a check, ok
 * forgets the account's failures, a failure counts for both. */
long	app_signin_wait(struct app *app, const char *naam, const char *addr);
void	app_signin_result(struct app *app, const char *naam, const char *addr,
	    int ok);
/* A password check (Argon2id, ~0.1 s of CPU) with at most APP_HASHERS at
 * once, so a burst of sign-ins cannot take the CPU from every other
 * request: 1 match, 0 no match, -1 busy (answer 503, retry in a second;
 * the thread did not wait). stored NULL: hash pw anyway and answer 0, so
 * an unknown name costs as much as a wrong password. */
#define APP_HASHERS	2
int	app_password_check(struct app *app, const char *pw, const char *stored);

/* 0 when ledger and store are reachable, else -1 with err set. */
int	app_health(struct app *app, struct err *err);
/* The ledger's data version (changes with every commit), for cache keys.
 * Read through led (a connection the caller holds) at most every
 * APP_VERSION_TTL_MS; an ingest through this app makes the next call read
 * it at once, so only writes by another process (basisctl) can go unseen,
 * for that long at most. Reading it costs a read transaction, which was a
 * fifth of a cached request. */
#define APP_VERSION_TTL_MS 100
long long app_data_version(struct app *app, struct ledger *led);
/* When what the API serves last changed (data version or a reload), as
 * far as this process has seen: its start at the earliest. Never earlier
 * than a change, so it serves as Last-Modified when read before the
 * answer is built. */
long long app_changed_at(struct app *app, struct ledger *led);

/* Counters for /metrics. */
struct app_stats {
	unsigned long long feeds_accepted, feeds_rejected, feeds_duplicate;
	unsigned long long rows_stored;
	long long last_ingest;	/* Unix seconds of the newest stored feed */
	int	queued;		/* feeds being ingested or waiting for the writer */
};
void	app_stats(struct app *app, struct app_stats *ret);

#endif /* APP_H */
