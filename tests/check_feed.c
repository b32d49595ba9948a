/* tests/check_feed.c — CSV reading (libcsv); numbers are in check_num. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/feed.h"

#define UTF8_ERR "ongeldige tekens: het bestand is geen UTF-8 (sla het op " \
	"als 'CSV UTF-8')"
#define QUOTE_ERR "ongeldig gebruik van aanhalingstekens (zet een veld met " \
	"\" helemaal tussen aanhalingstekens en verdubbel de \" erin)"
#define OPEN_ERR "aanhalingsteken wordt niet gesloten: het veld loopt door " \
	"tot het einde van het bestand"

/* Each case: the input, limits, the expected table rendered as
 * "line:f1|f2\n" per record (header first, "!" after the line of a bad
 * row, newlines in fields as "\n") and the expected problems as
 * "line:column:kolom:waarde:reden\n". table NULL = feed_parse returns NULL. */
static const struct {
	const char *in;
	size_t	len;	/* 0 = strlen(in) */
	size_t	max_field, max_rows;
	char	delim;
	const char *table;
	const char *problems;
} parse_cases[] = {
	{ "gemeente;waarde\nGM0363;12,5\n", 0, 0, 0, ';',
	  "1:gemeente|waarde\n2:GM0363|12,5\n", "" },
	{ "a,b\n1,2\n", 0, 0, 0, ',', "1:a|b\n2:1|2\n", "" },
	/* ';' wins a tie */
	{ "a;b,c\n1;2,3\n", 0, 0, 0, ';', "1:a|b,c\n2:1|2,3\n", "" },
	/* separators inside quotes do not count */
	{ "\"a;x\",b,c\n1,2,3\n", 0, 0, 0, ',', "1:a;x|b|c\n2:1|2|3\n", "" },
	{ "\xef\xbb\xbf" "a;b\r\n1;2\r\n", 0, 0, 0, ';', "1:a|b\n2:1|2\n",
	  "" },
	/* blank lines are skipped, physical line numbers kept */
	{ "a;b\n\n  \n1;2\n\r\n3;4", 0, 0, 0, ';', "1:a|b\n4:1|2\n6:3|4\n",
	  "" },
	{ "\n\na;b\n1;2\n", 0, 0, 0, ';', "3:a|b\n4:1|2\n", "" },
	/* a row of empty cells counts as blank */
	{ "a;b\n;\n1;2\n", 0, 0, 0, ';', "1:a|b\n3:1|2\n", "" },
	{ "a ; b \n  1 ;\" 2 \"\n", 0, 0, 0, ';', "1:a|b\n2:1|2\n", "" },
	{ "a;b\n1;\"x\"\"y\"\n", 0, 0, 0, ';', "1:a|b\n2:1|x\"y\n", "" },
	/* a quoted field spanning lines: the record keeps its first line */
	{ "a;b\n1;\"x\ny\"\n2;3\n", 0, 0, 0, ';',
	  "1:a|b\n2:1|x\\ny\n4:2|3\n", "" },
	{ "a;b\n1;caf\xe9\n", 0, 0, 0, ';', "1:a|b\n2!:1|caf\xe9\n",
	  "2:2:b:caf\\xE9:" UTF8_ERR "\n" },
	{ "a;b\n1;\xc3\n", 0, 0, 0, ';', "1:a|b\n2!:1|\xc3\n",
	  "2:2:b:\\xC3:" UTF8_ERR "\n" },
	/* overlong encoding of '/' */
	{ "a;b\n1;\xc0\xaf\n", 0, 0, 0, ';', "1:a|b\n2!:1|\xc0\xaf\n",
	  "2:2:b:\\xC0\\xAF:" UTF8_ERR "\n" },
	{ "a;b\n1;x\0y\n", 10, 0, 0, ';', "1:a|b\n2!:1|x\n",
	  "2:2:b:x:" UTF8_ERR "\n" },
	{ "a;b\n1;Súdwest-Fryslân\n", 0, 0, 0, ';',
	  "1:a|b\n2:1|Súdwest-Fryslân\n", "" },
	{ "a;b\n1;123456\n", 0, 5, 0, ';', "1:a|b\n2!:1|12345\n",
	  "2:2:b:123456:veld is te lang (6 bytes, maximaal 5)\n" },
	{ "a;b\n1;x\"y\n2;3\n", 0, 0, 0, ';', "1:a|b\n2!:\n3:2|3\n",
	  "2:2:b::" QUOTE_ERR "\n" },
	{ "a;b\n1;\"x\"y\n2;3\n", 0, 0, 0, ';', "1:a|b\n2!:\n3:2|3\n",
	  "2:2:b::" QUOTE_ERR "\n" },
	{ "a;b\n1;\"xy\n2;3\n", 0, 0, 0, ';', "1:a|b\n2!:\n",
	  "2:2:b::" OPEN_ERR "\n" },
	/* a broken header leaves no columns and stops reading */
	{ "a;b\"c\n1;2\n", 0, 0, 0, ';', "1!:\n",
	  "1:2:::" QUOTE_ERR "\n" },
	{ "a;b\n1;2;3\n4\n", 0, 0, 0, ';', "1:a|b\n2!:1|2|3\n3!:4\n",
	  "2:0:::regel heeft 3 velden, de kopregel 2 (controleer "
	  "scheidingstekens en aanhalingstekens)\n"
	  "3:0:::regel heeft 1 velden, de kopregel 2 (controleer "
	  "scheidingstekens en aanhalingstekens)\n" },
	{ "a\n1\n2\n3\n4\n", 0, 0, 2, ';', "1:a\n2:1\n3:2\n",
	  "4:0:::te veel gegevensregels (maximaal 2); de rest van het "
	  "bestand is niet gelezen\n" },
	{ "a;b\r\n", 0, 0, 0, ';', "1:a|b\n",
	  "1:0:::geen gegevensregels: het bestand bevat alleen een "
	  "kopregel\n" },
	/* empty cells right of the table (spreadsheets) are not columns */
	{ "a;b;;\n1;2;;\n3;4\n5;6;;7\n", 0, 0, 0, ';',
	  "1:a|b\n2:1|2\n3:3|4\n4!:5|6||7\n",
	  "4:0:::regel heeft 4 velden, de kopregel 2 (controleer "
	  "scheidingstekens en aanhalingstekens)\n" },
	/* a title above the header: one message, the next line is the header */
	{ "Titel;;\na;b\n1;2\n", 0, 0, 0, ';', "2:a|b\n3:1|2\n",
	  "1:0::Titel:titelregel boven de kopregel: de eerste regel moet de "
	  "kolomnamen bevatten (gemeente;indicator;periode;…); verwijder "
	  "regel 1\n" },
	{ "", 0, 0, 0, ';', NULL, "0:0:::leeg bestand\n" },
	{ "\xef\xbb\xbf\r\n \n;;\n", 0, 0, 0, ';', NULL,
	  "0:0:::leeg bestand\n" },
};

