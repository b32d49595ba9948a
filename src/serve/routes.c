/* src/serve/routes.c — the data API (doc/api.md): reference data, series,
 * comparisons, the gemeente dashboard, the uitstroom benchmark and feed
 * upload. Each handler borrows the current catalogue snapshot and a read
 * connection for the duration of one request; writes go through app.
 * This file holds the request frame (routes_rq.h), the shared lookups,
 * the response cache and the route table; the handlers live in
 * routes_{ref,data,dash,chart,feed}.c. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/band.h"
#include "analysis/benchmark.h"
#include "analysis/chart.h"
#include "analysis/compare.h"
#include "analysis/query.h"
#include "analysis/view.h"
#include "base/auth.h"
#include "base/gzip.h"
#include "base/du.h"
#include "base/log.h"
#include "base/num.h"
#include "serve/routes.h"
#include "serve/routes_rq.h"

int
routes_run(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply, routes_rq_fn fn)
{
	struct rq rq = { .app = ctx->app, .req = req, .params = params,
		.reply = reply, .metrics = ctx->metrics };
	const char *excel = api_query(req, "excel");
	struct err err = { "" };
	int	rc;

	rq.csv = strcmp(params->ext, "csv") == 0;
	rq.excel = excel != NULL && strcmp(excel, "1") == 0;
	if ((rq.led = app_reader_get(rq.app, &err)) == NULL)
		return api_fail(reply, &err);
	rq.snap = app_snapshot_get(rq.app);
	/* Read before the answer is built: never newer than its data. */
	reply->last_modified = app_changed_at(rq.app, rq.led);
	rc = fn(&rq);
	app_snapshot_put(rq.app, rq.snap);
	app_reader_put(rq.app, rq.led);
	return rc;
}

/* Where the query module reads from: this request's connection and
 * snapshot. */
void
routes_src(struct rq *rq, struct query_src *ret)
{
	*ret = (struct query_src){ .led = rq->led, .cat = rq->snap->cat,
		.reg = rq->snap->reg, .store = app_store(rq->app),
		.k = (size_t)app_conf(rq->app)->peers_k,
		.features = &app_conf(rq->app)->peer_features,
		.pub = app_publish(rq->app), .mem = app_obsmem(rq->app) };
}

/* ---- lookups that answer 404/400 themselves (return NULL / -1) ---- */

const struct gemeente *
routes_want_gemeente(struct rq *rq)
{
	const char *key = api_param(rq->params, "gm");
	const struct gemeente *g = key ? register_find(rq->snap->reg, key) :
	    NULL;
	char	msg[160];

	if (g == NULL) {
		snprintf(msg, sizeof(msg), "onbekende gemeente '%s'",
		    key ? key : "");
		api_refuse(rq->reply, ERR_NOT_FOUND, "%s", msg);
	}
	return g;
}

const struct indicator *
routes_want_indicator(struct rq *rq)
{
	const char *id = api_param(rq->params, "id");
	const struct indicator *ind = id ? catalog_find(rq->snap->cat, id) :
	    NULL;
	char	msg[160];

	if (ind == NULL) {
		snprintf(msg, sizeof(msg), "onbekende indicator '%s'",
		    id ? id : "");
		api_refuse(rq->reply, ERR_NOT_FOUND, "%s", msg);
	}
	return ind;
}

json_t *
routes_indicator_json(const struct indicator *ind)
{
	json_t *o = view_indicator(ind);

	json_put(o, "zrm_versie", ind->zrm_versie[0] ?
	    json_string(ind->zrm_versie) : json_null());
	return o;
}

/* Optional period query parameter: 0 absent, 1 parsed, -1 answered 400. */
int
routes_query_period(struct rq *rq, const char *key, struct period *ret)
{
	const char *s = api_query(rq->req, key);
	struct err err = { "" };
	char	msg[600];

	if (s == NULL || *s == '\0')
		return 0;
	if (period_parse(s, ret, &err) == 0)
		return 1;
	snprintf(msg, sizeof(msg), "%s: %s", key, err.msg);
	api_refuse(rq->reply, ERR_INPUT, "%s", msg);
	return -1;
}

