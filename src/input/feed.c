/* src/input/feed.c — first stage of ingest: the bytes of a supplier's CSV become a
 * table of trimmed strings, each structural problem placed on its physical
 * line. The only user of libcsv; Dutch number notation is parsed here too. */
#include "config.h"

#include <csv.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/feed.h"

#define DEFAULT_MAX_FIELD 1024

/* Fields of the record being read: NUL-terminated strings back to back. */
struct rec {
	char   *buf;
	size_t	len, cap;
	size_t	nfields;
	int	bad;
	unsigned long long badcols;	/* bit i: field i+1 was reported */
};

struct parse_state {
	struct feed_table *t;
	struct report *rep;
	size_t	max_field, max_rows;
	size_t	rows_cap;
	long	line;	 /* physical line being fed */
	long	start;	 /* line where the current record started */
	int	pending; /* a record was started and has not ended yet */
	int	header_done;
	int	stop;	 /* max_rows exceeded or unusable header */
	int	oom;
	struct rec rec;
};

/* A valid UTF-8 lead byte range, with the allowed range of the second byte
 * (excludes overlong forms and surrogates) and the sequence length. */
static const struct {
	unsigned char lo, hi, second_lo, second_hi, len;
} utf8_leads[] = {
	{ 0x01, 0x7f, 0, 0, 1 },       { 0xc2, 0xdf, 0x80, 0xbf, 2 },
	{ 0xe0, 0xe0, 0xa0, 0xbf, 3 }, { 0xe1, 0xec, 0x80, 0xbf, 3 },
	{ 0xed, 0xed, 0x80, 0x9f, 3 }, { 0xee, 0xef, 0x80, 0xbf, 3 },
	{ 0xf0, 0xf0, 0x90, 0xbf, 4 }, { 0xf1, 0xf3, 0x80, 0xbf, 4 },
	{ 0xf4, 0xf4, 0x80, 0x8f, 4 },
};

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid.
 * NUL counts as invalid: it would cut the field short. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(utf8_leads) / sizeof(*utf8_leads); i++) {
		size_t	len = utf8_leads[i].len;

		if (s[0] < utf8_leads[i].lo || s[0] > utf8_leads[i].hi)
			continue;
		if (len > n)
			return 0;
		if (len > 1 && (s[1] < utf8_leads[i].second_lo ||
		    s[1] > utf8_leads[i].second_hi))
			return 0;
		for (size_t k = 2; k < len; k++)
			if ((s[k] & 0xc0) != 0x80)
				return 0;
		return len;
	}
	return 0;
}

static int
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t	k;

	while (n > 0) {
		if ((k = utf8_seq(p, n)) == 0)
			return 0;
		p += k;
		n -= k;
	}
	return 1;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
all_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_blank(s[i]))
			return 0;
	return 1;
}

