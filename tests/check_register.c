/* tests/check_register.c — the shipped gemeenten register, herindelingen and
 * groups, and the load errors of broken files. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/register.h"
#include "testutil.h"

static struct reg *shipped;

static void
load_shipped(void)
{
	char   *dir = tu_srcpath("indicators");
	struct err err = { "" };

	shipped = register_load(dir, &err);
	ck_assert_msg(shipped != NULL, "%s", err.msg);
	free(dir);
}

static void
free_shipped(void)
{
	register_free(shipped);
	shipped = NULL;
}

START_TEST(test_shipped_counts)
{
	ck_assert_uint_eq(shipped->nactief, 342);
	/* 21 herindeling rows with 18 distinct old codes */
	ck_assert_uint_eq(shipped->nh, 21);
	ck_assert_uint_eq(shipped->n, 342 + 18);
	for (size_t i = 0; i < shipped->n; i++) {
		const struct gemeente *g = &shipped->gemeenten[i];

		ck_assert_int_eq(g->actief, i < shipped->nactief);
		if (i + 1 < shipped->nactief ||
		    (i >= shipped->nactief && i + 1 < shipped->n))
			ck_assert_int_lt(strcmp(g->code, g[1].code), 0);
		if (g->actief)
			ck_assert_int_eq(g->grootteklasse,
			    register_grootteklasse(g->inwoners));
	}
}
END_TEST

static const struct {
	const char *key;
	const char *code;	/* NULL = not found */
} lookups[] = {
	{ "GM0363", "GM0363" }, { "0363", "GM0363" }, { "gm0363", "GM0363" },
	{ "Gm0363", "GM0363" }, { "Amsterdam", "GM0363" },
	{ "'s-Gravenhage", "GM0518" }, { "Súdwest-Fryslân", "GM1900" },
	{ "'s-Hertogenbosch", "GM0796" }, { "GM0457", "GM0457" },
	{ "0457", "GM0457" }, { "Weesp", "GM0457" }, { "Haaren", "GM0788" },
	{ "amsterdam", NULL }, { "Sudwest-Fryslan", NULL }, { "GM9999", NULL },
	{ "363", NULL }, { "GM03630", NULL }, { "GM036a", NULL }, { "", NULL },
	{ "Den Haag", NULL },
};

START_TEST(test_find)
{
	const struct gemeente *g = register_find(shipped, lookups[_i].key);

	if (lookups[_i].code == NULL) {
		ck_assert_ptr_null(g);
	} else {
		ck_assert_ptr_nonnull(g);
		ck_assert_str_eq(g->code, lookups[_i].code);
	}
}
END_TEST

START_TEST(test_weesp_merged)
{
	const struct gemeente *g = register_find(shipped, "GM0457");

	ck_assert_int_eq(g->actief, 0);
	ck_assert_str_eq(g->naam, "Weesp");
	ck_assert_str_eq(g->opgeheven, "2022-03-24");
	ck_assert_str_eq(g->opvolger, "GM0363");
	ck_assert_str_eq(g->provincie, "Noord-Holland");
	ck_assert_int_eq(g->gesplitst, 0);
	ck_assert_int_eq(g->grootteklasse, 0);
}
END_TEST

START_TEST(test_haaren_split)
{
	const struct gemeente *g = register_find(shipped, "GM0788");
	int	nsplit = 0;

	ck_assert_int_eq(g->actief, 0);
	ck_assert_int_eq(g->gesplitst, 1);
	ck_assert_str_eq(g->opvolger, "");
	ck_assert_str_eq(g->opgeheven, "2021-01-01");
	ck_assert_str_eq(g->provincie, "Noord-Brabant");
	for (size_t i = 0; i < shipped->nh; i++) {
		const struct herindeling *h = &shipped->herindelingen[i];

		ck_assert_int_eq(h->splitsing,
		    strcmp(h->oude_code, "GM0788") == 0);
		nsplit += h->splitsing;
	}
	ck_assert_int_eq(nsplit, 4);
	/* a merger of three keeps one successor each */
	g = register_find(shipped, "Delfzijl");
	ck_assert_str_eq(g->opvolger, "GM1979");
	ck_assert_int_eq(g->gesplitst, 0);
	ck_assert_str_eq(g->provincie, "Groningen");
}
END_TEST

