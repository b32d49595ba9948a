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
#include "analysis/map.h"
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

/* ---- the trend as our own SVG: the published series and the band ---- */

struct trend_data {
	struct chart_point *own, *p25, *p50, *p75, *land;
	size_t	nown, nband, nland;
};

static void
trend_data_free(struct trend_data *d)
{
	free(d->own);
	free(d->p25);
	free(d->p50);
	free(d->p75);
	free(d->land);
}

/* The gemeente's line for the PNG chart: what the series JSON publishes
 * (a suppressed value a gap), never the series file's raw values. *pts
 * is malloc'd. */
static int
png_line(const struct indicator *ind, const struct query_series *s,
    struct store_line *l, struct store_point **pts)
{
	if ((*pts = calloc(s->n + 1, sizeof(**pts))) == NULL)
		return -1;
	*l = (struct store_line){ .kind = ind->periode, .pts = *pts,
		.n = s->n, .nds = catalog_has_components(ind) ? 2 : 1 };
	for (size_t i = 0; i < s->n; i++) {
		struct compare_row row;
		struct store_point *p = &(*pts)[i];

		p->periode = s->v[i].periode;
		p->v[0] = p->v[1] = NAN;
		if (view_public(ind, &s->v[i], &row) == -1 || row.onderdrukt)
			continue;
		p->v[0] = l->nds == 2 ? row.teller : row.waarde;
		p->v[1] = l->nds == 2 ? row.noemer : NAN;
	}
	return 0;
}

/* The gemeente's values as the series JSON publishes them. */
static int
trend_own(const struct indicator *ind, const struct query_series *s,
    struct trend_data *d)
{
	if ((d->own = calloc(s->n + 1, sizeof(*d->own))) == NULL)
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		struct compare_row row;
		struct chart_point *p = &d->own[d->nown++];

		p->periode = s->v[i].periode;
		p->v = NAN;
		if (view_public(ind, &s->v[i], &row) == -1)
			continue;
		p->onderdrukt = row.onderdrukt;
		if (!row.onderdrukt && isfinite(row.waarde)) {
			p->v = row.waarde;
			snprintf(p->weergave, sizeof(p->weergave), "%s",
			    row.weergave);
		}
	}
	return 0;
}

/* One data source of a band file as chart points; a missing file is no
 * band (0 points). */
static int
trend_band(struct store *st, const char *groep, const struct indicator *ind,
    const struct period *van, const struct period *tot, const int *ds,
    struct chart_point **ret[], size_t nds, size_t *ret_n)
{
	struct store_band_point *b = NULL;
	size_t	n = 0;
	struct err err = { "" };

	*ret_n = 0;
	if (!store_band_exists(st, groep, ind->id) ||
	    store_band_read(st, groep, ind, van, tot, &b, &n, &err) == -1)
		return 0;
	for (size_t k = 0; k < nds; k++) {
		if ((*ret[k] = calloc(n + 1, sizeof(**ret[k]))) == NULL) {
			free(b);
			return -1;
		}
		for (size_t i = 0; i < n; i++) {
			(*ret[k])[i].periode = b[i].periode;
			(*ret[k])[i].v = b[i].v[ds[k]];
		}
	}
	*ret_n = n;
	free(b);
	return 0;
}

/* The x range: van..tot from the query (any period kind), else the last
 * ten years up to the newest value, starting no earlier than the first. */
static void
trend_range(const struct indicator *ind, const struct chart_opts *o,
    const struct query_series *s, struct period *van, struct period *tot)
{
	struct period last = s->n ? s->v[s->n - 1].periode :
	    period_at(ind->periode, (long long)time(NULL));

	*tot = o->has_tot ? period_at(ind->periode, period_end(&o->tot) - 1) :
	    last;
	if (o->has_van) {
		*van = period_at(ind->periode, period_start(&o->van));
		return;
	}
	*van = *tot;
	van->year -= 10;
	*van = period_next(van);
	if (s->n && period_start(&s->v[0].periode) > period_start(van))
		*van = s->v[0].periode;
}

static int
trend_svg(struct rq *rq, const struct chart_req *c, const struct chart_opts *o,
    const struct compare_groep *grp, char **ret, size_t *ret_len,
    struct err *err)
{
	static const int bands[] = { STORE_BAND_P25, STORE_BAND_P50,
		STORE_BAND_P75 }, agg[] = { STORE_BAND_AGG };
	struct store *st = app_store(rq->app);
	struct trend_data d = { 0 };
	struct query_series s;
	struct chart_trend_in in = { .ind = c->ind, .gm = c->g,
		.groep_naam = grp->naam, .w = o->w, .h = o->h };
	struct chart_point **bp[] = { &d.p25, &d.p50, &d.p75 }, **lp[] = {
		&d.land };
	int	rc = -1;
	struct query_src src;

