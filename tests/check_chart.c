/* tests/check_chart.c — charts: the series chart through real librrd on
 * series and band files in a temp dir (SVG with the Dutch labels, PNG
 * signature and clamped size, missing files), and the ranked SVG strip
 * (well-formed, escaped, marked gemeente, reference lines, deterministic). */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/chart.h"
#include "testutil.h"

/* librrd leaks inside rrd_graph_v; see check_store.c and tests/lsan.supp. */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

struct fixture {
	char   *dir;
	struct catalog *cat;
	struct reg *reg;
	struct store *st;
};

static void
fx_open(struct fixture *fx)
{
	struct err err = { "" };
	char	path[4200];
	char   *cdir = tu_srcpath("tests/data/catalog");
	char   *rdir = tu_srcpath("indicators");

	fx->dir = tu_tmpdir();
	fx->cat = catalog_load(cdir, &err);
	ck_assert_msg(fx->cat != NULL, "%s", err.msg);
	fx->reg = register_load(rdir, &err);
	ck_assert_msg(fx->reg != NULL, "%s", err.msg);
	snprintf(path, sizeof(path), "%s/rr:d", fx->dir);	/* ':' escaped */
	fx->st = store_open(path, &err);
	ck_assert_msg(fx->st != NULL, "%s", err.msg);
	free(cdir);
	free(rdir);
}

static void
fx_close(struct fixture *fx)
{
	store_close(fx->st);
	register_free(fx->reg);
	catalog_free(fx->cat);
	tu_rm_rf(fx->dir);
	free(fx->dir);
}

/* Tag balance: every element opened is closed in order; comments, <?…?>
 * and self-closing tags are fine; '&' only starts an entity. */
static int
well_formed(const char *s)
{
	char	stack[64][32];
	int	depth = 0;

	for (const char *p = s; *p; p++) {
		if (*p == '&') {
			if (strncmp(p, "&amp;", 5) && strncmp(p, "&lt;", 4) &&
			    strncmp(p, "&gt;", 4) && strncmp(p, "&quot;", 6) &&
			    strncmp(p, "&apos;", 6) && strncmp(p, "&#", 2))
				return 0;
			continue;
		}
		if (*p != '<')
			continue;
		const char *e = strchr(p, '>');
		if (e == NULL)
			return 0;
		if (p[1] == '?' || p[1] == '!' || e[-1] == '/') {
			p = e;
			continue;
		}
		size_t	n = strcspn(p + 1 + (p[1] == '/'), " \t\n>");
		const char *name = p + 1 + (p[1] == '/');
		if (n == 0 || n >= sizeof(stack[0]))
			return 0;
		if (p[1] == '/') {
			if (depth == 0 || strncmp(stack[depth - 1], name, n) ||
			    stack[depth - 1][n])
				return 0;
			depth--;
		} else {
			if (depth == 64)
				return 0;
			snprintf(stack[depth++], sizeof(stack[0]), "%.*s",
			    (int)n, name);
		}
		p = e;
	}
	return depth == 0;
}

START_TEST(test_well_formed_checker)
{
	ck_assert(well_formed("<a><b x=\"1\"/><c>t &amp; u</c></a>"));
	ck_assert(!well_formed("<a><b></a></b>"));
	ck_assert(!well_formed("<a>x & y</a>"));
	ck_assert(!well_formed("<a>"));
}
END_TEST

/* ---- series chart ---- */

#define RATIO "bijstand_per_1000_inwoners"

static void
write_series(struct fixture *fx, const char *gm, int gap)
{
	const struct indicator *ind = catalog_find(fx->cat, RATIO);
	struct store_point pts[48];
	struct err err = { "" };
	size_t	n = 0;

	for (int i = 0; i < 48; i++) {
		if (gap && i >= 20 && i < 24)
			continue;	/* four months missing */
		pts[n].periode = (struct period){ PERIOD_MAAND, 2021 + i / 12,
			i % 12 + 1 };
		pts[n].v[0] = 300 + 5 * (i % 7);
		pts[n].v[1] = 10000 + 20 * i;
		n++;
	}
	ck_assert_msg(store_rebuild(fx->st, gm, ind, pts, n, &err) == 0, "%s",
	    err.msg);
}

