/* src/store/app.c — the daemon's shared state: snapshot swapping on reload,
 * a pool of read connections, the one writer under a mutex, hooks run
 * after each ingest. Everything above (routes, inbox) goes through here. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "store/app.h"
#include "base/log.h"
#include "base/util.h"

#define CACHE_BYTES (64u << 20)	/* rendered charts and comparisons */

struct hook {
	app_hook fn;
	void   *arg;
};

struct app {
	struct conf conf;
	char	db[CONF_PATH_SIZE + 16];
	struct store *store;
	struct cache *cache;
	struct publish *pub;		/* borrowed: the program owns it */
	struct obsmem *mem;		/* the current values in memory */

	pthread_mutex_t snap_lock;
	struct app_snapshot *snap;

	pthread_mutex_t write_lock;	/* the writer and everything it does */
	struct ledger *writer;
	struct hook hooks[APP_MAX_HOOKS];
	size_t	nhooks;

	pthread_mutex_t pool_lock;
	pthread_cond_t pool_cond;
	struct ledger *readers[APP_READERS];
	int	busy[APP_READERS];

	pthread_mutex_t stats_lock;
	struct app_stats stats;		/* .queued: feeds in app_ingest */

	struct throttle *by_account, *by_addr;	/* sign-in failures */
	pthread_mutex_t hash_lock;
	int	hashing;		/* password checks running */

	pthread_mutex_t version_lock;	/* the data version seen last */
	long long version, version_at;
	int	version_stale;		/* an ingest here changed it */
	long long changed_at;		/* wall time the version or snapshot
					 * was first seen to change */
};

/* The boundaries of www/geo, or NULL (said in the log): without them
 * only the map is missing, which is no reason to refuse to start. */
static struct geo *
snapshot_geo(const char *www)
{
	char	dir[CONF_PATH_SIZE + 8];
	struct err err = { "" };
	struct geo *g;

	if (www == NULL || www[0] == '\0')
		return NULL;
	snprintf(dir, sizeof(dir), "%s/geo", www);
	if ((g = geo_load_dir(dir, &err)) == NULL)
		log_warn("kaart: %s (/chart/kaart/… niet beschikbaar)",
		    err.msg);
	return g;
}

/* www NULL: no boundaries (basisd -n checks the catalogue only). */
static struct app_snapshot *
snapshot_load(const char *dir, const char *www, struct err *err)
{
	struct app_snapshot *s = calloc(1, sizeof(*s));
	char	path[CONF_PATH_SIZE + sizeof(BASELINE_FILE) + 1];

	if (s == NULL) {
		err_set(err, "onvoldoende geheugen");
		return NULL;
	}
	if (snprintf(path, sizeof(path), "%s/%s", dir, BASELINE_FILE) >=
	    (int)sizeof(path)) {
		err_set(err, "%s: pad te lang", dir);
		free(s);
		return NULL;
	}
	if ((s->cat = catalog_load(dir, err)) == NULL ||
	    (s->reg = register_load(dir, err)) == NULL ||
	    baseline_load(path, &s->baseline, err) == -1) {
		register_free(s->reg);
		catalog_free(s->cat);
		free(s);
		return NULL;
	}
	s->geo = snapshot_geo(www);
	s->refs = 1;
	return s;
}

static void
snapshot_free(struct app_snapshot *s)
{
	if (s == NULL)
		return;
	geo_free(s->geo);
	register_free(s->reg);
	catalog_free(s->cat);
	free(s);
}

int
app_snapshot_check(const char *dir, struct err *err)
{
	struct app_snapshot *s = snapshot_load(dir, NULL, err);

	snapshot_free(s);
	return s != NULL ? 0 : -1;
}

/* Every ZRM indicator of cat has only values of its zrm_versie in the
 * ledger (or values from before the column): a catalogue that moved an
 * id to another ZRM version would otherwise have its new scores summed
 * and ranked with the old ones (domain §6; a new version gets new ids).
 * 0, or -1 with err naming the indicator and both versions. */
