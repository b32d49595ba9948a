/* tests/check_ledger.c — the SQLite ledger in a temp dir: schema, commits,
 * revisions, rollback, journal, readers, tokens. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/ledger.h"
#include "testutil.h"

struct fixture {
	char   *dir;
	char	path[4096];
	struct ledger *led;
};

static void
fx_open(struct fixture *fx)
{
	struct err err = { "" };

	fx->dir = tu_tmpdir();
	snprintf(fx->path, sizeof(fx->path), "%s/basis.db", fx->dir);
	fx->led = ledger_open(fx->path, 0, &err);
	ck_assert_msg(fx->led != NULL, "%s", err.msg);
}

static void
fx_close(struct fixture *fx)
{
	ledger_close(fx->led);
	tu_rm_rf(fx->dir);
	free(fx->dir);
}

static struct obs
mk(const char *gm, const char *ind, const char *per, double waarde,
    double teller, double noemer, enum obs_status status)
{
	struct obs o;

	memset(&o, 0, sizeof(o));
	snprintf(o.gemeente, sizeof(o.gemeente), "%s", gm);
	snprintf(o.indicator, sizeof(o.indicator), "%s", ind);
	ck_assert_int_eq(period_parse(per, &o.periode, NULL), 0);
	o.waarde = waarde;
	o.teller = teller;
	o.noemer = noemer;
	o.status = status;
	return o;
}

static struct obs
mkv(const char *gm, const char *ind, const char *per, double waarde)
{
	return mk(gm, ind, per, waarde, NAN, NAN, STATUS_DEFINITIEF);
}

/* Commit obs as a feed whose hash is derived from seq. */
static int
commit(struct ledger *led, int seq, const struct obs *obs, size_t n,
    struct ledger_commit *ret, struct err *err)
{
	struct ledger_feed meta;

	memset(&meta, 0, sizeof(meta));
	snprintf(meta.sha256, sizeof(meta.sha256), "%064d", seq);
	snprintf(meta.naam, sizeof(meta.naam), "feed-%d.csv", seq);
	snprintf(meta.leverancier, sizeof(meta.leverancier), "test");
	snprintf(meta.status, sizeof(meta.status), "geaccepteerd");
	meta.rows = meta.ok = (long)n;
	return ledger_commit_feed(led, &meta, obs, n, ret, err);
}

static void
commit_ok(struct ledger *led, int seq, const struct obs *obs, size_t n,
    struct ledger_commit *ret)
{
	struct err err = { "" };

	ck_assert_msg(commit(led, seq, obs, n, ret, &err) == 0, "%s", err.msg);
}

static size_t
series_n(struct ledger *led, const char *gm, const char *ind)
{
	struct obs *o = NULL;
	size_t	n = 0;

	ck_assert_int_eq(ledger_series(led, gm, ind, &o, &n, NULL), 0);
	free(o);
	return n;
}

/* ---- schema --------------------------------------------------------- */

static const char *const schema_objects[] = {
	"meta", "feed", "observation", "pending", "token", "account",
	"annotation", "alert_rule", "alert_event", "observation_key",
	"observation_cross", "token_prefix",
};

START_TEST(test_schema)
{
	struct fixture fx;
	sqlite3 *db;
	sqlite3_stmt *st;
	struct err err = { "" };

	fx_open(&fx);
	ck_assert_int_eq(ledger_ping(fx.led), 0);
	ck_assert_int_eq(ledger_data_version(fx.led), 0);
	/* a second open of a migrated file must not migrate again */
	ledger_close(fx.led);
	fx.led = ledger_open(fx.path, 0, &err);
	ck_assert_msg(fx.led != NULL, "%s", err.msg);
	ck_assert_int_eq(sqlite3_open(fx.path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM "
	    "sqlite_master WHERE name = ?1", -1, &st, NULL), SQLITE_OK);
	for (size_t i = 0; i < sizeof(schema_objects) /
	    sizeof(*schema_objects); i++) {
		sqlite3_bind_text(st, 1, schema_objects[i], -1, SQLITE_STATIC);
		ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
		ck_assert_msg(sqlite3_column_int(st, 0) == 1, "%s missing",
		    schema_objects[i]);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1,
	    &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);
	fx_close(&fx);
}
END_TEST

/* ---- commit and read back ------------------------------------------- */

