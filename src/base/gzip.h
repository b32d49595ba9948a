/* src/base/gzip.h — the one wrapper around zlib: gzip a response body and
 * read the client's Accept-Encoding. Pure: no I/O, no logging, no shared
 * state; thread-safe. */
#ifndef GZIP_H
#define GZIP_H

#include <stddef.h>

/* Bodies smaller than this are sent as they are: the gzip header and
 * trailer (18 bytes) and the CPU are not worth it. */
#define GZIP_MIN_SIZE 256

/* Does an Accept-Encoding header value accept gzip (RFC 9110 §12.5.3)?
 * "gzip", "x-gzip" or "*" with a q-value above 0; NULL = no. */
int	gzip_accepted(const char *accept_encoding);

/* len bytes at data as a gzip stream (RFC 1952) into a malloc'd buffer
 * and its length in *ret_len. Returns NULL when out of memory or when the
 * result would not be smaller than the input (then send it as it is). */
unsigned char *gzip_compress(const void *data, size_t len, size_t *ret_len);

/* Inflate a gzip stream (for tests and benchmarks): malloc'd buffer and
 * its length, or NULL for a corrupt stream or more than max bytes. */
unsigned char *gzip_inflate(const void *data, size_t len, size_t max,
	    size_t *ret_len);

#endif /* GZIP_H */
