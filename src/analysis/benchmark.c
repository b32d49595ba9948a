/* src/analysis/benchmark.c — the uitstroom benchmark (domain §4), after compare in
 * the flow: the API asks it what a gemeente's uitstroom is worth against
 * business as usual. The baseline table is read from a versioned ini file
 * (libinih); everything else is arithmetic over the caller's figures. */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/benchmark.h"
#include "base/num.h"

static const char *const methode_names[] = { "laag", "midden", "hoog" };

/* ---- loading the baseline table ---- */

/* Keys of [duur-N]: offsets into struct benchmark_klasse; is_rate keys are
 * fractions in [0, 1], the others euro amounts >= 0. */
static const struct {
	const char *key;
	size_t	off;
	int	is_rate;
} klasse_keys[] = {
	{ "alle_laag", offsetof(struct benchmark_klasse, alle_laag), 1 },
	{ "alle_hoog", offsetof(struct benchmark_klasse, alle_hoog), 1 },
	{ "werk_opleiding_laag", offsetof(struct benchmark_klasse, wo_laag), 1 },
	{ "werk_opleiding_hoog", offsetof(struct benchmark_klasse, wo_hoog), 1 },
	{ "schadelast", offsetof(struct benchmark_klasse, schadelast), 0 },
	{ "schadelast_terugval",
	    offsetof(struct benchmark_klasse, schadelast_terugval), 0 },
};
#define NKKEYS (sizeof(klasse_keys) / sizeof(klasse_keys[0]))

enum { K_VERSIE, K_BRON, K_HORIZON, K_UITKERING, K_UITVOERING, NBKEYS };
static const char *const baseline_keys[NBKEYS] = { "versie", "bron",
	"horizon_jaren", "uitkering_per_jaar", "uitvoeringskosten_per_jaar" };

struct bl_state {
	struct benchmark_baseline *b;
	unsigned seen_base;			/* bit per baseline key */
	unsigned seen[BENCHMARK_NKLASSEN];	/* bit per klasse key */
	char	msg[256];
};

static int
parse_number(const char *v, double lo, double hi, double *ret, char *msg,
    size_t msize)
{
	struct err err = { "" };

	if (num_double(v, lo, hi, ret, &err) == 0)
		return 0;
	/* A value long enough to cut the message is still named by it. */
	if (snprintf(msg, msize, "%s", err.msg) >= (int)msize)
		msg[msize - 1] = '\0';
	return -1;
}

static int
set_text(char *dst, size_t size, const char *v, char *msg, size_t msize)
{
	if ((size_t)snprintf(dst, size, "%s", v) >= size) {
		snprintf(msg, msize, "waarde is te lang (maximaal %zu tekens)",
		    size - 1);
		return -1;
	}
	return 0;
}

static int
on_baseline(struct bl_state *st, const char *key, const char *v)
{
	struct benchmark_baseline *b = st->b;
	double	x;
	int	i;

	for (i = 0; i < NBKEYS && strcmp(key, baseline_keys[i]) != 0; i++)
		;
	if (i == NBKEYS) {
		snprintf(st->msg, sizeof(st->msg), "onbekend veld '%s'", key);
		return -1;
	}
	st->seen_base |= 1u << i;
	if (i == K_VERSIE)
		return set_text(b->versie, sizeof(b->versie), v, st->msg,
		    sizeof(st->msg));
	if (i == K_BRON)
		return set_text(b->bron, sizeof(b->bron), v, st->msg,
		    sizeof(st->msg));
	if (parse_number(v, i == K_HORIZON ? 1 : 0, i == K_HORIZON ? 50 : 1e7,
	    &x, st->msg, sizeof(st->msg)) == -1)
		return -1;
	if (i == K_HORIZON)
		b->horizon_jaren = (int)x;
	else if (i == K_UITKERING)
		b->uitkering_per_jaar = x;
	else
		b->uitvoeringskosten_per_jaar = x;
	return 0;
}

static int
on_klasse(struct bl_state *st, int k, const char *key, const char *v)
{
	double	x;

	for (size_t i = 0; i < NKKEYS; i++) {
		if (strcmp(key, klasse_keys[i].key) != 0)
			continue;
		if (parse_number(v, 0, klasse_keys[i].is_rate ? 1 : 1e7, &x,
		    st->msg, sizeof(st->msg)) == -1)
			return -1;
		*(double *)(void *)((char *)&st->b->klasse[k] +
		    klasse_keys[i].off) = x;
		st->seen[k] |= 1u << i;
		return 0;
	}
	snprintf(st->msg, sizeof(st->msg), "onbekend veld '%s'", key);
	return -1;
}

