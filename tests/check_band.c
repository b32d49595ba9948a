/* tests/check_band.c — group bands in a temp dir with a real ledger and
 * real band files: the stored n, percentiles and aggregate equal
 * compare_eval of the same published cross-sections, a revision rewrites
 * the band, the dirty set, the standard groups and on-demand peer bands. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/band.h"
#include "testutil.h"

#define RATIO	"bijstand_per_1000_inwoners"
#define NPER	4	/* 2024-01 .. 2024-04 */
#define NGM	60	/* the first active gemeenten, plus the G4 */

static const char *const g4[] = { "GM0363", "GM0599", "GM0518", "GM0344" };

struct fixture {
	char   *dir;
	struct catalog *cat;
	struct reg *reg;
	struct ledger *led;
	struct store *st;
	struct ingest_ctx ctx;
	int	seq;
};

static void
fx_open(struct fixture *fx)
{
	struct err err = { "" };
	char	path[4200];
	char   *cdir = tu_srcpath("tests/data/catalog");
	char   *rdir = tu_srcpath("indicators");

	memset(fx, 0, sizeof(*fx));
	fx->dir = tu_tmpdir();
	fx->cat = catalog_load(cdir, &err);
	ck_assert_msg(fx->cat != NULL, "%s", err.msg);
	fx->reg = register_load(rdir, &err);
	ck_assert_msg(fx->reg != NULL, "%s", err.msg);
	snprintf(path, sizeof(path), "%s/basis.db", fx->dir);
	fx->led = ledger_open(path, 0, &err);
	ck_assert_msg(fx->led != NULL, "%s", err.msg);
	snprintf(path, sizeof(path), "%s/rrd", fx->dir);
	fx->st = store_open(path, &err);
	ck_assert_msg(fx->st != NULL, "%s", err.msg);
	fx->ctx = (struct ingest_ctx){ .cat = fx->cat, .reg = fx->reg,
		.led = fx->led, .store = fx->st };
	free(cdir);
	free(rdir);
}

static void
fx_close(struct fixture *fx)
{
	store_close(fx->st);
	ledger_close(fx->led);
	register_free(fx->reg);
	catalog_free(fx->cat);
	tu_rm_rf(fx->dir);
	free(fx->dir);
}

static const struct indicator *
ind_of(struct fixture *fx, const char *id)
{
	const struct indicator *ind = catalog_find(fx->cat, id);

	ck_assert_ptr_nonnull(ind);
	return ind;
}

static struct obs
mk(const char *gm, const char *ind, const char *per, double teller,
    double noemer, double waarde)
{
	struct obs o;

	memset(&o, 0, sizeof(o));
	snprintf(o.gemeente, sizeof(o.gemeente), "%s", gm);
	snprintf(o.indicator, sizeof(o.indicator), "%s", ind);
	ck_assert_int_eq(period_parse(per, &o.periode, NULL), 0);
	o.teller = teller;
	o.noemer = noemer;
	o.waarde = waarde;
	return o;
}

/* Commit obs as one feed; calls ctx.after_commit like ingest does. */
static void
commit(struct fixture *fx, const struct obs *obs, size_t n)
{
	struct ledger_feed meta;
	struct ledger_commit c;
	struct err err = { "" };

	memset(&meta, 0, sizeof(meta));
	snprintf(meta.sha256, sizeof(meta.sha256), "%064d", ++fx->seq);
	snprintf(meta.naam, sizeof(meta.naam), "feed-%d.csv", fx->seq);
	snprintf(meta.leverancier, sizeof(meta.leverancier), "test");
	snprintf(meta.status, sizeof(meta.status), "geaccepteerd");
	meta.rows = meta.ok = (long)n;
	ck_assert_msg(ledger_commit_feed(fx->led, &meta, obs, n, &c, &err) ==
	    0, "%s", err.msg);
	if (fx->ctx.after_commit)
		fx->ctx.after_commit(fx->ctx.hook_arg, &c);
	ledger_commit_clear(&c);
}

