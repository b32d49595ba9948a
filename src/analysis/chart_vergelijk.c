/* src/analysis/chart_vergelijk.c — the ranked strip of a group's
 * cross-section as our own SVG (chart_vergelijk, chart.h). */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/chart_part.h"

/* ---- chart_vergelijk: our own SVG writer ---- */

/* Layout of the strip: plot area and value scale. */
struct strip {
	double	x0, y0, pw, ph;		/* plot area */
	double	lo, hi, step;		/* axis range and tick step */
	int	w, h, dec;		/* size; decimals of values */
	const struct indicator *ind;
	const struct compare_result *res;
	const struct reg *reg;
	const struct compare_row **ranked;	/* by rank, then code */
	size_t	nranked;
	const char *markeer;
	double	landelijk;
};

double
chart_nice_step(double range)
{
	double	raw = range / 5, mag = pow(10, floor(log10(raw))), f = raw / mag;

	return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

static void
extend(double *lo, double *hi, double v)
{
	if (!isfinite(v))
		return;
	*lo = v < *lo ? v : *lo;
	*hi = v > *hi ? v : *hi;
}

static void
scale(struct strip *s)
{
	double	lo = 0, hi = 0;

	for (size_t i = 0; i < s->nranked; i++)
		extend(&lo, &hi, s->ranked[i]->waarde);
	extend(&lo, &hi, s->res->pct[2]);
	extend(&lo, &hi, s->landelijk);
	if (hi - lo <= 0)
		hi = lo + 1;
	s->step = chart_nice_step(hi - lo);
	s->lo = floor(lo / s->step) * s->step;
	s->hi = ceil(hi / s->step) * s->step;
}

static double
ypos(const struct strip *s, double v)
{
	return s->y0 + s->ph - (v - s->lo) / (s->hi - s->lo) * s->ph;
}

static int
cmp_ranked(const void *a, const void *b)
{
	const struct compare_row *x = *(const struct compare_row *const *)a;
	const struct compare_row *y = *(const struct compare_row *const *)b;

	if (x->rang != y->rang)
		return x->rang < y->rang ? -1 : 1;
	return strcmp(x->gemeente, y->gemeente);
}

static const char *
gm_naam(const struct reg *reg, const char *code)
{
	const struct gemeente *gm = register_find(reg, code);

	return gm != NULL ? gm->naam : code;
}

static char *
fmt(const struct strip *s, double v, char *buf, size_t size)
{
	return compare_format(v, s->dec, buf, size);
}

static void
svg_head(struct chart_buf *b, const struct strip *s, const char *titel,
    const char *subtitel)
{
	chart_buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-labelledby=\"titel beschrijving\" "
	    "font-family=\"DejaVu Sans, Arial, sans-serif\" "
	    "font-size=\"12\">\n<title id=\"titel\">", s->w, s->h, s->w, s->h);
	chart_buf_esc(b, titel ? titel : s->ind->naam);
	chart_buf_printf(b, "</title>\n");
	chart_buf_printf(b, "<rect width=\"%d\" height=\"%d\" fill=\"#FFFFFF\"/>\n",
	    s->w, s->h);
	chart_buf_printf(b, "<text x=\"10\" y=\"20\" font-size=\"15\" "
	    "font-weight=\"bold\">");
	chart_buf_esc(b, titel ? titel : s->ind->naam);
	chart_buf_printf(b, "</text>\n");
	if (subtitel != NULL && subtitel[0]) {
		chart_buf_printf(b, "<text x=\"10\" y=\"38\" fill=\"#333333\">");
		chart_buf_esc(b, subtitel);
		chart_buf_printf(b, "</text>\n");
	}
}

/* <desc>: the chart in one sentence for screen readers. */
static void
svg_desc(struct chart_buf *b, const struct strip *s, const struct compare_row *m)
{
	char	v[32], med[32], nat[32];

	chart_buf_printf(b, "<desc id=\"beschrijving\">Rangorde van %zu gemeenten "
	    "op ", s->nranked);
	chart_buf_esc(b, s->ind->naam);
	chart_buf_printf(b, ". Mediaan van de groep %s", fmt(s, s->res->pct[2], med,
	    sizeof(med)));
	if (isfinite(s->landelijk))
		chart_buf_printf(b, "; Nederland %s", fmt(s, s->landelijk, nat,
		    sizeof(nat)));
	chart_buf_printf(b, ".");
	if (m != NULL) {
		chart_buf_printf(b, " ");
		chart_buf_esc(b, gm_naam(s->reg, m->gemeente));
		if (m->rang > 0)
			chart_buf_printf(b, " staat op plaats %d met %s.", m->rang,
			    fmt(s, m->waarde, v, sizeof(v)));
		else
			chart_buf_printf(b, " is niet gerangschikt (%s).",
			    m->weergave);
	}
	chart_buf_printf(b, "</desc>\n");
}

