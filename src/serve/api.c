/* src/serve/api.c — the HTTP framework between http (sockets) and the route
 * handlers: dispatch over route tables, JSON errors, CSV, static files,
 * the /metrics route (registry in metrics.c) and the OpenAPI document.
 * Plain structs in and out, so every rule here is unit-tested without a
 * server. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/cache.h"
#include "base/gzip.h"
#include "base/log.h"
#include "serve/api.h"
#include "serve/apidoc.h"
#include "base/util.h"

#define TYPE_JSON "application/json; charset=utf-8"
#define STATIC_MAX_SIZE (32u << 20) /* the dashboard's files are small */

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
static void
reply_oom(struct api_reply *reply)
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
		reply_oom(reply);
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
		reply_oom(reply);
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

/* ---- CSV: the one writer for every CSV route */

void
api_csv_init(struct api_csv *csv, int excel)
{
	memset(csv, 0, sizeof(*csv));
	csv->excel = excel;
	/* Excel reads UTF-8 only with a BOM; others do not need it. */
	if (excel)
		buf_str(&csv->b, "\xEF\xBB\xBF");
}

void
api_csv_free(struct api_csv *csv)
{
	buf_free(&csv->b);
	memset(csv, 0, sizeof(*csv));
}

static void
csv_sep(struct api_csv *csv)
{
	if (csv->ncells++ > 0)
		buf_str(&csv->b, csv->excel ? ";" : ",");
}

void
api_csv_str(struct api_csv *csv, const char *s)
{
	/* A spreadsheet runs a cell starting with one of these as a formula
	 * (OWASP "CSV injection"); a leading ' makes it plain text. */
	int	guard, quote;

	csv_sep(csv);
	if (s == NULL || *s == '\0')
		return;
	guard = strchr("=+-@\t\r", *s) != NULL;
	quote = strpbrk(s, "\",;\r\n") != NULL;
	if (quote)
		buf_str(&csv->b, "\"");
	if (guard)
		buf_str(&csv->b, "'");
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_str(&csv->b, "\"\"");
		else
			buf_add(&csv->b, p, 1);
	}
	if (quote)
		buf_str(&csv->b, "\"");
}

void
api_csv_num(struct api_csv *csv, double v, int decimals)
{
	char	tmp[64];

	csv_sep(csv);
	if (!isfinite(v))
		return;
	if (decimals < 0)
		snprintf(tmp, sizeof(tmp), "%.15g", v);
	else
		snprintf(tmp, sizeof(tmp), "%.*f", decimals > 15 ? 15 : decimals,
		    v);
	/* Dutch spreadsheets read "1,5" as a number and "1.5" as text. */
	if (csv->excel)
		for (char *p = tmp; *p; p++)
			if (*p == '.')
				*p = ',';
	buf_str(&csv->b, tmp);
}

void
api_csv_end_row(struct api_csv *csv)
{
	buf_str(&csv->b, "\r\n");
	csv->ncells = 0;
}

int
api_csv_reply(struct api_csv *csv, struct api_reply *reply,
    const char *filename)
{
	char	safe[128];
	size_t	i;

	if (csv->b.failed) {
		api_csv_free(csv);
		reply_oom(reply);
		return -1;
	}
	if (csv->b.data == NULL)
		buf_str(&csv->b, "");
	api_reply_take(reply, 200, "text/csv; charset=utf-8", csv->b.data,
	    csv->b.len);
	memset(csv, 0, sizeof(*csv));
	if (filename == NULL)
		return 0;
	/* The name goes into a header: keep it to a harmless alphabet. */
	for (i = 0; filename[i] && i < sizeof(safe) - 1; i++)
		safe[i] = isalnum((unsigned char)filename[i]) ||
		    strchr("._-", filename[i]) ? filename[i] : '_';
	safe[i] = '\0';
	return api_reply_header(reply, "Content-Disposition",
	    "attachment; filename=\"%s\"", safe);
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

static int
method_serves(const char *route_method, const char *method)
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
			if (method_serves(r->method, req->method) && lit > best) {
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
		    reply->status, 0.0);
		return -1;
	}
	return 0;
}

/* Is etag one of the entity tags in an If-None-Match list? Weak
 * comparison (RFC 9110 §13.1.2): a W/ prefix on either side is ignored. */
