/* tests/check_validate.c — feed rows against the catalogue (fixtures in
 * tests/data/catalog) and the shipped register: every problem's exact
 * message, and the observations of the good rows. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/validate.h"
#include "testutil.h"

static struct catalog *cat;
static struct catalog *shipped;	/* indicators/: the families of issue 11 */
static struct reg *reg;

static void
setup(void)
{
	char   *cdir = tu_srcpath("tests/data/catalog");
	char   *rdir = tu_srcpath("indicators");
	struct err err = { "" };

	cat = catalog_load(cdir, &err);
	ck_assert_msg(cat != NULL, "%s", err.msg);
	shipped = catalog_load(rdir, &err);
	ck_assert_msg(shipped != NULL, "%s", err.msg);
	reg = register_load(rdir, &err);
	ck_assert_msg(reg != NULL, "%s", err.msg);
	free(cdir);
	free(rdir);
}

static void
teardown(void)
{
	catalog_free(cat);
	catalog_free(shipped);
	register_free(reg);
}

#define H "gemeente;indicator;periode;waarde;teller;noemer;status;" \
	"toelichting;synthetisch\n"
#define UNKNOWN_GM "onbekende gemeente (gebruik de CBS-code, zoals GM0363, " \
	"of de naam zoals CBS die schrijft)"
#define X10  "xxxxxxxxxx"
#define X50  X10 X10 X10 X10 X10
#define X95  X50 X10 X10 X10 X10 "xxxxx"
#define X256 X50 X50 X50 X50 X50 "xxxxxx"

/* {feed, scope (one code or NULL), expected problems
 * ("line:column:kolom:waarde:reden\n"), expected observations
 * ("line:gemeente|indicator|periode|waarde|teller|noemer|status|synth|
 * toelichting\n"), n, bad_rows, scope_rows, synthetisch}. */
