/* tests/check_alertweb.c — alerts end to end without sockets: a real app
 * (ledger, RRD store) in a temp dir, the alert hook and delivery worker
 * wired as basisd wires them, requests through api_dispatch. A rule made
 * over the API, feeds ingested with app_ingest: one event, one Atom
 * entry, one command call; no duplicate while it keeps crossing;
 * resolved when back in range; scope (403), sign-in, CSRF, the daily
 * missing-delivery pass, and a quarterly group rule on monthly data that
 * judges the number the comparison API shows. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert/alert.h"
#include "alert/alert_engine.h"
#include "serve/alertweb.h"
#include "serve/api.h"
#include "serve/routes.h"
#include "store/app.h"
#include "base/auth.h"
#include "testutil.h"

struct fx {
	char   *dir;
	char	out[200];	/* where the command appends events */
	struct conf *conf;
	struct app *app;
	struct alert_worker *w;
	struct api_ctx *ctx;
	char	tok_ams[128];	/* Authorization headers */
	char	tok_rdam[128];
	char	tok_lev[128];
};

static struct fx F;

static int
add_token_locked(void *arg, struct ledger *writer, struct err *err)
{
	return ledger_token_add(writer, arg, err);
}

static void
make_token(const char *rol, const char *gemeenten, char *ret_header)
{
	struct ledger_token t = { 0 };
	char	token[AUTH_TOKEN_SIZE];
	struct err err = { "" };

	ck_assert_int_eq(auth_token_new(token, t.prefix, t.hash), 0);
	snprintf(t.naam, sizeof(t.naam), "%s-%s", rol, gemeenten);
	ck_assert_int_eq(auth_role_parse(rol, &t.rol), 0);
	snprintf(t.gemeenten, sizeof(t.gemeenten), "%s", gemeenten);
	ck_assert_int_eq(app_with_writer(F.app, add_token_locked, &t, &err),
	    0);
	snprintf(ret_header, 128, "Bearer %s", token);
}

static int
add_account_locked(void *arg, struct ledger *writer, struct err *err)
{
	return ledger_account_add(writer, arg, err);
}

static void
setup(void)
{
	struct err err = { "" };
	char   *cat = tu_srcpath("indicators"), *sh =
	    tu_srcpath("tests/data/alert-command.sh");
	struct ledger_account acc = { 0 };
	const struct api_route *routes;
	size_t	n;

	ck_assert_int_eq(auth_init(), 0);
	F.dir = tu_tmpdir();
	snprintf(F.out, sizeof(F.out), "%s/events.out", F.dir);
	F.conf = conf_defaults();
	snprintf(F.conf->state_dir, sizeof(F.conf->state_dir), "%s", F.dir);
	snprintf(F.conf->catalog_dir, sizeof(F.conf->catalog_dir), "%s", cat);
	F.conf->alert_command.n = 3;
	snprintf(F.conf->alert_command.w[0], CONF_WORD_SIZE, "/bin/sh");
	snprintf(F.conf->alert_command.w[1], CONF_WORD_SIZE, "%s", sh);
	snprintf(F.conf->alert_command.w[2], CONF_WORD_SIZE, "%s", F.out);
	F.conf->alert_timeout = 5;
	F.app = app_open(F.conf, &err);
	ck_assert_msg(F.app != NULL, "%s", err.msg);
	F.w = alert_worker_start(F.app, F.conf, &err);
	ck_assert_ptr_nonnull(F.w);
	ck_assert_int_eq(alert_worker_drain(F.w, 10000), 0); /* first daily */
	ck_assert_int_eq(app_add_hook(F.app, alert_hook, F.w), 0);
	F.ctx = api_ctx_new(NULL);
	F.ctx->app = F.app;
	routes = alertweb_routes(&n);
	ck_assert_int_eq(api_ctx_add_routes(F.ctx, routes, n), 0);
	make_token("manager", "GM0363", F.tok_ams);
	make_token("manager", "GM0599", F.tok_rdam);
	make_token("leverancier", "GM0363", F.tok_lev);
	snprintf(acc.naam, sizeof(acc.naam), "jan");
	acc.rol = AUTH_ROLE_MANAGER;
	snprintf(acc.gemeenten, sizeof(acc.gemeenten), "GM0363");
	ck_assert_int_eq(auth_password_hash("geheim wachtwoord",
	    acc.password_hash), 0);
	ck_assert_int_eq(app_with_writer(F.app, add_account_locked, &acc,
	    &err), 0);
	free(cat);
	free(sh);
}

