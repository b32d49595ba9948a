/* tests/check_catalog.c — the catalogue loader's error messages (one bad
 * fixture per case under tests/data/catalog-bad/) and the shipped basisset
 * in indicators/: every id of domain §8 with its shape, and the limits of
 * the ini format that the texts must respect. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/catalog.h"
#include "testutil.h"

/* {fixture dir, file in it, expected message after "<dir>/<file>:"} */
static const struct {
	const char *dir, *file, *msg;
} bad[] = {
	{ "onbekend-veld", "x_aantal.ini", "5: onbekend veld 'kleur'" },
	{ "veld-ontbreekt", "x_aantal.ini",
	    "0: verplicht veld 'bron' ontbreekt" },
	{ "ongeldige-soort", "x_aantal.ini", "8: ongeldige waarde "
	    "'percentage' (kies uit: aantal, ratio, gemiddelde, verdeling)" },
	{ "ratio-zonder-noemer", "x_pct.ini",
	    "0: soort ratio vraagt om 'teller' en 'noemer'" },
	{ "id-past-niet", "x_aantal.ini", "0: id 'y_aantal' past niet bij de "
	    "bestandsnaam (verwacht y_aantal.ini)" },
	{ "ongeldige-periode", "x_aantal.ini", "10: ongeldige waarde 'week' "
	    "(kies uit: maand, kwartaal, halfjaar, jaar)" },
	{ "ongeldige-richting", "x_aantal.ini", "11: ongeldige waarde "
	    "'hoger' (kies uit: hoger_beter, lager_beter, neutraal)" },
	{ "dubbel-veld", "x_aantal.ini",
	    "13: veld 'naam' staat er twee keer" },
	{ "onbekende-sectie", "x_aantal.ini",
	    "3: onbekende sectie [indicatr] (verwacht [indicator])" },
	{ "min-groter-dan-max", "x_aantal.ini", "0: min is groter dan max" },
	{ "geen-getal", "x_aantal.ini", "13: '1,5' is geen getal (gebruik een "
	    "punt als decimaalteken)" },
	{ "aantal-met-teller", "x_aantal.ini",
	    "0: soort aantal heeft geen teller en noemer" },
	/* libinih joins an indented line to the key above by calling the
	 * handler again: a text must stay on one line. */
	{ "tekst-over-twee-regels", "x_aantal.ini",
	    "6: veld 'omschrijving' staat er twee keer" },
	{ "id-hoofdletter", "X_aantal.ini",
	    "0: id 'X_aantal' mag alleen a-z, 0-9 en _ bevatten" },
};

START_TEST(test_bad)
{
	char	rel[256], want[1024];
	char   *dir;
	struct err err = { "" };
	struct catalog *cat;

	snprintf(rel, sizeof(rel), "tests/data/catalog-bad/%s", bad[_i].dir);
	dir = tu_srcpath(rel);
	snprintf(want, sizeof(want), "%s/%s:%s", dir, bad[_i].file,
	    bad[_i].msg);
	cat = catalog_load(dir, &err);
	ck_assert_ptr_null(cat);
	ck_assert_str_eq(err.msg, want);
	free(dir);
}
END_TEST

START_TEST(test_empty_dir)
{
	struct err err = { "" };
	char   *tmp = tu_tmpdir();
	char	want[1024];

	/* an empty directory holds no indicators */
	ck_assert_ptr_null(catalog_load(tmp, &err));
	snprintf(want, sizeof(want), "%s: geen indicatoren (*.ini) gevonden",
	    tmp);
	ck_assert_str_eq(err.msg, want);
	tu_rm_rf(tmp);
	free(tmp);
}
END_TEST