START_TEST(test_g4)
{
	static const char *const g4[] = { "GM0363", "GM0599", "GM0518",
		"GM0344" };
	const struct groep *g = register_groep_find(shipped, "G4");

	ck_assert_ptr_nonnull(g);
	ck_assert_ptr_eq(register_groep_find(shipped, "g4"), g);
	ck_assert_ptr_null(register_groep_find(shipped, "G5"));
	ck_assert_str_eq(g->naam, "G4");
	ck_assert_str_eq(g->omschrijving, "G4: de vier grote steden");
	ck_assert_uint_eq(g->n, 4);
	for (size_t i = 0; i < 4; i++)
		ck_assert_str_eq(g->codes[i], g4[i]);
}
END_TEST

static const struct {
	long	inwoners;
	int	klasse;
} klassen[] = {
	{ 0, 1 }, { 4999, 1 }, { 5000, 2 }, { 9999, 2 }, { 10000, 3 },
	{ 19999, 3 }, { 20000, 4 }, { 49999, 4 }, { 50000, 5 }, { 99999, 5 },
	{ 100000, 6 }, { 149999, 6 }, { 150000, 7 }, { 249999, 7 },
	{ 250000, 8 }, { 942100, 8 },
};

/* Scopes parse once into register rows: "" (or spaces) is every
 * gemeente; codes compare exactly; unknown codes allow nothing. */
static const struct {
	const char *text;
	int	all;
	size_t	n;
	const char *yes, *no;	/* a code allowed, one refused (or NULL) */
} scopes[] = {
	{ "", 1, 0, "GM0363", NULL },
	{ "   ", 1, 0, "GM0599", NULL },
	{ "GM0363", 0, 1, "GM0363", "GM0599" },
	{ " GM0363  GM0599 ", 0, 2, "GM0599", "GM0518" },
	{ "GM0457", 0, 1, "GM0457", "GM0363" },	/* Weesp, opgeheven */
	{ "gm0363 GM9999 Amsterdam", 0, 0, NULL, "GM0363" },
	{ "GM036 GM03630", 0, 0, NULL, "GM0363" },	/* no prefix match */
	{ "GM0599 GM0363", 0, 2, "GM0363", "GM0014" },
};

START_TEST(test_scope)
{
	struct reg_scope sc;

	ck_assert_int_eq(register_scope_parse(shipped, scopes[_i].text, &sc),
	    0);
	ck_assert_int_eq(sc.all, scopes[_i].all);
	ck_assert_uint_eq(sc.n, scopes[_i].n);
	if (scopes[_i].yes)
		ck_assert(register_scope_allows(&sc, shipped,
		    register_find(shipped, scopes[_i].yes)));
	if (scopes[_i].no)
		ck_assert(!register_scope_allows(&sc, shipped,
		    register_find(shipped, scopes[_i].no)));
	ck_assert(!register_scope_allows(&sc, shipped, NULL));
}
END_TEST

START_TEST(test_grootteklasse)
{
	ck_assert_int_eq(register_grootteklasse(klassen[_i].inwoners),
	    klassen[_i].klasse);
}
END_TEST

START_TEST(test_grootteklasse_name)
{
	ck_assert_str_eq(register_grootteklasse_name(1),
	    "minder dan 5.000 inwoners");
	ck_assert_str_eq(register_grootteklasse_name(6),
	    "100.000 tot 150.000 inwoners");
	ck_assert_str_eq(register_grootteklasse_name(8),
	    "250.000 inwoners of meer");
	ck_assert_str_eq(register_grootteklasse_name(0),
	    "onbekende grootteklasse");
	ck_assert_str_eq(register_grootteklasse_name(9),
	    "onbekende grootteklasse");
}
END_TEST

#define GM_HEAD "code;naam;provincie;inwoners;grootteklasse\n"
#define GM_OK	GM_HEAD "GM0001;Aa;Noord-Brabant;4000;1\n" \
	"GM0002;Bee;Noord-Brabant;120000;6\n"
#define HI_HEAD "datum;oude_code;oude_naam;nieuwe_code;nieuwe_naam;bron\n"

/* Broken register files: {gemeenten, herindelingen, groepen (NULL =
 * absent), expected message after "<dir>/" ("" = loads)}. */
