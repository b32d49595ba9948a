/* src/store/ledger_db.h — private to the ledger files (ledger.c,
 * ledger_obs.c, ledger_auth.c, ledger_alert.c): the connection struct, the
 * statement ids and the SQLite helpers they share. Nothing outside the
 * ledger includes it (it needs <sqlite3.h>, which only the ledger may). */
#ifndef LEDGER_DB_H
#define LEDGER_DB_H

#include <sqlite3.h>
#include <stddef.h>

#include "base/err.h"
#include "store/ledger.h"

/* Every statement the ledger runs, prepared once per connection on first
 * use and kept on the struct. */
enum stmt_id {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_PING,
	ST_FEED_INSERT,
	ST_FEED_COUNTS,
	ST_FEED_BY_SHA,
	ST_FEED_BY_ID,
	ST_FEED_REPORT,
	ST_OBS_CURRENT,
	ST_OBS_RETIRE,
	ST_OBS_INSERT,
	ST_SERIES_LATEST,
	ST_OBS_CURRENT_ROW,
	ST_OBS_WITHDRAW,
	ST_VERSION_BUMP,
	ST_VERSION_GET,
	ST_PENDING_ADD,
	ST_PENDING_LIST,
	ST_PENDING_DEL,
	ST_SERIES,
	ST_CROSS,
	ST_YEAR,
	ST_YEAR_SINCE,
	ST_FEED_MAX,
	ST_HISTORY,
	ST_REVCOUNTS,
	ST_KEYS,
	ST_PERIODS,
	ST_CHANGES,
	ST_READ_BEGIN,
	ST_OTHER_VERSIE,
	ST_TOKEN_ADD,
	ST_TOKEN_PREFIX,
	ST_TOKEN_LIST,
	ST_TOKEN_REVOKE,
	ST_STATUS,
	ST_LAST_FEED,
	ST_ACCOUNT_ADD,
	ST_ACCOUNT_BY_NAME,
	ST_ACCOUNT_BY_FEED,
	ST_ACCOUNT_SET_FEED,
	ST_SESSION_ADD,
	ST_SESSION_GET,
	ST_SESSION_DEL,
	ST_RULE_INSERT,
	ST_RULE_UPDATE,
	ST_RULE_DELETE,
	ST_RULE_GET,
	ST_RULE_LIST,
	ST_EVENT_LIST,
	ST_EVENT_GET,
	ST_EVENT_INSERT,
	ST_EVENT_RESOLVE,
	ST_EVENT_ACK,
	ST_REJECT_INSERT,
	ST_REJECT_LIST,
	ST_COUNT
};

struct ledger {
	sqlite3 *db;
	int	readonly;
	sqlite3_stmt *stmt[ST_COUNT];
};

/* Fills one element from the current row. */
typedef void (*ledger_row_fn)(sqlite3_stmt *, void *);

/* Fill err with "databasefout bij what: <sqlite message>"; returns -1. */
int	ledger_db_fail(struct ledger *led, struct err *err, const char *what);

/* The cached statement id, reset and unbound; NULL (err set) on failure. */
/* The first column of statement id's first row as an integer (it takes
 * no parameters); -1 when it fails or gives no row. */
long long ledger_scalar(struct ledger *led, enum stmt_id id);
sqlite3_stmt *ledger_stmt(struct ledger *led, enum stmt_id id,
	    struct err *err);

/* Run a statement that returns no rows; the statement is reset after. */
int	ledger_stmt_done(struct ledger *led, sqlite3_stmt *st,
	    struct err *err, const char *what);

/* ledger_stmt + ledger_stmt_done for a statement without parameters. */
int	ledger_exec(struct ledger *led, enum stmt_id id, struct err *err,
	    const char *what);

/* Roll back the open transaction, if any (on a failure path: an error
 * there is not reported, the caller already has one). */
void	ledger_rollback(struct ledger *led);

/* Bind s (NULL binds NULL) as static text. */
void	ledger_bind_text(sqlite3_stmt *st, int col, const char *s);

/* Bind v; NaN ("not delivered") binds NULL. */
void	ledger_bind_double(sqlite3_stmt *st, int col, double v);

/* Column col as a double; NULL reads as NaN. */
double	ledger_col_double(sqlite3_stmt *st, int col);

/* Column col copied into buf (NULL reads as ""), truncated to size. */
void	ledger_col_text(sqlite3_stmt *st, int col, char *buf, size_t size);

/* The current time as ISO 8601 UTC ("2026-01-31T12:00:00Z"). */
void	ledger_now_iso(char *buf, size_t size);

/* Make room for one more element in the malloc'd array *pp of *cap
 * elements of which n are used: 0, or -1 when out of memory. */
int	ledger_grow(void *pp, size_t *cap, size_t n, size_t elsize);

/* Step a bound SELECT and collect every row into a malloc'd array of
 * elsize-byte elements filled by fn. The statement is reset after. */
int	ledger_collect(struct ledger *led, sqlite3_stmt *st, size_t elsize,
	    ledger_row_fn fn, void *ret, size_t *ret_n, struct err *err);

/* Step a bound single-row SELECT: 1 with fn(row) done, 0 none, -1 error. */
int	ledger_fetch_one(struct ledger *led, sqlite3_stmt *st, ledger_row_fn fn,
	    void *dst, struct err *err);

#endif /* LEDGER_DB_H */
