/* src/base/auth.h — secrets with libsodium: API tokens, dashboard passwords,
 * session and CSRF ids, SHA-256 of feed content, roles and gemeente scopes.
 * Nothing here stores anything: the ledger keeps prefixes and hashes, the
 * http edge decides. Every function is thread-safe once auth_init has
 * returned 0. */
#ifndef AUTH_H
#define AUTH_H

#include <stddef.h>

#define AUTH_TOKEN_TAG	    "bsd_"	/* every token starts with this */
#define AUTH_TOKEN_SIZE	    48	/* "bsd_" + 43 base64url chars + NUL */
#define AUTH_PREFIX_LEN	    8	/* public characters after "bsd_" */
#define AUTH_PREFIX_SIZE    (AUTH_PREFIX_LEN + 1)
#define AUTH_HASH_SIZE	    65	/* 32-byte hash as hex + NUL */
#define AUTH_SHA256_SIZE    65
#define AUTH_PASSWORD_SIZE  128	/* crypto_pwhash_STRBYTES, incl. NUL */

/* sodium_init. Call once before any other auth function (main does).
 * Returns 0, or -1 when libsodium cannot initialise (no randomness). */
int	auth_init(void);

/* Lower-case hex SHA-256 of data (the feed hash in the ledger). */
void	auth_sha256_hex(const void *data, size_t len,
	    char ret_hex[AUTH_SHA256_SIZE]);

/* --- API tokens (design §9) ---
 * A token is "bsd_" + 32 random bytes in URL-safe base64 without padding.
 * It is shown once; the ledger stores its prefix (the 8 characters after
 * "bsd_", public, to find the candidate row) and a BLAKE2b-256 hash in hex.
 * A plain hash is enough because the token has 256 bits of entropy: no
 * salt or slow KDF is needed against guessing, and a request costs ~1 µs. */

/* New token. Returns 0 (or -1 if encoding fails, which it should not). */
int	auth_token_new(char ret_token[AUTH_TOKEN_SIZE],
	    char ret_prefix[AUTH_PREFIX_SIZE], char ret_hash[AUTH_HASH_SIZE]);
/* The public prefix of a well-formed token. Returns 0, or -1 (ret_prefix
 * set to "") for anything that is not "bsd_" + 43 base64url characters. */
int	auth_token_prefix(const char *token, char ret_prefix[AUTH_PREFIX_SIZE]);
/* 1 when token is well formed and hashes to stored_hash (hex), compared in
 * constant time; 0 otherwise. Revocation is the caller's (ledger's) job. */
int	auth_token_check(const char *token, const char *stored_hash);

/* --- passwords for the dashboard sign-in ---
 * Argon2id through crypto_pwhash_str with the INTERACTIVE limits (64 MiB,
 * ~0.1 s): call it only on sign-in, never per request. */

/* Returns 0, or -1 when out of memory. An empty password is refused (-1). */
int	auth_password_hash(const char *password,
	    char ret_hash[AUTH_PASSWORD_SIZE]);
/* 1 when password matches stored (a crypto_pwhash_str string), else 0. */
int	auth_password_check(const char *password, const char *stored);

/* n_bytes random bytes as lower-case hex into ret_hex, which must hold
 * 2 * n_bytes + 1 characters (session ids: 32 bytes, CSRF tokens: 16). */
void	auth_random_hex(size_t n_bytes, char *ret_hex);
/* 1 when a and b are the same non-empty secret (CSRF tokens), compared
 * with sodium_memcmp so the time does not tell where they differ (only
 * whether the lengths do); 0 otherwise. */
int	auth_secret_equal(const char *a, const char *b);

/* --- roles and scopes --- */
enum auth_role { AUTH_ROLE_LEVERANCIER, AUTH_ROLE_MANAGER, AUTH_ROLE_BEHEER,
	AUTH_NROLES };

/* "leverancier", "manager", "beheer". Returns 0 or -1. */
int	auth_role_parse(const char *s, enum auth_role *ret);
const char *auth_role_name(enum auth_role role);	/* NULL if out of range */

/* Scopes (the gemeenten a token or account may act for) are parsed into
 * register rows: register_scope_parse in input/register.h. */

#endif /* AUTH_H */
