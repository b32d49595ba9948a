/* src/base/util.h — the few helpers every layer needs once: the element
 * count of an array, the 64-bit FNV-1a hash (ETags, hash tables, the demo's
 * seeds) and the monotonic clock for durations. Pure, thread-safe. */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>
#include <stdint.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* FNV-1a, 64 bits: start with UTIL_FNV1A_BASIS (the hash of ""), feed any
 * number of pieces; util_fnv1a returns the hash after len more bytes. */
#define UTIL_FNV1A_BASIS 0xcbf29ce484222325ULL
uint64_t util_fnv1a(uint64_t h, const void *p, size_t len);
/* The same for a NUL-terminated string. */
uint64_t util_fnv1a_str(uint64_t h, const char *s);

/* CLOCK_MONOTONIC: only differences mean anything (durations, TTLs). */
/* A whole file of at most max bytes as a NUL-terminated string (length in
 * *ret_len). NULL on failure with *ret_opened telling whether the file
 * could be opened at all (errno says why not); the caller words the error. */
char   *util_read_file(const char *path, size_t max, size_t *ret_len,
	    int *ret_opened);

double	util_mono_s(void);
/* CPU time of the calling thread in seconds (utime + stime). */
double	util_thread_cpu_s(void);
long long util_mono_ms(void);

#endif /* UTIL_H */
