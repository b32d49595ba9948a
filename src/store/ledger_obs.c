/* src/store/ledger_obs.c — the ledger's observations: feeds, committing a
 * feed (revisions, the touched-series journal), reading series and
 * cross-sections, the pending journal and the status counts. */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "store/ledger.h"
#include "store/ledger_db.h"

/* Status is stored as its name (validate's one table) so the database
 * reads well in the sqlite3 shell and can move to PostgreSQL. */

/* ---- feeds ---------------------------------------------------------- */

static int
feed_from_row(sqlite3_stmt *st, struct ledger_feed *f)
{
	const unsigned char *rep;

	memset(f, 0, sizeof(*f));
	f->id = sqlite3_column_int64(st, 0);
	ledger_col_text(st, 1, f->sha256, sizeof(f->sha256));
	ledger_col_text(st, 2, f->naam, sizeof(f->naam));
	ledger_col_text(st, 3, f->leverancier, sizeof(f->leverancier));
	ledger_col_text(st, 4, f->received_at, sizeof(f->received_at));
	ledger_col_text(st, 5, f->status, sizeof(f->status));
	f->rows = sqlite3_column_int64(st, 6);
	f->ok = sqlite3_column_int64(st, 7);
	f->errors = sqlite3_column_int64(st, 8);
	f->nieuw = sqlite3_column_int64(st, 9);
	f->herzien = sqlite3_column_int64(st, 10);
	f->ongewijzigd = sqlite3_column_int64(st, 11);
	f->synthetisch = sqlite3_column_int(st, 12);
	rep = sqlite3_column_text(st, 13);
	f->token_id = sqlite3_column_int64(st, 14);
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
		found = ledger_db_fail(led, err, "lezen van een feed");
	}
	sqlite3_reset(st);
	return found;
}

int
ledger_feed_by_sha(struct ledger *led, const char *sha256,
    struct ledger_feed *ret, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_FEED_BY_SHA, err);

	if (st == NULL)
		return -1;
	ledger_bind_text(st, 1, sha256);
	return feed_fetch(led, st, ret, err);
}

int
ledger_feed_get(struct ledger *led, long long id, struct ledger_feed *ret,
    struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_FEED_BY_ID, err);

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
	sqlite3_stmt *st = ledger_stmt(led, ST_FEED_REPORT, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	ledger_bind_text(st, 2, report_json);
	if (ledger_stmt_done(led, st, err, "opslaan van het rapport") == -1)
		return -1;
	if (sqlite3_changes(led->db) == 0)
		return err_setk(err, ERR_NOT_FOUND,
		    "feed %lld bestaat niet", id);
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
	uint64_t h = util_fnv1a_str(UTIL_FNV1A_BASIS, g);

	return (size_t)util_fnv1a_str(util_fnv1a(h, "/", 1), ind);
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
	if (ledger_grow(&s->items, &s->cap, s->n, sizeof(*s->items)) == -1)
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
	sqlite3_stmt *st = ledger_stmt(led, ST_SERIES_LATEST, err);
	int	rc;

	if (st == NULL)
		return -1;
	ledger_bind_text(st, 1, e->gemeente);
	ledger_bind_text(st, 2, e->indicator);
	rc = sqlite3_step(st);
	e->latest = LLONG_MIN;
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		e->latest = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_db_fail(led, err,
		    "zoeken van de laatste periode");
	return 0;
}

