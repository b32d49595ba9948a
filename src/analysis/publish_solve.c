/* src/analysis/publish_solve.c — complementary suppression for one gemeente,
 * year and family (publish.h): the cells, the declared sums and the small
 * figures as integer forms, exact elimination over the unknown cells, step
 * 1 (withhold parts) and step 2 (longer periods one by one). Pure. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/publish.h"
#include "base/util.h"

#define MAX_DIMS	2	/* teller and noemer */
#define MAX_SLOTS	12	/* base periods in a year */
#define MAX_CELLS	(PUBLISH_MEMBERS * MAX_SLOTS * MAX_DIMS)
#define FORM_TERMS	128	/* a sum of 8 parts over 12 months and more */
#define WEIGHT_SCALE	100	/* sums' weights as integers (0,5 → 50) */

/* ---- the block: cells of one gemeente, year and family ---- */

enum cell_state { C_KNOWN, C_ABSENT, C_SMALL, C_WITHHELD };

/* A sparse linear form over the block's cells, integer coefficients. */
struct form {
	int	n;
	int	cell[FORM_TERMS];
	int64_t	c[FORM_TERMS];
};

struct block {
	const struct publish_family *f;
	int	year;
	int	base[PUBLISH_MEMBERS];		/* first cell of member i */
	int	slots[PUBLISH_MEMBERS];		/* base periods in the year */
	int	dims[PUBLISH_MEMBERS];
	int	ncells;
	double	val[MAX_CELLS];
	enum cell_state st[MAX_CELLS];
	int	whole[MAX_CELLS];	/* the cell is the whole of a sum */
	/* the declared sums as forms that equal zero */
	struct form *sums;
	int	nsums;
	/* the small figures: forms that must stay undetermined */
	struct form *targets;
	int	ntargets, captargets;
};

static int
cell_of(const struct block *b, int m, int slot, int dim)
{
	return b->base[m] + slot * b->dims[m] + dim;
}


/* Place the year's values; cells without a value stay absent. */
static void
block_fill(struct block *b, const char *gm, const struct obs *obs, size_t n)
{
	for (int i = 0; i < b->ncells; i++) {
		b->st[i] = C_ABSENT;
		b->val[i] = NAN;
	}
	for (size_t k = 0; k < n; k++) {
		const struct obs *o = &obs[k];
		int	m = -1;

		if (strcmp(o->gemeente, gm) != 0 || o->periode.year != b->year)
			continue;
		for (size_t i = 0; i < b->f->n && m < 0; i++)
			if (strcmp(b->f->m[i]->id, o->indicator) == 0 &&
			    b->f->m[i]->periode == o->periode.kind)
				m = (int)i;
		if (m < 0)
			continue;
		int	s = o->periode.index - 1;	/* slot in the year */
		double	v[MAX_DIMS] = { o->waarde, NAN };
		if (b->dims[m] == 2) {
			v[0] = o->teller;
			v[1] = o->noemer;
		}
		for (int d = 0; d < b->dims[m]; d++) {
			int	c = cell_of(b, m, s, d);
			if (!isfinite(v[d]))
				continue;
			b->val[c] = v[d];
			b->st[c] = C_KNOWN;
		}
	}
}

static void
form_add(struct form *f, int cell, int64_t c)
{
	for (int i = 0; i < f->n; i++)
		if (f->cell[i] == cell) {
			f->c[i] += c;
			return;
		}
	if (f->n < FORM_TERMS) {
		f->cell[f->n] = cell;
		f->c[f->n++] = c;
	}
}

/* Σ over member m's slots within period p (of a kind at least as long as
 * the member's) of dimension d, times coef. A published longer period
 * sums the months delivered (present only): an undelivered month adds
 * nothing to it. A declared sum holds for the true values, delivered or
 * not (all). */
