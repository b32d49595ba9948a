/* src/tools/demo.c — synthetic demo feeds. A small stock-and-flow model per
 * gemeente (src: domain §11 magnitudes) fills monthly series; a table maps
 * each known indicator onto sums of those series, so the catalogue decides
 * which rows exist and the model only decides the numbers. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/demo.h"
#include "base/period.h"
#include "base/util.h"
#include "input/validate.h"

#define NDUUR	 7
#define NTREDE	 6
#define NZRM	 13
#define MAXTERMS 6
#define MAXGAPS	 2
#define U_MONTH	 0.0205 /* monthly uitstroom rate: ≈ 24% of the stock a year */

/* ------------------------------------------------------------------ PRNG */

/* splitmix64: tiny, fast, and the same on every platform, unlike rand(). */
struct rng {
	uint64_t s;
};

static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rng_next(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix64(r->s);
}

/* Uniform in (0, 1): never 0, so log() below is safe. */
static double
rng_unit(struct rng *r)
{
	return ((double)(rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

static double
rng_range(struct rng *r, double lo, double hi)
{
	return lo + (hi - lo) * rng_unit(r);
}

static double
rng_normal(struct rng *r)
{
	double	u1 = rng_unit(r), u2 = rng_unit(r);

	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

static long
rng_poisson(struct rng *r, double lambda)
{
	double	limit, p = 1;
	long	k = 0;

	if (!(lambda > 0))
		return 0;
	if (lambda >= 30) {	/* normal approximation: exact enough here */
		double	x = lambda + sqrt(lambda) * rng_normal(r);
		return x < 0 ? 0 : lround(x);
	}
	limit = exp(-lambda);
	while ((p *= rng_unit(r)) > limit)
		k++;
	return k;
}

static long
rng_binom(struct rng *r, long n, double p)
{
	long	k = 0;

	if (n <= 0 || !(p > 0))
		return 0;
	if (p >= 1)
		return n;
	if (n >= 40) {
		double	x = n * p + sqrt(n * p * (1 - p)) * rng_normal(r);
		k = lround(x);
		return k < 0 ? 0 : k > n ? n : k;
	}
	for (long i = 0; i < n; i++)
		k += rng_unit(r) < p;
	return k;
}

static uint64_t
hash_str(const char *s)
{
	return util_fnv1a_str(UTIL_FNV1A_BASIS, s);
}

/* An independent stream per (seed, gemeente, purpose): adding a purpose or
 * an indicator never shifts the numbers of another. */
static struct rng
rng_for(uint64_t seed, const char *code, const char *salt)
{
	struct rng r = { mix64(seed ^ mix64(hash_str(code) ^
	    mix64(hash_str(salt)))) };

	return r;
}

/* Stateless uniform in [0, 1) for a (gemeente, indicator, n) cell. */
static double
hash_unit(uint64_t seed, const char *code, const char *id, long n)
{
	struct rng r = rng_for(seed, code, id);

	r.s ^= mix64((uint64_t)n + 0x632be59bd9b4e019ULL);
	return (double)(rng_next(&r) >> 11) * 0x1.0p-53;
}

/* --------------------------------------------------------------- series */

/* Monthly series of the model. Stand series of half-year measurements
 * (participatie, zrm, samenloop) hold NaN outside June and December. */
enum {
	S_BESTAND, S_INSTROOM, S_WERK, S_OPLEIDING, S_ONDERNEMER, S_DEELTIJD,
	S_OVERIG, S_DUUR,
	S_INWONERS = S_DUUR + NDUUR, S_HUISHOUDENS, S_LASTEN, S_TERUGVAL,
	S_AANGEZEGD, S_VOORKOMEN, S_UITGEVOERD, S_CRISIS, S_CRISIS_STAB,
	S_TREDE,
	S_PL_TWEE = S_TREDE + NTREDE, S_PL_STIJG, S_PL_DAAL,
	S_ZRM_SOM,
	S_ZRM_N = S_ZRM_SOM + NZRM,
	S_ZRM_TWEE = S_ZRM_N + NZRM, S_ZRM_VERB,
	S_SL_PJ, S_SL_PW, S_SL_DRIE, S_SL_WJ,
	NSER
};

struct sim {
	int	y0;		/* first simulated year: van - 2 (warm-up) */
	int	nm;		/* months simulated */
	double *v;		/* NSER × nm */
	double	rate;		/* bijstand per 1.000 inwoners (2024 level) */
};

#define SV(s, ser, m) ((s)->v[(size_t)(ser) * (size_t)(s)->nm + (size_t)(m)])

/* How a component of an indicator is read from the series over a period:
 * the sum of its months (stroom), the value at its last month (stand), or
 * the value just before it (stand at the start, e.g. bestand per 1 jan). */
enum agg { A_NONE, A_SUM, A_LAST, A_PREV };

struct term {
	int	ser;
	double	w;		/* 0 ends the list */
};

struct comp {
	enum agg agg;
	struct term t[MAXTERMS];
};

/* a = waarde (aantal) or teller; b = noemer (A_NONE for aantal). */
struct rule {
	const char *id;
	struct comp a, b;
};

#define ONE(agg, s)	 { agg, { { s, 1 } } }
#define NONE		 { A_NONE, { { 0, 0 } } }
#define ZRM_RULE(lg, i)                                                   \
	{ "zrm_" lg "_gem", ONE(A_LAST, S_ZRM_SOM + (i)),                  \
	    ONE(A_LAST, S_ZRM_N + (i)) }
#define DUUR_RULE(k)	 { "pw_bestand_duur_" #k, ONE(A_LAST, S_DUUR + (k)-1), NONE }
#define TREDE_RULE(k)	 { "pl_trede_" #k, ONE(A_LAST, S_TREDE + (k)-1), NONE }
#define SL_NOEMER	 ONE(A_LAST, S_HUISHOUDENS)
#define ALL_TREDEN(w1, w2, w3, w4, w5, w6)                                \
	{ { S_TREDE, w1 }, { S_TREDE + 1, w2 }, { S_TREDE + 2, w3 },         \
	    { S_TREDE + 3, w4 }, { S_TREDE + 4, w5 }, { S_TREDE + 5, w6 } }

static const struct rule rules[] = {
	{ "pw_bestand", ONE(A_LAST, S_BESTAND), NONE },
	DUUR_RULE(1), DUUR_RULE(2), DUUR_RULE(3), DUUR_RULE(4), DUUR_RULE(5),
	DUUR_RULE(6), DUUR_RULE(7),
	{ "bijstand_per_1000_inwoners", ONE(A_LAST, S_BESTAND),
	    ONE(A_LAST, S_INWONERS) },
	{ "inwoners", ONE(A_LAST, S_INWONERS), NONE },
	{ "huishoudens", ONE(A_LAST, S_HUISHOUDENS), NONE },
	{ "pw_instroom", ONE(A_SUM, S_INSTROOM), NONE },
	{ "pw_uitstroom_totaal", { A_SUM, { { S_WERK, 1 }, { S_OPLEIDING, 1 },
	    { S_ONDERNEMER, 1 }, { S_OVERIG, 1 } } }, NONE },
	{ "pw_uitstroom_werk", ONE(A_SUM, S_WERK), NONE },
	{ "pw_uitstroom_opleiding", ONE(A_SUM, S_OPLEIDING), NONE },
	{ "pw_uitstroom_ondernemer", ONE(A_SUM, S_ONDERNEMER), NONE },
	{ "pw_uitstroom_deeltijd", ONE(A_SUM, S_DEELTIJD), NONE },
	{ "pw_uitstroom_overig", ONE(A_SUM, S_OVERIG), NONE },
	/* domain §4: deeltijd counts half; noemer = bestand at the start */
	{ "pw_uitstroom_resultaat_pct", { A_SUM, { { S_WERK, 1 },
	    { S_OPLEIDING, 1 }, { S_ONDERNEMER, 1 }, { S_DEELTIJD, 0.5 } } },
	    ONE(A_PREV, S_BESTAND) },
	{ "pw_terugval_12m_pct", ONE(A_SUM, S_TERUGVAL), ONE(A_SUM, S_WERK) },
	{ "pw_uitkeringslasten", ONE(A_SUM, S_LASTEN), NONE },
	TREDE_RULE(1), TREDE_RULE(2), TREDE_RULE(3), TREDE_RULE(4),
	TREDE_RULE(5), TREDE_RULE(6),
	{ "pl_gemiddelde_trede", { A_LAST, ALL_TREDEN(1, 2, 3, 4, 5, 6) },
	    { A_LAST, ALL_TREDEN(1, 1, 1, 1, 1, 1) } },
	{ "pl_stijgers_pct", ONE(A_LAST, S_PL_STIJG), ONE(A_LAST, S_PL_TWEE) },
	{ "pl_dalers_pct", ONE(A_LAST, S_PL_DAAL), ONE(A_LAST, S_PL_TWEE) },
	/* domain §5: the clients measured twice who neither rose nor fell */
	{ "pl_gelijk_pct", { A_LAST, { { S_PL_TWEE, 1 }, { S_PL_STIJG, -1 },
	    { S_PL_DAAL, -1 } } }, ONE(A_LAST, S_PL_TWEE) },
	ZRM_RULE("financien", 0), ZRM_RULE("werk_opleiding", 1),
	ZRM_RULE("tijdsbesteding", 2), ZRM_RULE("huisvesting", 3),
	ZRM_RULE("huiselijke_relaties", 4),
	ZRM_RULE("geestelijke_gezondheid", 5),
	ZRM_RULE("lichamelijke_gezondheid", 6),
	ZRM_RULE("middelengebruik", 7), ZRM_RULE("basale_adl", 8),
	ZRM_RULE("instrumentele_adl", 9), ZRM_RULE("sociaal_netwerk", 10),
	ZRM_RULE("maatschappelijke_participatie", 11),
	ZRM_RULE("justitie", 12),
	{ "zrm_verbeterd_pct", ONE(A_LAST, S_ZRM_VERB),
	    ONE(A_LAST, S_ZRM_TWEE) },
	{ "esc_ontruiming_aangezegd", ONE(A_SUM, S_AANGEZEGD), NONE },
	{ "esc_ontruiming_voorkomen", ONE(A_SUM, S_VOORKOMEN), NONE },
	{ "esc_ontruiming_uitgevoerd", ONE(A_SUM, S_UITGEVOERD), NONE },
	{ "esc_ontruiming_voorkomen_pct", ONE(A_SUM, S_VOORKOMEN),
	    ONE(A_SUM, S_AANGEZEGD) },
	{ "esc_crisis_gestabiliseerd_pct", ONE(A_SUM, S_CRISIS_STAB),
	    ONE(A_SUM, S_CRISIS) },
	{ "esc_voorkomen", { A_SUM, { { S_VOORKOMEN, 1 },
	    { S_CRISIS_STAB, 1 } } }, NONE },
	/* cases handled: the ontruimingen on the list and the crises */
	{ "esc_behandeld", { A_SUM, { { S_AANGEZEGD, 1 }, { S_CRISIS, 1 } } },
	    NONE },
	{ "samenloop_per_1000_huishoudens", { A_LAST, { { S_SL_PJ, 1 },
	    { S_SL_PW, 1 }, { S_SL_DRIE, 1 }, { S_SL_WJ, 1 } } }, SL_NOEMER },
	{ "samenloop_pw_jeugd_per_1000", ONE(A_LAST, S_SL_PJ), SL_NOEMER },
	{ "samenloop_pw_wmo_per_1000", ONE(A_LAST, S_SL_PW), SL_NOEMER },
	{ "samenloop_alle_drie_per_1000", ONE(A_LAST, S_SL_DRIE), SL_NOEMER },
};

/* ----------------------------------------------------------- the model */

/* National change of the bijstand stock per year (domain §11: rise to a
 * peak early 2017, ≈ -16% to end 2022, slight rise since). */
static const struct {
	int	year;
	double	g;
} national_growth[] = {
	{ 2014, 0.05 }, { 2015, 0.05 }, { 2016, 0.04 }, { 2017, -0.01 },
	{ 2018, -0.04 }, { 2019, -0.04 }, { 2020, 0.01 }, { 2021, -0.05 },
	{ 2022, -0.04 }, { 2023, -0.01 }, { 2024, 0.01 }, { 2025, 0.01 },
};

/* Bijstand per 1.000 inwoners by log10(inwoners): ≈ 10–20 in small
 * gemeenten, ≈ 40–65 in the largest cities (domain §11). */
static const struct {
	double	lg, rate;
} size_rate[] = {
	{ 3.5, 7.5 }, { 4.0, 9.5 }, { 4.5, 13 }, { 5.0, 19 }, { 5.4, 28 },
	{ 5.8, 43 }, { 6.0, 50 },
};

/* Instroom peaks in January, uitstroom dips in summer; each averages 1. */
static const double season_in[12] = { 1.25, 1.05, 1.0, 0.95, 0.95, 0.95,
	1.0, 1.0, 1.0, 0.95, 0.95, 0.95 };
static const double season_out[12] = { 1.0, 1.05, 1.1, 1.05, 1.05, 1.0,
	0.8, 0.8, 1.05, 1.1, 1.05, 0.95 };

/* Share of the stock in duurklassen 2..7 (1 follows from the instroom). */
static const double duur_profile[NDUUR - 1] = { 0.145, 0.12, 0.10, 0.085,
	0.07, 0.48 };
/* Participatieladder and ZRM: assumptions (no national distribution). */
static const double trede_profile[NTREDE] = { 0.20, 0.24, 0.24, 0.14, 0.10,
	0.08 };
static const double zrm_base[NZRM] = { 2.6, 2.4, 2.9, 3.4, 3.3, 3.0, 3.3,
	3.7, 4.4, 3.9, 3.1, 2.8, 4.2 };
/* Court orders for eviction fell with the evictions (≈ 3 000 in 2018 to
 * 1 200 in 2022, one in four executed): relative level per year. */
static const struct {
	int	year;
	double	f;
} eviction_level[] = {
	{ 2019, 0.9 }, { 2020, 0.6 }, { 2021, 0.5 }, { 2022, 0.42 },
	{ 2023, 0.45 }, { 2024, 0.5 },
};

static double
growth_of(int year)
{
	for (size_t i = 0; i < sizeof(national_growth) /
	     sizeof(*national_growth); i++)
		if (national_growth[i].year == year)
			return national_growth[i].g;
	return 0;
}

static double
eviction_of(int year)
{
	double	f = 1;

	for (size_t i = 0; i < sizeof(eviction_level) /
	     sizeof(*eviction_level); i++)
		if (eviction_level[i].year <= year)
			f = eviction_level[i].f;
	return f;
}

static double
rate_of(long inwoners)
{
	size_t	n = sizeof(size_rate) / sizeof(*size_rate);
	double	lg = log10((double)inwoners);

	if (lg <= size_rate[0].lg)
		return size_rate[0].rate;
	for (size_t i = 1; i < n; i++)
		if (lg <= size_rate[i].lg)
			return size_rate[i - 1].rate +
			    (size_rate[i].rate - size_rate[i - 1].rate) *
			    (lg - size_rate[i - 1].lg) /
			    (size_rate[i].lg - size_rate[i - 1].lg);
	return size_rate[n - 1].rate;
}

/* Split total over n classes by weight; largest remainders get the rest,
 * so the parts always add up exactly. */
static void
split_counts(long total, const double *w, int n, long *ret)
{
	double	sum = 0, frac[NDUUR > NTREDE ? NDUUR : NTREDE];
	long	left = total;

	for (int i = 0; i < n; i++)
		sum += w[i];
	for (int i = 0; i < n; i++) {
		double	x = sum > 0 ? total * w[i] / sum : 0;
		ret[i] = (long)floor(x);
		frac[i] = x - (double)ret[i];
		left -= ret[i];
	}
	for (; left > 0; left--) {
		int	best = 0;
		for (int i = 1; i < n; i++)
			if (frac[i] > frac[best])
				best = i;
		ret[best]++;
		frac[best] = -1;
	}
}

static long
inwoners_of(const struct gemeente *gm)
{
	/* A hand-made register may lack inwoners: model a small gemeente. */
	return gm->inwoners >= 1000 ? gm->inwoners : 1000;
}

static void
sim_context(struct sim *s, const struct gemeente *gm, struct rng *r)
{
	double	growth = rng_range(r, -0.002, 0.012);
	double	hhsize = gm->inwoners >= 250000 ? rng_range(r, 1.75, 1.95) :
	    rng_range(r, 2.05, 2.4);

	for (int m = 0; m < s->nm; m++) {
		int	dy = s->y0 + m / 12 - 2025;
		double	inw = inwoners_of(gm) * pow(1 + growth, dy);
		/* households get smaller, so they grow a little faster */
		SV(s, S_INWONERS, m) = (double)lround(inw);
		SV(s, S_HUISHOUDENS, m) = (double)lround(inw / hhsize *
		    (1 + 0.003 * dy));
	}
}

struct flow_params {
	double	uit, werk, slope, deeltijd, lasten, terugval;
	double	duur[NDUUR - 1];
};

/* Stock at the start of the simulation such that the expected path, the
 * national trend plus this gemeente's own slope, reaches the 2024 level of
 * the size table at the end of 2024. */
static double
start_stock(const struct sim *s, long inw, double slope)
{
	double	b = inw * s->rate / 1000;

	for (int y = s->y0; y <= 2024; y++)
		b /= 1 + growth_of(y) + slope;
	for (int y = 2025; y < s->y0; y++)
		b *= 1 + growth_of(y) + slope;
	return b;
}

static void
sim_duur(struct sim *s, int m, long bestand, const struct flow_params *fp)
{
	double	in12 = 0;
	long	d1, rest[NDUUR - 1];
	int	k = m < 11 ? m + 1 : 12;

	for (int i = m - k + 1; i <= m; i++)
		in12 += SV(s, S_INSTROOM, i);
	/* < 1 jaar: last year's instroom that has not left yet */
	d1 = lround(0.78 * in12 * 12 / k);
	if (d1 > bestand / 2)
		d1 = bestand / 2;
	split_counts(bestand - d1, fp->duur, NDUUR - 1, rest);
	SV(s, S_DUUR, m) = (double)d1;
	for (int i = 0; i < NDUUR - 1; i++)
		SV(s, S_DUUR + 1 + i, m) = (double)rest[i];
}

/* One month of the stock-and-flow model; returns the new bestand. */
static long
sim_month(struct sim *s, int m, long b, const struct flow_params *fp,
    struct rng *r)
{
	int	year = s->y0 + m / 12, mo = m % 12;
	double	growth = (growth_of(year) + fp->slope) / 12;
	long	tot, werk, opl, ond, in;

	tot = rng_poisson(r, b * fp->uit * season_out[mo]);
	if (tot > b)
		tot = b;
	werk = rng_binom(r, tot, fp->werk);
	opl = rng_binom(r, tot - werk, 0.05 / (1 - fp->werk));
	ond = rng_binom(r, tot - werk - opl, 0.025 / (0.95 - fp->werk));
	in = rng_poisson(r, b * (fp->uit + growth) * season_in[mo]);
	SV(s, S_INSTROOM, m) = (double)in;
	SV(s, S_WERK, m) = (double)werk;
	SV(s, S_OPLEIDING, m) = (double)opl;
	SV(s, S_ONDERNEMER, m) = (double)ond;
	SV(s, S_OVERIG, m) = (double)(tot - werk - opl - ond);
	SV(s, S_DEELTIJD, m) = (double)rng_poisson(r, b * fp->deeltijd *
	    season_out[mo]);
	SV(s, S_TERUGVAL, m) = (double)rng_binom(r, werk, fp->terugval);
	b += in - tot;
	SV(s, S_BESTAND, m) = (double)b;
	/* ≈ € 14.000 a year per uitkering, indexed ≈ 2.5% a year */
	SV(s, S_LASTEN, m) = (double)lround(b * 1100 * fp->lasten *
	    pow(1.025, year - 2016) * (1 + 0.01 * rng_normal(r)));
	sim_duur(s, m, b, fp);
	return b;
}

static void
sim_bestand(struct sim *s, const struct gemeente *gm, struct rng *r)
{
	struct flow_params fp;
	long	b;

	fp.uit = U_MONTH * rng_range(r, 0.9, 1.1);
	fp.werk = rng_range(r, 0.36, 0.50);
	fp.slope = rng_range(r, -0.02, 0.02);
	fp.deeltijd = rng_range(r, 0.002, 0.004);
	fp.lasten = rng_range(r, 0.95, 1.08);
	fp.terugval = rng_range(r, 0.18, 0.32);
	for (int i = 0; i < NDUUR - 1; i++)
		fp.duur[i] = duur_profile[i] * exp(0.1 * rng_normal(r));
	s->rate = rate_of(inwoners_of(gm)) * exp(0.22 * rng_normal(r));
	if (s->rate < 4)
		s->rate = 4;
	if (gm->inwoners >= 350000)	/* the G4: 40–65 per 1.000 */
		s->rate = s->rate < 40 ? 40 : s->rate > 65 ? 65 : s->rate;
	b = lround(start_stock(s, inwoners_of(gm), fp.slope));
	for (int m = 0; m < s->nm; m++)
		b = sim_month(s, m, b, &fp, r);
}

static void
sim_escalaties(struct sim *s, struct rng *r)
{
	double	mult = rng_range(r, 0.6, 1.5), stab = rng_range(r, 0.6, 0.85);

	for (int m = 0; m < s->nm; m++) {
		double	per100k = SV(s, S_INWONERS, m) / 100000;
		long	a = rng_poisson(r, per100k * 5.5 * mult *
		    eviction_of(s->y0 + m / 12));
		long	u = rng_binom(r, a, 0.25);
		long	c = rng_poisson(r, per100k * 3 * mult);

		SV(s, S_AANGEZEGD, m) = (double)a;
		SV(s, S_UITGEVOERD, m) = (double)u;
		SV(s, S_VOORKOMEN, m) = (double)rng_binom(r, a - u, 0.93);
		SV(s, S_CRISIS, m) = (double)c;
		SV(s, S_CRISIS_STAB, m) = (double)rng_binom(r, c, stab);
	}
}

static void
sim_participatie(struct sim *s, struct rng *r)
{
	double	w[NTREDE], up = rng_range(r, 0.13, 0.23);
	double	down = rng_range(r, 0.05, 0.11);
	long	n[NTREDE];

	for (int k = 0; k < NTREDE; k++)
		w[k] = trede_profile[k] * exp(0.15 * rng_normal(r));
	for (int m = 0; m < s->nm; m++) {
		long	b = (long)SV(s, S_BESTAND, m), meas, twee, st;

		if (m % 6 != 5)
			continue;
		meas = rng_binom(r, b, 0.55);
		meas = meas < 1 ? 1 : meas;
		for (int k = 0; k < NTREDE; k++)	/* slow improvement */
			w[k] *= 1 + 0.006 * (k - 2.5);
		split_counts(meas, w, NTREDE, n);
		for (int k = 0; k < NTREDE; k++)
			SV(s, S_TREDE + k, m) = (double)n[k];
		twee = rng_binom(r, meas, 0.7);
		twee = twee < 1 ? 1 : twee;
		st = rng_binom(r, twee, up);
		SV(s, S_PL_TWEE, m) = (double)twee;
		SV(s, S_PL_STIJG, m) = (double)st;
		SV(s, S_PL_DAAL, m) = (double)rng_binom(r, twee - st, down);
	}
}

static void
sim_zrm(struct sim *s, struct rng *r)
{
	double	off[NZRM], gm_off = 0.15 * rng_normal(r);
	double	verb = rng_range(r, 0.38, 0.52);

	for (int i = 0; i < NZRM; i++)
		off[i] = gm_off + 0.1 * rng_normal(r);
	for (int m = 5; m < s->nm; m += 6) {
		long	nz = rng_binom(r, (long)SV(s, S_BESTAND, m), 0.25), twee;

		nz = nz < 1 ? 1 : nz;
		for (int i = 0; i < NZRM; i++) {
			long	n = rng_binom(r, nz, 0.9);
			double	mean = zrm_base[i] + off[i] + 0.01 * (m / 6) +
			    0.05 * rng_normal(r);
			n = n < 1 ? 1 : n;
			mean = mean < 1.2 ? 1.2 : mean > 4.8 ? 4.8 : mean;
			SV(s, S_ZRM_SOM + i, m) = (double)lround(mean * n);
			SV(s, S_ZRM_N + i, m) = (double)n;
		}
		twee = rng_binom(r, nz, 0.6);
		twee = twee < 1 ? 1 : twee;
		SV(s, S_ZRM_TWEE, m) = (double)twee;
		SV(s, S_ZRM_VERB, m) = (double)rng_binom(r, twee, verb);
	}
}

/* Households with voorzieningen from several wetten (domain §9: Nederland
 * H2 2017 per 1.000: P-wet + Jeugd 4, P-wet + Wmo 13, alle drie 1); the
 * P-wet combinations follow the gemeente's bijstand level. */
static void
sim_samenloop(struct sim *s, struct rng *r)
{
	double	mult = rng_range(r, 0.8, 1.25), rel = s->rate / 28;

	for (int m = 5; m < s->nm; m += 6) {
		double	hh = SV(s, S_HUISHOUDENS, m) / 1000 * mult;

		SV(s, S_SL_PJ, m) = (double)rng_poisson(r, hh * 4 * rel);
		SV(s, S_SL_PW, m) = (double)rng_poisson(r, hh * 13 * rel);
		SV(s, S_SL_DRIE, m) = (double)rng_poisson(r, hh * 1 * rel);
		SV(s, S_SL_WJ, m) = (double)rng_poisson(r, hh * 9);
	}
}

static const int halfyear_series[] = { S_TREDE, S_TREDE + 1, S_TREDE + 2,
	S_TREDE + 3, S_TREDE + 4, S_TREDE + 5, S_PL_TWEE, S_PL_STIJG,
	S_PL_DAAL, S_ZRM_TWEE, S_ZRM_VERB, S_SL_PJ, S_SL_PW, S_SL_DRIE,
	S_SL_WJ };

static int
sim_build(struct sim *s, const struct gemeente *gm, uint64_t seed, int van,
    int tot)
{
	struct rng r;

	s->y0 = van - 2;
	s->nm = (tot - s->y0 + 1) * 12;
	free(s->v);
	if ((s->v = calloc((size_t)NSER * (size_t)s->nm, sizeof(double))) ==
	    NULL)
		return -1;
	for (int m = 0; m < s->nm; m++) {
		for (size_t i = 0; i < sizeof(halfyear_series) / sizeof(int);
		     i++)
			SV(s, halfyear_series[i], m) = NAN;
		for (int i = 0; i < 2 * NZRM; i++)
			SV(s, S_ZRM_SOM + i, m) = NAN;
	}
	r = rng_for(seed, gm->code, "context");
	sim_context(s, gm, &r);
	r = rng_for(seed, gm->code, "bestand");
	sim_bestand(s, gm, &r);
	r = rng_for(seed, gm->code, "escalaties");
	sim_escalaties(s, &r);
	r = rng_for(seed, gm->code, "participatie");
	sim_participatie(s, &r);
	r = rng_for(seed, gm->code, "zrm");
	sim_zrm(s, &r);
	r = rng_for(seed, gm->code, "samenloop");
	sim_samenloop(s, &r);
	return 0;
}

/* --------------------------------------------------- gaps, corrections */

/* A delivery that is missing from the first round: one groep of the
 * catalogue over a window of months; `late` ones arrive in round two. */
struct gap {
	const char *groep;
	int	m0, m1;
	int	late;
};

static const char *const gap_groepen[] = { "uitstroom", "participatie",
	"zrm", "escalaties", "kosten", "samenloop" };

struct gen {
	const struct catalog *cat;
	uint64_t seed;
	int	van, tot;
	const struct gemeente *gm;
	int	corr;		/* in the correction round */
	struct gap gaps[MAXGAPS];
	int	ngaps;
	struct sim base, rev;
	int	em0;		/* first emitted month (January of van) */
	char   *out;
	size_t	len, cap;
	int	oom;
};

static void
plan_gaps(struct gen *g)
{
	struct rng r = rng_for(g->seed, g->gm->code, "gaps");
	int	n = g->corr ? 2 : rng_unit(&r) < 0.05;
	int	span = g->base.nm - g->em0 - 6;

	g->ngaps = 0;
	for (int i = 0; i < n && span > 0; i++) {
		struct gap *gp = &g->gaps[g->ngaps++];
		gp->groep = gap_groepen[rng_next(&r) % (sizeof(gap_groepen) /
		    sizeof(*gap_groepen))];
		gp->m0 = g->em0 + (int)(rng_next(&r) % (uint64_t)span);
		gp->m1 = gp->m0 + (int)(rng_next(&r) % 6);
		/* a correction gemeente delivers its first gap late; the
		 * second stays missing */
		gp->late = g->corr && i == 0;
	}
}

/* The gap (if any) that hides months [m0, m1] of an indicator's groep. */
static const struct gap *
find_gap(const struct gen *g, const char *groep, int m0, int m1)
{
	for (int i = 0; i < g->ngaps; i++)
		if (strcmp(g->gaps[i].groep, groep) == 0 &&
		    m0 <= g->gaps[i].m1 && g->gaps[i].m0 <= m1)
			return &g->gaps[i];
	return NULL;
}

/* A month at least half a year before the end, for revising. */
static int
pick_month(struct gen *g, struct rng *r, int step)
{
	int	span = (g->rev.nm - 6 - g->em0) / step;

	if (span <= 0)
		return -1;
	return g->em0 + step - 1 + step * (int)(rng_next(r) % (uint64_t)span);
}

/* Revisions that keep every identity of the model: reasons for uitstroom
 * reclassified (overig to werk), spending moved between two months (like
 * the 3,4 mln between 2016 and 2017 in domain §3), a participatieladder
 * and a ZRM registration corrected afterwards. */
static void
revise(struct gen *g)
{
	struct rng r = rng_for(g->seed, g->gm->code, "correcties");
	struct sim *s = &g->rev;
	int	m;

	if ((m = pick_month(g, &r, 1)) >= 0 && SV(s, S_OVERIG, m) >= 1) {
		double	d = ceil(SV(s, S_OVERIG, m) * 0.2);
		SV(s, S_OVERIG, m) -= d;
		SV(s, S_WERK, m) += d;
	}
	if ((m = pick_month(g, &r, 1)) >= 0 && m + 1 < s->nm) {
		double	d = round(SV(s, S_LASTEN, m) * 0.04);
		SV(s, S_LASTEN, m) -= d;
		SV(s, S_LASTEN, m + 1) += d;
	}
	if ((m = pick_month(g, &r, 6)) >= 0) {
		double	room = SV(s, S_PL_TWEE, m) - SV(s, S_PL_DAAL, m) -
		    SV(s, S_PL_STIJG, m);
		SV(s, S_PL_STIJG, m) += room >= 2 ? 2 : room;
	}
	if ((m = pick_month(g, &r, 6)) >= 0) {
		int	i = (int)(rng_next(&r) % NZRM);
		double	n = SV(s, S_ZRM_N + i, m), som = SV(s, S_ZRM_SOM + i, m);
		som += ceil(n * 0.1);
		SV(s, S_ZRM_SOM + i, m) = som > 5 * n ? 5 * n : som;
	}
}

/* ---------------------------------------------------------- evaluation */

struct val {
	int	present;
	double	waarde, teller, noemer;	/* NAN where not used */
};

static double
comp_eval(const struct comp *c, const struct sim *s, int m0, int m1)
{
	double	sum = NAN;

	if (c->agg == A_PREV) {
		m1 = m0 - 1;
		m0 = m1;
	} else if (c->agg == A_LAST)
		m0 = m1;
	if (m0 < 0)
		return NAN;
	for (int m = m0; m <= m1; m++)
		for (int i = 0; i < MAXTERMS && c->t[i].w != 0; i++) {
			double	x = SV(s, c->t[i].ser, m);
			if (!isnan(x))
				sum = (isnan(sum) ? 0 : sum) + c->t[i].w * x;
		}
	return sum;
}

/* The rule for ind, or NULL when unknown or its shape no longer matches
 * the catalogue (then the generic rule takes over). */
static const struct rule *
rule_find(const struct indicator *ind)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(*rules); i++)
		if (strcmp(rules[i].id, ind->id) == 0)
			return (rules[i].b.agg != A_NONE) ==
			    catalog_has_components(ind) ? &rules[i] : NULL;
	return NULL;
}

/* Keep a value inside what the catalogue allows; the model's own rules
 * already do, this protects a catalogue edited later. */
static void
fit_bounds(const struct indicator *ind, struct val *v)
{
	double	lo = ind->has_min ? ind->min : 0;
	double	hi = ind->has_max ? ind->max : INFINITY;

	if (!catalog_has_components(ind)) {
		v->waarde = v->waarde < lo ? ceil(lo) : v->waarde > hi ?
		    floor(hi) : v->waarde;
		return;
	}
	if (!(v->noemer >= 1)) {	/* nothing to divide by: no value */
		v->present = 0;
		return;
	}
	lo = lo * v->noemer / ind->schaal;
	hi = hi * v->noemer / ind->schaal;
	if (ind->soort == SOORT_RATIO && hi > v->noemer)
		hi = v->noemer;
	if (v->teller < lo)
		v->teller = ceil(lo);
	if (v->teller > hi)
		v->teller = floor(hi);
}

/* Unknown indicator: a level per gemeente scaled by its size, noise per
 * period, inside min/max; in the revised model about 2% of the earlier
 * periods move one unit. */
static void
generic_value(const struct gen *g, const struct indicator *ind, int ordinal,
    int revised, struct val *v)
{
	double	base = hash_unit(g->seed, g->gm->code, ind->id, -1);
	double	noise = hash_unit(g->seed, g->gm->code, ind->id, ordinal);
	double	size = ceil(inwoners_of(g->gm) / 1000.0), mix;
	double	lo = ind->has_min ? ind->min : 0, hi;
	int	bump = revised && hash_unit(g->seed, g->gm->code, ind->id,
	    ordinal + 0x40000000L) < 0.02;

	mix = 0.2 + 0.6 * (0.7 * base + 0.3 * noise);
	if (!catalog_has_components(ind)) {
		v->waarde = round(size * (0.5 + base) * (0.8 + 0.4 * noise));
		v->waarde += bump;
		return;
	}
	v->noemer = ceil(size * (1 + base));
	if (ind->soort == SOORT_RATIO) {
		lo = lo / ind->schaal;
		hi = ind->has_max ? ind->max / ind->schaal : 1;
		hi = hi > 1 ? 1 : hi;
	} else
		hi = ind->has_max ? ind->max : lo + 4;
	v->teller = round((lo + (hi - lo) * mix) * v->noemer) + bump;
}

static void
value_of(const struct gen *g, const struct sim *s, const struct indicator *ind,
    const struct rule *ru, const struct period *p, struct val *v)
{
	int	m0 = (p->year - s->y0) * 12 + (p->index - 1) *
	    period_months(p->kind);
	int	m1 = m0 + period_months(p->kind) - 1;

	v->present = 1;
	v->waarde = v->teller = v->noemer = NAN;
	if (ru == NULL)
		generic_value(g, ind, period_ordinal(p),
		    s == &g->rev && m1 < s->nm - 6, v);
	else if (catalog_has_components(ind)) {
		v->teller = comp_eval(&ru->a, s, m0, m1);
		v->noemer = comp_eval(&ru->b, s, m0, m1);
	} else
		v->waarde = comp_eval(&ru->a, s, m0, m1);
	if (catalog_has_components(ind) ? isnan(v->teller) || isnan(v->noemer)
	    : isnan(v->waarde))
		v->present = 0;
	else
		fit_bounds(ind, v);
}

static int
val_equal(const struct val *a, const struct val *b)
{
	if (a->present != b->present)
		return 0;
	if (!a->present)
		return 1;
	return (a->waarde == b->waarde ||
	    (isnan(a->waarde) && isnan(b->waarde))) &&
	    (a->teller == b->teller || (isnan(a->teller) && isnan(b->teller)))
	    && (a->noemer == b->noemer ||
	    (isnan(a->noemer) && isnan(b->noemer)));
}

/* -------------------------------------------------------------- output */

static const char csv_header[] = "gemeente;indicator;periode;waarde;teller;"
				 "noemer;status;toelichting;synthetisch;"
				 "versie\n";

static void
out_printf(struct gen *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
out_printf(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	int	n;

	if (g->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(g->out + g->len, g->cap - g->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			g->oom = 1;
			return;
		}
		if ((size_t)n < g->cap - g->len)
			break;
		size_t	cap = g->cap * 2 + (size_t)n + 4096;
		char   *p = realloc(g->out, cap);
		if (p == NULL) {
			g->oom = 1;
			return;
		}
		g->out = p;
		g->cap = cap;
	}
	g->len += (size_t)n;
}

/* Dutch notation: "1234", "12,5"; NaN as an empty field. */
static const char *
fmt_num(double x, char *buf, size_t size)
{
	if (isnan(x)) {
		buf[0] = '\0';
		return buf;
	}
	x += 0.0;	/* no "-0" */
	if (x == floor(x) && fabs(x) < 1e15)
		snprintf(buf, size, "%.0f", x);
	else {
		size_t	n = (size_t)snprintf(buf, size, "%.2f", x);
		while (n > 0 && buf[n - 1] == '0')
			buf[--n] = '\0';
		char   *dot = strchr(buf, '.');
		if (dot != NULL)
			*dot = ',';
	}
	return buf;
}

static void
emit_row(struct gen *g, const struct indicator *ind, const struct period *p,
    const struct val *v, enum obs_status st, const char *toelichting)
{
	char	per[16], w[32], t[32], n[32];

	/* versie: the ZRM version of ZRM scores, empty for the others */
	out_printf(g, "%s;%s;%s;%s;%s;%s;%s;%s;ja;%s\n", g->gm->code, ind->id,
	    period_format(p, per, sizeof(per)),
	    fmt_num(v->waarde, w, sizeof(w)), fmt_num(v->teller, t, sizeof(t)),
	    fmt_num(v->noemer, n, sizeof(n)), validate_status_name(st),
	    toelichting, ind->zrm_versie);
}

#define TOEL "synthetische demonstratiegegevens"

/* Round 1: skip gaps; the last three months are voorlopig, a few cells
 * geschat. Round 2: late deliveries and values that changed. */
static void
emit_period(struct gen *g, const struct indicator *ind, const struct rule *ru,
    const struct period *p, int round)
{
	int	m0 = (p->year - g->base.y0) * 12 + (p->index - 1) *
	    period_months(p->kind);
	int	m1 = m0 + period_months(p->kind) - 1;
	const struct gap *gap = find_gap(g, ind->groep, m0, m1);
	enum obs_status st = m1 >= g->base.nm - 3 ? STATUS_VOORLOPIG :
	    STATUS_DEFINITIEF;
	struct val v, old;

	if (round == 1) {
		if (gap != NULL)
			return;
		value_of(g, &g->base, ind, ru, p, &v);
		if (st == STATUS_DEFINITIEF && hash_unit(g->seed, g->gm->code,
		    ind->id, period_ordinal(p)) < 0.004)
			st = STATUS_GESCHAT;
		if (v.present)
			emit_row(g, ind, p, &v, st, st == STATUS_GESCHAT ?
			    TOEL ": geschat (geëxtrapoleerd)" : "");
		return;
	}
	if (gap != NULL && !gap->late)
		return;
	value_of(g, &g->rev, ind, ru, p, &v);
	if (!v.present)
		return;
	if (gap != NULL) {
		emit_row(g, ind, p, &v, st, TOEL ": late levering");
		return;
	}
	value_of(g, &g->base, ind, ru, p, &old);
	if (!val_equal(&v, &old))
		emit_row(g, ind, p, &v, st, TOEL ": correctie");
}

/* First year of an indicator: its `sinds` (when it starts with a year) or
 * van, whichever is later. */
static int
first_year(const struct gen *g, const struct indicator *ind)
{
	int	y = atoi(ind->sinds);

	return y > g->van ? y : g->van;
}

static int
emit_feed(struct gen *g, int round, demo_emit emit, void *arg,
    struct err *err)
{
	char	naam[64];

	g->len = 0;
	out_printf(g, "%s", csv_header);
	for (size_t i = 0; i < g->cat->n; i++) {
		const struct indicator *ind = &g->cat->items[i];
		const struct rule *ru = rule_find(ind);
		struct period p = { ind->periode, first_year(g, ind), 1 };

		for (; p.year <= g->tot; p = period_next(&p))
			emit_period(g, ind, ru, &p, round);
	}
	if (g->oom)
		return err_set(err, "demodata: onvoldoende geheugen");
	snprintf(naam, sizeof(naam), "demo-%s%s.csv",
	    round == 1 ? "" : "correcties-", g->gm->code);
	if (emit(arg, naam, g->out, g->len) != 0)
		return err_set(err, "demodata: schrijven van %s afgebroken",
		    naam);
	return 0;
}

/* ----------------------------------------------------------- top level */

struct pick {
	uint64_t key;
	size_t	idx;
};

static int
cmp_pick(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* About 10% of the active gemeenten (at least one) get a correction
 * round; which ones depends on the seed only. */
static unsigned char *
choose_corr(const struct reg *reg, uint64_t seed)
{
	size_t	n = reg->nactief, want = (n + 5) / 10;
	struct pick *pk = calloc(n ? n : 1, sizeof(*pk));
	unsigned char *corr = calloc(n ? n : 1, 1);

	if (pk == NULL || corr == NULL) {
		free(pk);
		free(corr);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		pk[i].key = mix64(seed ^ hash_str(reg->gemeenten[i].code));
		pk[i].idx = i;
	}
	qsort(pk, n, sizeof(*pk), cmp_pick);
	for (size_t i = 0; i < want || (i < n && i < 1); i++)
		corr[pk[i].idx] = 1;
	free(pk);
	return corr;
}

static int
gen_gemeente(struct gen *g, const struct gemeente *gm, int round,
    demo_emit emit, void *arg, struct err *err)
{
	g->gm = gm;
	if (sim_build(&g->base, gm, g->seed, g->van, g->tot) == -1)
		return err_set(err, "demodata: onvoldoende geheugen");
	g->em0 = 24;
	plan_gaps(g);
	if (round == 2) {
		if (sim_build(&g->rev, gm, g->seed, g->van, g->tot) == -1)
			return err_set(err, "demodata: onvoldoende geheugen");
		revise(g);
	}
	return emit_feed(g, round, emit, arg, err);
}

int
demo_generate(const struct catalog *cat, const struct reg *reg,
    const struct demo_opts *opts, demo_emit emit, void *arg, struct err *err)
{
	struct gen g = { .cat = cat, .seed = opts ? opts->seed : 1,
		.van = opts && opts->van ? opts->van : DEMO_VAN_DEFAULT,
		.tot = opts && opts->tot ? opts->tot : DEMO_TOT_DEFAULT };
	unsigned char *corr = NULL;
	int	rc = -1;

	if (g.van < 1902 || g.tot > 2199 || g.van > g.tot)
		return err_set(err, "demodata: ongeldige jaren %d-%d (van <= "
		    "tot, 1902-2199)", g.van, g.tot);
	if ((corr = choose_corr(reg, g.seed)) == NULL) {
		err_set(err, "demodata: onvoldoende geheugen");
		goto fail;
	}
	for (int round = 1; round <= 2; round++)
		for (size_t i = 0; i < reg->nactief; i++) {
			g.corr = corr[i];
			if (round == 2 && !g.corr)
				continue;
			if (gen_gemeente(&g, &reg->gemeenten[i], round, emit,
			    arg, err) == -1)
				goto fail;
		}
	rc = 0;
fail:
	free(corr);
	free(g.base.v);
	free(g.rev.v);
	free(g.out);
	return rc;
}
