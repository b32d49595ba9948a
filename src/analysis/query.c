/* src/analysis/query.c — reading what the API presents from the ledger: series and
 * cross-sections at any period length, groups and their members, a whole
 * comparison, benchmark inputs. The rules live in compare; this module
 * only fetches and hands over. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/query.h"
#include "base/util.h"

#define PEER_LOOKBACK	36	/* periods searched for a feature's latest value */

void
query_series_free(struct query_series *s)
{
	free(s->v);
	free(s->revs);
}

int
query_in_range(const struct period *p, const struct period *van,
    const struct period *tot)
{
	return (van == NULL || period_start(p) >= period_start(van)) &&
	    (tot == NULL || period_end(p) <= period_end(tot));
}

/* Room for need observations in *all (capacity *cap); -1 with err set
 * when out of memory, *all then unchanged. */
static int
obs_reserve(struct obs **all, size_t *cap, size_t need, struct err *err)
{
	void   *grown;

	if (need <= *cap)
		return 0;
	if ((grown = realloc(*all, (need + 64) * sizeof(**all))) == NULL)
		return err_set(err, "onvoldoende geheugen");
	*all = grown;
	*cap = need + 64;
	return 0;
}

/* Aggregate n observations to period kind per into (*v, *nv), noting in
 * *synthetisch whether any of them is synthetic: every read below ends so. */
static int
aggregate(const struct indicator *ind, const struct obs *obs, size_t n,
    enum period_kind per, int *synthetisch, struct compare_period **v,
    size_t *nv, struct err *err)
{
	for (size_t i = 0; i < n; i++)
		*synthetisch |= obs[i].synthetisch;
	return compare_period_aggregate(ind, obs, n, per, v, nv, err);
}

static int mark_series(const struct query_src *src,
    const struct indicator *ind, const char *gm, const char *datum,
    struct query_series *s, struct err *err);
static int mark_xsec(const struct query_src *src, const struct indicator *ind,
    const struct period *p, struct query_xsec *x, struct err *err);

int
query_series_load(const struct query_src *src, const struct indicator *ind,
    const char *gm, enum period_kind per, struct query_series *ret,
    struct err *err)
{
	struct ledger *led = src->led;
	struct obs *obs = NULL;
	size_t	n = 0, nrev = 0;
	int	rc = -1;

	memset(ret, 0, sizeof(*ret));
	if (ledger_series(led, gm, ind->id, &obs, &n, err) == -1)
		return -1;
	if (aggregate(ind, obs, n, per, &ret->synthetisch, &ret->v, &ret->n,
	    err) == -1 || mark_series(src, ind, gm, NULL, ret, err) == -1)
		goto out;
	if (per == ind->periode && ledger_revision_counts(led, gm, ind->id,
	    &ret->revs, &nrev, err) == -1)
		goto out;
	if (ret->revs != NULL && nrev != ret->n) {
		free(ret->revs);
		ret->revs = NULL;
	}
	rc = 0;
out:
	free(obs);
	return rc;
}

/* ---- as of a date: the revisions recorded by then ---- */

/* Keep, per period, the highest revision recorded on or before datum
 * (revisions come ordered by period, then revisie). */
static size_t
asof_filter(const struct ledger_revision *r, size_t n, const char *datum,
    const struct period *within, struct obs *out)
{
	size_t	k = 0;

	for (size_t i = 0; i < n; i++) {
		if (strncmp(r[i].recorded_at, datum, 10) > 0)
			continue;
		if (within != NULL && !query_in_range(&r[i].obs.periode, within,
		    within))
			continue;
		if (k > 0 && period_cmp(&out[k - 1].periode,
		    &r[i].obs.periode) == 0)
			out[k - 1] = r[i].obs;
		else
			out[k++] = r[i].obs;
	}
	return k;
}

int
query_revisions(struct ledger *led, const struct indicator *ind,
    const char *gm, struct ledger_revision **ret, size_t *ret_n,
    struct err *err)
{
	return ledger_history(led, gm, ind->id, NULL, ret, ret_n, err);
}

int
query_series_asof(const struct query_src *src, const struct indicator *ind,
    const char *gm, enum period_kind per, const char *datum,
    struct query_series *ret, struct err *err)
{
	struct ledger *led = src->led;
	struct ledger_revision *r = NULL;
	struct obs *o = NULL;
	size_t	n = 0, k;
	int	rc = -1;

	memset(ret, 0, sizeof(*ret));
	if (ledger_history(led, gm, ind->id, NULL, &r, &n, err) == -1)
		return -1;
	if ((o = calloc(n + 1, sizeof(*o))) == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto out;
	}
	k = asof_filter(r, n, datum, NULL, o);
	rc = aggregate(ind, o, k, per, &ret->synthetisch, &ret->v, &ret->n,
	    err);
	if (rc == 0)
		rc = mark_series(src, ind, gm, datum, ret, err);
out:
	free(o);
	free(r);
	return rc;
}

/* ---- disclosure control: the figures publish withholds ---- */

/* The current values of the family's members for gm, or as they stood
 * at the end of day datum. */
static int
family_obs_gm(struct ledger *led, const struct publish_family *f,
    const char *gm, const char *datum, struct obs **ret, size_t *ret_n,
    struct err *err)
{
	struct obs *all = NULL, *o;
	size_t	n = 0, cap = 0, k;

