/* src/analysis/chart.h — charts for /chart/… (design §6): a gemeente's series
 * against its group's median and P25–P75 band and the national line,
 * drawn by librrd through store_graph (which holds the store's mutex), and
 * a ranked cross-section of a group drawn by our own SVG writer (rrd_graph
 * cannot draw one). Dutch titles, units, legends and numbers.
 *
 * Thread-safety: both functions may run in any thread (chart_vergelijk is
 * pure; chart_series serialises on the store). Images are malloc'd; the
 * caller frees them. */
#ifndef CHART_H
#define CHART_H

#include <stddef.h>

#include "input/catalog.h"
#include "analysis/compare.h"
#include "base/err.h"
#include "base/period.h"
#include "input/register.h"
#include "store/store.h"

/* Size bounds; values outside are clamped, 0 means the default. */
#define CHART_W_MIN	200
#define CHART_W_MAX	2000
#define CHART_H_MIN	100
#define CHART_H_MAX	1200
#define CHART_W_DEFAULT	800
#define CHART_H_DEFAULT	320

struct chart_opts {
	int	w, h;		/* pixels (SVG: user units); 0 = default */
	int	png;		/* 0 = SVG */
	int	has_van, has_tot;
	struct period van, tot;	/* of the indicator's periode, or any kind:
				 * the chart runs from van's start to tot's end */
	int	synthetisch;	/* watermark "synthetische demonstratiegegevens" */
	/* chart_series: the gemeente's own line as published (a suppressed
	 * value a gap, domain §3.5), drawn instead of its series file;
	 * NULL: the file (benchmarks against librrd). */
	const struct store_line *eigen;
};

/* The line chart of gm's series of ind: own line, median and P25–P75 band
 * of groep_id's band file, the national line from the "alle" band (the
 * aggregate for ratio and gemiddelde; the national median for aantal and
 * verdeling, whose sum would dwarf one gemeente), Dutch title
 * "<indicator> — <gemeente> en <groep_naam>", unit and legend. Missing
 * band files are left out. Below 400 × 160 only the plot is drawn (a
 * sparkline for a dashboard tile). Default range: the last 10 years up to the
 * newest period in the series (or band) file. Returns 0 with the image in
 * *ret_img (malloc'd, *ret_len bytes), 1 when there is nothing to draw
 * (neither series nor band files: a 404), or -1 with err set. */
int	chart_series(struct store *st, const struct indicator *ind,
	    const struct gemeente *gm, const char *groep_id,
	    const char *groep_naam, const struct chart_opts *o,
	    unsigned char **ret_img, size_t *ret_len, struct err *err);

/* The rrd_graph arguments chart_series passes to store_graph for the same
 * inputs (what `rrdtool graph` takes after "graph"): argv[0] is "-" (the
 * image to memory or stdout), then options, DEFs, CDEFs and elements.
 * For benchmarks and debugging against librrd itself. Returns 0 with
 * *ret_argv (one malloc'd block, NULL-terminated, *ret_argc entries; free
 * it with free()), 1 when there is nothing to draw, or -1 with err set. */
int	chart_series_argv(struct store *st, const struct indicator *ind,
	    const struct gemeente *gm, const char *groep_id,
	    const char *groep_naam, const struct chart_opts *o,
	    char ***ret_argv, int *ret_argc, struct err *err);

/* A ranked strip (SVG) of every gemeente in res: one thin bar per ranked
 * gemeente, best first, the marked one (markeer, may be NULL) highlighted
 * and labelled, the group median (res->pct) and the national value
 * (landelijk; NaN = none) as labelled lines, suppressed and missing cells
 * counted in a note. titel/subtitel (may be NULL) head the chart. Text is
 * XML-escaped; <title>/<desc> describe the chart for screen readers. The
 * output depends only on the arguments. Returns 0 with *ret_svg
 * (malloc'd, NUL-terminated, *ret_len bytes) or -1 with err set. */
int	chart_vergelijk(const struct indicator *ind,
	    const struct compare_result *res, const struct reg *reg,
	    const char *markeer, const char *titel, const char *subtitel,
	    double landelijk, const struct chart_opts *o, char **ret_svg,
	    size_t *ret_len, struct err *err);

/* One point of a trend: a period and its published value (NaN: a gap,
 * suppressed or missing); weergave is the Dutch display without unit. */
struct chart_point {
	struct period periode;
	double	v;
	int	onderdrukt;
	char	weergave[32];
};

/* What a trend chart shows. Arrays are sorted by period and borrowed;
 * band arrays may be empty (n = 0). */
struct chart_trend_in {
	const struct indicator *ind;
	const struct gemeente *gm;
	const char *groep_naam;		/* e.g. "vergelijkbare gemeenten" */
	const struct chart_point *own;
	size_t	nown;
	const struct chart_point *p25, *p50, *p75, *land;
	size_t	nband, nland;		/* p25/p50/p75 share nband */
	struct period van, tot;		/* the x range (the indicator's kind) */
	int	w, h;			/* 0 = 720 × 360 */
	int	synthetisch;
};

/* The trend as our own SVG, readable at any width (text in 13 user units;
 * the dashboard asks for the width it shows the chart at): y from 0, Dutch
 * numbers, the gemeente's line with a point per value (not for months),
 * gaps where a value is suppressed or missing, the latest value labelled,
 * for ratios and averages the group's P25–P75 band, its median and the
 * national figure (counts get no comparison lines: another scale). Each
 * point has a <title>; <desc> states the latest value. Pure. Returns 0
 * with *ret_svg (malloc'd, *ret_len bytes) or -1 with err set. */
int	chart_trend(const struct chart_trend_in *in, char **ret_svg,
	    size_t *ret_len, struct err *err);

/* A growing text buffer for SVG writers (chart_vergelijk, map). A failed
 * allocation sets oom and makes every later call a no-op, so a writer
 * checks once at the end; p is malloc'd and NUL-terminated (free it). */
struct chart_buf {
	char   *p;
	size_t	len, cap;
	int	oom;
};

void	chart_buf_printf(struct chart_buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Text content and attribute values: the five XML specials escaped. */
void	chart_buf_esc(struct chart_buf *b, const char *s);

/* The unit shown on the axis: "%" (schaal 100), "per 1.000" (schaal
 * 1000), else the catalogue's eenheid (plural for counts). Returns buf. */
char   *chart_unit(const struct indicator *ind, char *buf, size_t size);

#endif /* CHART_H */
