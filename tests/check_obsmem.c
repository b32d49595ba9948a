/* tests/check_obsmem.c — the current values in memory answer exactly as
 * the ledger does (byte for byte, every read), follow commits, revisions,
 * withdrawals and writes by another connection on sync, and tell which
 * years a feed changed. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/ledger.h"
#include "store/obsmem.h"
#include "testutil.h"

struct fixture {
	char   *dir;
	char	path[4096];
	struct ledger *led;
	struct obsmem *m;
	int	seq;
};

static const char *const gms[] = { "GM0014", "GM0363", "GM0599" };
static const char *const inds[] = { "pw_bestand", "pw_instroom", "leeg" };

static void
fx_open(struct fixture *fx)
{
	struct err err = { "" };

	fx->dir = tu_tmpdir();
	snprintf(fx->path, sizeof(fx->path), "%s/basis.db", fx->dir);
	fx->led = ledger_open(fx->path, 0, &err);
	ck_assert_msg(fx->led != NULL, "%s", err.msg);
	ck_assert_ptr_nonnull(fx->m = obsmem_new());
	fx->seq = 0;
}

static void
fx_close(struct fixture *fx)
{
	obsmem_free(fx->m);
	ledger_close(fx->led);
	tu_rm_rf(fx->dir);
	free(fx->dir);
}

static struct obs
mk(const char *gm, const char *ind, const char *per, double waarde)
{
	struct obs o;

	memset(&o, 0, sizeof(o));
	snprintf(o.gemeente, sizeof(o.gemeente), "%s", gm);
	snprintf(o.indicator, sizeof(o.indicator), "%s", ind);
	ck_assert_int_eq(period_parse(per, &o.periode, NULL), 0);
	o.waarde = waarde;
	o.teller = o.noemer = NAN;
	o.status = STATUS_DEFINITIEF;
	return o;
}

static long long
commit(struct fixture *fx, struct ledger *led, const struct obs *o, size_t n)
{
	struct ledger_feed meta;
	struct ledger_commit c;
	struct err err = { "" };

	memset(&meta, 0, sizeof(meta));
	snprintf(meta.sha256, sizeof(meta.sha256), "%064d", ++fx->seq);
	snprintf(meta.naam, sizeof(meta.naam), "feed-%d.csv", fx->seq);
	snprintf(meta.status, sizeof(meta.status), "geaccepteerd");
	meta.rows = meta.ok = (long)n;
	ck_assert_msg(ledger_commit_feed(led, &meta, o, n, &c, &err) == 0,
	    "%s", err.msg);
	ledger_commit_clear(&c);
	return meta.id;
}

/* Two years of months for two gemeenten, a toelichting, a ratio. */
static void
load(struct fixture *fx)
{
	struct obs o[100];
	size_t	n = 0;
	char	per[16];

	for (int y = 2023; y <= 2024; y++)
		for (int mo = 1; mo <= 12; mo++) {
			snprintf(per, sizeof(per), "%d-%02d", y, mo);
			o[n++] = mk("GM0014", "pw_bestand", per, 100 + mo);
			o[n++] = mk("GM0363", "pw_bestand", per, 900 + mo);
			if (mo % 2)
				o[n++] = mk("GM0363", "pw_instroom", per, mo);
		}
	snprintf(o[0].toelichting, sizeof(o[0].toelichting), "geschat");
	o[1].teller = 3;
	o[1].noemer = 7;
	o[2].synthetisch = 1;
	commit(fx, fx->led, o, n);
}

static void
same_obs(const struct obs *a, size_t na, const struct obs *b, size_t nb,
    const char *what)
{
	ck_assert_msg(na == nb, "%s: %zu waarden in het geheugen, %zu in het "
	    "grootboek", what, na, nb);
	for (size_t i = 0; i < na; i++)
		ck_assert_msg(memcmp(&a[i], &b[i], sizeof(*a)) == 0,
		    "%s: waarde %zu verschilt", what, i);
}

