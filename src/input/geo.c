/* src/input/geo.c — the gemeente and provincie boundaries from GeoJSON,
 * projected once when loaded (input/geo.h); the map draws them. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/util.h"
#include "input/geo.h"

/* Equirectangular at the latitude of the middle of the country: for a map
 * of Nederland indistinguishable from RD New (SOURCES.md), and no library. */
#define COS_LAT		0.61290705	/* cos(52.2°) */
#define FILE_MAX	((size_t)16 * 1024 * 1024)

/* ---- loading ---- */

static char *
read_file(const char *path, size_t *ret_len, struct err *err)
{
	int	opened;
	char   *buf = util_read_file(path, FILE_MAX, ret_len, &opened);

	if (buf == NULL)
		err_set(err, opened ? "%s: niet te lezen" : "%s: niet te openen",
		    path);
	return buf;
}

static int
grow(void **p, size_t n, size_t size)
{
	void   *q = realloc(*p, n * size);

	if (q == NULL)
		return -1;
	*p = q;
	return 0;
}

/* Append one ring ([[lon, lat], …]) to s, projected. */
static int
add_ring(struct geo_shape *s, const json_t *ring)
{
	size_t	n = json_array_size(ring);

	if (n < 3 || grow((void **)&s->xy, (s->npt + n) * 2, sizeof(double))
	    == -1 || grow((void **)&s->ring_end, s->nring + 1,
	    sizeof(size_t)) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const json_t *pt = json_array_get(ring, i);
		double	x = json_number_value(json_array_get(pt, 0)) * COS_LAT;
		double	y = -json_number_value(json_array_get(pt, 1));

		if (!json_is_number(json_array_get(pt, 0)) ||
		    !json_is_number(json_array_get(pt, 1)))
			return -1;
		s->xy[2 * s->npt] = x;
		s->xy[2 * s->npt + 1] = y;
		s->npt++;
		s->bb[0] = fmin(s->bb[0], x);
		s->bb[1] = fmin(s->bb[1], y);
		s->bb[2] = fmax(s->bb[2], x);
		s->bb[3] = fmax(s->bb[3], y);
	}
	s->ring_end[s->nring++] = s->npt;
	return 0;
}

/* A Polygon is a list of rings, a MultiPolygon a list of Polygons. */
static int
add_geometry(struct geo_shape *s, const json_t *geom)
{
	const char *type = json_get_str(geom, "type");
	const json_t *c = json_object_get(geom, "coordinates");
	int	multi = type != NULL && strcmp(type, "MultiPolygon") == 0;

	if (type == NULL || (!multi && strcmp(type, "Polygon") != 0) ||
	    !json_is_array(c))
		return -1;
	for (size_t i = 0; i < json_array_size(c); i++) {
		const json_t *poly = multi ? json_array_get(c, i) : c;
		for (size_t j = 0; j < json_array_size(poly); j++)
			if (add_ring(s, json_array_get(poly, j)) == -1)
				return -1;
		if (!multi)
			break;
	}
	return s->nring > 0 ? 0 : -1;
}

static void
shapes_free(struct geo_shape *s, size_t n)
{
	for (size_t i = 0; s != NULL && i < n; i++) {
		free(s[i].xy);
		free(s[i].ring_end);
	}
	free(s);
}

static int
cmp_shape(const void *a, const void *b)
{
	return strcmp(((const struct geo_shape *)a)->code,
	    ((const struct geo_shape *)b)->code);
}

/* The features of one file; key names the code property (NULL: none). */
static int
load_shapes(const char *path, const char *key, struct geo_shape **ret,
    size_t *ret_n, struct err *err)
{
	size_t	len = 0, n;
	char   *text = read_file(path, &len, err);
	json_t *doc = text ? json_decode(text, len, err) : NULL;
	const json_t *feats = json_object_get(doc, "features");
	int	rc = -1;

	free(text);
	*ret = NULL;
	*ret_n = 0;
	if (doc == NULL)
		return -1;
	n = json_array_size(feats);
	if (n == 0 || (*ret = calloc(n, sizeof(**ret))) == NULL) {
		err_set(err, "%s: geen features", path);
		goto out;
	}
	for (*ret_n = 0; *ret_n < n; (*ret_n)++) {
		const json_t *f = json_array_get(feats, *ret_n);
		const char *code = key ? json_get_str(json_object_get(f,
		    "properties"), key) : "";
		struct geo_shape *s = &(*ret)[*ret_n];

		s->bb[0] = s->bb[1] = INFINITY;
		s->bb[2] = s->bb[3] = -INFINITY;
		if (code == NULL || strlen(code) >= sizeof(s->code) ||
		    add_geometry(s, json_object_get(f, "geometry")) == -1) {
			err_set(err, "%s: feature %zu: geen geldige code of "
			    "(Multi)Polygon", path, *ret_n + 1);
			(*ret_n)++;
			goto out;
		}
		snprintf(s->code, sizeof(s->code), "%s", code);
	}
	qsort(*ret, *ret_n, sizeof(**ret), cmp_shape);
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

struct geo *
geo_load(const char *gemeenten, const char *provincies, struct err *err)
{
	struct geo *g = calloc(1, sizeof(*g));

	if (g == NULL) {
		err_set(err, "onvoldoende geheugen");
		return NULL;
	}
	if (load_shapes(gemeenten, "gemeenteCode", &g->gm, &g->ngm, err) == -1 ||
	    load_shapes(provincies, NULL, &g->pv, &g->npv, err) == -1) {
		geo_free(g);
		return NULL;
	}
	return g;
}

void
geo_free(struct geo *geo)
{
	if (geo == NULL)
		return;
	shapes_free(geo->gm, geo->ngm);
	shapes_free(geo->pv, geo->npv);
	free(geo);
}

const struct geo_shape *
geo_find(const struct geo *geo, const char *code)
{
	struct geo_shape key;

	snprintf(key.code, sizeof(key.code), "%s", code);
	return bsearch(&key, geo->gm, geo->ngm, sizeof(*geo->gm), cmp_shape);
}

struct geo *
geo_load_dir(const char *dir, struct err *err)
{
	char	gp[4200], pp[4200];

	if ((size_t)snprintf(gp, sizeof(gp), "%s/gemeenten-2025.geojson",
	    dir) >= sizeof(gp) || (size_t)snprintf(pp, sizeof(pp),
	    "%s/provincies-2025.geojson", dir) >= sizeof(pp)) {
		err_set(err, "%s: pad te lang", dir);
		return NULL;
	}
	return geo_load(gp, pp, err);
}
