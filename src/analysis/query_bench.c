/* src/analysis/query_bench.c — the uitstroom benchmark's inputs from the read
 * model (domain §4: what is missing is named) and whether its figures may be
 * published (domain §3.5). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/query.h"
#include "analysis/query_part.h"
#include "base/util.h"

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
		*onderdrukt |= query_unpublished(ind, v);
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
	if (query_family_obs_gm(src, &f, gm, src->zoals_op, &o, &n, err) == -1)
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

	if (w == NULL || query_latest_period(src, w, &p, &err) == -1)
		return 0;
	return p.kind == PERIOD_MAAND && p.index < 12 ? p.year - 1 : p.year;
}

