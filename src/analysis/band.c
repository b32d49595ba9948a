/* src/analysis/band.c — group bands (design §3): after an ingest, the published
 * cross-sections of the touched indicators are compared per group
 * (compare_eval) and written as band files through the store, which the
 * chart module reads beside the gemeente's own series. */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/band.h"
#include "base/log.h"

struct band {
	pthread_mutex_t mu;
	char	(*dirty)[64];	/* indicator ids, unique */
	size_t	n, cap;
};

/* ---- the dirty set ---- */

struct band *
band_new(void)
{
	struct band *b = calloc(1, sizeof(*b));

	if (b != NULL && pthread_mutex_init(&b->mu, NULL) != 0) {
		free(b);
		return NULL;
	}
	return b;
}

void
band_free(struct band *b)
{
	if (b == NULL)
		return;
	pthread_mutex_destroy(&b->mu);
	free(b->dirty);
	free(b);
}

/* Caller holds b->mu. Returns 0 or -1 when out of memory. */
static int
mark_locked(struct band *b, const char *indicator)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->dirty[i], indicator) == 0)
			return 0;
	if (b->n == b->cap) {
		size_t	cap = b->cap ? 2 * b->cap : 16;
		char	(*d)[64] = realloc(b->dirty, cap * sizeof(*d));
		if (d == NULL)
			return -1;
		b->dirty = d;
		b->cap = cap;
	}
	snprintf(b->dirty[b->n++], sizeof(b->dirty[0]), "%s", indicator);
	return 0;
}

void
band_mark_indicator(struct band *b, const char *indicator)
{
	pthread_mutex_lock(&b->mu);
	if (mark_locked(b, indicator) == -1)
		log_err("band: onvoldoende geheugen, %s niet bijgewerkt",
		    indicator);
	pthread_mutex_unlock(&b->mu);
}

void
band_mark(struct band *b, const struct ledger_commit *commit)
{
	for (size_t i = 0; i < commit->ntouched; i++)
		band_mark_indicator(b, commit->touched[i].indicator);
}

size_t
band_ndirty(struct band *b)
{
	size_t	n;

	pthread_mutex_lock(&b->mu);
	n = b->n;
	pthread_mutex_unlock(&b->mu);
	return n;
}

/* ---- groups ---- */

static void
groups_free(struct compare_groep *g, size_t n)
{
	for (size_t i = 0; g != NULL && i < n; i++)
		compare_groep_free(&g[i]);
	free(g);
}

/* Resolve every standard group (members filled). */
static int
standard_resolve(const struct reg *reg, struct compare_groep **ret,
    size_t *ret_n, struct err *err)
{
	char	(*ids)[QUERY_GROEP_ID] = NULL;
	struct compare_groep *g = NULL;
	size_t	n = 0, done = 0;
	int	rc = -1;

	if (query_standard_groups(reg, &ids, &n, err) == -1)
		return -1;
	if ((g = calloc(n ? n : 1, sizeof(*g))) == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto fail;
	}
	for (; done < n; done++)
		if (compare_groep_resolve(reg, ids[done], &g[done], err) == -1)
			goto fail;
	*ret = g;
	*ret_n = n;
	g = NULL;
	rc = 0;
fail:
	groups_free(g, done);
	free(ids);
	return rc;
}

/* ---- computing a band ---- */

/* What one period's group comparison needs: the cross-section indexed by
 * register row, and a cell buffer. */
struct work {
	const struct reg *reg;
	const struct indicator *ind;
	struct query_xsec x;		/* the period's cross-section */
};

/* The band values of group g for the cross-section x: the published
 * comparison of the read model, as the API shows it. */
static int
group_point(const struct work *w, const struct query_xsec *x,
    const struct compare_groep *g, struct store_band_point *pt,
    struct err *err)
{
	struct compare_result res;