/* The basisset of domain §8 with the shape each must have. */
#define A SOORT_AANTAL
#define R SOORT_RATIO
#define G SOORT_GEMIDDELDE
#define ST METING_STAND
#define SR METING_STROOM
#define HB RICHTING_HOGER_BETER
#define LB RICHTING_LAGER_BETER
#define NE RICHTING_NEUTRAAL
static const struct {
	const char *id;
	enum cat_soort soort;
	enum cat_meting meting;
	enum period_kind periode;
	double	schaal;
	enum cat_richting richting;
} shipped[] = {
	{ "pw_bestand", A, ST, PERIOD_MAAND, 1, LB },
	{ "pw_bestand_duur_1", A, ST, PERIOD_MAAND, 1, LB },
	{ "pw_bestand_duur_2", A, ST, PERIOD_MAAND, 1, LB },
	{ "pw_bestand_duur_3", A, ST, PERIOD_MAAND, 1, LB },
	{ "pw_bestand_duur_4", A, ST, PERIOD_MAAND, 1, LB },
	{ "pw_bestand_duur_5", A, ST, PERIOD_MAAND, 1, LB },
	{ "pw_bestand_duur_6", A, ST, PERIOD_MAAND, 1, LB },
	{ "pw_bestand_duur_7", A, ST, PERIOD_MAAND, 1, LB },
	{ "bijstand_per_1000_inwoners", R, ST, PERIOD_MAAND, 1000, LB },
	{ "inwoners", A, ST, PERIOD_JAAR, 1, NE },
	{ "huishoudens", A, ST, PERIOD_JAAR, 1, NE },
	{ "pw_instroom", A, SR, PERIOD_MAAND, 1, LB },
	{ "pw_uitstroom_totaal", A, SR, PERIOD_MAAND, 1, NE },
	{ "pw_uitstroom_werk", A, SR, PERIOD_MAAND, 1, HB },
	{ "pw_uitstroom_opleiding", A, SR, PERIOD_MAAND, 1, HB },
	{ "pw_uitstroom_ondernemer", A, SR, PERIOD_MAAND, 1, HB },
	{ "pw_uitstroom_deeltijd", A, SR, PERIOD_MAAND, 1, HB },
	{ "pw_uitstroom_overig", A, SR, PERIOD_MAAND, 1, NE },
	{ "pw_uitstroom_resultaat_pct", R, SR, PERIOD_JAAR, 100, HB },
	{ "pw_terugval_12m_pct", R, SR, PERIOD_JAAR, 100, LB },
	{ "pw_uitkeringslasten", A, SR, PERIOD_MAAND, 1, LB },
	{ "pl_trede_1", A, ST, PERIOD_HALFJAAR, 1, NE },
	{ "pl_trede_2", A, ST, PERIOD_HALFJAAR, 1, NE },
	{ "pl_trede_3", A, ST, PERIOD_HALFJAAR, 1, NE },
	{ "pl_trede_4", A, ST, PERIOD_HALFJAAR, 1, NE },
	{ "pl_trede_5", A, ST, PERIOD_HALFJAAR, 1, NE },
	{ "pl_trede_6", A, ST, PERIOD_HALFJAAR, 1, NE },
	{ "pl_gemiddelde_trede", G, ST, PERIOD_HALFJAAR, 1, HB },
	{ "pl_stijgers_pct", R, SR, PERIOD_HALFJAAR, 100, HB },
	{ "pl_dalers_pct", R, SR, PERIOD_HALFJAAR, 100, LB },
	{ "pl_gelijk_pct", R, SR, PERIOD_HALFJAAR, 100, NE },
	{ "zrm_financien_gem", G, ST, PERIOD_HALFJAAR, 1, HB },
	{ "zrm_werk_opleiding_gem", G, ST, PERIOD_HALFJAAR, 1, HB },
	{ "zrm_tijdsbesteding_gem", G, ST, PERIOD_HALFJAAR, 1, HB },
	{ "zrm_huisvesting_gem", G, ST, PERIOD_HALFJAAR, 1, HB },
	{ "zrm_huiselijke_relaties_gem", G, ST, PERIOD_HALFJAAR, 1, HB },
	{ "zrm_geestelijke_gezondheid_gem", G, ST, PERIOD_HALFJAAR, 1, HB },
	{ "zrm_lichamelijke_gezondheid_gem", G, ST, PERIOD_HALFJAAR, 1, HB },
	{ "zrm_middelengebruik_gem", G, ST, PERIOD_HALFJAAR, 1, HB },
	{ "zrm_basale_adl_gem", G, ST, PERIOD_HALFJAAR, 1, HB },
	{ "zrm_instrumentele_adl_gem", G, ST, PERIOD_HALFJAAR, 1, HB },
	{ "zrm_sociaal_netwerk_gem", G, ST, PERIOD_HALFJAAR, 1, HB },
	{ "zrm_maatschappelijke_participatie_gem", G, ST, PERIOD_HALFJAAR, 1,
	    HB },
	{ "zrm_justitie_gem", G, ST, PERIOD_HALFJAAR, 1, HB },
	{ "zrm_verbeterd_pct", R, SR, PERIOD_HALFJAAR, 100, HB },
	{ "esc_ontruiming_aangezegd", A, SR, PERIOD_KWARTAAL, 1, LB },
	{ "esc_ontruiming_voorkomen", A, SR, PERIOD_KWARTAAL, 1, HB },
	{ "esc_ontruiming_uitgevoerd", A, SR, PERIOD_KWARTAAL, 1, LB },
	{ "esc_ontruiming_voorkomen_pct", R, SR, PERIOD_KWARTAAL, 100, HB },
	{ "esc_crisis_gestabiliseerd_pct", R, SR, PERIOD_KWARTAAL, 100, HB },
	{ "esc_voorkomen", A, SR, PERIOD_KWARTAAL, 1, HB },
	{ "esc_behandeld", A, SR, PERIOD_KWARTAAL, 1, NE },
	{ "samenloop_per_1000_huishoudens", R, ST, PERIOD_HALFJAAR, 1000, NE },
	{ "samenloop_pw_jeugd_per_1000", R, ST, PERIOD_HALFJAAR, 1000, NE },
	{ "samenloop_pw_wmo_per_1000", R, ST, PERIOD_HALFJAAR, 1000, NE },
	{ "samenloop_alle_drie_per_1000", R, ST, PERIOD_HALFJAAR, 1000, NE },
};
#define NSHIPPED (sizeof(shipped) / sizeof(*shipped))

