/* src/serve/api_csv.c — the one CSV writer of every CSV route and of
 * basisctl export (see api.h: RFC 4180 or the Dutch spreadsheet dialect,
 * formula-safe text cells). */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "serve/api.h"
#include "serve/api_edge.h"

void
api_csv_init(struct api_csv *csv, int excel)
{
	memset(csv, 0, sizeof(*csv));
	csv->excel = excel;
	/* Excel reads UTF-8 only with a BOM; others do not need it. */
	if (excel)
		buf_str(&csv->b, "\xEF\xBB\xBF");
}

void
api_csv_free(struct api_csv *csv)
{
	buf_free(&csv->b);
	memset(csv, 0, sizeof(*csv));
}

static void
csv_sep(struct api_csv *csv)
{
	if (csv->ncells++ > 0)
		buf_str(&csv->b, csv->excel ? ";" : ",");
}

void
api_csv_str(struct api_csv *csv, const char *s)
{
	/* A spreadsheet runs a cell starting with one of these as a formula
	 * (OWASP "CSV injection"); a leading ' makes it plain text. */
	int	guard, quote;

	csv_sep(csv);
	if (s == NULL || *s == '\0')
		return;
	guard = strchr("=+-@\t\r", *s) != NULL;
	quote = strpbrk(s, "\",;\r\n") != NULL;
	if (quote)
		buf_str(&csv->b, "\"");
	if (guard)
		buf_str(&csv->b, "'");
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_str(&csv->b, "\"\"");
		else
			buf_add(&csv->b, p, 1);
	}
	if (quote)
		buf_str(&csv->b, "\"");
}

void
api_csv_num(struct api_csv *csv, double v, int decimals)
{
	char	tmp[64];

	csv_sep(csv);
	if (!isfinite(v))
		return;
	if (decimals < 0)
		snprintf(tmp, sizeof(tmp), "%.15g", v);
	else
		snprintf(tmp, sizeof(tmp), "%.*f", decimals > 15 ? 15 : decimals,
		    v);
	/* Dutch spreadsheets read "1,5" as a number and "1.5" as text. */
	if (csv->excel)
		for (char *p = tmp; *p; p++)
			if (*p == '.')
				*p = ',';
	buf_str(&csv->b, tmp);
}

void
api_csv_end_row(struct api_csv *csv)
{
	buf_str(&csv->b, "\r\n");
	csv->ncells = 0;
}

int
api_csv_reply(struct api_csv *csv, struct api_reply *reply,
    const char *filename)
{
	char	safe[128];
	size_t	i;

	if (csv->b.failed) {
		api_csv_free(csv);
		api_reply_oom(reply);
		return -1;
	}
	if (csv->b.data == NULL)
		buf_str(&csv->b, "");
	api_reply_take(reply, 200, "text/csv; charset=utf-8", csv->b.data,
	    csv->b.len);
	memset(csv, 0, sizeof(*csv));
	if (filename == NULL)
		return 0;
	/* The name goes into a header: keep it to a harmless alphabet. */
	for (i = 0; filename[i] && i < sizeof(safe) - 1; i++)
		safe[i] = isalnum((unsigned char)filename[i]) ||
		    strchr("._-", filename[i]) ? filename[i] : '_';
	safe[i] = '\0';
	return api_reply_header(reply, "Content-Disposition",
	    "attachment; filename=\"%s\"", safe);
}

