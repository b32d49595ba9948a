/* src/store/store.c — the derived time series in RRD files (design §3): ingest
 * appends or rebuilds them after a ledger commit, chart graphs them. The
 * only module that includes <rrd.h>; every librrd call holds st->mu. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stddef.h>
#include <pthread.h>
/* For the file format's structs (rrd_format.h), which store_check reads;
 * none of the deprecated functions it also declares is used. */
#define RRD_EXPORT_DEPRECATED
#include <rrd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_part.h"

/* Calendar periods on RRD's fixed step (pitfalls.md: a step is fixed
 * seconds, "1M" is 31 days). Each period kind gets one row per period: the
 * step is the kind's mean Gregorian length and period k of the kind,
 * counted from 1970's first, is the row ending at (k + 1) * step. Row
 * times stay within three days of the calendar (months) or less, close
 * enough for chart axes, and a period never shares a row with another —
 * one row per value instead of one per day (issue 13: 35 KB per monthly
 * file became about 2 KB). */
#define MEAN_MONTH	2629746LL	/* 365.2425 days / 12, in seconds */
#define STORE_EPOCH	1970		/* slot 0: the first period of 1970 */
#define HEADROOM_YEARS	5		/* rows beyond the current period */

long long
store_step(enum period_kind kind)
{
	return MEAN_MONTH * period_months(kind);
}

/* The row ("slot") of a period: periods of its kind since 1970. */
long long
store_slot(const struct period *p)
{
	struct period epoch = { p->kind, STORE_EPOCH, 1 };

	return (long long)period_ordinal(p) - period_ordinal(&epoch);
}

static struct period
period_of_slot(enum period_kind kind, long long slot)
{
	struct period epoch = { kind, STORE_EPOCH, 1 };

	return period_from_ordinal(kind, period_ordinal(&epoch) + (int)slot);
}

/* End of a period's row: where its value is written. */
long long
store_slot_end(const struct period *p)
{
	return (store_slot(p) + 1) * store_step(p->kind);
}

/* The first slot the catalogue's 'sinds' ("2015", "2015-01") covers, or
 * -1 when it is missing or unreadable. */
static long long
sinds_slot(const struct indicator *ind)
{
	struct period p;
	struct err err = { "" };

	if (ind->sinds[0] == '\0' || period_parse(ind->sinds, &p, &err) == -1)
		return -1;
	p = period_at(ind->periode, period_start(&p));
	return store_slot(&p);
}

void
store_window(const struct indicator *ind, const struct period *first,
    const struct period *last, long long now, struct store_window *ret)
{
	struct period cur = period_at(ind->periode, now);
	long long s = sinds_slot(ind), a = store_slot(first), b = store_slot(last);

	ret->step = store_step(ind->periode);
	ret->first = s >= 1 && s < a ? s : a;
	if (store_slot(&cur) > b)
		b = store_slot(&cur);
	ret->rows = b - ret->first + 1 +
	    HEADROOM_YEARS * (12 / period_months(ind->periode));
}

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

/* librrd's message; some failures (a write hitting a full disk) leave
 * none but errno (issue 13: the log said "onbekende fout"). */
int
store_rrd_fail(struct err *err, const char *what, const char *path)
{
	const char *e = rrd_get_error();
	int	saved = errno;

	if (e != NULL && *e)
		return err_set(err, "rrd: %s %s: %s", what, path, e);
	return err_set(err, "rrd: %s %s: %s", what, path, saved ?
	    strerror(saved) : "librrd gaf geen reden");
}

/* The rrd_create_r arguments of a file with nds data sources and rows
 * rows: argv points into ds and rra. The heartbeat is two steps: a value
 * written at its row's end after an unknown at its start covers one step
 * (build_updates), so a missing period is a gap, never a stretched value.
 * Returns argc. */
static int
create_argv(const char *const *names, int nds, long long step,
    long long rows, char (*ds)[96], char *rra, size_t rsize,
    const char **argv)
{
	int	argc = 0;

	for (int i = 0; i < nds; i++) {
		snprintf(ds[i], 96, "DS:%s:GAUGE:%lld:U:U", names[i], 2 * step);
		argv[argc++] = ds[i];
	}
	snprintf(rra, rsize, "RRA:AVERAGE:0.5:1:%lld", rows);
	argv[argc++] = rra;
	return argc;
}

