/* tests/fuzz/http.c — fuzz target: the HTTP request path through the route
 * table, in-process and without sockets: the input is a request in a small
 * text form, decoded the way http.c hands it over (percent-decoded path and
 * query, headers), answered by api_dispatch against a small real state (a
 * ledger, RRD files and bands of a few gemeenten, two tokens).
 *
 * Input: "METHOD /path?query\n", header lines "Name: value\n", an empty
 * line, then the body. "Authorization: @beheer" and "@GM0363" stand for
 * the tokens made at start, so the fuzzer reaches authorised routes. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/band.h"
#include "base/auth.h"
#include "base/conf.h"
#include "base/log.h"
#include "serve/alertweb.h"
#include "serve/api.h"
#include "serve/routes.h"
#include "store/app.h"
#include "fuzz.h"

#define FUZZ_MAX_INPUT	(64 * 1024)

/* librrd leaks inside rrd_graph_v; the slow unwinder lets tests/lsan.supp
 * see that frame (as in check_chart.c). */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

/* The state every input is answered against, built once (libFuzzer offers
 * no context argument; this is the test program's, not the daemon's). */
static struct {
	char	dir[64];
	struct conf *conf;
	struct app *app;
	struct band *band;
	struct api_ctx *api;
	char	tok_beheer[128], tok_gm[128];	/* "Bearer bsd_…" */
} S;

static const char *const gemeenten[] = {
	"GM0363", "GM0599", "GM0518", "GM0344", "GM0014", "GM0034",
};

static int
add_token_locked(void *arg, struct ledger *writer, struct err *err)
{
	return ledger_token_add(writer, arg, err);
}

static void
make_token(const char *rol, const char *scope, char *ret_header)
{
	struct ledger_token t = { 0 };
	char	token[AUTH_TOKEN_SIZE];
	struct err err = { "" };

	if (auth_token_new(token, t.prefix, t.hash) != 0)
		abort();
	snprintf(t.naam, sizeof(t.naam), "fuzz-%s", rol);
	if (auth_role_parse(rol, &t.rol) != 0)
		abort();
	snprintf(t.gemeenten, sizeof(t.gemeenten), "%s", scope);
	if (app_with_writer(S.app, add_token_locked, &t, &err) != 0) {
		fprintf(stderr, "fuzz http: %s\n", err.msg);
		exit(2);
	}
	snprintf(ret_header, 128, "Bearer %s", token);
}

/* Two years of pw_bestand and inwoners for the gemeenten above. */
static void
load_data(void)
{
	static char csv[32 * 1024];
	struct ingest_opts opts = { .leverancier = "fuzz" };
	struct ingest_report rep;
	size_t	n = 0;

	n += (size_t)snprintf(csv + n, sizeof(csv) - n,
	    "gemeente;indicator;periode;waarde\n");
	for (size_t g = 0; g < sizeof(gemeenten) / sizeof(*gemeenten); g++) {
		for (int m = 0; m < 24; m++)
			n += (size_t)snprintf(csv + n, sizeof(csv) - n,
			    "%s;pw_bestand;%d-%02d;%zu\n", gemeenten[g],
			    2023 + m / 12, m % 12 + 1, 400 + g * 37 + (size_t)m * 3);
		n += (size_t)snprintf(csv + n, sizeof(csv) - n,
		    "%s;inwoners;2023;%zu\n%s;inwoners;2024;%zu\n", gemeenten[g],
		    20000 + g * 9000, gemeenten[g], 20100 + g * 9000);
	}
	if (app_ingest(S.app, "fuzz.csv", csv, n, &opts, &rep) != 0) {
		fprintf(stderr, "fuzz http: ingest failed\n");
		exit(2);
	}
	ingest_report_free(&rep);
}

static void
remove_state(void)
{
	char	cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", S.dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz http: could not remove %s\n", S.dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct err err = { "" };
	const struct api_route *aw;
	size_t	naw;

	(void)argc;
	(void)argv;
	log_set_level(LOG_LEVEL_ERR);
	snprintf(S.dir, sizeof(S.dir), "/tmp/fuzz-http-XXXXXX");
	if (auth_init() != 0 || mkdtemp(S.dir) == NULL ||
	    (S.conf = conf_defaults()) == NULL)
		exit(2);
	atexit(remove_state);
	snprintf(S.conf->state_dir, CONF_PATH_SIZE, "%s", S.dir);
	fuzz_srcpath("indicators", S.conf->catalog_dir, CONF_PATH_SIZE);
	fuzz_srcpath("www", S.conf->www_dir, CONF_PATH_SIZE);
	if ((S.app = app_open(S.conf, &err)) == NULL ||
	    (S.band = band_new()) == NULL ||
	    app_add_hook(S.app, band_hook, S.band) != 0 ||
	    (S.api = api_ctx_new(S.conf->www_dir)) == NULL ||
	    routes_install(S.api, S.app, &err) != 0 ||
	    (aw = alertweb_routes(&naw)) == NULL ||
	    api_ctx_add_routes(S.api, aw, naw) != 0) {
		fprintf(stderr, "fuzz http: %s\n", err.msg);
		exit(2);
	}
	make_token("beheer", "", S.tok_beheer);
	make_token("manager", "GM0363", S.tok_gm);
	load_data();
	return 0;
}

