/* src/serve/alertweb.c — alert routes over the api framework (after api in the
 * flow): who is asking (token or session), scope checks, JSON in and out,
 * the Atom feed and the sign-in. The judgement itself is alert.c's. */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "alert/alert.h"
#include "alert/alert_engine.h"
#include "analysis/query.h"
#include "serve/alertweb.h"
#include "serve/api.h"
#include "store/app.h"
#include "base/auth.h"
#include "base/json.h"
#include "store/ledger.h"
#include "base/log.h"
#include "base/num.h"
#include "base/util.h"

#define EVENTS_MAX 500		/* events per list request */
#define ATOM_ENTRIES 100

/* The caller, after authentication. */
struct who {
	char	naam[64];
	char	scope[512];	/* "" = all gemeenten */
	long long account_id;	/* 0 for a bearer token */
	int	session;
	char	csrf[65];
};

/* ---- small helpers ---------------------------------------------------- */

/* The caller's gemeenten as rows of the snapshot's register, parsed once
 * per request; 0, or -1 when there are more than the register can hold
 * (then nothing is in scope). */
static int
who_scope(const struct who *w, const struct app_snapshot *snap,
    struct reg_scope *ret)
{
	return register_scope_parse(snap->reg, w->scope, ret);
}

/* Is the event's gemeente in sc (parsed against reg)? */
static int
event_in_scope(const struct reg_scope *sc, const struct reg *reg,
    const struct ledger_alert_event *e)
{
	return register_scope_allows(sc, reg, register_find(reg, e->gemeente));
}

static struct app *
app_of(struct api_ctx *ctx)
{
	return ctx->app;
}

static int
oom(struct api_reply *reply)
{
	return api_refuse(reply, ERR_INTERNAL, "onvoldoende geheugen");
}

/* Value of our cookie in a Cookie header into buf; 0 or -1. */
static int
cookie_value(const char *header, char *buf, size_t size)
{
	const char *name = ALERTWEB_COOKIE "=";
	size_t	nl = strlen(name), vl;

	for (const char *p = header; p != NULL && *p;) {
		p += strspn(p, " ;");
		vl = strcspn(p, ";");
		if (vl > nl && strncmp(p, name, nl) == 0 && vl - nl < size) {
			memcpy(buf, p + nl, vl - nl);
			buf[vl - nl] = '\0';
			return 0;
		}
		p += vl;
	}
	return -1;
}

/* Tell the browser to forget the session cookie. */
static void
clear_cookie(struct api_ctx *ctx, struct api_reply *reply)
{
	/* The same attributes as when it was set (Secure under TLS), or a
	 * browser may keep the original. */
	api_reply_header(reply, "Set-Cookie", "%s=; Path=/; Max-Age=0; "
	    "HttpOnly; SameSite=Strict%s", ALERTWEB_COOKIE,
	    app_conf(app_of(ctx))->tls_cert[0] ? "; Secure" : "");
}

static int
role_ok(enum auth_role rol)
{
	return rol == AUTH_ROLE_MANAGER || rol == AUTH_ROLE_BEHEER;
}

static int
by_token(struct api_ctx *ctx, const struct api_request *req,
    struct api_reply *reply, struct who *ret)
{
	struct ledger_token tok;
	struct err err = { "" };

	if (app_authenticate(app_of(ctx), req->authorization, &tok, &err)) {
		snprintf(reply->www_authenticate, sizeof(reply->www_authenticate),
		    "Bearer realm=\"basisd\"");
		api_fail(reply, &err);
		return -1;
	}
	if (!role_ok(tok.rol)) {
		api_refuse(reply, ERR_FORBIDDEN,
		    "alleen voor de rollen manager en beheer");
		return -1;
	}
	snprintf(ret->naam, sizeof(ret->naam), "%s", tok.naam);
	snprintf(ret->scope, sizeof(ret->scope), "%s", tok.gemeenten);
	return 0;
}

/* The signed-in manager/beheer account of the session cookie: 1 (ret
 * filled), 0 no cookie, unknown or expired session, or -1 (err). */
static int
session_find(struct api_ctx *ctx, const struct api_request *req,
    struct who *ret, struct err *err)
{
	char	sid[128], hash[AUTH_SHA256_SIZE];
	struct ledger_account acc;
	struct ledger *led;
	int	found;

	if (cookie_value(req->cookie, sid, sizeof(sid)) == -1)
		return 0;
	auth_sha256_hex(sid, strlen(sid), hash);
	if ((led = app_reader_get(app_of(ctx), err)) == NULL)
		return -1;
	found = ledger_session_get(led, hash, (long long)time(NULL), &acc,
	    ret->csrf, err);
	app_reader_put(app_of(ctx), led);
	if (found != 1 || !role_ok(acc.rol))
		return found == -1 ? -1 : 0;
	snprintf(ret->naam, sizeof(ret->naam), "%s", acc.naam);
	snprintf(ret->scope, sizeof(ret->scope), "%s", acc.gemeenten);
	ret->account_id = acc.id;
	ret->session = 1;
	return 1;
}

