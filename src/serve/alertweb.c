/* src/serve/alertweb.c — alert routes over the api framework (after api in the
 * flow): who is asking (token or session), the helpers the parts share and
 * the route table. The parts: alertweb_rules.c, alertweb_events.c (with
 * the Atom feed) and alertweb_session.c (sign-in). The judgement itself is
 * alert.c's. */
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
#include "serve/alertweb_who.h"
#include "serve/api.h"
#include "store/app.h"
#include "base/auth.h"
#include "base/json.h"
#include "store/ledger.h"
#include "base/log.h"
#include "base/num.h"
#include "base/util.h"

/* ---- small helpers ---------------------------------------------------- */

/* The caller's gemeenten as rows of the snapshot's register, parsed once
 * per request; 0, or -1 when there are more than the register can hold
 * (then nothing is in scope). */
int
alertweb_who_scope(const struct who *w, const struct app_snapshot *snap,
    struct reg_scope *ret)
{
	return register_scope_parse(snap->reg, w->scope, ret);
}

/* Is the event's gemeente in sc (parsed against reg)? */
int
alertweb_event_in_scope(const struct reg_scope *sc, const struct reg *reg,
    const struct ledger_alert_event *e)
{
	return register_scope_allows(sc, reg, register_find(reg, e->gemeente));
}

/* Value of our cookie in a Cookie header into buf; 0 or -1. */
int
alertweb_cookie_value(const char *header, char *buf, size_t size)
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
void
alertweb_clear_cookie(struct api_ctx *ctx, struct api_reply *reply)
{
	/* The same attributes as when it was set (Secure under TLS), or a
	 * browser may keep the original. */
	api_reply_header(reply, "Set-Cookie", "%s=; Path=/; Max-Age=0; "
	    "HttpOnly; SameSite=Strict%s", ALERTWEB_COOKIE,
	    app_conf(app_of(ctx))->tls_cert[0] ? "; Secure" : "");
}

int
alertweb_role_ok(enum auth_role rol)
{
	return rol == AUTH_ROLE_MANAGER || rol == AUTH_ROLE_BEHEER;
}

int
alertweb_by_token(struct api_ctx *ctx, const struct api_request *req,
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
	if (!alertweb_role_ok(tok.rol)) {
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
int
alertweb_session_find(struct api_ctx *ctx, const struct api_request *req,
    struct who *ret, struct err *err)
{
	char	sid[128], hash[AUTH_SHA256_SIZE];
	struct ledger_account acc;
	struct ledger *led;
	int	found;

	if (alertweb_cookie_value(req->cookie, sid, sizeof(sid)) == -1)
		return 0;
	auth_sha256_hex(sid, strlen(sid), hash);
	if ((led = app_reader_get(app_of(ctx), err)) == NULL)
		return -1;
	found = ledger_session_get(led, hash, (long long)time(NULL), &acc,
	    ret->csrf, err);
	app_reader_put(app_of(ctx), led);
	if (found != 1 || !alertweb_role_ok(acc.rol))
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
	int	found = alertweb_session_find(ctx, req, ret, &err);
	char	sid[128];

	if (found == 1)
		return 0;
	if (found == -1)
		api_fail(reply, &err);
	else if (alertweb_cookie_value(req->cookie, sid, sizeof(sid)) == -1)
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
int
alertweb_who_is(struct api_ctx *ctx, const struct api_request *req,
    int change, const json_t *body, struct api_reply *reply, struct who *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (req->authorization != NULL)
		return alertweb_by_token(ctx, req, reply, ret);
	if (by_session(ctx, req, reply, ret) == -1)
		return -1;
	if (change && !csrf_ok(req, body, ret)) {
		api_refuse(reply, ERR_FORBIDDEN,
		    "CSRF-token ontbreekt of klopt niet");
		return -1;
	}
	return 0;
}

json_t *
alertweb_body_json(const struct api_request *req, struct api_reply *reply)
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
json_t *
alertweb_who_body(struct api_ctx *ctx, const struct api_request *req,
    int change, struct api_reply *reply, struct who *ret)
{
	json_t *body;

	if (alertweb_who_is(ctx, req, 0, NULL, reply, ret) == -1 ||
	    (body = alertweb_body_json(req, reply)) == NULL)
		return NULL;
	if (change && ret->session && !csrf_ok(req, body, ret)) {
		api_refuse(reply, ERR_FORBIDDEN,
		    "CSRF-token ontbreekt of klopt niet");
		json_decref(body);
		return NULL;
	}
	return body;
}

int
alertweb_param_id(const struct api_params *params, long long *ret)
{
	const char *s = api_param(params, "id");

	return s != NULL ? num_int(s, 1, LLONG_MAX, ret, NULL) : -1;
}

/* Run fn on the writer (app_with_writer) with a typed argument. */
int
alertweb_with_writer(struct api_ctx *ctx, writer_fn fn, void *arg,
    struct err *err)
{
	return app_with_writer(app_of(ctx), fn, arg, err);
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
	{ "GET", "/api/v1/alerts/rules", alertweb_h_rules, "alert_regels",
	    "Alert-regels binnen je gemeenten", 0, NULL, NULL },
	{ "POST", "/api/v1/alerts/rules", alertweb_h_rule_create,
	    "alert_regel_nieuw", "Nieuwe alert-regel", API_BODY, "csrf", JSON },
	{ "GET", "/api/v1/alerts/rules/{id}", alertweb_h_rule_get,
	    "alert_regel", "Eén alert-regel", 0, NULL, NULL },
	{ "PUT", "/api/v1/alerts/rules/{id}", alertweb_h_rule_put,
	    "alert_regel_wijzig", "Alert-regel vervangen", API_BODY, "csrf", JSON },
	{ "DELETE", "/api/v1/alerts/rules/{id}", alertweb_h_rule_delete,
	    "alert_regel_weg", "Alert-regel verwijderen", 0, "csrf", NULL },
	{ "POST", "/api/v1/alerts/preview", alertweb_h_preview,
	    "alert_voorbeeld",
	    "Hoe vaak een regel in het verleden was afgegaan", API_BODY, NULL,
	    JSON },
	{ "GET", "/api/v1/alerts", alertweb_h_events, "alert_meldingen",
	    "Meldingen binnen je gemeenten", 0, "status", NULL },
	{ "POST", "/api/v1/alerts/{id}/ack", alertweb_h_ack, "alert_bevestig",
	    "Melding bevestigen", 0, "csrf", NULL },
	{ "POST", "/api/v1/alerts/feedtoken", alertweb_h_feedtoken,
	    "alert_feedtoken", "Nieuw feedtoken voor de Atom-feed", 0, "csrf",
	    NULL },
	{ "GET", "/alerts.atom", alertweb_h_atom, "alert_atom",
	    "Meldingen als Atom-feed", 0, "token", NULL },
	{ "POST", "/api/v1/sessie", alertweb_h_login, "sessie_aanmelden",
	    "Aanmelden in het dashboard", API_BODY, NULL, JSON },
	{ "GET", "/api/v1/sessie", alertweb_h_whoami, "sessie",
	    "Wie is aangemeld", 0, NULL, NULL },
	{ "DELETE", "/api/v1/sessie", alertweb_h_logout, "sessie_afmelden",
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