static const struct {
	const char *feed;
	const char *scope;
	const char *problems;
	const char *obs;
	size_t	n, bad, scope_rows;
	int	synth;
} cases[] = {
	/* 0: good rows of every soort, all notations */
	{ H "GM0363;pw_bestand;2024-03;12.345;;;;;\n"
	  "0599;pw_uitstroom_resultaat_pct;2024K1;;26;120;voorlopig;"
	  "geëxtrapoleerd;ja\n"
	  "'s-Gravenhage;pl_gemiddelde_trede;2024-H1;;3.580;1.000;GESCHAT;;"
	  "nee\n"
	  "Súdwest-Fryslân;pl_trede_1;2024HJ02;17;;;;;1\n"
	  "gm0344;inwoners;2024JJ00;378118;;;definitief;;0\n"
	  "GM0344;bijstand_per_1000_inwoners;2024MM12;;12,5;378.118;;;\n",
	  NULL, "",
	  "2:GM0363|pw_bestand|2024-03|12345|nan|nan|definitief|0|\n"
	  "3:GM0599|pw_uitstroom_resultaat_pct|2024-Q1|21.6667|26|120|"
	  "voorlopig|1|geëxtrapoleerd\n"
	  "4:GM0518|pl_gemiddelde_trede|2024-H1|3.58|3580|1000|geschat|0|\n"
	  "5:GM1900|pl_trede_1|2024-H2|17|nan|nan|definitief|1|\n"
	  "6:GM0344|inwoners|2024|378118|nan|nan|definitief|0|\n"
	  "7:GM0344|bijstand_per_1000_inwoners|2024-12|0.0330585|12.5|378118|"
	  "definitief|0|\n",
	  6, 0, 0, 0 },
	/* 1: demo style: every row synthetic */
	{ H "GM0363;pw_bestand;2024-03;10;;;;;ja\n"
	  "GM0363;pw_bestand;2024-04;11;;;;;JA\n", NULL, "",
	  "2:GM0363|pw_bestand|2024-03|10|nan|nan|definitief|1|\n"
	  "3:GM0363|pw_bestand|2024-04|11|nan|nan|definitief|1|\n",
	  2, 0, 0, 1 },
	/* 2: a comma feed with a decimal point, minimal columns (a count
	 * of uitkeringen is whole: domain §3.11) */
	{ "Gemeente,INDICATOR,Periode,Waarde\nGM0363,pw_bestand,2024-03,12.0\n",
	  NULL, "", "2:GM0363|pw_bestand|2024-03|12|nan|nan|definitief|0|\n",
	  1, 0, 0, 0 },
	{ H "GM0363;pw_bestand;2024-06;41,250;;;;;\n", NULL,
	  "2:4:waarde:41,250:41,250 is geen geheel aantal (pw_bestand telt "
	  "uitkeringen): bedoelt u 41.250?\n", "", 0, 1, 0, 0 },
	{ H "GM0363;pw_bestand;2024-06;12,5;;;;;\n", NULL,
	  "2:4:waarde:12,5:12,5 is geen geheel aantal: pw_bestand telt "
	  "uitkeringen in hele aantallen\n", "", 0, 1, 0, 0 },
	{ H "GM9999;pw_bestand;2024-03;1;;;;;\n", NULL,
	  "2:1:gemeente:GM9999:" UNKNOWN_GM "\n", "", 0, 1, 0, 0 },
	{ H "Den Haag;pw_bestand;2024-03;1;;;;;\n", NULL,
	  "2:1:gemeente:Den Haag:" UNKNOWN_GM "\n", "", 0, 1, 0, 0 },
	{ H ";pw_bestand;2024-03;1;;;;;\n", NULL,
	  "2:1:gemeente::gemeente ontbreekt\n", "", 0, 1, 0, 0 },
	/* 6: scope: only problem, counted */
	{ H "GM0363;pw_bestand;2024-03;1;;;;;\n"
	  "GM0599;pw_bestand;2024-03;1;;;;;\n", "GM0599",
	  "2:1:gemeente:GM0363:u mag geen gegevens leveren voor GM0363 "
	  "(Amsterdam)\n",
	  "3:GM0599|pw_bestand|2024-03|1|nan|nan|definitief|0|\n", 1, 1, 1, 0 },
	/* 7: scope with another problem: not counted as scope-only */
	{ H "Amsterdam;pw_bestand;2024-03;-1;;;;;\n", "gm0599",
	  "2:1:gemeente:Amsterdam:u mag geen gegevens leveren voor GM0363 "
	  "(Amsterdam)\n"
	  "2:4:waarde:-1:waarde mag niet negatief zijn (pw_bestand is een "
	  "aantal)\n", "", 0, 1, 0, 0 },
	/* 8: merged: the month of the merger is still Weesp's */
	{ H "GM0457;pw_bestand;2022-03;5;;;;;\n"
	  "Weesp;pw_bestand;2022-04;5;;;;;\n", NULL,
	  "3:1:gemeente:Weesp:Weesp (GM0457) bestaat niet meer in 2022-04: "
	  "per 2022-03-24 opgegaan in Amsterdam (GM0363)\n",
	  "2:GM0457|pw_bestand|2022-03|5|nan|nan|definitief|0|\n", 1, 1, 0, 0 },
	/* 9: split */
	{ H "Haaren;inwoners;2020;14000;;;;;\nHaaren;inwoners;2021;14000;;;;;\n",
	  NULL,
	  "3:1:gemeente:Haaren:Haaren (GM0788) bestaat niet meer in 2021: per "
	  "2021-01-01 opgedeeld over Oisterwijk, Tilburg, Vught en Boxtel\n",
	  "2:GM0788|inwoners|2020|14000|nan|nan|definitief|0|\n", 1, 1, 0, 0 },
	{ H "GM0363;pw_onbekend;2024-03;1;;;;;\n", NULL,
	  "2:2:indicator:pw_onbekend:onbekende indicator\n", "", 0, 1, 0, 0 },
	{ H "GM0363;;2024-03;1;;;;;\n", NULL,
	  "2:2:indicator::indicator ontbreekt\n", "", 0, 1, 0, 0 },
	{ H "GM0363;pw_bestand;2024-13;1;;;;;\n", NULL,
	  "2:3:periode:2024-13:ongeldige periode '2024-13': maand 13 bestaat "
	  "niet (1 t/m 12)\n", "", 0, 1, 0, 0 },
	{ H "GM0363;pw_bestand;;1;;;;;\n", NULL,
	  "2:3:periode::periode ontbreekt\n", "", 0, 1, 0, 0 },
	{ H "GM0363;pw_bestand;2024-Q1;1;;;;;\n", NULL,
	  "2:3:periode:2024-Q1:2024-Q1 is een kwartaal, maar pw_bestand wordt "
	  "per maand geleverd\n", "", 0, 1, 0, 0 },
	{ H "GM0363;pw_uitstroom_resultaat_pct;2024;;1;2;;;\n", NULL,
	  "2:3:periode:2024:2024 is een jaar, maar pw_uitstroom_resultaat_pct "
	  "wordt per kwartaal geleverd\n", "", 0, 1, 0, 0 },
	{ H "GM0363;pw_bestand;2024-03;12,5,3;;;;;\n", NULL,
	  "2:4:waarde:12,5,3:geen getal (schrijf bijvoorbeeld 12,5 of 1.234)\n",
	  "", 0, 1, 0, 0 },
	{ H "GM0363;pw_bestand;2024-03;-3;;;;;\n", NULL,
	  "2:4:waarde:-3:waarde mag niet negatief zijn (pw_bestand is een "
	  "aantal)\n", "", 0, 1, 0, 0 },
	{ H "GM0363;pw_bestand;2024-03;;;;;;\n", NULL,
	  "2:4:waarde::waarde ontbreekt (pw_bestand is een aantal)\n", "",
	  0, 1, 0, 0 },
	{ H "GM0363;pw_bestand;2024-03;5;1;2;;;\n", NULL,
	  "2:5:teller:1:pw_bestand is een aantal: lever waarde, geen teller\n"
	  "2:6:noemer:2:pw_bestand is een aantal: lever waarde, geen noemer\n",
	  "", 0, 1, 0, 0 },
	{ H "GM0363;pw_uitstroom_resultaat_pct;2024-Q1;21,7;26;120;;;\n", NULL,
	  "2:4:waarde:21,7:pw_uitstroom_resultaat_pct is een ratio: lever "
	  "teller en noemer, geen waarde\n", "", 0, 1, 0, 0 },
	{ H "GM0363;pw_uitstroom_resultaat_pct;2024-Q1;;26;;;;\n", NULL,
	  "2:6:noemer::noemer ontbreekt (pw_uitstroom_resultaat_pct is een "
	  "ratio)\n", "", 0, 1, 0, 0 },
	{ H "GM0363;pl_gemiddelde_trede;2024-H1;;;10;;;\n", NULL,
	  "2:5:teller::teller ontbreekt (pl_gemiddelde_trede is een "
	  "gemiddelde)\n", "", 0, 1, 0, 0 },
	{ H "GM0363;pw_uitstroom_resultaat_pct;2024-Q1;;-1;-2;;;\n", NULL,
	  "2:5:teller:-1:teller mag niet negatief zijn\n"
	  "2:6:noemer:-2:noemer mag niet negatief zijn\n", "", 0, 1, 0, 0 },
	{ H "GM0363;pw_uitstroom_resultaat_pct;2024-Q1;;0;0;;;\n", NULL,
	  "2:6:noemer:0:noemer is 0: de waarde is niet te berekenen\n", "",
	  0, 1, 0, 0 },
	{ H "GM0363;pw_uitstroom_resultaat_pct;2024-Q1;;130;120;;;\n", NULL,
	  "2:5:teller:130:teller (130) is groter dan noemer (120); bij een "
	  "ratio kan dat niet\n", "", 0, 1, 0, 0 },
	/* a gemiddelde may have teller > noemer, but not leave its range */
	{ H "GM0363;pl_gemiddelde_trede;2024-H1;;70;10;;;\n"
	  "GM0363;pl_gemiddelde_trede;2024-H2;;5;10;;;\n", NULL,
	  "2:5:teller:70:berekende waarde 7 ligt buiten het bereik van "
	  "pl_gemiddelde_trede (1 t/m 6)\n"
	  "3:5:teller:5:berekende waarde 0,5 ligt buiten het bereik van "
	  "pl_gemiddelde_trede (1 t/m 6)\n", "", 0, 2, 0, 0 },
	{ H "GM0363;pw_bestand;2024-03;2.000.000;;;;;\n", NULL,
	  "2:4:waarde:2.000.000:waarde 2000000 ligt buiten het bereik van "
	  "pw_bestand (0 t/m 1000000)\n", "", 0, 1, 0, 0 },
	{ H "GM0363;pl_trede_1;2024-H1;-0,5;;;;;\n", NULL,
	  "2:4:waarde:-0,5:waarde mag niet negatief zijn (pl_trede_1 is een "
	  "verdeling)\n", "", 0, 1, 0, 0 },
	{ H "GM0363;pw_bestand;2024-03;1;;;klaar;;\n", NULL,
	  "2:7:status:klaar:onbekende status (kies uit: definitief, voorlopig, "
	  "geschat)\n", "", 0, 1, 0, 0 },
	{ H "GM0363;pw_bestand;2024-03;1;;;;;misschien\n", NULL,
	  "2:9:synthetisch:misschien:ongeldige waarde (kies uit: ja, nee)\n",
	  "", 0, 1, 0, 0 },
	{ H "GM0363;pw_bestand;2024-03;1;;;;" X256 ";\n", NULL,
	  "2:8:toelichting:" X95 ":toelichting is te lang (256 bytes, "
	  "maximaal 255)\n", "", 0, 1, 0, 0 },
	/* 32: duplicate key in another notation; the first row stays */
	{ H "GM0363;pw_bestand;2024-03;1;;;;;\n"
	  "GM0599;pw_bestand;2024-03;1;;;;;\n"
	  "Amsterdam;pw_bestand;2024MM03;2;;;;;\n", NULL,
	  "4:1:gemeente:Amsterdam:dubbele regel: GM0363, pw_bestand, 2024-03 "
	  "staat al op regel 2\n",
	  "2:GM0363|pw_bestand|2024-03|1|nan|nan|definitief|0|\n"
	  "3:GM0599|pw_bestand|2024-03|1|nan|nan|definitief|0|\n", 2, 1, 0, 0 },
	/* 33: every problem of a row, and the next row still checked */
	{ H "GM9999;pw_onbekend;2024-13;abc;;;klaar;;nee\n"
	  "GM0363;pw_bestand;2024-03;1;;;;;ja\n", NULL,
	  "2:1:gemeente:GM9999:" UNKNOWN_GM "\n"
	  "2:2:indicator:pw_onbekend:onbekende indicator\n"
	  "2:3:periode:2024-13:ongeldige periode '2024-13': maand 13 bestaat "
	  "niet (1 t/m 12)\n"
	  "2:4:waarde:abc:geen getal (schrijf bijvoorbeeld 12,5 of 1.234)\n"
	  "2:7:status:klaar:onbekende status (kies uit: definitief, voorlopig, "
	  "geschat)\n",
	  "3:GM0363|pw_bestand|2024-03|1|nan|nan|definitief|1|\n", 1, 1, 0, 0 },
	/* 34: header problems reject every row */
	{ "gemeente;periode;waarde\nGM0363;2024-03;1\n", NULL,
	  "1:0:indicator::verplichte kolom 'indicator' ontbreekt\n", "",
	  0, 1, 0, 0 },
	{ "gemeente;indicator;periode;waarde;teler\n"
	  "GM0363;pw_bestand;2024-03;1;\n", NULL,
	  "1:5:teler:teler:onbekende kolom (bekend zijn: gemeente, indicator, "
	  "periode, waarde, teller, noemer, status, toelichting, "
	  "synthetisch, versie)\n", "", 0, 1, 0, 0 },
	{ "gemeente;indicator;periode;teller\nGM0363;pw_bestand;2024-03;1\n",
	  NULL, "1:0:noemer::kolom 'noemer' ontbreekt (teller en noemer horen "
	  "bij elkaar)\n"
	  "2:4:teller:1:pw_bestand is een aantal: lever waarde, geen teller\n"
	  "2:0:waarde::waarde ontbreekt (pw_bestand is een aantal)\n", "",
	  0, 1, 0, 0 },
	{ "gemeente;indicator;periode\nGM0363;pw_bestand;2024-03\n", NULL,
	  "1:0:waarde::kolom 'waarde' of de kolommen 'teller' en 'noemer' "
	  "ontbreken\n"
	  "2:0:waarde::waarde ontbreekt (pw_bestand is een aantal)\n", "",
	  0, 1, 0, 0 },
	{ "gemeente;indicator;periode;waarde;Waarde;\n"
	  "GM0363;pw_bestand;2024-03;1;1;\n", NULL,
	  "1:5:Waarde:Waarde:kolom staat er twee keer in (ook kolom 4)\n",
	  "", 0, 1, 0, 0 },
	{ "gemeente;indicator;periode;waarde;;x\n"
	  "GM0363;pw_bestand;2024-03;1;;1\n", NULL,
	  "1:5:::kolom zonder naam\n"
	  "1:6:x:x:onbekende kolom (bekend zijn: gemeente, indicator, "
	  "periode, waarde, teller, noemer, status, toelichting, "
	  "synthetisch, versie)\n", "", 0, 1, 0, 0 },
	/* 39: only a waarde column, a ratio row */
	{ "gemeente;indicator;periode;waarde\n"
	  "GM0363;pw_uitstroom_resultaat_pct;2024-Q1;20\n", NULL,
	  "2:4:waarde:20:pw_uitstroom_resultaat_pct is een ratio: lever "
	  "teller en noemer, geen waarde\n"
	  "2:0:teller::teller ontbreekt (pw_uitstroom_resultaat_pct is een "
	  "ratio)\n"
	  "2:0:noemer::noemer ontbreekt (pw_uitstroom_resultaat_pct is een "
	  "ratio)\n", "", 0, 1, 0, 0 },
	/* 40: rows feed_parse found broken never become observations */
	{ H "GM0363;pw_bestand;2024-03;1;;;;caf\xe9;\n"
	  "GM0363;pw_bestand;2024-04;1;;\n"
	  "GM0363;pw_bestand;2024-05;1;;;;;\n", NULL,
	  "2:8:toelichting:caf\\xE9:ongeldige tekens: het bestand is geen UTF-8 "
	  "(sla het op als 'CSV UTF-8')\n"
	  "3:0:::regel heeft 6 velden, de kopregel 9 (controleer "
	  "scheidingstekens en aanhalingstekens)\n",
	  "4:GM0363|pw_bestand|2024-05|1|nan|nan|definitief|0|\n", 1, 2, 0, 0 },
	/* 42: a Windows-1252 name gets the encoding message only, not also
	 * "onbekende gemeente" */
	{ H "S\xfa" "dwest-Frysl\xe2" "n;pw_bestand;2024-03;1;;;;;\n", NULL,
	  "2:1:gemeente:S\\xFAdwest-Frysl\\xE2n:ongeldige tekens: het "
	  "bestand is geen UTF-8 (sla het op als 'CSV UTF-8')\n", "", 0, 1, 0,
	  0 },
	/* 43: spreadsheet quirks: trailing empty header cells are no columns;
	 * a title row above the header is named once */
	{ "Uitstroom 2024;;;;;\n"
	  "gemeente;indicator;periode;waarde;;\n"
	  "GM0363;pw_bestand;2024-03;1;;\n", NULL,
	  "1:0::Uitstroom 2024:titelregel boven de kopregel: de eerste regel "
	  "moet de kolomnamen bevatten (gemeente;indicator;periode;…); "
	  "verwijder regel 1\n",
	  "3:GM0363|pw_bestand|2024-03|1|nan|nan|definitief|0|\n", 1, 0, 0, 0 },
	{ "gemeente;indicator;periode;waarde;;\n"
	  "GM0363;pw_bestand;2024-03;1;;\n"
	  "GM0363;pw_bestand;2024-04;2\n", NULL, "",
	  "2:GM0363|pw_bestand|2024-03|1|nan|nan|definitief|0|\n"
	  "3:GM0363|pw_bestand|2024-04|2|nan|nan|definitief|0|\n", 2, 0, 0, 0 },
};

