/* tests/check_benchmark.c — the uitstroom benchmark: the worked examples of
 * domain.md §4 and §9 against the shipped baseline table, and the loader's
 * messages for broken tables. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/benchmark.h"
#include "testutil.h"
#include "base/util.h"

static struct baseline shipped;

static void
load_shipped(void)
{
	char   *path = tu_srcpath("indicators/uitstroom-baseline.ini");
	struct err err = { "" };

	ck_assert_msg(baseline_load(path, &shipped, &err) == 0, "%s",
	    err.msg);
	free(path);
}

START_TEST(test_shipped_table)
{
	ck_assert_str_eq(shipped.versie, "1.0");
	ck_assert_int_eq(shipped.horizon_jaren, 7);
	ck_assert_double_eq(shipped.uitkering_per_jaar, 14000);
	ck_assert_double_eq(shipped.uitvoeringskosten_per_jaar, 2900);
	ck_assert_double_eq(shipped.klasse[0].alle_laag, 0.40);
	ck_assert_double_eq(shipped.klasse[1].alle_hoog, 0.23);
	ck_assert_double_eq(shipped.klasse[2].wo_laag, 0.05);
	ck_assert_double_eq(shipped.klasse[2].wo_hoog, 0.10);
	ck_assert_double_eq(shipped.klasse[5].alle_laag, 0.07);
	ck_assert_double_eq(shipped.klasse[5].schadelast, 66345);
	ck_assert_double_eq(shipped.klasse[6].schadelast_terugval, 37226);
	/* incl. terugval ≈ 0,55 × the 7-year figure, for every klasse */
	for (int k = 0; k < BENCHMARK_NKLASSEN; k++)
		ck_assert_double_eq_tol(shipped.klasse[k].schadelast_terugval /
		    shipped.klasse[k].schadelast, 0.55, 0.005);
}
END_TEST

/* Worked examples. bestand is given per duurklasse (index 0 = 1 jaar). */
static const struct {
	const char *naam;
	int	klasse;		/* 0-based duurklasse holding the whole bestand */
	double	bestand, werk, deeltijd;
	enum benchmark_methode methode;
	enum benchmark_kolom kolom;
	double	bedrag;		/* override per uitstromer; 0 = table */
	double	gerealiseerd, pct, verwacht, extra, maatsch;
} examples[] = {
	/* Zoetermeer: 120 uitkeringen, baseline 7% werk+opleiding (the
	 * 4-year klasse, high end); 26 incl. 4 deeltijd counted as 2;
	 * expected 8,4; extra 17,6; × € 35.000 */
	{ "zoetermeer", 3, 120, 24, 4, BENCHMARK_HOOG,
	    BENCHMARK_WERK_OPLEIDING, 35000, 26, 21.6667, 8.4, 17.6, 616000 },
	/* deeltijd counts half: 4 deeltijd = 2; 5 + 2 deeltijd = 6 */
	{ "deeltijd-4", 5, 100, 0, 4, BENCHMARK_LAAG, BENCHMARK_ALLE, 1000,
	    2, 2, 7, -5, -5000 },
	{ "deeltijd-5+2", 5, 100, 5, 2, BENCHMARK_LAAG, BENCHMARK_ALLE, 1000,
	    6, 6, 7, -1, -1000 },
	/* Broedplaats: 13 of 86 = 15%, 3-year klasse, werk+opleiding 5–10% */
	{ "broedplaats-laag", 2, 86, 13, 0, BENCHMARK_LAAG,
	    BENCHMARK_WERK_OPLEIDING, 0, 13, 15.1163, 4.3, 8.7, 8.7 * 33300 },
	{ "broedplaats-midden", 2, 86, 13, 0, BENCHMARK_MIDDEN,
	    BENCHMARK_WERK_OPLEIDING, 0, 13, 15.1163, 6.45, 6.55,
	    6.55 * 33300 },
	{ "broedplaats-hoog", 2, 86, 13, 0, BENCHMARK_HOOG,
	    BENCHMARK_WERK_OPLEIDING, 0, 13, 15.1163, 8.6, 4.4, 4.4 * 33300 },
};

START_TEST(test_examples)
{
	struct benchmark_input in;
	struct benchmark_params p;
	struct benchmark_result r;
	struct err err = { "" };

	memset(&in, 0, sizeof(in));
	in.bestand[examples[_i].klasse] = examples[_i].bestand;
	in.werk = examples[_i].werk;
	in.deeltijd = examples[_i].deeltijd;
	benchmark_params_default(&p);
	p.methode = examples[_i].methode;
	p.kolom = examples[_i].kolom;
	p.bedrag_per_uitstromer = examples[_i].bedrag;
	ck_assert_msg(benchmark_eval(&shipped, &in, &p, &r, &err) == 0, "%s: %s",
	    examples[_i].naam, err.msg);
	ck_assert_double_eq_tol(r.gerealiseerd, examples[_i].gerealiseerd, 1e-9);
	ck_assert_double_eq_tol(r.uitstroom_pct, examples[_i].pct, 1e-4);
	ck_assert_double_eq_tol(r.verwacht, examples[_i].verwacht, 1e-9);
	ck_assert_double_eq_tol(r.extra, examples[_i].extra, 1e-9);
	ck_assert_double_eq_tol(r.maatschappelijk.euro, examples[_i].maatsch,
	    1e-6);
	ck_assert_double_eq_tol(r.gemeentelijk.euro,
	    examples[_i].maatsch * 2 / 3, 1e-6);
	ck_assert_str_eq(r.versie, "1.0");
}
END_TEST

