/* src/store/ledger.c — the ledger on SQLite (design §3): the source of truth that
 * ingest commits into and that rebuild, verify, compare and the API read.
 * This file holds the connection: schema and migrations, the statement table
 * and the helpers the other ledger_*.c files share (store/ledger_db.h).
 * Only the ledger files include <sqlite3.h>. */
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
#include "store/ledger_db.h"

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
	/* 2 -> 3: withdrawal (issue 13): a revision that repeats the values
	 * it withdraws, marked ingetrokken and never current, so the key has
	 * no current value while its history keeps what was withdrawn. */
	"ALTER TABLE observation ADD COLUMN ingetrokken INTEGER NOT NULL "
	"  DEFAULT 0 CHECK (ingetrokken IN (0, 1));",
	/* 3 -> 4: issue 16: a feed belongs to the token that sent it (names
	 * are neither unique nor required), and a refused feed is kept with
	 * its report (afgekeurd or geweigerd) for beheer to look into. */
	"ALTER TABLE feed ADD COLUMN token_id INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX feed_token ON feed (token_id);"
	"CREATE TABLE feed_rejected ("
	"  id INTEGER PRIMARY KEY,"
	"  sha256 TEXT NOT NULL,"
	"  naam TEXT NOT NULL,"
	"  leverancier TEXT NOT NULL,"
	"  token_id INTEGER NOT NULL DEFAULT 0,"
	"  client TEXT NOT NULL DEFAULT '',"
	"  received_at TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  rows_total INTEGER NOT NULL DEFAULT 0,"
	"  rows_error INTEGER NOT NULL DEFAULT 0,"
	"  report TEXT NOT NULL"
	");",
	/* 4 -> 5: issue 11: the ZRM version of a ZRM score ("2017"), kept
	 * with the value; '' for other indicators and for values stored
	 * before (the catalogue then already took ZRM 2017 only, unchecked). */
	"ALTER TABLE observation ADD COLUMN versie TEXT NOT NULL DEFAULT '';",
};
#define LEDGER_SCHEMA_VERSION \
	((int)(sizeof(migrations) / sizeof(*migrations)))

#define FEED_COLS \
	"id, sha256, naam, leverancier, received_at, status, rows_total, " \
	"rows_ok, rows_error, nieuw, herzien, ongewijzigd, synthetisch, report, " \
	"token_id"
