/* bench/benchutil.h — the clock and the sort order the benchmark programs
 * share (header-only: the benchmarks are not part of the core library). */
#ifndef BENCHUTIL_H
#define BENCHUTIL_H

#include <stdlib.h>
#include <time.h>

/* Monotonic milliseconds. */
static inline double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* qsort order of doubles, for medians. */
static inline int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#endif /* BENCHUTIL_H */