/* libinih handler: returns 0 to make ini_parse report this line. */
static int
on_key(void *user, const char *section, const char *key, const char *value)
{
	struct bl_state *st = user;
	int	k = 0;
	char	tail;

	if (strcmp(section, "baseline") == 0)
		return on_baseline(st, key, value) == 0;
	if (sscanf(section, "duur-%d%c", &k, &tail) == 1 && k >= 1 &&
	    k <= BENCHMARK_NKLASSEN)
		return on_klasse(st, k - 1, key, value) == 0;
	snprintf(st->msg, sizeof(st->msg), "onbekende sectie [%s] (verwacht "
	    "[baseline] of [duur-1] … [duur-%d])", section,
	    BENCHMARK_NKLASSEN);
	return 0;
}

/* Checks after the whole file was read: every field, laag <= hoog. */
static int
check_baseline(const struct bl_state *st, const char *path, struct err *err)
{
	for (int i = 0; i < NBKEYS; i++)
		if (!(st->seen_base & (1u << i)))
			return err_set(err, "%s:0: [baseline] mist veld '%s'",
			    path, baseline_keys[i]);
	for (int k = 0; k < BENCHMARK_NKLASSEN; k++) {
		const struct benchmark_klasse *c = &st->b->klasse[k];
		for (size_t i = 0; i < NKKEYS; i++)
			if (!(st->seen[k] & (1u << i)))
				return err_set(err, "%s:0: [duur-%d] mist veld "
				    "'%s'", path, k + 1, klasse_keys[i].key);
		if (c->alle_laag > c->alle_hoog || c->wo_laag > c->wo_hoog)
			return err_set(err, "%s:0: [duur-%d]: laag is groter "
			    "dan hoog", path, k + 1);
	}
	return 0;
}

int
benchmark_baseline_load(const char *path, struct benchmark_baseline *ret,
    struct err *err)
{
	struct bl_state st = { .b = ret };
	int	rc;

	memset(ret, 0, sizeof(*ret));
	rc = ini_parse(path, on_key, &st);
	if (rc == -1)
		return err_set(err, "%s:0: kan het bestand niet openen: %s",
		    path, strerror(errno));
	if (rc == -2)
		return err_set(err, "%s:0: onvoldoende geheugen", path);
	if (rc > 0)
		return err_set(err, "%s:%d: %s", path, rc, st.msg[0] ? st.msg :
		    "syntaxfout (verwacht sleutel = waarde)");
	return check_baseline(&st, path, err);
}

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

void
benchmark_params_default(struct benchmark_params *p)
{
	memset(p, 0, sizeof(*p));
	p->methode = BENCHMARK_LAAG;
	p->kolom = BENCHMARK_ALLE;
	p->terugval = 1;
	p->gemeentelijk_aandeel = 2.0 / 3.0;
	p->toerekening = 1;
	p->eerste_jaar_fractie = 0.2;
}

double
benchmark_rate(const struct benchmark_baseline *b, int k,
    enum benchmark_methode m, enum benchmark_kolom kolom)
{
	const struct benchmark_klasse *c = &b->klasse[k];
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

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (!(f[i] >= 0))
			return err_setk(err, ERR_REJECTED,
			    "uitstroom moet 0 of meer zijn");
	for (int k = 0; k < BENCHMARK_NKLASSEN; k++)
		if (!(in->bestand[k] >= 0))
			return err_setk(err, ERR_REJECTED,
			    "bestand in duurklasse %d moet 0 of "
			    "meer zijn", k + 1);
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

/* € per uitstromer: the override, or the table weighted by the bestand
 * per duurklasse (the extra uitstroom cannot be assigned to a klasse). */
static double
per_uitstromer(const struct benchmark_baseline *b,
    const struct benchmark_input *in, const struct benchmark_params *p,
    double bestand)
{
	double	s = 0;

	if (p->bedrag_per_uitstromer > 0)
		return p->bedrag_per_uitstromer;
	for (int k = 0; k < BENCHMARK_NKLASSEN; k++)
		s += in->bestand[k] * (p->terugval ?
		    b->klasse[k].schadelast_terugval : b->klasse[k].schadelast);
	return s / bestand;
}

int
benchmark_eval(const struct benchmark_baseline *b,
    const struct benchmark_input *in, const struct benchmark_params *p,
    struct benchmark_result *ret, struct err *err)
{
	double	maatsch;
	int	h = b->horizon_jaren;

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
	maatsch = ret->extra * ret->per_uitstromer * p->toerekening;
	bedrag(&ret->maatschappelijk, maatsch, BENCHMARK_BRUTO, h,
	    "maatschappelijke besparing");
	bedrag(&ret->gemeentelijk, maatsch * p->gemeentelijk_aandeel,
	    BENCHMARK_BRUTO, h, "gemeentelijke besparing");
	bedrag(&ret->eerste_jaar, maatsch * p->eerste_jaar_fractie,
	    BENCHMARK_BRUTO, 1, "maatschappelijke besparing in het eerste jaar");
	bedrag(&ret->netto, maatsch + p->overige_besparing - p->kosten,
	    BENCHMARK_NETTO, h, "maatschappelijke besparing min kosten");
	snprintf(ret->versie, sizeof(ret->versie), "%s", b->versie);
	return 0;
}