START_TEST(test_commit_read)
{
	struct fixture fx;
	struct obs in[] = {
		mkv("GM0363", "bijstand_aantal", "2024-03", 41250),
		mkv("GM0363", "bijstand_aantal", "2024-01", 41000.5),
		mk("GM0363", "pw_uitstroom_werk", "2024-Q1", 2.5, 25, 1000,
		    STATUS_VOORLOPIG),
		mk("GM0599", "pw_uitstroom_werk", "2024-Q1", NAN, 0, 0,
		    STATUS_GESCHAT),
	};
	struct ledger_commit c;
	struct ledger_feed f;
	struct obs *o = NULL;
	size_t	n = 0;
	char	buf[16];

	fx_open(&fx);
	snprintf(in[0].toelichting, sizeof(in[0].toelichting), "telling");
	in[0].synthetisch = 1;
	commit_ok(fx.led, 1, in, 4, &c);
	ck_assert_int_gt(c.feed_id, 0);
	ck_assert_int_eq(c.nieuw, 4);
	ck_assert_int_eq(c.herzien + c.ongewijzigd, 0);
	ck_assert_uint_eq(c.ntouched, 3);
	ck_assert_int_eq(c.needs_rebuild_any, 0);
	ledger_commit_clear(&c);

	ck_assert_int_eq(ledger_series(fx.led, "GM0363", "bijstand_aantal", &o,
	    &n, NULL), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(period_format(&o[0].periode, buf, sizeof(buf)),
	    "2024-01");
	ck_assert(o[0].waarde == 41000.5);
	ck_assert(isnan(o[0].teller) && isnan(o[0].noemer));
	ck_assert_str_eq(period_format(&o[1].periode, buf, sizeof(buf)),
	    "2024-03");
	ck_assert_str_eq(o[1].toelichting, "telling");
	ck_assert_int_eq(o[1].synthetisch, 1);
	free(o);

	ck_assert_int_eq(ledger_series(fx.led, "GM0363", "pw_uitstroom_werk",
	    &o, &n, NULL), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert(o[0].waarde == 2.5 && o[0].teller == 25 &&
	    o[0].noemer == 1000);
	ck_assert_int_eq(o[0].status, STATUS_VOORLOPIG);
	ck_assert_int_eq(o[0].periode.kind, PERIOD_KWARTAAL);
	free(o);
	ck_assert_int_eq(ledger_series(fx.led, "GM0599", "pw_uitstroom_werk",
	    &o, &n, NULL), 0);
	ck_assert(n == 1 && isnan(o[0].waarde) && o[0].noemer == 0);
	ck_assert_int_eq(o[0].status, STATUS_GESCHAT);
	free(o);

	ck_assert_int_eq(ledger_feed_get(fx.led, 1, &f, NULL), 1);
	ck_assert_str_eq(f.naam, "feed-1.csv");
	ck_assert_int_eq(f.nieuw, 4);
	ck_assert_int_eq(f.rows, 4);
	ck_assert_uint_eq(strlen(f.received_at), 20);
	ck_assert_ptr_null(f.report_json);
	ledger_feed_clear(&f);
	ck_assert_int_eq(ledger_feed_set_report(fx.led, 1, "{\"ok\":1}", NULL),
	    0);
	ck_assert_int_eq(ledger_feed_set_report(fx.led, 99, "{}", NULL), -1);
	ck_assert_int_eq(ledger_feed_by_sha(fx.led, f.sha256, &f, NULL), 1);
	ck_assert_str_eq(f.report_json, "{\"ok\":1}");
	ledger_feed_clear(&f);
	ck_assert_int_eq(ledger_feed_get(fx.led, 2, &f, NULL), 0);
	ck_assert_int_eq(ledger_feed_by_sha(fx.led, "ab", &f, NULL), 0);
	fx_close(&fx);
}
END_TEST

/* ---- revisions: one key through a sequence of feeds ------------------ */

static const struct {
	double	waarde;
	enum obs_status status;
	const char *toelichting;
	long	nieuw, herzien, ongewijzigd;
	int	rebuild;
	size_t	revisions;	/* in the history afterwards */
} revseq[] = {
	{ 10, STATUS_VOORLOPIG, "", 1, 0, 0, 0, 1 },
	{ 10, STATUS_VOORLOPIG, "", 0, 0, 1, 0, 1 },	/* identical */
	{ 12, STATUS_VOORLOPIG, "", 0, 1, 0, 1, 2 },	/* value */
	{ 12, STATUS_DEFINITIEF, "", 0, 1, 0, 1, 3 },	/* status */
	{ 12, STATUS_DEFINITIEF, "andere tekst", 0, 0, 1, 0, 3 },
	{ 10, STATUS_DEFINITIEF, "", 0, 1, 0, 1, 4 },	/* back again */
};

START_TEST(test_revisions)
{
	struct fixture fx;
	struct ledger_revision *h = NULL;
	struct ledger_commit c;
	struct period p;
	struct obs *o = NULL;
	int    *counts = NULL;
	size_t	n = 0;

	fx_open(&fx);
	for (size_t i = 0; i < sizeof(revseq) / sizeof(*revseq); i++) {
		struct obs x = mk("GM0014", "jz_clienten", "2023", revseq[i].waarde,
		    NAN, NAN, revseq[i].status);

		snprintf(x.toelichting, sizeof(x.toelichting), "%s",
		    revseq[i].toelichting);
		commit_ok(fx.led, (int)i + 1, &x, 1, &c);
		ck_assert_int_eq(c.nieuw, revseq[i].nieuw);
		ck_assert_int_eq(c.herzien, revseq[i].herzien);
		ck_assert_int_eq(c.ongewijzigd, revseq[i].ongewijzigd);
		ck_assert_int_eq(c.needs_rebuild_any, revseq[i].rebuild);
		ck_assert_uint_eq(c.ntouched, revseq[i].ongewijzigd ? 0 : 1);
		ledger_commit_clear(&c);
		ck_assert_int_eq(ledger_history(fx.led, "GM0014", "jz_clienten",
		    NULL, &h, &n, NULL), 0);
		ck_assert_uint_eq(n, revseq[i].revisions);
		for (size_t k = 0; k < n; k++) {
			ck_assert_int_eq(h[k].revisie, (int)k + 1);
			ck_assert_int_eq(h[k].current, k + 1 == n);
		}
		ck_assert(h[n - 1].obs.waarde == revseq[i].waarde);
		free(h);
	}
	/* the current value is the last one; history per period too */
	ck_assert_int_eq(ledger_series(fx.led, "GM0014", "jz_clienten", &o, &n,
	    NULL), 0);
	ck_assert(n == 1 && o[0].waarde == 10);
	free(o);
	ck_assert_int_eq(period_parse("2023", &p, NULL), 0);
	ck_assert_int_eq(ledger_history(fx.led, "GM0014", "jz_clienten", &p,
	    &h, &n, NULL), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(h[0].feed_id, 1);
	ck_assert(h[1].obs.waarde == 12 && h[1].feed_id == 3);
	free(h);
	ck_assert_int_eq(period_parse("2022", &p, NULL), 0);
	ck_assert_int_eq(ledger_history(fx.led, "GM0014", "jz_clienten", &p,
	    &h, &n, NULL), 0);
	ck_assert_uint_eq(n, 0);
	free(h);
	ck_assert_int_eq(ledger_revision_counts(fx.led, "GM0014",
	    "jz_clienten", &counts, &n, NULL), 0);
	ck_assert(n == 1 && counts[0] == 4);
	free(counts);
	fx_close(&fx);
}
END_TEST

/* ---- withdrawal (issue 13): the only value of a series withdrawn, the
 * history kept, a later delivery new again with the next revision ------- */

START_TEST(test_withdraw)
{
	struct fixture fx;
	struct ledger_revision *h = NULL;
	struct ledger_commit c;
	struct ledger_feed meta = { .status = "geaccepteerd", .rows = 1,
		.ok = 1, .naam = "intrekking", .leverancier = "beheer" };
	struct obs x = mkv("GM0014", "pw_bestand", "2024-03", 7);
	struct ledger_key *keys = NULL;
	struct err err = { "" };
	size_t	n = 0;

	snprintf(meta.sha256, sizeof(meta.sha256), "%064d", 99);
	fx_open(&fx);
	commit_ok(fx.led, 1, &x, 1, &c);
	ledger_commit_clear(&c);
	ck_assert_msg(ledger_withdraw(fx.led, &meta, "GM0014", "pw_bestand",
	    &x.periode, "fout", &c, &err) == 1, "%s", err.msg);
	ck_assert(c.ntouched == 1 && (c.touch[0] & LEDGER_TOUCH_REBUILD));
	ledger_commit_clear(&c);
	ck_assert_uint_eq(series_n(fx.led, "GM0014", "pw_bestand"), 0);
	ck_assert_int_eq(ledger_pending(fx.led, &keys, &n, NULL), 0);
	ck_assert_uint_eq(n, 1);
	free(keys);
	/* nothing current left: a second withdrawal writes nothing */
	ck_assert_int_eq(ledger_withdraw(fx.led, &meta, "GM0014", "pw_bestand",
	    &x.periode, "", &c, &err), 0);
	ck_assert_int_eq(ledger_history(fx.led, "GM0014", "pw_bestand", NULL,
	    &h, &n, NULL), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert(h[1].ingetrokken && !h[1].current && h[1].obs.waarde == 7 &&
	    strcmp(h[1].obs.toelichting, "fout") == 0 && !h[0].current);
	free(h);
	commit_ok(fx.led, 2, &x, 1, &c);
	ck_assert(c.nieuw == 1 && c.herzien == 0);
	ledger_commit_clear(&c);
	ck_assert_int_eq(ledger_history(fx.led, "GM0014", "pw_bestand", NULL,
	    &h, &n, NULL), 0);
	ck_assert(n == 3 && h[2].revisie == 3 && h[2].current &&
	    !h[2].ingetrokken);
	free(h);
	ck_assert_uint_eq(series_n(fx.led, "GM0014", "pw_bestand"), 1);
	fx_close(&fx);
}
END_TEST

/* The ZRM version is kept with each revision (issue 11): read back in
 * series and history, copied by a withdrawal, and a new version of the
 * same numbers is a revision, not "ongewijzigd". */
START_TEST(test_versie)
{
	struct fixture fx;
	struct ledger_revision *h = NULL;
	struct ledger_commit c;
	struct ledger_feed meta = { .status = "geaccepteerd", .rows = 1,
		.ok = 1, .naam = "intrekking", .leverancier = "beheer" };
	struct obs x = mk("GM0014", "zrm_financien_gem", "2024-H1", 3, 300,
	    100, STATUS_DEFINITIEF), *o = NULL;
	struct err err = { "" };
	size_t	n = 0;

	snprintf(meta.sha256, sizeof(meta.sha256), "%064d", 99);
	fx_open(&fx);
	commit_ok(fx.led, 1, &x, 1, &c);	/* as before the column */
	ledger_commit_clear(&c);
	snprintf(x.versie, sizeof(x.versie), "2017");
	commit_ok(fx.led, 2, &x, 1, &c);
	ck_assert(c.herzien == 1 && c.ongewijzigd == 0);
	ledger_commit_clear(&c);
	ck_assert_int_eq(ledger_series(fx.led, "GM0014", "zrm_financien_gem",
	    &o, &n, NULL), 0);
	ck_assert(n == 1 && strcmp(o[0].versie, "2017") == 0);
	free(o);
	ck_assert_int_eq(ledger_withdraw(fx.led, &meta, "GM0014",
	    "zrm_financien_gem", &x.periode, "", &c, &err), 1);
	ledger_commit_clear(&c);
	ck_assert_int_eq(ledger_history(fx.led, "GM0014", "zrm_financien_gem",
	    NULL, &h, &n, NULL), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(h[0].obs.versie, "");
	ck_assert_str_eq(h[1].obs.versie, "2017");
	ck_assert(h[2].ingetrokken && strcmp(h[2].obs.versie, "2017") == 0 &&
	    h[2].revisie == 3);
	free(h);
	fx_close(&fx);
}
END_TEST

/* Event states are typed at the ledger boundary (issue 10): the words
 * round-trip, and the list filters on a set of states. */
static const struct {
	unsigned states;
	size_t	n;
} event_filters[] = {
	{ LEDGER_EVENTS_ANY, 3 },
	{ LEDGER_EVENTS_OPEN, 2 },
	{ LEDGER_EVENTS_OF(LEDGER_EVENT_FIRING), 1 },
	{ LEDGER_EVENTS_OF(LEDGER_EVENT_ACKNOWLEDGED), 1 },
	{ LEDGER_EVENTS_OF(LEDGER_EVENT_RESOLVED), 1 },
	{ LEDGER_EVENTS_OF(LEDGER_EVENT_FIRING) |
	    LEDGER_EVENTS_OF(LEDGER_EVENT_RESOLVED), 2 },
};

START_TEST(test_event_states)
{
	struct fixture fx;
	struct ledger_alert_rule r = { .naam = "r", .soort = "drempel",
		.gemeente = "GM0363", .indicator = "pw_bestand",
		.params = "{}", .enabled = 1 };
	struct ledger_alert_change c[3];
	struct ledger_alert_event *ev = NULL;
	enum ledger_event_state s;
	size_t	n = 0;
	struct err err = { "" };

	for (int i = 0; i < LEDGER_EVENT_NSTATES; i++) {
		ck_assert_int_eq(ledger_event_state_parse(
		    ledger_event_state_name((enum ledger_event_state)i), &s), 0);
		ck_assert_int_eq(s, i);
	}
	ck_assert_ptr_null(ledger_event_state_name(LEDGER_EVENT_NSTATES));
	ck_assert_int_eq(ledger_event_state_parse("open", &s), -1);
	fx_open(&fx);
	ck_assert_msg(ledger_alert_rule_put(fx.led, &r, &err) == 0, "%s",
	    err.msg);
	memset(c, 0, sizeof(c));
	for (int i = 0; i < 3; i++) {
		c[i].ev.rule_id = r.id;
		snprintf(c[i].ev.gemeente, sizeof(c[i].ev.gemeente), "GM0363");
		snprintf(c[i].ev.indicator, sizeof(c[i].ev.indicator),
		    "pw_bestand");
		snprintf(c[i].ev.periode, sizeof(c[i].ev.periode), "2024-0%d",
		    i + 1);
		c[i].ev.waarde = NAN;
	}
	ck_assert_msg(ledger_alert_apply(fx.led, c, 3, &err) == 0, "%s",
	    err.msg);
	ck_assert_int_eq(c[0].ev.state, LEDGER_EVENT_FIRING);
	ck_assert_int_eq(ledger_alert_ack(fx.led, c[1].ev.id, "beheer", &err),
	    1);
	c[2].resolve = 1;
	ck_assert_msg(ledger_alert_apply(fx.led, &c[2], 1, &err) == 0, "%s",
	    err.msg);
	ck_assert_int_eq(c[2].ev.state, LEDGER_EVENT_RESOLVED);
	for (size_t i = 0; i < sizeof(event_filters) / sizeof(*event_filters);
	    i++) {
		ck_assert_int_eq(ledger_alert_events(fx.led,
		    event_filters[i].states, 0, 0, &ev, &n, &err), 0);
		ck_assert_uint_eq(n, event_filters[i].n);
		free(ev);
	}
	ck_assert_int_eq(ledger_alert_events(fx.led, LEDGER_EVENTS_ANY, 0, 0,
	    &ev, &n, &err), 0);
	ck_assert(n == 3 && ev[0].state == LEDGER_EVENT_RESOLVED &&
	    ev[1].state == LEDGER_EVENT_ACKNOWLEDGED &&
	    ev[2].state == LEDGER_EVENT_FIRING);
	free(ev);
	fx_close(&fx);
}
END_TEST

/* ---- late data ------------------------------------------------------ */

static const struct {
	const char *before[3];	/* periods already in the series */
	const char *feed[3];	/* periods of the next feed (new keys) */
	int	rebuild;
} late[] = {
	{ { "2024-01", "2024-02" }, { "2024-03", "2024-04" }, 0 },
	{ { "2024-03" }, { "2024-01" }, 1 },
	{ { "2024-01", "2024-03" }, { "2024-02" }, 1 },
	{ { "2024-01" }, { "2024-05", "2024-03" }, 0 },	/* caller sorts */
	{ { NULL }, { "2024-05", "2024-03" }, 0 },	/* new series */
};

START_TEST(test_late_data)
{
	struct fixture fx;
	struct ledger_commit c;
	struct obs o[3];
	size_t	n = 0;

	fx_open(&fx);
	for (; n < 3 && late[_i].before[n]; n++)
		o[n] = mkv("GM0363", "x", late[_i].before[n], (double)n);
	if (n > 0) {
		commit_ok(fx.led, 1, o, n, &c);
		ledger_commit_clear(&c);
	}
	for (n = 0; n < 3 && late[_i].feed[n]; n++)
		o[n] = mkv("GM0363", "x", late[_i].feed[n], 7);
	commit_ok(fx.led, 2, o, n, &c);
	ck_assert_int_eq(c.nieuw, (long)n);
	ck_assert_int_eq(c.needs_rebuild_any, late[_i].rebuild);
	ledger_commit_clear(&c);
	fx_close(&fx);
}
END_TEST

/* ---- rollback: a bad row halfway leaves nothing of the feed ---------- */

static const struct {
	const char *why;
	const char *gemeente;
	double	waarde, noemer;
} badrow[] = {
	{ "waarde en noemer onbekend", "GM0363", NAN, NAN },
	{ "ongeldige gemeentecode", "XX0363", 5, NAN },
};

START_TEST(test_rollback)
{
	struct fixture fx;
	struct ledger_commit c;
	struct ledger_feed f;
	struct ledger_key *k = NULL;
	struct err err = { "" };
	struct obs in[3];
	int    *counts = NULL;
	size_t	n = 0;
	long long v0;

	fx_open(&fx);
	in[0] = mkv("GM0363", "a", "2024-01", 1);
	commit_ok(fx.led, 1, in, 1, &c);
	ledger_commit_clear(&c);
	v0 = ledger_data_version(fx.led);
	in[0] = mkv("GM0363", "a", "2024-01", 2);	/* a revision */
	in[1] = mk(badrow[_i].gemeente, "a", "2024-02", badrow[_i].waarde,
	    NAN, badrow[_i].noemer, STATUS_DEFINITIEF);
	in[1].line = 3;
	in[2] = mkv("GM0599", "a", "2024-01", 3);
	ck_assert_int_eq(commit(fx.led, 2, in, 3, &c, &err), -1);
	ck_assert_msg(strstr(err.msg, "regel 3: ") == err.msg, "%s: %s",
	    badrow[_i].why, err.msg);
	ck_assert_ptr_null(c.touched);
	ck_assert_int_eq(ledger_feed_get(fx.led, 2, &f, NULL), 0);
	ck_assert_int_eq(ledger_data_version(fx.led), v0);
	ck_assert_uint_eq(series_n(fx.led, "GM0599", "a"), 0);
	ck_assert_int_eq(ledger_revision_counts(fx.led, "GM0363", "a",
	    &counts, &n, NULL), 0);
	ck_assert(n == 1 && counts[0] == 1);	/* revision undone */
	free(counts);
	ck_assert_int_eq(ledger_pending(fx.led, &k, &n, NULL), 0);
	ck_assert_uint_eq(n, 1);	/* only the first feed's series */
	free(k);
	/* the connection is usable again: same hash, good rows */
	in[1] = mkv("GM0363", "a", "2024-02", 4);
	commit_ok(fx.led, 2, in, 3, &c);
	ck_assert_int_eq(c.nieuw, 2);
	ck_assert_int_eq(c.herzien, 1);
	ledger_commit_clear(&c);
	fx_close(&fx);
}
END_TEST

START_TEST(test_duplicate_feed)
{
	struct fixture fx;
	struct ledger_commit c;
	struct err err = { "" };
	struct obs o = mkv("GM0363", "a", "2024-01", 1);

	fx_open(&fx);
	commit_ok(fx.led, 1, &o, 1, &c);
	ledger_commit_clear(&c);
	o.waarde = 2;
	ck_assert_int_eq(commit(fx.led, 1, &o, 1, &c, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "sha256"));
	ck_assert_uint_eq(series_n(fx.led, "GM0363", "a"), 1);
	fx_close(&fx);
}
END_TEST

/* ---- pending journal ------------------------------------------------ */

START_TEST(test_pending)
{
	struct fixture fx;
	struct ledger_commit c;
	struct ledger_key *k = NULL;
	size_t	n = 0;
	struct obs in[] = {
		mkv("GM0599", "b", "2024-01", 1),
		mkv("GM0363", "a", "2024-01", 1),
		mkv("GM0363", "a", "2024-02", 1),
	};

	fx_open(&fx);
	commit_ok(fx.led, 1, in, 3, &c);
	ck_assert_uint_eq(c.ntouched, 2);
	ck_assert_int_eq(ledger_pending(fx.led, &k, &n, NULL), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(k[0].gemeente, "GM0363");	/* sorted */
	ck_assert_str_eq(k[1].indicator, "b");
	free(k);
	ck_assert_int_eq(ledger_pending_done(fx.led, c.touched, c.ntouched,
	    NULL), 0);
	ledger_commit_clear(&c);
	ck_assert_int_eq(ledger_pending(fx.led, &k, &n, NULL), 0);
	ck_assert_uint_eq(n, 0);
	free(k);
	/* an identical feed touches nothing, a revision one series */
	commit_ok(fx.led, 2, in, 3, &c);
	ck_assert_uint_eq(c.ntouched, 0);
	ledger_commit_clear(&c);
	in[2].waarde = 9;
	commit_ok(fx.led, 3, in, 3, &c);
	ledger_commit_clear(&c);
	ck_assert_int_eq(ledger_pending(fx.led, &k, &n, NULL), 0);
	ck_assert(n == 1 && strcmp(k[0].indicator, "a") == 0);
	free(k);
	fx_close(&fx);
}
END_TEST

/* ---- cross-section, keys, periods ----------------------------------- */

START_TEST(test_cross_keys_periods)
{
	struct fixture fx;
	struct ledger_commit c;
	struct ledger_key *k = NULL;
	struct period *p = NULL, q;
	struct obs *o = NULL;
	size_t	n = 0;
	char	buf[16];
	struct obs in[] = {
		mkv("GM0599", "a", "2024-02", 5),
		mkv("GM0363", "a", "2024-02", 6),
		mkv("GM0014", "a", "2024-02", 7),
		mkv("GM0363", "a", "2023-12", 8),
		mkv("GM0363", "b", "2024", 9),
	};

	fx_open(&fx);
	commit_ok(fx.led, 1, in, 5, &c);
	ledger_commit_clear(&c);
	in[1].waarde = 60;
	commit_ok(fx.led, 2, &in[1], 1, &c);
	ledger_commit_clear(&c);

	ck_assert_int_eq(period_parse("2024-02", &q, NULL), 0);
	ck_assert_int_eq(ledger_cross_section(fx.led, "a", &q, &o, &n, NULL),
	    0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(o[0].gemeente, "GM0014");
	ck_assert_str_eq(o[1].gemeente, "GM0363");
	ck_assert(o[1].waarde == 60);	/* current revision only */
	ck_assert_str_eq(o[2].gemeente, "GM0599");
	free(o);

	ck_assert_int_eq(ledger_keys(fx.led, NULL, &k, &n, NULL), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert(strcmp(k[1].gemeente, "GM0363") == 0 &&
	    strcmp(k[1].indicator, "a") == 0);
	free(k);
	ck_assert_int_eq(ledger_keys(fx.led, "GM0363", &k, &n, NULL), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(k[1].indicator, "b");
	free(k);

	ck_assert_int_eq(ledger_periods(fx.led, "a", &p, &n, NULL), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(period_format(&p[0], buf, sizeof(buf)), "2023-12");
	ck_assert_str_eq(period_format(&p[1], buf, sizeof(buf)), "2024-02");
	free(p);
	ck_assert_int_eq(ledger_periods(fx.led, "b", &p, &n, NULL), 0);
	ck_assert(n == 1 && p[0].kind == PERIOD_JAAR && p[0].year == 2024);
	free(p);
	fx_close(&fx);
}
END_TEST

/* ---- data version and a read-only connection ------------------------ */

START_TEST(test_reader)
{
	struct fixture fx;
	struct ledger *rd;
	struct ledger_commit c;
	struct ledger_token tok;
	struct err err = { "" };
	struct obs o = mkv("GM0363", "a", "2024-01", 1);
	char	missing[4200];

	fx_open(&fx);
	rd = ledger_open(fx.path, LEDGER_READONLY, &err);
	ck_assert_msg(rd != NULL, "%s", err.msg);
	ck_assert_int_eq(ledger_data_version(rd), 0);
	ck_assert_uint_eq(series_n(rd, "GM0363", "a"), 0);
	for (int i = 1; i <= 3; i++) {
		/* identical feeds still bump the version: one per commit */
		commit_ok(fx.led, i, &o, 1, &c);
		ledger_commit_clear(&c);
		ck_assert_int_eq(ledger_data_version(fx.led), i);
		ck_assert_int_eq(ledger_data_version(rd), i);
	}
	ck_assert_uint_eq(series_n(rd, "GM0363", "a"), 1);
	o.waarde = 2;
	commit_ok(fx.led, 4, &o, 1, &c);
	ledger_commit_clear(&c);
	ck_assert_uint_eq(series_n(rd, "GM0363", "a"), 1);
	ck_assert_int_eq(ledger_data_version(rd), 4);

	memset(&tok, 0, sizeof(tok));
	snprintf(tok.naam, sizeof(tok.naam), "x");
	tok.rol = AUTH_ROLE_BEHEER;
	ck_assert_int_eq(ledger_token_add(rd, &tok, &err), -1);
	ledger_close(rd);

	snprintf(missing, sizeof(missing), "%s/nope.db", fx.dir);
	ck_assert_ptr_null(ledger_open(missing, LEDGER_READONLY, &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "nope.db"));
	fx_close(&fx);
}
END_TEST

/* ---- tokens --------------------------------------------------------- */

static const struct {
	const char *naam, *rol, *gemeenten, *prefix;
} tokens[] = {
	{ "rotterdam", "leverancier", "GM0599", "bsd_ab12" },
	{ "beheerder", "beheer", "", "bsd_cd34" },
	{ "rotterdam-2", "leverancier", "GM0599", "bsd_ab12" },
};

START_TEST(test_tokens)
{
	struct fixture fx;
	struct ledger_token t, *list = NULL;
	struct err err = { "" };
	size_t	n = 0, ntok = sizeof(tokens) / sizeof(*tokens);

	fx_open(&fx);
	for (size_t i = 0; i < ntok; i++) {
		memset(&t, 0, sizeof(t));
		snprintf(t.naam, sizeof(t.naam), "%s", tokens[i].naam);
		ck_assert_int_eq(auth_role_parse(tokens[i].rol, &t.rol), 0);
		snprintf(t.gemeenten, sizeof(t.gemeenten), "%s",
		    tokens[i].gemeenten);
		snprintf(t.hash, sizeof(t.hash), "$argon2id$v=19$%zu", i);
		snprintf(t.prefix, sizeof(t.prefix), "%s", tokens[i].prefix);
		ck_assert_msg(ledger_token_add(fx.led, &t, &err) == 0, "%s",
		    err.msg);
		ck_assert_int_eq(t.id, (long long)i + 1);
		ck_assert_uint_eq(strlen(t.created_at), 20);
	}
	t.rol = AUTH_NROLES;	/* not a role: the schema refuses it */
	ck_assert_int_eq(ledger_token_add(fx.led, &t, &err), -1);

	ck_assert_int_eq(ledger_token_list(fx.led, &list, &n, NULL), 0);
	ck_assert_uint_eq(n, ntok);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(list[i].naam, tokens[i].naam);
		ck_assert_str_eq(list[i].gemeenten, tokens[i].gemeenten);
		ck_assert_str_eq(auth_role_name(list[i].rol), tokens[i].rol);
		ck_assert_int_eq(list[i].revoked, 0);
	}
	free(list);
	ck_assert_int_eq(ledger_token_revoke(fx.led, 1, NULL), 0);
	ck_assert_int_eq(ledger_token_revoke(fx.led, 42, &err), -1);
	ck_assert_int_eq(ledger_token_by_prefix(fx.led, "bsd_ab12", &list, &n,
	    NULL), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(list[0].revoked, 1);
	ck_assert_int_eq(list[1].revoked, 0);
	ck_assert_str_eq(list[1].hash, "$argon2id$v=19$2");
	free(list);
	ck_assert_int_eq(ledger_token_by_prefix(fx.led, "bsd_zz", &list, &n,
	    NULL), 0);
	ck_assert_uint_eq(n, 0);
	free(list);
	fx_close(&fx);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("ledger");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_test(tc, test_schema);
	tcase_add_test(tc, test_commit_read);
	tcase_add_test(tc, test_revisions);
	tcase_add_test(tc, test_withdraw);
	tcase_add_test(tc, test_versie);
	tcase_add_test(tc, test_event_states);
	tcase_add_loop_test(tc, test_late_data, 0, sizeof(late) / sizeof(*late));
	tcase_add_loop_test(tc, test_rollback, 0,
	    sizeof(badrow) / sizeof(*badrow));
	tcase_add_test(tc, test_duplicate_feed);
	tcase_add_test(tc, test_pending);
	tcase_add_test(tc, test_cross_keys_periods);
	tcase_add_test(tc, test_reader);
	tcase_add_test(tc, test_tokens);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
