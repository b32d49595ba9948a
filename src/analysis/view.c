/* src/analysis/view.c — presentation of domain objects for the API and the
 * dashboard: Dutch display strings and the JSON shapes of doc/api.md. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/view.h"

/* Dutch display of a value in the indicator's unit: "21,7%",
 * "22,4 per 1.000", "€ 1.234", "38.211". */
char *
view_display(const struct indicator *ind, double v, char *buf, size_t size)
{
	char	num[64];

	if (!isfinite(v)) {
		snprintf(buf, size, "–");
		return buf;
	}
	if (strcmp(ind->eenheid, "euro") == 0) {
		snprintf(buf, size, "€ %s", compare_format(v, 0, num,
		    sizeof(num)));
	} else if (ind->soort == SOORT_RATIO && ind->schaal == 100) {
		snprintf(buf, size, "%s%%", compare_format(v, 1, num,
		    sizeof(num)));
	} else if (ind->soort == SOORT_RATIO && ind->schaal == 1000) {
		snprintf(buf, size, "%s per 1.000", compare_format(v, 1, num,
		    sizeof(num)));
	} else {
		compare_format(v, v == floor(v) ? 0 : 1, buf, size);
	}
	return buf;
}

static const struct {
	const char *id, *naam;
} themes[] = {
	{ "uitstroom", "Instroom en uitstroom" },
	{ "bestand", "Bijstandsbestand" },
	{ "participatie", "Participatieladder" },
	{ "zrm", "Zelfredzaamheid (ZRM)" },
	{ "escalaties", "Escalaties voorkomen" },
	{ "samenloop", "Samenloop van voorzieningen" },
	{ "kosten", "Kosten" },
	{ "context", "Context" },
};
#define NTHEMES (sizeof(themes) / sizeof(*themes))

json_t *
view_themes(void)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < NTHEMES; i++) {
		json_t *t = json_object();

		json_put_str(t, "id", themes[i].id);
		json_put_str(t, "naam", themes[i].naam);
		json_push(arr, t);
	}
	return arr;
}

size_t
view_theme_rank(const char *groep)
{
	for (size_t i = 0; i < NTHEMES; i++)
		if (strcmp(themes[i].id, groep) == 0)
			return i;
	return NTHEMES;
}

/* How a group figure and a longer period are computed (domain §3). */
const char *
view_berekening(const struct indicator *ind)
{
	if (ind->soort == SOORT_RATIO)
		return "Groepscijfer: de som van de tellers gedeeld door de "
		    "som van de noemers van de gemeenten (geen gemiddelde van "
		    "percentages). Over een langere periode worden tellers en "
		    "noemers opnieuw gedeeld.";
	if (ind->soort == SOORT_GEMIDDELDE)
		return "Groepscijfer: de som van de scores gedeeld door het "
		    "totale aantal gemeten cliënten (geen gemiddelde van "
		    "gemiddelden).";
	if (ind->meting == METING_STAND)
		return "Groepscijfer: de som van de aantallen op de "
		    "peildatum. Over een langere periode telt de stand op de "
		    "laatste peildatum; standen worden nooit opgeteld.";
	return "Groepscijfer: de som van de aantallen van de gemeenten. Over "
	    "een langere periode worden de perioden opgeteld.";
}

json_t *
view_indicator_brief(const struct indicator *ind)
{
	json_t *o = json_object();

	json_put_str(o, "id", ind->id);
	json_put_str(o, "naam", ind->naam);
	json_put_str(o, "groep", ind->groep);
	json_put_str(o, "eenheid", ind->eenheid);
	json_put_str(o, "soort", catalog_soort_name(ind->soort));
	json_put_str(o, "meting", catalog_meting_name(ind->meting));
	json_put_str(o, "periode", period_kind_name(ind->periode));
	json_put_num(o, "schaal", ind->schaal);
	json_put_str(o, "richting", catalog_richting_name(ind->richting));
	json_put_int(o, "min_n", ind->min_n);
	json_put(o, "vergelijk_als", ind->vergelijk ?
	    json_string(ind->vergelijk->als) : json_null());
	json_put_num(o, "oordeel_drempel", ind->oordeel_drempel);
	return o;
}