/* van and tot together: 0, or -1 after a 400 (also when van begins
 * after tot ends: an empty range is the client's mistake, not ours). */
int
routes_query_range(struct rq *rq, struct period *van, int *has_van,
    struct period *tot, int *has_tot)
{
	char	a[16], b[16];

	if ((*has_van = routes_query_period(rq, "van", van)) == -1 ||
	    (*has_tot = routes_query_period(rq, "tot", tot)) == -1)
		return -1;
	if (!*has_van || !*has_tot || period_start(van) < period_end(tot))
		return 0;
	api_refuse(rq->reply, ERR_INPUT, "'van' ligt na 'tot' (%s na %s)",
	    period_format(van, a, sizeof(a)), period_format(tot, b, sizeof(b)));
	return -1;
}

/* Optional strict integer parameter: 0 absent, 1 parsed, -1 answered 400. */
int
routes_query_int(struct rq *rq, const char *key, long long min,
    long long max, long long *ret)
{
	const char *s = api_query(rq->req, key);
	struct err err = { "" };

	if (s == NULL || *s == '\0')
		return 0;
	if (num_int(s, min, max, ret, &err) == 0)
		return 1;
	err_prefix(&err, "%s: ", key);
	api_fail(rq->reply, &err);
	return -1;
}

/* Send v as JSON, or answer 500 when building it failed. */
int
routes_reply_json(struct rq *rq, json_t *v)
{
	if (v == NULL)
		return api_refuse(rq->reply, ERR_INTERNAL,
		    "onvoldoende geheugen");
	return api_json(rq->reply, 200, v);
}

/* ---- values and their public view ---- */

/* ---- response cache: series, comparisons, dashboards and charts, keyed
 * by parameters and tagged with what they were built from, so an ingest
 * makes only the entries it touched miss (stamp_hook) ---- */

typedef int (*routes_build_fn)(struct rq *rq, void *arg);

static void
value_release(void *v)
{
	cache_value_release(v);
}

static void
cache_headers(struct rq *rq, const struct cache_value *v)
{
	if (v != NULL)
		snprintf(rq->reply->etag, sizeof(rq->reply->etag), "%s",
		    v->etag);
	snprintf(rq->reply->cache_control, sizeof(rq->reply->cache_control),
	    "no-cache");
}

void
routes_depend(struct rq *rq, const char *fmt, ...)
{
	va_list ap;
	int	n;

	if (rq->ntags == ROUTES_MAX_TAGS)
		return;
	va_start(ap, fmt);
	n = vsnprintf(rq->tags[rq->ntags], ROUTES_TAG_SIZE, fmt, ap);
	va_end(ap);
	/* Once: the families of a rate's noemers repeat its own (the six
	 * treden of pl_trede_1's noemer are its family), and 49 tags would
	 * overflow into "*", an answer every upload drops. */
	for (size_t i = 0; n >= 0 && i < rq->ntags; i++)
		if (strcmp(rq->tags[i], rq->tags[rq->ntags]) == 0 ||
		    strcmp(rq->tags[i], "*") == 0)
			return;
	/* A tag cut short would never be stamped: depend on everything. */
	if (n < 0 || n >= ROUTES_TAG_SIZE || rq->ntags == ROUTES_MAX_TAGS - 1) {
		snprintf(rq->tags[0], ROUTES_TAG_SIZE, "*");
		rq->ntags = 1;
		return;
	}
	rq->ntags++;
}

/* An answer with values of ind depends on its whole disclosure family
 * (domain §3.5): a feed of another member can withhold one of them (a
 * small duurklasse 7 takes duurklasse 6 out of every output), and a
 * cached answer that kept showing it gave the small one away. */
void
routes_depend_family(struct rq *rq, const struct indicator *ind)
{
	struct publish_family f;

	publish_family(rq->snap->cat, ind, &f);
	for (size_t i = 0; i < f.n; i++)
		routes_depend(rq, "i:%s", f.m[i]->id);
}