static void
teardown(void)
{
	alert_worker_stop(F.w);
	api_ctx_free(F.ctx);
	app_close(F.app);
	conf_free(F.conf);
	tu_rm_rf(F.dir);
	free(F.dir);
	memset(&F, 0, sizeof(F));
}

/* One request; path may carry "?k=v&k=v". Returns the status; *ret_body
 * (may be NULL) gets the decoded JSON (caller decrefs). */
static int
call(const char *method, const char *target, const char *auth,
    const char *cookie, const char *body, json_t **ret_body,
    struct api_reply *ret_reply)
{
	struct api_kv q[8];
	struct api_request req = { .method = method, .query = q,
		.authorization = auth, .cookie = cookie, .body = body,
		.body_len = body ? strlen(body) : 0,
		.content_type = body ? "application/json" : NULL };
	char	path[512], *qs, *save = NULL;
	struct api_reply reply;
	int	status;

	snprintf(path, sizeof(path), "%s", target);
	if ((qs = strchr(path, '?')) != NULL) {
		*qs++ = '\0';
		for (char *kv = strtok_r(qs, "&", &save); kv && req.nquery < 8;
		    kv = strtok_r(NULL, "&", &save)) {
			char   *eq = strchr(kv, '=');

			if (eq)
				*eq++ = '\0';
			q[req.nquery++] = (struct api_kv){ kv, eq ? eq : "" };
		}
	}
	req.path = path;
	api_reply_init(&reply);
	api_dispatch(F.ctx, &req, &reply);
	status = reply.status;
	if (ret_body != NULL)
		*ret_body = reply.body ? json_loadb(reply.body, reply.len, 0,
		    NULL) : NULL;
	if (ret_reply != NULL)
		*ret_reply = reply;
	else
		api_reply_free(&reply);
	return status;
}

static void
ingest(const char *rows)
{
	char	feed[1024];
	struct ingest_opts opts = { 0 };
	struct ingest_report rep;
	int	n = snprintf(feed, sizeof(feed),
	    "gemeente;indicator;periode;waarde\n%s", rows);

	ck_assert_int_eq(app_ingest(F.app, "test.csv", feed, (size_t)n, &opts,
	    &rep), 0);
	ck_assert_msg(rep.status == INGEST_ACCEPTED, "%s",
	    ingest_status_name(rep.status));
	ingest_report_free(&rep);
}

static size_t
count_events(const char *status, const char *auth)
{
	char	target[128];
	json_t *b = NULL;
	size_t	n;

	snprintf(target, sizeof(target), "/api/v1/alerts?status=%s", status);
	ck_assert_int_eq(call("GET", target, auth, NULL, NULL, &b, NULL), 200);
	n = json_array_size(json_object_get(b, "meldingen"));
	json_decref(b);
	return n;
}

static size_t
command_lines(void)
{
	char   *s;
	size_t	n = 0;

	ck_assert_int_eq(alert_worker_drain(F.w, 10000), 0);
	if ((s = tu_read_file(F.out, NULL)) == NULL)
		return 0;
	for (char *p = s; *p; p++)
		n += *p == '\n';
	free(s);
	return n;
}

static const char rule_json[] = "{\"naam\":\"Bestand te hoog\","
	"\"soort\":\"drempel\",\"gemeente\":\"GM0363\","
	"\"indicator\":\"pw_bestand\",\"params\":{\"drempel\":1000}}";

