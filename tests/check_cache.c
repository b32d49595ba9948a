/* tests/check_cache.c — response cache: hits, misses, data versions, LRU
 * order, the byte cap, invalidation, ETags, references that outlive their
 * entry, and a concurrency smoke test (meant to run under ASan). */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cache.h"

#define DATA_LEN 100

/* Sequences over keys a..e: upper case = put, lower case = get. The cache
 * holds exactly three entries. */
static const struct {
	const char *ops;
	const char *present, *absent;
	int	evictions;
} lru[] = {
	{ "ABC", "abc", "de", 0 },
	{ "ABCD", "bcd", "a", 1 },
	{ "ABCaD", "acd", "b", 1 },
	{ "ABCabD", "abd", "c", 1 },
	{ "ABCcbaDE", "ade", "bc", 2 },
	{ "ABCAD", "acd", "b", 1 },	/* a replaced entry is fresh again */
	{ "ABCDE", "cde", "ab", 2 },
	{ "ABCdD", "bcd", "a", 1 },	/* a miss does not touch the order */
};

static void
key_of(char c, char *buf, size_t size)
{
	snprintf(buf, size, "/chart/GM0363/%c.svg", c | 0x20);
}

static const struct cache_value *
put_char(struct cache *c, char ch, uint64_t version)
{
	char	key[64], data[DATA_LEN];

	key_of(ch, key, sizeof(key));
	memset(data, ch | 0x20, sizeof(data));
	return cache_put(c, key, version, "image/svg+xml", data, sizeof(data));
}

static int
has(struct cache *c, char ch)
{
	char	key[64];
	const struct cache_value *v;

	key_of(ch, key, sizeof(key));
	if ((v = cache_get(c, key, 0)) == NULL)
		return 0;
	ck_assert_uint_eq(v->len, DATA_LEN);
	ck_assert_int_eq(v->data[0], ch | 0x20);
	cache_value_release(v);
	return 1;
}

/* Capacity for n entries like the ones put_char makes. */
static size_t
capacity_for(int n)
{
	struct cache *c = cache_new(1 << 20);
	struct cache_stats st;

	cache_value_release(put_char(c, 'a', 1));
	cache_stats(c, &st);
	cache_free(c);
	return st.bytes * (size_t)n;
}

START_TEST(test_lru)
{
	struct cache *c = cache_new(capacity_for(3));
	struct cache_stats st;
	char	key[64];

	for (const char *p = lru[_i].ops; *p; p++) {
		if (*p >= 'A' && *p <= 'Z') {
			cache_value_release(put_char(c, *p, 1));
		} else {
			key_of(*p, key, sizeof(key));
			cache_value_release(cache_get(c, key, 0));
		}
	}
	cache_stats(c, &st);
	ck_assert_uint_eq(st.evictions, (uint64_t)lru[_i].evictions);
	ck_assert_uint_le(st.bytes, st.capacity);
	for (const char *p = lru[_i].present; *p; p++)
		ck_assert_msg(has(c, *p), "%c should be cached", *p);
	for (const char *p = lru[_i].absent; *p; p++)
		ck_assert_msg(!has(c, *p), "%c should be evicted", *p);
	cache_free(c);
}
END_TEST

