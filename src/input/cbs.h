/* src/input/cbs.h — CBS StatLine open data (OData v3, domain §12) turned
 * into an ordinary feed: the mapping indicators/cbs.ini says which topic of
 * a table is which basisd indicator; the table's DataProperties are checked
 * against it; TypedDataSet pages become CSV rows for ingest. Pure: no I/O
 * besides reading the mapping file; the caller fetches (base/fetch.h).
 * Not thread-safe per object. */
#ifndef CBS_H
#define CBS_H

#include <stddef.h>

#include "base/err.h"
#include "input/catalog.h"

struct cbs_map;		/* the sections of cbs.ini */
struct cbs_import;	/* one table being read */

/* Load the mapping at path; every section must name a catalogue indicator
 * and the topics its soort needs (onderwerp, or teller and noemer). Returns
 * NULL with err "file:line: …". */
struct cbs_map *cbs_map_load(const char *path, const struct catalog *cat,
	    struct err *err);
void	cbs_map_free(struct cbs_map *m);	/* NULL is a no-op */

/* Start a table from its DataProperties JSON: the geo, time and other
 * dimensions, and which sections apply (all their topics present, units as
 * the mapping says, a filter for every other dimension). A section whose
 * topic is missing is skipped (see cbs_import_skipped); a wrong unit or a
 * filter on an unknown dimension is an error. Returns NULL with err when
 * no section applies or on such an error; the message lists what the
 * table has. map must outlive the import. */
struct cbs_import *cbs_import_new(const struct cbs_map *map,
	    const char *props, size_t len, struct err *err);
void	cbs_import_free(struct cbs_import *imp);	/* NULL is a no-op */

/* The table id from odata.metadata (e.g. "85984NED"), "" if unknown. */
const char *cbs_import_table(const struct cbs_import *imp);
/* Why section i (0-based) was skipped, or NULL when i is past the last. */
const char *cbs_import_skipped(const struct cbs_import *imp, size_t i);

/* A table without a time dimension (Kerncijfers wijken en buurten) holds
 * one year: set it, or read it from the TableInfos JSON ("Period"). */
int	cbs_import_needs_year(const struct cbs_import *imp);
void	cbs_import_set_year(struct cbs_import *imp, int year);
int	cbs_import_year_info(struct cbs_import *imp, const char *info,
	    size_t len, struct err *err);

/* One TypedDataSet page: rows of gemeenten (GM, codes trimmed) that pass
 * the filters become feed rows; null values are skipped. *ret_next gets
 * the malloc'd odata.nextLink, or NULL on the last page. Returns 0 or -1
 * with err (bad JSON, a period that does not fit the indicator). */
int	cbs_import_page(struct cbs_import *imp, const char *json, size_t len,
	    char **ret_next, struct err *err);

struct cbs_counts {
	size_t	pages, rows, gemeente_rows, values, nulls;
};
/* The feed so far (CSV with header; borrowed) and what was read. */
const char *cbs_import_feed(const struct cbs_import *imp, size_t *ret_len);
void	cbs_import_counts(const struct cbs_import *imp, struct cbs_counts *ret);

#endif /* CBS_H */
