/* src/analysis/compare_herindel.c — the comparison engine's herindelingen:
 * series of opgeheven gemeenten mapped onto their successors. */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/compare.h"

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
		o->status = compare_status_worst(o->status, s->status);
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