/* Sign in as "jan": the cookie header and the CSRF token. */
static void
sign_in(char *cookie, size_t csize, char *csrf, size_t xsize)
{
	struct api_reply r;
	json_t *b = NULL;
	const char *set = NULL;

	ck_assert_int_eq(call("POST", "/api/v1/sessie", NULL, NULL,
	    "{\"naam\":\"jan\",\"wachtwoord\":\"fout\"}", NULL, NULL), 401);
	ck_assert_int_eq(call("POST", "/api/v1/sessie", NULL, NULL,
	    "{\"naam\":\"jan\",\"wachtwoord\":\"geheim wachtwoord\"}", &b, &r),
	    200);
	for (size_t i = 0; i < r.nheaders; i++)
		if (strcmp(r.headers[i].name, "Set-Cookie") == 0)
			set = r.headers[i].value;
	ck_assert_ptr_nonnull(set);
	ck_assert_ptr_nonnull(strstr(set, "HttpOnly"));
	ck_assert_ptr_nonnull(strstr(set, "SameSite=Strict"));
	snprintf(cookie, csize, "andere=1; %.*s", (int)strcspn(set, ";"), set);
	snprintf(csrf, xsize, "%s", json_get_str(b, "csrf"));
	json_decref(b);
	api_reply_free(&r);
}