static int
by_session(struct api_ctx *ctx, const struct api_request *req,
    struct api_reply *reply, struct who *ret)
{
	struct err err = { "" };
	int	found = session_find(ctx, req, ret, &err);
	char	sid[128];

	if (found == 1)
		return 0;
	if (found == -1)
		api_fail(reply, &err);
	else if (cookie_value(req->cookie, sid, sizeof(sid)) == -1)
		api_refuse(reply, ERR_UNAUTHORISED,
		    "niet aangemeld: meld je aan of stuur "
		    "'Authorization: Bearer <token>'");
	else
		api_refuse(reply, ERR_UNAUTHORISED,
		    "sessie verlopen of onbekend: meld je "
		    "opnieuw aan");
	return -1;
}

/* The CSRF token of a session request: the X-CSRF-Token header (what the
 * dashboard sends), or the query "csrf" or body field (forms, scripts). */
static int
csrf_ok(const struct api_request *req, const json_t *body,
    const struct who *w)
{
	const char *t = req->csrf_token ? req->csrf_token :
	    api_query(req, "csrf");

	if (t == NULL && body != NULL)
		t = json_get_str(body, "csrf");
	return t != NULL && auth_secret_equal(t, w->csrf);
}

/* Authenticate; for a state change made with a session, also check its
 * CSRF token (a cookie alone never authorises a change). Returns 0, or
 * -1 with reply filled. */
static int
who_is(struct api_ctx *ctx, const struct api_request *req, int change,
    const json_t *body, struct api_reply *reply, struct who *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (req->authorization != NULL)
		return by_token(ctx, req, reply, ret);
	if (by_session(ctx, req, reply, ret) == -1)
		return -1;
	if (change && !csrf_ok(req, body, ret)) {
		api_refuse(reply, ERR_FORBIDDEN,
		    "CSRF-token ontbreekt of klopt niet");
		return -1;
	}
	return 0;
}

static json_t *
body_json(const struct api_request *req, struct api_reply *reply)
{
	struct err err = { "" };
	json_t *o;

	if (req->body == NULL || req->body_len == 0)
		return json_object();
	if ((o = json_decode(req->body, req->body_len, &err)) == NULL)
		api_fail(reply, &err);
	return o;
}

/* Authenticate first, then parse the JSON body (issue 16: a 16 MB object
 * sent to an authenticated route was parsed before anyone was asked who
 * sent it), then for a change by session check the CSRF token, which may
 * be in that body. The body, or NULL with reply filled. */
static json_t *
who_body(struct api_ctx *ctx, const struct api_request *req, int change,
    struct api_reply *reply, struct who *ret)
{
	json_t *body;

	if (who_is(ctx, req, 0, NULL, reply, ret) == -1 ||
	    (body = body_json(req, reply)) == NULL)
		return NULL;
	if (change && ret->session && !csrf_ok(req, body, ret)) {
		api_refuse(reply, ERR_FORBIDDEN,
		    "CSRF-token ontbreekt of klopt niet");
		json_decref(body);
		return NULL;
	}
	return body;
}

static int
param_id(const struct api_params *params, long long *ret)
{
	const char *s = api_param(params, "id");

	return s != NULL ? num_int(s, 1, LLONG_MAX, ret, NULL) : -1;
}

/* Run fn on the writer (app_with_writer) with a typed argument. */
typedef int (*writer_fn)(void *arg, struct ledger *writer, struct err *err);

static int
with_writer(struct api_ctx *ctx, writer_fn fn, void *arg, struct err *err)
{
	return app_with_writer(app_of(ctx), fn, arg, err);
}

/* ---- rules ------------------------------------------------------------ */

/* Load rule id: 0 (ret filled), or -1 with reply filled (404, 500). */
static int
rule_load(struct api_ctx *ctx, long long id, struct alert_rule *ret,
    struct api_reply *reply)
{
	struct ledger_alert_rule row;
	struct err err = { "" };
	struct ledger *led = app_reader_get(app_of(ctx), &err);
	int	found;

	if (led == NULL)
		return api_fail(reply, &err), -1;
	found = ledger_alert_rule_get(led, id, &row, &err);
	app_reader_put(app_of(ctx), led);
	if (found == 0)
		return api_refuse(reply, ERR_NOT_FOUND,
		    "regel bestaat niet"), -1;
	if (found == -1 || alert_rule_from_ledger(&row, ret, &err) == -1)
		return api_fail(reply, &err), -1;
	return 0;
}

/* The scope check on the gemeenten a rule can fire for, as they resolve
 * now: a vergelijkbaar-* group is its anchor and that one's peers from
 * the ledger (issue 16: resolved through the register alone it had no
 * members, passed every scope, and another gemeente's manager could list,
 * edit and delete it). led: a reader the caller holds. */
