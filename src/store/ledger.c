/* src/store/ledger.c — the ledger on SQLite (design §3): the source of truth that
 * ingest commits into and that rebuild, verify, compare and the API read.
 * The only module that includes <sqlite3.h>. */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/ledger.h"

#define LEDGER_BUSY_MS 5000
#define LEDGER_CACHE_KIB "131072"	/* writer page cache: 128 MiB */

/* Schema migrations, applied in order; entry i brings user_version from i
 * to i + 1. Never edit a released entry: append a new one. */
static const char *const migrations[] = {
	/* 0 -> 1: the complete schema of design §3. */
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY,"
	"  value INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"INSERT INTO meta (key, value) VALUES ('data_version', 0);"
	"CREATE TABLE feed ("
	"  id INTEGER PRIMARY KEY,"
	"  sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),"
	"  naam TEXT NOT NULL,"
	"  leverancier TEXT NOT NULL,"
	"  received_at TEXT NOT NULL,"
	"  status TEXT NOT NULL"
	"    CHECK (status IN ('geaccepteerd', 'gedeeltelijk')),"
	"  rows_total INTEGER NOT NULL DEFAULT 0,"
	"  rows_ok INTEGER NOT NULL DEFAULT 0,"
	"  rows_error INTEGER NOT NULL DEFAULT 0,"
	"  nieuw INTEGER NOT NULL DEFAULT 0,"
	"  herzien INTEGER NOT NULL DEFAULT 0,"
	"  ongewijzigd INTEGER NOT NULL DEFAULT 0,"
	"  synthetisch INTEGER NOT NULL DEFAULT 0"
	"    CHECK (synthetisch IN (0, 1)),"
	"  report TEXT"
	");"
	/* Every revision of every value. A value is delivered either as
	 * waarde or as teller and noemer (waarde derived, NULL when the
	 * noemer is 0): at least one of waarde and noemer is known. */
	"CREATE TABLE observation ("
	"  gemeente TEXT NOT NULL CHECK (gemeente GLOB 'GM[0-9][0-9][0-9][0-9]'),"
	"  indicator TEXT NOT NULL CHECK (length(indicator) > 0),"
	"  periode TEXT NOT NULL,"
	"  period_kind TEXT NOT NULL"
	"    CHECK (period_kind IN ('maand', 'kwartaal', 'halfjaar', 'jaar')),"
	"  period_start INTEGER NOT NULL,"
	"  waarde REAL,"
	"  teller REAL,"
	"  noemer REAL,"
	"  status TEXT NOT NULL"
	"    CHECK (status IN ('definitief', 'voorlopig', 'geschat')),"
	"  synthetisch INTEGER NOT NULL DEFAULT 0"
	"    CHECK (synthetisch IN (0, 1)),"
	"  toelichting TEXT NOT NULL DEFAULT '',"
	"  feed_id INTEGER NOT NULL REFERENCES feed(id),"
	"  revisie INTEGER NOT NULL CHECK (revisie >= 1),"
	"  current INTEGER NOT NULL CHECK (current IN (0, 1)),"
	"  recorded_at TEXT NOT NULL,"
	"  CHECK (waarde IS NOT NULL OR noemer IS NOT NULL)"
	");"
	/* A rowid table: rows land in commit order, so a feed appends pages
	 * instead of touching one page per series (measured 2x faster for
	 * national monthly feeds than a WITHOUT ROWID table keyed by series
	 * plus a series index). The key index serves the revision lookup and
	 * the series reads too: canonical periode text sorts in time order
	 * within one period kind. */
	"CREATE UNIQUE INDEX observation_key ON observation"
	"  (gemeente, indicator, periode, revisie);"
	/* Current values of one (indicator, periode) across gemeenten. */
	"CREATE INDEX observation_cross ON observation"
	"  (indicator, periode, gemeente) WHERE current = 1;"
	"CREATE INDEX observation_feed ON observation (feed_id);"
	"CREATE TABLE pending ("
	"  gemeente TEXT NOT NULL,"
	"  indicator TEXT NOT NULL,"
	"  since TEXT NOT NULL,"
	"  PRIMARY KEY (gemeente, indicator)"
	") WITHOUT ROWID;"
	"CREATE TABLE token ("
	"  id INTEGER PRIMARY KEY,"
	"  naam TEXT NOT NULL,"
	"  rol TEXT NOT NULL CHECK (rol IN ('leverancier', 'manager', 'beheer')),"
	"  gemeenten TEXT NOT NULL DEFAULT '',"
	"  hash TEXT NOT NULL,"
	"  prefix TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))"
	");"
	"CREATE INDEX token_prefix ON token (prefix);"
	"CREATE TABLE account ("
	"  id INTEGER PRIMARY KEY,"
	"  naam TEXT NOT NULL UNIQUE,"
	"  password_hash TEXT NOT NULL,"
	"  rol TEXT NOT NULL CHECK (rol IN ('leverancier', 'manager', 'beheer')),"
	"  gemeenten TEXT NOT NULL DEFAULT '',"
	"  created_at TEXT NOT NULL,"
	"  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))"
	");"
	"CREATE TABLE annotation ("
	"  id INTEGER PRIMARY KEY,"
	"  gemeente TEXT NOT NULL,"
	"  indicator TEXT NOT NULL,"
	"  periode TEXT NOT NULL,"
	"  tekst TEXT NOT NULL,"
	"  auteur TEXT NOT NULL DEFAULT '',"
	"  created_at TEXT NOT NULL"
	");"
	"CREATE INDEX annotation_key ON annotation (gemeente, indicator, periode);"
	"CREATE TABLE alert_rule ("
	"  id INTEGER PRIMARY KEY,"
	"  naam TEXT NOT NULL,"
	"  soort TEXT NOT NULL,"
	"  gemeente TEXT,"
	"  indicator TEXT,"
	"  groep TEXT,"
	"  params TEXT NOT NULL DEFAULT '{}',"
	"  min_n INTEGER NOT NULL DEFAULT 0,"
	"  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),"
	"  created_at TEXT NOT NULL"
	");"
	"CREATE TABLE alert_event ("
	"  id INTEGER PRIMARY KEY,"
	"  rule_id INTEGER NOT NULL REFERENCES alert_rule(id) ON DELETE CASCADE,"
	"  gemeente TEXT NOT NULL,"
	"  indicator TEXT NOT NULL,"
	"  periode TEXT NOT NULL,"
	"  state TEXT NOT NULL"
	"    CHECK (state IN ('firing', 'acknowledged', 'resolved')),"
	"  waarde REAL,"
	"  message TEXT NOT NULL DEFAULT '',"
	"  fired_at TEXT NOT NULL,"
	"  acknowledged_at TEXT,"
	"  acknowledged_by TEXT,"
	"  resolved_at TEXT"
	");"
	"CREATE INDEX alert_event_rule ON alert_event (rule_id, state);",
	/* 1 -> 2: alerts (issue 7): Atom feed tokens per account, sessions
	 * for the dashboard sign-in, the owner of a rule and the numbers
	 * behind an event. */
	"ALTER TABLE account ADD COLUMN feed_hash TEXT NOT NULL DEFAULT '';"
	"CREATE INDEX account_feed ON account (feed_hash) WHERE feed_hash <> '';"
	"CREATE TABLE session ("
	"  id_hash TEXT PRIMARY KEY,"
	"  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	"  csrf TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  expires INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"ALTER TABLE alert_rule ADD COLUMN eigenaar TEXT NOT NULL DEFAULT '';"
	"CREATE INDEX alert_rule_indicator ON alert_rule (indicator);"
	"ALTER TABLE alert_event ADD COLUMN details TEXT NOT NULL DEFAULT '{}';"
	"CREATE INDEX alert_event_state ON alert_event (state, rule_id);",
};
#define LEDGER_SCHEMA_VERSION \
	((int)(sizeof(migrations) / sizeof(*migrations)))

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
	ST_VERSION_BUMP,
	ST_VERSION_GET,
	ST_PENDING_ADD,
	ST_PENDING_LIST,
	ST_PENDING_DEL,
	ST_SERIES,
	ST_CROSS,
	ST_HISTORY,
	ST_REVCOUNTS,
	ST_KEYS,
	ST_PERIODS,
	ST_TOKEN_ADD,
	ST_TOKEN_PREFIX,
	ST_TOKEN_LIST,
	ST_TOKEN_REVOKE,
	ST_STATUS,
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
	ST_COUNT
};