static int
feed_insert(struct ledger *led, struct commit_ctx *c,
    const struct ledger_feed *meta, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_FEED_INSERT, err);

	if (st == NULL)
		return -1;
	ledger_bind_text(st, 1, meta->sha256);
	ledger_bind_text(st, 2, meta->naam);
	ledger_bind_text(st, 3, meta->leverancier);
	ledger_bind_text(st, 4, c->now);
	ledger_bind_text(st, 5, meta->status[0] ? meta->status : "geaccepteerd");
	sqlite3_bind_int64(st, 6, meta->rows);
	sqlite3_bind_int64(st, 7, meta->ok);
	sqlite3_bind_int64(st, 8, meta->errors);
	sqlite3_bind_int(st, 9, meta->synthetisch != 0);
	ledger_bind_text(st, 10, meta->report_json);
	sqlite3_bind_int64(st, 11, meta->token_id);
	if (ledger_stmt_done(led, st, err, "opslaan van de feed") == -1)
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
	sqlite3_stmt *st = ledger_stmt(led, ST_OBS_CURRENT, err);
	const unsigned char *status;
	int	rc, found = 0;

	if (st == NULL)
		return -1;
	ledger_bind_text(st, 1, o->gemeente);
	ledger_bind_text(st, 2, o->indicator);
	ledger_bind_text(st, 3, periode);
	rc = sqlite3_step(st);
	/* A withdrawn key has revisions but no current value: the next one
	 * is new, numbered after the withdrawal. */
	if (rc == SQLITE_ROW && sqlite3_column_int(st, 6) != 0) {
		*ret_rev = sqlite3_column_int(st, 0);
	} else if (rc == SQLITE_ROW) {
		found = 1;
		*ret_rev = sqlite3_column_int(st, 0);
		*ret_row = sqlite3_column_int64(st, 5);
		cur->waarde = ledger_col_double(st, 1);
		cur->teller = ledger_col_double(st, 2);
		cur->noemer = ledger_col_double(st, 3);
		ledger_col_text(st, 7, cur->versie, sizeof(cur->versie));
		status = sqlite3_column_text(st, 4);
		cur->status = STATUS_DEFINITIEF;
		if (status != NULL)
			validate_status_parse((const char *)status,
			    &cur->status);
	} else if (rc != SQLITE_DONE) {
		found = ledger_db_fail(led, err,
		    "zoeken van de huidige waarde");
	}
	sqlite3_reset(st);
	return found;
}

static int
obs_retire(struct ledger *led, long long rowid, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_OBS_RETIRE, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, rowid);
	return ledger_stmt_done(led, st, err, "vervangen van een waarde");
}

static int
obs_insert(struct ledger *led, const struct commit_ctx *c,
    const struct obs *o, const char *periode, int revisie, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_OBS_INSERT, err);

	if (st == NULL)
		return -1;
	ledger_bind_text(st, 1, o->gemeente);
	ledger_bind_text(st, 2, o->indicator);
	ledger_bind_text(st, 3, periode);
	ledger_bind_text(st, 4, period_kind_name(o->periode.kind));
	sqlite3_bind_int64(st, 5, period_start(&o->periode));
	ledger_bind_double(st, 6, o->waarde);
	ledger_bind_double(st, 7, o->teller);
	ledger_bind_double(st, 8, o->noemer);
	ledger_bind_text(st, 9, validate_status_name(o->status));
	sqlite3_bind_int(st, 10, o->synthetisch != 0);
	ledger_bind_text(st, 11, o->toelichting);
	sqlite3_bind_int64(st, 12, c->feed_id);
	sqlite3_bind_int(st, 13, revisie);
	ledger_bind_text(st, 14, c->now);
	ledger_bind_text(st, 15, o->versie);
	return ledger_stmt_done(led, st, err, "opslaan van een waarde");
}

/* The observation table's CHECK constraints, in C: the commit loop runs
 * with ignore_check_constraints (see ledger_commit_feed), so every row is
 * checked here instead. Keep in step with the schema. */
