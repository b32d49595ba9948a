/* src/base/report.h — the row-level problems found in one feed: file, line,
 * column, offending value and a Dutch reason. Filled by feed and validate,
 * rendered by ingest (text, JSON). One report per feed; not thread-safe. */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>

#define REPORT_MAX_ITEMS 1000	/* further problems are counted, not kept */

struct report_item {
	long	line;		/* 1-based physical line in the file; 0 = whole file */
	int	column;		/* 1-based column; 0 = whole row/file */
	char	kolom[48];	/* header name of the column, "" if none */
	char	waarde[100];	/* offending value, escaped to printable UTF-8 */
	char	reden[256];	/* Dutch reason */
};

struct report {
	char	file[256];	/* feed name as given by the supplier */
	struct report_item *items;
	size_t	n, cap;
	size_t	dropped;	/* problems beyond REPORT_MAX_ITEMS */
};

void	report_init(struct report *rep, const char *file);
void	report_free(struct report *rep);	/* frees items; rep itself is the caller's */
/* Add a problem. value may be NULL; it is copied with bytes that are not
 * printable valid UTF-8 shown as \xNN. Returns 0, or -1 when out of memory. */
int	report_add(struct report *rep, long line, int column, const char *kolom,
	    const char *value, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));
/* Total number of problems, including dropped ones. */
size_t	report_count(const struct report *rep);
/* "file:line:column: reden (kolom 'x', waarde 'y')" into buf. */
void	report_format(const struct report *rep, const struct report_item *it,
	    char *buf, size_t size);
/* Copy value into buf (size >= 5), escaping what is not printable UTF-8.
 * Returns buf. */
char   *report_escape(const char *value, char *buf, size_t size);

#endif /* REPORT_H */
