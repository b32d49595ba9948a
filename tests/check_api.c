/* tests/check_api.c — the framework without a server: dispatch (404, 405,
 * HEAD, params, extensions, token, body type), ETag → 304, static files
 * and traversal attempts, CSV neutralisation, OpenAPI from the route
 * tables, metrics text format, healthz. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "serve/api.h"
#include "testutil.h"

#define BOM "\xEF\xBB\xBF"

/* ---- test routes: each echoes what it saw as text/plain */

static int
echo(struct api_reply *reply, const char *fmt, const char *a, const char *b,
    const char *c)
{
	char	buf[512];
	int	n = snprintf(buf, sizeof(buf), fmt, a ? a : "-", b ? b : "-",
	    c ? c : "-");

	return api_reply_copy(reply, 200, "text/plain", buf, (size_t)n);
}

static int
h_item(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *pr, struct api_reply *reply)
{
	(void)ctx;
	return echo(reply, "%s:%s%s", req->method, api_param(pr, "id"), "");
}

static int
h_series(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *pr, struct api_reply *reply)
{
	(void)ctx;
	(void)req;
	return echo(reply, "series:%s:%s:%s", api_param(pr, "gm"),
	    api_param(pr, "id"), pr->ext);
}

static int
h_chart(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *pr, struct api_reply *reply)
{
	(void)ctx;
	(void)req;
	return echo(reply, "chart:%s:%s:%s", api_param(pr, "gm"),
	    api_param(pr, "id"), pr->ext);
}

static int
h_vergelijk(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *pr, struct api_reply *reply)
{
	(void)ctx;
	(void)req;
	return echo(reply, "vergelijk:%s:%s%s", api_param(pr, "id"), pr->ext,
	    "");
}

static int
h_feed(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *pr, struct api_reply *reply)
{
	char	n[32];

	(void)ctx;
	(void)pr;
	snprintf(n, sizeof(n), "%zu", req->body_len);
	return echo(reply, "body:%s%s%s", n, "", "");
}

static int
h_broken(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *pr, struct api_reply *reply)
{
	(void)ctx;
	(void)req;
	(void)pr;
	reply->status = 200; /* half-filled, then failing */
	return -1;
}

static int
h_etag(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *pr, struct api_reply *reply)
{
	(void)ctx;
	(void)req;
	(void)pr;
	snprintf(reply->etag, sizeof(reply->etag), "\"v1\"");
	return echo(reply, "versie %s%s%s", "1", "", "");
}

static int
h_query(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *pr, struct api_reply *reply)
{
	(void)ctx;
	(void)pr;
	return echo(reply, "van=%s tot=%s%s", api_query(req, "van"),
	    api_query(req, "tot"), "");
}

static const struct api_route test_routes[] = {
	{ "GET", "/api/v1/items/{id}", h_item, "item", "Eén item", 0, NULL,
	    NULL },
	{ "DELETE", "/api/v1/items/{id}", h_item, "item_weg", "Item weg",
	    API_TOKEN, NULL, NULL },
	{ "GET", "/api/v1/series/{gm}/{id}", h_series, "series", "Reeks", 0,
	    "van,tot,per", NULL },
	{ "GET", "/api/v1/series/{gm}/{id}.csv", h_series, "series_csv",
	    "Reeks als CSV", 0, "van,tot,excel", NULL },
	/* listed before the literal route on purpose: specificity wins */
	{ "GET", "/chart/{gm}/{id}.svg", h_chart, "chart", "Grafiek", 0, NULL,
	    NULL },
	{ "GET", "/chart/vergelijk/{id}.svg", h_vergelijk, "chart_vergelijk",
	    "Vergelijkende grafiek", 0, "periode,groep,markeer", NULL },
	{ "POST", "/api/v1/feeds", h_feed, "feeds", "Levering insturen",
	    API_BODY | API_TOKEN, "partial", "text/csv" },
	{ "GET", "/kapot", h_broken, "kapot", "Faalt altijd", 0, NULL, NULL },
	{ "GET", "/etag", h_etag, "etag", "Met ETag", 0, NULL, NULL },
	{ "GET", "/query", h_query, "query", "Queryparameters", 0, "van,tot",
	    NULL },
};

static int
authorize(void *arg, const struct api_request *req,
    const struct api_route *route, struct api_reply *reply)
{
	(void)arg;
	(void)route;
	if (req->authorization == NULL)
		return -1; /* dispatcher answers 401 */
	if (strcmp(req->authorization, "Bearer goed") == 0)
		return 0;
	api_error(reply, 403, NULL, NULL);
	return -1;
}

static struct api_ctx *
test_ctx(const char *www)
{
	struct api_ctx *ctx = api_ctx_new(www);

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(api_ctx_add_routes(ctx, test_routes,
	    sizeof(test_routes) / sizeof(*test_routes)), 0);
	ctx->authorize = authorize;
	return ctx;
}

/* ---- dispatch */

