/* src/analysis/compare.c — the comparison engine (design §5): what the API and the
 * charts show about a group of gemeenten. Sits after the ledger in the flow;
 * pure and order-independent: every input is copied and sorted by gemeente
 * code before any sum, so the same data always gives the same bits. */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/compare.h"

const double compare_pct_levels[COMPARE_NPCT] = { 0.10, 0.25, 0.50, 0.75,
	0.90 };

static const char *const reden_names[] = {
	[COMPARE_GEPUBLICEERD] = "gepubliceerd",
	[COMPARE_NIET_GELEVERD] = "niet geleverd",
	[COMPARE_GEEN_WAARDE] = "geen waarde",
	[COMPARE_KLEIN_AANTAL] = "klein aantal",
	[COMPARE_AANVULLEND] = "aanvullend onderdrukt",
};

const char *
compare_reden_name(enum compare_reden r)
{
	return reden_names[r];
}

static enum obs_status
worst(enum obs_status a, enum obs_status b)
{
	/* definitief < voorlopig < geschat: the enum order is the severity. */
	return a > b ? a : b;
}

/* ---- formatting and percentiles ---- */

char *
compare_format(double v, int decimals, char *buf, size_t size)
{
	char	raw[64], out[96];
	size_t	o = 0, intlen;
	const char *p = raw, *dot;

	if (!isfinite(v)) {
		snprintf(buf, size, ".");
		return buf;
	}
	if (decimals < 0 || decimals > 6)
		decimals = 1;
	snprintf(raw, sizeof(raw), "%.*f", decimals, v);
	/* "-0,0" after rounding is zero, not negative */
	if (raw[0] == '-' && strspn(raw + 1, "0.") == strlen(raw + 1))
		p++;
	if (*p == '-')
		out[o++] = *p++;
	dot = strchr(p, '.');
	intlen = dot ? (size_t)(dot - p) : strlen(p);
	for (size_t i = 0; i < intlen; i++) {
		if (i > 0 && (intlen - i) % 3 == 0)
			out[o++] = '.';
		out[o++] = p[i];
	}
	if (dot) {
		out[o++] = ',';
		for (const char *d = dot + 1; *d && o < sizeof(out) - 1; d++)
			out[o++] = *d;
	}
	out[o] = '\0';
	snprintf(buf, size, "%s", out);
	return buf;
}