#define FEED_COLS \
	"id, sha256, naam, leverancier, received_at, status, rows_total, " \
	"rows_ok, rows_error, nieuw, herzien, ongewijzigd, synthetisch, report"
#define OBS_COLS \
	"gemeente, indicator, period_kind, period_start, waarde, teller, " \
	"noemer, status, synthetisch, toelichting"
#define ACCOUNT_COLS \
	"id, naam, password_hash, rol, gemeenten, feed_hash, created_at, " \
	"disabled"
#define RULE_COLS \
	"id, naam, soort, gemeente, indicator, groep, params, min_n, " \
	"enabled, eigenaar, created_at"
#define EVENT_COLS \
	"e.id, e.rule_id, coalesce(r.naam, ''), e.gemeente, e.indicator, " \
	"e.periode, e.state, e.waarde, e.message, e.details, e.fired_at, " \
	"e.acknowledged_at, e.acknowledged_by, e.resolved_at"
#define EVENT_FROM \
	" FROM alert_event e LEFT JOIN alert_rule r ON r.id = e.rule_id "
#define TOKEN_COLS \
	"id, naam, rol, gemeenten, hash, prefix, created_at, revoked"

static const char *const stmt_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_PING] = "SELECT 1",
	[ST_FEED_INSERT] = "INSERT INTO feed (sha256, naam, leverancier, "
	    "received_at, status, rows_total, rows_ok, rows_error, synthetisch, "
	    "report) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[ST_FEED_COUNTS] = "UPDATE feed SET nieuw = ?2, herzien = ?3, "
	    "ongewijzigd = ?4 WHERE id = ?1",
	[ST_FEED_BY_SHA] = "SELECT " FEED_COLS " FROM feed WHERE sha256 = ?1",
	[ST_FEED_BY_ID] = "SELECT " FEED_COLS " FROM feed WHERE id = ?1",
	[ST_FEED_REPORT] = "UPDATE feed SET report = ?2 WHERE id = ?1",
	/* The current revision is always the highest: walk the primary key
	 * backwards instead of filtering on current. */
	[ST_OBS_CURRENT] = "SELECT revisie, waarde, teller, noemer, status, "
	    "rowid "
	    "FROM observation WHERE gemeente = ?1 AND indicator = ?2 "
	    "AND periode = ?3 ORDER BY revisie DESC LIMIT 1",
	[ST_OBS_RETIRE] = "UPDATE observation SET current = 0 "
	    "WHERE rowid = ?1",
	[ST_OBS_INSERT] = "INSERT INTO observation (gemeente, indicator, "
	    "periode, period_kind, period_start, waarde, teller, noemer, "
	    "status, synthetisch, toelichting, feed_id, revisie, current, "
	    "recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	    "?11, ?12, ?13, 1, ?14)",
	/* Walks the key index backwards to the first current row. */
	[ST_SERIES_LATEST] = "SELECT period_start FROM observation "
	    "WHERE gemeente = ?1 AND indicator = ?2 AND current = 1 "
	    "ORDER BY periode DESC LIMIT 1",
	[ST_VERSION_BUMP] = "UPDATE meta SET value = value + 1 "
	    "WHERE key = 'data_version'",
	[ST_VERSION_GET] = "SELECT value FROM meta WHERE key = 'data_version'",
	[ST_PENDING_ADD] = "INSERT OR REPLACE INTO pending (gemeente, "
	    "indicator, since) VALUES (?1, ?2, ?3)",
	[ST_PENDING_LIST] = "SELECT gemeente, indicator FROM pending "
	    "ORDER BY gemeente, indicator",
	[ST_PENDING_DEL] = "DELETE FROM pending WHERE gemeente = ?1 "
	    "AND indicator = ?2",
	[ST_SERIES] = "SELECT " OBS_COLS " FROM observation WHERE "
	    "gemeente = ?1 AND indicator = ?2 AND current = 1 "
	    "ORDER BY periode",
	[ST_CROSS] = "SELECT " OBS_COLS " FROM observation WHERE "
	    "indicator = ?1 AND periode = ?2 AND current = 1 "
	    "ORDER BY gemeente",
	[ST_HISTORY] = "SELECT " OBS_COLS ", revisie, current, feed_id, "
	    "recorded_at FROM observation WHERE gemeente = ?1 "
	    "AND indicator = ?2 AND (?3 IS NULL OR periode = ?3) "
	    "ORDER BY periode, revisie",
	[ST_REVCOUNTS] = "SELECT count(*) FROM observation WHERE "
	    "gemeente = ?1 AND indicator = ?2 GROUP BY periode "
	    "ORDER BY periode",
	[ST_KEYS] = "SELECT DISTINCT gemeente, indicator FROM observation "
	    "WHERE (?1 IS NULL OR gemeente = ?1) ORDER BY gemeente, indicator",
	[ST_PERIODS] = "SELECT DISTINCT period_kind, period_start FROM "
	    "observation WHERE indicator = ?1 AND current = 1 "
	    "ORDER BY period_start, period_kind",
	[ST_TOKEN_ADD] = "INSERT INTO token (naam, rol, gemeenten, hash, "
	    "prefix, created_at, revoked) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)",
	[ST_TOKEN_PREFIX] = "SELECT " TOKEN_COLS " FROM token "
	    "WHERE prefix = ?1 ORDER BY id",
	[ST_TOKEN_LIST] = "SELECT " TOKEN_COLS " FROM token ORDER BY id",
	[ST_TOKEN_REVOKE] = "UPDATE token SET revoked = 1 WHERE id = ?1",
	[ST_STATUS] = "SELECT (SELECT count(*) FROM feed), "
	    "(SELECT count(*) FROM feed WHERE synthetisch = 1), "
	    "(SELECT count(*) FROM observation WHERE current = 1), "
	    "(SELECT count(*) FROM observation), "
	    "(SELECT count(DISTINCT gemeente) FROM observation), "
	    "(SELECT count(DISTINCT indicator) FROM observation), "
	    "(SELECT min(periode) FROM observation WHERE period_kind = 'maand'), "
	    "(SELECT max(periode) FROM observation WHERE period_kind = 'maand')",
	[ST_ACCOUNT_ADD] = "INSERT INTO account (naam, password_hash, rol, "
	    "gemeenten, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_ACCOUNT_BY_NAME] = "SELECT " ACCOUNT_COLS " FROM account "
	    "WHERE naam = ?1",
	[ST_ACCOUNT_BY_FEED] = "SELECT " ACCOUNT_COLS " FROM account "
	    "WHERE feed_hash = ?1 AND feed_hash <> ''",
	[ST_ACCOUNT_SET_FEED] = "UPDATE account SET feed_hash = ?2 "
	    "WHERE id = ?1",
	[ST_SESSION_ADD] = "INSERT INTO session (id_hash, account_id, csrf, "
	    "created_at, expires) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_SESSION_GET] = "SELECT a.id, a.naam, a.password_hash, a.rol, "
	    "a.gemeenten, a.feed_hash, a.created_at, a.disabled, s.csrf "
	    "FROM session s JOIN account a ON a.id = s.account_id "
	    "WHERE s.id_hash = ?1 AND s.expires > ?2 AND a.disabled = 0",
	[ST_SESSION_DEL] = "DELETE FROM session WHERE id_hash = ?1 "
	    "OR expires <= ?2",
	[ST_RULE_INSERT] = "INSERT INTO alert_rule (naam, soort, gemeente, "
	    "indicator, groep, params, min_n, enabled, eigenaar, created_at) "
	    "VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[ST_RULE_UPDATE] = "UPDATE alert_rule SET naam = ?2, soort = ?3, "
	    "gemeente = ?4, indicator = ?5, groep = ?6, params = ?7, "
	    "min_n = ?8, enabled = ?9 WHERE id = ?1",
	[ST_RULE_DELETE] = "DELETE FROM alert_rule WHERE id = ?1",
	[ST_RULE_GET] = "SELECT " RULE_COLS " FROM alert_rule WHERE id = ?1",
	[ST_RULE_LIST] = "SELECT " RULE_COLS " FROM alert_rule WHERE "
	    "(?1 IS NULL OR indicator = ?1) AND (?2 = 0 OR enabled = 1) "
	    "ORDER BY id",
	[ST_EVENT_LIST] = "SELECT " EVENT_COLS EVENT_FROM "WHERE "
	    "(?1 IS NULL OR e.state = ?1 OR (?1 = 'open' AND e.state IN "
	    "('firing', 'acknowledged'))) AND (?2 = 0 OR e.rule_id = ?2) "
	    "ORDER BY e.id DESC LIMIT ?3",
	[ST_EVENT_GET] = "SELECT " EVENT_COLS EVENT_FROM "WHERE e.id = ?1",
	[ST_EVENT_INSERT] = "INSERT INTO alert_event (rule_id, gemeente, "
	    "indicator, periode, state, waarde, message, details, fired_at) "
	    "VALUES (?1, ?2, ?3, ?4, 'firing', ?5, ?6, ?7, ?8)",
	[ST_EVENT_RESOLVE] = "UPDATE alert_event SET state = 'resolved', "
	    "resolved_at = ?2 WHERE id = ?1 AND state <> 'resolved'",
	[ST_EVENT_ACK] = "UPDATE alert_event SET state = 'acknowledged', "
	    "acknowledged_at = ?2, acknowledged_by = ?3 "
	    "WHERE id = ?1 AND state = 'firing'",
};

