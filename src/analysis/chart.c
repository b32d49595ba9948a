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
    const struct gemeente *gm, const char *groep_id, struct sources *s)
{
	char	p[4096];

	source(store_path(st, gm->code, ind->id, p, sizeof(p)) == 0 &&
	    store_exists(st, gm->code, ind->id), p, s->own, sizeof(s->own));
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
    long long *ret, struct err *err)
{
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
	    last_time(st, ind, gm, groep_id, s, &last, err) == -1)
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
    const struct gemeente *gm, const struct sources *s)
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
	find_sources(st, ind, gm, groep_id, s);
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
	draw_args(a, ind, gm, s);
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

struct sbuf {
	char   *p;
	size_t	len, cap;
	int	oom;
};

static void
sb_grow(struct sbuf *b, size_t need)
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

static void
sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
sb_printf(struct sbuf *b, const char *fmt, ...)
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
	sb_grow(b, (size_t)n);
	if (b->oom)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Text content and attribute values: the five XML specials escaped. */
static void
sb_esc(struct sbuf *b, const char *s)
{
	for (; s != NULL && *s && !b->oom; s++) {
		switch (*s) {
		case '&': sb_printf(b, "&amp;"); break;
		case '<': sb_printf(b, "&lt;"); break;
		case '>': sb_printf(b, "&gt;"); break;
		case '"': sb_printf(b, "&quot;"); break;
		case '\'': sb_printf(b, "&apos;"); break;
		default: sb_printf(b, "%c", *s);
		}
	}
}

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
svg_head(struct sbuf *b, const struct strip *s, const char *titel,
    const char *subtitel)
{
	sb_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-labelledby=\"titel beschrijving\" "
	    "font-family=\"DejaVu Sans, Arial, sans-serif\" "
	    "font-size=\"12\">\n<title id=\"titel\">", s->w, s->h, s->w, s->h);
	sb_esc(b, titel ? titel : s->ind->naam);
	sb_printf(b, "</title>\n");
	sb_printf(b, "<rect width=\"%d\" height=\"%d\" fill=\"#FFFFFF\"/>\n",
	    s->w, s->h);
	sb_printf(b, "<text x=\"10\" y=\"20\" font-size=\"15\" "
	    "font-weight=\"bold\">");
	sb_esc(b, titel ? titel : s->ind->naam);
	sb_printf(b, "</text>\n");
	if (subtitel != NULL && subtitel[0]) {
		sb_printf(b, "<text x=\"10\" y=\"38\" fill=\"#333333\">");
		sb_esc(b, subtitel);
		sb_printf(b, "</text>\n");
	}
}

/* <desc>: the chart in one sentence for screen readers. */
static void
svg_desc(struct sbuf *b, const struct strip *s, const struct compare_row *m)
{
	char	v[32], med[32], nat[32];

	sb_printf(b, "<desc id=\"beschrijving\">Rangorde van %zu gemeenten "
	    "op ", s->nranked);
	sb_esc(b, s->ind->naam);
	sb_printf(b, ". Mediaan van de groep %s", fmt(s, s->res->pct[2], med,
	    sizeof(med)));
	if (isfinite(s->landelijk))
		sb_printf(b, "; Nederland %s", fmt(s, s->landelijk, nat,
		    sizeof(nat)));
	sb_printf(b, ".");
	if (m != NULL) {
		sb_printf(b, " ");
		sb_esc(b, gm_naam(s->reg, m->gemeente));
		if (m->rang > 0)
			sb_printf(b, " staat op plaats %d met %s.", m->rang,
			    fmt(s, m->waarde, v, sizeof(v)));
		else
			sb_printf(b, " is niet gerangschikt (%s).",
			    m->weergave);
	}
	sb_printf(b, "</desc>\n");
}

static void
svg_axis(struct sbuf *b, const struct strip *s)
{
	char	unit[64], v[32];
	int	nt = (int)lround((s->hi - s->lo) / s->step);

	for (int i = 0; i <= nt; i++) {
		double	t = s->lo + i * s->step, y = ypos(s, t);
		sb_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#DDDDDD\"/>\n<text x=\"%.1f\" "
		    "y=\"%.1f\" text-anchor=\"end\" fill=\"#333333\">%s</text>\n",
		    s->x0, y, s->x0 + s->pw, y, s->x0 - 6, y + 4,
		    compare_format(t, s->step < 1 ? (s->step < 0.1 ? 2 : 1) : 0,
		    v, sizeof(v)));
	}
	sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"start\" "
	    "fill=\"#333333\">", s->x0 - 6 - 40, s->y0 - 8);
	sb_esc(b, chart_unit(s->ind, unit, sizeof(unit)));
	sb_printf(b, "</text>\n");
	sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
	    "fill=\"#333333\">%s</text>\n", s->x0 + s->pw / 2, s->y0 + s->ph +
	    18, s->res->rang_op_waarde ? "gemeenten, van hoogste naar laagste "
	    "waarde" : "gemeenten, van beste (links) naar minst goede (rechts)");
}

