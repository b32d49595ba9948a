/* src/serve/http_spool.h — private to http.c: a request body on its way
 * in. Small bodies stay in memory; past HTTP_SPOOL_MEM the bytes go to an
 * unlinked temp file in the state directory, mapped read-only once
 * complete, so a big upload costs disk, not heap. Every byte is counted
 * against one budget shared by all requests in flight.
 *
 * Thread-safety: a spool is one request's; the budget counter is atomic. */
#ifndef HTTP_SPOOL_H
#define HTTP_SPOOL_H

#include <stdatomic.h>
#include <stddef.h>

#include "base/buf.h"

#define HTTP_SPOOL_MEM	(256u << 10)	/* bytes held in memory per body */

struct http_spool {
	struct buf mem;	/* the bytes while in memory (first 16 KiB) */
	size_t	len;	/* bytes in all, in memory or in the file */
	int	fd;		/* the temp file past HTTP_SPOOL_MEM; -1 = none */
	void   *map;		/* the file mapped by http_spool_data */
	size_t	maplen;
	const char *dir;	/* where temp files go; NULL = memory only */
	atomic_size_t *used;	/* bytes of all bodies in flight */
	size_t	budget;		/* the most *used may reach */
	size_t	counted;	/* this spool's part of *used */
};

enum { HTTP_SPOOL_OK = 0, HTTP_SPOOL_FULL = 1, HTTP_SPOOL_FAIL = -1 };

void	http_spool_init(struct http_spool *s, const char *dir,
	    atomic_size_t *used, size_t budget);
/* Append n bytes: HTTP_SPOOL_OK, HTTP_SPOOL_FULL (the budget would be
 * passed: nothing appended) or HTTP_SPOOL_FAIL (memory, disk). */
int	http_spool_add(struct http_spool *s, const void *data, size_t n);
/* The whole body as one NUL-terminated buffer valid until
 * http_spool_free, with its length in *ret_len; NULL when empty or on
 * failure (*ret_len 0). */
const char *http_spool_data(struct http_spool *s, size_t *ret_len);
/* Free memory, unmap and close the file, give the bytes back to the
 * budget. */
void	http_spool_free(struct http_spool *s);

#endif /* HTTP_SPOOL_H */
