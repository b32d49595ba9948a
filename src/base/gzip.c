/* src/base/gzip.c — zlib for the HTTP edge: api.c compresses text
 * responses (JSON, CSV, HTML, SVG, JS, CSS) when the client accepts gzip.
 * The only module that includes <zlib.h>. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "base/gzip.h"

/* zlib level 4: on the dashboard JSON within a few per cent of level 6's
 * size at well under its CPU (bench/http.sh measures both sides). */
#define GZIP_LEVEL 4
/* windowBits 15 + 16: a gzip header and trailer instead of zlib's. */
#define GZIP_WBITS (15 + 16)

/* q-value of one "coding;q=0.5" element: 1 without a q parameter, 0 for
 * q=0 (also "0.0", "0.000"). */
static int
q_positive(const char *params, size_t n)
{
	const char *q = NULL;

	for (size_t i = 0; i + 1 < n; i++)
		if ((params[i] == 'q' || params[i] == 'Q') && params[i + 1] == '=')
			q = params + i + 2;
	if (q == NULL)
		return 1;
	for (; q < params + n && (*q == '0' || *q == '.'); q++)
		;
	return q < params + n && *q >= '1' && *q <= '9';
}

int
gzip_accepted(const char *ae)
{
	int	gzip = -1, star = -1; /* -1 absent, 0 refused, 1 accepted */

	for (const char *p = ae; p != NULL && *p;) {
		size_t	n, tl;

		p += strspn(p, " \t,");
		n = strcspn(p, ",");
		tl = strcspn(p, "; \t,");
		if ((tl == 4 && strncasecmp(p, "gzip", 4) == 0) ||
		    (tl == 6 && strncasecmp(p, "x-gzip", 6) == 0))
			gzip = q_positive(p + tl, n - tl);
		else if (tl == 1 && *p == '*')
			star = q_positive(p + tl, n - tl);
		p += n;
	}
	/* An explicit gzip entry wins over the wildcard. */
	return gzip >= 0 ? gzip : star > 0;
}

unsigned char *
gzip_compress(const void *data, size_t len, size_t *ret_len)
{
	z_stream z;
	unsigned char *out = NULL;
	uLong	bound;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, GZIP_LEVEL, Z_DEFLATED, GZIP_WBITS, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	/* deflateBound covers the gzip wrapper once windowBits asks for it,
	 * so one call to deflate with Z_FINISH always completes. */
	bound = deflateBound(&z, (uLong)len);
	if (len > (size_t)UINT32_MAX || (out = malloc(bound)) == NULL)
		goto fail;
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)bound;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END || z.total_out >= len)
		goto fail;
	*ret_len = z.total_out;
	deflateEnd(&z);
	return out;
fail:
	free(out);
	deflateEnd(&z);
	return NULL;
}

unsigned char *
gzip_inflate(const void *data, size_t len, size_t max, size_t *ret_len)
{
	z_stream z;
	unsigned char *out = malloc(max + 1);
	int	rc;

	memset(&z, 0, sizeof(z));
	if (out == NULL || len > (size_t)UINT32_MAX || max > (size_t)UINT32_MAX ||
	    inflateInit2(&z, GZIP_WBITS) != Z_OK) {
		free(out);
		return NULL;
	}
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)max + 1;
	rc = inflate(&z, Z_FINISH);
	inflateEnd(&z);
	if (rc != Z_STREAM_END || z.total_out > max) {
		free(out);
		return NULL;
	}
	*ret_len = z.total_out;
	return out;
}