static void
svg_bar(struct sbuf *b, const struct strip *s, size_t i, int marked)
{
	const struct compare_row *r = s->ranked[i];
	double	slot = s->pw / (double)s->nranked;
	double	bw = marked ? fmax(slot * 0.8, 3) : fmax(slot * 0.8, 0.5);
	double	x = s->x0 + slot * ((double)i + 0.5) - bw / 2;
	double	y = ypos(s, r->waarde), y0 = ypos(s, 0);

	sb_printf(b, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" "
	    "height=\"%.1f\" fill=\"%s\"><title>", x, fmin(y, y0), bw,
	    fabs(y0 - y), marked ? C_MARK : C_BAR);
	sb_esc(b, gm_naam(s->reg, r->gemeente));
	sb_printf(b, ": ");
	sb_esc(b, r->weergave);
	sb_printf(b, " (plaats %d)</title></rect>\n", r->rang);
}

/* A horizontal reference line with its label (left or right aligned). */
static void
svg_refline(struct sbuf *b, const struct strip *s, double v,
    const char *label, const char *colour, int right, int dashed)
{
	char	num[32];
	double	y = ypos(s, v);

	if (!isfinite(v))
		return;
	sb_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"%s\" stroke-width=\"1.5\"%s/>\n", s->x0, y,
	    s->x0 + s->pw, y, colour, dashed ?
	    " stroke-dasharray=\"6 4\"" : "");
	sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" "
	    "fill=\"%s\"" HALO ">%s: %s</text>\n", right ? s->x0 + s->pw - 4 :
	    s->x0 + 4, y - 5, right ? "end" : "start", colour, label,
	    fmt(s, v, num, sizeof(num)));
}

/* The marked gemeente's label above its bar, kept inside the plot. */
static void
svg_mark_label(struct sbuf *b, const struct strip *s, size_t i)
{
	const struct compare_row *r = s->ranked[i];
	double	slot = s->pw / (double)s->nranked;
	double	x = s->x0 + slot * ((double)i + 0.5);
	double	y = fmin(ypos(s, r->waarde), ypos(s, 0)) - 8;
	const char *anchor = x < s->x0 + s->pw / 3 ? "start" :
	    x > s->x0 + 2 * s->pw / 3 ? "end" : "middle";

	sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" "
	    "font-weight=\"bold\" fill=\"" C_MARK "\"" HALO ">", x, fmax(y, s->y0 + 12),
	    anchor);
	sb_esc(b, gm_naam(s->reg, r->gemeente));
	sb_printf(b, ": ");
	sb_esc(b, r->weergave);
	sb_printf(b, " (plaats %d van %zu)</text>\n", r->rang, s->nranked);
}

/* Suppressed and missing cells are not drawn; say how many there are. */
static void
svg_note(struct sbuf *b, const struct strip *s, const struct compare_row *m)
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
	sb_printf(b, "<text x=\"10\" y=\"%d\" fill=\"#333333\">%zu "
	    "gemeenten in de rangorde; %zu onderdrukt (kleine aantallen), "
	    "%zu zonder gegevens", s->h - 10, s->nranked, onderdrukt,
	    ontbreekt);
	if (m != NULL && m->rang == 0) {
		sb_printf(b, "; ");
		sb_esc(b, gm_naam(s->reg, m->gemeente));
		sb_printf(b, ": ");
		sb_esc(b, m->weergave);
	}
	sb_printf(b, ".</text>\n");
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
svg_body(struct sbuf *b, struct strip *s, const char *titel,
    const char *subtitel)
{
	const struct compare_row *m = find_row(s->res, s->markeer);
	size_t	mi = s->nranked;

	scale(s);
	svg_head(b, s, titel, subtitel);
	svg_desc(b, s, m);
	svg_axis(b, s);
	sb_printf(b, "<g aria-hidden=\"true\">\n");
	for (size_t i = 0; i < s->nranked; i++) {
		if (s->ranked[i] == m) {
			mi = i;
			continue;	/* drawn last: on top */
		}
		svg_bar(b, s, i, 0);
	}
	sb_printf(b, "</g>\n");
	if (mi < s->nranked)
		svg_bar(b, s, mi, 1);
	svg_refline(b, s, s->res->pct[2], "Mediaan groep", C_MEDIAN, 0, 1);
	svg_refline(b, s, s->landelijk, "Nederland", C_NATIONAL, 1, 0);
	if (mi < s->nranked)
		svg_mark_label(b, s, mi);
	svg_note(b, s, m);
	sb_printf(b, "</svg>\n");
}

int
chart_vergelijk(const struct indicator *ind,
    const struct compare_result *res, const struct reg *reg,
    const char *markeer, const char *titel, const char *subtitel,
    double landelijk, const struct chart_opts *o, char **ret_svg,
    size_t *ret_len, struct err *err)
{
	struct strip s;
	struct sbuf b = { NULL, 0, 0, 0 };

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
