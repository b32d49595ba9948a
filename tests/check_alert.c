/* tests/check_alert.c — alert rules without a daemon: rule JSON in and
 * out, judgement per kind (one table: rule, series, expected outcome),
 * small-n silence, the state machine, the least-squares slope, the due
 * period of missing deliveries, and librrd's Holt-Winters detection on a
 * real scratch RRD. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/alert.h"
#include "testutil.h"
#include "base/util.h"

static struct indicator
ind_make(int ratio)
{
	struct indicator ind;

	memset(&ind, 0, sizeof(ind));
	snprintf(ind.id, sizeof(ind.id), "%s", ratio ? "pct" : "aantal");
	snprintf(ind.naam, sizeof(ind.naam), "%s", ratio ? "Aandeel" :
	    "Aantal");
	ind.soort = ratio ? SOORT_RATIO : SOORT_AANTAL;
	ind.periode = PERIOD_MAAND;
	ind.schaal = ratio ? 100 : 1;
	ind.min_n = ratio ? 10 : 5;
	return ind;
}

/* "12 14 x 20" (aantal) or "3/20 4/20" (ratio): monthly from 2023-01,
 * "x" = not delivered. Returns the number of obs. */
static size_t
series(const char *spec, int ratio, struct obs *out, size_t max)
{
	struct period p = { PERIOD_MAAND, 2023, 1 };
	char	buf[512], *save = NULL;
	size_t	n = 0;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *t = strtok_r(buf, " ", &save); t && n < max;
	    t = strtok_r(NULL, " ", &save), p = period_next(&p)) {
		struct obs *o = &out[n];

		if (strcmp(t, "x") == 0)
			continue;
		memset(o, 0, sizeof(*o));
		snprintf(o->gemeente, sizeof(o->gemeente), "GM0363");
		o->periode = p;
		o->teller = o->noemer = NAN;
		if (ratio) {
			o->teller = strtod(t, &t);
			o->noemer = strtod(t + 1, NULL);
			o->waarde = o->noemer > 0 ? o->teller / o->noemer * 100 :
			    NAN;
		} else
			o->waarde = strtod(t, NULL);
		n++;
	}
	return n;
}

/* ---- judgement per kind ---- */