static void
write_band(struct fixture *fx, const char *groep, double base)
{
	const struct indicator *ind = catalog_find(fx->cat, RATIO);
	struct store_band_point pts[48];
	struct err err = { "" };

	for (int i = 0; i < 48; i++) {
		double	m = base + 2 * sin(i / 4.0);
		pts[i].periode = (struct period){ PERIOD_MAAND, 2021 + i / 12,
			i % 12 + 1 };
		pts[i].v[STORE_BAND_N] = 40;
		pts[i].v[STORE_BAND_P10] = m - 8;
		pts[i].v[STORE_BAND_P25] = m - 4;
		pts[i].v[STORE_BAND_P50] = m;
		pts[i].v[STORE_BAND_P75] = m + 5;
		pts[i].v[STORE_BAND_P90] = m + 9;
		pts[i].v[STORE_BAND_AGG] = m + 1;
	}
	ck_assert_msg(store_band_write(fx->st, groep, ind, pts, 48, &err) ==
	    0, "%s", err.msg);
}

static int
series(struct fixture *fx, const char *gm, const char *groep,
    const struct chart_opts *o, unsigned char **img, size_t *len)
{
	struct err err = { "" };
	int	rc = chart_series(fx->st, catalog_find(fx->cat, RATIO),
	    register_find(fx->reg, gm), groep, "G4", o, img, len, &err);

	ck_assert_msg(rc != -1, "%s", err.msg);
	return rc;
}

static void
save(struct fixture *fx, const char *name, const void *p, size_t n)
{
	const char *keep = getenv("CHART_KEEP");	/* a dir to look at them */
	char	path[4200];

	snprintf(path, sizeof(path), "%s/%s", keep ? keep : fx->dir, name);
	tu_write_file(path, p, n);
}

START_TEST(test_series_svg)
{
	struct fixture fx;
	struct chart_opts o = { .w = 640, .h = 300, .synthetisch = 1 };
	unsigned char *img = NULL;
	size_t	len = 0;
	char   *s;

	fx_open(&fx);
	write_series(&fx, "GM0518", 1);
	write_band(&fx, "G4", 31);
	write_band(&fx, "alle", 28);
	ck_assert_int_eq(series(&fx, "GM0518", "G4", &o, &img, &len), 0);
	s = strndup((const char *)img, len);
	/* cairo draws text as glyph outlines: no labels to look for */
	ck_assert_ptr_nonnull(strstr(s, "<svg"));
	ck_assert(well_formed(strstr(s, "<svg")));
	save(&fx, "series.svg", img, len);
	free(s);
	free(img);
	fx_close(&fx);
}
END_TEST

static unsigned
be32(const unsigned char *p)
{
	return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 |
	    (unsigned)p[2] << 8 | p[3];
}

/* PNG: signature and IHDR size; sizes are clamped to the bounds. */
static const struct {
	int	w, h;
	unsigned ew, eh;
} png_sizes[] = {
	{ 0, 0, CHART_W_DEFAULT, CHART_H_DEFAULT },
	{ 640, 300, 640, 300 },
	{ 10, 10, CHART_W_MIN, CHART_H_MIN },
	{ 99999, 5000, CHART_W_MAX, CHART_H_MAX },
};

