/* tests/check_publish.c — complementary suppression (analysis/publish): on
 * the real catalogue, a small cell is never determined by the declared
 * sums and the published longer periods, and nothing more is withheld
 * than that needs. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/publish.h"
#include "input/catalog.h"
#include "testutil.h"

static struct catalog *cat;

static void
setup(void)
{
	struct err err = { "" };
	char   *dir = tu_srcpath("indicators");

	cat = catalog_load(dir, &err);
	ck_assert_msg(cat != NULL, "%s", err.msg);
	free(dir);
}

static void
teardown(void)
{
	catalog_free(cat);
}

static struct obs
ob(const char *id, int year, int index, double w, double t, double n)
{
	const struct indicator *ind = catalog_find(cat, id);
	struct obs o;

	ck_assert_ptr_nonnull(ind);
	memset(&o, 0, sizeof(o));
	snprintf(o.gemeente, sizeof(o.gemeente), "GM0221");
	snprintf(o.indicator, sizeof(o.indicator), "%s", id);
	o.periode = (struct period){ ind->periode, year, index };
	o.waarde = w;
	o.teller = t;
	o.noemer = n;
	return o;
}

static int
listed(const struct publish_list *l, const char *id, enum period_kind k,
    int index)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].indicator, id) == 0 &&
		    l->v[i].periode.kind == k && l->v[i].periode.index == index)
			return 1;
	return 0;
}

static void
run(const char *id, const struct obs *o, size_t n, struct publish_list *l)
{
	struct publish_family f;
	struct err err = { "" };

	publish_family(cat, catalog_find(cat, id), &f);
	ck_assert_int_eq(publish_block(&f, "GM0221", 2024, o, n, l, &err), 0);
	publish_sort(l);
}

/* Doesburg 2024-01 on the demo data: six duurklassen published and the
 * bestand give the seventh (68 − 64 = 4). */
START_TEST(test_duurklassen)
{
	static const double duur[7] = { 11, 9, 6, 7, 5, 4, 26 };
	struct obs o[9];
	struct publish_list l = { 0 };
	struct publish_family f;
	size_t	n = 0;
	char	id[32];

	publish_family(cat, catalog_find(cat, "pw_bestand_duur_6"), &f);
	ck_assert_uint_ge(f.n, 9);	/* bestand, 7 klassen, per 1.000 */
	o[n++] = ob("pw_bestand", 2024, 1, 68, NAN, NAN);
	for (int k = 0; k < 7; k++) {
		snprintf(id, sizeof(id), "pw_bestand_duur_%d", k + 1);
		o[n++] = ob(id, 2024, 1, duur[k], NAN, NAN);
	}
	run("pw_bestand_duur_6", o, n, &l);
	/* the smallest other part (duurklasse 5: 5) goes, not the bestand */
	ck_assert_uint_eq(l.n, 1);
	ck_assert(listed(&l, "pw_bestand_duur_5", PERIOD_MAAND, 1));
	publish_list_free(&l);
	/* with two small parts nothing more is needed */
	o[5].waarde = 3;
	run("pw_bestand_duur_6", o, n, &l);
	ck_assert_uint_eq(l.n, 0);
	publish_list_free(&l);
}
END_TEST

/* Kapelle (issue 12): October 10, November 10, December 3 — the quarter
 * (23) would give December; the year too, when every other month is
 * published. */
START_TEST(test_periods)
{
	struct obs o[12];
	struct publish_list l = { 0 };

	for (int m = 1; m <= 12; m++)
		o[m - 1] = ob("pw_instroom", 2024, m, m == 12 ? 3 : 10, NAN,
		    NAN);
	run("pw_instroom", o, 12, &l);
	ck_assert(listed(&l, "pw_instroom", PERIOD_KWARTAAL, 4));
	ck_assert(listed(&l, "pw_instroom", PERIOD_JAAR, 1));
	ck_assert(listed(&l, "pw_instroom", PERIOD_HALFJAAR, 2));
	/* the other quarters and the first halfjaar hold no small month */
	ck_assert(!listed(&l, "pw_instroom", PERIOD_KWARTAAL, 3));
	ck_assert(!listed(&l, "pw_instroom", PERIOD_HALFJAAR, 1));
	ck_assert_uint_eq(l.n, 3);
	publish_list_free(&l);
}
END_TEST

/* A year whose months are all published is published; nothing small,
 * nothing withheld. */
START_TEST(test_nothing_small)
{
	struct obs o[12];
	struct publish_list l = { 0 };

	for (int m = 1; m <= 12; m++)
		o[m - 1] = ob("pw_instroom", 2024, m, 10 + m, NAN, NAN);
	run("pw_instroom", o, 12, &l);
	ck_assert_uint_eq(l.n, 0);
	publish_list_free(&l);
}
END_TEST

/* Two small months in one quarter: the quarter is small itself (2 + 2 =
 * 4) and must not come out of the year minus the other quarters. */
START_TEST(test_small_quarter)
{
	struct obs o[12];
	struct publish_list l = { 0 };

	for (int m = 1; m <= 12; m++)
		o[m - 1] = ob("pw_instroom", 2024, m, m <= 2 ? 2 : m == 3 ? 0 :
		    20, NAN, NAN);
	run("pw_instroom", o, 12, &l);
	ck_assert(listed(&l, "pw_instroom", PERIOD_JAAR, 1) ||
	    listed(&l, "pw_instroom", PERIOD_HALFJAAR, 1));
	publish_list_free(&l);
}
END_TEST

/* A ratio's teller of people (bijstand per 1.000, teller = pw_bestand):
 * small counts are small in both, and tied by the declared sum. */
START_TEST(test_ratio_teller)
{
	const struct indicator *r = catalog_find(cat,
	    "bijstand_per_1000_inwoners");

	ck_assert_int_eq(r->min_n_teller, 5);
	ck_assert(compare_small(r, 3.0 / 1223 * 1000, 3, 1223));
	ck_assert(!compare_small(r, 7.0 / 1223 * 1000, 7, 1223));
	ck_assert_int_eq(catalog_find(cat, "zrm_financien_gem")->min_n_teller,
	    0);
}
END_TEST

static Suite *
suite(void)
{
	Suite  *s = suite_create("publish");
	TCase  *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_duurklassen);
	tcase_add_test(tc, test_periods);
	tcase_add_test(tc, test_nothing_small);
	tcase_add_test(tc, test_small_quarter);
	tcase_add_test(tc, test_ratio_teller);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(suite());
}
