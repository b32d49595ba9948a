/* src/serve/alertweb_rules.c — alert rules over HTTP: list, read, create,
 * replace and delete within the caller's gemeenten (a group rule counts
 * with the members it resolves to now), and the preview of how often a
 * rule would have fired. */
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

/* ---- rules ------------------------------------------------------------ */

/* Load rule id: 0 (ret filled), or -1 with reply filled (404, 500). */
static int
rule_load(struct api_ctx *ctx, long long id, struct alert_rule *ret,
    struct api_reply *reply)
{
	struct ledger_alert_rule row;
	struct err err = { "" };
	struct ledger *led = app_reader_get(app_of(ctx), &err);
	int	found;

	if (led == NULL)
		return api_fail(reply, &err), -1;
	found = ledger_alert_rule_get(led, id, &row, &err);
	app_reader_put(app_of(ctx), led);
	if (found == 0)
		return api_refuse(reply, ERR_NOT_FOUND,
		    "regel bestaat niet"), -1;
	if (found == -1 || alert_rule_from_ledger(&row, ret, &err) == -1)
		return api_fail(reply, &err), -1;
	return 0;
}

/* The scope check on the gemeenten a rule can fire for, as they resolve
 * now: a vergelijkbaar-* group is its anchor and that one's peers from
 * the ledger (issue 16: resolved through the register alone it had no
 * members, passed every scope, and another gemeente's manager could list,
 * edit and delete it). led: a reader the caller holds. */
static int
rule_scope(struct api_ctx *ctx, struct app_snapshot *snap, struct ledger *led,
    const struct alert_rule *r, const struct reg_scope *scope)
{
	const struct conf *c = app_conf(app_of(ctx));
	struct query_src src = { .led = led, .cat = snap->cat,
		.reg = snap->reg, .store = app_store(app_of(ctx)),
		.k = (size_t)c->peers_k, .features = &c->peer_features,
		.pub = app_publish(app_of(ctx)),
		.mem = app_obsmem(app_of(ctx)) };
	struct compare_groep g;
	struct err err = { "" };
	int	ok;

	if (scope->all || r->gemeente[0] != '\0' ||
	    strncasecmp(r->groep, "vergelijkbaar-", 14) != 0)
		return alert_rule_in_scope(r, snap->reg, scope);
	if (query_group_members(&src, r->groep, &g, &err) == -1)
		return 0;
	ok = alert_members_in_scope(&g, snap->reg, scope);
	compare_groep_free(&g);
	return ok;
}

/* rule_scope with its own snapshot and reader: call it holding none. */
static int
in_scope(struct api_ctx *ctx, const struct alert_rule *r, const struct who *w)
{
	struct app_snapshot *snap = app_snapshot_get(app_of(ctx));
	struct err err = { "" };
	struct ledger *led = app_reader_get(app_of(ctx), &err);
	struct reg_scope sc;
	int	ok = led != NULL && alertweb_who_scope(w, snap, &sc) == 0 &&
	    rule_scope(ctx, snap, led, r, &sc);

	if (led != NULL)
		app_reader_put(app_of(ctx), led);
	app_snapshot_put(app_of(ctx), snap);
	return ok;
}

static int
forbidden_rule(struct api_reply *reply)
{
	return api_refuse(reply, ERR_FORBIDDEN,
	    "deze regel valt buiten de gemeenten "
	    "waarvoor je bevoegd bent");
}

int
alertweb_h_rules(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	struct ledger_alert_rule *rows = NULL;
	struct app_snapshot *snap;
	struct reg_scope sc;
	struct err err = { "" };
	struct ledger *led;
	struct who w;
	json_t *arr;
	size_t	n = 0;

	(void)params;
	if (alertweb_who_is(ctx, req, 0, NULL, reply, &w) == -1)
		return 0;
	if ((led = app_reader_get(app_of(ctx), &err)) == NULL)
		return api_fail(reply, &err);
	if (ledger_alert_rules(led, NULL, 0, &rows, &n, &err) == -1) {
		app_reader_put(app_of(ctx), led);
		return api_fail(reply, &err);
	}
	arr = json_array();
	snap = app_snapshot_get(app_of(ctx));
	if (alertweb_who_scope(&w, snap, &sc) == -1)
		n = 0;	/* a scope the register cannot hold allows nothing */
	for (size_t i = 0; i < n; i++) {
		struct alert_rule r;

		if (alert_rule_from_ledger(&rows[i], &r, &err) == 0 &&
		    rule_scope(ctx, snap, led, &r, &sc))
			json_push(arr, alert_rule_to_json(&r));
	}
	app_snapshot_put(app_of(ctx), snap);
	app_reader_put(app_of(ctx), led);
	free(rows);
	return api_json(reply, 200, json_pack("{s:o}", "regels", arr));
}

int
alertweb_h_rule_get(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	struct alert_rule r;
	struct who w;
	long long id;

	if (alertweb_who_is(ctx, req, 0, NULL, reply, &w) == -1)
		return 0;
	if (alertweb_param_id(params, &id) == -1)
		return api_refuse(reply, ERR_NOT_FOUND, "regel bestaat niet");
	if (rule_load(ctx, id, &r, reply) == -1)
		return 0;
	if (!in_scope(ctx, &r, &w))
		return forbidden_rule(reply);
	return api_json(reply, 200, alert_rule_to_json(&r));
}

static int
put_locked(void *arg, struct ledger *writer, struct err *err)
{
	return ledger_alert_rule_put(writer, arg, err);
}

/* Parse, check against the catalogue and the scope: 0 or -1 (reply). */
static int
rule_parse(struct api_ctx *ctx, const json_t *body, const struct who *w,
    struct alert_rule *r, struct api_reply *reply)
{
	struct app_snapshot *snap = app_snapshot_get(app_of(ctx));
	struct err err = { "" };
	int	rc = 0;

