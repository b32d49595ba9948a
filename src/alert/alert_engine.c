/* src/alert/alert_engine.c — the alert engine: rules (alert.h) judged
 * against the ledger after each ingest (under the writer lock), once a day
 * for missing deliveries, and on history for a preview; new events go to
 * the delivery runner (alertrun.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert/alert.h"
#include "alert/alertrun.h"
#include "alert/alert_engine.h"
#include "analysis/query.h"
#include "base/log.h"

#define DAY 86400LL

/* ---- the engine: rules against the ledger ----------------------------- */

/* The worker of alert.h: the runner (alertrun.h) that delivers new events,
 * with this module's daily pass as its periodic task. */
struct alert_worker {
	struct alertrun *run;
	struct app *app;	/* the peers' k and features (app_conf) */
};

static struct alertrun *
run_of(const struct alert_worker *w)
{
	return w != NULL ? w->run : NULL;
}

/* A group resolved through the read model (vergelijkbaar with its
 * peers), with its member codes sorted for fast membership. */
struct gcache {
	char	id[64];
	struct compare_groep g;
	char	(*codes)[8];
	size_t	n;
	int	ok;
};

/* A cross-section of (indicator, periode) from the read model: months
 * aggregated to the period's kind, as the comparison API reads it. */
struct xcache {
	char	indicator[64];
	struct period periode;
	struct query_xsec x;
	int	ok;
};

/* A group comparison for (groep, indicator, periode). */
struct ccache {
	char	groep[64];
	char	indicator[64];
	struct period periode;
	struct query_basis basis;	/* what res ranks */
	struct compare_result res;
	int	ok;
};

struct engine {
	struct query_src src;	/* the read model: connection, snapshot */
	long long now;
	struct gcache *groups;
	size_t	ngroups;
	struct xcache *xsecs;
	size_t	nxsecs;
	struct ccache *cmps;
	size_t	ncmps;
	struct ledger_alert_event *open;	/* sorted by rule, gemeente */
	size_t	nopen;
	struct ledger_alert_change *changes;
	size_t	nchanges, capchanges;
	struct ledger_alert_rule *rows;		/* the rules as stored */
	struct alert_rule *rules;		/* parsed, sorted by indicator */
	size_t	nrules;
};

/* The read model's source for connection led and the catalogue, register
 * and store given; the peers' settings from app (NULL: none, so
 * vergelijkbaar groups do not resolve). */
static struct query_src
engine_src(struct app *app, struct ledger *led, const struct catalog *cat,
    const struct reg *reg, struct store *st)
{
	const struct conf *c = app != NULL ? app_conf(app) : NULL;

	return (struct query_src){ .led = led, .cat = cat, .reg = reg,
		.store = st, .k = c ? (size_t)c->peers_k : 0,
		.features = c ? &c->peer_features : NULL,
		.pub = app != NULL ? app_publish(app) : NULL,
		.mem = app != NULL ? app_obsmem(app) : NULL };
}

static void
engine_free(struct engine *e)
{
	for (size_t i = 0; i < e->ngroups; i++) {
		compare_groep_free(&e->groups[i].g);
		free(e->groups[i].codes);
	}
	for (size_t i = 0; i < e->nxsecs; i++)
		free(e->xsecs[i].x.v);
	for (size_t i = 0; i < e->ncmps; i++)
		compare_result_free(&e->cmps[i].res);
	free(e->groups);
	free(e->xsecs);
	free(e->cmps);
	free(e->open);
	free(e->changes);
	free(e->rows);
	free(e->rules);
}

static int
code_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static const struct gcache *
group_get(struct engine *e, const char *id)
{
	struct gcache *c, *ng;
	struct err err;

	for (size_t i = 0; i < e->ngroups; i++)
		if (strcmp(e->groups[i].id, id) == 0)
			return &e->groups[i];
	if ((ng = realloc(e->groups, (e->ngroups + 1) * sizeof(*ng))) == NULL)
		return NULL;
	e->groups = ng;
	c = &e->groups[e->ngroups++];
	memset(c, 0, sizeof(*c));
	snprintf(c->id, sizeof(c->id), "%s", id);
	if (query_group_members(&e->src, id, &c->g, &err) == -1)
		return c;	/* ok = 0: a group that vanished on reload */
	if ((c->codes = calloc(c->g.n ? c->g.n : 1, sizeof(*c->codes))) !=
	    NULL) {
		for (size_t i = 0; i < c->g.n; i++)
			memcpy(c->codes[i],
			    e->src.reg->gemeenten[c->g.leden[i]].code, 8);
		c->n = c->g.n;
		qsort(c->codes, c->n, sizeof(*c->codes), code_cmp);
		c->ok = 1;
	}
	return c;
}