static const char *
gm_code(struct fixture *fx, size_t i)
{
	return i < NGM ? fx->reg->gemeenten[i].code : g4[i - NGM];
}

/* Ratio data for NGM + 4 gemeenten × NPER months: some missing, some
 * below min_n (suppressed), so the published set differs from the set of
 * deliveries. */
static void
load_ratio(struct fixture *fx)
{
	const struct indicator *ind = ind_of(fx, RATIO);
	struct obs *o = calloc((NGM + 4) * NPER, sizeof(*o));
	size_t	n = 0;

	for (size_t i = 0; i < NGM + 4; i++)
		for (int t = 0; t < NPER; t++) {
			char	per[16];
			double	noemer = i % 17 == 0 ? 5 : 1000 + 37 * i;
			double	teller = (double)((i * 13 + t * 7) % 50 + 5);
			if (i % 11 == 3 && t == 2)
				continue;
			snprintf(per, sizeof(per), "2024-%02d", t + 1);
			o[n++] = mk(gm_code(fx, i), RATIO, per, teller, noemer,
			    catalog_value(ind, teller, noemer));
		}
	commit(fx, o, n);
	free(o);
}

/* inwoners (aantal per jaar) from the register, for the peer features. */
static void
load_inwoners(struct fixture *fx)
{
	struct obs o[NGM + 4];

	for (size_t i = 0; i < NGM + 4; i++)
		o[i] = mk(gm_code(fx, i), "inwoners", "2024", NAN, NAN,
		    (double)register_find(fx->reg, gm_code(fx, i))->inwoners);
	commit(fx, o, NGM + 4);
}

static int
same(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return fabs(a - b) <= 1e-9 * fmax(1, fabs(a));
}

/* Expected band of (group g, period p) straight from compare_eval. */
static void
expected(struct fixture *fx, const struct indicator *ind,
    const struct compare_groep *g, const struct period *p, double *v)
{
	static const struct compare_opts publiek = { .publiek = 1 };
	struct compare_cell *cells = calloc(g->n + 1, sizeof(*cells));
	struct compare_result res;
	struct obs *obs = NULL;
	size_t	n = 0;

	ck_assert_int_eq(ledger_cross_section(fx->led, ind->id, p, &obs, &n,
	    NULL), 0);
	for (size_t i = 0; i < g->n; i++) {
		const char *code = fx->reg->gemeenten[g->leden[i]].code;
		snprintf(cells[i].gemeente, sizeof(cells[i].gemeente), "%s",
		    code);
		cells[i].waarde = cells[i].teller = cells[i].noemer = NAN;
		for (size_t j = 0; j < n; j++)
			if (strcmp(obs[j].gemeente, code) == 0) {
				cells[i].geleverd = 1;
				cells[i].waarde = obs[j].waarde;
				cells[i].teller = obs[j].teller;
				cells[i].noemer = obs[j].noemer;
			}
	}
	ck_assert_int_eq(compare_eval(ind, cells, g->n, g->n, &publiek, &res,
	    NULL), 0);
	v[STORE_BAND_N] = (double)res.npct;
	for (int k = 0; k < COMPARE_NPCT; k++)
		v[STORE_BAND_P10 + k] = res.pct[k];
	v[STORE_BAND_AGG] = res.n ? res.waarde : NAN;
	compare_result_free(&res);
	free(obs);
	free(cells);
}

/* The stored band of g over [from, to] equals compare_eval per period;
 * g is resolved already (peer groups have their members filled). */