START_TEST(test_series_png)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
		0x1a, '\n' };
	struct fixture fx;
	struct chart_opts o = { .png = 1 };
	unsigned char *img = NULL;
	size_t	len = 0;

	fx_open(&fx);
	write_series(&fx, "GM0363", 1);
	write_band(&fx, "G4", 31);
	write_band(&fx, "alle", 28);
	o.w = png_sizes[_i].w;
	o.h = png_sizes[_i].h;
	o.synthetisch = _i == 1;
	ck_assert_int_eq(series(&fx, "GM0363", "G4", &o, &img, &len), 0);
	ck_assert_uint_gt(len, 24);
	ck_assert_mem_eq(img, sig, 8);
	ck_assert_uint_eq(be32(img + 16), png_sizes[_i].ew);
	ck_assert_uint_eq(be32(img + 20), png_sizes[_i].eh);
	if (_i == 1)
		save(&fx, "series.png", img, len);
	if (_i == 2)
		save(&fx, "series-small.png", img, len);
	free(img);
	fx_close(&fx);
}
END_TEST

/* Missing band files: draw what exists; nothing at all: 1. A range. */
START_TEST(test_series_missing)
{
	struct fixture fx;
	struct chart_opts o = { 0 };
	unsigned char *img = NULL;
	size_t	len = 0;
	struct err err = { "" };

	fx_open(&fx);
	ck_assert_int_eq(series(&fx, "GM0363", "G4", &o, &img, &len), 1);
	ck_assert_ptr_null(img);
	write_series(&fx, "GM0363", 0);
	ck_assert_int_eq(series(&fx, "GM0363", "G4", &o, &img, &len), 0);
	ck_assert(well_formed(strstr((const char *)img, "<svg")));
	free(img);
	write_band(&fx, "alle", 28);
	o.has_van = o.has_tot = 1;
	period_parse("2022-01", &o.van, NULL);
	period_parse("2022-12", &o.tot, NULL);
	ck_assert_int_eq(series(&fx, "GM0599", "G4", &o, &img, &len), 0);
	ck_assert(well_formed(strstr((const char *)img, "<svg")));
	free(img);
	/* An empty range is nothing to draw (a 404), not a failure. */
	o.van = (struct period){ PERIOD_MAAND, 2023, 1 };
	ck_assert_int_eq(chart_series(fx.st, catalog_find(fx.cat, RATIO),
	    register_find(fx.reg, "GM0363"), "G4", "G4", &o, &img, &len,
	    &err), 1);
	ck_assert_ptr_nonnull(strstr(err.msg, "van"));
	fx_close(&fx);
}
END_TEST

/* The argument vector chart_series draws with: the same image through
 * store_graph, expected options and elements, missing files leave out
 * their DEFs, nothing at all is 1. */
static const struct {
	const char *arg;	/* an argument that must be there */
	int	with_band;	/* 1: only when the G4 band exists */
} argv_expect[] = {
	{ "-", 0 }, { "--imgformat=SVG", 0 }, { "--width=640", 0 },
	{ "--watermark=synthetische demonstratiegegevens", 0 },
	{ "CDEF:iqr=p75,p25,-", 1 },
	{ "LINE2.5:own#08519C:Utrecht", 0 },
};

static int
has_arg(char **argv, int argc, const char *want)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], want) == 0)
			return 1;
	return 0;
}

/* An SVG as a string without the numbers of cairo's "surfaceN" ids, which
 * count surfaces per process. Rewritten in place: the result is never
 * longer, and the last byte (the closing '\n') makes room for the NUL. */
static char *
cairo_ids_out(unsigned char *img, size_t len)
{
	char   *s = (char *)img, *w = s;

	ck_assert_uint_gt(len, 0);
	for (size_t i = 0; i + 1 < len; i++) {
		*w++ = s[i];
		if (w - s >= 7 && strncmp(w - 7, "surface", 7) == 0)
			while (i + 2 < len && s[i + 1] >= '0' && s[i + 1] <= '9')
				i++;
	}
	*w = '\0';
	return s;
}

static const char *
find_arg(char **argv, int argc, const char *prefix)
{
	for (int i = 0; i < argc; i++)
		if (strncmp(argv[i], prefix, strlen(prefix)) == 0)
			return argv[i];
	return "";
}

