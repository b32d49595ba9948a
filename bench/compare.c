/* bench/compare.c — timing of the comparison engine on a national-size
 * input (342 gemeenten): one landelijke vergelijking (aggregate, P10–P90,
 * ranks, suppression) and the k nearest peers for every gemeente. Not a
 * test: run with `make bench`; prints the median of many runs. Targets
 * (issue 5): vergelijking < 5 ms, peers for all 342 < 50 ms. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/compare.h"

#include "benchutil.h"

#define NGEM 342
#define NFEAT 3
#define RUNS 201

static unsigned long
lcg(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return *s >> 33;
}

static double
median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* Plausible national data (domain §11): bestand 20..20 000 uitkeringen,
 * uitstroom a quarter of it, some small gemeenten below min_n. */
static void
make_cells(struct compare_cell *c, char (*codes)[8], double *features)
{
	unsigned long s = 12345;

	for (size_t i = 0; i < NGEM; i++) {
		double	noemer = 5 + (double)(lcg(&s) % 20000) *
		    (double)(lcg(&s) % 100) / 100;
		memset(&c[i], 0, sizeof(c[i]));
		snprintf(codes[i], 8, "GM%04zu", (i * 53) % 10000);
		memcpy(c[i].gemeente, codes[i], 8);
		c[i].geleverd = lcg(&s) % 20 != 0;
		c[i].noemer = floor(noemer);
		c[i].teller = floor(c[i].noemer * (double)(lcg(&s) % 40) / 100);
		features[i * NFEAT] = 1000 + (double)(lcg(&s) % 900000);
		features[i * NFEAT + 1] = (double)(lcg(&s) % 700) / 10;
		features[i * NFEAT + 2] = features[i * NFEAT] / 2.1;
		if (lcg(&s) % 50 == 0)
			features[i * NFEAT + 1] = NAN;	/* missing feature */
	}
}

int
main(void)
{
	static struct compare_cell cells[NGEM];
	static char codes[NGEM][8];
	static double features[NGEM * NFEAT];
	double	t_cmp[RUNS], t_peers[RUNS / 10 + 1];
	struct indicator ind;
	struct compare_opts opts = { .publiek = 1 };
	struct compare_result res;
	struct compare_peers peers;
	struct err err = { "" };
	size_t	npeers = 0;

	memset(&ind, 0, sizeof(ind));
	snprintf(ind.id, sizeof(ind.id), "pw_uitstroom_resultaat_pct");
	ind.soort = SOORT_RATIO;
	ind.richting = RICHTING_HOGER_BETER;
	ind.schaal = 100;
	ind.has_max = 1;
	ind.max = 100;
	ind.min_n = 10;
	make_cells(cells, codes, features);
	for (int r = 0; r < RUNS; r++) {
		double	t0 = now_ms();
		if (compare_eval(&ind, cells, NGEM, NGEM, &opts, &res, &err))
			goto fail;
		t_cmp[r] = now_ms() - t0;
		if (r + 1 < RUNS)
			compare_result_free(&res);
	}
	for (int r = 0; r < RUNS / 10 + 1; r++) {
		double	t0 = now_ms();
		for (size_t a = 0; a < NGEM; a++) {
			if (compare_peers(features, NGEM, NFEAT,
			    (const char (*)[8])codes, a, COMPARE_DEFAULT_K,
			    &peers, &err))
				goto fail;
			npeers += peers.n;
			compare_peers_free(&peers);
		}
		t_peers[r] = now_ms() - t0;
	}
	printf("landelijke vergelijking (%d gemeenten, n=%zu, onderdrukt %zu, "
	    "P50 %.1f): mediaan %.3f ms over %d runs (doel < 5 ms)\n", NGEM,
	    res.n, res.nonderdrukt, res.pct[2], median(t_cmp, RUNS), RUNS);
	printf("vergelijkbare gemeenten (k=%d, %d kenmerken) voor alle %d: "
	    "mediaan %.3f ms over %d runs (doel < 50 ms)\n", COMPARE_DEFAULT_K,
	    NFEAT, NGEM, median(t_peers, RUNS / 10 + 1), RUNS / 10 + 1);
	compare_result_free(&res);
	return npeers > 0 ? 0 : 1;
fail:
	fprintf(stderr, "bench_compare: %s\n", err.msg);
	return 1;
}