/* The revision counts equal the ledger's when they pair with the n
 * values; else m sends to the ledger (1). */
static void
check_revs(struct fixture *fx, const char *gm, const char *ind, size_t n)
{
	int    *a = NULL, *b = NULL;
	size_t	na = 0, nb = 0;
	int	rc = obsmem_revision_counts(fx->m, gm, ind, &a, &na, NULL);

	ck_assert_int_eq(ledger_revision_counts(fx->led, gm, ind, &b, &nb,
	    NULL), 0);
	if (nb != n) {
		ck_assert_int_eq(rc, 1);
	} else {
		ck_assert_int_eq(rc, 0);
		ck_assert_uint_eq(na, nb);
		ck_assert(na == 0 || memcmp(a, b, na * sizeof(*a)) == 0);
		free(a);
	}
	free(b);
}

/* Every read of m equals the ledger's, for every key and period. */
static void
check_same(struct fixture *fx)
{
	struct obs *a, *b;
	struct period *pa, *pb;
	size_t	na, nb, np;
	char	what[96];

	for (size_t i = 0; i < sizeof(inds) / sizeof(*inds); i++) {
		for (size_t g = 0; g < sizeof(gms) / sizeof(*gms); g++) {
			ck_assert_int_eq(obsmem_series(fx->m, gms[g], inds[i],
			    &a, &na, NULL), 0);
			ck_assert_int_eq(ledger_series(fx->led, gms[g], inds[i],
			    &b, &nb, NULL), 0);
			snprintf(what, sizeof(what), "reeks %s %s", gms[g],
			    inds[i]);
			same_obs(a, na, b, nb, what);
			free(a);
			free(b);
			check_revs(fx, gms[g], inds[i], na);
		}
		ck_assert_int_eq(obsmem_periods(fx->m, inds[i], &pa, &np,
		    NULL), 0);
		ck_assert_int_eq(ledger_periods(fx->led, inds[i], &pb, &nb,
		    NULL), 0);
		ck_assert_uint_eq(np, nb);
		ck_assert(np == 0 || memcmp(pa, pb, np * sizeof(*pa)) == 0);
		for (size_t t = 0; t < np; t++) {
			ck_assert_int_eq(obsmem_cross_section(fx->m, inds[i],
			    &pa[t], &a, &na, NULL), 0);
			ck_assert_int_eq(ledger_cross_section(fx->led, inds[i],
			    &pb[t], &b, &nb, NULL), 0);
			snprintf(what, sizeof(what), "doorsnede %s", inds[i]);
			same_obs(a, na, b, nb, what);
			free(a);
			free(b);
		}
		free(pa);
		free(pb);
		for (int y = 2022; y <= 2025; y++) {
			ck_assert_int_eq(obsmem_year(fx->m, inds[i], y, &a, &na,
			    NULL), 0);
			ck_assert_int_eq(ledger_year(fx->led, inds[i], y, &b,
			    &nb, NULL), 0);
			snprintf(what, sizeof(what), "jaar %d %s", y, inds[i]);
			same_obs(a, na, b, nb, what);
			free(a);
			free(b);
		}
	}
}

START_TEST(test_unloaded)
{
	struct fixture fx;
	struct obs *o;
	struct period *p;
	size_t	n;

	fx_open(&fx);
	/* before a sync it holds nothing: every read sends to the ledger */
	ck_assert_int_eq(obsmem_series(fx.m, "GM0014", "pw_bestand", &o, &n,
	    NULL), 1);
	ck_assert_int_eq(obsmem_periods(fx.m, "pw_bestand", &p, &n, NULL), 1);
	ck_assert_int_eq(obsmem_version(fx.m), -1);
	ck_assert_int_eq(obsmem_year_changed(fx.m, "pw_bestand", 2024, 0), 1);
	fx_close(&fx);
}
END_TEST