double
compare_percentile(const double *sorted, size_t n, double p)
{
	double	h, lo;
	size_t	i;

	if (n == 0)
		return NAN;
	/* Hyndman & Fan type 7: h = (n − 1)p, interpolate x[⌊h⌋]..x[⌊h⌋+1]. */
	h = (double)(n - 1) * p;
	lo = floor(h);
	i = (size_t)lo;
	if (i + 1 >= n)
		return sorted[n - 1];
	return sorted[i] + (h - lo) * (sorted[i + 1] - sorted[i]);
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* ---- compare_eval: classification ---- */

static int
cmp_row_code(const void *a, const void *b)
{
	return strcmp(((const struct compare_row *)a)->gemeente,
	    ((const struct compare_row *)b)->gemeente);
}

/* Primary classification of one row: value, reason, included in the sum. */
static int
classify(const struct indicator *ind, struct compare_row *r, struct err *err)
{
	int	comp = catalog_has_components(ind);

	if (!r->geleverd) {
		r->reden = COMPARE_NIET_GELEVERD;
		r->waarde = r->teller = r->noemer = NAN;
		return 0;
	}
	if (comp) {
		if (r->noemer < 0)
			return err_set(err, "%s: negatieve noemer %g",
			    r->gemeente, r->noemer);
		r->waarde = isfinite(r->teller) && isfinite(r->noemer) ?
		    catalog_value(ind, r->teller, r->noemer) : NAN;
	} else {
		r->teller = r->noemer = NAN;
	}
	if (!isfinite(r->waarde)) {
		r->reden = COMPARE_GEEN_WAARDE;
		return 0;
	}
	double	size = comp ? r->noemer : r->waarde;
	if (ind->min_n > 0 && size > 0 && size < ind->min_n) {
		r->reden = COMPARE_KLEIN_AANTAL;
		r->onderdrukt = 1;
	}
	return 0;
}

/* A row whose figures enter the group sums. */
static int
in_sum(const struct indicator *ind, const struct compare_row *r)
{
	if (!r->geleverd)
		return 0;
	if (catalog_has_components(ind))
		return isfinite(r->teller) && isfinite(r->noemer);
	return isfinite(r->waarde);
}

/* ---- compare_eval: complementary suppression ----
 * An attacker knows the published total, every published cell and, for a
 * suppressed cell, the interval its display implies. For each dimension
 * (the count, or teller and noemer) the residual R = Σ suppressed cells is
 * known; cell i is then confined to
 *   [max(lo_i, R − Σ_{j≠i} hi_j), min(hi_i, R − Σ_{j≠i} lo_j)].
 * If that interval is a single point the cell is revealed and one more
 * published cell is suppressed (the smallest first); if none is left the
 * group total is suppressed instead. */

struct protect {
	const struct indicator *ind;
	struct compare_row *rows;
	size_t	n;
	int	share;		/* teller <= noemer (a percentage) */
};

/* Bounds of suppressed row r in dimension dim (0 = count or noemer,
 * 1 = teller) as the attacker sees them. */
static void
bounds(const struct protect *pr, const struct compare_row *r, int dim,
    double *lo, double *hi)
{
	double	m = pr->ind->min_n;
	int	comp = catalog_has_components(pr->ind);
	double	size = comp ? r->noemer : r->waarde;

	if (r->reden == COMPARE_AANVULLEND) {
		/* only cells of size >= min_n are chosen for this */
		*lo = dim == 0 ? m : 0;
		*hi = INFINITY;
		return;
	}
	if (dim == 1) {
		*lo = 0;
		*hi = pr->share ? m - 1 : INFINITY;
		return;
	}
	if (comp) {
		*lo = 1;
		*hi = m - 1;
	} else if (size < 5) {
		*lo = 1;	/* shown as "<5" */
		*hi = fmin(4, m - 1);
	} else {
		*lo = 5;	/* shown as "<min_n" */
		*hi = m - 1;
	}
}

static double
dim_value(const struct protect *pr, const struct compare_row *r, int dim)
{
	if (!catalog_has_components(pr->ind))
		return r->waarde;
	return dim == 0 ? r->noemer : r->teller;
}

static int
dim_revealed(const struct protect *pr, int dim)
{
	double	lo, hi, sum_lo = 0, sum_hi = 0, resid = 0;
	size_t	ninf = 0;

	for (size_t i = 0; i < pr->n; i++) {
		const struct compare_row *r = &pr->rows[i];
		if (!r->onderdrukt)
			continue;
		bounds(pr, r, dim, &lo, &hi);
		sum_lo += lo;
		if (isinf(hi))
			ninf++;
		else
			sum_hi += hi;
		resid += dim_value(pr, r, dim);
	}
	for (size_t i = 0; i < pr->n; i++) {
		const struct compare_row *r = &pr->rows[i];
		if (!r->onderdrukt)
			continue;
		bounds(pr, r, dim, &lo, &hi);
		int	inf = isinf(hi);
		double	others_hi = ninf - (size_t)inf > 0 ? INFINITY :
		    sum_hi - (inf ? 0 : hi);
		double	l = fmax(lo, resid - others_hi);
		double	h = fmin(hi, resid - (sum_lo - lo));
		/* integer data: width 0 means known; < 0.5 also for fractions */
		if (h - l < 0.5)
			return 1;
	}
	return 0;
}

static int
revealed(const struct protect *pr)
{
	int	ndim = catalog_has_components(pr->ind) ? 2 : 1;

	for (int d = 0; d < ndim; d++)
		if (dim_revealed(pr, d))
			return 1;
	return 0;
}

/* The published row with the smallest size >= min_n, ties by code; NULL
 * when none is left. Rows are sorted by code, so the first minimum wins. */
static struct compare_row *
next_candidate(const struct protect *pr)
{
	struct compare_row *best = NULL;
	double	bsize = INFINITY;

	for (size_t i = 0; i < pr->n; i++) {
		struct compare_row *r = &pr->rows[i];
		if (r->reden != COMPARE_GEPUBLICEERD || !in_sum(pr->ind, r))
			continue;
		double	size = dim_value(pr, r, 0);
		if (size >= pr->ind->min_n && size > 0 && size < bsize) {
			best = r;
			bsize = size;
		}
	}
	return best;
}

/* Returns 1 when the group total must be suppressed. */
static int
protect_group(const struct indicator *ind, struct compare_row *rows, size_t n)
{
	struct protect pr = { ind, rows, n,
		ind->has_max && ind->max <= ind->schaal };
	struct compare_row *c;

	while (revealed(&pr)) {
		if ((c = next_candidate(&pr)) == NULL) {
			/* cannot protect by cells: withdraw them, hide the total */
			for (size_t i = 0; i < n; i++)
				if (rows[i].reden == COMPARE_AANVULLEND) {
					rows[i].reden = COMPARE_GEPUBLICEERD;
					rows[i].onderdrukt = 0;
				}
			return 1;
		}
		c->reden = COMPARE_AANVULLEND;
		c->onderdrukt = 1;
	}
	return 0;
}

/* ---- compare_eval: aggregate, percentiles, ranks, display ---- */

static void
aggregate(const struct indicator *ind, struct compare_result *res)
{
	double	sw = 0, st = 0, sn = 0;

	res->status = STATUS_DEFINITIEF;
	for (size_t i = 0; i < res->nrows; i++) {
		const struct compare_row *r = &res->rows[i];
		if (!in_sum(ind, r))
			continue;
		res->n++;
		res->status = worst(res->status, r->status);
		res->onvolledig_perioden |= r->onvolledig;
		sw += r->waarde;
		st += r->teller;
		sn += r->noemer;
	}
	if (catalog_has_components(ind)) {
		res->teller = st;
		res->noemer = sn;
		res->waarde = catalog_value(ind, st, sn);
	} else {
		res->teller = res->noemer = NAN;
		res->waarde = res->n > 0 ? sw : NAN;
	}
}

static int
rank_values(const struct indicator *ind, struct compare_result *res,
    struct err *err)
{
	double *v = malloc((res->nrows ? res->nrows : 1) * sizeof(*v));
	size_t	k = 0;

	if (v == NULL)
		return err_set(err, "onvoldoende geheugen");
	for (size_t i = 0; i < res->nrows; i++)
		if (res->rows[i].reden == COMPARE_GEPUBLICEERD)
			v[k++] = res->rows[i].waarde;
	qsort(v, k, sizeof(*v), cmp_double);
	res->npct = k;
	for (int p = 0; p < COMPARE_NPCT; p++)
		res->pct[p] = compare_percentile(v, k, compare_pct_levels[p]);
	res->rang_op_waarde = ind->richting == RICHTING_NEUTRAAL;
	for (size_t i = 0; i < res->nrows; i++) {
		struct compare_row *r = &res->rows[i];
		r->afstand_mediaan = NAN;
		if (r->reden != COMPARE_GEPUBLICEERD)
			continue;
		/* competition ranking: 1 + the number of strictly better values */
		size_t	lo = 0, hi = k, better;
		int	lower = ind->richting == RICHTING_LAGER_BETER;
		while (lo < hi) {	/* first index with v >= (lower) or > */
			size_t	mid = lo + (hi - lo) / 2;
			if (lower ? v[mid] < r->waarde : v[mid] <= r->waarde)
				lo = mid + 1;
			else
				hi = mid;
		}
		better = lower ? lo : k - lo;
		r->rang = (int)better + 1;
		r->afstand_mediaan = r->waarde - res->pct[2];
	}
	free(v);
	return 0;
}

static void
display(const struct indicator *ind, struct compare_row *r)
{
	int	comp = catalog_has_components(ind);

	switch (r->reden) {
	case COMPARE_GEPUBLICEERD:
		compare_format(r->waarde, comp || r->waarde != floor(r->waarde) ?
		    1 : 0, r->weergave, sizeof(r->weergave));
		break;
	case COMPARE_KLEIN_AANTAL:
		if (comp)
			snprintf(r->weergave, sizeof(r->weergave), "x");
		else if (r->waarde < 5)
			snprintf(r->weergave, sizeof(r->weergave), "<5");
		else
			snprintf(r->weergave, sizeof(r->weergave), "<%d",
			    ind->min_n);
		break;
	case COMPARE_AANVULLEND:
		snprintf(r->weergave, sizeof(r->weergave), "x");
		break;
	default:
		snprintf(r->weergave, sizeof(r->weergave), ".");
	}
}

static void
mask(const struct compare_opts *opts, struct compare_result *res)
{
	if (opts == NULL || !opts->publiek)
		return;
	for (size_t i = 0; i < res->nrows; i++) {
		struct compare_row *r = &res->rows[i];
		if (r->onderdrukt)
			r->waarde = r->teller = r->noemer = NAN;
	}
	if (res->aggregaat_onderdrukt)
		res->waarde = res->teller = res->noemer = NAN;
}

static int
load_rows(const struct indicator *ind, const struct compare_cell *cells,
    size_t n, struct compare_result *res, struct err *err)
{
	if ((res->rows = calloc(n ? n : 1, sizeof(*res->rows))) == NULL)
		return err_set(err, "onvoldoende geheugen");
	res->nrows = n;
	for (size_t i = 0; i < n; i++) {
		struct compare_row *r = &res->rows[i];
		snprintf(r->gemeente, sizeof(r->gemeente), "%s",
		    cells[i].gemeente);
		r->geleverd = cells[i].geleverd;
		r->waarde = cells[i].waarde;
		r->teller = cells[i].teller;
		r->noemer = cells[i].noemer;
		r->status = cells[i].status;
		r->onvolledig = cells[i].onvolledig;
	}
	qsort(res->rows, n, sizeof(*res->rows), cmp_row_code);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && strcmp(res->rows[i].gemeente,
		    res->rows[i - 1].gemeente) == 0)
			return err_set(err, "gemeente %s staat twee keer in "
			    "de vergelijking", res->rows[i].gemeente);
		if (classify(ind, &res->rows[i], err) == -1)
			return -1;
	}
	return 0;
}

