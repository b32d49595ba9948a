/* src/serve/api.h — the HTTP framework over plain structs: a request and a
 * reply, route tables walked by one dispatcher, JSON errors, CSV export,
 * static files, metrics and the OpenAPI document generated from the route
 * tables. No sockets here: http.c fills a struct api_request from
 * libmicrohttpd and sends the struct api_reply; tests call api_dispatch
 * directly.
 *
 * Thread-safety: an api_ctx is built (api_ctx_new, fields set, route tables
 * added) before the server starts and is read-only afterwards, except its
 * metrics registry and gzip cache, which lock. api_dispatch may run on many threads. */
#ifndef API_H
#define API_H

#include <stddef.h>

#include "base/auth.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "base/metrics.h"

#define API_MAX_QUERY	32	/* query parameters kept per request */
#define API_MAX_PARAMS	8	/* {name} captures per route */
#define API_MAX_HEADERS	16	/* extra reply headers */
#define API_MAX_TABLES	16	/* route tables per context */
#define API_GZIP_CACHE	(8u << 20) /* bytes of gzip variants kept */

struct cache;

struct api_kv {
	const char *key;
	const char *value;	/* "" for a key without '=' */
};

/* Who sent a request, as the authorize callback found it: filled once per
 * request (for a body route before the body is read, see api_admit) so no
 * handler checks a token again while it holds pooled resources. */
struct api_auth {
	int	done;		/* authorize ran and let the request through */
	long long token_id;	/* the bearer token's id; 0 = none */
	char	naam[64];	/* token name (may be "") */
	enum auth_role rol;	/* leverancier, manager, beheer */
	char	scope[512];	/* space-separated gemeenten; "" = all */
};

/* One request. All pointers are borrowed from the caller (http.c) and stay
 * valid during api_dispatch. Absent headers are NULL. */
struct api_request {
	const char *method;	/* "GET", "HEAD", "POST", "DELETE", … */
	const char *path;	/* percent-decoded, without the query */
	const struct api_kv *query;
	size_t	nquery;
	const char *authorization;
	const char *if_none_match;
	const char *if_modified_since;
	const char *accept_encoding;
	const char *content_type;
	const char *accept;
	const char *cookie;
	const char *origin;
	const char *csrf_token;	/* X-CSRF-Token, for session-authenticated writes */
	const char *body;	/* NULL when there is none */
	size_t	body_len;
	const char *client_addr; /* "127.0.0.1", "::1"; may be NULL */
	/* Storage for the authorisation result, owned by the caller; NULL =
	 * api_dispatch uses its own for this call. */
	struct api_auth *auth;
};

/* First value of query parameter key, or NULL. */
const char *api_query(const struct api_request *req, const char *key);

struct api_header {
	char	name[64];
	char	value[1024];
};

/* What a handler fills. Start with api_reply_init, end with
 * api_reply_free. body is malloc'd and owned by the reply. */
struct api_reply {
	int	status;
	char	content_type[128];
	char   *body;
	size_t	len;
	char	etag[96];	/* quoted, e.g. "\"3f2a\""; "" = none */
	char	cache_control[96];
	char	location[512];
	char	www_authenticate[256];
	/* Seconds since the epoch for Last-Modified; 0 = none. Set it from
	 * state read BEFORE the body is built, so it never claims a newer
	 * time than the body's data. */
	long long last_modified;
	/* Content-Encoding of the body ("gzip"), set by api_dispatch. */
	char	content_encoding[16];
	struct api_header headers[API_MAX_HEADERS];
	size_t	nheaders;
	/* A lent body (api_reply_lend) instead of body: len bytes at lent,
	 * valid until release(release_arg), which whoever holds the reply
	 * last calls once (http.c after sending, else api_reply_free). */
	const void *lent;
	void	(*release)(void *arg);
	void   *release_arg;
};

void	api_reply_init(struct api_reply *reply);
/* Frees (or gives back) the body; the struct itself is the caller's. NULL
 * is a no-op. */
void	api_reply_free(struct api_reply *reply);
/* Take ownership of a malloc'd buffer as the body. Returns 0. */
int	api_reply_take(struct api_reply *reply, int status, const char *type,
	    char *body, size_t len);
/* Copy len bytes as the body. Returns 0 or -1 (out of memory). */
int	api_reply_copy(struct api_reply *reply, int status, const char *type,
	    const void *data, size_t len);
/* Answer with len bytes the caller keeps owning, without a copy (a cached
 * response): release(arg) is called once when they are no longer needed,
 * in any thread. Replaces an earlier body. Returns 0. */
int	api_reply_lend(struct api_reply *reply, int status, const char *type,
	    const void *data, size_t len, void (*release)(void *arg),
	    void *arg);
