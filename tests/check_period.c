/* tests/check_period.c — period parsing and calendar arithmetic. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/period.h"

static const struct {
	const char *in;
	enum period_kind kind;
	int	year, index;
	const char *canon;
} good[] = {
	{ "2024-03", PERIOD_MAAND, 2024, 3, "2024-03" },
	{ "2024MM03", PERIOD_MAAND, 2024, 3, "2024-03" },
	{ "2024mm12", PERIOD_MAAND, 2024, 12, "2024-12" },
	{ "2024M01", PERIOD_MAAND, 2024, 1, "2024-01" },
	{ " 2024-03 ", PERIOD_MAAND, 2024, 3, "2024-03" },
	{ "2024-Q1", PERIOD_KWARTAAL, 2024, 1, "2024-Q1" },
	{ "2024q4", PERIOD_KWARTAAL, 2024, 4, "2024-Q4" },
	{ "2024K1", PERIOD_KWARTAAL, 2024, 1, "2024-Q1" },
	{ "2024-K2", PERIOD_KWARTAAL, 2024, 2, "2024-Q2" },
	{ "2024KW01", PERIOD_KWARTAAL, 2024, 1, "2024-Q1" },
	{ "2024-H1", PERIOD_HALFJAAR, 2024, 1, "2024-H1" },
	{ "2024H2", PERIOD_HALFJAAR, 2024, 2, "2024-H2" },
	{ "2024HJ02", PERIOD_HALFJAAR, 2024, 2, "2024-H2" },
	{ "2024", PERIOD_JAAR, 2024, 1, "2024" },
	{ "2024JJ00", PERIOD_JAAR, 2024, 1, "2024" },
};

static const struct {
	const char *in;
	const char *msg;
} bad[] = {
	{ "2024-13", "ongeldige periode '2024-13': maand 13 bestaat niet "
	    "(1 t/m 12)" },
	{ "2024-00", "ongeldige periode '2024-00': maand 0 bestaat niet "
	    "(1 t/m 12)" },
	{ "2024-Q5", "ongeldige periode '2024-Q5': kwartaal 5 bestaat niet "
	    "(1 t/m 4)" },
	{ "2024KW05", "ongeldige periode '2024KW05': kwartaal 5 bestaat niet "
	    "(1 t/m 4)" },
	{ "2024-H3", "ongeldige periode '2024-H3': halfjaar 3 bestaat niet "
	    "(1 t/m 2)" },
	{ "24-03", "ongeldige periode '24-03': verwacht bijvoorbeeld 2024-03, "
	    "2024-Q1, 2024-H1 of 2024" },
	{ "2024-3", "ongeldige periode '2024-3': verwacht bijvoorbeeld "
	    "2024-03, 2024-Q1, 2024-H1 of 2024" },
	{ "maart 2024", "ongeldige periode 'maart 2024': verwacht bijvoorbeeld "
	    "2024-03, 2024-Q1, 2024-H1 of 2024" },
	{ "", "ongeldige periode '': verwacht bijvoorbeeld 2024-03, 2024-Q1, "
	    "2024-H1 of 2024" },
	{ "1850", "ongeldige periode '1850': jaar 1850 ligt buiten "
	    "1900–2199" },
	{ "2024JJ", "ongeldige periode '2024JJ': verwacht bijvoorbeeld "
	    "2024-03, 2024-Q1, 2024-H1 of 2024" },
};

START_TEST(test_parse_good)
{
	struct period p;
	struct err err = { "" };
	char	buf[16];

	ck_assert_int_eq(period_parse(good[_i].in, &p, &err), 0);
	ck_assert_int_eq(p.kind, good[_i].kind);
	ck_assert_int_eq(p.year, good[_i].year);
	ck_assert_int_eq(p.index, good[_i].index);
	ck_assert_str_eq(period_format(&p, buf, sizeof(buf)), good[_i].canon);
}
END_TEST

START_TEST(test_parse_bad)
{
	struct period p;
	struct err err = { "" };

	ck_assert_int_eq(period_parse(bad[_i].in, &p, &err), -1);
	ck_assert_str_eq(err.msg, bad[_i].msg);
}
END_TEST

/* Boundaries: period_end is where RRD stores a period's value. */
static const struct {
	const char *in;
	long long start, end;
} bounds[] = {
	{ "1970-01", 0, 31 * 86400LL },
	{ "2024-02", 1706745600LL, 1709251200LL },	/* leap year */
	{ "2024-12", 1733011200LL, 1735689600LL },
	{ "2024-Q1", 1704067200LL, 1711929600LL },
	{ "2024-H2", 1719792000LL, 1735689600LL },
	{ "2024", 1704067200LL, 1735689600LL },
};

START_TEST(test_bounds)
{
	struct period p;

	ck_assert_int_eq(period_parse(bounds[_i].in, &p, NULL), 0);
	ck_assert_int_eq(period_start(&p), bounds[_i].start);
	ck_assert_int_eq(period_end(&p), bounds[_i].end);
	/* period_at is the inverse of start, for the first and last second */
	struct period q = period_at(p.kind, period_start(&p));
	ck_assert_int_eq(period_cmp(&p, &q), 0);
	q = period_at(p.kind, period_end(&p) - 1);
	ck_assert_int_eq(period_cmp(&p, &q), 0);
}
END_TEST

START_TEST(test_arith)
{
	struct period p, q, k;
	char	buf[16];

	ck_assert_int_eq(period_parse("2024-12", &p, NULL), 0);
	q = period_next(&p);
	ck_assert_str_eq(period_format(&q, buf, sizeof(buf)), "2025-01");
	q = period_prev(&q);
	ck_assert_int_eq(period_cmp(&p, &q), 0);
	q = period_year_before(&p);
	ck_assert_str_eq(period_format(&q, buf, sizeof(buf)), "2023-12");
	k = period_to(&p, PERIOD_KWARTAAL);
	ck_assert_str_eq(period_format(&k, buf, sizeof(buf)), "2024-Q4");
	ck_assert(period_contains(&k, &p));
	k = period_to(&p, PERIOD_HALFJAAR);
	ck_assert_str_eq(period_format(&k, buf, sizeof(buf)), "2024-H2");
	ck_assert_int_eq(period_parse("2024-Q1", &q, NULL), 0);
	ck_assert(!period_contains(&q, &p));
	ck_assert_int_lt(period_cmp(&q, &p), 0);
	/* a month sorts before the quarter that starts with it */
	ck_assert_int_eq(period_parse("2024-01", &p, NULL), 0);
	ck_assert_int_lt(period_cmp(&p, &q), 0);
	ck_assert_int_eq(period_months(PERIOD_HALFJAAR), 6);
}
END_TEST

START_TEST(test_kind_names)
{
	enum period_kind k;

	for (int i = 0; i < PERIOD_NKINDS; i++) {
		ck_assert_int_eq(period_kind_parse(period_kind_name(i), &k), 0);
		ck_assert_int_eq(k, i);
	}
	ck_assert_int_eq(period_kind_parse("week", &k), -1);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("period");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_loop_test(tc, test_parse_good, 0, sizeof(good) / sizeof(*good));
	tcase_add_loop_test(tc, test_parse_bad, 0, sizeof(bad) / sizeof(*bad));
	tcase_add_loop_test(tc, test_bounds, 0, sizeof(bounds) / sizeof(*bounds));
	tcase_add_test(tc, test_arith);
	tcase_add_test(tc, test_kind_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
