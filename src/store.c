/* src/store.c — the derived time series in RRD files (design §3): ingest
 * appends or rebuilds them after a ledger commit, chart graphs them. The
 * only module that includes <rrd.h>; every librrd call holds st->mu. */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <pthread.h>
#include <rrd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"

#define STORE_RRA_ROWS	4400	/* days kept, about 12 years */

/* Heartbeat per period kind: longer than the longest period, shorter than
 * two of the shortest, so one missing period turns into a gap instead of
 * the next value being stretched over it (pitfalls.md). */
static const long heartbeat_days[PERIOD_NKINDS] = {
	[PERIOD_MAAND] = 35,
	[PERIOD_KWARTAAL] = 100,
	[PERIOD_HALFJAAR] = 190,
	[PERIOD_JAAR] = 370,
};

static const char *const ds_names[2][2] = {
	{ "waarde", NULL },
	{ "teller", "noemer" },
};

struct store {
	char	dir[4096];
	pthread_mutex_t mu;	/* librrd is not thread-safe (graphing) */
};

/* mkdir -p for the part of path we may have to create. */
static int
make_dirs(const char *path, struct err *err)
{
	char	buf[4096];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return err_set(err, "pad te lang: %s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) == -1 && errno != EEXIST)
			return err_set(err, "kan map %s niet maken: %s", buf,
			    strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, 0755) == -1 && errno != EEXIST)
		return err_set(err, "kan map %s niet maken: %s", buf,
		    strerror(errno));
	return 0;
}

/* An interrupted rebuild leaves "<file>.tmp"; it is never valid data. */
static int
remove_tmp(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	size_t	n = strlen(path);

	(void)sb;
	(void)ftw;
	if (flag == FTW_F && n > 4 && strcmp(path + n - 4, ".tmp") == 0)
		unlink(path);
	return 0;
}

struct store *
store_open(const char *dir, struct err *err)
{
	struct store *st = calloc(1, sizeof(*st));

	if (st == NULL) {
		err_set(err, "onvoldoende geheugen");
		return NULL;
	}
	if (snprintf(st->dir, sizeof(st->dir), "%s", dir) >=
	    (int)sizeof(st->dir) - 64) {
		err_set(err, "pad te lang: %s", dir);
		goto fail;
	}
	if (make_dirs(dir, err) == -1)
		goto fail;
	if (nftw(dir, remove_tmp, 16, FTW_PHYS) == -1) {
		err_set(err, "kan map %s niet doorlopen: %s", dir,
		    strerror(errno));
		goto fail;
	}
	if (pthread_mutex_init(&st->mu, NULL) != 0) {
		err_set(err, "kan mutex niet maken");
		goto fail;
	}
	return st;
fail:
	free(st);
	return NULL;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	pthread_mutex_destroy(&st->mu);
	free(st);
}

int
store_nds(const struct indicator *ind)
{
	return catalog_has_components(ind) ? 2 : 1;
}

/* Names become path components: allow only GM + 4 digits and [a-z0-9_]. */
static int
valid_names(const char *gemeente, const char *indicator)
{
	if (strlen(gemeente) != 6 || strncmp(gemeente, "GM", 2) != 0 ||
	    strspn(gemeente + 2, "0123456789") != 4)
		return 0;
	return indicator[0] != '\0' &&
	    strspn(indicator, "abcdefghijklmnopqrstuvwxyz0123456789_") ==
	    strlen(indicator);
}

