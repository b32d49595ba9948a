/* src/alert/alert.c — alert rules (design §8, issue 7), after compare in the
 * flow: rules as data (kinds and parameters are tables), pure judgement of
 * one rule for one gemeente, the state machine that makes a condition fire
 * once, and events as JSON. No I/O: the engine that reads the ledger after
 * an ingest, once a day and for a preview is alert_engine.c; delivery to a
 * command is alertrun.c's. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert/alert.h"
#include "base/util.h"

#define BIT(k) (1u << (k))
#define DAY 86400LL

/* ---- kinds and parameters as tables -------------------------------- */

static const char *const kind_names[ALERT_NKINDS] = {
	[ALERT_DREMPEL] = "drempel",
	[ALERT_VERANDERING] = "verandering",
	[ALERT_TREND] = "trend",
	[ALERT_GROEP] = "afwijking_groep",
	[ALERT_ONTBREEKT] = "ontbrekend",
	[ALERT_PATROON] = "afwijkend_patroon",
};

const char *
alert_kind_name(enum alert_kind k)
{
	return (unsigned)k < ALERT_NKINDS ? kind_names[k] : NULL;
}

int
alert_kind_parse(const char *s, enum alert_kind *ret)
{
	for (int k = 0; s != NULL && k < ALERT_NKINDS; k++)
		if (strcmp(s, kind_names[k]) == 0) {
			*ret = (enum alert_kind)k;
			return 0;
		}
	return -1;
}

struct pname {
	const char *name;
	int	value;
};

/* The first name of a value is the one written back. */
static const struct pname richting_names[] = { { "boven", ALERT_BOVEN },
	{ "onder", ALERT_ONDER }, { "beide", ALERT_BEIDE },
	{ "stijging", ALERT_BOVEN }, { "daling", ALERT_ONDER }, { NULL, 0 } };
static const struct pname basis_names[] = { { "vorige_periode", ALERT_VORIGE },
	{ "vorig_jaar", ALERT_VORIG_JAAR }, { NULL, 0 } };
static const struct pname eenheid_names[] = { { "procent", ALERT_PROCENT },
	{ "punten", ALERT_PUNTEN }, { NULL, 0 } };
static const struct pname methode_names[] = { { "p10_p90", ALERT_BAND },
	{ "mediaan", ALERT_MEDIAAN }, { NULL, 0 } };

static const struct pname per_names[] = { { "maand", PERIOD_MAAND },
	{ "kwartaal", PERIOD_KWARTAAL }, { "halfjaar", PERIOD_HALFJAAR },
	{ "jaar", PERIOD_JAAR }, { NULL, 0 } };

enum ptype { P_ENUM, P_NUM, P_INT };

struct pdef {
	const char *key;
	enum ptype type;
	size_t	off;
	const struct pname *names;	/* P_ENUM */
	double	min, max;
	unsigned kinds;			/* BIT(kind) where the key applies */
};

#define OFF(f) offsetof(struct alert_rule, f)
#define K_DVT (BIT(ALERT_DREMPEL) | BIT(ALERT_VERANDERING) | BIT(ALERT_TREND))
#define K_ALL (BIT(ALERT_NKINDS) - 1)

static const struct pdef pdefs[] = {
	{ "richting", P_ENUM, OFF(richting), richting_names, 0, 0,
	    K_DVT | BIT(ALERT_GROEP) },
	{ "drempel", P_NUM, OFF(drempel), NULL, -1e15, 1e15,
	    K_DVT | BIT(ALERT_GROEP) },
	{ "basis", P_ENUM, OFF(basis), basis_names, 0, 0,
	    BIT(ALERT_VERANDERING) },
	{ "eenheid", P_ENUM, OFF(eenheid), eenheid_names, 0, 0,
	    BIT(ALERT_VERANDERING) },
	{ "perioden", P_INT, OFF(perioden), NULL, 3, 120, BIT(ALERT_TREND) },
	{ "methode", P_ENUM, OFF(methode), methode_names, 0, 0,
	    BIT(ALERT_GROEP) },
	{ "dagen", P_INT, OFF(dagen), NULL, 0, 3650, BIT(ALERT_ONTBREEKT) },
	{ "seizoen", P_INT, OFF(hw.season), NULL, 2, 52, BIT(ALERT_PATROON) },
	{ "alpha", P_NUM, OFF(hw.alpha), NULL, 0.0001, 1, BIT(ALERT_PATROON) },
	{ "beta", P_NUM, OFF(hw.beta), NULL, 0, 1, BIT(ALERT_PATROON) },
	{ "gamma", P_NUM, OFF(hw.gamma), NULL, 0.0001, 1, BIT(ALERT_PATROON) },
	{ "fouten", P_INT, OFF(hw.threshold), NULL, 1, 28,
	    BIT(ALERT_PATROON) },
	{ "venster", P_INT, OFF(hw.window), NULL, 1, 28, BIT(ALERT_PATROON) },
	{ "band", P_NUM, OFF(hw.delta), NULL, 1, 50, BIT(ALERT_PATROON) },
	{ "per", P_ENUM, OFF(per), per_names, 0, 0, K_ALL },
};

