/* src/store/store.c — the derived time series in RRD files (design §3): ingest
 * appends or rebuilds them after a ledger commit, chart graphs them. The
 * only module that includes <rrd.h>; every librrd call holds st->mu. */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stddef.h>
#include <pthread.h>
#include <rrd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"

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

/* Band files (design §3): one per (group, indicator). */
static const char *const band_ds_names[STORE_BAND_NDS] = {
	"n", "p10", "p25", "p50", "p75", "p90", "agg",
};

/* A read-only or writable view of an array of points of either struct
 * (store_point, store_band_point), so one writer and one reader serve both
 * series and band files. */
struct pts_view {
	char   *base;
	size_t	stride;		/* sizeof the point struct */
	size_t	voff;		/* offsetof its double v[] */
	int	nds;		/* values used per point */
};

#define VIEW(arr, type, nds)	((struct pts_view){ (char *)(arr),	\
	sizeof(type), offsetof(type, v), (nds) })

static struct period *
view_period(const struct pts_view *w, size_t i)
{
	return (struct period *)(void *)(w->base + i * w->stride +
	    offsetof(struct store_point, periode));
}

static double *
view_v(const struct pts_view *w, size_t i)
{
	return (double *)(void *)(w->base + i * w->stride + w->voff);
}

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
valid_indicator(const char *indicator)
{
	return indicator[0] != '\0' &&
	    strspn(indicator, "abcdefghijklmnopqrstuvwxyz0123456789_") ==
	    strlen(indicator);
}