	routes_src(rq, &src);
	if (query_series_load(&src, c->ind, c->g->code, c->ind->periode, &s,
	    err) == -1)
		return -1;
	in.synthetisch = s.synthetisch;
	trend_range(c->ind, o, &s, &in.van, &in.tot);
	if (trend_own(c->ind, &s, &d) == -1 ||
	    trend_band(st, grp->id, c->ind, &in.van, &in.tot, bands, bp, 3,
	    &d.nband) == -1 ||
	    trend_band(st, "alle", c->ind, &in.van, &in.tot, agg, lp, 1,
	    &d.nland) == -1) {
		err_set(err, "onvoldoende geheugen");
		goto out;
	}
	in.own = d.own;
	in.nown = d.nown;
	in.p25 = d.p25;
	in.p50 = d.p50;
	in.p75 = d.p75;
	in.nband = d.nband;
	in.land = d.land;
	in.nland = d.nland;
	rc = s.n == 0 && d.nband == 0 ? 1 : chart_trend(&in, ret, ret_len,
	    err);
out:
	query_series_free(&s);
	trend_data_free(&d);
	return rc;
}

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
	struct store_line line = { 0 };
	struct store_point *pts = NULL;
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
	if (query_series_load(&src, c->ind, c->g->code, c->ind->periode, &s,
	    &err) == -1 || (png_line(c->ind, &s, &line, &pts) == -1 &&
	    err_set(&err, "onvoldoende geheugen"))) {
		query_series_free(&s);
		compare_groep_free(&grp);
		return api_fail(rq->reply, &err);
	}
	o.synthetisch = s.synthetisch;
	o.eigen = &line;
	query_series_free(&s);
	/* a damaged series file is rebuilt from the ledger before it is
	 * drawn (issue 13); if that fails the chart cannot be trusted */
	if (heal_series(rq->app, rq->led, c->g->code, c->ind) == -1) {
		free(pts);
		compare_groep_free(&grp);
		return api_refuse(rq->reply, ERR_UNAVAILABLE, "deze grafiek is "
		    "tijdelijk niet beschikbaar; de cijfers staan in "
		    "/api/v1/series");
	}
	rc = band_ensure_at(&src, grp.id, c->ind, peer_version(rq),
	    &err) == -1 || band_ensure(&src, "alle", c->ind, &err) == -1 ? -1 :
	    o.png ?
	    chart_series(app_store(rq->app), c->ind, c->g, grp.id, grp.naam, &o,
	    &img, &len, &err) : trend_svg(rq, c, &o, &grp, (char **)&img, &len,
	    &err);
	free(pts);
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

/* ---- the map: a comparison's published cells on today's boundaries ---- */

/* The gemeenten formed by a herindeling after the start of p: the map
 * draws them on today's boundary with the figure delivered under their
 * current code, which the note says. "" when there are none. */
static void
herindel_note(const struct reg *reg, const struct period *p, char *buf,
    size_t size)
{
	char	start[16], names[800] = "";
	size_t	o = 0, n = 0;
	long long t = period_start(p);
	struct tm tm;
	time_t	tt = (time_t)t;

	gmtime_r(&tt, &tm);
	strftime(start, sizeof(start), "%Y-%m-%d", &tm);
	buf[0] = '\0';
	for (size_t i = 0; i < reg->nh && o < sizeof(names); i++) {
		const struct herindeling *h = &reg->herindelingen[i];
		if (strcmp(h->datum, start) <= 0 || strstr(names, h->nieuwe_naam))
			continue;
		o += (size_t)snprintf(names + o, sizeof(names) - o, "%s%s",
		    n++ ? ", " : "", h->nieuwe_naam);
	}
	if (n > 0)
		snprintf(buf, size, "Grenzen van 2025. Na het begin van deze "
		    "periode heringedeeld: %s; hun cijfer is wat onder de "
		    "huidige gemeentecode is geleverd.", names);
}

static int
map_build(struct rq *rq, void *arg)
{
	const char *markeer = api_query(rq->req, "markeer");
	const char *ws = api_query(rq->req, "w");
	const struct gemeente *m = markeer && *markeer ?
	    register_find(rq->snap->reg, markeer) : NULL;
	const struct geo *geo = rq->snap->geo;	/* loaded with the snapshot */
	char	sub[256], pb[16], noot[1200], *svg = NULL;
	struct query_vgl v;
	struct map_in in = { 0 };
	size_t	len = 0;
	struct err err = { "" };
	double	t0 = util_mono_s();
	int	rc;

	if (markeer && *markeer && m == NULL)
		return api_error(rq->reply, 404, "markeer: onbekende gemeente",
		    NULL);
	in.w = ws ? atoi(ws) : 0;
	if (ws && (in.w < MAP_W_MIN || in.w > MAP_W_MAX))
		return api_error(rq->reply, 400, "w: 300 t/m 1600", NULL);
	if (routes_vgl_compute(rq, arg, &v) != 0) {
		query_vgl_free(&v);
		return 0;
	}
	if (geo == NULL) {	/* app.c logged why at load */
		query_vgl_free(&v);
		return api_error(rq->reply, 500, "kaartgrenzen niet "
		    "beschikbaar", NULL);
	}
	snprintf(sub, sizeof(sub), "%s, %s", v.groep.naam, period_format(
	    &v.periode, pb, sizeof(pb)));
	herindel_note(rq->snap->reg, &v.periode, noot, sizeof(noot));
	in.ind = v.ind;
	in.res = &v.res;
	in.reg = rq->snap->reg;
	in.markeer = m ? m->code : NULL;
	in.titel = v.ind->naam;
	in.subtitel = sub;
	in.noot = noot;
	in.synthetisch = v.synthetisch;
	rc = map_render(geo, &in, &svg, &len, &err);
	query_vgl_free(&v);
	if (rc == -1)
		return api_error(rq->reply, 500, err.msg, NULL);
	count_render(rq, t0);
	return api_reply_take(rq->reply, 200, "image/svg+xml", svg, len);
}

static int
map_chart(struct rq *rq)
{
	const struct indicator *ind = routes_want_indicator(rq);
	char	key[512];

	if (ind == NULL)
		return 0;
	if (routes_query_key(rq, "kaart", key, sizeof(key)) == -1)
		return 0;
	return routes_cached(rq, key, map_build, (void *)ind);
}
HANDLER(map_chart)