void
alert_rule_init(struct alert_rule *r, enum alert_kind kind)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->enabled = 1;
	r->richting = ALERT_BOVEN;
	r->basis = ALERT_VORIGE;
	r->eenheid = ALERT_PROCENT;
	r->perioden = 6;
	r->methode = ALERT_BAND;
	r->dagen = 30;
	r->per = -1;
	/* Short calendar series: fast smoothing, and one flagged period is
	 * enough to report (librrd's own 7 of 9 suits dense data). Each
	 * seasonal deviation learns once a season, so it stays rough for
	 * years: a band of 5 deviations instead of librrd's 2 keeps normal
	 * noise quiet (tests/check_alert.c). The season is set from the
	 * indicator's periode by alert_rule_check. */
	r->hw = (struct store_hw){ .season = 0, .alpha = 0.5, .beta = 0.1,
		.gamma = 0.5, .threshold = 1, .window = 1, .delta = 5 };
}

static const char *
pname_of(const struct pname *names, int v)
{
	for (; names->name != NULL; names++)
		if (names->value == v)
			return names->name;
	return "";
}

static int
param_set(const struct pdef *d, const json_t *v, struct alert_rule *r,
    struct err *err)
{
	char   *base = (char *)r + d->off;
	double	x;

	if (d->type == P_ENUM) {
		const char *s = json_string_value(v);

		for (const struct pname *p = d->names; s && p->name; p++)
			if (strcmp(s, p->name) == 0) {
				memcpy(base, &p->value, sizeof(int));
				return 0;
			}
		return err_set(err, "params.%s: onbekende waarde", d->key);
	}
	if (!json_is_number(v) || (x = json_number_value(v)) < d->min ||
	    x > d->max || (d->type == P_INT && x != floor(x)))
		return err_set(err, "params.%s: verwacht een %s van %g tot en "
		    "met %g", d->key, d->type == P_INT ? "geheel getal" :
		    "getal", d->min, d->max);
	if (d->type == P_INT) {
		int	i = (int)x;

		memcpy(base, &i, sizeof(i));
	} else
		memcpy(base, &x, sizeof(x));
	return 0;
}

/* Keys of params that do not apply to the kind are refused, so a typo
 * does not silently keep a default. */
static int
params_from_json(const json_t *p, struct alert_rule *r, int *ret_drempel,
    struct err *err)
{
	const char *key;
	const json_t *v;

	*ret_drempel = 0;
	if (p == NULL)
		return 0;
	if (!json_is_object(p))
		return err_set(err, "params: verwacht een object");
	json_object_foreach((json_t *)p, key, v) {
		size_t	i;

		for (i = 0; i < NELEM(pdefs); i++)
			if (strcmp(key, pdefs[i].key) == 0 &&
			    (pdefs[i].kinds & BIT(r->kind)))
				break;
		if (i == NELEM(pdefs))
			return err_set(err, "params.%s: onbekend voor soort %s",
			    key, kind_names[r->kind]);
		if (param_set(&pdefs[i], v, r, err) == -1)
			return -1;
		if (strcmp(key, "drempel") == 0)
			*ret_drempel = 1;
	}
	return 0;
}

static int
str_field(const json_t *o, const char *key, char *buf, size_t size,
    struct err *err)
{
	const json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) || strlen(json_string_value(v)) >= size)
		return err_set(err, "%s: verwacht tekst van hooguit %zu tekens",
		    key, size - 1);
	snprintf(buf, size, "%s", json_string_value(v));
	return 0;
}

static int
needs_drempel(const struct alert_rule *r)
{
	return (BIT(r->kind) & K_DVT) ||
	    (r->kind == ALERT_GROEP && r->methode == ALERT_MEDIAAN);
}

