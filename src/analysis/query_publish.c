/* src/analysis/query_publish.c — the read model's side of disclosure control
 * (domain §3.5): every series and cross-section query.c reads is marked with
 * what publish withholds, from the family's values in the ledger (memoised
 * per family, year and data version for cross-sections). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/query.h"
#include "analysis/query_part.h"
#include "base/util.h"

/* ---- disclosure control: the figures publish withholds ---- */

/* The current values of the family's members for gm, or as they stood
 * at the end of day datum. */
int
query_family_obs_gm(const struct query_src *src, const struct publish_family *f,
    const char *gm, const char *datum, struct obs **ret, size_t *ret_n,
    struct err *err)
{
	struct ledger *led = src->led;
	struct obs *all = NULL, *o;
	size_t	n = 0, cap = 0, k;

	for (size_t i = 0; i < f->n; i++) {
		struct ledger_revision *r = NULL;
		if (datum != NULL) {
			if (ledger_history(led, gm, f->m[i]->id, NULL, &r, &k,
			    err) == -1 || query_obs_reserve(&all, &cap, n + k + 1,
			    err) == -1)
				goto fail;
			n += query_asof_filter(r, k, datum, NULL, all + n);
			free(r);
			continue;
		}
		if (query_read_series(src, gm, f->m[i]->id, &o, &k, err) == -1 ||
		    query_obs_append(&all, &n, &cap, o, k, err) == -1)
			goto fail;
	}
	*ret = all;
	*ret_n = n;
	return 0;
fail:
	free(all);
	return -1;
}

/* Run publish_block for every year obs (one gemeente) has values in. */
static int
blocks_of(const struct publish_family *f, const char *gm,
    const struct obs *o, size_t n, struct publish_list *out, struct err *err)
{
	int	lo = 0, hi = -1;

	for (size_t i = 0; i < n; i++) {
		lo = hi < lo || o[i].periode.year < lo ? o[i].periode.year : lo;
		hi = o[i].periode.year > hi ? o[i].periode.year : hi;
	}
	for (int y = lo; y <= hi; y++)
		if (publish_block(f, gm, y, o, n, out, err) == -1)
			return -1;
	return 0;
}

/* The withheld figures of gm's family of ind, every year. */
static int
withheld_gm(const struct query_src *src, const struct indicator *ind,
    const char *gm, const char *datum,
    struct publish_list *out, struct err *err)
{
	struct publish_family f;
	struct obs *o = NULL;
	size_t	n = 0;
	int	rc;

	publish_family(src->cat, ind, &f);
	if (query_family_obs_gm(src, &f, gm, datum, &o, &n, err) == -1)
		return -1;
	rc = blocks_of(&f, gm, o, n, out, err);
	free(o);
	publish_sort(out);
	return rc;
}

static int memo_holds(const struct query_src *src,
    const struct publish_family *f, const char *key, int year, long long ver,
    long long feed);

/* A series marked from the memo of cross-sections: 1 when every year it
 * covers is there (at this data version, or restamped), else 0 and the
 * caller computes gm's family itself. */
static int
series_from_memo(const struct query_src *src, const struct indicator *ind,
    struct query_series *s)
{
	struct publish_family f;
	char	key[64];
	long long ver, feed;

	if (src->pub == NULL)
		return 0;
	publish_family(src->cat, ind, &f);
	publish_family_key(&f, key, sizeof(key));
	ver = query_read_version(src);
	feed = query_read_feed(src);
	for (size_t i = 0, j; i < s->n; i = j) {
		int	y = s->v[i].periode.year;
		for (j = i + 1; j < s->n && s->v[j].periode.year == y; j++)
			;
		if (!publish_memo_mark(src->pub, key, y, ver, ind, s->v + i,
		    j - i) && !(memo_holds(src, &f, key, y, ver, feed) &&
		    publish_memo_mark(src->pub, key, y, ver, ind, s->v + i,
		    j - i)))
			return 0;
	}
	return 1;
}

int
query_mark_series(const struct query_src *src, const struct indicator *ind,
    const char *gm, const char *datum, struct query_series *s,
    struct err *err)
{
	struct publish_list l = { 0 };

	if (s->n == 0)
		return 0;
	if (datum == NULL && series_from_memo(src, ind, s))
		return 0;
	if (withheld_gm(src, ind, gm, datum, &l, err) == -1) {
		publish_list_free(&l);
		return -1;
	}
	for (size_t i = 0; i < s->n; i++)
		s->v[i].beschermd = publish_withheld(&l, ind, &s->v[i]);
	publish_list_free(&l);
	return 0;
}

static int
cmp_obs_gm(const void *a, const void *b)
{
	return strcmp(((const struct obs *)a)->gemeente,
	    ((const struct obs *)b)->gemeente);
}

int
query_withheld_year(const struct query_src *src, const struct publish_family *f,
    int year,
    struct publish_list *out, struct err *err)
{
	struct obs *all = NULL, *o;
	size_t	n = 0, cap = 0, k;
	int	rc = -1;

