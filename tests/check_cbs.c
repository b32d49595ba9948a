/* tests/check_cbs.c — CBS StatLine documents to a feed: the mapping checks,
 * key suffixes, padded codes, non-GM rows, nulls, filters, periods, and the
 * messages that name what a table has. The HTTPS fetch and the ingest are
 * in tests/e2e/cbs.sh. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/cbs.h"
#include "testutil.h"

#define META "\"odata.metadata\": \"https://opendata.cbs.nl/ODataApi/OData/" \
	"T1/$metadata#Cbs.OData.WebAPI.DataProperties\""
#define TOPIC(k, u) "{\"Type\": \"Topic\", \"Key\": \"" k "\", \"Unit\": \"" \
	u "\"}"
/* A table with Perioden and a Geslacht dimension. */
#define PROPS "{" META ", \"value\": [" \
	"{\"Type\": \"Dimension\", \"Key\": \"Geslacht\"}," \
	"{\"Type\": \"GeoDimension\", \"Key\": \"RegioS\"}," \
	"{\"Type\": \"TimeDimension\", \"Key\": \"Perioden\"}," \
	TOPIC("Bijstand_74", "aantal") "," TOPIC("Inwoners_1", "aantal") "," \
	TOPIC("Bedrag_2", "x 1 000 euro") "]}"
#define ROW(g, r, p, b, i) "{\"Geslacht\": \"" g "\", \"RegioS\": \"" r \
	"\", \"Perioden\": \"" p "\", \"Bijstand_74\": " b ", " \
	"\"Inwoners_1\": " i ", \"Bedrag_2\": 1.5}"
#define PAGE(rows, next) "{\"value\": [" rows "]" next "}"
#define HEAD "gemeente;indicator;periode;waarde;teller;noemer\n"