int
compare_eval(const struct indicator *ind, const struct compare_cell *cells,
    size_t n, size_t expected_n, const struct compare_opts *opts,
    struct compare_result *ret, struct err *err)
{
	memset(ret, 0, sizeof(*ret));
	if (load_rows(ind, cells, n, ret, err) == -1)
		goto fail;
	ret->aggregaat_onderdrukt = protect_group(ind, ret->rows, n);
	aggregate(ind, ret);
	ret->N = expected_n ? expected_n : n;
	ret->onvolledig = ret->n * 2 < ret->N;
	if (rank_values(ind, ret, err) == -1)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		display(ind, &ret->rows[i]);
		ret->nonderdrukt += (size_t)ret->rows[i].onderdrukt;
	}
	mask(opts, ret);
	return 0;
fail:
	compare_result_free(ret);
	return -1;
}

void
compare_result_free(struct compare_result *res)
{
	if (res == NULL)
		return;
	free(res->rows);
	res->rows = NULL;
	res->nrows = 0;
}

/* ---- period aggregation ---- */

struct pa_state {
	const struct indicator *ind;
	const struct obs *const *src;	/* sorted by gemeente, periode */
	enum period_kind target;
	int	verwacht;
};

static int
cmp_obs_ptr(const void *a, const void *b)
{
	const struct obs *x = *(const struct obs *const *)a;
	const struct obs *y = *(const struct obs *const *)b;
	int	c = strcmp(x->gemeente, y->gemeente);

	return c ? c : period_cmp(&x->periode, &y->periode);
}