static const struct {
	const char *method, *path, *auth, *ctype, *body, *van;
	int	status;
	const char *prefix;	/* start of the body */
	const char *allow;	/* Allow header, or NULL for none */
} rows[] = {
	{ "GET", "/api/v1/items/42", 0, 0, 0, 0, 200, "GET:42", 0 },
	{ "HEAD", "/api/v1/items/42", 0, 0, 0, 0, 200, "HEAD:42", 0 },
	{ "PUT", "/api/v1/items/42", 0, 0, 0, 0, 405,
	    "{\"fout\":\"methode niet toegestaan\"", "GET, HEAD, DELETE, OPTIONS" },
	{ "DELETE", "/api/v1/items/42", "Bearer goed", 0, 0, 0, 200,
	    "DELETE:42", 0 },
	{ "GET", "/api/v1/items", 0, 0, 0, 0, 404,
	    "{\"fout\":\"niet gevonden\",\"details\":[]}", 0 },
	{ "GET", "/api/v1/items/42/x", 0, 0, 0, 0, 404, "{\"fout\"", 0 },
	{ "GET", "/api/v1/items/", 0, 0, 0, 0, 404, "{\"fout\"", 0 },
	{ "GET", "/api/v1/series/GM0363/pw", 0, 0, 0, 0, 200,
	    "series:GM0363:pw:", 0 },
	{ "GET", "/api/v1/series/GM0363/pw.csv", 0, 0, 0, 0, 200,
	    "series:GM0363:pw:csv", 0 },
	{ "GET", "/chart/GM0363/pw.svg", 0, 0, 0, 0, 200,
	    "chart:GM0363:pw:svg", 0 },
	{ "GET", "/chart/vergelijk/pw.svg", 0, 0, 0, 0, 200,
	    "vergelijk:pw:svg", 0 },
	{ "GET", "/chart/GM0363/pw.png", 0, 0, 0, 0, 404, "{\"fout\"", 0 },
	{ "GET", "/chart/GM0363/.svg", 0, 0, 0, 0, 404, "{\"fout\"", 0 },
	{ "POST", "/api/v1/feeds", 0, "text/csv", "a;b", 0, 401,
	    "{\"fout\":\"niet aangemeld\"", 0 },
	{ "POST", "/api/v1/feeds", "Bearer fout", "text/csv", "a;b", 0, 403,
	    "{\"fout\":\"geen toegang\"", 0 },
	{ "POST", "/api/v1/feeds", "Bearer goed", "application/json", "{}", 0,
	    415, "{\"fout\":\"type van de inhoud niet ondersteund\","
	    "\"details\":[\"verwacht Content-Type: text/csv\"]}", 0 },
	{ "POST", "/api/v1/feeds", "Bearer goed", 0, "a;b", 0, 415, "{", 0 },
	{ "POST", "/api/v1/feeds", "Bearer goed", "Text/CSV; charset=utf-8",
	    "a;b", 0, 200, "body:3", 0 },
	{ "POST", "/api/v1/feeds", "Bearer goed", "text/csv", "", 0, 400,
	    "{\"fout\":\"het verzoek heeft geen inhoud\"", 0 },
	{ "GET", "/api/v1/feeds", 0, 0, 0, 0, 405, "{", "POST, OPTIONS" },
	{ "OPTIONS", "/api/v1/items/42", 0, 0, 0, 0, 204, NULL,
	    "GET, HEAD, DELETE, OPTIONS" },
	{ "OPTIONS", "/api/v1/items", 0, 0, 0, 0, 404, "{", 0 },
	/* Invalid UTF-8 is a 400 whose message still encodes (issue 16). */
	{ "GET", "/api/v1/items/\xff", 0, 0, 0, 0, 400,
	    "{\"fout\":\"het pad is geen geldige UTF-8\"", 0 },
	{ "GET", "/query", 0, 0, 0, "\xff", 400,
	    "{\"fout\":\"parameter 'van' is geen geldige UTF-8\"", 0 },
	{ "GET", "/query", 0, 0, 0, "\xc0\xaf", 400, "{\"fout\"", 0 },
	{ "GET", "/kapot", 0, 0, 0, 0, 500,
	    "{\"fout\":\"interne fout\",\"details\":[]}", 0 },
	{ "GET", "/query", 0, 0, 0, "2020-01", 200, "van=2020-01 tot=-", 0 },
	{ "GET", "geen-slash", 0, 0, 0, 0, 400, "{\"fout\":\"ongeldig pad\"",
	    0 },
	{ "GET", "/healthz", 0, 0, 0, 0, 200, "{\"status\":\"ok\"}", 0 },
	{ "POST", "/healthz", 0, 0, 0, 0, 405, "{", "GET, HEAD, OPTIONS" },
};

static const char *
find_header(const struct api_reply *reply, const char *name)
{
	for (size_t i = 0; i < reply->nheaders; i++)
		if (strcmp(reply->headers[i].name, name) == 0)
			return reply->headers[i].value;
	return NULL;
}