static const struct {
	const char *map;	/* cbs.ini */
	const char *props;
	const char *page;
	int	year;		/* cbs_import_set_year when > 0 */
	const char *feed;	/* expected feed, or NULL when an error */
	const char *err;	/* expected error (prefix), or NULL */
	const char *skipped;	/* first skip message, or NULL */
} cases[] = {
	/* 0: GM rows only, codes trimmed, Geslacht filtered, null skipped,
	 * the _* suffix matches any number */
	{ "[pw_bestand]\nonderwerp = Bijstand_*\nfilter = Geslacht:T001038\n",
	  PROPS, PAGE(ROW("T001038 ", "NL01  ", "2024MM01", "400", "1")
	  "," ROW("T001038 ", "PV27  ", "2024MM01", "60", "1")
	  "," ROW("T001038 ", "GM0363", "2024MM01", "36000", "1")
	  "," ROW("3000    ", "GM0363", "2024MM01", "18000", "1")
	  "," ROW("T001038 ", "GM0599", "2024MM02", "null", "1")
	  "," ROW("T001038 ", "GM0599", "2024MM03", "12.5", "1"),
	  ", \"odata.nextLink\": \"https://x/T1/TypedDataSet?$skip=6\""), 0,
	  HEAD "GM0363;pw_bestand;2024-01;36000;;\n"
	  "GM0599;pw_bestand;2024-03;12,5;;\n", NULL, NULL },
	/* 1: a ratio from two topics of one row */
	{ "[bijstand_per_1000_inwoners]\nteller = Bijstand_*\n"
	  "noemer = Inwoners_*\neenheid = aantal\nfilter = Geslacht:T001038\n",
	  PROPS, PAGE(ROW("T001038", "GM0363", "2024MM01", "36000", "931298"),
	  ""), 0, HEAD "GM0363;bijstand_per_1000_inwoners;2024-01;;36000;"
	  "931298\n", NULL, NULL },
	/* 2: the unit in DataProperties differs from the mapping's */
	{ "[pw_bestand]\nonderwerp = Bedrag_2\neenheid = aantal\n"
	  "filter = Geslacht:T001038\n", PROPS, NULL, 0, NULL,
	  "[pw_bestand]: Bedrag_2 heeft eenheid 'x 1 000 euro' in tabel T1, "
	  "de koppeling verwacht 'aantal'", NULL },
	/* 3: an unknown topic is named with the ones the table has */
	{ "[pw_bestand]\nonderwerp = Uitkeringen_*\n", PROPS, NULL, 0, NULL,
	  "geen koppeling past bij tabel T1: [pw_bestand]: Uitkeringen_* "
	  "staat niet in tabel T1 (onderwerpen: Bijstand_74, Inwoners_1, "
	  "Bedrag_2)", NULL },
	/* 4: a section that does not fit is skipped when another one does */
	{ "[inwoners]\nonderwerp = AantalInwoners_*\n[pw_bestand]\n"
	  "onderwerp = Bijstand_74\nfilter = Geslacht:T001038\n", PROPS,
	  PAGE(ROW("T001038", "GM0363", "2024MM01", "5", "1"), ""), 0,
	  HEAD "GM0363;pw_bestand;2024-01;5;;\n", NULL,
	  "[inwoners]: AantalInwoners_* staat niet in tabel T1 (onderwerpen: "
	  "Bijstand_74, Inwoners_1, Bedrag_2)" },
	/* 5: a dimension without a filter would count rows several times */
	{ "[pw_bestand]\nonderwerp = Bijstand_*\n", PROPS, NULL, 0, NULL,
	  "[pw_bestand]: tabel T1 heeft dimensie 'Geslacht': kies met filter "
	  "= Geslacht:CODE de code van het totaal", NULL },
	/* 6: a filter on a dimension the table lacks */
	{ "[pw_bestand]\nonderwerp = Bijstand_*\nfilter = Geslacht:T001038 "
	  "Leeftijd:10000\n", PROPS, NULL, 0, NULL,
	  "[pw_bestand]: dimensie 'Leeftijd' staat niet in tabel T1 "
	  "(dimensies: Geslacht)", NULL },
	/* 7: a table without Perioden: the given year; maand and
	 * verschuiving for a monthly stand */
	{ "[bijstand_per_1000_inwoners]\nteller = B_*\nnoemer = I_*\n"
	  "maand = 12\nverschuiving = -1\n",
	  "{" META ", \"value\": [{\"Type\": \"GeoDimension\", \"Key\": "
	  "\"WijkenEnBuurten\"}," TOPIC("B_87", "aantal") "," TOPIC("I_5",
	  "aantal") "]}", "{\"value\": [{\"WijkenEnBuurten\": \"GM0014    \", "
	  "\"B_87\": 9410, \"I_5\": 243768}, {\"WijkenEnBuurten\": "
	  "\"WK001400  \", \"B_87\": 1, \"I_5\": 2}]}", 2024,
	  HEAD "GM0014;bijstand_per_1000_inwoners;2023-12;;9410;243768\n",
	  NULL, NULL },
	/* 8: a yearly figure for a monthly indicator without maand */
	{ "[pw_bestand]\nonderwerp = B_*\n",
	  "{" META ", \"value\": [{\"Type\": \"GeoDimension\", \"Key\": "
	  "\"RegioS\"}," TOPIC("B_1", "aantal") "]}",
	  "{\"value\": [{\"RegioS\": \"GM0014\", \"B_1\": 3}]}", 2024, NULL,
	  "[pw_bestand]: tabel T1 levert per jaar, pw_bestand wordt per maand "
	  "geleverd", NULL },
};

static const struct {
	const char *map;
	const char *err;	/* after "PATH:" */
} bad_maps[] = {
	{ "[geen_indicator]\nonderwerp = X\n", " [geen_indicator]: geen "
	  "indicator in de catalogus" },
	{ "[pw_bestand]\nteller = X\nnoemer = Y\n", " [pw_bestand]: "
	  "pw_bestand is een aantal: geef onderwerp, geen teller en noemer" },
	{ "[bijstand_per_1000_inwoners]\nonderwerp = X\n",
	  " [bijstand_per_1000_inwoners]: bijstand_per_1000_inwoners is een "
	  "ratio: geef teller en noemer, geen onderwerp" },
	{ "[pw_bestand]\nonderwerp = X\nfilter = Geslacht\n", "3: filter "
	  "'Geslacht': schrijf Dimensie:Code, zoals Geslacht:T001038 (hooguit "
	  "8)" },
	{ "[pw_bestand]\nonderwerp = X\nkleur = rood\n", "3: onbekende "
	  "sleutel 'kleur' (bekend: onderwerp, teller, noemer, eenheid, "
	  "filter, maand, verschuiving)" },
	{ "[pw_bestand]\nonderwerp = X\nmaand = 13\n", "3: maand: 1 t/m 12" },
	{ "; leeg\n", " geen koppelingen" },
};

static struct catalog *cat;
static char *dir;

static void
setup(void)
{
	char   *cdir = tu_srcpath("indicators");
	struct err err = { "" };

	cat = catalog_load(cdir, &err);
	ck_assert_msg(cat != NULL, "%s", err.msg);
	free(cdir);
	dir = tu_tmpdir();
}

