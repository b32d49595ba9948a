/* tests/check_store.c — RRD series files in a temp dir: calendar periods
 * (leap years, gaps) written and read back, stale appends, atomic rebuilds,
 * two data sources, leftover temp files, graphs. */
#include "config.h"

#include <check.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"
#include "testutil.h"

/* librrd 1.7.2 leaks a few bytes inside every rrd_graph_v call; the
 * suppression in tests/lsan.supp names that function, which appears in the
 * stack only with the slow unwinder (glibc's vasprintf has no frame
 * pointers). Without sanitizers this function is simply unused. */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

struct fixture {
	char   *dir;
	struct store *st;
};

static void
fx_open(struct fixture *fx)
{
	struct err err = { "" };
	char	rrd[4200];

	fx->dir = tu_tmpdir();
	snprintf(rrd, sizeof(rrd), "%s/state/rrd", fx->dir);
	fx->st = store_open(rrd, &err);
	ck_assert_msg(fx->st != NULL, "%s", err.msg);
}

static void
fx_close(struct fixture *fx)
{
	store_close(fx->st);
	tu_rm_rf(fx->dir);
	free(fx->dir);
}

static struct indicator
mkind(const char *id, enum period_kind kind, enum cat_soort soort)
{
	struct indicator ind;

	memset(&ind, 0, sizeof(ind));
	snprintf(ind.id, sizeof(ind.id), "%s", id);
	ind.periode = kind;
	ind.soort = soort;
	ind.schaal = 1;
	return ind;
}

static struct store_point
pt(const char *per, double v0, double v1)
{
	struct store_point p;

	ck_assert_int_eq(period_parse(per, &p.periode, NULL), 0);
	p.v[0] = v0;
	p.v[1] = v1;
	return p;
}

static void
append_ok(struct store *st, const struct indicator *ind,
    const struct store_point *pts, size_t n)
{
	struct err err = { "" };

	ck_assert_msg(store_append(st, "GM0363", ind, pts, n, &err) == 0, "%s",
	    err.msg);
}

/* Read [from, to] and compare with want (NaN = gap) for nds sources. */
static void
expect_read(struct store *st, const struct indicator *ind, const char *from,
    const char *to, const double (*want)[2], size_t nwant, int nds)
{
	struct store_point *got = NULL;
	struct period f, t;
	struct err err = { "" };
	size_t	n = 0;

	ck_assert_int_eq(period_parse(from, &f, NULL), 0);
	ck_assert_int_eq(period_parse(to, &t, NULL), 0);
	ck_assert_msg(store_read(st, "GM0363", ind, &f, &t, &got, &n, &err) ==
	    0, "%s", err.msg);
	ck_assert_uint_eq(n, nwant);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(got[i].periode.kind, ind->periode);
		for (int k = 0; k < nds; k++) {
			if (isnan(want[i][k]))
				ck_assert_msg(isnan(got[i].v[k]),
				    "%zu/%d: %g, expected a gap", i, k,
				    got[i].v[k]);
			else	/* RRD keeps a GAUGE as value × seconds ÷
				 * seconds: at a step of a mean month that can
				 * be one unit in the last place off */
				ck_assert_msg(fabs(got[i].v[k] - want[i][k]) <=
				    4 * DBL_EPSILON * fabs(want[i][k]),
				    "%zu/%d: %.17g != %.17g", i, k,
				    got[i].v[k], want[i][k]);
		}
	}
	free(got);
}

/* ---- every period kind: two appends (the second after a gap or not),
 * then one value per period read back exactly. ---------------------------- */

