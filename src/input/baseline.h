/* src/input/baseline.h — the baseline ("business as usual") table of the
 * uitstroom benchmark (domain §4): uitstroomkans and schadelast per
 * uitkeringsduur, from indicators/uitstroom-baseline.ini. Loaded once per
 * snapshot; immutable afterwards, so shared between threads. */
#ifndef BASELINE_H
#define BASELINE_H

#include "base/err.h"

#define BASELINE_NKLASSEN 7	/* uitkeringsduur 1 … 7 jaar (7 = 7 of meer) */
#define BASELINE_FILE "uitstroom-baseline.ini"	/* in the catalogue dir */

/* One duurklasse of the baseline table; rates are fractions (0.07). */
struct baseline_klasse {
	double	alle_laag, alle_hoog;	/* uitstroomkans, all reasons */
	double	wo_laag, wo_hoog;	/* of which werk + opleiding */
	double	schadelast;		/* € per uitstromer over the horizon */
	double	schadelast_terugval;	/* the same including terugval */
};

struct baseline {
	char	versie[32];
	char	bron[256];
	int	horizon_jaren;		/* horizon of the schadelast figures (7) */
	double	uitkering_per_jaar;	/* € 14.000 */
	double	uitvoeringskosten_per_jaar;	/* € 2.900 */
	struct baseline_klasse klasse[BASELINE_NKLASSEN];
};

/* Read the baseline table ([baseline] and [duur-1] … [duur-7]). Every
 * key is required; rates in [0, 1], laag <= hoog. Returns 0, or -1 with
 * err set to "file:line: message". */
int	baseline_load(const char *path, struct baseline *ret, struct err *err);

#endif /* BASELINE_H */