static void
svg_axis(struct chart_buf *b, const struct strip *s)
{
	char	unit[64], v[32];
	int	nt = (int)lround((s->hi - s->lo) / s->step);

	for (int i = 0; i <= nt; i++) {
		double	t = s->lo + i * s->step, y = ypos(s, t);
		chart_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#DDDDDD\"/>\n<text x=\"%.1f\" "
		    "y=\"%.1f\" text-anchor=\"end\" fill=\"#333333\">%s</text>\n",
		    s->x0, y, s->x0 + s->pw, y, s->x0 - 6, y + 4,
		    compare_format(t, s->step < 1 ? (s->step < 0.1 ? 2 : 1) : 0,
		    v, sizeof(v)));
	}
	chart_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"start\" "
	    "fill=\"#333333\">", s->x0 - 6 - 40, s->y0 - 8);
	chart_buf_esc(b, chart_unit(s->ind, unit, sizeof(unit)));
	chart_buf_printf(b, "</text>\n");
	chart_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
	    "fill=\"#333333\">%s</text>\n", s->x0 + s->pw / 2, s->y0 + s->ph +
	    18, s->res->rang_op_waarde ? "gemeenten, van hoogste naar laagste "
	    "waarde" : "gemeenten, van beste (links) naar minst goede (rechts)");
}

static void
svg_bar(struct chart_buf *b, const struct strip *s, size_t i, int marked)
{
	const struct compare_row *r = s->ranked[i];
	double	slot = s->pw / (double)s->nranked;
	double	bw = marked ? fmax(slot * 0.8, 3) : fmax(slot * 0.8, 0.5);
	double	x = s->x0 + slot * ((double)i + 0.5) - bw / 2;
	double	y = ypos(s, r->waarde), y0 = ypos(s, 0);

	chart_buf_printf(b, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" "
	    "height=\"%.1f\" fill=\"%s\"><title>", x, fmin(y, y0), bw,
	    fabs(y0 - y), marked ? C_MARK : C_BAR);
	chart_buf_esc(b, gm_naam(s->reg, r->gemeente));
	chart_buf_printf(b, ": ");
	chart_buf_esc(b, r->weergave);
	chart_buf_printf(b, " (plaats %d)</title></rect>\n", r->rang);
}

/* A horizontal reference line with its label (left or right aligned). */
static void
svg_refline(struct chart_buf *b, const struct strip *s, double v,
    const char *label, const char *colour, int right, int dashed)
{
	char	num[32];
	double	y = ypos(s, v);

	if (!isfinite(v))
		return;
	chart_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"%s\" stroke-width=\"1.5\"%s/>\n", s->x0, y,
	    s->x0 + s->pw, y, colour, dashed ?
	    " stroke-dasharray=\"6 4\"" : "");
	chart_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" "
	    "fill=\"%s\"" HALO ">%s: %s</text>\n", right ? s->x0 + s->pw - 4 :
	    s->x0 + 4, y - 5, right ? "end" : "start", colour, label,
	    fmt(s, v, num, sizeof(num)));
}

/* The marked gemeente's label above its bar, kept inside the plot. */
static void
svg_mark_label(struct chart_buf *b, const struct strip *s, size_t i)
{
	const struct compare_row *r = s->ranked[i];
	double	slot = s->pw / (double)s->nranked;
	double	x = s->x0 + slot * ((double)i + 0.5);
	double	y = fmin(ypos(s, r->waarde), ypos(s, 0)) - 8;
	const char *anchor = x < s->x0 + s->pw / 3 ? "start" :
	    x > s->x0 + 2 * s->pw / 3 ? "end" : "middle";

	chart_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" "
	    "font-weight=\"bold\" fill=\"" C_MARK "\"" HALO ">", x, fmax(y, s->y0 + 12),
	    anchor);
	chart_buf_esc(b, gm_naam(s->reg, r->gemeente));
	chart_buf_printf(b, ": ");
	chart_buf_esc(b, r->weergave);
	chart_buf_printf(b, " (plaats %d van %zu)</text>\n", r->rang, s->nranked);
}

