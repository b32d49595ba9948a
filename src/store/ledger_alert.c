/* src/store/ledger_alert.c — the ledger's alert rules and alert events
 * (firing, acknowledged, resolved). */
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

/* ---- alert rules and events ----------------------------------------- */

static void
row_rule(sqlite3_stmt *st, void *dst)
{
	struct ledger_alert_rule *r = dst;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	ledger_col_text(st, 1, r->naam, sizeof(r->naam));
	ledger_col_text(st, 2, r->soort, sizeof(r->soort));
	ledger_col_text(st, 3, r->gemeente, sizeof(r->gemeente));
	ledger_col_text(st, 4, r->indicator, sizeof(r->indicator));
	ledger_col_text(st, 5, r->groep, sizeof(r->groep));
	ledger_col_text(st, 6, r->params, sizeof(r->params));
	r->min_n = sqlite3_column_int(st, 7);
	r->enabled = sqlite3_column_int(st, 8);
	ledger_col_text(st, 9, r->eigenaar, sizeof(r->eigenaar));
	ledger_col_text(st, 10, r->created_at, sizeof(r->created_at));
}

/* "" is stored as NULL: the columns predate this code and allow it. */
static void
bind_opt(sqlite3_stmt *st, int col, const char *s)
{
	ledger_bind_text(st, col, s && *s ? s : NULL);
}

int
ledger_alert_rule_put(struct ledger *led, struct ledger_alert_rule *r,
    struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, r->id ? ST_RULE_UPDATE :
	    ST_RULE_INSERT, err);

	if (st == NULL)
		return -1;
	if (r->id == 0)
		ledger_now_iso(r->created_at, sizeof(r->created_at));
	sqlite3_bind_int64(st, 1, r->id);
	ledger_bind_text(st, 2, r->naam);
	ledger_bind_text(st, 3, r->soort);
	bind_opt(st, 4, r->gemeente);
	ledger_bind_text(st, 5, r->indicator);
	bind_opt(st, 6, r->groep);
	ledger_bind_text(st, 7, r->params[0] ? r->params : "{}");
	sqlite3_bind_int(st, 8, r->min_n);
	sqlite3_bind_int(st, 9, r->enabled);
	if (r->id == 0) {
		ledger_bind_text(st, 10, r->eigenaar);
		ledger_bind_text(st, 11, r->created_at);
	}
	if (ledger_stmt_done(led, st, err, "opslaan van de regel") == -1)
		return -1;
	if (r->id != 0 && sqlite3_changes(led->db) == 0)
		return err_setk(err, ERR_NOT_FOUND,
		    "regel %lld bestaat niet", r->id);
	if (r->id == 0)
		r->id = sqlite3_last_insert_rowid(led->db);
	return 0;
}

int
ledger_alert_rule_delete(struct ledger *led, long long id, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_RULE_DELETE, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (ledger_stmt_done(led, st, err, "verwijderen van de regel") == -1)
		return -1;
	return sqlite3_changes(led->db) > 0;
}

int
ledger_alert_rule_get(struct ledger *led, long long id,
    struct ledger_alert_rule *ret, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_RULE_GET, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return ledger_fetch_one(led, st, row_rule, ret, err);
}

int
ledger_alert_rules(struct ledger *led, const char *indicator,
    int enabled_only, struct ledger_alert_rule **ret, size_t *ret_n,
    struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_RULE_LIST, err);

	if (st == NULL)
		return -1;
	ledger_bind_text(st, 1, indicator);
	sqlite3_bind_int(st, 2, enabled_only);
	return ledger_collect(led, st, sizeof(**ret), row_rule, ret, ret_n,
	    err);
}

/* The one table of event state words; the bit of state s in the
 * ST_EVENT_LIST filter is 1 << s (ledger.c spells them in SQL). */
static const char *const event_state_names[LEDGER_EVENT_NSTATES] = {
	[LEDGER_EVENT_FIRING] = "firing",
	[LEDGER_EVENT_ACKNOWLEDGED] = "acknowledged",
	[LEDGER_EVENT_RESOLVED] = "resolved",
};

const char *
ledger_event_state_name(enum ledger_event_state s)
{
	return (unsigned)s < LEDGER_EVENT_NSTATES ? event_state_names[s] :
	    NULL;
}

int
ledger_event_state_parse(const char *s, enum ledger_event_state *ret)
{
	for (int i = 0; s != NULL && i < LEDGER_EVENT_NSTATES; i++)
		if (strcmp(s, event_state_names[i]) == 0) {
			*ret = (enum ledger_event_state)i;
			return 0;
		}
	return -1;
}

