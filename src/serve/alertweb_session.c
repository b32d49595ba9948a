/* src/serve/alertweb_session.c — the dashboard sign-in: sessions
 * (HttpOnly, SameSite=Strict cookie, CSRF token), who is signed in, sign
 * out, and the account's feed token for the Atom feed. */
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
	return ok && found && !acc->disabled && alertweb_role_ok(acc->rol);
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

int
alertweb_h_login(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	json_t *body = alertweb_body_json(req, reply);
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
	if (alertweb_with_writer(ctx, login_locked, &l, &err) == -1) {
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
int
alertweb_h_whoami(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	struct err err = { "" };
	struct who w;
	char	sid[128];
	int	found;

	(void)params;
	memset(&w, 0, sizeof(w));
	if (req->authorization != NULL) {
		if (alertweb_by_token(ctx, req, reply, &w) == -1)
			return 0;
		found = 1;
	} else if ((found = alertweb_session_find(ctx, req, &w, &err)) == -1) {
		return api_fail(reply, &err);
	}
	if (found == 0) {
		if (alertweb_cookie_value(req->cookie, sid, sizeof(sid)) == 0)
			alertweb_clear_cookie(ctx, reply);
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

int
alertweb_h_logout(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	struct logout_call l;
	struct err err = { "" };
	char	sid[128];

	(void)params;
	if (alertweb_cookie_value(req->cookie, sid, sizeof(sid)) == 0) {
		auth_sha256_hex(sid, strlen(sid), l.hash);
		if (alertweb_with_writer(ctx, logout_locked, &l, &err) == -1)
			return api_fail(reply, &err);
	}
	alertweb_clear_cookie(ctx, reply);
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
int
alertweb_h_feedtoken(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	json_t *body;
	struct feed_call f;
	struct err err = { "" };
	char	token[65], url[128];
	struct who w;

	(void)params;
	if ((body = alertweb_who_body(ctx, req, 1, reply, &w)) == NULL)
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
	if (alertweb_with_writer(ctx, feed_locked, &f, &err) == -1) {
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