static int
rule_scope(struct api_ctx *ctx, struct app_snapshot *snap, struct ledger *led,
    const struct alert_rule *r, const struct reg_scope *scope)
{
	const struct conf *c = app_conf(app_of(ctx));
	struct query_src src = { .led = led, .cat = snap->cat,
		.reg = snap->reg, .store = app_store(app_of(ctx)),
		.k = (size_t)c->peers_k, .features = &c->peer_features,
		.pub = app_publish(app_of(ctx)) };
	struct compare_groep g;
	struct err err = { "" };
	int	ok;

	if (scope->all || r->gemeente[0] != '\0' ||
	    strncasecmp(r->groep, "vergelijkbaar-", 14) != 0)
		return alert_rule_in_scope(r, snap->reg, scope);
	if (query_group_members(&src, r->groep, &g, &err) == -1)
		return 0;
	ok = alert_members_in_scope(&g, snap->reg, scope);
	compare_groep_free(&g);
	return ok;
}

/* rule_scope with its own snapshot and reader: call it holding none. */
static int
in_scope(struct api_ctx *ctx, const struct alert_rule *r, const struct who *w)
{
	struct app_snapshot *snap = app_snapshot_get(app_of(ctx));
	struct err err = { "" };
	struct ledger *led = app_reader_get(app_of(ctx), &err);
	struct reg_scope sc;
	int	ok = led != NULL && who_scope(w, snap, &sc) == 0 &&
	    rule_scope(ctx, snap, led, r, &sc);

	if (led != NULL)
		app_reader_put(app_of(ctx), led);
	app_snapshot_put(app_of(ctx), snap);
	return ok;
}

static int
forbidden_rule(struct api_reply *reply)
{
	return api_refuse(reply, ERR_FORBIDDEN,
	    "deze regel valt buiten de gemeenten "
	    "waarvoor je bevoegd bent");
}

static int
h_rules(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	struct ledger_alert_rule *rows = NULL;
	struct app_snapshot *snap;
	struct reg_scope sc;
	struct err err = { "" };
	struct ledger *led;
	struct who w;
	json_t *arr;
	size_t	n = 0;

	(void)params;
	if (who_is(ctx, req, 0, NULL, reply, &w) == -1)
		return 0;
	if ((led = app_reader_get(app_of(ctx), &err)) == NULL)
		return api_fail(reply, &err);
	if (ledger_alert_rules(led, NULL, 0, &rows, &n, &err) == -1) {
		app_reader_put(app_of(ctx), led);
		return api_fail(reply, &err);
	}
	arr = json_array();
	snap = app_snapshot_get(app_of(ctx));
	if (who_scope(&w, snap, &sc) == -1)
		n = 0;	/* a scope the register cannot hold allows nothing */
	for (size_t i = 0; i < n; i++) {
		struct alert_rule r;

		if (alert_rule_from_ledger(&rows[i], &r, &err) == 0 &&
		    rule_scope(ctx, snap, led, &r, &sc))
			json_push(arr, alert_rule_to_json(&r));
	}
	app_snapshot_put(app_of(ctx), snap);
	app_reader_put(app_of(ctx), led);
	free(rows);
	return api_json(reply, 200, json_pack("{s:o}", "regels", arr));
}

static int
h_rule_get(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	struct alert_rule r;
	struct who w;
	long long id;

	if (who_is(ctx, req, 0, NULL, reply, &w) == -1)
		return 0;
	if (param_id(params, &id) == -1)
		return api_refuse(reply, ERR_NOT_FOUND, "regel bestaat niet");
	if (rule_load(ctx, id, &r, reply) == -1)
		return 0;
	if (!in_scope(ctx, &r, &w))
		return forbidden_rule(reply);
	return api_json(reply, 200, alert_rule_to_json(&r));
}

static int
put_locked(void *arg, struct ledger *writer, struct err *err)
{
	return ledger_alert_rule_put(writer, arg, err);
}

/* Parse, check against the catalogue and the scope: 0 or -1 (reply). */
static int
rule_parse(struct api_ctx *ctx, const json_t *body, const struct who *w,
    struct alert_rule *r, struct api_reply *reply)
{
	struct app_snapshot *snap = app_snapshot_get(app_of(ctx));
	struct err err = { "" };
	int	rc = 0;

	if (alert_rule_from_json(body, r, &err) == -1 ||
	    alert_rule_check(r, snap->cat, snap->reg, &err) == -1) {
		api_fail(reply, &err);
		rc = -1;
	}
	app_snapshot_put(app_of(ctx), snap);
	if (rc == 0 && !in_scope(ctx, r, w)) {
		forbidden_rule(reply);
		rc = -1;
	}
	return rc;
}

/* Create (id 0) or replace a rule from the request body. */
static int
rule_store(struct api_ctx *ctx, const struct api_request *req,
    long long id, struct api_reply *reply)
{
	struct ledger_alert_rule row;
	struct alert_rule r = { .id = id }, old;
	struct err err = { "" };
	json_t *body;
	struct who w;

	if ((body = who_body(ctx, req, 1, reply, &w)) == NULL)
		return 0;
	if (id != 0 && rule_load(ctx, id, &old, reply) == -1)
		goto done;
	if (id != 0 && !in_scope(ctx, &old, &w)) {
		forbidden_rule(reply);
		goto done;
	}
	snprintf(r.eigenaar, sizeof(r.eigenaar), "%s", id ? old.eigenaar :
	    w.naam);
	if (rule_parse(ctx, body, &w, &r, reply) == -1)
		goto done;
	if (alert_rule_to_ledger(&r, &row, &err) == -1 ||
	    with_writer(ctx, put_locked, &row, &err) == -1) {
		api_fail(reply, &err);
		goto done;
	}
	r.id = row.id;
	if (id == 0)
		snprintf(reply->location, sizeof(reply->location),
		    "/api/v1/alerts/rules/%lld", r.id);
	api_json(reply, id ? 200 : 201, alert_rule_to_json(&r));
done:
	json_decref(body);
	return 0;
}