#define OBS_COLS \
	"gemeente, indicator, period_kind, period_start, waarde, teller, " \
	"noemer, status, synthetisch, toelichting, versie"
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
	    "report, token_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	    "?11)",
	[ST_FEED_COUNTS] = "UPDATE feed SET nieuw = ?2, herzien = ?3, "
	    "ongewijzigd = ?4 WHERE id = ?1",
	[ST_FEED_BY_SHA] = "SELECT " FEED_COLS " FROM feed WHERE sha256 = ?1",
	[ST_FEED_BY_ID] = "SELECT " FEED_COLS " FROM feed WHERE id = ?1",
	[ST_FEED_REPORT] = "UPDATE feed SET report = ?2 WHERE id = ?1",
	/* The current revision is always the highest: walk the primary key
	 * backwards instead of filtering on current. */
	[ST_OBS_CURRENT] = "SELECT revisie, waarde, teller, noemer, status, "
	    "rowid, ingetrokken, versie "
	    "FROM observation WHERE gemeente = ?1 AND indicator = ?2 "
	    "AND periode = ?3 ORDER BY revisie DESC LIMIT 1",
	[ST_OBS_RETIRE] = "UPDATE observation SET current = 0 "
	    "WHERE rowid = ?1",
	[ST_OBS_INSERT] = "INSERT INTO observation (gemeente, indicator, "
	    "periode, period_kind, period_start, waarde, teller, noemer, "
	    "status, synthetisch, toelichting, feed_id, revisie, current, "
	    "recorded_at, versie) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	    "?10, ?11, ?12, ?13, 1, ?14, ?15)",
	/* Walks the key index backwards to the newest row, current or not:
	 * a series whose values were all withdrawn still has revisions. */
	[ST_SERIES_LATEST] = "SELECT period_start FROM observation "
	    "WHERE gemeente = ?1 AND indicator = ?2 "
	    "ORDER BY periode DESC LIMIT 1",
	[ST_OBS_CURRENT_ROW] = "SELECT rowid FROM observation "
	    "WHERE gemeente = ?1 AND indicator = ?2 AND periode = ?3 "
	    "AND current = 1",
	[ST_OBS_WITHDRAW] = "INSERT INTO observation (gemeente, indicator, "
	    "periode, period_kind, period_start, waarde, teller, noemer, "
	    "status, synthetisch, toelichting, feed_id, revisie, current, "
	    "recorded_at, ingetrokken, versie) SELECT gemeente, indicator, "
	    "periode, period_kind, period_start, waarde, teller, noemer, "
	    "status, synthetisch, ?2, ?3, revisie + 1, 0, ?4, 1, versie "
	    "FROM observation WHERE rowid = ?1",
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
	/* every period text of a year starts with it and sorts before
	 * the next year's ("2024-03", "2024-Q1", "2024-H2", "2024") */
	[ST_YEAR] = "SELECT " OBS_COLS " FROM observation WHERE "
	    "indicator = ?1 AND periode >= ?2 AND periode < ?3 AND "
	    "current = 1 ORDER BY gemeente, periode",
	/* any revision (a withdrawal too) of indicator in the year since a
	 * feed: through the feed index, cheap when few feeds came since */
	[ST_YEAR_SINCE] = "SELECT 1 FROM observation WHERE feed_id > ?3 AND "
	    "indicator = ?1 AND substr(periode, 1, 4) = ?2 LIMIT 1",
	[ST_FEED_MAX] = "SELECT coalesce(max(id), 0) FROM feed",
	[ST_HISTORY] = "SELECT " OBS_COLS ", revisie, current, feed_id, "
	    "recorded_at, ingetrokken FROM observation WHERE gemeente = ?1 "
	    "AND indicator = ?2 AND (?3 IS NULL OR periode = ?3) "
	    "ORDER BY periode, revisie",
	[ST_REVCOUNTS] = "SELECT count(*) FROM observation WHERE "
	    "gemeente = ?1 AND indicator = ?2 GROUP BY periode "
	    "ORDER BY periode",
	[ST_KEYS] = "SELECT DISTINCT gemeente, indicator FROM observation "
	    "WHERE (?1 IS NULL OR gemeente = ?1) ORDER BY gemeente, indicator",
	/* What feeds after ?1 changed: through observation_feed, cheap when
	 * few came since (every revision and withdrawal carries its feed).
	 * Named, as the planner otherwise scans observation_key for the
	 * GROUP BY: 263 ms instead of 0,24 ms on the national demo. */
	[ST_CHANGES] = "SELECT gemeente, indicator, substr(periode, 1, 4), "
	    "max(feed_id) FROM observation INDEXED BY observation_feed "
	    "WHERE feed_id > ?1 GROUP BY 1, 2, 3",
	[ST_READ_BEGIN] = "BEGIN",
	/* From one period to the next through observation_cross, a seek
	 * each: a DISTINCT over the rows read every current value of the
	 * indicator (40 000 in a national monthly series, 33 ms; this
	 * 0,7 ms). The caller orders them by time. */
	[ST_PERIODS] = "WITH RECURSIVE p(x) AS (SELECT min(periode) FROM "
	    "observation WHERE indicator = ?1 AND current = 1 UNION ALL "
	    "SELECT (SELECT min(periode) FROM observation WHERE indicator = "
	    "?1 AND current = 1 AND periode > p.x) FROM p WHERE p.x IS NOT "
	    "NULL) SELECT x FROM p WHERE x IS NOT NULL",
	/* observation_cross (indicator first, current rows) serves it */
	[ST_OTHER_VERSIE] = "SELECT versie FROM observation WHERE "
	    "indicator = ?1 AND current = 1 AND versie <> '' AND versie <> ?2 "
	    "LIMIT 1",
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
	[ST_LAST_FEED] = "SELECT CAST(strftime('%s', max(received_at)) AS "
	    "INTEGER) FROM feed",
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
	    "(?1 = 0 OR (e.state = 'firing' AND ?1 & 1) OR (e.state = "
	    "'acknowledged' AND ?1 & 2) OR (e.state = 'resolved' AND ?1 & 4)) "
	    "AND (?2 = 0 OR e.rule_id = ?2) ORDER BY e.id DESC LIMIT ?3",
	[ST_EVENT_GET] = "SELECT " EVENT_COLS EVENT_FROM "WHERE e.id = ?1",
	[ST_EVENT_INSERT] = "INSERT INTO alert_event (rule_id, gemeente, "
	    "indicator, periode, state, waarde, message, details, fired_at) "
	    "VALUES (?1, ?2, ?3, ?4, 'firing', ?5, ?6, ?7, ?8)",
	[ST_EVENT_RESOLVE] = "UPDATE alert_event SET state = 'resolved', "
	    "resolved_at = ?2 WHERE id = ?1 AND state <> 'resolved'",
	[ST_EVENT_ACK] = "UPDATE alert_event SET state = 'acknowledged', "
	    "acknowledged_at = ?2, acknowledged_by = ?3 "
	    "WHERE id = ?1 AND state = 'firing'",
	[ST_REJECT_INSERT] = "INSERT INTO feed_rejected (sha256, naam, "
	    "leverancier, token_id, client, received_at, status, rows_total, "
	    "rows_error, report) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	    "?10)",
	[ST_REJECT_LIST] = "SELECT id, sha256, naam, leverancier, token_id, "
	    "client, received_at, status, rows_total, rows_error, report "
	    "FROM feed_rejected WHERE (?2 = 0 OR id = ?2) "
	    "ORDER BY id DESC LIMIT ?1",
};