static int
obs_usable(const struct indicator *ind, const struct obs *o)
{
	if (catalog_has_components(ind))
		return isfinite(o->teller) && isfinite(o->noemer);
	return isfinite(o->waarde);
}

/* Fill out from src[from..to): one gemeente, one target period. */
static void
pa_one(const struct pa_state *st, size_t from, size_t to,
    struct compare_period *out)
{
	const struct indicator *ind = st->ind;
	double	sw = 0, stl = 0, snm = 0;
	const struct obs *last = NULL;

	memset(out, 0, sizeof(*out));
	snprintf(out->gemeente, sizeof(out->gemeente), "%s",
	    st->src[from]->gemeente);
	out->periode = period_to(&st->src[from]->periode, st->target);
	out->verwacht = st->verwacht;
	out->status = STATUS_DEFINITIEF;
	for (size_t i = from; i < to; i++) {
		const struct obs *o = st->src[i];
		if (!obs_usable(ind, o))
			continue;
		out->aanwezig++;
		last = o;
		if (ind->meting == METING_STAND)
			continue;	/* a stand is never summed over time */
		out->status = worst(out->status, o->status);
		sw += o->waarde;
		stl += o->teller;
		snm += o->noemer;
	}
	if (last == NULL) {
		out->waarde = out->teller = out->noemer = NAN;
		out->onvolledig = 1;
		return;
	}
	out->peildatum = last->periode;
	if (ind->meting == METING_STAND) {
		struct period nx = period_next(&last->periode);
		struct period up = period_to(&nx, st->target);
		/* the stand of a period is the one at its last peildatum */
		out->onvolledig = period_cmp(&up, &out->periode) == 0;
		out->status = last->status;
		sw = last->waarde;
		stl = last->teller;
		snm = last->noemer;
	} else {
		out->onvolledig = out->aanwezig < out->verwacht;
	}
	if (catalog_has_components(ind)) {
		out->teller = stl;
		out->noemer = snm;
		out->waarde = catalog_value(ind, stl, snm);
	} else {
		out->teller = out->noemer = NAN;
		out->waarde = sw;
	}
}

static int
pa_check(const struct obs *const *src, size_t n, enum period_kind target,
    struct err *err)
{
	char	a[16], b[16];

	for (size_t i = 0; i < n; i++) {
		if (src[i]->periode.kind != src[0]->periode.kind)
			return err_set(err, "periodes van verschillende soort "
			    "(%s en %s) zijn niet samen te voegen",
			    period_format(&src[0]->periode, a, sizeof(a)),
			    period_format(&src[i]->periode, b, sizeof(b)));
		if (i > 0 && cmp_obs_ptr(&src[i - 1], &src[i]) == 0)
			return err_set(err, "%s %s staat twee keer in de "
			    "invoer", src[i]->gemeente,
			    period_format(&src[i]->periode, a, sizeof(a)));
	}
	if (n > 0 && src[0]->periode.kind > target)
		return err_set(err, "kan %s-cijfers niet verfijnen tot %s",
		    period_kind_name(src[0]->periode.kind),
		    period_kind_name(target));
	return 0;
}

static int
same_target(const struct pa_state *st, size_t a, size_t b)
{
	struct period pa = period_to(&st->src[a]->periode, st->target);
	struct period pb = period_to(&st->src[b]->periode, st->target);

	return strcmp(st->src[a]->gemeente, st->src[b]->gemeente) == 0 &&
	    period_cmp(&pa, &pb) == 0;
}

int
compare_period_aggregate(const struct indicator *ind, const struct obs *obs,
    size_t n, enum period_kind target, struct compare_period **ret,
    size_t *ret_n, struct err *err)
{
	const struct obs **src = calloc(n ? n : 1, sizeof(*src));
	struct compare_period *out = calloc(n ? n : 1, sizeof(*out));
	struct pa_state st = { ind, NULL, target, 0 };
	size_t	nout = 0;

	*ret = NULL;
	*ret_n = 0;
	if (src == NULL || out == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto fail;
	}
	for (size_t i = 0; i < n; i++)
		src[i] = &obs[i];
	qsort(src, n, sizeof(*src), cmp_obs_ptr);
	if (pa_check(src, n, target, err) == -1)
		goto fail;
	st.src = src;
	if (n > 0)
		st.verwacht = period_months(target) /
		    period_months(src[0]->periode.kind);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && same_target(&st, i, j); j++)
			;
		pa_one(&st, i, j, &out[nout++]);
	}
	free(src);
	*ret = out;
	*ret_n = nout;
	return 0;
fail:
	free(src);
	free(out);
	return -1;
}

/* ---- peer groups ---- */

/* Active gemeente with this code, or -1. The register keeps active and
 * opgeheven gemeenten in two sorted runs; a scan of ~400 is cheap. */
static long
find_code(const struct reg *reg, const char *code, int active_only)
{
	for (size_t i = 0; i < reg->n; i++)
		if (strcmp(reg->gemeenten[i].code, code) == 0)
			return active_only && !reg->gemeenten[i].actief ? -1 :
			    (long)i;
	return -1;
}