static void
dump_report(const struct report *rep, char *buf, size_t size)
{
	size_t	o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < rep->n && o < size; i++) {
		const struct report_item *it = &rep->items[i];

		o += (size_t)snprintf(buf + o, size - o, "%ld:%d:%s:%s:%s\n",
		    it->line, it->column, it->kolom, it->waarde, it->reden);
	}
}

static void
dump_obs(const struct validate_result *res, char *buf, size_t size)
{
	size_t	o = 0;
	char	p[16];

	buf[0] = '\0';
	for (size_t i = 0; i < res->n && o < size; i++) {
		const struct obs *ob = &res->obs[i];

		o += (size_t)snprintf(buf + o, size - o,
		    "%ld:%s|%s|%s|%g|%g|%g|%s|%d|%s\n", ob->line, ob->gemeente,
		    ob->indicator, period_format(&ob->periode, p, sizeof(p)),
		    ob->waarde, ob->teller, ob->noemer,
		    validate_status_name(ob->status), ob->synthetisch,
		    ob->toelichting);
	}
}

START_TEST(test_validate)
{
	struct reg_scope scope;
	struct validate_opts opts = { 0, cases[_i].scope ? &scope : NULL, 0,
		0 };
	struct validate_result res;
	struct report rep;
	struct feed_table *t;
	char	buf[4096];

	if (cases[_i].scope)
		ck_assert_int_eq(register_scope_parse(reg, cases[_i].scope,
		    &scope), 0);
	report_init(&rep, "feed.csv");
	t = feed_parse(cases[_i].feed, strlen(cases[_i].feed), NULL, &rep);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(validate_feed(t, cat, reg, &opts, &res, &rep), 0);
	dump_report(&rep, buf, sizeof(buf));
	ck_assert_str_eq(buf, cases[_i].problems);
	dump_obs(&res, buf, sizeof(buf));
	ck_assert_str_eq(buf, cases[_i].obs);
	ck_assert_uint_eq(res.n, cases[_i].n);
	ck_assert_uint_eq(res.rows, t->nrows);
	ck_assert_uint_eq(res.bad_rows, cases[_i].bad);
	ck_assert_uint_eq(res.scope_rows, cases[_i].scope_rows);
	ck_assert_int_eq(res.synthetisch, cases[_i].synth);
	validate_result_free(&res);
	feed_free(t);
	report_free(&rep);
}
END_TEST