int
ledger_db_fail(struct ledger *led, struct err *err, const char *what)
{
	return err_set(err, "databasefout bij %s: %s", what,
	    sqlite3_errmsg(led->db));
}

/* The cached statement, reset and unbound; NULL (err set) on failure. */
sqlite3_stmt *
ledger_stmt(struct ledger *led, enum stmt_id id, struct err *err)
{
	sqlite3_stmt *st = led->stmt[id];

	if (st != NULL) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	if (sqlite3_prepare_v3(led->db, stmt_sql[id], -1,
	    SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		ledger_db_fail(led, err, "voorbereiden");
		return NULL;
	}
	led->stmt[id] = st;
	return st;
}

/* Run a statement that returns no rows; the statement is reset after. */
int
ledger_stmt_done(struct ledger *led, sqlite3_stmt *st, struct err *err,
    const char *what)
{
	int	rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return ledger_db_fail(led, err, what);
	return 0;
}

int
ledger_exec(struct ledger *led, enum stmt_id id, struct err *err,
    const char *what)
{
	sqlite3_stmt *st = ledger_stmt(led, id, err);

	if (st == NULL)
		return -1;
	return ledger_stmt_done(led, st, err, what);
}

void
ledger_rollback(struct ledger *led)
{
	if (!sqlite3_get_autocommit(led->db))
		ledger_exec(led, ST_ROLLBACK, NULL, "terugdraaien");
}

void
ledger_bind_text(sqlite3_stmt *st, int col, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC);
}

/* NaN means "not delivered": stored as NULL. */
void
ledger_bind_double(sqlite3_stmt *st, int col, double v)
{
	if (isnan(v))
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_double(st, col, v);
}

double
ledger_col_double(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NAN;
	return sqlite3_column_double(st, col);
}

void
ledger_col_text(sqlite3_stmt *st, int col, char *buf, size_t size)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	snprintf(buf, size, "%s", s ? (const char *)s : "");
}

void
ledger_now_iso(char *buf, size_t size)
{
	time_t	t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Make room for one more element in a malloc'd array. */
int
ledger_grow(void *pp, size_t *cap, size_t n, size_t elsize)
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
		ledger_db_fail(led, err, "lezen van de schemaversie");
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
			return ledger_db_fail(led, err, "schema-migratie");
		if (sqlite3_exec(led->db, migrations[v], NULL, NULL,
		    NULL) != SQLITE_OK ||
		    sqlite3_exec(led->db, sql, NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(led->db, "COMMIT", NULL, NULL, NULL) !=
		    SQLITE_OK) {
			ledger_db_fail(led, err, "schema-migratie");
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
		ledger_db_fail(led, err, "instellen van de verbinding");
		goto fail;
	}
	if ((led->readonly ? check_version(led, err) : migrate(led, err)) == -1)
		goto fail;
	if (!led->readonly && sqlite3_exec(led->db, cross_index_sql, NULL, NULL,
	    NULL) != SQLITE_OK) {
		ledger_db_fail(led, err, "herstellen van de doorsnede-index");
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
	return ledger_exec(led, ST_PING, NULL, "ping");
}

long long
ledger_data_version(struct ledger *led)
{
	return ledger_scalar(led, ST_VERSION_GET);
}

long long
ledger_scalar(struct ledger *led, enum stmt_id id)
{
	sqlite3_stmt *st = ledger_stmt(led, id, NULL);
	long long v = -1;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

/* Step a bound SELECT and ledger_collect every row into a malloc'd array of
 * elsize-byte elements filled by fn. The statement is reset after. */
int
ledger_collect(struct ledger *led, sqlite3_stmt *st, size_t elsize,
    ledger_row_fn fn,
    void *ret, size_t *ret_n, struct err *err)
{
	char   *arr = NULL;
	size_t	n = 0, cap = 0;
	int	rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ledger_grow(&arr, &cap, n, elsize) == -1) {
			err_set(err, "onvoldoende geheugen");
			goto fail;
		}
		fn(st, arr + n * elsize);
		n++;
	}
	if (rc != SQLITE_DONE) {
		ledger_db_fail(led, err, "lezen");
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

/* Step a bound single-row SELECT: 1 with fn(row) done, 0 none, -1 error. */
int
ledger_fetch_one(struct ledger *led, sqlite3_stmt *st, ledger_row_fn fn,
    void *dst,
    struct err *err)
{
	int	rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		fn(st, dst);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(led, err, "lezen");
}

int
ledger_bulk(struct ledger *led, int on, struct err *err)
{
	const char *sql = on ? "DROP INDEX IF EXISTS observation_cross" :
	    cross_index_sql;

	if (sqlite3_exec(led->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return ledger_db_fail(led, err, on ? "begin van bulkladen" :
		    "einde van bulkladen");
	return 0;
}
