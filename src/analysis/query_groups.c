/* src/analysis/query_groups.c — the standard groups of the read model, the
 * members of a group and the vergelijkbare gemeenten (peers on features). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/query.h"
#include "analysis/query_part.h"
#include "base/util.h"

#define PEER_LOOKBACK	36	/* periods searched for a feature's latest value */

int
query_group_members(const struct query_src *src, const char *id,
    struct compare_groep *g, struct err *err)
{
	const struct gemeente *anchor;
	struct compare_peers peers;

	if (compare_groep_resolve(src->reg, id, g, err) == -1)
		return -1;
	if (g->soort != COMPARE_GROEP_VERGELIJKBAAR)
		return 0;
	anchor = register_find(src->reg, g->anker);
	if (anchor == NULL || query_peers(src, anchor->code, &peers, err) == -1)
		return -1;
	free(g->leden);
	if ((g->leden = malloc((peers.n + 1) * sizeof(*g->leden))) == NULL) {
		compare_peers_free(&peers);
		return err_set(err, "onvoldoende geheugen");
	}
	g->leden[0] = (size_t)(anchor - src->reg->gemeenten);
	for (size_t i = 0; i < peers.n; i++)
		g->leden[i + 1] = peers.peers[i].index;
	g->n = peers.n + 1;
	snprintf(g->naam, sizeof(g->naam), "%s en %zu vergelijkbare gemeenten",
	    anchor->naam, peers.n);
	compare_peers_free(&peers);
	return 0;
}

/* ---- groups ---- */

static int
add_id(char (**ids)[QUERY_GROEP_ID], size_t *n, const char *id)
{
	char	(*p)[QUERY_GROEP_ID] = realloc(*ids, (*n + 1) * sizeof(*p));

	if (p == NULL)
		return -1;
	*ids = p;
	snprintf(p[(*n)++], QUERY_GROEP_ID, "%s", id);
	return 0;
}

static int
has_id(char (*ids)[QUERY_GROEP_ID], size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return 1;
	return 0;
}

/* Province and size-class ids of the active gemeenten, in register order
 * (deterministic), after "alle". */
static int
derived_ids(const struct reg *reg, char (**ids)[QUERY_GROEP_ID], size_t *n)
{
	char	id[QUERY_GROEP_ID], prov[QUERY_GROEP_ID - 16];

	if (add_id(ids, n, "alle") == -1)
		return -1;
	for (int k = 1; k <= REGISTER_NKLASSEN; k++)
		for (size_t i = 0; i < reg->nactief; i++)
			if (reg->gemeenten[i].grootteklasse == k) {
				snprintf(id, sizeof(id), "grootteklasse-%d", k);
				if (add_id(ids, n, id) == -1)
					return -1;
				break;
			}
	for (size_t i = 0; i < reg->nactief; i++) {
		snprintf(id, sizeof(id), "provincie-%s", compare_provincie_id(
		    reg->gemeenten[i].provincie, prov, sizeof(prov)));
		if (!has_id(*ids, *n, id) && add_id(ids, n, id) == -1)
			return -1;
	}
	return 0;
}

int
query_standard_groups(const struct reg *reg, char (**ret)[QUERY_GROEP_ID],
    size_t *ret_n, struct err *err)
{
	char	(*ids)[QUERY_GROEP_ID] = NULL;
	size_t	n = 0;

	*ret = NULL;
	*ret_n = 0;
	if (derived_ids(reg, &ids, &n) == -1)
		goto fail;
	for (size_t i = 0; i < reg->ng; i++)
		if (!has_id(ids, n, reg->groepen[i].id) &&
		    add_id(&ids, &n, reg->groepen[i].id) == -1)
			goto fail;
	*ret = ids;
	*ret_n = n;
	return 0;
fail:
	free(ids);
	return err_set(err, "onvoldoende geheugen");
}

/* Index of an active gemeente: the active part of the register is sorted
 * by code. -1 for opgeheven or unknown codes (they are in no group). */
