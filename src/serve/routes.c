/* src/serve/routes.c — the data API (doc/api.md): reference data, series,
 * comparisons, the gemeente dashboard, the uitstroom benchmark and feed
 * upload. Each handler borrows the current catalogue snapshot and a read
 * connection for the duration of one request; writes go through app. */
#include "config.h"

#include <math.h>
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
#include "base/log.h"
#include "serve/routes.h"

/* One request's borrowed state. */
struct rq {
	struct app *app;
	struct app_snapshot *snap;
	struct ledger *led;
	const struct api_request *req;
	const struct api_params *params;
	struct api_reply *reply;
	struct metrics *metrics;
	int	csv;		/* ".csv" variant asked for */
	int	excel;		/* ?excel=1 */
};

typedef int (*rq_fn)(struct rq *);

static int
run(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply, rq_fn fn)
{
	struct rq rq = { .app = ctx->app, .req = req, .params = params,
		.reply = reply, .metrics = ctx->metrics };
	const char *excel = api_query(req, "excel");
	struct err err = { "" };
	int	rc;

	rq.csv = strcmp(params->ext, "csv") == 0;
	rq.excel = excel != NULL && strcmp(excel, "1") == 0;
	if ((rq.led = app_reader_get(rq.app, &err)) == NULL)
		return api_error(reply, 500, err.msg, NULL);
	rq.snap = app_snapshot_get(rq.app);
	rc = fn(&rq);
	app_snapshot_put(rq.app, rq.snap);
	app_reader_put(rq.app, rq.led);
	return rc;
}

#define HANDLER(fn)                                                        \
	static int h_##fn(struct api_ctx *c, const struct api_request *r,  \
	    const struct api_params *p, struct api_reply *y)               \
	{                                                                  \
		return run(c, r, p, y, fn);                                \
	}

/* Where the query module reads from: this request's connection and
 * snapshot. */
static void
rq_src(struct rq *rq, struct band_src *ret)
{
	*ret = (struct band_src){ .led = rq->led, .cat = rq->snap->cat,
		.reg = rq->snap->reg, .store = app_store(rq->app),
		.k = (size_t)app_conf(rq->app)->peers_k,
		.features = &app_conf(rq->app)->peer_features };
}

/* ---- lookups that answer 404/400 themselves (return NULL / -1) ---- */

static const struct gemeente *
want_gemeente(struct rq *rq)
{
	const char *key = api_param(rq->params, "gm");
	const struct gemeente *g = key ? register_find(rq->snap->reg, key) :
	    NULL;
	char	msg[160];

	if (g == NULL) {
		snprintf(msg, sizeof(msg), "onbekende gemeente '%s'",
		    key ? key : "");
		api_error(rq->reply, 404, msg, NULL);
	}
	return g;
}

static const struct indicator *
want_indicator(struct rq *rq)
{
	const char *id = api_param(rq->params, "id");
	const struct indicator *ind = id ? catalog_find(rq->snap->cat, id) :
	    NULL;
	char	msg[160];

	if (ind == NULL) {
		snprintf(msg, sizeof(msg), "onbekende indicator '%s'",
		    id ? id : "");
		api_error(rq->reply, 404, msg, NULL);
	}
	return ind;
}

/* Optional period query parameter: 0 absent, 1 parsed, -1 answered 400. */
static int
query_period(struct rq *rq, const char *key, struct period *ret)
{
	const char *s = api_query(rq->req, key);
	struct err err = { "" };
	char	msg[600];

	if (s == NULL || *s == '\0')
		return 0;
	if (period_parse(s, ret, &err) == 0)
		return 1;
	snprintf(msg, sizeof(msg), "%s: %s", key, err.msg);
	api_error(rq->reply, 400, msg, NULL);
	return -1;
}

/* Send v as JSON, or answer 500 when building it failed. */
static int
reply_json(struct rq *rq, json_t *v)
{
	if (v == NULL)
		return api_error(rq->reply, 500, "onvoldoende geheugen", NULL);
	return api_json(rq->reply, 200, v);
}

/* ---- reference data ---- */

static int
indicators_csv(struct rq *rq)
{
	static const char *const head[] = { "id", "naam", "groep", "eenheid",
		"soort", "meting", "periode", "teller", "noemer", "richting",
		"min_n", "bron" };
	struct api_csv csv;

	api_csv_init(&csv, rq->excel);
	for (size_t i = 0; i < sizeof(head) / sizeof(*head); i++)
		api_csv_str(&csv, head[i]);
	api_csv_end_row(&csv);
	for (size_t i = 0; i < rq->snap->cat->n; i++) {
		const struct indicator *d = &rq->snap->cat->items[i];
		const char *cells[] = { d->id, d->naam, d->groep, d->eenheid,
			catalog_soort_name(d->soort),
			catalog_meting_name(d->meting),
			period_kind_name(d->periode), d->teller, d->noemer,
			catalog_richting_name(d->richting) };

		for (size_t j = 0; j < sizeof(cells) / sizeof(*cells); j++)
			api_csv_str(&csv, cells[j]);
		api_csv_num(&csv, d->min_n, 0);
		api_csv_str(&csv, d->bron);
		api_csv_end_row(&csv);
	}
	return api_csv_reply(&csv, rq->reply, "indicatoren.csv");
}

static int
indicators(struct rq *rq)
{
	json_t *o, *arr;

	if (rq->csv)
		return indicators_csv(rq);
	o = json_object();
	arr = json_array();
	for (size_t i = 0; i < rq->snap->cat->n; i++)
		json_push(arr, view_indicator(&rq->snap->cat->items[i]));
	json_put(o, "indicatoren", arr);
	json_put(o, "themas", view_themes());
	return reply_json(rq, o);
}
HANDLER(indicators)