/* Percent-decoding in place as http.c's unescape callback does it for
 * libmicrohttpd, %00 kept as is; in query arguments '+' is a space (MHD
 * turns it into one before the callback). */
static void
unescape(char *s, int plus)
{
	char   *w = s, hex[3] = { 0 };
	long	v;

	for (char *r = s; *r; r++) {
		hex[0] = r[1];
		hex[1] = hex[0] ? r[2] : '\0';
		if (*r == '%' && strspn(hex, "0123456789abcdefABCDEF") == 2 &&
		    (v = strtol(hex, NULL, 16)) != 0) {
			*w++ = (char)v;
			r += 2;
		} else
			*w++ = plus && *r == '+' ? ' ' : *r;
	}
	*w = '\0';
}

struct query_list {
	struct api_kv kv[API_MAX_QUERY];
	size_t	n;
};

static void
parse_query(char *q, struct query_list *ret)
{
	char   *save = NULL, *eq;

	for (char *kv = strtok_r(q, "&", &save); kv && ret->n < API_MAX_QUERY;
	    kv = strtok_r(NULL, "&", &save)) {
		if ((eq = strchr(kv, '=')) != NULL)
			*eq++ = '\0';
		unescape(kv, 1);
		if (eq)
			unescape(eq, 1);
		ret->kv[ret->n].key = kv;
		ret->kv[ret->n].value = eq ? eq : "";
		ret->n++;
	}
}

/* The headers http.c passes on, by name. */
static const struct {
	const char *name;
	size_t	off;
} headers[] = {
	{ "Authorization", offsetof(struct api_request, authorization) },
	{ "If-None-Match", offsetof(struct api_request, if_none_match) },
	{ "Content-Type", offsetof(struct api_request, content_type) },
	{ "Accept", offsetof(struct api_request, accept) },
	{ "Cookie", offsetof(struct api_request, cookie) },
	{ "Origin", offsetof(struct api_request, origin) },
	{ "X-CSRF-Token", offsetof(struct api_request, csrf_token) },
};

static void
set_header(struct api_request *req, char *line)
{
	char   *colon = strchr(line, ':'), *v;

	if (colon == NULL)
		return;
	*colon = '\0';
	for (v = colon + 1; *v == ' '; v++)
		;
	/* The stand-ins for real tokens (see keep_state_small). */
	if (strcmp(v, "@beheer") == 0)
		v = S.tok_beheer;
	else if (strcmp(v, "@GM0363") == 0)
		v = S.tok_gm;
	for (size_t i = 0; i < sizeof(headers) / sizeof(*headers); i++)
		if (strcasecmp(line, headers[i].name) == 0)
			*(const char **)(void *)((char *)req + headers[i].off) = v;
}

/* Split text into request line, headers and body; NULL when it has no
 * request line. */
static char *
parse_request(char *text, size_t len, struct api_request *req,
    struct query_list *q)
{
	char   *eol = memchr(text, '\n', len), *sp, *qm, *line;

	if (eol == NULL || (sp = memchr(text, ' ', (size_t)(eol - text))) == NULL)
		return NULL;
	*eol = *sp = '\0';
	req->method = text;
	if ((qm = strchr(sp + 1, '?')) != NULL) {
		*qm = '\0';
		parse_query(qm + 1, q);
	}
	unescape(sp + 1, 0);
	req->path = sp + 1;
	for (line = eol + 1; line < text + len; line = eol + 1) {
		if ((eol = memchr(line, '\n', (size_t)(text + len - line))) == NULL ||
		    eol == line)
			break;
		*eol = '\0';
		set_header(req, line);
	}
	if (eol != NULL && eol < text + len) {
		req->body = eol + 1;
		req->body_len = (size_t)(text + len - (eol + 1));
	}
	return text;
}

/* A write with a real token (feed, alert rule) would grow the state with
 * every input and make runs differ: only reads get the real tokens, writes
 * a token that does not exist, so they stop at authentication (feed
 * parsing has its own target). */
static void
keep_state_small(struct api_request *req)
{
	if (strcmp(req->method, "GET") != 0 &&
	    strcmp(req->method, "HEAD") != 0 &&
	    (req->authorization == S.tok_beheer ||
	    req->authorization == S.tok_gm))
		req->authorization = "Bearer bsd_fuzz_unknown";
}

/* What every reply must be, whatever was asked. */
static void
check_reply(const struct api_reply *r)
{
	if (r->status < 100 || r->status > 599)
		abort();
	if (r->len > 0 && r->body == NULL && r->lent == NULL)
		abort();
	if (r->len > 0 && r->content_type[0] == '\0')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_request req = { .client_addr = "127.0.0.1" };
	struct query_list q = { .n = 0 };
	struct api_reply reply;
	char   *text;

	if (size > FUZZ_MAX_INPUT || (text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (parse_request(text, size, &req, &q) != NULL &&
	    strlen(req.method) < 16) {
		keep_state_small(&req);
		req.query = q.kv;
		req.nquery = q.n;
		api_reply_init(&reply);
		api_dispatch(S.api, &req, &reply);
		check_reply(&reply);
		api_reply_free(&reply);
	}
	free(text);
	return 0;
}