long
query_active_row(const struct reg *reg, const char *code)
{
	size_t	lo = 0, hi = reg->nactief;

	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;
		int	c = strcmp(reg->gemeenten[mid].code, code);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Fill column j of f (rows = active gemeenten) with each gemeente's latest
 * value of indicator id. */
static int
feature_raw(const struct query_src *src, const char *id, double *f,
    size_t nf, size_t j, struct err *err)
{
	const struct indicator *ind = catalog_find(src->cat, id);
	struct period *per = NULL;
	size_t	np = 0, missing = src->reg->nactief;

	if (ind == NULL)
		return err_setk(err, ERR_REJECTED,
		    "onbekend kenmerk '%s' (peer_features)",
		    id);
	if (query_read_periods(src, id, &per, &np, err) == -1)
		return -1;
	for (size_t t = np; t > 0 && np - t < PEER_LOOKBACK && missing; t--) {
		struct obs *obs = NULL;
		size_t	n = 0;
		if (query_read_cross(src, id, &per[t - 1], &obs, &n,
		    err) == -1) {
			free(per);
			return -1;
		}
		for (size_t i = 0; i < n; i++) {
			long	row = query_active_row(src->reg, obs[i].gemeente);
			double	v = catalog_has_components(ind) ?
			    catalog_value(ind, obs[i].teller, obs[i].noemer) :
			    obs[i].waarde;
			if (row < 0 || !isnan(f[(size_t)row * nf + j]) ||
			    !isfinite(v))
				continue;
			f[(size_t)row * nf + j] = v;
			missing--;
		}
		free(obs);
	}
	free(per);
	return 0;
}

/* Size features are compared on a log scale: Schiermonnikoog and
 * Amsterdam differ by a factor 900, and on a raw scale every gemeente
 * under 100.000 inwoners looks alike. */
static void
feature_log(double *f, size_t n, size_t nf, size_t j)
{
	for (size_t i = 0; i < n; i++)
		f[i * nf + j] = f[i * nf + j] > 0 ? log10(f[i * nf + j]) : NAN;
}

/* Column j for feature id: an indicator's latest value, with two rules
 * (issue 11): "inwoners" falls back to the register for gemeenten that
 * delivered none (every gemeente has a size) and, like "huishoudens", is
 * taken on a log scale; "huishoudensgrootte" is inwoners per huishouden,
 * a feature of the population that is not a size. */
static int
feature_column(const struct query_src *src, const char *id, double *f,
    size_t nf, size_t j, struct err *err)
{
	size_t	n = src->reg->nactief;

	if (strcmp(id, "huishoudensgrootte") == 0) {
		double *h = malloc((n + 1) * sizeof(*h));
		int	rc;

		if (h == NULL)
			return err_set(err, "onvoldoende geheugen");
		for (size_t i = 0; i < n; i++)
			h[i] = NAN;
		if ((rc = feature_raw(src, "inwoners", f, nf, j, err)) == 0 &&
		    (rc = feature_raw(src, "huishoudens", h, 1, 0, err)) == 0)
			for (size_t i = 0; i < n; i++)
				f[i * nf + j] = h[i] > 0 ? f[i * nf + j] / h[i] :
				    NAN;
		free(h);
		return rc;
	}
	if (feature_raw(src, id, f, nf, j, err) == -1)
		return -1;
	if (strcmp(id, "inwoners") == 0)
		for (size_t i = 0; i < n; i++)
			if (isnan(f[i * nf + j]) &&
			    src->reg->gemeenten[i].inwoners > 0)
				f[i * nf + j] = (double)
				    src->reg->gemeenten[i].inwoners;
	if (strcmp(id, "inwoners") == 0 || strcmp(id, "huishoudens") == 0)
		feature_log(f, n, nf, j);
	return 0;
}

int
query_peers(const struct query_src *src, const char *anker,
    struct compare_peers *ret, struct err *err)
{
	const struct gemeente *gm = register_find(src->reg, anker);
	size_t	n = src->reg->nactief, nf;
	double *f = NULL;
	char	(*codes)[8] = NULL;
	long	row;
	int	rc = -1;

	memset(ret, 0, sizeof(*ret));
	if (gm == NULL || (row = query_active_row(src->reg, gm->code)) < 0)
		return err_setk(err, ERR_REJECTED,
		    "onbekende of opgeheven gemeente '%s'",
		    anker);
	if (src->features == NULL || src->features->n == 0)
		return err_setk(err, ERR_REJECTED,
		    "geen kenmerken ingesteld (peer_features)");
	nf = (size_t)src->features->n;
	f = malloc(n * nf * sizeof(*f));
	codes = calloc(n, sizeof(*codes));
	if (f == NULL || codes == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto fail;
	}
	for (size_t i = 0; i < n * nf; i++)
		f[i] = NAN;
	for (size_t i = 0; i < n; i++)
		snprintf(codes[i], sizeof(codes[i]), "%s",
		    src->reg->gemeenten[i].code);
	for (size_t j = 0; j < nf; j++)
		if (feature_column(src, src->features->w[j], f, nf, j,
		    err) == -1)
			goto fail;
	rc = compare_peers(f, n, nf, (const char (*)[8])codes, (size_t)row,
	    src->k, ret, err);
fail:
	free(f);
	free(codes);
	return rc;
}