static const struct {
	const char *rule;	/* JSON as the API takes it */
	int	ratio;
	const char *values;
	const char *peers;	/* ALERT_GROEP: other gemeenten' values */
	int	hw_flag;
	enum alert_uitkomst want;
	const char *zin;	/* substring of the sentence, or NULL */
} cases[] = {
	/* drempel */
	{ "{\"soort\":\"drempel\",\"params\":{\"drempel\":100}}", 0,
	    "90 120", NULL, -1, ALERT_VUURT, "boven de drempel van 100" },
	{ "{\"soort\":\"drempel\",\"params\":{\"drempel\":100}}", 0,
	    "120 100", NULL, -1, ALERT_OK, NULL },
	{ "{\"soort\":\"drempel\",\"params\":{\"drempel\":10,"
	    "\"richting\":\"onder\"}}", 0, "20 8", NULL, -1, ALERT_VUURT,
	    "onder de drempel" },
	/* small n: a count below the indicator's min_n (5) never fires */
	{ "{\"soort\":\"drempel\",\"params\":{\"drempel\":1}}", 0,
	    "3", NULL, -1, ALERT_STIL, NULL },
	/* ... nor below the rule's own min_n */
	{ "{\"soort\":\"drempel\",\"min_n\":50,\"params\":{\"drempel\":1}}", 0,
	    "30", NULL, -1, ALERT_STIL, NULL },
	/* ratio: 5/8 = 62,5% but noemer 8 < min_n 10 */
	{ "{\"soort\":\"drempel\",\"params\":{\"drempel\":50}}", 1,
	    "5/8", NULL, -1, ALERT_STIL, NULL },
	{ "{\"soort\":\"drempel\",\"params\":{\"drempel\":50}}", 1,
	    "13/20", NULL, -1, ALERT_VUURT, "65" },
	/* the period judged has no value */
	{ "{\"soort\":\"drempel\",\"params\":{\"drempel\":1}}", 0,
	    "30 x", NULL, -1, ALERT_STIL, NULL },
	/* verandering */
	{ "{\"soort\":\"verandering\",\"params\":{\"drempel\":10}}", 0,
	    "100 115", NULL, -1, ALERT_VUURT, "stijging van 15%" },
	{ "{\"soort\":\"verandering\",\"params\":{\"drempel\":10}}", 0,
	    "100 85", NULL, -1, ALERT_OK, NULL },
	{ "{\"soort\":\"verandering\",\"params\":{\"drempel\":10,"
	    "\"richting\":\"beide\"}}", 0, "100 85", NULL, -1, ALERT_VUURT,
	    "daling van 15%" },
	{ "{\"soort\":\"verandering\",\"params\":{\"drempel\":10,"
	    "\"eenheid\":\"punten\",\"richting\":\"daling\"}}", 1,
	    "50/100 30/100", NULL, -1, ALERT_VUURT, "20 punten" },
	{ "{\"soort\":\"verandering\",\"params\":{\"drempel\":5,"
	    "\"basis\":\"vorig_jaar\"}}", 0,
	    "100 x x x x x x x x x x x 103", NULL, -1, ALERT_OK, NULL },
	{ "{\"soort\":\"verandering\",\"params\":{\"drempel\":5,"
	    "\"basis\":\"vorig_jaar\"}}", 0,
	    "100 50 x x x x x x x x x x 110 60", NULL, -1, ALERT_VUURT,
	    "2023-02" },
	/* the previous value is a small number */
	{ "{\"soort\":\"verandering\",\"params\":{\"drempel\":10}}", 0,
	    "4 100", NULL, -1, ALERT_STIL, NULL },
	/* trend: slope per period over the last N */
	{ "{\"soort\":\"trend\",\"params\":{\"drempel\":4,\"perioden\":4}}", 0,
	    "100 105 110 115", NULL, -1, ALERT_VUURT, "stijgt" },
	{ "{\"soort\":\"trend\",\"params\":{\"drempel\":6,\"perioden\":4}}", 0,
	    "100 105 110 115", NULL, -1, ALERT_OK, NULL },
	{ "{\"soort\":\"trend\",\"params\":{\"drempel\":4,\"perioden\":4,"
	    "\"richting\":\"daling\"}}", 0, "115 110 105 100", NULL, -1,
	    ALERT_VUURT, "daalt" },
	{ "{\"soort\":\"trend\",\"params\":{\"drempel\":4,\"perioden\":4}}", 0,
	    "100 x 110 115", NULL, -1, ALERT_STIL, NULL },
	{ "{\"soort\":\"trend\",\"params\":{\"drempel\":1,\"perioden\":3}}", 0,
	    "10 4 20", NULL, -1, ALERT_STIL, NULL },
	/* afwijking_groep: P10–P90 of the peers (own value included) */
	{ "{\"soort\":\"afwijking_groep\",\"groep\":\"g\"}", 0,
	    "200", "10 11 12 13 14 15 16 17 18 19", -1, ALERT_VUURT,
	    "buiten de band" },
	{ "{\"soort\":\"afwijking_groep\",\"groep\":\"g\"}", 0,
	    "15", "10 11 12 13 14 15 16 17 18 19", -1, ALERT_OK, NULL },
	{ "{\"soort\":\"afwijking_groep\",\"groep\":\"g\",\"params\":"
	    "{\"richting\":\"onder\"}}", 0, "200",
	    "10 11 12 13 14 15 16 17 18 19", -1, ALERT_OK, NULL },
	{ "{\"soort\":\"afwijking_groep\",\"groep\":\"g\",\"params\":"
	    "{\"methode\":\"mediaan\",\"drempel\":3}}", 0, "20",
	    "10 11 12 13 14 15 16 17 18 19", -1, ALERT_VUURT, "de mediaan" },
	{ "{\"soort\":\"afwijking_groep\",\"groep\":\"g\",\"params\":"
	    "{\"methode\":\"mediaan\",\"drempel\":30}}", 0, "20",
	    "10 11 12 13 14 15 16 17 18 19", -1, ALERT_OK, NULL },
	/* own cell suppressed */
	{ "{\"soort\":\"afwijking_groep\",\"groep\":\"g\"}", 0,
	    "2", "10 11 12 13 14 15 16 17 18 19", -1, ALERT_STIL, NULL },
	/* afwijkend_patroon: the flag comes from store_aberrant */
	{ "{\"soort\":\"afwijkend_patroon\"}", 0, "100 100 300", NULL, 1,
	    ALERT_VUURT, "Holt-Winters" },
	{ "{\"soort\":\"afwijkend_patroon\"}", 0, "100 100 100", NULL, 0,
	    ALERT_OK, NULL },
	{ "{\"soort\":\"afwijkend_patroon\"}", 0, "100 100 3", NULL, 1,
	    ALERT_STIL, NULL },
	{ "{\"soort\":\"afwijkend_patroon\"}", 0, "100 100 300", NULL, -1,
	    ALERT_STIL, NULL },
};