START_TEST(test_end_to_end)
{
	char	target[256], cookie[256], csrf[64], body[256];
	json_t *b = NULL;
	long long rid, eid;
	struct api_reply r;
	char   *atom;

	/* A rule over the API; out-of-scope managers are refused. */
	ck_assert_int_eq(call("POST", "/api/v1/alerts/rules", F.tok_ams, NULL,
	    rule_json, &b, NULL), 201);
	rid = json_integer_value(json_object_get(b, "id"));
	json_decref(b);
	ck_assert_int_gt(rid, 0);
	snprintf(target, sizeof(target), "/api/v1/alerts/rules/%lld", rid);
	ck_assert_int_eq(call("GET", target, F.tok_rdam, NULL, NULL, NULL,
	    NULL), 403);
	ck_assert_int_eq(call("PUT", target, F.tok_rdam, NULL, rule_json, NULL,
	    NULL), 403);
	ck_assert_int_eq(call("DELETE", target, F.tok_rdam, NULL, NULL, NULL,
	    NULL), 403);
	ck_assert_int_eq(call("POST", "/api/v1/alerts/rules", F.tok_rdam, NULL,
	    rule_json, NULL, NULL), 403);
	ck_assert_int_eq(call("GET", "/api/v1/alerts/rules", F.tok_lev, NULL,
	    NULL, NULL, NULL), 403);
	ck_assert_int_eq(call("GET", "/api/v1/alerts/rules", NULL, NULL, NULL,
	    NULL, NULL), 401);
	ck_assert_int_eq(call("GET", target, F.tok_ams, NULL, NULL, NULL,
	    NULL), 200);

	/* A feed that crosses it: exactly one event and one command call. */
	ingest("GM0363;pw_bestand;2024-01;900\nGM0363;pw_bestand;2024-02;1200\n");
	ck_assert_uint_eq(count_events("actief", F.tok_ams), 1);
	ck_assert_uint_eq(count_events("alle", F.tok_rdam), 0);
	ck_assert_uint_eq(command_lines(), 1);
	ck_assert_int_eq(call("GET", "/api/v1/alerts?status=firing", F.tok_ams,
	    NULL, NULL, &b, NULL), 200);
	eid = json_integer_value(json_object_get(json_array_get(
	    json_object_get(b, "meldingen"), 0), "id"));
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(
	    json_array_get(json_object_get(b, "meldingen"), 0), "melding")),
	    "boven de drempel van 1.000"));
	json_decref(b);

	/* The Atom feed of the signed-in account: one entry. */
	sign_in(cookie, sizeof(cookie), csrf, sizeof(csrf));
	ck_assert_int_eq(call("POST", "/api/v1/alerts/feedtoken", NULL, cookie,
	    NULL, NULL, NULL), 403);	/* no CSRF token */
	snprintf(target, sizeof(target), "/api/v1/alerts/feedtoken?csrf=%s",
	    csrf);
	ck_assert_int_eq(call("POST", target, NULL, cookie, NULL, &b, NULL),
	    200);
	snprintf(target, sizeof(target), "%s",
	    json_string_value(json_object_get(b, "url")));
	json_decref(b);
	ck_assert_int_eq(call("GET", target, NULL, NULL, NULL, NULL, &r), 200);
	ck_assert_str_eq(r.content_type, "application/atom+xml; charset=utf-8");
	atom = strndup(r.body, r.len);
	ck_assert_ptr_nonnull(strstr(atom, "<entry>"));
	ck_assert_ptr_null(strstr(strstr(atom, "<entry>") + 1, "<entry>"));
	ck_assert_ptr_nonnull(strstr(atom, "Bestand te hoog"));
	free(atom);
	api_reply_free(&r);
	ck_assert_int_eq(call("GET", "/alerts.atom?token="
	    "0000000000000000000000000000000000000000", NULL, NULL, NULL, NULL,
	    NULL), 401);

	/* More crossing data: no duplicate event, no second call. */
	ingest("GM0363;pw_bestand;2024-03;1300\n");
	ck_assert_uint_eq(count_events("alle", F.tok_ams), 1);
	ck_assert_uint_eq(command_lines(), 1);

	/* Acknowledge with the session (CSRF in the body). */
	snprintf(target, sizeof(target), "/api/v1/alerts/%lld/ack", eid);
	ck_assert_int_eq(call("POST", target, NULL, cookie, NULL, NULL, NULL),
	    403);
	snprintf(body, sizeof(body), "{\"csrf\":\"%s\"}", csrf);
	ck_assert_int_eq(call("POST", target, NULL, cookie, body, NULL, NULL),
	    200);
	ck_assert_int_eq(call("POST", target, NULL, cookie, body, NULL, NULL),
	    409);
	ck_assert_int_eq(call("POST", target, F.tok_rdam, NULL, NULL, NULL,
	    NULL), 403);
	ck_assert_uint_eq(count_events("bevestigd", F.tok_ams), 1);

	/* Back in range: resolved. Crossing again: a new event. */
	ingest("GM0363;pw_bestand;2024-04;800\n");
	ck_assert_uint_eq(count_events("opgeheven", F.tok_ams), 1);
	ck_assert_uint_eq(count_events("open", F.tok_ams), 0);
	ingest("GM0363;pw_bestand;2024-05;1500\n");
	ck_assert_uint_eq(count_events("actief", F.tok_ams), 1);
	ck_assert_uint_eq(count_events("alle", F.tok_ams), 2);
	ck_assert_uint_eq(command_lines(), 2);

	/* The preview replays the same history: fired twice. */
	snprintf(body, sizeof(body), "%.*s,\"perioden\":240}",
	    (int)strlen(rule_json) - 1, rule_json);
	ck_assert_int_eq(call("POST", "/api/v1/alerts/preview", F.tok_ams, NULL,
	    body, &b, NULL), 200);
	ck_assert_int_eq(json_integer_value(json_object_get(b, "aantal")), 2);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(b,
	    "tekst")), "2 keer"));
	json_decref(b);
	ck_assert_int_eq(call("POST", "/api/v1/alerts/preview", F.tok_rdam,
	    NULL, body, NULL, NULL), 403);

	/* Delete with the session needs the CSRF token too. */
	snprintf(target, sizeof(target), "/api/v1/alerts/rules/%lld", rid);
	ck_assert_int_eq(call("DELETE", target, NULL, cookie, NULL, NULL,
	    NULL), 403);
	snprintf(target, sizeof(target), "/api/v1/alerts/rules/%lld?csrf=%s",
	    rid, csrf);
	ck_assert_int_eq(call("DELETE", target, NULL, cookie, NULL, NULL,
	    NULL), 200);
	ck_assert_uint_eq(count_events("alle", F.tok_ams), 0);
	ck_assert_int_eq(call("DELETE", "/api/v1/sessie", NULL, cookie, NULL,
	    NULL, NULL), 200);
	/* Signed out is an answer, not an error: the page asks every visit;
	 * the stale cookie is cleared. A bad bearer token is still a 401. */
	ck_assert_int_eq(call("GET", "/api/v1/sessie", NULL, cookie, NULL,
	    &b, &r), 200);
	ck_assert(json_is_false(json_object_get(b, "aangemeld")));
	ck_assert_uint_eq(r.nheaders, 1);
	ck_assert_ptr_nonnull(strstr(r.headers[0].value, "Max-Age=0"));
	json_decref(b);
	api_reply_free(&r);
	ck_assert_int_eq(call("GET", "/api/v1/sessie", NULL, NULL, NULL, &b,
	    NULL), 200);
	ck_assert(json_is_false(json_object_get(b, "aangemeld")));
	json_decref(b);
	ck_assert_int_eq(call("GET", "/api/v1/sessie", "Bearer bsd_nietgeldig",
	    NULL, NULL, NULL, NULL), 401);
}
END_TEST