static void
form_span(const struct block *b, struct form *f, int m,
    const struct period *p, int d, int64_t coef, int all)
{
	const struct indicator *ind = b->f->m[m];
	int	per = period_months(p->kind) / period_months(ind->periode);
	int	first = (p->index - 1) * per;

	if (ind->meting == METING_STAND) {	/* the last peildatum */
		form_add(f, cell_of(b, m, first + per - 1, d), coef);
		return;
	}
	for (int s = first; s < first + per; s++)
		if (all || b->st[cell_of(b, m, s, d)] != C_ABSENT)
			form_add(f, cell_of(b, m, s, d), coef);
}

/* Cell dimension of a figure: the noemer is the second of two. */
static int
dim_index(enum cat_dim d)
{
	return d == DIM_NOEMER ? 1 : 0;
}

/* Every declared sum of every member, per period of the whole. */
static int
block_sums(struct block *b, struct err *err)
{
	int	cap = 0;

	for (size_t w = 0; w < b->f->n; w++) {
		const struct indicator *wi = b->f->m[w];
		cap += (int)wi->nsom * b->slots[w];
	}
	if ((b->sums = calloc((size_t)cap + 1, sizeof(*b->sums))) == NULL)
		return err_set(err, "onvoldoende geheugen");
	for (size_t w = 0; w < b->f->n; w++) {
		const struct indicator *wi = b->f->m[w];
		for (size_t s = 0; s < wi->nsom; s++) {
			const struct cat_sum *sum = &wi->som[s];
			for (int slot = 0; slot < b->slots[w]; slot++) {
				struct form *f = &b->sums[b->nsums++];
				struct period p = { wi->periode, b->year,
					slot + 1 };
				int	wc = cell_of(b, (int)w, slot,
				    dim_index(sum->dim));
				form_add(f, wc, WEIGHT_SCALE);
				b->whole[wc] = 1;
				for (size_t k = 0; k < sum->n; k++) {
					int	m = -1;
					for (size_t i = 0; i < b->f->n; i++)
						if (strcmp(b->f->m[i]->id,
						    sum->t[k].id) == 0)
							m = (int)i;
					if (m < 0)
						continue;
					form_span(b, f, m, &p, dim_index(
					    sum->t[k].dim),
					    -(int64_t)llround(sum->t[k].gewicht *
					    WEIGHT_SCALE), 1);
				}
			}
		}
	}
	return 0;
}

/* Which dimensions of member m's figure at period p are small on the
 * block's values (bit d: dimension d; compare_small's rules): a count's
 * value, a ratio's noemer below min_n or teller of people below
 * min_n_teller. 0 when nothing is small or nothing was delivered. Only a
 * small dimension must stay undetermined: the teller of a ratio with a
 * small noemer may be published elsewhere (as the count it is). */
static int
figure_small(const struct block *b, int m, const struct period *p)
{
	const struct indicator *ind = b->f->m[m];
	double	v[MAX_DIMS] = { 0, 0 };

	for (int d = 0; d < b->dims[m]; d++) {
		struct form f = { 0 };
		form_span(b, &f, m, p, d, 1, 0);
		if (f.n == 0 || b->st[f.cell[0]] == C_ABSENT)
			return 0;	/* nothing delivered */
		for (int i = 0; i < f.n; i++)
			v[d] += b->val[f.cell[i]];
	}
	if (b->dims[m] == 1)
		return compare_small(ind, v[0], NAN, NAN);
	return (ind->min_n_teller > 0 && v[0] > 0 &&
	    v[0] < ind->min_n_teller) | (ind->min_n > 0 && v[1] > 0 &&
	    v[1] < ind->min_n) << 1;
}

/* The longer periods of member m that may be published: kinds coarser
 * than its own, longest first (year, halfjaren, quarters), for a flow
 * that may be aggregated. A stand's longer period is one of its cells. */
static int
longer_periods(const struct block *b, int m, struct period *out)
{
	const struct indicator *ind = b->f->m[m];
	static const enum period_kind kinds[] = { PERIOD_JAAR,
		PERIOD_HALFJAAR, PERIOD_KWARTAAL };
	int	n = 0;

	if (ind->meting == METING_STAND || !ind->over_perioden)
		return 0;
	for (size_t k = 0; k < NELEM(kinds); k++) {
		if (period_months(kinds[k]) <= period_months(ind->periode))
			continue;
		for (int i = 1; i <= 12 / period_months(kinds[k]); i++)
			out[n++] = (struct period){ kinds[k], b->year, i };
	}
	return n;
}