	for (size_t i = 0; i < f->n; i++) {
		struct ledger_revision *r = NULL;
		if (datum != NULL) {
			if (ledger_history(led, gm, f->m[i]->id, NULL, &r, &k,
			    err) == -1 || obs_reserve(&all, &cap, n + k + 1,
			    err) == -1)
				goto fail;
			n += asof_filter(r, k, datum, NULL, all + n);
			free(r);
			continue;
		}
		if (ledger_series(led, gm, f->m[i]->id, &o, &k, err) == -1)
			goto fail;
		if (obs_reserve(&all, &cap, n + k + 1, err) == -1) {
			free(o);
			goto fail;
		}
		if (k > 0)	/* o may be NULL for an empty answer */
			memcpy(all + n, o, k * sizeof(*o));
		n += k;
		free(o);
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
withheld_gm(struct ledger *led, const struct catalog *cat,
    const struct indicator *ind, const char *gm, const char *datum,
    struct publish_list *out, struct err *err)
{
	struct publish_family f;
	struct obs *o = NULL;
	size_t	n = 0;
	int	rc;

	publish_family(cat, ind, &f);
	if (family_obs_gm(led, &f, gm, datum, &o, &n, err) == -1)
		return -1;
	rc = blocks_of(&f, gm, o, n, out, err);
	free(o);
	publish_sort(out);
	return rc;
}

static int
mark_series(const struct query_src *src, const struct indicator *ind,
    const char *gm, const char *datum, struct query_series *s,
    struct err *err)
{
	struct publish_list l = { 0 };

	if (s->n == 0)
		return 0;
	if (withheld_gm(src->led, src->cat, ind, gm, datum, &l, err) == -1) {
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

/* The withheld figures of every gemeente in one year of a family. */
static int
withheld_year(struct ledger *led, const struct publish_family *f, int year,
    struct publish_list *out, struct err *err)
{
	struct obs *all = NULL, *o;
	size_t	n = 0, cap = 0, k;
	int	rc = -1;

	for (size_t i = 0; i < f->n; i++) {
		if (ledger_year(led, f->m[i]->id, year, &o, &k, err) == -1)
			goto out;
		if (obs_reserve(&all, &cap, n + k + 1, err) == -1) {
			free(o);
			goto out;
		}
		if (k > 0)
			memcpy(all + n, o, k * sizeof(*o));
		n += k;
		free(o);
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
		if (withheld_gm(src->led, src->cat, ind, x->v[i].gemeente,
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
		if (ledger_year_changed(src->led, f->m[i]->id, year, since) != 0)
			return 0;
	publish_memo_restamp(src->pub, key, year, since, ver, feed);
	return 1;
}

/* Mark x (period p, every gemeente): from the memo when it has the
 * family's year at this data version (or an older one no feed since has
 * touched), else computed and memoised. */
static int
mark_xsec(const struct query_src *src, const struct indicator *ind,
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
	ver = ledger_data_version(src->led);
	feed = ledger_feed_max(src->led);
	if (src->pub != NULL && (publish_memo_mark(src->pub, key, p->year,
	    ver, ind, x->v, x->n) || (memo_holds(src, &f, key, p->year, ver,
	    feed) && publish_memo_mark(src->pub, key, p->year, ver, ind, x->v,
	    x->n))))
		return 0;
	if (withheld_year(src->led, &f, p->year, &l, err) == -1) {
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

/* The cross-section of period p as it stood on datum: every gemeente's
 * history (one indexed read each), filtered. */
static int
xsec_asof(const struct query_src *src, const struct indicator *ind,
    const struct period *p, struct query_xsec *ret, struct err *err)
{
	struct obs *all = NULL;
	size_t	n = 0, cap = 0;
	int	rc = -1;

	memset(ret, 0, sizeof(*ret));
	for (size_t g = 0; g < src->reg->n; g++) {
		struct ledger_revision *r = NULL;
		size_t	nr = 0;

		if (ledger_history(src->led, src->reg->gemeenten[g].code,
		    ind->id, NULL, &r, &nr, err) == -1)
			goto out;
		if (obs_reserve(&all, &cap, n + nr + 1, err) == -1) {
			free(r);
			goto out;
		}
		n += asof_filter(r, nr, src->zoals_op, p, all + n);
		free(r);
	}
	rc = aggregate(ind, all, n, p->kind, &ret->synthetisch, &ret->v,
	    &ret->n, err);
	if (rc == 0)
		rc = mark_xsec(src, ind, p, ret, err);
out:
	free(all);
	return rc;
}

/* A cross-section through the source: now, or as of src->zoals_op. */
static int
xsec_at(const struct query_src *src, const struct indicator *ind,
    const struct period *p, struct query_xsec *ret, struct err *err)
{
	if (src->zoals_op != NULL)
		return xsec_asof(src, ind, p, ret, err);
	return query_xsec_load(src, ind, p, ret, err);
}

/* Every code whose history may belong to gm: gm itself and, transitively,
 * the old codes of herindelingen that lead to it (splits included, so
 * compare_herindel can report them). */
static size_t
predecessors(const struct reg *reg, const char *gm, char (*codes)[8],
    size_t max)
{
	size_t	n = 1, before;

	snprintf(codes[0], 8, "%s", gm);
	do {
		before = n;
		for (size_t i = 0; i < reg->nh && n < max; i++) {
			const struct herindeling *h = &reg->herindelingen[i];
			size_t	j, k;

			for (j = 0; j < n && strcmp(codes[j], h->nieuwe_code); j++)
				;
			for (k = 0; k < n && strcmp(codes[k], h->oude_code); k++)
				;
			if (j < n && k == n)
				snprintf(codes[n++], 8, "%s", h->oude_code);
		}
	} while (n != before);
	return n;
}

/* The current values of every code, in one array. */
static int
series_of_codes(struct ledger *led, const char *id, char (*codes)[8],
    size_t nc, struct obs **ret, size_t *ret_n, struct err *err)
{
	struct obs *all = NULL, *o;
	size_t	n = 0, k;

	for (size_t i = 0; i < nc; i++) {
		void   *grown;

		if (ledger_series(led, codes[i], id, &o, &k, err) == -1) {
			free(all);
			return -1;
		}
		if ((grown = realloc(all, (n + k + 1) * sizeof(*all))) == NULL) {
			free(o);
			free(all);
			return err_set(err, "onvoldoende geheugen");
		}
		all = grown;
		if (k > 0)	/* o may be NULL for an empty answer */
			memcpy(all + n, o, k * sizeof(*o));
		n += k;
		free(o);
	}
	*ret = all;
	*ret_n = n;
	return 0;
}

/* Drop what publish withholds (and small values) from obs, grouped by
 * gemeente: a merged series then sums published values only, which
 * reveal nothing (domain §3.5); a predecessor left out makes it
 * onvolledig as a missing one does. */
static int
keep_published(const struct query_src *src, const struct indicator *ind,
    struct obs *obs, size_t *n, struct err *err)
{
	size_t	k = 0;

	for (size_t i = 0, j; i < *n; i = j) {
		struct publish_list l = { 0 };

		for (j = i + 1; j < *n && strcmp(obs[j].gemeente,
		    obs[i].gemeente) == 0; j++)
			;
		if (withheld_gm(src->led, src->cat, ind, obs[i].gemeente,
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

static void
mark_incomplete(struct query_series *s, const struct period *src)
{
	for (size_t j = 0; j < s->n; j++)
		if (query_in_range(src, &s->v[j].periode, &s->v[j].periode))
			s->v[j].onvolledig = 1;
}

int
query_series_merged(const struct query_src *src, const struct indicator *ind,
    const char *gm, enum period_kind per, struct query_series *ret,
    struct compare_unassigned **ret_un, size_t *ret_nun, struct err *err)
{
	char	codes[64][8];
	size_t	nc = predecessors(src->reg, gm, codes, 64), n = 0, nm = 0, k = 0;
	struct obs *obs = NULL, *mine = NULL;
	struct compare_merged *m = NULL;
	int	rc = -1;

	memset(ret, 0, sizeof(*ret));
	*ret_un = NULL;
	*ret_nun = 0;
	if (series_of_codes(src->led, ind->id, codes, nc, &obs, &n, err) == -1)
		return -1;
	if (keep_published(src, ind, obs, &n, err) == -1)
		goto out;
	if (compare_herindel(ind, src->reg, obs, n, &m, &nm, ret_un, ret_nun,
	    err) == -1)
		goto out;
	if ((mine = calloc(nm + 1, sizeof(*mine))) == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto out;
	}
	for (size_t i = 0; i < nm; i++)
		if (strcmp(m[i].obs.gemeente, gm) == 0)
			mine[k++] = m[i].obs;
	for (size_t i = 0; i < n; i++)
		ret->synthetisch |= obs[i].synthetisch;
	rc = compare_period_aggregate(ind, mine, k, per, &ret->v, &ret->n, err);
	/* a value summed from fewer predecessors than existed stays
	 * onvolledig at every period length (domain §3.10) */
	for (size_t i = 0; rc == 0 && i < nm; i++)
		if (m[i].onvolledig && strcmp(m[i].obs.gemeente, gm) == 0)
			mark_incomplete(ret, &m[i].obs.periode);
out:
	free(mine);
	free(m);
	free(obs);
	return rc;
}

const struct compare_period *
query_series_find(const struct query_series *s, const struct period *p)
{
	for (size_t i = s->n; i-- > 0;)
		if (period_cmp(&s->v[i].periode, p) == 0)
			return &s->v[i];
	return NULL;
}

int
query_xsec_load(const struct query_src *src, const struct indicator *ind,
    const struct period *p, struct query_xsec *ret, struct err *err)
{
	struct ledger *led = src->led;
	struct obs *all = NULL, *o;
	size_t	n = 0, k, cap = 0;
	int	parts = period_months(p->kind) / period_months(ind->periode);
	struct period q = period_at(ind->periode, period_start(p));
	int	rc = -1;

	memset(ret, 0, sizeof(*ret));
	for (int i = 0; i < parts; i++, q = period_next(&q)) {
		if (ledger_cross_section(led, ind->id, &q, &o, &k, err) == -1)
			goto out;
		if (obs_reserve(&all, &cap, n + k + 1, err) == -1) {
			free(o);
			goto out;
		}
		if (k > 0)	/* o may be NULL for an empty answer */
			memcpy(all + n, o, k * sizeof(*o));
		n += k;
		free(o);
	}
	rc = aggregate(ind, all, n, p->kind, &ret->synthetisch, &ret->v,
	    &ret->n, err);
	if (rc == 0)
		rc = mark_xsec(src, ind, p, ret, err);
out:
	free(all);
	return rc;
}

static int
cmp_period_gm(const void *key, const void *item)
{
	return strcmp(key, ((const struct compare_period *)item)->gemeente);
}

const struct compare_period *
query_xsec_find(const struct query_xsec *x, const char *code)
{
	return bsearch(code, x->v, x->n, sizeof(*x->v), cmp_period_gm);
}

/* Cells of the given members (indices into reg->gemeenten). */
struct compare_cell *
query_cells(const struct reg *reg, const size_t *leden, size_t n,
    const struct query_xsec *x)
{
	struct compare_cell *cells = calloc(n ? n : 1, sizeof(*cells));

	for (size_t i = 0; cells && i < n; i++) {
		const struct gemeente *g = &reg->gemeenten[leden[i]];
		const struct compare_period *v = query_xsec_find(x, g->code);

		snprintf(cells[i].gemeente, sizeof(cells[i].gemeente), "%s",
		    g->code);
		cells[i].teller = cells[i].noemer = cells[i].waarde = NAN;
		if (v == NULL)
			continue;
		cells[i].geleverd = 1;
		cells[i].waarde = v->waarde;
		cells[i].teller = v->teller;
		cells[i].noemer = v->noemer;
		cells[i].status = v->status;
		cells[i].onvolledig = v->onvolledig;
		cells[i].peildatum = v->peildatum;
		cells[i].beschermd = v->beschermd;
	}
	return cells;
}

/* Latest period of an indicator with data; 0 found, -1 none/error. */
int
query_latest_period(struct ledger *led, const struct indicator *ind,
    struct period *ret, struct err *err)
{
	struct period *ps = NULL;
	size_t	n = 0;
	int	rc = -1;

	if (ledger_periods(led, ind->id, &ps, &n, err) == -1)
		return -1;
	for (size_t i = n; i-- > 0;)
		if (ps[i].kind == ind->periode) {
			*ret = ps[i];
			rc = 0;
			break;
		}
	if (rc == -1)
		err_setk(err, ERR_NOT_FOUND,
		    "nog geen gegevens voor %s", ind->id);
	free(ps);
	return rc;
}

void
query_vgl_free(struct query_vgl *v)
{
	compare_groep_free(&v->groep);
	compare_result_free(&v->res);
	compare_result_free(&v->land);
	compare_result_free(&v->totaal);
	compare_result_free(&v->land_totaal);
}

/* ---- the comparison basis: rates, not counts (domain §3.9) ---- */

void
query_basis(const struct indicator *ind, int als_aantal,
    struct query_basis *b)
{
	memset(b, 0, sizeof(*b));
	b->ind = *ind;
	b->reden = "";
	if (catalog_rankable(ind)) {
		b->rangschik = 1;
		return;
	}
	if (als_aantal)
		b->reden = "aantallen worden niet gerangschikt of beoordeeld: "
		    "gemeenten verschillen te veel in grootte";
	else if (catalog_rate(ind, &b->ind) == 0)
		b->rate = b->rangschik = 1;
	else if (ind->vergelijk != NULL)
		b->reden = "contextgegeven: wordt niet gerangschikt of "
		    "beoordeeld";
	else
		b->reden = "aantal zonder vergelijkingscijfer in de catalogus "
		    "(vergelijk_als): wordt niet gerangschikt";
}

/* A figure withheld from public output: small, or protecting one. */
static int
unpublished(const struct indicator *ind, const struct compare_period *v)
{
	return v->beschermd || compare_small(ind, v->waarde, v->teller,
	    v->noemer);
}

/* Per gemeente, what its noemer values carry into the rate. */
#define NOEMER_ONVOLLEDIG	1	/* months missing */
#define NOEMER_ONDERDRUKT	2	/* a value withheld: the rate too */

/* One noemer indicator's values at period q, with the period before as
 * fallback for gemeenten without a value (a coarser noemer such as
 * inwoners may not yet be delivered for the current year). */
static int
noemer_fill(const struct query_src *src, const struct indicator *nind,
    const struct period *q, int fallback, const struct query_xsec *x,
    double *sum, int *mis, struct err *err)
{
	struct query_xsec a = { 0 }, b = { 0 };
	struct period pq = period_prev(q);
	int	rc = -1;

	if (xsec_at(src, nind, q, &a, err) == -1 ||
	    (fallback && xsec_at(src, nind, &pq, &b, err) == -1))
		goto out;
	for (size_t i = 0; i < x->n; i++) {
		const struct compare_period *v = query_xsec_find(&a,
		    x->v[i].gemeente);
		if ((v == NULL || !isfinite(v->waarde)) && fallback)
			v = query_xsec_find(&b, x->v[i].gemeente);
		if (v == NULL || !isfinite(v->waarde))
			sum[i] = NAN;
		else {
			sum[i] += v->waarde;
			mis[i] |= (v->onvolledig ? NOEMER_ONVOLLEDIG : 0) |
			    (unpublished(nind, v) ? NOEMER_ONDERDRUKT : 0);
		}
	}
	rc = 0;
out:
	free(a.v);
	free(b.v);
	return rc;
}

/* Mean of a stand noemer's values over the sub-periods of p. */
static int
noemer_mean(const struct query_src *src, const struct indicator *nind,
    const struct period *p, const struct query_xsec *x, double *sum,
    int *mis, struct err *err)
{
	int	parts = period_months(p->kind) / period_months(nind->periode);
	struct period q = period_at(nind->periode, period_start(p));
	double *acc = calloc(x->n + 1, sizeof(*acc));
	int    *cnt = calloc(x->n + 1, sizeof(*cnt)), rc = -1;

	if (acc == NULL || cnt == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto out;
	}
	for (int k = 0; k < (parts > 0 ? parts : 1); k++, q = period_next(&q)) {
		struct query_xsec a = { 0 };
		if (xsec_at(src, nind, &q, &a, err) == -1)
			goto out;
		for (size_t i = 0; i < x->n; i++) {
			const struct compare_period *v = query_xsec_find(&a,
			    x->v[i].gemeente);
			if (v != NULL && isfinite(v->waarde)) {
				acc[i] += v->waarde;
				cnt[i]++;
				mis[i] |= unpublished(nind, v) ?
				    NOEMER_ONDERDRUKT : 0;
			}
		}
		free(a.v);
	}
	for (size_t i = 0; i < x->n; i++) {
		sum[i] = cnt[i] ? sum[i] + acc[i] / cnt[i] : NAN;
		mis[i] |= cnt[i] < parts ? NOEMER_ONVOLLEDIG : 0;
	}
	rc = 0;
out:
	free(acc);
	free(cnt);
	return rc;
}

/* Add one noemer indicator's values for the count cross-section x. */
static int
noemer_add(const struct query_src *src, const struct cat_vergelijk *cv,
    const struct indicator *nind, const struct period *p,
    const struct query_xsec *x, double *sum, int *mis, struct err *err)
{
	struct period q = *p;

	switch (cv->moment) {
	case MOMENT_BEGIN:
		q = period_at(nind->periode, period_start(p) - 1);
		return noemer_fill(src, nind, &q, 0, x, sum, mis, err);
	case MOMENT_GEMIDDELD:
		if (period_months(p->kind) >= period_months(nind->periode))
			return noemer_mean(src, nind, p, x, sum, mis, err);
		/* FALLTHROUGH */
	case MOMENT_ZELFDE:
		break;
	}
	if (period_months(nind->periode) > period_months(p->kind)) {
		q = period_at(nind->periode, period_start(p));
		return noemer_fill(src, nind, &q, 1, x, sum, mis, err);
	}
	return noemer_fill(src, nind, &q, 0, x, sum, mis, err);
}

int
query_basis_xsec(const struct query_src *src, const struct indicator *ind,
    const struct query_basis *b, const struct period *p,
    struct query_xsec *ret, struct err *err)
{
	const struct cat_vergelijk *cv = ind->vergelijk;
	double *sum = NULL;
	int    *mis = NULL, rc = -1;

	if (xsec_at(src, ind, p, ret, err) == -1)
		return -1;
	if (!b->rate)
		return 0;
	sum = calloc(ret->n + 1, sizeof(*sum));
	mis = calloc(ret->n + 1, sizeof(*mis));
	if (sum == NULL || mis == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto out;
	}
	for (int k = 0; k < CAT_VERGELIJK_NOEMERS && cv->noemer[k]; k++) {
		const struct indicator *nind = catalog_find(src->cat,
		    cv->noemer[k]);
		if (nind == NULL) {
			err_set(err, "noemer %s ontbreekt in de catalogus",
			    cv->noemer[k]);
			goto out;
		}
		if (noemer_add(src, cv, nind, p, ret, sum, mis, err) == -1)
			goto out;
	}
	for (size_t i = 0; i < ret->n; i++) {
		struct compare_period *v = &ret->v[i];
		v->teller = v->waarde;
		v->noemer = sum[i];
		v->waarde = catalog_value(&b->ind, v->teller, v->noemer);
		v->onvolledig |= (mis[i] & NOEMER_ONVOLLEDIG) != 0;
		/* the teller is the count: withheld with it, or with a
		 * noemer that is (a rate would reveal either) */
		v->beschermd |= (mis[i] & NOEMER_ONDERDRUKT) != 0 ||
		    compare_small(ind, v->teller, NAN, NAN);
	}
	rc = 0;
out:
	if (rc == -1) {
		free(ret->v);
		memset(ret, 0, sizeof(*ret));
	}
	free(sum);
	free(mis);
	return rc;
}

int
query_eval_basis(const struct reg *reg, const struct query_basis *b,
    const size_t *leden, size_t n, const struct query_xsec *x,
    struct compare_result *ret, struct err *err)
{
	struct compare_opts o = { .publiek = 1, .geen_rang = !b->rangschik };
	struct compare_cell *cells = query_cells(reg, leden, n, x);
	int	rc;

	if (cells == NULL)
		return err_set(err, "onvoldoende geheugen");
	rc = compare_eval(&b->ind, cells, n, n, &o, ret, err);
	free(cells);
	return rc;
}

int
query_eval(const struct reg *reg, const struct indicator *ind,
    const size_t *leden, size_t n, const struct query_xsec *x,
    struct compare_result *ret, struct err *err)
{
	struct compare_opts o = { .publiek = 1 };
	struct compare_cell *cells = query_cells(reg, leden, n, x);
	int	rc;

	if (cells == NULL)
		return err_set(err, "onvoldoende geheugen");
	rc = compare_eval(ind, cells, n, n, &o, ret, err);
	free(cells);
	return rc;
}

/* The value of one indicator of gm in period p (aggregated to p's kind),
 * as delivered; NaN when missing. *onvolledig is set when months are
 * missing, *onderdrukt when disclosure control withholds the value. */
static double
value_at(const struct query_src *src, const char *gm, const char *id,
    const struct period *p, int *onvolledig, int *onderdrukt)
{
	const struct indicator *ind = catalog_find(src->cat, id);
	const struct compare_period *v;
	struct query_series s;
	struct err err = { "" };
	double	r = NAN;

	if (ind == NULL || period_months(p->kind) < period_months(ind->periode)
	    || query_series_load(src, ind, gm, p->kind, &s, &err) == -1) {
		*onvolledig = 1;
		return NAN;
	}
	if ((v = query_series_find(&s, p)) != NULL) {
		r = v->waarde;
		*onvolledig |= v->onvolledig;
		*onderdrukt |= unpublished(ind, v);
	} else
		*onvolledig = 1;
	query_series_free(&s);
	return r;
}

/* Append a Dutch phrase to what is missing ("; " between). */
static void
missing_add(struct query_bench_status *st, const char *what)
{
	size_t	n = strlen(st->ontbreekt);

	snprintf(st->ontbreekt + n, sizeof(st->ontbreekt) - n, "%s%s",
	    n ? "; " : "", what);
}

/* One flow summed over the months of jaar that are there; the months
 * missing are named. Returns the number of months present. */
static int
flow_months(const struct query_src *src, const char *gm, const char *id,
    int jaar, double *ret, struct query_bench_status *st)
{
	const struct indicator *ind = catalog_find(src->cat, id);
	struct query_series s = { 0 };
	struct err err = { "" };
	char	what[160];
	size_t	o;
	int	have = 0, gap[12] = { 0 };

	*ret = NAN;
	if (ind == NULL || query_series_load(src, ind, gm, PERIOD_MAAND,
	    &s, &err) == -1)
		return 0;

	for (int m = 1; m <= 12; m++) {
		struct period p = { PERIOD_MAAND, jaar, m };
		const struct compare_period *v = query_series_find(&s, &p);

		if (v == NULL || !isfinite(v->waarde)) {
			gap[m - 1] = 1;
			continue;
		}
		*ret = (have++ ? *ret : 0) + v->waarde;
	}
	query_series_free(&s);
	if (have == 12)
		return 12;
	o = (size_t)snprintf(what, sizeof(what), "%s: ", id);
	if (have == 0)
		snprintf(what + o, sizeof(what) - o, "geen maand van %d", jaar);
	else
		for (int m = 0; m < 12 && o < sizeof(what); m++)
			if (gap[m])
				o += (size_t)snprintf(what + o, sizeof(what) -
				    o, "%s%d-%02d", what[o - 1] == ' ' ? "" :
				    ", ", jaar, m + 1);
	missing_add(st, what);
	return have;
}

void
query_benchmark_input(const struct query_src *src, const char *gm, int jaar,
    struct benchmark_input *in, struct query_bench_status *st)
{
	struct period dec = { PERIOD_MAAND, jaar - 1, 12 };
	double *flows[] = { &in->werk, &in->opleiding, &in->ondernemer,
		&in->deeltijd };
	static const char *const flow_ids[] = { "pw_uitstroom_werk",
		"pw_uitstroom_opleiding", "pw_uitstroom_ondernemer",
		"pw_uitstroom_deeltijd" };
	char	id[40], what[96];

	memset(in, 0, sizeof(*in));
	memset(st, 0, sizeof(*st));
	for (int k = 0; k < BENCHMARK_NKLASSEN; k++) {
		int	onv = 0;

		int	sup = 0;

		snprintf(id, sizeof(id), "pw_bestand_duur_%d", k + 1);
		/* the raw value: the benchmark is computed on what was
		 * delivered; what it may show is query_benchmark_public's */
		in->bestand[k] = value_at(src, gm, id, &dec, &onv, &sup);
		st->klasse_onderdrukt[k] = sup;
		if (!isfinite(in->bestand[k])) {
			snprintf(what, sizeof(what), "%s op peildatum "
			    "31-12-%d", id, jaar - 1);
			missing_add(st, what);
			st->bestand_ontbreekt = 1;
		}
	}
	st->maanden = 12;
	for (size_t i = 0; i < sizeof(flows) / sizeof(*flows); i++) {
		int	m = flow_months(src, gm, flow_ids[i], jaar, flows[i],
		    st);
		st->maanden_stroom[i] = m;
		if (m < st->maanden)
			st->maanden = m;
	}
}
int
query_group_members(const struct query_src *src, const char *id,
    struct compare_groep *g, struct err *err)
{
	const struct gemeente *anchor;
	struct compare_peers peers;

	if (compare_groep_resolve(src->reg, id, g, err) == -1)
		return -1;
	if (g->soort != COMPARE_GROEP_VERGELIJKBAAR)
		return 0;
	anchor = register_find(src->reg, g->anker);
	if (anchor == NULL || query_peers(src, anchor->code, &peers, err) == -1)
		return -1;
	free(g->leden);
	if ((g->leden = malloc((peers.n + 1) * sizeof(*g->leden))) == NULL) {
		compare_peers_free(&peers);
		return err_set(err, "onvoldoende geheugen");
	}
	g->leden[0] = (size_t)(anchor - src->reg->gemeenten);
	for (size_t i = 0; i < peers.n; i++)
		g->leden[i + 1] = peers.peers[i].index;
	g->n = peers.n + 1;
	snprintf(g->naam, sizeof(g->naam), "%s en %zu vergelijkbare gemeenten",
	    anchor->naam, peers.n);
	compare_peers_free(&peers);
	return 0;
}

/* ---- boundaries of a period (domain §3.10) ---- */

/* "YYYY-MM-DD" of the first day of p. */
static void
first_day(const struct period *p, char *buf, size_t size)
{
	int	m = period_months(p->kind) * (p->index - 1) + 1;

	/* years and months are range-checked by period_parse; the masks
	 * only tell the compiler so */
	snprintf(buf, size, "%04d-%02d-01", p->year % 10000,
	    p->kind == PERIOD_JAAR ? 1 : m % 100);
}

/* The date g was created by a herindeling of two or more gemeenten
 * ("" when it was not: an absorbing gemeente keeps its code and past). */
static const char *
created_on(const struct reg *reg, const char *code)
{
	const char *datum = "";
	int	n = 0;

	for (size_t i = 0; i < reg->nh; i++) {
		const struct herindeling *h = &reg->herindelingen[i];
		if (strcmp(h->nieuwe_code, code) != 0 ||
		    strcmp(h->oude_code, code) == 0)
			continue;
		if (n > 0 && strcmp(h->datum, datum) != 0)
			continue;
		/* the csv may repeat a row: count distinct predecessors */
		int	dup = 0;
		for (size_t j = 0; j < i; j++)
			dup |= strcmp(reg->herindelingen[j].nieuwe_code,
			    code) == 0 && strcmp(reg->herindelingen[j].oude_code,
			    h->oude_code) == 0;
		if (!dup) {
			datum = h->datum;
			n++;
		}
	}
	return n >= 2 ? datum : "";
}

int
query_existed(const struct reg *reg, const struct gemeente *g,
    const struct period *p)
{
	struct period nx = period_next(p);
	char	start[16], end[16];
	const char *c = created_on(reg, g->code);

	first_day(p, start, sizeof(start));
	first_day(&nx, end, sizeof(end));
	if (g->opgeheven[0] && strcmp(start, g->opgeheven) >= 0)
		return 0;
	return c[0] == '\0' || strcmp(c, end) < 0;
}

int
query_alle_at(const struct reg *reg, const struct period *p,
    struct compare_groep *g, struct err *err)
{
	char	pb[16];

	memset(g, 0, sizeof(*g));
	g->soort = COMPARE_GROEP_ALLE;
	snprintf(g->id, sizeof(g->id), "alle");
	if ((g->leden = calloc(reg->n + 1, sizeof(*g->leden))) == NULL)
		return err_set(err, "onvoldoende geheugen");
	for (size_t i = 0; i < reg->n; i++)
		if (query_existed(reg, &reg->gemeenten[i], p))
			g->leden[g->n++] = i;
	snprintf(g->naam, sizeof(g->naam), "Alle gemeenten van %s",
	    period_format(p, pb, sizeof(pb)));
	return 0;
}

/* "alle" and the country on the period's boundaries when they differ
 * from today's (a gemeente merged away since, or created since). */
static int
vgl_boundaries(const struct query_src *src, struct query_vgl *v,
    struct compare_groep *alle, struct err *err)
{
	struct compare_groep at;
	int	same;

	if (query_alle_at(src->reg, &v->periode, &at, err) == -1)
		return -1;
	same = at.n == alle->n;
	for (size_t i = 0; same && i < at.n; i++)
		same = at.leden[i] == alle->leden[i];
	if (same) {
		compare_groep_free(&at);
		return 0;
	}
	v->grenzen_periode = 1;
	if (v->groep.soort == COMPARE_GROEP_ALLE) {
		free(v->groep.leden);
		v->groep.leden = malloc((at.n + 1) * sizeof(*at.leden));
		if (v->groep.leden == NULL) {
			compare_groep_free(&at);
			return err_set(err, "onvoldoende geheugen");
		}
		memcpy(v->groep.leden, at.leden, at.n * sizeof(*at.leden));
		v->groep.n = at.n;
		snprintf(v->groep.naam, sizeof(v->groep.naam), "%s", at.naam);
	}
	compare_groep_free(alle);
	*alle = at;
	return 0;
}

/* The counts of a rate comparison, summed and shown, never ranked. */
static int
vgl_totals(const struct query_src *src, struct query_vgl *v,
    const struct compare_groep *alle, struct err *err)
{
	struct query_basis cnt;
	struct query_xsec x = { 0 };
	int	rc;

	query_basis(v->ind, 1, &cnt);
	rc = xsec_at(src, v->ind, &v->periode, &x, err) == -1 ||
	    query_eval_basis(src->reg, &cnt, v->groep.leden, v->groep.n, &x,
	    &v->totaal, err) == -1 ||
	    query_eval_basis(src->reg, &cnt, alle->leden, alle->n, &x,
	    &v->land_totaal, err) == -1 ? -1 : 0;
	free(x.v);
	return rc;
}

int
query_vgl(const struct query_src *src, const struct indicator *ind,
    const struct period *periode, const char *groep, int als_aantal,
    struct query_vgl *v, struct err *err)
{
	struct compare_groep alle = { 0 };
	struct query_xsec x = { 0 };
	int	rc = -1;

	memset(v, 0, sizeof(*v));
	v->ind = ind;
	if (src->zoals_op != NULL)
		snprintf(v->zoals_op, sizeof(v->zoals_op), "%s", src->zoals_op);
	query_basis(ind, als_aantal, &v->basis);
	if (periode != NULL)
		v->periode = *periode;
	else if (query_latest_period(src->led, ind, &v->periode, err) == -1)
		return 1;
	if (query_group_members(src, groep, &v->groep, err) == -1)
		return 1;
	if (compare_groep_resolve(src->reg, "alle", &alle, err) == -1 ||
	    vgl_boundaries(src, v, &alle, err) == -1 ||
	    query_basis_xsec(src, ind, &v->basis, &v->periode, &x, err) == -1 ||
	    query_eval_basis(src->reg, &v->basis, v->groep.leden, v->groep.n,
	    &x, &v->res, err) == -1 ||
	    query_eval_basis(src->reg, &v->basis, alle.leden, alle.n, &x,
	    &v->land, err) == -1 ||
	    (v->basis.rate && vgl_totals(src, v, &alle, err) == -1))
		goto out;
	v->synthetisch = x.synthetisch;
	rc = 0;
out:
	compare_groep_free(&alle);
	free(x.v);
	return rc;
}

/* 1 when the forms t (one per form[i]) over the family of id for gm in
 * year reveal nothing small, 0 when they would, -1 on error. */
static int
forms_ok(const struct query_src *src, const char *id, const char *gm,
    int year, const struct publish_term *t, const int *form, size_t nt,
    struct err *err)
{
	const struct indicator *ind = catalog_find(src->cat, id);
	struct publish_family f;
	struct obs *o = NULL;
	size_t	n = 0;
	int	rc;

	if (ind == NULL)
		return 1;
	publish_family(src->cat, ind, &f);
	if (family_obs_gm(src->led, &f, gm, src->zoals_op, &o, &n, err) == -1)
		return -1;
	rc = publish_forms_ok(&f, gm, year, o, n, t, form, nt, err);
	free(o);
	return rc;
}

int
query_benchmark_public(const struct query_src *src, const char *gm, int jaar,
    const double *rate, const double *schadelast, const char **wat,
    struct err *err)
{
	static const char *const flows[] = { "pw_uitstroom_werk",
		"pw_uitstroom_opleiding", "pw_uitstroom_ondernemer",
		"pw_uitstroom_deeltijd" };
	struct publish_term t[3 * BENCHMARK_NKLASSEN];
	int	form[3 * BENCHMARK_NKLASSEN], rc;
	char	id[BENCHMARK_NKLASSEN][40];
	size_t	n = 0;

	for (int k = 0; k < BENCHMARK_NKLASSEN; k++)
		snprintf(id[k], sizeof(id[k]), "pw_bestand_duur_%d", k + 1);
	for (int f = 0; f < 3; f++)
		for (int k = 0; k < BENCHMARK_NKLASSEN; k++) {
			form[n] = f;
			t[n++] = (struct publish_term){ id[k], { PERIOD_MAAND,
				jaar - 1, 12 }, DIM_WAARDE, f == 0 ? 1 :
				f == 1 ? rate[k] : schadelast[k] };
		}
	*wat = "het verwachte aantal of het bestand per duurklasse";
	if ((rc = forms_ok(src, id[0], gm, jaar - 1, t, form, n, err)) != 1)
		return rc;
	n = 0;
	for (size_t i = 0; i < NELEM(flows); i++) {
		form[n] = 0;
		t[n++] = (struct publish_term){ flows[i], { PERIOD_JAAR, jaar,
			1 }, DIM_WAARDE, i == 3 ? 0.5 : 1 };
	}
	*wat = "de gerealiseerde uitstroom";
	return forms_ok(src, flows[0], gm, jaar, t, form, n, err);
}

int
query_default_year(const struct query_src *src)
{
	const struct indicator *w = catalog_find(src->cat, "pw_uitstroom_werk");
	struct period p;
	struct err err = { "" };

	if (w == NULL || query_latest_period(src->led, w, &p, &err) == -1)
		return 0;
	return p.kind == PERIOD_MAAND && p.index < 12 ? p.year - 1 : p.year;
}

/* ---- groups ---- */

static int
add_id(char (**ids)[QUERY_GROEP_ID], size_t *n, const char *id)
{
	char	(*p)[QUERY_GROEP_ID] = realloc(*ids, (*n + 1) * sizeof(*p));

	if (p == NULL)
		return -1;
	*ids = p;
	snprintf(p[(*n)++], QUERY_GROEP_ID, "%s", id);
	return 0;
}

static int
has_id(char (*ids)[QUERY_GROEP_ID], size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return 1;
	return 0;
}

/* Province and size-class ids of the active gemeenten, in register order
 * (deterministic), after "alle". */
static int
derived_ids(const struct reg *reg, char (**ids)[QUERY_GROEP_ID], size_t *n)
{
	char	id[QUERY_GROEP_ID], prov[QUERY_GROEP_ID - 16];

	if (add_id(ids, n, "alle") == -1)
		return -1;
	for (int k = 1; k <= REGISTER_NKLASSEN; k++)
		for (size_t i = 0; i < reg->nactief; i++)
			if (reg->gemeenten[i].grootteklasse == k) {
				snprintf(id, sizeof(id), "grootteklasse-%d", k);
				if (add_id(ids, n, id) == -1)
					return -1;
				break;
			}
	for (size_t i = 0; i < reg->nactief; i++) {
		snprintf(id, sizeof(id), "provincie-%s", compare_provincie_id(
		    reg->gemeenten[i].provincie, prov, sizeof(prov)));
		if (!has_id(*ids, *n, id) && add_id(ids, n, id) == -1)
			return -1;
	}
	return 0;
}

int
query_standard_groups(const struct reg *reg, char (**ret)[QUERY_GROEP_ID],
    size_t *ret_n, struct err *err)
{
	char	(*ids)[QUERY_GROEP_ID] = NULL;
	size_t	n = 0;

	*ret = NULL;
	*ret_n = 0;
	if (derived_ids(reg, &ids, &n) == -1)
		goto fail;
	for (size_t i = 0; i < reg->ng; i++)
		if (!has_id(ids, n, reg->groepen[i].id) &&
		    add_id(&ids, &n, reg->groepen[i].id) == -1)
			goto fail;
	*ret = ids;
	*ret_n = n;
	return 0;
fail:
	free(ids);
	return err_set(err, "onvoldoende geheugen");
}

/* Index of an active gemeente: the active part of the register is sorted
 * by code. -1 for opgeheven or unknown codes (they are in no group). */
long
query_active_row(const struct reg *reg, const char *code)
{
	size_t	lo = 0, hi = reg->nactief;

	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;
		int	c = strcmp(reg->gemeenten[mid].code, code);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Fill column j of f (rows = active gemeenten) with each gemeente's latest
 * value of indicator id. */
static int
feature_raw(const struct query_src *src, const char *id, double *f,
    size_t nf, size_t j, struct err *err)
{
	const struct indicator *ind = catalog_find(src->cat, id);
	struct period *per = NULL;
	size_t	np = 0, missing = src->reg->nactief;

	if (ind == NULL)
		return err_setk(err, ERR_REJECTED,
		    "onbekend kenmerk '%s' (peer_features)",
		    id);
	if (ledger_periods(src->led, id, &per, &np, err) == -1)
		return -1;
	for (size_t t = np; t > 0 && np - t < PEER_LOOKBACK && missing; t--) {
		struct obs *obs = NULL;
		size_t	n = 0;
		if (ledger_cross_section(src->led, id, &per[t - 1], &obs, &n,
		    err) == -1) {
			free(per);
			return -1;
		}
		for (size_t i = 0; i < n; i++) {
			long	row = query_active_row(src->reg, obs[i].gemeente);
			double	v = catalog_has_components(ind) ?
			    catalog_value(ind, obs[i].teller, obs[i].noemer) :
			    obs[i].waarde;
			if (row < 0 || !isnan(f[(size_t)row * nf + j]) ||
			    !isfinite(v))
				continue;
			f[(size_t)row * nf + j] = v;
			missing--;
		}
		free(obs);
	}
	free(per);
	return 0;
}

/* Size features are compared on a log scale: Schiermonnikoog and
 * Amsterdam differ by a factor 900, and on a raw scale every gemeente
 * under 100.000 inwoners looks alike. */
static void
feature_log(double *f, size_t n, size_t nf, size_t j)
{
	for (size_t i = 0; i < n; i++)
		f[i * nf + j] = f[i * nf + j] > 0 ? log10(f[i * nf + j]) : NAN;
}

/* Column j for feature id: an indicator's latest value, with two rules
 * (issue 11): "inwoners" falls back to the register for gemeenten that
 * delivered none (every gemeente has a size) and, like "huishoudens", is
 * taken on a log scale; "huishoudensgrootte" is inwoners per huishouden,
 * a feature of the population that is not a size. */
static int
feature_column(const struct query_src *src, const char *id, double *f,
    size_t nf, size_t j, struct err *err)
{
	size_t	n = src->reg->nactief;

	if (strcmp(id, "huishoudensgrootte") == 0) {
		double *h = malloc((n + 1) * sizeof(*h));
		int	rc;

		if (h == NULL)
			return err_set(err, "onvoldoende geheugen");
		for (size_t i = 0; i < n; i++)
			h[i] = NAN;
		if ((rc = feature_raw(src, "inwoners", f, nf, j, err)) == 0 &&
		    (rc = feature_raw(src, "huishoudens", h, 1, 0, err)) == 0)
			for (size_t i = 0; i < n; i++)
				f[i * nf + j] = h[i] > 0 ? f[i * nf + j] / h[i] :
				    NAN;
		free(h);
		return rc;
	}
	if (feature_raw(src, id, f, nf, j, err) == -1)
		return -1;
	if (strcmp(id, "inwoners") == 0)
		for (size_t i = 0; i < n; i++)
			if (isnan(f[i * nf + j]) &&
			    src->reg->gemeenten[i].inwoners > 0)
				f[i * nf + j] = (double)
				    src->reg->gemeenten[i].inwoners;
	if (strcmp(id, "inwoners") == 0 || strcmp(id, "huishoudens") == 0)
		feature_log(f, n, nf, j);
	return 0;
}

int
query_peers(const struct query_src *src, const char *anker,
    struct compare_peers *ret, struct err *err)
{
	const struct gemeente *gm = register_find(src->reg, anker);
	size_t	n = src->reg->nactief, nf;
	double *f = NULL;
	char	(*codes)[8] = NULL;
	long	row;
	int	rc = -1;

	memset(ret, 0, sizeof(*ret));
	if (gm == NULL || (row = query_active_row(src->reg, gm->code)) < 0)
		return err_setk(err, ERR_REJECTED,
		    "onbekende of opgeheven gemeente '%s'",
		    anker);
	if (src->features == NULL || src->features->n == 0)
		return err_setk(err, ERR_REJECTED,
		    "geen kenmerken ingesteld (peer_features)");
	nf = (size_t)src->features->n;
	f = malloc(n * nf * sizeof(*f));
	codes = calloc(n, sizeof(*codes));
	if (f == NULL || codes == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto fail;
	}
	for (size_t i = 0; i < n * nf; i++)
		f[i] = NAN;
	for (size_t i = 0; i < n; i++)
		snprintf(codes[i], sizeof(codes[i]), "%s",
		    src->reg->gemeenten[i].code);
	for (size_t j = 0; j < nf; j++)
		if (feature_column(src, src->features->w[j], f, nf, j,
		    err) == -1)
			goto fail;
	rc = compare_peers(f, n, nf, (const char (*)[8])codes, (size_t)row,
	    src->k, ret, err);
fail:
	free(f);
	free(codes);
	return rc;
}