static void
append(char *buf, size_t size, const char *s)
{
	size_t	o = strlen(buf);

	for (; *s != '\0' && o + 3 < size; s++) {
		if (*s == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
		} else {
			buf[o++] = *s;
		}
	}
	buf[o] = '\0';
}

static void
dump_record(char *buf, size_t size, long line, int bad, char **f, size_t n)
{
	char	head[32];

	snprintf(head, sizeof(head), "%ld%s:", line, bad ? "!" : "");
	append(buf, size, head);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			append(buf, size, "|");
		append(buf, size, f[i]);
	}
	strncat(buf, "\n", size - strlen(buf) - 1);
}

static void
dump_table(const struct feed_table *t, char *buf, size_t size)
{
	buf[0] = '\0';
	dump_record(buf, size, t->header_line, t->ncols == 0, t->header,
	    t->ncols);
	for (size_t i = 0; i < t->nrows; i++)
		dump_record(buf, size, t->rows[i].line, t->rows[i].bad,
		    t->rows[i].fields, t->rows[i].nfields);
}

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

START_TEST(test_parse)
{
	struct feed_limits lim = { parse_cases[_i].max_field,
		parse_cases[_i].max_rows };
	const char *in = parse_cases[_i].in;
	size_t	len = parse_cases[_i].len ? parse_cases[_i].len : strlen(in);
	struct report rep;
	struct feed_table *t;
	char	buf[2048];

	report_init(&rep, "test.csv");
	t = feed_parse(in, len, &lim, &rep);
	dump_report(&rep, buf, sizeof(buf));
	ck_assert_str_eq(buf, parse_cases[_i].problems);
	if (parse_cases[_i].table == NULL) {
		ck_assert_ptr_null(t);
	} else {
		ck_assert_ptr_nonnull(t);
		ck_assert_int_eq(t->delim, parse_cases[_i].delim);
		dump_table(t, buf, sizeof(buf));
		ck_assert_str_eq(buf, parse_cases[_i].table);
	}
	feed_free(t);
	report_free(&rep);
}
END_TEST

START_TEST(test_bom_and_column)
{
	static const char in[] = "\xef\xbb\xbfGemeente;WAARDE\n1;2\n";
	struct report rep;
	struct feed_table *t;

	report_init(&rep, "x");
	t = feed_parse(in, sizeof(in) - 1, NULL, &rep);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(t->had_bom, 1);
	ck_assert_int_eq(feed_column(t, "gemeente"), 0);
	ck_assert_int_eq(feed_column(t, "waarde"), 1);
	ck_assert_int_eq(feed_column(t, "teller"), -1);
	ck_assert_uint_eq(report_count(&rep), 0);
	feed_free(t);
	feed_free(NULL);
	report_free(&rep);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("feed");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_loop_test(tc, test_parse, 0,
	    sizeof(parse_cases) / sizeof(*parse_cases));
	tcase_add_test(tc, test_bom_and_column);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