static int
valid_names(const char *gemeente, const char *indicator)
{
	if (strlen(gemeente) != 6 || strncmp(gemeente, "GM", 2) != 0 ||
	    strspn(gemeente + 2, "0123456789") != 4)
		return 0;
	return valid_indicator(indicator);
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

/* The rrd_create_r arguments of a file with nds data sources: argv points
 * into ds and rra. Returns argc. */
static int
create_argv(const char *const *names, int nds, enum period_kind periode,
    char (*ds)[96], char *rra, size_t rsize, const char **argv)
{
	int	argc = 0;

	for (int i = 0; i < nds; i++) {
		snprintf(ds[i], 96, "DS:%s:GAUGE:%ld:U:U", names[i],
		    heartbeat_days[periode] * STORE_STEP);
		argv[argc++] = ds[i];
	}
	snprintf(rra, rsize, "RRA:AVERAGE:0.5:1:%d", STORE_RRA_ROWS);
	argv[argc++] = rra;
	return argc;
}

/* Create an empty file with nds data sources whose first update may be at
 * start + 1. Caller holds st->mu. */
static int
create_ds_locked(const char *path, const char *const *names, int nds,
    enum period_kind periode, long long start, struct err *err)
{
	char	ds[STORE_BAND_NDS][96], rra[64];
	const char *argv[STORE_BAND_NDS + 1];
	int	argc = create_argv(names, nds, periode, ds, rra, sizeof(rra),
	    argv);

	rrd_clear_error();
	if (rrd_create_r(path, STORE_STEP, (time_t)start, argc, argv) != 0)
		return rrd_fail(err, "aanmaken van", path);
	return 0;
}

void
store_create_args(const struct indicator *ind, const struct store_point *first,
    struct store_create_args *ret)
{
	int	nds = store_nds(ind);

	ret->start = period_start(&first->periode) - 1;
	ret->argc = create_argv(ds_names[nds - 1], nds, ind->periode, ret->buf,
	    ret->buf[nds], sizeof(ret->buf[nds]), ret->argv);
}

static int
create_locked(const char *path, const struct indicator *ind,
    long long start, struct err *err)
{
	int	nds = store_nds(ind);

	return create_ds_locked(path, ds_names[nds - 1], nds, ind->periode,
	    start, err);
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
build_updates(const struct pts_view *pts, size_t n, long long last,
    char (*ent)[STORE_ENTRY], const char **argv, struct err *err)
{
	static const double unknown[STORE_BAND_NDS] = { NAN, NAN, NAN, NAN,
		NAN, NAN, NAN };
	int	argc = 0, nds = pts->nds;

	for (size_t i = 0; i < n; i++) {
		long long s = period_start(view_period(pts, i));
		long long e = period_end(view_period(pts, i));

		if (e <= last)
			return err_set(err, "punten niet oplopend of overlappend");
		if (s > last) {
			format_entry(ent[argc], s, unknown, nds);
			argv[argc] = ent[argc];
			argc++;
		}
		format_entry(ent[argc], e, view_v(pts, i), nds);
		argv[argc] = ent[argc];
		argc++;
		last = e;
	}
	return argc;
}

/* One batched rrd_update_r with every point (pitfalls: ~25x faster than
 * one call per value). Caller holds st->mu. */
static int
update_locked(const char *path, const struct pts_view *pts, size_t n,
    long long last, struct err *err)
{
	char	(*ent)[STORE_ENTRY] = malloc(2 * n * sizeof(*ent));
	const char **argv = malloc(2 * n * sizeof(*argv));
	int	argc, rc = -1;

	if (ent == NULL || argv == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto fail;
	}
	argc = build_updates(pts, n, last, ent, argv, err);
	if (argc == -1)
		goto fail;
	rrd_clear_error();
	if (rrd_update_r(path, NULL, argc, argv) != 0) {
		rrd_fail(err, "bijwerken van", path);
		goto fail;
	}
	rc = 0;
fail:
	free(ent);
	free(argv);
	return rc;
}

int
store_update_args(const struct indicator *ind, const struct store_point *pts,
    size_t n, long long last, struct store_update_args *ret, struct err *err)
{
	struct pts_view w = VIEW(pts, struct store_point, store_nds(ind));

	memset(ret, 0, sizeof(*ret));
	ret->buf = malloc(2 * (n ? n : 1) * sizeof(*ret->buf));
	ret->argv = malloc(2 * (n ? n : 1) * sizeof(*ret->argv));
	if (ret->buf == NULL || ret->argv == NULL) {
		store_update_args_clear(ret);
		return err_set(err, "onvoldoende geheugen");
	}
	if ((ret->argc = build_updates(&w, n, last, ret->buf, ret->argv,
	    err)) == -1) {
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
	struct pts_view w = VIEW(pts, struct store_point, store_nds(ind));
	time_t	last;

	if (access(path, F_OK) == -1) {
		if (create_locked(path, ind, first_start(pts), err) == -1)
			return -1;
		return update_locked(path, &w, n, first_start(pts), err);
	}
	rrd_clear_error();
	if ((last = rrd_last_r(path)) == -1)
		return rrd_fail(err, "lezen van", path);
	if ((long long)last >= period_end(&pts[0].periode))
		return 1;
	return update_locked(path, &w, n, (long long)last, err);
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
	struct pts_view w = VIEW(pts, struct store_point, store_nds(ind));
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
	if (create_locked(tmp, ind, first_start(pts), err) == 0 &&
	    update_locked(tmp, &w, n, first_start(pts), err) == 0)
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
pick_values(const struct pts_view *out, size_t count,
    const struct period *from, time_t start, time_t end, unsigned long nds,
    const rrd_value_t *data)
{
	long	rows = (long)((end - start) / STORE_STEP);
	int	base = period_ordinal(from);

	for (size_t i = 0; i < count; i++) {
		struct period *p = view_period(out, i);
		double *v = view_v(out, i);
		long	row;

		*p = period_from_ordinal(from->kind, base + (int)i);
		for (int k = 0; k < out->nds; k++)
			v[k] = NAN;
		row = (long)((period_start(p) - start) / STORE_STEP);
		for (unsigned long k = 0; row >= 0 && row < rows && k < nds &&
		    k < (unsigned long)out->nds; k++)
			v[k] = data[(size_t)row * nds + k];
	}
}

/* Read one point per period of [from, to] from path into a calloc'd array
 * of count points described by shape (base ignored). */
static int
read_points(struct store *st, const char *path, const struct period *from,
    const struct period *to, struct pts_view shape, void **ret,
    size_t *ret_n, struct err *err)
{
	time_t	start = (time_t)period_start(from), end = (time_t)period_end(to);
	unsigned long nds = 0;
	rrd_value_t *data = NULL;
	int	count = period_ordinal(to) - period_ordinal(from) + 1, rc;

	*ret = NULL;
	*ret_n = 0;
	if ((shape.base = calloc((size_t)count, shape.stride)) == NULL)
		return err_set(err, "onvoldoende geheugen");
	pthread_mutex_lock(&st->mu);
	rc = fetch_locked(path, &start, &end, &nds, &data, err);
	pthread_mutex_unlock(&st->mu);
	if (rc == -1) {
		free(shape.base);
		return -1;
	}
	pick_values(&shape, (size_t)count, from, start, end, nds, data);
	rrd_freemem(data);
	*ret = shape.base;
	*ret_n = (size_t)count;
	return 0;
}

static int
check_range(const struct indicator *ind, const struct period *from,
    const struct period *to, struct err *err)
{
	if (from->kind != ind->periode || to->kind != ind->periode ||
	    period_ordinal(to) < period_ordinal(from))
		return err_set(err, "ongeldig bereik voor %s", ind->id);
	return 0;
}

/* Read a series or band file: the range check, the path and the shape of
 * the points are all that differ between the two. */
static int
read_file(struct store *st, const char *path, int path_ok, const char *owner,
    const struct indicator *ind, const struct period *from,
    const struct period *to, struct pts_view shape, void **ret,
    size_t *ret_n, struct err *err)
{
	*ret = NULL;
	*ret_n = 0;
	if (check_range(ind, from, to, err) == -1)
		return -1;
	if (!path_ok)
		return err_set(err, "ongeldige reeks %s/%s", owner, ind->id);
	return read_points(st, path, from, to, shape, ret, ret_n, err);
}

int
store_read(struct store *st, const char *gemeente,
    const struct indicator *ind, const struct period *from,
    const struct period *to, struct store_point **ret, size_t *ret_n,
    struct err *err)
{
	char	path[4096];
	int	ok = store_path(st, gemeente, ind->id, path, sizeof(path)) == 0;

	return read_file(st, path, ok, gemeente, ind, from, to, VIEW(NULL,
	    struct store_point, 2), (void **)ret, ret_n, err);
}

/* ---- band files (design §3): _band/<groep>/<indicator>.rrd ---- */

/* Group ids become a path component: [A-Za-z0-9_-], not starting with
 * '-' (ids from compare_groep_resolve and groepen.ini section names). */
static int
valid_groep(const char *groep)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyz"
				 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
	size_t	n = strlen(groep);

	return n > 0 && n < 64 && groep[0] != '-' && strspn(groep, ok) == n;
}

int
store_band_path(const struct store *st, const char *groep,
    const char *indicator, char *buf, size_t size)
{
	int	n;

	if (!valid_groep(groep) || !valid_indicator(indicator))
		return -1;
	n = snprintf(buf, size, "%s/_band/%s/%s.rrd", st->dir, groep,
	    indicator);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int
store_band_exists(const struct store *st, const char *groep,
    const char *indicator)
{
	char	path[4096];

	return store_band_path(st, groep, indicator, path, sizeof(path)) ==
	    0 && access(path, F_OK) == 0;
}

int
store_band_write(struct store *st, const char *groep,
    const struct indicator *ind, const struct store_band_point *pts,
    size_t n, struct err *err)
{
	struct pts_view w = VIEW(pts, struct store_band_point, STORE_BAND_NDS);
	char	path[4096], dir[4200], tmp[4200];
	long long start;
	int	rc = -1;

	if (n == 0)
		return err_set(err, "band %s/%s heeft geen waarden", groep,
		    ind->id);
	if (store_band_path(st, groep, ind->id, path, sizeof(path)) == -1)
		return err_set(err, "ongeldige band %s/%s", groep, ind->id);
	snprintf(dir, sizeof(dir), "%s/_band/%s", st->dir, groep);
	if (make_dirs(dir, err) == -1)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	start = period_start(&pts[0].periode) - 1;
	pthread_mutex_lock(&st->mu);
	unlink(tmp);
	if (create_ds_locked(tmp, band_ds_names, STORE_BAND_NDS, ind->periode,
	    start, err) == 0 && update_locked(tmp, &w, n, start, err) == 0)
		rc = 0;
	/* Renamed under the mutex: band files are also written on demand by
	 * request threads (peer groups), which share the temp name. */
	if (rc == 0 && rename(tmp, path) == -1)
		rc = err_set(err, "kan %s niet vervangen: %s", path,
		    strerror(errno));
	if (rc == -1)
		unlink(tmp);
	pthread_mutex_unlock(&st->mu);
	return rc;
}

int
store_band_read(struct store *st, const char *groep,
    const struct indicator *ind, const struct period *from,
    const struct period *to, struct store_band_point **ret, size_t *ret_n,
    struct err *err)
{
	char	path[4096];
	int	ok = store_band_path(st, groep, ind->id, path, sizeof(path)) == 0;

	return read_file(st, path, ok, groep, ind, from, to, VIEW(NULL,
	    struct store_band_point, STORE_BAND_NDS), (void **)ret, ret_n, err);
}

static int
last_of(struct store *st, const char *path, long long *ret, struct err *err)
{
	time_t	last;

	pthread_mutex_lock(&st->mu);
	rrd_clear_error();
	last = rrd_last_r(path);
	if (last == -1)
		rrd_fail(err, "lezen van", path);
	pthread_mutex_unlock(&st->mu);
	*ret = (long long)last;
	return last == -1 ? -1 : 0;
}

int
store_last(struct store *st, const char *gemeente, const char *indicator,
    long long *ret, struct err *err)
{
	char	path[4096];

	if (store_path(st, gemeente, indicator, path, sizeof(path)) == -1)
		return err_set(err, "ongeldige reeks %s/%s", gemeente,
		    indicator);
	return last_of(st, path, ret, err);
}

int
store_band_last(struct store *st, const char *groep, const char *indicator,
    long long *ret, struct err *err)
{
	char	path[4096];

	if (store_band_path(st, groep, indicator, path, sizeof(path)) == -1)
		return err_set(err, "ongeldige band %s/%s", groep, indicator);
	return last_of(st, path, ret, err);
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

/* ---- Holt-Winters aberrant behaviour -------------------------------- */

#define HW_T0 1000000000L	/* arbitrary epoch of the scratch file */

/* The width of the confidence band can only be set after creation, with
 * rrd_tune (librrd's own option parser; we hold the mutex anyway). */
static int
hw_tune_locked(const char *path, double delta, struct err *err)
{
	char	d[32], p[4200];
	char   *argv[] = { "tune", p, "--deltapos", d, "--deltaneg", d, NULL };

	if (delta <= 0)
		return 0;
	snprintf(p, sizeof(p), "%s", path);
	snprintf(d, sizeof(d), "%g", delta);
	rrd_clear_error();
	if (rrd_tune(6, argv) != 0)
		return rrd_fail(err, "instellen van", path);
	return 0;
}

/* The five Holt-Winters archives spelled out, so threshold and window can
 * be chosen (the implicit FAILURES archive is fixed at 7 of 9). Indices
 * in the rra-num fields are 1-based: 1 AVERAGE, 2 HWPREDICT, 3 SEASONAL,
 * 4 DEVSEASONAL, 5 DEVPREDICT, 6 FAILURES. */
static int
hw_create_locked(const char *path, size_t n, const struct store_hw *hw,
    struct err *err)
{
	char	a[6][128];
	const char *argv[7] = { "DS:v:GAUGE:2:U:U" };

	snprintf(a[0], sizeof(a[0]), "RRA:AVERAGE:0.5:1:%zu", n);
	snprintf(a[1], sizeof(a[1]), "RRA:HWPREDICT:%zu:%g:%g:%d:3", n,
	    hw->alpha, hw->beta, hw->season);
	snprintf(a[2], sizeof(a[2]), "RRA:SEASONAL:%d:%g:2", hw->season,
	    hw->gamma);
	snprintf(a[3], sizeof(a[3]), "RRA:DEVSEASONAL:%d:%g:2", hw->season,
	    hw->gamma);
	snprintf(a[4], sizeof(a[4]), "RRA:DEVPREDICT:%zu:4", n);
	snprintf(a[5], sizeof(a[5]), "RRA:FAILURES:%zu:%d:%d:4", n,
	    hw->threshold, hw->window);
	for (int i = 0; i < 6; i++)
		argv[i + 1] = a[i];
	rrd_clear_error();
	if (rrd_create_r(path, 1, HW_T0, 7, argv) != 0)
		return rrd_fail(err, "aanmaken van", path);
	return hw_tune_locked(path, hw->delta, err);
}

/* One update per value at HW_T0 + i + 1, batched in one call. */
static int
hw_update_locked(const char *path, const double *v, size_t n,
    struct err *err)
{
	char	(*ent)[STORE_ENTRY] = malloc(n * sizeof(*ent));
	const char **argv = malloc(n * sizeof(*argv));
	int	rc = -1;

	if (ent == NULL || argv == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		format_entry(ent[i], HW_T0 + (long long)i + 1, &v[i], 1);
		argv[i] = ent[i];
	}
	rrd_clear_error();
	if (rrd_update_r(path, NULL, (int)n, argv) != 0) {
		rrd_fail(err, "bijwerken van", path);
		goto fail;
	}
	rc = 0;
fail:
	free(ent);
	free(argv);
	return rc;
}

static int
hw_fetch_locked(const char *path, size_t n, unsigned char *ret_flags,
    struct err *err)
{
	time_t	start = HW_T0, end = HW_T0 + (time_t)n;
	unsigned long step = 1, nds = 0;
	char  **names = NULL;
	rrd_value_t *data = NULL;

	rrd_clear_error();
	if (rrd_fetch_r(path, "FAILURES", &start, &end, &step, &nds, &names,
	    &data) != 0)
		return rrd_fail(err, "lezen van", path);
	for (unsigned long i = 0; i < nds; i++)
		rrd_freemem(names[i]);
	rrd_freemem(names);
	/* Rows cover (t - 1, t]: value i (at HW_T0 + i + 1) is row
	 * HW_T0 + i + 1 - start - 1 counted from start + step. */
	memset(ret_flags, 0, n);
	for (size_t i = 0; i < n; i++) {
		long	row = (long)(HW_T0 + (long)i + 1 - start) - 1;

		if (row >= 0 && (time_t)row < (end - start) && nds > 0 &&
		    data[row * (long)nds] > 0.5)
			ret_flags[i] = 1;
	}
	rrd_freemem(data);
	return 0;
}

int
store_aberrant(struct store *st, const double *v, size_t n,
    const struct store_hw *hw, unsigned char *ret_flags, struct err *err)
{
	char	path[4200];
	int	fd, rc = -1;

	if (hw->season < 2 || n < 2 * (size_t)hw->season || n > 100000)
		return err_set(err, "te weinig waarden voor Holt-Winters "
		    "(%zu, nodig: twee seizoenen van %d)", n, hw->season);
	/* Named *.tmp so store_open removes a file left by a crash. */
	snprintf(path, sizeof(path), "%s/hw-XXXXXX.tmp", st->dir);
	if ((fd = mkstemps(path, 4)) == -1)
		return err_set(err, "kan tijdelijk bestand in %s niet maken: %s",
		    st->dir, strerror(errno));
	close(fd);
	pthread_mutex_lock(&st->mu);
	if (hw_create_locked(path, n, hw, err) == 0 &&
	    hw_update_locked(path, v, n, err) == 0 &&
	    hw_fetch_locked(path, n, ret_flags, err) == 0)
		rc = 0;
	pthread_mutex_unlock(&st->mu);
	unlink(path);
	return rc;
}
