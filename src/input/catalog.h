/* src/input/catalog.h — the indicator catalogue (indicators/<id>.ini, one file
 * per indicator, libinih). Loaded once, immutable afterwards, shared between
 * threads without locks; a reload builds a new catalogue and swaps it. */
#ifndef CATALOG_H
#define CATALOG_H

#include <stddef.h>

#include "base/err.h"
#include "base/period.h"

enum cat_soort { SOORT_AANTAL, SOORT_RATIO, SOORT_GEMIDDELDE, SOORT_VERDELING };
enum cat_meting { METING_STAND, METING_STROOM };
enum cat_richting { RICHTING_HOGER_BETER, RICHTING_LAGER_BETER, RICHTING_NEUTRAAL };

/* When a count's noemer is taken (domain §3.9). */
enum cat_moment {
	MOMENT_ZELFDE,		/* same peildatum/period (a coarser noemer: the
				 * period containing it, else the one before) */
	MOMENT_BEGIN,		/* the peildatum before the period starts */
	MOMENT_GEMIDDELD	/* mean of the noemer's stands over the period */
};

#define CAT_VERGELIJK_NOEMERS 6
#define CAT_SUM_TERMS	8	/* terms of one declared sum */

/* Which figure of an indicator a declared sum is about. */
enum cat_dim { DIM_WAARDE, DIM_TELLER, DIM_NOEMER };

/* A relation the catalogue declares (som, som_teller, som_noemer): the
 * whole's figure dim equals Σ gewicht × part over the part's periods
 * within the whole's period ("pw_bestand = duurklassen 1-7"). Parts are
 * counts, or the teller or noemer of a ratio ("x_pct.teller"). What it is for: disclosure control (domain §3.5) must know
 * which published figures add up to which. */
struct cat_term {
	char	id[64];
	enum cat_dim dim;	/* "id.teller", "id.noemer" or a count */
	double	gewicht;
};

struct cat_sum {
	enum cat_dim dim;
	struct cat_term t[CAT_SUM_TERMS];
	size_t	n;
};

/* How a count is compared with other gemeenten (domain §3.9): through a
 * rate count / noemer × schaal, never as the count itself. One static
 * table in catalog.c; an entry without noemers marks context (never
 * ranked or judged). */
struct cat_vergelijk {
	const char *als;	/* catalogue value, e.g. "per_1000_inwoners" */
	const char *tekst;	/* Dutch unit of the rate: "per 1.000 inwoners" */
	const char *noemer[CAT_VERGELIJK_NOEMERS];	/* ids, summed; NULL-ended */
	double	schaal;
	enum cat_moment moment;
	const char *noemer_tekst;	/* Dutch: what the noemer counts */
};