/* Stored as text so the database reads well in the sqlite3 shell and can
 * move to PostgreSQL; indexed by enum obs_status. */
static const char *const status_names[] = { "definitief", "voorlopig",
	"geschat" };
#define NSTATUS (sizeof(status_names) / sizeof(*status_names))

struct ledger {
	sqlite3 *db;
	int	readonly;
	sqlite3_stmt *stmt[ST_COUNT];
};

static int
db_fail(struct ledger *led, struct err *err, const char *what)
{
	return err_set(err, "databasefout bij %s: %s", what,
	    sqlite3_errmsg(led->db));
}

/* The cached statement, reset and unbound; NULL (err set) on failure. */
static sqlite3_stmt *
stmt_get(struct ledger *led, enum stmt_id id, struct err *err)
{
	sqlite3_stmt *st = led->stmt[id];

	if (st != NULL) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	if (sqlite3_prepare_v3(led->db, stmt_sql[id], -1,
	    SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		db_fail(led, err, "voorbereiden");
		return NULL;
	}
	led->stmt[id] = st;
	return st;
}

/* Run a statement that returns no rows; the statement is reset after. */
static int
stmt_done(struct ledger *led, sqlite3_stmt *st, struct err *err,
    const char *what)
{
	int	rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(led, err, what);
	return 0;
}

static int
exec_simple(struct ledger *led, enum stmt_id id, struct err *err,
    const char *what)
{
	sqlite3_stmt *st = stmt_get(led, id, err);

	if (st == NULL)
		return -1;
	return stmt_done(led, st, err, what);
}

static void
bind_text(sqlite3_stmt *st, int col, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC);
}

/* NaN means "not delivered": stored as NULL. */
static void
bind_double(sqlite3_stmt *st, int col, double v)
{
	if (isnan(v))
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_double(st, col, v);
}

static double
col_double(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NAN;
	return sqlite3_column_double(st, col);
}

static void
col_text(sqlite3_stmt *st, int col, char *buf, size_t size)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	snprintf(buf, size, "%s", s ? (const char *)s : "");
}