void
routes_depend_indicator(struct rq *rq, const struct indicator *ind)
{
	routes_depend_family(rq, ind);
	for (size_t i = 0; ind->vergelijk != NULL &&
	    i < CAT_VERGELIJK_NOEMERS && ind->vergelijk->noemer[i] != NULL;
	    i++) {
		const struct indicator *n = catalog_find(rq->snap->cat,
		    ind->vergelijk->noemer[i]);

		if (n != NULL)
			routes_depend_family(rq, n);
		else
			routes_depend(rq, "i:%s", ind->vergelijk->noemer[i]);
	}
}

void
routes_depend_features(struct rq *rq)
{
	const struct conf_words *f = &app_conf(rq->app)->peer_features;

	for (int i = 0; i < f->n; i++)
		routes_depend(rq, "i:%s", f->w[i]);
}

/* A change of the ledger nobody stamped (basisctl ingest or rebuild
 * beside the daemon, a write without hooks): the data version moved past
 * the cache's mark while no feed is being ingested here (during one, the
 * hook is about to stamp it), so everything cached is stale. */
static void
notice_outside_writes(struct rq *rq, struct cache *c)
{
	long long ver = app_data_version(rq->app, rq->led);
	struct app_stats st;

	if (ver <= 0 || (uint64_t)ver <= cache_mark(c))
		return;
	app_stats(rq->app, &st);
	if (st.queued == 0) {
		app_sync_values(rq->app, rq->led);
		cache_stamp_all(c, (uint64_t)ver);
	}
}

/* Answer with a cache value: the reply takes over our reference and
 * gives it back once sent (a chart is 100+ kB, never copied). */
static int
lend_value(struct rq *rq, const struct cache_value *v, int gz)
{
	cache_headers(rq, v);
	if (gz)
		snprintf(rq->reply->content_encoding,
		    sizeof(rq->reply->content_encoding), "gzip");
	return api_reply_lend(rq->reply, 200, v->content_type, v->data,
	    v->len, value_release, (void *)(uintptr_t)v);
}

/* The gzip variant of v, stored beside it under key + "|gz" (a suffix, so
 * invalidating a key prefix drops both) with v's tags and version, so it
 * goes stale with v: compressed once, not per hit. NULL when it does not
 * pay (then the identity body is sent). */
static const struct cache_value *
gzip_variant(struct cache *c, const char *key, const struct cache_value *v)
{
	char	gzkey[600];
	const struct cache_value *z;
	unsigned char *data;
	size_t	len = 0;

	if (snprintf(gzkey, sizeof(gzkey), "%s|gz", key) >= (int)sizeof(gzkey))
		return NULL;
	if ((z = cache_get(c, gzkey, v->version)) != NULL)
		return z;
	if ((data = gzip_compress(v->data, v->len, &len)) == NULL)
		return NULL;
	z = cache_put_beside(c, gzkey, v, data, len);
	free(data);
	return z;
}

static int
want_gzip(const struct rq *rq, const struct cache_value *v)
{
	return api_compressible(v->content_type) && v->len >= GZIP_MIN_SIZE &&
	    gzip_accepted(rq->req->accept_encoding);
}

/* Build on a miss and store the answer with the tags the handler and
 * build declared (routes_depend; none: every change). */
static const struct cache_value *
build_and_put(struct rq *rq, struct cache *c, const char *key,
    routes_build_fn build, void *arg, int *ret_rc)
{
	const char *tags[ROUTES_MAX_TAGS];
	uint64_t mark = cache_mark(c);

	if ((*ret_rc = build(rq, arg)) != 0 || rq->reply->status != 200)
		return NULL;
	if (rq->ntags == 0)
		routes_depend(rq, "*");
	for (size_t i = 0; i < rq->ntags; i++)
		tags[i] = rq->tags[i];
	return cache_put_tagged(c, key, mark, tags, rq->ntags,
	    rq->reply->content_type, rq->reply->body, rq->reply->len);
}