static int
indicator(struct rq *rq)
{
	const struct indicator *ind = want_indicator(rq);

	return ind ? reply_json(rq, view_indicator(ind)) : 0;
}
HANDLER(indicator)

static int
gemeenten_csv(struct rq *rq)
{
	const struct reg *reg = rq->snap->reg;
	struct api_csv csv;

	api_csv_init(&csv, rq->excel);
	api_csv_str(&csv, "code");
	api_csv_str(&csv, "naam");
	api_csv_str(&csv, "provincie");
	api_csv_str(&csv, "inwoners");
	api_csv_str(&csv, "grootteklasse");
	api_csv_end_row(&csv);
	for (size_t i = 0; i < reg->nactief; i++) {
		api_csv_str(&csv, reg->gemeenten[i].code);
		api_csv_str(&csv, reg->gemeenten[i].naam);
		api_csv_str(&csv, reg->gemeenten[i].provincie);
		api_csv_num(&csv, (double)reg->gemeenten[i].inwoners, 0);
		api_csv_num(&csv, reg->gemeenten[i].grootteklasse, 0);
		api_csv_end_row(&csv);
	}
	return api_csv_reply(&csv, rq->reply, "gemeenten.csv");
}

static int
gemeenten(struct rq *rq)
{
	const struct reg *reg = rq->snap->reg;
	json_t *o, *arr;

	if (rq->csv)
		return gemeenten_csv(rq);
	o = json_object();
	arr = json_array();
	for (size_t i = 0; i < reg->nactief; i++)
		json_push(arr, view_gemeente(&reg->gemeenten[i]));
	json_put(o, "gemeenten", arr);
	json_put_str(o, "bron", "CBS-gemeentecodes en -namen 2025; inwoners "
	    "bij benadering (zie doc/bronnen.md)");
	return reply_json(rq, o);
}
HANDLER(gemeenten)

static int
gemeente(struct rq *rq)
{
	const struct gemeente *g = want_gemeente(rq);
	json_t *o;

	if (g == NULL)
		return 0;
	o = view_gemeente(g);
	json_put(o, "groepen", view_groups_of(rq->snap->reg, g));
	json_put(o, "herindelingen", view_herindelingen(rq->snap->reg, g));
	return reply_json(rq, o);
}
HANDLER(gemeente)

/* Every standard group id: alle, grootteklassen, provincies, groepen.ini. */
static size_t
standard_groups(const struct reg *reg, char (*ids)[96], size_t max)
{
	size_t	n = 0;
	char	prov[64];

	snprintf(ids[n++], 96, "alle");
	for (int k = 1; k <= REGISTER_NKLASSEN && n < max; k++)
		snprintf(ids[n++], 96, "grootteklasse-%d", k);
	for (size_t i = 0; i < reg->nactief && n < max; i++) {
		size_t	j;

		compare_provincie_id(reg->gemeenten[i].provincie, prov,
		    sizeof(prov));
		snprintf(ids[n], 96, "provincie-%s", prov);
		for (j = 0; j < n && strcmp(ids[j], ids[n]) != 0; j++)
			;
		n += j == n;
	}
	for (size_t i = 0; i < reg->ng && n < max; i++)
		snprintf(ids[n++], 96, "%s", reg->groepen[i].id);
	return n;
}

static int
groepen(struct rq *rq)
{
	char	ids[64][96];
	size_t	n = standard_groups(rq->snap->reg, ids, 64);
	json_t *o = json_object(), *arr = json_array();
	struct err err = { "" };

	for (size_t i = 0; i < n; i++) {
		struct compare_groep g;

		if (compare_groep_resolve(rq->snap->reg, ids[i], &g, &err) ==
		    -1)
			continue;
		json_push(arr, view_groep(rq->snap->reg, &g));
		compare_groep_free(&g);
	}
	json_put(o, "groepen", arr);
	return reply_json(rq, o);
}
HANDLER(groepen)

/* ---- values and their public view ---- */

/* ---- response cache: series, comparisons and charts, keyed by
 * parameters and the ledger's data version, so an ingest makes old
 * entries miss ---- */

typedef int (*build_fn)(struct rq *rq, void *arg);

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

static int
cached(struct rq *rq, const char *key, build_fn build, void *arg)
{
	struct cache *c = app_cache(rq->app);
	uint64_t ver = (uint64_t)app_data_version(rq->app, rq->led);
	const struct cache_value *v = cache_get(c, key, ver);
	int	rc;

	if (v == NULL) {
		if ((rc = build(rq, arg)) != 0 || rq->reply->status != 200)
			return rc;
		v = cache_put(c, key, ver, rq->reply->content_type,
		    rq->reply->body, rq->reply->len);
		cache_headers(rq, v);
		cache_value_release(v);
		return 0;
	}
	/* A hit is sent from the cache's own bytes (a chart is 100+ kB):
	 * the reply takes over our reference and gives it back once sent. */
	cache_headers(rq, v);
	return api_reply_lend(rq->reply, 200, v->content_type, v->data,
	    v->len, value_release, (void *)(uintptr_t)v);
}

/* The cache key of this request: kind, path (gemeente, indicator,
 * extension) and every query parameter. -1 after answering 400. */
static int
query_key(struct rq *rq, const char *kind, char *key, size_t size)
{
	size_t	o = (size_t)snprintf(key, size, "%s|%s", kind, rq->req->path);

	for (size_t i = 0; i < rq->req->nquery && o < size; i++)
		o += (size_t)snprintf(key + o, size - o, "|%s=%s",
		    rq->req->query[i].key, rq->req->query[i].value);
	if (o < size)
		return 0;
	api_error(rq->reply, 400, "te lange zoekvraag", NULL);
	return -1;
}

