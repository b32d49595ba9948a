/* tests/check_compare.c — the comparison engine: aggregates, percentiles,
 * ranks, disclosure control, period aggregation, groups, peers and
 * herindelingen. Properties are checked against reference code written
 * here, on deterministic pseudo-random data. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"
#include "base/util.h"

/* ---- fixtures ---- */

static struct indicator
ind_make(enum cat_soort soort, enum cat_richting r, int min_n)
{
	struct indicator ind;

	memset(&ind, 0, sizeof(ind));
	snprintf(ind.id, sizeof(ind.id), "test");
	ind.soort = soort;
	ind.meting = METING_STROOM;
	ind.periode = PERIOD_MAAND;
	ind.richting = r;
	ind.min_n = min_n;
	ind.schaal = soort == SOORT_RATIO ? 100 : 1;
	if (soort == SOORT_RATIO) {
		ind.has_min = ind.has_max = 1;
		ind.max = 100;
	}
	return ind;
}

static struct compare_cell
cell(const char *code, double w, double t, double n)
{
	struct compare_cell c;

	memset(&c, 0, sizeof(c));
	snprintf(c.gemeente, sizeof(c.gemeente), "%s", code);
	c.geleverd = 1;
	c.waarde = w;
	c.teller = t;
	c.noemer = n;
	return c;
}

/* Deterministic generator so failures reproduce. */
static unsigned long
lcg(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return *s >> 33;
}

static void
code_of(size_t i, char buf[8])
{
	snprintf(buf, 8, "GM%04zu", (i * 37) % 10000);
}

static const struct compare_row *
row_of(const struct compare_result *r, const char *code)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (strcmp(r->rows[i].gemeente, code) == 0)
			return &r->rows[i];
	return NULL;
}

/* ---- worked examples (domain §4, §9) and display ---- */

static const struct {
	double	teller, noemer;
	double	pct;
	const char *weergave;
} ratios[] = {
	{ 26, 120, 21.6667, "21,7" },	/* Zoetermeer: 26 / 120 */
	{ 13, 86, 15.1163, "15,1" },	/* Broedplaats: 13 of 86 ≈ 15% */
	{ 0, 50, 0, "0,0" },
	{ 50, 50, 100, "100,0" },
	{ 5, 9, NAN, "x" },		/* noemer below min_n 10 */
	{ 0, 0, NAN, "." },		/* no noemer: no value */
};

START_TEST(test_ratio_cells)
{
	struct indicator ind = ind_make(SOORT_RATIO, RICHTING_HOGER_BETER, 10);
	struct compare_cell c[] = {
		cell("GM0001", NAN, ratios[_i].teller, ratios[_i].noemer),
		/* big enough partners so a suppressed cell can be protected */
		cell("GM0002", NAN, 100, 400), cell("GM0003", NAN, 90, 300),
	};
	struct compare_opts o = { .publiek = 1 };
	struct compare_result r;
	struct err err = { "" };

	ck_assert_int_eq(compare_eval(&ind, c, 3, 0, &o, &r, &err), 0);
	const struct compare_row *row = row_of(&r, "GM0001");
	ck_assert_str_eq(row->weergave, ratios[_i].weergave);
	if (isnan(ratios[_i].pct))
		ck_assert(isnan(row->waarde));
	else
		ck_assert_double_eq_tol(row->waarde, ratios[_i].pct, 1e-4);
	compare_result_free(&r);
}
END_TEST

static const struct {
	double	v;
	int	min_n;
	const char *weergave;
	int	onderdrukt;
} counts[] = {
	{ 0, 10, "0", 0 },	/* zero is not disclosive */
	{ 1, 10, "<5", 1 }, { 4, 10, "<5", 1 }, { 5, 10, "<10", 1 },
	{ 9, 10, "<10", 1 }, { 10, 10, "10", 0 }, { 1234, 10, "1.234", 0 },
	{ 3, 5, "<5", 1 }, { 5, 5, "5", 0 }, { 2, 0, "2", 0 },
	{ 12.5, 10, "12,5", 0 },
};

START_TEST(test_count_display)
{
	struct indicator ind = ind_make(SOORT_AANTAL, RICHTING_HOGER_BETER,
	    counts[_i].min_n);
	struct compare_cell c[] = { cell("GM0001", counts[_i].v, NAN, NAN),
		cell("GM0002", 500, NAN, NAN), cell("GM0003", 600, NAN, NAN) };
	struct compare_result r;

	ck_assert_int_eq(compare_eval(&ind, c, 3, 0, NULL, &r, NULL), 0);
	ck_assert_str_eq(r.rows[0].weergave, counts[_i].weergave);
	ck_assert_int_eq(r.rows[0].onderdrukt, counts[_i].onderdrukt);
	ck_assert_int_eq(r.rows[0].rang == 0, counts[_i].onderdrukt);
	compare_result_free(&r);
}
END_TEST

static const struct {
	double	v;
	int	decimals;
	const char *out;
} formats[] = {
	{ 21.6667, 1, "21,7" }, { 1234567.891, 2, "1.234.567,89" },
	{ -1234, 0, "-1.234" }, { -0.04, 1, "0,0" }, { 999, 0, "999" },
	{ 1000, 0, "1.000" }, { 616000, 0, "616.000" }, { NAN, 1, "." },
	{ 100.0 * 13 / 86, 0, "15" },	/* Broedplaats: 13 of 86 = 15% */
	{ 100.0 * 26 / 120, 1, "21,7" },	/* Zoetermeer: 26 / 120 */
};

START_TEST(test_format)
{
	char	buf[32];

	ck_assert_str_eq(compare_format(formats[_i].v, formats[_i].decimals,
	    buf, sizeof(buf)), formats[_i].out);
}
END_TEST

