/* src/routes.c — the data API (doc/api.md): reference data, series,
 * comparisons, the gemeente dashboard, the uitstroom benchmark and feed
 * upload. Each handler borrows the current catalogue snapshot and a read
 * connection for the duration of one request; writes go through app. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "band.h"
#include "benchmark.h"
#include "chart.h"
#include "compare.h"
#include "log.h"
#include "routes.h"

/* One request's borrowed state. */
struct rq {
	struct app *app;
	struct app_snapshot *snap;
	struct ledger *led;
	const struct api_request *req;
	const struct api_params *params;
	struct api_reply *reply;
	int	csv;		/* ".csv" variant asked for */
	int	excel;		/* ?excel=1 */
};

typedef int (*rq_fn)(struct rq *);

static int
run(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply, rq_fn fn)
{
	struct rq rq = { .app = ctx->app, .req = req, .params = params,
		.reply = reply };
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

/* ---- presentation ---- */

/* Dutch display of a value in the indicator's unit: "21,7%",
 * "22,4 per 1.000", "€ 1.234", "38.211". */
static char *
display(const struct indicator *ind, double v, char *buf, size_t size)
{
	char	num[64];

	if (!isfinite(v)) {
		snprintf(buf, size, "–");
		return buf;
	}
	if (strcmp(ind->eenheid, "euro") == 0) {
		snprintf(buf, size, "€ %s", compare_format(v, 0, num,
		    sizeof(num)));
	} else if (ind->soort == SOORT_RATIO && ind->schaal == 100) {
		snprintf(buf, size, "%s%%", compare_format(v, 1, num,
		    sizeof(num)));
	} else if (ind->soort == SOORT_RATIO && ind->schaal == 1000) {
		snprintf(buf, size, "%s per 1.000", compare_format(v, 1, num,
		    sizeof(num)));
	} else {
		compare_format(v, v == floor(v) ? 0 : 1, buf, size);
	}
	return buf;
}

static const struct {
	const char *id, *naam;
} themes[] = {
	{ "uitstroom", "Instroom en uitstroom" },
	{ "bestand", "Bijstandsbestand" },
	{ "participatie", "Participatieladder" },
	{ "zrm", "Zelfredzaamheid (ZRM)" },
	{ "escalaties", "Escalaties voorkomen" },
	{ "samenloop", "Samenloop van voorzieningen" },
	{ "kosten", "Kosten" },
	{ "context", "Context" },
};
#define NTHEMES (sizeof(themes) / sizeof(*themes))

static size_t
theme_rank(const char *groep)
{
	for (size_t i = 0; i < NTHEMES; i++)
		if (strcmp(themes[i].id, groep) == 0)
			return i;
	return NTHEMES;
}

/* How a group figure and a longer period are computed (domain §3). */
static const char *
berekening(const struct indicator *ind)
{
	if (ind->soort == SOORT_RATIO)
		return "Groepscijfer: de som van de tellers gedeeld door de "
		    "som van de noemers van de gemeenten (geen gemiddelde van "
		    "percentages). Over een langere periode worden tellers en "
		    "noemers opnieuw gedeeld.";
	if (ind->soort == SOORT_GEMIDDELDE)
		return "Groepscijfer: de som van de scores gedeeld door het "
		    "totale aantal gemeten cliënten (geen gemiddelde van "
		    "gemiddelden).";
	if (ind->meting == METING_STAND)
		return "Groepscijfer: de som van de aantallen op de "
		    "peildatum. Over een langere periode telt de stand op de "
		    "laatste peildatum; standen worden nooit opgeteld.";
	return "Groepscijfer: de som van de aantallen van de gemeenten. Over "
	    "een langere periode worden de perioden opgeteld.";
}

static json_t *
indicator_brief(const struct indicator *ind)
{
	json_t *o = json_object();

	json_put_str(o, "id", ind->id);
	json_put_str(o, "naam", ind->naam);
	json_put_str(o, "groep", ind->groep);
	json_put_str(o, "eenheid", ind->eenheid);
	json_put_str(o, "soort", catalog_soort_name(ind->soort));
	json_put_str(o, "meting", catalog_meting_name(ind->meting));
	json_put_str(o, "periode", period_kind_name(ind->periode));
	json_put_num(o, "schaal", ind->schaal);
	json_put_str(o, "richting", catalog_richting_name(ind->richting));
	json_put_int(o, "min_n", ind->min_n);
	return o;
}

static json_t *
indicator_json(const struct indicator *ind)
{
	json_t *o = indicator_brief(ind);

	json_put_str(o, "omschrijving", ind->omschrijving);
	json_put_str(o, "teller", ind->teller);
	json_put_str(o, "noemer", ind->noemer);
	json_put(o, "min", ind->has_min ? json_num(ind->min) : json_null());
	json_put(o, "max", ind->has_max ? json_num(ind->max) : json_null());
	json_put_str(o, "bron", ind->bron);
	json_put_str(o, "sinds", ind->sinds);
	json_put_str(o, "kanttekening", ind->kanttekening);
	json_put_str(o, "berekening", berekening(ind));
	return o;
}

static json_t *
gemeente_brief(const struct gemeente *g)
{
	json_t *o = json_object();

	json_put_str(o, "code", g->code);
	json_put_str(o, "naam", g->naam);
	return o;
}

static json_t *
gemeente_json(const struct gemeente *g)
{
	json_t *o = gemeente_brief(g);

	json_put_str(o, "provincie", g->provincie);
	json_put_int(o, "inwoners", g->inwoners);
	json_put_int(o, "grootteklasse", g->grootteklasse);
	json_put_str(o, "grootteklasse_naam", g->grootteklasse ?
	    register_grootteklasse_name(g->grootteklasse) : "");
	json_put_bool(o, "actief", g->actief);
	if (!g->actief) {
		json_put_str(o, "opgeheven", g->opgeheven);
		json_put_str(o, "opvolger", g->opvolger);
		json_put_bool(o, "gesplitst", g->gesplitst);
	}
	return o;
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
	json_t *o = json_object(), *arr = json_array(), *th = json_array();

	if (rq->csv) {
		json_decref(o);
		json_decref(arr);
		json_decref(th);
		return indicators_csv(rq);
	}
	for (size_t i = 0; i < rq->snap->cat->n; i++)
		json_push(arr, indicator_json(&rq->snap->cat->items[i]));
	for (size_t i = 0; i < NTHEMES; i++) {
		json_t *t = json_object();

		json_put_str(t, "id", themes[i].id);
		json_put_str(t, "naam", themes[i].naam);
		json_push(th, t);
	}
	json_put(o, "indicatoren", arr);
	json_put(o, "themas", th);
	return reply_json(rq, o);
}
HANDLER(indicators)

static int
indicator(struct rq *rq)
{
	const struct indicator *ind = want_indicator(rq);

	return ind ? reply_json(rq, indicator_json(ind)) : 0;
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
		json_push(arr, gemeente_json(&reg->gemeenten[i]));
	json_put(o, "gemeenten", arr);
	json_put_str(o, "bron", "CBS-gemeentecodes en -namen 2025; inwoners "
	    "bij benadering (zie doc/bronnen.md)");
	return reply_json(rq, o);
}
HANDLER(gemeenten)

/* The group ids a gemeente belongs to. */
static json_t *
groups_of(const struct reg *reg, const struct gemeente *g)
{
	json_t *arr = json_array();
	char	id[96], prov[64];

	if (!g->actief)
		return arr;
	json_push(arr, json_string("alle"));
	snprintf(id, sizeof(id), "grootteklasse-%d", g->grootteklasse);
	json_push(arr, json_string(id));
	snprintf(id, sizeof(id), "provincie-%s",
	    compare_provincie_id(g->provincie, prov, sizeof(prov)));
	json_push(arr, json_string(id));
	for (size_t i = 0; i < reg->ng; i++)
		for (size_t j = 0; j < reg->groepen[i].n; j++)
			if (strcmp(reg->groepen[i].codes[j], g->code) == 0)
				json_push(arr, json_string(reg->groepen[i].id));
	snprintf(id, sizeof(id), "vergelijkbaar-%s", g->code);
	json_push(arr, json_string(id));
	return arr;
}

static json_t *
herindelingen_of(const struct reg *reg, const struct gemeente *g)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < reg->nh; i++) {
		const struct herindeling *h = &reg->herindelingen[i];
		json_t *o;

		if (strcmp(h->oude_code, g->code) != 0 &&
		    strcmp(h->nieuwe_code, g->code) != 0)
			continue;
		o = json_object();
		json_put_str(o, "datum", h->datum);
		json_put_str(o, "oude_code", h->oude_code);
		json_put_str(o, "oude_naam", h->oude_naam);
		json_put_str(o, "nieuwe_code", h->nieuwe_code);
		json_put_str(o, "nieuwe_naam", h->nieuwe_naam);
		json_put_bool(o, "splitsing", h->splitsing);
		json_push(arr, o);
	}
	return arr;
}