START_TEST(test_series_argv)
{
	struct fixture fx;
	struct chart_opts o = { .w = 640, .h = 300, .synthetisch = 1 };
	const struct indicator *ind;
	const struct gemeente *gm;
	struct err err = { "" };
	unsigned char *img = NULL, *img2 = NULL;
	size_t	len = 0, len2 = 0;
	char  **argv = NULL;
	int	argc = 0;

	fx_open(&fx);
	ind = catalog_find(fx.cat, RATIO);
	gm = register_find(fx.reg, "GM0344");
	ck_assert_int_eq(chart_series_argv(fx.st, ind, gm, "G4", "G4", &o,
	    &argv, &argc, &err), 1);
	ck_assert_ptr_null(argv);
	write_series(&fx, "GM0344", 0);
	for (int band = 0; band < 2; band++) {
		if (band)
			write_band(&fx, "G4", 31);
		ck_assert_int_eq(chart_series_argv(fx.st, ind, gm, "G4", "G4",
		    &o, &argv, &argc, &err), 0);
		ck_assert_ptr_null(argv[argc]);
		for (size_t i = 0; i < sizeof(argv_expect) /
		    sizeof(argv_expect[0]); i++)
			ck_assert_msg(has_arg(argv, argc, argv_expect[i].arg) ==
			    (band || !argv_expect[i].with_band), "%s",
			    argv_expect[i].arg);
		/* the ':' in the state path is escaped for librrd */
		ck_assert_ptr_nonnull(strstr(find_arg(argv, argc, "DEF:t="),
		    "/rr\\:d/GM0344/"));
		ck_assert_int_eq(store_graph(fx.st, argc, (const char **)argv,
		    &img, &len, &err), 0);
		ck_assert_int_eq(series(&fx, "GM0344", "G4", &o, &img2, &len2),
		    0);
		ck_assert_str_eq(cairo_ids_out(img, len), cairo_ids_out(img2,
		    len2));
		free(img);
		free(img2);
		free(argv);
	}
	fx_close(&fx);
}
END_TEST

/* ---- ranked strip ---- */

/* 342 cells: every active gemeente, some small (suppressed), some
 * missing; 's-Gravenhage (GM0518) is the marked one. */
static void
strip_result(struct fixture *fx, struct compare_result *res)
{
	static const struct compare_opts publiek = { .publiek = 1 };
	const struct indicator *ind = catalog_find(fx->cat, RATIO);
	size_t	n = fx->reg->nactief;
	struct compare_cell *c = calloc(n, sizeof(*c));

	for (size_t i = 0; i < n; i++) {
		snprintf(c[i].gemeente, sizeof(c[i].gemeente), "%s",
		    fx->reg->gemeenten[i].code);
		c[i].geleverd = i % 29 != 5;
		c[i].waarde = NAN;
		c[i].noemer = i % 31 == 7 ? 4 : 1000 + (double)(i * 7 % 900);
		c[i].teller = (double)(i * 37 % 60 + 10);
	}
	ck_assert_int_eq(compare_eval(ind, c, n, n, &publiek, res, NULL), 0);
	free(c);
}

static char *
strip(struct fixture *fx, const struct compare_result *res,
    const char *markeer, size_t *len)
{
	struct chart_opts o = { .w = 900, .h = 360 };
	struct err err = { "" };
	char   *svg = NULL;

	ck_assert_msg(chart_vergelijk(catalog_find(fx->cat, RATIO), res,
	    fx->reg, markeer, "Bijstand & uitstroom <2024-03>", "Groep: Alle "
	    "gemeenten", 27.5, &o, &svg, len, &err) == 0, "%s", err.msg);
	return svg;
}