static void
now_iso(char *buf, size_t size)
{
	time_t	t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Make room for one more element in a malloc'd array. */
static int
grow(void *pp, size_t *cap, size_t n, size_t elsize)
{
	void  **p = pp;
	size_t	ncap;
	void   *np;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / elsize || (np = realloc(*p, ncap * elsize)) == NULL)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

/* ---- opening, schema ------------------------------------------------ */

static int
user_version(struct ledger *led, int *ret, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int	rc = -1;

	if (sqlite3_prepare_v2(led->db, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		db_fail(led, err, "lezen van de schemaversie");
		goto fail;
	}
	*ret = sqlite3_column_int(st, 0);
	rc = 0;
fail:
	sqlite3_finalize(st);
	return rc;
}

/* Apply each missing migration in its own transaction with its version. */
static int
migrate(struct ledger *led, struct err *err)
{
	char	sql[64];
	int	v;

	if (user_version(led, &v, err) == -1)
		return -1;
	if (v > LEDGER_SCHEMA_VERSION)
		return err_set(err, "database heeft schemaversie %d; deze "
		    "versie van basisd kent maximaal %d", v,
		    LEDGER_SCHEMA_VERSION);
	for (; v < LEDGER_SCHEMA_VERSION; v++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (sqlite3_exec(led->db, "BEGIN IMMEDIATE", NULL, NULL,
		    NULL) != SQLITE_OK)
			return db_fail(led, err, "schema-migratie");
		if (sqlite3_exec(led->db, migrations[v], NULL, NULL,
		    NULL) != SQLITE_OK ||
		    sqlite3_exec(led->db, sql, NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(led->db, "COMMIT", NULL, NULL, NULL) !=
		    SQLITE_OK) {
			db_fail(led, err, "schema-migratie");
			sqlite3_exec(led->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
	return 0;
}

/* A reader never migrates: it needs the schema the writer created. */
static int
check_version(struct ledger *led, struct err *err)
{
	int	v;

	if (user_version(led, &v, err) == -1)
		return -1;
	if (v != LEDGER_SCHEMA_VERSION)
		return err_set(err, "database heeft schemaversie %d, verwacht "
		    "%d (eerst basisd of basisctl met schrijfrechten "
		    "starten)", v, LEDGER_SCHEMA_VERSION);
	return 0;
}

/* Writer: WAL so readers run beside it; synchronous=FULL because a
 * committed feed is acknowledged to its supplier (design §3). */
static const char writer_pragmas[] = "PRAGMA journal_mode = WAL;"
	"PRAGMA synchronous = FULL;"
	"PRAGMA foreign_keys = ON;"
	/* A national feed dirties thousands of pages (observation_cross is
	 * keyed by indicator and periode, so one gemeente's rows land on a
	 * different page each): a cache that holds the whole transaction
	 * and the hot index avoids spilling dirty pages into the WAL
	 * mid-transaction and reading them back. */
	"PRAGMA cache_size = -" LEDGER_CACHE_KIB ";"
	/* Checkpoint after about 64 MB of WAL instead of 4 MB: pages that
	 * several feeds touch are copied into the database once. */
	"PRAGMA wal_autocheckpoint = 16384;";
/* The cross-section index, kept apart so a bulk load can drop it and build
 * it once at the end: one gemeente's feed touches a different page of it
 * for every row, which was most of the backfill's disk writes. A writer
 * recreates it on open, so a bulk load cut short heals itself. */
static const char cross_index_sql[] = "CREATE INDEX IF NOT EXISTS "
	"observation_cross ON observation (indicator, periode, gemeente) "
	"WHERE current = 1";

static const char reader_pragmas[] = "PRAGMA foreign_keys = ON;"
	"PRAGMA query_only = 1;";

struct ledger *
ledger_open(const char *path, int flags, struct err *err)
{
	struct ledger *led = calloc(1, sizeof(*led));
	int	oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	if (led == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto fail;
	}
	led->readonly = (flags & LEDGER_READONLY) != 0;
	/* Readers open read-write with query_only: a SQLITE_OPEN_READONLY
	 * connection cannot create the WAL index when it is the first. */
	if (!led->readonly)
		oflags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &led->db, oflags, NULL) != SQLITE_OK) {
		err_set(err, "kan database %s niet openen: %s", path,
		    led->db ? sqlite3_errmsg(led->db) : "onvoldoende geheugen");
		goto fail;
	}
	sqlite3_extended_result_codes(led->db, 1);
	sqlite3_busy_timeout(led->db, LEDGER_BUSY_MS);
	if (sqlite3_exec(led->db, led->readonly ? reader_pragmas :
	    writer_pragmas, NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(led, err, "instellen van de verbinding");
		goto fail;
	}
	if ((led->readonly ? check_version(led, err) : migrate(led, err)) == -1)
		goto fail;
	if (!led->readonly && sqlite3_exec(led->db, cross_index_sql, NULL, NULL,
	    NULL) != SQLITE_OK) {
		db_fail(led, err, "herstellen van de doorsnede-index");
		goto fail;
	}
	return led;
fail:
	if (err != NULL)
		err_prefix(err, "%s: ", path);
	ledger_close(led);
	return NULL;
}

void
ledger_close(struct ledger *led)
{
	if (led == NULL)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(led->stmt[i]);
	sqlite3_close(led->db);
	free(led);
}

int
ledger_ping(struct ledger *led)
{
	return exec_simple(led, ST_PING, NULL, "ping");
}

/* ---- feeds ---------------------------------------------------------- */

static int
feed_from_row(sqlite3_stmt *st, struct ledger_feed *f)
{
	const unsigned char *rep;

	memset(f, 0, sizeof(*f));
	f->id = sqlite3_column_int64(st, 0);
	col_text(st, 1, f->sha256, sizeof(f->sha256));
	col_text(st, 2, f->naam, sizeof(f->naam));
	col_text(st, 3, f->leverancier, sizeof(f->leverancier));
	col_text(st, 4, f->received_at, sizeof(f->received_at));
	col_text(st, 5, f->status, sizeof(f->status));
	f->rows = sqlite3_column_int64(st, 6);
	f->ok = sqlite3_column_int64(st, 7);
	f->errors = sqlite3_column_int64(st, 8);
	f->nieuw = sqlite3_column_int64(st, 9);
	f->herzien = sqlite3_column_int64(st, 10);
	f->ongewijzigd = sqlite3_column_int64(st, 11);
	f->synthetisch = sqlite3_column_int(st, 12);
	rep = sqlite3_column_text(st, 13);
	if (rep != NULL && (f->report_json = strdup((const char *)rep)) == NULL)
		return -1;
	return 0;
}

/* Run a feed SELECT bound by the caller: 1 found, 0 not, -1 error. */
static int
feed_fetch(struct ledger *led, sqlite3_stmt *st, struct ledger_feed *ret,
    struct err *err)
{
	int	rc = sqlite3_step(st), found = 0;

	if (rc == SQLITE_ROW) {
		found = 1;
		if (feed_from_row(st, ret) == -1)
			found = err_set(err, "onvoldoende geheugen");
	} else if (rc != SQLITE_DONE) {
		found = db_fail(led, err, "lezen van een feed");
	}
	sqlite3_reset(st);
	return found;
}

int
ledger_feed_by_sha(struct ledger *led, const char *sha256,
    struct ledger_feed *ret, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_FEED_BY_SHA, err);

	if (st == NULL)
		return -1;
	bind_text(st, 1, sha256);
	return feed_fetch(led, st, ret, err);
}

int
ledger_feed_get(struct ledger *led, long long id, struct ledger_feed *ret,
    struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_FEED_BY_ID, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return feed_fetch(led, st, ret, err);
}

void
ledger_feed_clear(struct ledger_feed *f)
{
	if (f == NULL)
		return;
	free(f->report_json);
	f->report_json = NULL;
}

int
ledger_feed_set_report(struct ledger *led, long long id,
    const char *report_json, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_FEED_REPORT, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, report_json);
	if (stmt_done(led, st, err, "opslaan van het rapport") == -1)
		return -1;
	if (sqlite3_changes(led->db) == 0)
		return err_set(err, "feed %lld bestaat niet", id);
	return 0;
}

/* ---- committing a feed ---------------------------------------------- */

/* The series a feed touches, found by hash: each remembers the latest
 * current period before this feed (late data detection) and whether it
 * got new or revised values. Lives for one ledger_commit_feed. */
struct seen {
	char	gemeente[8];
	char	indicator[64];
	long long latest;	/* LLONG_MIN: series had no data */
	int	touched;
	int	rebuild;	/* got a revision or a late period */
};

struct seenset {
	struct seen *items;
	size_t	n, cap;
	size_t *slots;		/* index + 1 into items; 0 = empty */
	size_t	nslots;		/* power of two, > 2 * n */
};

static size_t
seen_hash(const char *g, const char *ind)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (const char *p = g; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ '/') * 1099511628211ULL;
	for (const char *p = ind; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return (size_t)h;
}

static size_t
seen_slot(const struct seenset *s, const char *g, const char *ind)
{
	size_t	i = seen_hash(g, ind) & (s->nslots - 1);

	while (s->slots[i] != 0) {
		const struct seen *e = &s->items[s->slots[i] - 1];

		if (strcmp(e->gemeente, g) == 0 &&
		    strcmp(e->indicator, ind) == 0)
			break;
		i = (i + 1) & (s->nslots - 1);
	}
	return i;
}

static int
seen_rehash(struct seenset *s)
{
	size_t	nslots = s->nslots ? s->nslots * 2 : 64;
	size_t *slots = calloc(nslots, sizeof(*slots));

	if (slots == NULL)
		return -1;
	free(s->slots);
	s->slots = slots;
	s->nslots = nslots;
	for (size_t k = 0; k < s->n; k++)
		s->slots[seen_slot(s, s->items[k].gemeente,
		    s->items[k].indicator)] = k + 1;
	return 0;
}

/* Find or add a series: *ret points at it; returns 1 when added, 0 when
 * found, -1 when out of memory. */
static int
seen_get(struct seenset *s, const char *g, const char *ind,
    struct seen **ret)
{
	size_t	i;

	if ((s->n + 1) * 2 >= s->nslots && seen_rehash(s) == -1)
		return -1;
	i = seen_slot(s, g, ind);
	if (s->slots[i] != 0) {
		*ret = &s->items[s->slots[i] - 1];
		return 0;
	}
	if (grow(&s->items, &s->cap, s->n, sizeof(*s->items)) == -1)
		return -1;
	*ret = &s->items[s->n];
	memset(*ret, 0, sizeof(**ret));
	snprintf((*ret)->gemeente, sizeof((*ret)->gemeente), "%s", g);
	snprintf((*ret)->indicator, sizeof((*ret)->indicator), "%s", ind);
	s->slots[i] = ++s->n;
	return 1;
}

static void
seen_free(struct seenset *s)
{
	free(s->items);
	free(s->slots);
}

struct commit_ctx {
	struct ledger_commit *ret;
	struct seenset seen;
	long long feed_id;
	char	now[32];
};

static int
series_latest(struct ledger *led, struct seen *e, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_SERIES_LATEST, err);
	int	rc;

	if (st == NULL)
		return -1;
	bind_text(st, 1, e->gemeente);
	bind_text(st, 2, e->indicator);
	rc = sqlite3_step(st);
	e->latest = LLONG_MIN;
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		e->latest = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(led, err, "zoeken van de laatste periode");
	return 0;
}

static int
feed_insert(struct ledger *led, struct commit_ctx *c,
    const struct ledger_feed *meta, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_FEED_INSERT, err);

	if (st == NULL)
		return -1;
	bind_text(st, 1, meta->sha256);
	bind_text(st, 2, meta->naam);
	bind_text(st, 3, meta->leverancier);
	bind_text(st, 4, c->now);
	bind_text(st, 5, meta->status[0] ? meta->status : "geaccepteerd");
	sqlite3_bind_int64(st, 6, meta->rows);
	sqlite3_bind_int64(st, 7, meta->ok);
	sqlite3_bind_int64(st, 8, meta->errors);
	sqlite3_bind_int(st, 9, meta->synthetisch != 0);
	bind_text(st, 10, meta->report_json);
	if (stmt_done(led, st, err, "opslaan van de feed") == -1)
		return -1;
	c->feed_id = sqlite3_last_insert_rowid(led->db);
	return 0;
}

/* Same stored value: NaN (NULL) equals NaN. */
static int
same_double(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

/* The current revision of o's key: 1 found (values in cur, revisie and
 * rowid in *ret_rev, *ret_row), 0 none, -1 error. */
static int
obs_current(struct ledger *led, const struct obs *o, const char *periode,
    struct obs *cur, int *ret_rev, long long *ret_row, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_OBS_CURRENT, err);
	const unsigned char *status;
	int	rc, found = 0;

	if (st == NULL)
		return -1;
	bind_text(st, 1, o->gemeente);
	bind_text(st, 2, o->indicator);
	bind_text(st, 3, periode);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		found = 1;
		*ret_rev = sqlite3_column_int(st, 0);
		*ret_row = sqlite3_column_int64(st, 5);
		cur->waarde = col_double(st, 1);
		cur->teller = col_double(st, 2);
		cur->noemer = col_double(st, 3);
		status = sqlite3_column_text(st, 4);
		cur->status = STATUS_DEFINITIEF;
		for (size_t i = 0; status != NULL && i < NSTATUS; i++)
			if (strcmp((const char *)status, status_names[i]) == 0)
				cur->status = (enum obs_status)i;
	} else if (rc != SQLITE_DONE) {
		found = db_fail(led, err, "zoeken van de huidige waarde");
	}
	sqlite3_reset(st);
	return found;
}

