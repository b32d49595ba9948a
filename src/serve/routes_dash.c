/* src/serve/routes_dash.c — the gemeente dashboard (every indicator as a
 * tile) and the uitstroom benchmark (domain §4). */
#include "config.h"

#include <math.h>
#include <stddef.h>
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
#include "base/num.h"
#include "serve/routes.h"
#include "serve/routes_rq.h"

/* ---- the gemeente dashboard: every indicator as a tile ---- */

static json_t *
point_json(const struct indicator *ind, const struct compare_period *v)
{
	return v ? view_value(ind, v, -1) : json_null();
}

/* ---- memos in the response cache: what every dashboard build needs and
 * all of them share, computed once per change of what it depends on (the
 * same tags as the answers), not once per dashboard. The keys are no
 * route's keys, so they are never sent. ---- */

/* A gemeente's vergelijkbare gemeenten (codes, nearest first). The peer
 * search reads every gemeente's features: the dearest part of a build. */
struct peer_codes {
	size_t	n;
	char	code[400][8];	/* conf peers_k <= 400 */
};

/* The cached bytes of key, or NULL. */
static const struct cache_value *
memo_get(struct rq *rq, const char *key)
{
	return cache_get(app_cache(rq->app), key, 0);
}

/* Store data under key, tagged with the tags of rq (routes_depend). */
static void
memo_put(struct rq *rq, const char *key, uint64_t mark, const void *data,
    size_t len)
{
	const char *tags[ROUTES_MAX_TAGS];

	for (size_t i = 0; i < rq->ntags; i++)
		tags[i] = rq->tags[i];
	cache_value_release(cache_put_tagged(app_cache(rq->app), key, mark,
	    tags, rq->ntags, "application/octet-stream", data, len));
}

/* A memo's own tags, without disturbing the answer's: a scratch rq. */
static void
memo_put_tagged(struct rq *rq, const char *key, uint64_t mark,
    const struct indicator *ind, const void *data, size_t len)
{
	struct rq *t = malloc(sizeof(*t));

	if (t == NULL)
		return;
	*t = *rq;
	t->ntags = 0;
	if (ind != NULL)
		routes_depend_indicator(t, ind);
	else
		routes_depend_features(t);
	memo_put(t, key, mark, data, len);
	free(t);
}

static void
memo_store_xsec(struct rq *rq, const struct indicator *ind, const char *key,
    uint64_t mark, const struct query_xsec *x)
{
	size_t	hdr = sizeof(x->synthetisch), len = hdr + x->n * sizeof(*x->v);
	unsigned char *buf = malloc(len);

	if (buf == NULL)
		return;
	memcpy(buf, &x->synthetisch, hdr);
	if (x->n > 0)
		memcpy(buf + hdr, x->v, x->n * sizeof(*x->v));
	memo_put_tagged(rq, key, mark, ind, buf, len);
	free(buf);
}

/* peers of g (0), or -1 when there are none (err set). */
static int
peers_memo(struct rq *rq, const struct gemeente *g, struct peer_codes *ret,
    struct err *err)
{
	const struct cache_value *v;
	struct compare_peers peers;
	struct query_src src;
	uint64_t mark;
	char	key[64];

	snprintf(key, sizeof(key), "memo-peers|%s", g->code);
	if ((v = memo_get(rq, key)) != NULL && v->len <= sizeof(*ret)) {
		memcpy(ret, v->data, v->len);
		cache_value_release(v);
		return 0;
	}
	cache_value_release(v);
	mark = cache_mark(app_cache(rq->app));
	routes_src(rq, &src);
	if (query_peers(&src, g->code, &peers, err) == -1)
		return -1;
	ret->n = 0;
	for (size_t i = 0; i < peers.n && ret->n < 400; i++)
		memcpy(ret->code[ret->n++], peers.peers[i].gemeente, 8);
	compare_peers_free(&peers);
	memo_put_tagged(rq, key, mark, NULL, ret, offsetof(struct peer_codes,
	    code) + ret->n * sizeof(ret->code[0]));
	return 0;
}

