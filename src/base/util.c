/* src/base/util.c — array count, FNV-1a and the monotonic clock: one copy
 * each instead of one per module. */
#include "config.h"

#include <string.h>
#include <time.h>

#include "base/util.h"

#define FNV1A_PRIME 0x100000001b3ULL

uint64_t
util_fnv1a(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * FNV1A_PRIME;
	return h;
}

uint64_t
util_fnv1a_str(uint64_t h, const char *s)
{
	return util_fnv1a(h, s, strlen(s));
}

double
util_mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

long long
util_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