/* Parse van, tot, per; -1 when a 400 was answered. */
static int
series_params(struct rq *rq, const struct indicator *ind, struct period *van,
    int *has_van, struct period *tot, int *has_tot, enum period_kind *per)
{
	const char *ps = api_query(rq->req, "per");

	if ((*has_van = query_period(rq, "van", van)) == -1 ||
	    (*has_tot = query_period(rq, "tot", tot)) == -1)
		return -1;
	*per = ind->periode;
	if (ps != NULL && *ps != '\0' && period_kind_parse(ps, per) == -1)
		return api_error(rq->reply, 400, "per: kies maand, kwartaal, "
		    "halfjaar of jaar", NULL), -1;
	if (period_months(*per) < period_months(ind->periode))
		return api_error(rq->reply, 400, "per: fijner dan de periode "
		    "waarin deze indicator wordt geleverd", NULL), -1;
	return 0;
}

static int
series_csv(struct rq *rq, const struct gemeente *g,
    const struct indicator *ind, const struct query_series *s,
    const struct period *van, const struct period *tot)
{
	static const char *const head[] = { "gemeente", "naam", "indicator",
		"periode", "waarde", "teller", "noemer", "status", "revisies",
		"onvolledig", "weergave" };
	struct api_csv csv;
	char	fname[128], pb[16], buf[64];

	api_csv_init(&csv, rq->excel);
	for (size_t i = 0; i < sizeof(head) / sizeof(*head); i++)
		api_csv_str(&csv, head[i]);
	api_csv_end_row(&csv);
	for (size_t i = 0; i < s->n; i++) {
		struct compare_row row;

		if (!query_in_range(&s->v[i].periode, van, tot) ||
		    view_public(ind, &s->v[i], &row) == -1)
			continue;
		api_csv_str(&csv, g->code);
		api_csv_str(&csv, g->naam);
		api_csv_str(&csv, ind->id);
		api_csv_str(&csv, period_format(&s->v[i].periode, pb,
		    sizeof(pb)));
		api_csv_num(&csv, row.waarde, -1);
		api_csv_num(&csv, row.teller, -1);
		api_csv_num(&csv, row.noemer, -1);
		api_csv_str(&csv, validate_status_name(s->v[i].status));
		api_csv_num(&csv, s->revs ? s->revs[i] : NAN, 0);
		api_csv_str(&csv, s->v[i].onvolledig ? "ja" : "nee");
		api_csv_str(&csv, row.onderdrukt ? row.weergave :
		    view_display(ind, s->v[i].waarde, buf, sizeof(buf)));
		api_csv_end_row(&csv);
	}
	snprintf(fname, sizeof(fname), "%s-%s.csv", g->code, ind->id);
	return api_csv_reply(&csv, rq->reply, fname);
}

static int
series_build(struct rq *rq, void *arg)
{
	const struct gemeente *g = arg;
	const struct indicator *ind = want_indicator(rq);
	const char *hq = api_query(rq->req, "herindeling");
	int	merged = hq != NULL && strcmp(hq, "1") == 0;
	struct compare_unassigned *un = NULL;
	size_t	nun = 0;
	struct period van, tot;
	int	has_van, has_tot, rc;
	enum period_kind per;
	struct query_series s;
	struct band_src src;
	struct err err = { "" };
	json_t *o, *arr;

	if (ind == NULL || series_params(rq, ind, &van, &has_van, &tot,
	    &has_tot, &per) == -1)
		return 0;
	rq_src(rq, &src);
	if ((merged ? query_series_merged(&src, ind, g->code, per, &s, &un,
	    &nun, &err) : query_series_load(rq->led, ind, g->code, per, &s,
	    &err)) == -1)
		return api_error(rq->reply, 500, err.msg, NULL);
	if (rq->csv) {
		rc = series_csv(rq, g, ind, &s, has_van ? &van : NULL,
		    has_tot ? &tot : NULL);
		query_series_free(&s);
		free(un);
		return rc;
	}
	o = json_object();
	arr = json_array();
	for (size_t i = 0; i < s.n; i++)
		if (query_in_range(&s.v[i].periode, has_van ? &van : NULL,
		    has_tot ? &tot : NULL))
			json_push(arr, view_value(ind, &s.v[i],
			    s.revs ? s.revs[i] : -1));
	json_put(o, "gemeente", view_gemeente_brief(g));
	json_put(o, "indicator", view_indicator_brief(ind));
	json_put_str(o, "per", period_kind_name(per));
	json_put_bool(o, "synthetisch", s.synthetisch);
	if (merged)
		json_put(o, "herindeling", view_unassigned(un, nun));
	json_put(o, "waarden", arr);
	query_series_free(&s);
	free(un);
	return reply_json(rq, o);
}

/* JSON is cached like the charts (the dashboard asks for the same series
 * over and over); CSV downloads carry a Content-Disposition the cache does
 * not keep, and are rare. */
static int
series(struct rq *rq)
{
	const struct gemeente *g = want_gemeente(rq);
	char	key[512];

	if (g == NULL)
		return 0;
	if (rq->csv)
		return series_build(rq, (void *)g);
	if (query_key(rq, "series", key, sizeof(key)) == -1)
		return 0;
	return cached(rq, key, series_build, (void *)g);
}
HANDLER(series)

/* ---- cross-sections, groups and peers ---- */

/* ---- landelijke vergelijking ---- */

/* Compute a comparison from the query (periode, groep). Answers
 * 400/404/500 itself and returns 1; 0 when v is filled. */
