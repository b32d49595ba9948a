/* src/analysis/chart_trend.c — a gemeente's series as our own SVG with the
 * peer band and the national line (chart_trend, chart.h). */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/chart_part.h"

/* ---- chart_trend: a gemeente's series as our own SVG ---- */

#define T_FONT	13		/* axis and legend text, user units */
#define T_LINE	18		/* line height of that text */

struct trend {
	const struct chart_trend_in *in;
	int	w, h, dec, band;	/* band: comparison lines drawn */
	double	x0, y0, pw, ph;		/* plot area */
	double	ymax, step;
	long long t0, t1;		/* x range in seconds */
	int	ntitle;
	char	unit[64];
};

static double
t_x(const struct trend *t, const struct period *p)
{
	double	mid = ((double)period_start(p) + (double)period_end(p)) / 2;

	return t->x0 + (mid - (double)t->t0) / (double)(t->t1 - t->t0) * t->pw;
}

static double
t_y(const struct trend *t, double v)
{
	return t->y0 + t->ph - v / t->ymax * t->ph;
}

static int
in_range(const struct trend *t, const struct period *p)
{
	return period_start(p) >= t->t0 && period_end(p) <= t->t1;
}

static void
t_extend(const struct trend *t, const struct chart_point *p, size_t n,
    double *hi)
{
	for (size_t i = 0; i < n; i++)
		if (isfinite(p[i].v) && in_range(t, &p[i].periode))
			*hi = fmax(*hi, p[i].v);
}

/* y from 0 to a round number above every value drawn. */
static void
t_scale(struct trend *t)
{
	const struct chart_trend_in *in = t->in;
	double	hi = 0;

	t_extend(t, in->own, in->nown, &hi);
	if (t->band) {
		t_extend(t, in->p75, in->nband, &hi);
		t_extend(t, in->p50, in->nband, &hi);
		t_extend(t, in->land, in->nland, &hi);
	}
	if (hi <= 0)
		hi = 1;
	t->step = chart_nice_step(hi);
	t->ymax = ceil(hi * 1.05 / t->step) * t->step;
}

/* Title lines of at most chars bytes, split at spaces. */
static int
t_title(struct chart_buf *b, const char *s, size_t chars, double y)
{
	int	n = 0;

	while (*s) {
		size_t	len = strlen(s), cut = len;
		if (len > chars) {
			for (cut = chars; cut > 0 && s[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = chars;
		}
		if (b != NULL) {
			char	line[512];
			snprintf(line, sizeof(line), "%.*s", (int)cut, s);
			chart_buf_printf(b, "<text x=\"10\" y=\"%.0f\" "
			    "font-size=\"15\" font-weight=\"bold\">", y + 19 * n);
			chart_buf_esc(b, line);
			chart_buf_printf(b, "</text>\n");
		}
		n++;
		s += cut;
		while (*s == ' ')
			s++;
	}
	return n;
}

static void
t_layout(struct trend *t, const char *title)
{
	char	lab[32];
	size_t	ylab;

	t->t0 = period_start(&t->in->van);
	t->t1 = period_end(&t->in->tot);
	if (t->t1 <= t->t0)
		t->t1 = t->t0 + 1;
	t_scale(t);
	ylab = strlen(compare_format(t->ymax, t->step < 1 ? 1 : 0, lab,
	    sizeof(lab)));
	t->ntitle = t_title(NULL, title, (size_t)(t->w - 20) / 9, 0);
	t->x0 = 14 + (double)ylab * 8;
	t->y0 = 20 + 19 * t->ntitle + 24;
	t->pw = t->w - t->x0 - 14;
	/* below the plot: year labels, then one legend line per series */
	t->ph = t->h - t->y0 - 28 - T_LINE * (t->band ? 4 : 1) - 8;
	if (t->ph < 60)
		t->ph = 60;
}

static void
t_axes(struct chart_buf *b, const struct trend *t)
{
	char	lab[32];
	int	ny = (int)lround(t->ymax / t->step);
	struct period y = period_at(PERIOD_JAAR, t->t0);

	for (int i = 0; i <= ny; i++) {
		double	v = i * t->step, py = t_y(t, v);
		chart_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\"/>\n<text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"end\">%s</text>\n", t->x0, py, t->x0 + t->pw,
		    py, i == 0 ? "#4D4D4D" : "#DDDDDD", t->x0 - 6, py + 4,
		    compare_format(v, t->step < 1 ? (t->step < 0.1 ? 2 : 1) : 0,
		    lab, sizeof(lab)));
	}
	chart_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"start\">",
	    10.0, t->y0 - 10);
	chart_buf_esc(b, t->unit);
	chart_buf_printf(b, "</text>\n");
	/* a tick at each new year, the year's label in its middle when it
	 * fits (every other year on a narrow chart of many years) */
	int	years = 0, every;
	for (struct period p = y; period_start(&p) < t->t1; p.year++)
		years++;
	every = (t->pw / (years ? years : 1)) < 40 ? 2 : 1;
	for (int i = 0; period_start(&y) < t->t1; y.year++, i++) {
		double	xs = t->x0 + ((double)(period_start(&y) > t->t0 ?
		    period_start(&y) : t->t0) - (double)t->t0) /
		    (double)(t->t1 - t->t0) * t->pw;
		double	xe = t->x0 + ((double)(period_end(&y) < t->t1 ?
		    period_end(&y) : t->t1) - (double)t->t0) /
		    (double)(t->t1 - t->t0) * t->pw;
		chart_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#4D4D4D\"/>\n", xs, t->y0 + t->ph, xs,
		    t->y0 + t->ph + 5);
		if ((years - 1 - i) % every == 0)
			chart_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"middle\">%d</text>\n", (xs + xe) / 2,
			    t->y0 + t->ph + 20, y.year);
	}
}

