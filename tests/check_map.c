/* tests/check_map.c — the map: classes (equal-count, ties, display
 * rounding) and the SVG of a small comparison on the shipped boundaries
 * (links, titles, hatching, grey, escaping, source); loading the
 * boundaries is tests/check_geo.c. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/map.h"
#include "testutil.h"

static const struct indicator *
find_ind(struct catalog **cat, const char *id)
{
	struct err err = { "" };
	char   *dir = tu_srcpath("indicators");

	*cat = catalog_load(dir, &err);
	free(dir);
	ck_assert_msg(*cat != NULL, "%s", err.msg);
	return catalog_find(*cat, id);
}

/* A result of ranked rows with these values (rang 1..n). */
static void
ranked(struct compare_result *res, const double *v, size_t n)
{
	memset(res, 0, sizeof(*res));
	res->rows = calloc(n + 1, sizeof(*res->rows));
	res->nrows = n;
	for (size_t i = 0; i < n; i++) {
		snprintf(res->rows[i].gemeente, 8, "GM%04u", (unsigned)(i % 10000));
		res->rows[i].waarde = v[i];
		res->rows[i].rang = (int)i + 1;
	}
}

static const struct {
	double	v[10];
	size_t	n;
	int	classes;
	double	grens[4];
	size_t	aantal[5];
} class_cases[] = {
	{ { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 10, 5, { 3, 5, 7, 9 },
	    { 2, 2, 2, 2, 2 } },
	/* ties leave no empty class */
	{ { 5, 5, 5, 5 }, 4, 1, { 0 }, { 4 } },
	{ { 1, 1, 1, 1, 1, 1, 1, 2, 2, 2 }, 10, 2, { 2 }, { 7, 3 } },
	/* breaks rounded to one decimal like the values shown */
	{ { 10.04, 10.06, 10.2, 10.3, 10.44 }, 5, 5, { 10.1, 10.2, 10.3, 10.4 },
	    { 1, 1, 1, 1, 1 } },
};

START_TEST(test_classify)
{
	struct catalog *cat;
	const struct indicator *ind = find_ind(&cat,
	    "pw_uitstroom_resultaat_pct");
	struct compare_result res;
	struct map_classes c;

	ck_assert_ptr_nonnull(ind);
	ranked(&res, class_cases[_i].v, class_cases[_i].n);
	map_classify(ind, &res, &c);
	ck_assert_int_eq(c.n, class_cases[_i].classes);
	ck_assert_int_eq(c.dec, 1);
	for (int k = 0; k < c.n - 1; k++)
		ck_assert_double_eq_tol(c.grens[k], class_cases[_i].grens[k],
		    1e-9);
	for (int k = 0; k < c.n; k++)
		ck_assert_uint_eq(c.aantal[k], class_cases[_i].aantal[k]);
	ck_assert_int_eq(map_class_of(&c, NAN), -1);
	free(res.rows);
	catalog_free(cat);
}
END_TEST

START_TEST(test_classify_empty)
{
	struct catalog *cat;
	const struct indicator *ind = find_ind(&cat, "pw_bestand");
	struct compare_result res;
	struct map_classes c;
	double	v[1] = { 3 };

	ranked(&res, v, 1);
	res.rows[0].rang = 0;		/* suppressed: not coloured */
	map_classify(ind, &res, &c);
	ck_assert_int_eq(c.n, 0);
	ck_assert_int_eq(map_class_of(&c, 3), -1);
	free(res.rows);
	catalog_free(cat);
}
END_TEST

START_TEST(test_render)
{
	struct catalog *cat;
	const struct indicator *ind = find_ind(&cat,
	    "pw_uitstroom_resultaat_pct");
	char   *gp = tu_srcpath("www/geo/gemeenten-2025.geojson");
	char   *pp = tu_srcpath("www/geo/provincies-2025.geojson");
	char   *rdir = tu_srcpath("indicators");
	struct err err = { "" };
	struct reg *reg = register_load(rdir, &err);
	struct geo *geo = geo_load(gp, pp, &err);
	struct compare_result res;
	struct map_in in = { 0 };
	double	v[3] = { 21.6667, 10, NAN };
	char   *svg = NULL;
	size_t	len = 0;

	ck_assert_msg(geo != NULL && reg != NULL, "%s", err.msg);
	ranked(&res, v, 3);
	snprintf(res.rows[0].gemeente, 8, "GM0034");
	snprintf(res.rows[0].weergave, 32, "21,7");
	snprintf(res.rows[1].gemeente, 8, "GM0184");
	res.rows[1].rang = 0;
	res.rows[1].onderdrukt = 1;
	res.rows[1].waarde = NAN;
	snprintf(res.rows[1].weergave, 32, "x");
	snprintf(res.rows[2].gemeente, 8, "GM0518");
	res.rows[2].rang = 0;
	snprintf(res.rows[2].weergave, 32, ".");
	in = (struct map_in){ .ind = ind, .res = &res, .reg = reg,
		.markeer = "GM0518", .titel = "Kaart <test>", .subtitel = "s",
		.noot = "Grenzen van 2025.", .w = 390 };
	ck_assert_int_eq(map_render(geo, &in, &svg, &len, &err), 0);
	ck_assert_uint_eq(strlen(svg), len);
	ck_assert_ptr_nonnull(strstr(svg, "<title>Almere: 21,7%</title>"));
	ck_assert_ptr_nonnull(strstr(svg, "<a href=\"/gemeente/GM0184\">"
	    "<title>Urk: onderdrukt"));
	ck_assert_ptr_nonnull(strstr(svg, "fill=\"url(#kaart-arcering)\""));
	ck_assert_ptr_nonnull(strstr(svg, "&apos;s-Gravenhage: geen gegevens"));
	ck_assert_ptr_nonnull(strstr(svg, "class=\"gemarkeerd\" data-gm=\"GM0518\""));
	ck_assert_ptr_nonnull(strstr(svg, "Kaart &lt;test&gt;"));
	ck_assert_ptr_nonnull(strstr(svg, "Bron kaart: CBS/PDOK"));
	ck_assert_ptr_nonnull(strstr(svg, "width=\"390\""));
	ck_assert_ptr_null(strstr(svg, "nan"));
	free(svg);
	free(res.rows);
	geo_free(geo);
	register_free(reg);
	catalog_free(cat);
	free(gp);
	free(pp);
	free(rdir);
}
END_TEST

static Suite *
map_suite(void)
{
	Suite  *s = suite_create("map");
	TCase  *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_classify, 0,
	    sizeof(class_cases) / sizeof(class_cases[0]));
	tcase_add_test(tc, test_classify_empty);
	tcase_add_test(tc, test_render);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(map_suite());
}