static int
obs_retire(struct ledger *led, long long rowid, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_OBS_RETIRE, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, rowid);
	return stmt_done(led, st, err, "vervangen van een waarde");
}

static int
obs_insert(struct ledger *led, const struct commit_ctx *c,
    const struct obs *o, const char *periode, int revisie, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_OBS_INSERT, err);

	if (st == NULL)
		return -1;
	bind_text(st, 1, o->gemeente);
	bind_text(st, 2, o->indicator);
	bind_text(st, 3, periode);
	bind_text(st, 4, period_kind_name(o->periode.kind));
	sqlite3_bind_int64(st, 5, period_start(&o->periode));
	bind_double(st, 6, o->waarde);
	bind_double(st, 7, o->teller);
	bind_double(st, 8, o->noemer);
	bind_text(st, 9, status_names[o->status]);
	sqlite3_bind_int(st, 10, o->synthetisch != 0);
	bind_text(st, 11, o->toelichting);
	sqlite3_bind_int64(st, 12, c->feed_id);
	sqlite3_bind_int(st, 13, revisie);
	bind_text(st, 14, c->now);
	return stmt_done(led, st, err, "opslaan van een waarde");
}

/* The observation table's CHECK constraints, in C: the commit loop runs
 * with ignore_check_constraints (see ledger_commit_feed), so every row is
 * checked here instead. Keep in step with the schema. */
static int
obs_valid(const struct obs *o)
{
	return (unsigned)o->status < NSTATUS &&
	    (unsigned)o->periode.kind < PERIOD_NKINDS &&
	    strlen(o->gemeente) == 6 && strncmp(o->gemeente, "GM", 2) == 0 &&
	    strspn(o->gemeente + 2, "0123456789") == 4 &&
	    o->indicator[0] != '\0' && (!isnan(o->waarde) || !isnan(o->noemer));
}

/* Store one observation as a new key, a new revision or nothing. */
static int
commit_one(struct ledger *led, struct commit_ctx *c, const struct obs *o,
    struct err *err)
{
	struct seen *e;
	struct obs cur = { .status = STATUS_DEFINITIEF };
	char	periode[16];
	int	rev = 0, found, added;
	long long row = 0;

	if (!obs_valid(o))
		return err_set(err, "ongeldige waarneming %s/%s", o->gemeente,
		    o->indicator);
	if ((added = seen_get(&c->seen, o->gemeente, o->indicator, &e)) == -1)
		return err_set(err, "onvoldoende geheugen");
	if (added && series_latest(led, e, err) == -1)
		return -1;
	period_format(&o->periode, periode, sizeof(periode));
	/* A series without current values has no revision of any period
	 * (a key's highest revision is always current): no lookup needed,
	 * which spares the backfill one SELECT per row. */
	found = e->latest == LLONG_MIN ? 0 :
	    obs_current(led, o, periode, &cur, &rev, &row, err);
	if (found == -1)
		return -1;
	if (found && same_double(cur.waarde, o->waarde) &&
	    same_double(cur.teller, o->teller) &&
	    same_double(cur.noemer, o->noemer) && cur.status == o->status) {
		c->ret->ongewijzigd++;
		return 0;
	}
	if (found && obs_retire(led, row, err) == -1)
		return -1;
	if (obs_insert(led, c, o, periode, rev + 1, err) == -1)
		return -1;
	e->touched = 1;
	if (found) {
		c->ret->herzien++;
		e->rebuild = 1;
	} else {
		c->ret->nieuw++;
		/* Late data: RRD cannot take a value before its last update. */
		if (period_start(&o->periode) < e->latest)
			e->rebuild = 1;
	}
	c->ret->needs_rebuild_any |= e->rebuild;
	return 0;
}

/* Journal the touched series and hand them to the caller. */
static int
commit_touched(struct ledger *led, struct commit_ctx *c, struct err *err)
{
	struct ledger_commit *r = c->ret;
	sqlite3_stmt *st;

	if (c->seen.n > 0 &&
	    ((r->touched = calloc(c->seen.n, sizeof(*r->touched))) == NULL ||
	    (r->touch = calloc(c->seen.n, sizeof(*r->touch))) == NULL))
		return err_set(err, "onvoldoende geheugen");
	for (size_t i = 0; i < c->seen.n; i++) {
		const struct seen *e = &c->seen.items[i];

		if (!e->touched)
			continue;
		if ((st = stmt_get(led, ST_PENDING_ADD, err)) == NULL)
			return -1;
		bind_text(st, 1, e->gemeente);
		bind_text(st, 2, e->indicator);
		bind_text(st, 3, c->now);
		if (stmt_done(led, st, err, "bijwerken van het journaal") == -1)
			return -1;
		memcpy(r->touched[r->ntouched].gemeente, e->gemeente,
		    sizeof(e->gemeente));
		memcpy(r->touched[r->ntouched].indicator, e->indicator,
		    sizeof(e->indicator));
		r->touch[r->ntouched] = (e->latest == LLONG_MIN ?
		    LEDGER_TOUCH_FRESH : 0) | (e->rebuild ?
		    LEDGER_TOUCH_REBUILD : 0);
		r->ntouched++;
	}
	return 0;
}

static int
commit_counts(struct ledger *led, struct commit_ctx *c, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_FEED_COUNTS, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, c->feed_id);
	sqlite3_bind_int64(st, 2, c->ret->nieuw);
	sqlite3_bind_int64(st, 3, c->ret->herzien);
	sqlite3_bind_int64(st, 4, c->ret->ongewijzigd);
	if (stmt_done(led, st, err, "bijwerken van de feed") == -1)
		return -1;
	return exec_simple(led, ST_VERSION_BUMP, err, "bijwerken van de versie");
}

/* SQLite evaluates the CHECK constraints with IN lists by building two
 * temporary b-trees per inserted row: a third of the backfill's CPU time.
 * The commit loop switches them off and checks each row in C (obs_valid)
 * instead. Changing the flag expires the prepared statements; they are
 * prepared again on their next use (a few per feed). */
