/* src/analysis/compare.c — the comparison engine (design §5): what the API and the
 * charts show about a group of gemeenten. Sits after the ledger in the flow;
 * pure and order-independent: every input is copied and sorted by gemeente
 * code before any sum, so the same data always gives the same bits. This file
 * holds classification, suppression and compare_eval; period aggregation,
 * groups/peers and herindelingen live in compare_{period,peers,herindel}.c. */
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

enum obs_status
compare_status_worst(enum obs_status a, enum obs_status b)
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

int
compare_small(const struct indicator *ind, double waarde, double teller,
    double noemer)
{
	if (!catalog_has_components(ind))
		return ind->min_n > 0 && waarde > 0 && waarde < ind->min_n;
	/* a teller of people is a count too, whatever the noemer */
	return (ind->min_n > 0 && noemer > 0 && noemer < ind->min_n) ||
	    (ind->min_n_teller > 0 && teller > 0 &&
	    teller < ind->min_n_teller);
}

/* Primary classification of one row: value, reason, included in the sum. */
static int
classify(const struct indicator *ind, struct compare_row *r, int beschermd,
    struct err *err)
{
	int	comp = catalog_has_components(ind);

	r->onderdrukt = 0;
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
	/* before "no value": a rate without noemer still shows its teller,
	 * which must not be a small count (issue 12) */
	if (compare_small(ind, r->waarde, r->teller, r->noemer)) {
		r->reden = COMPARE_KLEIN_AANTAL;
		r->onderdrukt = 1;
	} else if (beschermd) {
		r->reden = COMPARE_AANVULLEND;
		r->onderdrukt = 1;
	} else if (!isfinite(r->waarde))
		r->reden = COMPARE_GEEN_WAARDE;
	return 0;
}

/* A row whose figures enter the group sums: published ones only. */
static int
in_sum(const struct indicator *ind, const struct compare_row *r)
{
	if (!r->geleverd || r->reden != COMPARE_GEPUBLICEERD)
		return 0;
	if (catalog_has_components(ind))
		return isfinite(r->teller) && isfinite(r->noemer);
	return isfinite(r->waarde);
}

/* ---- compare_eval: aggregate, percentiles, ranks, display ---- */

static void
aggregate(const struct indicator *ind, struct compare_result *res)
{
	double	sw = 0, st = 0, sn = 0;

	res->status = STATUS_DEFINITIEF;
	for (size_t i = 0; i < res->nrows; i++) {
		const struct compare_row *r = &res->rows[i];
		res->geleverd += (size_t)r->geleverd;
		if (!in_sum(ind, r))
			continue;
		res->n++;
		res->status = compare_status_worst(res->status, r->status);
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
    int geen_rang, struct err *err)
{
	double *v = malloc((res->nrows ? res->nrows : 1) * sizeof(*v));
	size_t	k = 0;

	if (v == NULL)
		return err_set(err, "onvoldoende geheugen");
	for (size_t i = 0; i < res->nrows; i++)
		if (res->rows[i].reden == COMPARE_GEPUBLICEERD &&
		    !res->rows[i].onvolledig)
			v[k++] = res->rows[i].waarde;
	qsort(v, k, sizeof(*v), cmp_double);
	res->npct = k;
	/* a group line from one cell would be that cell (issue 12) */
	for (int p = 0; p < COMPARE_NPCT; p++)
		res->pct[p] = k >= 2 || res->nrows == 1 ? compare_percentile(v,
		    k, compare_pct_levels[p]) : NAN;
	res->rang_op_waarde = ind->richting == RICHTING_NEUTRAAL;
	for (size_t i = 0; i < res->nrows; i++) {
		struct compare_row *r = &res->rows[i];
		r->afstand_mediaan = NAN;
		/* an incomplete period is shown, flagged, never ranked beside
		 * complete ones (issue 11) */
		if (r->reden != COMPARE_GEPUBLICEERD || geen_rang ||
		    r->onvolledig)
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
		r->peildatum = cells[i].peildatum;
		/* carried to classify, which sets the reason */
		r->onderdrukt = cells[i].beschermd;
	}
	qsort(res->rows, n, sizeof(*res->rows), cmp_row_code);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && strcmp(res->rows[i].gemeente,
		    res->rows[i - 1].gemeente) == 0)
			return err_set(err, "gemeente %s staat twee keer in "
			    "de vergelijking", res->rows[i].gemeente);
		if (classify(ind, &res->rows[i], res->rows[i].onderdrukt, err)
		    == -1)
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
	aggregate(ind, ret);
	/* never a group figure from one cell: it would be that cell */
	ret->aggregaat_onderdrukt = n > 1 && ret->n < 2;
	ret->N = expected_n ? expected_n : n;
	ret->onvolledig = catalog_has_components(ind) ? ret->n * 2 < ret->N :
	    ret->n < ret->N;
	if (rank_values(ind, ret, opts != NULL && opts->geen_rang, err) == -1)
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
