/* src/base/throttle.c — failed attempts with exponential backoff in a
 * fixed table (see throttle.h). */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/throttle.h"
#include "base/util.h"

#define KEY_SIZE	96
#define PROBE		8	/* slots looked at per key */
#define FORGET_S	3600	/* failures older than this no longer count */

struct slot {
	char	key[KEY_SIZE];	/* "" = empty */
	int	fails;
	long long last;		/* time of the last failure */
	long long until;	/* no try before this */
};

struct throttle {
	pthread_mutex_t lock;
	struct slot *slots;
	size_t	n;
	int	free;
	long	max_wait;
};

struct throttle *
throttle_new(size_t slots, int free_, long max_wait)
{
	struct throttle *t = calloc(1, sizeof(*t));

	if (t == NULL || slots == 0 ||
	    (t->slots = calloc(slots, sizeof(*t->slots))) == NULL) {
		free(t);
		return NULL;
	}
	pthread_mutex_init(&t->lock, NULL);
	t->n = slots;
	t->free = free_;
	t->max_wait = max_wait;
	return t;
}

void
throttle_free(struct throttle *t)
{
	if (t == NULL)
		return;
	pthread_mutex_destroy(&t->lock);
	free(t->slots);
	free(t);
}

/* The slot of key (under the lock): its own; else, with create, an empty
 * one of its probe run or the one there whose last failure is oldest
 * (cleared for key); else NULL. */
static struct slot *
find(struct throttle *t, const char *key, long long now, int create)
{
	size_t	h = (size_t)(util_fnv1a_str(UTIL_FNV1A_BASIS, key) % t->n);
	struct slot *s, *empty = NULL, *stale = NULL;

	for (size_t i = 0; i < PROBE && i < t->n; i++) {
		s = &t->slots[(h + i) % t->n];
		if (s->key[0] == '\0') {
			if (empty == NULL)
				empty = s;
			continue;
		}
		if (strncmp(s->key, key, KEY_SIZE - 1) == 0) {
			if (now - s->last > FORGET_S)
				s->fails = 0, s->until = 0;
			return s;
		}
		if (stale == NULL || s->last < stale->last)
			stale = s;
	}
	if (!create)
		return NULL;
	s = empty != NULL ? empty : stale;
	memset(s, 0, sizeof(*s));
	strncpy(s->key, key, KEY_SIZE - 1);
	return s;
}

long
throttle_wait(struct throttle *t, const char *key, long long now)
{
	struct slot *s;
	long	w = 0;

	pthread_mutex_lock(&t->lock);
	if ((s = find(t, key, now, 0)) != NULL && s->until > now)
		w = (long)(s->until - now);
	pthread_mutex_unlock(&t->lock);
	return w;
}

long
throttle_fail(struct throttle *t, const char *key, long long now)
{
	struct slot *s;
	long	w = 0;
	int	over;

	pthread_mutex_lock(&t->lock);
	s = find(t, key, now, 1);
	s->fails++;
	s->last = now;
	if ((over = s->fails - t->free) > 0) {
		/* 1, 2, 4 … seconds; the shift is bounded before it can
		 * overflow. */
		w = over > 30 ? t->max_wait : 1L << (over - 1);
		if (w > t->max_wait)
			w = t->max_wait;
		s->until = now + w;
	}
	pthread_mutex_unlock(&t->lock);
	return w;
}

void
throttle_reset(struct throttle *t, const char *key)
{
	struct slot *s;

	pthread_mutex_lock(&t->lock);
	if ((s = find(t, key, 0, 0)) != NULL)
		memset(s, 0, sizeof(*s));
	pthread_mutex_unlock(&t->lock);
}