int
store_path(const struct store *st, const char *gemeente,
    const char *indicator, char *buf, size_t size)
{
	int	n;

	if (!valid_names(gemeente, indicator))
		return -1;
	n = snprintf(buf, size, "%s/%s/%s.rrd", st->dir, gemeente, indicator);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int
store_exists(const struct store *st, const char *gemeente,
    const char *indicator)
{
	char	path[4096];

	return store_path(st, gemeente, indicator, path, sizeof(path)) == 0 &&
	    access(path, F_OK) == 0;
}

/* Path of the series file, its directory created. */
static int
series_path(struct store *st, const char *gemeente, const char *indicator,
    char *buf, size_t size, struct err *err)
{
	char	dir[4096];

	if (store_path(st, gemeente, indicator, buf, size) == -1)
		return err_set(err, "ongeldige reeks %s/%s", gemeente,
		    indicator);
	if (snprintf(dir, sizeof(dir), "%s/%s", st->dir, gemeente) >=
	    (int)sizeof(dir))
		return err_set(err, "pad te lang: %s", st->dir);
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		return err_set(err, "kan map %s niet maken: %s", dir,
		    strerror(errno));
	return 0;
}

static int
rrd_fail(struct err *err, const char *what, const char *path)
{
	const char *e = rrd_get_error();

	return err_set(err, "rrd: %s %s: %s", what, path,
	    e && *e ? e : "onbekende fout");
}

void
store_create_args(const struct indicator *ind, const struct store_point *first,
    struct store_create_args *ret)
{
	int	nds = store_nds(ind);

	ret->start = period_start(&first->periode) - 1;
	ret->argc = 0;
	for (int i = 0; i < nds; i++) {
		snprintf(ret->buf[i], sizeof(ret->buf[i]), "DS:%s:GAUGE:%ld:U:U",
		    ds_names[nds - 1][i], heartbeat_days[ind->periode] *
		    STORE_STEP);
		ret->argv[ret->argc++] = ret->buf[i];
	}
	snprintf(ret->buf[nds], sizeof(ret->buf[nds]), "RRA:AVERAGE:0.5:1:%d",
	    STORE_RRA_ROWS);
	ret->argv[ret->argc++] = ret->buf[nds];
}

/* Create an empty file whose first update may be after the first point's
 * period start. Caller holds st->mu. */
static int
create_locked(const char *path, const struct indicator *ind,
    const struct store_point *first, struct err *err)
{
	struct store_create_args a;

	store_create_args(ind, first, &a);
	rrd_clear_error();
	if (rrd_create_r(path, STORE_STEP, (time_t)a.start, a.argc,
	    a.argv) != 0)
		return rrd_fail(err, "aanmaken van", path);
	return 0;
}

static void
format_entry(char *buf, long long t, const double *v, int nds)
{
	int	o = snprintf(buf, STORE_ENTRY, "%lld", t);

	/* %.17g round-trips a double exactly; NaN is RRD's unknown "U". */
	for (int i = 0; i < nds; i++)
		o += snprintf(buf + o, STORE_ENTRY - (size_t)o,
		    isnan(v[i]) ? ":U" : ":%.17g", v[i]);
}

/* Build the update arguments for pts after time last: each value at its
 * period_end, preceded by an unknown at period_start when the previous
 * period is missing (else RRD would see one interval longer than the
 * heartbeat and lose the value too). Returns the count or -1. */
static int
build_updates(const struct store_point *pts, size_t n, int nds,
    long long last, char (*ent)[STORE_ENTRY], const char **argv,
    struct err *err)
{
	static const double unknown[2] = { NAN, NAN };
	int	argc = 0;

	for (size_t i = 0; i < n; i++) {
		long long s = period_start(&pts[i].periode);
		long long e = period_end(&pts[i].periode);

		if (e <= last)
			return err_set(err, "punten niet oplopend of overlappend");
		if (s > last) {
			format_entry(ent[argc], s, unknown, nds);
			argv[argc] = ent[argc];
			argc++;
		}
		format_entry(ent[argc], e, pts[i].v, nds);
		argv[argc] = ent[argc];
		argc++;
		last = e;
	}
	return argc;
}

int
store_update_args(const struct indicator *ind, const struct store_point *pts,
    size_t n, long long last, struct store_update_args *ret, struct err *err)
{
	memset(ret, 0, sizeof(*ret));
	ret->buf = malloc(2 * (n ? n : 1) * sizeof(*ret->buf));
	ret->argv = malloc(2 * (n ? n : 1) * sizeof(*ret->argv));
	if (ret->buf == NULL || ret->argv == NULL) {
		store_update_args_clear(ret);
		return err_set(err, "onvoldoende geheugen");
	}
	ret->argc = build_updates(pts, n, store_nds(ind), last, ret->buf,
	    ret->argv, err);
	if (ret->argc == -1) {
		store_update_args_clear(ret);
		return -1;
	}
	return 0;
}

void
store_update_args_clear(struct store_update_args *u)
{
	free(u->buf);
	free(u->argv);
	memset(u, 0, sizeof(*u));
}

/* One batched rrd_update_r with every point (pitfalls: ~25x faster than
 * one call per value). Caller holds st->mu. */
static int
update_locked(const char *path, const struct indicator *ind,
    const struct store_point *pts, size_t n, long long last, struct err *err)
{
	struct store_update_args u;
	int	rc = 0;

	if (store_update_args(ind, pts, n, last, &u, err) == -1)
		return -1;
	rrd_clear_error();
	if (rrd_update_r(path, NULL, u.argc, u.argv) != 0)
		rc = rrd_fail(err, "bijwerken van", path);
	store_update_args_clear(&u);
	return rc;
}

static long long
first_start(const struct store_point *pts)
{
	return period_start(&pts[0].periode) - 1;
}

/* Caller holds st->mu. */
static int
append_locked(const char *path, const struct indicator *ind,
    const struct store_point *pts, size_t n, struct err *err)
{
	time_t	last;

	if (access(path, F_OK) == -1) {
		if (create_locked(path, ind, pts, err) == -1)
			return -1;
		return update_locked(path, ind, pts, n, first_start(pts), err);
	}
	rrd_clear_error();
	if ((last = rrd_last_r(path)) == -1)
		return rrd_fail(err, "lezen van", path);
	if ((long long)last >= period_end(&pts[0].periode))
		return 1;
	return update_locked(path, ind, pts, n, (long long)last, err);
}

int
store_append(struct store *st, const char *gemeente,
    const struct indicator *ind, const struct store_point *pts, size_t n,
    struct err *err)
{
	char	path[4096];
	int	rc;

	if (n == 0)
		return 0;
	if (series_path(st, gemeente, ind->id, path, sizeof(path), err) == -1)
		return -1;
	pthread_mutex_lock(&st->mu);
	rc = append_locked(path, ind, pts, n, err);
	pthread_mutex_unlock(&st->mu);
	return rc;
}

int
store_rebuild(struct store *st, const char *gemeente,
    const struct indicator *ind, const struct store_point *pts, size_t n,
    struct err *err)
{
	char	path[4096], tmp[4200];
	int	rc = -1;

	if (n == 0)
		return err_set(err, "reeks %s/%s heeft geen waarden", gemeente,
		    ind->id);
	if (series_path(st, gemeente, ind->id, path, sizeof(path), err) == -1)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	pthread_mutex_lock(&st->mu);
	unlink(tmp);
	if (create_locked(tmp, ind, pts, err) == 0 &&
	    update_locked(tmp, ind, pts, n, first_start(pts), err) == 0)
		rc = 0;
	pthread_mutex_unlock(&st->mu);
	/* rename() is atomic: readers see the old or the new file whole. */
	if (rc == 0 && rename(tmp, path) == -1)
		rc = err_set(err, "kan %s niet vervangen: %s", path,
		    strerror(errno));
	if (rc == -1)
		unlink(tmp);
	return rc;
}

/* Fetch [start, end] at the daily resolution. Caller holds st->mu. */
static int
fetch_locked(const char *path, time_t *start, time_t *end,
    unsigned long *ret_nds, rrd_value_t **ret_data, struct err *err)
{
	unsigned long step = STORE_STEP, nds = 0;
	char  **names = NULL;

	rrd_clear_error();
	if (rrd_fetch_r(path, "AVERAGE", start, end, &step, &nds, &names,
	    ret_data) != 0)
		return rrd_fail(err, "lezen van", path);
	for (unsigned long i = 0; i < nds; i++)
		rrd_freemem(names[i]);
	rrd_freemem(names);
	if (step != STORE_STEP) {
		rrd_freemem(*ret_data);
		*ret_data = NULL;
		return err_set(err, "rrd: %s heeft stap %lu, verwacht %d", path,
		    step, STORE_STEP);
	}
	*ret_nds = nds;
	return 0;
}

/* A period's value is the one of its first day: the row ending at
 * period_start + one step (rows cover (t - step, t]). */
static void
pick_values(struct store_point *out, size_t count, const struct period *from,
    time_t start, time_t end, unsigned long nds, const rrd_value_t *data)
{
	long	rows = (long)((end - start) / STORE_STEP);
	int	base = period_ordinal(from);

	for (size_t i = 0; i < count; i++) {
		struct store_point *p = &out[i];
		long	row;

		p->periode = period_from_ordinal(from->kind, base + (int)i);
		p->v[0] = p->v[1] = NAN;
		row = (long)((period_start(&p->periode) - start) / STORE_STEP);
		for (unsigned long k = 0; row >= 0 && row < rows && k < nds &&
		    k < 2; k++)
			p->v[k] = data[(size_t)row * nds + k];
	}
}

int
store_read(struct store *st, const char *gemeente,
    const struct indicator *ind, const struct period *from,
    const struct period *to, struct store_point **ret, size_t *ret_n,
    struct err *err)
{
	char	path[4096];
	time_t	start = (time_t)period_start(from), end = (time_t)period_end(to);
	unsigned long nds = 0;
	rrd_value_t *data = NULL;
	struct store_point *out = NULL;
	int	count = period_ordinal(to) - period_ordinal(from) + 1, rc;

	*ret = NULL;
	*ret_n = 0;
	if (from->kind != ind->periode || to->kind != ind->periode || count < 1)
		return err_set(err, "ongeldig bereik voor %s", ind->id);
	if (store_path(st, gemeente, ind->id, path, sizeof(path)) == -1)
		return err_set(err, "ongeldige reeks %s/%s", gemeente, ind->id);
	if ((out = calloc((size_t)count, sizeof(*out))) == NULL)
		return err_set(err, "onvoldoende geheugen");
	pthread_mutex_lock(&st->mu);
	rc = fetch_locked(path, &start, &end, &nds, &data, err);
	pthread_mutex_unlock(&st->mu);
	if (rc == -1) {
		free(out);
		return -1;
	}
	pick_values(out, (size_t)count, from, start, end, nds, data);
	rrd_freemem(data);
	*ret = out;
	*ret_n = (size_t)count;
	return 0;
}

/* Copy the "image" blob rrd_graph_v returns for the file name "-". */
static int
take_image(rrd_info_t *info, unsigned char **ret_img, size_t *ret_len,
    struct err *err)
{
	for (rrd_info_t *i = info; i != NULL; i = i->next) {
		if (i->type != RD_I_BLO || strcmp(i->key, "image") != 0)
			continue;
		if ((*ret_img = malloc(i->value.u_blo.size + 1)) == NULL)
			return err_set(err, "onvoldoende geheugen");
		memcpy(*ret_img, i->value.u_blo.ptr, i->value.u_blo.size);
		*ret_len = i->value.u_blo.size;
		return 0;
	}
	return err_set(err, "rrd: grafiek zonder afbeelding");
}

int
store_graph(struct store *st, int argc, const char **argv,
    unsigned char **ret_img, size_t *ret_len, struct err *err)
{
	const char **av = calloc((size_t)argc + 2, sizeof(*av));
	rrd_info_t *info = NULL;
	int	n = 0, rc = -1;

	*ret_img = NULL;
	*ret_len = 0;
	if (av == NULL)
		return err_set(err, "onvoldoende geheugen");
	av[n++] = "graph";
	av[n++] = "-";
	/* Callers pass options and elements; tolerate a leading "-". */
	for (int i = 1; i < argc; i++)
		if (i > 1 || strcmp(argv[i], "-") != 0)
			av[n++] = argv[i];
	pthread_mutex_lock(&st->mu);
	rrd_clear_error();
	/* librrd's argv is not const but its strings are not written; the
	 * array itself may be permuted by its option parser: ours is a copy. */
	info = rrd_graph_v(n, (char **)av);
	if (info == NULL)
		rrd_fail(err, "maken van", "grafiek");
	else
		rc = take_image(info, ret_img, ret_len, err);
	rrd_info_free(info);
	pthread_mutex_unlock(&st->mu);
	free(av);
	return rc;
}