/* What b ranks for every gemeente in p (query_basis_xsec), shared by the
 * dashboards of all gemeenten until the indicator or its noemer changes.
 * Free x->v. */
static int
xsec_memo(struct rq *rq, const struct indicator *ind,
    const struct query_basis *b, const struct period *p, struct query_xsec *x,
    struct err *err)
{
	const struct cache_value *v;
	struct query_src src;
	uint64_t mark;
	char	key[160], pb[16];
	size_t	hdr = sizeof(x->synthetisch);

	snprintf(key, sizeof(key), "memo-xsec|%s|%s", b->ind.id,
	    period_format(p, pb, sizeof(pb)));
	if ((v = memo_get(rq, key)) != NULL && v->len >= hdr) {
		x->n = (v->len - hdr) / sizeof(*x->v);
		x->v = malloc(x->n ? x->n * sizeof(*x->v) : 1);
		if (x->v != NULL) {
			memcpy(&x->synthetisch, v->data, hdr);
			memcpy(x->v, v->data + hdr, x->n * sizeof(*x->v));
		}
		cache_value_release(v);
		return x->v ? 0 : err_set(err, "onvoldoende geheugen");
	}
	cache_value_release(v);
	mark = cache_mark(app_cache(rq->app));
	routes_src(rq, &src);
	if (query_basis_xsec(&src, ind, b, p, x, err) == -1)
		return -1;
	memo_store_xsec(rq, ind, key, mark, x);
	return 0;
}

#define POSITIE_MIN_PEERS 5	/* a position needs this many peers (domain §3.9) */

/* A position without a verdict, and why. */
static json_t *
position_none(const char *reden)
{
	json_t *o = json_object();

	json_put(o, "hoger_dan", json_null());
	json_put(o, "lager_dan", json_null());
	json_put_int(o, "van", 0);
	json_put_str(o, "tekst", reden);
	json_put_str(o, "oordeel", "geen");
	json_put_str(o, "reden", reden);
	return o;
}

/* How the own value compares with the published peers' values. */
static void
position_count(const struct query_xsec *x, const struct compare_row *own,
    const struct indicator *ind, const struct peer_codes *peers,
    size_t *lower, size_t *higher, size_t *van)
{
	for (size_t i = 0; i < peers->n; i++) {
		const struct compare_period *v = query_xsec_find(x,
		    peers->code[i]);
		struct compare_row pr;

		if (v == NULL || !isfinite(v->waarde) ||
		    view_public(ind, v, &pr) == -1 || pr.onderdrukt)
			continue;
		(*van)++;
		*lower += own->waarde > v->waarde;
		*higher += own->waarde < v->waarde;
	}
}

/* "hoger dan 7 van de 10 vergelijkbare gemeenten" on what the indicator
 * is compared as (a count through its rate, domain §3.9), with a
 * judgement by the indicator's richting; a position without verdict and
 * the reason when the indicator is not ranked, the own value is not
 * published or fewer than POSITIE_MIN_PEERS peers have a value. */
