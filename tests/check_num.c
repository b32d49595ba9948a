/* tests/check_num.c — the one strict number parser: integers with end check,
 * range and overflow (config, query parameters), sizes with k/M/G, plain
 * decimals, and the Dutch notation of feed cells. */
#include "config.h"

#include <check.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"
#include "base/util.h"

/* ok = 1: want is the value; ok = 0: msg is the error. */
static const struct {
	const char *in;
	long long min, max;
	int	ok;
	long long want;
	const char *msg;
} ints[] = {
	{ "0", 0, 10, 1, 0, NULL },
	{ "-3", -5, 5, 1, -3, NULL },
	{ "+7", 0, 10, 1, 7, NULL },
	{ "007", 0, 10, 1, 7, NULL },
	{ "9223372036854775807", LLONG_MIN, LLONG_MAX, 1, LLONG_MAX, NULL },
	{ "-9223372036854775808", LLONG_MIN, LLONG_MAX, 1, LLONG_MIN, NULL },
	{ "9223372036854775808", LLONG_MIN, LLONG_MAX, 0, 0,
	    "9223372036854775808 ligt buiten het bereik "
	    "-9223372036854775808–9223372036854775807" },
	{ "-9223372036854775809", LLONG_MIN, LLONG_MAX, 0, 0,
	    "-9223372036854775809 ligt buiten het bereik "
	    "-9223372036854775808–9223372036854775807" },
	/* atoi wraps these to 200 and 2024 */
	{ "4294967496", 200, 2000, 0, 0,
	    "4294967496 ligt buiten het bereik 200–2000" },
	{ "4294969320", 1900, 2199, 0, 0,
	    "4294969320 ligt buiten het bereik 1900–2199" },
	{ "99999999999999999999999", 0, 10, 0, 0,
	    "99999999999999999999999 ligt buiten het bereik 0–10" },
	{ "11", 0, 10, 0, 0, "11 ligt buiten het bereik 0–10" },
	{ "-1", 0, 10, 0, 0, "-1 ligt buiten het bereik 0–10" },
	/* atoll reads 1 from these */
	{ "1 OR 1=1", 0, 10, 0, 0, "'1 OR 1=1' is geen geheel getal" },
	{ "1abc", 0, 10, 0, 0, "'1abc' is geen geheel getal" },
	{ " 1", 0, 10, 0, 0, "' 1' is geen geheel getal" },
	{ "1 ", 0, 10, 0, 0, "'1 ' is geen geheel getal" },
	{ "", 0, 10, 0, 0, "'' is geen geheel getal" },
	{ "-", 0, 10, 0, 0, "'-' is geen geheel getal" },
	{ "--1", 0, 10, 0, 0, "'--1' is geen geheel getal" },
	{ "0x10", 0, 100, 0, 0, "'0x10' is geen geheel getal" },
	{ "1.5", 0, 10, 0, 0, "'1.5' is geen geheel getal" },
	{ "1k", 0, 10000, 0, 0, "'1k' is geen geheel getal" },
};

START_TEST(test_int)
{
	struct err err = { "" };
	long long v = -99;
	int	rc = num_int(ints[_i].in, ints[_i].min, ints[_i].max, &v, &err);

	ck_assert_msg(rc == (ints[_i].ok ? 0 : -1), "'%s': rc %d",
	    ints[_i].in, rc);
	if (ints[_i].ok) {
		ck_assert(v == ints[_i].want);
		return;
	}
	ck_assert(v == -99);	/* untouched on failure */
	ck_assert_str_eq(err.msg, ints[_i].msg);
	ck_assert_int_eq(err.kind, ERR_INPUT);
}
END_TEST

#define MIB (1024LL * 1024)

static const struct {
	const char *in;
	int	ok;
	long long want;
} sizes[] = {
	{ "1024", 1, 1024 }, { "1k", 1, 1024 }, { "32M", 1, 32 * MIB },
	{ "4G", 1, 4096 * MIB }, { "5G", 0, 0 }, { "1T", 0, 0 },
	{ "1kk", 0, 0 }, { "k", 0, 0 }, { "10", 0, 0 }, { "-1k", 0, 0 },
	/* the suffix used to overflow a negative value into range */
	{ "-17179869183G", 0, 0 }, { "-9007199254740992k", 0, 0 },
	{ "17179869184G", 0, 0 }, { "9007199254740992M", 0, 0 },
};

START_TEST(test_bytes)
{
	struct err err = { "" };
	long long v = -99;
	int	rc = num_bytes(sizes[_i].in, 1024, 4096 * MIB, &v, &err);

	ck_assert_msg(rc == (sizes[_i].ok ? 0 : -1), "'%s': rc %d",
	    sizes[_i].in, rc);
	ck_assert(v == (sizes[_i].ok ? sizes[_i].want : -99));
}
END_TEST