static int
add_target(struct block *b, int m, const struct period *p, int mask,
    struct err *err)
{
	if (b->ntargets + MAX_DIMS > b->captargets) {
		int	cap = b->captargets ? b->captargets * 2 : 16;
		void   *g = realloc(b->targets, (size_t)cap * sizeof(*b->targets));
		if (g == NULL)
			return err_set(err, "onvoldoende geheugen");
		b->targets = g;
		b->captargets = cap;
	}
	for (int d = 0; d < b->dims[m]; d++) {
		if (!(mask & 1 << d))
			continue;
		struct form *t = &b->targets[b->ntargets++];
		memset(t, 0, sizeof(*t));
		form_span(b, t, m, p, d, 1, 0);
	}
	return 0;
}

/* Small cells and small longer periods: what must stay undetermined. */
static int
block_targets(struct block *b, struct err *err)
{
	struct period lp[16];

	for (size_t m = 0; m < b->f->n; m++) {
		const struct indicator *ind = b->f->m[m];
		for (int s = 0; s < b->slots[m]; s++) {
			struct period p = { ind->periode, b->year, s + 1 };
			int	mask = figure_small(b, (int)m, &p);
			if (mask == 0)
				continue;
			/* suppressed: every dimension unknown */
			for (int d = 0; d < b->dims[m]; d++)
				b->st[cell_of(b, (int)m, s, d)] = C_SMALL;
			if (add_target(b, (int)m, &p, mask, err) == -1)
				return -1;
		}
		int	nl = longer_periods(b, (int)m, lp);
		for (int i = 0; i < nl; i++) {
			int	mask = figure_small(b, (int)m, &lp[i]);
			if (mask != 0 && add_target(b, (int)m, &lp[i], mask,
			    err) == -1)
				return -1;
		}
	}
	return 0;
}

/* ---- exact elimination over the unknown cells ---- */

/* Rows in echelon form over the unknown cells (dense, integer). */
struct basis {
	int	ncol;
	int	col[MAX_CELLS];		/* block cell → column, -1 known */
	int	nrow;
	int	pivot[MAX_CELLS];
	int64_t	*row;			/* nrow × ncol, allocated MAX rows */
	int	maxrow;
};