int
routes_cached(struct rq *rq, const char *key, routes_build_fn build, void *arg)
{
	struct cache *c = app_cache(rq->app);
	const struct cache_value *v, *z;
	int	rc = 0;

	notice_outside_writes(rq, c);
	if ((v = cache_get(c, key, 0)) == NULL) {
		if ((v = build_and_put(rq, c, key, build, arg, &rc)) == NULL)
			return rc;
		cache_headers(rq, v);
		if (!want_gzip(rq, v) || (z = gzip_variant(c, key, v)) == NULL) {
			/* the built body goes out as it is */
			cache_value_release(v);
			return 0;
		}
	} else if (!want_gzip(rq, v) || (z = gzip_variant(c, key, v)) == NULL) {
		return lend_value(rq, v, 0);
	}
	cache_value_release(v);
	return lend_value(rq, z, 1);
}

/* The cache key of this request: kind, path (gemeente, indicator,
 * extension) and every query parameter the route declares (api_dispatch
 * drops the others). A key longer than size (a long but valid query, up
 * to max_url) is kind plus the SHA-256 of the whole text: as unique, and
 * bounded. -1 after answering 500. */
int
routes_query_key(struct rq *rq, const char *kind, char *key, size_t size)
{
	struct buf b = { 0 };
	char	n[32], hash[AUTH_SHA256_SIZE];
	int	rc = 0;

	/* Length-prefixed parts: "a=b|c" and "a=b" + "|c" cannot collide. */
	buf_add(&b, kind, strlen(kind));
	buf_add(&b, "|", 1);
	buf_add(&b, rq->req->path, strlen(rq->req->path));
	for (size_t i = 0; i < rq->req->nquery; i++) {
		const struct api_kv *q = &rq->req->query[i];

		snprintf(n, sizeof(n), "|%zu:", strlen(q->key));
		buf_add(&b, n, strlen(n));
		buf_add(&b, q->key, strlen(q->key));
		snprintf(n, sizeof(n), "=%zu:", strlen(q->value));
		buf_add(&b, n, strlen(n));
		buf_add(&b, q->value, strlen(q->value));
	}
	if (b.failed) {
		rc = -1;
		api_refuse(rq->reply, ERR_INTERNAL, "onvoldoende geheugen");
	} else if (b.len < size) {
		memcpy(key, b.data, b.len + 1);
	} else {
		auth_sha256_hex(b.data, b.len, hash);
		snprintf(key, size, "%s|sha256:%s", kind, hash);
	}
	free(b.data);
	return rc;
}

/* ---- wiring ---- */