static int
rule_covers(struct engine *e, const struct alert_rule *r, const char *gm)
{
	const struct gcache *g;

	if (r->gemeente[0] != '\0')
		return strcmp(r->gemeente, gm) == 0;
	g = group_get(e, r->groep);
	return g != NULL && g->ok &&
	    bsearch(gm, g->codes, g->n, sizeof(*g->codes), code_cmp) != NULL;
}

/* The cross-section of what ind is compared as (a count through its
 * rate, domain §3.9) at p through the read model, cached. */
static const struct query_xsec *
xsec_get(struct engine *e, const struct indicator *ind,
    const struct period *p)
{
	struct xcache *c, *nx;
	struct query_basis b;
	struct err err;

	for (size_t i = 0; i < e->nxsecs; i++)
		if (strcmp(e->xsecs[i].indicator, ind->id) == 0 &&
		    period_cmp(&e->xsecs[i].periode, p) == 0)
			return e->xsecs[i].ok ? &e->xsecs[i].x : NULL;
	if ((nx = realloc(e->xsecs, (e->nxsecs + 1) * sizeof(*nx))) == NULL)
		return NULL;
	e->xsecs = nx;
	c = &e->xsecs[e->nxsecs++];
	memset(c, 0, sizeof(*c));
	snprintf(c->indicator, sizeof(c->indicator), "%s", ind->id);
	c->periode = *p;
	query_basis(ind, 0, &b);
	c->ok = query_basis_xsec(&e->src, ind, &b, p, &c->x, &err) == 0;
	return c->ok ? &c->x : NULL;
}

/* The published comparison of a group for one period: the read model's
 * query_eval on its cross-section, the number the comparison API shows. */
static const struct compare_result *
compare_get(struct engine *e, const struct indicator *ind, const char *groep,
    const struct period *p)
{
	const struct gcache *g = group_get(e, groep);
	const struct query_xsec *x;
	struct ccache *c, *nc;
	struct err err;

	for (size_t i = 0; i < e->ncmps; i++)
		if (strcmp(e->cmps[i].groep, groep) == 0 &&
		    strcmp(e->cmps[i].indicator, ind->id) == 0 &&
		    period_cmp(&e->cmps[i].periode, p) == 0)
			return e->cmps[i].ok ? &e->cmps[i].res : NULL;
	if (g == NULL || (nc = realloc(e->cmps, (e->ncmps + 1) *
	    sizeof(*nc))) == NULL)
		return NULL;
	e->cmps = nc;
	c = &e->cmps[e->ncmps++];
	memset(c, 0, sizeof(*c));
	snprintf(c->groep, sizeof(c->groep), "%s", groep);
	snprintf(c->indicator, sizeof(c->indicator), "%s", ind->id);
	c->periode = *p;
	query_basis(ind, 0, &c->basis);
	if (g->ok && (x = xsec_get(e, ind, p)) != NULL)
		c->ok = query_eval_basis(e->src.reg, &c->basis, g->g.leden,
		    g->g.n, x, &c->res, &err) == 0;
	return c->ok ? &c->res : NULL;
}

/* The series of gm that rule r judges: the read model's, at the rule's
 * period kind, complete periods only (a quarter with a month missing is
 * not judged as if it were whole). malloc'd obs in *ret. */