static void
peer_result(const struct indicator *ind, const char *peers, double own,
    struct compare_result *ret)
{
	struct compare_cell cells[32];
	struct compare_opts opts = { .publiek = 0 };
	struct err err;
	char	buf[256], *save = NULL;
	size_t	n = 0;

	snprintf(buf, sizeof(buf), "%s", peers);
	memset(cells, 0, sizeof(cells));
	for (char *t = strtok_r(buf, " ", &save); t;
	    t = strtok_r(NULL, " ", &save), n++) {
		snprintf(cells[n].gemeente, 8, "GM%04zu", n + 1);
		cells[n].geleverd = 1;
		cells[n].waarde = strtod(t, NULL);
		cells[n].teller = cells[n].noemer = NAN;
	}
	snprintf(cells[n].gemeente, 8, "GM0363");
	cells[n].geleverd = 1;
	cells[n].waarde = own;
	cells[n].teller = cells[n].noemer = NAN;
	n++;
	ck_assert_int_eq(compare_eval(ind, cells, n, n, &opts, ret, &err), 0);
}

START_TEST(test_eval)
{
	struct indicator ind = ind_make(cases[_i].ratio);
	struct alert_rule r;
	struct obs obs[40];
	struct compare_result grp;
	struct alert_input in = { .ind = &ind, .gemeente = "GM0363",
		.gemeente_naam = "Amsterdam", .obs = obs };
	struct alert_result res;
	struct err err = { "" };
	json_t *j = json_loads(cases[_i].rule, 0, NULL);

	ck_assert_ptr_nonnull(j);
	memset(&r, 0, sizeof(r));
	ck_assert_msg(alert_rule_from_json(j, &r, &err) == 0, "%s", err.msg);
	json_decref(j);
	in.n = series(cases[_i].values, cases[_i].ratio, obs, NELEM(obs));
	/* Judge the last period spelled in the values string. */
	in.at = (struct period){ PERIOD_MAAND, 2023, 1 };
	for (const char *p = cases[_i].values; *p; p++)
		if (*p == ' ')
			in.at = period_next(&in.at);
	in.hw_flag = cases[_i].hw_flag;
	if (cases[_i].peers) {
		peer_result(&ind, cases[_i].peers, obs[in.n - 1].waarde, &grp);
		in.groep = &grp;
	}
	ck_assert_int_eq(alert_eval(&r, &in, &res), cases[_i].want);
	if (cases[_i].zin)
		ck_assert_msg(strstr(res.zin, cases[_i].zin) != NULL,
		    "case %d: '%s' lacks '%s'", _i, res.zin, cases[_i].zin);
	if (cases[_i].want == ALERT_VUURT)
		ck_assert_msg(strstr(res.zin, "Amsterdam (GM0363)") != NULL,
		    "%s", res.zin);
	if (cases[_i].peers)
		compare_result_free(&grp);
}
END_TEST