static int
versies_match(const struct catalog *cat, struct ledger *led, struct err *err)
{
	char	other[8];
	int	rc;

	for (size_t i = 0; i < cat->n; i++) {
		const struct indicator *ind = &cat->items[i];

		if (ind->zrm_versie[0] == '\0')
			continue;
		rc = ledger_other_versie(led, ind->id, ind->zrm_versie, other,
		    sizeof(other), err);
		if (rc == 1)
			return err_set(err, "%s: de catalogus noemt ZRM %s, het "
			    "grootboek heeft waarden van ZRM %s; een andere "
			    "ZRM-versie krijgt nieuwe indicatoren", ind->id,
			    ind->zrm_versie, other);
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* Recovery of the pending journal needs a snapshot and the writer. */
static int
recover(struct app *app, struct err *err)
{
	struct ingest_ctx ctx = { .cat = app->snap->cat, .reg = app->snap->reg,
		.led = app->writer, .store = app->store, .pub = app->pub,
		.mem = app->mem };

	return ingest_recover(&ctx, err);
}

/* The first load reads every current value: through a reader, whose
 * small page cache it passes through, not the writer's 128 MiB one that
 * would keep all of it resident (RSS 223 instead of 95 MB). */
static void
load_values(struct app *app)
{
	struct err err = { "" };
	struct ledger *r = app_reader_get(app, &err);

	if (r == NULL) {
		log_warn("waarden in het geheugen: %s; het grootboek wordt "
		    "gelezen", err.msg);
		return;
	}
	app_sync_values(app, r);
	app_reader_put(app, r);
}

struct app *
app_open(const struct conf *conf, struct err *err)
{
	struct app *app = calloc(1, sizeof(*app));
	char	rrd[CONF_PATH_SIZE + 16];

	if (app == NULL) {
		err_set(err, "onvoldoende geheugen");
		return NULL;
	}
	app->conf = *conf;
	pthread_mutex_init(&app->snap_lock, NULL);
	pthread_mutex_init(&app->write_lock, NULL);
	pthread_mutex_init(&app->pool_lock, NULL);
	pthread_mutex_init(&app->stats_lock, NULL);
	pthread_mutex_init(&app->version_lock, NULL);
	pthread_mutex_init(&app->hash_lock, NULL);
	app->version_stale = 1;
	app->changed_at = (long long)time(NULL);
	pthread_cond_init(&app->pool_cond, NULL);
	snprintf(app->db, sizeof(app->db), "%s/basis.db", conf->state_dir);
	snprintf(rrd, sizeof(rrd), "%s/rrd", conf->state_dir);
	if ((app->snap = snapshot_load(conf->catalog_dir,
	    conf->www_dir, err)) == NULL ||
	    (app->writer = ledger_open(app->db, 0, err)) == NULL ||
	    versies_match(app->snap->cat, app->writer, err) == -1 ||
	    (app->store = store_open(rrd, err)) == NULL ||
	    (app->cache = cache_new(CACHE_BYTES)) == NULL ||
	    (app->mem = obsmem_new()) == NULL ||
	    (app->by_account = throttle_new(4096, 5, 900)) == NULL ||
	    (app->by_addr = throttle_new(4096, 20, 900)) == NULL) {
		if (err->msg[0] == '\0')
			err_set(err, "onvoldoende geheugen");
		app_close(app);
		return NULL;
	}
	/* a series that cannot be written now (a full disk) stays pending
	 * and is retried while serving (heal.c), no reason not to start */
	if (recover(app, err) == -1) {
		log_warn("herstel bij het starten: %s", err->msg);
		err->msg[0] = '\0';
	}
	app->stats.last_ingest = ledger_last_feed_time(app->writer);
	load_values(app);
	return app;
}

void
app_close(struct app *app)
{
	if (app == NULL)
		return;
	for (size_t i = 0; i < APP_READERS; i++)
		ledger_close(app->readers[i]);
	cache_free(app->cache);
	obsmem_free(app->mem);
	throttle_free(app->by_account);
	throttle_free(app->by_addr);
	pthread_mutex_destroy(&app->hash_lock);
	store_close(app->store);
	ledger_close(app->writer);
	snapshot_free(app->snap);
	pthread_cond_destroy(&app->pool_cond);
	pthread_mutex_destroy(&app->pool_lock);
	pthread_mutex_destroy(&app->stats_lock);
	pthread_mutex_destroy(&app->version_lock);
	pthread_mutex_destroy(&app->write_lock);
	pthread_mutex_destroy(&app->snap_lock);
	free(app);
}

const struct conf *
app_conf(const struct app *app)
{
	return &app->conf;
}

struct store *
app_store(struct app *app)
{
	return app->store;
}

void
app_set_publish(struct app *app, struct publish *pub)
{
	app->pub = pub;
}

struct publish *
app_publish(struct app *app)
{
	return app->pub;
}

struct obsmem *
app_obsmem(struct app *app)
{
	return app->mem;
}

void
app_sync_values(struct app *app, struct ledger *led)
{
	struct err err = { "" };

	/* on failure the reads go to the ledger until a sync succeeds */
	if (obsmem_sync(app->mem, led, &err) == -1)
		log_warn("waarden in het geheugen: %s; het grootboek wordt "
		    "gelezen", err.msg);
}

struct cache *
app_cache(struct app *app)
{
	return app->cache;
}

struct app_snapshot *
app_snapshot_get(struct app *app)
{
	struct app_snapshot *s;

	pthread_mutex_lock(&app->snap_lock);
	s = app->snap;
	s->refs++;
	pthread_mutex_unlock(&app->snap_lock);
	return s;
}

void
app_snapshot_put(struct app *app, struct app_snapshot *snap)
{
	int	last;

	if (snap == NULL)
		return;
	pthread_mutex_lock(&app->snap_lock);
	last = --snap->refs == 0;
	pthread_mutex_unlock(&app->snap_lock);
	if (last)
		snapshot_free(snap);
}

int
app_reload(struct app *app, struct err *err)
{
	struct app_snapshot *fresh = snapshot_load(app->conf.catalog_dir,
	    app->conf.www_dir, err);
	struct app_snapshot *old;
	struct ledger *led;
	int	rc;

	if (fresh == NULL)
		return -1;
	if ((led = app_reader_get(app, err)) == NULL) {
		snapshot_free(fresh);
		return -1;
	}
	rc = versies_match(fresh->cat, led, err);
	app_reader_put(app, led);
	if (rc == -1) {
		snapshot_free(fresh);
		return -1;
	}
	pthread_mutex_lock(&app->snap_lock);
	old = app->snap;
	app->snap = fresh;
	pthread_mutex_unlock(&app->snap_lock);
	/* Requests still holding the old snapshot keep it alive. */
	app_snapshot_put(app, old);
	cache_invalidate_all(app->cache);
	pthread_mutex_lock(&app->version_lock);
	app->changed_at = (long long)time(NULL) > app->changed_at ?
	    (long long)time(NULL) : app->changed_at + 1;
	pthread_mutex_unlock(&app->version_lock);
	log_info("catalogus (%zu indicatoren), register (%zu gemeenten) en "
	    "baseline %s herladen", fresh->cat->n, fresh->reg->nactief,
	    fresh->baseline.versie);
	return 0;
}

struct ledger *
app_reader_get(struct app *app, struct err *err)
{
	struct ledger *led = NULL;
	size_t	i;

	pthread_mutex_lock(&app->pool_lock);
	for (;;) {
		for (i = 0; i < APP_READERS && app->busy[i]; i++)
			;
		if (i < APP_READERS)
			break;
		pthread_cond_wait(&app->pool_cond, &app->pool_lock);
	}
	app->busy[i] = 1;
	pthread_mutex_unlock(&app->pool_lock);
	/* Opened lazily, outside the lock: the slot is ours. */
	if (app->readers[i] == NULL)
		app->readers[i] = ledger_open(app->db, LEDGER_READONLY, err);
	led = app->readers[i];
	if (led == NULL) {
		err_as(err, ERR_UNAVAILABLE);
		pthread_mutex_lock(&app->pool_lock);
		app->busy[i] = 0;
		pthread_cond_signal(&app->pool_cond);
		pthread_mutex_unlock(&app->pool_lock);
	}
	return led;
}

void
app_reader_put(struct app *app, struct ledger *led)
{
	pthread_mutex_lock(&app->pool_lock);
	for (size_t i = 0; i < APP_READERS; i++)
		if (app->readers[i] == led)
			app->busy[i] = 0;
	pthread_cond_signal(&app->pool_cond);
	pthread_mutex_unlock(&app->pool_lock);
}

static void
count(struct app *app, const struct ingest_report *rep)
{
	pthread_mutex_lock(&app->stats_lock);
	if (rep->status == INGEST_ACCEPTED || rep->status == INGEST_PARTIAL) {
		app->stats.feeds_accepted++;
		app->stats.last_ingest = (long long)time(NULL);
		app->stats.rows_stored += (unsigned long long)(rep->nieuw +
		    rep->herzien);
	} else if (rep->status == INGEST_DUPLICATE)
		app->stats.feeds_duplicate++;
	else
		app->stats.feeds_rejected++;
	pthread_mutex_unlock(&app->stats_lock);
}

struct hook_call {
	struct app *app;
	struct ingest_ctx *ctx;
};

/* ingest's after_commit hook: fan out to the registered hooks. */
static void
run_hooks(void *arg, const struct ledger_commit *commit)
{
	struct hook_call *call = arg;

	/* first: every hook (bands, cache stamps, alerts) reads the commit */
	app_sync_values(call->app, call->ctx->led);
	for (size_t i = 0; i < call->app->nhooks; i++)
		call->app->hooks[i].fn(call->app->hooks[i].arg, call->ctx,
		    commit);
}

int
app_ingest(struct app *app, const char *naam, const char *data, size_t len,
    const struct ingest_opts *opts, struct ingest_report *ret)
{
	struct app_snapshot *snap = app_snapshot_get(app);
	struct ingest_ctx ctx = { .cat = snap->cat, .reg = snap->reg,
		.store = app->store, .after_commit = run_hooks, .pub = app->pub,
		.mem = app->mem, .toekomst_marge = app->conf.toekomst_marge };
	struct hook_call call = { app, &ctx };
	int	rc, busy;

	pthread_mutex_lock(&app->stats_lock);
	if ((busy = app->stats.queued >= APP_MAX_QUEUED) == 0)
		app->stats.queued++;
	pthread_mutex_unlock(&app->stats_lock);
	if (busy) {
		app_snapshot_put(app, snap);
		return 1;
	}
	ctx.hook_arg = &call;
	pthread_mutex_lock(&app->write_lock);
	ctx.led = app->writer;
	rc = ingest_feed(&ctx, naam, data, len, opts, ret);
	pthread_mutex_unlock(&app->write_lock);
	pthread_mutex_lock(&app->version_lock);
	app->version_stale = 1;
	pthread_mutex_unlock(&app->version_lock);
	pthread_mutex_lock(&app->stats_lock);
	app->stats.queued--;
	pthread_mutex_unlock(&app->stats_lock);
	if (rc == 0 && !ret->proef)	/* a dry run is no feed */
		count(app, ret);
	app_snapshot_put(app, snap);
	return rc;
}

int
app_with_writer(struct app *app,
    int (*fn)(void *arg, struct ledger *writer, struct err *err), void *arg,
    struct err *err)
{
	int	rc;

	pthread_mutex_lock(&app->write_lock);
	rc = fn(arg, app->writer, err);
	app_sync_values(app, app->writer);	/* it may have changed values */
	pthread_mutex_unlock(&app->write_lock);
	return rc;
}

int
app_with_ingest(struct app *app,
    int (*fn)(void *arg, struct ingest_ctx *ctx, struct err *err), void *arg,
    struct err *err)
{
	struct app_snapshot *snap = app_snapshot_get(app);
	struct ingest_ctx ctx = { .cat = snap->cat, .reg = snap->reg,
		.store = app->store, .after_commit = run_hooks, .pub = app->pub,
		.mem = app->mem, .toekomst_marge = app->conf.toekomst_marge };
	struct hook_call call = { app, &ctx };
	int	rc;

	ctx.hook_arg = &call;
	pthread_mutex_lock(&app->write_lock);
	ctx.led = app->writer;
	rc = fn(arg, &ctx, err);
	pthread_mutex_unlock(&app->write_lock);
	pthread_mutex_lock(&app->version_lock);
	app->version_stale = 1;
	pthread_mutex_unlock(&app->version_lock);
	app_snapshot_put(app, snap);
	return rc;
}

int
app_add_hook(struct app *app, app_hook fn, void *arg)
{
	if (app->nhooks == APP_MAX_HOOKS)
		return -1;
	app->hooks[app->nhooks++] = (struct hook){ fn, arg };
	return 0;
}

int
app_health(struct app *app, struct err *err)
{
	struct ledger *led = app_reader_get(app, err);
	int	rc;

	if (led == NULL)
		return -1;
	rc = ledger_ping(led);
	app_reader_put(app, led);
	if (rc == -1)
		return err_setk(err, ERR_UNAVAILABLE,
		    "grootboek niet bereikbaar");
	return 0;
}

long long
app_data_version(struct app *app, struct ledger *led)
{
	long long now = util_mono_ms(), v;

	pthread_mutex_lock(&app->version_lock);
	if (!app->version_stale && now - app->version_at < APP_VERSION_TTL_MS) {
		v = app->version;
		pthread_mutex_unlock(&app->version_lock);
		return v;
	}
	pthread_mutex_unlock(&app->version_lock);
	v = ledger_data_version(led);
	pthread_mutex_lock(&app->version_lock);
	/* Strictly later each time: two changes within one second must not
	 * share a Last-Modified (If-Modified-Since would call the second
	 * one unmodified). */
	if (v != app->version)
		app->changed_at = (long long)time(NULL) > app->changed_at ?
		    (long long)time(NULL) : app->changed_at + 1;
	app->version = v;
	app->version_at = now;
	app->version_stale = 0;
	pthread_mutex_unlock(&app->version_lock);
	return v;
}

long long
app_changed_at(struct app *app, struct ledger *led)
{
	long long t;

	app_data_version(app, led);
	pthread_mutex_lock(&app->version_lock);
	t = app->changed_at;
	pthread_mutex_unlock(&app->version_lock);
	return t;
}

void
app_stats(struct app *app, struct app_stats *ret)
{
	pthread_mutex_lock(&app->stats_lock);
	*ret = app->stats;
	pthread_mutex_unlock(&app->stats_lock);
}

/* The token after "Bearer " (case-insensitive scheme), or NULL. */
static const char *
bearer(const char *authorization)
{
	if (authorization == NULL || strncasecmp(authorization, "Bearer ", 7))
		return NULL;
	authorization += 7;
	while (*authorization == ' ')
		authorization++;
	return *authorization ? authorization : NULL;
}

int
app_authenticate(struct app *app, const char *authorization,
    struct ledger_token *ret, struct err *err)
{
	const char *token = bearer(authorization);
	char	prefix[AUTH_PREFIX_SIZE];
	struct ledger_token *cand = NULL;
	struct ledger *led;
	size_t	n = 0;
	int	found = 0;

	if (token == NULL)
		return err_setk(err, ERR_UNAUTHORISED, "geen token: stuur "
		    "'Authorization: Bearer "
		    "<token>'");
	if (auth_token_prefix(token, prefix) == -1)
		return err_setk(err, ERR_UNAUTHORISED, "ongeldig token");
	if ((led = app_reader_get(app, err)) == NULL)
		return -1;
	if (ledger_token_by_prefix(led, prefix, &cand, &n, err) == -1) {
		app_reader_put(app, led);
		return -1;
	}
	app_reader_put(app, led);
	/* Check every candidate so timing does not tell which one matched. */
	for (size_t i = 0; i < n; i++)
		if (auth_token_check(token, cand[i].hash) && !found) {
			*ret = cand[i];
			found = 1;
		}
	free(cand);
	if (!found)
		return err_setk(err, ERR_UNAUTHORISED, "onbekend token");
	if (ret->revoked)
		return err_setk(err, ERR_UNAUTHORISED,
		    "dit token is ingetrokken");
	return 0;
}

/* ---- sign-in: throttling and bounded password hashing */

static void
signin_keys(const char *naam, const char *addr, char *kn, char *ka,
    size_t size)
{
	snprintf(kn, size, "naam:%s", naam ? naam : "");
	snprintf(ka, size, "ip:%s", addr ? addr : "");
}

long
app_signin_wait(struct app *app, const char *naam, const char *addr)
{
	char	kn[96], ka[96];
	long long now = util_mono_ms() / 1000;
	long	a, b;

	signin_keys(naam, addr, kn, ka, sizeof(kn));
	a = naam ? throttle_wait(app->by_account, kn, now) : 0;
	b = addr ? throttle_wait(app->by_addr, ka, now) : 0;
	return a > b ? a : b;
}

void
app_signin_result(struct app *app, const char *naam, const char *addr, int ok)
{
	char	kn[96], ka[96];
	long long now = util_mono_ms() / 1000;

	signin_keys(naam, addr, kn, ka, sizeof(kn));
	if (ok) {
		throttle_reset(app->by_account, kn);
		return;
	}
	if (naam != NULL)
		throttle_fail(app->by_account, kn, now);
	if (addr != NULL)
		throttle_fail(app->by_addr, ka, now);
}

int
app_password_check(struct app *app, const char *pw, const char *stored)
{
	char	waste[AUTH_PASSWORD_SIZE];
	int	busy, ok = 0;

	pthread_mutex_lock(&app->hash_lock);
	if ((busy = app->hashing >= APP_HASHERS) == 0)
		app->hashing++;
	pthread_mutex_unlock(&app->hash_lock);
	if (busy)
		return -1;
	if (stored != NULL)
		ok = auth_password_check(pw, stored);
	else
		auth_password_hash(pw, waste);
	pthread_mutex_lock(&app->hash_lock);
	app->hashing--;
	pthread_mutex_unlock(&app->hash_lock);
	return ok;
}