/* Create an empty file with nds data sources over window w: its first
 * update may be at the end of the window's first row. Caller holds st->mu. */
static int
create_ds_locked(const char *path, const char *const *names, int nds,
    const struct store_window *w, struct err *err)
{
	char	ds[STORE_BAND_NDS][96], rra[64];
	const char *argv[STORE_BAND_NDS + 1];
	int	argc = create_argv(names, nds, w->step, w->rows, ds, rra,
	    sizeof(rra), argv);

	if (w->first < 1)
		return err_set(err, "perioden vóór %d passen niet in de "
		    "rrd-opslag", STORE_EPOCH + 1);
	rrd_clear_error();
	errno = 0;
	if (rrd_create_r(path, (unsigned long)w->step,
	    (time_t)(w->first * w->step), argc, argv) != 0)
		return store_rrd_fail(err, "aanmaken van", path);
	return 0;
}

void
store_create_args(const struct indicator *ind, const struct store_point *pts,
    size_t n, long long now, struct store_create_args *ret)
{
	int	nds = store_nds(ind);

	store_window(ind, &pts[0].periode, &pts[n - 1].periode, now,
	    &ret->window);
	ret->step = ret->window.step;
	ret->start = ret->window.first * ret->window.step;
	ret->argc = create_argv(ds_names[nds - 1], nds, ret->window.step,
	    ret->window.rows, ret->buf, ret->buf[nds], sizeof(ret->buf[nds]),
	    ret->argv);
}

void
store_format_entry(char *buf, long long t, const double *v, int nds)
{
	int	o = snprintf(buf, STORE_ENTRY, "%lld", t);

	/* %.17g round-trips a double exactly; NaN is RRD's unknown "U". */
	for (int i = 0; i < nds; i++)
		o += snprintf(buf + o, STORE_ENTRY - (size_t)o,
		    isnan(v[i]) ? ":U" : ":%.17g", v[i]);
}

/* Build the update arguments for pts after time last: each value at the
 * end of its row, preceded by an unknown at the row's start when the
 * previous period is missing (else RRD would see one interval longer than
 * the heartbeat and lose the value too). Returns the count or -1. */