json_t *
view_indicator(const struct indicator *ind)
{
	json_t *o = view_indicator_brief(ind);

	json_put_str(o, "omschrijving", ind->omschrijving);
	json_put_str(o, "teller", ind->teller);
	json_put_str(o, "noemer", ind->noemer);
	json_put(o, "min", ind->has_min ? json_num(ind->min) : json_null());
	json_put(o, "max", ind->has_max ? json_num(ind->max) : json_null());
	json_put_str(o, "bron", ind->bron);
	json_put_str(o, "sinds", ind->sinds);
	json_put_str(o, "kanttekening", ind->kanttekening);
	json_put_str(o, "berekening", view_berekening(ind));
	return o;
}

json_t *
view_gemeente_brief(const struct gemeente *g)
{
	json_t *o = json_object();

	json_put_str(o, "code", g->code);
	json_put_str(o, "naam", g->naam);
	return o;
}

json_t *
view_gemeente(const struct gemeente *g)
{
	json_t *o = view_gemeente_brief(g);

	json_put_str(o, "provincie", g->provincie);
	json_put_int(o, "inwoners", g->inwoners);
	json_put_int(o, "grootteklasse", g->grootteklasse);
	json_put_str(o, "grootteklasse_naam", g->grootteklasse ?
	    register_grootteklasse_name(g->grootteklasse) : "");
	json_put_bool(o, "actief", g->actief);
	if (!g->actief) {
		json_put_str(o, "opgeheven", g->opgeheven);
		json_put_str(o, "opvolger", g->opvolger);
		json_put_bool(o, "gesplitst", g->gesplitst);
	}
	return o;
}

/* The group ids a gemeente belongs to. */
json_t *
view_groups_of(const struct reg *reg, const struct gemeente *g)
{
	json_t *arr = json_array();
	char	id[96], prov[64];

	if (!g->actief)
		return arr;
	json_push(arr, json_string("alle"));
	snprintf(id, sizeof(id), "grootteklasse-%d", g->grootteklasse);
	json_push(arr, json_string(id));
	snprintf(id, sizeof(id), "provincie-%s",
	    compare_provincie_id(g->provincie, prov, sizeof(prov)));
	json_push(arr, json_string(id));
	for (size_t i = 0; i < reg->ng; i++)
		for (size_t j = 0; j < reg->groepen[i].n; j++)
			if (strcmp(reg->groepen[i].codes[j], g->code) == 0)
				json_push(arr, json_string(reg->groepen[i].id));
	snprintf(id, sizeof(id), "vergelijkbaar-%s", g->code);
	json_push(arr, json_string(id));
	return arr;
}

json_t *
view_herindelingen(const struct reg *reg, const struct gemeente *g)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < reg->nh; i++) {
		const struct herindeling *h = &reg->herindelingen[i];
		json_t *o;

		if (strcmp(h->oude_code, g->code) != 0 &&
		    strcmp(h->nieuwe_code, g->code) != 0)
			continue;
		o = json_object();
		json_put_str(o, "datum", h->datum);
		json_put_str(o, "oude_code", h->oude_code);
		json_put_str(o, "oude_naam", h->oude_naam);
		json_put_str(o, "nieuwe_code", h->nieuwe_code);
		json_put_str(o, "nieuwe_naam", h->nieuwe_naam);
		json_put_bool(o, "splitsing", h->splitsing);
		json_push(arr, o);
	}
	return arr;
}

static const char *const groep_soort_names[] = { "alle", "grootteklasse",
	"provincie", "eigen", "vergelijkbaar" };

