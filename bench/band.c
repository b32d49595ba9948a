/* bench/band.c — what one ingest costs the group bands: every active
 * gemeente × 120 months of one monthly ratio indicator in a temp ledger,
 * then band_indicator (all standard groups, all periods) timed, next to
 * reading the 120 cross-sections alone. Not a test: run with
 * `make bench-band`; prints the median of a few runs. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis/band.h"

#include "benchutil.h"

#define IND	"bijstand_per_1000_inwoners"
#define MONTHS	120
#define RUNS	5

static int
load(struct ledger *led, const struct reg *reg, const struct indicator *ind,
    struct err *err)
{
	size_t	n = 0;
	struct obs *o = calloc(reg->nactief * MONTHS, sizeof(*o));
	struct ledger_feed meta = { 0 };
	struct ledger_commit c;
	int	rc;

	if (o == NULL)
		return err_set(err, "onvoldoende geheugen");
	for (size_t i = 0; i < reg->nactief; i++)
		for (int t = 0; t < MONTHS; t++) {
			struct obs *x = &o[n++];
			snprintf(x->gemeente, sizeof(x->gemeente), "%s",
			    reg->gemeenten[i].code);
			snprintf(x->indicator, sizeof(x->indicator), "%s",
			    ind->id);
			x->periode = (struct period){ PERIOD_MAAND,
				2016 + t / 12, t % 12 + 1 };
			x->noemer = (double)reg->gemeenten[i].inwoners;
			x->teller = floor(x->noemer * (0.01 + 0.03 *
			    (double)((i * 7 + (size_t)t) % 11) / 11));
			x->waarde = catalog_value(ind, x->teller, x->noemer);
		}
	snprintf(meta.sha256, sizeof(meta.sha256), "%064d", 1);
	snprintf(meta.naam, sizeof(meta.naam), "bench.csv");
	snprintf(meta.leverancier, sizeof(meta.leverancier), "bench");
	snprintf(meta.status, sizeof(meta.status), "geaccepteerd");
	rc = ledger_commit_feed(led, &meta, o, n, &c, err);
	if (rc == 0)
		ledger_commit_clear(&c);
	free(o);
	return rc;
}

/* One gemeente's feed: a revision of the last month and a new month,
 * then band_update (the daemon's after-ingest path). */
static double
update_ms(struct ingest_ctx *ctx, const struct indicator *ind, int seq,
    struct err *err)
{
	struct obs o[2] = { { .teller = 10 + seq, .noemer = 1000 },
		{ .teller = 11 + seq, .noemer = 1000 } };
	struct ledger_feed meta = { 0 };
	struct ledger_commit c;
	double	t0;

	for (int i = 0; i < 2; i++) {
		snprintf(o[i].gemeente, sizeof(o[i].gemeente), "GM0363");
		snprintf(o[i].indicator, sizeof(o[i].indicator), "%s", ind->id);
		o[i].periode = (struct period){ PERIOD_MAAND, 2025 + i + seq,
			12 };
		o[i].waarde = catalog_value(ind, o[i].teller, o[i].noemer);
	}
	o[0].periode = (struct period){ PERIOD_MAAND, 2025, 12 };
	snprintf(meta.sha256, sizeof(meta.sha256), "%064d", 100 + seq);
	snprintf(meta.naam, sizeof(meta.naam), "update.csv");
	snprintf(meta.leverancier, sizeof(meta.leverancier), "bench");
	snprintf(meta.status, sizeof(meta.status), "geaccepteerd");
	if (ledger_commit_feed(ctx->led, &meta, o, 2, &c, err) == -1)
		return -1;
	t0 = now_ms();
	if (band_update(ctx, &c, err) == -1)
		t0 = -1;
	ledger_commit_clear(&c);
	return t0 < 0 ? -1 : now_ms() - t0;
}

/* Only the ledger reads band_indicator does. */
static double
read_ms(struct ledger *led, struct err *err)
{
	struct period *per = NULL;
	size_t	np = 0;
	double	t0 = now_ms();

	if (ledger_periods(led, IND, &per, &np, err) == -1)
		return -1;
	for (size_t i = 0; i < np; i++) {
		struct obs *o = NULL;
		size_t	n = 0;
		if (ledger_cross_section(led, IND, &per[i], &o, &n, err) == -1)
			return -1;
		free(o);
	}
	free(per);
	return now_ms() - t0;
}

int
main(int argc, char **argv)
{
	const char *top = getenv("abs_top_srcdir");
	char	dir[] = "/tmp/bench-band-XXXXXX", path[4200], cdir[4200];
	struct err err = { "" };
	struct catalog *cat = NULL;
	struct reg *reg = NULL;
	struct ledger *led = NULL;
	struct store *st = NULL;
	double	t[RUNS];
	char	(*ids)[QUERY_GROEP_ID] = NULL;
	size_t	ng = 0;

	(void)argc;
	(void)argv;
	snprintf(cdir, sizeof(cdir), "%s/indicators", top ? top : ".");
	if (mkdtemp(dir) == NULL || (cat = catalog_load(cdir, &err)) == NULL ||
	    (reg = register_load(cdir, &err)) == NULL)
		goto fail;
	snprintf(path, sizeof(path), "%s/basis.db", dir);
	if ((led = ledger_open(path, 0, &err)) == NULL)
		goto fail;
	snprintf(path, sizeof(path), "%s/rrd", dir);
	if ((st = store_open(path, &err)) == NULL)
		goto fail;
	if (load(led, reg, catalog_find(cat, IND), &err) == -1 ||
	    query_standard_groups(reg, &ids, &ng, &err) == -1)
		goto fail;
	struct ingest_ctx ctx = { .cat = cat, .reg = reg, .led = led,
		.store = st };
	for (int r = 0; r < RUNS; r++) {
		double	t0 = now_ms();
		if (band_indicator(&ctx, catalog_find(cat, IND), &err) == -1)
			goto fail;
		t[r] = now_ms() - t0;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	printf("band_indicator: %zu gemeenten x %d maanden, %zu groepen: "
	    "mediaan %.1f ms (min %.1f, max %.1f)\n", reg->nactief, MONTHS,
	    ng, t[RUNS / 2], t[0], t[RUNS - 1]);
	printf("120 cross-secties lezen: %.1f ms\n", read_ms(led, &err));
	for (int r = 0; r < RUNS; r++)
		t[r] = update_ms(&ctx, catalog_find(cat, IND), r, &err);
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	printf("band_update na een feed van 1 gemeente (2 waarden): mediaan "
	    "%.1f ms (min %.1f, max %.1f)\n", t[RUNS / 2], t[0], t[RUNS - 1]);
	free(ids);
	store_close(st);
	ledger_close(led);
	register_free(reg);
	catalog_free(cat);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	return system(path) == 0 ? 0 : 1;
fail:
	fprintf(stderr, "bench_band: %s\n", err.msg);
	return 1;
}
