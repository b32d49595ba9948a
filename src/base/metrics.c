/* src/base/metrics.c — the /metrics registry (Prometheus text format 0.0.4):
 * requests per route, method and status code with a latency histogram, the
 * process metrics Prometheus clients conventionally export, plus counters
 * and read-at-render values that other modules register. One mutex;
 * rendering works on a snapshot so read functions run outside the lock. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/metrics.h"
#include "base/util.h"

#define MET_ROUTES	64
#define MET_STATUSES	16
#define MET_EXTRA	64

/* Prometheus' default buckets plus 1 ms: most answers are sub-millisecond. */
static const double met_buckets[] = { 0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
	0.25, 0.5, 1, 2.5, 5, 10 };

struct met_route {
	char	name[64];
	char	method[8];
	int	status[MET_STATUSES];
	unsigned long long by_status[MET_STATUSES];
	size_t	nstatus;
	unsigned long long bucket[NELEM(met_buckets)];
	unsigned long long count;
	double	sum;
	double	cpu;		/* the handling thread's CPU seconds */
};

struct met_extra {
	char	name[96];
	char	help[192];
	char	type[8];
	double	value;
	double	(*fn)(void *arg);
	void   *arg;
};

struct metrics {
	pthread_mutex_t lock;
	double	start_time;	/* unix seconds, for process_start_time_seconds */
	struct met_route routes[MET_ROUTES];
	size_t	nroutes;
	struct met_extra extra[MET_EXTRA];
	size_t	nextra;
};

struct metrics *
metrics_new(void)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (m != NULL && pthread_mutex_init(&m->lock, NULL) != 0) {
		free(m);
		m = NULL;
	}
	if (m != NULL) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		m->start_time = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	}
	return m;
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	pthread_mutex_destroy(&m->lock);
	free(m);
}

/* The method label: the methods basisd serves, anything else "other" (a
 * client cannot invent label values). */
static const char *
met_method(const char *method)
{
	static const char *const known[] = { "GET", "HEAD", "POST", "PUT",
		"DELETE", "OPTIONS", "PATCH" };

	for (size_t i = 0; method != NULL && i < NELEM(known); i++)
		if (strcmp(method, known[i]) == 0)
			return known[i];
	return "other";
}

/* Called with the lock held. A full table folds new names into the last
 * slot, so a bug that invents route names cannot grow memory. */
static struct met_route *
met_route_find(struct metrics *m, const char *name, const char *method)
{
	struct met_route *r;

	for (size_t i = 0; i < m->nroutes; i++)
		if (strcmp(m->routes[i].name, name) == 0 &&
		    strcmp(m->routes[i].method, method) == 0)
			return &m->routes[i];
	if (m->nroutes == MET_ROUTES)
		return &m->routes[MET_ROUTES - 1];
	r = &m->routes[m->nroutes++];
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->method, sizeof(r->method), "%s", method);
	return r;
}

static void
met_route_status(struct met_route *r, int status)
{
	size_t	i;

	for (i = 0; i < r->nstatus; i++)
		if (r->status[i] == status)
			break;
	if (i == r->nstatus) {
		if (r->nstatus == MET_STATUSES)
			return;
		r->status[r->nstatus++] = status;
	}
	r->by_status[i]++;
}

void
metrics_observe(struct metrics *m, const char *route, const char *method,
    int status, double seconds, double cpu_seconds)
{
	struct met_route *r;

	if (m == NULL)
		return;
	pthread_mutex_lock(&m->lock);
	r = met_route_find(m, route, met_method(method));
	met_route_status(r, status);
	for (size_t i = 0; i < NELEM(met_buckets); i++)
		if (seconds <= met_buckets[i])
			r->bucket[i]++;
	r->count++;
	r->sum += seconds;
	r->cpu += cpu_seconds;
	pthread_mutex_unlock(&m->lock);
}