json_t *
view_groep(const struct reg *reg, const struct compare_groep *g)
{
	json_t *o = json_object(), *arr = json_array();

	json_put_str(o, "id", g->id);
	json_put_str(o, "naam", g->naam);
	json_put_str(o, "soort", groep_soort_names[g->soort]);
	for (size_t i = 0; i < g->n; i++)
		json_push(arr, json_string(reg->gemeenten[g->leden[i]].code));
	json_put(o, "gemeenten", arr);
	return o;
}

/* Disclosure control for one cell (domain §3.5): the compare engine's
 * rules on a group of one. *ret gets the published row. */
int
view_public(const struct indicator *ind, const struct compare_period *v,
    struct compare_row *ret)
{
	struct compare_cell c = { .geleverd = 1, .waarde = v->waarde,
		.teller = v->teller, .noemer = v->noemer, .status = v->status,
		.onvolledig = v->onvolledig, .beschermd = v->beschermd };
	struct compare_opts o = { .publiek = 1 };
	struct compare_result res;
	struct err err = { "" };

	snprintf(c.gemeente, sizeof(c.gemeente), "%s", v->gemeente);
	if (compare_eval(ind, &c, 1, 1, &o, &res, &err) == -1)
		return -1;
	*ret = res.rows[0];
	compare_result_free(&res);
	return 0;
}

json_t *
view_num(double v)
{
	return isfinite(v) ? json_num(v) : json_null();
}

/* One period value as JSON (doc/api.md "waarden"). revisies < 0: unknown. */
json_t *
view_value(const struct indicator *ind, const struct compare_period *v,
    int revisies)
{
	struct compare_row row;
	json_t *o = json_object();
	char	buf[64], pb[16];

	if (view_public(ind, v, &row) == -1)
		memset(&row, 0, sizeof(row));
	json_put_str(o, "periode", period_format(&v->periode, pb, sizeof(pb)));
	json_put(o, "waarde", view_num(row.waarde));
	json_put(o, "teller", view_num(row.teller));
	json_put(o, "noemer", view_num(row.noemer));
	json_put_str(o, "status", validate_status_name(v->status));
	json_put(o, "revisies", revisies > 0 ? json_integer(revisies) :
	    json_null());
	json_put_int(o, "maanden", v->aanwezig);
	json_put_int(o, "maanden_verwacht", v->verwacht);
	json_put_bool(o, "onvolledig", v->onvolledig);
	/* a stand over a longer period is the one at its last peildatum:
	 * say which one was used (February when March is missing) */
	json_put(o, "peildatum", ind->meting == METING_STAND &&
	    v->aanwezig > 0 ? json_string(period_format(&v->peildatum, pb,
	    sizeof(pb))) : json_null());
	json_put_bool(o, "onderdrukt", row.onderdrukt);
	json_put_str(o, "weergave", row.onderdrukt ? row.weergave :
	    view_display(ind, v->waarde, buf, sizeof(buf)));
	return o;
}

static int
cmp_rank(const void *a, const void *b)
{
	const struct compare_row *x = *(const struct compare_row *const *)a;
	const struct compare_row *y = *(const struct compare_row *const *)b;

	if ((x->rang == 0) != (y->rang == 0))
		return x->rang == 0 ? 1 : -1;
	if (x->rang != y->rang)
		return x->rang < y->rang ? -1 : 1;
	return strcmp(x->gemeente, y->gemeente);
}

/* Rows in rank order (unranked last); caller frees the array. */
const struct compare_row **
view_ranked(const struct compare_result *res)
{
	const struct compare_row **r = malloc((res->nrows + 1) * sizeof(*r));

	for (size_t i = 0; r && i < res->nrows; i++)
		r[i] = &res->rows[i];
	if (r != NULL)
		qsort(r, res->nrows, sizeof(*r), cmp_rank);
	return r;
}