/* ---- periods after the current one (now: 2026-06-15) plus the grace,
 * and before 1971, are row errors naming line, column and value ---------- */
static const struct {
	const char *feed;
	int	marge;
	const char *problems;
	size_t	n;
} future[] = {
	{ H "GM0363;pw_bestand;2026-06;1;;;;;\n"
	  "GM0363;pw_bestand;2042-01;2;;;;;\n", 0,
	  "3:3:periode:2042-01:periode 2042-01 ligt in de toekomst (de "
	  "huidige periode is 2026-06)\n", 1 },
	{ H "GM0363;pw_bestand;2026-07;1;;;;;\n"
	  "GM0363;pw_bestand;2026-08;2;;;;;\n", 1,
	  "3:3:periode:2026-08:periode 2026-08 ligt in de toekomst (de "
	  "huidige periode is 2026-06, plus de toegestane marge)\n", 1 },
	{ H "GM0363;inwoners;2026;1;;;;;\n"
	  "GM0363;inwoners;2027;2;;;;;\n", 0,
	  "3:3:periode:2027:periode 2027 ligt in de toekomst (de huidige "
	  "periode is 2026)\n", 1 },
	{ H "GM0363;pw_bestand;1970-12;1;;;;;\n", 0,
	  "2:3:periode:1970-12:periode 1970-12 ligt vóór 1971; zo oude "
	  "perioden kan basisd niet bewaren\n", 0 },
};

