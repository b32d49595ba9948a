/* src/base/json.c — jansson helpers shared by the routes (api) and by modules
 * that report in JSON (ingest reports, alerts). No I/O, no logging. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

/* Largest magnitude below which every whole double is an exact integer. */
#define JSON_EXACT_INT 9007199254740992.0 /* 2^53 */

char *
json_encode(const json_t *v, size_t *ret_len)
{
	char   *s;

	if (v == NULL)
		return NULL;
	/* jansson's default of 17 digits prints 0.1 as 0.10000000000000001;
	 * 15 digits round-trip every value we store (counts, ratios). */
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY |
	    JSON_REAL_PRECISION(15));
	if (s != NULL && ret_len != NULL)
		*ret_len = strlen(s);
	return s;
}

json_t *
json_decode(const char *buf, size_t len, struct err *err)
{
	json_error_t jerr;
	json_t *v;

	v = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
	    &jerr);
	if (v == NULL)
		err_setk(err, ERR_INPUT,
		    "ongeldige JSON op regel %d, kolom %d: %s",
		    jerr.line, jerr.column, jerr.text);
	return v;
}

json_t *
json_num(double v)
{
	if (!isfinite(v))
		return json_null();
	/* Whole numbers print as "3", not "3.0": counts stay integers. */
	if (v == floor(v) && fabs(v) < JSON_EXACT_INT)
		return json_integer((json_int_t)v);
	return json_real(v);
}

int
json_put(json_t *obj, const char *key, json_t *v)
{
	if (obj == NULL || v == NULL) {
		json_decref(v);
		return -1;
	}
	return json_object_set_new(obj, key, v) == 0 ? 0 : -1;
}

int
json_put_str(json_t *obj, const char *key, const char *s)
{
	return json_put(obj, key, s == NULL ? json_null() : json_string(s));
}

int
json_put_num(json_t *obj, const char *key, double v)
{
	return json_put(obj, key, json_num(v));
}

int
json_put_int(json_t *obj, const char *key, long long v)
{
	return json_put(obj, key, json_integer((json_int_t)v));
}

int
json_put_bool(json_t *obj, const char *key, int v)
{
	return json_put(obj, key, json_boolean(v));
}

/* Shortest-form bounds per sequence length (RFC 3629 §3). */
static const unsigned utf8_min[] = { 0, 0, 0x80, 0x800, 0x10000 };

size_t
json_utf8_next(const char *s, unsigned *ret_cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t	n;
	unsigned cp;

	if (u[0] < 0x80) {
		*ret_cp = u[0];
		return u[0] != 0;
	}
	if (u[0] >= 0xF8 || u[0] < 0xC0)
		return 0;
	n = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : 2;
	cp = u[0] & (0x7F >> n);
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0; /* also stops at the terminating NUL */
		cp = cp << 6 | (u[i] & 0x3F);
	}
	if (cp < utf8_min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	*ret_cp = cp;
	return n;
}

int
json_utf8_valid(const char *s)
{
	unsigned cp;
	size_t	n;

	for (; *s; s += n)
		if ((n = json_utf8_next(s, &cp)) == 0)
			return 0;
	return 1;
}

json_t *
json_text(const char *s)
{
	char   *clean, *w;
	unsigned cp;
	size_t	n;
	json_t *v;

	if (s == NULL)
		return json_null();
	if (json_utf8_valid(s))
		return json_string(s);
	/* Each bad byte becomes the 3-byte U+FFFD: at most 3× the input. */
	if ((clean = malloc(strlen(s) * 3 + 1)) == NULL)
		return NULL;
	for (w = clean; *s; s += n) {
		if ((n = json_utf8_next(s, &cp)) == 0) {
			memcpy(w, "\xEF\xBF\xBD", 3);
			w += 3;
			n = 1;
		} else {
			memcpy(w, s, n);
			w += n;
		}
	}
	*w = '\0';
	v = json_string(clean);
	free(clean);
	return v;
}

int
json_push(json_t *arr, json_t *v)
{
	if (arr == NULL || v == NULL) {
		json_decref(v);
		return -1;
	}
	return json_array_append_new(arr, v) == 0 ? 0 : -1;
}

const char *
json_get_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

int
json_get_num(const json_t *obj, const char *key, double *ret)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_number(v))
		return -1;
	*ret = json_number_value(v);
	return 0;
}