static int
h_rule_create(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	(void)params;
	return rule_store(ctx, req, 0, reply);
}

static int
h_rule_put(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	long long id;

	if (param_id(params, &id) == -1)
		return api_refuse(reply, ERR_NOT_FOUND, "regel bestaat niet");
	return rule_store(ctx, req, id, reply);
}

struct del_call {
	long long id;
	int	found;
};

static int
delete_locked(void *arg, struct ledger *writer, struct err *err)
{
	struct del_call *d = arg;

	d->found = ledger_alert_rule_delete(writer, d->id, err);
	return d->found == -1 ? -1 : 0;
}

static int
h_rule_delete(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	struct del_call d = { 0, 0 };
	struct err err = { "" };
	struct alert_rule r;
	struct who w;

	if (who_is(ctx, req, 1, NULL, reply, &w) == -1)
		return 0;
	if (param_id(params, &d.id) == -1)
		return api_refuse(reply, ERR_NOT_FOUND, "regel bestaat niet");
	if (rule_load(ctx, d.id, &r, reply) == -1)
		return 0;
	if (!in_scope(ctx, &r, &w))
		return forbidden_rule(reply);
	if (with_writer(ctx, delete_locked, &d, &err) == -1)
		return api_fail(reply, &err);
	return api_json(reply, 200, json_pack("{s:I}", "verwijderd",
	    (json_int_t)d.id));
}

/* ---- preview ---------------------------------------------------------- */

static json_t *
preview_json(const struct alert_preview *p)
{
	json_t *o = json_object(), *hits = json_array();
	char	van[16], tot[16], tekst[256];

	period_format(&p->van, van, sizeof(van));
	period_format(&p->tot, tot, sizeof(tot));
	snprintf(tekst, sizeof(tekst), "Deze regel zou van %s tot en met %s "
	    "%zu keer zijn afgegaan (%zu gemeente%s beoordeeld).", van, tot,
	    p->nfired, p->ngemeenten, p->ngemeenten == 1 ? "" : "n");
	for (size_t i = 0; i < p->nhits; i++) {
		json_t *h = json_object();
		char	per[16];

		json_put_str(h, "gemeente", p->hits[i].gemeente);
		json_put_str(h, "periode", period_format(&p->hits[i].periode,
		    per, sizeof(per)));
		json_put_str(h, "melding", p->hits[i].zin);
		json_push(hits, h);
	}
	json_put_int(o, "aantal", (long long)p->nfired);
	json_put_int(o, "gemeenten", (long long)p->ngemeenten);
	json_put_str(o, "van", van);
	json_put_str(o, "tot", tot);
	json_put_str(o, "tekst", tekst);
	json_put(o, "meldingen", hits);
	return o;
}

static int
h_preview(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	struct alert_rule r = { 0 };
	struct alert_preview p;
	struct err err = { "" };
	json_t *body;
	struct who w;
	double	per = 24;

	(void)params;
	/* A preview changes nothing: no CSRF token needed. */
	if ((body = who_body(ctx, req, 0, reply, &w)) == NULL)
		return 0;
	if (rule_parse(ctx, body, &w, &r, reply) == -1)
		goto done;
	if (json_object_get(body, "perioden") != NULL &&
	    (json_get_num(body, "perioden", &per) == -1 || per < 1 ||
	    per > 240 || per != floor(per))) {
		api_refuse(reply, ERR_REJECTED, "perioden: 1 tot en met 240");
		goto done;
	}
	if (alert_preview_run(app_of(ctx), &r, (int)per, (long long)time(NULL),
	    &p, &err) == -1) {
		api_fail(reply, &err);
		goto done;
	}
	api_json(reply, 200, preview_json(&p));
	alert_preview_free(&p);
done:
	json_decref(body);
	return 0;
}

/* ---- events ----------------------------------------------------------- */

#define FIRING		LEDGER_EVENTS_OF(LEDGER_EVENT_FIRING)
#define ACKED		LEDGER_EVENTS_OF(LEDGER_EVENT_ACKNOWLEDGED)
#define RESOLVED	LEDGER_EVENTS_OF(LEDGER_EVENT_RESOLVED)
static const struct {
	const char *param;
	unsigned states;
} status_params[] = { { "firing", FIRING }, { "actief", FIRING },
	{ "acknowledged", ACKED }, { "bevestigd", ACKED },
	{ "resolved", RESOLVED }, { "opgeheven", RESOLVED },
	{ "open", LEDGER_EVENTS_OPEN }, { "alle", LEDGER_EVENTS_ANY } };