char *
compare_provincie_id(const char *provincie, char *buf, size_t size)
{
	/* U+00C0..U+00FF (UTF-8 C3 80..C3 BF) folded to ASCII: â → a */
	static const char fold[] = "aaaaaaaceeeeiiiidnooooo-ouuuuyts"
				   "aaaaaaaceeeeiiiidnooooo-ouuuuyty";
	const unsigned char *p = (const unsigned char *)provincie;
	size_t	o = 0;

	if (size == 0)
		return buf;
	for (; *p && o + 1 < size; p++) {
		if (isalnum(*p))
			buf[o++] = (char)tolower(*p);
		else if (*p == ' ' || *p == '-' || *p == '\'')
			buf[o++] = '-';
		else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF)
			buf[o++] = fold[*++p - 0x80];
		/* any other byte is dropped */
	}
	buf[o] = '\0';
	return buf;
}

static int
groep_add(struct compare_groep *g, size_t idx)
{
	size_t *p = realloc(g->leden, (g->n + 1) * sizeof(*p));

	if (p == NULL)
		return -1;
	g->leden = p;
	g->leden[g->n++] = idx;
	return 0;
}

static int
groep_derived(const struct reg *reg, struct compare_groep *g, int klasse,
    const char *prov_id)
{
	char	pid[64];

	for (size_t i = 0; i < reg->n; i++) {
		const struct gemeente *gm = &reg->gemeenten[i];
		if (!gm->actief)
			continue;
		if (klasse > 0 && gm->grootteklasse != klasse)
			continue;
		if (prov_id != NULL && strcasecmp(compare_provincie_id(
		    gm->provincie, pid, sizeof(pid)), prov_id) != 0)
			continue;
		if (prov_id != NULL && g->n == 0)
			snprintf(g->naam, sizeof(g->naam), "Provincie %s",
			    gm->provincie);
		if (groep_add(g, i) == -1)
			return -1;
	}
	return 0;
}

static int
cmp_leden(const void *a, const void *b, const struct reg *reg)
{
	return strcmp(reg->gemeenten[*(const size_t *)a].code,
	    reg->gemeenten[*(const size_t *)b].code);
}

static int
groep_user(const struct reg *reg, const struct groep *ug,
    struct compare_groep *g, struct err *err)
{
	long	idx;

	snprintf(g->id, sizeof(g->id), "%s", ug->id);
	snprintf(g->naam, sizeof(g->naam), "%s", ug->naam[0] ? ug->naam :
	    ug->id);
	for (size_t i = 0; i < ug->n; i++) {
		if ((idx = find_code(reg, ug->codes[i], 0)) < 0)
			return err_set(err, "groep %s: onbekende gemeente %s",
			    ug->id, ug->codes[i]);
		if (!reg->gemeenten[idx].actief)
			continue;	/* merged away: the successor counts */
		if (groep_add(g, (size_t)idx) == -1)
			return err_set(err, "onvoldoende geheugen");
	}
	/* insertion sort by code: groups are small and qsort has no context */
	for (size_t i = 1; i < g->n; i++)
		for (size_t j = i; j > 0 && cmp_leden(&g->leden[j - 1],
		    &g->leden[j], reg) > 0; j--) {
			size_t	t = g->leden[j];
			g->leden[j] = g->leden[j - 1];
			g->leden[j - 1] = t;
		}
	return 0;
}

static int
groep_vergelijkbaar(const struct reg *reg, const char *code,
    struct compare_groep *g, struct err *err)
{
	long	idx = find_code(reg, code, 1);

	if (idx < 0)
		return err_set(err, "onbekende of opgeheven gemeente '%s'",
		    code);
	g->soort = COMPARE_GROEP_VERGELIJKBAAR;
	snprintf(g->anker, sizeof(g->anker), "%s", reg->gemeenten[idx].code);
	snprintf(g->id, sizeof(g->id), "vergelijkbaar-%s", g->anker);
	snprintf(g->naam, sizeof(g->naam), "Gemeenten vergelijkbaar met %s",
	    reg->gemeenten[idx].naam);
	return 0;
}

static int
groep_klasse(const struct reg *reg, const char *arg, struct compare_groep *g,
    struct err *err)
{
	char   *end;
	long	k = strtol(arg, &end, 10);

	if (end == arg || *end != '\0' || k < 1 || k > REGISTER_NKLASSEN)
		return err_set(err, "onbekende grootteklasse '%s' (1 t/m %d)",
		    arg, REGISTER_NKLASSEN);
	g->soort = COMPARE_GROEP_GROOTTEKLASSE;
	snprintf(g->id, sizeof(g->id), "grootteklasse-%ld", k);
	snprintf(g->naam, sizeof(g->naam), "Grootteklasse %ld", k);
	if (groep_derived(reg, g, (int)k, NULL) == -1)
		return err_set(err, "onvoldoende geheugen");
	return 0;
}

static int
groep_provincie(const struct reg *reg, const char *arg,
    struct compare_groep *g, struct err *err)
{
	g->soort = COMPARE_GROEP_PROVINCIE;
	if (groep_derived(reg, g, 0, arg) == -1)
		return err_set(err, "onvoldoende geheugen");
	if (g->n == 0)
		return err_set(err, "onbekende provincie '%s'", arg);
	snprintf(g->id, sizeof(g->id), "provincie-");
	compare_provincie_id(g->naam + strlen("Provincie "), g->id + 10,
	    sizeof(g->id) - 10);
	return 0;
}