static const struct api_route data_routes[] = {
	{ "GET", "/api/v1/indicators", routes_h_indicators, "indicators",
	    "Alle indicatoren van de catalogus, met thema's", 0, "excel",
	    NULL },
	{ "GET", "/api/v1/indicators.csv", routes_h_indicators, "indicators_csv",
	    "De catalogus als CSV", 0, "excel", NULL },
	{ "GET", "/api/v1/indicators/{id}", routes_h_indicator, "indicator",
	    "Eén indicator: definitie, eenheid, berekening, kanttekeningen", 0,
	    NULL, NULL },
	{ "GET", "/api/v1/gemeenten", routes_h_gemeenten, "gemeenten",
	    "Alle gemeenten met provincie, inwoners en grootteklasse", 0,
	    NULL, NULL },
	{ "GET", "/api/v1/gemeenten.csv", routes_h_gemeenten, "gemeenten_csv",
	    "Alle gemeenten als CSV", 0, "excel", NULL },
	{ "GET", "/api/v1/gemeenten/{gm}", routes_h_gemeente, "gemeente",
	    "Eén gemeente met groepen en herindelingen", 0, NULL, NULL },
	{ "GET", "/api/v1/gemeenten/{gm}/vergelijkbaar", routes_h_vergelijkbaar,
	    "vergelijkbaar", "De k meest vergelijkbare gemeenten, met "
	    "kenmerken en afstanden", 0, "k", NULL },
	{ "GET", "/api/v1/groepen", routes_h_groepen, "groepen",
	    "Vergelijkingsgroepen en hun gemeenten", 0, NULL, NULL },
	{ "GET", "/api/v1/series/{gm}/{id}", routes_h_series, "series",
	    "Reeks van een gemeente: waarden, teller, noemer, status", 0,
	    "van,tot,per,herindeling,zoals_op", NULL },
	{ "GET", "/api/v1/series/{gm}/{id}.csv", routes_h_series, "series_csv",
	    "Reeks van een gemeente als "
	        "CSV", 0, "van,tot,per,herindeling,zoals_op,excel",
	    NULL },
	{ "GET", "/api/v1/vergelijk/{id}", routes_h_vergelijk, "vergelijk",
	    "Landelijke vergelijking: rangorde, percentielen, groepcijfer", 0,
	    "periode,groep,als,zoals_op", NULL },
	{ "GET", "/api/v1/vergelijk/{id}.csv", routes_h_vergelijk, "vergelijk_csv",
	    "Landelijke vergelijking als CSV", 0,
	    "periode,groep,als,zoals_op,excel",
	    NULL },
	{ "GET", "/api/v1/dashboard/{gm}", routes_h_dashboard, "dashboard",
	    "Alle tegels van het gemeentedashboard in één antwoord", 0, NULL,
	    NULL },
	{ "GET", "/api/v1/getal", routes_h_getal, "getal",
	    "Een getal zoals het getypt is (38.000, 12,5), gelezen als in een "
	    "levering", 0, "tekst", NULL },
	{ "GET", "/api/v1/kern/{gm}", routes_h_kern, "kern",
	    "Kern van het dashboard: uitstroom, escalaties voorkomen en "
	    "participatie per jaar tegen de genoemde vergelijkbare gemeenten",
	    0, NULL, NULL },
	{ "GET", "/api/v1/benchmark/uitstroom/{gm}", routes_h_uitstroom_benchmark,
	    "benchmark_uitstroom", "Uitstroom tegen business as usual, met "
	    "schadelastbeperking", 0, "jaar,methode,kolom,terugval,bedrag,"
	    "kosten,overige,toerekening,aandeel,schatten", NULL },
	{ "GET", "/chart/{gm}/{id}.svg", routes_h_series_chart, "chart_svg",
	    "Trendgrafiek (SVG): gemeente, mediaan en band van de groep, "
	    "Nederland", 0, "van,tot,groep,w,h", NULL },
	{ "GET", "/chart/{gm}/{id}.png", routes_h_series_chart, "chart_png",
	    "Trendgrafiek als PNG", 0, "van,tot,groep,w,h", NULL },
	{ "GET", "/chart/vergelijk/{id}.svg", routes_h_vergelijk_chart,
	    "chart_vergelijk", "Rangorde van alle gemeenten van een groep "
	    "(SVG)", 0, "periode,groep,als,markeer,w,h", NULL },
	{ "GET", "/chart/kaart/{id}.svg", routes_h_map_chart, "chart_kaart",
	    "Kaart van de gemeenten van een groep, gekleurd naar hun "
	    "gepubliceerde waarde (SVG)", 0, "periode,groep,als,markeer,w", NULL },
	{ "POST", "/api/v1/feeds", routes_h_feeds_post, "feeds_post",
	    "Een levering (CSV) insturen", API_BODY | API_TOKEN | API_ASYNC,
	    "partial,naam,proef", "text/csv" },
	{ "GET", "/api/v1/feeds/{fid}", routes_h_feeds_get, "feeds_get",
	    "Het rapport van een levering", API_TOKEN, NULL, NULL },
	{ "GET", "/api/v1/feeds/afgewezen", routes_h_feeds_rejected,
	    "feeds_afgewezen", "Afgekeurde en geweigerde leveringen met hun "
	    "rapport (beheer)", API_TOKEN, NULL, NULL },
	{ "DELETE", "/api/v1/series/{gm}/{id}/{periode}",
	    routes_h_series_withdraw, "series_intrekken", "Een waarde "
	    "intrekken (token met rol beheer): de geschiedenis blijft",
	    API_TOKEN, "toelichting", NULL },
};

/* The API_TOKEN check, once per request and before any pooled resource
 * is taken (app.h: lock and pool order): the token's id, role and scope
 * go into req->auth for the handler. A refused token is logged at info
 * (who tried what), without the token itself. */
