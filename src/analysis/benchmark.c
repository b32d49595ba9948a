/* src/analysis/benchmark.c — the uitstroom benchmark (domain §4), after compare in
 * the flow: the API asks it what a gemeente's uitstroom is worth against
 * business as usual. The baseline table comes from the snapshot
 * (input/baseline); everything here is arithmetic over the caller's figures. */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/benchmark.h"

static const char *const methode_names[] = { "laag", "midden", "hoog" };
static const struct {
	const char *name, *tekst;
} kolommen[] = {
	[BENCHMARK_ALLE] = { "alle", "uitstroomkans om alle redenen" },
	[BENCHMARK_WERK_OPLEIDING] = { "werk_opleiding",
	    "uitstroomkans door werk of opleiding" },
};

/* ---- evaluation ---- */

const char *
benchmark_methode_name(enum benchmark_methode m)
{
	return methode_names[m];
}

int
benchmark_methode_parse(const char *s, enum benchmark_methode *ret)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, methode_names[i]) == 0) {
			*ret = (enum benchmark_methode)i;
			return 0;
		}
	return -1;
}

const char *
benchmark_kolom_name(enum benchmark_kolom k)
{
	return kolommen[k].name;
}

const char *
benchmark_kolom_tekst(enum benchmark_kolom k)
{
	return kolommen[k].tekst;
}

int
benchmark_kolom_parse(const char *s, enum benchmark_kolom *ret)
{
	for (size_t i = 0; i < sizeof(kolommen) / sizeof(*kolommen); i++)
		if (strcmp(s, kolommen[i].name) == 0) {
			*ret = (enum benchmark_kolom)i;
			return 0;
		}
	return -1;
}

void
benchmark_params_default(struct benchmark_params *p)
{
	memset(p, 0, sizeof(*p));
	p->methode = BENCHMARK_LAAG;
	/* the realised figure counts werk, opleiding and ondernemerschap
	 * only: the all-reasons column would flip the sign (domain §4) */
	p->kolom = BENCHMARK_WERK_OPLEIDING;
	p->terugval = 1;
	p->gemeentelijk_aandeel = 2.0 / 3.0;
	p->toerekening = 1;
	p->eerste_jaar_fractie = 0.2;
}

double
benchmark_rate(const struct baseline *b, int k,
    enum benchmark_methode m, enum benchmark_kolom kolom)
{
	const struct baseline_klasse *c = &b->klasse[k];
	double	lo = kolom == BENCHMARK_ALLE ? c->alle_laag : c->wo_laag;
	double	hi = kolom == BENCHMARK_ALLE ? c->alle_hoog : c->wo_hoog;

	if (m == BENCHMARK_LAAG)
		return lo;
	if (m == BENCHMARK_HOOG)
		return hi;
	return (lo + hi) / 2;
}

static int
check_input(const struct benchmark_input *in, const struct benchmark_params *p,
    struct err *err)
{
	double	f[] = { in->werk, in->opleiding, in->ondernemer, in->deeltijd };
	static const char *const fn[] = { "werk", "opleiding", "ondernemer",
		"deeltijd" };

	/* a missing figure is named as missing, not as a negative one */
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (isnan(f[i]))
			return err_setk(err, ERR_REJECTED, "uitstroom naar %s "
			    "ontbreekt", fn[i]);
		else if (f[i] < 0)
			return err_setk(err, ERR_REJECTED, "uitstroom naar %s "
			    "moet 0 of meer zijn", fn[i]);
	for (int k = 0; k < BENCHMARK_NKLASSEN; k++)
		if (isnan(in->bestand[k]))
			return err_setk(err, ERR_REJECTED, "bestand in "
			    "duurklasse %d ontbreekt", k + 1);
		else if (in->bestand[k] < 0)
			return err_setk(err, ERR_REJECTED, "bestand in "
			    "duurklasse %d moet 0 of meer zijn", k + 1);
	if (!(p->gemeentelijk_aandeel >= 0 && p->gemeentelijk_aandeel <= 1) ||
	    !(p->toerekening >= 0 && p->toerekening <= 1) ||
	    !(p->eerste_jaar_fractie >= 0 && p->eerste_jaar_fractie <= 1))
		return err_setk(err, ERR_REJECTED,
		    "aandeel, toerekening en eerste-jaarfractie "
		    "liggen tussen 0 en 1");
	if (!(p->bedrag_per_uitstromer >= 0) || !(p->kosten >= 0) ||
	    !(p->overige_besparing >= 0))
		return err_setk(err, ERR_REJECTED,
		    "bedragen moeten 0 of meer zijn");
	return 0;
}