static int
build_updates(const struct pts_view *pts, size_t n, long long last,
    char (*ent)[STORE_ENTRY], const char **argv, struct err *err)
{
	static const double unknown[STORE_BAND_NDS] = { NAN, NAN, NAN, NAN,
		NAN, NAN, NAN };
	int	argc = 0, nds = pts->nds;

	for (size_t i = 0; i < n; i++) {
		const struct period *p = view_period(pts, i);
		long long e = store_slot_end(p), s = e - store_step(p->kind);

		if (e <= last)
			return err_set(err, "punten niet oplopend of overlappend");
		if (s > last) {
			store_format_entry(ent[argc], s, unknown, nds);
			argv[argc] = ent[argc];
			argc++;
		}
		store_format_entry(ent[argc], e, view_v(pts, i), nds);
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
	errno = 0;
	if (rrd_update_r(path, NULL, argc, argv) != 0) {
		store_rrd_fail(err, "bijwerken van", path);
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

/* Create path over the window of pts and write them. Caller holds st->mu. */
static int
create_and_fill_locked(const char *path, const struct indicator *ind,
    const char *const *names, const struct pts_view *w, size_t n,
    struct err *err)
{
	struct store_window win;

	store_window(ind, view_period(w, 0), view_period(w, n - 1),
	    (long long)time(NULL), &win);
	if (create_ds_locked(path, names, w->nds, &win, err) == -1)
		return -1;
	return update_locked(path, w, n, win.first * win.step, err);
}

/* 1 when appending up to time new_last would push a known value out of
 * the ring of rows (the oldest rows drop as new ones are written): the
 * caller then rebuilds over a wider window. Caller holds st->mu. */
static int
would_drop_locked(const char *path, long long step, long long last,
    long long new_last, struct err *err)
{
	time_t	first, start, end;
	unsigned long fstep = (unsigned long)step, nds = 0;
	char  **names = NULL;
	rrd_value_t *data = NULL;
	int	drop = 0;

	rrd_clear_error();
	if ((first = rrd_first_r(path, 0)) == -1)
		return store_rrd_fail(err, "lezen van", path);
	/* rows ending in [first, first + new_last - last) fall out */
	if (new_last - last <= 0)
		return 0;
	start = first - (time_t)step;
	end = first + (time_t)(new_last - last - step);
	if (rrd_fetch_r(path, "AVERAGE", &start, &end, &fstep, &nds, &names,
	    &data) != 0)
		return store_rrd_fail(err, "lezen van", path);
	for (unsigned long i = 0; i < nds; i++)
		rrd_freemem(names[i]);
	rrd_freemem(names);
	for (long i = 0; i < (long)((end - start) / (time_t)fstep) * (long)nds;
	    i++)
		drop |= !isnan(data[i]);
	rrd_freemem(data);
	return drop;
}

/* Caller holds st->mu. */
static int
append_locked(const char *path, const struct indicator *ind,
    const struct store_point *pts, size_t n, struct err *err)
{
	struct pts_view w = VIEW(pts, struct store_point, store_nds(ind));
	long long step = store_step(ind->periode), new_last;
	time_t	last;
	int	r;

	if (access(path, F_OK) == -1)
		return create_and_fill_locked(path, ind, ds_names[w.nds - 1],
		    &w, n, err);
	rrd_clear_error();
	if ((last = rrd_last_r(path)) == -1)
		return store_rrd_fail(err, "lezen van", path);
	/* a file of another layout (the daily rows before issue 13) or with
	 * data at or after the first point: the caller rebuilds it whole */
	if ((long long)last % step != 0 ||
	    (long long)last >= store_slot_end(&pts[0].periode))
		return 1;
	new_last = store_slot_end(&pts[n - 1].periode);
	if ((r = would_drop_locked(path, step, (long long)last, new_last,
	    err)) != 0)
		return r;
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

/* Write pts into path.tmp and rename() it over path: readers see the old
 * or the new file whole. Caller holds st->mu (band files are written by
 * request threads too and share the temp name). */
static int
replace_locked(const char *path, const struct indicator *ind,
    const char *const *names, const struct pts_view *w, size_t n,
    struct err *err)
{
	char	tmp[4200];
	int	rc = -1;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	unlink(tmp);
	if (create_and_fill_locked(tmp, ind, names, w, n, err) == 0)
		rc = 0;
	if (rc == 0 && rename(tmp, path) == -1)
		rc = err_set(err, "kan %s niet vervangen: %s", path,
		    strerror(errno));
	if (rc == -1)
		unlink(tmp);
	return rc;
}

int
store_rebuild(struct store *st, const char *gemeente,
    const struct indicator *ind, const struct store_point *pts, size_t n,
    struct err *err)
{
	struct pts_view w = VIEW(pts, struct store_point, store_nds(ind));
	char	path[4096];
	int	rc;

	if (n == 0)
		return err_set(err, "reeks %s/%s heeft geen waarden", gemeente,
		    ind->id);
	if (series_path(st, gemeente, ind->id, path, sizeof(path), err) == -1)
		return -1;
	pthread_mutex_lock(&st->mu);
	rc = replace_locked(path, ind, ds_names[w.nds - 1], &w, n, err);
	pthread_mutex_unlock(&st->mu);
	return rc;
}

/* ---- structure check (issue 13: truncated or overwritten files) ----
 * librrd's own header layout (rrd_format.h), read without librrd: the
 * fixed head, the definitions, the live head, the prep areas, the row
 * pointers and then rows x data sources doubles. */

/* Bytes a file with this head and these archives must have. */
static long long
expected_size(const stat_head_t *h, const rra_def_t *rra)
{
	long long n = (long long)sizeof(stat_head_t) +
	    (long long)(h->ds_cnt * sizeof(ds_def_t) +
	    h->rra_cnt * sizeof(rra_def_t) + sizeof(live_head_t) +
	    h->ds_cnt * sizeof(pdp_prep_t) +
	    h->ds_cnt * h->rra_cnt * sizeof(cdp_prep_t) +
	    h->rra_cnt * sizeof(rra_ptr_t));

	for (unsigned long i = 0; i < h->rra_cnt; i++)
		n += (long long)(rra[i].row_cnt * h->ds_cnt *
		    sizeof(rrd_value_t));
	return n;
}

/* The head and the one archive definition of fd against our layout. */
static int
check_head(int fd, long long size, int nds, long long step, struct err *err)
{
	stat_head_t h;
	rra_def_t rra;
	off_t	at = (off_t)(sizeof(h) + (size_t)nds * sizeof(ds_def_t));

	if (pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    memcmp(h.cookie, RRD_COOKIE, 4) != 0 ||
	    h.float_cookie != FLOAT_COOKIE)
		return err_set(err, "heeft geen leesbare RRD-kop");
	if (memcmp(h.version, RRD_VERSION3, 5) != 0 || h.rra_cnt != 1 ||
	    h.ds_cnt != (unsigned long)nds ||
	    h.pdp_step != (unsigned long)step)
		return err_set(err, "heeft een andere indeling (stap %lu s, %lu "
		    "bronnen, %lu archieven)", h.pdp_step, h.ds_cnt, h.rra_cnt);
	if (pread(fd, &rra, sizeof(rra), at) != (ssize_t)sizeof(rra) ||
	    rra.row_cnt == 0 || rra.row_cnt > 100000 || rra.pdp_cnt != 1)
		return err_set(err, "heeft een onleesbare archiefdefinitie");
	if (expected_size(&h, &rra) != size)
		return err_set(err, "is %lld bytes, verwacht %lld (ingekort of "
		    "aangevuld)", size, expected_size(&h, &rra));
	return 0;
}

int
store_check(struct store *st, const char *gemeente,
    const struct indicator *ind, struct err *err)
{
	char	path[4096];
	struct stat sb;
	int	fd, rc;

	if (store_path(st, gemeente, ind->id, path, sizeof(path)) == -1)
		return err_set(err, "ongeldige reeks %s/%s", gemeente,
		    ind->id);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 && errno == ENOENT)
		return err_set(err, "ontbreekt");
	if (fd == -1)
		return err_set(err, "is niet te openen: %s", strerror(errno));
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode))
		rc = err_set(err, "is geen gewoon bestand");
	else
		rc = check_head(fd, (long long)sb.st_size, store_nds(ind),
		    store_step(ind->periode), err);
	close(fd);
	return rc;
}

int
store_window_of(struct store *st, const char *gemeente,
    const struct indicator *ind, struct period *ret_first,
    struct period *ret_last, struct err *err)
{
	long long step = store_step(ind->periode);
	char	path[4096];
	time_t	first, last;

	if (store_path(st, gemeente, ind->id, path, sizeof(path)) == -1)
		return err_set(err, "ongeldige reeks %s/%s", gemeente,
		    ind->id);
	pthread_mutex_lock(&st->mu);
	rrd_clear_error();
	first = rrd_first_r(path, 0);
	last = first == -1 ? -1 : rrd_last_r(path);
	if (last == -1)
		store_rrd_fail(err, "lezen van", path);
	pthread_mutex_unlock(&st->mu);
	if (last == -1)
		return -1;
	/* rrd_first is the end of the oldest row kept */
	*ret_first = period_of_slot(ind->periode, (long long)first / step - 1);
	*ret_last = period_of_slot(ind->periode, (long long)last / step - 1);
	return 0;
}

int
store_remove(struct store *st, const char *gemeente, const char *indicator,
    struct err *err)
{
	char	path[4096];
	int	rc = 0;

	if (store_path(st, gemeente, indicator, path, sizeof(path)) == -1)
		return err_set(err, "ongeldige reeks %s/%s", gemeente,
		    indicator);
	pthread_mutex_lock(&st->mu);
	if (unlink(path) == -1 && errno != ENOENT)
		rc = err_set(err, "kan %s niet verwijderen: %s", path,
		    strerror(errno));
	pthread_mutex_unlock(&st->mu);
	return rc;
}

/* Fetch [start, end] at the kind's step. Caller holds st->mu. */
static int
fetch_locked(const char *path, long long want, time_t *start, time_t *end,
    unsigned long *ret_nds, rrd_value_t **ret_data, struct err *err)
{
	unsigned long step = (unsigned long)want, nds = 0;
	char  **names = NULL;

	rrd_clear_error();
	if (rrd_fetch_r(path, "AVERAGE", start, end, &step, &nds, &names,
	    ret_data) != 0)
		return store_rrd_fail(err, "lezen van", path);
	for (unsigned long i = 0; i < nds; i++)
		rrd_freemem(names[i]);
	rrd_freemem(names);
	if ((long long)step != want) {
		rrd_freemem(*ret_data);
		*ret_data = NULL;
		return err_set(err, "rrd: %s heeft stap %lu, verwacht %lld "
		    "(oude indeling: basisctl rebuild)", path, step, want);
	}
	*ret_nds = nds;
	return 0;
}

/* A period's value is its row: rows cover (t - step, t], the first one
 * returned ends at start + step. */
static void
pick_values(const struct pts_view *out, size_t count,
    const struct period *from, time_t start, time_t end, unsigned long nds,
    const rrd_value_t *data)
{
	long long step = store_step(from->kind);
	long	rows = (long)((end - start) / step);
	long long first = start / step;

	for (size_t i = 0; i < count; i++) {
		struct period *p = view_period(out, i);
		double *v = view_v(out, i);
		long	row;

		*p = period_of_slot(from->kind, store_slot(from) + (long long)i);
		for (int k = 0; k < out->nds; k++)
			v[k] = NAN;
		row = (long)(store_slot(p) - first);
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
	long long step = store_step(from->kind);
	time_t	start = (time_t)(store_slot(from) * step), end = (time_t)store_slot_end(to);
	unsigned long nds = 0;
	rrd_value_t *data = NULL;
	int	count = period_ordinal(to) - period_ordinal(from) + 1, rc;

	*ret = NULL;
	*ret_n = 0;
	if ((shape.base = calloc((size_t)count, shape.stride)) == NULL)
		return err_set(err, "onvoldoende geheugen");
	pthread_mutex_lock(&st->mu);
	rc = fetch_locked(path, step, &start, &end, &nds, &data, err);
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
	char	path[4096], dir[4200];
	int	rc;

	if (n == 0)
		return err_set(err, "band %s/%s heeft geen waarden", groep,
		    ind->id);
	if (store_band_path(st, groep, ind->id, path, sizeof(path)) == -1)
		return err_set(err, "ongeldige band %s/%s", groep, ind->id);
	snprintf(dir, sizeof(dir), "%s/_band/%s", st->dir, groep);
	if (make_dirs(dir, err) == -1)
		return -1;
	pthread_mutex_lock(&st->mu);
	rc = replace_locked(path, ind, band_ds_names, &w, n, err);
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

/* The period_end of the newest period in a file of ind's layout. */
static int
last_of(struct store *st, const char *path, const struct indicator *ind,
    long long *ret, struct err *err)
{
	long long step = store_step(ind->periode);
	struct period p;
	time_t	last;

	pthread_mutex_lock(&st->mu);
	rrd_clear_error();
	last = rrd_last_r(path);
	if (last == -1)
		store_rrd_fail(err, "lezen van", path);
	pthread_mutex_unlock(&st->mu);
	if (last == -1)
		return -1;
	p = period_of_slot(ind->periode, (long long)last / step - 1);
	*ret = period_end(&p);
	return 0;
}

int
store_last(struct store *st, const char *gemeente,
    const struct indicator *ind, long long *ret, struct err *err)
{
	char	path[4096];

	if (store_path(st, gemeente, ind->id, path, sizeof(path)) == -1)
		return err_set(err, "ongeldige reeks %s/%s", gemeente,
		    ind->id);
	return last_of(st, path, ind, ret, err);
}

int
store_band_last(struct store *st, const char *groep,
    const struct indicator *ind, long long *ret, struct err *err)
{
	char	path[4096];

	if (store_band_path(st, groep, ind->id, path, sizeof(path)) == -1)
		return err_set(err, "ongeldige band %s/%s", groep, ind->id);
	return last_of(st, path, ind, ret, err);
}

