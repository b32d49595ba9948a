/* src/serve/routes_data.c — series, landelijke vergelijking and
 * vergelijkbare gemeenten (doc/api.md). */
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
#include "base/util.h"
#include "serve/routes.h"
#include "serve/routes_rq.h"

/* ?zoals_op=YYYY-MM-DD: a real calendar date, copied into buf (11
 * bytes). 1 when given, 0 when absent, -1 after a 400. */
static int
query_zoals_op(struct rq *rq, char *buf)
{
	const char *v = api_query(rq->req, "zoals_op");
	struct period m;
	struct err err = { "" };
	char	ym[8];
	int	d, days;

	if (v == NULL || *v == '\0')
		return 0;
	if (strlen(v) != 10 || v[4] != '-' || v[7] != '-' ||
	    strspn(v, "0123456789-") != 10)
		goto bad;
	memcpy(ym, v, 7);
	ym[7] = '\0';
	if (period_parse(ym, &m, &err) == -1 || m.kind != PERIOD_MAAND)
		goto bad;
	d = (v[8] - '0') * 10 + (v[9] - '0');
	days = (int)((period_end(&m) - period_start(&m)) / 86400);
	if (d < 1 || d > days)
		goto bad;
	memcpy(buf, v, 11);
	return 1;
bad:
	return api_refuse(rq->reply, ERR_INPUT, "zoals_op: geef een datum als "
	    "2024-06-30"), -1;
}

/* Correction notes: every revision after the first, and every value
 * with a toelichting, in the published view (a suppressed cell's
 * revision is as suppressed as the cell). */
static json_t *
corrections_json(struct rq *rq, const struct gemeente *g,
    const struct indicator *ind)
{
	struct ledger_revision *r = NULL;
	size_t	n = 0;
	struct err err = { "" };
	json_t *arr = json_array();
	char	pb[16];

	if (query_revisions(rq->led, ind, g->code, &r, &n, &err) == -1)
		return arr;
	for (size_t i = 0; i < n; i++) {
		struct compare_period cp = { .periode = r[i].obs.periode,
			.waarde = r[i].obs.waarde, .teller = r[i].obs.teller,
			.noemer = r[i].obs.noemer, .status = r[i].obs.status,
			.aanwezig = 1, .verwacht = 1 };
		struct compare_row row;
		json_t *o;

		if (r[i].revisie < 2 && r[i].obs.toelichting[0] == '\0')
			continue;
		if (view_public(ind, &cp, &row) == -1)
			continue;
		o = json_object();
		json_put_str(o, "periode", period_format(&cp.periode, pb,
		    sizeof(pb)));
		json_put_int(o, "revisie", r[i].revisie);
		json_put_str(o, "geregistreerd", r[i].recorded_at);
		json_put(o, "waarde", view_num(row.waarde));
		json_put_bool(o, "onderdrukt", row.onderdrukt);
		json_put_str(o, "toelichting", r[i].obs.toelichting);
		json_put(o, "versie", r[i].obs.versie[0] ?
		    json_string(r[i].obs.versie) : json_null());
		json_push(arr, o);
	}
	free(r);
	return arr;
}