static struct catalog *cat;

static void
load_shipped(void)
{
	struct err err = { "" };
	char   *dir = tu_srcpath("indicators");

	cat = catalog_load(dir, &err);
	if (cat == NULL)
		fprintf(stderr, "%s\n", err.msg);
	free(dir);
}

static void
free_shipped(void)
{
	catalog_free(cat);
}

START_TEST(test_shipped_id)
{
	const struct indicator *ind;

	ck_assert_ptr_nonnull(cat);
	ind = catalog_find(cat, shipped[_i].id);
	ck_assert_msg(ind != NULL, "%s ontbreekt", shipped[_i].id);
	ck_assert_int_eq(ind->soort, shipped[_i].soort);
	ck_assert_int_eq(ind->meting, shipped[_i].meting);
	ck_assert_int_eq(ind->periode, shipped[_i].periode);
	ck_assert_double_eq(ind->schaal, shipped[_i].schaal);
	ck_assert_int_eq(ind->richting, shipped[_i].richting);
}
END_TEST

/* Properties every shipped indicator must have (domain §3.5, §5, §6). */
START_TEST(test_shipped_all)
{
	ck_assert_ptr_nonnull(cat);
	ck_assert_uint_eq(cat->n, NSHIPPED);
	for (size_t i = 0; i < cat->n; i++) {
		const struct indicator *ind = &cat->items[i];

		ck_assert_msg(ind->bron[0] && ind->naam[0] &&
		    ind->omschrijving[0], "%s: lege tekst", ind->id);
		if (ind->soort == SOORT_RATIO) {
			ck_assert_msg(ind->has_min && ind->min == 0 &&
			    ind->has_max && ind->max == ind->schaal,
			    "%s: ratio zonder min 0 / max schaal", ind->id);
			ck_assert_int_ge(ind->min_n, 10);
		}
		if (ind->soort == SOORT_GEMIDDELDE)
			ck_assert(ind->has_min && ind->has_max);
		if (ind->soort == SOORT_AANTAL && strcmp(ind->groep,
		    "context") != 0 && strcmp(ind->groep, "kosten") != 0)
			ck_assert_int_eq(ind->min_n, 5);
		/* no national distribution: the values are assumptions */
		if (strcmp(ind->groep, "zrm") == 0 ||
		    strcmp(ind->groep, "participatie") == 0)
			ck_assert_msg(strstr(ind->kanttekening, "aanname") !=
			    NULL, "%s: kanttekening noemt de aanname",
			    ind->id);
		if (strncmp(ind->id, "esc_", 4) == 0 &&
		    ind->soort == SOORT_RATIO)
			ck_assert_int_ge(ind->min_n, 20);
	}
}
END_TEST

/* libinih (Debian 55) reads at most 199 bytes per line and parses the rest
 * as a new line: a longer text would be cut or misread. */
START_TEST(test_shipped_line_length)
{
	ck_assert_ptr_nonnull(cat);
	for (size_t i = 0; i < cat->n; i++) {
		char   *text = tu_read_file(cat->items[i].file, NULL);
		char   *line, *save = NULL;

		ck_assert_ptr_nonnull(text);
		for (line = strtok_r(text, "\n", &save); line != NULL;
		     line = strtok_r(NULL, "\n", &save))
			ck_assert_msg(strlen(line) < 199, "%s: regel van %zu "
			    "bytes", cat->items[i].file, strlen(line));
		free(text);
	}
}
END_TEST

/* Every count names how it is compared (domain §3.9); the rate of a
 * count is a ratio with the table's noemer and schaal. */