START_TEST(test_hit_miss)
{
	struct cache *c = cache_new(1 << 20);
	const struct cache_value *v, *w;
	struct cache_stats st;
	char	etag[CACHE_ETAG_SIZE];

	ck_assert_ptr_null(cache_get(c, "/chart/GM0363/x.svg", 1));
	v = cache_put(c, "/api/v1/vergelijk/x?periode=2024", 7,
	    "application/json", "{\"a\":1}", 7);
	ck_assert_ptr_nonnull(v);
	w = cache_get(c, "/api/v1/vergelijk/x?periode=2024", 7);
	ck_assert_ptr_eq(v, w);	/* the same immutable value, shared */
	ck_assert_uint_eq(w->len, 7);
	ck_assert(memcmp(w->data, "{\"a\":1}", 7) == 0);
	ck_assert_str_eq(w->content_type, "application/json");
	ck_assert_uint_eq(w->version, 7);
	cache_etag("{\"a\":1}", 7, etag);
	ck_assert_str_eq(w->etag, etag);
	ck_assert_ptr_null(cache_get(c, "/api/v1/vergelijk/x?periode=2023", 7));
	cache_stats(c, &st);
	ck_assert_uint_eq(st.hits, 1);
	ck_assert_uint_eq(st.misses, 2);
	ck_assert_uint_eq(st.entries, 1);
	cache_value_release(v);
	cache_value_release(w);
	cache_value_release(NULL);
	cache_free(c);
	cache_free(NULL);
}
END_TEST

START_TEST(test_versions)
{
	struct cache *c = cache_new(1 << 20);
	const struct cache_value *v;
	struct cache_stats st;

	cache_value_release(cache_put(c, "k", 5, "text/plain", "new", 3));
	/* built from the wanted version or a newer one: hit */
	v = cache_get(c, "k", 5);
	ck_assert_ptr_nonnull(v);
	cache_value_release(v);
	v = cache_get(c, "k", 4);
	ck_assert_ptr_nonnull(v);
	cache_value_release(v);
	/* an older rendering never replaces a newer one, but is returned */
	v = cache_put(c, "k", 3, "text/plain", "old", 3);
	ck_assert(memcmp(v->data, "old", 3) == 0);
	cache_value_release(v);
	v = cache_get(c, "k", 0);
	ck_assert(memcmp(v->data, "new", 3) == 0);
	cache_value_release(v);
	/* data version bumped by an ingest: miss, and the entry is gone */
	ck_assert_ptr_null(cache_get(c, "k", 6));
	cache_stats(c, &st);
	ck_assert_uint_eq(st.entries, 0);
	ck_assert_uint_eq(st.bytes, 0);
	ck_assert_uint_eq(st.invalidations, 1);
	ck_assert_ptr_null(cache_get(c, "k", 0));
	cache_free(c);
}
END_TEST

START_TEST(test_byte_cap)
{
	size_t	cap = 10000;
	struct cache *c = cache_new(cap);
	struct cache_stats st;
	const struct cache_value *v;
	static unsigned char data[20000];
	unsigned seed = 42;

	for (int i = 0; i < 300; i++) {
		char	key[32];
		size_t	len = (size_t)(rand_r(&seed) % 3000);

		snprintf(key, sizeof(key), "/k/%d", i % 40);
		cache_value_release(cache_put(c, key, (uint64_t)i, "x/y", data,
		    len));
		cache_stats(c, &st);
		ck_assert_uint_le(st.bytes, cap);
	}
	ck_assert_uint_gt(st.evictions, 0);
	/* larger than the whole cache: answered, not stored */
	v = cache_put(c, "/big", 1, "image/png", data, sizeof(data));
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(v->len, sizeof(data));
	ck_assert_ptr_null(cache_get(c, "/big", 1));
	cache_value_release(v);
	cache_stats(c, &st);
	ck_assert_uint_le(st.bytes, cap);
	cache_free(c);
}
END_TEST