/* Parse van, tot, per; -1 when a 400 was answered. */
static int
series_params(struct rq *rq, const struct indicator *ind, struct period *van,
    int *has_van, struct period *tot, int *has_tot, enum period_kind *per)
{
	const char *ps = api_query(rq->req, "per");

	if (routes_query_range(rq, van, has_van, tot, has_tot) == -1)
		return -1;
	*per = ind->periode;
	if (ps != NULL && *ps != '\0' && period_kind_parse(ps, per) == -1)
		return api_refuse(rq->reply, ERR_INPUT,
		    "per: kies maand, kwartaal, "
		    "halfjaar of jaar"), -1;
	if (period_months(*per) < period_months(ind->periode))
		return api_refuse(rq->reply, ERR_INPUT,
		    "per: fijner dan de periode "
		    "waarin deze indicator wordt geleverd"), -1;
	if (*per != ind->periode && !ind->over_perioden)
		return api_refuse(rq->reply, ERR_INPUT, "per: %s is niet over "
		    "een langere periode af te leiden (dezelfde cliënten "
		    "zouden per %s opnieuw tellen); vraag per=%s", ind->id,
		    period_kind_name(ind->periode),
		    period_kind_name(ind->periode)), -1;
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
	const struct indicator *ind = routes_want_indicator(rq);
	const char *hq = api_query(rq->req, "herindeling");
	int	merged = hq != NULL && strcmp(hq, "1") == 0;
	struct compare_unassigned *un = NULL;
	size_t	nun = 0;
	struct period van, tot;
	int	has_van, has_tot, rc;
	enum period_kind per;
	struct query_series s;
	struct query_src src;
	struct err err = { "" };
	json_t *o, *arr;
	char	datum[11] = "";
	int	asof;

	if (ind == NULL || series_params(rq, ind, &van, &has_van, &tot,
	    &has_tot, &per) == -1)
		return 0;
	routes_src(rq, &src);
	if ((asof = query_zoals_op(rq, datum)) == -1)
		return 0;
	if (asof && merged)
		return api_refuse(rq->reply, ERR_INPUT, "zoals_op en "
		    "herindeling=1 gaan (nog) niet samen");
	if ((merged ? query_series_merged(&src, ind, g->code, per, &s, &un,
	    &nun, &err) : asof ? query_series_asof(&src, ind, g->code, per,
	    datum, &s, &err) : query_series_load(&src, ind, g->code, per, &s,
	    &err)) == -1)
		return api_fail(rq->reply, &err);
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
	/* every value of a ZRM series is of this version (validate) */
	json_put(o, "zrm_versie", ind->zrm_versie[0] ?
	    json_string(ind->zrm_versie) : json_null());
	json_put_str(o, "per", period_kind_name(per));
	json_put_bool(o, "synthetisch", s.synthetisch);
	if (merged)
		json_put(o, "herindeling", view_unassigned(un, nun));
	json_put(o, "zoals_op", asof ? json_string(datum) : json_null());
	json_put(o, "waarden", arr);
	if (per == ind->periode)
		json_put(o, "correcties", corrections_json(rq, g, ind));
	query_series_free(&s);
	free(un);
	return routes_reply_json(rq, o);
}

/* JSON is cached like the charts (the dashboard asks for the same series
 * over and over); CSV downloads carry a Content-Disposition the cache does
 * not keep, and are rare. */
static int
series(struct rq *rq)
{
	const struct gemeente *g = routes_want_gemeente(rq);
	const struct indicator *ind;
	char	key[512];

	if (g == NULL)
		return 0;
	if (rq->csv)
		return series_build(rq, (void *)g);
	if (routes_query_key(rq, "series", key, sizeof(key)) == -1)
		return 0;
	/* The indicator's family, not the one series: herindeling= folds
	 * in the gemeenten that merged into g. */
	if ((ind = routes_want_indicator(rq)) == NULL)
		return 0;
	routes_depend_family(rq, ind);
	return routes_cached(rq, key, series_build, (void *)g);
}
HANDLER(series)

/* ---- cross-sections, groups and peers ---- */

/* ---- landelijke vergelijking ---- */

/* Compute a comparison from the query (periode, groep). Answers
 * 400/404/500 itself and returns 1; 0 when v is filled. */
int
routes_vgl_compute(struct rq *rq, const struct indicator *ind, struct query_vgl *v)
{
	const char *gid = api_query(rq->req, "groep");
	const char *als = api_query(rq->req, "als");
	struct query_src src;
	struct period p;
	struct err err = { "" };
	int	has, rc, asof;
	char	datum[11] = "";

	memset(v, 0, sizeof(*v));
	if ((has = routes_query_period(rq, "periode", &p)) == -1)
		return 1;
	if (has && period_months(p.kind) < period_months(ind->periode))
		return api_refuse(rq->reply, ERR_INPUT,
		    "periode: fijner dan de periode "
		    "waarin deze indicator wordt geleverd"), 1;
	if (has && p.kind != ind->periode && !ind->over_perioden)
		return api_refuse(rq->reply, ERR_INPUT, "periode: %s is niet "
		    "over een langere periode af te leiden (dezelfde cliënten "
		    "zouden per %s opnieuw tellen)", ind->id,
		    period_kind_name(ind->periode)), 1;
	if (als && *als && strcmp(als, "aantal") != 0 &&
	    strcmp(als, "cijfer") != 0)
		return api_refuse(rq->reply, ERR_INPUT, "als: kies aantal of "
		    "cijfer (standaard)"), 1;
	routes_src(rq, &src);
	if ((asof = query_zoals_op(rq, datum)) == -1)
		return 1;
	src.zoals_op = asof ? datum : NULL;
	rc = query_vgl(&src, ind, has ? &p : NULL, gid && *gid ? gid : "alle",
	    als && strcmp(als, "aantal") == 0, v, &err);
	if (rc != 0)
		api_fail(rq->reply, &err);
	return rc != 0;
}