/* ---- aggregation ---- */

START_TEST(test_group_ratio_not_mean)
{
	struct indicator ind = ind_make(SOORT_RATIO, RICHTING_HOGER_BETER, 10);
	/* 50% of 20 and 10% of 100: the group is 20/120, not (50+10)/2 */
	struct compare_cell c[] = { cell("GM0001", NAN, 10, 20),
		cell("GM0002", NAN, 10, 100) };
	struct compare_result r;

	ck_assert_int_eq(compare_eval(&ind, c, 2, 0, NULL, &r, NULL), 0);
	ck_assert_double_eq(r.teller, 20);
	ck_assert_double_eq(r.noemer, 120);
	ck_assert_double_eq_tol(r.waarde, 100.0 * 20 / 120, 1e-12);
	ck_assert_double_ne_tol(r.waarde, 30, 1);
	compare_result_free(&r);
}
END_TEST

/* Property on random groups: aggregate = Σteller/Σnoemer, and it differs
 * from the mean of percentages whenever the noemers differ. */
START_TEST(test_group_ratio_property)
{
	struct indicator ind = ind_make(SOORT_RATIO, RICHTING_HOGER_BETER, 0);
	struct compare_cell c[20];
	unsigned long s = 7 + (unsigned long)_i;
	size_t	n = 2 + lcg(&s) % 18;
	double	st = 0, sn = 0, mean = 0;
	int	differ = 0;
	struct compare_result r;

	for (size_t i = 0; i < n; i++) {
		char	code[8];
		double	no = 10 + (double)(lcg(&s) % 500);
		double	te = (double)(lcg(&s) % ((unsigned long)no + 1));
		code_of(i, code);
		c[i] = cell(code, NAN, te, no);
		st += te;
		sn += no;
		mean += te / no * 100 / (double)n;
		differ |= i > 0 && no != c[0].noemer;
	}
	ck_assert_int_eq(compare_eval(&ind, c, n, 0, NULL, &r, NULL), 0);
	ck_assert_double_eq_tol(r.waarde, st / sn * 100, 1e-9);
	ck_assert_double_eq(r.teller, st);
	ck_assert_double_eq(r.noemer, sn);
	if (differ && fabs(mean - st / sn * 100) > 1e-9)
		ck_assert_double_ne_tol(r.waarde, mean, 1e-9);
	compare_result_free(&r);
}
END_TEST

START_TEST(test_gemiddelde_and_aantal)
{
	struct indicator gem = ind_make(SOORT_GEMIDDELDE, RICHTING_HOGER_BETER,
	    0);
	struct indicator aan = ind_make(SOORT_AANTAL, RICHTING_HOGER_BETER, 0);
	/* mean trede: Σ trede / n over clients, not the mean of means */
	struct compare_cell g[] = { cell("GM0001", NAN, 30, 10),
		cell("GM0002", NAN, 400, 100) };
	struct compare_cell a[] = { cell("GM0001", 7, NAN, NAN),
		cell("GM0002", 5, NAN, NAN), cell("GM0003", 0, NAN, NAN) };
	struct compare_result r;

	ck_assert_int_eq(compare_eval(&gem, g, 2, 0, NULL, &r, NULL), 0);
	ck_assert_double_eq_tol(r.waarde, 430.0 / 110, 1e-12);
	compare_result_free(&r);
	ck_assert_int_eq(compare_eval(&aan, a, 3, 0, NULL, &r, NULL), 0);
	ck_assert_double_eq(r.waarde, 12);
	compare_result_free(&r);
}
END_TEST

/* A ratio is onvolledig from fewer than half of the members (domain
 * §3.6); a sum (aantal) as soon as one member is missing: 3 of 6 is not
 * the group's total (issue 11). */
static const struct {
	enum cat_soort soort;
	size_t	delivered, expected;
	int	flag;
} completeness[] = {
	{ SOORT_RATIO, 3, 8, 1 }, { SOORT_RATIO, 4, 8, 0 },
	{ SOORT_RATIO, 4, 9, 1 }, { SOORT_RATIO, 5, 9, 0 },
	{ SOORT_RATIO, 0, 1, 1 }, { SOORT_RATIO, 1, 1, 0 },
	{ SOORT_AANTAL, 3, 6, 1 }, { SOORT_AANTAL, 5, 6, 1 },
	{ SOORT_AANTAL, 6, 6, 0 }, { SOORT_AANTAL, 0, 1, 1 },
};

START_TEST(test_completeness)
{
	struct indicator ind = ind_make(completeness[_i].soort,
	    RICHTING_HOGER_BETER, 0);
	struct compare_cell c[9];
	struct compare_result r;
	size_t	N = completeness[_i].expected;

	for (size_t i = 0; i < N; i++) {
		char	code[8];
		code_of(i, code);
		c[i] = completeness[_i].soort == SOORT_AANTAL ?
		    cell(code, 100, NAN, NAN) : cell(code, NAN, 10, 100);
		c[i].geleverd = i < completeness[_i].delivered;
	}
	ck_assert_int_eq(compare_eval(&ind, c, N, 0, NULL, &r, NULL), 0);
	ck_assert_uint_eq(r.n, completeness[_i].delivered);
	ck_assert_uint_eq(r.N, N);
	ck_assert_int_eq(r.onvolledig, completeness[_i].flag);
	compare_result_free(&r);
}
END_TEST