static int
gemeente(struct rq *rq)
{
	const struct gemeente *g = want_gemeente(rq);
	json_t *o;

	if (g == NULL)
		return 0;
	o = gemeente_json(g);
	json_put(o, "groepen", groups_of(rq->snap->reg, g));
	json_put(o, "herindelingen", herindelingen_of(rq->snap->reg, g));
	return reply_json(rq, o);
}
HANDLER(gemeente)

static const char *const groep_soort_names[] = { "alle", "grootteklasse",
	"provincie", "eigen", "vergelijkbaar" };

static json_t *
groep_json(const struct reg *reg, const struct compare_groep *g)
{
	json_t *o = json_object(), *arr = json_array();

	json_put_str(o, "id", g->id);
	json_put_str(o, "naam", g->naam);
	json_put_str(o, "soort", groep_soort_names[g->soort]);
	for (size_t i = 0; i < g->n; i++)
		json_push(arr, json_string(reg->gemeenten[g->leden[i]].code));
	json_put(o, "gemeenten", arr);
	return o;
}

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
		json_push(arr, groep_json(rq->snap->reg, &g));
		compare_groep_free(&g);
	}
	json_put(o, "groepen", arr);
	return reply_json(rq, o);
}
HANDLER(groepen)

/* ---- values and their public view ---- */

/* Disclosure control for one cell (domain §3.5): the compare engine's
 * rules on a group of one. *ret gets the published row. */
static int
public_view(const struct indicator *ind, const struct compare_period *v,
    struct compare_row *ret)
{
	struct compare_cell c = { .geleverd = 1, .waarde = v->waarde,
		.teller = v->teller, .noemer = v->noemer, .status = v->status,
		.onvolledig = v->onvolledig };
	struct compare_opts o = { .publiek = 1 };
	struct compare_result res;
	struct err err = { "" };

	snprintf(c.gemeente, sizeof(c.gemeente), "%s", v->gemeente);
	if (compare_eval(ind, &c, 1, 1, &o, &res, &err) == -1)
		return -1;
	*ret = res.rows[0];
	compare_result_free(&res);
	return 0;
}

static json_t *
num_or_null(double v)
{
	return isfinite(v) ? json_num(v) : json_null();
}