START_TEST(test_same_as_ledger)
{
	struct fixture fx;
	struct obsmem_stats st;

	fx_open(&fx);
	load(&fx);
	ck_assert_int_eq(obsmem_sync(fx.m, fx.led, NULL), 0);
	ck_assert_int_eq(obsmem_version(fx.m), ledger_data_version(fx.led));
	ck_assert_int_eq(obsmem_feed(fx.m), ledger_feed_max(fx.led));
	check_same(&fx);
	obsmem_stats(fx.m, &st);
	ck_assert_uint_eq(st.indicators, 2);
	ck_assert_uint_eq(st.series, 3);
	ck_assert_uint_eq(st.values, 24 + 24 + 12);
	fx_close(&fx);
}
END_TEST

/* A revision, a new series, a late period, a withdrawal and a write by
 * another connection: after a sync the same as the ledger again; before
 * it the old values. */
START_TEST(test_follows_changes)
{
	struct fixture fx;
	struct ledger *other;
	struct ledger_feed meta = { .rows = 1, .ok = 1, .naam = "intrekking" };
	struct ledger_commit c;
	struct obs o[3], *a;
	struct err err = { "" };
	size_t	n;
	long long base, f2;

	fx_open(&fx);
	load(&fx);
	ck_assert_int_eq(obsmem_sync(fx.m, fx.led, NULL), 0);
	base = obsmem_feed(fx.m);
	o[0] = mk("GM0014", "pw_bestand", "2024-03", 555);	/* revision */
	o[1] = mk("GM0599", "pw_bestand", "2024-05", 7);	/* new series */
	o[2] = mk("GM0363", "pw_instroom", "2023-02", 4);	/* late period */
	f2 = commit(&fx, fx.led, o, 3);
	ck_assert_int_eq(obsmem_series(fx.m, "GM0599", "pw_bestand", &a, &n,
	    NULL), 0);
	ck_assert_uint_eq(n, 0);	/* not synced yet */
	free(a);
	ck_assert_int_eq(obsmem_sync(fx.m, fx.led, NULL), 0);
	check_same(&fx);
	ck_assert_int_eq(obsmem_feed(fx.m), f2);
	/* which years the feed changed, per indicator */
	ck_assert_int_eq(obsmem_year_changed(fx.m, "pw_bestand", 2024, base),
	    1);
	ck_assert_int_eq(obsmem_year_changed(fx.m, "pw_bestand", 2023, base),
	    0);
	ck_assert_int_eq(obsmem_year_changed(fx.m, "pw_instroom", 2023, base),
	    1);
	ck_assert_int_eq(obsmem_year_changed(fx.m, "pw_instroom", 2024, base),
	    0);
	ck_assert_int_eq(obsmem_year_changed(fx.m, "pw_bestand", 2024, f2), 0);
	/* before the load it cannot tell */
	ck_assert_int_eq(obsmem_year_changed(fx.m, "pw_bestand", 2023,
	    base - 1), 1);
	snprintf(meta.sha256, sizeof(meta.sha256), "%064d", 99);
	ck_assert_int_eq(ledger_withdraw(fx.led, &meta, "GM0363", "pw_bestand",
	    &o[0].periode, "fout", &c, &err), 1);
	ledger_commit_clear(&c);
	other = ledger_open(fx.path, 0, &err);
	ck_assert_msg(other != NULL, "%s", err.msg);
	o[0] = mk("GM0014", "pw_instroom", "2025-01", 12);
	commit(&fx, other, o, 1);
	ledger_close(other);
	ck_assert_int_eq(obsmem_sync(fx.m, fx.led, NULL), 0);
	check_same(&fx);
	ck_assert_int_eq(obsmem_year_changed(fx.m, "pw_bestand", 2024, f2), 1);
	ck_assert_int_eq(obsmem_year_changed(fx.m, "pw_instroom", 2025, f2),
	    1);
	ck_assert_int_eq(obsmem_version(fx.m), ledger_data_version(fx.led));
	fx_close(&fx);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("obsmem");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_test(tc, test_unloaded);
	tcase_add_test(tc, test_same_as_ledger);
	tcase_add_test(tc, test_follows_changes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
