/* src/base/throttle.h — failed attempts per key ("naam:jan", "ip:10.0.0.1")
 * with exponential backoff, for the dashboard sign-in (issue 16: 30 wrong
 * passwords and then the right one were let in; 8 clients guessed 25
 * passwords a second). A key may fail `free` times; each further failure
 * makes it wait 1, 2, 4 … seconds (at most max_wait) before the next try
 * is even looked at. A key without failures for an hour is forgotten.
 *
 * The table is fixed in size (no growth under a flood of keys): when full,
 * the key whose last failure is oldest makes room. Thread-safe. */
#ifndef THROTTLE_H
#define THROTTLE_H

#include <stddef.h>

struct throttle;

/* slots: keys remembered at most; free: failures without waiting;
 * max_wait: the longest wait in seconds. NULL when out of memory. */
struct throttle *throttle_new(size_t slots, int free, long max_wait);
void	throttle_free(struct throttle *t);	/* NULL is a no-op */
/* Seconds key must still wait at time now (seconds, any epoch): 0 = it
 * may try. */
long	throttle_wait(struct throttle *t, const char *key, long long now);
/* Count a failure at now; returns the wait it causes (0 while free). */
long	throttle_fail(struct throttle *t, const char *key, long long now);
/* Forget key's failures (a successful sign-in). */
void	throttle_reset(struct throttle *t, const char *key);

#endif /* THROTTLE_H */