START_TEST(test_invalidate)
{
	static const char *const keys[] = { "/chart/GM0363/a.svg",
		"/chart/GM0363/b.png", "/chart/GM0599/a.svg",
		"/api/v1/vergelijk/a?periode=2024" };
	struct cache *c = cache_new(1 << 20);
	const struct cache_value *kept;
	struct cache_stats st;

	for (size_t i = 0; i < 4; i++)
		cache_value_release(cache_put(c, keys[i], 1, "x/y", "v", 1));
	kept = cache_get(c, keys[0], 1);
	ck_assert_uint_eq(cache_invalidate_prefix(c, "/chart/GM0363/"), 2);
	ck_assert_ptr_null(cache_get(c, keys[0], 1));
	ck_assert_ptr_null(cache_get(c, keys[1], 1));
	cache_value_release(cache_get(c, keys[2], 1));
	ck_assert_uint_eq(cache_invalidate_prefix(c, "/nothing"), 0);
	ck_assert_uint_eq(cache_invalidate_all(c), 2);
	cache_stats(c, &st);
	ck_assert_uint_eq(st.entries, 0);
	ck_assert_uint_eq(st.bytes, 0);
	ck_assert_uint_eq(st.invalidations, 4);
	/* a loaned value outlives its entry and the cache itself */
	cache_free(c);
	ck_assert_uint_eq(kept->len, 1);
	ck_assert_int_eq(kept->data[0], 'v');
	cache_value_release(kept);
}
END_TEST

/* Tagged entries: (tags of the entry, the mark it was built under, the
 * stamps set afterwards, fresh?). Tags are "|"-separated; a stamp
 * "*=v" is cache_stamp_all. */
static const struct {
	const char *tags;
	uint64_t mark;
	const char *stamps;
	int	fresh;
} tagged[] = {
	{ "i:a", 5, "", 1 },
	{ "i:a", 5, "i:b=6", 1 },		/* someone else's change */
	{ "i:a", 5, "i:a=6", 0 },		/* its own */
	{ "i:a", 5, "i:a=5", 1 },		/* built after that change */
	{ "i:a|g:x", 5, "g:x=7|i:b=8", 0 },	/* any of its tags */
	{ "i:a|g:x", 5, "g:y=7|i:b=8", 1 },
	{ "i:a", 5, "*=6", 0 },			/* an untagged change */
	{ "i:a", 5, "*=5", 1 },
	{ "", 5, "i:a=9", 1 },			/* no tags: only the base */
};

/* Apply "t=v|t=v" stamps. */
static void
apply_stamps(struct cache *c, const char *stamps)
{
	char	buf[128], *save = NULL, *eq;

	snprintf(buf, sizeof(buf), "%s", stamps);
	for (char *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|",
	    &save)) {
		eq = strchr(t, '=');
		ck_assert_ptr_nonnull(eq);
		*eq = '\0';
		if (strcmp(t, "*") == 0)
			cache_stamp_all(c, strtoull(eq + 1, NULL, 10));
		else
			ck_assert_int_eq(cache_stamp(c, t, strtoull(eq + 1,
			    NULL, 10)), 0);
	}
}

START_TEST(test_tags)
{
	struct cache *c = cache_new(1 << 20);
	char	buf[128], *save = NULL;
	const char *tags[4];
	size_t	n = 0;
	const struct cache_value *v;

	snprintf(buf, sizeof(buf), "%s", tagged[_i].tags);
	for (char *t = strtok_r(buf, "|", &save); t && n < 4;
	    t = strtok_r(NULL, "|", &save))
		tags[n++] = t;
	cache_stamp(c, "i:zz", tagged[_i].mark);	/* the mark to build under */
	ck_assert_uint_eq(cache_mark(c), tagged[_i].mark);
	v = cache_put_tagged(c, "k", cache_mark(c), tags, n, "text/plain",
	    "x", 1);
	cache_value_release(v);
	apply_stamps(c, tagged[_i].stamps);
	v = cache_get(c, "k", 0);
	ck_assert_msg((v != NULL) == tagged[_i].fresh, "row %d: %s", _i,
	    v ? "fresh" : "stale");
	cache_value_release(v);
	/* A stale entry was dropped; a fresh one is still there. */
	v = cache_get(c, "k", 0);
	ck_assert((v != NULL) == tagged[_i].fresh);
	cache_value_release(v);
	cache_free(c);
}
END_TEST

