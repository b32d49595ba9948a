/* src/analysis/benchmark.h — the business-as-usual benchmark for uitstroom
 * (domain §4): realised gewogen uitstroom against what a bestand of this
 * duration mix would have produced anyway, and what the extra uitstroom is
 * worth. Pure: no I/O, no logging, thread-safe. The baseline table is data
 * (indicators/uitstroom-baseline.ini, loaded by input/baseline into the
 * snapshot), never constants in code. */
#ifndef BENCHMARK_H
#define BENCHMARK_H

#include "base/err.h"
#include "input/baseline.h"

/* The duurklassen of the baseline table (uitkeringsduur 1 … 7 jaar). */
#define BENCHMARK_NKLASSEN BASELINE_NKLASSEN

enum benchmark_methode { BENCHMARK_LAAG, BENCHMARK_MIDDEN, BENCHMARK_HOOG };
enum benchmark_kolom {
	BENCHMARK_ALLE,			/* uitstroomkans, all reasons */
	BENCHMARK_WERK_OPLEIDING	/* the werk + opleiding share */
};

/* Realised uitstroom in one year and the bestand it came from. */
struct benchmark_input {
	double	bestand[BENCHMARK_NKLASSEN];	/* uitkeringen per duurklasse */
	double	werk, opleiding, ondernemer;	/* ends of uitkering, per reason */
	double	deeltijd;			/* part-time work, counts half */
};

struct benchmark_params {
	enum benchmark_methode methode;
	enum benchmark_kolom kolom;
	int	terugval;		/* 1: schadelast incl. terugval */
	double	bedrag_per_uitstromer;	/* > 0 overrides the table (e.g. 35000) */
	double	gemeentelijk_aandeel;	/* of the maatschappelijke besparing (2/3) */
	double	toerekening;		/* share attributed to the aanpak (0.5, 1) */
	double	eerste_jaar_fractie;	/* part of the saving in year one (1/5) */
	double	overige_besparing;	/* bruto € over the same horizon, e.g. 75000 */
	double	kosten;			/* € of the aanpak, for the netto figure */
};

enum benchmark_grondslag { BENCHMARK_BRUTO, BENCHMARK_NETTO };

/* A euro figure never travels without what it is. */
struct benchmark_bedrag {
	double	euro;
	enum benchmark_grondslag grondslag;
	int	horizon_jaren;
	char	label[128];	/* Dutch, e.g. "maatschappelijke besparing, bruto, over 7 jaar" */
};

struct benchmark_result {
	double	gerealiseerd;		/* werk + opleiding + ondernemer + 0,5 × deeltijd */
	double	bestand;		/* Σ bestand */
	double	uitstroom_pct;		/* gerealiseerd / bestand × 100 */
	double	verwacht;		/* Σ bestand_k × rate_k */
	double	verwacht_klasse[BENCHMARK_NKLASSEN];
	double	verwacht_pct;		/* verwacht / bestand × 100 */
	double	extra;			/* gerealiseerd − verwacht (may be < 0) */
	double	per_uitstromer;		/* € used: override or bestand-weighted table */
	struct benchmark_bedrag maatschappelijk;	/* bruto */
	struct benchmark_bedrag gemeentelijk;		/* bruto */
	struct benchmark_bedrag eerste_jaar;		/* bruto, fractie × maatschappelijk */
	struct benchmark_bedrag netto;	/* maatschappelijk + overige − kosten */
	char	versie[32];		/* baseline version used */
	enum benchmark_kolom kolom;	/* column used */
	double	verwacht_pct_laag, verwacht_pct_hoog;	/* the column's range */
};

/* Default parameters: laag, the werk + opleiding column (the realised
 * figure counts only werk, opleiding and ondernemerschap, domain §4),
 * incl. terugval, gemeentelijk 2/3, toerekening 1, eerste jaar 1/5. */
void	benchmark_params_default(struct benchmark_params *p);

/* The € per uitstromer of klasse k the weighted table uses (the override
 * when set). */
double	benchmark_schadelast(const struct baseline *b, int k,
	    const struct benchmark_params *p);
/* The uitstroom rate of klasse k (0-based) for a method and column. */
double	benchmark_rate(const struct baseline *b, int k,
	    enum benchmark_methode m, enum benchmark_kolom kolom);

/* Evaluate. Returns 0, or -1 with err set (negative figures, empty
 * bestand, parameters out of range). */
int	benchmark_eval(const struct baseline *b,
	    const struct benchmark_input *in, const struct benchmark_params *p,
	    struct benchmark_result *ret, struct err *err);

/* "werk_opleiding", "alle" <-> kolom; parse returns 0/-1. The Dutch
 * description of a column ("uitstroomkans door werk of opleiding"). */
const char *benchmark_kolom_name(enum benchmark_kolom k);
const char *benchmark_kolom_tekst(enum benchmark_kolom k);
int	benchmark_kolom_parse(const char *s, enum benchmark_kolom *ret);

/* "laag", "midden", "hoog" <-> methode; parse returns 0/-1. */
const char *benchmark_methode_name(enum benchmark_methode m);
int	benchmark_methode_parse(const char *s, enum benchmark_methode *ret);

#endif /* BENCHMARK_H */