int
compare_groep_resolve(const struct reg *reg, const char *id,
    struct compare_groep *ret, struct err *err)
{
	const struct groep *ug = NULL;
	int	rc = 0;

	memset(ret, 0, sizeof(*ret));
	for (size_t i = 0; i < reg->ng && ug == NULL; i++)
		if (strcasecmp(reg->groepen[i].id, id) == 0)
			ug = &reg->groepen[i];
	if (ug != NULL) {
		ret->soort = COMPARE_GROEP_EIGEN;
		rc = groep_user(reg, ug, ret, err);
	} else if (strcasecmp(id, "alle") == 0) {
		snprintf(ret->id, sizeof(ret->id), "alle");
		snprintf(ret->naam, sizeof(ret->naam), "Alle gemeenten");
		if (groep_derived(reg, ret, 0, NULL) == -1)
			rc = err_set(err, "onvoldoende geheugen");
	} else if (strncasecmp(id, "grootteklasse-", 14) == 0) {
		rc = groep_klasse(reg, id + 14, ret, err);
	} else if (strncasecmp(id, "provincie-", 10) == 0) {
		rc = groep_provincie(reg, id + 10, ret, err);
	} else if (strncasecmp(id, "vergelijkbaar-", 14) == 0) {
		rc = groep_vergelijkbaar(reg, id + 14, ret, err);
	} else {
		rc = err_set(err, "onbekende groep '%s'", id);
	}
	if (rc == -1)
		compare_groep_free(ret);
	return rc;
}

void
compare_groep_free(struct compare_groep *g)
{
	if (g == NULL)
		return;
	free(g->leden);
	g->leden = NULL;
	g->n = 0;
}

/* ---- vergelijkbare gemeenten (k nearest on z-scores) ---- */

struct peer_cand {
	size_t	index;
	double	afstand;
	int	used;
	const char *code;
};

static int
cmp_cand(const void *a, const void *b)
{
	const struct peer_cand *x = a, *y = b;

	if (x->afstand != y->afstand)
		return x->afstand < y->afstand ? -1 : 1;
	return strcmp(x->code, y->code);
}

/* Keep c[0..nc) as the best (at most k) candidates in order: an insertion
 * into a short sorted array beats sorting all n for every anchor. Returns
 * the new count. */
static size_t
top_k_insert(struct peer_cand *c, size_t nc, size_t k,
    const struct peer_cand *x)
{
	size_t	i = nc;

	if (k == 0 || (nc == k && cmp_cand(x, &c[k - 1]) >= 0))
		return nc;
	if (nc == k)
		i = --nc;
	for (; i > 0 && cmp_cand(x, &c[i - 1]) < 0; i--)
		c[i] = c[i - 1];
	c[i] = *x;
	return nc + 1;
}

/* Mean and population sd of column j over its non-missing values. */
static void
column_stats(const double *f, size_t n, size_t nf, size_t j, double *mean,
    double *sd)
{
	double	s = 0, ss = 0;
	size_t	m = 0;

	for (size_t i = 0; i < n; i++)
		if (isfinite(f[i * nf + j])) {
			s += f[i * nf + j];
			m++;
		}
	*mean = m ? s / (double)m : NAN;
	for (size_t i = 0; i < n; i++)
		if (isfinite(f[i * nf + j])) {
			double	d = f[i * nf + j] - *mean;
			ss += d * d;
		}
	*sd = m ? sqrt(ss / (double)m) : NAN;
}

static double
zscore(double x, double mean, double sd)
{
	if (!isfinite(x))
		return NAN;
	/* a constant feature says nothing about similarity */
	return sd > 0 ? (x - mean) / sd : 0;
}

static void
distance(const double *f, size_t nf, const struct compare_peers *p, size_t i,
    struct peer_cand *c)
{
	double	d2 = 0;
	int	used = 0;

	for (size_t j = 0; j < nf; j++) {
		double	z = zscore(f[i * nf + j], p->gemiddelde[j], p->sd[j]);
		if (!isfinite(z) || !isfinite(p->anker_z[j]))
			continue;
		d2 += (z - p->anker_z[j]) * (z - p->anker_z[j]);
		used++;
	}
	c->index = i;
	c->used = used;
	/* scale up for missing features so distances stay comparable */
	c->afstand = used ? sqrt(d2 * (double)nf / used) : INFINITY;
}

static void
peers_fill(const double *f, size_t nf, const char (*codes)[8],
    const struct peer_cand *c, struct compare_peers *p)
{
	double *w = p->anker_z + nf;

	for (size_t i = 0; i < p->n; i++) {
		struct compare_peer *pe = &p->peers[i];
		double *z = w + nf;
		pe->index = c[i].index;
		snprintf(pe->gemeente, sizeof(pe->gemeente), "%s",
		    codes[c[i].index]);
		pe->afstand = c[i].afstand;
		pe->kenmerken = c[i].used;
		for (size_t j = 0; j < nf; j++) {
			w[j] = f[c[i].index * nf + j];
			z[j] = zscore(w[j], p->gemiddelde[j], p->sd[j]);
		}
		pe->waarden = w;
		pe->z = z;
		w += 2 * nf;
	}
}