static const struct {
	const char *body;
	int	status;
	const char *fout;
} bad_rules[] = {
	{ "{\"naam\":\"x\",\"soort\":\"drempel\",\"gemeente\":\"GM0363\","
	    "\"indicator\":\"bestaat_niet\",\"params\":{\"drempel\":1}}", 422,
	    "onbekende indicator" },
	{ "{\"naam\":\"x\",\"soort\":\"drempel\",\"indicator\":\"pw_bestand\","
	    "\"params\":{\"drempel\":1}}", 422, "gemeente of een groep" },
	{ "{\"naam\":\"x\",\"soort\":\"afwijking_groep\",\"gemeente\":"
	    "\"GM0363\",\"indicator\":\"pw_bestand\"}", 422, "groep" },
	{ "{\"naam\":\"x\",\"soort\":\"drempel\",\"groep\":\"G4\","
	    "\"indicator\":\"pw_bestand\",\"params\":{\"drempel\":1}}", 403,
	    "buiten" },
	{ "{\"naam\":", 400, "JSON" },
};

START_TEST(test_bad_rules)
{
	json_t *b = NULL;

	ck_assert_int_eq(call("POST", "/api/v1/alerts/rules", F.tok_ams, NULL,
	    bad_rules[_i].body, &b, NULL), bad_rules[_i].status);
	ck_assert_msg(strstr(json_string_value(json_object_get(b, "fout")),
	    bad_rules[_i].fout) != NULL, "%s",
	    json_string_value(json_object_get(b, "fout")));
	json_decref(b);
}
END_TEST

START_TEST(test_daily_missing)
{
	const char *rule = "{\"naam\":\"Levering Rotterdam\","
	    "\"soort\":\"ontbrekend\",\"gemeente\":\"GM0599\","
	    "\"indicator\":\"pw_bestand\",\"params\":{\"dagen\":30}}";
	struct err err = { "" };
	long long now = (long long)time(NULL);

	ck_assert_int_eq(call("POST", "/api/v1/alerts/rules", F.tok_rdam, NULL,
	    rule, NULL, NULL), 201);
	ck_assert_int_eq(alert_daily(F.app, F.w, now, &err), 1);
	ck_assert_int_eq(alert_daily(F.app, F.w, now, &err), 0);
	ck_assert_uint_eq(count_events("actief", F.tok_rdam), 1);
	ck_assert_uint_eq(count_events("actief", F.tok_ams), 0);
	ck_assert_uint_eq(command_lines(), 1);
}
END_TEST

/* A group rule over G4 by a manager for all gemeenten: each member is
 * judged on its own series after an ingest. */
START_TEST(test_group_scope)
{
	char	hdr[128];
	const char *rule = "{\"naam\":\"G4 hoog\",\"soort\":\"drempel\","
	    "\"groep\":\"G4\",\"indicator\":\"pw_bestand\","
	    "\"params\":{\"drempel\":1000}}";

	make_token("beheer", "", hdr);
	ck_assert_int_eq(call("POST", "/api/v1/alerts/rules", hdr, NULL, rule,
	    NULL, NULL), 201);
	ingest("GM0363;pw_bestand;2024-01;1200\nGM0599;pw_bestand;2024-01;"
	    "1300\nGM0014;pw_bestand;2024-01;5000\n");
	ck_assert_uint_eq(count_events("actief", hdr), 2);	/* not GM0014 */
	ck_assert_uint_eq(count_events("actief", F.tok_ams), 1);
	ck_assert_int_eq(call("GET", "/api/v1/alerts/rules/1", F.tok_ams, NULL,
	    NULL, NULL, NULL), 403);
}
END_TEST