static int
obs_valid(const struct obs *o)
{
	return validate_status_name(o->status) != NULL &&
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
	    same_double(cur.noemer, o->noemer) && cur.status == o->status &&
	    strcmp(cur.versie, o->versie) == 0) {
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
		if ((st = ledger_stmt(led, ST_PENDING_ADD, err)) == NULL)
			return -1;
		ledger_bind_text(st, 1, e->gemeente);
		ledger_bind_text(st, 2, e->indicator);
		ledger_bind_text(st, 3, c->now);
		if (ledger_stmt_done(led, st, err,
		    "bijwerken van het journaal") == -1)
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
	sqlite3_stmt *st = ledger_stmt(led, ST_FEED_COUNTS, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, c->feed_id);
	sqlite3_bind_int64(st, 2, c->ret->nieuw);
	sqlite3_bind_int64(st, 3, c->ret->herzien);
	sqlite3_bind_int64(st, 4, c->ret->ongewijzigd);
	if (ledger_stmt_done(led, st, err, "bijwerken van de feed") == -1)
		return -1;
	return ledger_exec(led, ST_VERSION_BUMP, err,
	    "bijwerken van de versie");
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
		return ledger_db_fail(led, err, "instellen van de controles");
	return 0;
}

/* The report with the feed's id, time and counts, written before COMMIT
 * (see struct ledger_feed). */
static int
commit_report(struct ledger *led, const struct commit_ctx *c,
    struct ledger_feed *meta, struct err *err)
{
	char   *json;
	int	rc;

	meta->id = c->feed_id;
	snprintf(meta->received_at, sizeof(meta->received_at), "%s", c->now);
	meta->nieuw = c->ret->nieuw;
	meta->herzien = c->ret->herzien;
	meta->ongewijzigd = c->ret->ongewijzigd;
	if (meta->final_report == NULL ||
	    (json = meta->final_report(meta->final_report_arg, meta)) == NULL)
		return 0;
	rc = ledger_feed_set_report(led, c->feed_id, json, err);
	free(json);
	return rc;
}

int
ledger_commit_feed(struct ledger *led, struct ledger_feed *meta,
    const struct obs *obs, size_t n, struct ledger_commit *ret,
    struct err *err)
{
	struct commit_ctx c = { .ret = ret };
	int	began = 0;

	memset(ret, 0, sizeof(*ret));
	ledger_now_iso(c.now, sizeof(c.now));
	if (ledger_exec(led, ST_BEGIN, err, "starten van de transactie") == -1)
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
	    commit_report(led, &c, meta, err) == -1 ||
	    ledger_exec(led, ST_COMMIT, err, "vastleggen") == -1)
		goto fail;
	seen_free(&c.seen);
	ret->feed_id = c.feed_id;
	return 0;
fail:
	/* All rows or none: nothing of this feed may remain. */
	if (began)
		ledger_rollback(led);
	set_checks(led, 1, NULL);
	seen_free(&c.seen);
	ledger_commit_clear(ret);
	memset(ret, 0, sizeof(*ret));
	meta->id = 0;
	meta->received_at[0] = '\0';
	return -1;
}

/* ---- withdrawing a value (issue 13) ---------------------------------- */

/* The rowid of the key's current revision: 1 found, 0 none, -1 error. */
static int
current_row(struct ledger *led, const char *gemeente, const char *indicator,
    const char *periode, long long *ret, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_OBS_CURRENT_ROW, err);
	int	rc, found = 0;

	if (st == NULL)
		return -1;
	ledger_bind_text(st, 1, gemeente);
	ledger_bind_text(st, 2, indicator);
	ledger_bind_text(st, 3, periode);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*ret = sqlite3_column_int64(st, 0);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = ledger_db_fail(led, err, "zoeken van de huidige waarde");
	}
	sqlite3_reset(st);
	return found;
}

/* The withdrawal revision after row, then row retired. */
static int
withdraw_row(struct ledger *led, struct commit_ctx *c, long long row,
    const char *toelichting, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_OBS_WITHDRAW, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, row);
	ledger_bind_text(st, 2, toelichting);
	sqlite3_bind_int64(st, 3, c->feed_id);
	ledger_bind_text(st, 4, c->now);
	if (ledger_stmt_done(led, st, err, "intrekken van een waarde") == -1)
		return -1;
	return obs_retire(led, row, err);
}