static const struct {
	const char *id, *als;
	double	schaal;
	const char *noemer;
} rates[] = {
	{ "pw_bestand", "per_1000_inwoners", 1000, "inwoners" },
	{ "pw_bestand_duur_3", "pct_bestand", 100, "pw_bestand" },
	{ "pw_instroom", "pct_bestand_begin", 100, "pw_bestand" },
	{ "pw_uitstroom_werk", "pct_bestand_begin", 100, "pw_bestand" },
	{ "pw_uitkeringslasten", "per_uitkering", 1, "pw_bestand" },
	{ "pl_trede_4", "pct_gemeten", 100, "pl_trede_1" },
	{ "esc_ontruiming_aangezegd", "per_1000_huishoudens", 1000,
	    "huishoudens" },
	{ "esc_voorkomen", "pct_behandeld", 100, "esc_behandeld" },
	{ "inwoners", "context", 0, NULL },
	{ "huishoudens", "context", 0, NULL },
};

START_TEST(test_rates)
{
	const struct indicator *ind;
	struct indicator rate;

	ck_assert_ptr_nonnull(cat);
	for (size_t i = 0; i < cat->n; i++)
		ck_assert_msg(cat->items[i].soort != SOORT_AANTAL ||
		    cat->items[i].vergelijk != NULL, "%s: aantal zonder "
		    "vergelijk_als", cat->items[i].id);
	ind = catalog_find(cat, rates[_i].id);
	ck_assert_ptr_nonnull(ind);
	ck_assert_ptr_nonnull(ind->vergelijk);
	ck_assert_str_eq(ind->vergelijk->als, rates[_i].als);
	ck_assert(!catalog_rankable(ind));
	if (rates[_i].noemer == NULL) {
		ck_assert_int_eq(catalog_rate(ind, &rate), -1);
		return;
	}
	ck_assert_int_eq(catalog_rate(ind, &rate), 0);
	ck_assert_int_eq(rate.soort, SOORT_RATIO);
	ck_assert_double_eq(rate.schaal, rates[_i].schaal);
	ck_assert_str_eq(ind->vergelijk->noemer[0], rates[_i].noemer);
	ck_assert_int_eq(rate.min_n_teller, ind->min_n);
}
END_TEST

/* doc/catalogus.md documents every indicator. */
START_TEST(test_shipped_documented)
{
	char   *path = tu_srcpath("doc/catalogus.md");
	char   *doc = tu_read_file(path, NULL);
	char	needle[80];

	ck_assert_ptr_nonnull(doc);
	ck_assert_ptr_nonnull(cat);
	for (size_t i = 0; i < cat->n; i++) {
		snprintf(needle, sizeof(needle), "`%s`", cat->items[i].id);
		ck_assert_msg(strstr(doc, needle) != NULL, "%s ontbreekt in "
		    "doc/catalogus.md", cat->items[i].id);
	}
	free(doc);
	free(path);
}
END_TEST

/* domain §4/§9: 26 of 120 uitkeringen is 21,7%. */
START_TEST(test_value)
{
	const struct indicator *ind;

	ck_assert_ptr_nonnull(cat);
	ind = catalog_find(cat, "pw_uitstroom_resultaat_pct");
	ck_assert_ptr_nonnull(ind);
	ck_assert_double_eq_tol(catalog_value(ind, 26, 120), 21.667, 0.001);
	ck_assert(isnan(catalog_value(ind, 1, 0)));
	ind = catalog_find(cat, "samenloop_pw_wmo_per_1000");
	ck_assert_double_eq_tol(catalog_value(ind, 17, 1000), 17, 1e-9);
	ck_assert_ptr_null(catalog_find(cat, "pw_onbekend"));
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("catalog");
	TCase  *tb = tcase_create("bad");
	TCase  *ts = tcase_create("shipped");
	SRunner *sr;
	int	nf;

	tcase_add_loop_test(tb, test_bad, 0, sizeof(bad) / sizeof(*bad));
	tcase_add_test(tb, test_empty_dir);
	tcase_add_unchecked_fixture(ts, load_shipped, free_shipped);
	tcase_add_loop_test(ts, test_shipped_id, 0, NSHIPPED);
	tcase_add_test(ts, test_shipped_all);
	tcase_add_test(ts, test_shipped_line_length);
	tcase_add_test(ts, test_shipped_documented);
	tcase_add_test(ts, test_value);
	tcase_add_loop_test(ts, test_rates, 0, sizeof(rates) / sizeof(*rates));
	suite_add_tcase(s, tb);
	suite_add_tcase(s, ts);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
