/* src/analysis/chart.c — the charts behind /chart/… (design §6): a gemeente's
 * series against its group band and the national line (rrd_graph through
 * store_graph, reading 2–3 files), and the ranked cross-section of a group
 * as our own SVG (rrd_graph draws only time series). */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/chart.h"

#define YEAR_SECONDS	31536000LL
#define ARGS_MAX	64
#define ARG_SIZE	4400	/* a DEF with a full path */
#define VAN_YEARS	10	/* default range */
#define CHART_SPARK_W	400	/* below either: plot only */
#define CHART_SPARK_H	160

/* Colours: lines reach WCAG AA contrast (≥ 4.5:1) against white. */
#define C_OWN		"#08519C"	/* 8.0:1 */
#define C_MEDIAN	"#4D4D4D"	/* 8.5:1 */
#define C_NATIONAL	"#B35806"	/* 4.9:1 */
#define C_BAND		"#C6DBEF"	/* fill behind the lines */
#define C_BAR		"#4292C6"	/* 3.4:1, a graphic object */
#define C_MARK		"#B2182B"	/* 6.9:1 */

/* A white outline behind labels that cross bars and lines. */
#define HALO	" stroke=\"#FFFFFF\" stroke-width=\"3\" paint-order=\"stroke\""

static const char *const synthetic_mark = "synthetische demonstratiegegevens";

/* Plural units for counts; other units read the same in both. */
static const struct {
	const char *eenheid, *meervoud;
} units[] = {
	{ "uitkering", "uitkeringen" }, { "persoon", "personen" },
	{ "huishouden", "huishoudens" }, { "casus", "casussen" },
	{ "inwoner", "inwoners" },
};

char *
chart_unit(const struct indicator *ind, char *buf, size_t size)
{
	if (catalog_has_components(ind) && ind->schaal == 100)
		snprintf(buf, size, "%%");
	else if (catalog_has_components(ind) && ind->schaal == 1000)
		snprintf(buf, size, "per 1.000");
	else {
		snprintf(buf, size, "%s", ind->eenheid);
		for (size_t i = 0; ind->soort == SOORT_AANTAL &&
		    i < sizeof(units) / sizeof(units[0]); i++)
			if (strcmp(ind->eenheid, units[i].eenheid) == 0)
				snprintf(buf, size, "%s", units[i].meervoud);
	}
	return buf;
}

static void
clamp_size(const struct chart_opts *o, int *w, int *h)
{
	*w = o->w > 0 ? o->w : CHART_W_DEFAULT;
	*h = o->h > 0 ? o->h : CHART_H_DEFAULT;
	*w = *w < CHART_W_MIN ? CHART_W_MIN : *w > CHART_W_MAX ? CHART_W_MAX :
	    *w;
	*h = *h < CHART_H_MIN ? CHART_H_MIN : *h > CHART_H_MAX ? CHART_H_MAX :
	    *h;
}

/* ---- chart_series: rrd_graph arguments ---- */

struct args {
	const char *v[ARGS_MAX];
	int	n;
	char	buf[ARGS_MAX][ARG_SIZE];
	int	nb;
	int	overflow;
};

static void
arg(struct args *a, const char *s)
{
	if (a->n < ARGS_MAX)
		a->v[a->n++] = s;
	else
		a->overflow = 1;
}