int
compare_peers(const double *features, size_t n, size_t nf,
    const char (*codes)[8], size_t anchor, size_t k,
    struct compare_peers *ret, struct err *err)
{
	struct peer_cand *c = NULL;
	size_t	nc = 0;

	memset(ret, 0, sizeof(*ret));
	if (nf == 0 || anchor >= n)
		return err_set(err, "geen kenmerken of ongeldige gemeente "
		    "voor vergelijkbare gemeenten");
	if (k == 0)
		k = COMPARE_DEFAULT_K;
	k = k < n - 1 ? k : n - 1;
	ret->nf = nf;
	ret->buf = calloc(4 * nf + 2 * k * nf + 1, sizeof(double));
	ret->peers = calloc(k + 1, sizeof(*ret->peers));
	c = calloc(k + 1, sizeof(*c));
	if (ret->buf == NULL || ret->peers == NULL || c == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto fail;
	}
	ret->gemiddelde = ret->buf;
	ret->sd = ret->buf + nf;
	ret->anker_waarden = ret->buf + 2 * nf;
	ret->anker_z = ret->buf + 3 * nf;
	for (size_t j = 0; j < nf; j++) {
		column_stats(features, n, nf, j, &ret->gemiddelde[j],
		    &ret->sd[j]);
		ret->anker_waarden[j] = features[anchor * nf + j];
		ret->anker_z[j] = zscore(ret->anker_waarden[j],
		    ret->gemiddelde[j], ret->sd[j]);
	}
	for (size_t i = 0; i < n; i++) {
		struct peer_cand cand;
		if (i == anchor)
			continue;
		distance(features, nf, ret, i, &cand);
		cand.code = codes[i];
		if (cand.used > 0)
			nc = top_k_insert(c, nc, k, &cand);
	}
	ret->n = nc;
	peers_fill(features, nf, codes, c, ret);
	free(c);
	return 0;
fail:
	free(c);
	compare_peers_free(ret);
	return -1;
}

void
compare_peers_free(struct compare_peers *p)
{
	if (p == NULL)
		return;
	free(p->buf);
	free(p->peers);
	memset(p, 0, sizeof(*p));
}

/* ---- herindelingen ---- */

#define MAX_CHAIN 16	/* mergers of mergers; guards against a cycle */

/* First second of a "YYYY-MM-DD" date (UTC), via the month's period. */
static long long
date_start(const char *datum)
{
	struct period p = { PERIOD_MAAND, 0, 0 };
	int	d = 1;

	if (sscanf(datum, "%4d-%2d-%2d", &p.year, &p.index, &d) != 3)
		return 0;
	return period_start(&p) + (long long)(d - 1) * 86400;
}

struct successor {
	char	code[8];	/* final code */
	const struct herindeling *end;	/* row that ended the source code */
	const struct herindeling *split;	/* non-NULL: split, not assigned */
};

/* Follow code through reg->herindelingen to today's code. */
static void
successor(const struct reg *reg, const char *code, struct successor *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->code, sizeof(s->code), "%s", code);
	for (int depth = 0; depth < MAX_CHAIN; depth++) {
		const struct herindeling *next = NULL;
		for (size_t i = 0; i < reg->nh; i++) {
			const struct herindeling *h = &reg->herindelingen[i];
			if (strcmp(h->oude_code, s->code) != 0)
				continue;
			if (h->splitsing || (next != NULL && strcmp(
			    next->nieuwe_code, h->nieuwe_code) != 0)) {
				s->split = h;
				return;
			}
			next = h;
		}
		if (next == NULL)
			return;
		if (s->end == NULL)
			s->end = next;
		snprintf(s->code, sizeof(s->code), "%s", next->nieuwe_code);
	}
}

static void
split_reason(const struct reg *reg, const struct obs *o,
    const struct herindeling *h, struct compare_unassigned *u)
{
	char	list[160] = "";
	size_t	l = 0;

	memset(u, 0, sizeof(*u));
	snprintf(u->gemeente, sizeof(u->gemeente), "%s", o->gemeente);
	u->periode = o->periode;
	for (size_t i = 0; i < reg->nh && l < sizeof(list); i++) {
		const struct herindeling *x = &reg->herindelingen[i];
		if (strcmp(x->oude_code, h->oude_code) == 0)
			l += (size_t)snprintf(list + l, sizeof(list) - l,
			    "%s%s (%s)", l ? ", " : "", x->nieuwe_naam,
			    x->nieuwe_code);
	}
	snprintf(u->reden, sizeof(u->reden), "%s (%s) is op %s opgedeeld over "
	    "%s; zonder weging is de waarde niet aan één opvolger toe te "
	    "wijzen", h->oude_naam, h->oude_code, h->datum, list);
}

struct mapped {
	const struct obs *o;
	char	code[8];	/* final code */
};

static int
cmp_mapped(const void *a, const void *b)
{
	const struct mapped *x = a, *y = b;
	int	c = strcmp(x->code, y->code);

	if (c == 0)
		c = period_cmp(&x->o->periode, &y->o->periode);
	return c ? c : strcmp(x->o->gemeente, y->o->gemeente);
}

/* Did code exist before its first merger (Amsterdam before Weesp) rather
 * than being created by it (Dijk en Waard)? Judged from the data: it did if
 * it has a value of its own for a period that started before the merger. */
