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

const char *catalog_soort_name(enum cat_soort s);
const char *catalog_meting_name(enum cat_meting m);
const char *catalog_richting_name(enum cat_richting r);

#endif /* CATALOG_H */