static void
check_group(struct fixture *fx, const struct indicator *ind,
    const struct compare_groep *g, const char *from, const char *to)
{
	struct store_band_point *pts = NULL;
	struct period a, b;
	struct err err = { "" };
	size_t	n = 0;

	period_parse(from, &a, NULL);
	period_parse(to, &b, NULL);
	ck_assert_msg(store_band_read(fx->st, g->id, ind, &a, &b, &pts, &n,
	    &err) == 0, "%s: %s", g->id, err.msg);
	for (size_t t = 0; t < n; t++) {
		double	v[STORE_BAND_NDS];
		expected(fx, ind, g, &pts[t].periode, v);
		for (int k = 0; k < STORE_BAND_NDS; k++)
			ck_assert_msg(same(pts[t].v[k], v[k]),
			    "%s period %zu ds %d: %g, expected %g", g->id, t, k,
			    pts[t].v[k], v[k]);
	}
	free(pts);
}

static void
check_id(struct fixture *fx, const char *ind, const char *id)
{
	struct compare_groep g;

	ck_assert_int_eq(compare_groep_resolve(fx->reg, id, &g, NULL), 0);
	check_group(fx, ind_of(fx, ind), &g, "2024-01", "2024-04");
	compare_groep_free(&g);
}

static const char *const checked_groups[] = {
	"alle", "G4", "provincie-utrecht", "provincie-groningen",
	"grootteklasse-1", "grootteklasse-5",
};

