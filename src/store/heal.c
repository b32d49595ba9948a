/* src/store/heal.c — self-healing of the derived RRD view (issue 13): the
 * ledger is the truth, so any series file that lags behind it (pending) or
 * no longer matches it (missing, damaged) is rebuilt from it — by a timer,
 * after each ingest, and on first use — while the daemon keeps running. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "store/heal.h"
#include "store/ingest.h"

struct heal {
	struct app *app;
	int	interval;	/* seconds between retries */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;	/* signalled to stop */
	int	stop;
};

/* Retry every pending series; the ones that heal leave the journal. */
static int
retry_pending(void *arg, struct ingest_ctx *ctx, struct err *err)
{
	(void)arg;
	return ingest_recover(ctx, err);
}

static void
heal_hook(void *arg, struct ingest_ctx *ctx, const struct ledger_commit *c)
{
	struct err err = { "" };

	(void)arg;
	(void)c;
	/* the hook runs with the writer lock held: recover directly */
	if (ingest_recover(ctx, &err) == -1)
		log_warn("herstel na levering: %s", err.msg);
}

static void *
heal_main(void *arg)
{
	struct heal *h = arg;
	struct timespec until;
	struct err err = { "" };

	pthread_mutex_lock(&h->mu);
	while (!h->stop) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += h->interval;
		while (!h->stop && pthread_cond_timedwait(&h->cv, &h->mu,
		    &until) != ETIMEDOUT)
			;
		if (h->stop)
			break;
		pthread_mutex_unlock(&h->mu);
		err.msg[0] = '\0';
		if (app_with_ingest(h->app, retry_pending, NULL, &err) == -1)
			log_warn("herstel: %s (volgende poging over %d s)",
			    err.msg, h->interval);
		pthread_mutex_lock(&h->mu);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

struct heal *
heal_start(struct app *app, int interval, struct err *err)
{
	struct heal *h = calloc(1, sizeof(*h));

	if (h == NULL) {
		err_set(err, "onvoldoende geheugen");
		return NULL;
	}
	h->app = app;
	h->interval = interval > 0 ? interval : 60;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	if (app_add_hook(app, heal_hook, h) == -1 ||
	    pthread_create(&h->thread, NULL, heal_main, h) != 0) {
		err_set(err, "kan de hersteldraad niet starten");
		pthread_cond_destroy(&h->cv);
		pthread_mutex_destroy(&h->mu);
		free(h);
		return NULL;
	}
	return h;
}

void
heal_stop(struct heal *h)
{
	if (h == NULL)
		return;
	pthread_mutex_lock(&h->mu);
	h->stop = 1;
	pthread_cond_signal(&h->cv);
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->thread, NULL);
	pthread_cond_destroy(&h->cv);
	pthread_mutex_destroy(&h->mu);
	free(h);
}

/* Under the writer lock: check again against the writer's committed
 * state (the reader may have seen a feed half-way between ledger commit
 * and RRD update) and rebuild when still broken. */
static int
check_rebuild(void *arg, struct ingest_ctx *ctx, struct err *err)
{
	const struct ledger_key *key = arg;
	char   *why = NULL;
	size_t	len = 0;
	FILE   *m = open_memstream(&why, &len);
	long	bad = ingest_verify_series(ctx, key, m, err);
	int	rc = 0;

	if (m != NULL)
		fclose(m);
	if (bad > 0) {
		/* the first finding says what was wrong; log it once */
		if (why != NULL)
			why[strcspn(why, "\n")] = '\0';
		log_warn("%s: opnieuw opgebouwd uit het grootboek",
		    why && *why ? why : key->gemeente);
		rc = ingest_rebuild_series(ctx, key, err);
	}
	free(why);
	return bad == -1 ? -1 : rc;
}

int
heal_series(struct app *app, struct ledger *reader, const char *gemeente,
    const struct indicator *ind)
{
	struct app_snapshot *snap = app_snapshot_get(app);
	struct ingest_ctx ctx = { .cat = snap->cat, .reg = snap->reg,
		.led = reader, .store = app_store(app), .pub = app_publish(app),
		.mem = app_obsmem(app) };
	struct ledger_key key;
	struct err err = { "" };
	long	bad;

	snprintf(key.gemeente, sizeof(key.gemeente), "%s", gemeente);
	snprintf(key.indicator, sizeof(key.indicator), "%s", ind->id);
	bad = ingest_verify_series(&ctx, &key, NULL, &err);
	app_snapshot_put(app, snap);
	if (bad == 0)
		return 0;
	if (bad > 0 && app_with_ingest(app, check_rebuild, &key, &err) == 0)
		return 0;
	log_err("rrd %s/%s kan niet worden hersteld: %s", gemeente, ind->id,
	    err.msg[0] ? err.msg : "onbekende oorzaak");
	return -1;
}