/* One period value as JSON (doc/api.md "waarden"). revisies < 0: unknown. */
static json_t *
value_json(const struct indicator *ind, const struct compare_period *v,
    int revisies)
{
	struct compare_row row;
	json_t *o = json_object();
	char	buf[64], pb[16];

	if (public_view(ind, v, &row) == -1)
		memset(&row, 0, sizeof(row));
	json_put_str(o, "periode", period_format(&v->periode, pb, sizeof(pb)));
	json_put(o, "waarde", num_or_null(row.waarde));
	json_put(o, "teller", num_or_null(row.teller));
	json_put(o, "noemer", num_or_null(row.noemer));
	json_put_str(o, "status", validate_status_name(v->status));
	json_put(o, "revisies", revisies > 0 ? json_integer(revisies) :
	    json_null());
	json_put_int(o, "maanden", v->aanwezig);
	json_put_int(o, "maanden_verwacht", v->verwacht);
	json_put_bool(o, "onvolledig", v->onvolledig);
	json_put_bool(o, "onderdrukt", row.onderdrukt);
	json_put_str(o, "weergave", row.onderdrukt ? row.weergave :
	    display(ind, v->waarde, buf, sizeof(buf)));
	return o;
}

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
	uint64_t ver = (uint64_t)ledger_data_version(rq->led);
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

/* A gemeente's series, aggregated to `per`, within [van, tot]. */
struct series {
	struct compare_period *v;
	size_t	n;
	int    *revs;		/* per value when not aggregated, else NULL */
	int	synthetisch;
};

static void
series_free(struct series *s)
{
	free(s->v);
	free(s->revs);
}

static int
in_range(const struct period *p, const struct period *van,
    const struct period *tot)
{
	return (van == NULL || period_start(p) >= period_start(van)) &&
	    (tot == NULL || period_end(p) <= period_end(tot));
}

static int
series_load(struct ledger *led, const struct indicator *ind, const char *gm,
    enum period_kind per, struct series *ret, struct err *err)
{
	struct obs *obs = NULL;
	size_t	n = 0, nrev = 0;
	int	rc = -1;

	memset(ret, 0, sizeof(*ret));
	if (ledger_series(led, gm, ind->id, &obs, &n, err) == -1)
		return -1;
	for (size_t i = 0; i < n; i++)
		ret->synthetisch |= obs[i].synthetisch;
	if (compare_period_aggregate(ind, obs, n, per, &ret->v, &ret->n,
	    err) == -1)
		goto out;
	if (per == ind->periode && ledger_revision_counts(led, gm, ind->id,
	    &ret->revs, &nrev, err) == -1)
		goto out;
	if (ret->revs != NULL && nrev != ret->n) {
		free(ret->revs);
		ret->revs = NULL;
	}
	rc = 0;
out:
	free(obs);
	return rc;
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
    const struct indicator *ind, const struct series *s,
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

		if (!in_range(&s->v[i].periode, van, tot) ||
		    public_view(ind, &s->v[i], &row) == -1)
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
		    display(ind, s->v[i].waarde, buf, sizeof(buf)));
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
	struct period van, tot;
	int	has_van, has_tot, rc;
	enum period_kind per;
	struct series s;
	struct err err = { "" };
	json_t *o, *arr;

	if (ind == NULL || series_params(rq, ind, &van, &has_van, &tot,
	    &has_tot, &per) == -1)
		return 0;
	if (series_load(rq->led, ind, g->code, per, &s, &err) == -1)
		return api_error(rq->reply, 500, err.msg, NULL);
	if (rq->csv) {
		rc = series_csv(rq, g, ind, &s, has_van ? &van : NULL,
		    has_tot ? &tot : NULL);
		series_free(&s);
		return rc;
	}
	o = json_object();
	arr = json_array();
	for (size_t i = 0; i < s.n; i++)
		if (in_range(&s.v[i].periode, has_van ? &van : NULL,
		    has_tot ? &tot : NULL))
			json_push(arr, value_json(ind, &s.v[i],
			    s.revs ? s.revs[i] : -1));
	json_put(o, "gemeente", gemeente_brief(g));
	json_put(o, "indicator", indicator_brief(ind));
	json_put_str(o, "per", period_kind_name(per));
	json_put_bool(o, "synthetisch", s.synthetisch);
	json_put(o, "waarden", arr);
	series_free(&s);
	return reply_json(rq, o);
}

/* JSON is cached like the charts (the dashboard asks for the same series
 * over and over); CSV downloads carry a Content-Disposition the cache does
 * not keep, and are rare. */
static int
series(struct rq *rq)
{
	const struct gemeente *g = want_gemeente(rq);
	const char *q[] = { api_query(rq->req, "van"), api_query(rq->req,
	    "tot"), api_query(rq->req, "per") };
	char	key[512];

	if (g == NULL)
		return 0;
	if (rq->csv)
		return series_build(rq, (void *)g);
	if ((size_t)snprintf(key, sizeof(key), "series|%s|%s|%s|%s|%s",
	    g->code, api_param(rq->params, "id"), q[0] ? q[0] : "",
	    q[1] ? q[1] : "", q[2] ? q[2] : "") >= sizeof(key))
		return api_error(rq->reply, 400, "te lange zoekvraag", NULL);
	return cached(rq, key, series_build, (void *)g);
}
HANDLER(series)

/* ---- cross-sections, groups and peers ---- */

/* Every gemeente's value of an indicator in period p (p may be coarser
 * than the indicator: months are aggregated by the rules of domain §3).
 * Sorted by gemeente. */
struct xsec {
	struct compare_period *v;
	size_t	n;
	int	synthetisch;
};

