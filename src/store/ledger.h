/* src/store/ledger.h — the ledger: SQLite (the only module that includes
 * <sqlite3.h>), the source of truth (design §3). Append-only observations
 * with revisions, feeds with their reports, tokens, annotations, and the
 * journal of series whose RRD file still has to be brought up to date.
 *
 * Threads: a struct ledger is one connection and must be used by one thread
 * at a time. The daemon opens one writer and one reader per thread. WAL mode
 * lets readers run beside the writer. Functions return 0 or -1 (err set)
 * unless stated otherwise. */
#ifndef LEDGER_H
#define LEDGER_H

#include <stddef.h>

#include "base/auth.h"
#include "base/err.h"
#include "input/validate.h"

struct ledger;

struct ledger_feed {
	long long id;
	char	sha256[65];
	char	naam[256];		/* file name as delivered */
	char	leverancier[64];	/* token name or "basisctl" */
	char	received_at[32];	/* ISO 8601 UTC */
	char	status[16];		/* "geaccepteerd" or "gedeeltelijk" */
	long	rows, ok, errors, nieuw, herzien, ongewijzigd;
	int	synthetisch;
	long long token_id;		/* the token that sent it; 0 = basisctl */
	char   *report_json;		/* malloc'd; free with ledger_feed_clear */
	/* ledger_commit_feed only, optional: called inside the commit's
	 * transaction once id, received_at and the counts are set in meta;
	 * the JSON it returns (malloc'd; NULL keeps report_json) is stored
	 * as the report in that same transaction, so no crash can leave a
	 * committed feed whose report lacks them ("levering": 0). */
	char   *(*final_report)(void *arg, const struct ledger_feed *meta);
	void   *final_report_arg;
};

struct ledger_key {
	char	gemeente[8];
	char	indicator[64];
};

struct ledger_commit {
	long long feed_id;
	long	nieuw, herzien, ongewijzigd;
	struct ledger_key *touched;	/* series with new or revised values */
	size_t	ntouched;
	int	needs_rebuild_any;	/* some touched series got a revision or a late period */
	unsigned char *touch;	/* parallel to touched: LEDGER_TOUCH_* bits */
};

/* How a touched series changed, so its RRD file is brought up to date the
 * cheapest correct way. */
enum {
	LEDGER_TOUCH_FRESH = 1,		/* no values before this feed: the
					 * feed's rows are the whole series */
	LEDGER_TOUCH_REBUILD = 2,	/* a revision or a late period: the
					 * file must be rebuilt from the ledger */
};

struct ledger_revision {
	struct obs obs;
	int	revisie;		/* 1, 2, … */
	int	current;
	long long feed_id;
	char	recorded_at[32];
	int	ingetrokken;		/* this revision withdrew the value */
};

enum { LEDGER_READONLY = 1 };

/* Open or create path (schema migrated via PRAGMA user_version), WAL,
 * busy_timeout. flags: LEDGER_READONLY. */
struct ledger *ledger_open(const char *path, int flags, struct err *err);
void	ledger_close(struct ledger *led);	/* NULL is a no-op */
/* 0 when reachable (SELECT 1). */
int	ledger_ping(struct ledger *led);

/* Feed with this content hash: 1 found (ret filled), 0 not found, -1 error. */
int	ledger_feed_by_sha(struct ledger *led, const char *sha256,
	    struct ledger_feed *ret, struct err *err);
int	ledger_feed_get(struct ledger *led, long long id, struct ledger_feed *ret,
	    struct err *err);	/* 1 found, 0 not found, -1 error */
void	ledger_feed_clear(struct ledger_feed *f);

/* A refused feed (afgekeurd: problems; geweigerd: rows outside the
 * sender's scope), kept with its report so beheer can see what came in
 * and why it was not stored (store/ledger_reject.c). */
struct ledger_rejected {
	long long id;
	char	sha256[65];
	char	naam[256];
	char	leverancier[64];
	long long token_id;
	char	client[64];		/* the sender's address; "" = basisctl */
	char	received_at[32];
	char	status[16];		/* "afgekeurd" or "geweigerd" */
	long	rows, errors;
	char   *report_json;		/* malloc'd */
};
/* Insert r (fills r->id and r->received_at). */
int	ledger_rejected_add(struct ledger *led, struct ledger_rejected *r,
	    struct err *err);
/* The newest limit refused feeds (only the one with id when id > 0),
 * newest first; *ret malloc'd, free with ledger_rejected_free. */