START_TEST(test_ontbrekend)
{
	struct indicator ind = ind_make(0);
	struct alert_rule r;
	struct obs obs[4];
	struct alert_input in = { .ind = &ind, .gemeente = "GM0363",
		.obs = obs };
	struct alert_result res;
	/* 2023-03 ended 2023-04-01; 30 days later is 2023-05-01. */
	long long t = period_start(&(struct period){ PERIOD_MAAND, 2023, 5 });

	alert_rule_init(&r, ALERT_ONTBREEKT);
	in.n = series("10 10", 0, obs, NELEM(obs));
	in.now = t - 1;		/* 2023-03 not due yet: 2023-02 is */
	ck_assert_int_eq(alert_eval(&r, &in, &res), ALERT_OK);
	in.now = t + 1;		/* 2023-03 is due and missing */
	ck_assert_int_eq(alert_eval(&r, &in, &res), ALERT_VUURT);
	ck_assert_int_eq(res.periode.index, 3);
	ck_assert_ptr_nonnull(strstr(res.zin, "binnen 30 dagen"));
	in.n = series("10 10 10", 0, obs, NELEM(obs));
	ck_assert_int_eq(alert_eval(&r, &in, &res), ALERT_OK);
}
END_TEST

/* ---- the state machine: every cell of the table ---- */

static const struct {
	enum alert_state st;
	enum alert_uitkomst u;
	enum alert_actie want;
} transitions[] = {
	{ ALERT_GEEN, ALERT_STIL, ALERT_NIETS },
	{ ALERT_GEEN, ALERT_OK, ALERT_NIETS },
	{ ALERT_GEEN, ALERT_VUURT, ALERT_NIEUW },
	{ ALERT_FIRING, ALERT_STIL, ALERT_NIETS },
	{ ALERT_FIRING, ALERT_OK, ALERT_OPHEFFEN },
	{ ALERT_FIRING, ALERT_VUURT, ALERT_NIETS },
	{ ALERT_ACKED, ALERT_STIL, ALERT_NIETS },
	{ ALERT_ACKED, ALERT_OK, ALERT_OPHEFFEN },
	{ ALERT_ACKED, ALERT_VUURT, ALERT_NIETS },
};

START_TEST(test_transition)
{
	ck_assert_int_eq(alert_transition(transitions[_i].st,
	    transitions[_i].u), transitions[_i].want);
}
END_TEST

/* ---- slope ---- */

static const struct {
	double	y[6];
	size_t	n;
	double	want;
} slopes[] = {
	{ { 1, 2, 3 }, 3, 1 },
	{ { 5, 5, 5, 5 }, 4, 0 },
	{ { 10, 8, 6, 4, 2 }, 5, -2 },
	{ { 1, 3, 2, 4 }, 4, 0.8 },
};

START_TEST(test_slope)
{
	ck_assert_double_eq_tol(alert_slope(slopes[_i].y, slopes[_i].n),
	    slopes[_i].want, 1e-12);
}
END_TEST

/* ---- rule JSON: round trip and refusals ---- */