static int
etag_listed(const char *list, const char *etag)
{
	size_t	el, n;

	if (strncmp(etag, "W/", 2) == 0)
		etag += 2;
	el = strlen(etag);
	for (const char *p = list; *p;) {
		p += strspn(p, " \t,");
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		n = strcspn(p, ",");
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == el && n > 0 && memcmp(p, etag, n) == 0)
			return 1;
		p += strcspn(p, ",");
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

/* ---- the reply after the handler: CORS, security headers, validators,
 * compression, conditional requests */

/* Media types sent gzipped when the client accepts it: text compresses
 * 5–10×, images and fonts are compressed already. */
static const char *const gzip_types[] = { "text/", "application/json",
	"application/javascript", "application/xml", "application/atom+xml",
	"application/manifest+json", "image/svg+xml" };

int
api_compressible(const char *type)
{
	for (size_t i = 0; i < NELEM(gzip_types); i++)
		if (strncasecmp(type, gzip_types[i], strlen(gzip_types[i])) == 0)
			return 1;
	return 0;
}

/* Pages: no framing by other sites (clickjacking), scripts, styles and
 * data only from here, no Referer with query strings to other sites.
 * Inline styles stay allowed: the dashboard's SVG and tables set style
 * attributes; scripts never run inline. */
static const struct {
	const char *name, *value;
} page_headers[] = {
	{ "Content-Security-Policy", "default-src 'self'; script-src 'self'; "
	    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
	    "connect-src 'self'; object-src 'none'; base-uri 'none'; "
	    "form-action 'self'; frame-ancestors 'none'" },
	{ "X-Frame-Options", "DENY" },
	{ "Referrer-Policy", "strict-origin-when-cross-origin" },
};

static void
page_protect(struct api_reply *reply)
{
	if (strncasecmp(reply->content_type, "text/html", 9) != 0)
		return;
	for (size_t i = 0; i < NELEM(page_headers); i++)
		api_reply_header(reply, page_headers[i].name, "%s",
		    page_headers[i].value);
}

static const void *
reply_bytes(const struct api_reply *reply)
{
	return reply->lent != NULL ? reply->lent : reply->body;
}

/* A content ETag for any 200 that may be stored (reference data,
 * openapi.json, CSV exports, pages): the same bytes, the same tag. */
static void
etag_fill(struct api_reply *reply)
{
	char	tag[CACHE_ETAG_SIZE];

	if (reply->etag[0] != '\0' || reply->len == 0 ||
	    strstr(reply->cache_control, "no-store") != NULL)
		return;
	cache_etag(reply_bytes(reply), reply->len, tag);
	snprintf(reply->etag, sizeof(reply->etag), "%s", tag);
}

/* "\"abc\"" → "\"abc-gz\"": the gzipped body is another representation
 * and needs its own strong tag (RFC 9110 §8.8.3). */
static void
etag_variant(char *etag, size_t size)
{
	size_t	n = strlen(etag);

	if (n >= 2 && etag[n - 1] == '"' && n + 3 < size)
		memcpy(etag + n - 1, "-gz\"", 5);
}

/* An HTTP date (IMF-fixdate, RFC 9110 §5.6.7) as seconds, or -1. */
static long long
http_date_parse(const char *s)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || (end = strptime(s, "%a, %d %b %Y %H:%M:%S GMT",
	    &tm)) == NULL || *end != '\0')
		return -1;
	return (long long)timegm(&tm);
}

/* Does the client's copy still match (RFC 9110 §13.2.2)? If-None-Match
 * when present, else If-Modified-Since against Last-Modified. */
static int
not_modified(const struct api_request *req, const struct api_reply *reply)
{
	long long since;

	if (reply->status != 200 || !method_serves("GET", req->method))
		return 0;
	if (req->if_none_match != NULL)
		return reply->etag[0] != '\0' &&
		    etag_listed(req->if_none_match, reply->etag);
	since = http_date_parse(req->if_modified_since);
	return reply->last_modified > 0 && since >= reply->last_modified;
}

static void
gzip_release(void *v)
{
	cache_value_release(v);
}

