/* tests/check_json.c — jansson helpers: number printing, builders that
 * tolerate NULL, decoding with a Dutch message. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

static const struct {
	double	v;
	const char *text;
} nums[] = {
	{ 0.0, "0" },
	{ 3.0, "3" },
	{ -42.0, "-42" },
	{ 1.5, "1.5" },
	{ 0.1, "0.1" },
	{ 12.345678901, "12.345678901" },
	{ 1e300, "1e300" },	/* beyond 2^53: stays a real */
	{ -2.5e-7, "-2.5e-7" },
	{ NAN, "null" },
	{ INFINITY, "null" },
	{ -INFINITY, "null" },
};

START_TEST(test_num)
{
	json_t *v = json_num(nums[_i].v);
	char   *s = json_encode(v, NULL);

	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, nums[_i].text);
	free(s);
	json_decref(v);
}
END_TEST

static const struct {
	const char *in;
	const char *msg;	/* NULL = parses */
} docs[] = {
	{ "{\"a\":1}", NULL },
	{ "[1,2,3]", NULL },
	{ "\"los\"", NULL },
	{ "{\"a\":1,\"a\":2}", "ongeldige JSON op regel 1, kolom" },
	{ "{\"a\":", "ongeldige JSON op regel 1, kolom" },
	{ "", "ongeldige JSON op regel 1, kolom" },
	{ "{\n\"a\": tru}", "ongeldige JSON op regel 2, kolom" },
};

START_TEST(test_decode)
{
	struct err err = { "" };
	json_t *v = json_decode(docs[_i].in, strlen(docs[_i].in), &err);

	if (docs[_i].msg == NULL) {
		ck_assert_ptr_nonnull(v);
		ck_assert_str_eq(err.msg, "");
	} else {
		ck_assert_ptr_null(v);
		ck_assert_msg(strncmp(err.msg, docs[_i].msg,
		    strlen(docs[_i].msg)) == 0, "message: %s", err.msg);
	}
	json_decref(v);
}
END_TEST

START_TEST(test_builders)
{
	json_t *o = json_object(), *a = json_array();
	double	d = 0;
	size_t	len = 0;
	char   *s;

	ck_assert_int_eq(json_put_str(o, "naam", "’s-Hertogenbosch"), 0);
	ck_assert_int_eq(json_put_str(o, "leeg", NULL), 0);
	ck_assert_int_eq(json_put_num(o, "waarde", 12.5), 0);
	ck_assert_int_eq(json_put_num(o, "ontbreekt", NAN), 0);
	ck_assert_int_eq(json_put_int(o, "n", 342), 0);
	ck_assert_int_eq(json_put_bool(o, "definitief", 1), 0);
	ck_assert_int_eq(json_push(a, json_integer(1)), 0);
	ck_assert_int_eq(json_put(o, "lijst", a), 0);
	/* invalid UTF-8 and NULL containers are reported, not crashed on */
	ck_assert_int_eq(json_put_str(o, "kapot", "\xff"), -1);
	ck_assert_int_eq(json_put(NULL, "x", json_integer(1)), -1);
	ck_assert_int_eq(json_push(NULL, json_integer(1)), -1);
	ck_assert_int_eq(json_push(a, NULL), -1);
	s = json_encode(o, &len);
	ck_assert_str_eq(s, "{\"naam\":\"’s-Hertogenbosch\",\"leeg\":null,"
	    "\"waarde\":12.5,\"ontbreekt\":null,\"n\":342,"
	    "\"definitief\":true,\"lijst\":[1]}");
	ck_assert_uint_eq(len, strlen(s));
	ck_assert_str_eq(json_get_str(o, "naam"), "’s-Hertogenbosch");
	ck_assert_ptr_null(json_get_str(o, "n"));
	ck_assert_ptr_null(json_get_str(o, "nergens"));
	ck_assert_int_eq(json_get_num(o, "n", &d), 0);
	ck_assert(d == 342.0);
	ck_assert_int_eq(json_get_num(o, "waarde", &d), 0);
	ck_assert(d == 12.5);
	ck_assert_int_eq(json_get_num(o, "naam", &d), -1);
	ck_assert_ptr_null(json_encode(NULL, NULL));
	free(s);
	json_decref(o);
}
END_TEST

/* UTF-8: valid text passes, each invalid form is caught, and json_text
 * turns every bad byte into U+FFFD (what an error message quoting a
 * client's %ff becomes). */
static const struct {
	const char *in;
	int	valid;
	const char *text;	/* json_text's string */
} utf8[] = {
	{ "abc", 1, "abc" },
	{ "Zo\xc3\xabtermeer", 1, "Zo\xc3\xabtermeer" },
	{ "\xef\xbf\xbe", 1, "\xef\xbf\xbe" },		/* U+FFFE is UTF-8 */
	{ "\xf0\x9f\x98\x80", 1, "\xf0\x9f\x98\x80" },
	{ "\xff", 0, "\xef\xbf\xbd" },
	{ "a\xc0\xaf" "b", 0, "a\xef\xbf\xbd\xef\xbf\xbd" "b" },	/* overlong '/' */
	{ "\xed\xa0\x80", 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* surrogate */
	{ "\xf4\x90\x80\x80", 0,
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* > U+10FFFF */
	{ "\xc3", 0, "\xef\xbf\xbd" },			/* cut short */
};

START_TEST(test_utf8)
{
	json_t *v = json_text(utf8[_i].in);

	ck_assert_int_eq(json_utf8_valid(utf8[_i].in), utf8[_i].valid);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(json_string_value(v), utf8[_i].text);
	json_decref(v);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("json");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_loop_test(tc, test_num, 0, sizeof(nums) / sizeof(*nums));
	tcase_add_loop_test(tc, test_decode, 0, sizeof(docs) / sizeof(*docs));
	tcase_add_test(tc, test_builders);
	tcase_add_loop_test(tc, test_utf8, 0, sizeof(utf8) / sizeof(*utf8));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