static int
series_get(struct engine *e, const struct alert_rule *r,
    const struct indicator *ind, const char *gm, struct obs **ret,
    size_t *ret_n, struct err *err)
{
	struct query_series s;
	struct obs *o;
	size_t	k = 0;

	*ret = NULL;
	*ret_n = 0;
	if (query_series_load(&e->src, ind, gm, alert_rule_period(r, ind),
	    &s, err) == -1)
		return -1;
	if ((o = calloc(s.n + 1, sizeof(*o))) == NULL) {
		query_series_free(&s);
		return err_set(err, "onvoldoende geheugen");
	}
	for (size_t i = 0; i < s.n; i++) {
		/* what is not published is not judged (domain §3.5): an
		 * event would show it */
		if (s.v[i].onvolledig || s.v[i].beschermd ||
		    compare_small(ind, s.v[i].waarde, s.v[i].teller,
		    s.v[i].noemer))
			continue;
		snprintf(o[k].gemeente, sizeof(o[k].gemeente), "%s", gm);
		snprintf(o[k].indicator, sizeof(o[k].indicator), "%s", ind->id);
		o[k].periode = s.v[i].periode;
		o[k].waarde = s.v[i].waarde;
		o[k].teller = s.v[i].teller;
		o[k].noemer = s.v[i].noemer;
		o[k++].status = s.v[i].status;
	}
	query_series_free(&s);
	*ret = o;
	*ret_n = k;
	return 0;
}

/* Holt-Winters flags of a series made dense from its first value to its
 * last (gaps are unknown). ret_first is the ordinal of flags[0]. */
static unsigned char *
hw_flags(struct engine *e, const struct alert_rule *r, const struct obs *obs,
    size_t n, int *ret_first, size_t *ret_n)
{
	unsigned char *flags = NULL;
	double *v = NULL;
	size_t	len;
	struct err err;
	int	first;

	if (n == 0)
		return NULL;
	first = period_ordinal(&obs[0].periode);
	len = (size_t)(period_ordinal(&obs[n - 1].periode) - first + 1);
	if (len < 2 * (size_t)r->hw.season ||
	    (v = malloc(len * sizeof(*v))) == NULL ||
	    (flags = malloc(len)) == NULL)
		goto fail;
	for (size_t i = 0; i < len; i++)
		v[i] = NAN;
	for (size_t i = 0; i < n; i++)
		v[period_ordinal(&obs[i].periode) - first] = obs[i].waarde;
	if (store_aberrant(e->src.store, v, len, &r->hw, flags, &err) == -1) {
		log_warn("alert: regel %lld: %s", r->id, err.msg);
		goto fail;
	}
	free(v);
	*ret_first = first;
	*ret_n = len;
	return flags;
fail:
	free(v);
	free(flags);
	return NULL;
}

static int
hw_flag_at(const unsigned char *flags, int first, size_t n,
    const struct period *p)
{
	int	i = period_ordinal(p) - first;

	if (flags == NULL || i < 0 || (size_t)i >= n)
		return -1;
	return flags[i];
}

static const char *
gemeente_naam(const struct reg *reg, const char *code)
{
	const struct gemeente *g = register_find(reg, code);

	return g ? g->naam : NULL;
}

/* Judge r for gemeente gm on its series at period at. */
static void
judge(struct engine *e, const struct alert_rule *r,
    const struct indicator *ind, const char *gm, const struct obs *obs,
    size_t n, const struct period *at, int hw_flag, struct alert_result *ret)
{
	struct alert_input in = { .ind = ind, .gemeente = gm,
		.gemeente_naam = gemeente_naam(e->src.reg, gm), .obs = obs, .n = n,
		.at = *at, .hw_flag = hw_flag, .now = e->now };

	if (r->kind == ALERT_GROEP)
		in.groep = compare_get(e, ind, r->groep, at);
	alert_eval(r, &in, ret);
}

static int
open_cmp(const void *a, const void *b)
{
	const struct ledger_alert_event *x = a, *y = b;

	if (x->rule_id != y->rule_id)
		return x->rule_id < y->rule_id ? -1 : 1;
	return strcmp(x->gemeente, y->gemeente);
}

static const struct ledger_alert_event *
open_find(const struct engine *e, long long rule_id, const char *gm)
{
	struct ledger_alert_event key;

	if (e->nopen == 0)
		return NULL;
	key.rule_id = rule_id;
	snprintf(key.gemeente, sizeof(key.gemeente), "%s", gm);
	return bsearch(&key, e->open, e->nopen, sizeof(key), open_cmp);
}

static struct ledger_alert_change *
change_add(struct engine *e)
{
	struct ledger_alert_change *c;

	if (e->nchanges == e->capchanges) {
		size_t	cap = e->capchanges ? e->capchanges * 2 : 16;

		if ((c = realloc(e->changes, cap * sizeof(*c))) == NULL)
			return NULL;
		e->changes = c;
		e->capchanges = cap;
	}
	c = &e->changes[e->nchanges++];
	memset(c, 0, sizeof(*c));
	return c;
}