	if (query_eval(w->reg, w->ind, g->leden, g->n, x, &res, err) == -1)
		return err_prefix(err, "band %s/%s: ", g->id, w->ind->id);
	pt->v[STORE_BAND_N] = (double)res.npct;
	for (int k = 0; k < COMPARE_NPCT; k++)
		pt->v[STORE_BAND_P10 + k] = res.pct[k];
	/* waarde is NaN already when the aggregate had to be suppressed */
	pt->v[STORE_BAND_AGG] = res.n > 0 ? res.waarde : NAN;
	compare_result_free(&res);
	return 0;
}

/* Read the cross-section of period p into w->x (the previous one freed). */
static int
load_cross(const struct query_src *src, struct work *w,
    const struct period *p, struct err *err)
{
	free(w->x.v);
	return query_xsec_load(src, w->ind, p, &w->x, err);
}

/* The read model over an ingest's writer connection. */
static struct query_src
ctx_src(const struct ingest_ctx *ctx)
{
	return (struct query_src){ .led = ctx->led, .cat = ctx->cat,
		.reg = ctx->reg, .store = ctx->store, .pub = ctx->pub,
		.mem = ctx->mem };
}

/* Fill pts[g * np + t] for every group g and period t. */
static int
compute(const struct query_src *src, struct work *w,
    const struct period *per,
    size_t np, const struct compare_groep *g, size_t ng,
    struct store_band_point *pts, struct err *err)
{
	for (size_t t = 0; t < np; t++) {
		int	rc = load_cross(src, w, &per[t], err);

		for (size_t i = 0; rc == 0 && i < ng; i++) {
			pts[i * np + t].periode = per[t];
			rc = group_point(w, &w->x, &g[i], &pts[i * np + t],
			    err);
		}
		if (rc == -1)
			return -1;
	}
	return 0;
}

static int
cmp_period_gm(const void *a, const void *b)
{
	const struct compare_period *x = a, *y = b;
	int	c = period_cmp(&x->periode, &y->periode);

	return c != 0 ? c : strcmp(x->gemeente, y->gemeente);
}

/* Every member's series of g (the indicator's own periods) in one array
 * ordered by period, then gemeente: the run of a period is the members'
 * cross-section of that period, as query_xsec_load would give it (the
 * same values, marked by disclosure control as a cross-section is). */
static int
member_values(const struct query_src *src, const struct indicator *ind,
    const struct compare_groep *g, struct compare_period **ret,
    size_t *ret_n, struct err *err)
{
	struct compare_period *all = NULL, *grown;
	size_t	n = 0;

	for (size_t i = 0; i < g->n; i++) {
		struct query_series s;

		if (query_series_load(src, ind,
		    src->reg->gemeenten[g->leden[i]].code, ind->periode, &s,
		    err) == -1)
			goto fail;
		if ((grown = realloc(all, (n + s.n + 1) * sizeof(*all))) ==
		    NULL) {
			query_series_free(&s);
			err_set(err, "onvoldoende geheugen");
			goto fail;
		}
		all = grown;
		if (s.n > 0)
			memcpy(all + n, s.v, s.n * sizeof(*all));
		n += s.n;
		query_series_free(&s);
	}
	if (n > 0)
		qsort(all, n, sizeof(*all), cmp_period_gm);
	*ret = all;
	*ret_n = n;
	return 0;
fail:
	free(all);
	return -1;
}

/* Fill pts[t] of one group from its members' values (member_values), per
 * period of per (ascending, as ledger_periods gives them). */
static int
compute_members(const struct work *w, const struct period *per, size_t np,
    const struct compare_groep *g, struct compare_period *all, size_t n,
    struct store_band_point *pts, struct err *err)
{
	size_t	at = 0;

	for (size_t t = 0; t < np; t++) {
		struct query_xsec x = { 0 };

		while (at < n && period_cmp(&all[at].periode, &per[t]) < 0)
			at++;
		x.v = all + at;
		while (at + x.n < n && period_cmp(&all[at + x.n].periode,
		    &per[t]) == 0)
			x.n++;
		pts[t].periode = per[t];
		if (group_point(w, &x, g, &pts[t], err) == -1)
			return -1;
	}
	return 0;
}

