/* src/base/cache.h — bounded in-memory cache of rendered responses (charts,
 * comparison JSON), keyed by route + canonical query and tagged with the
 * data version they were built from. LRU eviction under a byte capacity.
 * Thread-safe: one mutex per cache; values are immutable and reference
 * counted, so a reader keeps using a value that was evicted meanwhile. */
#ifndef CACHE_H
#define CACHE_H

#include <stddef.h>
#include <stdint.h>

#define CACHE_ETAG_SIZE	 20	/* "\"" + 16 hex digits + "\"" + NUL */
#define CACHE_CTYPE_SIZE 64

/* A cached response. Read-only for everyone; obtained from cache_get or
 * cache_put and given back with cache_value_release (one release per
 * value returned). data stays valid until that release. */
struct cache_value {
	const unsigned char *data;
	size_t	len;
	uint64_t version;			/* data version it was built from */
	char	content_type[CACHE_CTYPE_SIZE];
	/* Strong ETag, quoted: the 64-bit FNV-1a hash of the content in hex.
	 * Content, not (key, version): a new data version that renders the
	 * same bytes keeps its ETag (clients keep their 304s after an
	 * unrelated ingest), and a changed renderer after an upgrade can
	 * never serve new bytes under an old tag. */
	char	etag[CACHE_ETAG_SIZE];
};

struct cache_stats {
	uint64_t hits, misses, evictions;	/* since cache_new */
	uint64_t invalidations;	/* entries dropped as stale or by
				 * cache_invalidate_* */
	size_t	entries;
	size_t	bytes;		/* charged bytes now (see cache_new) */
	size_t	capacity;
};

/* A cache holding at most capacity bytes, where an entry is charged its
 * data length + key length + a fixed overhead for its bookkeeping. NULL
 * when out of memory. */
struct cache *cache_new(size_t capacity);
void	cache_free(struct cache *c);	/* NULL is a no-op; values out on
					 * loan stay valid until released */

/* The value for key if it was built from version or a newer one and is
 * not stale by its tags (below); NULL on a miss (absent, older or stale:
 * then it is dropped). A hit moves
 * the entry to the front of the LRU list. The caller owns one reference. */
const struct cache_value *cache_get(struct cache *c, const char *key,
    uint64_t version);

/* Store a copy of data under key, replacing an entry built from the same
 * or an older version (a newer one is kept), then evicting least recently
 * used entries until the cache fits. Returns a reference to a value with
 * this data and its ETag, also when the value was not stored (larger than
 * the capacity, or a newer one present), so a caller can always answer
 * with it. NULL only when out of memory. */
const struct cache_value *cache_put(struct cache *c, const char *key,
    uint64_t version, const char *content_type, const void *data,
    size_t len);

/* Give back a reference; NULL is a no-op. */
void	cache_value_release(const struct cache_value *v);

/* ---- dependency stamps: per-key invalidation ----
 * An entry may be stored with the tags it was built from ("i:pw_bestand",
 * "g:GM0363", …) and the cache's mark read before building it. When data
 * changes, the writer stamps the tags it touched with the new data
 * version; a tagged entry is fresh while none of its tags was stamped
 * after its version (and no cache_stamp_all came after it), so an ingest
 * drops only what it touched. Versions must grow: use the ledger's data
 * version. */

/* The newest version stamped so far: read it before building an entry
 * and store the entry under it (a change during the build then makes the
 * entry stale, never the other way round). */
uint64_t cache_mark(struct cache *c);
/* Tag changed at version (older stamps are kept). Returns 0, or -1 when
 * out of memory: then every entry is made stale instead. */
int	cache_stamp(struct cache *c, const char *tag, uint64_t version);
/* The newest stamp among tags, at least the last cache_stamp_all: what
 * something built from those tags depends on (a value that grows exactly
 * when one of them changes). */
uint64_t cache_stamp_max(struct cache *c, const char *const *tags,
    size_t ntags);
/* Everything built before version is stale (a change nobody tagged). */
void	cache_stamp_all(struct cache *c, uint64_t version);
/* As cache_put, with the entry's tags (copied). cache_get(c, key, 0)
 * returns it while it is fresh as described above. */
const struct cache_value *cache_put_tagged(struct cache *c, const char *key,
    uint64_t version, const char *const *tags, size_t ntags,
    const char *content_type, const void *data, size_t len);
/* Store data under key with the version, tags and content type of like
 * (a value of this cache): a variant of like (its gzip form) that goes
 * stale together with it. As cache_put otherwise. */
const struct cache_value *cache_put_beside(struct cache *c, const char *key,
    const struct cache_value *like, const void *data, size_t len);
/* Drop every entry whose key starts with prefix (e.g. "/chart/GM0363/")
 * or every entry. Return the number dropped. */
size_t	cache_invalidate_prefix(struct cache *c, const char *prefix);
size_t	cache_invalidate_all(struct cache *c);

/* A snapshot of the counters (for /metrics). */
void	cache_stats(struct cache *c, struct cache_stats *ret);

/* The ETag cache values carry, for responses that are not cached (static
 * files): into ret, which holds CACHE_ETAG_SIZE. */
void	cache_etag(const void *data, size_t len, char ret[CACHE_ETAG_SIZE]);

#endif /* CACHE_H */
