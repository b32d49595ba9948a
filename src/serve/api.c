/* src/serve/api.c — the HTTP framework between http (sockets) and the route
 * handlers: requests and replies, JSON errors, route matching, dispatch and
 * the framework routes (/healthz, /metrics, openapi.json). Its parts:
 * api_edge.c (the reply after the handler: validators, gzip, CORS),
 * api_csv.c, api_static.c, api_openapi.c. Plain structs in and out, so
 * every rule here is unit-tested without a server. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/cache.h"
#include "base/log.h"
#include "base/util.h"
#include "serve/api.h"
#include "serve/api_edge.h"

#define TYPE_JSON "application/json; charset=utf-8"

/* ---- request and reply */

const char *
api_query(const struct api_request *req, const char *key)
{
	for (size_t i = 0; i < req->nquery; i++)
		if (strcmp(req->query[i].key, key) == 0)
			return req->query[i].value;
	return NULL;
}

void
api_reply_init(struct api_reply *reply)
{
	memset(reply, 0, sizeof(*reply));
}

void
api_reply_free(struct api_reply *reply)
{
	if (reply == NULL)
		return;
	free(reply->body);
	reply->body = NULL;
	reply->len = 0;
	if (reply->release != NULL)
		reply->release(reply->release_arg);
	reply->lent = NULL;
	reply->release = NULL;
	reply->release_arg = NULL;
}

int
api_reply_take(struct api_reply *reply, int status, const char *type,
    char *body, size_t len)
{
	api_reply_free(reply);
	reply->status = status;
	snprintf(reply->content_type, sizeof(reply->content_type), "%s",
	    type ? type : "");
	reply->body = body;
	reply->len = len;
	return 0;
}

int
api_reply_copy(struct api_reply *reply, int status, const char *type,
    const void *data, size_t len)
{
	char   *p = malloc(len + 1);

	if (p == NULL)
		return -1;
	memcpy(p, data, len);
	p[len] = '\0';
	return api_reply_take(reply, status, type, p, len);
}

int
api_reply_lend(struct api_reply *reply, int status, const char *type,
    const void *data, size_t len, void (*release)(void *arg), void *arg)
{
	api_reply_take(reply, status, type, NULL, len);
	reply->lent = data;
	reply->release = release;
	reply->release_arg = arg;
	return 0;
}

int
api_reply_header(struct api_reply *reply, const char *name, const char *fmt,
    ...)
{
	struct api_header *h;
	va_list ap;
	int	n;

	if (reply->nheaders >= API_MAX_HEADERS ||
	    strlen(name) >= sizeof(h->name))
		return -1;
	h = &reply->headers[reply->nheaders];
	va_start(ap, fmt);
	n = vsnprintf(h->value, sizeof(h->value), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(h->value))
		return -1;
	snprintf(h->name, sizeof(h->name), "%s", name);
	reply->nheaders++;
	return 0;
}

/* ---- errors: one table maps a status to its Dutch default text */

static const struct {
	int	status;
	const char *text;
} status_texts[] = {
	{ 400, "ongeldig verzoek" },
	{ 401, "niet aangemeld" },
	{ 403, "geen toegang" },
	{ 404, "niet gevonden" },
	{ 405, "methode niet toegestaan" },
	{ 406, "gevraagd formaat niet beschikbaar" },
	{ 409, "conflict met de bestaande gegevens" },
	{ 413, "verzoek te groot" },
	{ 414, "adres te lang" },
	{ 415, "type van de inhoud niet ondersteund" },
	{ 422, "gegevens afgekeurd" },
	{ 429, "te veel verzoeken" },
	{ 431, "headers te groot" },
	{ 500, "interne fout" },
	{ 503, "dienst niet beschikbaar" },
};

/* The one mapping from error kind to HTTP status: the same failure gets
 * the same status on every route. */
static const int kind_status[ERR_NKINDS] = {
	[ERR_INTERNAL] = 500,
	[ERR_INPUT] = 400,
	[ERR_UNAUTHORISED] = 401,
	[ERR_FORBIDDEN] = 403,
	[ERR_NOT_FOUND] = 404,
	[ERR_CONFLICT] = 409,
	[ERR_TOO_LARGE] = 413,
	[ERR_REJECTED] = 422,
	[ERR_BUSY] = 429,
	[ERR_UNAVAILABLE] = 503,
};