START_TEST(test_dispatch)
{
	struct api_ctx *ctx = test_ctx(NULL);
	struct api_kv q[] = { { "van", rows[_i].van } };
	struct api_request req = { 0 };
	struct api_reply reply;
	const char *allow;

	req.method = rows[_i].method;
	req.path = rows[_i].path;
	req.authorization = rows[_i].auth;
	req.content_type = rows[_i].ctype;
	req.body = rows[_i].body;
	req.body_len = rows[_i].body ? strlen(rows[_i].body) : 0;
	req.query = q;
	req.nquery = rows[_i].van ? 1 : 0;
	api_reply_init(&reply);
	api_dispatch(ctx, &req, &reply);
	ck_assert_int_eq(reply.status, rows[_i].status);
	if (rows[_i].prefix == NULL) {
		ck_assert_uint_eq(reply.len, 0); /* 204 */
	} else {
		ck_assert_ptr_nonnull(reply.body);
		ck_assert_msg(strncmp(reply.body, rows[_i].prefix,
		    strlen(rows[_i].prefix)) == 0, "body: %s", reply.body);
	}
	allow = find_header(&reply, "Allow");
	if (rows[_i].allow == NULL)
		ck_assert_ptr_null(allow);
	else
		ck_assert_str_eq(allow ? allow : "(geen)", rows[_i].allow);
	if (rows[_i].status == 401)
		ck_assert_str_eq(reply.www_authenticate,
		    "Bearer realm=\"basisd\"");
	api_reply_free(&reply);
	api_ctx_free(ctx);
}
END_TEST

/* ---- ETag / If-None-Match */

static const struct {
	const char *method, *inm;
	int	status;
} etags[] = {
	{ "GET", NULL, 200 },
	{ "GET", "\"v1\"", 304 },
	{ "HEAD", "\"v1\"", 304 },
	{ "GET", "W/\"v1\"", 304 },
	{ "GET", "\"v0\", \"v1\"", 304 },
	{ "GET", "\"v0\",\"v1\" ", 304 },
	{ "GET", "*", 304 },
	{ "GET", "\"v2\"", 200 },
	{ "GET", "v1", 200 },
	{ "GET", "\"v1", 200 },
	{ "GET", "", 200 },
};

START_TEST(test_etag)
{
	struct api_ctx *ctx = test_ctx(NULL);
	struct api_request req = { 0 };
	struct api_reply reply;

	req.method = etags[_i].method;
	req.path = "/etag";
	req.if_none_match = etags[_i].inm;
	api_reply_init(&reply);
	api_dispatch(ctx, &req, &reply);
	ck_assert_int_eq(reply.status, etags[_i].status);
	ck_assert_str_eq(reply.etag, "\"v1\"");
	if (etags[_i].status == 304) {
		/* The body stays for its length (Content-Length), unsent. */
		ck_assert_str_eq(reply.content_type, "");
		ck_assert_uint_eq(reply.len, strlen("versie 1"));
	} else {
		ck_assert_str_eq(reply.body, "versie 1");
	}
	api_reply_free(&reply);
	api_ctx_free(ctx);
}
END_TEST

/* ---- static files */

static char *www_dir;

static void
www_setup(void)
{
	static const struct {
		const char *path, *data;
	} files[] = {
		{ "index.html", "<!doctype html><title>basisd</title>" },
		{ "css/app.css", "body{}" },
		{ "js/app.js", "'use strict';" },
		{ "img/logo.svg", "<svg/>" },
		{ "data.bin", "\x01\x02" },
		{ ".verborgen", "geheim" },
	};
	char	p[4096];

	www_dir = tu_tmpdir();
	for (const char *d = "css\0js\0img\0sub\0"; *d; d += strlen(d) + 1) {
		snprintf(p, sizeof(p), "%s/%s", www_dir, d);
		ck_assert_int_eq(mkdir(p, 0755), 0);
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		snprintf(p, sizeof(p), "%s/%s", www_dir, files[i].path);
		tu_write_file(p, files[i].data, strlen(files[i].data));
	}
}

static void
www_teardown(void)
{
	tu_rm_rf(www_dir);
	free(www_dir);
	www_dir = NULL;
}

static const struct {
	const char *path;
	int	status;
	const char *type, *cache, *body;
} statics[] = {
	{ "/", 200, "text/html; charset=utf-8", "no-cache", "<!doctype" },
	{ "/index.html", 200, "text/html; charset=utf-8", "no-cache",
	    "<!doctype" },
	{ "/gemeente/GM0363", 200, "text/html; charset=utf-8", "no-cache",
	    "<!doctype" },
	{ "/indicator/pw_uitstroom_werk", 200, "text/html; charset=utf-8",
	    "no-cache", "<!doctype" },
	{ "/css/app.css", 200, "text/css; charset=utf-8",
	    "public, max-age=3600", "body{}" },
	{ "/js/app.js", 200, "text/javascript; charset=utf-8",
	    "public, max-age=3600", "'use strict';" },
	{ "/img/logo.svg", 200, "image/svg+xml", "public, max-age=3600",
	    "<svg/>" },
	{ "/data.bin", 200, "application/octet-stream", "public, max-age=3600",
	    "\x01\x02" },
	{ "/ontbreekt.html", 404, "application/json; charset=utf-8", "",
	    "{\"fout\":\"niet gevonden\"" },
	{ "/sub", 404, "application/json; charset=utf-8", "", "{\"fout\"" },
	{ "/../etc/passwd", 400, "application/json; charset=utf-8", "",
	    "{\"fout\":\"ongeldig pad\"" },
	{ "/css/../../etc/passwd", 400, "application/json; charset=utf-8", "",
	    "{\"fout\":\"ongeldig pad\"" },
	{ "/css/..", 400, "application/json; charset=utf-8", "", "{\"fout\"" },
	{ "/%2e%2e/etc/passwd", 400, "application/json; charset=utf-8", "",
	    "{\"fout\"" },
	{ "/%252e%252e/etc/passwd", 400, "application/json; charset=utf-8", "",
	    "{\"fout\"" },
	{ "/index.html%00.css", 400, "application/json; charset=utf-8", "",
	    "{\"fout\"" },
	{ "//etc/passwd", 400, "application/json; charset=utf-8", "",
	    "{\"fout\"" },
	{ "/.verborgen", 400, "application/json; charset=utf-8", "",
	    "{\"fout\"" },
	{ "/css\\..\\..\\x", 400, "application/json; charset=utf-8", "",
	    "{\"fout\"" },
	{ "/a\x01b", 400, "application/json; charset=utf-8", "", "{\"fout\"" },
};