static int
xsec_load(struct ledger *led, const struct indicator *ind,
    const struct period *p, struct xsec *ret, struct err *err)
{
	struct obs *all = NULL, *o;
	size_t	n = 0, k;
	int	parts = period_months(p->kind) / period_months(ind->periode);
	struct period q = period_at(ind->periode, period_start(p));
	int	rc = -1;

	memset(ret, 0, sizeof(*ret));
	for (int i = 0; i < parts; i++, q = period_next(&q)) {
		if (ledger_cross_section(led, ind->id, &q, &o, &k, err) == -1)
			goto out;
		void   *grown = realloc(all, (n + k + 1) * sizeof(*all));
		if (grown == NULL) {
			free(o);
			err_set(err, "onvoldoende geheugen");
			goto out;
		}
		all = grown;
		memcpy(all + n, o, k * sizeof(*o));
		n += k;
		free(o);
	}
	for (size_t i = 0; i < n; i++)
		ret->synthetisch |= all[i].synthetisch;
	rc = compare_period_aggregate(ind, all, n, p->kind, &ret->v, &ret->n,
	    err);
out:
	free(all);
	return rc;
}

static int
cmp_period_gm(const void *key, const void *item)
{
	return strcmp(key, ((const struct compare_period *)item)->gemeente);
}

static const struct compare_period *
xsec_find(const struct xsec *x, const char *code)
{
	return bsearch(code, x->v, x->n, sizeof(*x->v), cmp_period_gm);
}

/* Cells of the given members (indices into reg->gemeenten). */
static struct compare_cell *
cells_of(const struct reg *reg, const size_t *leden, size_t n,
    const struct xsec *x)
{
	struct compare_cell *cells = calloc(n ? n : 1, sizeof(*cells));

	for (size_t i = 0; cells && i < n; i++) {
		const struct gemeente *g = &reg->gemeenten[leden[i]];
		const struct compare_period *v = xsec_find(x, g->code);

		snprintf(cells[i].gemeente, sizeof(cells[i].gemeente), "%s",
		    g->code);
		cells[i].teller = cells[i].noemer = cells[i].waarde = NAN;
		if (v == NULL)
			continue;
		cells[i].geleverd = 1;
		cells[i].waarde = v->waarde;
		cells[i].teller = v->teller;
		cells[i].noemer = v->noemer;
		cells[i].status = v->status;
		cells[i].onvolledig = v->onvolledig;
	}
	return cells;
}

/* Latest period of an indicator with data; 0 found, -1 none/error. */
static int
latest_period(struct ledger *led, const struct indicator *ind,
    struct period *ret, struct err *err)
{
	struct period *ps = NULL;
	size_t	n = 0;
	int	rc = -1;

	if (ledger_periods(led, ind->id, &ps, &n, err) == -1)
		return -1;
	for (size_t i = n; i-- > 0;)
		if (ps[i].kind == ind->periode) {
			*ret = ps[i];
			rc = 0;
			break;
		}
	if (rc == -1)
		err_set(err, "nog geen gegevens voor %s", ind->id);
	free(ps);
	return rc;
}

/* The k nearest gemeenten of g on the configured context features. */
static int
peers_of(struct rq *rq, const struct gemeente *g, size_t k,
    struct compare_peers *ret, struct err *err)
{
	struct band_src src = { .led = rq->led, .cat = rq->snap->cat,
		.reg = rq->snap->reg, .store = app_store(rq->app), .k = k,
		.features = &app_conf(rq->app)->peer_features };

	return band_peers(&src, g->code, ret, err);
}

/* Members of a group; "vergelijkbaar-GM…" is the gemeente and its peers. */
static int
group_members(struct rq *rq, const char *id, struct compare_groep *g,
    struct err *err)
{
	const struct gemeente *anchor;
	struct compare_peers peers;
	size_t	k = (size_t)app_conf(rq->app)->peers_k;

	if (compare_groep_resolve(rq->snap->reg, id, g, err) == -1)
		return -1;
	if (g->soort != COMPARE_GROEP_VERGELIJKBAAR)
		return 0;
	anchor = register_find(rq->snap->reg, g->anker);
	if (anchor == NULL || peers_of(rq, anchor, k, &peers, err) == -1)
		return -1;
	free(g->leden);
	if ((g->leden = malloc((peers.n + 1) * sizeof(*g->leden))) == NULL) {
		compare_peers_free(&peers);
		return err_set(err, "onvoldoende geheugen");
	}
	g->leden[0] = (size_t)(anchor - rq->snap->reg->gemeenten);
	for (size_t i = 0; i < peers.n; i++)
		g->leden[i + 1] = peers.peers[i].index;
	g->n = peers.n + 1;
	snprintf(g->naam, sizeof(g->naam), "%s en %zu vergelijkbare gemeenten",
	    anchor->naam, peers.n);
	compare_peers_free(&peers);
	return 0;
}

/* ---- landelijke vergelijking ---- */

struct vgl {
	const struct indicator *ind;
	struct period periode;
	struct compare_groep groep;
	struct compare_result res;	/* the group */
	struct compare_result land;	/* all gemeenten */
	int	synthetisch;
};

static void
vgl_free(struct vgl *v)
{
	compare_groep_free(&v->groep);
	compare_result_free(&v->res);
	compare_result_free(&v->land);
}

static int
vgl_eval(const struct reg *reg, const struct indicator *ind,
    const size_t *leden, size_t n, const struct xsec *x,
    struct compare_result *ret, struct err *err)
{
	struct compare_opts o = { .publiek = 1 };
	struct compare_cell *cells = cells_of(reg, leden, n, x);
	int	rc;

	if (cells == NULL)
		return err_set(err, "onvoldoende geheugen");
	rc = compare_eval(ind, cells, n, n, &o, ret, err);
	free(cells);
	return rc;
}