/* How the comparison ranks (domain §3.9): the rate and its noemer, or
 * why nothing is ranked. */
static json_t *
basis_json(const struct query_vgl *v)
{
	const struct cat_vergelijk *cv = v->ind->vergelijk;
	json_t *o = json_object(), *nm = json_array();

	json_put_str(o, "als", v->basis.rate ? cv->als :
	    catalog_rankable(v->ind) ? "zichzelf" : "aantal");
	json_put_str(o, "tekst", v->basis.rate ? cv->tekst :
	    catalog_rankable(v->ind) ? v->ind->naam : v->ind->eenheid);
	for (int k = 0; v->basis.rate && k < CAT_VERGELIJK_NOEMERS &&
	    cv->noemer[k]; k++)
		json_push(nm, json_string(cv->noemer[k]));
	json_put(o, "noemer", nm);
	json_put_str(o, "noemer_tekst", v->basis.rate ? cv->noemer_tekst :
	    "");
	json_put_bool(o, "gerangschikt", v->basis.rangschik);
	json_put(o, "reden", v->basis.rangschik ? json_null() :
	    json_string(v->basis.reden));
	return o;
}

/* Which boundaries the country and "alle" are on (domain §3.10). */
static json_t *
grenzen_json(const struct query_vgl *v)
{
	json_t *o = json_object();
	char	pb[16], t[200];

	period_format(&v->periode, pb, sizeof(pb));
	json_put_str(o, "soort", v->grenzen_periode ? "periode" : "vandaag");
	if (v->grenzen_periode)
		snprintf(t, sizeof(t), "landelijk en 'alle' op de grenzen van "
		    "%s: de %zu gemeenten die toen bestonden; andere groepen "
		    "op de grenzen van vandaag", pb, v->land.N);
	else
		snprintf(t, sizeof(t), "de %zu gemeenten van vandaag (in %s "
		    "dezelfde indeling)", v->land.N, pb);
	json_put_str(o, "tekst", t);
	json_put_int(o, "N", (long long)v->land.N);
	return o;
}

static json_t *
vgl_json(const struct reg *reg, const struct query_vgl *v)
{
	const struct compare_row **rows = view_ranked(&v->res);
	json_t *o = json_object(), *g = json_object(), *pct = json_object();
	json_t *arr = json_array();
	static const char *const pk[] = { "p10", "p25", "p50", "p75", "p90" };
	char	pb[16];

	json_put(o, "indicator", routes_indicator_json(v->ind));
	json_put_str(o, "periode", period_format(&v->periode, pb, sizeof(pb)));
	json_put_bool(o, "synthetisch", v->synthetisch);
	json_put_str(g, "id", v->groep.id);
	json_put_str(g, "naam", v->groep.naam);
	json_put_int(g, "leden", (long long)v->groep.n);
	json_put(o, "groep", g);
	json_put(o, "vergelijk_als", basis_json(v));
	json_put(o, "grenzen", grenzen_json(v));
	json_put(o, "zoals_op", v->zoals_op[0] ? json_string(v->zoals_op) :
	    json_null());
	json_put(o, "groepcijfer", view_aggregate(&v->basis.ind, &v->res));
	json_put(o, "landelijk", view_aggregate(&v->basis.ind, &v->land));
	if (v->basis.rate) {
		json_t *t = json_object();

		json_put(t, "groep", view_aggregate(v->ind, &v->totaal));
		json_put(t, "landelijk", view_aggregate(v->ind,
		    &v->land_totaal));
		json_put(o, "totaal", t);
	}
	for (int i = 0; i < COMPARE_NPCT; i++)
		json_put(pct, pk[i], view_num(v->res.pct[i]));
	json_put(o, "percentielen", pct);
	json_put_bool(o, "rang_op_waarde", v->res.rang_op_waarde);
	for (size_t i = 0; rows && i < v->res.nrows; i++) {
		json_t *r = view_row(reg, rows[i]);

		if (v->basis.rate)
			json_put(r, "aantal", view_num(rows[i]->teller));
		json_push(arr, r);
	}
	json_put(o, "gemeenten", arr);
	free(rows);
	return o;
}