static int
set_checks(struct ledger *led, int on, struct err *err)
{
	if (sqlite3_exec(led->db, on ? "PRAGMA ignore_check_constraints = 0" :
	    "PRAGMA ignore_check_constraints = 1", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return db_fail(led, err, "instellen van de controles");
	return 0;
}

int
ledger_commit_feed(struct ledger *led, struct ledger_feed *meta,
    const struct obs *obs, size_t n, struct ledger_commit *ret,
    struct err *err)
{
	struct commit_ctx c = { .ret = ret };
	int	began = 0;

	memset(ret, 0, sizeof(*ret));
	now_iso(c.now, sizeof(c.now));
	if (exec_simple(led, ST_BEGIN, err, "starten van de transactie") == -1)
		goto fail;
	began = 1;
	if (feed_insert(led, &c, meta, err) == -1 ||
	    set_checks(led, 0, err) == -1)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (commit_one(led, &c, &obs[i], err) == -1) {
			if (obs[i].line > 0)
				err_prefix(err, "regel %ld: ", obs[i].line);
			goto fail;
		}
	}
	if (set_checks(led, 1, err) == -1 ||
	    commit_touched(led, &c, err) == -1 ||
	    commit_counts(led, &c, err) == -1 ||
	    exec_simple(led, ST_COMMIT, err, "vastleggen") == -1)
		goto fail;
	seen_free(&c.seen);
	ret->feed_id = c.feed_id;
	meta->id = c.feed_id;
	snprintf(meta->received_at, sizeof(meta->received_at), "%s", c.now);
	meta->nieuw = ret->nieuw;
	meta->herzien = ret->herzien;
	meta->ongewijzigd = ret->ongewijzigd;
	return 0;
fail:
	/* All rows or none: nothing of this feed may remain. */
	if (began && !sqlite3_get_autocommit(led->db))
		exec_simple(led, ST_ROLLBACK, NULL, "terugdraaien");
	set_checks(led, 1, NULL);
	seen_free(&c.seen);
	ledger_commit_clear(ret);
	memset(ret, 0, sizeof(*ret));
	return -1;
}

void
ledger_commit_clear(struct ledger_commit *c)
{
	if (c == NULL)
		return;
	free(c->touched);
	free(c->touch);
	c->touched = NULL;
	c->touch = NULL;
	c->ntouched = 0;
}

long long
ledger_data_version(struct ledger *led)
{
	sqlite3_stmt *st = stmt_get(led, ST_VERSION_GET, NULL);
	long long v = -1;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

/* ---- reading observations ------------------------------------------- */

static void
obs_from_row(sqlite3_stmt *st, struct obs *o)
{
	const unsigned char *status;
	enum period_kind kind = PERIOD_MAAND;

	memset(o, 0, sizeof(*o));
	col_text(st, 0, o->gemeente, sizeof(o->gemeente));
	col_text(st, 1, o->indicator, sizeof(o->indicator));
	period_kind_parse((const char *)sqlite3_column_text(st, 2), &kind);
	o->periode = period_at(kind, sqlite3_column_int64(st, 3));
	o->waarde = col_double(st, 4);
	o->teller = col_double(st, 5);
	o->noemer = col_double(st, 6);
	status = sqlite3_column_text(st, 7);
	for (size_t i = 0; status != NULL && i < NSTATUS; i++)
		if (strcmp((const char *)status, status_names[i]) == 0)
			o->status = (enum obs_status)i;
	o->synthetisch = sqlite3_column_int(st, 8);
	col_text(st, 9, o->toelichting, sizeof(o->toelichting));
}

typedef void (*row_fn)(sqlite3_stmt *, void *);

/* Step a bound SELECT and collect every row into a malloc'd array of
 * elsize-byte elements filled by fn. The statement is reset after. */
static int
collect(struct ledger *led, sqlite3_stmt *st, size_t elsize, row_fn fn,
    void *ret, size_t *ret_n, struct err *err)
{
	char   *arr = NULL;
	size_t	n = 0, cap = 0;
	int	rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (grow(&arr, &cap, n, elsize) == -1) {
			err_set(err, "onvoldoende geheugen");
			goto fail;
		}
		fn(st, arr + n * elsize);
		n++;
	}
	if (rc != SQLITE_DONE) {
		db_fail(led, err, "lezen");
		goto fail;
	}
	sqlite3_reset(st);
	*(void **)ret = arr;
	*ret_n = n;
	return 0;
fail:
	sqlite3_reset(st);
	free(arr);
	*(void **)ret = NULL;
	*ret_n = 0;
	return -1;
}

static void
row_obs(sqlite3_stmt *st, void *dst)
{
	obs_from_row(st, dst);
}

static void
row_revision(sqlite3_stmt *st, void *dst)
{
	struct ledger_revision *r = dst;

	obs_from_row(st, &r->obs);
	r->revisie = sqlite3_column_int(st, 10);
	r->current = sqlite3_column_int(st, 11);
	r->feed_id = sqlite3_column_int64(st, 12);
	col_text(st, 13, r->recorded_at, sizeof(r->recorded_at));
}

static void
row_int(sqlite3_stmt *st, void *dst)
{
	*(int *)dst = sqlite3_column_int(st, 0);
}

static void
row_key(sqlite3_stmt *st, void *dst)
{
	struct ledger_key *k = dst;

	col_text(st, 0, k->gemeente, sizeof(k->gemeente));
	col_text(st, 1, k->indicator, sizeof(k->indicator));
}

static void
row_period(sqlite3_stmt *st, void *dst)
{
	enum period_kind kind = PERIOD_MAAND;

	period_kind_parse((const char *)sqlite3_column_text(st, 0), &kind);
	*(struct period *)dst = period_at(kind, sqlite3_column_int64(st, 1));
}

static void
row_token(sqlite3_stmt *st, void *dst)
{
	struct ledger_token *t = dst;

	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(st, 0);
	col_text(st, 1, t->naam, sizeof(t->naam));
	col_text(st, 2, t->rol, sizeof(t->rol));
	col_text(st, 3, t->gemeenten, sizeof(t->gemeenten));
	col_text(st, 4, t->hash, sizeof(t->hash));
	col_text(st, 5, t->prefix, sizeof(t->prefix));
	col_text(st, 6, t->created_at, sizeof(t->created_at));
	t->revoked = sqlite3_column_int(st, 7);
}

/* A statement bound to (gemeente, indicator) as ?1, ?2. */
static sqlite3_stmt *
stmt_series(struct ledger *led, enum stmt_id id, const char *gemeente,
    const char *indicator, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, id, err);

	if (st != NULL) {
		bind_text(st, 1, gemeente);
		bind_text(st, 2, indicator);
	}
	return st;
}

int
ledger_series(struct ledger *led, const char *gemeente,
    const char *indicator, struct obs **ret, size_t *ret_n, struct err *err)
{
	sqlite3_stmt *st = stmt_series(led, ST_SERIES, gemeente, indicator,
	    err);

	if (st == NULL)
		return -1;
	return collect(led, st, sizeof(**ret), row_obs, ret, ret_n, err);
}

int
ledger_cross_section(struct ledger *led, const char *indicator,
    const struct period *periode, struct obs **ret, size_t *ret_n,
    struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_CROSS, err);
	char	p[16];

	if (st == NULL)
		return -1;
	bind_text(st, 1, indicator);
	bind_text(st, 2, period_format(periode, p, sizeof(p)));
	return collect(led, st, sizeof(**ret), row_obs, ret, ret_n, err);
}

int
ledger_history(struct ledger *led, const char *gemeente,
    const char *indicator, const struct period *periode,
    struct ledger_revision **ret, size_t *ret_n, struct err *err)
{
	sqlite3_stmt *st = stmt_series(led, ST_HISTORY, gemeente, indicator,
	    err);
	char	p[16];

	if (st == NULL)
		return -1;
	bind_text(st, 3, periode ? period_format(periode, p, sizeof(p)) : NULL);
	return collect(led, st, sizeof(**ret), row_revision, ret, ret_n, err);
}

int
ledger_revision_counts(struct ledger *led, const char *gemeente,
    const char *indicator, int **ret, size_t *ret_n, struct err *err)
{
	sqlite3_stmt *st = stmt_series(led, ST_REVCOUNTS, gemeente, indicator,
	    err);

	if (st == NULL)
		return -1;
	return collect(led, st, sizeof(**ret), row_int, ret, ret_n, err);
}

int
ledger_keys(struct ledger *led, const char *gemeente, struct ledger_key **ret,
    size_t *ret_n, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_KEYS, err);

	if (st == NULL)
		return -1;
	bind_text(st, 1, gemeente);
	return collect(led, st, sizeof(**ret), row_key, ret, ret_n, err);
}

int
ledger_periods(struct ledger *led, const char *indicator,
    struct period **ret, size_t *ret_n, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_PERIODS, err);

	if (st == NULL)
		return -1;
	bind_text(st, 1, indicator);
	return collect(led, st, sizeof(**ret), row_period, ret, ret_n, err);
}

static void
row_change(sqlite3_stmt *st, void *dst)
{
	struct ledger_change *c = dst;
	enum period_kind kind = PERIOD_MAAND;

	memset(c, 0, sizeof(*c));
	col_text(st, 0, c->gemeente, sizeof(c->gemeente));
	col_text(st, 1, c->indicator, sizeof(c->indicator));
	period_kind_parse((const char *)sqlite3_column_text(st, 2), &kind);
	c->periode = period_at(kind, sqlite3_column_int64(st, 3));
}