struct indicator {
	char	id[64];		/* machine name, [a-z0-9_], e.g. pw_uitstroom_werk */
	char	naam[128];	/* Dutch display name */
	char	omschrijving[1024];
	char	groep[32];	/* uitstroom, participatie, zrm, escalaties, bestand, context, kosten, samenloop */
	char	eenheid[32];	/* uitkering, persoon, huishouden, casus, euro, score, trede, inwoner */
	enum cat_soort soort;
	enum cat_meting meting;
	enum period_kind periode;
	char	teller[256];	/* ratio/gemiddelde: what the teller counts; "" otherwise */
	char	noemer[256];	/* ratio/gemiddelde: what the noemer counts */
	double	schaal;		/* value = teller / noemer × schaal (100 for %, 1000 per 1.000); 1 for others */
	int	has_min, has_max;
	double	min, max;	/* bounds of the (derived) value */
	enum cat_richting richting;
	int	min_n;		/* disclosure threshold on the noemer (or the count) */
	char	bron[256];
	char	sinds[16];	/* first period it is defined for, e.g. "2015" */
	char	kanttekening[1024];	/* known caveats, Dutch; may be "" */
	/* aantal: how it is compared (vergelijk_als); NULL for ratios and
	 * means (compared as themselves) and for counts without one (then
	 * never ranked). Points into the static table: no ownership. */
	const struct cat_vergelijk *vergelijk;
	/* Smallest change (percent of the earlier value) that may be called
	 * gunstig or ongunstig (oordeel_drempel, default 5). */
	double	oordeel_drempel;
	/* 0 (over_perioden = nee): no longer period can be derived from the
	 * delivered ones (the same clients measured twice would count once
	 * per halfjaar); a series or comparison at a coarser kind is refused. */
	int	over_perioden;
	/* ZRM indicators: the version of the Zelfredzaamheid-Matrix the
	 * scores are measured with (zrm_versie, e.g. "2017"); "" for other
	 * indicators. A feed row must name this version and no other: scores
	 * of different versions are never stored under one id, so they are
	 * never aggregated or compared (domain §6). */
	char	zrm_versie[8];
	/* A teller of 1..n−1 is suppressed like a small count (domain §3.5:
	 * a teller of persons, households or casussen is a count): derived
	 * rates take the count's min_n; delivered ratios counting such units
	 * default to 5 (min_n_teller = 0 in the file turns it off). */
	int	min_n_teller;
	/* Declared sums this indicator is the whole of (0..2: som, or
	 * som_teller and som_noemer). */
	struct cat_sum som[2];
	size_t	nsom;
	char	file[256];	/* file it was loaded from, for messages */
};

struct catalog {
	struct indicator *items;	/* sorted by id */
	size_t	n;
};

/* Load every indicators/<id>.ini in dir except the reserved files
 * (groepen.ini, uitstroom-baseline.ini). On error returns NULL with err set
 * to "file:line: message" (unknown key, missing field, bad enum value,
 * ratio without teller/noemer, duplicate id, id not matching file name). */
struct catalog *catalog_load(const char *dir, struct err *err);
void	catalog_free(struct catalog *cat);	/* NULL is a no-op */
/* Borrowed pointer or NULL. */
const struct indicator *catalog_find(const struct catalog *cat, const char *id);

/* 1 for soorten delivered as teller and noemer (ratio, gemiddelde). */
int	catalog_has_components(const struct indicator *ind);
/* teller / noemer × schaal; NaN when noemer is 0. */
double	catalog_value(const struct indicator *ind, double teller, double noemer);

/* 1 when values of ind may be ranked and judged against other gemeenten
 * as they are: ratios and means. A count is ranked only through its rate
 * (catalog_rate), context never. */
int	catalog_rankable(const struct indicator *ind);
/* The rate a count is compared through, as an indicator of soort ratio
 * (teller = the count, noemer = ind->vergelijk's noemer): id
 * "<id>:<als>", naam with the rate's unit, schaal, min_n_teller = the
 * count's min_n. Returns 0, or -1 when ind has no rate (context, or not
 * a count). */
int	catalog_rate(const struct indicator *ind, struct indicator *ret);
/* The comparison table entry named als, or NULL. */
const struct cat_vergelijk *catalog_vergelijk_find(const char *als);

/* A version of the Zelfredzaamheid-Matrix (domain §6). */
struct cat_zrm_versie {
	const char *jaar;	/* "2010", "2013", "2017" */
	int	leefgebieden;	/* 11 or 13 */
};

/* The ZRM version named s ("2017", "ZRM 2017", "zrm-2017", any case), or
 * NULL when it is none of the known ones; catalog_zrm_versies lists them
 * ("2010, 2013 en 2017") for messages. */
const struct cat_zrm_versie *catalog_zrm_versie_parse(const char *s);
const char *catalog_zrm_versies(void);

const char *catalog_soort_name(enum cat_soort s);
const char *catalog_meting_name(enum cat_meting m);
const char *catalog_richting_name(enum cat_richting r);

#endif /* CATALOG_H */