/* A polyline through the finite points in range, broken at gaps. */
static void
t_line(struct chart_buf *b, const struct trend *t, const struct chart_point *p,
    size_t n, const char *attrs)
{
	int	open = 0;

	for (size_t i = 0; i < n; i++) {
		/* a period without a point (not delivered) is a gap too */
		if (open && period_start(&p[i].periode) !=
		    period_end(&p[i - 1].periode)) {
			chart_buf_printf(b, "\"/>\n");
			open = 0;
		}
		if (!isfinite(p[i].v) || !in_range(t, &p[i].periode)) {
			if (open)
				chart_buf_printf(b, "\"/>\n");
			open = 0;
			continue;
		}
		if (!open)
			chart_buf_printf(b, "<polyline fill=\"none\" %s "
			    "points=\"", attrs);
		chart_buf_printf(b, "%s%.1f,%.1f", open ? " " : "",
		    t_x(t, &p[i].periode), t_y(t, p[i].v));
		open = 1;
	}
	if (open)
		chart_buf_printf(b, "\"/>\n");
}

/* The P25–P75 band: one polygon per run of periods with both bounds. */
static void
t_band(struct chart_buf *b, const struct trend *t)
{
	const struct chart_trend_in *in = t->in;
	size_t	i = 0;

	while (i < in->nband) {
		size_t	j = i;
		while (j < in->nband && isfinite(in->p25[j].v) &&
		    isfinite(in->p75[j].v) && in_range(t, &in->p25[j].periode) &&
		    (j == i || period_start(&in->p25[j].periode) ==
		    period_end(&in->p25[j - 1].periode)))
			j++;
		if (j == i) {
			i++;
			continue;
		}
		if (j > i) {
			chart_buf_printf(b, "<polygon fill=\"" C_BAND "\" points=\"");
			for (size_t k = i; k < j; k++)
				chart_buf_printf(b, "%.1f,%.1f ", t_x(t,
				    &in->p75[k].periode), t_y(t, in->p75[k].v));
			for (size_t k = j; k > i; k--)
				chart_buf_printf(b, "%.1f,%.1f ", t_x(t,
				    &in->p25[k - 1].periode),
				    t_y(t, in->p25[k - 1].v));
			chart_buf_printf(b, "\"/>\n");
		}
		i = j;
	}
}