/* The gzip variant of the body, compressed once per distinct body: kept
 * in ctx->gzip under path and ETag (a content hash, or size and mtime for
 * a static file), so reference data, openapi.json and static files cost
 * a lookup, not a deflate, per request. */
static void
gzip_body(struct api_ctx *ctx, const struct api_request *req,
    struct api_reply *reply)
{
	const struct cache_value *v = NULL;
	unsigned char *z = NULL;
	size_t	zlen = 0;
	char	key[1200], type[sizeof(reply->content_type)];
	int	keyed = reply->etag[0] != '\0' && snprintf(key, sizeof(key),
	    "%s|%s", req->path, reply->etag) < (int)sizeof(key);

	if (keyed && (v = cache_get(ctx->gzip, key, 0)) == NULL &&
	    (z = gzip_compress(reply_bytes(reply), reply->len, &zlen)) != NULL)
		v = cache_put(ctx->gzip, key, 0, reply->content_type, z, zlen);
	else if (!keyed)
		z = gzip_compress(reply_bytes(reply), reply->len, &zlen);
	snprintf(type, sizeof(type), "%s", reply->content_type);
	if (v != NULL) {
		free(z);
		api_reply_lend(reply, reply->status, type, v->data, v->len,
		    gzip_release, (void *)(uintptr_t)v);
	} else if (z != NULL) {
		api_reply_take(reply, reply->status, type, (char *)z, zlen);
	} else {
		return; /* not smaller, or no memory: send it as it is */
	}
	snprintf(reply->content_encoding, sizeof(reply->content_encoding),
	    "gzip");
	etag_variant(reply->etag, sizeof(reply->etag));
}

static void
finish_reply(struct api_ctx *ctx, const struct api_request *req,
    struct api_reply *reply)
{
	page_protect(reply);
	if (reply->status != 200 || !method_serves("GET", req->method))
		return;
	etag_fill(reply);
	if (api_compressible(reply->content_type) &&
	    reply->len >= GZIP_MIN_SIZE) {
		/* Caches must keep both variants apart, also the first one
		 * they see uncompressed. A cached route may have sent its
		 * stored gzip variant already. */
		api_reply_header(reply, "Vary", "Accept-Encoding");
		if (reply->content_encoding[0] == '\0' &&
		    gzip_accepted(req->accept_encoding))
			gzip_body(ctx, req, reply);
	}
	/* 304: the 200's validators and headers; the body stays so http.c
	 * can send its length (RFC 9110 §8.6), never its bytes. */
	if (not_modified(req, reply)) {
		reply->status = 304;
		reply->content_type[0] = '\0';
		reply->content_encoding[0] = '\0';
	}
}

/* ---- dispatch */

/* Methods every path also answers to. */
#define ALLOW_STATIC "GET, HEAD, OPTIONS"

/* OPTIONS (and a CORS preflight): which methods the path has. Cross-origin
 * use is offered for reading only, without credentials: no Authorization
 * header and no cookies (Access-Control-Allow-Credentials is never sent). */
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
	api_reply_take(reply, 204, NULL, NULL, 0);
	api_reply_header(reply, "Allow", "%s", lk->allow);
	if (!lk->public_get)
		return;
	api_reply_header(reply, "Access-Control-Allow-Origin", "*");
	api_reply_header(reply, "Access-Control-Allow-Methods", "GET, HEAD");
	api_reply_header(reply, "Access-Control-Allow-Headers",
	    "If-None-Match, If-Modified-Since");
	api_reply_header(reply, "Access-Control-Max-Age", "86400");
}

/* Public reads may be used from any origin (an open-data API): every GET
 * that needs no token. "*" never carries the user's cookies. */