static int
rule_from_json(const json_t *o, struct alert_rule *r, struct err *err)
{
	enum alert_kind kind;
	long long id = r->id;
	char	eigenaar[64];
	const json_t *v;
	int	has_drempel;

	snprintf(eigenaar, sizeof(eigenaar), "%s", r->eigenaar);
	if (!json_is_object(o))
		return err_set(err, "verwacht een JSON-object");
	if (alert_kind_parse(json_get_str(o, "soort"), &kind) == -1)
		return err_set(err, "soort: een van drempel, verandering, trend, "
		    "afwijking_groep, ontbrekend, afwijkend_patroon");
	alert_rule_init(r, kind);
	r->id = id;
	snprintf(r->eigenaar, sizeof(r->eigenaar), "%s", eigenaar);
	if (str_field(o, "naam", r->naam, sizeof(r->naam), err) == -1 ||
	    str_field(o, "gemeente", r->gemeente, sizeof(r->gemeente), err) ||
	    str_field(o, "groep", r->groep, sizeof(r->groep), err) == -1 ||
	    str_field(o, "indicator", r->indicator, sizeof(r->indicator),
	    err) == -1)
		return -1;
	if ((v = json_object_get(o, "min_n")) != NULL &&
	    (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 1000000))
		return err_set(err, "min_n: verwacht een geheel getal >= 0");
	r->min_n = v ? (int)json_integer_value(v) : 0;
	if ((v = json_object_get(o, "actief")) != NULL && !json_is_boolean(v))
		return err_set(err, "actief: verwacht true of false");
	r->enabled = v ? json_is_true(v) : 1;
	if (params_from_json(json_object_get(o, "params"), r, &has_drempel,
	    err) == -1)
		return -1;
	if (needs_drempel(r) && !has_drempel)
		return err_set(err, "params.drempel ontbreekt");
	return 0;
}

/* Every failure of a rule's JSON is the sender's: rejected input. */
int
alert_rule_from_json(const json_t *o, struct alert_rule *r, struct err *err)
{
	if (rule_from_json(o, r, err) == -1)
		return err_as(err, ERR_REJECTED);
	return 0;
}

static json_t *
params_to_json(const struct alert_rule *r)
{
	json_t *p = json_object();

	for (size_t i = 0; p != NULL && i < NELEM(pdefs); i++) {
		const struct pdef *d = &pdefs[i];
		const char *base = (const char *)r + d->off;
		int	iv;
		double	dv;

		if (!(d->kinds & BIT(r->kind)))
			continue;
		if (d->type == P_NUM) {
			memcpy(&dv, base, sizeof(dv));
			json_put_num(p, d->key, dv);
			continue;
		}
		memcpy(&iv, base, sizeof(iv));
		if (d->names == per_names && iv < 0)
			continue;	/* the indicator's own: not stored */
		if (d->type == P_INT)
			json_put_int(p, d->key, iv);
		else
			json_put_str(p, d->key, pname_of(d->names, iv));
	}
	return p;
}

