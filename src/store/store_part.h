/* src/store/store_part.h — private to the files of module store (store.c,
 * store_graph.c, store_hw.c). */
#ifndef STORE_PART_H
#define STORE_PART_H

#include <pthread.h>

#include "base/err.h"
#include "base/period.h"

struct store {
	char	dir[4096];
	pthread_mutex_t mu;	/* librrd is not thread-safe (graphing) */
};

/* The row ("slot") of a period: periods of its kind since 1970; the end
 * of that row in seconds (where its value is written). */
long long store_slot(const struct period *p);
long long store_slot_end(const struct period *p);
/* librrd's message for what failed on path; some failures (a write
 * hitting a full disk) leave none but errno. Returns -1. */
int	store_rrd_fail(struct err *err, const char *what, const char *path);

/* One "t:v:…" rrd_update argument (STORE_ENTRY bytes; NaN is "U"). */
void	store_format_entry(char *buf, long long t, const double *v, int nds);

#endif /* STORE_PART_H */