static int
vgl_compute(struct rq *rq, const struct indicator *ind, struct query_vgl *v)
{
	const char *gid = api_query(rq->req, "groep");
	struct band_src src;
	struct period p;
	struct err err = { "" };
	int	has, rc;

	memset(v, 0, sizeof(*v));
	if ((has = query_period(rq, "periode", &p)) == -1)
		return 1;
	if (has && period_months(p.kind) < period_months(ind->periode))
		return api_error(rq->reply, 400, "periode: fijner dan de periode "
		    "waarin deze indicator wordt geleverd", NULL), 1;
	rq_src(rq, &src);
	rc = query_vgl(&src, ind, has ? &p : NULL, gid && *gid ? gid : "alle",
	    v, &err);
	if (rc != 0)
		api_error(rq->reply, rc == 1 ? 404 : 500, err.msg, NULL);
	return rc != 0;
}

static json_t *
vgl_json(const struct reg *reg, const struct query_vgl *v)
{
	const struct compare_row **rows = view_ranked(&v->res);
	json_t *o = json_object(), *g = json_object(), *pct = json_object();
	json_t *arr = json_array();
	static const char *const pk[] = { "p10", "p25", "p50", "p75", "p90" };
	char	pb[16];

	json_put(o, "indicator", view_indicator(v->ind));
	json_put_str(o, "periode", period_format(&v->periode, pb, sizeof(pb)));
	json_put_bool(o, "synthetisch", v->synthetisch);
	json_put_str(g, "id", v->groep.id);
	json_put_str(g, "naam", v->groep.naam);
	json_put_int(g, "leden", (long long)v->groep.n);
	json_put(o, "groep", g);
	json_put(o, "groepcijfer", view_aggregate(v->ind, &v->res));
	json_put(o, "landelijk", view_aggregate(v->ind, &v->land));
	for (int i = 0; i < COMPARE_NPCT; i++)
		json_put(pct, pk[i], view_num(v->res.pct[i]));
	json_put(o, "percentielen", pct);
	json_put_bool(o, "rang_op_waarde", v->res.rang_op_waarde);
	for (size_t i = 0; rows && i < v->res.nrows; i++)
		json_push(arr, view_row(reg, rows[i]));
	json_put(o, "gemeenten", arr);
	free(rows);
	return o;
}

static int
vgl_csv(struct rq *rq, const struct query_vgl *v)
{
	static const char *const head[] = { "rang", "gemeente", "naam",
		"waarde", "teller", "noemer", "status", "weergave" };
	const struct compare_row **rows = view_ranked(&v->res);
	struct api_csv csv;
	char	fname[128], pb[16];

	api_csv_init(&csv, rq->excel);
	for (size_t i = 0; i < sizeof(head) / sizeof(*head); i++)
		api_csv_str(&csv, head[i]);
	api_csv_end_row(&csv);
	for (size_t i = 0; rows && i < v->res.nrows; i++) {
		const struct gemeente *g = register_find(rq->snap->reg,
		    rows[i]->gemeente);

		api_csv_num(&csv, rows[i]->rang ? rows[i]->rang : NAN, 0);
		api_csv_str(&csv, rows[i]->gemeente);
		api_csv_str(&csv, g ? g->naam : "");
		api_csv_num(&csv, rows[i]->waarde, -1);
		api_csv_num(&csv, rows[i]->teller, -1);
		api_csv_num(&csv, rows[i]->noemer, -1);
		api_csv_str(&csv, rows[i]->geleverd ?
		    validate_status_name(rows[i]->status) : "niet geleverd");
		api_csv_str(&csv, rows[i]->weergave);
		api_csv_end_row(&csv);
	}
	free(rows);
	snprintf(fname, sizeof(fname), "vergelijking-%.40s-%s-%.40s.csv",
	    v->ind->id, period_format(&v->periode, pb, sizeof(pb)),
	    v->groep.id);
	return api_csv_reply(&csv, rq->reply, fname);
}

static int
vergelijk_build(struct rq *rq, void *arg)
{
	struct query_vgl v;
	int	rc;

	if (vgl_compute(rq, arg, &v) != 0) {
		query_vgl_free(&v);
		return 0;
	}
	rc = rq->csv ? vgl_csv(rq, &v) : reply_json(rq,
	    vgl_json(rq->snap->reg, &v));
	query_vgl_free(&v);
	return rc;
}

static int
vergelijk(struct rq *rq)
{
	const struct indicator *ind = want_indicator(rq);
	char	key[512];

	if (ind == NULL)
		return 0;
	if (rq->csv)
		return vergelijk_build(rq, (void *)ind);
	if (query_key(rq, "vergelijk", key, sizeof(key)) == -1)
		return 0;
	return cached(rq, key, vergelijk_build, (void *)ind);
}
HANDLER(vergelijk)

static int
vergelijkbaar(struct rq *rq)
{
	const struct gemeente *g = want_gemeente(rq);
	const struct conf_words *fw = &app_conf(rq->app)->peer_features;
	const char *ks = api_query(rq->req, "k");
	long	k = ks ? strtol(ks, NULL, 10) : app_conf(rq->app)->peers_k;
	struct band_src src;
	struct compare_peers peers;
	struct err err = { "" };
	json_t *o, *arr, *feat, *own;

	if (g == NULL)
		return 0;
	if (k < 1 || k > 50)
		return api_error(rq->reply, 400, "k: kies 1 t/m 50", NULL);
	rq_src(rq, &src);
	src.k = (size_t)k;
	if (band_peers(&src, g->code, &peers, &err) == -1)
		return api_error(rq->reply, 422, err.msg, NULL);
	o = json_object();
	arr = json_array();
	feat = json_array();
	own = json_object();
	for (size_t j = 0; j < (size_t)fw->n; j++) {
		json_push(feat, json_string(fw->w[j]));
		json_put(own, fw->w[j], view_num(peers.anker_waarden[j]));
	}
	for (size_t i = 0; i < peers.n; i++) {
		const struct gemeente *pg = &rq->snap->reg->gemeenten[
		    peers.peers[i].index];
		json_t *p = view_gemeente_brief(pg), *w = json_object();

		json_put_num(p, "afstand", peers.peers[i].afstand);
		for (size_t j = 0; j < (size_t)fw->n; j++)
			json_put(w, fw->w[j], view_num(
			    peers.peers[i].waarden[j]));
		json_put(p, "waarden", w);
		json_push(arr, p);
	}
	json_put(o, "gemeente", view_gemeente_brief(g));
	json_put_int(o, "k", k);
	json_put(o, "kenmerken", feat);
	json_put(o, "eigen_waarden", own);
	json_put_str(o, "methode", "afstand op gestandaardiseerde kenmerken "
	    "(z-scores), zie doc/methoden.md");
	json_put(o, "vergelijkbaar", arr);
	compare_peers_free(&peers);
	return reply_json(rq, o);
}
HANDLER(vergelijkbaar)