static const struct {
	const char *gm, *hi, *gr;
	const char *msg;
} bad[] = {
	{ GM_OK, NULL, NULL, "" },
	{ GM_HEAD "GM0001;Aa;P;4000;1\nGM0002;Bee;P;120000;5\n", NULL, NULL,
	  "gemeenten.csv:3: grootteklasse '5' past niet bij 120000 inwoners "
	  "(verwacht 6: 100.000 tot 150.000 inwoners)" },
	{ GM_HEAD "GM0001;Aa;P;4000;\n", NULL, NULL,
	  "gemeenten.csv:2: grootteklasse '' past niet bij 4000 inwoners "
	  "(verwacht 1: minder dan 5.000 inwoners)" },
	{ "code;naam;provincie;inwoners\nGM0001;Aa;P;4000\n", NULL, NULL,
	  "gemeenten.csv:1: kolom 'grootteklasse' ontbreekt" },
	{ GM_HEAD "GM12;Aa;P;4000;1\n", NULL, NULL,
	  "gemeenten.csv:2: ongeldige gemeentecode 'GM12' (verwacht GM en "
	  "vier cijfers)" },
	{ GM_HEAD "GM0001;Aa;P;veel;1\n", NULL, NULL,
	  "gemeenten.csv:2: ongeldig aantal inwoners 'veel'" },
	{ GM_HEAD "GM0001;;P;4000;1\n", NULL, NULL,
	  "gemeenten.csv:2: naam ontbreekt" },
	{ GM_HEAD "GM0001;Aa;P;4000;1\n\nGM0001;Bee;P;4000;1\n", NULL, NULL,
	  "gemeenten.csv:4: gemeentecode GM0001 staat er twee keer in" },
	{ GM_HEAD "GM0001;Aa;P;4000;1\nGM0002;Aa;P;4000;1\n", NULL, NULL,
	  "gemeenten.csv:3: naam 'Aa' staat er twee keer in" },
	{ GM_HEAD "GM0001;F\xfbrde;P;4000;1\n", NULL, NULL,
	  "gemeenten.csv:2: ongeldige tekens: het bestand is geen UTF-8 (sla "
	  "het op als 'CSV UTF-8')" },
	{ NULL, NULL, NULL, "gemeenten.csv:0: kan het bestand niet openen: "
	  "No such file or directory" },
	{ GM_OK, HI_HEAD "2022-01-01;GM0009;Oud;GM0999;Nieuw;x\n", NULL,
	  "herindelingen.csv:2: onbekende nieuwe gemeente GM0999" },
	{ GM_OK, HI_HEAD "2022-01-01;GM0001;Aa;GM0002;Bee;x\n", NULL,
	  "herindelingen.csv:2: GM0001 is opgeheven volgens "
	  "herindelingen.csv maar staat als actief in gemeenten.csv" },
	{ GM_OK, HI_HEAD "1-1-2022;GM0009;Oud;GM0002;Bee;x\n", NULL,
	  "herindelingen.csv:2: ongeldige datum '1-1-2022' (verwacht "
	  "JJJJ-MM-DD)" },
	{ GM_OK, HI_HEAD "2022-01-01;GM0009;Oud;GM0002;Bee;x\n"
	  "2022-01-01;GM0009;Oud;GM0002;Bee;x\n", NULL,
	  "herindelingen.csv:2: GM0009 naar GM0002 staat er twee keer in" },
	{ GM_OK, HI_HEAD "2022-01-01;GM0009;Oud;GM0002;Bee;x\n"
	  "2023-01-01;GM0009;Oud;GM0001;Aa;x\n", NULL,
	  "herindelingen.csv:2: GM0009 heeft verschillende datums van "
	  "opheffing" },
	{ GM_OK, "datum;oude_code\n2022-01-01;GM0009\n", NULL,
	  "herindelingen.csv:1: kolom 'oude_naam' ontbreekt" },
	{ GM_OK, NULL, "[X]\nnaam = X\ngemeenten = GM0001 GM9999\n",
	  "groepen.ini:3: onbekende gemeente 'GM9999' in groep [X] (verwacht "
	  "de code van een bestaande gemeente, zoals GM0363)" },
	{ GM_OK, NULL, "[X]\nnaam = X\ngemeenten = GM0001 GM0001\n",
	  "groepen.ini:3: gemeente GM0001 staat twee keer in groep [X]" },
	{ GM_OK, NULL, "; groep\n[X]\nnaam = X\nleden = GM0001\n",
	  "groepen.ini:4: onbekende sleutel 'leden' (verwacht naam, "
	  "omschrijving of gemeenten)" },
	{ GM_OK, NULL, "[X]\nnaam = X\n\n[Y]\nnaam = Y\ngemeenten = GM0001\n",
	  "groepen.ini:2: groep [X] heeft geen gemeenten" },
	{ GM_OK, NULL, "[X]\ngemeenten = GM0001\n",
	  "groepen.ini:2: groep [X] heeft geen naam" },
	{ GM_OK, NULL, "[X]\nnaam = X\nnaam = Y\n",
	  "groepen.ini:3: sleutel 'naam' staat er twee keer in groep [X]" },
	{ GM_OK, NULL, "[X]\nnaam=X\ngemeenten=GM0001\n[x]\nnaam=Y\n",
	  "groepen.ini:5: groep [x] staat er twee keer in" },
	{ GM_OK, NULL, "naam = X\n",
	  "groepen.ini:1: sleutel buiten een geldige [groep]-sectie" },
	{ GM_OK, NULL, "[X]\nnaam\n",
	  "groepen.ini:2: syntaxfout (verwacht [groep] of sleutel = waarde)" },
	{ GM_OK, NULL, "[X]\nnaam = X\ngemeenten = GM0001 GM0001 GM0001 GM0001 "
	  "GM0001 GM0001 GM0001 GM0001 GM0001 GM0001 GM0001 GM0001 GM0001 "
	  "GM0001 GM0001 GM0001 GM0001 GM0001 GM0001 GM0001 GM0001 GM0001 "
	  "GM0001 GM0001 GM0001 GM0001 GM0001 GM0001 GM0001\n",
	  "groepen.ini:3: regel is te lang (maximaal 198 tekens); laat de "
	  "lijst doorlopen op een volgende, ingesprongen regel" },
	/* continuation lines extend the list */
	{ GM_OK, HI_HEAD "2021-01-01;GM0009;Oud;GM0002;Bee;x\n",
	  "[X]\nnaam = X\ngemeenten = GM0001\n  GM0002\n", "" },
};