static void
cors_allow(struct api_reply *reply)
{
	api_reply_header(reply, "Access-Control-Allow-Origin", "*");
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
	int	get = method_serves("GET", req->method);

	if (route_lookup(ctx, req, &lk) != NULL) {
		declared_query(lk.route, req, kv, &rreq);
		run_route(ctx, lk.route, &rreq, &lk.params, reply);
		if (!lk.public || (lk.route->flags & API_TOKEN))
			reply->last_modified = 0; /* private: ETag only */
		else if (get)
			cors_allow(reply);
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
		cors_allow(reply);
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
	double	t0 = util_mono_s();
	const char *label = "onbekend";

	if (req->path == NULL || req->path[0] != '/')
		api_error(reply, 400, "ongeldig pad", NULL);
	else if (request_utf8_ok(req, reply))
		label = route_request(ctx, req, reply);
	finish_reply(ctx, req, reply);
	metrics_observe(ctx->metrics, label, req->method, reply->status,
	    util_mono_s() - t0);
}

/* ---- static files */

static const struct {
	const char *ext;
	const char *type;
} mime_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".json", "application/json; charset=utf-8" },
	{ ".map", "application/json; charset=utf-8" },
	{ ".webmanifest", "application/manifest+json" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".webp", "image/webp" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".csv", "text/csv; charset=utf-8" },
};

/* Client-side routes of the dashboard: the browser asks for them on a
 * reload or a shared link, and index.html renders them. */
static const char *const spa_prefixes[] = { "/gemeente/", "/indicator/" };

static const char *
mime_type(const char *path)
{
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot != NULL && i < NELEM(mime_types); i++)
		if (strcasecmp(dot, mime_types[i].ext) == 0)
			return mime_types[i].type;
	return "application/octet-stream";
}

/* Lexical checks; the path is already percent-decoded once, so a '%' left
 * means double encoding or an undecodable %00, and no segment may start
 * with '.' ("..", ".git"). Absolute paths show up as "//". */
static int
static_path_ok(const char *path)
{
	if (path[0] != '/' || strlen(path) > 1024 || strstr(path, "//") ||
	    strstr(path, "/."))
		return 0;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '\\' || *p == '%')
			return 0;
	return 1;
}

static const char *
static_target(const char *path)
{
	/* the dashboard's own pages without a prefix of their own */
	if (strcmp(path, "/") == 0 || strcmp(path, "/aanleveren") == 0)
		return "/index.html";
	for (size_t i = 0; i < NELEM(spa_prefixes); i++)
		if (strncmp(path, spa_prefixes[i], strlen(spa_prefixes[i])) == 0)
			return "/index.html";
	return path;
}

/* Read a regular file of at most STATIC_MAX_SIZE bytes. */
static char *
read_regular(const char *file, struct stat *st)
{
	char   *data = NULL;
	size_t	got = 0;
	ssize_t n;
	int	fd = open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, st) != 0 || !S_ISREG(st->st_mode) ||
	    st->st_size > STATIC_MAX_SIZE ||
	    (data = malloc((size_t)st->st_size + 1)) == NULL)
		goto fail;
	while (got < (size_t)st->st_size &&
	    (n = read(fd, data + got, (size_t)st->st_size - got)) > 0)
		got += (size_t)n;
	if (got != (size_t)st->st_size)
		goto fail;
	data[got] = '\0';
	close(fd);
	return data;
fail:
	free(data);
	if (fd >= 0)
		close(fd);
	return NULL;
}

int
api_static(struct api_ctx *ctx, const char *path, struct api_reply *reply)
{
	char	file[4096 + 1100];
	const char *target;
	struct stat st;
	char   *data;

	if (!static_path_ok(path))
		return api_error(reply, 400, "ongeldig pad", NULL);
	target = static_target(path);
	if (snprintf(file, sizeof(file), "%s%s", ctx->www_dir, target) >=
	    (int)sizeof(file))
		return api_error(reply, 404, NULL, NULL);
	if ((data = read_regular(file, &st)) == NULL)
		return api_error(reply, 404, NULL, NULL);
	api_reply_take(reply, 200, mime_type(target), data, (size_t)st.st_size);
	snprintf(reply->etag, sizeof(reply->etag), "\"%llx-%llx\"",
	    (unsigned long long)st.st_size,
	    (unsigned long long)st.st_mtim.tv_sec * 1000000000ull +
		(unsigned long long)st.st_mtim.tv_nsec);
	reply->last_modified = (long long)st.st_mtim.tv_sec;
	/* HTML names do not change with a release: revalidate every time
	 * (cheap with the ETag). Assets may be cached for an hour. */
	snprintf(reply->cache_control, sizeof(reply->cache_control), "%s",
	    strstr(reply->content_type, "text/html") ? "no-cache"
						     : "public, max-age=3600");
	return 0;
}