static int64_t
gcd64(int64_t a, int64_t b)
{
	a = a < 0 ? -a : a;
	b = b < 0 ? -b : b;
	while (b != 0) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static void
normalise(int64_t *v, int n)
{
	int64_t	g = 0, big = 0;

	/* only to keep products in range: below 2^31 a row needs none */
	for (int i = 0; i < n; i++)
		big |= v[i] < 0 ? -v[i] : v[i];
	if (big < ((int64_t)1 << 31))
		return;
	for (int i = 0; i < n; i++)
		g = gcd64(g, v[i]);
	for (int i = 0; g > 1 && i < n; i++)
		v[i] /= g;
}

/* Reduce v against the basis; returns the first non-zero column, or -1
 * when v lies in the row space. */
static int
reduce(const struct basis *bs, int64_t *v)
{
	for (int r = 0; r < bs->nrow; r++) {
		const int64_t *row = bs->row + (size_t)r * (size_t)bs->ncol;
		int	p = bs->pivot[r];
		if (v[p] == 0)
			continue;
		int64_t	a = row[p], c = v[p], g = gcd64(a, c);
		a /= g;
		c /= g;
		for (int j = 0; j < bs->ncol; j++)
			v[j] = v[j] * a - row[j] * c;
		normalise(v, bs->ncol);
	}
	for (int j = 0; j < bs->ncol; j++)
		if (v[j] != 0)
			return j;
	return -1;
}

static void
dense(const struct basis *bs, const struct form *f, int64_t *v)
{
	memset(v, 0, (size_t)bs->ncol * sizeof(*v));
	for (int i = 0; i < f->n; i++)
		if (bs->col[f->cell[i]] >= 0)
			v[bs->col[f->cell[i]]] += f->c[i];
}

/* Add form f as a row (kept sorted by pivot). */
static void
basis_add(struct basis *bs, const struct form *f)
{
	int64_t	v[MAX_CELLS];
	int	p, at;

	if (bs->ncol == 0 || bs->nrow == bs->maxrow)
		return;
	dense(bs, f, v);
	if ((p = reduce(bs, v)) < 0)
		return;
	for (at = bs->nrow; at > 0 && bs->pivot[at - 1] > p; at--)
		;
	memmove(bs->row + (size_t)(at + 1) * (size_t)bs->ncol,
	    bs->row + (size_t)at * (size_t)bs->ncol,
	    (size_t)(bs->nrow - at) * (size_t)bs->ncol * sizeof(*bs->row));
	memmove(bs->pivot + at + 1, bs->pivot + at,
	    (size_t)(bs->nrow - at) * sizeof(*bs->pivot));
	memcpy(bs->row + (size_t)at * (size_t)bs->ncol, v,
	    (size_t)bs->ncol * sizeof(*v));
	bs->pivot[at] = p;
	bs->nrow++;
}

/* 1 when the form is known: every unknown part of it cancels against the
 * rows (a form without unknown cells is known outright). */
static int
determined(const struct basis *bs, const struct form *f)
{
	int64_t	v[MAX_CELLS];

	if (bs->ncol == 0)
		return 1;
	dense(bs, f, v);
	return reduce(bs, v) < 0;
}

static int
basis_init(struct basis *bs, const struct block *b, struct err *err)
{
	bs->ncol = 0;
	bs->nrow = 0;
	for (int i = 0; i < b->ncells; i++)
		bs->col[i] = b->st[i] == C_KNOWN ? -1 : bs->ncol++;
	bs->maxrow = bs->ncol;
	free(bs->row);
	bs->row = calloc((size_t)(bs->ncol ? bs->ncol : 1) *
	    (size_t)(bs->ncol ? bs->ncol : 1), sizeof(*bs->row));
	if (bs->row == NULL)
		return err_set(err, "onvoldoende geheugen");
	for (int s = 0; s < b->nsums; s++)
		basis_add(bs, &b->sums[s]);
	return 0;
}

static int
copy_basis(struct basis *dst, const struct basis *src, struct err *err)
{
	size_t	sz = (size_t)(src->ncol ? src->ncol : 1) *
	    (size_t)(src->ncol ? src->ncol : 1) * sizeof(*src->row);
	int64_t *row = dst->row;

	if (row == NULL || dst->maxrow != src->maxrow) {
		free(row);
		if ((row = malloc(sz)) == NULL)
			return err_set(err, "onvoldoende geheugen");
	}
	*dst = *src;
	dst->row = row;
	memcpy(dst->row, src->row, sz);
	return 0;
}

/* The first small figure the basis determines, or -1. */
static int
first_revealed(const struct block *b, const struct basis *bs)
{
	for (int t = 0; t < b->ntargets; t++)
		if (determined(bs, &b->targets[t]))
			return t;
	return -1;
}

/* ---- step 1: withhold a part of a sum that reveals a small figure ---- */

/* Is candidate c better to withhold than the best so far? Parts before
 * wholes, non-zero before zero, then the smallest value, then the order. */
static int
better(const struct block *b, int c, int best)
{
	if (best < 0)
		return 1;
	if (b->whole[c] != b->whole[best])
		return !b->whole[c];
	if ((b->val[c] != 0) != (b->val[best] != 0))
		return b->val[c] != 0;
	return fabs(b->val[c]) < fabs(b->val[best]);
}

/* A known cell to withhold for target t: from the sums touching t's
 * cells, else from the sums touching those sums' cells, and so on (a
 * duurklasse may be known through the bestand, the bestand through the
 * ratio whose teller it is). -1 when no sum connected to t has a known
 * cell left. */
static int
complement(const struct block *b, const struct form *t)
{
	char	reach[MAX_CELLS] = { 0 };
	int	best = -1, grown = 1;

	for (int i = 0; i < t->n; i++)
		reach[t->cell[i]] = 1;
	for (int i = 0; i < t->n; i++)
		if (b->st[t->cell[i]] == C_KNOWN && better(b, t->cell[i], best))
			best = t->cell[i];
	while (best < 0 && grown) {
		char	next[MAX_CELLS];
		grown = 0;
		memcpy(next, reach, sizeof(next));
		for (int s = 0; s < b->nsums; s++) {
			const struct form *f = &b->sums[s];
			int	touches = 0;
			for (int i = 0; !touches && i < f->n; i++)
				touches = f->c[i] != 0 && reach[f->cell[i]];
			for (int i = 0; touches && i < f->n; i++) {
				int	c = f->cell[i];
				if (f->c[i] == 0)
					continue;
				if (b->st[c] == C_KNOWN && better(b, c, best))
					best = c;
				grown |= !next[c];
				next[c] = 1;
			}
		}
		memcpy(reach, next, sizeof(reach));
	}
	return best;
}

/* Withhold the whole figure (every dimension) cell c belongs to. */
static void
withhold(struct block *b, int c)
{
	for (size_t m = 0; m < b->f->n; m++) {
		int	lo = b->base[m], hi = lo + b->slots[m] * b->dims[m];
		if (c < lo || c >= hi)
			continue;
		int	first = lo + (c - lo) / b->dims[m] * b->dims[m];
		for (int d = 0; d < b->dims[m]; d++)
			if (b->st[first + d] == C_KNOWN)
				b->st[first + d] = C_WITHHELD;
	}
}

/* ---- output ---- */

/* Figures withheld in step 1: every base period with a withheld cell. */
static int
emit_cells(const struct block *b, const char *gm, struct publish_list *out,
    struct err *err)
{
	for (size_t m = 0; m < b->f->n; m++)
		for (int s = 0; s < b->slots[m]; s++) {
			int	c = cell_of(b, (int)m, s, 0);
			if (b->st[c] != C_WITHHELD)
				continue;
			struct period p = { b->f->m[m]->periode, b->year,
				s + 1 };
			if (publish_list_add(out, gm, b->f->m[m]->id, &p, err) == -1)
				return -1;
		}
	return 0;
}

/* Step 2 keeps every small figure reduced against the basis (tr, ntargets
 * rows of ncol): adding one row r' (itself reduced) determines target t
 * exactly when t's reduced form is a multiple of r' — both are zero on
 * the basis's pivots, so t' − c·r' lies in the basis's span only when it
 * is 0. That makes a candidate's test one pass over the targets instead
 * of a new elimination. */
struct reduced {
	int64_t *tr;
	int	ncol, n;
};

static int
parallel(const int64_t *a, const int64_t *b, int n)
{
	int	k = 0;

	while (k < n && b[k] == 0)
		k++;
	if (k == n || a[k] == 0)
		return 0;
	for (int i = 0; i < n; i++)
		if ((__int128)a[i] * b[k] != (__int128)b[i] * a[k])
			return 0;
	return 1;
}

static int
reduced_init(struct reduced *rt, const struct block *b,
    const struct basis *bs, struct err *err)
{
	free(rt->tr);
	rt->ncol = bs->ncol;
	rt->n = b->ntargets;
	rt->tr = calloc((size_t)(rt->n ? rt->n : 1) * (size_t)(rt->ncol ?
	    rt->ncol : 1), sizeof(*rt->tr));
	if (rt->tr == NULL)
		return err_set(err, "onvoldoende geheugen");
	for (int t = 0; t < rt->n; t++) {
		int64_t *v = rt->tr + (size_t)t * (size_t)rt->ncol;
		dense(bs, &b->targets[t], v);
		reduce(bs, v);
	}
	return 0;
}

/* Take the reduced row r (pivot p) into the basis and the targets. */
static void
accept_row(struct basis *bs, struct reduced *rt, const int64_t *r, int p)
{
	int	at;

	for (int t = 0; t < rt->n; t++) {
		int64_t *v = rt->tr + (size_t)t * (size_t)rt->ncol;
		if (v[p] == 0)
			continue;
		int64_t	a = r[p], c = v[p], g = gcd64(a, c);
		for (int j = 0; j < rt->ncol; j++)
			v[j] = v[j] * (a / g) - r[j] * (c / g);
		normalise(v, rt->ncol);
	}
	if (bs->nrow == bs->maxrow)
		return;
	for (at = bs->nrow; at > 0 && bs->pivot[at - 1] > p; at--)
		;
	memmove(bs->row + (size_t)(at + 1) * (size_t)bs->ncol,
	    bs->row + (size_t)at * (size_t)bs->ncol,
	    (size_t)(bs->nrow - at) * (size_t)bs->ncol * sizeof(*bs->row));
	memmove(bs->pivot + at + 1, bs->pivot + at,
	    (size_t)(bs->nrow - at) * sizeof(*bs->pivot));
	memcpy(bs->row + (size_t)at * (size_t)bs->ncol, r,
	    (size_t)bs->ncol * sizeof(*r));
	bs->pivot[at] = p;
	bs->nrow++;
}

/* 1 when publishing the one-dimensional form f reveals a small figure;
 * else f is taken into the basis (0). */
static int
try_count(struct basis *bs, struct reduced *rt, const struct form *f)
{
	int64_t	r[MAX_CELLS];
	int	p;

	if (bs->ncol == 0)
		return 0;
	dense(bs, f, r);
	if ((p = reduce(bs, r)) < 0)
		return 0;		/* implied by what is published */
	for (int t = 0; t < rt->n; t++)
		if (parallel(rt->tr + (size_t)t * (size_t)rt->ncol, r,
		    rt->ncol))
			return 1;
	accept_row(bs, rt, r, p);
	return 0;
}

/* The same for a teller and noemer together: a trial basis. */
static int
try_ratio(const struct block *b, struct basis *bs, struct reduced *rt,
    struct basis *trial, const struct form *f, int nd, struct err *err)
{
	if (copy_basis(trial, bs, err) == -1)
		return -1;
	for (int d = 0; d < nd; d++)
		basis_add(trial, &f[d]);
	if (first_revealed(b, trial) >= 0)
		return 1;
	if (copy_basis(bs, trial, err) == -1 ||
	    reduced_init(rt, b, bs, err) == -1)
		return -1;
	return 0;
}

/* Step 2: longer periods, each kept only when it reveals nothing. */
static int
longer(struct block *b, struct basis *bs, const char *gm,
    struct publish_list *out, struct err *err)
{
	struct period lp[16];
	struct basis trial = { 0 };
	struct reduced rt = { 0 };
	int	rc = reduced_init(&rt, b, bs, err);

	for (size_t m = 0; rc == 0 && m < b->f->n; m++) {
		int	nl = longer_periods(b, (int)m, lp);
		for (int i = 0; rc == 0 && i < nl; i++) {
			struct form f[MAX_DIMS];
			int	rev;

			if (figure_small(b, (int)m, &lp[i]))
				continue;	/* suppressed as it is */
			for (int d = 0; d < b->dims[m]; d++) {
				memset(&f[d], 0, sizeof(f[d]));
				form_span(b, &f[d], (int)m, &lp[i], d, 1, 0);
			}
			rev = b->dims[m] == 1 ? try_count(bs, &rt, &f[0]) :
			    try_ratio(b, bs, &rt, &trial, f, b->dims[m], err);
			if (rev == -1)
				rc = -1;
			else if (rev == 1)
				rc = publish_list_add(out, gm, b->f->m[m]->id, &lp[i],
				    err);
		}
	}
	free(trial.row);
	free(rt.tr);
	return rc;
}

/* Cells of the family's members for one year. */
static void
block_layout(struct block *b)
{
	b->ncells = 0;
	for (size_t m = 0; m < b->f->n; m++) {
		const struct indicator *ind = b->f->m[m];
		b->base[m] = b->ncells;
		b->slots[m] = 12 / period_months(ind->periode);
		b->dims[m] = catalog_has_components(ind) ? 2 : 1;
		b->ncells += b->slots[m] * b->dims[m];
	}
}

/* Step 1 to a fixed point: withhold parts until the sums reveal no small
 * figure (each round adds an unknown, so it ends). */
static int
settle(struct block *b, struct basis *bs, struct err *err)
{
	int	t;

	while ((t = first_revealed(b, bs)) >= 0) {
		int	c = complement(b, &b->targets[t]);
		if (c < 0)
			break;	/* no sum connected to it has a known cell
				 * left: nothing to withhold would help */	/* nothing left to withhold: cannot happen
				 * with sums of two or more parts */
		withhold(b, c);
		if (basis_init(bs, b, err) == -1)
			return -1;
	}
	return 0;
}

static void
block_free(struct block *b, struct basis *bs)
{
	free(bs->row);
	free(b->sums);
	free(b->targets);
	free(b);
}

/* Steps 1 and 2 for one gemeente and year: *ret the block and the basis
 * of everything published (free with block_free); 1 when nothing is
 * small (then neither is set up), 0, or -1 with err set. */
static int
block_solve(const struct publish_family *f, const char *gm, int year,
    const struct obs *obs, size_t n, struct publish_list *out,
    struct block **ret, struct basis *bs, struct err *err)
{
	struct block *b = calloc(1, sizeof(*b));
	struct publish_list scratch = { 0 };

	memset(bs, 0, sizeof(*bs));
	if (b == NULL)
		return err_set(err, "onvoldoende geheugen");
	b->f = f;
	b->year = year;
	block_layout(b);
	block_fill(b, gm, obs, n);
	if (block_targets(b, err) == -1)
		goto fail;
	if (b->ntargets == 0) {		/* nothing small: all published */
		block_free(b, bs);
		return 1;
	}
	if (out == NULL)
		out = &scratch;
	if (block_sums(b, err) == -1 || basis_init(bs, b, err) == -1 ||
	    settle(b, bs, err) == -1 || emit_cells(b, gm, out, err) == -1 ||
	    longer(b, bs, gm, out, err) == -1)
		goto fail;
	publish_list_free(&scratch);
	*ret = b;
	return 0;
fail:
	publish_list_free(&scratch);
	block_free(b, bs);
	return -1;
}

int
publish_block(const struct publish_family *f, const char *gm, int year,
    const struct obs *obs, size_t n, struct publish_list *out,
    struct err *err)
{
	struct block *b = NULL;
	struct basis bs;
	int	rc = block_solve(f, gm, year, obs, n, out, &b, &bs, err);

	if (rc == 0)
		block_free(b, &bs);
	return rc == -1 ? -1 : 0;
}

static int
member_by_id(const struct publish_family *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->m[i]->id, id) == 0)
			return (int)i;
	return -1;
}

int
publish_forms_ok(const struct publish_family *f, const char *gm, int year,
    const struct obs *obs, size_t n, const struct publish_term *t,
    const int *form, size_t nt, struct err *err)
{
	struct block *b = NULL;
	struct basis bs;
	struct form fm;
	int	rc = block_solve(f, gm, year, obs, n, NULL, &b, &bs, err), last;

	if (rc != 0)
		return rc;	/* 1: nothing small to reveal; -1 */
	for (size_t i = 0; i < nt; i = (size_t)last) {
		memset(&fm, 0, sizeof(fm));
		for (last = (int)i; (size_t)last < nt && form[last] == form[i];
		    last++) {
			int	m = member_by_id(f, t[last].id);
			if (m >= 0)
				form_span(b, &fm, m, &t[last].periode,
				    dim_index(t[last].dim), (int64_t)llround(
				    t[last].gewicht * WEIGHT_SCALE * 100), 0);
		}
		basis_add(&bs, &fm);
	}
	rc = first_revealed(b, &bs) < 0;
	block_free(b, &bs);
	return rc;
}