/* Compute a comparison. Answers 400/404 itself (returns 1). */
static int
vgl_compute(struct rq *rq, const struct indicator *ind, struct vgl *v)
{
	const char *gid = api_query(rq->req, "groep");
	struct compare_groep alle = { 0 };
	struct err err = { "" };
	struct xsec x = { 0 };
	int	has, rc = 1;

	memset(v, 0, sizeof(*v));
	v->ind = ind;
	if ((has = query_period(rq, "periode", &v->periode)) == -1)
		return 1;
	if (has && period_months(v->periode.kind) < period_months(ind->periode))
		return api_error(rq->reply, 400, "periode: fijner dan de periode "
		    "waarin deze indicator wordt geleverd", NULL), 1;
	if (!has && latest_period(rq->led, ind, &v->periode, &err) == -1)
		return api_error(rq->reply, 404, err.msg, NULL), 1;
	if (group_members(rq, gid && *gid ? gid : "alle", &v->groep,
	    &err) == -1)
		return api_error(rq->reply, 404, err.msg, NULL), 1;
	if (compare_groep_resolve(rq->snap->reg, "alle", &alle, &err) == -1 ||
	    xsec_load(rq->led, ind, &v->periode, &x, &err) == -1 ||
	    vgl_eval(rq->snap->reg, ind, v->groep.leden, v->groep.n, &x,
	    &v->res, &err) == -1 ||
	    vgl_eval(rq->snap->reg, ind, alle.leden, alle.n, &x, &v->land,
	    &err) == -1) {
		api_error(rq->reply, 500, err.msg, NULL);
		goto out;
	}
	v->synthetisch = x.synthetisch;
	rc = 0;
out:
	compare_groep_free(&alle);
	free(x.v);
	return rc;
}

static int
cmp_rank(const void *a, const void *b)
{
	const struct compare_row *x = *(const struct compare_row *const *)a;
	const struct compare_row *y = *(const struct compare_row *const *)b;

	if ((x->rang == 0) != (y->rang == 0))
		return x->rang == 0 ? 1 : -1;
	if (x->rang != y->rang)
		return x->rang < y->rang ? -1 : 1;
	return strcmp(x->gemeente, y->gemeente);
}

/* Rows in rank order (unranked last); caller frees the array. */
static const struct compare_row **
ranked(const struct compare_result *res)
{
	const struct compare_row **r = malloc((res->nrows + 1) * sizeof(*r));

	for (size_t i = 0; r && i < res->nrows; i++)
		r[i] = &res->rows[i];
	if (r != NULL)
		qsort(r, res->nrows, sizeof(*r), cmp_rank);
	return r;
}

static json_t *
aggregate_json(const struct indicator *ind, const struct compare_result *r)
{
	json_t *o = json_object();
	char	buf[64];

	json_put(o, "waarde", r->aggregaat_onderdrukt ? json_null() :
	    num_or_null(r->waarde));
	json_put(o, "teller", r->aggregaat_onderdrukt ? json_null() :
	    num_or_null(r->teller));
	json_put(o, "noemer", r->aggregaat_onderdrukt ? json_null() :
	    num_or_null(r->noemer));
	json_put_int(o, "n", (long long)r->n);
	json_put_int(o, "N", (long long)r->N);
	json_put_bool(o, "onvolledig", r->onvolledig);
	json_put_str(o, "weergave", r->aggregaat_onderdrukt ? "x" :
	    display(ind, r->waarde, buf, sizeof(buf)));
	return o;
}

static json_t *
row_json(const struct reg *reg, const struct compare_row *r)
{
	const struct gemeente *g = register_find(reg, r->gemeente);
	json_t *o = json_object();

	json_put_str(o, "code", r->gemeente);
	json_put_str(o, "naam", g ? g->naam : "");
	json_put(o, "waarde", num_or_null(r->waarde));
	json_put(o, "teller", num_or_null(r->teller));
	json_put(o, "noemer", num_or_null(r->noemer));
	json_put(o, "rang", r->rang ? json_integer(r->rang) : json_null());
	json_put(o, "afstand_mediaan", num_or_null(r->afstand_mediaan));
	json_put_bool(o, "geleverd", r->geleverd);
	json_put_str(o, "status", r->geleverd ?
	    validate_status_name(r->status) : "niet geleverd");
	json_put_bool(o, "onvolledig", r->onvolledig);
	json_put_bool(o, "onderdrukt", r->onderdrukt);
	json_put_str(o, "weergave", r->weergave);
	return o;
}

static json_t *
vgl_json(const struct reg *reg, const struct vgl *v)
{
	const struct compare_row **rows = ranked(&v->res);
	json_t *o = json_object(), *g = json_object(), *pct = json_object();
	json_t *arr = json_array();
	static const char *const pk[] = { "p10", "p25", "p50", "p75", "p90" };
	char	pb[16];

	json_put(o, "indicator", indicator_json(v->ind));
	json_put_str(o, "periode", period_format(&v->periode, pb, sizeof(pb)));
	json_put_bool(o, "synthetisch", v->synthetisch);
	json_put_str(g, "id", v->groep.id);
	json_put_str(g, "naam", v->groep.naam);
	json_put_int(g, "leden", (long long)v->groep.n);
	json_put(o, "groep", g);
	json_put(o, "groepcijfer", aggregate_json(v->ind, &v->res));
	json_put(o, "landelijk", aggregate_json(v->ind, &v->land));
	for (int i = 0; i < COMPARE_NPCT; i++)
		json_put(pct, pk[i], num_or_null(v->res.pct[i]));
	json_put(o, "percentielen", pct);
	json_put_bool(o, "rang_op_waarde", v->res.rang_op_waarde);
	for (size_t i = 0; rows && i < v->res.nrows; i++)
		json_push(arr, row_json(reg, rows[i]));
	json_put(o, "gemeenten", arr);
	free(rows);
	return o;
}

