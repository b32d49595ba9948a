/* src/alert/alert_engine.h — the impure edges of alerts: the after-ingest
 * hook, the daily pass for missing deliveries, the preview on history and
 * the delivery worker that runs the configured alert_command (argv, no
 * shell) with the event JSON on stdin (the queue, spawn and retries are
 * alertrun.h's; the worker adds the daily pass as the runner's periodic
 * task). Rules and their judgement are alert.h's.
 *
 * Thread-safety: alert_hook runs with the app's writer lock held (app.h);
 * alert_daily and alert_preview_run take what they need from the app
 * themselves. A struct alert_worker is shared by every thread: its queue
 * locks. */
#ifndef ALERT_ENGINE_H
#define ALERT_ENGINE_H

#include <stddef.h>

#include "alert/alert.h"
#include "base/conf.h"
#include "base/err.h"
#include "store/app.h"
#include "store/ledger.h"

struct alert_worker;

/* Start the delivery worker: a thread with a queue that runs
 * conf->alert_command (when set) for each new event, with the event JSON
 * on stdin, conf->alert_timeout seconds at most, retried with backoff on
 * failure (logged), and the daily missing-delivery pass. app must outlive
 * the worker. Returns NULL with err set on failure. */
struct alert_worker *alert_worker_start(struct app *app,
	    const struct conf *conf, struct err *err);
/* Stop the thread (a running command is waited for up to its timeout);
 * undelivered events stay in the ledger and the Atom feed. NULL: no-op. */
void	alert_worker_stop(struct alert_worker *w);
/* Queue the JSON text of an event (copied). Never blocks on delivery. */
void	alert_worker_push(struct alert_worker *w, const char *json);
/* Wait until the queue is empty and nothing runs, at most timeout_ms.
 * Returns 0, or -1 on timeout (tests, shutdown). */
int	alert_worker_drain(struct alert_worker *w, int timeout_ms);
/* Deliveries that succeeded / were given up, for /metrics and tests. */
void	alert_worker_counts(struct alert_worker *w, unsigned long *ret_ok,
	    unsigned long *ret_failed);

/* The app_hook (app.h) to register after each ingest; arg is the worker
 * (or NULL: events are stored but not delivered). Evaluates the enabled
 * rules of the touched series only and applies the state changes in one
 * transaction on the writer. Errors are logged, never passed to ingest. */
void	alert_hook(void *arg, struct ingest_ctx *ctx,
	    const struct ledger_commit *commit);
/* The daily pass: every enabled ontbrekend rule over its scope at time
 * now, under the app's writer lock. Returns the number of new events or
 * -1 with err set. */
long	alert_daily(struct app *app, struct alert_worker *w, long long now,
	    struct err *err);

/* Preview on history: how often rule r would have fired (ok → firing
 * transitions) per gemeente over the last `perioden` periods up to now. */
struct alert_preview_hit {
	char	gemeente[8];
	struct period periode;
	char	zin[512];
};
struct alert_preview {
	size_t	nfired;			/* firing transitions */
	size_t	ngemeenten;		/* gemeenten judged */
	struct period van, tot;
	struct alert_preview_hit *hits;	/* malloc'd, at most 200 kept */
	size_t	nhits;
};
int	alert_preview_run(struct app *app, const struct alert_rule *r,
	    int perioden, long long now, struct alert_preview *ret,
	    struct err *err);
void	alert_preview_free(struct alert_preview *p);

#endif /* ALERT_ENGINE_H */