/* Events in scope (parsed against reg), newest first; states as in
 * ledger_alert_events. */
static json_t *
events_json(struct ledger *led, unsigned states, const struct reg_scope *sc,
    const struct reg *reg, size_t limit, struct err *err)
{
	struct ledger_alert_event *ev = NULL;
	json_t *arr;
	size_t	n = 0, k = 0;

	if (ledger_alert_events(led, states, 0, 0, &ev, &n, err) == -1)
		return NULL;
	arr = json_array();
	for (size_t i = 0; i < n && k < limit; i++)
		if (event_in_scope(sc, reg, &ev[i])) {
			json_push(arr, alert_event_json(&ev[i]));
			k++;
		}
	free(ev);
	return arr;
}

static int
h_events(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	const char *s = api_query(req, "status");
	unsigned states;
	struct app_snapshot *snap;
	struct reg_scope sc;
	struct err err = { "" };
	struct ledger *led;
	struct who w;
	json_t *arr = NULL;
	size_t	i;

	(void)params;
	if (who_is(ctx, req, 0, NULL, reply, &w) == -1)
		return 0;
	for (i = 0; s != NULL && i < NELEM(status_params); i++)
		if (strcmp(s, status_params[i].param) == 0)
			break;
	if (s != NULL && i == NELEM(status_params))
		return api_refuse(reply, ERR_INPUT,
		    "status: actief, bevestigd, "
		    "opgeheven, open of alle");
	states = s != NULL ? status_params[i].states : LEDGER_EVENTS_ANY;
	if ((led = app_reader_get(app_of(ctx), &err)) == NULL)
		return api_fail(reply, &err);
	snap = app_snapshot_get(app_of(ctx));
	if (who_scope(&w, snap, &sc) == 0)
		arr = events_json(led, states, &sc, snap->reg, EVENTS_MAX,
		    &err);
	else
		arr = json_array();
	app_snapshot_put(app_of(ctx), snap);
	app_reader_put(app_of(ctx), led);
	if (arr == NULL)
		return api_fail(reply, &err);
	return api_json(reply, 200, json_pack("{s:o}", "meldingen", arr));
}

struct ack_call {
	long long id;
	const char *by;
	int	done;
	struct ledger_alert_event ev;
};

static int
ack_locked(void *arg, struct ledger *writer, struct err *err)
{
	struct ack_call *a = arg;

	if ((a->done = ledger_alert_ack(writer, a->id, a->by, err)) == -1)
		return -1;
	return ledger_alert_event_get(writer, a->id, &a->ev, err) == -1 ? -1 : 0;
}

/* One event against the caller's scope, with a snapshot of its own. */
static int
ack_in_scope(struct api_ctx *ctx, const struct who *w,
    const struct ledger_alert_event *e)
{
	struct app_snapshot *snap = app_snapshot_get(app_of(ctx));
	struct reg_scope sc;
	int	ok = who_scope(w, snap, &sc) == 0 &&
	    event_in_scope(&sc, snap->reg, e);

	app_snapshot_put(app_of(ctx), snap);
	return ok;
}

static int
h_ack(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	struct ack_call a = { 0 };
	struct err err = { "" };
	json_t *body;
	struct ledger *led;
	struct who w;
	int	found;

	if ((body = who_body(ctx, req, 1, reply, &w)) == NULL)
		return 0;
	if (param_id(params, &a.id) == -1) {
		api_refuse(reply, ERR_NOT_FOUND, "melding bestaat niet");
		goto done;
	}
	if ((led = app_reader_get(app_of(ctx), &err)) == NULL) {
		api_fail(reply, &err);
		goto done;
	}
	found = ledger_alert_event_get(led, a.id, &a.ev, &err);
	app_reader_put(app_of(ctx), led);
	if (found != 1) {
		if (found)
			api_fail(reply, &err);
		else
			api_refuse(reply, ERR_NOT_FOUND,
			    "melding bestaat niet");
		goto done;
	}
	if (!ack_in_scope(ctx, &w, &a.ev)) {
		api_refuse(reply, ERR_FORBIDDEN,
		    "deze melding valt buiten je gemeenten");
		goto done;
	}
	a.by = w.naam;
	if (with_writer(ctx, ack_locked, &a, &err) == -1)
		api_fail(reply, &err);
	else if (!a.done)
		api_refuse(reply, ERR_CONFLICT,
		    "de melding is niet (meer) actief");
	else
		api_json(reply, 200, alert_event_json(&a.ev));
done:
	json_decref(body);
	return 0;
}

/* ---- Atom ------------------------------------------------------------- */

/* XML 1.0 Char (§2.2): no control characters but TAB, LF and CR, no
 * surrogates (already invalid UTF-8), no U+FFFE or U+FFFF. */