START_TEST(test_band_equals_compare)
{
	struct fixture fx;
	struct err err = { "" };
	char	(*ids)[QUERY_GROEP_ID] = NULL;
	size_t	n = 0;

	fx_open(&fx);
	load_ratio(&fx);
	ck_assert_msg(band_rebuild_all(&fx.ctx, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(query_standard_groups(fx.reg, &ids, &n, NULL), 0);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(store_band_exists(fx.st, ids[i], RATIO), "%s",
		    ids[i]);
	for (size_t i = 0; i < sizeof(checked_groups) /
	    sizeof(checked_groups[0]); i++)
		check_id(&fx, RATIO, checked_groups[i]);
	/* an indicator without data has no band file */
	ck_assert(!store_band_exists(fx.st, "alle", "pw_bestand"));
	free(ids);
	fx_close(&fx);
}
END_TEST

/* Suppressed cells never enter the percentiles: the alle band's n for
 * 2024-01 counts only published values. */
START_TEST(test_band_published_only)
{
	struct fixture fx;
	struct store_band_point *pts = NULL;
	struct period p;
	size_t	n = 0, delivered = 0, small = 0;

	fx_open(&fx);
	load_ratio(&fx);
	ck_assert_int_eq(band_rebuild_all(&fx.ctx, NULL), 0);
	period_parse("2024-01", &p, NULL);
	ck_assert_int_eq(store_band_read(fx.st, "alle", ind_of(&fx, RATIO),
	    &p, &p, &pts, &n, NULL), 0);
	for (size_t i = 0; i < NGM + 4; i++) {
		delivered++;
		small += i % 17 == 0;
	}
	ck_assert_uint_gt(small, 0);
	/* complementary suppression may hide a few more, never fewer */
	ck_assert(pts[0].v[STORE_BAND_N] <= (double)(delivered - small));
	ck_assert(pts[0].v[STORE_BAND_N] > (double)(delivered - small) / 2);
	free(pts);
	fx_close(&fx);
}
END_TEST

static double
band_value(struct fixture *fx, const char *groep, const char *per, int ds)
{
	struct store_band_point *pts = NULL;
	struct period p;
	size_t	n = 0;
	double	v;

	period_parse(per, &p, NULL);
	ck_assert_int_eq(store_band_read(fx->st, groep, ind_of(fx, RATIO), &p,
	    &p, &pts, &n, NULL), 0);
	v = pts[0].v[ds];
	free(pts);
	return v;
}

/* A revision through the ingest hook marks the indicator dirty; the flush
 * rewrites the band with the new value. */
START_TEST(test_band_revision)
{
	struct fixture fx;
	struct band *b = band_new();
	const struct indicator *ind;
	struct obs o[4];
	double	before;

	fx_open(&fx);
	ind = ind_of(&fx, RATIO);
	fx.ctx.after_commit = band_ingest_hook;
	fx.ctx.hook_arg = b;
	load_ratio(&fx);
	ck_assert_uint_eq(band_ndirty(b), 1);
	ck_assert_int_eq(band_flush(b, &fx.ctx, NULL), 0);
	ck_assert_uint_eq(band_ndirty(b), 0);
	before = band_value(&fx, "G4", "2024-02", STORE_BAND_AGG);
	for (int i = 0; i < 4; i++)
		o[i] = mk(g4[i], RATIO, "2024-02", 900, 10000,
		    catalog_value(ind, 900, 10000));
	commit(&fx, o, 4);
	ck_assert_uint_eq(band_ndirty(b), 1);
	ck_assert_int_eq(band_flush(b, &fx.ctx, NULL), 0);
	ck_assert(!same(before, band_value(&fx, "G4", "2024-02",
	    STORE_BAND_AGG)));
	ck_assert(same(band_value(&fx, "G4", "2024-02", STORE_BAND_AGG), 90));
	ck_assert(same(band_value(&fx, "G4", "2024-02", STORE_BAND_P50), 90));
	ck_assert(same(band_value(&fx, "G4", "2024-02", STORE_BAND_N), 4));
	check_id(&fx, RATIO, "G4");
	check_id(&fx, RATIO, "alle");
	band_free(b);
	fx_close(&fx);
}
END_TEST

/* ingest_hook for the tests: band_update as the daemon's hook runs it. */
static void
update_hook(void *arg, const struct ledger_commit *c)
{
	struct fixture *fx = arg;
	struct err err = { "" };

	ck_assert_msg(band_update(&fx->ctx, c, &err) == 0, "%s", err.msg);
}

/* After one feed only its periods and groups are recomputed, over the
 * stored bands; every band still equals compare_eval, also for a new
 * period and for a group whose band file was missing. */
START_TEST(test_band_update)
{
	struct fixture fx;
	const struct indicator *ind;
	struct obs o[3];
	struct compare_groep g;
	char	path[4200];

	fx_open(&fx);
	ind = ind_of(&fx, RATIO);
	load_ratio(&fx);
	ck_assert_int_eq(band_rebuild_all(&fx.ctx, NULL), 0);
	ck_assert_int_eq(store_band_path(fx.st, "provincie-zuid-holland", RATIO,
	    path, sizeof(path)), 0);
	ck_assert_int_eq(unlink(path), 0);
	fx.ctx.after_commit = update_hook;
	fx.ctx.hook_arg = &fx;
	o[0] = mk("GM0518", RATIO, "2024-02", 900, 10000, 90);
	o[1] = mk("GM0599", RATIO, "2024-05", 300, 10000, 30);
	o[2] = mk("GM0599", RATIO, "2024-03", 310, 10000, 31);
	commit(&fx, o, 3);
	for (size_t i = 0; i < sizeof(checked_groups) /
	    sizeof(checked_groups[0]); i++) {
		ck_assert_int_eq(compare_groep_resolve(fx.reg,
		    checked_groups[i], &g, NULL), 0);
		/* a group without a changed gemeente has no 2024-05 (n is
		 * unknown rather than 0: the same "no data" to a chart) */
		check_group(&fx, ind, &g, "2024-01", i < 2 ? "2024-05" :
		    "2024-04");
		compare_groep_free(&g);
	}
	check_id(&fx, RATIO, "provincie-zuid-holland");
	ck_assert(same(band_value(&fx, "G4", "2024-05", STORE_BAND_N), 1));
	/* one gemeente of 342 delivered 2024-05: a group figure from one
	 * cell would be that cell, so none is published (issue 12) */
	ck_assert(isnan(band_value(&fx, "alle", "2024-05", STORE_BAND_AGG)));
	/* Utrecht has no changed gemeente: its band was not rewritten */
	ck_assert(isnan(band_value(&fx, "provincie-utrecht", "2024-05",
	    STORE_BAND_N)));
	fx_close(&fx);
}
END_TEST

START_TEST(test_dirty_set)
{
	struct band *b = band_new();
	struct ledger_key keys[3] = { { "GM0363", "a" }, { "GM0599", "a" },
		{ "GM0363", "b" } };
	struct ledger_commit c = { .touched = keys, .ntouched = 3 };

	band_mark(b, &c);
	band_mark(b, &c);
	band_mark_indicator(b, "c");
	ck_assert_uint_eq(band_ndirty(b), 3);
	band_free(b);
	band_free(NULL);
}
END_TEST

START_TEST(test_standard_groups)
{
	struct fixture fx;
	char	(*ids)[QUERY_GROEP_ID] = NULL;
	size_t	n = 0, prov = 0, klasse = 0, g4_seen = 0;

	fx_open(&fx);
	ck_assert_int_eq(query_standard_groups(fx.reg, &ids, &n, NULL), 0);
	ck_assert_str_eq(ids[0], "alle");
	for (size_t i = 0; i < n; i++) {
		prov += strncmp(ids[i], "provincie-", 10) == 0;
		klasse += strncmp(ids[i], "grootteklasse-", 14) == 0;
		g4_seen += strcmp(ids[i], "G4") == 0;
		for (size_t j = 0; j < i; j++)
			ck_assert_str_ne(ids[i], ids[j]);
	}
	ck_assert_uint_eq(prov, 12);
	ck_assert_uint_ge(klasse, 6);
	ck_assert_uint_le(klasse, REGISTER_NKLASSEN);
	ck_assert_uint_eq(g4_seen, 1);
	ck_assert_uint_eq(n, 1 + prov + klasse + fx.reg->ng);
	free(ids);
	fx_close(&fx);
}
END_TEST

static char *
read_side(struct fixture *fx, const char *groep)
{
	char	path[4200];

	snprintf(path, sizeof(path), "%s/rrd/_band/%s/%s.versie", fx->dir,
	    groep, RATIO);
	return tu_read_file(path, NULL);
}

/* Peers on one feature (inwoners): the nearest are the gemeenten closest
 * in size; the band covers the anchor and its k peers and is rebuilt when
 * the ledger changes. */
START_TEST(test_peer_band)
{
	struct fixture fx;
	struct conf_words feat = { 1, { "inwoners" } };
	struct query_src src;
	struct compare_peers p;
	struct compare_groep g;
	struct err err = { "" };
	char   *side1, *side2;
	struct obs o;

	fx_open(&fx);
	load_ratio(&fx);
	load_inwoners(&fx);
	src = (struct query_src){ fx.led, fx.cat, fx.reg, fx.st, 3, &feat };
	ck_assert_msg(query_peers(&src, "GM0363", &p, &err) == 0, "%s",
	    err.msg);
	ck_assert_uint_eq(p.n, 3);
	for (size_t i = 1; i < p.n; i++)
		ck_assert(p.peers[i - 1].afstand <= p.peers[i].afstand);
	/* Amsterdam's nearest in size among the loaded ones: the other G4 */
	for (size_t i = 0; i < p.n; i++)
		ck_assert_msg(strcmp(p.peers[i].gemeente, "GM0599") == 0 ||
		    strcmp(p.peers[i].gemeente, "GM0518") == 0 ||
		    strcmp(p.peers[i].gemeente, "GM0344") == 0, "%s",
		    p.peers[i].gemeente);
	ck_assert_msg(band_ensure(&src, "vergelijkbaar-GM0363",
	    ind_of(&fx, RATIO), &err) == 0, "%s", err.msg);
	ck_assert(store_band_exists(fx.st, "vergelijkbaar-GM0363", RATIO));
	/* the band over anchor + peers equals compare_eval of that group */
	memset(&g, 0, sizeof(g));
	snprintf(g.id, sizeof(g.id), "vergelijkbaar-GM0363");
	g.leden = calloc(4, sizeof(*g.leden));
	g.leden[g.n++] = (size_t)(register_find(fx.reg, "GM0363") -
	    fx.reg->gemeenten);
	for (size_t i = 0; i < p.n; i++)
		g.leden[g.n++] = p.peers[i].index;
	check_group(&fx, ind_of(&fx, RATIO), &g, "2024-01", "2024-04");
	side1 = read_side(&fx, "vergelijkbaar-GM0363");
	ck_assert_ptr_nonnull(side1);
	/* unchanged data: no rebuild, same stamp */
	ck_assert_int_eq(band_ensure(&src, "vergelijkbaar-GM0363",
	    ind_of(&fx, RATIO), NULL), 0);
	o = mk("GM0363", RATIO, "2024-05", 10, 1000, 10);
	commit(&fx, &o, 1);
	ck_assert_int_eq(band_ensure(&src, "vergelijkbaar-gm0363",
	    ind_of(&fx, RATIO), NULL), 0);
	side2 = read_side(&fx, "vergelijkbaar-GM0363");
	ck_assert_str_ne(side1, side2);
	ck_assert(same(band_value(&fx, "vergelijkbaar-GM0363", "2024-05",
	    STORE_BAND_N), 1));
	free(side1);
	free(side2);
	compare_groep_free(&g);
	compare_peers_free(&p);
	fx_close(&fx);
}
END_TEST

/* band_ensure builds a missing standard band; bad ids are errors. */
START_TEST(test_ensure)
{
	struct fixture fx;
	struct conf_words none = { 0, { "" } };
	struct query_src src;
	struct compare_peers p;
	struct err err = { "" };

	fx_open(&fx);
	load_ratio(&fx);
	src = (struct query_src){ fx.led, fx.cat, fx.reg, fx.st, 0, &none };
	ck_assert(!store_band_exists(fx.st, "G4", RATIO));
	ck_assert_int_eq(band_ensure(&src, "g4", ind_of(&fx, RATIO), &err), 0);
	ck_assert(store_band_exists(fx.st, "G4", RATIO));
	check_id(&fx, RATIO, "G4");
	ck_assert_int_eq(band_ensure(&src, "bestaat-niet", ind_of(&fx, RATIO),
	    &err), -1);
	ck_assert_int_eq(band_ensure(&src, "vergelijkbaar-GM9999",
	    ind_of(&fx, RATIO), &err), -1);
	ck_assert_int_eq(query_peers(&src, "GM0363", &p, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "peer_features"));
	fx_close(&fx);
}
END_TEST

/* Group ids become path components. */
static const struct {
	const char *groep;
	int	ok;
} band_ids[] = {
	{ "alle", 1 }, { "provincie-noord-brabant", 1 }, { "G4", 1 },
	{ "vergelijkbaar-GM0363", 1 }, { "", 0 }, { "..", 0 }, { "a/b", 0 },
	{ "-x", 0 }, { "a b", 0 }, { "a:b", 0 },
};

START_TEST(test_band_path)
{
	struct fixture fx;
	char	path[4200];

	fx_open(&fx);
	ck_assert_int_eq(store_band_path(fx.st, band_ids[_i].groep, RATIO, path,
	    sizeof(path)) == 0, band_ids[_i].ok);
	ck_assert_int_eq(store_band_path(fx.st, "alle", "../x", path,
	    sizeof(path)), -1);
	ck_assert_int_eq(store_band_path(fx.st, "alle", RATIO, path, 8), -1);
	fx_close(&fx);
}
END_TEST

static Suite *
band_suite(void)
{
	Suite  *s = suite_create("band");
	TCase  *tc = tcase_create("core");

	tcase_add_test(tc, test_band_equals_compare);
	tcase_add_test(tc, test_band_published_only);
	tcase_add_test(tc, test_band_revision);
	tcase_add_test(tc, test_band_update);
	tcase_add_test(tc, test_dirty_set);
	tcase_add_test(tc, test_standard_groups);
	tcase_add_test(tc, test_peer_band);
	tcase_add_test(tc, test_ensure);
	tcase_add_loop_test(tc, test_band_path, 0,
	    sizeof(band_ids) / sizeof(band_ids[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(band_suite());
}