static json_t *
position_json(struct rq *rq, const struct indicator *ind,
    const struct compare_period *own, const struct peer_codes *peers)
{
	size_t	lower = 0, higher = 0, van = 0;
	struct query_basis b;
	struct compare_row row;
	struct query_xsec x;
	const struct compare_period *mine;
	struct err err = { "" };
	json_t *o;
	char	tekst[200];

	query_basis(ind, 0, &b);
	if (!b.rangschik)
		return position_none(b.reden);
	if (xsec_memo(rq, ind, &b, &own->periode, &x, &err) == -1)
		return json_null();
	mine = query_xsec_find(&x, own->gemeente);
	if (mine == NULL || !isfinite(mine->waarde) ||
	    view_public(&b.ind, mine, &row) == -1 || row.onderdrukt) {
		free(x.v);
		return position_none(b.rate ? "geen gepubliceerd cijfer "
		    "(noemer ontbreekt of klein aantal)" : "geen gepubliceerd "
		    "cijfer");
	}
	position_count(&x, &row, &b.ind, peers, &lower, &higher, &van);
	free(x.v);
	if (van < POSITIE_MIN_PEERS) {
		snprintf(tekst, sizeof(tekst), "geen oordeel: %zu van de %zu "
		    "vergelijkbare gemeenten hebben een cijfer (minimaal %d)",
		    van, peers->n, POSITIE_MIN_PEERS);
		return position_none(tekst);
	}
	snprintf(tekst, sizeof(tekst), "%s%s%s dan %zu van de %zu "
	    "vergelijkbare gemeenten", b.rate ? ind->vergelijk->tekst : "",
	    b.rate ? ": " : "", lower >= higher ? "hoger" : "lager",
	    lower >= higher ? lower : higher, van);
	o = json_object();
	json_put_int(o, "hoger_dan", (long long)lower);
	json_put_int(o, "lager_dan", (long long)higher);
	json_put_int(o, "van", (long long)van);
	json_put_str(o, "tekst", tekst);
	json_put_str(o, "als", b.rate ? ind->vergelijk->als : "zichzelf");
	json_put(o, "cijfer", view_num(row.waarde));
	json_put_str(o, "oordeel", ind->richting == RICHTING_NEUTRAAL ||
	    lower == higher ? "neutraal" : (lower > higher) ==
	    (ind->richting == RICHTING_HOGER_BETER) ? "gunstig" : "ongunstig");
	return o;
}

/* The change from toen to nu with a verdict only when it is large enough
 * to mean something: at least the indicator's oordeel_drempel percent of
 * the earlier value (domain §3.9, not "+1 (+0,2%) ongunstig"). */
static json_t *
change_json(const struct indicator *ind, const struct compare_period *nu,
    const struct compare_period *toen)
{
	json_t *o;
	double	d, rel;
	char	reden[128] = "";
	const char *oordeel;

	struct compare_row a, b;

	/* a change is the published values' difference: with one of them
	 * suppressed it would give that one (domain §3.5) */
	if (nu == NULL || toen == NULL || view_public(ind, nu, &a) == -1 ||
	    view_public(ind, toen, &b) == -1 || a.onderdrukt || b.onderdrukt ||
	    !isfinite(a.waarde) || !isfinite(b.waarde))
		return json_null();
	d = a.waarde - b.waarde;
	rel = b.waarde != 0 ? d / fabs(b.waarde) * 100 : NAN;
	if (ind->richting == RICHTING_NEUTRAAL || d == 0)
		oordeel = "neutraal";
	else if (!isfinite(rel) || fabs(rel) < ind->oordeel_drempel) {
		oordeel = "geen";
		snprintf(reden, sizeof(reden), "verandering kleiner dan %g%% "
		    "van de eerdere waarde: geen oordeel", ind->oordeel_drempel);
	} else
		oordeel = (d > 0) == (ind->richting == RICHTING_HOGER_BETER) ?
		    "gunstig" : "ongunstig";
	o = json_object();
	json_put_num(o, "verschil", d);
	json_put(o, "relatief_pct", view_num(rel));
	json_put_str(o, "oordeel", oordeel);
	json_put(o, "reden", reden[0] ? json_string(reden) : json_null());
	return o;
}