START_TEST(test_bad_input)
{
	struct indicator ind = ind_make(SOORT_RATIO, RICHTING_HOGER_BETER, 0);
	struct compare_cell c[] = { cell("GM0001", NAN, 1, 10),
		cell("GM0001", NAN, 2, 10) };
	struct compare_cell neg[] = { cell("GM0001", NAN, 1, -10) };
	struct compare_result r;
	struct err err = { "" };

	ck_assert_int_eq(compare_eval(&ind, c, 2, 0, NULL, &r, &err), -1);
	ck_assert_str_eq(err.msg, "gemeente GM0001 staat twee keer in de "
	    "vergelijking");
	ck_assert_int_eq(compare_eval(&ind, neg, 1, 0, NULL, &r, &err), -1);
	ck_assert_str_eq(err.msg, "GM0001: negatieve noemer -10");
}
END_TEST

/* ---- percentiles and ranks ---- */

static const struct {
	double	v[6];
	size_t	n;
	double	pct[COMPARE_NPCT];
} pcts[] = {
	{ { 1, 2, 3, 4, 5 }, 5, { 1.4, 2, 3, 4, 4.6 } },
	{ { 7 }, 1, { 7, 7, 7, 7, 7 } },
	{ { 10, 20 }, 2, { 11, 12.5, 15, 17.5, 19 } },
	{ { 3, 1, 2, 2 }, 4, { 1.3, 1.75, 2, 2.25, 2.7 } },
};

START_TEST(test_percentiles_table)
{
	struct indicator ind = ind_make(SOORT_AANTAL, RICHTING_HOGER_BETER, 0);
	struct compare_cell c[6];
	struct compare_result r;

	for (size_t i = 0; i < pcts[_i].n; i++) {
		char	code[8];
		code_of(i, code);
		c[i] = cell(code, pcts[_i].v[i], NAN, NAN);
	}
	ck_assert_int_eq(compare_eval(&ind, c, pcts[_i].n, 0, NULL, &r, NULL),
	    0);
	for (int p = 0; p < COMPARE_NPCT; p++)
		ck_assert_double_eq_tol(r.pct[p], pcts[_i].pct[p], 1e-12);
	compare_result_free(&r);
}
END_TEST

/* Reference: the textbook definition of type 7 with 1-based ranks. */
static double
ref_percentile(const double *v, size_t n, double p)
{
	double	x[400], pos, frac;
	size_t	k;

	memcpy(x, v, n * sizeof(*v));
	for (size_t i = 0; i < n; i++)	/* selection sort: obviously right */
		for (size_t j = i + 1; j < n; j++)
			if (x[j] < x[i]) {
				double	t = x[i];
				x[i] = x[j];
				x[j] = t;
			}
	pos = 1 + p * (double)(n - 1);	/* 1-based rank */
	k = (size_t)pos;
	frac = pos - (double)k;
	return k >= n ? x[n - 1] : x[k - 1] + frac * (x[k] - x[k - 1]);
}

START_TEST(test_percentiles_reference)
{
	struct indicator ind = ind_make(SOORT_RATIO, RICHTING_LAGER_BETER, 10);
	struct compare_cell c[342];
	double	pub[342];
	unsigned long s = 1000 + (unsigned long)_i;
	size_t	n = 1 + lcg(&s) % 342, np = 0;
	struct compare_result r;

	for (size_t i = 0; i < n; i++) {
		char	code[8];
		double	no = (double)(lcg(&s) % 400);
		code_of(i, code);
		c[i] = cell(code, NAN, (double)(lcg(&s) % (1 + (unsigned long)no)),
		    no);
	}
	ck_assert_int_eq(compare_eval(&ind, c, n, 0, NULL, &r, NULL), 0);
	for (size_t i = 0; i < r.nrows; i++)
		if (r.rows[i].reden == COMPARE_GEPUBLICEERD)
			pub[np++] = r.rows[i].waarde;
	ck_assert_uint_eq(r.npct, np);
	for (int p = 0; p < COMPARE_NPCT && np > 0; p++)
		ck_assert_double_eq_tol(r.pct[p], ref_percentile(pub, np,
		    compare_pct_levels[p]), 1e-9);
	compare_result_free(&r);
}
END_TEST

static const struct {
	enum cat_richting richting;
	double	v[5];
	int	rang[5];
} ranks[] = {
	{ RICHTING_HOGER_BETER, { 10, 20, 20, 5, 30 }, { 4, 2, 2, 5, 1 } },
	{ RICHTING_LAGER_BETER, { 10, 20, 20, 5, 30 }, { 2, 3, 3, 1, 5 } },
	{ RICHTING_NEUTRAAL, { 10, 20, 20, 5, 30 }, { 4, 2, 2, 5, 1 } },
	{ RICHTING_HOGER_BETER, { 7, 7, 7, 7, 7 }, { 1, 1, 1, 1, 1 } },
	/* a suppressed cell (3 < min_n 5) takes no rank and no place; no
	 * other cell is hidden for it (issue 12: group figures sum the
	 * published cells only) */
	{ RICHTING_LAGER_BETER, { 3, 50, 60, 50, 70 }, { 0, 1, 3, 1, 4 } },
};

START_TEST(test_ranks)
{
	struct indicator ind = ind_make(SOORT_AANTAL, ranks[_i].richting, 5);
	struct compare_cell c[5];
	struct compare_result r;

	for (size_t i = 0; i < 5; i++) {
		char	code[8];
		snprintf(code, sizeof(code), "GM%04zu", i + 1);
		c[i] = cell(code, ranks[_i].v[i], NAN, NAN);
	}
	ck_assert_int_eq(compare_eval(&ind, c, 5, 0, NULL, &r, NULL), 0);
	for (size_t i = 0; i < 5; i++)
		ck_assert_int_eq(r.rows[i].rang, ranks[_i].rang[i]);
	ck_assert_int_eq(r.rang_op_waarde,
	    ranks[_i].richting == RICHTING_NEUTRAAL);
	/* distance to the median of the published values */
	for (size_t i = 0; i < 5; i++)
		if (r.rows[i].rang > 0)
			ck_assert_double_eq(r.rows[i].afstand_mediaan,
			    r.rows[i].waarde - r.pct[2]);
	compare_result_free(&r);
}
END_TEST