/* ---- the gemeente dashboard: every indicator as a tile ---- */

static json_t *
point_json(const struct indicator *ind, const struct compare_period *v)
{
	return v ? view_value(ind, v, -1) : json_null();
}

/* "hoger dan 7 van de 10 vergelijkbare gemeenten" with a judgement by
 * the indicator's richting. NULL when the own value is not published. */
static json_t *
position_json(struct rq *rq, const struct indicator *ind,
    const struct compare_period *own, const struct compare_peers *peers)
{
	size_t	lower = 0, higher = 0, van = 0;
	struct compare_row row;
	struct query_xsec x;
	struct err err = { "" };
	json_t *o;
	char	tekst[160];

	if (view_public(ind, own, &row) == -1 || row.onderdrukt ||
	    query_xsec_load(rq->led, ind, &own->periode, &x, &err) == -1)
		return json_null();
	for (size_t i = 0; i < peers->n; i++) {
		const struct compare_period *v = query_xsec_find(&x,
		    peers->peers[i].gemeente);
		struct compare_row pr;

		if (v == NULL || !isfinite(v->waarde) ||
		    view_public(ind, v, &pr) == -1 || pr.onderdrukt)
			continue;
		van++;
		lower += own->waarde > v->waarde;
		higher += own->waarde < v->waarde;
	}
	free(x.v);
	if (van == 0)
		return json_null();
	snprintf(tekst, sizeof(tekst), lower >= higher ? "hoger dan %zu van "
	    "de %zu vergelijkbare gemeenten" : "lager dan %zu van de %zu "
	    "vergelijkbare gemeenten", lower >= higher ? lower : higher, van);
	o = json_object();
	json_put_int(o, "hoger_dan", (long long)lower);
	json_put_int(o, "lager_dan", (long long)higher);
	json_put_int(o, "van", (long long)van);
	json_put_str(o, "tekst", tekst);
	json_put_str(o, "oordeel", ind->richting == RICHTING_NEUTRAAL ||
	    lower == higher ? "neutraal" : (lower > higher) ==
	    (ind->richting == RICHTING_HOGER_BETER) ? "gunstig" : "ongunstig");
	return o;
}

static json_t *
tile_json(struct rq *rq, const struct gemeente *g, const struct indicator *ind,
    const struct compare_peers *peers, int *synth)
{
	struct query_series s;
	struct err err = { "" };
	const struct compare_period *last;
	struct period prev, year;
	json_t *o;

	if (query_series_load(rq->led, ind, g->code, ind->periode, &s, &err) == -1 ||
	    s.n == 0) {
		query_series_free(&s);
		return NULL;
	}
	*synth |= s.synthetisch;
	last = &s.v[s.n - 1];
	prev = period_prev(&last->periode);
	year = period_year_before(&last->periode);
	o = json_object();
	json_put(o, "indicator", view_indicator_brief(ind));
	json_put(o, "laatste", point_json(ind, last));
	json_put(o, "vorige", point_json(ind, query_series_find(&s, &prev)));
	json_put(o, "jaar_eerder", point_json(ind, query_series_find(&s, &year)));
	json_put(o, "positie", peers ? position_json(rq, ind, last, peers) :
	    json_null());
	query_series_free(&s);
	return o;
}