static const struct {
	const char *json;
	const char *fout;	/* NULL = accepted */
} rule_json[] = {
	{ "{\"soort\":\"drempel\",\"naam\":\"a\",\"params\":{\"drempel\":3}}",
	    NULL },
	{ "{\"soort\":\"onzin\"}", "soort" },
	{ "{\"soort\":\"drempel\"}", "drempel ontbreekt" },
	{ "{\"soort\":\"drempel\",\"params\":{\"drempel\":\"x\"}}",
	    "params.drempel" },
	{ "{\"soort\":\"drempel\",\"params\":{\"drempel\":1,\"dagen\":3}}",
	    "params.dagen: onbekend" },
	{ "{\"soort\":\"trend\",\"params\":{\"drempel\":1,\"perioden\":2}}",
	    "params.perioden" },
	{ "{\"soort\":\"trend\",\"params\":{\"drempel\":1,\"richting\":\"x\"}}",
	    "params.richting" },
	{ "{\"soort\":\"ontbrekend\",\"min_n\":-1}", "min_n" },
	{ "{\"soort\":\"ontbrekend\",\"actief\":1}", "actief" },
	{ "{\"soort\":\"afwijkend_patroon\",\"params\":{\"alpha\":2}}",
	    "params.alpha" },
	{ "{\"soort\":\"verandering\",\"params\":{\"drempel\":5,\"basis\":"
	    "\"vorig_jaar\",\"eenheid\":\"punten\",\"richting\":\"beide\"}}",
	    NULL },
};

START_TEST(test_rule_json)
{
	struct alert_rule r, back;
	struct err err = { "" };
	json_t *j = json_loads(rule_json[_i].json, 0, NULL), *out;
	int	rc;

	memset(&r, 0, sizeof(r));
	rc = alert_rule_from_json(j, &r, &err);
	if (rule_json[_i].fout != NULL) {
		ck_assert_int_eq(rc, -1);
		ck_assert_msg(strstr(err.msg, rule_json[_i].fout) != NULL,
		    "'%s' lacks '%s'", err.msg, rule_json[_i].fout);
	} else {
		ck_assert_int_eq(rc, 0);
		out = alert_rule_to_json(&r);
		memset(&back, 0, sizeof(back));
		ck_assert_int_eq(alert_rule_from_json(out, &back, &err), 0);
		ck_assert_int_eq(back.kind, r.kind);
		ck_assert_int_eq(back.richting, r.richting);
		ck_assert_int_eq(back.basis, r.basis);
		ck_assert_int_eq(back.eenheid, r.eenheid);
		ck_assert_double_eq(back.drempel, r.drempel);
		json_decref(out);
	}
	json_decref(j);
}
END_TEST

/* ---- Holt-Winters on a real scratch RRD ---- */

START_TEST(test_aberrant)
{
	char   *dir = tu_tmpdir();
	struct err err = { "" };
	struct store *st = store_open(dir, &err);
	struct store_hw hw = { 12, 0.5, 0.1, 0.5, 1, 1, 5 };
	double	v[60];
	unsigned char fl[60];
	int	late = 0;

	ck_assert_ptr_nonnull(st);
	unsigned long seed = 42;

	/* A season with noise, as real monthly counts have. */
	for (int i = 0; i < 60; i++) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		v[i] = 100 + 10 * sin(i * 2 * M_PI / 12) +
		    (double)(seed >> 33) / 4294967296.0 * 6;
	}
	v[55] = 400;
	ck_assert_msg(store_aberrant(st, v, 60, &hw, fl, &err) == 0, "%s",
	    err.msg);
	ck_assert_int_eq(fl[55], 1);
	for (int i = 36; i < 54; i++)
		late += fl[i];

	ck_assert_int_eq(late, 0);	/* a regular season stays quiet */
	ck_assert_int_eq(store_aberrant(st, v, 20, &hw, fl, &err), -1);
	store_close(st);
	tu_rm_rf(dir);
	free(dir);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("alert");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_loop_test(tc, test_eval, 0, NELEM(cases));
	tcase_add_test(tc, test_ontbrekend);
	tcase_add_loop_test(tc, test_transition, 0, NELEM(transitions));
	tcase_add_loop_test(tc, test_slope, 0, NELEM(slopes));
	tcase_add_loop_test(tc, test_rule_json, 0, NELEM(rule_json));
	tcase_add_test(tc, test_aberrant);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
