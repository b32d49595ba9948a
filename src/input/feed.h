/* src/input/feed.h — reading a CSV feed into a table of strings with libcsv
 * (the only module that includes <csv.h>), with the Dutch conventions of
 * domain §2: BOM, CRLF, ';' or ',' detected, quoted fields. Also Dutch
 * number parsing. Pure: no I/O; thread-safe. */
#ifndef FEED_H
#define FEED_H

#include <stddef.h>

#include "base/report.h"

struct feed_limits {
	size_t	max_field;	/* bytes per field; 0 = 1024 */
	size_t	max_rows;	/* data rows; 0 = unlimited */
};

struct feed_row {
	long	line;		/* physical line where the record starts */
	size_t	nfields;
	char  **fields;		/* NUL-terminated, trimmed of surrounding blanks */
	int	bad;		/* feed_parse reported a problem for this row
				 * (bad bytes, too long, quoting, field count);
				 * validate never turns it into an observation.
				 * A quoting error leaves nfields = 0. */
	unsigned long long badcols;	/* bit i: field i+1 itself was
				 * reported (bad bytes, too long) */
};

struct feed_table {
	char	delim;		/* ';' or ',' */
	int	had_bom;
	size_t	ncols;
	char  **header;		/* as in the file (trimmed) */
	long	header_line;	/* physical line of the header (1 unless
				 * blank lines precede it) */
	size_t	nrows;
	struct feed_row *rows;	/* data rows; blank lines skipped */
};

/* Parse data (not NUL-terminated). Problems (invalid UTF-8, field too long,
 * bad quoting, too many rows, empty feed) go into rep with line and column;
 * a row with such a problem is still returned so later checks can run, but
 * the caller must treat the feed as erroneous when report_count(rep) > 0.
 * Returns NULL only for an empty feed (also reported) or out of memory. */
struct feed_table *feed_parse(const char *data, size_t len,
	    const struct feed_limits *lim, struct report *rep);
void	feed_free(struct feed_table *t);	/* NULL is a no-op */
/* Column index of a header name (case-insensitive), or -1. */
int	feed_column(const struct feed_table *t, const char *name);

#endif /* FEED_H */