static void
fill_event(struct ledger_alert_event *ev, const struct alert_rule *r,
    const char *gm, const struct alert_result *res)
{
	json_t *d = alert_result_details(r, res);
	char   *txt = json_encode(d, NULL);

	ev->rule_id = r->id;
	snprintf(ev->rule_naam, sizeof(ev->rule_naam), "%s", r->naam);
	snprintf(ev->gemeente, sizeof(ev->gemeente), "%s", gm);
	snprintf(ev->indicator, sizeof(ev->indicator), "%s", r->indicator);
	period_format(&res->periode, ev->periode, sizeof(ev->periode));
	ev->waarde = res->waarde;
	snprintf(ev->message, sizeof(ev->message), "%s", res->zin);
	snprintf(ev->details, sizeof(ev->details), "%s",
	    txt && strlen(txt) < sizeof(ev->details) ? txt : "{}");
	free(txt);
	json_decref(d);
}

/* Feed one judgement through the state machine; remember the change. */
static int
decide(struct engine *e, const struct alert_rule *r, const char *gm,
    const struct alert_result *res)
{
	const struct ledger_alert_event *o = open_find(e, r->id, gm);
	enum alert_state st = o == NULL ? ALERT_GEEN :
	    o->state == LEDGER_EVENT_FIRING ? ALERT_FIRING : ALERT_ACKED;
	struct ledger_alert_change *c;

	switch (alert_transition(st, res->uitkomst)) {
	case ALERT_NIEUW:
		if ((c = change_add(e)) == NULL)
			return -1;
		fill_event(&c->ev, r, gm, res);
		return 0;
	case ALERT_OPHEFFEN:
		if ((c = change_add(e)) == NULL)
			return -1;
		c->resolve = 1;
		c->ev = *o;
		return 0;
	default:
		return 0;
	}
}

static int
rule_ind_cmp(const void *a, const void *b)
{
	const struct alert_rule *x = a, *y = b;
	int	c = strcmp(x->indicator, y->indicator);

	return c ? c : (x->id < y->id ? -1 : x->id > y->id);
}

/* Load the enabled rules (keep(rule, arg) decides which), parsed and
 * sorted by indicator, and the open events. */
static int
engine_load(struct engine *e, int (*keep)(const struct ledger_alert_rule *,
    void *), void *arg, struct err *err)
{
	size_t	n = 0;

	if (ledger_alert_rules(e->src.led, NULL, 1, &e->rows, &n, err) == -1 ||
	    ledger_alert_events(e->src.led, LEDGER_EVENTS_OPEN, 0, 0, &e->open,
	    &e->nopen, err) == -1)
		return -1;
	if ((e->rules = calloc(n ? n : 1, sizeof(*e->rules))) == NULL)
		return err_set(err, "onvoldoende geheugen");
	for (size_t i = 0; i < n; i++) {
		struct err perr;

		if (!keep(&e->rows[i], arg))
			continue;
		if (alert_rule_from_ledger(&e->rows[i], &e->rules[e->nrules],
		    &perr) == -1) {
			log_warn("alert: %s", perr.msg);
			continue;
		}
		if (e->rules[e->nrules].hw.season == 0)
			e->rules[e->nrules].hw.season = 12;
		e->nrules++;
	}
	qsort(e->rules, e->nrules, sizeof(*e->rules), rule_ind_cmp);
	if (e->nopen > 0)
		qsort(e->open, e->nopen, sizeof(*e->open), open_cmp);
	return 0;
}

/* Store the changes in one transaction, then queue the new events. */
static int
engine_commit(struct engine *e, struct alertrun *run, long *ret_new,
    struct err *err)
{
	long	nnew = 0;

	if (ledger_alert_apply(e->src.led, e->changes, e->nchanges, err) == -1)
		return -1;
	for (size_t i = 0; i < e->nchanges; i++) {
		json_t *j;
		char   *txt;

		if (e->changes[i].resolve)
			continue;
		nnew++;
		j = alert_event_json(&e->changes[i].ev);
		if (run != NULL && (txt = json_encode(j, NULL)) != NULL) {
			alertrun_push(run, txt);
			free(txt);
		}
		json_decref(j);
	}
	if (ret_new != NULL)
		*ret_new = nnew;
	return 0;
}

