/* src/base/cache.c — the response cache between api and the renderers (chart,
 * compare): a chained hash table for lookup plus a doubly linked LRU list,
 * all under one mutex. Values are reference counted with atomics so a
 * release needs no lock and may outlive the entry and the cache. A second,
 * fixed-size hash table holds the dependency stamps (tag -> version) that
 * tagged entries are checked against on every hit. */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cache.h"
#include "base/util.h"

#define FIRST_BUCKETS 64
/* Tags are bounded by the data (indicators, gemeenten and their pairs:
 * about 20 000 for the country), so the table never grows: chains of a
 * few links at most. */
#define STAMP_BUCKETS 8192

struct item {
	struct cache_value v;	/* first member: a value pointer is the item */
	atomic_uint refs;	/* the cache's (while linked) + each loan */
	uint64_t hash;		/* of the key */
	size_t	charge;		/* bytes counted against the capacity */
	struct item *hnext;	/* bucket chain */
	struct item *prev, *next;	/* LRU list, head = most recent */
	char   *key;		/* inside this allocation, after the data */
	char   *tags;		/* ntags NUL-terminated tags after the key */
	size_t	ntags;
	unsigned char data[];
};

/* The version at which a tag last changed. */
struct stamp {
	struct stamp *next;
	uint64_t hash, version;
	char	tag[];
};

struct cache {
	pthread_mutex_t mu;
	struct item **buckets;
	size_t	nbuckets;	/* a power of two */
	struct item *head, *tail;
	size_t	capacity, bytes, entries;
	uint64_t hits, misses, evictions, invalidations;
	struct stamp *stamps[STAMP_BUCKETS];
	uint64_t mark;		/* the newest version stamped so far */
	uint64_t base;		/* every entry older than this is stale */
};

static uint64_t
fnv1a(const void *p, size_t len)
{
	return util_fnv1a(UTIL_FNV1A_BASIS, p, len);
}

void
cache_etag(const void *data, size_t len, char ret[CACHE_ETAG_SIZE])
{
	snprintf(ret, CACHE_ETAG_SIZE, "\"%016llx\"",
	    (unsigned long long)fnv1a(data, len));
}

struct cache *
cache_new(size_t capacity)
{
	struct cache *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->nbuckets = FIRST_BUCKETS;
	c->capacity = capacity;
	if ((c->buckets = calloc(c->nbuckets, sizeof(*c->buckets))) == NULL ||
	    pthread_mutex_init(&c->mu, NULL) != 0) {
		free(c->buckets);
		free(c);
		return NULL;
	}
	return c;
}

void
cache_value_release(const struct cache_value *v)
{
	struct item *it = (struct item *)v;

	if (it != NULL && atomic_fetch_sub_explicit(&it->refs, 1,
	    memory_order_acq_rel) == 1)
		free(it);
}

static size_t
tags_size(const char *const *tags, size_t ntags)
{
	size_t	n = 0;

	for (size_t i = 0; i < ntags; i++)
		n += strlen(tags[i]) + 1;
	return n;
}

static struct item *
item_new(const char *key, uint64_t version, const char *const *tags,
    size_t ntags, const char *content_type, const void *data, size_t len)
{
	size_t	klen = strlen(key), tlen = tags_size(tags, ntags);
	struct item *it;
	char   *t;

	if (len > SIZE_MAX - sizeof(*it) - klen - tlen - 1 ||
	    (it = malloc(sizeof(*it) + len + klen + 1 + tlen)) == NULL)
		return NULL;
	memset(it, 0, sizeof(*it));
	atomic_init(&it->refs, 1);
	if (len > 0)
		memcpy(it->data, data, len);
	it->key = (char *)it->data + len;
	memcpy(it->key, key, klen + 1);
	it->tags = t = it->key + klen + 1;
	it->ntags = ntags;
	for (size_t i = 0; i < ntags; i++) {
		size_t	n = strlen(tags[i]) + 1;

		memcpy(t, tags[i], n);
		t += n;
	}
	it->hash = fnv1a(key, klen);
	it->charge = sizeof(*it) + len + klen + tlen;
	it->v.data = it->data;
	it->v.len = len;
	it->v.version = version;
	snprintf(it->v.content_type, sizeof(it->v.content_type), "%s",
	    content_type ? content_type : "application/octet-stream");
	cache_etag(data, len, it->v.etag);
	return it;
}

/* The link that points at key's item, or at the NULL ending its chain. */
static struct item **
slot(struct cache *c, const char *key, uint64_t hash)
{
	struct item **p = &c->buckets[hash & (c->nbuckets - 1)];

	while (*p != NULL && ((*p)->hash != hash || strcmp((*p)->key, key)))
		p = &(*p)->hnext;
	return p;
}

