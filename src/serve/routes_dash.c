/* src/serve/routes_dash.c — the gemeente dashboard (every indicator as a
 * tile) and the uitstroom benchmark (domain §4). */
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
#include "serve/routes_rq.h"

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
	struct query_src src;
	struct compare_peers peers;
	struct err err = { "" };
	int	have_peers, synth = 0;
	json_t *o = json_object(), *tiles = json_array(), *pg = json_object();
	char	id[32];

	if (order == NULL)
		return -1;
	routes_src(rq, &src);
	have_peers = query_peers(&src, g->code, &peers, &err) == 0;
	/* Tiles read g's own series and its peers' values: an upload of any
	 * other gemeente leaves this dashboard as it is. */
	routes_depend(rq, "g:%s", g->code);
	routes_depend_features(rq);
	for (size_t i = 0; have_peers && i < peers.n; i++)
		routes_depend(rq, "g:%s", peers.peers[i].gemeente);
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

static int
uitstroom_benchmark(struct rq *rq)
{
	const struct gemeente *g = routes_want_gemeente(rq);
	const char *js = api_query(rq->req, "jaar");
	const char *ms = api_query(rq->req, "methode");
	struct benchmark_baseline base;
	struct benchmark_params par;
	struct benchmark_input in;
	struct benchmark_result res;
	struct err err = { "" };
	char	path[CONF_PATH_SIZE + 32];
	struct query_src src;
	int	jaar, onvolledig = 0;

	if (g == NULL)
		return 0;
	benchmark_params_default(&par);
	par.methode = BENCHMARK_MIDDEN;
	if (ms && *ms && benchmark_methode_parse(ms, &par.methode) == -1)
		return api_refuse(rq->reply, ERR_INPUT, "methode: kies laag, midden of "
		    "hoog");
	routes_src(rq, &src);
	jaar = js && *js ? atoi(js) : query_default_year(&src);
	if (jaar < 1900 || jaar > 2199)
		return api_refuse(rq->reply, ERR_INPUT, "jaar: geef een jaartal, "
		    "bijvoorbeeld 2024");
	snprintf(path, sizeof(path), "%s/uitstroom-baseline.ini",
	    app_conf(rq->app)->catalog_dir);
	if (benchmark_baseline_load(path, &base, &err) == -1)
		return api_fail(rq->reply, &err);
	query_benchmark_input(&src, g->code, jaar, &in, &onvolledig);
	if (benchmark_eval(&base, &in, &par, &res, &err) == -1)
		return api_fail(rq->reply, &err);
	return routes_reply_json(rq, view_benchmark(g, jaar,
	    benchmark_methode_name(par.methode), &res, onvolledig));
}
HANDLER(uitstroom_benchmark)