/* The series, journaled as touched and to be rebuilt. */
static int
withdraw_touch(struct ledger *led, struct commit_ctx *c, const char *gemeente,
    const char *indicator, struct err *err)
{
	struct seen *e;

	if (seen_get(&c->seen, gemeente, indicator, &e) == -1)
		return err_set(err, "onvoldoende geheugen");
	e->latest = 0;
	e->touched = e->rebuild = 1;
	c->ret->herzien = 1;
	c->ret->needs_rebuild_any = 1;
	return commit_touched(led, c, err);
}

int
ledger_withdraw(struct ledger *led, struct ledger_feed *meta,
    const char *gemeente, const char *indicator, const struct period *periode,
    const char *toelichting, struct ledger_commit *ret, struct err *err)
{
	struct commit_ctx c = { .ret = ret };
	char	per[16];
	long long row = 0;
	int	found;

	memset(ret, 0, sizeof(*ret));
	ledger_now_iso(c.now, sizeof(c.now));
	period_format(periode, per, sizeof(per));
	if (ledger_exec(led, ST_BEGIN, err, "starten van de transactie") == -1)
		return -1;
	if ((found = current_row(led, gemeente, indicator, per, &row,
	    err)) != 1 ||
	    feed_insert(led, &c, meta, err) == -1 ||
	    withdraw_row(led, &c, row, toelichting, err) == -1 ||
	    withdraw_touch(led, &c, gemeente, indicator, err) == -1 ||
	    commit_counts(led, &c, err) == -1 ||
	    ledger_exec(led, ST_COMMIT, err, "vastleggen") == -1) {
		ledger_rollback(led);
		seen_free(&c.seen);
		ledger_commit_clear(ret);
		memset(ret, 0, sizeof(*ret));
		return found == 0 ? 0 : -1;
	}
	seen_free(&c.seen);
	ret->feed_id = meta->id = c.feed_id;
	snprintf(meta->received_at, sizeof(meta->received_at), "%s", c.now);
	return 1;
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

/* ---- reading observations ------------------------------------------- */

static void
obs_from_row(sqlite3_stmt *st, struct obs *o)
{
	const unsigned char *status;
	enum period_kind kind = PERIOD_MAAND;

	memset(o, 0, sizeof(*o));
	ledger_col_text(st, 0, o->gemeente, sizeof(o->gemeente));
	ledger_col_text(st, 1, o->indicator, sizeof(o->indicator));
	period_kind_parse((const char *)sqlite3_column_text(st, 2), &kind);
	o->periode = period_at(kind, sqlite3_column_int64(st, 3));
	o->waarde = ledger_col_double(st, 4);
	o->teller = ledger_col_double(st, 5);
	o->noemer = ledger_col_double(st, 6);
	status = sqlite3_column_text(st, 7);
	if (status != NULL)
		validate_status_parse((const char *)status, &o->status);
	o->synthetisch = sqlite3_column_int(st, 8);
	ledger_col_text(st, 9, o->toelichting, sizeof(o->toelichting));
	ledger_col_text(st, 10, o->versie, sizeof(o->versie));
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
	r->revisie = sqlite3_column_int(st, 11);
	r->current = sqlite3_column_int(st, 12);
	r->feed_id = sqlite3_column_int64(st, 13);
	ledger_col_text(st, 14, r->recorded_at, sizeof(r->recorded_at));
	r->ingetrokken = sqlite3_column_int(st, 15);
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

	ledger_col_text(st, 0, k->gemeente, sizeof(k->gemeente));
	ledger_col_text(st, 1, k->indicator, sizeof(k->indicator));
}

static void
row_period(sqlite3_stmt *st, void *dst)
{
	const unsigned char *t = sqlite3_column_text(st, 0);

	/* stored by validate in period_format's form: it parses */
	if (t == NULL || period_parse((const char *)t, dst, NULL) == -1)
		memset(dst, 0, sizeof(struct period));
}

static int
cmp_period(const void *a, const void *b)
{
	return period_cmp(a, b);
}

/* A statement bound to (gemeente, indicator) as ?1, ?2. */
static sqlite3_stmt *
stmt_series(struct ledger *led, enum stmt_id id, const char *gemeente,
    const char *indicator, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, id, err);

	if (st != NULL) {
		ledger_bind_text(st, 1, gemeente);
		ledger_bind_text(st, 2, indicator);
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
	return ledger_collect(led, st, sizeof(**ret), row_obs, ret, ret_n, err);
}

int
ledger_cross_section(struct ledger *led, const char *indicator,
    const struct period *periode, struct obs **ret, size_t *ret_n,
    struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_CROSS, err);
	char	p[16];

	if (st == NULL)
		return -1;
	ledger_bind_text(st, 1, indicator);
	ledger_bind_text(st, 2, period_format(periode, p, sizeof(p)));
	return ledger_collect(led, st, sizeof(**ret), row_obs, ret, ret_n, err);
}