static const struct {
	const char *in;
	int	ok;
	double	want;
} doubles[] = {
	{ "12", 1, 12 }, { "-0.25", 1, -0.25 }, { "+1.5", 1, 1.5 },
	{ "0.0", 1, 0 }, { "100", 1, 100 }, { "100.5", 0, 0 },
	{ "1e3", 0, 0 }, { "12,5", 0, 0 }, { "", 0, 0 }, { ".5", 0, 0 },
	{ "nan", 0, 0 }, { "inf", 0, 0 }, { "0x1p3", 0, 0 }, { "1 ", 0, 0 },
	{ "-101", 0, 0 },
};

START_TEST(test_double)
{
	struct err err = { "" };
	double	v = -99;
	int	rc = num_double(doubles[_i].in, -100, 100, &v, &err);

	ck_assert_msg(rc == (doubles[_i].ok ? 0 : -1), "'%s': rc %d",
	    doubles[_i].in, rc);
	ck_assert_double_eq(v, doubles[_i].ok ? doubles[_i].want : -99);
}
END_TEST

static const struct {
	const char *in;
	int	ok;
	double	want;
} numbers[] = {
	{ "12,5", 1, 12.5 }, { "-3", 1, -3 }, { "+7", 1, 7 },
	{ "0", 1, 0 }, { "3.580", 1, 3580 }, { "1.234,5", 1, 1234.5 },
	{ "1.234.567", 1, 1234567 }, { "1.234.567,89", 1, 1234567.89 },
	{ "12.5", 1, 12.5 }, { "1234.5", 1, 1234.5 }, { "0.123", 1, 0.123 },
	{ "0,5", 1, 0.5 }, { "-1.000,25", 1, -1000.25 }, { " 42 ", 1, 42 },
	{ "12345", 1, 12345 }, { "007", 1, 7 }, { "100,00", 1, 100 },
	{ "", 0, 0 }, { " ", 0, 0 }, { "12,5,3", 0, 0 }, { "1.2.3", 0, 0 },
	{ "1.234.5", 0, 0 }, { "12.345.6", 0, 0 }, { "abc", 0, 0 },
	{ "1e400", 0, 0 }, { "1e3", 0, 0 }, { "NaN", 0, 0 }, { "nan", 0, 0 },
	{ "inf", 0, 0 }, { "-inf", 0, 0 }, { "Infinity", 0, 0 },
	{ "0x10", 0, 0 }, { "-", 0, 0 }, { "+", 0, 0 }, { ",5", 0, 0 },
	{ ".5", 0, 0 }, { "12,", 0, 0 }, { "12.", 0, 0 }, { "1,234.5", 0, 0 },
	{ "1.5,3", 0, 0 }, { "- 3", 0, 0 }, { "--3", 0, 0 }, { "3 4", 0, 0 },
	{ "12 %", 0, 0 }, { "€ 5", 0, 0 }, { "1.23", 1, 1.23 },
	{ "1.2345", 1, 1.2345 },
};

START_TEST(test_number)
{
	double	v = -99;
	int	rc = num_dutch(numbers[_i].in, &v);

	ck_assert_msg(rc == (numbers[_i].ok ? 0 : -1), "'%s': rc %d",
	    numbers[_i].in, rc);
	if (numbers[_i].ok)
		ck_assert_double_eq_tol(v, numbers[_i].want, 1e-9);
	else
		ck_assert_double_eq(v, -99);	/* untouched on failure */
}
END_TEST

/* Digit strings past DBL_MAX overflow; past the length cap they are cut. */
START_TEST(test_number_huge)
{
	char	buf[400];
	double	v;

	memset(buf, '9', 310);
	buf[310] = '\0';
	ck_assert_int_eq(num_dutch(buf, &v), -1);
	memset(buf, '1', 399);
	buf[399] = '\0';
	ck_assert_int_eq(num_dutch(buf, &v), -1);
	memset(buf, '1', 300);
	buf[300] = '\0';
	ck_assert_int_eq(num_dutch(buf, &v), 0);
	ck_assert(isfinite(v));
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("num");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_loop_test(tc, test_int, 0, NELEM(ints));
	tcase_add_loop_test(tc, test_bytes, 0, NELEM(sizes));
	tcase_add_loop_test(tc, test_double, 0, NELEM(doubles));
	tcase_add_loop_test(tc, test_number, 0, NELEM(numbers));
	tcase_add_test(tc, test_number_huge);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
