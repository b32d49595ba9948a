/* src/serve/alertweb_who.h — private to src/serve/alertweb*.c: who is
 * asking (struct who, filled by alertweb_who_is from a token or a session)
 * and the helpers and handlers the parts share: alertweb.c (who, helpers,
 * route table), alertweb_rules.c (rules, preview), alertweb_events.c
 * (events, acknowledgement, Atom) and alertweb_session.c (sign-in). */
#ifndef ALERTWEB_WHO_H
#define ALERTWEB_WHO_H

#include "alert/alert.h"
#include "serve/api.h"
#include "store/app.h"

/* The caller, after authentication. */
struct who {
	char	naam[64];
	char	scope[512];	/* "" = all gemeenten */
	long long account_id;	/* 0 for a bearer token */
	int	session;
	char	csrf[65];
};

/* A function run with the writer lock held (app_with_writer). */
typedef int (*writer_fn)(void *arg, struct ledger *writer, struct err *err);

/* The daemon behind the context (alertweb.h). */
static inline struct app *
app_of(struct api_ctx *ctx)
{
	return ctx->app;
}

/* A 500 for lack of memory; returns 0 (the reply is filled). */
static inline int
oom(struct api_reply *reply)
{
	return api_refuse(reply, ERR_INTERNAL, "onvoldoende geheugen");
}

/* ---- shared helpers (alertweb.c) ---- */

/* The caller from a bearer token (manager or beheer) or the session
 * cookie; for a state change (change) made with a session also its CSRF
 * token. 0, or -1 after filling reply (401/403). */
int	alertweb_who_is(struct api_ctx *ctx, const struct api_request *req,
	    int change, const json_t *body, struct api_reply *reply,
	    struct who *ret);
/* Authenticate first, then parse the JSON body, then for a change by
 * session check the CSRF token (which may be in the body): the body (the
 * caller frees it), or NULL after filling reply. */
json_t *alertweb_who_body(struct api_ctx *ctx, const struct api_request *req,
	    int change, struct api_reply *reply, struct who *ret);
/* The request body as JSON ({} when empty), or NULL after filling reply. */
json_t *alertweb_body_json(const struct api_request *req,
	    struct api_reply *reply);
/* The caller as a bearer token: 0 or -1 (reply filled). */
int	alertweb_by_token(struct api_ctx *ctx, const struct api_request *req,
	    struct api_reply *reply, struct who *ret);
/* The signed-in account of the session cookie: 1, 0 none, -1 (err). */
int	alertweb_session_find(struct api_ctx *ctx,
	    const struct api_request *req, struct who *ret, struct err *err);
/* Our cookie's value from a Cookie header into buf; 0 or -1. */
int	alertweb_cookie_value(const char *header, char *buf, size_t size);
/* Tell the browser to forget the session cookie. */
void	alertweb_clear_cookie(struct api_ctx *ctx, struct api_reply *reply);
/* 1 for the roles that may use alerts: manager and beheer. */
int	alertweb_role_ok(enum auth_role rol);
/* {id} of the route as a number of 1 or more: 0, or -1. */
int	alertweb_param_id(const struct api_params *params, long long *ret);
/* fn with the writer lock held: app_with_writer. */
int	alertweb_with_writer(struct api_ctx *ctx, writer_fn fn, void *arg,
	    struct err *err);
/* The caller's gemeenten as rows of the snapshot's register, parsed once
 * per request; 0, or -1 when there are more than it can hold. */
int	alertweb_who_scope(const struct who *w,
	    const struct app_snapshot *snap, struct reg_scope *ret);
/* Is the event's gemeente in sc (parsed against reg)? */
int	alertweb_event_in_scope(const struct reg_scope *sc,
	    const struct reg *reg, const struct ledger_alert_event *e);

/* ---- handlers of the route table ---- */

#define ALERTWEB_HANDLER(name)                                             \
	int	alertweb_h_##name(struct api_ctx *ctx,                     \
		    const struct api_request *req,                         \
		    const struct api_params *params, struct api_reply *reply)
ALERTWEB_HANDLER(rules);	/* alertweb_rules.c */
ALERTWEB_HANDLER(rule_get);
ALERTWEB_HANDLER(rule_create);
ALERTWEB_HANDLER(rule_put);
ALERTWEB_HANDLER(rule_delete);
ALERTWEB_HANDLER(preview);
ALERTWEB_HANDLER(events);	/* alertweb_events.c */
ALERTWEB_HANDLER(ack);
ALERTWEB_HANDLER(atom);
ALERTWEB_HANDLER(login);	/* alertweb_session.c */
ALERTWEB_HANDLER(whoami);
ALERTWEB_HANDLER(logout);
ALERTWEB_HANDLER(feedtoken);
#undef ALERTWEB_HANDLER

#endif /* ALERTWEB_WHO_H */