static int
xml_char(unsigned cp)
{
	return cp == '\t' || cp == '\n' || cp == '\r' ||
	    (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
	    cp >= 0x10000;
}

/* Text content, escaped; a character XML cannot carry (or a byte that is
 * not UTF-8) becomes U+FFFD, so one odd rule name never makes the whole
 * feed unreadable. */
static void
xml_text(FILE *f, const char *s)
{
	unsigned cp;
	size_t	n;

	for (; s != NULL && *s; s += n) {
		if ((n = json_utf8_next(s, &cp)) == 0 || !xml_char(cp)) {
			fputs("\xEF\xBF\xBD", f);
			n = n ? n : 1;
			continue;
		}
		switch (cp) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fwrite(s, 1, n, f);
		}
	}
}

static void
atom_entry(FILE *f, const struct ledger_alert_event *e)
{
	const char *upd = e->resolved_at[0] ? e->resolved_at :
	    e->acknowledged_at[0] ? e->acknowledged_at : e->fired_at;

	fprintf(f, "<entry>\n<id>urn:basisd:melding:%lld</id>\n<title>", e->id);
	xml_text(f, e->rule_naam);
	fputs(" — ", f);
	xml_text(f, e->gemeente);
	fprintf(f, " (%s)</title>\n<updated>", alert_state_tekst(e->state));
	xml_text(f, upd);
	fputs("</updated>\n<published>", f);
	xml_text(f, e->fired_at);
	fputs("</published>\n<link rel=\"alternate\" href=\"/alerts\"/>\n"
	    "<content type=\"text\">", f);
	xml_text(f, e->message);
	fputs("</content>\n</entry>\n", f);
}

static char *
atom_render(const struct ledger_account *acc, const struct reg *reg,
    const struct ledger_alert_event *ev, size_t n, size_t *ret_len)
{
	struct reg_scope sc;
	char   *buf = NULL;
	size_t	len = 0, k = 0;
	FILE   *f = open_memstream(&buf, &len);
	char	now[32];
	time_t	t = time(NULL);
	struct tm tm;

	if (f == NULL)
		return NULL;
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns="
	    "\"http://www.w3.org/2005/Atom\" xml:lang=\"nl\">\n<id>urn:basisd:"
	    "meldingen:%lld</id>\n<title>Meldingen basisindicatoren voor ",
	    acc->id);
	xml_text(f, acc->naam);
	fprintf(f, "</title>\n<updated>%s</updated>\n<author><name>basisd"
	    "</name></author>\n<link rel=\"alternate\" href=\"/alerts\"/>\n",
	    n > 0 ? ev[0].fired_at : now);
	if (register_scope_parse(reg, acc->gemeenten, &sc) == -1)
		n = 0;	/* more gemeenten than the register holds: none */
	for (size_t i = 0; i < n && k < ATOM_ENTRIES; i++)
		if (event_in_scope(&sc, reg, &ev[i])) {
			atom_entry(f, &ev[i]);
			k++;
		}
	fputs("</feed>\n", f);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	*ret_len = len;
	return buf;
}

static int
h_atom(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	const char *token = api_query(req, "token");
	struct ledger_alert_event *ev = NULL;
	char	hash[AUTH_SHA256_SIZE], *xml;
	struct app_snapshot *snap;
	struct ledger_account acc;
	struct err err = { "" };
	struct ledger *led;
	size_t	n = 0, len = 0;
	int	found;

	(void)params;
	if (token == NULL || strlen(token) < 32)
		return api_refuse(reply, ERR_UNAUTHORISED,
		    "geef het feedtoken mee: "
		    "/alerts.atom?token=…");
	auth_sha256_hex(token, strlen(token), hash);
	if ((led = app_reader_get(app_of(ctx), &err)) == NULL)
		return api_fail(reply, &err);
	found = ledger_account_by_feed(led, hash, &acc, &err);
	if (found == 1 && !acc.disabled)
		found = ledger_alert_events(led, LEDGER_EVENTS_ANY, 0, 0, &ev,
		    &n, &err) ?
		    -1 : 1;
	app_reader_put(app_of(ctx), led);
	if (found != 1 || acc.disabled)
		return found == -1 ? api_fail(reply, &err) :
		    api_refuse(reply, ERR_UNAUTHORISED, "onbekend feedtoken");
	snap = app_snapshot_get(app_of(ctx));
	xml = atom_render(&acc, snap->reg, ev, n, &len);
	app_snapshot_put(app_of(ctx), snap);
	free(ev);
	if (xml == NULL)
		return oom(reply);
	snprintf(reply->cache_control, sizeof(reply->cache_control),
	    "private, no-cache");
	return api_reply_take(reply, 200, "application/atom+xml; charset=utf-8",
	    xml, len);
}

/* ---- sign-in ---------------------------------------------------------- */

struct login_call {
	char	hash[AUTH_SHA256_SIZE];
	long long account_id;
	char	csrf[33];
	long long expires;
};

static int
login_locked(void *arg, struct ledger *writer, struct err *err)
{
	struct login_call *l = arg;

	return ledger_session_add(writer, l->hash, l->account_id, l->csrf,
	    l->expires, err);
}

/* Look up and check an account: 1 ok, 0 wrong name or password, -1
 * error, -2 too many password checks at once (app_password_check). */
static int
check_login(struct api_ctx *ctx, const char *naam, const char *pw,
    struct ledger_account *acc, struct err *err)
{
	struct ledger *led = app_reader_get(app_of(ctx), err);
	int	found, ok;