/* The points of groups g[0..ng) over the periods per. One group (a peer
 * band: 11 gemeenten) reads its members' series, a thirtieth of the rows
 * of a cross-section per period; several read each cross-section once. */
static int
band_points(const struct query_src *src, struct work *w,
    const struct period *per, size_t np, const struct compare_groep *g,
    size_t ng, struct store_band_point *pts, struct err *err)
{
	struct compare_period *all = NULL;
	size_t	n = 0;
	int	rc;

	if (ng > 1 || g->n * 4 > src->reg->n)
		return compute(src, w, per, np, g, ng, pts, err);
	if (member_values(src, w->ind, g, &all, &n, err) == -1)
		return -1;
	rc = compute_members(w, per, np, g, all, n, pts, err);
	free(all);
	return rc;
}

/* Compute and write the bands of ind for the groups g[0..ng), over every
 * period the ledger holds for ind. */
static int
write_bands(const struct query_src *src, const struct indicator *ind,
    const struct compare_groep *g, size_t ng, struct err *err)
{
	struct work w = { src->reg, ind, { 0 } };
	struct period *per = NULL;
	struct store_band_point *pts = NULL;
	size_t	np = 0;
	int	rc = -1;

	if (query_read_periods(src, ind->id, &per, &np, err) == -1)
		return -1;
	if (np == 0 || ng == 0) {
		rc = 0;
		goto fail;
	}
	if ((pts = calloc(ng * np, sizeof(*pts))) == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto fail;
	}
	if (band_points(src, &w, per, np, g, ng, pts, err) == -1)
		goto fail;
	for (size_t i = 0; i < ng; i++)
		if (store_band_write(src->store, g[i].id, ind, pts + i * np, np,
		    err) == -1)
			goto fail;
	rc = 0;
fail:
	free(per);
	free(w.x.v);
	free(pts);
	return rc;
}

int
band_indicator(struct ingest_ctx *ctx, const struct indicator *ind,
    struct err *err)
{
	struct compare_groep *g = NULL;
	size_t	ng = 0;
	int	rc;

	if (standard_resolve(ctx->reg, &g, &ng, err) == -1)
		return -1;
	struct query_src src = ctx_src(ctx);

	rc = write_bands(&src, ind, g, ng, err);
	groups_free(g, ng);
	return rc;
}

static int
update_by_id(struct ingest_ctx *ctx, const char *id, struct err *err)
{
	const struct indicator *ind = catalog_find(ctx->cat, id);

	/* An indicator dropped from the catalogue by a reload: its data stays
	 * in the ledger but nothing shows it. */
	if (ind == NULL)
		return 0;
	return band_indicator(ctx, ind, err);
}

int
band_flush(struct band *b, struct ingest_ctx *ctx, struct err *err)
{
	char	(*ids)[64];
	size_t	n;
	int	rc = 0;

	pthread_mutex_lock(&b->mu);
	ids = b->dirty;
	n = b->n;
	b->dirty = NULL;
	b->n = b->cap = 0;
	pthread_mutex_unlock(&b->mu);
	for (size_t i = 0; i < n; i++) {
		struct err e = { "" };
		if (update_by_id(ctx, ids[i], &e) == 0)
			continue;
		if (rc == 0 && err != NULL)
			*err = e;
		rc = -1;
		band_mark_indicator(b, ids[i]);
	}
	free(ids);
	return rc;
}

/* ---- after one ingest: only the periods and groups a feed changed ---- */

/* Index of p in the sorted per[0..np), or np. */
static size_t
find_period(const struct period *per, size_t np, const struct period *p)
{
	size_t	lo = 0, hi = np;

	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;
		int	c = period_cmp(&per[mid], p);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return np;
}