	if (alert_rule_from_json(body, r, &err) == -1 ||
	    alert_rule_check(r, snap->cat, snap->reg, &err) == -1) {
		api_fail(reply, &err);
		rc = -1;
	}
	app_snapshot_put(app_of(ctx), snap);
	if (rc == 0 && !in_scope(ctx, r, w)) {
		forbidden_rule(reply);
		rc = -1;
	}
	return rc;
}

/* Create (id 0) or replace a rule from the request body. */
static int
rule_store(struct api_ctx *ctx, const struct api_request *req,
    long long id, struct api_reply *reply)
{
	struct ledger_alert_rule row;
	struct alert_rule r = { .id = id }, old;
	struct err err = { "" };
	json_t *body;
	struct who w;

	if ((body = alertweb_who_body(ctx, req, 1, reply, &w)) == NULL)
		return 0;
	if (id != 0 && rule_load(ctx, id, &old, reply) == -1)
		goto done;
	if (id != 0 && !in_scope(ctx, &old, &w)) {
		forbidden_rule(reply);
		goto done;
	}
	snprintf(r.eigenaar, sizeof(r.eigenaar), "%s", id ? old.eigenaar :
	    w.naam);
	if (rule_parse(ctx, body, &w, &r, reply) == -1)
		goto done;
	if (alert_rule_to_ledger(&r, &row, &err) == -1 ||
	    alertweb_with_writer(ctx, put_locked, &row, &err) == -1) {
		api_fail(reply, &err);
		goto done;
	}
	r.id = row.id;
	if (id == 0)
		snprintf(reply->location, sizeof(reply->location),
		    "/api/v1/alerts/rules/%lld", r.id);
	api_json(reply, id ? 200 : 201, alert_rule_to_json(&r));
done:
	json_decref(body);
	return 0;
}

int
alertweb_h_rule_create(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	(void)params;
	return rule_store(ctx, req, 0, reply);
}

int
alertweb_h_rule_put(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	long long id;

	if (alertweb_param_id(params, &id) == -1)
		return api_refuse(reply, ERR_NOT_FOUND, "regel bestaat niet");
	return rule_store(ctx, req, id, reply);
}

struct del_call {
	long long id;
	int	found;
};

static int
delete_locked(void *arg, struct ledger *writer, struct err *err)
{
	struct del_call *d = arg;

	d->found = ledger_alert_rule_delete(writer, d->id, err);
	return d->found == -1 ? -1 : 0;
}

int
alertweb_h_rule_delete(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	struct del_call d = { 0, 0 };
	struct err err = { "" };
	struct alert_rule r;
	struct who w;

	if (alertweb_who_is(ctx, req, 1, NULL, reply, &w) == -1)
		return 0;
	if (alertweb_param_id(params, &d.id) == -1)
		return api_refuse(reply, ERR_NOT_FOUND, "regel bestaat niet");
	if (rule_load(ctx, d.id, &r, reply) == -1)
		return 0;
	if (!in_scope(ctx, &r, &w))
		return forbidden_rule(reply);
	if (alertweb_with_writer(ctx, delete_locked, &d, &err) == -1)
		return api_fail(reply, &err);
	return api_json(reply, 200, json_pack("{s:I}", "verwijderd",
	    (json_int_t)d.id));
}

/* ---- preview ---------------------------------------------------------- */

static json_t *
preview_json(const struct alert_preview *p)
{
	json_t *o = json_object(), *hits = json_array();
	char	van[16], tot[16], tekst[256];

	period_format(&p->van, van, sizeof(van));
	period_format(&p->tot, tot, sizeof(tot));
	snprintf(tekst, sizeof(tekst), "Deze regel zou van %s tot en met %s "
	    "%zu keer zijn afgegaan (%zu gemeente%s beoordeeld).", van, tot,
	    p->nfired, p->ngemeenten, p->ngemeenten == 1 ? "" : "n");
	for (size_t i = 0; i < p->nhits; i++) {
		json_t *h = json_object();
		char	per[16];

		json_put_str(h, "gemeente", p->hits[i].gemeente);
		json_put_str(h, "periode", period_format(&p->hits[i].periode,
		    per, sizeof(per)));
		json_put_str(h, "melding", p->hits[i].zin);
		json_push(hits, h);
	}
	json_put_int(o, "aantal", (long long)p->nfired);
	json_put_int(o, "gemeenten", (long long)p->ngemeenten);
	json_put_str(o, "van", van);
	json_put_str(o, "tot", tot);
	json_put_str(o, "tekst", tekst);
	json_put(o, "meldingen", hits);
	return o;
}

int
alertweb_h_preview(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	struct alert_rule r = { 0 };
	struct alert_preview p;
	struct err err = { "" };
	json_t *body;
	struct who w;
	double	per = 24;

	(void)params;
	/* A preview changes nothing: no CSRF token needed. */
	if ((body = alertweb_who_body(ctx, req, 0, reply, &w)) == NULL)
		return 0;
	if (rule_parse(ctx, body, &w, &r, reply) == -1)
		goto done;
	if (json_object_get(body, "perioden") != NULL &&
	    (json_get_num(body, "perioden", &per) == -1 || per < 1 ||
	    per > 240 || per != floor(per))) {
		api_refuse(reply, ERR_REJECTED, "perioden: 1 tot en met 240");
		goto done;
	}
	if (alert_preview_run(app_of(ctx), &r, (int)per, (long long)time(NULL),
	    &p, &err) == -1) {
		api_fail(reply, &err);
		goto done;
	}
	api_json(reply, 200, preview_json(&p));
	alert_preview_free(&p);
done:
	json_decref(body);
	return 0;
}
