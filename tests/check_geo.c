/* tests/check_geo.c — the map boundaries: loading (missing file, malformed
 * JSON, no features, a feature without a code, a geometry that is not a
 * polygon) and the shipped files of 2025 (342 gemeenten, 12 provincies,
 * projected, found by code). */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/geo.h"
#include "testutil.h"

static const struct {
	const char *gm, *msg;
} bad_files[] = {
	{ NULL, "niet te openen" },
	{ "{\"features\": [", "ongeldige JSON" },
	{ "{\"features\": []}", "geen features" },
	{ "{\"features\": [{\"properties\": {}, \"geometry\": {\"type\": "
	    "\"Polygon\", \"coordinates\": [[[4,52],[5,52],[5,53],[4,52]]]}}]}",
	    "feature 1: geen geldige code" },
	{ "{\"features\": [{\"properties\": {\"gemeenteCode\": \"GM0001\"}, "
	    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [4,52]}}]}",
	    "(Multi)Polygon" },
};

START_TEST(test_load_errors)
{
	char   *dir = tu_tmpdir(), gp[4200], pp[4200];
	char   *real = tu_srcpath("www/geo/provincies-2025.geojson");
	struct err err = { "" };

	snprintf(gp, sizeof(gp), "%s/g.geojson", dir);
	snprintf(pp, sizeof(pp), "%s", real);
	if (bad_files[_i].gm != NULL)
		tu_write_file(gp, bad_files[_i].gm, strlen(bad_files[_i].gm));
	ck_assert_ptr_null(geo_load(gp, pp, &err));
	ck_assert_msg(strstr(err.msg, bad_files[_i].msg) != NULL, "%s",
	    err.msg);
	tu_rm_rf(dir);
	free(dir);
	free(real);
}
END_TEST

START_TEST(test_load_shipped)
{
	char   *dir = tu_srcpath("www/geo");
	struct err err = { "" };
	struct geo *geo = geo_load_dir(dir, &err);
	const struct geo_shape *s;

	ck_assert_msg(geo != NULL, "%s", err.msg);
	ck_assert_uint_eq(geo->ngm, 342);
	ck_assert_uint_eq(geo->npv, 12);
	for (size_t i = 1; i < geo->ngm; i++)
		ck_assert_int_lt(strcmp(geo->gm[i - 1].code, geo->gm[i].code), 0);
	s = geo_find(geo, "GM0034");	/* Almere: 5,2° E, 52,4° N */
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->code, "GM0034");
	ck_assert(s->nring >= 1 && s->ring_end[s->nring - 1] == s->npt);
	ck_assert(s->bb[0] > 5.0 * 0.6 && s->bb[2] < 5.5 * 0.63);
	ck_assert(s->bb[1] > -52.6 && s->bb[3] < -52.2);	/* y down */
	ck_assert_ptr_null(geo_find(geo, "GM9999"));
	geo_free(geo);
	geo_free(NULL);
	ck_assert_ptr_null(geo_load_dir("/nonexistent", &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "niet te openen"));
	free(dir);
}
END_TEST

static Suite *
geo_suite(void)
{
	Suite  *s = suite_create("geo");
	TCase  *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_load_errors, 0,
	    sizeof(bad_files) / sizeof(bad_files[0]));
	tcase_add_test(tc, test_load_shipped);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(geo_suite());
}