/* The GM0363 row and the group's P50 of /api/v1/vergelijk (data routes). */
static void
api_cell(const char *target, double *ret_waarde, double *ret_p50)
{
	struct api_ctx *alerts = F.ctx, *data = api_ctx_new(NULL);
	struct err err = { "" };
	json_t *b = NULL, *rows;

	ck_assert_int_eq(routes_install(data, F.app, &err), 0);
	F.ctx = data;
	ck_assert_int_eq(call("GET", target, NULL, NULL, NULL, &b, NULL), 200);
	F.ctx = alerts;
	rows = json_object_get(b, "gemeenten");
	*ret_waarde = NAN;
	for (size_t i = 0; i < json_array_size(rows); i++)
		if (strcmp(json_get_str(json_array_get(rows, i), "code"),
		    "GM0363") == 0)
			*ret_waarde = json_number_value(json_object_get(
			    json_array_get(rows, i), "waarde"));
	*ret_p50 = json_number_value(json_object_get(json_object_get(b,
	    "percentielen"), "p50"));
	json_decref(b);
	routes_uninstall(data);
	api_ctx_free(data);
}

/* A quarterly rule on monthly data judges the quarter the comparison API
 * shows for ?periode=2024-Q1 (months summed by the read model), not the
 * raw monthly cross-section: in March alone GM0363 is the lowest, over
 * the quarter the highest. A count is judged through its rate (domain
 * §3.9): uitstroom as % of the bestand of 2023-12 (1 000 everywhere), and
 * only with at least 5 others that have a value. */
START_TEST(test_quarter_same_number)
{
	const char *rule = "{\"naam\":\"Uitstroom per kwartaal\","
	    "\"soort\":\"afwijking_groep\",\"gemeente\":\"GM0363\","
	    "\"groep\":\"alle\",\"indicator\":\"pw_uitstroom_werk\","
	    "\"params\":{\"per\":\"kwartaal\",\"methode\":\"mediaan\","
	    "\"drempel\":0}}";
	static const char *const rows[] = { "GM0363;40;50;10",
		"GM0599;30;30;30", "GM0518;20;20;20", "GM0344;25;25;25",
		"GM0014;15;15;15", "GM0034;10;10;10" };
	char	feed[1024];
	size_t	o = 0;
	json_t *b = NULL, *ev, *d;
	double	waarde, p50;

	ck_assert_int_eq(call("POST", "/api/v1/alerts/rules", F.tok_ams, NULL,
	    rule, &b, NULL), 201);
	ck_assert_str_eq(json_get_str(json_object_get(b, "params"), "per"),
	    "kwartaal");
	json_decref(b);
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		char	gm[8];
		int	m[3];

		ck_assert_int_eq(sscanf(rows[i], "%6s;%d;%d;%d", gm, &m[0],
		    &m[1], &m[2]), 4);
		gm[6] = '\0';
		for (int k = 0; k < 3; k++)
			o += (size_t)snprintf(feed + o, sizeof(feed) - o,
			    "%s;pw_uitstroom_werk;2024-%02d;%d\n", gm, k + 1,
			    m[k]);
		o += (size_t)snprintf(feed + o, sizeof(feed) - o,
		    "%s;pw_bestand;2023-12;1000\n", gm);
	}
	ingest(feed);
	ck_assert_int_eq(call("GET", "/api/v1/alerts?status=firing", F.tok_ams,
	    NULL, NULL, &b, NULL), 200);
	ck_assert_uint_eq(json_array_size(json_object_get(b, "meldingen")), 1);
	ev = json_array_get(json_object_get(b, "meldingen"), 0);
	d = json_object_get(ev, "details");
	ck_assert_str_eq(json_get_str(ev, "periode"), "2024-Q1");
	api_cell("/api/v1/vergelijk/pw_uitstroom_werk?periode=2024-Q1&"
	    "groep=alle", &waarde, &p50);
	ck_assert_double_eq(waarde, 10);
	ck_assert_double_eq(p50, 6.75);
	ck_assert_double_eq(json_number_value(json_object_get(ev, "waarde")),
	    waarde);
	ck_assert_double_eq(json_number_value(json_object_get(d, "p50")), p50);
	json_decref(b);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("alertweb");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_end_to_end);
	tcase_add_loop_test(tc, test_bad_rules, 0,
	    (int)(sizeof(bad_rules) / sizeof(bad_rules[0])));
	tcase_add_test(tc, test_daily_missing);
	tcase_add_test(tc, test_group_scope);
	tcase_add_test(tc, test_quarter_same_number);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