/* ---- after ingest ----------------------------------------------------- */

static int
keep_touched(const struct ledger_alert_rule *r, void *arg)
{
	const struct ledger_commit *c = arg;

	for (size_t i = 0; i < c->ntouched; i++)
		if (strcmp(c->touched[i].indicator, r->indicator) == 0)
			return 1;
	return 0;
}

/* First rule of an indicator in the sorted array (or nrules). */
static size_t
rules_from(const struct engine *e, const char *indicator)
{
	size_t	lo = 0, hi = e->nrules;

	while (lo < hi) {
		size_t	mid = (lo + hi) / 2;

		if (strcmp(e->rules[mid].indicator, indicator) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Every rule of one touched series, judged at its latest period. */
static int
judge_series(struct engine *e, const struct ledger_key *k)
{
	const struct indicator *ind = catalog_find(e->src.cat, k->indicator);
	struct obs *obs = NULL;
	size_t	n = 0, i = rules_from(e, k->indicator);
	int	loaded = -1;	/* period kind of obs */
	struct err err;
	int	rc = 0;

	if (ind == NULL)
		return 0;
	for (; i < e->nrules && strcmp(e->rules[i].indicator,
	    k->indicator) == 0; i++) {
		const struct alert_rule *r = &e->rules[i];
		struct alert_result res;
		unsigned char *fl = NULL;
		size_t	nfl = 0;
		int	first = 0;

		if (!rule_covers(e, r, k->gemeente))
			continue;
		if (loaded != (int)alert_rule_period(r, ind)) {
			free(obs);
			if (series_get(e, r, ind, k->gemeente, &obs, &n,
			    &err) == -1) {
				log_warn("alert: %s", err.msg);
				return -1;
			}
			loaded = (int)alert_rule_period(r, ind);
		}
		if (n == 0)
			continue;
		if (r->kind == ALERT_PATROON)
			fl = hw_flags(e, r, obs, n, &first, &nfl);
		judge(e, r, ind, k->gemeente, obs, n, &obs[n - 1].periode,
		    hw_flag_at(fl, first, nfl, &obs[n - 1].periode), &res);
		free(fl);
		if ((rc = decide(e, r, k->gemeente, &res)) == -1)
			break;
	}
	free(obs);
	return rc;
}

void
alert_hook(void *arg, struct ingest_ctx *ctx,
    const struct ledger_commit *commit)
{
	const struct alert_worker *w = arg;
	struct engine e = { .src = engine_src(w ? w->app : NULL, ctx->led,
		ctx->cat, ctx->reg, ctx->store), .now = (long long)time(NULL) };
	struct err err = { "" };
	long	nnew = 0;

	if (commit->ntouched == 0)
		return;
	if (engine_load(&e, keep_touched, (void *)commit, &err) == -1)
		goto fail;
	for (size_t i = 0; e.nrules > 0 && i < commit->ntouched; i++)
		if (judge_series(&e, &commit->touched[i]) == -1) {
			err_set(&err, "beoordelen mislukt");
			goto fail;
		}
	if (engine_commit(&e, run_of(arg), &nnew, &err) == -1)
		goto fail;
	if (e.nchanges > 0)
		log_info("alert: feed %lld: %ld nieuwe melding(en), %zu "
		    "opgeheven", commit->feed_id, nnew, e.nchanges -
		    (size_t)nnew);
	engine_free(&e);
	return;
fail:
	log_err("alert: na feed %lld: %s", commit->feed_id, err.msg);
	engine_free(&e);
}

/* ---- the daily pass for missing deliveries ---------------------------- */

static int
keep_ontbrekend(const struct ledger_alert_rule *r, void *arg)
{
	(void)arg;
	return strcmp(r->soort, alert_kind_name(ALERT_ONTBREEKT)) == 0;
}

/* The gemeenten a rule judges: its one gemeente or its group. */
static int
rule_members(struct engine *e, const struct alert_rule *r,
    const char (**ret)[8], size_t *ret_n)
{
	const struct gcache *g;

	if (r->gemeente[0] != '\0') {
		*ret = (const char (*)[8])r->gemeente;
		*ret_n = 1;
		return 0;
	}
	if ((g = group_get(e, r->groep)) == NULL || !g->ok)
		return -1;
	*ret = (const char (*)[8])g->codes;
	*ret_n = g->n;
	return 0;
}

static int
daily_rule(struct engine *e, const struct alert_rule *r)
{
	const struct indicator *ind = catalog_find(e->src.cat, r->indicator);
	const char (*gms)[8] = NULL;
	size_t	ngm = 0;
	struct err err;

	if (ind == NULL || rule_members(e, r, &gms, &ngm) == -1)
		return 0;
	for (size_t j = 0; j < ngm; j++) {
		struct obs *obs = NULL;
		struct alert_result res;
		struct period due = alert_due_period(alert_rule_period(r, ind),
		    r->dagen, e->now);
		size_t	n = 0;

		if (series_get(e, r, ind, gms[j], &obs, &n, &err) == -1) {
			log_warn("alert: %s", err.msg);
			return -1;
		}
		judge(e, r, ind, gms[j], obs, n, &due, -1, &res);
		free(obs);
		if (decide(e, r, gms[j], &res) == -1)
			return -1;
	}
	return 0;
}

struct daily_call {
	struct app *app;
	struct alertrun *run;
	long long now;
	long	nnew;
};

static int
daily_locked(void *arg, struct ledger *writer, struct err *err)
{
	struct daily_call *d = arg;
	struct app_snapshot *snap = app_snapshot_get(d->app);
	struct engine e = { .src = engine_src(d->app, writer, snap->cat,
		snap->reg, app_store(d->app)), .now = d->now };
	int	rc = -1;

	if (engine_load(&e, keep_ontbrekend, NULL, err) == -1)
		goto fail;
	for (size_t i = 0; i < e.nrules; i++)
		if (daily_rule(&e, &e.rules[i]) == -1) {
			err_set(err, "beoordelen mislukt");
			goto fail;
		}
	rc = engine_commit(&e, d->run, &d->nnew, err);
fail:
	engine_free(&e);
	app_snapshot_put(d->app, snap);
	return rc;
}

static long
daily_pass(struct app *app, struct alertrun *run, long long now,
    struct err *err)
{
	struct daily_call d = { app, run, now, 0 };

	if (app_with_writer(app, daily_locked, &d, err) == -1)
		return -1;
	return d.nnew;
}

long
alert_daily(struct app *app, struct alert_worker *w, long long now,
    struct err *err)
{
	return daily_pass(app, run_of(w), now, err);
}

/* ---- preview on history ----------------------------------------------- */

#define PREVIEW_HITS 200

static void
preview_hit(struct alert_preview *p, const char *gm,
    const struct alert_result *res)
{
	struct alert_preview_hit *h;

	p->nfired++;
	if (p->nhits == PREVIEW_HITS)
		return;
	h = &p->hits[p->nhits++];
	snprintf(h->gemeente, sizeof(h->gemeente), "%s", gm);
	h->periode = res->periode;
	snprintf(h->zin, sizeof(h->zin), "%s", res->zin);
}

/* Replay one gemeente's history period by period through the state
 * machine, as if each period had just been ingested. */
static void
preview_gemeente(struct engine *e, const struct alert_rule *r,
    const struct indicator *ind, const char *gm, const struct obs *obs,
    size_t n, struct alert_preview *p)
{
	enum alert_state st = ALERT_GEEN;
	unsigned char *fl = NULL;
	size_t	nfl = 0, upto = 0;
	int	first = 0;
	long long now = e->now;

	if (r->kind == ALERT_PATROON)
		fl = hw_flags(e, r, obs, n, &first, &nfl);
	for (int o = period_ordinal(&p->van); o <= period_ordinal(&p->tot);
	    o++) {
		struct period at = period_from_ordinal(p->van.kind, o);
		struct alert_result res;

		while (upto < n && period_cmp(&obs[upto].periode, &at) <= 0)
			upto++;
		if (r->kind == ALERT_ONTBREEKT)
			e->now = period_end(&at) + r->dagen * DAY;
		judge(e, r, ind, gm, obs, upto, &at, hw_flag_at(fl, first, nfl,
		    &at), &res);
		switch (alert_transition(st, res.uitkomst)) {
		case ALERT_NIEUW:
			preview_hit(p, gm, &res);
			st = ALERT_FIRING;
			break;
		case ALERT_OPHEFFEN:
			st = ALERT_GEEN;
			break;
		default:
			break;
		}
	}
	e->now = now;
	free(fl);
}

static int
preview_all(struct engine *e, const struct alert_rule *r,
    const struct indicator *ind, struct alert_preview *ret, struct err *err)
{
	const char (*gms)[8] = NULL;
	size_t	ngm = 0;

	if (rule_members(e, r, &gms, &ngm) == -1)
		return err_set(err, "groep '%s' onbekend", r->groep);
	for (size_t i = 0; i < ngm; i++) {
		struct obs *obs = NULL;
		size_t	n = 0;

		if (series_get(e, r, ind, gms[i], &obs, &n, err) == -1)
			return -1;
		preview_gemeente(e, r, ind, gms[i], obs, n, ret);
		free(obs);
		ret->ngemeenten++;
	}
	return 0;
}

int
alert_preview_run(struct app *app, const struct alert_rule *r, int perioden,
    long long now, struct alert_preview *ret, struct err *err)
{
	struct app_snapshot *snap = app_snapshot_get(app);
	const struct indicator *ind = catalog_find(snap->cat, r->indicator);
	struct engine e = { .src = engine_src(app, NULL, snap->cat, snap->reg,
		app_store(app)), .now = now };
	struct alert_rule rule = *r;
	int	rc = -1;

	memset(ret, 0, sizeof(*ret));
	if (ind == NULL) {
		err_set(err, "indicator: onbekende indicator '%s'", r->indicator);
		goto fail;
	}
	if (rule.hw.season == 0)
		rule.hw.season = 12;
	ret->tot = period_at(alert_rule_period(&rule, ind), now);
	ret->tot = period_prev(&ret->tot);
	ret->van = period_from_ordinal(ret->tot.kind,
	    period_ordinal(&ret->tot) - (perioden > 0 ? perioden : 1) + 1);
	if ((ret->hits = calloc(PREVIEW_HITS, sizeof(*ret->hits))) == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto fail;
	}
	if ((e.src.led = app_reader_get(app, err)) == NULL)
		goto fail;
	rc = preview_all(&e, &rule, ind, ret, err);
	app_reader_put(app, e.src.led);
fail:
	engine_free(&e);
	app_snapshot_put(app, snap);
	if (rc == -1)
		alert_preview_free(ret);
	return rc;
}

void
alert_preview_free(struct alert_preview *p)
{
	if (p == NULL)
		return;
	free(p->hits);
	p->hits = NULL;
	p->nhits = 0;
}

/* ---- the worker: delivery (alertrun.c) and the daily pass ------------- */

#define DAILY_MS (24LL * 3600 * 1000)

/* The runner's periodic task, on its thread. */
static void
daily_task(void *arg, struct alertrun *run)
{
	struct err err = { "" };
	long	n = daily_pass(arg, run, (long long)time(NULL), &err);

	if (n < 0)
		log_err("alert: dagelijkse controle: %s", err.msg);
	else if (n > 0)
		log_info("alert: dagelijkse controle: %ld ontbrekende "
		    "levering(en)", n);
}

struct alert_worker *
alert_worker_start(struct app *app, const struct conf *conf, struct err *err)
{
	struct alert_worker *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		err_set(err, "onvoldoende geheugen");
		return NULL;
	}
	w->app = app;
	w->run = alertrun_start(&conf->alert_command, conf->alert_timeout,
	    daily_task, app, DAILY_MS, err);
	if (w->run == NULL) {
		free(w);
		return NULL;
	}
	return w;
}

void
alert_worker_stop(struct alert_worker *w)
{
	if (w == NULL)
		return;
	alertrun_stop(w->run);
	free(w);
}

void
alert_worker_push(struct alert_worker *w, const char *json)
{
	alertrun_push(run_of(w), json);
}

int
alert_worker_drain(struct alert_worker *w, int timeout_ms)
{
	return alertrun_drain(run_of(w), timeout_ms);
}

void
alert_worker_counts(struct alert_worker *w, unsigned long *ret_ok,
    unsigned long *ret_failed)
{
	alertrun_counts(w->run, ret_ok, ret_failed);
}