json_t *
alert_rule_to_json(const struct alert_rule *r)
{
	json_t *o = json_object();
	int	rc = 0;

	rc |= json_put_int(o, "id", r->id);
	rc |= json_put_str(o, "naam", r->naam);
	rc |= json_put_str(o, "soort", kind_names[r->kind]);
	rc |= json_put_str(o, "gemeente", r->gemeente[0] ? r->gemeente : NULL);
	rc |= json_put_str(o, "groep", r->groep[0] ? r->groep : NULL);
	rc |= json_put_str(o, "indicator", r->indicator);
	rc |= json_put_int(o, "min_n", r->min_n);
	rc |= json_put_bool(o, "actief", r->enabled);
	rc |= json_put_str(o, "eigenaar", r->eigenaar);
	rc |= json_put(o, "params", params_to_json(r));
	if (rc != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int
check_scope(struct alert_rule *r, const struct reg *reg, struct err *err)
{
	const struct gemeente *g;
	struct compare_groep grp;

	if (r->gemeente[0] == '\0' && r->groep[0] == '\0')
		return err_set(err, "geef een gemeente of een groep op");
	if (r->gemeente[0] != '\0') {
		if ((g = register_find(reg, r->gemeente)) == NULL || !g->actief)
			return err_set(err, "gemeente: onbekende gemeente '%s'",
			    r->gemeente);
		snprintf(r->gemeente, sizeof(r->gemeente), "%s", g->code);
	}
	if (r->groep[0] != '\0') {
		if (compare_groep_resolve(reg, r->groep, &grp, err) == -1)
			return err_prefix(err, "groep: ");
		snprintf(r->groep, sizeof(r->groep), "%s", grp.id);
		compare_groep_free(&grp);
	}
	if (r->kind == ALERT_GROEP && r->groep[0] == '\0')
		return err_set(err, "afwijking_groep: geef de groep op om mee "
		    "te vergelijken");
	return 0;
}

enum period_kind
alert_rule_period(const struct alert_rule *r, const struct indicator *ind)
{
	return r->per >= 0 ? (enum period_kind)r->per : ind->periode;
}

static int
rule_check(struct alert_rule *r, const struct catalog *cat,
    const struct reg *reg, struct err *err)
{
	const struct indicator *ind = catalog_find(cat, r->indicator);
	static const int seasons[PERIOD_NKINDS] = { 12, 4, 2, 2 };

	if (r->naam[0] == '\0')
		return err_set(err, "naam: verplicht");
	if (ind == NULL)
		return err_set(err, "indicator: onbekende indicator '%s'",
		    r->indicator);
	if (check_scope(r, reg, err) == -1)
		return -1;
	if (r->kind == ALERT_DREMPEL && r->richting == ALERT_BEIDE)
		return err_set(err, "params.richting: boven of onder");
	if ((r->kind == ALERT_TREND || r->kind == ALERT_VERANDERING ||
	    (r->kind == ALERT_GROEP && r->methode == ALERT_MEDIAAN)) &&
	    r->drempel < 0)
		return err_set(err, "params.drempel: verwacht een getal >= 0");
	if (r->per >= 0 && period_months((enum period_kind)r->per) <
	    period_months(ind->periode))
		return err_set(err, "params.per: %s is korter dan de periode "
		    "van %s (%s)", period_kind_name((enum period_kind)r->per),
		    ind->id, period_kind_name(ind->periode));
	if (r->hw.season == 0)
		r->hw.season = seasons[alert_rule_period(r, ind)];
	if (r->hw.threshold > r->hw.window)
		return err_set(err, "params.fouten: hooguit params.venster");
	return 0;
}

int
alert_rule_check(struct alert_rule *r, const struct catalog *cat,
    const struct reg *reg, struct err *err)
{
	if (rule_check(r, cat, reg, err) == -1)
		return err_as(err, ERR_REJECTED);
	return 0;
}

int
alert_rule_from_ledger(const struct ledger_alert_rule *l,
    struct alert_rule *ret, struct err *err)
{
	json_t *p = json_decode(l->params, strlen(l->params), err), *w = NULL;
	int	rc = -1;

	if (p == NULL)
		goto fail;
	if ((w = json_pack("{s:s, s:O}", "soort", l->soort, "params",
	    p)) == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto fail;
	}
	ret->id = l->id;
	snprintf(ret->eigenaar, sizeof(ret->eigenaar), "%s", l->eigenaar);
	/* A stored rule that no longer parses is our failure, not input. */
	if (rule_from_json(w, ret, err) == -1)
		goto fail;
	snprintf(ret->naam, sizeof(ret->naam), "%s", l->naam);
	snprintf(ret->gemeente, sizeof(ret->gemeente), "%s", l->gemeente);
	snprintf(ret->groep, sizeof(ret->groep), "%s", l->groep);
	snprintf(ret->indicator, sizeof(ret->indicator), "%s", l->indicator);
	ret->min_n = l->min_n;
	ret->enabled = l->enabled;
	rc = 0;
fail:
	json_decref(w);
	json_decref(p);
	if (rc == -1) {
		err_prefix(err, "regel %lld: ", l->id);
		err_as(err, ERR_INTERNAL);
	}
	return rc;
}

int
alert_rule_to_ledger(const struct alert_rule *r, struct ledger_alert_rule *ret,
    struct err *err)
{
	json_t *p = params_to_json(r);
	char   *txt = json_encode(p, NULL);
	int	rc = 0;

	memset(ret, 0, sizeof(*ret));
	if (txt == NULL || strlen(txt) >= sizeof(ret->params))
		rc = err_set(err, "params: te groot of onvoldoende geheugen");
	else
		snprintf(ret->params, sizeof(ret->params), "%s", txt);
	free(txt);
	json_decref(p);
	ret->id = r->id;
	snprintf(ret->naam, sizeof(ret->naam), "%s", r->naam);
	snprintf(ret->soort, sizeof(ret->soort), "%s", kind_names[r->kind]);
	snprintf(ret->gemeente, sizeof(ret->gemeente), "%s", r->gemeente);
	snprintf(ret->indicator, sizeof(ret->indicator), "%s", r->indicator);
	snprintf(ret->groep, sizeof(ret->groep), "%s", r->groep);
	snprintf(ret->eigenaar, sizeof(ret->eigenaar), "%s", r->eigenaar);
	ret->min_n = r->min_n;
	ret->enabled = r->enabled;
	return rc;
}

int
alert_rule_in_scope(const struct alert_rule *r, const struct reg *reg,
    const struct reg_scope *scope)
{
	struct compare_groep g;
	struct err err;
	int	ok = 1;

	if (scope->all)
		return 1;
	if (r->gemeente[0] != '\0')
		return register_scope_allows(scope, reg,
		    register_find(reg, r->gemeente));
	if (compare_groep_resolve(reg, r->groep, &g, &err) == -1)
		return 0;
	ok = alert_members_in_scope(&g, reg, scope);
	compare_groep_free(&g);
	return ok;
}

int
alert_members_in_scope(const struct compare_groep *g, const struct reg *reg,
    const struct reg_scope *scope)
{
	int	ok = g->n > 0;	/* nobody's: in no scope but "all" */

	(void)reg;	/* g->leden and scope->rows index the same register */
	if (scope->all)
		return 1;
	for (size_t i = 0; ok && i < g->n; i++)
		ok = register_scope_has(scope, g->leden[i]);
	return ok;
}

/* ---- judgement -------------------------------------------------------- */

static double
cell_n(const struct indicator *ind, const struct obs *o)
{
	return catalog_has_components(ind) ? o->noemer : o->waarde;
}

/* A value that may be judged: delivered, derived, not suppressed. */
static int
usable(const struct alert_rule *r, const struct indicator *ind,
    const struct obs *o)
{
	double	n = cell_n(ind, o);
	int	min = ind->min_n > r->min_n ? ind->min_n : r->min_n;

	return o != NULL && !isnan(o->waarde) && !isnan(n) && n >= min;
}

static const struct obs *
find_obs(const struct alert_input *in, const struct period *p)
{
	for (size_t i = in->n; i-- > 0;) {
		int	c = period_cmp(&in->obs[i].periode, p);

		if (c == 0)
			return &in->obs[i];
		if (c < 0)
			break;
	}
	return NULL;
}

/* Dutch number: whole numbers without decimals, else one or two. */
static const char *
num(double v, char *buf, size_t size)
{
	int	d = fabs(v - round(v)) < 1e-9 ? 0 : fabs(v) >= 10 ? 1 : 2;

	return compare_format(v, d, buf, size);
}

/* "pw_bestand van Amsterdam (GM0363) in 2024-03" */
static void
subject(const struct alert_input *in, const struct period *p, char *buf,
    size_t size)
{
	char	per[16];

	period_format(p, per, sizeof(per));
	if (in->gemeente_naam != NULL)
		snprintf(buf, size, "%s van %s (%s) in %s", in->ind->naam,
		    in->gemeente_naam, in->gemeente, per);
	else
		snprintf(buf, size, "%s van %s in %s", in->ind->naam,
		    in->gemeente, per);
}

static int
crosses(enum alert_richting rt, double x, double d)
{
	return (rt == ALERT_BOVEN && x > d) || (rt == ALERT_ONDER && x < -d) ||
	    (rt == ALERT_BEIDE && fabs(x) > d);
}

static enum alert_uitkomst
eval_drempel(const struct alert_rule *r, const struct alert_input *in,
    struct alert_result *ret)
{
	const struct obs *o = find_obs(in, &in->at);
	char	s[256], a[32], b[32];

	if (o == NULL || !usable(r, in->ind, o))
		return ALERT_STIL;
	ret->waarde = o->waarde;
	ret->n = cell_n(in->ind, o);
	ret->drempel = r->drempel;
	if (!(r->richting == ALERT_BOVEN ? o->waarde > r->drempel :
	    o->waarde < r->drempel))
		return ALERT_OK;
	subject(in, &in->at, s, sizeof(s));
	snprintf(ret->zin, sizeof(ret->zin), "%s is %s, %s de drempel van %s.",
	    s, num(o->waarde, a, sizeof(a)), r->richting == ALERT_BOVEN ?
	    "boven" : "onder", num(r->drempel, b, sizeof(b)));
	return ALERT_VUURT;
}

static enum alert_uitkomst
eval_verandering(const struct alert_rule *r, const struct alert_input *in,
    struct alert_result *ret)
{
	struct period pp = r->basis == ALERT_VORIGE ? period_prev(&in->at) :
	    period_year_before(&in->at);
	const struct obs *o = find_obs(in, &in->at), *p = find_obs(in, &pp);
	char	s[256], a[32], b[32], c[32], per[16];
	double	d;

	if (o == NULL || p == NULL || !usable(r, in->ind, o) ||
	    !usable(r, in->ind, p) ||
	    (r->eenheid == ALERT_PROCENT && p->waarde == 0))
		return ALERT_STIL;
	d = o->waarde - p->waarde;
	if (r->eenheid == ALERT_PROCENT)
		d = d / fabs(p->waarde) * 100;
	ret->waarde = o->waarde;
	ret->vorige = p->waarde;
	ret->verschil = d;
	ret->drempel = r->drempel;
	ret->n = cell_n(in->ind, o);
	if (!crosses(r->richting, d, r->drempel))
		return ALERT_OK;
	subject(in, &in->at, s, sizeof(s));
	snprintf(ret->zin, sizeof(ret->zin), "%s is %s: %s %s%s tegenover %s "
	    "(%s), meer dan %s%s.", s, num(o->waarde, a, sizeof(a)),
	    d > 0 ? "een stijging van" : "een daling van",
	    num(fabs(d), b, sizeof(b)), r->eenheid == ALERT_PROCENT ? "%" :
	    " punten", period_format(&pp, per, sizeof(per)),
	    num(p->waarde, c, sizeof(c)), num(r->drempel, b, sizeof(b)),
	    r->eenheid == ALERT_PROCENT ? "%" : " punten");
	return ALERT_VUURT;
}

double
alert_slope(const double *y, size_t n)
{
	double	mx = (double)(n - 1) / 2, my = 0, sxy = 0, sxx = 0;

	if (n < 2)
		return NAN;
	for (size_t i = 0; i < n; i++)
		my += y[i] / (double)n;
	for (size_t i = 0; i < n; i++) {
		sxy += ((double)i - mx) * (y[i] - my);
		sxx += ((double)i - mx) * ((double)i - mx);
	}
	return sxy / sxx;
}

static enum alert_uitkomst
eval_trend(const struct alert_rule *r, const struct alert_input *in,
    struct alert_result *ret)
{
	double	y[120];
	int	last = period_ordinal(&in->at), n = r->perioden;
	char	s[256], a[32], b[32];

	if (n < 2 || n > (int)NELEM(y))
		return ALERT_STIL;
	for (int i = 0; i < n; i++) {
		struct period p = period_from_ordinal(in->at.kind,
		    last - n + 1 + i);
		const struct obs *o = find_obs(in, &p);

		if (o == NULL || !usable(r, in->ind, o))
			return ALERT_STIL;
		y[i] = o->waarde;
	}
	ret->helling = alert_slope(y, (size_t)n);
	ret->waarde = y[n - 1];
	ret->drempel = r->drempel;
	ret->n = cell_n(in->ind, find_obs(in, &in->at));
	if (!crosses(r->richting, ret->helling, r->drempel))
		return ALERT_OK;
	subject(in, &in->at, s, sizeof(s));
	snprintf(ret->zin, sizeof(ret->zin), "%s %s over de laatste %d "
	    "perioden gemiddeld %s per %s (drempel %s).", s,
	    ret->helling > 0 ? "stijgt" : "daalt", n,
	    num(fabs(ret->helling), a, sizeof(a)),
	    period_kind_name(in->at.kind), num(r->drempel, b, sizeof(b)));
	return ALERT_VUURT;
}

static int
row_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct compare_row *)elem)->gemeente);
}