START_TEST(test_static)
{
	struct api_ctx *ctx = test_ctx(www_dir);
	struct api_request req = { 0 };
	struct api_reply reply;

	req.method = "GET";
	req.path = statics[_i].path;
	api_reply_init(&reply);
	api_dispatch(ctx, &req, &reply);
	ck_assert_int_eq(reply.status, statics[_i].status);
	ck_assert_str_eq(reply.content_type, statics[_i].type);
	ck_assert_str_eq(reply.cache_control, statics[_i].cache);
	ck_assert_msg(reply.len >= strlen(statics[_i].body) &&
	    memcmp(reply.body, statics[_i].body, strlen(statics[_i].body)) == 0,
	    "body: %s", reply.body);
	if (reply.status == 200)
		ck_assert_msg(reply.etag[0] == '"', "etag %s", reply.etag);
	api_reply_free(&reply);
	api_ctx_free(ctx);
}
END_TEST

/* A browser revalidating index.html gets 304, also via a client route. */
START_TEST(test_static_revalidate)
{
	struct api_ctx *ctx = test_ctx(www_dir);
	struct api_request req = { 0 };
	struct api_reply reply;
	char	etag[96];

	req.method = "GET";
	req.path = "/";
	api_reply_init(&reply);
	api_dispatch(ctx, &req, &reply);
	ck_assert_int_eq(reply.status, 200);
	snprintf(etag, sizeof(etag), "%s", reply.etag);
	api_reply_free(&reply);
	req.path = "/gemeente/GM0014";
	req.if_none_match = etag;
	api_reply_init(&reply);
	api_dispatch(ctx, &req, &reply);
	ck_assert_int_eq(reply.status, 304);
	ck_assert_str_eq(reply.content_type, "");
	api_reply_free(&reply);
	api_ctx_free(ctx);
}
END_TEST

/* ---- CSV */

static const struct {
	const char *cell;
	int	excel;
	const char *out;
} csv_cells[] = {
	{ "gewoon", 0, "gewoon\r\n" },
	{ "=SOM(A1:A9)", 0, "'=SOM(A1:A9)\r\n" },
	{ "+31 20 1234567", 0, "'+31 20 1234567\r\n" },
	{ "-1+2", 0, "'-1+2\r\n" },
	{ "@SUM(1)", 0, "'@SUM(1)\r\n" },
	{ "\tx", 0, "'\tx\r\n" },
	{ "=HYPERLINK(\"http://x\";\"klik\")", 1,
	    BOM "\"'=HYPERLINK(\"\"http://x\"\";\"\"klik\"\")\"\r\n" },
	{ "=1,2", 0, "\"'=1,2\"\r\n" },
	{ "a,b", 0, "\"a,b\"\r\n" },
	{ "a;b", 1, BOM "\"a;b\"\r\n" },
	{ "zeg \"hoi\"", 0, "\"zeg \"\"hoi\"\"\"\r\n" },
	{ "twee\nregels", 0, "\"twee\nregels\"\r\n" },
	{ "'s-Hertogenbosch", 0, "'s-Hertogenbosch\r\n" },
	{ "Súdwest-Fryslân", 1, BOM "Súdwest-Fryslân\r\n" },
	{ "", 0, "\r\n" },
	{ NULL, 0, "\r\n" },
};

START_TEST(test_csv_cell)
{
	struct api_csv csv;

	api_csv_init(&csv, csv_cells[_i].excel);
	api_csv_str(&csv, csv_cells[_i].cell);
	api_csv_end_row(&csv);
	ck_assert_str_eq(csv.b.data, csv_cells[_i].out);
	api_csv_free(&csv);
}
END_TEST