/* The group's stored band laid over per[0..np); -1 when it cannot be
 * read (missing file: the caller rebuilds the group whole). */
static int
existing(struct store *st, const struct indicator *ind,
    const struct compare_groep *g, const struct period *per, size_t np,
    struct store_band_point *pts)
{
	struct store_band_point *bp = NULL;
	size_t	bn = 0;
	int	base = period_ordinal(&per[0]);

	if (!store_band_exists(st, g->id, ind->id) || store_band_read(st,
	    g->id, ind, &per[0], &per[np - 1], &bp, &bn, NULL) == -1)
		return -1;
	for (size_t t = 0; t < np; t++) {
		size_t	k = (size_t)(period_ordinal(&per[t]) - base);
		pts[t] = bp[k];
		pts[t].periode = per[t];
	}
	free(bp);
	return 0;
}

/* What one indicator's update works on. */
struct delta {
	struct ingest_ctx *ctx;
	struct query_src src;	/* ctx_src(ctx) */
	const struct indicator *ind;
	struct period *per;
	size_t	np;
	char   *touched;		/* per period */
	char   *whole;			/* per affected group: rebuilt whole */
	const struct compare_groep **aff;	/* groups holding a changed gemeente */
	size_t	naff;
	struct store_band_point *pts;	/* naff × np */
};

/* Groups with a changed gemeente and periods with a changed value. */
static void
delta_scope(struct delta *d, const struct compare_groep *g, size_t ng,
    const struct ledger_change *ch, size_t nch, char *row_changed)
{
	for (size_t i = 0; i < nch; i++) {
		long	row = query_active_row(d->ctx->reg, ch[i].gemeente);
		size_t	t = find_period(d->per, d->np, &ch[i].periode);
		if (row >= 0)
			row_changed[row] = 1;
		if (t < d->np)
			d->touched[t] = 1;
	}
	for (size_t i = 0; i < ng; i++)
		for (size_t j = 0; j < g[i].n; j++)
			if (row_changed[g[i].leden[j]]) {
				d->aff[d->naff++] = &g[i];
				break;
			}
}

/* Start from each affected group's stored band; a group without a
 * readable one is rebuilt whole now and marked in d->whole. */
static int
delta_load(struct delta *d, struct err *err)
{
	for (size_t i = 0; i < d->naff; i++) {
		if (existing(d->ctx->store, d->ind, d->aff[i], d->per, d->np,
		    d->pts + i * d->np) == 0)
			continue;
		d->whole[i] = 1;
		if (write_bands(&d->src, d->ind, d->aff[i], 1, err) == -1)
			return -1;
	}
	return 0;
}

/* Recompute the touched periods of the affected groups. */
static int
delta_compute(struct delta *d, struct err *err)
{
	struct work w = { d->ctx->reg, d->ind, { 0 } };
	int	rc = -1;

	for (size_t t = 0; t < d->np; t++) {
		int	ok = 0;
		if (!d->touched[t])
			continue;
		ok = load_cross(&d->src, &w, &d->per[t], err);
		for (size_t i = 0; ok == 0 && i < d->naff; i++)
			if (!d->whole[i])
				ok = group_point(&w, &w.x, d->aff[i],
				    &d->pts[i * d->np + t], err);
		if (ok == -1)
			goto fail;
	}
	rc = 0;
fail:
	free(w.x.v);
	return rc;
}

static int
delta_write(struct delta *d, struct err *err)
{
	for (size_t i = 0; i < d->naff; i++)
		if (!d->whole[i] && store_band_write(d->ctx->store,
		    d->aff[i]->id, d->ind, d->pts + i * d->np, d->np,
		    err) == -1)
			return -1;
	return 0;
}