int
ledger_feed_changes(struct ledger *led, long long feed_id,
    struct ledger_change **ret, size_t *ret_n, struct err *err)
{
	/* Prepared per call, not in the statement table: used once per
	 * ingest (group bands), and observation_feed makes it an index scan. */
	static const char sql[] = "SELECT gemeente, indicator, period_kind, "
	    "period_start FROM observation WHERE feed_id = ? "
	    "ORDER BY indicator, period_start, gemeente";
	sqlite3_stmt *st = NULL;
	int	rc;

	*ret = NULL;
	*ret_n = 0;
	if (sqlite3_prepare_v2(led->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(led, err, "voorbereiden");
	sqlite3_bind_int64(st, 1, feed_id);
	rc = collect(led, st, sizeof(**ret), row_change, ret, ret_n, err);
	sqlite3_finalize(st);
	return rc;
}

/* ---- pending journal ------------------------------------------------ */

int
ledger_pending(struct ledger *led, struct ledger_key **ret, size_t *ret_n,
    struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_PENDING_LIST, err);

	if (st == NULL)
		return -1;
	return collect(led, st, sizeof(**ret), row_key, ret, ret_n, err);
}

int
ledger_pending_done(struct ledger *led, const struct ledger_key *keys,
    size_t n, struct err *err)
{
	sqlite3_stmt *st;

	if (exec_simple(led, ST_BEGIN, err, "starten van de transactie") == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if ((st = stmt_series(led, ST_PENDING_DEL, keys[i].gemeente,
		    keys[i].indicator, err)) == NULL ||
		    stmt_done(led, st, err, "bijwerken van het journaal") == -1)
			goto fail;
	}
	if (exec_simple(led, ST_COMMIT, err, "vastleggen") == -1)
		goto fail;
	return 0;
fail:
	if (!sqlite3_get_autocommit(led->db))
		exec_simple(led, ST_ROLLBACK, NULL, "terugdraaien");
	return -1;
}

/* ---- tokens --------------------------------------------------------- */

int
ledger_token_add(struct ledger *led, struct ledger_token *tok,
    struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_TOKEN_ADD, err);

	if (st == NULL)
		return -1;
	now_iso(tok->created_at, sizeof(tok->created_at));
	bind_text(st, 1, tok->naam);
	bind_text(st, 2, tok->rol);
	bind_text(st, 3, tok->gemeenten);
	bind_text(st, 4, tok->hash);
	bind_text(st, 5, tok->prefix);
	bind_text(st, 6, tok->created_at);
	if (stmt_done(led, st, err, "opslaan van het token") == -1)
		return -1;
	tok->id = sqlite3_last_insert_rowid(led->db);
	tok->revoked = 0;
	return 0;
}

int
ledger_token_by_prefix(struct ledger *led, const char *prefix,
    struct ledger_token **ret, size_t *ret_n, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_TOKEN_PREFIX, err);

	if (st == NULL)
		return -1;
	bind_text(st, 1, prefix);
	return collect(led, st, sizeof(**ret), row_token, ret, ret_n, err);
}

int
ledger_token_list(struct ledger *led, struct ledger_token **ret,
    size_t *ret_n, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_TOKEN_LIST, err);

	if (st == NULL)
		return -1;
	return collect(led, st, sizeof(**ret), row_token, ret, ret_n, err);
}

int
ledger_token_revoke(struct ledger *led, long long id, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_TOKEN_REVOKE, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (stmt_done(led, st, err, "intrekken van het token") == -1)
		return -1;
	if (sqlite3_changes(led->db) == 0)
		return err_set(err, "token %lld bestaat niet", id);
	return 0;
}

int
ledger_status(struct ledger *led, struct ledger_status *ret, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_STATUS, err);
	long long *f[] = { &ret->feeds, &ret->synthetic_feeds, &ret->current,
		&ret->revisions, &ret->gemeenten, &ret->indicatoren };
	int	rc;

	memset(ret, 0, sizeof(*ret));
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (size_t i = 0; i < sizeof(f) / sizeof(*f); i++)
			*f[i] = sqlite3_column_int64(st, (int)i);
		col_text(st, 6, ret->first_period, sizeof(ret->first_period));
		col_text(st, 7, ret->last_period, sizeof(ret->last_period));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : db_fail(led, err, "status");
}

/* ---- accounts and sessions ------------------------------------------ */

static void
row_account(sqlite3_stmt *st, void *dst)
{
	struct ledger_account *a = dst;

	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(st, 0);
	col_text(st, 1, a->naam, sizeof(a->naam));
	col_text(st, 2, a->password_hash, sizeof(a->password_hash));
	col_text(st, 3, a->rol, sizeof(a->rol));
	col_text(st, 4, a->gemeenten, sizeof(a->gemeenten));
	col_text(st, 5, a->feed_hash, sizeof(a->feed_hash));
	col_text(st, 6, a->created_at, sizeof(a->created_at));
	a->disabled = sqlite3_column_int(st, 7);
}

/* Step a bound single-row SELECT: 1 with fn(row) done, 0 none, -1 error. */
static int
fetch_one(struct ledger *led, sqlite3_stmt *st, row_fn fn, void *dst,
    struct err *err)
{
	int	rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		fn(st, dst);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(led, err, "lezen");
}

int
ledger_account_add(struct ledger *led, struct ledger_account *acc,
    struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_ACCOUNT_ADD, err);

	if (st == NULL)
		return -1;
	now_iso(acc->created_at, sizeof(acc->created_at));
	bind_text(st, 1, acc->naam);
	bind_text(st, 2, acc->password_hash);
	bind_text(st, 3, acc->rol);
	bind_text(st, 4, acc->gemeenten);
	bind_text(st, 5, acc->created_at);
	if (sqlite3_step(st) != SQLITE_DONE) {
		int	ext = sqlite3_extended_errcode(led->db);

		sqlite3_reset(st);
		if (ext == SQLITE_CONSTRAINT_UNIQUE)
			return err_set(err, "account '%s' bestaat al", acc->naam);
		return db_fail(led, err, "opslaan van het account");
	}
	sqlite3_reset(st);
	acc->id = sqlite3_last_insert_rowid(led->db);
	return 0;
}

static int
account_by(struct ledger *led, enum stmt_id id, const char *key,
    struct ledger_account *ret, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, id, err);

	if (st == NULL)
		return -1;
	bind_text(st, 1, key);
	return fetch_one(led, st, row_account, ret, err);
}

int
ledger_account_by_name(struct ledger *led, const char *naam,
    struct ledger_account *ret, struct err *err)
{
	return account_by(led, ST_ACCOUNT_BY_NAME, naam, ret, err);
}

int
ledger_account_by_feed(struct ledger *led, const char *feed_hash,
    struct ledger_account *ret, struct err *err)
{
	return account_by(led, ST_ACCOUNT_BY_FEED, feed_hash, ret, err);
}

int
ledger_account_set_feed(struct ledger *led, long long id,
    const char *feed_hash, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_ACCOUNT_SET_FEED, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, feed_hash);
	return stmt_done(led, st, err, "opslaan van het feedtoken");
}

int
ledger_session_add(struct ledger *led, const char *id_hash,
    long long account_id, const char *csrf, long long expires,
    struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_SESSION_ADD, err);
	char	now[32];

	if (st == NULL)
		return -1;
	now_iso(now, sizeof(now));
	bind_text(st, 1, id_hash);
	sqlite3_bind_int64(st, 2, account_id);
	bind_text(st, 3, csrf);
	bind_text(st, 4, now);
	sqlite3_bind_int64(st, 5, expires);
	return stmt_done(led, st, err, "opslaan van de sessie");
}

struct session_row {
	struct ledger_account *acc;
	char   *csrf;
};

static void
row_session(sqlite3_stmt *st, void *dst)
{
	struct session_row *s = dst;

	row_account(st, s->acc);
	col_text(st, 8, s->csrf, 65);
}

int
ledger_session_get(struct ledger *led, const char *id_hash, long long now,
    struct ledger_account *ret_acc, char *ret_csrf, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_SESSION_GET, err);
	struct session_row row = { ret_acc, ret_csrf };

	if (st == NULL)
		return -1;
	bind_text(st, 1, id_hash);
	sqlite3_bind_int64(st, 2, now);
	return fetch_one(led, st, row_session, &row, err);
}