	for (size_t i = 0; i < f->n; i++) {
		if (query_read_year(src, f->m[i]->id, year, &o, &k, err) == -1 ||
		    query_obs_append(&all, &n, &cap, o, k, err) == -1)
			goto out;
	}
	if (n > 1)
		qsort(all, n, sizeof(*all), cmp_obs_gm);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(all[j].gemeente,
		    all[i].gemeente) == 0; j++)
			;
		if (publish_block(f, all[i].gemeente, year, all + i, j - i,
		    out, err) == -1)
			goto out;
	}
	publish_sort(out);
	rc = 0;
out:
	free(all);
	return rc;
}

/* As of a date: each gemeente's family history (as xsec_asof reads). */
static int
mark_xsec_asof(const struct query_src *src, const struct indicator *ind,
    struct query_xsec *x, struct err *err)
{
	for (size_t i = 0; i < x->n; i++) {
		struct publish_list l = { 0 };
		if (withheld_gm(src, ind, x->v[i].gemeente,
		    src->zoals_op, &l, err) == -1) {
			publish_list_free(&l);
			return -1;
		}
		x->v[i].beschermd = publish_withheld(&l, ind, &x->v[i]);
		publish_list_free(&l);
	}
	return 0;
}

/* An entry of an older data version still holds when no feed since it
 * touched the family's year (an upload of pw_instroom leaves the
 * bestand's protection as it was): it is restamped, 1. */
static int
memo_holds(const struct query_src *src, const struct publish_family *f,
    const char *key, int year, long long ver, long long feed)
{
	long long since = publish_memo_since(src->pub, key, year);

	if (since < 0 || feed < 0)
		return 0;
	for (size_t i = 0; i < f->n; i++)
		if (query_read_year_changed(src, f->m[i]->id, year, since) != 0)
			return 0;
	publish_memo_restamp(src->pub, key, year, since, ver, feed);
	return 1;
}

/* Mark x (period p, every gemeente): from the memo when it has the
 * family's year at this data version (or an older one no feed since has
 * touched), else computed and memoised. */
int
query_mark_xsec(const struct query_src *src, const struct indicator *ind,
    const struct period *p, struct query_xsec *x, struct err *err)
{
	struct publish_family f;
	struct publish_list l = { 0 };
	char	key[64];
	long long ver, feed;

	if (x->n == 0)
		return 0;
	if (src->zoals_op != NULL)
		return mark_xsec_asof(src, ind, x, err);
	publish_family(src->cat, ind, &f);
	publish_family_key(&f, key, sizeof(key));
	ver = query_read_version(src);
	feed = query_read_feed(src);
	if (src->pub != NULL && (publish_memo_mark(src->pub, key, p->year,
	    ver, ind, x->v, x->n) || (memo_holds(src, &f, key, p->year, ver,
	    feed) && publish_memo_mark(src->pub, key, p->year, ver, ind, x->v,
	    x->n))))
		return 0;
	if (query_withheld_year(src, &f, p->year, &l, err) == -1) {
		publish_list_free(&l);
		return -1;
	}
	for (size_t i = 0; i < x->n; i++)
		x->v[i].beschermd |= publish_withheld(&l, ind, &x->v[i]);
	if (src->pub != NULL)
		publish_memo_put(src->pub, key, p->year, ver, feed, &l);
	publish_list_free(&l);
	return 0;
}

/* Drop what publish withholds (and small values) from obs, grouped by
 * gemeente: a merged series then sums published values only, which
 * reveal nothing (domain §3.5); a predecessor left out makes it
 * onvolledig as a missing one does. */
int
query_keep_published(const struct query_src *src, const struct indicator *ind,
    struct obs *obs, size_t *n, struct err *err)
{
	size_t	k = 0;

	for (size_t i = 0, j; i < *n; i = j) {
		struct publish_list l = { 0 };

		for (j = i + 1; j < *n && strcmp(obs[j].gemeente,
		    obs[i].gemeente) == 0; j++)
			;
		if (withheld_gm(src, ind, obs[i].gemeente,
		    src->zoals_op, &l, err) == -1) {
			publish_list_free(&l);
			return -1;
		}
		for (size_t t = i; t < j; t++) {
			struct compare_period v = { .periode = obs[t].periode,
				.peildatum = obs[t].periode, .aanwezig = 1 };
			snprintf(v.gemeente, sizeof(v.gemeente), "%s",
			    obs[t].gemeente);
			if (!publish_withheld(&l, ind, &v) && !compare_small(ind,
			    obs[t].waarde, obs[t].teller, obs[t].noemer))
				obs[k++] = obs[t];
		}
		publish_list_free(&l);
	}
	*n = k;
	return 0;
}

/* A figure withheld from public output: small, or protecting one. */
int
query_unpublished(const struct indicator *ind, const struct compare_period *v)
{
	return v->beschermd || compare_small(ind, v->waarde, v->teller,
	    v->noemer);
}