static int
delta_run(struct delta *d, const struct compare_groep *g, size_t ng,
    const struct ledger_change *ch, size_t nch, struct err *err)
{
	char   *rows = calloc(d->ctx->reg->nactief + 1, 1);
	int	rc = -1;

	d->touched = calloc(d->np, 1);
	d->aff = calloc(ng + 1, sizeof(*d->aff));
	d->whole = calloc(ng + 1, 1);
	d->pts = calloc((ng + 1) * d->np, sizeof(*d->pts));
	if (rows == NULL || d->touched == NULL || d->aff == NULL ||
	    d->whole == NULL || d->pts == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto fail;
	}
	delta_scope(d, g, ng, ch, nch, rows);
	if (delta_load(d, err) == 0 && delta_compute(d, err) == 0 &&
	    delta_write(d, err) == 0)
		rc = 0;
fail:
	free(rows);
	free(d->touched);
	free(d->aff);
	free(d->whole);
	free(d->pts);
	return rc;
}

/* One indicator's changes ch[0..nch) of one feed. */
static int
update_changes(struct ingest_ctx *ctx, const struct compare_groep *g,
    size_t ng, const struct ledger_change *ch, size_t nch, struct err *err)
{
	struct delta d = { .ctx = ctx, .src = ctx_src(ctx) };
	int	rc;

	/* dropped from the catalogue by a reload: nothing shows it */
	if ((d.ind = catalog_find(ctx->cat, ch[0].indicator)) == NULL)
		return 0;
	if (query_read_periods(&d.src, d.ind->id, &d.per, &d.np, err) == -1)
		return -1;
	rc = d.np == 0 ? 0 : delta_run(&d, g, ng, ch, nch, err);
	free(d.per);
	return rc;
}

int
band_update(struct ingest_ctx *ctx, const struct ledger_commit *commit,
    struct err *err)
{
	struct ledger_change *ch = NULL;
	struct compare_groep *g = NULL;
	size_t	nch = 0, ng = 0;
	int	rc = -1;

	if (ledger_feed_changes(ctx->led, commit->feed_id, &ch, &nch,
	    err) == -1)
		return -1;
	if (nch > 0 && standard_resolve(ctx->reg, &g, &ng, err) == -1)
		goto fail;
	/* changes come sorted by indicator: one run per indicator */
	for (size_t i = 0, j; i < nch; i = j) {
		for (j = i + 1; j < nch && strcmp(ch[j].indicator,
		    ch[i].indicator) == 0; j++)
			;
		if (update_changes(ctx, g, ng, ch + i, j - i, err) == -1)
			goto fail;
	}
	rc = 0;
fail:
	groups_free(g, ng);
	free(ch);
	return rc;
}

void
band_hook(void *arg, struct ingest_ctx *ctx,
    const struct ledger_commit *commit)
{
	struct band *b = arg;
	struct err err = { "" };

	/* indicators left over from an earlier failure first, whole */
	if (band_ndirty(b) > 0 && band_flush(b, ctx, &err) == -1)
		log_err("groepsbanden niet bijgewerkt: %s", err.msg);
	if (band_update(ctx, commit, &err) == 0)
		return;
	log_err("groepsbanden niet bijgewerkt: %s", err.msg);
	band_mark(b, commit);
}

void
band_ingest_hook(void *arg, const struct ledger_commit *commit)
{
	band_mark(arg, commit);
}

int
band_rebuild_all(struct ingest_ctx *ctx, struct err *err)
{
	struct compare_groep *g = NULL;
	size_t	ng = 0;
	int	rc = 0;

	struct query_src src = ctx_src(ctx);

	if (standard_resolve(ctx->reg, &g, &ng, err) == -1)
		return -1;
	for (size_t i = 0; rc == 0 && i < ctx->cat->n; i++) {
		rc = write_bands(&src, &ctx->cat->items[i], g, ng, err);
		if (ctx->progress)
			ctx->progress(ctx->progress_arg, i + 1, ctx->cat->n);
	}
	groups_free(g, ng);
	return rc;
}

/* ---- peer groups ---- */