static void
teardown(void)
{
	catalog_free(cat);
	tu_rm_rf(dir);
	free(dir);
}

static struct cbs_map *
load_map(const char *text, char *path, size_t size, struct err *err)
{
	snprintf(path, size, "%s/cbs.ini", dir);
	tu_write_file(path, text, strlen(text));
	return cbs_map_load(path, cat, err);
}

START_TEST(test_import)
{
	char	path[512], *next = NULL;
	struct err err = { "" };
	struct cbs_map *m = load_map(cases[_i].map, path, sizeof(path), &err);
	struct cbs_import *imp;
	size_t	len;
	int	rc = 0;

	ck_assert_msg(m != NULL, "%s", err.msg);
	imp = cbs_import_new(m, cases[_i].props, strlen(cases[_i].props),
	    &err);
	if (imp != NULL && cases[_i].year > 0) {
		ck_assert(cbs_import_needs_year(imp));
		cbs_import_set_year(imp, cases[_i].year);
	}
	if (imp != NULL && cases[_i].page != NULL)
		rc = cbs_import_page(imp, cases[_i].page,
		    strlen(cases[_i].page), &next, &err);
	if (cases[_i].feed == NULL) {
		ck_assert(imp == NULL || rc == -1);
		ck_assert_msg(strncmp(err.msg, cases[_i].err,
		    strlen(cases[_i].err)) == 0, "%s", err.msg);
	} else {
		ck_assert_msg(imp != NULL && rc == 0, "%s", err.msg);
		ck_assert_str_eq(cbs_import_feed(imp, &len), cases[_i].feed);
		ck_assert_str_eq(cbs_import_table(imp), "T1");
	}
	if (cases[_i].skipped != NULL)
		ck_assert_str_eq(cbs_import_skipped(imp, 0), cases[_i].skipped);
	if (_i == 0)
		ck_assert_str_eq(next, "https://x/T1/TypedDataSet?$skip=6");
	free(next);
	cbs_import_free(imp);
	cbs_map_free(m);
}
END_TEST

START_TEST(test_bad_map)
{
	char	path[512], want[1024];
	struct err err = { "" };
	struct cbs_map *m = load_map(bad_maps[_i].map, path, sizeof(path),
	    &err);

	ck_assert_ptr_null(m);
	snprintf(want, sizeof(want), "%s:%s", path, bad_maps[_i].err);
	ck_assert_str_eq(err.msg, want);
}
END_TEST

START_TEST(test_year_info)
{
	static const char info[] = "{\"value\": [{\"Identifier\": \"85984NED\","
	    " \"Period\": \"2024\"}]}";
	static const char noyear[] = "{\"value\": [{\"Period\": \"2019-2024\"}]}";
	char	path[512];
	struct err err = { "" };
	struct cbs_map *m = load_map("[inwoners]\nonderwerp = I_*\n", path,
	    sizeof(path), &err);
	const char *props = "{" META ", \"value\": [{\"Type\": "
	    "\"GeoDimension\", \"Key\": \"RegioS\"}," TOPIC("I_5", "aantal")
	    "]}";
	struct cbs_import *imp = cbs_import_new(m, props, strlen(props), &err);
	char   *next = NULL;
	const char *page = "{\"value\": [{\"RegioS\": \"GM0363\", \"I_5\": "
	    "931298}]}";
	size_t	len;

	ck_assert_msg(imp != NULL, "%s", err.msg);
	ck_assert_int_eq(cbs_import_year_info(imp, noyear, strlen(noyear),
	    &err), -1);
	ck_assert_str_eq(err.msg, "TableInfos van tabel T1 noemt geen jaar "
	    "(Period '2019-2024'): geef --jaar");
	ck_assert_int_eq(cbs_import_year_info(imp, info, strlen(info), &err),
	    0);
	ck_assert_int_eq(cbs_import_page(imp, page, strlen(page), &next,
	    &err), 0);
	ck_assert_ptr_null(next);
	ck_assert_str_eq(cbs_import_feed(imp, &len), HEAD
	    "GM0363;inwoners;2024;931298;;\n");
	cbs_import_free(imp);
	cbs_map_free(m);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("cbs");
	TCase  *tc = tcase_create("cbs");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_import, 0, sizeof(cases) / sizeof(*cases));
	tcase_add_loop_test(tc, test_bad_map, 0,
	    sizeof(bad_maps) / sizeof(*bad_maps));
	tcase_add_test(tc, test_year_info);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
