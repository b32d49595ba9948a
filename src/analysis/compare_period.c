/* src/analysis/compare_period.c — the comparison engine's period
 * aggregation: monthly observations summed into quarters, halves and years
 * (Σteller/Σnoemer) before a cross-section is compared. */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/compare.h"

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
		out->status = compare_status_worst(out->status, o->status);
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