static void
bedrag(struct benchmark_bedrag *b, double euro, enum benchmark_grondslag g,
    int horizon, const char *wat)
{
	b->euro = euro;
	b->grondslag = g;
	b->horizon_jaren = horizon;
	snprintf(b->label, sizeof(b->label), "%s, %s, over %d jaar", wat,
	    g == BENCHMARK_BRUTO ? "bruto" : "netto", horizon);
}

double
benchmark_schadelast(const struct baseline *b, int k,
    const struct benchmark_params *p)
{
	if (p->bedrag_per_uitstromer > 0)
		return p->bedrag_per_uitstromer;
	return p->terugval ? b->klasse[k].schadelast_terugval :
	    b->klasse[k].schadelast;
}

/* € per uitstromer: the override, or the table weighted by the bestand
 * per duurklasse (the extra uitstroom cannot be assigned to a klasse). */
static double
per_uitstromer(const struct baseline *b,
    const struct benchmark_input *in, const struct benchmark_params *p,
    double bestand)
{
	double	s = 0;

	if (p->bedrag_per_uitstromer > 0)
		return p->bedrag_per_uitstromer;
	for (int k = 0; k < BENCHMARK_NKLASSEN; k++)
		s += in->bestand[k] * benchmark_schadelast(b, k, p);
	return s / bestand;
}

/* The expected rate's range in the column (methode laag and hoog), for
 * "15% against 5–10%". */
static void
range_pct(const struct baseline *b, const struct benchmark_input *in,
    enum benchmark_kolom kolom, struct benchmark_result *r)
{
	double	lo = 0, hi = 0;

	for (int k = 0; k < BENCHMARK_NKLASSEN; k++) {
		lo += in->bestand[k] * benchmark_rate(b, k, BENCHMARK_LAAG, kolom);
		hi += in->bestand[k] * benchmark_rate(b, k, BENCHMARK_HOOG, kolom);
	}
	r->verwacht_pct_laag = lo / r->bestand * 100;
	r->verwacht_pct_hoog = hi / r->bestand * 100;
}

int
benchmark_eval(const struct baseline *b,
    const struct benchmark_input *in, const struct benchmark_params *p,
    struct benchmark_result *ret, struct err *err)
{
	double	maatsch;
	int	h = b->horizon_jaren, neg;

	memset(ret, 0, sizeof(*ret));
	if (check_input(in, p, err) == -1)
		return -1;
	for (int k = 0; k < BENCHMARK_NKLASSEN; k++) {
		ret->bestand += in->bestand[k];
		ret->verwacht_klasse[k] = in->bestand[k] *
		    benchmark_rate(b, k, p->methode, p->kolom);
		ret->verwacht += ret->verwacht_klasse[k];
	}
	if (ret->bestand <= 0)
		return err_setk(err, ERR_REJECTED,
		    "het bestand is leeg: geen benchmark");
	/* deeltijd keeps a supplementary uitkering: it counts half */
	ret->gerealiseerd = in->werk + in->opleiding + in->ondernemer +
	    0.5 * in->deeltijd;
	ret->uitstroom_pct = ret->gerealiseerd / ret->bestand * 100;
	ret->verwacht_pct = ret->verwacht / ret->bestand * 100;
	ret->extra = ret->gerealiseerd - ret->verwacht;
	ret->per_uitstromer = per_uitstromer(b, in, p, ret->bestand);
	range_pct(b, in, p->kolom, ret);
	maatsch = ret->extra * ret->per_uitstromer * p->toerekening;
	/* less uitstroom than expected is no saving: name it as such */
	neg = ret->extra < 0;
	bedrag(&ret->maatschappelijk, maatsch, BENCHMARK_BRUTO, h, neg ?
	    "minder dan verwacht: gemiste maatschappelijke besparing" :
	    "maatschappelijke besparing");
	bedrag(&ret->gemeentelijk, maatsch * p->gemeentelijk_aandeel,
	    BENCHMARK_BRUTO, h, neg ? "minder dan verwacht: gemiste "
	    "gemeentelijke besparing" : "gemeentelijke besparing");
	bedrag(&ret->eerste_jaar, maatsch * p->eerste_jaar_fractie,
	    BENCHMARK_BRUTO, 1, neg ? "minder dan verwacht: gemiste besparing "
	    "in het eerste jaar" : "maatschappelijke besparing in het eerste "
	    "jaar");
	bedrag(&ret->netto, maatsch + p->overige_besparing - p->kosten,
	    BENCHMARK_NETTO, h, "maatschappelijke besparing min kosten");
	snprintf(ret->versie, sizeof(ret->versie), "%s", b->versie);
	ret->kolom = p->kolom;
	return 0;
}