static int
preexisting(const struct mapped *m, size_t n, const char *code,
    long long first)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].o->gemeente, code) == 0 &&
		    period_start(&m[i].o->periode) < first)
			return 1;
	return 0;
}

/* Gemeenten that existed during p and now belong to code: predecessors
 * whose end lies after p's start, plus code itself when it existed. */
static int
expected_sources(const struct reg *reg, const struct mapped *m, size_t n,
    const char *code, const struct period *p)
{
	long long start = period_start(p), first = 0;
	struct successor s;
	int	count = 0;

	for (size_t i = 0; i < reg->nh; i++) {
		const struct herindeling *h = &reg->herindelingen[i];
		int	dup = 0;
		for (size_t j = 0; j < i && !dup; j++)
			dup = strcmp(reg->herindelingen[j].oude_code,
			    h->oude_code) == 0;
		successor(reg, h->oude_code, &s);
		if (dup || s.split != NULL || strcmp(s.code, code) != 0)
			continue;
		long long ended = date_start(s.end->datum);
		if (first == 0 || ended < first)
			first = ended;
		count += ended > start;
	}
	if (first == 0 || start >= first || preexisting(m, n, code, first))
		count++;
	return count;
}

static void
merge_one(const struct indicator *ind, const struct mapped *m, size_t from,
    size_t to, struct compare_merged *out)
{
	struct obs *o = &out->obs;
	size_t	l = 0;
	int	comp = catalog_has_components(ind);

	memset(out, 0, sizeof(*out));
	*o = *m[from].o;
	snprintf(o->gemeente, sizeof(o->gemeente), "%s", m[from].code);
	o->waarde = o->teller = o->noemer = 0;
	o->line = 0;
	l = (size_t)snprintf(o->toelichting, sizeof(o->toelichting),
	    "samengevoegd uit");
	for (size_t i = from; i < to; i++) {
		const struct obs *s = m[i].o;
		if (comp ? !(isfinite(s->teller) && isfinite(s->noemer)) :
		    !isfinite(s->waarde))
			continue;
		out->bronnen++;
		o->status = worst(o->status, s->status);
		o->waarde += s->waarde;
		o->teller += s->teller;
		o->noemer += s->noemer;
		if (l < sizeof(o->toelichting))
			l += (size_t)snprintf(o->toelichting + l,
			    sizeof(o->toelichting) - l, " %s", s->gemeente);
	}
	if (comp)
		o->waarde = catalog_value(ind, o->teller, o->noemer);
	else
		o->teller = o->noemer = NAN;
}

/* Split obs into mapped ones and unassigned ones (split gemeenten). */
static int
herindel_map(const struct reg *reg, const struct obs *obs, size_t n,
    struct mapped *m, size_t *ret_nm, struct compare_unassigned *un,
    size_t *ret_nun)
{
	struct successor s;
	size_t	nm = 0, nun = 0;

	for (size_t i = 0; i < n; i++) {
		successor(reg, obs[i].gemeente, &s);
		if (s.split != NULL) {
			split_reason(reg, &obs[i], s.split, &un[nun++]);
			continue;
		}
		m[nm].o = &obs[i];
		snprintf(m[nm].code, sizeof(m[nm].code), "%s", s.code);
		nm++;
	}
	qsort(m, nm, sizeof(*m), cmp_mapped);
	for (size_t i = 1; i < nm; i++)
		if (cmp_mapped(&m[i - 1], &m[i]) == 0)
			return -1;
	*ret_nm = nm;
	*ret_nun = nun;
	return 0;
}

int
compare_herindel(const struct indicator *ind, const struct reg *reg,
    const struct obs *obs, size_t n, struct compare_merged **ret,
    size_t *ret_n, struct compare_unassigned **ret_un, size_t *ret_nun,
    struct err *err)
{
	struct mapped *m = calloc(n ? n : 1, sizeof(*m));
	struct compare_merged *out = calloc(n ? n : 1, sizeof(*out));
	struct compare_unassigned *un = calloc(n ? n : 1, sizeof(*un));
	size_t	nm = 0, nout = 0, nun = 0;

	*ret = NULL;
	*ret_un = NULL;
	*ret_n = *ret_nun = 0;
	if (m == NULL || out == NULL || un == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto fail;
	}
	if (herindel_map(reg, obs, n, m, &nm, un, &nun) == -1) {
		err_set(err, "een gemeente staat twee keer met dezelfde "
		    "periode in de invoer");
		goto fail;
	}
	for (size_t i = 0, j; i < nm; i = j) {
		for (j = i + 1; j < nm && strcmp(m[i].code, m[j].code) == 0 &&
		     period_cmp(&m[i].o->periode, &m[j].o->periode) == 0; j++)
			;
		struct compare_merged *o = &out[nout++];
		merge_one(ind, m, i, j, o);
		o->verwacht = expected_sources(reg, m, nm, m[i].code,
		    &m[i].o->periode);
		o->onvolledig = o->bronnen < o->verwacht;
	}
	free(m);
	*ret = out;
	*ret_n = nout;
	*ret_un = un;
	*ret_nun = nun;
	return 0;
fail:
	free(m);
	free(out);
	free(un);
	return -1;
}