static char *
t_value(const struct trend *t, const struct chart_point *p, char *buf,
    size_t size)
{
	char	num[32];
	const char *w = p->weergave[0] ? p->weergave : compare_format(p->v,
	    t->dec, num, sizeof(num));

	snprintf(buf, size, "%s%s%s", w, strcmp(t->unit, "%") == 0 ? "" : " ",
	    t->unit);
	return buf;
}

/* 1 when point i has no drawn neighbour in an adjacent period. */
static int
isolated(const struct chart_point *p, size_t n, size_t i)
{
	int	before = i > 0 && isfinite(p[i - 1].v) &&
	    period_end(&p[i - 1].periode) == period_start(&p[i].periode);
	int	after = i + 1 < n && isfinite(p[i + 1].v) &&
	    period_end(&p[i].periode) == period_start(&p[i + 1].periode);

	return !before && !after;
}

/* The gemeente's points (not for months: too many) with a <title> each,
 * and the latest value as a label. */
static void
t_points(struct chart_buf *b, const struct trend *t)
{
	const struct chart_trend_in *in = t->in;
	const struct chart_point *last = NULL;
	char	pb[16], val[96];

	for (size_t i = 0; i < in->nown; i++) {
		const struct chart_point *p = &in->own[i];
		if (!isfinite(p->v) || !in_range(t, &p->periode))
			continue;
		last = p;
		/* months are a line; a month without a neighbour would be
		 * invisible, so it gets its point */
		if (p->periode.kind == PERIOD_MAAND && !isolated(in->own,
		    in->nown, i))
			continue;
		chart_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
		    "fill=\"" C_OWN "\" stroke=\"#FFFFFF\" stroke-width=\"1.5\">"
		    "<title>%s: ", t_x(t, &p->periode), t_y(t, p->v),
		    period_format(&p->periode, pb, sizeof(pb)));
		chart_buf_esc(b, t_value(t, p, val, sizeof(val)));
		chart_buf_printf(b, "</title></circle>\n");
	}
	if (last == NULL)
		return;
	double	x = t_x(t, &last->periode);
	chart_buf_printf(b, "<text class=\"laatste\" x=\"%.1f\" y=\"%.1f\" "
	    "text-anchor=\"%s\" font-weight=\"bold\" fill=\"" C_OWN "\"" HALO
	    ">", x > t->x0 + t->pw * 0.6 ? x - 8 : x + 8,
	    fmax(t_y(t, last->v) - 10, t->y0 + 12), x > t->x0 + t->pw * 0.6 ?
	    "end" : "start");
	chart_buf_esc(b, t_value(t, last, val, sizeof(val)));
	chart_buf_printf(b, "</text>\n");
}

static void
t_legend_item(struct chart_buf *b, double y, const char *swatch,
    const char *label, const char *label2)
{
	chart_buf_printf(b, "%s<text x=\"44\" y=\"%.1f\">", swatch, y + 4);
	chart_buf_esc(b, label);
	chart_buf_esc(b, label2);
	chart_buf_printf(b, "</text>\n");
}

static void
t_legend(struct chart_buf *b, const struct trend *t)
{
	char	sw[320];
	double	y = t->y0 + t->ph + 28 + T_LINE * 0.7;

	snprintf(sw, sizeof(sw), "<line x1=\"10\" y1=\"%.1f\" x2=\"36\" "
	    "y2=\"%.1f\" stroke=\"" C_OWN "\" stroke-width=\"2.5\"/>", y, y);
	t_legend_item(b, y, sw, t->in->gm->naam, "");
	if (!t->band)
		return;
	y += T_LINE;
	snprintf(sw, sizeof(sw), "<rect x=\"10\" y=\"%.1f\" width=\"26\" "
	    "height=\"10\" fill=\"" C_BAND "\"/>", y - 5);
	/* the group's name where it fits, else "de groep" (the caption
	 * beside the chart names it) */
	const char *gn = 44 + 7.6 * (double)(strlen(t->in->groep_naam) + 20) <
	    t->w ? t->in->groep_naam : "de groep";
	t_legend_item(b, y, sw, "middelste helft van ", gn);
	y += T_LINE;
	snprintf(sw, sizeof(sw), "<line x1=\"10\" y1=\"%.1f\" x2=\"36\" "
	    "y2=\"%.1f\" stroke=\"" C_MEDIAN "\" stroke-width=\"1.5\" "
	    "stroke-dasharray=\"6 4\"/>", y, y);
	t_legend_item(b, y, sw, "mediaan van ", gn);
	y += T_LINE;
	snprintf(sw, sizeof(sw), "<line x1=\"10\" y1=\"%.1f\" x2=\"36\" "
	    "y2=\"%.1f\" stroke=\"" C_NATIONAL "\" stroke-width=\"1.5\"/>", y,
	    y);
	t_legend_item(b, y, sw, "Nederland", "");
}