START_TEST(test_zoetermeer_net)
{
	struct benchmark_input in = { .bestand = { [3] = 120 }, .werk = 24,
		.deeltijd = 4 };
	struct benchmark_params p;
	struct benchmark_result r;

	benchmark_params_default(&p);
	ck_assert_int_eq(p.kolom, BENCHMARK_WERK_OPLEIDING);
	p.methode = BENCHMARK_HOOG;	/* 7% */
	p.bedrag_per_uitstromer = 35000;
	/* § 9: + 15 × € 5.000 less multi-problem help, − 3 × € 35.000 −
	 * 3 × € 20.000 costs: net € 526.000 */
	p.overige_besparing = 15 * 5000;
	p.kosten = 3 * 35000 + 3 * 20000;
	ck_assert_int_eq(benchmark_eval(&shipped, &in, &p, &r, NULL), 0);
	ck_assert_double_eq_tol(r.maatschappelijk.euro, 616000, 1e-6);
	ck_assert_int_eq(r.maatschappelijk.grondslag, BENCHMARK_BRUTO);
	ck_assert_str_eq(r.maatschappelijk.label,
	    "maatschappelijke besparing, bruto, over 7 jaar");
	ck_assert_double_eq_tol(r.netto.euro, 526000, 1e-6);
	ck_assert_int_eq(r.netto.grondslag, BENCHMARK_NETTO);
	ck_assert_str_eq(r.netto.label,
	    "maatschappelijke besparing min kosten, netto, over 7 jaar");
	ck_assert_double_eq_tol(r.eerste_jaar.euro, 616000 / 5.0, 1e-6);
	ck_assert_int_eq(r.eerste_jaar.horizon_jaren, 1);
	ck_assert_str_eq(r.gemeentelijk.label,
	    "gemeentelijke besparing, bruto, over 7 jaar");
	/* attribution to the aanpak: 50% halves every bruto figure */
	p.toerekening = 0.5;
	ck_assert_int_eq(benchmark_eval(&shipped, &in, &p, &r, NULL), 0);
	ck_assert_double_eq_tol(r.maatschappelijk.euro, 308000, 1e-6);
}
END_TEST

/* € per uitstromer from the table: bestand-weighted over duurklassen. */
static const struct {
	double	bestand[BENCHMARK_NKLASSEN];
	int	terugval;
	double	per;
	double	verwacht;	/* methode laag, alle redenen */
} tables[] = {
	{ { [5] = 120 }, 1, 36490, 8.4 },
	{ { [5] = 120 }, 0, 66345, 8.4 },
	{ { 10, 0, 0, 0, 0, 0, 30 }, 1, (10 * 27339 + 30 * 37226) / 40.0,
	    10 * 0.40 + 30 * 0.06 },
	{ { 1, 1, 1, 1, 1, 1, 1 }, 0, (49708 + 57424 + 60547 + 63669 + 65007 +
	    66345 + 67683) / 7.0, 0.40 + 0.20 + 0.10 + 0.09 + 0.08 + 0.07 +
	    0.06 },
};

START_TEST(test_table_amounts)
{
	struct benchmark_input in;
	struct benchmark_params p;
	struct benchmark_result r;
	double	sum = 0;

	memset(&in, 0, sizeof(in));
	memcpy(in.bestand, tables[_i].bestand, sizeof(in.bestand));
	in.werk = 10;
	benchmark_params_default(&p);
	p.kolom = BENCHMARK_ALLE;
	p.terugval = tables[_i].terugval;
	ck_assert_int_eq(benchmark_eval(&shipped, &in, &p, &r, NULL), 0);
	ck_assert_double_eq_tol(r.per_uitstromer, tables[_i].per, 1e-6);
	ck_assert_double_eq_tol(r.verwacht, tables[_i].verwacht, 1e-9);
	for (int k = 0; k < BENCHMARK_NKLASSEN; k++)
		sum += r.verwacht_klasse[k];
	ck_assert_double_eq_tol(sum, r.verwacht, 1e-9);
	ck_assert_double_eq_tol(r.maatschappelijk.euro,
	    (10 - r.verwacht) * tables[_i].per, 1e-6);
}
END_TEST

