/* src/base/cache.c — the response cache between api and the renderers (chart,
 * compare): a chained hash table for lookup plus a doubly linked LRU list,
 * all under one mutex. Values are reference counted with atomics so a
 * release needs no lock and may outlive the entry and the cache. */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cache.h"
#include "base/util.h"

#define FIRST_BUCKETS 64

struct item {
	struct cache_value v;	/* first member: a value pointer is the item */
	atomic_uint refs;	/* the cache's (while linked) + each loan */
	uint64_t hash;		/* of the key */
	size_t	charge;		/* bytes counted against the capacity */
	struct item *hnext;	/* bucket chain */
	struct item *prev, *next;	/* LRU list, head = most recent */
	char   *key;		/* inside this allocation, after the data */
	unsigned char data[];
};

struct cache {
	pthread_mutex_t mu;
	struct item **buckets;
	size_t	nbuckets;	/* a power of two */
	struct item *head, *tail;
	size_t	capacity, bytes, entries;
	uint64_t hits, misses, evictions, invalidations;
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

static struct item *
item_new(const char *key, uint64_t version, const char *content_type,
    const void *data, size_t len)
{
	size_t	klen = strlen(key);
	struct item *it;

	if (len > SIZE_MAX - sizeof(*it) - klen - 1 ||
	    (it = malloc(sizeof(*it) + len + klen + 1)) == NULL)
		return NULL;
	memset(it, 0, sizeof(*it));
	atomic_init(&it->refs, 1);
	if (len > 0)
		memcpy(it->data, data, len);
	it->key = (char *)it->data + len;
	memcpy(it->key, key, klen + 1);
	it->hash = fnv1a(key, klen);
	it->charge = sizeof(*it) + len + klen;
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

const struct cache_value *
cache_get(struct cache *c, const char *key, uint64_t version)
{
	struct item *it;

	pthread_mutex_lock(&c->mu);
	it = *slot(c, key, fnv1a(key, strlen(key)));
	if (it != NULL && it->v.version < version) {
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
	struct item *it, **p;

	/* Copy and hash outside the lock: that is the expensive part. */
	if ((it = item_new(key, version, content_type, data, len)) == NULL)
		return NULL;
	pthread_mutex_lock(&c->mu);
	p = slot(c, key, it->hash);
	if (*p != NULL && (*p)->v.version > version)
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
	pthread_mutex_destroy(&c->mu);
	free(c->buckets);
	free(c);
}
