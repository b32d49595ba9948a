/* tests/check_buf.c — the growable byte buffer: appends keep a NUL after
 * the bytes, growth doubles from the first capacity, an empty append still
 * gives a string, a failure is sticky and free resets. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* {first, parts appended, expected text, expected capacity} */
static const struct {
	size_t	first;
	const char *parts[4];
	const char *want;
	size_t	cap;
} cases[] = {
	{ 0, { "" }, "", 256 },
	{ 0, { "ab", "c", "" }, "abc", 256 },
	{ 4, { "abc" }, "abc", 4 },
	{ 4, { "abcd" }, "abcd", 8 },
	{ 4, { "ab", "cdefghij" }, "abcdefghij", 16 },
};

START_TEST(test_add)
{
	struct buf b = { .first = cases[_i].first };

	for (size_t k = 0; k < 4 && cases[_i].parts[k]; k++)
		ck_assert_int_eq(buf_str(&b, cases[_i].parts[k]), 0);
	ck_assert_ptr_nonnull(b.data);
	ck_assert_str_eq(b.data, cases[_i].want);
	ck_assert_uint_eq(b.len, strlen(cases[_i].want));
	ck_assert_uint_eq(b.cap, cases[_i].cap);
	ck_assert_int_eq(b.failed, 0);
	buf_free(&b);
	ck_assert(b.data == NULL && b.len == 0 && b.cap == 0);
	ck_assert_uint_eq(b.first, cases[_i].first);
	buf_free(NULL);
}
END_TEST

START_TEST(test_binary_and_sticky)
{
	struct buf b = { 0 };
	const char bytes[] = { 'a', '\0', 'b' };

	ck_assert_int_eq(buf_add(&b, bytes, sizeof(bytes)), 0);
	ck_assert_uint_eq(b.len, 3);
	ck_assert(memcmp(b.data, bytes, 3) == 0 && b.data[3] == '\0');
	/* a length no allocation can hold fails, and so does what follows */
	ck_assert_int_eq(buf_add(&b, bytes, SIZE_MAX - 2), -1);
	ck_assert_int_eq(b.failed, 1);
	ck_assert_int_eq(buf_str(&b, "c"), -1);
	ck_assert_uint_eq(b.len, 3);
	buf_free(&b);
	ck_assert_int_eq(b.failed, 0);
	ck_assert_int_eq(buf_str(&b, "d"), 0);
	ck_assert_str_eq(b.data, "d");
	buf_free(&b);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("buf");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_loop_test(tc, test_add, 0, sizeof(cases) / sizeof(*cases));
	tcase_add_test(tc, test_binary_and_sticky);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