static int
groep_crosses(const struct alert_rule *r, struct alert_result *ret)
{
	if (r->methode == ALERT_MEDIAAN)
		return crosses(r->richting, ret->verschil, r->drempel);
	return (r->richting != ALERT_ONDER && ret->waarde > ret->p90) ||
	    (r->richting != ALERT_BOVEN && ret->waarde < ret->p10);
}

/* " (per 1.000 inwoners)" when a count is judged through its rate (the
 * engine hands over the comparison of the rate, domain §3.9). */
static const char *
rate_unit(const struct indicator *ind, char *buf, size_t size)
{
	buf[0] = '\0';
	if (ind->soort == SOORT_AANTAL && ind->vergelijk != NULL &&
	    ind->vergelijk->noemer[0] != NULL)
		snprintf(buf, size, " (%s)", ind->vergelijk->tekst);
	return buf;
}

static enum alert_uitkomst
eval_groep(const struct alert_rule *r, const struct alert_input *in,
    struct alert_result *ret)
{
	const struct compare_result *g = in->groep;
	const struct compare_row *row;
	const struct obs *o = find_obs(in, &in->at);
	char	s[256], a[32], b[32], c[32], u[80];

	/* a verdict needs at least 5 others with a value (domain §3.9) */
	if (g == NULL || g->npct < 6 || g->nrows == 0 || o == NULL || !usable(r, in->ind, o) ||
	    (row = bsearch(in->gemeente, g->rows, g->nrows, sizeof(*row),
	    row_cmp)) == NULL || row->onderdrukt || row->rang == 0)
		return ALERT_STIL;
	ret->waarde = row->waarde;
	ret->p10 = g->pct[0];
	ret->p50 = g->pct[2];
	ret->p90 = g->pct[4];
	ret->verschil = row->waarde - ret->p50;
	ret->drempel = r->drempel;
	ret->n = cell_n(in->ind, o);
	if (!groep_crosses(r, ret))
		return ALERT_OK;
	subject(in, &in->at, s, sizeof(s));
	if (r->methode == ALERT_MEDIAAN)
		snprintf(ret->zin, sizeof(ret->zin), "%s is %s%s: %s punten %s "
		    "de mediaan van de groep (%s).", s, num(row->waarde, a,
		    sizeof(a)), rate_unit(in->ind, u, sizeof(u)), num(fabs(ret->verschil), b,
		    sizeof(b)), ret->verschil > 0 ? "boven" : "onder",
		    num(ret->p50, c, sizeof(c)));
	else
		snprintf(ret->zin, sizeof(ret->zin), "%s is %s%s, buiten de "
		    "band P10–P90 van de groep (%s tot %s).", s,
		    num(row->waarde, a, sizeof(a)), rate_unit(in->ind, u, sizeof(u)),
		    num(ret->p10, b, sizeof(b)), num(ret->p90, c, sizeof(c)));
	return ALERT_VUURT;
}