/* ---- order independence ---- */

static int
same_double(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

START_TEST(test_shuffle)
{
	struct indicator ind = ind_make(_i % 2 ? SOORT_RATIO : SOORT_AANTAL,
	    RICHTING_HOGER_BETER, 10);
	struct compare_cell c[342];
	struct compare_opts o = { .publiek = 1 };
	struct compare_result a, b;
	unsigned long s = 99 + (unsigned long)_i;

	for (size_t i = 0; i < 342; i++) {
		char	code[8];
		double	no = (double)(lcg(&s) % 300);
		code_of(i, code);
		c[i] = cell(code, (double)(lcg(&s) % 40), (double)(lcg(&s) %
		    (1 + (unsigned long)no)), no);
		c[i].geleverd = lcg(&s) % 10 != 0;
		c[i].status = (enum obs_status)(lcg(&s) % 3);
	}
	ck_assert_int_eq(compare_eval(&ind, c, 342, 400, &o, &a, NULL), 0);
	for (int round = 0; round < 5; round++) {
		for (size_t i = 341; i > 0; i--) {	/* Fisher–Yates */
			size_t	j = lcg(&s) % (i + 1);
			struct compare_cell t = c[i];
			c[i] = c[j];
			c[j] = t;
		}
		ck_assert_int_eq(compare_eval(&ind, c, 342, 400, &o, &b, NULL),
		    0);
		ck_assert(same_double(a.waarde, b.waarde));
		ck_assert(same_double(a.teller, b.teller));
		for (int p = 0; p < COMPARE_NPCT; p++)
			ck_assert(same_double(a.pct[p], b.pct[p]));
		ck_assert_int_eq(a.aggregaat_onderdrukt, b.aggregaat_onderdrukt);
		ck_assert_int_eq(a.status, b.status);
		for (size_t i = 0; i < 342; i++) {
			ck_assert_str_eq(a.rows[i].gemeente, b.rows[i].gemeente);
			ck_assert_int_eq(a.rows[i].rang, b.rows[i].rang);
			ck_assert_int_eq(a.rows[i].reden, b.rows[i].reden);
			ck_assert_str_eq(a.rows[i].weergave, b.rows[i].weergave);
			ck_assert(same_double(a.rows[i].afstand_mediaan,
			    b.rows[i].afstand_mediaan));
		}
		compare_result_free(&b);
	}
	compare_result_free(&a);
}
END_TEST

/* ---- disclosure control ---- */

START_TEST(test_group_over_published)
{
	struct indicator ind = ind_make(SOORT_AANTAL, RICHTING_HOGER_BETER, 10);
	struct compare_cell c[] = { cell("GM0001", 3, NAN, NAN),
		cell("GM0002", 40, NAN, NAN), cell("GM0003", 12, NAN, NAN),
		cell("GM0004", 0, NAN, NAN) };
	struct compare_opts o = { .publiek = 1 };
	struct compare_result r;

	ck_assert_int_eq(compare_eval(&ind, c, 4, 0, &o, &r, NULL), 0);
	/* the total is over the published cells (40 + 12 + 0): subtracting
	 * them leaves nothing, so no cell is hidden to protect GM0001 (the
	 * old method hid GM0003 and published 55) */
	ck_assert_int_eq(r.rows[0].reden, COMPARE_KLEIN_AANTAL);
	ck_assert_int_eq(r.rows[2].reden, COMPARE_GEPUBLICEERD);
	ck_assert_str_eq(r.rows[2].weergave, "12");
	ck_assert_int_eq(r.aggregaat_onderdrukt, 0);
	ck_assert_double_eq(r.waarde, 52);
	ck_assert_uint_eq(r.n, 3);
	ck_assert_uint_eq(r.geleverd, 4);
	ck_assert_int_eq(r.onvolledig, 1);	/* not the group's total */
	ck_assert_uint_eq(r.nonderdrukt, 1);
	compare_result_free(&r);
	/* a cell publish withholds (beschermd) is "aanvullend" and out of
	 * the total as well */
	c[2].beschermd = 1;
	ck_assert_int_eq(compare_eval(&ind, c, 4, 0, &o, &r, NULL), 0);
	ck_assert_int_eq(r.rows[2].reden, COMPARE_AANVULLEND);
	ck_assert(isnan(r.rows[2].waarde));
	ck_assert_double_eq(r.waarde, 40);
	compare_result_free(&r);
}
END_TEST

START_TEST(test_total_suppressed)
{
	struct indicator ind = ind_make(SOORT_RATIO, RICHTING_HOGER_BETER, 10);
	/* one small cell and nothing to hide it with: the total goes */
	struct compare_cell c[] = { cell("GM0001", NAN, 2, 6),
		cell("GM0002", NAN, 0, 0) };
	struct compare_opts o = { .publiek = 1 };
	struct compare_result r;

	ck_assert_int_eq(compare_eval(&ind, c, 2, 0, &o, &r, NULL), 0);
	ck_assert_int_eq(r.aggregaat_onderdrukt, 1);
	ck_assert(isnan(r.waarde) && isnan(r.teller) && isnan(r.noemer));
	ck_assert(isnan(r.rows[0].teller));
	compare_result_free(&r);
	/* two cells of 1 each: total 2 would reveal both (each >= 1) */
	struct indicator cnt = ind_make(SOORT_AANTAL, RICHTING_HOGER_BETER, 10);
	struct compare_cell d[] = { cell("GM0001", 1, NAN, NAN),
		cell("GM0002", 1, NAN, NAN) };
	ck_assert_int_eq(compare_eval(&cnt, d, 2, 0, &o, &r, NULL), 0);
	ck_assert_int_eq(r.aggregaat_onderdrukt, 1);
	compare_result_free(&r);
}
END_TEST

/* Whatever the cells, a group figure is the sum of the published ones:
 * subtracting them from it leaves exactly 0, in every dimension, so no
 * suppressed cell can be recovered from any group (domain §3.5). */
START_TEST(test_no_cell_derivable)
{
	struct indicator ind = ind_make(_i % 2 ? SOORT_RATIO : SOORT_AANTAL,
	    RICHTING_HOGER_BETER, 10);
	struct compare_cell c[12];
	struct compare_opts o = { .publiek = 1 };
	struct compare_result r;
	unsigned long s = 4242 + (unsigned long)_i;
	size_t	n = 1 + lcg(&s) % 12;

	for (size_t i = 0; i < n; i++) {
		char	code[8];
		/* many small cells: 0..24 */
		double	v = (double)(lcg(&s) % 25);
		code_of(i, code);
		c[i] = cell(code, v, (double)(lcg(&s) % (1 + (unsigned long)v)),
		    v);
	}
	ck_assert_int_eq(compare_eval(&ind, c, n, 0, &o, &r, NULL), 0);
	for (int dim = 0; dim < (ind.soort == SOORT_RATIO ? 2 : 1); dim++) {
		double	resid = ind.soort == SOORT_RATIO ?
		    (dim ? r.teller : r.noemer) : r.waarde;
		size_t	pub = 0;
		if (r.aggregaat_onderdrukt || isnan(resid))
			continue;
		for (size_t i = 0; i < r.nrows; i++) {
			const struct compare_row *row = &r.rows[i];
			ck_assert_int_ne(row->reden, COMPARE_AANVULLEND);
			if (row->onderdrukt || row->reden != COMPARE_GEPUBLICEERD)
				continue;
			resid -= ind.soort == SOORT_RATIO ? (dim ? row->teller :
			    row->noemer) : row->waarde;
			pub++;
		}
		ck_assert_msg(resid == 0, "residual %g (dim %d)", resid, dim);
		/* never a group figure of one cell (a group of one is the
		 * cell: view_public) */
		ck_assert(r.nrows == 1 || pub >= 2);
	}
	compare_result_free(&r);
}
END_TEST

/* ---- period aggregation ---- */

static struct obs
ob(const char *code, const char *per, double w, double t, double n)
{
	struct obs o;

	memset(&o, 0, sizeof(o));
	snprintf(o.gemeente, sizeof(o.gemeente), "%s", code);
	ck_assert_int_eq(period_parse(per, &o.periode, NULL), 0);
	o.waarde = w;
	o.teller = t;
	o.noemer = n;
	return o;
}

static const struct {
	enum cat_soort soort;
	enum cat_meting meting;
	const char *per[3];	/* months given, NULL = missing */
	double	w[3], t[3], n[3];
	double	waarde;
	int	aanwezig, onvolledig;
	const char *peildatum;
} periods[] = {
	{ SOORT_AANTAL, METING_STROOM, { "2024-01", "2024-02", "2024-03" },
	    { 5, 7, 9 }, { 0 }, { 0 }, 21, 3, 0, "2024-03" },
	{ SOORT_AANTAL, METING_STROOM, { "2024-01", NULL, "2024-03" },
	    { 5, 7, 9 }, { 0 }, { 0 }, 14, 2, 1, "2024-03" },
	{ SOORT_AANTAL, METING_STAND, { "2024-01", "2024-02", "2024-03" },
	    { 120, 118, 121 }, { 0 }, { 0 }, 121, 3, 0, "2024-03" },
	{ SOORT_AANTAL, METING_STAND, { "2024-01", "2024-02", NULL },
	    { 120, 118, 121 }, { 0 }, { 0 }, 118, 2, 1, "2024-02" },
	{ SOORT_RATIO, METING_STROOM, { "2024-01", "2024-02", "2024-03" },
	    { 0 }, { 10, 30, 0 }, { 100, 50, 0 }, 100.0 * 40 / 150, 3, 0,
	    "2024-03" },
	{ SOORT_RATIO, METING_STAND, { "2024-01", "2024-02", "2024-03" },
	    { 0 }, { 10, 30, 12 }, { 100, 50, 60 }, 20, 3, 0, "2024-03" },
};

START_TEST(test_period_aggregate)
{
	struct indicator ind = ind_make(periods[_i].soort, RICHTING_NEUTRAAL, 0);
	struct obs o[4];
	struct compare_period *out;
	size_t	n = 0, nout;
	char	buf[16];

	ind.meting = periods[_i].meting;
	for (int i = 2; i >= 0; i--)	/* reversed on purpose */
		if (periods[_i].per[i])
			o[n++] = ob("GM0363", periods[_i].per[i],
			    periods[_i].w[i], ind.soort == SOORT_RATIO ?
			    periods[_i].t[i] : NAN, ind.soort == SOORT_RATIO ?
			    periods[_i].n[i] : NAN);
	o[n++] = ob("GM0344", "2024-04", 1, 1, 1);	/* another gemeente, Q2 */
	ck_assert_int_eq(compare_period_aggregate(&ind, o, n, PERIOD_KWARTAAL,
	    &out, &nout, NULL), 0);
	ck_assert_uint_eq(nout, 2);
	ck_assert_str_eq(out[0].gemeente, "GM0344");	/* sorted by code */
	ck_assert_str_eq(out[1].gemeente, "GM0363");
	ck_assert_str_eq(period_format(&out[1].periode, buf, sizeof(buf)),
	    "2024-Q1");
	ck_assert_double_eq_tol(out[1].waarde, periods[_i].waarde, 1e-12);
	ck_assert_int_eq(out[1].aanwezig, periods[_i].aanwezig);
	ck_assert_int_eq(out[1].verwacht, 3);
	ck_assert_int_eq(out[1].onvolledig, periods[_i].onvolledig);
	ck_assert_str_eq(period_format(&out[1].peildatum, buf, sizeof(buf)),
	    periods[_i].peildatum);
	ck_assert_int_eq(out[0].onvolledig, 1);	/* 1 of 3 months */
	free(out);
}
END_TEST

START_TEST(test_period_errors)
{
	struct indicator ind = ind_make(SOORT_AANTAL, RICHTING_NEUTRAAL, 0);
	struct obs a[] = { ob("GM0363", "2024-Q1", 1, NAN, NAN) };
	struct obs d[] = { ob("GM0363", "2024-01", 1, NAN, NAN),
		ob("GM0363", "2024-01", 2, NAN, NAN) };
	struct compare_period *out;
	size_t	nout;
	struct err err = { "" };

	ck_assert_int_eq(compare_period_aggregate(&ind, a, 1, PERIOD_MAAND,
	    &out, &nout, &err), -1);
	ck_assert_str_eq(err.msg, "kan kwartaal-cijfers niet verfijnen tot "
	    "maand");
	ck_assert_int_eq(compare_period_aggregate(&ind, d, 2, PERIOD_JAAR,
	    &out, &nout, &err), -1);
	ck_assert_str_eq(err.msg, "GM0363 2024-01 staat twee keer in de "
	    "invoer");
}
END_TEST

/* ---- groups, peers, herindelingen: a small register ---- */

static struct gemeente gm[] = {
	{ "GM0344", "Utrecht", "Utrecht", 374000, 8, 1, "", "", 0 },
	{ "GM0363", "Amsterdam", "Noord-Holland", 931000, 8, 1, "", "", 0 },
	{ "GM0439", "Purmerend", "Noord-Holland", 93000, 5, 1, "", "", 0 },
	{ "GM0518", "'s-Gravenhage", "Zuid-Holland", 566000, 8, 1, "", "", 0 },
	{ "GM0599", "Rotterdam", "Zuid-Holland", 671000, 8, 1, "", "", 0 },
	{ "GM0757", "Boxtel", "Noord-Brabant", 33000, 4, 1, "", "", 0 },
	{ "GM0855", "Tilburg", "Noord-Brabant", 227000, 7, 1, "", "", 0 },
	{ "GM1980", "Dijk en Waard", "Noord-Holland", 90000, 5, 1, "", "", 0 },
	{ "GM0370", "Beemster", "Noord-Holland", 10000, 3, 0, "2022-01-01",
	    "GM0439", 0 },
	{ "GM0398", "Heerhugowaard", "Noord-Holland", 58000, 5, 0,
	    "2022-01-01", "GM1980", 0 },
	{ "GM0416", "Langedijk", "Noord-Holland", 28000, 4, 0, "2022-01-01",
	    "GM1980", 0 },
	{ "GM0457", "Weesp", "Noord-Holland", 20000, 4, 0, "2022-03-24",
	    "GM0363", 0 },
	{ "GM0788", "Haaren", "Noord-Brabant", 14000, 3, 0, "2021-01-01", "",
	    1 },
};

static struct herindeling hr[] = {
	{ "2022-01-01", "GM0370", "Beemster", "GM0439", "Purmerend", "t", 0 },
	{ "2022-01-01", "GM0398", "Heerhugowaard", "GM1980", "Dijk en Waard",
	    "t", 0 },
	{ "2022-01-01", "GM0416", "Langedijk", "GM1980", "Dijk en Waard", "t",
	    0 },
	{ "2022-03-24", "GM0457", "Weesp", "GM0363", "Amsterdam", "t", 0 },
	{ "2021-01-01", "GM0788", "Haaren", "GM0757", "Boxtel", "t", 1 },
	{ "2021-01-01", "GM0788", "Haaren", "GM0855", "Tilburg", "t", 1 },
};

static char g4codes[][8] = { "GM0599", "GM0363", "GM0518", "GM0344" };
static char badcodes[][8] = { "GM0363", "GM9999" };
static struct groep grp[] = {
	{ "G4", "De vier grote steden", "", g4codes, 4 },
	{ "Kapot", "Kapotte groep", "", badcodes, 2 },
};

static const struct reg test_reg = { gm, NELEM(gm), 8, hr, NELEM(hr), grp,
	NELEM(grp) };

static const struct {
	const char *id;
	int	rc;
	enum compare_groep_soort soort;
	const char *canon;
	size_t	n;
	const char *first;	/* first member by code, or the message */
} groups[] = {
	{ "alle", 0, COMPARE_GROEP_ALLE, "alle", 8, "GM0344" },
	{ "grootteklasse-8", 0, COMPARE_GROEP_GROOTTEKLASSE, "grootteklasse-8",
	    4, "GM0344" },
	{ "grootteklasse-5", 0, COMPARE_GROEP_GROOTTEKLASSE, "grootteklasse-5",
	    2, "GM0439" },
	{ "provincie-Noord-Holland", 0, COMPARE_GROEP_PROVINCIE,
	    "provincie-noord-holland", 3, "GM0363" },
	{ "provincie-utrecht", 0, COMPARE_GROEP_PROVINCIE, "provincie-utrecht",
	    1, "GM0344" },
	{ "G4", 0, COMPARE_GROEP_EIGEN, "G4", 4, "GM0344" },
	{ "vergelijkbaar-GM0363", 0, COMPARE_GROEP_VERGELIJKBAAR,
	    "vergelijkbaar-GM0363", 0, NULL },
	{ "grootteklasse-9", -1, 0, NULL, 0,
	    "onbekende grootteklasse '9' (1 t/m 8)" },
	{ "provincie-Holland", -1, 0, NULL, 0,
	    "onbekende provincie 'Holland'" },
	{ "vergelijkbaar-GM0370", -1, 0, NULL, 0,
	    "onbekende of opgeheven gemeente 'GM0370'" },
	{ "Kapot", -1, 0, NULL, 0, "groep Kapot: onbekende gemeente GM9999" },
	{ "G5", -1, 0, NULL, 0, "onbekende groep 'G5'" },
};

START_TEST(test_groups)
{
	struct compare_groep g;
	struct err err = { "" };

	ck_assert_int_eq(compare_groep_resolve(&test_reg, groups[_i].id, &g,
	    &err), groups[_i].rc);
	if (groups[_i].rc == -1) {
		ck_assert_str_eq(err.msg, groups[_i].first);
		ck_assert_ptr_null(g.leden);
		return;
	}
	ck_assert_int_eq(g.soort, groups[_i].soort);
	ck_assert_str_eq(g.id, groups[_i].canon);
	ck_assert_uint_eq(g.n, groups[_i].n);
	if (g.n > 0)
		ck_assert_str_eq(gm[g.leden[0]].code, groups[_i].first);
	for (size_t i = 1; i < g.n; i++)
		ck_assert_int_lt(strcmp(gm[g.leden[i - 1]].code,
		    gm[g.leden[i]].code), 0);
	compare_groep_free(&g);
}
END_TEST

static const struct {
	const char *in, *out;
} prov_ids[] = {
	{ "Noord-Brabant", "noord-brabant" }, { "Fryslân", "fryslan" },
	{ "Zuid Holland", "zuid-holland" }, { "Utrecht", "utrecht" },
};

START_TEST(test_provincie_id)
{
	char	buf[64];

	ck_assert_str_eq(compare_provincie_id(prov_ids[_i].in, buf,
	    sizeof(buf)), prov_ids[_i].out);
}
END_TEST

START_TEST(test_peers_known)
{
	/* one feature 0, 1, 3, 10 (mean 3.5, sd 3.905): nearest to row 0
	 * are rows 1, 2, 3; a second feature missing for row 2 */
	static const double f[] = { 0, 5, 1, 5, 3, NAN, 10, 5 };
	static const char codes[][8] = { "GM0004", "GM0003", "GM0002",
		"GM0001" };
	struct compare_peers p;
	double	sd = sqrt((3.5 * 3.5 + 2.5 * 2.5 + 0.5 * 0.5 + 6.5 * 6.5) / 4);

	ck_assert_int_eq(compare_peers(f, 4, 2, codes, 0, 2, &p, NULL), 0);
	ck_assert_uint_eq(p.n, 2);
	ck_assert_str_eq(p.peers[0].gemeente, "GM0003");
	ck_assert_double_eq_tol(p.peers[0].afstand, 1 / sd, 1e-12);
	ck_assert_int_eq(p.peers[0].kenmerken, 2);
	/* GM0002 (distance 3/sd on the one feature it has) is nearer than
	 * GM0001 (10/sd) but misses a feature: a missing feature never
	 * makes a gemeente closer (issue 11), so GM0001 comes first */
	ck_assert_str_eq(p.peers[1].gemeente, "GM0001");
	ck_assert_double_eq_tol(p.peers[1].afstand, 10 / sd, 1e-12);
	ck_assert_int_eq(p.peers[1].kenmerken, 2);
	ck_assert_double_eq(p.sd[1], 0);	/* constant feature */
	compare_peers_free(&p);
	ck_assert_int_eq(compare_peers(f, 4, 2, codes, 0, 3, &p, NULL), 0);
	ck_assert_str_eq(p.peers[2].gemeente, "GM0002");
	ck_assert_double_eq_tol(p.peers[2].afstand, 3 / sd, 1e-12);
	ck_assert_int_eq(p.peers[2].kenmerken, 1);
	ck_assert_double_eq(p.peers[2].waarden[0], 3);
	ck_assert(isnan(p.peers[2].waarden[1]));
	ck_assert_double_eq(p.peers[0].z[1], 0);
	ck_assert_double_eq_tol(p.anker_z[0], -3.5 / sd, 1e-12);
	compare_peers_free(&p);
}
END_TEST

/* Reference: brute-force distances, sorted by (distance, code). */
START_TEST(test_peers_reference)
{
	enum { N = 60, NF = 3 };
	double	f[N * NF], mean[NF], sd[NF], d[N];
	char	codes[N][8];
	unsigned long s = 77 + (unsigned long)_i;
	size_t	anchor = lcg(&s) % N;
	struct compare_peers p;

	for (size_t i = 0; i < N; i++) {
		code_of(i, codes[i]);
		for (size_t j = 0; j < NF; j++)
			f[i * NF + j] = (double)(lcg(&s) % 1000) / (j + 1);
	}
	for (size_t j = 0; j < NF; j++) {
		mean[j] = sd[j] = 0;
		for (size_t i = 0; i < N; i++)
			mean[j] += f[i * NF + j] / N;
		for (size_t i = 0; i < N; i++)
			sd[j] += pow(f[i * NF + j] - mean[j], 2) / N;
		sd[j] = sqrt(sd[j]);
	}
	for (size_t i = 0; i < N; i++) {
		d[i] = 0;
		for (size_t j = 0; j < NF; j++)
			d[i] += pow((f[i * NF + j] - f[anchor * NF + j]) / sd[j],
			    2);
		d[i] = sqrt(d[i]);
	}
	ck_assert_int_eq(compare_peers(f, N, NF, (const char (*)[8])codes,
	    anchor, 0, &p, NULL), 0);
	ck_assert_uint_eq(p.n, COMPARE_DEFAULT_K);
	for (size_t i = 0; i < p.n; i++) {
		size_t	idx = p.peers[i].index;
		size_t	closer = 0;
		ck_assert_uint_ne(idx, anchor);
		ck_assert_double_eq_tol(p.peers[i].afstand, d[idx], 1e-9);
		for (size_t j = 0; j < N; j++)
			closer += j != anchor && d[j] < d[idx] - 1e-12;
		ck_assert_uint_eq(closer, i);	/* exact rank, no ties here */
	}
	compare_peers_free(&p);
}
END_TEST

START_TEST(test_herindel)
{
	struct indicator ind = ind_make(SOORT_AANTAL, RICHTING_NEUTRAAL, 0);
	struct obs o[] = {
		ob("GM0370", "2021-12", 5, NAN, NAN),	/* Beemster */
		ob("GM0439", "2021-12", 20, NAN, NAN),	/* Purmerend */
		ob("GM0439", "2022-01", 27, NAN, NAN),
		ob("GM0398", "2021-12", 40, NAN, NAN),	/* Langedijk missing */
		ob("GM0457", "2022-03", 3, NAN, NAN),	/* Weesp, until 24-3 */
		ob("GM0363", "2022-03", 300, NAN, NAN),
		ob("GM0363", "2022-04", 310, NAN, NAN),
		ob("GM0788", "2020-12", 2, NAN, NAN),	/* Haaren: split */
	};
	struct compare_merged *m;
	struct compare_unassigned *u;
	size_t	nm, nu;
	char	buf[16];
	static const struct {
		const char *code, *per;
		double	w;
		int	bronnen, verwacht;
	} want[] = {
		{ "GM0363", "2022-03", 303, 2, 2 },
		{ "GM0363", "2022-04", 310, 1, 1 },
		{ "GM0439", "2021-12", 25, 2, 2 },
		{ "GM0439", "2022-01", 27, 1, 1 },
		{ "GM1980", "2021-12", 40, 1, 2 },	/* new code: 2 sources */
	};

	ck_assert_int_eq(compare_herindel(&ind, &test_reg, o, NELEM(o), &m,
	    &nm, &u, &nu, NULL), 0);
	ck_assert_uint_eq(nm, NELEM(want));
	for (size_t i = 0; i < nm; i++) {
		ck_assert_str_eq(m[i].obs.gemeente, want[i].code);
		ck_assert_str_eq(period_format(&m[i].obs.periode, buf,
		    sizeof(buf)), want[i].per);
		ck_assert_double_eq(m[i].obs.waarde, want[i].w);
		ck_assert_int_eq(m[i].bronnen, want[i].bronnen);
		ck_assert_int_eq(m[i].verwacht, want[i].verwacht);
		ck_assert_int_eq(m[i].onvolledig,
		    want[i].bronnen < want[i].verwacht);
	}
	ck_assert_uint_eq(nu, 1);
	ck_assert_str_eq(u[0].gemeente, "GM0788");
	ck_assert_str_eq(u[0].reden, "Haaren (GM0788) is op 2021-01-01 "
	    "opgedeeld over Boxtel (GM0757), Tilburg (GM0855); zonder weging "
	    "is de waarde niet aan één opvolger toe te wijzen");
	free(m);
	free(u);
}
END_TEST

START_TEST(test_herindel_ratio)
{
	struct indicator ind = ind_make(SOORT_RATIO, RICHTING_HOGER_BETER, 0);
	struct obs o[] = {
		ob("GM0398", "2021", NAN, 10, 100),
		ob("GM0416", "2021", NAN, 30, 50),
	};
	struct compare_merged *m;
	struct compare_unassigned *u;
	size_t	nm, nu;

	ck_assert_int_eq(compare_herindel(&ind, &test_reg, o, 2, &m, &nm, &u,
	    &nu, NULL), 0);
	ck_assert_uint_eq(nm, 1);
	ck_assert_str_eq(m[0].obs.gemeente, "GM1980");
	ck_assert_double_eq_tol(m[0].obs.waarde, 100.0 * 40 / 150, 1e-12);
	ck_assert_int_eq(m[0].onvolledig, 0);
	ck_assert_uint_eq(nu, 0);
	free(m);
	free(u);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("compare");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_loop_test(tc, test_ratio_cells, 0, NELEM(ratios));
	tcase_add_loop_test(tc, test_count_display, 0, NELEM(counts));
	tcase_add_loop_test(tc, test_format, 0, NELEM(formats));
	tcase_add_test(tc, test_group_ratio_not_mean);
	tcase_add_loop_test(tc, test_group_ratio_property, 0, 50);
	tcase_add_test(tc, test_gemiddelde_and_aantal);
	tcase_add_loop_test(tc, test_completeness, 0, NELEM(completeness));
	tcase_add_test(tc, test_bad_input);
	tcase_add_loop_test(tc, test_percentiles_table, 0, NELEM(pcts));
	tcase_add_loop_test(tc, test_percentiles_reference, 0, 50);
	tcase_add_loop_test(tc, test_ranks, 0, NELEM(ranks));
	tcase_add_loop_test(tc, test_shuffle, 0, 4);
	tcase_add_test(tc, test_group_over_published);
	tcase_add_test(tc, test_total_suppressed);
	tcase_add_loop_test(tc, test_no_cell_derivable, 0, 400);
	tcase_add_loop_test(tc, test_period_aggregate, 0, NELEM(periods));
	tcase_add_test(tc, test_period_errors);
	tcase_add_loop_test(tc, test_groups, 0, NELEM(groups));
	tcase_add_loop_test(tc, test_provincie_id, 0, NELEM(prov_ids));
	tcase_add_test(tc, test_peers_known);
	tcase_add_loop_test(tc, test_peers_reference, 0, 20);
	tcase_add_test(tc, test_herindel);
	tcase_add_test(tc, test_herindel_ratio);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