int
ledger_session_delete(struct ledger *led, const char *id_hash,
    long long now, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_SESSION_DEL, err);

	if (st == NULL)
		return -1;
	bind_text(st, 1, id_hash);
	sqlite3_bind_int64(st, 2, now);
	return stmt_done(led, st, err, "verwijderen van de sessie");
}

/* ---- alert rules and events ----------------------------------------- */

static void
row_rule(sqlite3_stmt *st, void *dst)
{
	struct ledger_alert_rule *r = dst;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	col_text(st, 1, r->naam, sizeof(r->naam));
	col_text(st, 2, r->soort, sizeof(r->soort));
	col_text(st, 3, r->gemeente, sizeof(r->gemeente));
	col_text(st, 4, r->indicator, sizeof(r->indicator));
	col_text(st, 5, r->groep, sizeof(r->groep));
	col_text(st, 6, r->params, sizeof(r->params));
	r->min_n = sqlite3_column_int(st, 7);
	r->enabled = sqlite3_column_int(st, 8);
	col_text(st, 9, r->eigenaar, sizeof(r->eigenaar));
	col_text(st, 10, r->created_at, sizeof(r->created_at));
}

/* "" is stored as NULL: the columns predate this code and allow it. */
static void
bind_opt(sqlite3_stmt *st, int col, const char *s)
{
	bind_text(st, col, s && *s ? s : NULL);
}

int
ledger_alert_rule_put(struct ledger *led, struct ledger_alert_rule *r,
    struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, r->id ? ST_RULE_UPDATE :
	    ST_RULE_INSERT, err);

	if (st == NULL)
		return -1;
	if (r->id == 0)
		now_iso(r->created_at, sizeof(r->created_at));
	sqlite3_bind_int64(st, 1, r->id);
	bind_text(st, 2, r->naam);
	bind_text(st, 3, r->soort);
	bind_opt(st, 4, r->gemeente);
	bind_text(st, 5, r->indicator);
	bind_opt(st, 6, r->groep);
	bind_text(st, 7, r->params[0] ? r->params : "{}");
	sqlite3_bind_int(st, 8, r->min_n);
	sqlite3_bind_int(st, 9, r->enabled);
	if (r->id == 0) {
		bind_text(st, 10, r->eigenaar);
		bind_text(st, 11, r->created_at);
	}
	if (stmt_done(led, st, err, "opslaan van de regel") == -1)
		return -1;
	if (r->id != 0 && sqlite3_changes(led->db) == 0)
		return err_set(err, "regel %lld bestaat niet", r->id);
	if (r->id == 0)
		r->id = sqlite3_last_insert_rowid(led->db);
	return 0;
}

int
ledger_alert_rule_delete(struct ledger *led, long long id, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_RULE_DELETE, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (stmt_done(led, st, err, "verwijderen van de regel") == -1)
		return -1;
	return sqlite3_changes(led->db) > 0;
}

int
ledger_alert_rule_get(struct ledger *led, long long id,
    struct ledger_alert_rule *ret, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_RULE_GET, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return fetch_one(led, st, row_rule, ret, err);
}

int
ledger_alert_rules(struct ledger *led, const char *indicator,
    int enabled_only, struct ledger_alert_rule **ret, size_t *ret_n,
    struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_RULE_LIST, err);

	if (st == NULL)
		return -1;
	bind_text(st, 1, indicator);
	sqlite3_bind_int(st, 2, enabled_only);
	return collect(led, st, sizeof(**ret), row_rule, ret, ret_n, err);
}

static void
row_event(sqlite3_stmt *st, void *dst)
{
	struct ledger_alert_event *e = dst;

	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(st, 0);
	e->rule_id = sqlite3_column_int64(st, 1);
	col_text(st, 2, e->rule_naam, sizeof(e->rule_naam));
	col_text(st, 3, e->gemeente, sizeof(e->gemeente));
	col_text(st, 4, e->indicator, sizeof(e->indicator));
	col_text(st, 5, e->periode, sizeof(e->periode));
	col_text(st, 6, e->state, sizeof(e->state));
	e->waarde = col_double(st, 7);
	col_text(st, 8, e->message, sizeof(e->message));
	col_text(st, 9, e->details, sizeof(e->details));
	col_text(st, 10, e->fired_at, sizeof(e->fired_at));
	col_text(st, 11, e->acknowledged_at, sizeof(e->acknowledged_at));
	col_text(st, 12, e->acknowledged_by, sizeof(e->acknowledged_by));
	col_text(st, 13, e->resolved_at, sizeof(e->resolved_at));
}

int
ledger_alert_events(struct ledger *led, const char *state, long long rule_id,
    size_t limit, struct ledger_alert_event **ret, size_t *ret_n,
    struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_EVENT_LIST, err);

	if (st == NULL)
		return -1;
	bind_text(st, 1, state);
	sqlite3_bind_int64(st, 2, rule_id);
	sqlite3_bind_int64(st, 3, limit ? (sqlite3_int64)limit : -1);
	return collect(led, st, sizeof(**ret), row_event, ret, ret_n, err);
}

int
ledger_alert_event_get(struct ledger *led, long long id,
    struct ledger_alert_event *ret, struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_EVENT_GET, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return fetch_one(led, st, row_event, ret, err);
}

static int
event_insert(struct ledger *led, struct ledger_alert_event *e,
    struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_EVENT_INSERT, err);

	if (st == NULL)
		return -1;
	now_iso(e->fired_at, sizeof(e->fired_at));
	snprintf(e->state, sizeof(e->state), "firing");
	sqlite3_bind_int64(st, 1, e->rule_id);
	bind_text(st, 2, e->gemeente);
	bind_text(st, 3, e->indicator);
	bind_text(st, 4, e->periode);
	bind_double(st, 5, e->waarde);
	bind_text(st, 6, e->message);
	bind_text(st, 7, e->details[0] ? e->details : "{}");
	bind_text(st, 8, e->fired_at);
	if (stmt_done(led, st, err, "opslaan van de melding") == -1)
		return -1;
	e->id = sqlite3_last_insert_rowid(led->db);
	return 0;
}

static int
event_resolve(struct ledger *led, struct ledger_alert_event *e,
    struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_EVENT_RESOLVE, err);

	if (st == NULL)
		return -1;
	now_iso(e->resolved_at, sizeof(e->resolved_at));
	snprintf(e->state, sizeof(e->state), "resolved");
	sqlite3_bind_int64(st, 1, e->id);
	bind_text(st, 2, e->resolved_at);
	return stmt_done(led, st, err, "opheffen van de melding");
}

int
ledger_alert_apply(struct ledger *led, struct ledger_alert_change *c,
    size_t n, struct err *err)
{
	if (n == 0)
		return 0;
	if (exec_simple(led, ST_BEGIN, err, "starten van de transactie") == -1)
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((c[i].resolve ? event_resolve(led, &c[i].ev, err) :
		    event_insert(led, &c[i].ev, err)) == -1)
			goto fail;
	if (exec_simple(led, ST_COMMIT, err, "vastleggen") == -1)
		goto fail;
	return 0;
fail:
	if (!sqlite3_get_autocommit(led->db))
		exec_simple(led, ST_ROLLBACK, NULL, "terugdraaien");
	return -1;
}

int
ledger_alert_ack(struct ledger *led, long long id, const char *by,
    struct err *err)
{
	sqlite3_stmt *st = stmt_get(led, ST_EVENT_ACK, err);
	char	now[32];

	if (st == NULL)
		return -1;
	now_iso(now, sizeof(now));
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, now);
	bind_text(st, 3, by);
	if (stmt_done(led, st, err, "bevestigen van de melding") == -1)
		return -1;
	return sqlite3_changes(led->db) > 0;
}

int
ledger_bulk(struct ledger *led, int on, struct err *err)
{
	const char *sql = on ? "DROP INDEX IF EXISTS observation_cross" :
	    cross_index_sql;

	if (sqlite3_exec(led->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(led, err, on ? "begin van bulkladen" :
		    "einde van bulkladen");
	return 0;
}