/* What a peer band was built from: the version of its data (see
 * band_ensure_at), k and the features. */
static void
peer_stamp(const struct query_src *src, long long version, char *buf,
    size_t size)
{
	size_t	o = (size_t)snprintf(buf, size, "versie %lld k %zu", version,
	    src->k);

	for (int i = 0; src->features && i < src->features->n && o < size;
	    i++)
		o += (size_t)snprintf(buf + o, size - o, " %s",
		    src->features->w[i]);
}

static int
stamp_path(const struct query_src *src, const char *groep,
    const struct indicator *ind, char *buf, size_t size)
{
	char	path[4096];

	if (store_band_path(src->store, groep, ind->id, path,
	    sizeof(path)) == -1)
		return -1;
	return (size_t)snprintf(buf, size, "%.*s.versie",
	    (int)(strlen(path) - 4), path) >= size ? -1 : 0;
}

/* 1 when the side file says the band is built from the current stamp. */
static int
stamp_current(const char *path, const char *stamp)
{
	char	buf[CONF_WORDS_MAX * CONF_WORD_SIZE + 64] = "";
	FILE   *fp = fopen(path, "r");
	size_t	n;

	if (fp == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return strcmp(buf, stamp) == 0;
}

static void
stamp_write(const char *path, const char *stamp)
{
	char	tmp[4300];
	FILE   *fp;

	/* per thread: request threads may stamp the same band at once */
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.%lu.tmp", path,
	    (unsigned long)pthread_self()) >= sizeof(tmp))
		return;
	if ((fp = fopen(tmp, "w")) == NULL)
		return;	/* only costs a rebuild next time */
	fputs(stamp, fp);
	if (fclose(fp) == 0)
		rename(tmp, path);
	else
		remove(tmp);
}

static int
ensure_peers(const struct query_src *src, const char *groep_id,
    const struct indicator *ind, long long version, struct err *err)
{
	struct compare_groep g;
	char	stamp[CONF_WORDS_MAX * CONF_WORD_SIZE + 64], side[4200];
	int	rc;

	if (stamp_path(src, groep_id, ind, side, sizeof(side)) == -1)
		return err_setk(err, ERR_NOT_FOUND,
		    "ongeldige groep '%s'", groep_id);
	peer_stamp(src, version, stamp, sizeof(stamp));
	if (store_band_exists(src->store, groep_id, ind->id) &&
	    stamp_current(side, stamp))
		return 0;
	if (query_group_members(src, groep_id, &g, err) == -1)
		return -1;
	rc = write_bands(src, ind, &g, 1, err);
	if (rc == 0 && store_band_exists(src->store, g.id, ind->id))
		stamp_write(side, stamp);
	compare_groep_free(&g);
	return rc;
}

int
band_ensure(const struct query_src *src, const char *groep_id,
    const struct indicator *ind, struct err *err)
{
	return band_ensure_at(src, groep_id, ind, ledger_data_version(src->led),
	    err);
}

int
band_ensure_at(const struct query_src *src, const char *groep_id,
    const struct indicator *ind, long long version, struct err *err)
{
	struct compare_groep g;
	int	rc;

	if (strncasecmp(groep_id, "vergelijkbaar-", 14) == 0) {
		char	id[QUERY_GROEP_ID];
		const struct gemeente *gm = register_find(src->reg,
		    groep_id + 14);
		if (gm == NULL)
			return err_set(err, "onbekende gemeente in '%s'",
			    groep_id);
		snprintf(id, sizeof(id), "vergelijkbaar-%s", gm->code);
		return ensure_peers(src, id, ind, version, err);
	}
	if (compare_groep_resolve(src->reg, groep_id, &g, err) == -1)
		return -1;
	rc = 0;
	if (!store_band_exists(src->store, g.id, ind->id))
		rc = write_bands(src, ind, &g, 1, err);
	compare_groep_free(&g);
	return rc;
}