/* One CSV row of a comparison: the gemeente's cell with the context an
 * analyst needs beside it (what, when, which group, synthetic or not, the
 * group and national figures), repeated on every row so that the file
 * stands on its own (doc/api.md "Comparison as CSV"). */
struct vgl_line {
	const struct query_vgl *v;
	const struct compare_row *r;
	const char *naam;
};

typedef void vgl_col_fn(struct api_csv *, const struct vgl_line *);
typedef void vgl_agg_fn(struct api_csv *, const struct indicator *,
    const struct compare_result *);

/* A group figure whose cells could not be protected otherwise is
 * suppressed as a whole: empty figures, weergave "x" (as in the JSON). */
static double
vgl_agg_num(const struct compare_result *a, double x)
{
	return a->aggregaat_onderdrukt ? NAN : x;
}

static void
vgl_agg_n(struct api_csv *c, const struct indicator *ind,
    const struct compare_result *a)
{
	(void)ind;
	api_csv_num(c, (double)a->n, 0);
}

static void
vgl_agg_N(struct api_csv *c, const struct indicator *ind,
    const struct compare_result *a)
{
	(void)ind;
	api_csv_num(c, (double)a->N, 0);
}

static void
vgl_agg_waarde(struct api_csv *c, const struct indicator *ind,
    const struct compare_result *a)
{
	(void)ind;
	api_csv_num(c, vgl_agg_num(a, a->waarde), -1);
}

static void
vgl_agg_teller(struct api_csv *c, const struct indicator *ind,
    const struct compare_result *a)
{
	(void)ind;
	api_csv_num(c, vgl_agg_num(a, a->teller), -1);
}

static void
vgl_agg_noemer(struct api_csv *c, const struct indicator *ind,
    const struct compare_result *a)
{
	(void)ind;
	api_csv_num(c, vgl_agg_num(a, a->noemer), -1);
}

static void
vgl_agg_weergave(struct api_csv *c, const struct indicator *ind,
    const struct compare_result *a)
{
	char	buf[64];

	api_csv_str(c, a->aggregaat_onderdrukt ? "x" :
	    view_display(ind, a->waarde, buf, sizeof(buf)));
}

static void
vgl_agg_status(struct api_csv *c, const struct indicator *ind,
    const struct compare_result *a)
{
	(void)ind;
	api_csv_str(c, a->n ? validate_status_name(a->status) :
	    "niet geleverd");
}

static void
vgl_agg_onvolledig(struct api_csv *c, const struct indicator *ind,
    const struct compare_result *a)
{
	(void)ind;
	api_csv_str(c, a->onvolledig ? "ja" : "nee");
}

/* Columns of a group figure, once as groep_… and once as landelijk_…. */
static const struct {
	const char *name;
	vgl_agg_fn *fn;
} vgl_agg_cols[] = {
	{ "n", vgl_agg_n }, { "N", vgl_agg_N },
	{ "waarde", vgl_agg_waarde }, { "teller", vgl_agg_teller },
	{ "noemer", vgl_agg_noemer }, { "weergave", vgl_agg_weergave },
	{ "status", vgl_agg_status }, { "onvolledig", vgl_agg_onvolledig },
};

static void
vgl_indicator(struct api_csv *c, const struct vgl_line *l)
{
	api_csv_str(c, l->v->ind->id);
}

static void
vgl_periode(struct api_csv *c, const struct vgl_line *l)
{
	char	pb[16];

	api_csv_str(c, period_format(&l->v->periode, pb, sizeof(pb)));
}

static void
vgl_groep(struct api_csv *c, const struct vgl_line *l)
{
	api_csv_str(c, l->v->groep.id);
}

static void
vgl_groep_naam(struct api_csv *c, const struct vgl_line *l)
{
	api_csv_str(c, l->v->groep.naam);
}

static void
vgl_synthetisch(struct api_csv *c, const struct vgl_line *l)
{
	api_csv_str(c, l->v->synthetisch ? "ja" : "nee");
}

/* What waarde is: the indicator itself, its rate, or the bare count. */
static void
vgl_als(struct api_csv *c, const struct vgl_line *l)
{
	api_csv_str(c, l->v->basis.rate ? l->v->ind->vergelijk->als :
	    catalog_rankable(l->v->ind) ? "zichzelf" : "aantal");
}

static void
vgl_zoals_op(struct api_csv *c, const struct vgl_line *l)
{
	api_csv_str(c, l->v->zoals_op);
}