json_t *
view_aggregate(const struct indicator *ind, const struct compare_result *r)
{
	json_t *o = json_object();
	char	buf[64];

	json_put(o, "waarde", r->aggregaat_onderdrukt ? json_null() :
	    view_num(r->waarde));
	json_put(o, "teller", r->aggregaat_onderdrukt ? json_null() :
	    view_num(r->teller));
	json_put(o, "noemer", r->aggregaat_onderdrukt ? json_null() :
	    view_num(r->noemer));
	/* n: the gemeenten the figure is over (published cells only);
	 * geleverd: those that delivered, suppressed ones included */
	json_put_int(o, "n", (long long)r->n);
	json_put_int(o, "geleverd", (long long)r->geleverd);
	json_put_int(o, "N", (long long)r->N);
	json_put_bool(o, "onvolledig", r->onvolledig);
	/* the least certain status among the members, and whether a member
	 * misses months (issue 11: group figures carry a status) */
	json_put_str(o, "status", r->n ? validate_status_name(r->status) :
	    "niet geleverd");
	json_put_bool(o, "onvolledige_perioden", r->onvolledig_perioden);
	json_put_str(o, "weergave", r->aggregaat_onderdrukt ? "x" :
	    view_display(ind, r->waarde, buf, sizeof(buf)));
	return o;
}

json_t *
view_row(const struct reg *reg, const struct compare_row *r)
{
	const struct gemeente *g = register_find(reg, r->gemeente);
	json_t *o = json_object();
	char	pb[16];

	json_put_str(o, "code", r->gemeente);
	json_put_str(o, "naam", g ? g->naam : "");
	json_put(o, "waarde", view_num(r->waarde));
	json_put(o, "teller", view_num(r->teller));
	json_put(o, "noemer", view_num(r->noemer));
	json_put(o, "rang", r->rang ? json_integer(r->rang) : json_null());
	json_put(o, "afstand_mediaan", view_num(r->afstand_mediaan));
	json_put_bool(o, "geleverd", r->geleverd);
	json_put_str(o, "status", r->geleverd ?
	    validate_status_name(r->status) : "niet geleverd");
	json_put_bool(o, "onvolledig", r->onvolledig);
	json_put(o, "peildatum", r->geleverd && r->peildatum.year > 0 ?
	    json_string(period_format(&r->peildatum, pb, sizeof(pb))) :
	    json_null());
	json_put_bool(o, "onderdrukt", r->onderdrukt);
	json_put_str(o, "weergave", r->weergave);
	return o;
}

static json_t *
bedrag_json(const struct benchmark_bedrag *b)
{
	json_t *o = json_object();

	json_put_num(o, "euro", b->euro);
	json_put_str(o, "grondslag", b->grondslag == BENCHMARK_BRUTO ?
	    "bruto" : "netto");
	json_put_int(o, "horizon_jaren", b->horizon_jaren);
	json_put_str(o, "label", b->label);
	return o;
}

/* The benchmark in plain Dutch: unit words right (uitkeringen), the
 * column named, a shortfall called a shortfall (domain §4). */
static void
benchmark_text(const struct gemeente *g, int jaar, const char *methode,
    const struct benchmark_result *r, int maanden, char *buf, size_t size)
{
	char	a[32], b[32], c[32], d[32], e[32], f[32], h[32], m[80] = "";

	if (maanden < 12)
		snprintf(m, sizeof(m), " (geschat: %d maanden omgerekend naar "
		    "een jaar)", maanden);
	snprintf(buf, size, "In %d eindigden in %s %s uitkeringen door werk, "
	    "opleiding of een eigen bedrijf%s (deeltijdwerk telt voor de "
	    "helft), uit een bestand van %s uitkeringen aan het begin van het "
	    "jaar: %s%%. Als alles was gegaan zoals gewoonlijk (%s per "
	    "uitkeringsduur, %s%% tot %s%%, methode %s) waren dat er %s "
	    "geweest: %s %s. Elke extra uitstromer beperkt de schadelast over "
	    "%d jaar, inclusief de kans op terugval.", jaar, g->naam,
	    compare_format(r->gerealiseerd, 1, a, sizeof(a)), m,
	    compare_format(r->bestand, 0, b, sizeof(b)),
	    compare_format(r->uitstroom_pct, 1, e, sizeof(e)),
	    benchmark_kolom_tekst(r->kolom),
	    compare_format(r->verwacht_pct_laag, 1, f, sizeof(f)),
	    compare_format(r->verwacht_pct_hoog, 1, h, sizeof(h)), methode,
	    compare_format(r->verwacht, 1, c, sizeof(c)),
	    compare_format(fabs(r->extra), 1, d, sizeof(d)),
	    r->extra >= 0 ? "meer dan verwacht" : "minder dan verwacht",
	    r->maatschappelijk.horizon_jaren);
}

