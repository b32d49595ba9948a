/* src/input/geo.h — the boundaries of today's gemeenten and provincies
 * (CBS/PDOK "Gebiedsindelingen" as GeoJSON, doc/bronnen.md), read and
 * projected once: the reference geometry the map (analysis/map) draws. The
 * daemon keeps them in its snapshot beside the register, so a render never
 * reads a file (issue 14: 110–190 ms per uncached map were mostly parsing).
 *
 * Thread-safety: a loaded struct geo is immutable and may be read from any
 * thread; geo_load and geo_free are the caller's to serialise. */
#ifndef GEO_H
#define GEO_H

#include <stddef.h>

#include "base/err.h"

/* One boundary: projected points (x, y pairs; equirectangular at 52,2° N,
 * y pointing down), rings ending at ring_end[i]. */
struct geo_shape {
	char	code[8];	/* "GMxxxx"; "" for a provincie */
	double *xy;
	size_t	npt, *ring_end, nring;
	double	bb[4];		/* x0, y0, x1, y1 */
};

struct geo {
	struct geo_shape *gm, *pv;	/* gm sorted by code */
	size_t	ngm, npv;
};

/* Read the gemeente boundaries (features with property gemeenteCode
 * "GMxxxx") and the provincie boundaries (any features; drawn as borders)
 * from two GeoJSON files of (Multi)Polygons in lon/lat. Returns NULL with
 * err set ("file: message") on a missing or malformed file. */
struct geo *geo_load(const char *gemeenten, const char *provincies,
	    struct err *err);
/* The same from dir/gemeenten-2025.geojson and dir/provincies-2025.geojson
 * (the files the dashboard ships in www/geo). */
struct geo *geo_load_dir(const char *dir, struct err *err);
void	geo_free(struct geo *geo);		/* NULL is a no-op */
/* The boundary of gemeente code, or NULL. */
const struct geo_shape *geo_find(const struct geo *geo, const char *code);

#endif /* GEO_H */