struct period
alert_due_period(enum period_kind kind, int dagen, long long now)
{
	struct period p = period_at(kind, now - dagen * DAY);

	return period_prev(&p);
}

static enum alert_uitkomst
eval_ontbreekt(const struct alert_rule *r, const struct alert_input *in,
    struct alert_result *ret)
{
	struct period due = alert_due_period(in->ind->periode, r->dagen,
	    in->now);
	char	s[256];

	ret->periode = due;
	if (find_obs(in, &due) != NULL)
		return ALERT_OK;
	subject(in, &due, s, sizeof(s));
	snprintf(ret->zin, sizeof(ret->zin), "%s ontbreekt: niet geleverd "
	    "binnen %d dagen na afloop van de periode.", s, r->dagen);
	return ALERT_VUURT;
}

static enum alert_uitkomst
eval_patroon(const struct alert_rule *r, const struct alert_input *in,
    struct alert_result *ret)
{
	const struct obs *o = find_obs(in, &in->at);
	char	s[256], a[32];

	if (o == NULL || !usable(r, in->ind, o) || in->hw_flag < 0)
		return ALERT_STIL;
	ret->waarde = o->waarde;
	ret->n = cell_n(in->ind, o);
	if (in->hw_flag == 0)
		return ALERT_OK;
	subject(in, &in->at, s, sizeof(s));
	snprintf(ret->zin, sizeof(ret->zin), "%s is %s: een afwijkend patroon "
	    "volgens Holt-Winters (buiten de verwachte band op grond van "
	    "niveau, trend en seizoen).", s, num(o->waarde, a, sizeof(a)));
	return ALERT_VUURT;
}

