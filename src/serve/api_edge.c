/* src/serve/api_edge.c — the reply on its way out, after the handler
 * (api.c dispatches): security headers for pages, content ETags,
 * conditional requests (If-None-Match, If-Modified-Since → 304), gzip
 * variants kept in the context's cache, and the CORS headers of open
 * reads. Pure functions of request and reply, plus the gzip cache. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/cache.h"
#include "base/gzip.h"
#include "base/util.h"
#include "serve/api.h"
#include "serve/api_edge.h"

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

	if (reply->status != 200 || !api_method_serves("GET", req->method))
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

void
api_edge_finish(struct api_ctx *ctx, const struct api_request *req,
    struct api_reply *reply)
{
	page_protect(reply);
	if (reply->status != 200 || !api_method_serves("GET", req->method))
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

/* Cross-origin use is offered for reading only, without credentials: no
 * Authorization header and no cookies (Access-Control-Allow-Credentials
 * is never sent). */
void
api_edge_options(struct api_reply *reply, const char *allow, int public_get)
{
	api_reply_take(reply, 204, NULL, NULL, 0);
	api_reply_header(reply, "Allow", "%s", allow);
	if (!public_get)
		return;
	api_reply_header(reply, "Access-Control-Allow-Origin", "*");
	api_reply_header(reply, "Access-Control-Allow-Methods", "GET, HEAD");
	api_reply_header(reply, "Access-Control-Allow-Headers",
	    "If-None-Match, If-Modified-Since");
	api_reply_header(reply, "Access-Control-Max-Age", "86400");
}

/* Public reads may be used from any origin (an open-data API): every GET
 * that needs no token. "*" never carries the user's cookies. */
void
api_edge_cors(struct api_reply *reply)
{
	api_reply_header(reply, "Access-Control-Allow-Origin", "*");
}