static json_t *
tile_json(struct rq *rq, const struct gemeente *g, const struct indicator *ind,
    const struct peer_codes *peers, int *synth)
{
	struct query_series s;
	struct query_src src;
	struct err err = { "" };
	const struct compare_period *last;
	struct period prev, year;
	json_t *o, *ch;

	routes_src(rq, &src);
	if (query_series_load(&src, ind, g->code, ind->periode, &s, &err) == -1 ||
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
	json_put(o,
	    "jaar_eerder", point_json(ind, query_series_find(&s, &year)));
	json_put(o, "positie", peers ? position_json(rq, ind, last, peers) :
	    json_null());
	ch = json_object();
	json_put(ch, "vorige", change_json(ind, last, query_series_find(&s,
	    &prev)));
	json_put(ch, "jaar_eerder", change_json(ind, last, query_series_find(&s,
	    &year)));
	json_put(o, "verandering", ch);
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
	struct peer_codes *peers = malloc(sizeof(*peers));
	struct err err = { "" };
	int	have_peers, synth = 0;
	json_t *o = json_object(), *tiles = json_array(), *pg = json_object();
	char	id[32];

	if (order == NULL || peers == NULL) {
		free(order);
		free(peers);
		return -1;
	}
	have_peers = peers_memo(rq, g, peers, &err) == 0;
	/* Tiles read g's own series and its peers' values (counts with
	 * their noemers): an upload of any other gemeente leaves this
	 * dashboard as it is. */
	routes_depend(rq, "g:%s", g->code);
	routes_depend_features(rq);
	for (size_t i = 0; have_peers && i < peers->n; i++)
		routes_depend(rq, "g:%s", peers->code[i]);
	for (size_t i = 0; i < cat->n; i++)
		order[i] = &cat->items[i];
	qsort(order, cat->n, sizeof(*order), cmp_theme);
	for (size_t i = 0; i < cat->n; i++) {
		json_t *t = tile_json(rq, g, order[i], have_peers ? peers :
		    NULL, &synth);

		if (t != NULL)
			json_push(tiles, t);
	}
	snprintf(id, sizeof(id), "vergelijkbaar-%s", g->code);
	json_put_str(pg, "id", id);
	json_put_str(pg, "naam", "vergelijkbare gemeenten");
	json_put_int(pg, "leden", have_peers ? (long long)peers->n : 0);
	json_put(o, "gemeente", view_gemeente(g));
	json_put_bool(o, "synthetisch", synth);
	json_put(o, "peergroep", pg);
	json_put(o, "tegels", tiles);
	free(peers);
	free(order);
	return routes_reply_json(rq, o);
}

static int
dashboard(struct rq *rq)
{
	const struct gemeente *g = routes_want_gemeente(rq);
	char	key[64];

	if (g == NULL)
		return 0;
	snprintf(key, sizeof(key), "dashboard|%s", g->code);
	return routes_cached(rq, key, dashboard_build, (void *)g);
}
HANDLER(dashboard)

/* ---- the uitstroom benchmark (domain §4) ---- */

/* Numeric parameters of the benchmark (Dutch notation, "35.000"). */
static const struct {
	const char *key;
	size_t	off;		/* a double in struct benchmark_params */
	double	lo, hi;
} bench_nums[] = {
	{ "bedrag", offsetof(struct benchmark_params, bedrag_per_uitstromer),
	    0, 1e7 },
	{ "kosten", offsetof(struct benchmark_params, kosten), 0, 1e11 },
	{ "overige", offsetof(struct benchmark_params, overige_besparing), 0,
	    1e11 },
	{ "toerekening", offsetof(struct benchmark_params, toerekening), 0, 1 },
	{ "aandeel", offsetof(struct benchmark_params, gemeentelijk_aandeel), 0,
	    1 },
};

/* methode, kolom, terugval and the numbers of bench_nums. Answers 400
 * itself and returns -1 on a bad value. */
static int
bench_params(struct rq *rq, struct benchmark_params *par)
{
	const char *ms = api_query(rq->req, "methode");
	const char *ks = api_query(rq->req, "kolom");
	const char *tv = api_query(rq->req, "terugval");

	benchmark_params_default(par);
	par->methode = BENCHMARK_MIDDEN;
	if (ms && *ms && benchmark_methode_parse(ms, &par->methode) == -1)
		return api_refuse(rq->reply, ERR_INPUT, "methode: kies laag, "
		    "midden of hoog"), -1;
	if (ks && *ks && benchmark_kolom_parse(ks, &par->kolom) == -1)
		return api_refuse(rq->reply, ERR_INPUT, "kolom: kies "
		    "werk_opleiding (standaard) of alle"), -1;
	if (tv && *tv && strcmp(tv, "0") && strcmp(tv, "1"))
		return api_refuse(rq->reply, ERR_INPUT, "terugval: 0 of 1"),
		    -1;
	par->terugval = tv == NULL || *tv == '\0' || strcmp(tv, "1") == 0;
	for (size_t i = 0; i < sizeof(bench_nums) / sizeof(*bench_nums); i++) {
		const char *v = api_query(rq->req, bench_nums[i].key);
		double	x;

		if (v == NULL || *v == '\0')
			continue;
		if (num_dutch(v, &x) == -1 || x < bench_nums[i].lo ||
		    x > bench_nums[i].hi) {
			char	msg[96];

			snprintf(msg, sizeof(msg), "%s: geef een getal van "
			    "%g tot %g", bench_nums[i].key, bench_nums[i].lo,
			    bench_nums[i].hi);
			return api_refuse(rq->reply, ERR_INPUT, "%s", msg), -1;
		}
		*(double *)(void *)((char *)par + bench_nums[i].off) = x;
	}
	return 0;
}

/* Missing bestand is refused; a year with fewer than 12 months of flows
 * is refused unless ?schatten=1, then each flow is extrapolated to a year
 * from its own months (and the answer says geschat). Answers 422 itself
 * and returns -1. */
static int
bench_complete(struct rq *rq, int jaar, struct benchmark_input *in,
    const struct query_bench_status *st)
{
	const char *sv = api_query(rq->req, "schatten");
	double *flows[] = { &in->werk, &in->opleiding, &in->ondernemer,
		&in->deeltijd };
	char	msg[1024];

	if (st->bestand_ontbreekt || st->maanden == 0) {
		snprintf(msg, sizeof(msg), "geen benchmark voor %d: ontbreekt: "
		    "%s", jaar, st->ontbreekt);
		return api_refuse(rq->reply, ERR_REJECTED, "%s", msg), -1;
	}
	if (st->maanden == 12)
		return 0;
	if (sv == NULL || strcmp(sv, "1") != 0) {
		snprintf(msg, sizeof(msg), "%d heeft %d van de 12 maanden "
		    "uitstroom (ontbreekt: %s); vraag ?schatten=1 voor een "
		    "schatting op jaarbasis", jaar, st->maanden, st->ontbreekt);
		return api_refuse(rq->reply, ERR_REJECTED, "%s", msg), -1;
	}
	for (size_t i = 0; i < sizeof(flows) / sizeof(*flows); i++)
		*flows[i] *= 12.0 / st->maanden_stroom[i];
	return 0;
}

/* Disclosure control of the benchmark (domain §3.5): its totals are linear
 * forms of the duurklassen and the flows; when they would reveal a small
 * number the benchmark is refused, and a withheld duurklasse's expected
 * figure is not shown. */
static int
bench_public(struct rq *rq, const struct query_src *src,
    const struct gemeente *g, int jaar, const struct benchmark_params *par,
    const struct query_bench_status *st, struct benchmark_result *res)
{
	double	rate[BENCHMARK_NKLASSEN], sl[BENCHMARK_NKLASSEN];
	const char *wat = "";
	struct err err = { "" };
	int	ok;

	for (int k = 0; k < BENCHMARK_NKLASSEN; k++) {
		rate[k] = benchmark_rate(&rq->snap->baseline, k, par->methode,
		    par->kolom);
		sl[k] = benchmark_schadelast(&rq->snap->baseline, k, par);
	}
	if ((ok = query_benchmark_public(src, g->code, jaar, rate, sl, &wat,
	    &err)) == -1)
		return api_fail(rq->reply, &err), -1;
	if (ok == 0)
		return api_refuse(rq->reply, ERR_REJECTED, "geen benchmark "
		    "voor %d: %s zou kleine aantallen (1 tot 4) onthullen die "
		    "onderdrukt zijn", jaar, wat), -1;
	for (int k = 0; k < BENCHMARK_NKLASSEN; k++)
		if (st->klasse_onderdrukt[k])
			res->verwacht_klasse[k] = NAN;
	return 0;
}

static int
uitstroom_benchmark(struct rq *rq)
{
	const struct gemeente *g = routes_want_gemeente(rq);
	struct benchmark_params par;
	struct benchmark_input in;
	struct benchmark_result res;
	struct query_bench_status st;
	struct err err = { "" };
	struct query_src src;
	long long jaar = 0;
	int	has;

	if (g == NULL || bench_params(rq, &par) == -1)
		return 0;
	routes_src(rq, &src);
	if ((has = routes_query_int(rq, "jaar", 1900, 2199, &jaar)) == -1)
		return 0;
	if (!has)
		jaar = query_default_year(&src);
	if (jaar < 1900 || jaar > 2199)
		return api_refuse(rq->reply, ERR_INPUT,
		    "jaar: geef een jaartal, "
		    "bijvoorbeeld 2024");
	query_benchmark_input(&src, g->code, (int)jaar, &in, &st);
	if (bench_complete(rq, (int)jaar, &in, &st) == -1)
		return 0;
	if (benchmark_eval(&rq->snap->baseline, &in, &par, &res, &err) == -1)
		return api_fail(rq->reply, &err);
	if (bench_public(rq, &src, g, (int)jaar, &par, &st, &res) == -1)
		return 0;
	return routes_reply_json(rq, view_benchmark(g, (int)jaar,
	    benchmark_methode_name(par.methode), &res, st.maanden));
}
HANDLER(uitstroom_benchmark)

/* ---- the kern block: outcome rates over the years against the named
 * peers (the answer a raadslid looks for first) ---- */

/* The outcome indicators, in the order the block shows them. */
static const char *const kern_ids[] = {
	"pw_uitstroom_resultaat_pct",		/* uitstroom naar werk */
	"esc_ontruiming_voorkomen_pct",		/* escalaties voorkomen */
	"pl_stijgers_pct",			/* participatie */
};
#define KERN_YEARS	6	/* the last years with data */

static const struct compare_row *
kern_row(const struct compare_result *res, const char *code)
{
	for (size_t i = 0; i < res->nrows; i++)
		if (strcmp(res->rows[i].gemeente, code) == 0)
			return &res->rows[i];
	return NULL;
}

/* One year: the gemeente's, the peers' (in peer order), the group's and
 * the country's published figures of the same comparison as
 * /api/v1/vergelijk/ID?periode=JJJJ&groep=vergelijkbaar-GM. */
static json_t *
kern_year(struct rq *rq, const struct indicator *ind, const struct gemeente *g,
    const struct compare_peers *peers, int year, int *synth)
{
	struct period p = { .kind = PERIOD_JAAR, .year = year, .index = 1 };
	struct query_src src;
	struct query_vgl v;
	struct err err = { "" };
	char	gid[32], pb[16];
	const struct compare_row *r;
	json_t *o = NULL, *arr;

	routes_src(rq, &src);
	snprintf(gid, sizeof(gid), "vergelijkbaar-%s", g->code);
	if (query_vgl(&src, ind, &p, gid, 0, &v, &err) != 0)
		goto out;
	*synth |= v.synthetisch;
	o = json_object();
	arr = json_array();
	json_put_str(o, "periode", period_format(&p, pb, sizeof(pb)));
	r = kern_row(&v.res, g->code);
	json_put(o, "gemeente", r ? view_row(rq->snap->reg, r) : json_null());
	for (size_t i = 0; i < peers->n; i++)
		if ((r = kern_row(&v.res, peers->peers[i].gemeente)) != NULL)
			json_push(arr, view_row(rq->snap->reg, r));
	json_put(o, "peers", arr);
	json_put(o, "groepcijfer", view_aggregate(ind, &v.res));
	json_put(o, "landelijk", view_aggregate(ind, &v.land));
out:
	query_vgl_free(&v);
	return o;
}

static json_t *
kern_indicator(struct rq *rq, const struct indicator *ind,
    const struct gemeente *g, const struct compare_peers *peers, int *synth)
{
	struct query_series s;
	struct query_src src;
	struct err err = { "" };
	json_t *o, *years;
	size_t	from;

	routes_src(rq, &src);
	if (query_series_load(&src, ind, g->code, PERIOD_JAAR, &s, &err) ==
	    -1 || s.n == 0) {
		query_series_free(&s);
		return NULL;
	}
	o = json_object();
	years = json_array();
	json_put(o, "indicator", view_indicator_brief(ind));
	from = s.n > KERN_YEARS ? s.n - KERN_YEARS : 0;
	for (size_t i = from; i < s.n; i++) {
		json_t *y = kern_year(rq, ind, g, peers, s.v[i].periode.year,
		    synth);
		if (y != NULL)
			json_push(years, y);
	}
	json_put(o, "jaren", years);
	query_series_free(&s);
	return o;
}

static json_t *
kern_peers(const struct reg *reg, const struct compare_peers *peers)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < peers->n; i++) {
		const struct gemeente *p = register_find(reg,
		    peers->peers[i].gemeente);
		if (p != NULL)
			json_push(arr, view_gemeente_brief(p));
	}
	return arr;
}