static int
met_name_ok(const char *s)
{
	if (s == NULL || !(isalpha((unsigned char)*s) || *s == '_'))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != ':')
			return 0;
	return 1;
}

/* Find or add an extra metric. Returns its index or -1. */
static int
met_extra_add(struct metrics *m, const char *name, const char *help,
    const char *type, double (*fn)(void *), void *arg)
{
	struct met_extra *e;
	int	id = -1;

	if (m == NULL || !met_name_ok(name) || strlen(name) >= sizeof(e->name))
		return -1;
	pthread_mutex_lock(&m->lock);
	for (size_t i = 0; i < m->nextra && id < 0; i++)
		if (strcmp(m->extra[i].name, name) == 0)
			id = (int)i;
	if (id < 0 && m->nextra < MET_EXTRA) {
		id = (int)m->nextra++;
		e = &m->extra[id];
		snprintf(e->name, sizeof(e->name), "%s", name);
		snprintf(e->help, sizeof(e->help), "%s", help ? help : "");
		snprintf(e->type, sizeof(e->type), "%s", type);
		e->fn = fn;
		e->arg = arg;
	}
	pthread_mutex_unlock(&m->lock);
	return id;
}

int
metrics_counter(struct metrics *m, const char *name, const char *help)
{
	return met_extra_add(m, name, help, "counter", NULL, NULL);
}

int
metrics_func(struct metrics *m, const char *name, const char *help,
    const char *type, double (*fn)(void *arg), void *arg)
{
	if (fn == NULL || type == NULL ||
	    (strcmp(type, "counter") != 0 && strcmp(type, "gauge") != 0))
		return -1;
	return met_extra_add(m, name, help, type, fn, arg) < 0 ? -1 : 0;
}

void
metrics_add(struct metrics *m, int id, double v)
{
	if (m == NULL || id < 0)
		return;
	pthread_mutex_lock(&m->lock);
	if ((size_t)id < m->nextra && m->extra[id].fn == NULL)
		m->extra[id].value += v;
	pthread_mutex_unlock(&m->lock);
}

static void
met_render_requests(const struct metrics *m, FILE *fp)
{
	fputs("# HELP basisd_http_requests_total HTTP-verzoeken per "
		   "route, methode en statuscode.\n"
		   "# TYPE basisd_http_requests_total counter\n", fp);
	for (size_t i = 0; i < m->nroutes; i++)
		for (size_t j = 0; j < m->routes[i].nstatus; j++)
			fprintf(fp, "basisd_http_requests_total{route=\"%s\","
			    "method=\"%s\",code=\"%d\"} %llu\n",
			    m->routes[i].name, m->routes[i].method,
			    m->routes[i].status[j], m->routes[i].by_status[j]);
}

static void
met_render_latency(const struct metrics *m, FILE *fp)
{
	static const char name[] = "basisd_http_request_duration_seconds";

	fprintf(fp, "# HELP %s Verwerkingstijd van HTTP-verzoeken per "
	    "route en methode.\n# TYPE %s histogram\n", name, name);
	for (size_t i = 0; i < m->nroutes; i++) {
		const struct met_route *r = &m->routes[i];

		for (size_t k = 0; k < NELEM(met_buckets); k++)
			fprintf(fp, "%s_bucket{route=\"%s\",method=\"%s\","
			    "le=\"%g\"} %llu\n", name, r->name, r->method,
			    met_buckets[k], r->bucket[k]);
		fprintf(fp, "%s_bucket{route=\"%s\",method=\"%s\","
		    "le=\"+Inf\"} %llu\n", name, r->name, r->method, r->count);
		fprintf(fp, "%s_sum{route=\"%s\",method=\"%s\"} %.9g\n",
		    name, r->name, r->method, r->sum);
		fprintf(fp, "%s_count{route=\"%s\",method=\"%s\"} %llu\n",
		    name, r->name, r->method, r->count);
	}
}

