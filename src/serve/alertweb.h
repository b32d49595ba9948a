/* src/serve/alertweb.h — the HTTP side of alerts (issue 7): rules (list,
 * create, read, replace, delete, preview), events (list, acknowledge), the
 * Atom feed per account, and the dashboard sign-in (session cookie
 * HttpOnly + SameSite=Strict, CSRF token for every state change made with
 * a session). Handlers expect ctx->app to be the daemon's struct app
 * (app.h).
 *
 * Who may do what: a bearer token with role manager or beheer, or a
 * signed-in manager/beheer account. A caller sees and changes only rules
 * and events within its gemeenten scope (403 otherwise).
 *
 * Thread-safety: the table is static const; handlers take what they need
 * from the app (reader pool, writer lock) and may run on any thread. */
#ifndef ALERTWEB_H
#define ALERTWEB_H

#include <stddef.h>

#include "serve/api.h"

#define ALERTWEB_COOKIE "basisd_sessie"
#define ALERTWEB_SESSION_SECONDS (8 * 3600)

/* The route table, to pass to api_ctx_add_routes(ctx, routes, n). */
const struct api_route *alertweb_routes(size_t *ret_n);

#endif /* ALERTWEB_H */