static int
kern_build(struct rq *rq, void *arg)
{
	const struct gemeente *g = arg;
	struct query_src src;
	struct compare_peers peers;
	struct err err = { "" };
	int	synth = 0;
	json_t *o, *inds, *pg;
	char	id[32];

	routes_src(rq, &src);
	if (query_peers(&src, g->code, &peers, &err) == -1)
		return api_fail(rq->reply, &err);
	o = json_object();
	inds = json_array();
	pg = json_object();
	for (size_t i = 0; i < sizeof(kern_ids) / sizeof(*kern_ids); i++) {
		const struct indicator *ind = catalog_find(rq->snap->cat,
		    kern_ids[i]);
		json_t *k = ind ? kern_indicator(rq, ind, g, &peers, &synth) :
		    NULL;
		if (k != NULL)
			json_push(inds, k);
	}
	snprintf(id, sizeof(id), "vergelijkbaar-%s", g->code);
	json_put_str(pg, "id", id);
	json_put_str(pg, "naam", "vergelijkbare gemeenten");
	json_put_int(pg, "leden", (long long)peers.n + 1);
	json_put(pg, "peers", kern_peers(rq->snap->reg, &peers));
	json_put(o, "gemeente", view_gemeente_brief(g));
	json_put(o, "peergroep", pg);
	json_put_bool(o, "synthetisch", synth);
	json_put(o, "indicatoren", inds);
	compare_peers_free(&peers);
	return routes_reply_json(rq, o);
}