int	ledger_rejected_list(struct ledger *led, long long id, size_t limit,
	    struct ledger_rejected **ret, size_t *ret_n, struct err *err);
void	ledger_rejected_free(struct ledger_rejected *r, size_t n);

/* In one transaction with synchronous=FULL: insert the feed row (meta: id,
 * received_at and the counts nieuw/herzien/ongewijzigd are filled in),
 * every observation (a new key gets revisie 1; a changed value or status for
 * an existing key a new revisie that becomes current; an identical value is
 * counted ongewijzigd and not stored again), and every touched series into
 * the pending journal. Returns after COMMIT: only then is the feed durable.
 * ret->touched and ret->touch are malloc'd: free with ledger_commit_clear. */
int	ledger_commit_feed(struct ledger *led, struct ledger_feed *meta,
	    const struct obs *obs, size_t n, struct ledger_commit *ret,
	    struct err *err);
void	ledger_commit_clear(struct ledger_commit *c);
/* Replace the stored report of a feed (e.g. to add its id). */
int	ledger_feed_set_report(struct ledger *led, long long id,
	    const char *report_json, struct err *err);

/* Current values of one series ordered by period; *ret malloc'd. */
int	ledger_series(struct ledger *led, const char *gemeente,
	    const char *indicator, struct obs **ret, size_t *ret_n,
	    struct err *err);
/* Current values of one indicator for every gemeente in one period. */
int	ledger_cross_section(struct ledger *led, const char *indicator,
	    const struct period *periode, struct obs **ret, size_t *ret_n,
	    struct err *err);
/* Every revision of a series (or of one period when periode != NULL),
 * ordered by period, then revisie. */
/* Current values of indicator in every period of a year, all gemeenten,
 * sorted by gemeente and period. */
int	ledger_year(struct ledger *led, const char *indicator, int year,
	    struct obs **ret, size_t *ret_n, struct err *err);
/* 1 when a feed after since_feed revised indicator in year (0: not, -1:
 * error); the newest feed id (0: none, -1: error). Together they tell a
 * memo whether what it computed for a year still holds. */
int	ledger_year_changed(struct ledger *led, const char *indicator, int year,
	    long long since_feed);
long long ledger_feed_max(struct ledger *led);
int	ledger_history(struct ledger *led, const char *gemeente,
	    const char *indicator, const struct period *periode,
	    struct ledger_revision **ret, size_t *ret_n, struct err *err);
/* Withdraw the current value of (gemeente, indicator, periode): one
 * transaction writes a feed row for the act (naam, leverancier from meta)
 * and a revision marked ingetrokken that repeats the withdrawn values
 * with toelichting, retires the current one and journals the series
 * (pending; ret->touched has it with LEDGER_TOUCH_REBUILD). Returns 1
 * done, 0 when the key has no current value (nothing written), -1 on
 * error. */
int	ledger_withdraw(struct ledger *led, struct ledger_feed *meta,
	    const char *gemeente, const char *indicator,
	    const struct period *periode, const char *toelichting,
	    struct ledger_commit *ret, struct err *err);
/* Revision counts per period for a series, parallel to ledger_series. */
int	ledger_revision_counts(struct ledger *led, const char *gemeente,
	    const char *indicator, int **ret, size_t *ret_n, struct err *err);
/* Every (gemeente, indicator) with data; gemeente NULL = all. */
int	ledger_keys(struct ledger *led, const char *gemeente,
	    struct ledger_key **ret, size_t *ret_n, struct err *err);
/* A current value of indicator stored with a ZRM version other than
 * versie (and not ""): 1 with it in ret (8 bytes), 0 none, -1 error. */
int	ledger_other_versie(struct ledger *led, const char *indicator,
	    const char *versie, char *ret, size_t size, struct err *err);
/* A series a feed changed, and the year of the period it changed. */
struct ledger_year_change {
	char	gemeente[8];
	char	indicator[64];
	int	year;
	long long feed_id;	/* the last feed that changed it */
};

/* Every (series, year) with a revision or withdrawal by a feed after
 * since_feed; free *ret. */
int	ledger_changes(struct ledger *led, long long since_feed,
	    struct ledger_year_change **ret, size_t *ret_n, struct err *err);
/* A read transaction: the reads until ledger_read_end see one state of
 * the ledger (WAL snapshot), whatever commits meanwhile. Not on a
 * connection inside a transaction. */