typedef enum alert_uitkomst (*eval_fn)(const struct alert_rule *,
    const struct alert_input *, struct alert_result *);

static const eval_fn evaluators[ALERT_NKINDS] = {
	[ALERT_DREMPEL] = eval_drempel,
	[ALERT_VERANDERING] = eval_verandering,
	[ALERT_TREND] = eval_trend,
	[ALERT_GROEP] = eval_groep,
	[ALERT_ONTBREEKT] = eval_ontbreekt,
	[ALERT_PATROON] = eval_patroon,
};

enum alert_uitkomst
alert_eval(const struct alert_rule *r, const struct alert_input *in,
    struct alert_result *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->periode = in->at;
	ret->waarde = ret->drempel = ret->vorige = ret->verschil = NAN;
	ret->helling = ret->p10 = ret->p50 = ret->p90 = ret->n = NAN;
	if ((unsigned)r->kind >= ALERT_NKINDS || in->ind == NULL)
		return ret->uitkomst = ALERT_STIL;
	ret->uitkomst = evaluators[r->kind](r, in, ret);
	if (ret->uitkomst != ALERT_VUURT)
		ret->zin[0] = '\0';
	return ret->uitkomst;
}

json_t *
alert_result_details(const struct alert_rule *r,
    const struct alert_result *ret)
{
	json_t *o = json_object();
	char	per[16];
	static const struct {
		const char *key;
		size_t	off;
	} nums[] = {
		{ "waarde", offsetof(struct alert_result, waarde) },
		{ "drempel", offsetof(struct alert_result, drempel) },
		{ "vorige", offsetof(struct alert_result, vorige) },
		{ "verschil", offsetof(struct alert_result, verschil) },
		{ "helling", offsetof(struct alert_result, helling) },
		{ "p10", offsetof(struct alert_result, p10) },
		{ "p50", offsetof(struct alert_result, p50) },
		{ "p90", offsetof(struct alert_result, p90) },
		{ "n", offsetof(struct alert_result, n) },
	};

	json_put_str(o, "soort", kind_names[r->kind]);
	json_put_str(o, "periode", period_format(&ret->periode, per,
	    sizeof(per)));
	for (size_t i = 0; i < NELEM(nums); i++) {
		double	v;

		memcpy(&v, (const char *)ret + nums[i].off, sizeof(v));
		if (!isnan(v))
			json_put_num(o, nums[i].key, v);
	}
	return o;
}