static int
cmp_theme(const void *a, const void *b)
{
	const struct indicator *x = *(const struct indicator *const *)a;
	const struct indicator *y = *(const struct indicator *const *)b;
	size_t	rx = view_theme_rank(x->groep), ry = view_theme_rank(y->groep);

	if (rx != ry)
		return rx < ry ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int
dashboard_build(struct rq *rq, void *arg)
{
	const struct gemeente *g = arg;
	const struct catalog *cat = rq->snap->cat;
	const struct indicator **order = malloc(cat->n * sizeof(*order));
	struct band_src src;
	struct compare_peers peers;
	struct err err = { "" };
	int	have_peers, synth = 0;
	json_t *o = json_object(), *tiles = json_array(), *pg = json_object();
	char	id[32];

	if (order == NULL)
		return -1;
	rq_src(rq, &src);
	have_peers = band_peers(&src, g->code, &peers, &err) == 0;
	for (size_t i = 0; i < cat->n; i++)
		order[i] = &cat->items[i];
	qsort(order, cat->n, sizeof(*order), cmp_theme);
	for (size_t i = 0; i < cat->n; i++) {
		json_t *t = tile_json(rq, g, order[i], have_peers ? &peers :
		    NULL, &synth);

		if (t != NULL)
			json_push(tiles, t);
	}
	snprintf(id, sizeof(id), "vergelijkbaar-%s", g->code);
	json_put_str(pg, "id", id);
	json_put_str(pg, "naam", "vergelijkbare gemeenten");
	json_put_int(pg, "leden", have_peers ? (long long)peers.n : 0);
	json_put(o, "gemeente", view_gemeente(g));
	json_put_bool(o, "synthetisch", synth);
	json_put(o, "peergroep", pg);
	json_put(o, "tegels", tiles);
	if (have_peers)
		compare_peers_free(&peers);
	free(order);
	return reply_json(rq, o);
}

static int
dashboard(struct rq *rq)
{
	const struct gemeente *g = want_gemeente(rq);
	char	key[64];

	if (g == NULL)
		return 0;
	snprintf(key, sizeof(key), "dashboard|%s", g->code);
	return cached(rq, key, dashboard_build, (void *)g);
}
HANDLER(dashboard)

/* ---- the uitstroom benchmark (domain §4) ---- */

static int
uitstroom_benchmark(struct rq *rq)
{
	const struct gemeente *g = want_gemeente(rq);
	const char *js = api_query(rq->req, "jaar");
	const char *ms = api_query(rq->req, "methode");
	struct benchmark_baseline base;
	struct benchmark_params par;
	struct benchmark_input in;
	struct benchmark_result res;
	struct err err = { "" };
	char	path[CONF_PATH_SIZE + 32];
	struct band_src src;
	int	jaar, onvolledig = 0;

	if (g == NULL)
		return 0;
	benchmark_params_default(&par);
	par.methode = BENCHMARK_MIDDEN;
	if (ms && *ms && benchmark_methode_parse(ms, &par.methode) == -1)
		return api_error(rq->reply, 400, "methode: kies laag, midden of "
		    "hoog", NULL);
	rq_src(rq, &src);
	jaar = js && *js ? atoi(js) : query_default_year(&src);
	if (jaar < 1900 || jaar > 2199)
		return api_error(rq->reply, 400, "jaar: geef een jaartal, "
		    "bijvoorbeeld 2024", NULL);
	snprintf(path, sizeof(path), "%s/uitstroom-baseline.ini",
	    app_conf(rq->app)->catalog_dir);
	if (benchmark_baseline_load(path, &base, &err) == -1)
		return api_error(rq->reply, 500, err.msg, NULL);
	query_benchmark_input(&src, g->code, jaar, &in, &onvolledig);
	if (benchmark_eval(&base, &in, &par, &res, &err) == -1)
		return api_error(rq->reply, 422, err.msg, NULL);
	return reply_json(rq, view_benchmark(g, jaar,
	    benchmark_methode_name(par.methode), &res, onvolledig));
}
HANDLER(uitstroom_benchmark)

/* ---- charts: rendered by librrd (series) or our SVG writer (cross-
 * section), cached by parameters and data version ---- */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Render count and time for /metrics (cache hits are not renders). */
static void
count_render(struct rq *rq, double since)
{
	int	n = metrics_counter(rq->metrics, "basisd_chart_renders_total",
	    "Getekende grafieken (niet uit de cache)");
	int	t = metrics_counter(rq->metrics,
	    "basisd_chart_render_seconds_total", "Tijd besteed aan tekenen van "
	    "grafieken");

	metrics_add(rq->metrics, n, 1);
	metrics_add(rq->metrics, t, now_s() - since);
}

/* w and h query parameters; 0 = the chart's default. -1 after a 400. */
static int
chart_size(struct rq *rq, struct chart_opts *o)
{
	const char *w = api_query(rq->req, "w"), *h = api_query(rq->req, "h");

	o->w = w ? atoi(w) : 0;
	o->h = h ? atoi(h) : 0;
	if ((w && (o->w < CHART_W_MIN || o->w > CHART_W_MAX)) ||
	    (h && (o->h < CHART_H_MIN || o->h > CHART_H_MAX)))
		return api_error(rq->reply, 400, "w: 200 t/m 2000, h: 100 t/m "
		    "1200", NULL), -1;
	return 0;
}

struct chart_req {
	const struct gemeente *g;
	const struct indicator *ind;
	const char *groep;
};

static int
series_chart_build(struct rq *rq, void *arg)
{
	const struct chart_req *c = arg;
	struct chart_opts o = { .png = strcmp(rq->params->ext, "png") == 0 };
	struct band_src src;
	struct compare_groep grp;
	struct query_series s;
	struct err err = { "" };
	unsigned char *img = NULL;
	size_t	len = 0;
	double	t0 = now_s();
	int	rc;

	rq_src(rq, &src);
	if (chart_size(rq, &o) == -1 ||
	    (o.has_van = query_period(rq, "van", &o.van)) == -1 ||
	    (o.has_tot = query_period(rq, "tot", &o.tot)) == -1)
		return 0;
	if (compare_groep_resolve(rq->snap->reg, c->groep, &grp, &err) == -1)
		return api_error(rq->reply, 404, err.msg, NULL);
	if (grp.soort == COMPARE_GROEP_VERGELIJKBAAR)
		snprintf(grp.naam, sizeof(grp.naam), "vergelijkbare gemeenten");
	if (query_series_load(rq->led, c->ind, c->g->code, c->ind->periode, &s,
	    &err) == 0)
		o.synthetisch = s.synthetisch;
	query_series_free(&s);
	rc = band_ensure(&src, grp.id, c->ind, &err) == -1 ||
	    band_ensure(&src, "alle", c->ind, &err) == -1 ? -1 :
	    chart_series(app_store(rq->app), c->ind, c->g, grp.id, grp.naam, &o,
	    &img, &len, &err);
	compare_groep_free(&grp);
	if (rc == 1)
		return api_error(rq->reply, 404, "geen gegevens voor deze "
		    "grafiek", NULL);
	if (rc == -1)
		return api_error(rq->reply, 500, err.msg, NULL);
	count_render(rq, t0);
	return api_reply_take(rq->reply, 200, o.png ? "image/png" :
	    "image/svg+xml", (char *)img, len);
}

static int
series_chart(struct rq *rq)
{
	struct chart_req c;
	const char *q = api_query(rq->req, "groep");
	char	key[512], def[32];

	if ((c.g = want_gemeente(rq)) == NULL ||
	    (c.ind = want_indicator(rq)) == NULL)
		return 0;
	snprintf(def, sizeof(def), "vergelijkbaar-%s", c.g->code);
	c.groep = q && *q ? q : def;
	if (query_key(rq, "chart", key, sizeof(key)) == -1)
		return 0;
	return cached(rq, key, series_chart_build, &c);
}
HANDLER(series_chart)

static int
vergelijk_chart_build(struct rq *rq, void *arg)
{
	const char *markeer = api_query(rq->req, "markeer");
	const struct gemeente *m = markeer && *markeer ?
	    register_find(rq->snap->reg, markeer) : NULL;
	struct chart_opts o = { 0 };
	struct query_vgl v;
	char	sub[256], pb[16], *svg = NULL;
	size_t	len = 0;
	struct err err = { "" };
	double	t0 = now_s();
	int	rc;

	if (markeer && *markeer && m == NULL)
		return api_error(rq->reply, 404, "markeer: onbekende gemeente",
		    NULL);
	if (chart_size(rq, &o) == -1 || vgl_compute(rq, arg, &v) != 0) {
		query_vgl_free(&v);
		return 0;
	}
	o.synthetisch = v.synthetisch;
	snprintf(sub, sizeof(sub), "%s, %s", v.groep.naam, period_format(
	    &v.periode, pb, sizeof(pb)));
	rc = chart_vergelijk(v.ind, &v.res, rq->snap->reg, m ? m->code : NULL,
	    v.ind->naam, sub, v.land.aggregaat_onderdrukt ? NAN : v.land.waarde,
	    &o, &svg, &len, &err);
	query_vgl_free(&v);
	if (rc == -1)
		return api_error(rq->reply, 500, err.msg, NULL);
	count_render(rq, t0);
	return api_reply_take(rq->reply, 200, "image/svg+xml", svg, len);
}

static int
vergelijk_chart(struct rq *rq)
{
	const struct indicator *ind = want_indicator(rq);
	char	key[512];

	if (ind == NULL)
		return 0;
	if (query_key(rq, "vchart", key, sizeof(key)) == -1)
		return 0;
	return cached(rq, key, vergelijk_chart_build, (void *)ind);
}
HANDLER(vergelijk_chart)

/* ---- feeds (token) ---- */

/* HTTP status of an ingest outcome (doc/api.md). */
static const int ingest_http[] = {
	[INGEST_ACCEPTED] = 201, [INGEST_PARTIAL] = 201,
	[INGEST_DUPLICATE] = 200, [INGEST_REJECTED] = 422,
	[INGEST_FORBIDDEN] = 403, [INGEST_FAILED] = 500,
};

/* Split the token's space-separated gemeenten (in place) into scope
 * pointers. */
static size_t
scope_of(char *list, const char **ret, size_t max)
{
	size_t	n = 0;
	char   *p = list;

	while (*p != '\0' && n < max) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p == '\0')
			break;
		ret[n++] = p;
		p += strcspn(p, " ");
	}
	return n;
}