/* CPU rather than wall time: under load the wall time of a cheap route
 * holds the waits for the expensive ones, the CPU time says which routes
 * fill the cores. */
static void
met_render_cpu(const struct metrics *m, FILE *fp)
{
	static const char name[] = "basisd_http_request_cpu_seconds_total";

	fprintf(fp, "# HELP %s CPU-tijd van de verwerkende thread per route "
	    "en methode.\n# TYPE %s counter\n", name, name);
	for (size_t i = 0; i < m->nroutes; i++)
		fprintf(fp, "%s{route=\"%s\",method=\"%s\"} %.9g\n", name,
		    m->routes[i].name, m->routes[i].method, m->routes[i].cpu);
}

static void
met_render_extra(const struct metrics *m, FILE *fp)
{
	for (size_t i = 0; i < m->nextra; i++) {
		const struct met_extra *e = &m->extra[i];
		/* Read functions run on this snapshot, outside the lock. */
		double	v = e->fn ? e->fn(e->arg) : e->value;

		fprintf(fp, "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n",
		    e->name, e->help, e->name, e->type, e->name, v);
	}
}

/* Resident set size in bytes from /proc/self/statm, -1 when unreadable. */
static double
met_rss(void)
{
	unsigned long size, resident;
	FILE   *fp = fopen("/proc/self/statm", "r");
	int	n;

	if (fp == NULL)
		return -1;
	n = fscanf(fp, "%lu %lu", &size, &resident);
	fclose(fp);
	return n == 2 ? (double)resident * (double)sysconf(_SC_PAGESIZE) : -1;
}

/* Open file descriptors (entries of /proc/self/fd less the one reading it). */
static double
met_open_fds(void)
{
	DIR    *d = opendir("/proc/self/fd");
	struct dirent *e;
	double	n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;
}

/* The process metrics of the Prometheus client conventions, and the
 * build (a gauge of 1 whose label carries the version). */
static void
met_render_process(const struct metrics *m, FILE *fp)
{
	const struct {
		const char *name, *help;
		double	value;
	} gauges[] = {
		{ "process_start_time_seconds", "Starttijd van het proces "
		    "(Unix-tijd)", m->start_time },
		{ "process_resident_memory_bytes", "Geheugen in gebruik (RSS)",
		    met_rss() },
		{ "process_open_fds", "Open bestandsbeschrijvingen",
		    met_open_fds() },
	};

	for (size_t i = 0; i < NELEM(gauges); i++)
		if (gauges[i].value >= 0)
			fprintf(fp, "# HELP %s %s.\n# TYPE %s gauge\n%s %.17g\n",
			    gauges[i].name, gauges[i].help, gauges[i].name,
			    gauges[i].name, gauges[i].value);
	fprintf(fp, "# HELP basisd_build_info Versie van basisd.\n"
	    "# TYPE basisd_build_info gauge\n"
	    "basisd_build_info{version=\"%s\"} 1\n", PACKAGE_VERSION);
}

char *
metrics_render(struct metrics *m, size_t *ret_len)
{
	struct metrics *snap = malloc(sizeof(*snap));
	char   *data = NULL;
	size_t	len = 0;
	FILE   *fp;

	if (snap == NULL)
		return NULL;
	pthread_mutex_lock(&m->lock);
	memcpy(snap, m, sizeof(*snap));
	pthread_mutex_unlock(&m->lock);
	if ((fp = open_memstream(&data, &len)) != NULL) {
		met_render_requests(snap, fp);
		met_render_latency(snap, fp);
		met_render_cpu(snap, fp);
		met_render_process(snap, fp);
		met_render_extra(snap, fp);
		if (ferror(fp)) {
			fclose(fp);
			free(data);
			data = NULL;
		} else if (fclose(fp) != 0) {
			free(data);
			data = NULL;
		}
	}
	free(snap);
	if (data != NULL && ret_len != NULL)
		*ret_len = len;
	return data;
}