static void
vgl_rang(struct api_csv *c, const struct vgl_line *l)
{
	api_csv_num(c, l->r->rang ? l->r->rang : NAN, 0);
}

static void
vgl_code(struct api_csv *c, const struct vgl_line *l)
{
	api_csv_str(c, l->r->gemeente);
}

static void
vgl_naam(struct api_csv *c, const struct vgl_line *l)
{
	api_csv_str(c, l->naam);
}

static void
vgl_waarde(struct api_csv *c, const struct vgl_line *l)
{
	api_csv_num(c, l->r->waarde, -1);
}

static void
vgl_teller(struct api_csv *c, const struct vgl_line *l)
{
	api_csv_num(c, l->r->teller, -1);
}

static void
vgl_noemer(struct api_csv *c, const struct vgl_line *l)
{
	api_csv_num(c, l->r->noemer, -1);
}

/* A count ranked as a rate: the count itself, as "aantal" in the JSON. */
static void
vgl_aantal(struct api_csv *c, const struct vgl_line *l)
{
	api_csv_num(c, l->v->basis.rate ? l->r->teller : NAN, -1);
}

static void
vgl_weergave(struct api_csv *c, const struct vgl_line *l)
{
	api_csv_str(c, l->r->weergave);
}

static void
vgl_status(struct api_csv *c, const struct vgl_line *l)
{
	api_csv_str(c, l->r->geleverd ? validate_status_name(l->r->status) :
	    "niet geleverd");
}

static void
vgl_onvolledig(struct api_csv *c, const struct vgl_line *l)
{
	api_csv_str(c, l->r->onvolledig ? "ja" : "nee");
}

static void
vgl_onderdrukt(struct api_csv *c, const struct vgl_line *l)
{
	api_csv_str(c, l->r->onderdrukt ? "ja" : "nee");
}

static void
vgl_peildatum(struct api_csv *c, const struct vgl_line *l)
{
	char	pb[16];

	api_csv_str(c, l->r->geleverd && l->r->peildatum.year > 0 ?
	    period_format(&l->r->peildatum, pb, sizeof(pb)) : "");
}

/* The columns in order; doc/api.md and the vergelijk_csv documentation in
 * apidoc.c list the same. */
static const struct {
	const char *name;
	vgl_col_fn *fn;
} vgl_cols[] = {
	{ "indicator", vgl_indicator }, { "periode", vgl_periode },
	{ "groep", vgl_groep }, { "groep_naam", vgl_groep_naam },
	{ "synthetisch", vgl_synthetisch }, { "vergelijk_als", vgl_als },
	{ "zoals_op", vgl_zoals_op },
	{ "rang", vgl_rang }, { "code", vgl_code }, { "naam", vgl_naam },
	{ "waarde", vgl_waarde }, { "teller", vgl_teller },
	{ "noemer", vgl_noemer }, { "aantal", vgl_aantal },
	{ "weergave", vgl_weergave }, { "status", vgl_status },
	{ "onvolledig", vgl_onvolledig }, { "onderdrukt", vgl_onderdrukt },
	{ "peildatum", vgl_peildatum },
};

static void
vgl_csv_head(struct api_csv *csv)
{
	static const char *const who[] = { "groep", "landelijk" };
	char	name[48];

	for (size_t k = 0; k < NELEM(vgl_cols); k++)
		api_csv_str(csv, vgl_cols[k].name);
	for (size_t w = 0; w < NELEM(who); w++)
		for (size_t k = 0; k < NELEM(vgl_agg_cols); k++) {
			snprintf(name, sizeof(name), "%s_%s", who[w],
			    vgl_agg_cols[k].name);
			api_csv_str(csv, name);
		}
	api_csv_end_row(csv);
}

static void
vgl_csv_line(struct api_csv *csv, const struct vgl_line *l)
{
	const struct compare_result *agg[] = { &l->v->res, &l->v->land };

	for (size_t k = 0; k < NELEM(vgl_cols); k++)
		vgl_cols[k].fn(csv, l);
	for (size_t w = 0; w < NELEM(agg); w++)
		for (size_t k = 0; k < NELEM(vgl_agg_cols); k++)
			vgl_agg_cols[k].fn(csv, &l->v->basis.ind, agg[w]);
	api_csv_end_row(csv);
}

