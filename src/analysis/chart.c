/* src/analysis/chart.c — the charts behind /chart/… (design §6): a gemeente's
 * series against its group band and the national line (rrd_graph through
 * store_graph: the published own line from memory, the band files), and
 * the SVG text buffer the own SVG writers share. Its other files:
 * chart_vergelijk.c (the ranked cross-section) and chart_trend.c (the
 * trend chart), both our own SVG (rrd_graph draws only time series). */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/chart_part.h"

#define YEAR_SECONDS	31536000LL
#define ARGS_MAX	64
#define ARG_SIZE	4400	/* a DEF with a full path */
#define VAN_YEARS	10	/* default range */
#define CHART_SPARK_W	400	/* below either: plot only */
#define CHART_SPARK_H	160

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

void
chart_clamp_size(const struct chart_opts *o, int *w, int *h)
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

	chart_clamp_size(o, &w, &h);
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
		argf(a, "--watermark=%s", CHART_SYNTHETIC);
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

