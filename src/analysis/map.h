/* src/analysis/map.h — the choropleth of Nederland behind /chart/kaart/…:
 * an SVG writer that colours each gemeente of today's boundaries
 * (input/geo, loaded once with the daemon's snapshot) by its published
 * value in a comparison (query_vgl: the same cells as the vergelijk JSON).
 *
 * Thread-safety: map_render is pure and may run on any thread with the
 * same (immutable) geo. */
#ifndef MAP_H
#define MAP_H

#include <stddef.h>

#include "analysis/compare.h"
#include "base/err.h"
#include "input/catalog.h"
#include "input/geo.h"
#include "input/register.h"

#define MAP_W_DEFAULT	640
#define MAP_W_MIN	300
#define MAP_W_MAX	1600
#define MAP_CLASSES	5	/* colour classes at most */

/* What one map shows. Borrowed. */
struct map_in {
	const struct indicator *ind;
	const struct compare_result *res; /* published comparison of the group */
	const struct reg *reg;
	const char *markeer;	/* code of the gemeente to outline, or NULL */
	const char *titel, *subtitel;
	const char *noot;	/* one more line under the map (herindelingen) */
	int	w;		/* width in user units; 0 = MAP_W_DEFAULT */
	int	synthetisch;	/* watermark the demo data */
};

/* The classes of a map: up to MAP_CLASSES equal-count classes over the
 * ranked (published, finite) values, breaks rounded to the display
 * decimals so a value's class follows the number shown. Class k holds
 * values v with grens[k-1] <= v < grens[k]. */
struct map_classes {
	int	n;			/* 0 when nothing is ranked */
	int	dec;			/* display decimals */
	double	grens[MAP_CLASSES];	/* n - 1 inner breaks */
	size_t	aantal[MAP_CLASSES];	/* gemeenten per class */
};
void	map_classify(const struct indicator *ind,
	    const struct compare_result *res, struct map_classes *ret);
/* Class of value v (0 .. n-1), -1 for NaN or when n is 0. */
int	map_class_of(const struct map_classes *c, double v);

/* The SVG: every member of in->res on its boundary, filled by class,
 * hatched when suppressed, grey without data, each an <a> to
 * /gemeente/GMxxxx with "naam: waarde" as <title> and data-gm,
 * data-weergave attributes; other gemeenten within the view pale and
 * without a link; provincie borders; the marked gemeente outlined; a Dutch
 * legend; "Bron kaart: CBS/PDOK". The view is the members' bounding box.
 * Returns 0 with *ret_svg (malloc'd, NUL-terminated, *ret_len bytes), or
 * -1 with err set (out of memory). */
int	map_render(const struct geo *geo, const struct map_in *in,
	    char **ret_svg, size_t *ret_len, struct err *err);

#endif /* MAP_H */