START_TEST(test_bad_files)
{
	char   *dir = tu_tmpdir(), path[4096], want[4096];
	struct err err = { "" };
	struct reg *reg;
	static const char *const names[] = { "gemeenten.csv",
		"herindelingen.csv", "groepen.ini" };
	const char *content[] = { bad[_i].gm, bad[_i].hi, bad[_i].gr };

	for (int k = 0; k < 3; k++) {
		if (content[k] == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, names[k]);
		tu_write_file(path, content[k], strlen(content[k]));
	}
	reg = register_load(dir, &err);
	if (bad[_i].msg[0] == '\0') {
		ck_assert_msg(reg != NULL, "%s", err.msg);
	} else {
		ck_assert_ptr_null(reg);
		snprintf(want, sizeof(want), "%s/%s", dir, bad[_i].msg);
		ck_assert_str_eq(err.msg, want);
	}
	register_free(reg);
	tu_rm_rf(dir);
	free(dir);
}
END_TEST

/* The last fixture above: a continued list and a gemeente merged away. */
START_TEST(test_continuation)
{
	char   *dir = tu_tmpdir(), path[4096];
	struct err err = { "" };
	struct reg *reg;
	const size_t last = sizeof(bad) / sizeof(*bad) - 1;

	snprintf(path, sizeof(path), "%s/gemeenten.csv", dir);
	tu_write_file(path, bad[last].gm, strlen(bad[last].gm));
	snprintf(path, sizeof(path), "%s/herindelingen.csv", dir);
	tu_write_file(path, bad[last].hi, strlen(bad[last].hi));
	snprintf(path, sizeof(path), "%s/groepen.ini", dir);
	tu_write_file(path, bad[last].gr, strlen(bad[last].gr));
	reg = register_load(dir, &err);
	ck_assert_msg(reg != NULL, "%s", err.msg);
	ck_assert_uint_eq(reg->groepen[0].n, 2);
	ck_assert_str_eq(reg->groepen[0].codes[1], "GM0002");
	ck_assert_str_eq(register_find(reg, "Oud")->opvolger, "GM0002");
	ck_assert_str_eq(register_find(reg, "Oud")->provincie,
	    "Noord-Brabant");
	register_free(reg);
	register_free(NULL);
	tu_rm_rf(dir);
	free(dir);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("register");
	TCase  *tc = tcase_create("shipped");
	TCase  *tb = tcase_create("files");
	SRunner *sr;
	int	nf;

	tcase_add_checked_fixture(tc, load_shipped, free_shipped);
	tcase_add_test(tc, test_shipped_counts);
	tcase_add_loop_test(tc, test_find, 0, sizeof(lookups) / sizeof(*lookups));
	tcase_add_test(tc, test_weesp_merged);
	tcase_add_test(tc, test_haaren_split);
	tcase_add_test(tc, test_g4);
	tcase_add_loop_test(tc, test_scope, 0, sizeof(scopes) / sizeof(*scopes));
	tcase_add_loop_test(tc, test_grootteklasse, 0,
	    sizeof(klassen) / sizeof(*klassen));
	tcase_add_test(tc, test_grootteklasse_name);
	tcase_add_loop_test(tb, test_bad_files, 0, sizeof(bad) / sizeof(*bad));
	tcase_add_test(tb, test_continuation);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tb);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