#define MAXP 8
static const struct {
	enum period_kind kind;
	const char *per[MAXP];	/* the points, sorted; NULL ends */
	double	val[MAXP];
	int	split;		/* points in the first append */
	const char *from, *to;	/* read range, whole periods */
} kinds[] = {
	{ PERIOD_MAAND, { "2023-12", "2024-01", "2024-02", "2024-03",
	    "2024-05" }, { 41250, 0.1, 29.29, 1e6 + 0.3, -7 }, 2,
	    "2023-11", "2024-06" },
	{ PERIOD_MAAND, { "2023-01", "2023-02", "2023-03" },
	    { 1, 2, 3 }, 1, "2023-01", "2023-03" },	/* non-leap Feb */
	{ PERIOD_KWARTAAL, { "2023-Q3", "2023-Q4", "2024-Q2" },
	    { 12.5, 13.25, 99 }, 2, "2023-Q3", "2024-Q3" },
	{ PERIOD_HALFJAAR, { "2023-H2", "2024-H1", "2024-H2" },
	    { 5, 6, 7 }, 1, "2023-H1", "2024-H2" },
	{ PERIOD_JAAR, { "2019", "2020", "2022", "2023" },
	    { 100, 200.5, 300, 0 }, 3, "2019", "2024" },
};

START_TEST(test_kinds)
{
	struct fixture fx;
	struct indicator ind = mkind("reeks", kinds[_i].kind, SOORT_AANTAL);
	struct store_point pts[MAXP];
	double	want[16][2];
	struct period f, t, p;
	size_t	n = 0, nw = 0;

	fx_open(&fx);
	for (; n < MAXP && kinds[_i].per[n]; n++)
		pts[n] = pt(kinds[_i].per[n], kinds[_i].val[n], NAN);
	ck_assert(!store_exists(fx.st, "GM0363", "reeks"));
	append_ok(fx.st, &ind, pts, (size_t)kinds[_i].split);
	ck_assert(store_exists(fx.st, "GM0363", "reeks"));
	append_ok(fx.st, &ind, pts + kinds[_i].split, n - (size_t)kinds[_i].split);

	ck_assert_int_eq(period_parse(kinds[_i].from, &f, NULL), 0);
	ck_assert_int_eq(period_parse(kinds[_i].to, &t, NULL), 0);
	for (p = f; period_cmp(&p, &t) <= 0; p = period_next(&p), nw++) {
		want[nw][0] = want[nw][1] = NAN;
		for (size_t i = 0; i < n; i++)
			if (period_cmp(&p, &pts[i].periode) == 0)
				want[nw][0] = pts[i].v[0];
	}
	expect_read(fx.st, &ind, kinds[_i].from, kinds[_i].to,
	    (const double (*)[2])want, nw, 1);
	fx_close(&fx);
}
END_TEST

/* ---- stale appends return 1 and leave the file as it was ------------- */

static const char *const stale[] = { "2024-01", "2024-03", "2023-12" };

START_TEST(test_stale)
{
	struct fixture fx;
	struct indicator ind = mkind("a", PERIOD_MAAND, SOORT_AANTAL);
	struct store_point pts[] = { pt("2024-02", 1, NAN),
		pt("2024-03", 2, NAN) };
	struct store_point late[] = { pt(stale[_i], 9, NAN),
		pt("2024-04", 9, NAN) };
	char	path[4200], *before, *after;
	size_t	nb = 0, na = 0;
	static const double want[][2] = { { 1, NAN }, { 2, NAN } };

	fx_open(&fx);
	append_ok(fx.st, &ind, pts, 2);
	ck_assert_int_eq(store_path(fx.st, "GM0363", "a", path, sizeof(path)),
	    0);
	before = tu_read_file(path, &nb);
	ck_assert_int_eq(store_append(fx.st, "GM0363", &ind, late, 2, NULL), 1);
	after = tu_read_file(path, &na);
	ck_assert(nb == na && memcmp(before, after, nb) == 0);
	expect_read(fx.st, &ind, "2024-02", "2024-03", want, 2, 1);
	free(before);
	free(after);
	fx_close(&fx);
}
END_TEST

/* ---- rebuild replaces; a failed rebuild keeps the old file ----------- */