/* The mark is the newest stamp, whatever the order of stamps. */
START_TEST(test_mark)
{
	struct cache *c = cache_new(1 << 20);

	ck_assert_uint_eq(cache_mark(c), 0);
	cache_stamp(c, "i:a", 7);
	cache_stamp(c, "i:b", 3);
	ck_assert_uint_eq(cache_mark(c), 7);
	cache_stamp_all(c, 9);
	ck_assert_uint_eq(cache_mark(c), 9);
	cache_free(c);
}
END_TEST

START_TEST(test_etag)
{
	char	a[CACHE_ETAG_SIZE], b[CACHE_ETAG_SIZE], e[CACHE_ETAG_SIZE];

	cache_etag("<svg/>", 6, a);
	cache_etag("<svg/>", 6, b);
	cache_etag("<svg />", 7, e);
	ck_assert_str_eq(a, b);
	ck_assert_str_ne(a, e);
	ck_assert_uint_eq(strlen(a), 18);
	ck_assert_int_eq(a[0], '"');
	ck_assert_int_eq(a[17], '"');
	/* FNV-1a 64 of "" is its offset basis */
	cache_etag("", 0, e);
	ck_assert_str_eq(e, "\"cbf29ce484222325\"");
}
END_TEST

/* --- concurrency smoke test ---------------------------------------------- */

#define NTHREADS 4
#define NOPS	 4000
#define NKEYS	 32

struct worker {
	struct cache *c;
	unsigned seed;
	int	gets, bad;
};

/* A value's bytes name its key and version, so a reader can tell a torn
 * or mixed-up value from a good one. */
static void *
work(void *arg)
{
	struct worker *w = arg;
	char	key[32], body[64];
	const struct cache_value *v;

	for (int i = 0; i < NOPS; i++) {
		int	r = rand_r(&w->seed), k = r % NKEYS;
		uint64_t ver = (uint64_t)(i / 100);

		snprintf(key, sizeof(key), "/k/%d", k);
		if (r % 97 == 0) {
			cache_invalidate_prefix(w->c, "/k/1");
			continue;
		}
		if ((v = cache_get(w->c, key, ver)) == NULL) {
			int	n = snprintf(body, sizeof(body), "%s@%llu", key,
			    (unsigned long long)ver);
			v = cache_put(w->c, key, ver, "text/plain", body,
			    (size_t)n);
		}
		w->gets++;
		snprintf(body, sizeof(body), "%s@", key);
		if (v == NULL || v->version < ver ||
		    strncmp((const char *)v->data, body, strlen(body)) != 0)
			w->bad++;
		cache_value_release(v);
	}
	return NULL;
}

START_TEST(test_threads)
{
	struct cache *c = cache_new(2000);	/* small: forces evictions */
	struct worker w[NTHREADS];
	pthread_t t[NTHREADS];
	struct cache_stats st;
	uint64_t gets = 0;

	for (int i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){ .c = c, .seed = (unsigned)i + 1 };
		ck_assert_int_eq(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++) {
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
		ck_assert_int_eq(w[i].bad, 0);
		gets += (uint64_t)w[i].gets;
	}
	cache_stats(c, &st);
	ck_assert_uint_eq(st.hits + st.misses, gets);
	ck_assert_uint_gt(st.hits, 0);
	ck_assert_uint_gt(st.evictions, 0);
	ck_assert_uint_le(st.bytes, st.capacity);
	cache_free(c);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("cache");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_loop_test(tc, test_lru, 0, sizeof(lru) / sizeof(*lru));
	tcase_add_test(tc, test_hit_miss);
	tcase_add_test(tc, test_versions);
	tcase_add_test(tc, test_byte_cap);
	tcase_add_test(tc, test_invalidate);
	tcase_add_test(tc, test_etag);
	tcase_add_loop_test(tc, test_tags, 0, sizeof(tagged) / sizeof(*tagged));
	tcase_add_test(tc, test_mark);
	tcase_add_test(tc, test_threads);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