/* A safe name for the feed: the ?naam= given, else one from the time. */
static void
feed_name(const struct api_request *req, char *buf, size_t size)
{
	const char *n = api_query(req, "naam");
	time_t	now = time(NULL);
	struct tm tm;

	if (n != NULL && *n != '\0' && strlen(n) < 200) {
		snprintf(buf, size, "%s", n);
		for (char *p = buf; *p; p++)
			if (*p == '/' || (unsigned char)*p < 0x20)
				*p = '_';
		return;
	}
	gmtime_r(&now, &tm);
	strftime(buf, size, "upload-%Y%m%dT%H%M%SZ.csv", &tm);
}

static int
feeds_post(struct rq *rq)
{
	const struct conf *c = app_conf(rq->app);
	const char *partial = api_query(rq->req, "partial");
	const char *scope[512];
	struct ledger_token tok;
	struct ingest_opts io = { 0 };
	struct ingest_report rep;
	struct err err = { "" };
	char	naam[256], *json;
	int	status, rc;

	if (app_authenticate(rq->app, rq->req->authorization, &tok, &err) == -1)
		return api_error(rq->reply, 401, err.msg, NULL);
	if (strcmp(tok.rol, "manager") == 0)
		return api_error(rq->reply, 403, "een token met rol manager mag "
		    "geen leveringen sturen", NULL);
	io.partial = partial != NULL && strcmp(partial, "1") == 0;
	io.leverancier = tok.naam;
	io.nscope = scope_of(tok.gemeenten, scope, 512);
	io.scope = io.nscope ? scope : NULL;
	io.max_rows = (size_t)c->max_rows;
	io.max_field = (size_t)c->max_field;
	feed_name(rq->req, naam, sizeof(naam));
	rc = app_ingest(rq->app, naam, rq->req->body, rq->req->body_len, &io,
	    &rep);
	if (rc == 1) {
		api_reply_header(rq->reply, "Retry-After", "30");
		return api_error(rq->reply, 429, "te veel leveringen tegelijk: "
		    "probeer het over een halve minuut opnieuw", NULL);
	}
	if (rc == -1)
		return -1;
	status = ingest_http[rep.status];
	json = ingest_report_json(&rep);
	if (rep.feed_id && status == 201)
		snprintf(rq->reply->location, sizeof(rq->reply->location),
		    "/api/v1/feeds/%lld", rep.feed_id);
	ingest_report_free(&rep);
	if (json == NULL)
		return -1;
	return api_reply_take(rq->reply, status, "application/json", json,
	    strlen(json));
}
HANDLER(feeds_post)