START_TEST(test_vergelijk)
{
	struct fixture fx;
	struct compare_result res;
	size_t	len = 0, len2 = 0, bars = 0;
	char   *svg, *svg2;

	fx_open(&fx);
	strip_result(&fx, &res);
	svg = strip(&fx, &res, "GM0518", &len);
	ck_assert_uint_eq(strlen(svg), len);
	ck_assert(well_formed(svg));
	ck_assert_ptr_nonnull(strstr(svg, "viewBox=\"0 0 900 360\""));
	ck_assert_ptr_nonnull(strstr(svg, "<title id=\"titel\">Bijstand &amp; "
	    "uitstroom &lt;2024-03&gt;</title>"));
	ck_assert_ptr_nonnull(strstr(svg, "<desc"));
	ck_assert_ptr_nonnull(strstr(svg, "&apos;s-Gravenhage"));
	ck_assert_ptr_null(strstr(svg, "'s-Gravenhage"));
	ck_assert_ptr_nonnull(strstr(svg, "paint-order=\"stroke\">&apos;"
	    "s-Gravenhage: "));
	ck_assert_ptr_nonnull(strstr(svg, ">Mediaan groep: "));
	ck_assert_ptr_nonnull(strstr(svg, ">Nederland: 27,5<"));
	ck_assert_ptr_nonnull(strstr(svg, "onderdrukt"));
	for (const char *p = svg; (p = strstr(p, "<rect x=")) != NULL; p++)
		bars++;
	ck_assert_uint_eq(bars, res.npct);
	ck_assert_uint_lt(res.npct, res.nrows);
	svg2 = strip(&fx, &res, "GM0518", &len2);
	ck_assert_uint_eq(len, len2);
	ck_assert_mem_eq(svg, svg2, len);
	save(&fx, "vergelijk.svg", svg, len);
	free(svg);
	free(svg2);
	/* no mark, and a mark on a gemeente without a rank */
	svg = strip(&fx, &res, NULL, &len);
	ck_assert(well_formed(svg));
	ck_assert_ptr_null(strstr(svg, "#B2182B"));
	free(svg);
	svg = strip(&fx, &res, fx.reg->gemeenten[5].code, &len);
	ck_assert(well_formed(svg));
	ck_assert_ptr_nonnull(strstr(svg, "niet gerangschikt"));
	free(svg);
	compare_result_free(&res);
	fx_close(&fx);
}
END_TEST

START_TEST(test_vergelijk_empty)
{
	struct fixture fx;
	struct compare_result res;
	struct chart_opts o = { 0 };
	char   *svg = NULL;
	size_t	len = 0;

	fx_open(&fx);
	ck_assert_int_eq(compare_eval(catalog_find(fx.cat, RATIO), NULL, 0, 0,
	    &(struct compare_opts){ .publiek = 1 }, &res, NULL), 0);
	ck_assert_int_eq(chart_vergelijk(catalog_find(fx.cat, RATIO), &res,
	    fx.reg, "GM0363", NULL, NULL, NAN, &o, &svg, &len, NULL), 0);
	ck_assert(well_formed(svg));
	ck_assert_ptr_null(strstr(svg, "nan"));
	free(svg);
	compare_result_free(&res);
	fx_close(&fx);
}
END_TEST

/* chart_trend: a yearly ratio with a suppressed year and a missing one,
 * against a band; a count without comparison lines. */
static struct chart_point
tp(int year, double v, const char *w)
{
	struct chart_point p = { .periode = { PERIOD_JAAR, year, 1 }, .v = v };

	snprintf(p.weergave, sizeof(p.weergave), "%s", w);
	p.onderdrukt = isnan(v) && w[0] == 'x';
	return p;
}