static const struct {
	double	v;
	int	decimals, excel;
	const char *out;
} csv_nums[] = {
	{ 1.5, -1, 0, "1.5" },
	{ 1.5, -1, 1, BOM "1,5" },
	{ -3, -1, 0, "-3" },	/* a negative number is a number, not a formula */
	{ -0.25, 2, 1, BOM "-0,25" },
	{ 2.5, 0, 0, "2" },	/* round half to even, as printf does */
	{ 12.3456, 1, 0, "12.3" },
	{ 1e6, -1, 0, "1000000" },
	{ 0.1, -1, 0, "0.1" },
	{ NAN, -1, 0, "" },
	{ INFINITY, 2, 1, BOM "" },
};

START_TEST(test_csv_num)
{
	struct api_csv csv;
	char	want[64];

	api_csv_init(&csv, csv_nums[_i].excel);
	api_csv_num(&csv, csv_nums[_i].v, csv_nums[_i].decimals);
	api_csv_end_row(&csv);
	snprintf(want, sizeof(want), "%s\r\n", csv_nums[_i].out);
	ck_assert_str_eq(csv.b.data, want);
	api_csv_free(&csv);
}
END_TEST

START_TEST(test_csv_table)
{
	static const char *const want[] = {
		"gemeente,periode,waarde\r\nGM0363,2024-Q1,12.5\r\n"
		"GM0014,2024-Q1,\r\n",
		BOM "gemeente;periode;waarde\r\nGM0363;2024-Q1;12,5\r\n"
		"GM0014;2024-Q1;\r\n",
	};
	struct api_csv csv;
	struct api_reply reply;

	for (int excel = 0; excel <= 1; excel++) {
		api_csv_init(&csv, excel);
		api_csv_str(&csv, "gemeente");
		api_csv_str(&csv, "periode");
		api_csv_str(&csv, "waarde");
		api_csv_end_row(&csv);
		api_csv_str(&csv, "GM0363");
		api_csv_str(&csv, "2024-Q1");
		api_csv_num(&csv, 12.5, -1);
		api_csv_end_row(&csv);
		api_csv_str(&csv, "GM0014");
		api_csv_str(&csv, "2024-Q1");
		api_csv_num(&csv, NAN, -1);
		api_csv_end_row(&csv);
		api_reply_init(&reply);
		ck_assert_int_eq(api_csv_reply(&csv, &reply,
		    "reeks GM0363/\"x\".csv"), 0);
		ck_assert_int_eq(reply.status, 200);
		ck_assert_str_eq(reply.content_type, "text/csv; charset=utf-8");
		ck_assert_str_eq(reply.body, want[excel]);
		ck_assert_uint_eq(reply.len, strlen(want[excel]));
		ck_assert_str_eq(find_header(&reply, "Content-Disposition"),
		    "attachment; filename=\"reeks_GM0363__x_.csv\"");
		api_reply_free(&reply);
	}
}
END_TEST

/* ---- OpenAPI: every route of every table, nothing else */

START_TEST(test_openapi)
{
	struct api_ctx *ctx = test_ctx(NULL);
	json_t *doc = api_openapi(ctx), *paths, *item, *op, *params;
	size_t	nops = 0, nroutes = 0;
	const char *key;
	char	method[16];

	ck_assert_ptr_nonnull(doc);
	ck_assert_str_eq(json_get_str(doc, "openapi"), "3.0.3");
	paths = json_object_get(doc, "paths");
	for (size_t t = 0; t < ctx->ntables; t++) {
		for (size_t i = 0; i < ctx->tables[t].n; i++) {
			const struct api_route *r = &ctx->tables[t].routes[i];
			size_t	k;

			for (k = 0; r->method[k]; k++)
				method[k] = (char)(r->method[k] | 0x20);
			method[k] = '\0';
			op = json_object_get(json_object_get(paths, r->pattern),
			    method);
			ck_assert_msg(op != NULL, "%s %s ontbreekt", method,
			    r->pattern);
			ck_assert_str_eq(json_get_str(op, "operationId"),
			    r->name);
			ck_assert_str_eq(json_get_str(op, "summary"),
			    r->summary);
			/* a token route names its scheme; a public one says
			 * so with an empty list, or not at all */
			ck_assert_int_eq(json_array_size(json_object_get(op,
			    "security")) > 0, (r->flags & API_TOKEN) != 0);
			ck_assert_int_eq(json_object_get(op, "requestBody") !=
			    NULL, (r->flags & API_BODY) != 0);
			nroutes++;
		}
	}
	json_object_foreach(paths, key, item)
		nops += json_object_size(item);
	ck_assert_uint_eq(nops, nroutes);
	ck_assert_uint_eq(nroutes, 3 + sizeof(test_routes) /
	    sizeof(*test_routes));
	/* path and query parameters come from the pattern and the route */
	params = json_object_get(json_object_get(json_object_get(paths,
	    "/api/v1/series/{gm}/{id}.csv"), "get"), "parameters");
	ck_assert_uint_eq(json_array_size(params), 5);
	ck_assert_str_eq(json_get_str(json_array_get(params, 0), "name"), "gm");
	ck_assert_str_eq(json_get_str(json_array_get(params, 0), "in"), "path");
	ck_assert_str_eq(json_get_str(json_array_get(params, 1), "name"), "id");
	ck_assert_str_eq(json_get_str(json_array_get(params, 4), "name"),
	    "excel");
	ck_assert_str_eq(json_get_str(json_array_get(params, 4), "in"),
	    "query");
	json_decref(doc);
	api_ctx_free(ctx);
}
END_TEST