int	ledger_read_begin(struct ledger *led, struct err *err);
void	ledger_read_end(struct ledger *led);
/* Periods present for an indicator (distinct, ordered). */
int	ledger_periods(struct ledger *led, const char *indicator,
	    struct period **ret, size_t *ret_n, struct err *err);
/* What one feed changed: the key of every value it stored (new or revised;
 * an unchanged value is not stored again), ordered by indicator, period,
 * gemeente. *ret malloc'd. For the group bands after an ingest. */
struct ledger_change {
	char	gemeente[8];
	char	indicator[64];
	struct period periode;
};
int	ledger_feed_changes(struct ledger *led, long long feed_id,
	    struct ledger_change **ret, size_t *ret_n, struct err *err);
/* A number that changes whenever any observation is committed. */
long long ledger_data_version(struct ledger *led);

/* The pending journal: series committed to the ledger whose RRD file may
 * not reflect it yet (a crash between commit and RRD update). */
int	ledger_pending(struct ledger *led, struct ledger_key **ret,
	    size_t *ret_n, struct err *err);
int	ledger_pending_done(struct ledger *led, const struct ledger_key *keys,
	    size_t n, struct err *err);

/* Tokens (design §9): only the libsodium hash is stored. */
struct ledger_token {
	long long id;
	char	naam[64];
	enum auth_role rol;	/* stored as its name (auth_role_name) */
	char	gemeenten[512];		/* space-separated codes; "" = all */
	char	hash[128];		/* crypto_pwhash_str or sha256 hex */
	char	prefix[16];		/* first characters of the token, to find it */
	char	created_at[32];
	int	revoked;
};
int	ledger_token_add(struct ledger *led, struct ledger_token *tok,
	    struct err *err);	/* fills tok->id, created_at */
/* Tokens whose prefix matches (not revoked ones too: caller checks). */
int	ledger_token_by_prefix(struct ledger *led, const char *prefix,
	    struct ledger_token **ret, size_t *ret_n, struct err *err);
int	ledger_token_list(struct ledger *led, struct ledger_token **ret,
	    size_t *ret_n, struct err *err);
int	ledger_token_revoke(struct ledger *led, long long id, struct err *err);

/* Bulk loading (a backfill of many feeds): on = 1 drops the cross-section
 * index so each feed's commit writes few pages; on = 0 builds it again
 * (also done by every writer's ledger_open, so a load cut short heals).
 * Cross-sections stay correct in between, only slower. */
int	ledger_bulk(struct ledger *led, int on, struct err *err);

/* What the ledger holds, for `basisctl status` and /metrics. */
struct ledger_status {
	long long feeds, synthetic_feeds;
	long long current, revisions;	/* current values; all revisions */
	long long gemeenten, indicatoren;
	char	first_period[16], last_period[16];	/* monthly range, "" if none */
};
int	ledger_status(struct ledger *led, struct ledger_status *ret,
	    struct err *err);
/* When the newest stored feed arrived (Unix seconds), 0 when none or on
 * error: the start value of the "last successful ingest" metric. */
long long ledger_last_feed_time(struct ledger *led);

/* ---- accounts and sessions (dashboard sign-in, design §9) ---- */

struct ledger_account {
	long long id;
	char	naam[64];
	char	password_hash[128];	/* crypto_pwhash_str */
	enum auth_role rol;	/* manager or beheer */
	char	gemeenten[512];		/* space-separated codes; "" = all */
	char	feed_hash[65];		/* sha256 hex of the Atom feed token; "" = none */
	char	created_at[32];
	int	disabled;
};
/* Insert (fills id, created_at); a name that exists is an error. */
int	ledger_account_add(struct ledger *led, struct ledger_account *acc,
	    struct err *err);
/* By name or by feed-token hash: 1 found, 0 not found, -1 error. */
int	ledger_account_by_name(struct ledger *led, const char *naam,
	    struct ledger_account *ret, struct err *err);
int	ledger_account_by_feed(struct ledger *led, const char *feed_hash,
	    struct ledger_account *ret, struct err *err);
int	ledger_account_set_feed(struct ledger *led, long long id,
	    const char *feed_hash, struct err *err);

/* Sessions: only the sha256 of the cookie value is stored. expires is
 * seconds since the epoch. */
int	ledger_session_add(struct ledger *led, const char *id_hash,
	    long long account_id, const char *csrf, long long expires,
	    struct err *err);
/* The account and CSRF token of an unexpired session: 1 found, 0 not
 * found (or expired, or account disabled), -1 error. csrf holds 65 bytes. */
