/* bench/rrd_raw.c — the raw-library side of bench/ingest.sh: the series of
 * the given feeds written with librrd alone, one rrd_create_r and ONE
 * batched rrd_update_r per file, in store.c's layout (its exported
 * arguments). Parsing and validation use the core and are not timed; the
 * timed part is formatting the arguments and the librrd calls.
 * usage: rrd_raw CATALOGUS UITMAP FEED… — prints one line:
 * "raw: <reeksen> reeksen, <waarden> waarden, <s> s, <waarden/s> waarden/s" */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <rrd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "input/catalog.h"
#include "input/feed.h"
#include "input/register.h"
#include "base/report.h"
#include "store/store.h"
#include "input/validate.h"

struct series {
	char	gemeente[8];
	const struct indicator *ind;
	struct store_point *pts;
	size_t	n;
};

struct all {
	struct series *s;
	size_t	n, cap;
	size_t	values;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *
slurp(const char *path, size_t *ret_len)
{
	FILE   *fp = fopen(path, "rb");
	char   *buf = NULL;
	long	len;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0 || (buf = malloc((size_t)len + 1)) ==
	    NULL || fread(buf, 1, (size_t)len, fp) != (size_t)len) {
		free(buf);
		buf = NULL;
	} else {
		*ret_len = (size_t)len;
	}
	if (fp != NULL)
		fclose(fp);
	return buf;
}

static int
cmp_obs(const void *a, const void *b)
{
	const struct obs *x = a, *y = b;
	int	c = strcmp(x->gemeente, y->gemeente);

	if (c == 0)
		c = strcmp(x->indicator, y->indicator);
	return c ? c : period_cmp(&x->periode, &y->periode);
}

/* Append the series of one validated feed (obs sorted) to all. */
static int
add_series(struct all *all, const struct catalog *cat, const struct obs *obs,
    size_t n)
{
	for (size_t i = 0, j; i < n; i = j) {
		struct series *s;

		for (j = i; j < n && strcmp(obs[j].gemeente, obs[i].gemeente) ==
		    0 && strcmp(obs[j].indicator, obs[i].indicator) == 0; j++)
			;
		if (all->n == all->cap) {
			size_t	cap = all->cap ? 2 * all->cap : 1024;
			struct series *p = realloc(all->s, cap * sizeof(*p));

			if (p == NULL)
				return -1;
			all->s = p;
			all->cap = cap;
		}
		s = &all->s[all->n++];
		snprintf(s->gemeente, sizeof(s->gemeente), "%s", obs[i].gemeente);
		s->ind = catalog_find(cat, obs[i].indicator);
		s->n = j - i;
		if (s->ind == NULL ||
		    (s->pts = calloc(s->n, sizeof(*s->pts))) == NULL)
			return -1;
		for (size_t k = 0; k < s->n; k++) {
			const struct obs *o = &obs[i + k];
			int	comp = catalog_has_components(s->ind);

			s->pts[k].periode = o->periode;
			s->pts[k].v[0] = comp ? o->teller : o->waarde;
			s->pts[k].v[1] = comp ? o->noemer : (double)NAN;
		}
		all->values += s->n;
	}
	return 0;
}

static int
load_feed(struct all *all, const struct catalog *cat, const struct reg *reg,
    const char *path)
{
	struct validate_opts vo = { 0, NULL, 0, 0, 0 };
	struct validate_result res = { 0 };
	struct feed_limits lim = { 0, 0 };
	struct report rep;
	struct feed_table *t = NULL;
	size_t	len = 0;
	char   *data = slurp(path, &len);
	int	rc = -1;

	report_init(&rep, path);
	if (data == NULL || (t = feed_parse(data, len, &lim, &rep)) == NULL ||
	    validate_feed(t, cat, reg, &vo, &res, &rep) == -1 ||
	    report_count(&rep) > 0) {
		fprintf(stderr, "rrd_raw: %s: niet leesbaar of niet geldig\n",
		    path);
		goto out;
	}
	qsort(res.obs, res.n, sizeof(*res.obs), cmp_obs);
	rc = add_series(all, cat, res.obs, res.n);
out:
	validate_result_free(&res);
	feed_free(t);
	report_free(&rep);
	free(data);
	return rc;
}

/* The timed part: create and fill one file per series. */
static int
write_series(const char *dir, const struct series *s)
{
	struct store_create_args ca;
	struct store_update_args ua;
	struct err err = { "" };
	char	path[4096];
	int	rc = -1;

	snprintf(path, sizeof(path), "%s/%s/%s.rrd", dir, s->gemeente,
	    s->ind->id);
	store_create_args(s->ind, s->pts, s->n, (long long)time(NULL), &ca);
	if (store_update_args(s->ind, s->pts, s->n, ca.start, &ua, &err) == -1) {
		fprintf(stderr, "rrd_raw: %s: %s\n", path, err.msg);
		return -1;
	}
	rrd_clear_error();
	if (rrd_create_r(path, (unsigned long)ca.step, (time_t)ca.start, ca.argc,
	    ca.argv) != 0 || rrd_update_r(path, NULL, ua.argc, ua.argv) != 0)
		fprintf(stderr, "rrd_raw: %s: %s\n", path, rrd_get_error());
	else
		rc = 0;
	store_update_args_clear(&ua);
	return rc;
}

int
main(int argc, char **argv)
{
	struct err err = { "" };
	struct catalog *cat = NULL;
	struct reg *reg = NULL;
	struct all all = { 0 };
	char	dir[4096];
	double	t0, secs;
	int	rc = 1;

	if (argc < 4) {
		fprintf(stderr, "gebruik: rrd_raw CATALOGUS UITMAP FEED…\n");
		return 2;
	}
	if ((cat = catalog_load(argv[1], &err)) == NULL ||
	    (reg = register_load(argv[1], &err)) == NULL) {
		fprintf(stderr, "rrd_raw: %s\n", err.msg);
		goto out;
	}
	for (int i = 3; i < argc; i++)
		if (load_feed(&all, cat, reg, argv[i]) == -1)
			goto out;
	/* Directories are not part of the library's work: make them first. */
	for (size_t i = 0; i < all.n; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", argv[2], all.s[i].gemeente);
		if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
			fprintf(stderr, "rrd_raw: %s: %s\n", dir, strerror(errno));
			goto out;
		}
	}
	t0 = now_s();
	for (size_t i = 0; i < all.n; i++)
		if (write_series(argv[2], &all.s[i]) == -1)
			goto out;
	secs = now_s() - t0;
	printf("raw: %zu reeksen, %zu waarden, %.2f s, %.0f waarden/s\n", all.n,
	    all.values, secs, (double)all.values / secs);
	rc = 0;
out:
	for (size_t i = 0; i < all.n; i++)
		free(all.s[i].pts);
	free(all.s);
	register_free(reg);
	catalog_free(cat);
	return rc;
}