START_TEST(test_trend)
{
	struct fixture fx;
	struct chart_point own[] = { tp(2019, 20, "20,0"), tp(2020, NAN, "x"),
		tp(2021, 22, "22,0"), tp(2023, 24.25, "24,3") };
	struct chart_point p25[] = { tp(2021, 18, ""), tp(2022, 18, ""),
		tp(2023, 19, "") }, p50[] = { tp(2021, 20, ""), tp(2022, 21, ""),
		tp(2023, 21, "") }, p75[] = { tp(2021, 23, ""), tp(2022, 23, ""),
		tp(2023, 24, "") };
	struct chart_trend_in in = { .own = own, .nown = 4, .p25 = p25,
		.p50 = p50, .p75 = p75, .nband = 3, .land = p50, .nland = 3,
		.groep_naam = "G4", .van = { PERIOD_JAAR, 2019, 1 },
		.tot = { PERIOD_JAAR, 2023, 1 }, .w = 390, .h = 320 };
	struct err err = { "" };
	char   *svg = NULL;
	size_t	len = 0, n = 0;

	fx_open(&fx);
	in.ind = catalog_find(fx.cat, "pw_uitstroom_resultaat_pct");
	in.gm = register_find(fx.reg, "GM0363");
	ck_assert_ptr_nonnull(in.ind);
	ck_assert_int_eq(chart_trend(&in, &svg, &len, &err), 0);
	ck_assert_msg(well_formed(svg), "%s", svg);
	ck_assert_ptr_nonnull(strstr(svg, "font-size=\"13\""));
	ck_assert_ptr_nonnull(strstr(svg, "text-anchor=\"end\">0</text>"));
	ck_assert_ptr_nonnull(strstr(svg, "<title>2019: 20,0%</title>"));
	ck_assert_ptr_null(strstr(svg, "2020: "));	/* suppressed: no point */
	ck_assert_ptr_nonnull(strstr(svg, "class=\"laatste\""));
	ck_assert_ptr_nonnull(strstr(svg, ">24,3%</text>"));
	ck_assert_ptr_nonnull(strstr(svg, "<polygon"));
	ck_assert_ptr_nonnull(strstr(svg, "Nederland"));
	/* own line: 2019 alone, 2021, then 2023 alone (2022 not delivered) */
	for (const char *q = svg; (q = strstr(q, "<polyline fill=\"none\" "
	    "stroke=\"#08519C\"")) != NULL; q++)
		n++;
	ck_assert_uint_eq(n, 3);
	free(svg);
	in.ind = catalog_find(fx.cat, "pw_bestand");
	ck_assert_int_eq(chart_trend(&in, &svg, &len, &err), 0);
	ck_assert_ptr_null(strstr(svg, "<polygon"));
	ck_assert_ptr_null(strstr(svg, "Nederland"));
	free(svg);
	fx_close(&fx);
}
END_TEST

START_TEST(test_unit)
{
	struct fixture fx;
	char	buf[64];

	fx_open(&fx);
	ck_assert_str_eq(chart_unit(catalog_find(fx.cat, RATIO), buf,
	    sizeof(buf)), "per 1.000");
	ck_assert_str_eq(chart_unit(catalog_find(fx.cat,
	    "pw_uitstroom_resultaat_pct"), buf, sizeof(buf)), "%");
	ck_assert_str_eq(chart_unit(catalog_find(fx.cat, "pw_bestand"), buf,
	    sizeof(buf)), "uitkeringen");
	ck_assert_str_eq(chart_unit(catalog_find(fx.cat,
	    "pl_gemiddelde_trede"), buf, sizeof(buf)), "trede");
	fx_close(&fx);
}
END_TEST

static Suite *
chart_suite(void)
{
	Suite  *s = suite_create("chart");
	TCase  *tc = tcase_create("core");

	tcase_add_test(tc, test_well_formed_checker);
	tcase_add_test(tc, test_series_svg);
	tcase_add_loop_test(tc, test_series_png, 0,
	    sizeof(png_sizes) / sizeof(png_sizes[0]));
	tcase_add_test(tc, test_series_missing);
	tcase_add_test(tc, test_series_argv);
	tcase_add_test(tc, test_vergelijk);
	tcase_add_test(tc, test_vergelijk_empty);
	tcase_add_test(tc, test_unit);
	tcase_add_test(tc, test_trend);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(chart_suite());
}
