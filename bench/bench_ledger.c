/* bench/bench_ledger.c — ledger and store throughput on a national-sized
 * load: 100 feeds of 3 000 rows (300 gemeenten x 10 indicators, one month
 * each) committed, re-sent unchanged and revised; then every series rebuilt
 * into RRD. Not a test: prints figures for the record. In a build dir
 * without sanitizers: make bench/bench_ledger && ./bench/bench_ledger
 * [dir [maand|gemeente]] */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/ledger.h"
#include "store/store.h"

#define NFEEDS	100
#define NGM	300
#define NIND	10

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Layout of a feed: by month (one month, every gemeente: the regular
 * monthly delivery of a national source) or by gemeente (one gemeente,
 * its whole history: the initial backfill, one feed per gemeente). */
static int by_gemeente;

static void
fill(struct obs *o, int g, int i, int month, double bump)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->gemeente, sizeof(o->gemeente), "GM%04d", g + 1);
	snprintf(o->indicator, sizeof(o->indicator), "ind_%02d", i);
	o->periode = period_from_ordinal(PERIOD_MAAND, 2015 * 12 + month);
	o->waarde = g * 100 + i + month + bump;
	o->teller = o->noemer = NAN;
}

/* Feed number f: NGM * NIND rows either way. */
static void
make_feed(struct obs *o, int f, double bump)
{
	size_t	k = 0;

	if (!by_gemeente) {
		for (int g = 0; g < NGM; g++)
			for (int i = 0; i < NIND; i++)
				fill(&o[k++], g, i, f, bump);
		return;
	}
	/* gemeente f, 3 x NIND indicators over NGM / 3 months */
	for (int i = 0; i < 3 * NIND; i++)
		for (int m = 0; m < NGM / 3; m++)
			fill(&o[k++], f, i, m, bump);
}

static double
run_pass(struct ledger *led, struct obs *o, int seq, double bump,
    long *nieuw, long *herzien, long *same)
{
	struct ledger_feed meta;
	struct ledger_commit c;
	struct err err = { "" };
	double	t = 0, t0;

	for (int m = 0; m < NFEEDS; m++) {
		make_feed(o, m, bump);
		memset(&meta, 0, sizeof(meta));
		snprintf(meta.sha256, sizeof(meta.sha256), "%032d%032d", seq, m);
		snprintf(meta.naam, sizeof(meta.naam), "bench");
		t0 = now();
		if (ledger_commit_feed(led, &meta, o, NGM * NIND, &c, &err)) {
			fprintf(stderr, "%s\n", err.msg);
			exit(1);
		}
		t += now() - t0;
		*nieuw += c.nieuw;
		*herzien += c.herzien;
		*same += c.ongewijzigd;
		ledger_commit_clear(&c);
	}
	return t;
}

static double
rebuild_all(struct ledger *led, struct store *st, size_t *ret_n)
{
	struct indicator ind;
	struct store_point *pts = NULL;
	struct ledger_key *keys = NULL;
	struct err err = { "" };
	size_t	nkeys = 0;
	double	t0 = now();

	memset(&ind, 0, sizeof(ind));
	ind.periode = PERIOD_MAAND;
	if (ledger_keys(led, NULL, &keys, &nkeys, &err) == -1)
		exit(1);
	for (size_t s = 0; s < nkeys; s++) {
		struct obs *o = NULL;
		size_t	n = 0;

		snprintf(ind.id, sizeof(ind.id), "%s", keys[s].indicator);
		if (ledger_series(led, keys[s].gemeente, ind.id, &o, &n,
		    &err) == -1 || (pts = realloc(pts, n * sizeof(*pts))) == NULL)
			exit(1);
		for (size_t k = 0; k < n; k++) {
			pts[k].periode = o[k].periode;
			pts[k].v[0] = o[k].waarde;
		}
		if (store_rebuild(st, keys[s].gemeente, &ind, pts, n, &err)) {
			fprintf(stderr, "%s\n", err.msg);
			exit(1);
		}
		free(o);
	}
	free(pts);
	free(keys);
	*ret_n = nkeys;
	return now() - t0;
}

int
main(int argc, char **argv)
{
	char	dir[4096], db[4200], rrd[4200];
	struct err err = { "" };
	struct ledger *led;
	struct store *st;
	struct obs *o = calloc(NGM * NIND, sizeof(*o));
	long	nw = 0, hz = 0, og = 0;
	size_t	nser = 0;
	double	rows = (double)NFEEDS * NGM * NIND, t;

	by_gemeente = argc > 2 && strcmp(argv[2], "gemeente") == 0;
	snprintf(dir, sizeof(dir), "%s", argc > 1 ? argv[1] : "/tmp/bench-XXXXXX");
	if (argc == 1 && mkdtemp(dir) == NULL)
		return 1;
	snprintf(db, sizeof(db), "%s/basis.db", dir);
	snprintf(rrd, sizeof(rrd), "%s/rrd", dir);
	if ((led = ledger_open(db, 0, &err)) == NULL ||
	    (st = store_open(rrd, &err)) == NULL) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	t = run_pass(led, o, 1, 0, &nw, &hz, &og);
	printf("new:       %.0f rows in %.2f s = %.0f rows/s (nieuw %ld)\n",
	    rows, t, rows / t, nw);
	t = run_pass(led, o, 2, 0, &nw, &hz, &og);
	printf("unchanged: %.0f rows in %.2f s = %.0f rows/s (ongewijzigd %ld)\n",
	    rows, t, rows / t, og);
	t = run_pass(led, o, 3, 0.5, &nw, &hz, &og);
	printf("revised:   %.0f rows in %.2f s = %.0f rows/s (herzien %ld)\n",
	    rows, t, rows / t, hz);
	t = rebuild_all(led, st, &nser);
	printf("rebuild:   %zu series in %.2f s = %.2f ms/series\n", nser, t,
	    t * 1000 / (double)nser);
	ledger_close(led);
	store_close(st);
	free(o);
	printf("data in %s (remove it yourself)\n", dir);
	return 0;
}