	if (led == NULL)
		return -1;
	found = ledger_account_by_name(led, naam, acc, err);
	app_reader_put(app_of(ctx), led);
	if (found == -1)
		return -1;
	/* An unknown name costs as much time as a wrong password, so the
	 * answer's timing does not tell which names exist. No reader is
	 * held while hashing. */
	ok = app_password_check(app_of(ctx), pw, found ? acc->password_hash :
	    NULL);
	if (ok == -1)
		return -2;
	return ok && found && !acc->disabled && role_ok(acc->rol);
}

/* Answer a sign-in that was not let in: 429 while the account or the
 * address waits out its backoff, 503 when the password checkers are all
 * busy, 401 for a wrong name or password, 500 on an error. Failures and
 * refusals are logged at info (who, from where). */
static int
login_refused(struct api_ctx *ctx, const struct api_request *req,
    const char *naam, int ok, long wait, const struct err *err,
    struct api_reply *reply)
{
	const char *from = req->client_addr ? req->client_addr : "?";

	if (wait > 0) {
		log_info("aanmelden geweigerd: '%s' van %s, nog %ld s wachten "
		    "na te veel mislukte pogingen", naam, from, wait);
		api_reply_header(reply, "Retry-After", "%ld", wait);
		return api_refuse(reply, ERR_BUSY, "te veel mislukte "
		    "aanmeldingen: probeer het over %ld seconden opnieuw", wait);
	}
	if (ok == -2) {
		api_reply_header(reply, "Retry-After", "1");
		return api_refuse(reply, ERR_UNAVAILABLE, "te veel aanmeldingen "
		    "tegelijk: probeer het zo opnieuw");
	}
	if (ok == -1)
		return api_fail(reply, err);
	app_signin_result(app_of(ctx), naam, req->client_addr, 0);
	log_info("aanmelden mislukt: '%s' van %s", naam, from);
	return api_refuse(reply, ERR_UNAUTHORISED, "naam of wachtwoord onjuist");
}

static int
h_login(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	json_t *body = body_json(req, reply);
	const char *naam, *pw;
	struct ledger_account acc;
	struct login_call l;
	struct err err = { "" };
	char	sid[65];
	int	ok = 0;
	long	wait;

	(void)params;
	if (body == NULL)
		return 0;
	naam = json_get_str(body, "naam");
	pw = json_get_str(body, "wachtwoord");
	if (naam == NULL || pw == NULL || *pw == '\0') {
		api_refuse(reply, ERR_INPUT, "geef naam en wachtwoord");
		goto done;
	}
	/* While the backoff runs even the right password is not looked at:
	 * guessing gains nothing. */
	if ((wait = app_signin_wait(app_of(ctx), naam, req->client_addr)) > 0 ||
	    (ok = check_login(ctx, naam, pw, &acc, &err)) != 1) {
		login_refused(ctx, req, naam, ok, wait, &err, reply);
		goto done;
	}
	app_signin_result(app_of(ctx), naam, req->client_addr, 1);
	auth_random_hex(32, sid);
	auth_random_hex(16, l.csrf);
	auth_sha256_hex(sid, strlen(sid), l.hash);
	l.account_id = acc.id;
	l.expires = (long long)time(NULL) + ALERTWEB_SESSION_SECONDS;
	if (with_writer(ctx, login_locked, &l, &err) == -1) {
		api_fail(reply, &err);
		goto done;
	}
	/* HttpOnly: scripts never see the session id; SameSite=Strict: the
	 * browser does not send it with requests started by other sites. */
	api_reply_header(reply, "Set-Cookie", "%s=%s; Path=/; Max-Age=%d; "
	    "HttpOnly; SameSite=Strict%s", ALERTWEB_COOKIE, sid,
	    ALERTWEB_SESSION_SECONDS,
	    app_conf(app_of(ctx))->tls_cert[0] ? "; Secure" : "");
	api_json(reply, 200, json_pack("{s:s, s:s, s:s, s:s}", "naam",
	    acc.naam, "rol", auth_role_name(acc.rol), "gemeenten", acc.gemeenten, "csrf",
	    l.csrf));
	log_info("aangemeld: %s", acc.naam);
done:
	json_decref(body);
	return 0;
}

/* Who is signed in. Not being signed in is an answer, not an error (the
 * dashboard asks on every visit of /alerts): 200 {"aangemeld": false},
 * and a stale cookie is cleared. A bearer token is checked as anywhere. */
static int
h_whoami(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	struct err err = { "" };
	struct who w;
	char	sid[128];
	int	found;

	(void)params;
	memset(&w, 0, sizeof(w));
	if (req->authorization != NULL) {
		if (by_token(ctx, req, reply, &w) == -1)
			return 0;
		found = 1;
	} else if ((found = session_find(ctx, req, &w, &err)) == -1) {
		return api_fail(reply, &err);
	}
	if (found == 0) {
		if (cookie_value(req->cookie, sid, sizeof(sid)) == 0)
			clear_cookie(ctx, reply);
		return api_json(reply, 200, json_pack("{s:b}", "aangemeld", 0));
	}
	return api_json(reply, 200, json_pack("{s:b, s:s, s:s, s:b, s:s?}",
	    "aangemeld", 1, "naam", w.naam, "gemeenten", w.scope, "sessie",
	    w.session, "csrf", w.session ? w.csrf : NULL));
}