static const struct {
	double	bestand, werk, aandeel;
	const char *msg;
} bad_inputs[] = {
	{ 0, 1, 0.5, "het bestand is leeg: geen benchmark" },
	{ -1, 1, 0.5, "bestand in duurklasse 6 moet 0 of meer zijn" },
	{ NAN, 1, 0.5, "bestand in duurklasse 6 ontbreekt" },
	{ 10, -1, 0.5, "uitstroom naar werk moet 0 of meer zijn" },
	{ 10, NAN, 0.5, "uitstroom naar werk ontbreekt" },
	{ 10, 1, 1.5, "aandeel, toerekening en eerste-jaarfractie liggen "
	    "tussen 0 en 1" },
};

START_TEST(test_bad_input)
{
	struct benchmark_input in;
	struct benchmark_params p;
	struct benchmark_result r;
	struct err err = { "" };

	memset(&in, 0, sizeof(in));
	in.bestand[5] = bad_inputs[_i].bestand;
	in.werk = bad_inputs[_i].werk;
	benchmark_params_default(&p);
	p.gemeentelijk_aandeel = bad_inputs[_i].aandeel;
	ck_assert_int_eq(benchmark_eval(&shipped, &in, &p, &r, &err), -1);
	ck_assert_str_eq(err.msg, bad_inputs[_i].msg);
}
END_TEST

/* Broken tables: the message names the file line and the problem. */
static const struct {
	const char *text;
	const char *msg;	/* after "<path>:" */
} bad_tables[] = {
	{ "[baseline]\nversie = 1\nkleur = rood\n", "3: onbekend veld 'kleur'" },
	{ "[duur-8]\nalle_laag = 0.1\n", "2: onbekende sectie [duur-8] "
	    "(verwacht [baseline] of [duur-1] … [duur-7])" },
	{ "[duur-1]\nalle_laag = 1.5\n",
	    "2: 1.5 ligt buiten het bereik 0–1" },
	{ "[duur-1]\nalle_laag = 0,4\n", "2: '0,4' is geen getal (gebruik een "
	    "punt als decimaalteken)" },
	{ "[baseline]\nversie = 1\n", "0: [baseline] mist veld 'bron'" },
	{ "geen ini\n", "1: syntaxfout (verwacht sleutel = waarde)" },
};

START_TEST(test_bad_tables)
{
	char   *dir = tu_tmpdir();
	char	path[4096], want[4400];
	struct baseline b;
	struct err err = { "" };

	snprintf(path, sizeof(path), "%s/uitstroom-baseline.ini", dir);
	tu_write_file(path, bad_tables[_i].text, strlen(bad_tables[_i].text));
	ck_assert_int_eq(baseline_load(path, &b, &err), -1);
	snprintf(want, sizeof(want), "%s:%s", path, bad_tables[_i].msg);
	ck_assert_str_eq(err.msg, want);
	tu_rm_rf(dir);
	free(dir);
}
END_TEST

START_TEST(test_laag_boven_hoog)
{
	char   *src = tu_srcpath("indicators/uitstroom-baseline.ini");
	char   *dir = tu_tmpdir(), *text, *at;
	char	path[4096], want[4400];
	size_t	len;
	struct baseline b;
	struct err err = { "" };

	text = tu_read_file(src, &len);
	ck_assert_ptr_nonnull(text);
	/* 3-year klasse: laag 0.10 → 0.30, above its hoog of 0.19 */
	at = strstr(text, "alle_laag = 0.10");
	ck_assert_ptr_nonnull(at);
	memcpy(at, "alle_laag = 0.30", 16);
	snprintf(path, sizeof(path), "%s/b.ini", dir);
	tu_write_file(path, text, len);
	ck_assert_int_eq(baseline_load(path, &b, &err), -1);
	snprintf(want, sizeof(want), "%s:0: [duur-3]: laag is groter dan hoog",
	    path);
	ck_assert_str_eq(err.msg, want);
	tu_rm_rf(dir);
	free(dir);
	free(text);
	free(src);
}
END_TEST

START_TEST(test_methode_names)
{
	enum benchmark_methode m;

	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(benchmark_methode_parse(
		    benchmark_methode_name((enum benchmark_methode)i), &m), 0);
		ck_assert_int_eq(m, i);
	}
	ck_assert_int_eq(benchmark_methode_parse("gemiddeld", &m), -1);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("benchmark");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_unchecked_fixture(tc, load_shipped, NULL);
	tcase_add_test(tc, test_shipped_table);
	tcase_add_loop_test(tc, test_examples, 0, NELEM(examples));
	tcase_add_test(tc, test_zoetermeer_net);
	tcase_add_loop_test(tc, test_table_amounts, 0, NELEM(tables));
	tcase_add_loop_test(tc, test_bad_input, 0, NELEM(bad_inputs));
	tcase_add_loop_test(tc, test_bad_tables, 0, NELEM(bad_tables));
	tcase_add_test(tc, test_laag_boven_hoog);
	tcase_add_test(tc, test_methode_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