/* Suppressed and missing cells are not drawn; say how many there are. */
static void
svg_note(struct chart_buf *b, const struct strip *s, const struct compare_row *m)
{
	size_t	onderdrukt = 0, ontbreekt = 0;

	for (size_t i = 0; i < s->res->nrows; i++) {
		const struct compare_row *r = &s->res->rows[i];
		if (r->rang > 0)
			continue;
		if (r->onderdrukt)
			onderdrukt++;
		else
			ontbreekt++;
	}
	chart_buf_printf(b, "<text x=\"10\" y=\"%d\" fill=\"#333333\">%zu "
	    "gemeenten in de rangorde; %zu onderdrukt (kleine aantallen), "
	    "%zu zonder gegevens", s->h - 10, s->nranked, onderdrukt,
	    ontbreekt);
	if (m != NULL && m->rang == 0) {
		chart_buf_printf(b, "; ");
		chart_buf_esc(b, gm_naam(s->reg, m->gemeente));
		chart_buf_printf(b, ": ");
		chart_buf_esc(b, m->weergave);
	}
	chart_buf_printf(b, ".</text>\n");
}

static const struct compare_row *
find_row(const struct compare_result *res, const char *code)
{
	for (size_t i = 0; code != NULL && i < res->nrows; i++)
		if (strcmp(res->rows[i].gemeente, code) == 0)
			return &res->rows[i];
	return NULL;
}

static int
strip_init(struct strip *s, const struct indicator *ind,
    const struct compare_result *res, const struct reg *reg,
    const struct chart_opts *o)
{
	memset(s, 0, sizeof(*s));
	s->ind = ind;
	s->res = res;
	s->reg = reg;
	chart_clamp_size(o, &s->w, &s->h);
	s->dec = catalog_has_components(ind) ? 1 : 0;
	if ((s->ranked = calloc(res->nrows + 1, sizeof(*s->ranked))) == NULL)
		return -1;
	for (size_t i = 0; i < res->nrows; i++)
		if (res->rows[i].rang > 0 && isfinite(res->rows[i].waarde))
			s->ranked[s->nranked++] = &res->rows[i];
	qsort(s->ranked, s->nranked, sizeof(*s->ranked), cmp_ranked);
	s->x0 = 64;
	s->y0 = 64;
	s->pw = s->w - s->x0 - 16;
	s->ph = s->h - s->y0 - 48;
	return 0;
}

static void
svg_body(struct chart_buf *b, struct strip *s, const char *titel,
    const char *subtitel)
{
	const struct compare_row *m = find_row(s->res, s->markeer);
	size_t	mi = s->nranked;

	scale(s);
	svg_head(b, s, titel, subtitel);
	svg_desc(b, s, m);
	svg_axis(b, s);
	chart_buf_printf(b, "<g aria-hidden=\"true\">\n");
	for (size_t i = 0; i < s->nranked; i++) {
		if (s->ranked[i] == m) {
			mi = i;
			continue;	/* drawn last: on top */
		}
		svg_bar(b, s, i, 0);
	}
	chart_buf_printf(b, "</g>\n");
	if (mi < s->nranked)
		svg_bar(b, s, mi, 1);
	svg_refline(b, s, s->res->pct[2], "Mediaan groep", C_MEDIAN, 0, 1);
	svg_refline(b, s, s->landelijk, "Nederland", C_NATIONAL, 1, 0);
	if (mi < s->nranked)
		svg_mark_label(b, s, mi);
	svg_note(b, s, m);
	chart_buf_printf(b, "</svg>\n");
}

int
chart_vergelijk(const struct indicator *ind,
    const struct compare_result *res, const struct reg *reg,
    const char *markeer, const char *titel, const char *subtitel,
    double landelijk, const struct chart_opts *o, char **ret_svg,
    size_t *ret_len, struct err *err)
{
	struct strip s;
	struct chart_buf b = { NULL, 0, 0, 0 };

	*ret_svg = NULL;
	*ret_len = 0;
	if (strip_init(&s, ind, res, reg, o) == -1)
		return err_set(err, "onvoldoende geheugen");
	s.markeer = markeer;
	s.landelijk = landelijk;
	svg_body(&b, &s, titel, subtitel);
	free(s.ranked);
	if (b.oom) {
		free(b.p);
		return err_set(err, "onvoldoende geheugen");
	}
	*ret_svg = b.p;
	*ret_len = b.len;
	return 0;
}

