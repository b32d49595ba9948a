/* src/analysis/map.c — the choropleth behind /chart/kaart/…: the boundaries
 * of today's gemeenten and provincies (input/geo, projected when loaded),
 * coloured by a published comparison (the cells of the vergelijk JSON). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/chart.h"
#include "analysis/map.h"
#include "input/geo.h"
#include "base/json.h"
#include "base/util.h"


#define C_SUPPRESSED	"#737373"	/* hatch lines */
#define C_MISSING	"#BDBDBD"
#define C_OUTSIDE	"#F0F0F0"	/* gemeenten outside the group */
#define C_BORDER	"#4D4D4D"	/* provincies */
#define C_MARK		"#B2182B"
#define HALO	" stroke=\"#FFFFFF\" stroke-width=\"3\" paint-order=\"stroke\""

/* Sequential blues (ColorBrewer "Blues", the lightest left out so a class
 * never looks like "outside the group"); n classes take the last n. */
static const char source[] = "Bron kaart: CBS/PDOK (CC BY 4.0), "
    "gemeentegrenzen 2025.";

static const char *const fills[MAP_CLASSES] = {
	"#C6DBEF", "#9ECAE1", "#6BAED6", "#3182BD", "#08519C",
};

/* ---- classes ---- */

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
round_to(double v, int dec)
{
	double	f = pow(10, dec);

	return round(v * f) / f;
}

/* The values a map colours: ranked rows, as published. */
static size_t
ranked_values(const struct compare_result *res, int dec, double *v)
{
	size_t	m = 0;

	for (size_t i = 0; i < res->nrows; i++)
		if (res->rows[i].rang > 0 && isfinite(res->rows[i].waarde))
			v[m++] = round_to(res->rows[i].waarde, dec);
	return m;
}

void
map_classify(const struct indicator *ind, const struct compare_result *res,
    struct map_classes *ret)
{
	double *v = malloc((res->nrows + 1) * sizeof(*v));
	size_t	m;

	memset(ret, 0, sizeof(*ret));
	ret->dec = catalog_has_components(ind) ? 1 : 0;
	for (size_t i = 0; i < res->nrows && !ret->dec; i++)
		if (res->rows[i].rang > 0 && isfinite(res->rows[i].waarde) &&
		    res->rows[i].waarde != floor(res->rows[i].waarde))
			ret->dec = 1;
	if (v == NULL || (m = ranked_values(res, ret->dec, v)) == 0) {
		free(v);
		return;
	}
	qsort(v, m, sizeof(*v), cmp_double);
	ret->n = 1;
	/* equal-count breaks; a break equal to the previous one (ties) or
	 * to the minimum would leave a class empty, so it is skipped */
	for (int k = 1; k < MAP_CLASSES; k++) {
		double	b = v[(size_t)k * m / MAP_CLASSES];
		if (b > v[0] && (ret->n == 1 || b > ret->grens[ret->n - 2]))
			ret->grens[ret->n++ - 1] = b;
	}
	for (size_t i = 0; i < m; i++)
		ret->aantal[map_class_of(ret, v[i])]++;
	free(v);
}

int
map_class_of(const struct map_classes *c, double v)
{
	int	k = 0;

	if (c->n == 0 || !isfinite(v))
		return -1;
	v = round_to(v, c->dec);
	while (k < c->n - 1 && v >= c->grens[k])
		k++;
	return k;
}

/* ---- rendering ---- */

struct view {
	const struct geo *geo;
	const struct map_in *in;
	struct map_classes cls;
	double	bb[4];		/* the view in projected units */
	double	k, ox, oy;	/* user unit = ox + k * x */
	int	w, h, top, mh;	/* size, map top, map height */
	int	ntitle, foot;	/* title lines; baseline of the first foot line */
	char	unit[64];
};

