/* tests/check_auth.c — SHA-256 vectors, API tokens, passwords, random ids,
 * roles (gemeente scopes: check_register). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/auth.h"

/* FIPS 180-2 test vectors. */
static const struct {
	const char *in;
	const char *hex;
} sha[] = {
	{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc",
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
};

/* auth_token_prefix on malformed input; prefix "" means -1. */
static const struct {
	const char *token;
	const char *prefix;
} prefixes[] = {
	{ "bsd_ABCDEFGHijklmnopqrstuvwxyz0123456789-_ABCDE", "ABCDEFGH" },
	{ "bsd_--------___________________________________", "--------" },
	{ "bsd_ABCDEFGHijklmnopqrstuvwxyz0123456789-_ABCD", "" },	/* short */
	{ "bsd_ABCDEFGHijklmnopqrstuvwxyz0123456789-_ABCDEF", "" }, /* long */
	{ "bsd_ABCDEFGHijklmnopqrstuvwxyz0123456789+/ABCDE", "" }, /* not url */
	{ "bsd_ABCDEFGHijklmnopqrstuvwxyz0123456789-_ABCD=", "" }, /* padding */
	{ "BSD_ABCDEFGHijklmnopqrstuvwxyz0123456789-_ABCDE", "" },
	{ "xyz_ABCDEFGHijklmnopqrstuvwxyz0123456789-_ABCDE", "" },
	{ "bsd_", "" },
	{ "", "" },
	{ "Bearer bsd_ABCDEFGHijklmnopqrstuvwxyz0123456789-_ABCDE", "" },
};

START_TEST(test_sha256)
{
	char	hex[AUTH_SHA256_SIZE];

	auth_sha256_hex(sha[_i].in, strlen(sha[_i].in), hex);
	ck_assert_str_eq(hex, sha[_i].hex);
}
END_TEST

START_TEST(test_prefix)
{
	char	p[AUTH_PREFIX_SIZE];
	int	want = prefixes[_i].prefix[0] ? 0 : -1;

	ck_assert_int_eq(auth_token_prefix(prefixes[_i].token, p), want);
	ck_assert_str_eq(p, prefixes[_i].prefix);
	/* a malformed token never checks out, whatever the stored hash */
	if (want == -1)
		ck_assert_int_eq(auth_token_check(prefixes[_i].token,
		    "0000000000000000000000000000000000000000000000000000000000"
		    "000000"), 0);
}
END_TEST

START_TEST(test_token_round_trip)
{
	char	tok[AUTH_TOKEN_SIZE], pre[AUTH_PREFIX_SIZE], hash[AUTH_HASH_SIZE];
	char	pre2[AUTH_PREFIX_SIZE], other[AUTH_TOKEN_SIZE];
	char	opre[AUTH_PREFIX_SIZE], ohash[AUTH_HASH_SIZE], bad[AUTH_HASH_SIZE];

	ck_assert_int_eq(auth_token_new(tok, pre, hash), 0);
	ck_assert_uint_eq(strlen(tok), AUTH_TOKEN_SIZE - 1);
	ck_assert(strncmp(tok, "bsd_", 4) == 0);
	ck_assert_uint_eq(strlen(hash), 64);
	ck_assert_int_eq(auth_token_prefix(tok, pre2), 0);
	ck_assert_str_eq(pre, pre2);
	ck_assert(strncmp(tok + 4, pre, AUTH_PREFIX_LEN) == 0);
	ck_assert_int_eq(auth_token_check(tok, hash), 1);

	/* another token does not match this hash, and vice versa */
	ck_assert_int_eq(auth_token_new(other, opre, ohash), 0);
	ck_assert_str_ne(tok, other);
	ck_assert_str_ne(hash, ohash);
	ck_assert_int_eq(auth_token_check(other, hash), 0);
	ck_assert_int_eq(auth_token_check(tok, ohash), 0);

	/* one character changed in the token, or in the hash */
	memcpy(other, tok, sizeof(tok));
	other[20] = other[20] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(auth_token_check(other, hash), 0);
	memcpy(bad, hash, sizeof(hash));
	bad[63] = bad[63] == '0' ? '1' : '0';
	ck_assert_int_eq(auth_token_check(tok, bad), 0);
	/* malformed stored hashes */
	ck_assert_int_eq(auth_token_check(tok, ""), 0);
	ck_assert_int_eq(auth_token_check(tok, NULL), 0);
	bad[10] = 'x';
	ck_assert_int_eq(auth_token_check(tok, bad), 0);
	memcpy(bad, hash, sizeof(hash));
	bad[62] = '\0';
	ck_assert_int_eq(auth_token_check(tok, bad), 0);
	ck_assert_int_eq(auth_token_check(NULL, hash), 0);
}
END_TEST

START_TEST(test_password)
{
	char	h1[AUTH_PASSWORD_SIZE], h2[AUTH_PASSWORD_SIZE];

	ck_assert_int_eq(auth_password_hash("correct paard batterij", h1), 0);
	ck_assert(strncmp(h1, "$argon2id$", 10) == 0);
	ck_assert_int_eq(auth_password_check("correct paard batterij", h1), 1);
	ck_assert_int_eq(auth_password_check("correct paard batterij ", h1),
	    0);
	ck_assert_int_eq(auth_password_check("", h1), 0);
	ck_assert_int_eq(auth_password_check("x", "not a hash"), 0);
	ck_assert_int_eq(auth_password_check("x", NULL), 0);
	/* salted: the same password hashes differently each time */
	ck_assert_int_eq(auth_password_hash("correct paard batterij", h2), 0);
	ck_assert_str_ne(h1, h2);
	ck_assert_int_eq(auth_password_check("correct paard batterij", h2), 1);
	ck_assert_int_eq(auth_password_hash("", h2), -1);
}
END_TEST

START_TEST(test_random_hex)
{
	char	a[65], b[65], small[3];

	auth_random_hex(32, a);
	auth_random_hex(32, b);
	ck_assert_uint_eq(strlen(a), 64);
	ck_assert_uint_eq(strspn(a, "0123456789abcdef"), 64);
	ck_assert_str_ne(a, b);
	/* exactly 2n + 1 characters are written */
	memset(small, 'z', sizeof(small));
	auth_random_hex(1, small);
	ck_assert_uint_eq(strlen(small), 2);
	auth_random_hex(0, small);
	ck_assert_str_eq(small, "");
}
END_TEST

START_TEST(test_random_long)
{
	char	buf[2 * 200 + 1];

	/* longer than the internal chunk */
	memset(buf, 'z', sizeof(buf));
	auth_random_hex(200, buf);
	ck_assert_uint_eq(strlen(buf), 400);
	ck_assert_uint_eq(strspn(buf, "0123456789abcdef"), 400);
}
END_TEST

START_TEST(test_roles)
{
	enum auth_role r;

	for (int i = 0; i < AUTH_NROLES; i++) {
		ck_assert_int_eq(auth_role_parse(auth_role_name(i), &r), 0);
		ck_assert_int_eq(r, i);
	}
	ck_assert_str_eq(auth_role_name(AUTH_ROLE_LEVERANCIER), "leverancier");
	ck_assert_str_eq(auth_role_name(AUTH_ROLE_MANAGER), "manager");
	ck_assert_str_eq(auth_role_name(AUTH_ROLE_BEHEER), "beheer");
	ck_assert_ptr_null(auth_role_name(AUTH_NROLES));
	ck_assert_int_eq(auth_role_parse("admin", &r), -1);
	ck_assert_int_eq(auth_role_parse("Beheer", &r), -1);
}
END_TEST

static const struct {
	const char *a, *b;
	int	equal;
} secrets[] = {
	{ "0123abcd", "0123abcd", 1 }, { "0123abcd", "0123abce", 0 },
	{ "0123abcd", "0123abc", 0 }, { "0123abc", "0123abcd", 0 },
	{ "", "", 0 }, { "", "x", 0 }, { "x", "", 0 },
};

START_TEST(test_secret_equal)
{
	ck_assert_int_eq(auth_secret_equal(secrets[_i].a, secrets[_i].b),
	    secrets[_i].equal);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("auth");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	if (auth_init() != 0)
		return EXIT_FAILURE;
	tcase_add_loop_test(tc, test_sha256, 0, sizeof(sha) / sizeof(*sha));
	tcase_add_loop_test(tc, test_prefix, 0,
	    sizeof(prefixes) / sizeof(*prefixes));
	tcase_add_test(tc, test_token_round_trip);
	tcase_add_test(tc, test_password);
	tcase_add_test(tc, test_random_hex);
	tcase_add_test(tc, test_random_long);
	tcase_add_test(tc, test_roles);
	tcase_add_loop_test(tc, test_secret_equal, 0,
	    sizeof(secrets) / sizeof(*secrets));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