static int
authorize(void *arg, const struct api_request *req,
    const struct api_route *route, struct api_reply *reply)
{
	struct ledger_token tok;
	struct err err = { "" };
	struct api_auth *a = req->auth;

	if (app_authenticate(arg, req->authorization, &tok, &err) == 0) {
		a->token_id = tok.id;
		snprintf(a->naam, sizeof(a->naam), "%s", tok.naam);
		a->rol = tok.rol;
		snprintf(a->scope, sizeof(a->scope), "%s", tok.gemeenten);
		return 0;
	}
	log_info("toegang geweigerd: %s %s van %s: %s", req->method,
	    route->name, req->client_addr ? req->client_addr : "?", err.msg);
	snprintf(reply->www_authenticate, sizeof(reply->www_authenticate),
	    "Bearer realm=\"basisd\"");
	api_fail(reply, &err);
	return -1;
}

static int
health(void *arg, struct err *err)
{
	return app_health(arg, err);
}

/* /metrics readers of app and cache counters. */
#define STAT_FN(name, expr)                                                \
	static double name(void *arg)                                      \
	{                                                                  \
		struct app_stats s;                                        \
		struct cache_stats c;                                      \
		app_stats(arg, &s);                                        \
		cache_stats(app_cache(arg), &c);                           \
		(void)s;                                                   \
		(void)c;                                                   \
		return (double)(expr);                                     \
	}
STAT_FN(m_accepted, s.feeds_accepted)
STAT_FN(m_rejected, s.feeds_rejected)
STAT_FN(m_duplicate, s.feeds_duplicate)
STAT_FN(m_rows, s.rows_stored)
STAT_FN(m_queued, s.queued)
STAT_FN(m_hits, c.hits)
STAT_FN(m_misses, c.misses)
STAT_FN(m_bytes, c.bytes)
STAT_FN(m_last_ingest, s.last_ingest)
#undef STAT_FN

/* /metrics readers of the values in memory. */
#define MEM_FN(name, field)                                                \
	static double name(void *arg)                                      \
	{                                                                  \
		struct obsmem_stats m;                                     \
		obsmem_stats(app_obsmem(arg), &m);                         \
		return (double)m.field;                                    \
	}
MEM_FN(m_mem_values, values)
MEM_FN(m_mem_bytes, bytes)
MEM_FN(m_mem_fallbacks, fallbacks)
#undef MEM_FN

/* Sizes on disk under the state directory: the ledger with its WAL, and
 * every RRD file (a walk of one file per series: ~20 ms for the national
 * demo, once per scrape). */
static double
m_ledger_bytes(void *arg)
{
	static const char *const files[] = { "basis.db", "basis.db-wal" };
	char	path[CONF_PATH_SIZE + 32];
	long long sum = 0, n;

	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		snprintf(path, sizeof(path), "%s/%s",
		    app_conf(arg)->state_dir, files[i]);
		if ((n = du_bytes(path)) < 0)
			return -1;
		sum += n;
	}
	return (double)sum;
}

static double
m_rrd_bytes(void *arg)
{
	char	path[CONF_PATH_SIZE + 8];

	snprintf(path, sizeof(path), "%s/rrd", app_conf(arg)->state_dir);
	return (double)du_bytes(path);
}