/* The served document is the same one, valid JSON. */
START_TEST(test_openapi_route)
{
	struct api_ctx *ctx = test_ctx(NULL);
	struct api_request req = { .method = "GET",
				   .path = "/api/v1/openapi.json" };
	struct api_reply reply;
	json_t *doc;

	api_reply_init(&reply);
	api_dispatch(ctx, &req, &reply);
	ck_assert_int_eq(reply.status, 200);
	doc = json_decode(reply.body, reply.len, NULL);
	ck_assert_ptr_nonnull(doc);
	ck_assert_ptr_nonnull(json_object_get(json_object_get(doc, "paths"),
	    "/chart/vergelijk/{id}.svg"));
	json_decref(doc);
	api_reply_free(&reply);
	api_ctx_free(ctx);
}
END_TEST

/* ---- metrics */

static double
read_fn(void *arg)
{
	return *(const double *)arg;
}

static void
get(struct api_ctx *ctx, const char *path)
{
	struct api_request req = { .method = "GET", .path = path };
	struct api_reply reply;

	api_reply_init(&reply);
	api_dispatch(ctx, &req, &reply);
	api_reply_free(&reply);
}

static const char *const metric_lines[] = {
	"basisd_http_requests_total{route=\"item\",method=\"GET\","
	"code=\"200\"} 2\n",
	"basisd_http_requests_total{route=\"onbekend\",method=\"GET\","
	"code=\"404\"} 1\n",
	"basisd_http_requests_total{route=\"kapot\",method=\"GET\","
	"code=\"500\"} 1\n",
	"basisd_http_request_duration_seconds_bucket{route=\"item\","
	"method=\"GET\",le=\"+Inf\"} 2\n",
	"basisd_http_request_duration_seconds_bucket{route=\"item\","
	"method=\"GET\",le=\"10\"} 2\n",
	"basisd_http_request_duration_seconds_count{route=\"item\","
	"method=\"GET\"} 2\n",
	"# TYPE basisd_http_request_cpu_seconds_total counter\n",
	"basisd_http_request_cpu_seconds_total{route=\"item\",method=\"GET\"} ",
	"# TYPE process_resident_memory_bytes gauge\n",
	"# TYPE process_open_fds gauge\n",
	"# TYPE process_start_time_seconds gauge\n",
	"basisd_build_info{version=\"" PACKAGE_VERSION "\"} 1\n",
"# TYPE basisd_http_request_duration_seconds histogram\n",
	"# TYPE basisd_feeds_accepted_total counter\n",
	"basisd_feeds_accepted_total 3\n",
	"# TYPE basisd_chart_cache_entries gauge\n",
	"basisd_chart_cache_entries 7\n",
};

START_TEST(test_metrics)
{
	struct api_ctx *ctx = test_ctx(NULL);
	double	entries = 7;
	regex_t	re;
	char   *text, *line, *save = NULL;
	int	id;

	get(ctx, "/api/v1/items/1");
	get(ctx, "/api/v1/items/2");
	get(ctx, "/nergens");
	get(ctx, "/kapot");
	id = metrics_counter(ctx->metrics, "basisd_feeds_accepted_total",
	    "Geaccepteerde leveringen.");
	ck_assert_int_ge(id, 0);
	ck_assert_int_eq(metrics_counter(ctx->metrics,
	    "basisd_feeds_accepted_total", "opnieuw"), id);
	ck_assert_int_eq(metrics_counter(ctx->metrics, "9fout", "x"), -1);
	ck_assert_int_eq(metrics_counter(ctx->metrics, "met spatie", "x"),
	    -1);
	ck_assert_int_eq(metrics_func(ctx->metrics, "x_y", "x", "summary",
	    read_fn, &entries), -1);
	ck_assert_int_eq(metrics_func(ctx->metrics,
	    "basisd_chart_cache_entries", "Grafieken in de cache.", "gauge",
	    read_fn, &entries), 0);
	metrics_add(ctx->metrics, id, 1);
	metrics_add(ctx->metrics, id, 2);
	metrics_add(ctx->metrics, 999, 2); /* unknown id: ignored */
	text = metrics_render(ctx->metrics, NULL);
	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < sizeof(metric_lines) / sizeof(*metric_lines);
	     i++)
		ck_assert_msg(strstr(text, metric_lines[i]) != NULL,
		    "ontbreekt: %s", metric_lines[i]);
	/* Every line is a comment or `name{labels} value` (format 0.0.4). */
	ck_assert_int_eq(regcomp(&re, "^(# (HELP|TYPE) [a-z_:]+ .+|"
	    "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-z]+=\"[^\"]*\""
	    "(,[a-z]+=\"[^\"]*\")*\\})? [-+0-9.e]+)$", REG_EXTENDED | REG_NOSUB),
	    0);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save))
		ck_assert_msg(regexec(&re, line, 0, NULL, 0) == 0,
		    "regel: %s", line);
	regfree(&re);
	free(text);
	api_ctx_free(ctx);
}
END_TEST