static void
row_event(sqlite3_stmt *st, void *dst)
{
	const char *state;

	struct ledger_alert_event *e = dst;

	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(st, 0);
	e->rule_id = sqlite3_column_int64(st, 1);
	ledger_col_text(st, 2, e->rule_naam, sizeof(e->rule_naam));
	ledger_col_text(st, 3, e->gemeente, sizeof(e->gemeente));
	ledger_col_text(st, 4, e->indicator, sizeof(e->indicator));
	ledger_col_text(st, 5, e->periode, sizeof(e->periode));
	/* the schema's CHECK admits only the three words */
	state = (const char *)sqlite3_column_text(st, 6);
	if (ledger_event_state_parse(state, &e->state) == -1)
		e->state = LEDGER_EVENT_RESOLVED;
	e->waarde = ledger_col_double(st, 7);
	ledger_col_text(st, 8, e->message, sizeof(e->message));
	ledger_col_text(st, 9, e->details, sizeof(e->details));
	ledger_col_text(st, 10, e->fired_at, sizeof(e->fired_at));
	ledger_col_text(st, 11, e->acknowledged_at, sizeof(e->acknowledged_at));
	ledger_col_text(st, 12, e->acknowledged_by, sizeof(e->acknowledged_by));
	ledger_col_text(st, 13, e->resolved_at, sizeof(e->resolved_at));
}

int
ledger_alert_events(struct ledger *led, unsigned states, long long rule_id,
    size_t limit, struct ledger_alert_event **ret, size_t *ret_n,
    struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_EVENT_LIST, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, states);
	sqlite3_bind_int64(st, 2, rule_id);
	sqlite3_bind_int64(st, 3, limit ? (sqlite3_int64)limit : -1);
	return ledger_collect(led, st, sizeof(**ret), row_event, ret, ret_n,
	    err);
}

int
ledger_alert_event_get(struct ledger *led, long long id,
    struct ledger_alert_event *ret, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_EVENT_GET, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return ledger_fetch_one(led, st, row_event, ret, err);
}

static int
event_insert(struct ledger *led, struct ledger_alert_event *e,
    struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_EVENT_INSERT, err);

	if (st == NULL)
		return -1;
	ledger_now_iso(e->fired_at, sizeof(e->fired_at));
	e->state = LEDGER_EVENT_FIRING;
	sqlite3_bind_int64(st, 1, e->rule_id);
	ledger_bind_text(st, 2, e->gemeente);
	ledger_bind_text(st, 3, e->indicator);
	ledger_bind_text(st, 4, e->periode);
	ledger_bind_double(st, 5, e->waarde);
	ledger_bind_text(st, 6, e->message);
	ledger_bind_text(st, 7, e->details[0] ? e->details : "{}");
	ledger_bind_text(st, 8, e->fired_at);
	if (ledger_stmt_done(led, st, err, "opslaan van de melding") == -1)
		return -1;
	e->id = sqlite3_last_insert_rowid(led->db);
	return 0;
}

static int
event_resolve(struct ledger *led, struct ledger_alert_event *e,
    struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_EVENT_RESOLVE, err);

	if (st == NULL)
		return -1;
	ledger_now_iso(e->resolved_at, sizeof(e->resolved_at));
	e->state = LEDGER_EVENT_RESOLVED;
	sqlite3_bind_int64(st, 1, e->id);
	ledger_bind_text(st, 2, e->resolved_at);
	return ledger_stmt_done(led, st, err, "opheffen van de melding");
}

int
ledger_alert_apply(struct ledger *led, struct ledger_alert_change *c,
    size_t n, struct err *err)
{
	if (n == 0)
		return 0;
	if (ledger_exec(led, ST_BEGIN, err, "starten van de transactie") == -1)
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((c[i].resolve ? event_resolve(led, &c[i].ev, err) :
		    event_insert(led, &c[i].ev, err)) == -1)
			goto fail;
	if (ledger_exec(led, ST_COMMIT, err, "vastleggen") == -1)
		goto fail;
	return 0;
fail:
	ledger_rollback(led);
	return -1;
}

int
ledger_alert_ack(struct ledger *led, long long id, const char *by,
    struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_EVENT_ACK, err);
	char	now[32];

	if (st == NULL)
		return -1;
	ledger_now_iso(now, sizeof(now));
	sqlite3_bind_int64(st, 1, id);
	ledger_bind_text(st, 2, now);
	ledger_bind_text(st, 3, by);
	if (ledger_stmt_done(led, st, err, "bevestigen van de melding") == -1)
		return -1;
	return sqlite3_changes(led->db) > 0;
}