static const struct compare_row *
row_of(const struct compare_result *res, const char *code)
{
	size_t	lo = 0, hi = res->nrows;

	while (lo < hi) {
		size_t	mid = (lo + hi) / 2;
		int	c = strcmp(code, res->rows[mid].gemeente);
		if (c == 0)
			return &res->rows[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* The members' bounding box, the country when there are none. */
static void
view_box(struct view *v)
{
	const struct geo *g = v->geo;
	int	any = 0;

	v->bb[0] = v->bb[1] = INFINITY;
	v->bb[2] = v->bb[3] = -INFINITY;
	for (int pass = 0; pass < 2 && !any; pass++)
		for (size_t i = 0; i < g->ngm; i++) {
			const struct geo_shape *s = &g->gm[i];
			if (pass == 0 && row_of(v->in->res, s->code) == NULL)
				continue;
			any = 1;
			v->bb[0] = fmin(v->bb[0], s->bb[0]);
			v->bb[1] = fmin(v->bb[1], s->bb[1]);
			v->bb[2] = fmax(v->bb[2], s->bb[2]);
			v->bb[3] = fmax(v->bb[3], s->bb[3]);
		}
}

static size_t line_chars(const struct view *v);
static size_t title_chars(const struct view *v);
static const char *title_of(const struct view *v);
static int wrap(const char *s, size_t width, struct chart_buf *b, int y,
    const char *attrs);

/* Scale into a map area of the width, at most 1,3 times as high. */
static void
view_layout(struct view *v)
{
	double	bw = fmax(v->bb[2] - v->bb[0], 1e-3);
	double	bh = fmax(v->bb[3] - v->bb[1], 1e-3);
	double	pw = v->w - 20, ph;

	v->k = fmin(pw / bw, 1.3 * pw / bh);
	ph = bh * v->k;
	v->ntitle = wrap(title_of(v), title_chars(v), NULL, 0, NULL);
	v->top = 20 + 18 * (v->ntitle - 1) + (v->in->subtitel &&
	    v->in->subtitel[0] ? 18 : 0) + 14;
	v->mh = (int)ceil(ph);
	v->ox = 10 + (pw - bw * v->k) / 2 - v->bb[0] * v->k;
	v->oy = v->top - v->bb[1] * v->k;
	/* legend: classes, onderdrukt, geen gegevens, gemarkeerd; notes */
	v->foot = v->top + v->mh + 16 + 20 * (v->cls.n + 3) + 22;
	v->h = v->foot + 12 + 18 * (v->in->synthetisch - 1 +
	    wrap(source, line_chars(v), NULL, 0, NULL) +
	    wrap(v->in->noot, line_chars(v), NULL, 0, NULL));
}

/* Characters of 12-unit text that fit a line of the map's width. */
static size_t
line_chars(const struct view *v)
{
	return (size_t)((v->w - 20) / 7);
}

/* The title at 15 units, bold: fewer characters per line. */
static size_t
title_chars(const struct view *v)
{
	return (size_t)((v->w - 20) / 9);
}

static const char *
title_of(const struct view *v)
{
	return v->in->titel ? v->in->titel : v->in->ind->naam;
}

/* Greedy word wrap of s into lines of at most width bytes; each line is
 * written as a <text attrs> at y + 18 * i into b (NULL: only counted).
 * Returns the number of lines. */
static int
wrap(const char *s, size_t width, struct chart_buf *b, int y,
    const char *attrs)
{
	int	lines = 0;

	while (s != NULL && *s) {
		size_t	n = strlen(s), cut = n;
		if (n > width) {
			for (cut = width; cut > 0 && s[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = width;
		}
		if (b != NULL) {
			char	line[512];
			snprintf(line, sizeof(line), "%.*s", (int)cut, s);
			chart_buf_printf(b, "<text x=\"10\" y=\"%d\" %s>",
			    y + 18 * lines, attrs);
			chart_buf_esc(b, line);
			chart_buf_printf(b, "</text>\n");
		}
		lines++;
		s += cut;
		while (*s == ' ')
			s++;
	}
	return lines;
}

/* A shape as one path: rings, points that land on the same tenth of a
 * unit left out (a national map has ~7 000 points, most within a pixel). */
static void
path_d(struct chart_buf *b, const struct view *v, const struct geo_shape *s)
{
	size_t	p = 0;

	chart_buf_printf(b, " d=\"");
	for (size_t r = 0; r < s->nring; r++) {
		long	lx = 0, ly = 0;
		for (size_t first = p; p < s->ring_end[r]; p++) {
			long	x = lround((v->ox + v->k * s->xy[2 * p]) * 10);
			long	y = lround((v->oy + v->k * s->xy[2 * p + 1]) * 10);
			if (p != first && x == lx && y == ly)
				continue;
			chart_buf_printf(b, "%s%.1f %.1f", p == first ? "M" :
			    "L", (double)x / 10, (double)y / 10);
			lx = x;
			ly = y;
		}
		chart_buf_printf(b, "Z");
	}
	chart_buf_printf(b, "\"");
}

/* Fill of a member: class colour, hatch (suppressed) or grey (none). */
static const char *
fill_of(const struct view *v, const struct compare_row *r)
{
	int	k = r->rang > 0 ? map_class_of(&v->cls, r->waarde) : -1;

	if (k >= 0)
		return fills[MAP_CLASSES - v->cls.n + k];
	return r->onderdrukt ? "url(#kaart-arcering)" : C_MISSING;
}

static void
value_text(struct chart_buf *b, const struct view *v,
    const struct compare_row *r)
{
	if (r->onderdrukt)
		chart_buf_printf(b, "onderdrukt (kleine aantallen)");
	else if (r->rang > 0 || isfinite(r->waarde)) {
		chart_buf_esc(b, r->weergave);
		chart_buf_printf(b, "%s", strcmp(v->unit, "%") == 0 ? "" : " ");
		chart_buf_esc(b, v->unit);
	} else
		chart_buf_printf(b, "geen gegevens");
}

static const char *
naam_of(const struct reg *reg, const char *code)
{
	const struct gemeente *g = register_find(reg, code);

	return g != NULL ? g->naam : code;
}

static void
draw_member(struct chart_buf *b, const struct view *v, const struct geo_shape *s,
    const struct compare_row *r)
{
	chart_buf_printf(b, "<a href=\"/gemeente/%s\"><title>", s->code);
	chart_buf_esc(b, naam_of(v->in->reg, s->code));
	chart_buf_printf(b, ": ");
	value_text(b, v, r);
	chart_buf_printf(b, "</title><path data-gm=\"%s\" data-weergave=\"",
	    s->code);
	chart_buf_esc(b, r->weergave);
	chart_buf_printf(b, "\" fill=\"%s\"", fill_of(v, r));
	path_d(b, v, s);
	chart_buf_printf(b, "/></a>\n");
}

/* Gemeenten: members coloured and linked, the others pale context. */
static void
draw_gemeenten(struct chart_buf *b, const struct view *v)
{
	chart_buf_printf(b, "<g clip-path=\"url(#kaart-vlak)\" stroke=\"#FFFFFF\" "
	    "stroke-width=\"0.6\" stroke-linejoin=\"round\" "
	    "fill-rule=\"evenodd\">\n<g aria-hidden=\"true\" fill=\""
	    C_OUTSIDE "\">\n");
	for (size_t i = 0; i < v->geo->ngm; i++) {
		const struct geo_shape *s = &v->geo->gm[i];
		if (row_of(v->in->res, s->code) != NULL || s->bb[2] < v->bb[0] ||
		    s->bb[0] > v->bb[2] || s->bb[3] < v->bb[1] ||
		    s->bb[1] > v->bb[3])
			continue;
		chart_buf_printf(b, "<path");
		path_d(b, v, s);
		chart_buf_printf(b, "/>\n");
	}
	chart_buf_printf(b, "</g>\n<g class=\"leden\">\n");
	for (size_t i = 0; i < v->geo->ngm; i++) {
		const struct compare_row *r = row_of(v->in->res,
		    v->geo->gm[i].code);
		if (r != NULL)
			draw_member(b, v, &v->geo->gm[i], r);
	}
	chart_buf_printf(b, "</g>\n</g>\n");
}

static void
draw_provincies(struct chart_buf *b, const struct view *v)
{
	chart_buf_printf(b, "<g aria-hidden=\"true\" clip-path=\"url(#kaart-vlak)\" "
	    "fill=\"none\" stroke=\"" C_BORDER "\" stroke-width=\"1\" "
	    "stroke-linejoin=\"round\" pointer-events=\"none\">\n");
	for (size_t i = 0; i < v->geo->npv; i++) {
		chart_buf_printf(b, "<path");
		path_d(b, v, &v->geo->pv[i]);
		chart_buf_printf(b, "/>\n");
	}
	chart_buf_printf(b, "</g>\n");
}

/* The marked gemeente: a thick outline on top and its name beside it. */
static void
draw_mark(struct chart_buf *b, const struct view *v)
{
	const struct geo_shape *s = v->in->markeer ? geo_find(v->geo,
	    v->in->markeer) : NULL;
	double	x, y;

	if (s == NULL)
		return;
	chart_buf_printf(b, "<path class=\"gemarkeerd\" data-gm=\"%s\" "
	    "fill=\"none\" stroke=\"" C_MARK "\" stroke-width=\"2.5\" "
	    "pointer-events=\"none\" aria-hidden=\"true\"", s->code);
	path_d(b, v, s);
	chart_buf_printf(b, "/>\n");
	x = v->ox + v->k * s->bb[2] + 4;
	y = v->oy + v->k * (s->bb[1] + s->bb[3]) / 2 + 4;
	chart_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" "
	    "font-weight=\"bold\" fill=\"" C_MARK "\"" HALO
	    " aria-hidden=\"true\">", x > v->w * 0.7 ? v->ox + v->k *
	    s->bb[0] - 4 : x, y, x > v->w * 0.7 ? "end" : "start");
	chart_buf_esc(b, naam_of(v->in->reg, s->code));
	chart_buf_printf(b, "</text>\n");
}

static void
legend_row(struct chart_buf *b, int y, const char *fill, const char *stroke)
{
	chart_buf_printf(b, "<rect x=\"10\" y=\"%d\" width=\"22\" height=\"14\" "
	    "fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"/>\n", y, fill,
	    stroke ? stroke : C_SUPPRESSED, stroke ? "2.5" : "1");
	chart_buf_printf(b, "<text x=\"40\" y=\"%d\">", y + 12);
}

static size_t
count_rows(const struct compare_result *res, int onderdrukt)
{
	size_t	n = 0;

	for (size_t i = 0; i < res->nrows; i++)
		if (res->rows[i].rang == 0 && !!res->rows[i].onderdrukt ==
		    onderdrukt)
			n++;
	return n;
}

/* One line per class in Dutch number format, then the two kinds of
 * gemeenten without a colour and the marked one. */
static void
draw_legend(struct chart_buf *b, const struct view *v)
{
	const struct map_classes *c = &v->cls;
	int	y = v->top + v->mh + 16;
	char	lo[32], hi[32];

	for (int k = 0; k < c->n; k++, y += 20) {
		legend_row(b, y, fills[MAP_CLASSES - c->n + k], NULL);
		compare_format(k > 0 ? c->grens[k - 1] : 0, c->dec, lo, sizeof(lo));
		compare_format(k < c->n - 1 ? c->grens[k] : 0, c->dec, hi,
		    sizeof(hi));
		if (c->n == 1)
			chart_buf_printf(b, "alle waarden");
		else if (k == 0)
			chart_buf_printf(b, "minder dan %s", hi);
		else if (k == c->n - 1)
			chart_buf_printf(b, "%s of meer", lo);
		else
			chart_buf_printf(b, "%s tot %s", lo, hi);
		chart_buf_printf(b, " (%zu)</text>\n", c->aantal[k]);
	}
	legend_row(b, y, "url(#kaart-arcering)", NULL);
	chart_buf_printf(b, "onderdrukt: te kleine aantallen (%zu)</text>\n",
	    count_rows(v->in->res, 1));
	legend_row(b, y += 20, C_MISSING, NULL);
	chart_buf_printf(b, "geen gegevens geleverd (%zu)</text>\n",
	    count_rows(v->in->res, 0));
	if (v->in->markeer && geo_find(v->geo, v->in->markeer)) {
		legend_row(b, y += 20, "none", C_MARK);
		chart_buf_printf(b, "gekozen: ");
		chart_buf_esc(b, naam_of(v->in->reg, v->in->markeer));
		chart_buf_printf(b, "</text>\n");
	}
}

static void
draw_head(struct chart_buf *b, const struct view *v)
{
	const struct map_in *in = v->in;

	chart_buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kaart\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
	    "role=\"group\" aria-labelledby=\"kaart-titel\" "
	    "aria-describedby=\"kaart-beschrijving\" "
	    "font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">\n"
	    "<title id=\"kaart-titel\">", v->w, v->h, v->w, v->h);
	chart_buf_esc(b, in->titel ? in->titel : in->ind->naam);
	chart_buf_printf(b, "</title>\n<desc id=\"kaart-beschrijving\">Kaart "
	    "van %zu gemeenten", in->res->nrows);
	chart_buf_printf(b, ", gekleurd in %d klassen; elke gemeente is een "
	    "link naar haar dashboard. Dezelfde cijfers staan in de tabel."
	    "</desc>\n", v->cls.n);
	chart_buf_printf(b, "<defs><pattern id=\"kaart-arcering\" width=\"6\" "
	    "height=\"6\" patternUnits=\"userSpaceOnUse\" "
	    "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" "
	    "fill=\"#FFFFFF\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" "
	    "stroke=\"" C_SUPPRESSED "\" stroke-width=\"2.5\"/></pattern>"
	    "<clipPath id=\"kaart-vlak\"><rect x=\"0\" y=\"%d\" width=\"%d\" "
	    "height=\"%d\"/></clipPath></defs>\n", v->top, v->w, v->mh);
	chart_buf_printf(b, "<rect width=\"%d\" height=\"%d\" fill=\"#FFFFFF\"/>\n",
	    v->w, v->h);
	wrap(title_of(v), title_chars(v), b, 20, "font-size=\"15\" "
	    "font-weight=\"bold\"");
	if (in->subtitel && in->subtitel[0]) {
		chart_buf_printf(b, "<text x=\"10\" y=\"%d\" fill=\"#333333\">",
		    20 + 18 * v->ntitle);
		chart_buf_esc(b, in->subtitel);
		chart_buf_printf(b, "</text>\n");
	}
}

static void
draw_foot(struct chart_buf *b, const struct view *v)
{
	int	y = v->foot;

	y += 18 * (wrap(source, line_chars(v), b, y, "fill=\"#333333\"") - 1);
	if (v->in->synthetisch)
		chart_buf_printf(b, "<text x=\"10\" y=\"%d\" fill=\"#B2182B\" "
		    "font-weight=\"bold\">Synthetische demonstratiegegevens"
		    "</text>\n", y += 18);
	wrap(v->in->noot, line_chars(v), b, y + 18, "fill=\"#333333\"");
}

int
map_render(const struct geo *geo, const struct map_in *in,
    char **ret_svg, size_t *ret_len, struct err *err)
{
	struct chart_buf b = { NULL, 0, 0, 0 };
	struct view v = { .geo = geo, .in = in };

	*ret_svg = NULL;
	*ret_len = 0;
	v.w = in->w > 0 ? in->w : MAP_W_DEFAULT;
	v.w = v.w < MAP_W_MIN ? MAP_W_MIN : v.w > MAP_W_MAX ? MAP_W_MAX : v.w;
	chart_unit(in->ind, v.unit, sizeof(v.unit));
	map_classify(in->ind, in->res, &v.cls);
	view_box(&v);
	view_layout(&v);
	draw_head(&b, &v);
	draw_gemeenten(&b, &v);
	draw_provincies(&b, &v);
	draw_mark(&b, &v);
	draw_legend(&b, &v);
	draw_foot(&b, &v);
	chart_buf_printf(&b, "</svg>\n");
	if (b.oom) {
		free(b.p);
		return err_set(err, "onvoldoende geheugen");
	}
	*ret_svg = b.p;
	*ret_len = b.len;
	return 0;
}
