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