static void
t_head(struct chart_buf *b, const struct trend *t, const char *title)
{
	const struct chart_trend_in *in = t->in;
	const struct chart_point *last = NULL;
	char	pb[16], val[96];

	for (size_t i = 0; i < in->nown; i++)
		if (isfinite(in->own[i].v) && in_range(t, &in->own[i].periode))
			last = &in->own[i];
	chart_buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trend\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-labelledby=\"trend-titel trend-beschrijving\" "
	    "font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"%d\" "
	    "fill=\"#1B1B1B\">\n<title id=\"trend-titel\">", t->w, t->h, t->w,
	    t->h, T_FONT);
	chart_buf_esc(b, title);
	chart_buf_printf(b, "</title>\n<desc id=\"trend-beschrijving\">");
	if (last != NULL) {
		chart_buf_printf(b, "Laatste waarde %s: ", period_format(
		    &last->periode, pb, sizeof(pb)));
		chart_buf_esc(b, t_value(t, last, val, sizeof(val)));
		chart_buf_printf(b, ". ");
	}
	chart_buf_printf(b, "Onderbroken lijn: onderdrukt of geen gegevens."
	    "</desc>\n<rect width=\"%d\" height=\"%d\" fill=\"#FFFFFF\"/>\n",
	    t->w, t->h);
	t_title(b, title, (size_t)(t->w - 20) / 9, 20);
	if (in->synthetisch)
		chart_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"end\" fill=\"" C_MARK "\">%s</text>\n",
		    t->x0 + t->pw, t->y0 - 10, CHART_SYNTHETIC);
}

int
chart_trend(const struct chart_trend_in *in, char **ret_svg, size_t *ret_len,
    struct err *err)
{
	struct chart_buf b = { NULL, 0, 0, 0 };
	struct trend t = { .in = in };
	char	title[400];

	*ret_svg = NULL;
	*ret_len = 0;
	t.w = in->w > 0 ? in->w : 720;
	t.h = in->h > 0 ? in->h : 360;
	t.band = in->ind->soort != SOORT_AANTAL;
	t.dec = catalog_has_components(in->ind) ? 1 : 0;
	chart_unit(in->ind, t.unit, sizeof(t.unit));
	snprintf(title, sizeof(title), "%s — %s", in->ind->naam, in->gm->naam);
	t_layout(&t, title);
	t_head(&b, &t, title);
	t_axes(&b, &t);
	chart_buf_printf(&b, "<g aria-hidden=\"true\">\n");
	if (t.band) {
		t_band(&b, &t);
		t_line(&b, &t, in->p50, in->nband, "stroke=\"" C_MEDIAN "\" "
		    "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"");
		t_line(&b, &t, in->land, in->nland, "stroke=\"" C_NATIONAL
		    "\" stroke-width=\"1.5\"");
	}
	t_line(&b, &t, in->own, in->nown, "stroke=\"" C_OWN "\" "
	    "stroke-width=\"2.5\" stroke-linejoin=\"round\"");
	chart_buf_printf(&b, "</g>\n");
	t_points(&b, &t);
	t_legend(&b, &t);
	chart_buf_printf(&b, "</svg>\n");
	if (b.oom) {
		free(b.p);
		return err_set(err, "onvoldoende geheugen");
	}
	*ret_svg = b.p;
	*ret_len = b.len;
	return 0;
}