static int
feeds_get(struct rq *rq)
{
	const char *id = api_param(rq->params, "fid");
	struct ledger_token tok;
	struct ledger_feed f;
	struct err err = { "" };
	int	r;

	if (app_authenticate(rq->app, rq->req->authorization, &tok, &err) == -1)
		return api_error(rq->reply, 401, err.msg, NULL);
	r = ledger_feed_get(rq->led, id ? atoll(id) : 0, &f, &err);
	if (r == -1)
		return api_error(rq->reply, 500, err.msg, NULL);
	/* A supplier sees its own feeds; beheer sees every feed. */
	if (r == 0 || (strcmp(tok.rol, "beheer") != 0 &&
	    strcmp(f.leverancier, tok.naam) != 0)) {
		if (r == 1)
			ledger_feed_clear(&f);
		return api_error(rq->reply, 404, "onbekende levering", NULL);
	}
	r = api_reply_copy(rq->reply, 200, "application/json",
	    f.report_json ? f.report_json : "{}", f.report_json ?
	    strlen(f.report_json) : 2);
	ledger_feed_clear(&f);
	return r;
}
HANDLER(feeds_get)

/* ---- wiring ---- */

static const struct api_route data_routes[] = {
	{ "GET", "/api/v1/indicators", h_indicators, "indicators",
	    "Alle indicatoren van de catalogus, met thema's", 0, "excel",
	    NULL },
	{ "GET", "/api/v1/indicators.csv", h_indicators, "indicators_csv",
	    "De catalogus als CSV", 0, "excel", NULL },
	{ "GET", "/api/v1/indicators/{id}", h_indicator, "indicator",
	    "Eén indicator: definitie, eenheid, berekening, kanttekeningen", 0,
	    NULL, NULL },
	{ "GET", "/api/v1/gemeenten", h_gemeenten, "gemeenten",
	    "Alle gemeenten met provincie, inwoners en grootteklasse", 0,
	    NULL, NULL },
	{ "GET", "/api/v1/gemeenten.csv", h_gemeenten, "gemeenten_csv",
	    "Alle gemeenten als CSV", 0, "excel", NULL },
	{ "GET", "/api/v1/gemeenten/{gm}", h_gemeente, "gemeente",
	    "Eén gemeente met groepen en herindelingen", 0, NULL, NULL },
	{ "GET", "/api/v1/gemeenten/{gm}/vergelijkbaar", h_vergelijkbaar,
	    "vergelijkbaar", "De k meest vergelijkbare gemeenten, met "
	    "kenmerken en afstanden", 0, "k", NULL },
	{ "GET", "/api/v1/groepen", h_groepen, "groepen",
	    "Vergelijkingsgroepen en hun gemeenten", 0, NULL, NULL },
	{ "GET", "/api/v1/series/{gm}/{id}", h_series, "series",
	    "Reeks van een gemeente: waarden, teller, noemer, status", 0,
	    "van,tot,per,herindeling", NULL },
	{ "GET", "/api/v1/series/{gm}/{id}.csv", h_series, "series_csv",
	    "Reeks van een gemeente als CSV", 0, "van,tot,per,herindeling,excel",
	    NULL },
	{ "GET", "/api/v1/vergelijk/{id}", h_vergelijk, "vergelijk",
	    "Landelijke vergelijking: rangorde, percentielen, groepcijfer", 0,
	    "periode,groep", NULL },
	{ "GET", "/api/v1/vergelijk/{id}.csv", h_vergelijk, "vergelijk_csv",
	    "Landelijke vergelijking als CSV", 0, "periode,groep,excel",
	    NULL },
	{ "GET", "/api/v1/dashboard/{gm}", h_dashboard, "dashboard",
	    "Alle tegels van het gemeentedashboard in één antwoord", 0, NULL,
	    NULL },
	{ "GET", "/api/v1/benchmark/uitstroom/{gm}", h_uitstroom_benchmark,
	    "benchmark_uitstroom", "Uitstroom tegen business as usual, met "
	    "schadelastbeperking", 0, "jaar,methode", NULL },
	{ "GET", "/chart/{gm}/{id}.svg", h_series_chart, "chart_svg",
	    "Trendgrafiek (SVG): gemeente, mediaan en band van de groep, "
	    "Nederland", 0, "van,tot,groep,w,h", NULL },
	{ "GET", "/chart/{gm}/{id}.png", h_series_chart, "chart_png",
	    "Trendgrafiek als PNG", 0, "van,tot,groep,w,h", NULL },
	{ "GET", "/chart/vergelijk/{id}.svg", h_vergelijk_chart,
	    "chart_vergelijk", "Rangorde van alle gemeenten van een groep "
	    "(SVG)", 0, "periode,groep,markeer,w,h", NULL },
	{ "POST", "/api/v1/feeds", h_feeds_post, "feeds_post",
	    "Een levering (CSV) insturen", API_BODY | API_TOKEN,
	    "partial,naam", "text/csv" },
	{ "GET", "/api/v1/feeds/{fid}", h_feeds_get, "feeds_get",
	    "Het rapport van een levering", API_TOKEN, NULL, NULL },
};

static int
authorize(void *arg, const struct api_request *req,
    const struct api_route *route, struct api_reply *reply)
{
	struct ledger_token tok;
	struct err err = { "" };

	(void)route;
	if (app_authenticate(arg, req->authorization, &tok, &err) == 0)
		return 0;
	snprintf(reply->www_authenticate, sizeof(reply->www_authenticate),
	    "Bearer realm=\"basisd\"");
	api_error(reply, 401, err.msg, NULL);
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
#undef STAT_FN

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
};

int
routes_install(struct api_ctx *ctx, struct app *app, struct err *err)
{
	ctx->app = app;
	ctx->health = health;
	ctx->health_arg = app;
	ctx->authorize = authorize;
	ctx->authorize_arg = app;
	if (api_ctx_add_routes(ctx, data_routes, sizeof(data_routes) /
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
