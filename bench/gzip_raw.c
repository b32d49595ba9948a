/* bench/gzip_raw.c — zlib itself on a response body, the raw-library side
 * of bench/http.sh's gzip figures: reads the body from stdin, deflates it
 * as basisd does (level 4, gzip wrapper) n times and prints the time per
 * compression in µs and the compressed size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

int
main(int argc, char **argv)
{
	int	n = argc > 1 ? atoi(argv[1]) : 300;
	size_t	len = 0, cap = 1 << 20, got;
	unsigned char *in = malloc(cap), *out;
	struct timespec t0, t1;
	uLong	bound, zlen = 0;

	while (in && (got = fread(in + len, 1, cap - len, stdin)) > 0)
		if ((len += got) == cap && (in = realloc(in, cap *= 2)) == NULL)
			break;
	if (in == NULL || n < 1)
		return 1;
	bound = compressBound((uLong)len) + 32;
	if ((out = malloc(bound)) == NULL)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++) {
		z_stream z;

		memset(&z, 0, sizeof(z));
		if (deflateInit2(&z, 4, Z_DEFLATED, 15 + 16, 8,
		    Z_DEFAULT_STRATEGY) != Z_OK)
			return 1;
		z.next_in = in;
		z.avail_in = (uInt)len;
		z.next_out = out;
		z.avail_out = (uInt)bound;
		if (deflate(&z, Z_FINISH) != Z_STREAM_END)
			return 1;
		zlen = z.total_out;
		deflateEnd(&z);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.1f %lu\n", ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
	    (double)(t1.tv_nsec - t0.tv_nsec)) / n / 1e3, zlen);
	free(in);
	free(out);
	return 0;
}