/* Add an extra header (Set-Cookie, Content-Disposition, …). Returns 0, or
 * -1 when the list is full or a value does not fit. */
int	api_reply_header(struct api_reply *reply, const char *name,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* {"fout": fout, "details": details} with status. fout NULL = the Dutch
 * default text for status. details may be NULL (→ []), an array, or any
 * other value (wrapped in an array); the reference is stolen. Returns 0
 * (so a handler can `return api_error(…)`) or -1 when out of memory. */
int	api_error(struct api_reply *reply, int status, const char *fout,
	    json_t *details);
/* Route handlers answer a failure through these two, never with a status
 * of their own: the kind of the error chooses the status in one table.
 * api_fail: err's message (or the default text when empty) with the
 * status of err->kind; for ERR_INTERNAL the message is logged and the
 * default text answered (it may name files). api_refuse: a message of the handler's own
 * (printf-style) with the status of kind. Both return 0 like api_error. */
int	api_fail(struct api_reply *reply, const struct err *err);
int	api_refuse(struct api_reply *reply, enum err_kind kind,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The HTTP status of an error kind (500 for an unknown kind). */
int	api_kind_status(enum err_kind kind);
/* v as the JSON body with status; steals v. Returns 0 or -1. */
int	api_json(struct api_reply *reply, int status, json_t *v);

/* CSV export, the one place that writes CSV for every route. excel = 0:
 * ',' and decimal point (RFC 4180); excel = 1: ';', decimal comma and a
 * UTF-8 BOM, as Dutch spreadsheet software expects. Text cells starting
 * with '=', '+', '-', '@', TAB or CR are prefixed with ' so a spreadsheet
 * never runs them as a formula. Rows end in CRLF. Errors are sticky and
 * reported by api_csv_reply. */
struct api_csv {
	struct buf b;		/* failures are sticky, checked by api_csv_reply */
	int	excel;
	int	ncells;		/* cells in the current row */
};

void	api_csv_init(struct api_csv *csv, int excel);
void	api_csv_free(struct api_csv *csv);
void	api_csv_str(struct api_csv *csv, const char *s);	/* NULL = empty */
/* A number with decimals digits after the point, or the shortest exact
 * form when decimals < 0. NaN and infinities are an empty cell. */
void	api_csv_num(struct api_csv *csv, double v, int decimals);
void	api_csv_end_row(struct api_csv *csv);
/* Move the text into reply as 200 text/csv; filename (may be NULL) sets
 * Content-Disposition: attachment. Returns 0 or -1 (then 500 is set). */
int	api_csv_reply(struct api_csv *csv, struct api_reply *reply,
	    const char *filename);

/* Route parameters captured from {name} segments, and the extension of
 * the last path segment when the pattern spells one ("{id}.csv"). */
struct api_params {
	size_t	n;
	struct {
		char	name[32];
		char	value[256];
	} p[API_MAX_PARAMS];
	char	ext[16];	/* "csv", "svg", or "" */
};

/* Value of {name}, or NULL. */
const char *api_param(const struct api_params *params, const char *name);

struct api_ctx;

/* A handler fills reply (any status) and returns 0; -1 means an internal
 * failure, which the dispatcher turns into a 500 with a JSON body. */
typedef int (*api_handler)(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply);

enum api_route_flags {
	API_BODY = 1 << 0,	/* takes a request body (POST/PUT) */
	API_TOKEN = 1 << 1,	/* needs Authorization: Bearer, see authorize */
	API_ASYNC = 1 << 2,	/* may wait long (for the writer): the transport
				 * runs it off its server threads */
};

/* Body limits below the transport's max_body: a JSON body (sign-in, alert
 * rules) and a body sent to a route that takes none. */
#define API_JSON_BODY	(64u << 10)
#define API_SMALL_BODY	(16u << 10)

/* One route. pattern segments are literals or {name}; the last segment may
 * carry a literal extension after the capture: "/chart/{gm}/{id}.svg". A
 * path matching several routes goes to the most specific one (literal
 * segments first, then captures with an extension), then to the first
 * registered. */
struct api_route {
	const char *method;	/* "GET", "POST", "DELETE", … (GET also serves HEAD) */
	const char *pattern;
	api_handler handler;
	const char *name;	/* metric label and OpenAPI operationId */
	const char *summary;	/* Dutch, one line, for OpenAPI */
	unsigned flags;		/* enum api_route_flags */
	/* Optional query parameters, "van,tot,per"; may be NULL. Only these
	 * reach the handler (and so a cache key): api_dispatch drops every
	 * other parameter, so a handler must list each one it reads. */
	const char *query;
	const char *body_type;	/* required Content-Type (API_BODY), e.g. "text/csv"; NULL = any */
};

struct api_table {
	const struct api_route *routes;
	size_t	n;
	int	public;		/* open data: GETs usable from any origin (CORS) */
};

/* The context every handler gets. Set the public fields after api_ctx_new
 * and before the first dispatch. */
struct api_ctx {
	char	www_dir[4096];	/* static dashboard; "" = none */
	/* /healthz: returns 0 when ledger and store are reachable, or -1 with
	 * err set (Dutch). NULL = always healthy. */
	int	(*health)(void *arg, struct err *err);
	void   *health_arg;
	/* API_TOKEN routes: returns 0 to let the request through with
	 * *req->auth filled, or -1 after filling reply (401/403). Called once
	 * per request, holding nothing pooled. NULL = every API_TOKEN route
	 * answers 401. */
	int	(*authorize)(void *arg, const struct api_request *req,
		    const struct api_route *route, struct api_reply *reply);
	void   *authorize_arg;
	void   *app;		/* the daemon's own state (catalogue, ledger, …) */
	struct metrics *metrics;
	long long started;	/* api_ctx_new's time: openapi.json's Last-Modified */
	struct cache *gzip;	/* gzip variants of uncached bodies (locks itself) */
	struct api_table tables[API_MAX_TABLES];
	size_t	ntables;
};

/* A context with the framework routes (/healthz, /metrics,
 * /api/v1/openapi.json) registered and a fresh metrics registry. www_dir
 * may be NULL. Returns NULL when out of memory or www_dir is too long. */
struct api_ctx *api_ctx_new(const char *www_dir);
void	api_ctx_free(struct api_ctx *ctx);	/* NULL is a no-op */
/* Register a route table; the table must outlive ctx (static const).
 * Returns 0, or -1 when ctx holds API_MAX_TABLES already. */
int	api_ctx_add_routes(struct api_ctx *ctx, const struct api_route *routes,
	    size_t n);
/* The same for open data: its GETs without API_TOKEN answer with
 * Access-Control-Allow-Origin: * (as do static files). Tables added with
 * api_ctx_add_routes (sign-in, alerts) never do. */
int	api_ctx_add_public_routes(struct api_ctx *ctx,
	    const struct api_route *routes, size_t n);

/* Answer one request: 400 for invalid UTF-8 in path or query, route
 * lookup (404, 405 with Allow, OPTIONS 204 with Allow and CORS preflight
 * headers), HEAD as GET, only the route's declared query parameters, body
 * and token checks (400, 401, 415), the handler; then
 * Access-Control-Allow-Origin: * on GETs without a token, security headers
 * on HTML, a content ETag on every storable 200, gzip when Accept-Encoding
 * allows it (Vary: Accept-Encoding, an own ETag), If-None-Match /
 * If-Modified-Since (304) and metrics. reply must be initialised; it always
 * holds a complete answer afterwards. For HEAD the body is kept so the
 * transport can send its length; it must not send the bytes. */
void	api_dispatch(struct api_ctx *ctx, const struct api_request *req,
	    struct api_reply *reply);

/* What api_admit found out about a request before its body is read. */
struct api_admission {
	unsigned flags;		/* the route's (enum api_route_flags) */
	size_t	max_body;	/* its body limit; 0 = the transport's max_body */
};

/* For the transport, once a request's headers are in and before one byte
 * of its body is read (issue 16: bodies were buffered, and JSON parsed,
 * before authentication): find the route, check the Content-Type and, for
 * an API_TOKEN route, authorise the request now into *req->auth (which
 * must be set), so api_dispatch does not do it again. Returns 0 to read
 * the body (ret filled), or -1 with reply filled (401, 403, 415) to answer
 * at once without reading it. An unknown route is left to api_dispatch. */
int	api_admit(struct api_ctx *ctx, const struct api_request *req,
	    struct api_admission *ret, struct api_reply *reply);

/* Serve path from ctx->www_dir: 400 for traversal attempts ("..", '\',
 * '%', control bytes, "//"), index.html for "/" and for the dashboard's
 * client-side routes (/gemeente/…, /indicator/…), content type by
 * extension, an ETag from size and mtime, Cache-Control (no-cache for
 * HTML, an hour for assets). Used by api_dispatch for unmatched GETs. */
int	api_static(struct api_ctx *ctx, const char *path, struct api_reply *reply);

/* The OpenAPI 3 document of every registered route (new reference). */
json_t *api_openapi(const struct api_ctx *ctx);

/* Is a body of this media type sent gzipped when the client accepts it
 * (text, JSON, SVG, XML)? */
int	api_compressible(const char *type);

/* Dutch default text for an error status ("niet gevonden"). */
const char *api_status_text(int status);

#endif /* API_H */