/* ---- healthz and error bodies */

static int
health_fail(void *arg, struct err *err)
{
	(void)arg;
	return err_set(err, "ledger niet bereikbaar");
}

static int
health_ok(void *arg, struct err *err)
{
	(void)arg;
	(void)err;
	return 0;
}

static const struct {
	int	(*fn)(void *, struct err *);
	int	status;
	const char *body;
} healths[] = {
	{ NULL, 200, "{\"status\":\"ok\"}" },
	{ health_ok, 200, "{\"status\":\"ok\"}" },
	{ health_fail, 503, "{\"fout\":\"niet gezond\",\"details\":"
	    "[\"ledger niet bereikbaar\"]}" },
};

START_TEST(test_healthz)
{
	struct api_ctx *ctx = test_ctx(NULL);
	struct api_request req = { .method = "GET", .path = "/healthz" };
	struct api_reply reply;

	ctx->health = healths[_i].fn;
	api_reply_init(&reply);
	api_dispatch(ctx, &req, &reply);
	ck_assert_int_eq(reply.status, healths[_i].status);
	ck_assert_str_eq(reply.body, healths[_i].body);
	ck_assert_str_eq(reply.cache_control, "no-store");
	api_reply_free(&reply);
	api_ctx_free(ctx);
}
END_TEST

static const struct {
	int	status;
	const char *fout;
	int	details;	/* 0 none, 1 array, 2 object */
	const char *body;
} errors[] = {
	{ 422, "levering afgekeurd", 1, "{\"fout\":\"levering afgekeurd\","
	    "\"details\":[{\"regel\":3}]}" },
	{ 422, NULL, 2, "{\"fout\":\"gegevens afgekeurd\","
	    "\"details\":[{\"regel\":3}]}" },
	{ 413, NULL, 0, "{\"fout\":\"verzoek te groot\",\"details\":[]}" },
	{ 429, NULL, 0, "{\"fout\":\"te veel verzoeken\",\"details\":[]}" },
	{ 418, NULL, 0, "{\"fout\":\"ongeldig verzoek\",\"details\":[]}" },
	{ 502, NULL, 0, "{\"fout\":\"interne fout\",\"details\":[]}" },
};

START_TEST(test_error)
{
	struct api_reply reply;
	json_t *d = NULL;

	if (errors[_i].details == 1)
		d = json_pack("[{s:i}]", "regel", 3);
	else if (errors[_i].details == 2)
		d = json_pack("{s:i}", "regel", 3);
	api_reply_init(&reply);
	ck_assert_int_eq(api_error(&reply, errors[_i].status, errors[_i].fout,
	    d), 0);
	ck_assert_int_eq(reply.status, errors[_i].status);
	ck_assert_str_eq(reply.content_type, "application/json; charset=utf-8");
	ck_assert_str_eq(reply.body, errors[_i].body);
	api_reply_free(&reply);
}
END_TEST

/* Every error kind has its status; the message comes from the err, or
 * the status's default text when the producer left it empty. */
static const struct {
	enum err_kind kind;
	const char *msg;
	int	status;
	const char *body;
} kinds[] = {
	/* an internal message may name files (issue 13): logged only */
	{ ERR_INTERNAL, "rrd: lezen van /var/lib/basisd/rrd/GM0014/x.rrd: "
	    "reached EOF", 500, "{\"fout\":\"interne fout\",\"details\":[]}" },
	{ ERR_INPUT, "'van' ligt na 'tot'", 400,
	    "{\"fout\":\"'van' ligt na 'tot'\",\"details\":[]}" },
	{ ERR_UNAUTHORISED, "onbekend token", 401,
	    "{\"fout\":\"onbekend token\",\"details\":[]}" },
	{ ERR_FORBIDDEN, "", 403, "{\"fout\":\"geen toegang\",\"details\":[]}" },
	{ ERR_NOT_FOUND, "", 404, "{\"fout\":\"niet gevonden\",\"details\":[]}" },
	{ ERR_CONFLICT, "", 409, "{\"fout\":\"conflict met de bestaande "
	    "gegevens\",\"details\":[]}" },
	{ ERR_TOO_LARGE, "", 413, "{\"fout\":\"verzoek te groot\",\"details\":[]}" },
	{ ERR_REJECTED, "", 422, "{\"fout\":\"gegevens afgekeurd\",\"details\":[]}" },
	{ ERR_BUSY, "", 429, "{\"fout\":\"te veel verzoeken\",\"details\":[]}" },
	{ ERR_UNAVAILABLE, "", 503, "{\"fout\":\"dienst niet "
	    "beschikbaar\",\"details\":[]}" },
	{ ERR_NKINDS, "", 500, "{\"fout\":\"interne fout\",\"details\":[]}" },
};