static void
argf(struct args *a, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (a->nb == ARGS_MAX) {
		a->overflow = 1;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(a->buf[a->nb], ARG_SIZE, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= ARG_SIZE)
		a->overflow = 1;
	arg(a, a->buf[a->nb++]);
}

/* librrd splits DEF and legend arguments at ':'; "\:" is a literal one. */
static void
escape_colons(const char *s, char *buf, size_t size)
{
	size_t	o = 0;

	for (; *s && o + 2 < size; s++) {
		if (*s == ':')
			buf[o++] = '\\';
		buf[o++] = *s;
	}
	buf[o] = '\0';
}

/* What is there to draw: escaped paths, "" when the file is missing. */
struct sources {
	char	own[4200], groep[4200], alle[4200];
};

static void
source(int ok, const char *path, char *buf, size_t size)
{
	buf[0] = '\0';
	if (ok)
		escape_colons(path, buf, size);
}

static void
find_sources(struct store *st, const struct indicator *ind,
    const struct gemeente *gm, const char *groep_id,
    const struct chart_opts *o, struct sources *s)
{
	char	p[4096];

	if (o->eigen != NULL && o->eigen->n > 0)
		store_line_source(o->eigen, s->own, sizeof(s->own));
	else if (o->eigen != NULL)
		s->own[0] = '\0';
	else
		source(store_path(st, gm->code, ind->id, p, sizeof(p)) == 0 &&
		    store_exists(st, gm->code, ind->id), p, s->own,
		    sizeof(s->own));
	source(groep_id != NULL && store_band_path(st, groep_id, ind->id, p,
	    sizeof(p)) == 0 && store_band_exists(st, groep_id, ind->id), p,
	    s->groep, sizeof(s->groep));
	source(store_band_path(st, "alle", ind->id, p, sizeof(p)) == 0 &&
	    store_band_exists(st, "alle", ind->id), p, s->alle,
	    sizeof(s->alle));
}

/* The newest time with data: the series file, else a band file. */
static int
last_time(struct store *st, const struct indicator *ind,
    const struct gemeente *gm, const char *groep_id, const struct sources *s,
    const struct chart_opts *o, long long *ret, struct err *err)
{
	if (s->own[0] && o->eigen != NULL) {
		*ret = store_line_last(o->eigen);
		return 0;
	}
	if (s->own[0])
		return store_last(st, gm->code, ind, ret, err);
	return store_band_last(st, s->groep[0] ? groep_id : "alle", ind,
	    ret, err);
}

/* [start, end] in seconds from the options or the data: 0, 1 for an empty
 * range, -1 with err set. */
static int
chart_range(struct store *st, const struct indicator *ind,
    const struct gemeente *gm, const char *groep_id, const struct sources *s,
    const struct chart_opts *o, long long *start, long long *end,
    struct err *err)
{
	long long last = 0;

	if ((!o->has_van || !o->has_tot) &&
	    last_time(st, ind, gm, groep_id, s, o, &last, err) == -1)
		return -1;
	if (o->has_tot)
		*end = period_end(&o->tot);
	else {
		struct period p = period_at(ind->periode, last - 1);
		*end = period_end(&p);
	}
	if (o->has_van)
		*start = period_start(&o->van);
	else {
		struct period p = period_at(PERIOD_JAAR, *end - 1);
		p.year -= VAN_YEARS;
		*start = period_end(&p);
	}
	/* van after the newest data: nothing to draw (a 404), not a
	 * failure (van after tot is refused before, with a 400). */
	if (*start >= *end) {
		err_setk(err, ERR_INPUT, "'van' ligt na 'tot'");
		return 1;
	}
	return 0;
}

/* Year labels for long ranges, month-year for short ones (locale-free:
 * librrd's month names would be English). */
static const char *
x_grid(long long span)
{
	if (span > 5 * YEAR_SECONDS)
		return "YEAR:1:YEAR:1:YEAR:1:31536000:%Y";
	if (span > 2 * YEAR_SECONDS)
		return "MONTH:3:YEAR:1:YEAR:1:31536000:%Y";
	return "MONTH:1:MONTH:3:MONTH:3:0:%m-%Y";
}

static void
head_args(struct args *a, const struct indicator *ind,
    const struct gemeente *gm, const char *groep_naam,
    const struct chart_opts *o, long long start, long long end)
{
	char	unit[64];
	int	w, h;

	clamp_size(o, &w, &h);
	arg(a, "-");
	argf(a, "--imgformat=%s", o->png ? "PNG" : "SVG");
	argf(a, "--start=%lld", start);
	argf(a, "--end=%lld", end);
	argf(a, "--width=%d", w);
	argf(a, "--height=%d", h);
	arg(a, "--full-size-mode");
	/* too small for title, axes and legend: a sparkline (dashboard tile) */
	if (w < CHART_SPARK_W || h < CHART_SPARK_H)
		arg(a, "--only-graph");
	if (groep_naam != NULL && groep_naam[0])
		argf(a, "--title=%s — %s en %s", ind->naam, gm->naam,
		    groep_naam);
	else
		argf(a, "--title=%s — %s", ind->naam, gm->naam);
	argf(a, "--vertical-label=%s", chart_unit(ind, unit, sizeof(unit)));
	/* no SI prefixes: "500 m" for half a percent reads as metres */
	arg(a, "--units-exponent=0");
	argf(a, "--x-grid=%s", x_grid(end - start));
	arg(a, "--border=0");
	arg(a, "--disable-rrdtool-tag");
	arg(a, "--font=DEFAULT:0:DejaVu Sans");
	arg(a, "--color=BACK#FFFFFF");
	arg(a, "--color=CANVAS#FFFFFF");
	if (o->synthetisch)
		argf(a, "--watermark=%s", synthetic_mark);
}

static void
def_args(struct args *a, const struct indicator *ind, const struct sources *s)
{
	/* counts summed nationally dwarf one gemeente: show the median */
	const char *nat = catalog_has_components(ind) ? "agg" : "p50";

	if (s->own[0] && catalog_has_components(ind)) {
		argf(a, "DEF:t=%s:teller:AVERAGE", s->own);
		argf(a, "DEF:nm=%s:noemer:AVERAGE", s->own);
		/* noemer 0 has no value (catalog_value), not infinity */
		argf(a, "CDEF:own=nm,0,GT,t,nm,/,%.17g,*,UNKN,IF", ind->schaal);
	} else if (s->own[0]) {
		argf(a, "DEF:own=%s:waarde:AVERAGE", s->own);
	}
	if (s->groep[0]) {
		argf(a, "DEF:p25=%s:p25:AVERAGE", s->groep);
		argf(a, "DEF:p50=%s:p50:AVERAGE", s->groep);
		argf(a, "DEF:p75=%s:p75:AVERAGE", s->groep);
		arg(a, "CDEF:iqr=p75,p25,-");
	}
	if (s->alle[0])
		argf(a, "DEF:nat=%s:%s:AVERAGE", s->alle, nat);
}

static void
draw_args(struct args *a, const struct indicator *ind,
    const struct gemeente *gm, const struct sources *s, int gaps)
{
	char	naam[200];

	escape_colons(gm->naam, naam, sizeof(naam));
	if (s->groep[0]) {
		/* the band: an invisible base at P25, P75 − P25 stacked on it */
		arg(a, "AREA:p25#FFFFFF00");
		arg(a, "AREA:iqr" C_BAND ":25–75% van de groep:STACK");
		arg(a, "LINE1.5:p50" C_MEDIAN ":Mediaan groep:dashes=6,4");
	}
	if (s->alle[0])
		argf(a, "LINE1.5:nat" C_NATIONAL ":%s",
		    catalog_has_components(ind) ? "Nederland" :
		    "Mediaan Nederland");
	if (s->own[0])
		argf(a, "LINE2.5:own" C_OWN ":%s", naam);
	else
		argf(a, "COMMENT:Geen gegevens van %s", naam);
	if (gaps)	/* domain §3.5: a gap, said in the legend */
		arg(a, "COMMENT:  onderbroken\\: onderdrukt (klein aantal)");
}

/* 1 when the published line has a suppressed point (a value withheld). */
static int
has_gaps(const struct chart_opts *o)
{
	for (size_t i = 0; o->eigen != NULL && i < o->eigen->n; i++)
		if (isnan(o->eigen->pts[i].v[0]))
			return 1;
	return 0;
}

/* The arguments as one block: the pointer array (NULL-terminated) and
 * then the strings, so a caller frees them with one free(). */
static char **
pack_args(const struct args *a)
{
	size_t	head = ((size_t)a->n + 1) * sizeof(char *), size = head;
	char  **v;
	char   *p;

	for (int i = 0; i < a->n; i++)
		size += strlen(a->v[i]) + 1;
	if ((v = malloc(size)) == NULL)
		return NULL;
	p = (char *)v + head;
	for (int i = 0; i < a->n; i++) {
		size_t	len = strlen(a->v[i]) + 1;
		memcpy(p, a->v[i], len);
		v[i] = p;
		p += len;
	}
	v[a->n] = NULL;
	return v;
}

int
chart_series_argv(struct store *st, const struct indicator *ind,
    const struct gemeente *gm, const char *groep_id,
    const char *groep_naam, const struct chart_opts *o, char ***ret_argv,
    int *ret_argc, struct err *err)
{
	struct sources *s = calloc(1, sizeof(*s));
	struct args *a = calloc(1, sizeof(*a));
	long long start = 0, end = 0;
	int	rc = -1;

	*ret_argv = NULL;
	*ret_argc = 0;
	if (s == NULL || a == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto fail;
	}
	find_sources(st, ind, gm, groep_id, o, s);
	if (!s->own[0] && !s->groep[0] && !s->alle[0]) {
		rc = 1;
		err_set(err, "geen gegevens voor %s/%s", gm->code, ind->id);
		goto fail;
	}
	if ((rc = chart_range(st, ind, gm, groep_id, s, o, &start, &end,
	    err)) != 0)
		goto fail;
	rc = -1;
	head_args(a, ind, gm, groep_naam, o, start, end);
	def_args(a, ind, s);
	draw_args(a, ind, gm, s, has_gaps(o));
	if (a->overflow) {
		err_set(err, "grafiek: argumenten te lang");
		goto fail;
	}
	if ((*ret_argv = pack_args(a)) == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto fail;
	}
	*ret_argc = a->n;
	rc = 0;
fail:
	free(s);
	free(a);
	return rc;
}

int
chart_series(struct store *st, const struct indicator *ind,
    const struct gemeente *gm, const char *groep_id,
    const char *groep_naam, const struct chart_opts *o,
    unsigned char **ret_img, size_t *ret_len, struct err *err)
{
	char  **argv = NULL;
	int	argc = 0, rc;

	*ret_img = NULL;
	*ret_len = 0;
	rc = chart_series_argv(st, ind, gm, groep_id, groep_naam, o, &argv,
	    &argc, err);
	if (rc == 0)
		rc = store_graph(st, argc, (const char **)argv, ret_img,
		    ret_len, err);
	free(argv);
	return rc;
}

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

static double
nice_step(double range)
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
	s->step = nice_step(hi - lo);
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
	clamp_size(o, &s->w, &s->h);
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

/* ---- the SVG text buffer (shared with map.c) ---- */

static void
buf_grow(struct chart_buf *b, size_t need)
{
	size_t	cap = b->cap ? b->cap : 4096;
	char   *p;

	while (cap < b->len + need + 1)
		cap *= 2;
	if (cap == b->cap)
		return;
	if ((p = realloc(b->p, cap)) == NULL) {
		b->oom = 1;
		return;
	}
	b->p = p;
	b->cap = cap;
}

void
chart_buf_printf(struct chart_buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (b->oom)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	buf_grow(b, (size_t)n);
	if (b->oom)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
chart_buf_esc(struct chart_buf *b, const char *s)
{
	for (; s != NULL && *s && !b->oom; s++) {
		switch (*s) {
		case '&': chart_buf_printf(b, "&amp;"); break;
		case '<': chart_buf_printf(b, "&lt;"); break;
		case '>': chart_buf_printf(b, "&gt;"); break;
		case '"': chart_buf_printf(b, "&quot;"); break;
		case '\'': chart_buf_printf(b, "&apos;"); break;
		default: chart_buf_printf(b, "%c", *s);
		}
	}
}

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
	t->step = nice_step(hi);
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
		    t->x0 + t->pw, t->y0 - 10, synthetic_mark);
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