int	ledger_session_get(struct ledger *led, const char *id_hash,
	    long long now, struct ledger_account *ret_acc, char *ret_csrf,
	    struct err *err);
/* Delete one session, and every expired one. */
int	ledger_session_delete(struct ledger *led, const char *id_hash,
	    long long now, struct err *err);

/* ---- alert rules and events (design §8); alert.c gives them meaning ---- */

struct ledger_alert_rule {
	long long id;
	char	naam[128];
	char	soort[32];
	char	gemeente[8];		/* "" = every member of groep */
	char	indicator[64];
	char	groep[64];		/* "" = none */
	char	params[1024];		/* JSON object */
	int	min_n;
	int	enabled;
	char	eigenaar[64];		/* account or token name */
	char	created_at[32];
};
/* Insert (id == 0; fills id, created_at) or replace (id > 0). Replace of a
 * missing id: err set, returns -1. */
int	ledger_alert_rule_put(struct ledger *led, struct ledger_alert_rule *r,
	    struct err *err);
/* 1 deleted, 0 not found, -1 error. Its events go with it. */
int	ledger_alert_rule_delete(struct ledger *led, long long id,
	    struct err *err);
/* 1 found, 0 not found, -1 error. */
int	ledger_alert_rule_get(struct ledger *led, long long id,
	    struct ledger_alert_rule *ret, struct err *err);
/* Rules ordered by id; indicator NULL = all; enabled_only skips disabled. */
int	ledger_alert_rules(struct ledger *led, const char *indicator,
	    int enabled_only, struct ledger_alert_rule **ret, size_t *ret_n,
	    struct err *err);

/* The state of an alert event, as the ledger keeps it (CHECK constraint:
 * 'firing', 'acknowledged', 'resolved'): typed at the boundary, the words
 * live in one table in ledger_alert.c. */
enum ledger_event_state {
	LEDGER_EVENT_FIRING, LEDGER_EVENT_ACKNOWLEDGED, LEDGER_EVENT_RESOLVED,
	LEDGER_EVENT_NSTATES
};
/* Filters of ledger_alert_events: a set of states as bits. */
#define LEDGER_EVENTS_ANY	0u	/* every state */
#define LEDGER_EVENTS_OF(s)	(1u << (s))
#define LEDGER_EVENTS_OPEN	(LEDGER_EVENTS_OF(LEDGER_EVENT_FIRING) | \
	LEDGER_EVENTS_OF(LEDGER_EVENT_ACKNOWLEDGED))

/* "firing", "acknowledged", "resolved" (the ledger's and the API's
 * words), NULL when out of range; parse returns 0 or -1. */
const char *ledger_event_state_name(enum ledger_event_state s);
int	ledger_event_state_parse(const char *s, enum ledger_event_state *ret);

struct ledger_alert_event {
	long long id, rule_id;
	char	rule_naam[128];		/* read only */
	char	gemeente[8];
	char	indicator[64];
	char	periode[16];
	enum ledger_event_state state;
	double	waarde;			/* NaN = none */
	char	message[512];		/* Dutch sentence */
	char	details[1024];		/* JSON: the numbers that caused it */
	char	fired_at[32], acknowledged_at[32], acknowledged_by[64];
	char	resolved_at[32];
};
/* Events ordered by id descending; states a set of LEDGER_EVENTS_OF bits
 * (LEDGER_EVENTS_ANY, LEDGER_EVENTS_OPEN); rule_id 0 = any; at most limit
 * (0 = no limit). */
int	ledger_alert_events(struct ledger *led, unsigned states,
	    long long rule_id, size_t limit, struct ledger_alert_event **ret,
	    size_t *ret_n, struct err *err);
int	ledger_alert_event_get(struct ledger *led, long long id,
	    struct ledger_alert_event *ret, struct err *err);	/* 1/0/-1 */

/* One state change decided by alert.c: insert a new firing event (id 0;
 * filled in), or resolve the open event id. */
struct ledger_alert_change {
	int	resolve;
	struct ledger_alert_event ev;
};
/* Apply every change in one transaction. */
int	ledger_alert_apply(struct ledger *led, struct ledger_alert_change *c,
	    size_t n, struct err *err);
/* firing -> acknowledged by `by`. 1 done, 0 not found or not firing. */
int	ledger_alert_ack(struct ledger *led, long long id, const char *by,
	    struct err *err);

#endif /* LEDGER_H */