static void
problem(struct parse_state *st, long line, size_t column, const char *value,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Add a problem at (line, column); the kolom name is known once the header
 * was read. */
static void
problem(struct parse_state *st, long line, size_t column, const char *value,
    const char *fmt, ...)
{
	const char *kolom = "";
	char	msg[256];
	va_list ap;

	if (st->header_done && column > 0 && column <= st->t->ncols)
		kolom = st->t->header[column - 1];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (report_add(st->rep, line, (int)column, kolom, value, "%s", msg) ==
	    -1)
		st->oom = 1;
}

static int
rec_append(struct rec *r, const char *s, size_t n)
{
	if (r->len + n + 1 > r->cap) {
		size_t	ncap = r->cap ? r->cap : 256;
		char   *p;

		while (ncap < r->len + n + 1)
			ncap *= 2;
		if ((p = realloc(r->buf, ncap)) == NULL)
			return -1;
		r->buf = p;
		r->cap = ncap;
	}
	memcpy(r->buf + r->len, s, n);
	r->buf[r->len + n] = '\0';
	r->len += n + 1;
	r->nfields++;
	return 0;
}

static void
rec_reset(struct rec *r)
{
	r->len = 0;
	r->nfields = 0;
	r->bad = 0;
	r->badcols = 0;
}

/* The collected fields as one allocation: the pointer array followed by the
 * strings, so a row is freed with a single free(). */
static char **
rec_take(const struct rec *r)
{
	size_t	ptrs = r->nfields * sizeof(char *);
	char  **f = malloc(ptrs + r->len + 1);
	char   *s;

	if (f == NULL)
		return NULL;
	s = (char *)f + ptrs;
	if (r->len > 0)
		memcpy(s, r->buf, r->len);
	for (size_t i = 0; i < r->nfields; i++) {
		f[i] = s;
		s += strlen(s) + 1;
	}
	return f;
}

/* Field col (1-based) had a problem of its own: later checks of that cell
 * stay silent (one message per cause). */
static void
rec_mark(struct rec *r, size_t col)
{
	r->bad = 1;
	if (col <= 64)
		r->badcols |= 1ULL << (col - 1);
}

/* libcsv field callback. With CSV_APPEND_NULL, s is NUL-terminated. */
static void
on_field(void *s, size_t len, void *data)
{
	struct parse_state *st = data;
	const char *v = s ? s : "";
	size_t	col = st->rec.nfields + 1;

	if (st->stop || st->oom)
		return;
	if (!st->pending) {	/* a bare CR ended the previous record */
		st->start = st->line;
		st->pending = 1;
	}
	while (len > 0 && is_blank(v[0]))
		v++, len--;
	while (len > 0 && is_blank(v[len - 1]))
		len--;
	if (!utf8_valid(v, len)) {
		problem(st, st->start, col, v, "ongeldige tekens: het bestand "
		    "is geen UTF-8 (sla het op als 'CSV UTF-8')");
		rec_mark(&st->rec, col);
		len = strnlen(v, len);	/* keep the row walkable */
	}
	if (len > st->max_field) {
		problem(st, st->start, col, v, "veld is te lang (%zu bytes, "
		    "maximaal %zu)", len, st->max_field);
		rec_mark(&st->rec, col);
		len = st->max_field;
	}
	if (rec_append(&st->rec, v, len) == -1)
		st->oom = 1;
}

static int
add_row(struct parse_state *st)
{
	struct feed_table *t = st->t;
	struct feed_row *row;

	if (t->nrows == st->rows_cap) {
		size_t	ncap = st->rows_cap ? st->rows_cap * 2 : 64;
		void   *p = realloc(t->rows, ncap * sizeof(*t->rows));

		if (p == NULL)
			return -1;
		t->rows = p;
		st->rows_cap = ncap;
	}
	row = &t->rows[t->nrows];
	memset(row, 0, sizeof(*row));
	if ((row->fields = rec_take(&st->rec)) == NULL)
		return -1;
	row->line = st->start;
	row->nfields = st->rec.nfields;
	row->bad = st->rec.bad;
	row->badcols = st->rec.badcols;
	t->nrows++;
	return 0;
}

/* Number of fields without the empty ones at the end: spreadsheets write
 * "…;waarde;;" when cells right of the table were ever touched. */
static size_t
rec_width(const struct rec *r, char *const *f)
{
	size_t	n = r->nfields;

	while (n > 0 && f[n - 1][0] == '\0')
		n--;
	return n;
}

static int
take_header(struct parse_state *st)
{
	if ((st->t->header = rec_take(&st->rec)) == NULL)
		return -1;
	st->t->ncols = rec_width(&st->rec, st->t->header);
	st->t->header_line = st->start;
	st->header_done = 1;
	return 0;
}

/* A first line with one cell above a wider line is a title ("Uitstroom
 * 2024;;;"), not the header: say so once and read the next line as the
 * header, so the rest of the file is still checked. */
static int
title_row(struct parse_state *st)
{
	char  **f;
	int	title;

	if (st->t->nrows > 0 || st->t->ncols != 1 ||
	    (f = rec_take(&st->rec)) == NULL)
		return 0;
	title = rec_width(&st->rec, f) > 1;
	free(f);
	if (!title)
		return 0;
	problem(st, st->t->header_line, 0, st->t->header[0], "titelregel "
	    "boven de kopregel: de eerste regel moet de kolomnamen bevatten "
	    "(gemeente;indicator;periode;…); verwijder regel %ld",
	    st->t->header_line);
	free(st->t->header);
	st->t->header = NULL;
	return 1;
}

/* A data row, after the limits and the shape were checked. */
static int
take_row(struct parse_state *st)
{
	if (st->max_rows > 0 && st->t->nrows >= st->max_rows) {
		problem(st, st->start, 0, NULL, "te veel gegevensregels "
		    "(maximaal %zu); de rest van het bestand is niet gelezen",
		    st->max_rows);
		st->stop = 1;
		return 0;
	}
	if (st->rec.nfields > st->t->ncols && st->rec.nfields <= 64 &&
	    !(st->rec.badcols >> st->t->ncols)) {
		/* Empty cells right of the header's last column are blank. */
		char  **f = rec_take(&st->rec);

		if (f == NULL)
			return -1;
		if (rec_width(&st->rec, f) <= st->t->ncols)
			st->rec.nfields = st->t->ncols;
		free(f);
	}
	if (st->rec.nfields != st->t->ncols) {
		problem(st, st->start, 0, NULL, "regel heeft %zu velden, de "
		    "kopregel %zu (controleer scheidingstekens en "
		    "aanhalingstekens)", st->rec.nfields, st->t->ncols);
		st->rec.bad = 1;
	}
	return add_row(st);
}

static int
rec_empty(const struct rec *r)
{
	for (size_t i = 0; i < r->len; i++)
		if (r->buf[i] != '\0')
			return 0;
	return 1;
}

/* libcsv record callback: the header, a data row, or a row of empty cells
 * (spreadsheets write ";;;" lines) that counts as blank. */
static void
on_record(int c, void *data)
{
	struct parse_state *st = data;
	int	rc = 0;

	(void)c;
	st->pending = 0;
	if (st->stop || st->oom || (rec_empty(&st->rec) && !st->rec.bad)) {
		rec_reset(&st->rec);
		return;
	}
	if (st->header_done && title_row(st))
		st->header_done = 0;
	rc = st->header_done ? take_row(st) : take_header(st);
	if (rc == -1)
		st->oom = 1;
	rec_reset(&st->rec);
}

/* A record libcsv refused: report it, keep an empty bad row so the row is
 * counted, and start again on the next line. */
static void
quote_error(struct parse_state *st, const char *why)
{
	problem(st, st->start, st->rec.nfields + 1, NULL, "%s", why);
	rec_reset(&st->rec);
	st->rec.bad = 1;
	if (!st->header_done) {
		/* Without a usable header no row can be read. */
		if (take_header(st) == -1)
			st->oom = 1;
		st->stop = 1;
	} else if (add_row(st) == -1) {
		st->oom = 1;
	}
	rec_reset(&st->rec);
	st->pending = 0;
}

static int
csv_start(struct csv_parser *p, char delim)
{
	if (csv_init(p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return -1;
	csv_set_delim(p, (unsigned char)delim);
	return 0;
}

/* Feed the data one physical line at a time, so the line where a record
 * starts is known even when a quoted field spans lines. */
static int
feed_lines(struct csv_parser *p, struct parse_state *st, const char *data,
    size_t len)
{
	size_t	off = 0, n;

	while (off < len && !st->stop && !st->oom) {
		const char *nl = memchr(data + off, '\n', len - off);

		n = nl ? (size_t)(nl - (data + off)) + 1 : len - off;
		st->line++;
		if (!st->pending && all_blank(data + off, n)) {
			off += n;
			continue;
		}
		if (!st->pending) {
			st->start = st->line;
			st->pending = 1;
		}
		if (csv_parse(p, data + off, n, on_field, on_record, st) != n) {
			if (csv_error(p) != CSV_EPARSE)
				return -1;
			quote_error(st, "ongeldig gebruik van aanhalingstekens "
			    "(zet een veld met \" helemaal tussen "
			    "aanhalingstekens en verdubbel de \" erin)");
			/* libcsv cannot resume after an error: start over. */
			csv_free(p);
			if (csv_start(p, st->t->delim) == -1)
				return -1;
		}
		off += n;
	}
	return st->oom ? -1 : 0;
}

/* ';' or ',' from the first non-blank line, counted outside quotes; ';'
 * wins ties because Dutch spreadsheets write it. */
static char
detect_delim(const char *s, size_t len)
{
	size_t	semi = 0, comma = 0;
	int	quoted = 0;

	while (len > 0 && is_blank(*s))
		s++, len--;
	for (; len > 0 && *s != '\n' && *s != '\r'; s++, len--) {
		if (*s == '"')
			quoted = !quoted;
		else if (!quoted && *s == ';')
			semi++;
		else if (!quoted && *s == ',')
			comma++;
	}
	return comma > semi ? ',' : ';';
}

static int
parse_all(struct parse_state *st, const char *data, size_t len)
{
	struct csv_parser p;
	int	rc = -1;

	if (csv_start(&p, st->t->delim) == -1)
		return -1;
	if (feed_lines(&p, st, data, len) == -1)
		goto out;
	/* csv_fini ends a last line without newline; only then is an open
	 * quote known to be unterminated (CSV_STRICT_FINI). */
	if (!st->stop && csv_fini(&p, on_field, on_record, st) != 0) {
		if (csv_error(&p) != CSV_EPARSE)
			goto out;
		quote_error(st, "aanhalingsteken wordt niet gesloten: het veld "
		    "loopt door tot het einde van het bestand");
	}
	rc = st->oom ? -1 : 0;
out:
	csv_free(&p);
	return rc;
}

struct feed_table *
feed_parse(const char *data, size_t len, const struct feed_limits *lim,
    struct report *rep)
{
	struct parse_state st = { .rep = rep };
	struct feed_table *t = NULL;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		t->had_bom = 1;
		data += 3;
		len -= 3;
	}
	st.t = t;
	st.max_field = lim && lim->max_field ? lim->max_field :
	    DEFAULT_MAX_FIELD;
	st.max_rows = lim ? lim->max_rows : 0;
	t->delim = detect_delim(data, len);
	if (parse_all(&st, data, len) == -1)
		goto fail;
	if (!st.header_done) {
		if (report_add(rep, 0, 0, NULL, NULL, "leeg bestand") == -1)
			goto fail;
		goto fail;
	}
	if (t->nrows == 0 && !st.stop &&
	    report_add(rep, t->header_line, 0, NULL, NULL, "geen "
	    "gegevensregels: het bestand bevat alleen een kopregel") == -1)
		goto fail;
	free(st.rec.buf);
	return t;
fail:
	free(st.rec.buf);
	feed_free(t);
	return NULL;
}

void
feed_free(struct feed_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nrows; i++)
		free(t->rows[i].fields);
	free(t->rows);
	free(t->header);
	free(t);
}

int
feed_column(const struct feed_table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcasecmp(t->header[i], name) == 0)
			return (int)i;
	return -1;
}