START_TEST(test_future)
{
	struct period june = { PERIOD_MAAND, 2026, 6 };
	struct validate_opts opts = { 0, NULL, period_start(&june) +
		14 * 86400LL, future[_i].marge };
	struct validate_result res;
	struct report rep;
	struct feed_table *t;
	char	buf[4096];

	report_init(&rep, "feed.csv");
	t = feed_parse(future[_i].feed, strlen(future[_i].feed), NULL, &rep);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(validate_feed(t, cat, reg, &opts, &res, &rep), 0);
	dump_report(&rep, buf, sizeof(buf));
	ck_assert_str_eq(buf, future[_i].problems);
	ck_assert_uint_eq(res.n, future[_i].n);
	validate_result_free(&res);
	feed_free(t);
	report_free(&rep);
}
END_TEST

/* ---- the shipped catalogue: families, sinds, ZRM versie (issue 11) ---- */
#define HS "gemeente;indicator;periode;waarde;teller;noemer\n"
#define LADDER "GM0363;pl_stijgers_pct;2024-H1;;30;100\n"
static const struct {
	const char *feed;
	const char *problems;
	size_t	n;
} family[] = {
	/* stijgers 30, gelijk 50, dalers 20 of the same 100 clients */
	{ HS LADDER "GM0363;pl_gelijk_pct;2024-H1;;50;100\n"
	  "GM0363;pl_dalers_pct;2024-H1;;20;100\n", "", 3 },
	{ HS LADDER "GM0363;pl_gelijk_pct;2024-H1;;40;100\n"
	  "GM0363;pl_dalers_pct;2024-H1;;20;100\n",
	  "3:5:teller:40:stijgers (30, regel 2), gelijk gebleven (40) en dalers "
	  "(20) tellen samen 90, niet de 100 cliënten met twee metingen: "
	  "gelijk gebleven is noemer − stijgers − dalers\n", 2 },
	{ HS LADDER "GM0363;pl_gelijk_pct;2024-H1;;80;100\n",
	  "3:5:teller:80:stijgers (30, regel 2) en gelijk gebleven (80) zijn "
	  "samen meer dan de 100 gemeten cliënten\n", 1 },
	{ HS "GM0363;pl_gelijk_pct;2024-H1;;50;90\n"
	  "GM0363;pl_dalers_pct;2024-H1;;20;100\n",
	  "3:6:noemer:100:noemer van pl_dalers_pct (100) is niet die van "
	  "pl_gelijk_pct op regel 2 (90): ze tellen dezelfde cliënten met "
	  "twee metingen\n", 1 },
	{ HS "GM0363;pl_stijgers_pct;2024-H1;;60;100\n"
	  "GM0363;pl_dalers_pct;2024-H1;;50;100\n",
	  "3:5:teller:50:stijgers (60, regel 2) en dalers (50) zijn samen meer "
	  "dan de 100 gemeten cliënten\n", 1 },
	/* a period before the indicator's sinds (issue 11) */
	{ HS "GM0363;pl_stijgers_pct;2014-H2;;30;100\n"
	  "GM0363;pl_stijgers_pct;2015-H1;;30;100\n"
	  "GM0363;pw_bestand;2014-12;100;;\n",
	  "2:3:periode:2014-H2:periode 2014-H2 ligt vóór het begin van "
	  "pl_stijgers_pct (sinds 2015 in de catalogus)\n"
	  "4:3:periode:2014-12:periode 2014-12 ligt vóór het begin van "
	  "pw_bestand (sinds 2015 in de catalogus)\n", 1 },
	/* the ZRM version: required on ZRM rows, only the catalogue's */
	{ HS "GM0363;zrm_financien_gem;2024-H1;;300;100\n",
	  "2:0:versie::versie ontbreekt: zrm_financien_gem telt scores volgens "
	  "ZRM 2017 (13 leefgebieden); vermeld de ZRM-versie van de "
	  "meting\n", 0 },
	{ "gemeente;indicator;periode;teller;noemer;versie\n"
	  "GM0363;zrm_financien_gem;2024-H1;300;100;2017\n"
	  "GM0599;zrm_financien_gem;2024-H1;300;100;ZRM 2017\n"
	  "GM0518;zrm_financien_gem;2024-H1;300;100;2013\n"
	  "GM0014;zrm_financien_gem;2024-H1;300;100;2015\n"
	  "GM0034;pw_bestand;2024-06;1000;;2017\n",
	  "4:6:versie:2013:ZRM 2013 (11 leefgebieden) is niet de versie van "
	  "zrm_financien_gem (ZRM 2017, 13 leefgebieden): scores van "
	  "verschillende versies worden niet samengeteld of vergeleken; lever "
	  "metingen volgens ZRM 2017\n"
	  "5:6:versie:2015:onbekende ZRM-versie (bekend zijn 2010, 2013 en "
	  "2017)\n"
	  "6:4:teller:1000:pw_bestand is een aantal: lever waarde, geen "
	  "teller\n"
	  "6:0:waarde::waarde ontbreekt (pw_bestand is een aantal)\n"
	  "6:6:versie:2017:pw_bestand is geen ZRM-score en heeft geen versie: "
	  "laat de kolom versie leeg\n", 2 },
	/* another gemeente or halfjaar is another family */
	{ HS LADDER "GM0599;pl_gelijk_pct;2024-H1;;80;100\n"
	  "GM0363;pl_dalers_pct;2024-H2;;80;100\n", "", 3 },
};

