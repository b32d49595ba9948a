/* src/base/buf.h — the one growable byte buffer: CSV and other text built
 * by the API (serve/api.c), HTTP response bodies read by base/fetch.c and
 * request bodies held in memory by serve/http_spool.c.
 * Pure: no I/O; a buffer belongs to one thread. */
#ifndef BUF_H
#define BUF_H

#include <stddef.h>

struct buf {
	char   *data;	/* malloc'd; NUL-terminated once a byte was added */
	size_t	len, cap;
	size_t	first;	/* the first allocation in bytes; 0 = 256 */
	int	failed;	/* an allocation failed: sticky, contents incomplete */
};

/* Append n bytes and keep a NUL after them, doubling the capacity as
 * needed. Returns 0, or -1 when memory runs out: then b->failed is set,
 * nothing is appended now or later, and the caller checks it once. */
int	buf_add(struct buf *b, const void *data, size_t n);
/* buf_add of a NUL-terminated string. */
int	buf_str(struct buf *b, const char *s);
/* Free the bytes and reset b (keeping first); NULL is a no-op. */
void	buf_free(struct buf *b);

#endif /* BUF_H */
