/* src/analysis/query.c — reading what the API presents from the ledger: series and
 * cross-sections at any period length, the comparison basis and a whole
 * comparison. The rules live in compare; this module only fetches and
 * hands over. Its other files: query_publish.c (what disclosure control
 * withholds), query_bench.c (the benchmark's inputs and what it may show),
 * query_groups.c (standard groups, members, peers). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/query.h"
#include "analysis/query_part.h"
#include "base/util.h"

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

/* ---- the current values: from memory, else the ledger ---- */

/* 1 when src reads the ledger as it stands now (not as of a date) */
static struct obsmem *
mem_of(const struct query_src *src)
{
	return src->zoals_op == NULL ? src->mem : NULL;
}

int
query_read_series(const struct query_src *src, const char *gm, const char *id,
    struct obs **ret, size_t *ret_n, struct err *err)
{
	int	rc = mem_of(src) ? obsmem_series(src->mem, gm, id, ret, ret_n,
	    err) : 1;

	return rc != 1 ? rc : ledger_series(src->led, gm, id, ret, ret_n, err);
}

int
query_read_cross(const struct query_src *src, const char *id,
    const struct period *p, struct obs **ret, size_t *ret_n, struct err *err)
{
	int	rc = mem_of(src) ? obsmem_cross_section(src->mem, id, p, ret,
	    ret_n, err) : 1;

	return rc != 1 ? rc : ledger_cross_section(src->led, id, p, ret, ret_n,
	    err);
}

int
query_read_year(const struct query_src *src, const char *id, int year,
    struct obs **ret, size_t *ret_n, struct err *err)
{
	int	rc = mem_of(src) ? obsmem_year(src->mem, id, year, ret, ret_n,
	    err) : 1;

	return rc != 1 ? rc : ledger_year(src->led, id, year, ret, ret_n, err);
}

int
query_read_periods(const struct query_src *src, const char *id,
    struct period **ret, size_t *ret_n, struct err *err)
{
	int	rc = mem_of(src) ? obsmem_periods(src->mem, id, ret, ret_n,
	    err) : 1;

	return rc != 1 ? rc : ledger_periods(src->led, id, ret, ret_n, err);
}

static int
revision_counts(const struct query_src *src, const char *gm, const char *id,
    int **ret, size_t *ret_n, struct err *err)
{
	int	rc = mem_of(src) ? obsmem_revision_counts(src->mem, gm, id, ret,
	    ret_n, err) : 1;

	return rc != 1 ? rc : ledger_revision_counts(src->led, gm, id, ret,
	    ret_n, err);
}

long long
query_read_version(const struct query_src *src)
{
	long long v = mem_of(src) ? obsmem_version(src->mem) : -1;

	return v >= 0 ? v : ledger_data_version(src->led);
}

long long
query_read_feed(const struct query_src *src)
{
	long long v = mem_of(src) ? obsmem_feed(src->mem) : -1;

	return v >= 0 ? v : ledger_feed_max(src->led);
}

int
query_read_year_changed(const struct query_src *src, const char *id,
    int year, long long since)
{
	if (mem_of(src) && obsmem_version(src->mem) >= 0)
		return obsmem_year_changed(src->mem, id, year, since);
	return ledger_year_changed(src->led, id, year, since);
}

/* Room for need observations in *all (capacity *cap); -1 with err set
 * when out of memory, *all then unchanged. */
int
query_obs_reserve(struct obs **all, size_t *cap, size_t need, struct err *err)
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

int
query_obs_append(struct obs **all, size_t *n, size_t *cap, struct obs *o,
    size_t k, struct err *err)
{
	int	rc = query_obs_reserve(all, cap, *n + k + 1, err);

	if (rc == 0 && k > 0) {		/* o may be NULL for an empty answer */
		memcpy(*all + *n, o, k * sizeof(*o));
		*n += k;
	}
	free(o);
	return rc;
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

int
query_series_load(const struct query_src *src, const struct indicator *ind,
    const char *gm, enum period_kind per, struct query_series *ret,
    struct err *err)
{
	struct obs *obs = NULL;
	size_t	n = 0, nrev = 0;
	int	rc = -1;

	memset(ret, 0, sizeof(*ret));
	if (query_read_series(src, gm, ind->id, &obs, &n, err) == -1)
		return -1;
	if (aggregate(ind, obs, n, per, &ret->synthetisch, &ret->v, &ret->n,
	    err) == -1 || query_mark_series(src, ind, gm, NULL, ret, err) == -1)
		goto out;
	if (per == ind->periode && revision_counts(src, gm, ind->id,
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
size_t
query_asof_filter(const struct ledger_revision *r, size_t n, const char *datum,
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
	k = query_asof_filter(r, n, datum, NULL, o);
	rc = aggregate(ind, o, k, per, &ret->synthetisch, &ret->v, &ret->n,
	    err);
	if (rc == 0)
		rc = query_mark_series(src, ind, gm, datum, ret, err);
out:
	free(o);
	free(r);
	return rc;
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
		if (query_obs_reserve(&all, &cap, n + nr + 1, err) == -1) {
			free(r);
			goto out;
		}
		n += query_asof_filter(r, nr, src->zoals_op, p, all + n);
		free(r);
	}
	rc = aggregate(ind, all, n, p->kind, &ret->synthetisch, &ret->v,
	    &ret->n, err);
	if (rc == 0)
		rc = query_mark_xsec(src, ind, p, ret, err);
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
series_of_codes(const struct query_src *src, const char *id, char (*codes)[8],
    size_t nc, struct obs **ret, size_t *ret_n, struct err *err)
{
	struct obs *all = NULL, *o;
	size_t	n = 0, k, cap = 0;

	for (size_t i = 0; i < nc; i++)
		if (query_read_series(src, codes[i], id, &o, &k, err) == -1 ||
		    query_obs_append(&all, &n, &cap, o, k, err) == -1) {
			free(all);
			return -1;
		}
	*ret = all;
	*ret_n = n;
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
	if (series_of_codes(src, ind->id, codes, nc, &obs, &n, err) == -1)
		return -1;
	if (query_keep_published(src, ind, obs, &n, err) == -1)
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
	struct obs *all = NULL, *o;
	size_t	n = 0, k, cap = 0;
	int	parts = period_months(p->kind) / period_months(ind->periode);
	struct period q = period_at(ind->periode, period_start(p));
	int	rc = -1;

	memset(ret, 0, sizeof(*ret));
	for (int i = 0; i < parts; i++, q = period_next(&q)) {
		if (query_read_cross(src, ind->id, &q, &o, &k, err) == -1 ||
		    query_obs_append(&all, &n, &cap, o, k, err) == -1)
			goto out;
	}
	rc = aggregate(ind, all, n, p->kind, &ret->synthetisch, &ret->v,
	    &ret->n, err);
	if (rc == 0)
		rc = query_mark_xsec(src, ind, p, ret, err);
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
query_latest_period(const struct query_src *src, const struct indicator *ind,
    struct period *ret, struct err *err)
{
	struct period *ps = NULL;
	size_t	n = 0;
	int	rc = -1;

	if (query_read_periods(src, ind->id, &ps, &n, err) == -1)
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
			    (query_unpublished(nind, v) ? NOEMER_ONDERDRUKT : 0);
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
				mis[i] |= query_unpublished(nind, v) ?
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
	else if (query_latest_period(src, ind, &v->periode, err) == -1)
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