int
api_kind_status(enum err_kind kind)
{
	return (unsigned)kind < ERR_NKINDS && kind_status[kind] ?
	    kind_status[kind] : 500;
}

const char *
api_status_text(int status)
{
	for (size_t i = 0; i < NELEM(status_texts); i++)
		if (status_texts[i].status == status)
			return status_texts[i].text;
	return status >= 500 ? "interne fout" : "ongeldig verzoek";
}

/* Last resort when even the error cannot be built: a fixed body, or an
 * empty 500 when not even that can be copied. */
void
api_reply_oom(struct api_reply *reply)
{
	static const char body[] = "{\"fout\":\"interne fout\",\"details\":[]}";

	api_reply_free(reply);
	reply->status = 500;
	reply->content_type[0] = '\0';
	api_reply_copy(reply, 500, TYPE_JSON, body, sizeof(body) - 1);
}

int
api_json(struct api_reply *reply, int status, json_t *v)
{
	size_t	len = 0;
	char   *s = json_encode(v, &len);

	json_decref(v);
	if (s == NULL) {
		api_reply_oom(reply);
		return -1;
	}
	return api_reply_take(reply, status, TYPE_JSON, s, len);
}

int
api_error(struct api_reply *reply, int status, const char *fout,
    json_t *details)
{
	json_t *obj = json_object(), *arr = details;
	int	rc = 0;

	/* Both puts run whatever happens (| not ||): each steals its value,
	 * so nothing leaks on any path. fout often quotes client input, so
	 * it goes in as json_text: invalid UTF-8 cannot make it fail. */
	if (details == NULL || !json_is_array(details)) {
		arr = json_array();
		if (details != NULL)
			rc |= json_push(arr, details);
	}
	rc |= json_put(obj, "fout", json_text(fout ? fout :
	    api_status_text(status)));
	rc |= json_put(obj, "details", arr);
	if (rc != 0) {
		json_decref(obj);
		api_reply_oom(reply);
		return -1;
	}
	return api_json(reply, status, obj);
}

int
api_fail(struct api_reply *reply, const struct err *err)
{
	/* An internal failure's message names files and libraries
	 * ("rrd: lezen van /var/lib/…: reached EOF", issue 13): it goes to
	 * the log, the caller gets the generic text of the status. */
	if (err->kind == ERR_INTERNAL) {
		log_err("%s", err->msg[0] ? err->msg : "interne fout");
		return api_error(reply, 500, NULL, NULL);
	}
	return api_error(reply, api_kind_status(err->kind),
	    err->msg[0] ? err->msg : NULL, NULL);
}