static void
lru_remove(struct cache *c, struct item *it)
{
	if (it->prev != NULL)
		it->prev->next = it->next;
	else
		c->head = it->next;
	if (it->next != NULL)
		it->next->prev = it->prev;
	else
		c->tail = it->prev;
	it->prev = it->next = NULL;
}

static void
lru_push_front(struct cache *c, struct item *it)
{
	it->prev = NULL;
	it->next = c->head;
	if (c->head != NULL)
		c->head->prev = it;
	c->head = it;
	if (c->tail == NULL)
		c->tail = it;
}

/* Remove a linked item and drop the cache's reference to it. */
static void
unlink_item(struct cache *c, struct item *it)
{
	struct item **p = slot(c, it->key, it->hash);

	*p = it->hnext;
	lru_remove(c, it);
	c->bytes -= it->charge;
	c->entries--;
	cache_value_release(&it->v);
}

/* Doubling keeps chains short; on allocation failure chains just grow. */
static void
maybe_grow(struct cache *c)
{
	size_t	n = c->nbuckets * 2;
	struct item **b, *it;

	if (c->entries <= c->nbuckets || (b = calloc(n, sizeof(*b))) == NULL)
		return;
	for (it = c->head; it != NULL; it = it->next) {
		it->hnext = b[it->hash & (n - 1)];
		b[it->hash & (n - 1)] = it;
	}
	free(c->buckets);
	c->buckets = b;
	c->nbuckets = n;
}

/* ---- dependency stamps (under c->mu) ---- */

static struct stamp **
stamp_slot(struct cache *c, const char *tag, uint64_t hash)
{
	struct stamp **p = &c->stamps[hash & (STAMP_BUCKETS - 1)];

	while (*p != NULL && ((*p)->hash != hash || strcmp((*p)->tag, tag)))
		p = &(*p)->next;
	return p;
}

static uint64_t
stamp_of(struct cache *c, const char *tag)
{
	struct stamp *s = *stamp_slot(c, tag, fnv1a(tag, strlen(tag)));

	return s ? s->version : 0;
}

/* An entry is stale when the cache was reset after it was built, or when
 * one of the tags it was built from changed after that. */
static int
item_stale(struct cache *c, const struct item *it)
{
	const char *t = it->tags;

	if (c->base > it->v.version)
		return 1;
	for (size_t i = 0; i < it->ntags; i++, t += strlen(t) + 1)
		if (stamp_of(c, t) > it->v.version)
			return 1;
	return 0;
}

uint64_t
cache_mark(struct cache *c)
{
	uint64_t m;

	pthread_mutex_lock(&c->mu);
	m = c->mark;
	pthread_mutex_unlock(&c->mu);
	return m;
}

int
cache_stamp(struct cache *c, const char *tag, uint64_t version)
{
	size_t	len = strlen(tag);
	uint64_t h = fnv1a(tag, len);
	struct stamp **p, *s;
	int	rc = 0;

	pthread_mutex_lock(&c->mu);
	if (*(p = stamp_slot(c, tag, h)) == NULL) {
		if ((s = malloc(sizeof(*s) + len + 1)) == NULL) {
			/* Without its stamp the tag's entries could stay
			 * stale: drop everything instead. */
			c->base = version > c->base ? version : c->base;
			rc = -1;
		} else {
			s->next = NULL;
			s->hash = h;
			s->version = 0;
			memcpy(s->tag, tag, len + 1);
			*p = s;
		}
	}
	if (*p != NULL && (*p)->version < version)
		(*p)->version = version;
	if (c->mark < version)
		c->mark = version;
	pthread_mutex_unlock(&c->mu);
	return rc;
}

uint64_t
cache_stamp_max(struct cache *c, const char *const *tags, size_t ntags)
{
	uint64_t m, s;

	pthread_mutex_lock(&c->mu);
	m = c->base;
	for (size_t i = 0; i < ntags; i++)
		if ((s = stamp_of(c, tags[i])) > m)
			m = s;
	pthread_mutex_unlock(&c->mu);
	return m;
}

void
cache_stamp_all(struct cache *c, uint64_t version)
{
	pthread_mutex_lock(&c->mu);
	if (c->base < version)
		c->base = version;
	if (c->mark < version)
		c->mark = version;
	pthread_mutex_unlock(&c->mu);
}

