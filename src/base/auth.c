/* src/base/auth.c — the one wrapper around libsodium: token, password and random
 * id handling for the http edge and basisctl, plus the role names. */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "base/auth.h"

#define TOKEN_BYTES 32
#define TAG_LEN	    (sizeof(AUTH_TOKEN_TAG) - 1)
#define B64_LEN	                                                      \
	(sodium_base64_ENCODED_LEN(TOKEN_BYTES,                       \
	     sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1)

_Static_assert(AUTH_PASSWORD_SIZE == crypto_pwhash_STRBYTES,
    "AUTH_PASSWORD_SIZE must match libsodium");
_Static_assert(TAG_LEN + B64_LEN + 1 == AUTH_TOKEN_SIZE,
    "AUTH_TOKEN_SIZE must hold tag + base64 + NUL");
_Static_assert(AUTH_HASH_SIZE == crypto_generichash_BYTES * 2 + 1,
    "token hash is BLAKE2b-256 in hex");

static const char *const role_names[] = { "leverancier", "manager",
	"beheer" };
_Static_assert(sizeof(role_names) / sizeof(role_names[0]) == AUTH_NROLES,
    "one name per role");

int
auth_init(void)
{
	/* 1 = already initialised, which is fine. */
	return sodium_init() < 0 ? -1 : 0;
}

void
auth_sha256_hex(const void *data, size_t len, char ret_hex[AUTH_SHA256_SIZE])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(ret_hex, AUTH_SHA256_SIZE, h, sizeof(h));
}

/* Unkeyed BLAKE2b-256: see auth.h for why no salt or KDF is needed. */
static void
token_hash(const char *token, unsigned char h[crypto_generichash_BYTES])
{
	crypto_generichash(h, crypto_generichash_BYTES,
	    (const unsigned char *)token, strlen(token), NULL, 0);
}

int
auth_token_new(char ret_token[AUTH_TOKEN_SIZE],
    char ret_prefix[AUTH_PREFIX_SIZE], char ret_hash[AUTH_HASH_SIZE])
{
	unsigned char raw[TOKEN_BYTES], h[crypto_generichash_BYTES];

	randombytes_buf(raw, sizeof(raw));
	memcpy(ret_token, AUTH_TOKEN_TAG, TAG_LEN);
	if (sodium_bin2base64(ret_token + TAG_LEN, AUTH_TOKEN_SIZE - TAG_LEN,
	    raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING) ==
	    NULL) {
		sodium_memzero(raw, sizeof(raw));
		return -1;
	}
	sodium_memzero(raw, sizeof(raw));
	memcpy(ret_prefix, ret_token + TAG_LEN, AUTH_PREFIX_LEN);
	ret_prefix[AUTH_PREFIX_LEN] = '\0';
	token_hash(ret_token, h);
	sodium_bin2hex(ret_hash, AUTH_HASH_SIZE, h, sizeof(h));
	return 0;
}

static int
token_well_formed(const char *token)
{
	static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				     "abcdefghijklmnopqrstuvwxyz0123456789-_";

	return token != NULL && strncmp(token, AUTH_TOKEN_TAG, TAG_LEN) == 0 &&
	    strlen(token) == TAG_LEN + B64_LEN &&
	    strspn(token + TAG_LEN, b64url) == B64_LEN;
}

int
auth_token_prefix(const char *token, char ret_prefix[AUTH_PREFIX_SIZE])
{
	ret_prefix[0] = '\0';
	if (!token_well_formed(token))
		return -1;
	memcpy(ret_prefix, token + TAG_LEN, AUTH_PREFIX_LEN);
	ret_prefix[AUTH_PREFIX_LEN] = '\0';
	return 0;
}

int
auth_token_check(const char *token, const char *stored_hash)
{
	unsigned char want[crypto_generichash_BYTES], got[sizeof(want)];
	size_t	n = 0;
	const char *end = NULL;

	if (!token_well_formed(token) || stored_hash == NULL)
		return 0;
	if (sodium_hex2bin(want, sizeof(want), stored_hash,
	    strlen(stored_hash), NULL, &n, &end) != 0 ||
	    n != sizeof(want) || *end != '\0')
		return 0;
	token_hash(token, got);
	/* constant time: the hash must not leak through timing */
	return crypto_verify_32(want, got) == 0;
}

int
auth_password_hash(const char *password, char ret_hash[AUTH_PASSWORD_SIZE])
{
	if (password == NULL || *password == '\0')
		return -1;
	return crypto_pwhash_str(ret_hash, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0 ? 0 : -1;
}

int
auth_password_check(const char *password, const char *stored)
{
	if (password == NULL || stored == NULL)
		return 0;
	/* crypto_pwhash_str_verify wants a NUL within STRBYTES. */
	if (strnlen(stored, AUTH_PASSWORD_SIZE) == AUTH_PASSWORD_SIZE)
		return 0;
	return crypto_pwhash_str_verify(stored, password, strlen(password)) ==
	    0;
}

void
auth_random_hex(size_t n_bytes, char *ret_hex)
{
	unsigned char buf[64];

	while (n_bytes > 0) {
		size_t	n = n_bytes < sizeof(buf) ? n_bytes : sizeof(buf);

		randombytes_buf(buf, n);
		sodium_bin2hex(ret_hex, 2 * n + 1, buf, n);
		ret_hex += 2 * n;
		n_bytes -= n;
	}
	*ret_hex = '\0';
}

int
auth_secret_equal(const char *a, const char *b)
{
	size_t	la = strlen(a);

	return la > 0 && la == strlen(b) && sodium_memcmp(a, b, la) == 0;
}

int
auth_role_parse(const char *s, enum auth_role *ret)
{
	for (int i = 0; i < AUTH_NROLES; i++) {
		if (strcmp(s, role_names[i]) == 0) {
			*ret = (enum auth_role)i;
			return 0;
		}
	}
	return -1;
}

const char *
auth_role_name(enum auth_role role)
{
	if ((int)role < 0 || role >= AUTH_NROLES)
		return NULL;
	return role_names[role];
}