int
api_refuse(struct api_reply *reply, enum err_kind kind, const char *fmt, ...)
{
	char	msg[sizeof(((struct err *)0)->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return api_error(reply, api_kind_status(kind), msg, NULL);
}

/* ---- route matching */

const char *
api_param(const struct api_params *params, const char *name)
{
	for (size_t i = 0; i < params->n; i++)
		if (strcmp(params->p[i].name, name) == 0)
			return params->p[i].value;
	return NULL;
}

/* The extension of a matched segment's literal tail ("indicators.csv",
 * "{id}.csv"), which chooses the representation of the answer. */
static void
set_ext(struct api_params *ret, const char *s, size_t len)
{
	const char *dot = memrchr(s, '.', len);
	size_t	el;

	if (dot == NULL)
		return;
	el = len - (size_t)(dot - s) - 1;
	if (el > 0 && el < sizeof(ret->ext)) {
		memcpy(ret->ext, dot + 1, el);
		ret->ext[el] = '\0';
	}
}

/* Match one pattern segment (a literal, or {name} with an optional literal
 * suffix such as ".csv") against one path segment. */
static int
seg_match(const char *p, size_t pl, const char *q, size_t ql,
    struct api_params *ret, int *literals)
{
	const char *close, *suffix;
	size_t	nl, sl, vl;

	if (pl == 0 || *p != '{') {
		*literals += 2;
		if (pl != ql || memcmp(p, q, pl) != 0)
			return -1;
		set_ext(ret, p, pl);
		return 0;
	}
	if ((close = memchr(p, '}', pl)) == NULL)
		return -1;
	nl = (size_t)(close - p) - 1;
	suffix = close + 1;
	sl = pl - (size_t)(suffix - p);
	if (ql <= sl || memcmp(q + ql - sl, suffix, sl) != 0)
		return -1;
	vl = ql - sl;
	if (ret->n == API_MAX_PARAMS || nl >= sizeof(ret->p[0].name) ||
	    vl >= sizeof(ret->p[0].value))
		return -1;
	memcpy(ret->p[ret->n].name, p + 1, nl);
	ret->p[ret->n].name[nl] = '\0';
	memcpy(ret->p[ret->n].value, q, vl);
	ret->p[ret->n].value[vl] = '\0';
	ret->n++;
	*literals += sl > 0; /* "{id}.csv" is more specific than "{id}" */
	set_ext(ret, suffix, sl);
	return 0;
}

/* Length of a path segment; short strings, every route on every request:
 * a plain loop beats strcspn's set-up. */
static size_t
seg_len(const char *s)
{
	const char *e = s;

	while (*e != '\0' && *e != '/')
		e++;
	return (size_t)(e - s);
}

/* Returns the specificity (>= 0: 2 per literal segment, 1 per capture with
 * a literal suffix) on a match, -1 otherwise. */
static int
route_match(const char *pattern, const char *path, struct api_params *ret)
{
	const char *p = pattern, *q = path;
	size_t	pl, ql;
	int	literals = 0;

	/* Not a memset: this runs for every route on every request, and the
	 * struct is kilobytes; seg_match writes only what n and ext cover. */
	ret->n = 0;
	ret->ext[0] = '\0';
	for (;;) {
		if (*p != '/' || *q != '/')
			return -1;
		p++;
		q++;
		pl = seg_len(p);
		ql = seg_len(q);
		if (seg_match(p, pl, q, ql, ret, &literals) != 0)
			return -1;
		p += pl;
		q += ql;
		if (*p == '\0' || *q == '\0')
			return *p == *q ? literals : -1;
	}
}

int
api_method_serves(const char *route_method, const char *method)
{
	return strcmp(route_method, method) == 0 ||
	    (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

/* Add m to the Allow list unless it is there already. */
static void
allow_add(char *allow, size_t size, const char *m)
{
	size_t	n = strlen(allow), ml = strlen(m);

	for (const char *p = allow; (p = strstr(p, m)) != NULL; p += ml)
		if ((p == allow || p[-1] == ' ') && (p[ml] == ',' || !p[ml]))
			return;
	snprintf(allow + n, size - n, "%s%s", n ? ", " : "", m);
}

struct lookup {
	const struct api_route *route;
	int	public;		/* the route's table is open data */
	int	public_get;	/* the path has an open-data GET (preflight) */
	struct api_params params;
	char	allow[128];
};

/* Best route for the request, or NULL with lk->allow listing the methods
 * that the path does have (empty: unknown path). */
static const struct api_route *
route_lookup(const struct api_ctx *ctx, const struct api_request *req,
    struct lookup *lk)
{
	struct api_params tmp;
	int	best = -1, lit;

	memset(lk, 0, sizeof(*lk));
	for (size_t t = 0; t < ctx->ntables; t++) {
		for (size_t i = 0; i < ctx->tables[t].n; i++) {
			const struct api_route *r = &ctx->tables[t].routes[i];

			if ((lit = route_match(r->pattern, req->path, &tmp)) < 0)
				continue;
			allow_add(lk->allow, sizeof(lk->allow), r->method);
			if (strcmp(r->method, "GET") == 0)
				allow_add(lk->allow, sizeof(lk->allow), "HEAD");
			if (strcmp(r->method, "GET") == 0 &&
			    ctx->tables[t].public && !(r->flags & API_TOKEN))
				lk->public_get = 1;
			if (api_method_serves(r->method, req->method) && lit > best) {
				best = lit;
				lk->route = r;
				lk->public = ctx->tables[t].public;
				lk->params = tmp;
			}
		}
	}
	return lk->route;
}

/* ---- dispatch */

/* Media type of a Content-Type header equals want (parameters ignored). */
static int
type_matches(const char *header, const char *want)
{
	size_t	n;

	if (header == NULL)
		return 0;
	n = strcspn(header, "; \t");
	return n == strlen(want) && strncasecmp(header, want, n) == 0;
}

/* The API_TOKEN check, at most once per request: 0 (req->auth filled and
 * done), or -1 with reply filled (401/403). */
static int
authorize_once(struct api_ctx *ctx, const struct api_route *route,
    const struct api_request *req, struct api_reply *reply)
{
	if (!(route->flags & API_TOKEN) || req->auth->done)
		return 0;
	if (ctx->authorize == NULL ||
	    ctx->authorize(ctx->authorize_arg, req, route, reply) != 0) {
		if (reply->status == 0) {
			snprintf(reply->www_authenticate,
			    sizeof(reply->www_authenticate),
			    "Bearer realm=\"basisd\"");
			api_error(reply, 401, NULL, NULL);
		}
		return -1;
	}
	req->auth->done = 1;
	return 0;
}

static int
body_type_ok(const struct api_route *route, const struct api_request *req,
    struct api_reply *reply)
{
	if (!(route->flags & API_BODY) || route->body_type == NULL ||
	    type_matches(req->content_type, route->body_type))
		return 0;
	api_error(reply, 415, NULL, json_sprintf("verwacht Content-Type: %s",
	    route->body_type));
	return -1;
}

static void
run_route(struct api_ctx *ctx, const struct api_route *route,
    const struct api_request *req0, const struct api_params *params,
    struct api_reply *reply)
{
	struct api_request r = *req0;
	struct api_auth own = { 0 };

	if (r.auth == NULL)
		r.auth = &own;
	/* Authenticated once per request: when http.c already did it before
	 * reading the body (api_admit), the result is reused. */
	if (authorize_once(ctx, route, &r, reply) == -1 ||
	    body_type_ok(route, &r, reply) == -1)
		return;
	if ((route->flags & API_BODY) && r.body_len == 0) {
		api_error(reply, 400, "het verzoek heeft geen inhoud", NULL);
		return;
	}
	if (route->handler(ctx, &r, params, reply) != 0 || reply->status == 0) {
		api_reply_free(reply);
		api_reply_init(reply);
		api_error(reply, 500, NULL, NULL);
	}
}

int
api_admit(struct api_ctx *ctx, const struct api_request *req,
    struct api_admission *ret, struct api_reply *reply)
{
	struct lookup lk;
	const struct api_route *route;

	ret->flags = 0;
	ret->max_body = API_SMALL_BODY;
	if (req->path == NULL || req->path[0] != '/' ||
	    (route = route_lookup(ctx, req, &lk)) == NULL)
		return 0;	/* api_dispatch answers; a body stays small */
	ret->flags = route->flags;
	if (route->flags & API_BODY)
		ret->max_body = route->body_type != NULL &&
		    strcmp(route->body_type, "application/json") == 0 ?
		    API_JSON_BODY : 0;
	if (req->auth == NULL || body_type_ok(route, req, reply) == -1 ||
	    authorize_once(ctx, route, req, reply) == -1) {
		if (reply->status == 0)
			api_error(reply, 500, NULL, NULL);
		metrics_observe(ctx->metrics, route->name, req->method,
		    reply->status, 0.0, 0.0);
		return -1;
	}
	return 0;
}

/* ---- the request before routing */

/* Invalid UTF-8 in the path or a query parameter is refused before
 * routing, so no handler, message or cache key ever holds such bytes. */
static int
request_utf8_ok(const struct api_request *req, struct api_reply *reply)
{
	char	msg[160];

	if (!json_utf8_valid(req->path)) {
		api_error(reply, 400, "het pad is geen geldige UTF-8", NULL);
		return 0;
	}
	for (size_t i = 0; i < req->nquery; i++) {
		if (json_utf8_valid(req->query[i].key) &&
		    json_utf8_valid(req->query[i].value))
			continue;
		/* The key is quoted as json_text makes it: U+FFFD for bad bytes. */
		snprintf(msg, sizeof(msg), "parameter '%.64s' is geen geldige "
		    "UTF-8", req->query[i].key);
		api_error(reply, 400, msg, NULL);
		return 0;
	}
	return 1;
}

/* Is key one of the comma-separated names in list? */
static int
param_declared(const char *list, const char *key)
{
	size_t	kl = strlen(key), n;

	for (const char *s = list; s != NULL && *s; s += n + (s[n] == ',')) {
		n = strcspn(s, ",");
		if (n == kl && memcmp(s, key, n) == 0)
			return 1;
	}
	return 0;
}

/* The request as the route sees it: only the query parameters it
 * declares. Others (a typo, tracking or cache-busting parameters) are
 * ignored, never part of a cache key (doc/api.md). */
static void
declared_query(const struct api_route *r, const struct api_request *req,
    struct api_kv kv[API_MAX_QUERY], struct api_request *ret)
{
	*ret = *req;
	ret->query = kv;
	ret->nquery = 0;
	for (size_t i = 0; i < req->nquery && ret->nquery < API_MAX_QUERY; i++)
		if (param_declared(r->query, req->query[i].key))
			kv[ret->nquery++] = req->query[i];
}

/* ---- dispatch */

/* Methods every path also answers to. */
#define ALLOW_STATIC "GET, HEAD, OPTIONS"

/* OPTIONS (and a CORS preflight): which methods the path has; the
 * headers are api_edge_options'. */
static void
options_reply(const struct api_request *req, struct lookup *lk,
    struct api_reply *reply)
{
	if (lk->allow[0] != '\0')
		allow_add(lk->allow, sizeof(lk->allow), "OPTIONS");
	else if (strncmp(req->path, "/api/", 5) != 0) {
		snprintf(lk->allow, sizeof(lk->allow), "%s", ALLOW_STATIC);
		lk->public_get = 1; /* a static file */
	} else {
		api_error(reply, 404, NULL, NULL);
		return;
	}
	api_edge_options(reply, lk->allow, lk->public_get);
}

static void
method_not_allowed(const char *allow, struct api_reply *reply)
{
	api_reply_header(reply, "Allow", "%s", allow);
	api_error(reply, 405, NULL, json_sprintf("toegestaan: %s", allow));
}

/* Route, static file or error; returns the metrics label. */
static const char *
route_request(struct api_ctx *ctx, const struct api_request *req,
    struct api_reply *reply)
{
	struct api_kv kv[API_MAX_QUERY];
	struct api_request rreq;
	struct lookup lk;
	int	get = api_method_serves("GET", req->method);

	if (route_lookup(ctx, req, &lk) != NULL) {
		declared_query(lk.route, req, kv, &rreq);
		run_route(ctx, lk.route, &rreq, &lk.params, reply);
		if (!lk.public || (lk.route->flags & API_TOKEN))
			reply->last_modified = 0; /* private: ETag only */
		else if (get)
			api_edge_cors(reply);
		return lk.route->name;
	}
	if (strcmp(req->method, "OPTIONS") == 0) {
		options_reply(req, &lk, reply);
		return "options";
	}
	if (lk.allow[0] != '\0') {
		allow_add(lk.allow, sizeof(lk.allow), "OPTIONS");
		method_not_allowed(lk.allow, reply);
	} else if (get && ctx->www_dir[0]) {
		api_static(ctx, req->path, reply);
		api_edge_cors(reply);
		return "static";
	} else if (!get && strncmp(req->path, "/api/", 5) != 0 &&
	    ctx->www_dir[0]) {
		method_not_allowed(ALLOW_STATIC, reply); /* POST / */
	} else {
		api_error(reply, 404, NULL, NULL);
	}
	return "onbekend";
}

void
api_dispatch(struct api_ctx *ctx, const struct api_request *req,
    struct api_reply *reply)
{
	double	t0 = util_mono_s(), c0 = util_thread_cpu_s();
	const char *label = "onbekend";

	if (req->path == NULL || req->path[0] != '/')
		api_error(reply, 400, "ongeldig pad", NULL);
	else if (request_utf8_ok(req, reply))
		label = route_request(ctx, req, reply);
	api_edge_finish(ctx, req, reply);
	metrics_observe(ctx->metrics, label, req->method, reply->status,
	    util_mono_s() - t0, util_thread_cpu_s() - c0);
}

/* ---- framework routes */

static int
h_healthz(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	struct err err = { "" };

	(void)req;
	(void)params;
	snprintf(reply->cache_control, sizeof(reply->cache_control),
	    "no-store");
	if (ctx->health != NULL && ctx->health(ctx->health_arg, &err) != 0)
		return api_error(reply, 503, "niet gezond",
		    json_string(err.msg[0] ? err.msg : "onbekende oorzaak"));
	return api_json(reply, 200, json_pack("{s:s}", "status", "ok"));
}

static int
h_metrics(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	size_t	len = 0;
	char   *text = metrics_render(ctx->metrics, &len);

	(void)req;
	(void)params;
	if (text == NULL)
		return -1;
	snprintf(reply->cache_control, sizeof(reply->cache_control),
	    "no-store");
	return api_reply_take(reply, 200,
	    "text/plain; version=0.0.4; charset=utf-8", text, len);
}

static int
h_openapi(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	const struct cache_value *v;
	json_t *doc;
	char	key[64];
	size_t	n = 0;
	int	rc;

	(void)req;
	(void)params;
	/* The document follows from the route tables: it changes only
	 * with the program, so it is built once (3 ms) per set of tables. */
	for (size_t t = 0; t < ctx->ntables; t++)
		n += ctx->tables[t].n;
	snprintf(key, sizeof(key), "openapi|%zu|%zu", ctx->ntables, n);
	reply->last_modified = ctx->started;
	if ((v = cache_get(ctx->gzip, key, 0)) == NULL) {
		if ((doc = api_openapi(ctx)) == NULL ||
		    api_json(reply, 200, doc) == -1)
			return -1;
		cache_value_release(cache_put(ctx->gzip, key, 0,
		    reply->content_type, reply->body, reply->len));
		return 0;
	}
	rc = api_reply_copy(reply, 200, v->content_type, v->data, v->len);
	cache_value_release(v);
	return rc;
}

static const struct api_route framework_routes[] = {
	{ "GET", "/healthz", h_healthz, "healthz",
	    "Gezondheid: ledger en tijdreeksopslag bereikbaar", 0, NULL, NULL },
	{ "GET", "/metrics", h_metrics, "metrics",
	    "Meetwaarden voor Prometheus (tekstformaat)", 0, NULL, NULL },
	{ "GET", "/api/v1/openapi.json", h_openapi, "openapi",
	    "Deze beschrijving van de API (OpenAPI 3)", 0, NULL, NULL },
};

struct api_ctx *
api_ctx_new(const char *www_dir)
{
	struct api_ctx *ctx = calloc(1, sizeof(*ctx));

	if (ctx == NULL)
		return NULL;
	if (www_dir != NULL && snprintf(ctx->www_dir, sizeof(ctx->www_dir),
	    "%s", www_dir) >= (int)sizeof(ctx->www_dir))
		goto fail;
	ctx->started = (long long)time(NULL);
	if ((ctx->gzip = cache_new(API_GZIP_CACHE)) == NULL ||
	    (ctx->metrics = metrics_new()) == NULL ||
	    api_ctx_add_public_routes(ctx, framework_routes,
		NELEM(framework_routes)) != 0)
		goto fail;
	return ctx;
fail:
	api_ctx_free(ctx);
	return NULL;
}

void
api_ctx_free(struct api_ctx *ctx)
{
	if (ctx == NULL)
		return;
	metrics_free(ctx->metrics);
	cache_free(ctx->gzip);
	free(ctx);
}

int
api_ctx_add_routes(struct api_ctx *ctx, const struct api_route *routes,
    size_t n)
{
	if (ctx->ntables == API_MAX_TABLES)
		return -1;
	ctx->tables[ctx->ntables].routes = routes;
	ctx->tables[ctx->ntables].n = n;
	ctx->tables[ctx->ntables].public = 0;
	ctx->ntables++;
	return 0;
}

int
api_ctx_add_public_routes(struct api_ctx *ctx, const struct api_route *routes,
    size_t n)
{
	if (api_ctx_add_routes(ctx, routes, n) != 0)
		return -1;
	ctx->tables[ctx->ntables - 1].public = 1;
	return 0;
}