/* Rows: the open event's state; columns: STIL, OK, VUURT. */
static const enum alert_actie transitions[3][3] = {
	[ALERT_GEEN] = { ALERT_NIETS, ALERT_NIETS, ALERT_NIEUW },
	[ALERT_FIRING] = { ALERT_NIETS, ALERT_OPHEFFEN, ALERT_NIETS },
	[ALERT_ACKED] = { ALERT_NIETS, ALERT_OPHEFFEN, ALERT_NIETS },
};

enum alert_actie
alert_transition(enum alert_state open, enum alert_uitkomst u)
{
	if ((unsigned)open > ALERT_ACKED || u < ALERT_STIL || u > ALERT_VUURT)
		return ALERT_NIETS;
	return transitions[open][u + 1];
}

/* ---- events as JSON --------------------------------------------------- */

/* The Dutch word of each event state, for people (the API's status field
 * keeps the ledger's word). */
static const char *const state_tekst[LEDGER_EVENT_NSTATES] = {
	[LEDGER_EVENT_FIRING] = "actief",
	[LEDGER_EVENT_ACKNOWLEDGED] = "bevestigd",
	[LEDGER_EVENT_RESOLVED] = "opgeheven",
};

const char *
alert_state_tekst(enum ledger_event_state s)
{
	return (unsigned)s < LEDGER_EVENT_NSTATES ? state_tekst[s] : "";
}

json_t *
alert_event_json(const struct ledger_alert_event *e)
{
	json_t *o = json_object(), *d;
	struct err err;
	const char *tekst = alert_state_tekst(e->state);

	d = json_decode(e->details, strlen(e->details), &err);
	json_put_int(o, "id", e->id);
	json_put_int(o, "regel_id", e->rule_id);
	json_put_str(o, "regel", e->rule_naam);
	json_put_str(o, "gemeente", e->gemeente);
	json_put_str(o, "indicator", e->indicator);
	json_put_str(o, "periode", e->periode);
	json_put_str(o, "status", ledger_event_state_name(e->state));
	json_put_str(o, "status_tekst", tekst);
	json_put_num(o, "waarde", e->waarde);
	json_put_str(o, "melding", e->message);
	json_put(o, "details", d ? d : json_object());
	json_put_str(o, "gevuurd_op", e->fired_at);
	json_put_str(o, "bevestigd_op", e->acknowledged_at[0] ?
	    e->acknowledged_at : NULL);
	json_put_str(o, "bevestigd_door", e->acknowledged_by[0] ?
	    e->acknowledged_by : NULL);
	json_put_str(o, "opgeheven_op", e->resolved_at[0] ? e->resolved_at :
	    NULL);
	return o;
}