int
ledger_year(struct ledger *led, const char *indicator, int year,
    struct obs **ret, size_t *ret_n, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_YEAR, err);
	char	a[16], b[16];

	if (st == NULL)
		return -1;
	snprintf(a, sizeof(a), "%04d", year);
	snprintf(b, sizeof(b), "%04d", year + 1);
	ledger_bind_text(st, 1, indicator);
	ledger_bind_text(st, 2, a);
	ledger_bind_text(st, 3, b);
	return ledger_collect(led, st, sizeof(**ret), row_obs, ret, ret_n, err);
}

int
ledger_year_changed(struct ledger *led, const char *indicator, int year,
    long long since_feed)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_YEAR_SINCE, NULL);
	char	y[16];
	int	rc;

	if (st == NULL)
		return -1;
	snprintf(y, sizeof(y), "%04d", year);
	ledger_bind_text(st, 1, indicator);
	ledger_bind_text(st, 2, y);
	sqlite3_bind_int64(st, 3, since_feed);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

long long
ledger_feed_max(struct ledger *led)
{
	return ledger_scalar(led, ST_FEED_MAX);
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
	ledger_bind_text(st, 3, periode ? period_format(periode, p,
	    sizeof(p)) : NULL);
	return ledger_collect(led, st, sizeof(**ret), row_revision, ret, ret_n,
	    err);
}

int
ledger_revision_counts(struct ledger *led, const char *gemeente,
    const char *indicator, int **ret, size_t *ret_n, struct err *err)
{
	sqlite3_stmt *st = stmt_series(led, ST_REVCOUNTS, gemeente, indicator,
	    err);

	if (st == NULL)
		return -1;
	return ledger_collect(led, st, sizeof(**ret), row_int, ret, ret_n, err);
}

int
ledger_keys(struct ledger *led, const char *gemeente, struct ledger_key **ret,
    size_t *ret_n, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_KEYS, err);

	if (st == NULL)
		return -1;
	ledger_bind_text(st, 1, gemeente);
	return ledger_collect(led, st, sizeof(**ret), row_key, ret, ret_n, err);
}

static void
row_year_change(sqlite3_stmt *st, void *dst)
{
	struct ledger_year_change *c = dst;

	ledger_col_text(st, 0, c->gemeente, sizeof(c->gemeente));
	ledger_col_text(st, 1, c->indicator, sizeof(c->indicator));
	c->year = sqlite3_column_int(st, 2);
	c->feed_id = sqlite3_column_int64(st, 3);
}

int
ledger_changes(struct ledger *led, long long since_feed,
    struct ledger_year_change **ret, size_t *ret_n, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_CHANGES, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, since_feed);
	return ledger_collect(led, st, sizeof(**ret), row_year_change, ret,
	    ret_n, err);
}

int
ledger_read_begin(struct ledger *led, struct err *err)
{
	return ledger_exec(led, ST_READ_BEGIN, err, "starten van het lezen");
}

