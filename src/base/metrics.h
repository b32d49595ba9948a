/* src/base/metrics.h — the metrics registry behind /metrics (Prometheus
 * text format 0.0.4). Thread-safe: every function may run on any thread. */
#ifndef METRICS_H
#define METRICS_H

#include <stddef.h>

/* Metrics registry rendered by /metrics (Prometheus text format 0.0.4).
 * Requests are counted per route name, method and status code, with a
 * latency histogram per route and method; the process metrics (start time,
 * RSS, open fds) and basisd_build_info are always there. Other parts register their own counters: either a
 * counter here (metrics_counter + metrics_add), or a read function
 * for a counter a lower module keeps itself (cache hits, feeds accepted),
 * called at render time. All functions are thread-safe. */
struct metrics;

struct metrics *metrics_new(void);
void	metrics_free(struct metrics *m);	/* NULL is a no-op */
/* method: the request's; one not served by basisd counts as "other".
 * seconds: wall time; cpu_seconds: the handling thread's CPU time. */
void	metrics_observe(struct metrics *m, const char *route,
	    const char *method, int status, double seconds,
	    double cpu_seconds);
/* Register a counter (name like "basisd_feeds_accepted_total", help in
 * Dutch). Returns its id (>= 0) for metrics_add, or -1 when the name
 * is invalid or the registry is full. Registering a name again returns the
 * existing id. */
int	metrics_counter(struct metrics *m, const char *name,
	    const char *help);
void	metrics_add(struct metrics *m, int id, double v);
/* Register a value read at render time by fn(arg); type is "counter" or
 * "gauge". Returns 0 or -1. fn must be thread-safe. */
int	metrics_func(struct metrics *m, const char *name,
	    const char *help, const char *type, double (*fn)(void *arg),
	    void *arg);
/* The whole exposition text, malloc'd, or NULL when out of memory. */
char   *metrics_render(struct metrics *m, size_t *ret_len);

#endif /* METRICS_H */