START_TEST(test_rebuild)
{
	struct fixture fx;
	struct indicator ind = mkind("a", PERIOD_KWARTAAL, SOORT_AANTAL);
	struct store_point old[] = { pt("2024-Q2", 1, NAN),
		pt("2024-Q3", 2, NAN) };
	struct store_point fresh[] = { pt("2024-Q1", 10, NAN),
		pt("2024-Q2", 11, NAN), pt("2024-Q3", 12, NAN) };
	struct store_point bad[] = { pt("2024-Q3", 5, NAN),
		pt("2024-Q1", 5, NAN) };	/* not sorted */
	static const double want[][2] = { { 10, NAN }, { 11, NAN },
		{ 12, NAN } };
	struct err err = { "" };
	char	path[4200], tmp[4300];

	fx_open(&fx);
	append_ok(fx.st, &ind, old, 2);
	/* late data: append refuses, rebuild takes it */
	ck_assert_int_eq(store_append(fx.st, "GM0363", &ind, fresh, 3, NULL), 1);
	ck_assert_msg(store_rebuild(fx.st, "GM0363", &ind, fresh, 3, &err) ==
	    0, "%s", err.msg);
	expect_read(fx.st, &ind, "2024-Q1", "2024-Q3", want, 3, 1);
	ck_assert_int_eq(store_rebuild(fx.st, "GM0363", &ind, bad, 2, &err),
	    -1);
	expect_read(fx.st, &ind, "2024-Q1", "2024-Q3", want, 3, 1);
	ck_assert_int_eq(store_rebuild(fx.st, "GM0363", &ind, bad, 0, &err),
	    -1);
	store_path(fx.st, "GM0363", "a", path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	ck_assert_int_eq(access(tmp, F_OK), -1);
	/* rebuild also creates a missing file */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(store_rebuild(fx.st, "GM0363", &ind, fresh, 3, &err),
	    0);
	expect_read(fx.st, &ind, "2024-Q1", "2024-Q3", want, 3, 1);
	fx_close(&fx);
}
END_TEST

/* ---- the window (issue 13): values more than twelve years apart stay,
 * in whatever order they arrive; an append that would push a value out of
 * the ring asks for a rebuild; one row per period, not per day. -------- */

START_TEST(test_window)
{
	struct fixture fx;
	struct indicator ind = mkind("a", PERIOD_MAAND, SOORT_AANTAL);
	struct store_point p2014[] = { pt("2014-01", 9100, NAN) };
	struct store_point p2026[] = { pt("2026-06", 12, NAN) };
	struct store_point late[] = { pt("2049-01", 7, NAN) };
	struct store_point all[] = { pt("2014-01", 9100, NAN),
		pt("2026-06", 12, NAN), pt("2049-01", 7, NAN) };
	static const double w2014[][2] = { { 9100, NAN } };
	static const double w2026[][2] = { { 12, NAN } };
	static const double w2049[][2] = { { 7, NAN } };
	struct err err = { "" };
	char	path[4200];
	struct stat sb;

	fx_open(&fx);
	append_ok(fx.st, &ind, p2014, 1);
	append_ok(fx.st, &ind, p2026, 1);
	expect_read(fx.st, &ind, "2014-01", "2014-01", w2014, 1, 1);
	expect_read(fx.st, &ind, "2026-06", "2026-06", w2026, 1, 1);
	/* 2049 is beyond the headroom: 2014 would drop out of the ring */
	ck_assert_int_eq(store_append(fx.st, "GM0363", &ind, late, 1, &err),
	    1);
	ck_assert_msg(store_rebuild(fx.st, "GM0363", &ind, all, 3, &err) == 0,
	    "%s", err.msg);
	expect_read(fx.st, &ind, "2014-01", "2014-01", w2014, 1, 1);
	expect_read(fx.st, &ind, "2049-01", "2049-01", w2049, 1, 1);
	/* about 35 years of months, 8 bytes a row: far from 4 400 days */
	store_path(fx.st, "GM0363", "a", path, sizeof(path));
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_lt(sb.st_size, 8 * 1024);
	fx_close(&fx);
}
END_TEST

/* An older value than the file holds (2012-11 into a series that ends
 * 2024-12 and starts at 'sinds' 2015): the append refuses, the rebuild
 * widens the window to it. */
START_TEST(test_window_older)
{
	struct fixture fx;
	struct indicator ind = mkind("a", PERIOD_MAAND, SOORT_AANTAL);
	struct store_point newer[] = { pt("2015-01", 1, NAN),
		pt("2024-12", 2, NAN) };
	struct store_point old[] = { pt("2012-11", 3, NAN) };
	struct store_point all[] = { pt("2012-11", 3, NAN),
		pt("2015-01", 1, NAN), pt("2024-12", 2, NAN) };
	static const double w[][2] = { { 3, NAN }, { NAN, NAN } };
	static const double w2[][2] = { { 2, NAN } };
	struct store_window win;
	struct err err = { "" };

	snprintf(ind.sinds, sizeof(ind.sinds), "2015");
	store_window(&ind, &old[0].periode, &old[0].periode, 0, &win);
	ck_assert_int_eq(win.step, 2629746);
	fx_open(&fx);
	append_ok(fx.st, &ind, newer, 2);
	ck_assert_int_eq(store_append(fx.st, "GM0363", &ind, old, 1, &err), 1);
	ck_assert_msg(store_rebuild(fx.st, "GM0363", &ind, all, 3, &err) == 0,
	    "%s", err.msg);
	expect_read(fx.st, &ind, "2012-11", "2012-12", w, 2, 1);
	expect_read(fx.st, &ind, "2024-12", "2024-12", w2, 1, 1);
	fx_close(&fx);
}
END_TEST

/* Every period of 1971–2199 has a row of its own, consecutive periods
 * consecutive rows, and the row lies within three days of the period's
 * calendar start (chart axes use real time). */
START_TEST(test_rows_calendar)
{
	for (enum period_kind k = 0; k < PERIOD_NKINDS; k++) {
		long long step = store_step(k);
		struct period p = { k, 1971, 1 }, end = { k, 2199, 1 };

		for (long long slot = 12 / period_months(k); period_cmp(&p,
		    &end) <= 0; p = period_next(&p), slot++) {
			long long off = period_start(&p) - slot * step;

			ck_assert_msg(off > -3 * 86400 && off < 3 * 86400,
			    "%d-%d: %lld s off", p.year, p.index, off);
		}
	}
}
END_TEST

/* ---- store_check: the structure of a file, without librrd (issue 13) */

enum damage { D_NONE, D_MISSING, D_TRUNCATE, D_GROW, D_HEAD, D_DIR };
static const struct {
	enum damage d;
	const char *why;	/* substring of the reason; NULL: sound */
} damages[] = {
	{ D_NONE, NULL }, { D_MISSING, "ontbreekt" },
	{ D_TRUNCATE, "ingekort" }, { D_GROW, "aangevuld" },
	{ D_HEAD, "RRD-kop" }, { D_DIR, "geen gewoon bestand" },
};

static void
damage(const char *path, enum damage d)
{
	FILE   *fp;
	struct stat sb;

	ck_assert_int_eq(stat(path, &sb), 0);
	if (d == D_MISSING || d == D_DIR)
		ck_assert_int_eq(unlink(path), 0);
	if (d == D_DIR)
		ck_assert_int_eq(mkdir(path, 0755), 0);
	if (d == D_TRUNCATE)
		ck_assert_int_eq(truncate(path, sb.st_size / 2), 0);
	if (d == D_GROW || d == D_HEAD) {
		ck_assert_ptr_nonnull(fp = fopen(path, d == D_GROW ? "ab" :
		    "r+b"));
		fputs("garbage!", fp);
		fclose(fp);
	}
}

START_TEST(test_check)
{
	struct fixture fx;
	struct indicator ind = mkind("a", PERIOD_KWARTAAL, SOORT_RATIO);
	struct store_point pts[] = { pt("2024-Q1", 1, 2), pt("2024-Q2", 3, 4) };
	struct err err = { "" };
	char	path[4200];
	int	rc;

	fx_open(&fx);
	append_ok(fx.st, &ind, pts, 2);
	store_path(fx.st, "GM0363", "a", path, sizeof(path));
	if (damages[_i].d != D_NONE)
		damage(path, damages[_i].d);
	rc = store_check(fx.st, "GM0363", &ind, &err);
	if (damages[_i].why == NULL)
		ck_assert_msg(rc == 0, "%s", err.msg);
	else
		ck_assert_msg(rc == -1 && strstr(err.msg, damages[_i].why) &&
		    !strstr(err.msg, fx.dir), "%d: %s", rc, err.msg);
	/* a rebuild makes it sound again (a directory in the way excepted) */
	if (damages[_i].d != D_DIR) {
		ck_assert_int_eq(store_rebuild(fx.st, "GM0363", &ind, pts, 2,
		    &err), 0);
		ck_assert_msg(store_check(fx.st, "GM0363", &ind, &err) == 0,
		    "%s", err.msg);
	} else {
		ck_assert_int_eq(store_rebuild(fx.st, "GM0363", &ind, pts, 2,
		    &err), -1);
	}
	fx_close(&fx);
}
END_TEST

/* ---- two data sources (teller, noemer) ------------------------------- */

START_TEST(test_two_ds)
{
	struct fixture fx;
	struct indicator ind = mkind("r", PERIOD_JAAR, SOORT_RATIO);
	struct indicator cnt = mkind("c", PERIOD_JAAR, SOORT_AANTAL);
	struct store_point pts[] = { pt("2021", 25, 1000), pt("2022", 0, 0),
		pt("2023", NAN, 1200) };
	static const double want[][2] = { { 25, 1000 }, { 0, 0 },
		{ NAN, 1200 } };

	ck_assert_int_eq(store_nds(&ind), 2);
	ck_assert_int_eq(store_nds(&cnt), 1);
	fx_open(&fx);
	append_ok(fx.st, &ind, pts, 1);
	append_ok(fx.st, &ind, pts + 1, 2);
	expect_read(fx.st, &ind, "2021", "2023", want, 3, 2);
	fx_close(&fx);
}
END_TEST

/* ---- paths and leftover temp files ----------------------------------- */

static const struct {
	const char *gemeente, *indicator;
	int	ok;
} names[] = {
	{ "GM0363", "pw_uitstroom_werk", 1 },
	{ "GM036", "a", 0 },
	{ "GM03633", "a", 0 },
	{ "..", "a", 0 },
	{ "GM0363", "../a", 0 },
	{ "GM0363", "A", 0 },
	{ "GM0363", "", 0 },
};

START_TEST(test_paths)
{
	struct fixture fx;
	char	buf[4200];

	fx_open(&fx);
	ck_assert_int_eq(store_path(fx.st, names[_i].gemeente,
	    names[_i].indicator, buf, sizeof(buf)), names[_i].ok ? 0 : -1);
	if (names[_i].ok) {
		ck_assert_ptr_nonnull(strstr(buf, "/state/rrd/GM0363/"
		    "pw_uitstroom_werk.rrd"));
		ck_assert_int_eq(store_path(fx.st, names[_i].gemeente,
		    names[_i].indicator, buf, 10), -1);
	}
	ck_assert(!store_exists(fx.st, names[_i].gemeente,
	    names[_i].indicator));
	fx_close(&fx);
}
END_TEST

START_TEST(test_tmp_removed)
{
	struct fixture fx;
	struct err err = { "" };
	char	rrd[4200], p[3][4300];

	fx_open(&fx);
	store_close(fx.st);
	snprintf(rrd, sizeof(rrd), "%s/state/rrd", fx.dir);
	snprintf(p[0], sizeof(p[0]), "%s/GM0363", rrd);
	ck_assert_int_eq(mkdir(p[0], 0755), 0);
	snprintf(p[0], sizeof(p[0]), "%s/GM0363/a.rrd.tmp", rrd);
	snprintf(p[1], sizeof(p[1]), "%s/half.tmp", rrd);
	snprintf(p[2], sizeof(p[2]), "%s/GM0363/a.rrd", rrd);
	for (int i = 0; i < 3; i++)
		tu_write_file(p[i], "x", 1);
	fx.st = store_open(rrd, &err);
	ck_assert_msg(fx.st != NULL, "%s", err.msg);
	ck_assert_int_eq(access(p[0], F_OK), -1);
	ck_assert_int_eq(access(p[1], F_OK), -1);
	ck_assert_int_eq(access(p[2], F_OK), 0);
	fx_close(&fx);
}
END_TEST

/* ---- graphs in memory ------------------------------------------------ */

static const struct {
	const char *format;
	const char *magic;
	size_t	magic_len;
	const char *alt;	/* other accepted start, or NULL */
} graphs[] = {
	{ "PNG", "\x89PNG\r\n\x1a\n", 8, NULL },
	{ "SVG", "<?xml", 5, "<svg" },
};

START_TEST(test_graph)
{
	struct fixture fx;
	struct indicator ind = mkind("a", PERIOD_MAAND, SOORT_AANTAL);
	struct store_point pts[] = { pt("2024-01", 1, NAN),
		pt("2024-02", 3, NAN), pt("2024-03", 2, NAN) };
	struct err err = { "" };
	char	path[4200], def[4300];
	unsigned char *img = NULL;
	size_t	len = 0;

	fx_open(&fx);
	append_ok(fx.st, &ind, pts, 3);
	store_path(fx.st, "GM0363", "a", path, sizeof(path));
	snprintf(def, sizeof(def), "DEF:v=%s:waarde:AVERAGE", path);
	const char *argv[] = { "graph", "--imgformat", graphs[_i].format,
		"--start", "1704067200", "--end", "1711929600",
		"--width", "300", "--height", "100", def, "LINE1:v#1f77b4:waarde",
	};
	int	argc = (int)(sizeof(argv) / sizeof(*argv));

	ck_assert_msg(store_graph(fx.st, argc, argv, &img, &len, &err) == 0,
	    "%s", err.msg);
	ck_assert_uint_gt(len, graphs[_i].magic_len);
	ck_assert_msg(memcmp(img, graphs[_i].magic, graphs[_i].magic_len) ==
	    0 || (graphs[_i].alt && memcmp(img, graphs[_i].alt,
	    strlen(graphs[_i].alt)) == 0), "%s: wrong start", graphs[_i].format);
	free(img);

	/* a missing file is an error with librrd's message */
	snprintf(def, sizeof(def), "DEF:v=%s/nope.rrd:waarde:AVERAGE", fx.dir);
	ck_assert_int_eq(store_graph(fx.st, argc, argv, &img, &len, &err), -1);
	ck_assert_ptr_null(img);
	ck_assert_ptr_nonnull(strstr(err.msg, "nope.rrd"));
	fx_close(&fx);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("store");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_loop_test(tc, test_kinds, 0, sizeof(kinds) / sizeof(*kinds));
	tcase_add_loop_test(tc, test_stale, 0, sizeof(stale) / sizeof(*stale));
	tcase_add_test(tc, test_rebuild);
	tcase_add_test(tc, test_window);
	tcase_add_test(tc, test_window_older);
	tcase_add_test(tc, test_rows_calendar);
	tcase_add_loop_test(tc, test_check, 0, sizeof(damages) / sizeof(*damages));
	tcase_add_test(tc, test_two_ds);
	tcase_add_loop_test(tc, test_paths, 0, sizeof(names) / sizeof(*names));
	tcase_add_test(tc, test_tmp_removed);
	tcase_add_loop_test(tc, test_graph, 0,
	    sizeof(graphs) / sizeof(*graphs));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
