/* src/base/json.h — the one wrapper around jansson: every other module
 * includes "json.h", never <jansson.h>. Small helpers for what every JSON
 * route does: build objects without checking each call, print numbers
 * stably (NaN → null, whole numbers without ".0"), and decode with a Dutch
 * error message. Thread-safe: no shared state (jansson values themselves
 * are not shared between threads). */
#ifndef JSON_H
#define JSON_H

#include <stddef.h>

#include <jansson.h>

#include "base/err.h"

/* Compact UTF-8 text of v with 15 significant digits for reals (so 0.1
 * prints as 0.1). Any value may be the top level. Returns a malloc'd,
 * NUL-terminated string (free()) and its length in *ret_len (may be NULL),
 * or NULL when v is NULL or memory runs out. */
char   *json_encode(const json_t *v, size_t *ret_len);

/* Parse len bytes. Returns a new reference, or NULL with err set to
 * "ongeldige JSON op regel L, kolom K: …". Duplicate keys are rejected. */
json_t *json_decode(const char *buf, size_t len, struct err *err);

/* A number: null for NaN and infinities, an integer when v is whole and
 * exactly representable, a real otherwise. New reference or NULL. */
json_t *json_num(double v);

/* Set obj[key] = v, stealing v (like json_object_set_new). NULL obj or v
 * is tolerated and reported, so a builder can make many calls and check
 * once: returns 0 or -1. */
int	json_put(json_t *obj, const char *key, json_t *v);
/* obj[key] = s as a string (null when s is NULL). -1 on invalid UTF-8. */
int	json_put_str(json_t *obj, const char *key, const char *s);
/* obj[key] = json_num(v). */
int	json_put_num(json_t *obj, const char *key, double v);
int	json_put_int(json_t *obj, const char *key, long long v);
int	json_put_bool(json_t *obj, const char *key, int v);
/* Append v to arr, stealing v. Returns 0 or -1 (also for NULL arr or v). */
int	json_push(json_t *arr, json_t *v);

/* The code point of the UTF-8 sequence at s into *ret_cp; returns its
 * length in bytes (1–4), or 0 at the end of s or for a byte that does not
 * start a valid sequence (overlong forms, surrogates and values above
 * U+10FFFF are invalid). */
size_t	json_utf8_next(const char *s, unsigned *ret_cp);
/* Is s entirely valid UTF-8? */
int	json_utf8_valid(const char *s);
/* s as a JSON string whatever its bytes: each invalid byte becomes U+FFFD,
 * so text quoting client input (an error message) always encodes. NULL
 * only when memory runs out; s NULL gives null. */
json_t *json_text(const char *s);

/* Borrowed string value of obj[key], or NULL when missing or not a string. */
const char *json_get_str(const json_t *obj, const char *key);
/* Number (integer or real) at obj[key] into *ret. Returns 0 or -1. */
int	json_get_num(const json_t *obj, const char *key, double *ret);

#endif /* JSON_H */