static int
kern(struct rq *rq)
{
	const struct gemeente *g = routes_want_gemeente(rq);
	char	key[64];

	if (g == NULL)
		return 0;
	snprintf(key, sizeof(key), "kern|%s", g->code);
	return routes_cached(rq, key, kern_build, (void *)g);
}
HANDLER(kern)

/* ---- a number as people type it, read by the feeds' parser ---- */

/* GET /api/v1/getal?tekst=38.000: the dashboard's forms (alert
 * thresholds) read numbers with the same rules as a feed cell (num_dutch:
 * thousands dots, decimal comma) and echo what was read before saving. */
static int
getal(struct rq *rq)
{
	const char *t = api_query(rq->req, "tekst");
	char	buf[64];
	double	v;
	int	dec = 0;
	json_t *o;

	if (t == NULL || num_dutch(t, &v) == -1) {
		return api_refuse(rq->reply, ERR_INPUT, "'%.80s' is geen getal; "
		    "schrijf bijvoorbeeld 38.000 of 12,5", t ? t : "");
	}
	/* as many decimals as the number has (at most 6), no more */
	while (dec < 6 && fabs(v * pow(10, dec) - round(v * pow(10, dec))) >
	    1e-9 * fmax(1, fabs(v * pow(10, dec))))
		dec++;
	o = json_object();
	json_put_str(o, "tekst", t);
	json_put_num(o, "waarde", v);
	json_put_str(o, "weergave", compare_format(v, dec, buf, sizeof(buf)));
	return routes_reply_json(rq, o);
}
HANDLER(getal)