void
ledger_read_end(struct ledger *led)
{
	ledger_exec(led, ST_COMMIT, NULL, "einde van het lezen");
}

int
ledger_periods(struct ledger *led, const char *indicator,
    struct period **ret, size_t *ret_n, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_PERIODS, err);

	if (st == NULL)
		return -1;
	ledger_bind_text(st, 1, indicator);
	if (ledger_collect(led, st, sizeof(**ret), row_period, ret, ret_n,
	    err) == -1)
		return -1;
	/* as text "2024" sorts after "2024-12"; in time it comes first */
	if (*ret_n > 1)
		qsort(*ret, *ret_n, sizeof(**ret), cmp_period);
	return 0;
}

int
ledger_other_versie(struct ledger *led, const char *indicator,
    const char *versie, char *ret, size_t size, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_OTHER_VERSIE, err);
	int	rc;

	if (st == NULL)
		return -1;
	ledger_bind_text(st, 1, indicator);
	ledger_bind_text(st, 2, versie);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ledger_col_text(st, 0, ret, size);
	else if (rc != SQLITE_DONE)
		rc = ledger_db_fail(led, err, "lezen van de ZRM-versies");
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static void
row_change(sqlite3_stmt *st, void *dst)
{
	struct ledger_change *c = dst;
	enum period_kind kind = PERIOD_MAAND;

	memset(c, 0, sizeof(*c));
	ledger_col_text(st, 0, c->gemeente, sizeof(c->gemeente));
	ledger_col_text(st, 1, c->indicator, sizeof(c->indicator));
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
		return ledger_db_fail(led, err, "voorbereiden");
	sqlite3_bind_int64(st, 1, feed_id);
	rc = ledger_collect(led, st, sizeof(**ret), row_change, ret, ret_n,
	    err);
	sqlite3_finalize(st);
	return rc;
}

/* ---- pending journal ------------------------------------------------ */

int
ledger_pending(struct ledger *led, struct ledger_key **ret, size_t *ret_n,
    struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_PENDING_LIST, err);

	if (st == NULL)
		return -1;
	return ledger_collect(led, st, sizeof(**ret), row_key, ret, ret_n, err);
}

int
ledger_pending_done(struct ledger *led, const struct ledger_key *keys,
    size_t n, struct err *err)
{
	sqlite3_stmt *st;

	if (ledger_exec(led, ST_BEGIN, err, "starten van de transactie") == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if ((st = stmt_series(led, ST_PENDING_DEL, keys[i].gemeente,
		    keys[i].indicator, err)) == NULL ||
		    ledger_stmt_done(led, st, err,
		        "bijwerken van het journaal") == -1)
			goto fail;
	}
	if (ledger_exec(led, ST_COMMIT, err, "vastleggen") == -1)
		goto fail;
	return 0;
fail:
	ledger_rollback(led);
	return -1;
}

int
ledger_status(struct ledger *led, struct ledger_status *ret, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_STATUS, err);
	long long *f[] = { &ret->feeds, &ret->synthetic_feeds, &ret->current,
		&ret->revisions, &ret->gemeenten, &ret->indicatoren };
	int	rc;

	memset(ret, 0, sizeof(*ret));
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (size_t i = 0; i < sizeof(f) / sizeof(*f); i++)
			*f[i] = sqlite3_column_int64(st, (int)i);
		ledger_col_text(st, 6, ret->first_period,
		    sizeof(ret->first_period));
		ledger_col_text(st, 7, ret->last_period,
		    sizeof(ret->last_period));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : ledger_db_fail(led, err, "status");
}

long long
ledger_last_feed_time(struct ledger *led)
{
	struct err err = { "" };
	sqlite3_stmt *st = ledger_stmt(led, ST_LAST_FEED, &err);
	long long t = 0;

	if (st == NULL)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		t = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return t;
}