static int
vgl_csv(struct rq *rq, const struct query_vgl *v)
{
	const struct compare_row **rows = view_ranked(&v->res);
	struct api_csv csv;
	char	fname[128], pb[16];

	api_csv_init(&csv, rq->excel);
	vgl_csv_head(&csv);
	for (size_t i = 0; rows && i < v->res.nrows; i++) {
		const struct gemeente *g = register_find(rq->snap->reg,
		    rows[i]->gemeente);
		struct vgl_line l = { v, rows[i], g ? g->naam : "" };

		vgl_csv_line(&csv, &l);
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

	if (routes_vgl_compute(rq, arg, &v) != 0) {
		query_vgl_free(&v);
		return 0;
	}
	rc = rq->csv ? vgl_csv(rq, &v) : routes_reply_json(rq,
	    vgl_json(rq->snap->reg, &v));
	query_vgl_free(&v);
	return rc;
}

static int
vergelijk(struct rq *rq)
{
	const struct indicator *ind = routes_want_indicator(rq);
	char	key[512];

	if (ind == NULL)
		return 0;
	if (rq->csv)
		return vergelijk_build(rq, (void *)ind);
	if (routes_query_key(rq, "vergelijk", key, sizeof(key)) == -1)
		return 0;
	routes_depend_indicator(rq, ind);
	routes_depend_features(rq);	/* groep=vergelijkbaar-… */
	return routes_cached(rq, key, vergelijk_build, (void *)ind);
}
HANDLER(vergelijk)

static int
vergelijkbaar(struct rq *rq)
{
	const struct gemeente *g = routes_want_gemeente(rq);
	const struct conf_words *fw = &app_conf(rq->app)->peer_features;
	long long k = app_conf(rq->app)->peers_k;
	struct query_src src;
	struct compare_peers peers;
	struct err err = { "" };
	json_t *o, *arr, *feat, *own;

	if (g == NULL || routes_query_int(rq, "k", 1, 50, &k) == -1)
		return 0;
	if (k < 1 || k > 50)
		return api_refuse(rq->reply, ERR_INPUT, "k: kies 1 t/m 50");
	routes_src(rq, &src);
	src.k = (size_t)k;
	if (query_peers(&src, g->code, &peers, &err) == -1)
		return api_fail(rq->reply, &err);
	o = json_object();
	arr = json_array();
	feat = json_array();
	own = json_object();
	for (size_t j = 0; j < (size_t)fw->n; j++) {
		json_t *fj = json_object();

		json_put_str(fj, "id", fw->w[j]);
		json_put_str(fj, "schaal", strcmp(fw->w[j], "inwoners") == 0 ||
		    strcmp(fw->w[j], "huishoudens") == 0 ? "log10" : "lineair");
		json_put(fj, "gemiddelde", view_num(peers.gemiddelde[j]));
		json_put(fj, "sd", view_num(peers.sd[j]));
		json_put(fj, "eigen_z", view_num(peers.anker_z[j]));
		json_push(feat, fj);
		json_put(own, fw->w[j], view_num(peers.anker_waarden[j]));
	}
	for (size_t i = 0; i < peers.n; i++) {
		const struct gemeente *pg = &rq->snap->reg->gemeenten[
		    peers.peers[i].index];
		json_t *p = view_gemeente_brief(pg), *w = json_object();

		json_t *z = json_object();

		json_put_num(p, "afstand", peers.peers[i].afstand);
		json_put_int(p, "kenmerken", peers.peers[i].kenmerken);
		for (size_t j = 0; j < (size_t)fw->n; j++) {
			json_put(w, fw->w[j], view_num(
			    peers.peers[i].waarden[j]));
			json_put(z, fw->w[j], view_num(peers.peers[i].z[j]));
		}
		json_put(p, "waarden", w);
		json_put(p, "z", z);
		json_push(arr, p);
	}
	json_put(o, "gemeente", view_gemeente_brief(g));
	json_put_int(o, "k", k);
	json_put(o, "kenmerken", feat);
	json_put(o, "eigen_waarden", own);
	json_put_str(o, "methode", "afstand op gestandaardiseerde kenmerken "
	    "(z-scores: (waarde - gemiddelde) / sd over alle gemeenten; "
	    "grootte op log-schaal); gemeenten met meer gedeelde kenmerken "
	    "eerst, zie doc/methoden.md");
	json_put(o, "vergelijkbaar", arr);
	compare_peers_free(&peers);
	return routes_reply_json(rq, o);
}
HANDLER(vergelijkbaar)