json_t *
view_benchmark(const struct gemeente *g, int jaar, const char *methode,
    const struct benchmark_result *r, int maanden)
{
	json_t *o = json_object(), *kl = json_array(), *s = json_object();
	json_t *rng = json_object();
	char	tekst[1024];

	json_put(o, "gemeente", view_gemeente_brief(g));
	json_put_int(o, "jaar", jaar);
	json_put_str(o, "methode", methode);
	json_put_str(o, "kolom", benchmark_kolom_name(r->kolom));
	json_put_str(o, "kolom_tekst", benchmark_kolom_tekst(r->kolom));
	json_put_str(o, "eenheid", "uitkering");
	json_put_str(o, "baseline_versie", r->versie);
	json_put_num(o, "bestand", r->bestand);
	json_put_num(o, "gerealiseerd", r->gerealiseerd);
	json_put_num(o, "uitstroom_pct", r->uitstroom_pct);
	json_put_num(o, "verwacht", r->verwacht);
	json_put_num(o, "verwacht_pct", r->verwacht_pct);
	json_put_num(rng, "laag", r->verwacht_pct_laag);
	json_put_num(rng, "hoog", r->verwacht_pct_hoog);
	json_put(o, "verwacht_pct_bereik", rng);
	for (int k = 0; k < BENCHMARK_NKLASSEN; k++)
		json_push(kl, view_num(r->verwacht_klasse[k]));
	json_put(o, "verwacht_per_duurklasse", kl);
	json_put_num(o, "extra", r->extra);
	json_put_str(o, "extra_tekst", r->extra >= 0 ? "meer dan verwacht" :
	    "minder dan verwacht");
	json_put_num(o, "per_uitstromer", r->per_uitstromer);
	json_put_num(s, "bruto", r->maatschappelijk.euro);
	json_put_num(s, "gemeentelijk", r->gemeentelijk.euro);
	json_put_bool(s, "incl_terugval", 1);
	json_put(o, "schadelastbeperking", s);
	json_put(o, "maatschappelijk", bedrag_json(&r->maatschappelijk));
	json_put(o, "gemeentelijk", bedrag_json(&r->gemeentelijk));
	json_put(o, "eerste_jaar", bedrag_json(&r->eerste_jaar));
	json_put(o, "netto", bedrag_json(&r->netto));
	json_put_int(o, "maanden", maanden);
	json_put_str(o, "status", maanden < 12 ? "geschat" : "gemeten");
	json_put_bool(o, "onvolledig", maanden < 12);
	benchmark_text(g, jaar, methode, r, maanden, tekst, sizeof(tekst));
	json_put_str(o, "toelichting", tekst);
	return o;
}

json_t *
view_unassigned(const struct compare_unassigned *un, size_t n)
{
	json_t *o = json_object(), *arr = json_array();
	char	pb[16];

	for (size_t i = 0; i < n; i++) {
		json_t *u = json_object();

		json_put_str(u, "gemeente", un[i].gemeente);
		json_put_str(u, "periode", period_format(&un[i].periode, pb,
		    sizeof(pb)));
		json_put_str(u, "reden", un[i].reden);
		json_push(arr, u);
	}
	json_put_str(o, "uitleg", "waarden van gemeenten die in deze "
	    "gemeente zijn opgegaan, opgeteld volgens de rekenregels van de "
	    "indicator");
	json_put(o, "niet_toegewezen", arr);
	return o;
}
