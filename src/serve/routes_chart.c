/* src/serve/routes_chart.c — charts: rendered by librrd (series) or our
 * SVG writer (cross-section), cached by parameters and data version. */
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
#include "store/heal.h"
#include "serve/routes.h"
#include "serve/routes_rq.h"
#include "base/util.h"

/* ---- charts: rendered by librrd (series) or our SVG writer (cross-
 * section), cached by parameters and data version ---- */

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
	metrics_add(rq->metrics, t, util_mono_s() - since);
}

/* w and h query parameters; 0 = the chart's default. -1 after a 400. */
static int
chart_size(struct rq *rq, struct chart_opts *o)
{
	long long w = 0, h = 0;

	if (routes_query_int(rq, "w", CHART_W_MIN, CHART_W_MAX, &w) == -1 ||
	    routes_query_int(rq, "h", CHART_H_MIN, CHART_H_MAX, &h) == -1)
		return -1;
	o->w = (int)w;
	o->h = (int)h;
	return 0;
}

struct chart_req {
	const struct gemeente *g;
	const struct indicator *ind;
	const char *groep;
};

/* What a peer band is built from: the tags the chart depends on (its
 * indicator with any noemer, and the peer features; series_chart), as
 * stamped by the ingest hook (routes.c). */
static long long
peer_version(struct rq *rq)
{
	const char *tags[ROUTES_MAX_TAGS];

	for (size_t i = 0; i < rq->ntags; i++)
		tags[i] = rq->tags[i];
	return (long long)cache_stamp_max(app_cache(rq->app), tags, rq->ntags);
}

static int
series_chart_build(struct rq *rq, void *arg)
{
	const struct chart_req *c = arg;
	struct chart_opts o = { .png = strcmp(rq->params->ext, "png") == 0 };
	struct query_src src;
	struct compare_groep grp;
	struct query_series s;
	struct err err = { "" };
	unsigned char *img = NULL;
	size_t	len = 0;
	double	t0 = util_mono_s();
	int	rc;

	routes_src(rq, &src);
	if (chart_size(rq, &o) == -1 || routes_query_range(rq, &o.van,
	    &o.has_van, &o.tot, &o.has_tot) == -1)
		return 0;
	if (compare_groep_resolve(rq->snap->reg, c->groep, &grp, &err) == -1)
		return api_fail(rq->reply, &err);
	if (grp.soort == COMPARE_GROEP_VERGELIJKBAAR)
		snprintf(grp.naam, sizeof(grp.naam), "vergelijkbare gemeenten");
	if (query_series_load(rq->led, c->ind, c->g->code, c->ind->periode, &s,
	    &err) == 0)
		o.synthetisch = s.synthetisch;
	query_series_free(&s);
	/* a damaged series file is rebuilt from the ledger before it is
	 * drawn (issue 13); if that fails the chart cannot be trusted */
	if (heal_series(rq->app, rq->led, c->g->code, c->ind) == -1) {
		compare_groep_free(&grp);
		return api_refuse(rq->reply, ERR_UNAVAILABLE, "deze grafiek is "
		    "tijdelijk niet beschikbaar; de cijfers staan in "
		    "/api/v1/series");
	}
	rc = band_ensure_at(&src, grp.id, c->ind, peer_version(rq),
	    &err) == -1 || band_ensure(&src, "alle", c->ind, &err) == -1 ? -1 :
	    chart_series(app_store(rq->app), c->ind, c->g, grp.id, grp.naam, &o,
	    &img, &len, &err);
	compare_groep_free(&grp);
	if (rc == 1)
		return api_refuse(rq->reply, ERR_NOT_FOUND,
		    "geen gegevens voor deze "
		    "grafiek");
	if (rc == -1)
		return api_fail(rq->reply, &err);
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

	if ((c.g = routes_want_gemeente(rq)) == NULL ||
	    (c.ind = routes_want_indicator(rq)) == NULL)
		return 0;
	snprintf(def, sizeof(def), "vergelijkbaar-%s", c.g->code);
	c.groep = q && *q ? q : def;
	if (routes_query_key(rq, "chart", key, sizeof(key)) == -1)
		return 0;
	/* The country's band moves with any gemeente's value; the peer
	 * band also with the peer features. */
	routes_depend_indicator(rq, c.ind);
	routes_depend_features(rq);
	return routes_cached(rq, key, series_chart_build, &c);
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
	double	t0 = util_mono_s();
	int	rc;

	if (markeer && *markeer && m == NULL)
		return api_refuse(rq->reply, ERR_NOT_FOUND,
		    "markeer: onbekende gemeente");
	if (chart_size(rq, &o) == -1 || routes_vgl_compute(rq, arg, &v) != 0) {
		query_vgl_free(&v);
		return 0;
	}
	o.synthetisch = v.synthetisch;
	snprintf(sub, sizeof(sub), "%s, %s", v.groep.naam, period_format(
	    &v.periode, pb, sizeof(pb)));
	rc = chart_vergelijk(&v.basis.ind, &v.res, rq->snap->reg, m ? m->code :
	    NULL, v.basis.ind.naam, sub, v.land.aggregaat_onderdrukt ? NAN : v.land.waarde,
	    &o, &svg, &len, &err);
	query_vgl_free(&v);
	if (rc == -1)
		return api_fail(rq->reply, &err);
	count_render(rq, t0);
	return api_reply_take(rq->reply, 200, "image/svg+xml", svg, len);
}

static int
vergelijk_chart(struct rq *rq)
{
	const struct indicator *ind = routes_want_indicator(rq);
	char	key[512];

	if (ind == NULL)
		return 0;
	if (routes_query_key(rq, "vchart", key, sizeof(key)) == -1)
		return 0;
	routes_depend_indicator(rq, ind);
	routes_depend_features(rq);
	return routes_cached(rq, key, vergelijk_chart_build, (void *)ind);
}
HANDLER(vergelijk_chart)