/* ---- OpenAPI, generated from the route tables so it cannot drift */

static json_t *
openapi_params(const struct api_route *r)
{
	json_t *arr = json_array(), *p;
	const char *s, *e;
	char	name[64];
	size_t	n;

	for (s = r->pattern; (s = strchr(s, '{')) && (e = strchr(s, '}'));
	     s = e) {
		snprintf(name, sizeof(name), "%.*s", (int)(e - s - 1), s + 1);
		p = json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", name, "in",
		    "path", "required", 1, "schema", "type", "string");
		json_push(arr, p);
	}
	for (s = r->query; s && *s; s += n + (s[n] == ',')) {
		n = strcspn(s, ",");
		snprintf(name, sizeof(name), "%.*s", (int)n, s);
		p = json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", name, "in",
		    "query", "required", 0, "schema", "type", "string");
		json_push(arr, p);
	}
	return arr;
}

/* The request body: a JSON schema from apidoc, or the raw upload. */
static json_t *
openapi_body(const struct api_route *r, const struct apidoc_op *doc)
{
	char	schema[96];

	if (doc != NULL && doc->request != NULL) {
		snprintf(schema, sizeof(schema), "#/components/schemas/%s",
		    doc->request);
		return json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1,
		    "content", r->body_type ? r->body_type : "application/json",
		    "schema", "$ref", schema);
	}
	return json_pack("{s:b, s:{s:{s:{s:s, s:s}}}}", "required", 1,
	    "content", r->body_type ? r->body_type : "application/octet-stream",
	    "schema", "type", "string", "format", "binary");
}

static json_t *
openapi_op(const struct api_route *r)
{
	const struct apidoc_op *doc = apidoc_find(r->name);
	json_t *params = openapi_params(r), *sec = apidoc_security(doc);
	json_t *op = json_pack("{s:s, s:s}", "summary",
	    r->summary ? r->summary : "", "operationId", r->name);

	json_put(op, "responses", apidoc_responses(doc,
	    json_array_size(params) > 0, (r->flags & API_BODY) != 0));
	json_put(op, "parameters", params);
	if (sec == NULL && (r->flags & API_TOKEN))
		sec = json_pack("[{s:[]}]", "bearer");
	if (sec != NULL)
		json_put(op, "security", sec);
	if (r->flags & API_BODY)
		json_put(op, "requestBody", openapi_body(r, doc));
	return op;
}

static int
openapi_add(json_t *paths, const struct api_route *r)
{
	json_t *item = json_object_get(paths, r->pattern);
	char	method[16];
	size_t	i;

	if (item == NULL && json_put(paths, r->pattern, json_object()) == 0)
		item = json_object_get(paths, r->pattern);
	for (i = 0; r->method[i] && i < sizeof(method) - 1; i++)
		method[i] = (char)tolower((unsigned char)r->method[i]);
	method[i] = '\0';
	return json_put(item, method, openapi_op(r));
}

json_t *
api_openapi(const struct api_ctx *ctx)
{
	json_t *doc, *paths = json_object();
	int	rc = 0;

	for (size_t t = 0; t < ctx->ntables; t++)
		for (size_t i = 0; i < ctx->tables[t].n; i++)
			rc |= openapi_add(paths, &ctx->tables[t].routes[i]);
	doc = json_pack("{s:s, s:{s:s, s:s, s:s, s:{s:s, s:s}}, s:[{s:s}], s:o, "
			"s:o*}",
	    "openapi", "3.0.3", "info", "title", "basisd",
	    "version", PACKAGE_VERSION, "description",
	    "Gemeenschappelijke basisindicatoren sociaal domein",
	    "license", "name", "EUPL-1.2", "url",
	    "https://joinup.ec.europa.eu/collection/eupl/eupl-text-eupl-12",
	    "servers", "url", "/", "paths", paths, "components",
	    apidoc_components());
	if (rc != 0) {
		json_decref(doc);
		return NULL;
	}
	return doc;
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
	json_t *doc = api_openapi(ctx);

	(void)req;
	(void)params;
	if (doc == NULL)
		return -1;
	/* The document follows from the route tables: it changes only
	 * with the program. */
	reply->last_modified = ctx->started;
	return api_json(reply, 200, doc);
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