START_TEST(test_fail_kind)
{
	struct api_reply reply;
	struct err err = { "" };

	err_setk(&err, kinds[_i].kind, "%s", kinds[_i].msg);
	api_reply_init(&reply);
	ck_assert_int_eq(api_fail(&reply, &err), 0);
	ck_assert_int_eq(reply.status, kinds[_i].status);
	ck_assert_str_eq(reply.body, kinds[_i].body);
	api_reply_free(&reply);
	/* api_refuse: the handler's own text, the same table. */
	api_reply_init(&reply);
	ck_assert_int_eq(api_refuse(&reply, kinds[_i].kind, "regel %d", 7), 0);
	ck_assert_int_eq(reply.status, kinds[_i].status);
	ck_assert_ptr_nonnull(strstr(reply.body, "\"regel 7\""));
	api_reply_free(&reply);
}
END_TEST

/* err_set is an internal failure; err_prefix keeps the kind. */
START_TEST(test_err_kind)
{
	struct err err = { "" };

	err_setk(&err, ERR_NOT_FOUND, "regel 3 bestaat niet");
	err_prefix(&err, "x: ");
	ck_assert_int_eq(err.kind, ERR_NOT_FOUND);
	ck_assert_str_eq(err.msg, "x: regel 3 bestaat niet");
	err_set(&err, "onvoldoende geheugen");
	ck_assert_int_eq(err.kind, ERR_INTERNAL);
	ck_assert_int_eq(err_as(&err, ERR_REJECTED), -1);
	ck_assert_int_eq(err.kind, ERR_REJECTED);
}
END_TEST

START_TEST(test_reply_headers)
{
	struct api_reply reply;
	char	big[2000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	api_reply_init(&reply);
	for (int i = 0; i < API_MAX_HEADERS; i++)
		ck_assert_int_eq(api_reply_header(&reply, "X-Nr", "%d", i), 0);
	ck_assert_int_eq(api_reply_header(&reply, "X-Nr", "vol"), -1);
	reply.nheaders = 0;
	ck_assert_int_eq(api_reply_header(&reply, "X-Groot", "%s", big), -1);
	ck_assert_uint_eq(reply.nheaders, 0);
	api_reply_free(&reply);
	api_reply_free(NULL);
}
END_TEST

/* A lent body is given back exactly once, whatever replaces or ends the
 * reply. */
static void
count_release(void *arg)
{
	(*(int *)arg)++;
}

static void
after_free(struct api_reply *r)
{
	api_reply_free(r);
}

static void
after_copy(struct api_reply *r)
{
	ck_assert_int_eq(api_reply_copy(r, 200, "text/plain", "b", 1), 0);
	ck_assert_str_eq(r->body, "b");
}

static void
after_error(struct api_reply *r)
{
	ck_assert_int_eq(api_error(r, 404, NULL, NULL), 0);
	ck_assert_ptr_null(r->lent);
}

static void
after_lend(struct api_reply *r)
{
	ck_assert_int_eq(api_reply_lend(r, 200, "text/plain", "c", 1, NULL,
	    NULL), 0);
}

static void (*const lend_ends[])(struct api_reply *) = {
	after_free, after_copy, after_error, after_lend,
};

START_TEST(test_reply_lend)
{
	static const char data[] = "geleend";
	struct api_reply reply;
	int	released = 0;

	api_reply_init(&reply);
	ck_assert_int_eq(api_reply_copy(&reply, 200, "text/plain", "a", 1),
	    0);
	ck_assert_int_eq(api_reply_lend(&reply, 200, "image/svg+xml", data,
	    sizeof(data) - 1, count_release, &released), 0);
	ck_assert_ptr_null(reply.body);	/* the copy was freed */
	ck_assert_ptr_eq(reply.lent, data);
	ck_assert_uint_eq(reply.len, sizeof(data) - 1);
	ck_assert_str_eq(reply.content_type, "image/svg+xml");
	ck_assert_int_eq(released, 0);
	lend_ends[_i](&reply);
	ck_assert_int_eq(released, 1);
	api_reply_free(&reply);
	ck_assert_int_eq(released, 1);
}
END_TEST

#define LOOP(tc, fn, arr) tcase_add_loop_test(tc, fn, 0, sizeof(arr) / sizeof(*arr))

int
main(void)
{
	Suite  *s = suite_create("api");
	TCase  *tc = tcase_create("core");
	TCase  *tw = tcase_create("static");
	SRunner *sr;
	int	nf;

	LOOP(tc, test_dispatch, rows);
	LOOP(tc, test_etag, etags);
	LOOP(tc, test_csv_cell, csv_cells);
	LOOP(tc, test_csv_num, csv_nums);
	tcase_add_test(tc, test_csv_table);
	tcase_add_test(tc, test_openapi);
	tcase_add_test(tc, test_openapi_route);
	tcase_add_test(tc, test_metrics);
	LOOP(tc, test_healthz, healths);
	LOOP(tc, test_error, errors);
	LOOP(tc, test_fail_kind, kinds);
	tcase_add_test(tc, test_err_kind);
	tcase_add_test(tc, test_reply_headers);
	LOOP(tc, test_reply_lend, lend_ends);
	tcase_add_checked_fixture(tw, www_setup, www_teardown);
	LOOP(tw, test_static, statics);
	tcase_add_test(tw, test_static_revalidate);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tw);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