START_TEST(test_family)
{
	struct validate_opts opts = { 0 };
	struct validate_result res;
	struct report rep;
	struct feed_table *t;
	char	buf[4096];

	report_init(&rep, "feed.csv");
	t = feed_parse(family[_i].feed, strlen(family[_i].feed), NULL, &rep);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(validate_feed(t, shipped, reg, &opts, &res, &rep), 0);
	dump_report(&rep, buf, sizeof(buf));
	ck_assert_str_eq(buf, family[_i].problems);
	ck_assert_uint_eq(res.n, family[_i].n);
	validate_result_free(&res);
	feed_free(t);
	report_free(&rep);
}
END_TEST

static const struct {
	const char *in;
	int	ok;
	enum obs_status want;
} statuses[] = {
	{ "definitief", 1, STATUS_DEFINITIEF }, { "Voorlopig", 1,
	STATUS_VOORLOPIG }, { "GESCHAT", 1, STATUS_GESCHAT },
	{ "", 0, 0 }, { "def", 0, 0 }, { "geschat ", 0, 0 },
};

START_TEST(test_status)
{
	enum obs_status s = STATUS_DEFINITIEF;

	ck_assert_int_eq(validate_status_parse(statuses[_i].in, &s),
	    statuses[_i].ok ? 0 : -1);
	if (statuses[_i].ok) {
		ck_assert_int_eq(s, statuses[_i].want);
		ck_assert_str_ne(validate_status_name(s), "");
	}
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("validate");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_validate, 0, sizeof(cases) / sizeof(*cases));
	tcase_add_loop_test(tc, test_future, 0, sizeof(future) / sizeof(*future));
	tcase_add_loop_test(tc, test_family, 0, sizeof(family) / sizeof(*family));
	tcase_add_loop_test(tc, test_status, 0,
	    sizeof(statuses) / sizeof(*statuses));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