const struct cache_value *
cache_get(struct cache *c, const char *key, uint64_t version)
{
	struct item *it;

	pthread_mutex_lock(&c->mu);
	it = *slot(c, key, fnv1a(key, strlen(key)));
	if (it != NULL && (it->v.version < version || item_stale(c, it))) {
		unlink_item(c, it);	/* stale: nobody will want it again */
		c->invalidations++;
		it = NULL;
	}
	if (it == NULL) {
		c->misses++;
		pthread_mutex_unlock(&c->mu);
		return NULL;
	}
	lru_remove(c, it);
	lru_push_front(c, it);
	atomic_fetch_add_explicit(&it->refs, 1, memory_order_relaxed);
	c->hits++;
	pthread_mutex_unlock(&c->mu);
	return &it->v;
}

/* Link a new item (the caller holds its reference) and evict to fit. */
static void
insert(struct cache *c, struct item **p, struct item *it)
{
	atomic_fetch_add_explicit(&it->refs, 1, memory_order_relaxed);
	it->hnext = *p;
	*p = it;
	lru_push_front(c, it);
	c->bytes += it->charge;
	c->entries++;
	/* it->charge <= capacity, so the loop stops before reaching it. */
	while (c->bytes > c->capacity && c->tail != NULL) {
		unlink_item(c, c->tail);
		c->evictions++;
	}
	maybe_grow(c);
}

const struct cache_value *
cache_put(struct cache *c, const char *key, uint64_t version,
    const char *content_type, const void *data, size_t len)
{
	return cache_put_tagged(c, key, version, NULL, 0, content_type, data,
	    len);
}

const struct cache_value *
cache_put_tagged(struct cache *c, const char *key, uint64_t version,
    const char *const *tags, size_t ntags, const char *content_type,
    const void *data, size_t len)
{
	struct item *it, **p;

	/* Copy and hash outside the lock: that is the expensive part. */
	if ((it = item_new(key, version, tags, ntags, content_type, data,
	    len)) == NULL)
		return NULL;
	pthread_mutex_lock(&c->mu);
	p = slot(c, key, it->hash);
	if (*p != NULL && (*p)->v.version > version && !item_stale(c, *p))
		goto out;	/* a newer rendering is already there */
	if (*p != NULL) {
		unlink_item(c, *p);
		p = slot(c, key, it->hash);
	}
	if (it->charge <= c->capacity)
		insert(c, p, it);
out:
	pthread_mutex_unlock(&c->mu);
	return &it->v;
}

const struct cache_value *
cache_put_beside(struct cache *c, const char *key,
    const struct cache_value *like, const void *data, size_t len)
{
	const struct item *src = (const struct item *)like;
	const char **tags = malloc((src->ntags ? src->ntags : 1) *
	    sizeof(*tags));
	const struct cache_value *v;
	const char *t = src->tags;

	if (tags == NULL)
		return NULL;
	/* The item is immutable and we hold a reference through like. */
	for (size_t i = 0; i < src->ntags; i++, t += strlen(t) + 1)
		tags[i] = t;
	v = cache_put_tagged(c, key, like->version, tags, src->ntags,
	    like->content_type, data, len);
	free(tags);
	return v;
}

size_t
cache_invalidate_prefix(struct cache *c, const char *prefix)
{
	size_t	plen = strlen(prefix), n = 0;
	struct item *it, *next;

	pthread_mutex_lock(&c->mu);
	for (it = c->head; it != NULL; it = next) {
		next = it->next;
		if (strncmp(it->key, prefix, plen) != 0)
			continue;
		unlink_item(c, it);
		n++;
	}
	c->invalidations += n;
	pthread_mutex_unlock(&c->mu);
	return n;
}

size_t
cache_invalidate_all(struct cache *c)
{
	return cache_invalidate_prefix(c, "");
}

void
cache_stats(struct cache *c, struct cache_stats *ret)
{
	pthread_mutex_lock(&c->mu);
	ret->hits = c->hits;
	ret->misses = c->misses;
	ret->evictions = c->evictions;
	ret->invalidations = c->invalidations;
	ret->entries = c->entries;
	ret->bytes = c->bytes;
	ret->capacity = c->capacity;
	pthread_mutex_unlock(&c->mu);
}

void
cache_free(struct cache *c)
{
	if (c == NULL)
		return;
	while (c->head != NULL)
		unlink_item(c, c->head);
	for (size_t i = 0; i < STAMP_BUCKETS; i++)
		for (struct stamp *s = c->stamps[i], *n; s != NULL; s = n) {
			n = s->next;
			free(s);
		}
	pthread_mutex_destroy(&c->mu);
	free(c->buckets);
	free(c);
}
