/* tests/check_gzip.c — the zlib wrapper: which Accept-Encoding values allow
 * gzip, and a compress/inflate round trip that refuses to grow. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/gzip.h"

static const struct {
	const char *ae;
	int	ok;
} accepts[] = {
	{ NULL, 0 },
	{ "", 0 },
	{ "gzip", 1 },
	{ "GZIP", 1 },
	{ "gzip, deflate, br", 1 },
	{ "br;q=1.0, gzip;q=0.8, *;q=0.1", 1 },
	{ "deflate, br", 0 },
	{ "gzip;q=0", 0 },
	{ "gzip;q=0.000", 0 },
	{ "gzip; q=0.001", 1 },
	{ "x-gzip", 1 },
	{ "*", 1 },
	{ "*;q=0", 0 },
	{ "gzip;q=0, *", 0 },	/* the explicit entry wins */
	{ "identity", 0 },
	{ "gzipper", 0 },
};

START_TEST(test_accepted)
{
	ck_assert_int_eq(gzip_accepted(accepts[_i].ae), accepts[_i].ok);
}
END_TEST

START_TEST(test_roundtrip)
{
	char	text[8192];
	unsigned char *z, *back;
	size_t	zlen = 0, blen = 0;

	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = "{\"gemeente\":\"GM0363\",\"waarde\":12345}"[i % 36];
	z = gzip_compress(text, sizeof(text), &zlen);
	ck_assert_ptr_nonnull(z);
	ck_assert_uint_lt(zlen, sizeof(text) / 10);
	ck_assert_uint_eq(z[0], 0x1f); /* gzip magic, not a zlib header */
	ck_assert_uint_eq(z[1], 0x8b);
	back = gzip_inflate(z, zlen, sizeof(text), &blen);
	ck_assert_ptr_nonnull(back);
	ck_assert_uint_eq(blen, sizeof(text));
	ck_assert(memcmp(back, text, blen) == 0);
	free(back);
	ck_assert_ptr_null(gzip_inflate(z, zlen, sizeof(text) - 1, &blen));
	ck_assert_ptr_null(gzip_inflate(z, zlen / 2, sizeof(text), &blen));
	free(z);
	/* Nothing to gain: NULL, the caller sends the bytes as they are. */
	ck_assert_ptr_null(gzip_compress("ab", 2, &zlen));
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("gzip");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_loop_test(tc, test_accepted, 0,
	    sizeof(accepts) / sizeof(*accepts));
	tcase_add_test(tc, test_roundtrip);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
