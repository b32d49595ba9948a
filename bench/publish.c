/* bench/publish.c — the cost of disclosure control (issue 12) on a real
 * state (the national demo): per family of indicators, the cells delivered,
 * the small ones, and what the complementary suppression withholds besides
 * (cells and longer periods); and the time it adds to a comparison: a
 * cross-section through the read model with the memo cold and warm,
 * against the raw ledger read of the same cells. Not a test: prints figures
 * for the record. In a build without sanitizers:
 *   make bench/bench_publish && ./bench/bench_publish STATE/basis.db INDICATORS */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/publish.h"
#include "analysis/query.h"
#include "benchutil.h"

struct tally {
	size_t	cells, small, cells_withheld, longer_withheld;
	double	ms;
};

/* One family, one year, every gemeente: what publish withholds. */
static void
family_year(struct ledger *led, const struct publish_family *f, int year,
    struct tally *t)
{
	struct obs *all = NULL;
	size_t	n = 0;
	struct publish_list l = { 0 };
	struct err err = { "" };

	for (size_t i = 0; i < f->n; i++) {
		struct obs *o = NULL;
		size_t	k = 0;
		if (ledger_year(led, f->m[i]->id, year, &o, &k, &err) == -1)
			continue;
		all = realloc(all, (n + k + 1) * sizeof(*all));
		if (k > 0)
			memcpy(all + n, o, k * sizeof(*o));
		n += k;
		free(o);
	}
	for (size_t i = 0; i < n; i++) {
		const struct indicator *ind = NULL;
		for (size_t m = 0; m < f->n; m++)
			if (strcmp(f->m[m]->id, all[i].indicator) == 0)
				ind = f->m[m];
		t->cells++;
		t->small += ind != NULL && compare_small(ind, all[i].waarde,
		    all[i].teller, all[i].noemer);
	}
	double	t0 = now_ms();
	struct query_src src = { .led = led };

	query_withheld_year(&src, f, year, &l, &err);
	t->ms += now_ms() - t0;
	for (size_t i = 0; i < l.n; i++) {
		const struct indicator *ind = NULL;
		for (size_t m = 0; m < f->n; m++)
			if (strcmp(f->m[m]->id, l.v[i].indicator) == 0)
				ind = f->m[m];
		if (ind != NULL && l.v[i].periode.kind == ind->periode)
			t->cells_withheld++;
		else
			t->longer_withheld++;
	}
	publish_list_free(&l);
	free(all);
}

/* Median of 5 cross-sections of ind at p: the raw ledger reads (raw), or
 * through the read model with a fresh memo each time (cold) or src's. */
static double
time_xsec(const struct query_src *src, const struct indicator *ind,
    const struct period *p, int raw, int cold)
{
	double	v[5];

	for (int r = 0; r < 5; r++) {
		struct query_src s = *src;
		struct query_xsec x = { 0 };
		struct err err = { "" };
		struct publish *pub = cold ? publish_new() : NULL;
		if (cold)
			s.pub = pub;
		double	t0 = now_ms();
		if (raw) {
			struct period q = period_at(ind->periode,
			    period_start(p));
			for (int i = 0; i < 3; i++, q = period_next(&q)) {
				struct obs *o = NULL;
				size_t	k = 0;
				ledger_cross_section(src->led, ind->id, &q, &o,
				    &k, &err);
				free(o);
			}
		} else
			query_xsec_load(&s, ind, p, &x, &err);
		v[r] = now_ms() - t0;
		free(x.v);
		publish_free(pub);
	}
	qsort(v, 5, sizeof(*v), cmp_double);
	return v[2];
}

int
main(int argc, char **argv)
{
	struct err err = { "" };
	struct ledger *led;
	struct catalog *cat;
	char	done[64][64];
	size_t	ndone = 0;
	struct tally total = { 0 };

	if (argc < 3) {
		fprintf(stderr, "usage: bench_publish BASIS.DB INDICATORS\n");
		return 2;
	}
	if ((led = ledger_open(argv[1], 0, &err)) == NULL ||
	    (cat = catalog_load(argv[2], &err)) == NULL) {
		fprintf(stderr, "bench_publish: %s\n", err.msg);
		return 1;
	}
	printf("%-34s %9s %7s %8s %8s %9s\n", "familie (eerste lid)", "cellen",
	    "klein", "+cellen", "+langer", "ms");
	for (size_t i = 0; i < cat->n; i++) {
		struct publish_family f;
		struct tally t = { 0 };
		int	seen = 0;

		publish_family(cat, &cat->items[i], &f);
		for (size_t k = 0; k < ndone; k++)
			seen |= strcmp(done[k], f.m[0]->id) == 0;
		if (seen || ndone == 64)
			continue;
		snprintf(done[ndone++], 64, "%s", f.m[0]->id);
		for (int y = 2015; y <= 2026; y++)
			family_year(led, &f, y, &t);
		if (t.cells == 0)
			continue;
		printf("%-31s%3zu %9zu %7zu %8zu %8zu %9.1f\n", f.m[0]->id, f.n,
		    t.cells, t.small, t.cells_withheld, t.longer_withheld,
		    t.ms);
		total.cells += t.cells;
		total.small += t.small;
		total.cells_withheld += t.cells_withheld;
		total.longer_withheld += t.longer_withheld;
		total.ms += t.ms;
	}
	printf("%-34s %9zu %7zu %8zu %8zu %9.1f\n", "totaal", total.cells,
	    total.small, total.cells_withheld, total.longer_withheld,
	    total.ms);

	const struct indicator *ind = catalog_find(cat, "pw_instroom");
	struct period p = { PERIOD_KWARTAAL, 2024, 4 };
	struct query_src src = { .led = led, .cat = cat };
	struct publish *warm = publish_new();
	struct query_xsec x = { 0 };

	if (ind != NULL) {
		double	raw = time_xsec(&src, ind, &p, 1, 0);
		double	cold = time_xsec(&src, ind, &p, 0, 1);
		src.pub = warm;
		query_xsec_load(&src, ind, &p, &x, &err);	/* fill the memo */
		free(x.v);
		double	hot = time_xsec(&src, ind, &p, 0, 0);
		printf("dwarsdoorsnede pw_instroom 2024-Q4 (342 gemeenten): "
		    "ledger ruw %.2f ms, met onthullingsbeheer koud %.2f ms "
		    "(%.1fx), warm (memo) %.2f ms (%.1fx)\n", raw, cold,
		    cold / raw, hot, hot / raw);
	}
	publish_free(warm);
	catalog_free(cat);
	ledger_close(led);
	return 0;
}