static const struct {
	const char *name, *help, *type;
	double	(*fn)(void *);
} metric_table[] = {
	{ "basisd_feeds_accepted_total", "Aanvaarde leveringen", "counter",
	    m_accepted },
	{ "basisd_feeds_rejected_total", "Afgekeurde of geweigerde "
	    "leveringen", "counter", m_rejected },
	{ "basisd_feeds_duplicate_total", "Leveringen die al ontvangen waren",
	    "counter", m_duplicate },
	{ "basisd_rows_stored_total", "Opgeslagen nieuwe of herziene waarden",
	    "counter", m_rows },
	{ "basisd_feeds_waiting", "Leveringen die worden ingelezen of op de "
	    "schrijver wachten", "gauge", m_queued },
	{ "basisd_cache_hits_total", "Treffers in de antwoordcache",
	    "counter", m_hits },
	{ "basisd_cache_misses_total", "Missers in de antwoordcache",
	    "counter", m_misses },
	{ "basisd_cache_bytes", "Bytes in de antwoordcache", "gauge",
	    m_bytes },
	{ "basisd_last_ingest_timestamp_seconds", "Tijdstip van de laatste "
	    "opgeslagen levering (Unix-tijd; 0: nog geen)", "gauge",
	    m_last_ingest },
	{ "basisd_values_in_memory", "Huidige waarden van het grootboek in "
	    "het geheugen", "gauge", m_mem_values },
	{ "basisd_values_in_memory_bytes", "Bytes van de waarden in het "
	    "geheugen", "gauge", m_mem_bytes },
	{ "basisd_values_in_memory_fallbacks_total", "Lezingen die naar het "
	    "grootboek gingen omdat het geheugen niet bij was", "counter",
	    m_mem_fallbacks },
	{ "basisd_ledger_bytes", "Grootte van het grootboek op schijf "
	    "(met WAL)", "gauge", m_ledger_bytes },
	{ "basisd_rrd_bytes", "Grootte van alle RRD-bestanden op schijf",
	    "gauge", m_rrd_bytes },
};

/* After-ingest hook (arg = the cache): stamp what a commit touched with
 * its data version, so the cached answers built from it miss and nothing
 * else does. Registered after the band hook, so a chart built between
 * the two reads the new bands. A commit that skipped versions (another
 * process wrote in between) or a failed stamp drops everything. */
static void
stamp_hook(void *arg, struct ingest_ctx *ctx, const struct ledger_commit *commit)
{
	struct cache *c = arg;
	long long ver = ledger_data_version(ctx->led);
	uint64_t prev = cache_mark(c);
	char	tag[ROUTES_TAG_SIZE];
	int	rc = 0;

	if (ver <= 0)
		return;
	for (size_t i = 0; i < commit->ntouched; i++) {
		const struct ledger_key *k = &commit->touched[i];

		snprintf(tag, sizeof(tag), "i:%s", k->indicator);
		rc |= cache_stamp(c, tag, (uint64_t)ver);
		snprintf(tag, sizeof(tag), "g:%s", k->gemeente);
		rc |= cache_stamp(c, tag, (uint64_t)ver);
		snprintf(tag, sizeof(tag), "gi:%s|%s", k->gemeente,
		    k->indicator);
		rc |= cache_stamp(c, tag, (uint64_t)ver);
	}
	rc |= cache_stamp(c, "*", (uint64_t)ver);
	if (rc != 0 || (prev != 0 && (uint64_t)ver != prev + 1))
		cache_stamp_all(c, (uint64_t)ver);
}

int
routes_install(struct api_ctx *ctx, struct app *app, struct err *err)
{
	struct ledger *led;
	long long ver;

	/* The cache starts at the current data version, so the first commit
	 * here is seen as the next one, not as an outside write. */
	if ((led = app_reader_get(app, err)) == NULL)
		return -1;
	ver = app_data_version(app, led);
	app_reader_put(app, led);
	if (ver > 0)
		cache_stamp_all(app_cache(app), (uint64_t)ver);
	if (app_add_hook(app, stamp_hook, app_cache(app)) == -1)
		return err_set(err, "te veel hooks");
	ctx->app = app;
	ctx->health = health;
	ctx->health_arg = app;
	ctx->authorize = authorize;
	ctx->authorize_arg = app;
	if (api_ctx_add_public_routes(ctx, data_routes, sizeof(data_routes) /
	    sizeof(*data_routes)) == -1)
		return err_set(err, "te veel routetabellen");
	for (size_t i = 0; i < sizeof(metric_table) / sizeof(*metric_table);
	     i++)
		if (metrics_func(ctx->metrics, metric_table[i].name,
		    metric_table[i].help, metric_table[i].type,
		    metric_table[i].fn, app) == -1)
			return err_set(err, "metriek %s", metric_table[i].name);
	return 0;
}

void
routes_uninstall(struct api_ctx *ctx)
{
	if (ctx != NULL)
		ctx->app = NULL;
}