static int
vgl_csv(struct rq *rq, const struct vgl *v)
{
	static const char *const head[] = { "rang", "gemeente", "naam",
		"waarde", "teller", "noemer", "status", "weergave" };
	const struct compare_row **rows = ranked(&v->res);
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
	struct vgl v;
	int	rc;

	if (vgl_compute(rq, arg, &v) != 0) {
		vgl_free(&v);
		return 0;
	}
	rc = rq->csv ? vgl_csv(rq, &v) : reply_json(rq,
	    vgl_json(rq->snap->reg, &v));
	vgl_free(&v);
	return rc;
}

static int
vergelijk(struct rq *rq)
{
	const struct indicator *ind = want_indicator(rq);
	const char *p = api_query(rq->req, "periode"), *g = api_query(rq->req,
	    "groep");
	char	key[256];

	if (ind == NULL)
		return 0;
	if (rq->csv)
		return vergelijk_build(rq, (void *)ind);
	snprintf(key, sizeof(key), "vergelijk|%s|%s|%s", ind->id, p ? p : "",
	    g ? g : "alle");
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
	struct compare_peers peers;
	struct err err = { "" };
	json_t *o, *arr, *feat, *own;

	if (g == NULL)
		return 0;
	if (k < 1 || k > 50)
		return api_error(rq->reply, 400, "k: kies 1 t/m 50", NULL);
	if (peers_of(rq, g, (size_t)k, &peers, &err) == -1)
		return api_error(rq->reply, 422, err.msg, NULL);
	o = json_object();
	arr = json_array();
	feat = json_array();
	own = json_object();
	for (size_t j = 0; j < (size_t)fw->n; j++) {
		json_push(feat, json_string(fw->w[j]));
		json_put(own, fw->w[j], num_or_null(peers.anker_waarden[j]));
	}
	for (size_t i = 0; i < peers.n; i++) {
		const struct gemeente *pg = &rq->snap->reg->gemeenten[
		    peers.peers[i].index];
		json_t *p = gemeente_brief(pg), *w = json_object();

		json_put_num(p, "afstand", peers.peers[i].afstand);
		for (size_t j = 0; j < (size_t)fw->n; j++)
			json_put(w, fw->w[j], num_or_null(
			    peers.peers[i].waarden[j]));
		json_put(p, "waarden", w);
		json_push(arr, p);
	}
	json_put(o, "gemeente", gemeente_brief(g));
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

static const struct compare_period *
find_period(const struct series *s, const struct period *p)
{
	for (size_t i = s->n; i-- > 0;)
		if (period_cmp(&s->v[i].periode, p) == 0)
			return &s->v[i];
	return NULL;
}

static json_t *
point_json(const struct indicator *ind, const struct compare_period *v)
{
	return v ? value_json(ind, v, -1) : json_null();
}

/* "hoger dan 7 van de 10 vergelijkbare gemeenten" with a judgement by
 * the indicator's richting. NULL when the own value is not published. */
static json_t *
position_json(struct rq *rq, const struct indicator *ind,
    const struct compare_period *own, const struct compare_peers *peers)
{
	size_t	lower = 0, higher = 0, van = 0;
	struct compare_row row;
	struct xsec x;
	struct err err = { "" };
	json_t *o;
	char	tekst[160];

	if (public_view(ind, own, &row) == -1 || row.onderdrukt ||
	    xsec_load(rq->led, ind, &own->periode, &x, &err) == -1)
		return json_null();
	for (size_t i = 0; i < peers->n; i++) {
		const struct compare_period *v = xsec_find(&x,
		    peers->peers[i].gemeente);
		struct compare_row pr;

		if (v == NULL || !isfinite(v->waarde) ||
		    public_view(ind, v, &pr) == -1 || pr.onderdrukt)
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
	struct series s;
	struct err err = { "" };
	const struct compare_period *last;
	struct period prev, year;
	json_t *o;

	if (series_load(rq->led, ind, g->code, ind->periode, &s, &err) == -1 ||
	    s.n == 0) {
		series_free(&s);
		return NULL;
	}
	*synth |= s.synthetisch;
	last = &s.v[s.n - 1];
	prev = period_prev(&last->periode);
	year = period_year_before(&last->periode);
	o = json_object();
	json_put(o, "indicator", indicator_brief(ind));
	json_put(o, "laatste", point_json(ind, last));
	json_put(o, "vorige", point_json(ind, find_period(&s, &prev)));
	json_put(o, "jaar_eerder", point_json(ind, find_period(&s, &year)));
	json_put(o, "positie", peers ? position_json(rq, ind, last, peers) :
	    json_null());
	series_free(&s);
	return o;
}

static int
cmp_theme(const void *a, const void *b)
{
	const struct indicator *x = *(const struct indicator *const *)a;
	const struct indicator *y = *(const struct indicator *const *)b;
	size_t	rx = theme_rank(x->groep), ry = theme_rank(y->groep);

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
	struct compare_peers peers;
	struct err err = { "" };
	int	have_peers, synth = 0;
	json_t *o = json_object(), *tiles = json_array(), *pg = json_object();
	char	id[32];

	if (order == NULL)
		return -1;
	have_peers = peers_of(rq, g, (size_t)app_conf(rq->app)->peers_k,
	    &peers, &err) == 0;
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
	json_put(o, "gemeente", gemeente_json(g));
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

/* The value of one indicator of g in period p (aggregated to p's kind);
 * NaN when missing. *onvolledig is set when months are missing. */
static double
value_at(struct rq *rq, const char *gm, const char *id,
    const struct period *p, int *onvolledig)
{
	const struct indicator *ind = catalog_find(rq->snap->cat, id);
	const struct compare_period *v;
	struct series s;
	struct err err = { "" };
	double	r = NAN;

	if (ind == NULL || period_months(p->kind) < period_months(ind->periode)
	    || series_load(rq->led, ind, gm, p->kind, &s, &err) == -1) {
		*onvolledig = 1;
		return NAN;
	}
	if ((v = find_period(&s, p)) != NULL) {
		r = v->waarde;
		*onvolledig |= v->onvolledig;
	} else
		*onvolledig = 1;
	series_free(&s);
	return r;
}

/* Bestand per duurklasse at the start of the year (December before),
 * flows summed over the year. */
static void
benchmark_input_of(struct rq *rq, const char *gm, int jaar,
    struct benchmark_input *in, int *onvolledig)
{
	struct period dec = { PERIOD_MAAND, jaar - 1, 12 };
	struct period y = { PERIOD_JAAR, jaar, 1 };
	double *flows[] = { &in->werk, &in->opleiding, &in->ondernemer,
		&in->deeltijd };
	static const char *const flow_ids[] = { "pw_uitstroom_werk",
		"pw_uitstroom_opleiding", "pw_uitstroom_ondernemer",
		"pw_uitstroom_deeltijd" };
	char	id[40];

	memset(in, 0, sizeof(*in));
	for (int k = 0; k < BENCHMARK_NKLASSEN; k++) {
		snprintf(id, sizeof(id), "pw_bestand_duur_%d", k + 1);
		in->bestand[k] = value_at(rq, gm, id, &dec, onvolledig);
	}
	for (size_t i = 0; i < sizeof(flows) / sizeof(*flows); i++)
		*flows[i] = value_at(rq, gm, flow_ids[i], &y, onvolledig);
}

static json_t *
bedrag_json(const struct benchmark_bedrag *b)
{
	json_t *o = json_object();

	json_put_num(o, "euro", b->euro);
	json_put_str(o, "grondslag", b->grondslag == BENCHMARK_BRUTO ?
	    "bruto" : "netto");
	json_put_int(o, "horizon_jaren", b->horizon_jaren);
	json_put_str(o, "label", b->label);
	return o;
}

static json_t *
benchmark_json(const struct gemeente *g, int jaar, const char *methode,
    const struct benchmark_result *r, int onvolledig)
{
	json_t *o = json_object(), *kl = json_array(), *s = json_object();
	char	tekst[1024], a[32], b[32], c[32], d[32];

	json_put(o, "gemeente", gemeente_brief(g));
	json_put_int(o, "jaar", jaar);
	json_put_str(o, "methode", methode);
	json_put_str(o, "baseline_versie", r->versie);
	json_put_num(o, "bestand", r->bestand);
	json_put_num(o, "gerealiseerd", r->gerealiseerd);
	json_put_num(o, "uitstroom_pct", r->uitstroom_pct);
	json_put_num(o, "verwacht", r->verwacht);
	json_put_num(o, "verwacht_pct", r->verwacht_pct);
	for (int k = 0; k < BENCHMARK_NKLASSEN; k++)
		json_push(kl, json_num(r->verwacht_klasse[k]));
	json_put(o, "verwacht_per_duurklasse", kl);
	json_put_num(o, "extra", r->extra);
	json_put_num(o, "per_uitstromer", r->per_uitstromer);
	json_put_num(s, "bruto", r->maatschappelijk.euro);
	json_put_num(s, "gemeentelijk", r->gemeentelijk.euro);
	json_put_bool(s, "incl_terugval", 1);
	json_put(o, "schadelastbeperking", s);
	json_put(o, "maatschappelijk", bedrag_json(&r->maatschappelijk));
	json_put(o, "gemeentelijk", bedrag_json(&r->gemeentelijk));
	json_put(o, "eerste_jaar", bedrag_json(&r->eerste_jaar));
	json_put_bool(o, "onvolledig", onvolledig);
	snprintf(tekst, sizeof(tekst), "In %d stroomden in %s %s mensen uit "
	    "naar werk, opleiding of een eigen bedrijf (deeltijdwerk telt voor "
	    "de helft), uit een bestand van %s uitkeringen. Als alles was "
	    "gegaan zoals gewoonlijk (de uitstroomkans per uitkeringsduur, "
	    "methode %s) waren dat er %s geweest: %s %s dan verwacht. Elke "
	    "extra uitstromer beperkt de schadelast over %d jaar, inclusief "
	    "de kans op terugval.", jaar, g->naam,
	    compare_format(r->gerealiseerd, 1, a, sizeof(a)),
	    compare_format(r->bestand, 0, b, sizeof(b)), methode,
	    compare_format(r->verwacht, 1, c, sizeof(c)),
	    compare_format(fabs(r->extra), 1, d, sizeof(d)),
	    r->extra >= 0 ? "meer" : "minder", r->maatschappelijk.horizon_jaren);
	json_put_str(o, "toelichting", tekst);
	return o;
}

/* Latest year with a complete December of pw_uitstroom_werk. */
static int
default_year(struct rq *rq)
{
	const struct indicator *w = catalog_find(rq->snap->cat,
	    "pw_uitstroom_werk");
	struct period p;
	struct err err = { "" };

	if (w == NULL || latest_period(rq->led, w, &p, &err) == -1)
		return 0;
	return p.kind == PERIOD_MAAND && p.index < 12 ? p.year - 1 : p.year;
}

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
	int	jaar, onvolledig = 0;

	if (g == NULL)
		return 0;
	benchmark_params_default(&par);
	par.methode = BENCHMARK_MIDDEN;
	if (ms && *ms && benchmark_methode_parse(ms, &par.methode) == -1)
		return api_error(rq->reply, 400, "methode: kies laag, midden of "
		    "hoog", NULL);
	jaar = js && *js ? atoi(js) : default_year(rq);
	if (jaar < 1900 || jaar > 2199)
		return api_error(rq->reply, 400, "jaar: geef een jaartal, "
		    "bijvoorbeeld 2024", NULL);
	snprintf(path, sizeof(path), "%s/uitstroom-baseline.ini",
	    app_conf(rq->app)->catalog_dir);
	if (benchmark_baseline_load(path, &base, &err) == -1)
		return api_error(rq->reply, 500, err.msg, NULL);
	benchmark_input_of(rq, g->code, jaar, &in, &onvolledig);
	if (benchmark_eval(&base, &in, &par, &res, &err) == -1)
		return api_error(rq->reply, 422, err.msg, NULL);
	return reply_json(rq, benchmark_json(g, jaar,
	    benchmark_methode_name(par.methode), &res, onvolledig));
}
HANDLER(uitstroom_benchmark)

/* ---- charts: rendered by librrd (series) or our SVG writer (cross-
 * section), cached by parameters and data version ---- */

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
	struct band_src src = { .led = rq->led, .cat = rq->snap->cat,
		.reg = rq->snap->reg, .store = app_store(rq->app),
		.k = (size_t)app_conf(rq->app)->peers_k,
		.features = &app_conf(rq->app)->peer_features };
	struct compare_groep grp;
	struct series s;
	struct err err = { "" };
	unsigned char *img = NULL;
	size_t	len = 0;
	int	rc;

	if (chart_size(rq, &o) == -1 ||
	    (o.has_van = query_period(rq, "van", &o.van)) == -1 ||
	    (o.has_tot = query_period(rq, "tot", &o.tot)) == -1)
		return 0;
	if (compare_groep_resolve(rq->snap->reg, c->groep, &grp, &err) == -1)
		return api_error(rq->reply, 404, err.msg, NULL);
	if (grp.soort == COMPARE_GROEP_VERGELIJKBAAR)
		snprintf(grp.naam, sizeof(grp.naam), "vergelijkbare gemeenten");
	if (series_load(rq->led, c->ind, c->g->code, c->ind->periode, &s,
	    &err) == 0)
		o.synthetisch = s.synthetisch;
	series_free(&s);
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
	return api_reply_take(rq->reply, 200, o.png ? "image/png" :
	    "image/svg+xml", (char *)img, len);
}

static int
series_chart(struct rq *rq)
{
	struct chart_req c;
	const char *q = api_query(rq->req, "groep");
	char	key[512], def[32];
	size_t	o;

	if ((c.g = want_gemeente(rq)) == NULL ||
	    (c.ind = want_indicator(rq)) == NULL)
		return 0;
	snprintf(def, sizeof(def), "vergelijkbaar-%s", c.g->code);
	c.groep = q && *q ? q : def;
	o = (size_t)snprintf(key, sizeof(key), "chart|%s|%s|%s|%s", c.g->code,
	    c.ind->id, rq->params->ext, c.groep);
	for (size_t i = 0; i < rq->req->nquery && o < sizeof(key); i++)
		o += (size_t)snprintf(key + o, sizeof(key) - o, "|%s=%s",
		    rq->req->query[i].key, rq->req->query[i].value);
	if (o >= sizeof(key))
		return api_error(rq->reply, 400, "te lange zoekvraag", NULL);
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
	struct vgl v;
	char	sub[256], pb[16], *svg = NULL;
	size_t	len = 0;
	struct err err = { "" };
	int	rc;

	if (markeer && *markeer && m == NULL)
		return api_error(rq->reply, 404, "markeer: onbekende gemeente",
		    NULL);
	if (chart_size(rq, &o) == -1 || vgl_compute(rq, arg, &v) != 0) {
		vgl_free(&v);
		return 0;
	}
	o.synthetisch = v.synthetisch;
	snprintf(sub, sizeof(sub), "%s, %s", v.groep.naam, period_format(
	    &v.periode, pb, sizeof(pb)));
	rc = chart_vergelijk(v.ind, &v.res, rq->snap->reg, m ? m->code : NULL,
	    v.ind->naam, sub, v.land.aggregaat_onderdrukt ? NAN : v.land.waarde,
	    &o, &svg, &len, &err);
	vgl_free(&v);
	if (rc == -1)
		return api_error(rq->reply, 500, err.msg, NULL);
	return api_reply_take(rq->reply, 200, "image/svg+xml", svg, len);
}

static int
vergelijk_chart(struct rq *rq)
{
	const struct indicator *ind = want_indicator(rq);
	char	key[512];
	size_t	o;

	if (ind == NULL)
		return 0;
	o = (size_t)snprintf(key, sizeof(key), "vchart|%s", ind->id);
	for (size_t i = 0; i < rq->req->nquery && o < sizeof(key); i++)
		o += (size_t)snprintf(key + o, sizeof(key) - o, "|%s=%s",
		    rq->req->query[i].key, rq->req->query[i].value);
	if (o >= sizeof(key))
		return api_error(rq->reply, 400, "te lange zoekvraag", NULL);
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
	int	status;

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
	if (app_ingest(rq->app, naam, rq->req->body, rq->req->body_len, &io,
	    &rep) == -1)
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
	    "van,tot,per", NULL },
	{ "GET", "/api/v1/series/{gm}/{id}.csv", h_series, "series_csv",
	    "Reeks van een gemeente als CSV", 0, "van,tot,per,excel", NULL },
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
		if (api_metrics_func(ctx->metrics, metric_table[i].name,
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