struct logout_call {
	char	hash[AUTH_SHA256_SIZE];
};

static int
logout_locked(void *arg, struct ledger *writer, struct err *err)
{
	struct logout_call *l = arg;

	return ledger_session_delete(writer, l->hash, (long long)time(NULL),
	    err);
}

static int
h_logout(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	struct logout_call l;
	struct err err = { "" };
	char	sid[128];

	(void)params;
	if (cookie_value(req->cookie, sid, sizeof(sid)) == 0) {
		auth_sha256_hex(sid, strlen(sid), l.hash);
		if (with_writer(ctx, logout_locked, &l, &err) == -1)
			return api_fail(reply, &err);
	}
	clear_cookie(ctx, reply);
	return api_json(reply, 200, json_pack("{s:b}", "afgemeld", 1));
}

struct feed_call {
	long long id;
	char	hash[AUTH_SHA256_SIZE];
};

static int
feed_locked(void *arg, struct ledger *writer, struct err *err)
{
	struct feed_call *f = arg;

	return ledger_account_set_feed(writer, f->id, f->hash, err);
}

/* A new read-only feed token for the signed-in account (the old one
 * stops working). Shown once. */
static int
h_feedtoken(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	json_t *body;
	struct feed_call f;
	struct err err = { "" };
	char	token[65], url[128];
	struct who w;

	(void)params;
	if ((body = who_body(ctx, req, 1, reply, &w)) == NULL)
		return 0;
	if (w.account_id == 0) {
		api_refuse(reply, ERR_INPUT,
		    "een feedtoken hoort bij een account: "
		    "meld je aan in het dashboard");
		goto done;
	}
	auth_random_hex(32, token);
	auth_sha256_hex(token, strlen(token), f.hash);
	f.id = w.account_id;
	if (with_writer(ctx, feed_locked, &f, &err) == -1) {
		api_fail(reply, &err);
		goto done;
	}
	snprintf(url, sizeof(url), "/alerts.atom?token=%s", token);
	api_json(reply, 200, json_pack("{s:s, s:s}", "token", token, "url",
	    url));
done:
	json_decref(body);
	return 0;
}

/* The dashboard page for alerts is a client-side route. */
static int
h_page(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	(void)req;
	(void)params;
	return api_static(ctx, "/", reply);
}

#define JSON "application/json"

static const struct api_route routes[] = {
	{ "GET", "/api/v1/alerts/rules", h_rules, "alert_regels",
	    "Alert-regels binnen je gemeenten", 0, NULL, NULL },
	{ "POST", "/api/v1/alerts/rules", h_rule_create, "alert_regel_nieuw",
	    "Nieuwe alert-regel", API_BODY, "csrf", JSON },
	{ "GET", "/api/v1/alerts/rules/{id}", h_rule_get, "alert_regel",
	    "Eén alert-regel", 0, NULL, NULL },
	{ "PUT", "/api/v1/alerts/rules/{id}", h_rule_put, "alert_regel_wijzig",
	    "Alert-regel vervangen", API_BODY, "csrf", JSON },
	{ "DELETE", "/api/v1/alerts/rules/{id}", h_rule_delete,
	    "alert_regel_weg", "Alert-regel verwijderen", 0, "csrf", NULL },
	{ "POST", "/api/v1/alerts/preview", h_preview, "alert_voorbeeld",
	    "Hoe vaak een regel in het verleden was afgegaan", API_BODY, NULL,
	    JSON },
	{ "GET", "/api/v1/alerts", h_events, "alert_meldingen",
	    "Meldingen binnen je gemeenten", 0, "status", NULL },
	{ "POST", "/api/v1/alerts/{id}/ack", h_ack, "alert_bevestig",
	    "Melding bevestigen", 0, "csrf", NULL },
	{ "POST", "/api/v1/alerts/feedtoken", h_feedtoken, "alert_feedtoken",
	    "Nieuw feedtoken voor de Atom-feed", 0, "csrf", NULL },
	{ "GET", "/alerts.atom", h_atom, "alert_atom",
	    "Meldingen als Atom-feed", 0, "token", NULL },
	{ "POST", "/api/v1/sessie", h_login, "sessie_aanmelden",
	    "Aanmelden in het dashboard", API_BODY, NULL, JSON },
	{ "GET", "/api/v1/sessie", h_whoami, "sessie", "Wie is aangemeld", 0,
	    NULL, NULL },
	{ "DELETE", "/api/v1/sessie", h_logout, "sessie_afmelden",
	    "Afmelden", 0, NULL, NULL },
	{ "GET", "/alerts", h_page, "alert_pagina", "Dashboardpagina meldingen",
	    0, NULL, NULL },
};

const struct api_route *
alertweb_routes(size_t *ret_n)
{
	*ret_n = NELEM(routes);
	return routes;
}
