/* src/analysis/compare_peers.c — the comparison engine's groups of
 * gemeenten: standard and user groups resolved against the register, and
 * the vergelijkbare gemeenten (k nearest on z-scores). */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/compare.h"
#include "base/num.h"

/* ---- peer groups ---- */

/* Active gemeente with this code, or -1. The register keeps active and
 * opgeheven gemeenten in two sorted runs; a scan of ~400 is cheap. */
static long
find_code(const struct reg *reg, const char *code, int active_only)
{
	for (size_t i = 0; i < reg->n; i++)
		if (strcmp(reg->gemeenten[i].code, code) == 0)
			return active_only && !reg->gemeenten[i].actief ? -1 :
			    (long)i;
	return -1;
}

char *
compare_provincie_id(const char *provincie, char *buf, size_t size)
{
	/* U+00C0..U+00FF (UTF-8 C3 80..C3 BF) folded to ASCII: â → a */
	static const char fold[] = "aaaaaaaceeeeiiiidnooooo-ouuuuyts"
				   "aaaaaaaceeeeiiiidnooooo-ouuuuyty";
	const unsigned char *p = (const unsigned char *)provincie;
	size_t	o = 0;

	if (size == 0)
		return buf;
	for (; *p && o + 1 < size; p++) {
		if (isalnum(*p))
			buf[o++] = (char)tolower(*p);
		else if (*p == ' ' || *p == '-' || *p == '\'')
			buf[o++] = '-';
		else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF)
			buf[o++] = fold[*++p - 0x80];
		/* any other byte is dropped */
	}
	buf[o] = '\0';
	return buf;
}

static int
groep_add(struct compare_groep *g, size_t idx)
{
	size_t *p = realloc(g->leden, (g->n + 1) * sizeof(*p));

	if (p == NULL)
		return -1;
	g->leden = p;
	g->leden[g->n++] = idx;
	return 0;
}

static int
groep_derived(const struct reg *reg, struct compare_groep *g, int klasse,
    const char *prov_id)
{
	char	pid[64];

	for (size_t i = 0; i < reg->n; i++) {
		const struct gemeente *gm = &reg->gemeenten[i];
		if (!gm->actief)
			continue;
		if (klasse > 0 && gm->grootteklasse != klasse)
			continue;
		if (prov_id != NULL && strcasecmp(compare_provincie_id(
		    gm->provincie, pid, sizeof(pid)), prov_id) != 0)
			continue;
		if (prov_id != NULL && g->n == 0)
			snprintf(g->naam, sizeof(g->naam), "Provincie %s",
			    gm->provincie);
		if (groep_add(g, i) == -1)
			return -1;
	}
	return 0;
}

static int
cmp_leden(const void *a, const void *b, const struct reg *reg)
{
	return strcmp(reg->gemeenten[*(const size_t *)a].code,
	    reg->gemeenten[*(const size_t *)b].code);
}

static int
groep_user(const struct reg *reg, const struct groep *ug,
    struct compare_groep *g, struct err *err)
{
	long	idx;

	snprintf(g->id, sizeof(g->id), "%s", ug->id);
	snprintf(g->naam, sizeof(g->naam), "%s", ug->naam[0] ? ug->naam :
	    ug->id);
	for (size_t i = 0; i < ug->n; i++) {
		if ((idx = find_code(reg, ug->codes[i], 0)) < 0)
			return err_set(err, "groep %s: onbekende gemeente %s",
			    ug->id, ug->codes[i]);
		if (!reg->gemeenten[idx].actief)
			continue;	/* merged away: the successor counts */
		if (groep_add(g, (size_t)idx) == -1)
			return err_set(err, "onvoldoende geheugen");
	}
	/* insertion sort by code: groups are small and qsort has no context */
	for (size_t i = 1; i < g->n; i++)
		for (size_t j = i; j > 0 && cmp_leden(&g->leden[j - 1],
		    &g->leden[j], reg) > 0; j--) {
			size_t	t = g->leden[j];
			g->leden[j] = g->leden[j - 1];
			g->leden[j - 1] = t;
		}
	return 0;
}

static int
groep_vergelijkbaar(const struct reg *reg, const char *code,
    struct compare_groep *g, struct err *err)
{
	long	idx = find_code(reg, code, 1);

	if (idx < 0)
		return err_setk(err, ERR_NOT_FOUND,
		    "onbekende of opgeheven gemeente '%s'",
		    code);
	g->soort = COMPARE_GROEP_VERGELIJKBAAR;
	snprintf(g->anker, sizeof(g->anker), "%s", reg->gemeenten[idx].code);
	snprintf(g->id, sizeof(g->id), "vergelijkbaar-%s", g->anker);
	snprintf(g->naam, sizeof(g->naam), "Gemeenten vergelijkbaar met %s",
	    reg->gemeenten[idx].naam);
	return 0;
}

static int
groep_klasse(const struct reg *reg, const char *arg, struct compare_groep *g,
    struct err *err)
{
	long long k;

	if (num_int(arg, 1, REGISTER_NKLASSEN, &k, NULL) == -1)
		return err_setk(err, ERR_NOT_FOUND, "onbekende grootteklasse "
		    "'%s' (1 t/m %d)", arg, REGISTER_NKLASSEN);
	g->soort = COMPARE_GROEP_GROOTTEKLASSE;
	snprintf(g->id, sizeof(g->id), "grootteklasse-%lld", k);
	snprintf(g->naam, sizeof(g->naam), "Grootteklasse %lld (%s)", k,
	    register_grootteklasse_name((int)k));
	if (groep_derived(reg, g, (int)k, NULL) == -1)
		return err_set(err, "onvoldoende geheugen");
	return 0;
}

static int
groep_provincie(const struct reg *reg, const char *arg,
    struct compare_groep *g, struct err *err)
{
	g->soort = COMPARE_GROEP_PROVINCIE;
	if (groep_derived(reg, g, 0, arg) == -1)
		return err_set(err, "onvoldoende geheugen");
	if (g->n == 0)
		return err_setk(err, ERR_NOT_FOUND,
		    "onbekende provincie '%s'", arg);
	snprintf(g->id, sizeof(g->id), "provincie-");
	compare_provincie_id(g->naam + strlen("Provincie "), g->id + 10,
	    sizeof(g->id) - 10);
	return 0;
}

int
compare_groep_resolve(const struct reg *reg, const char *id,
    struct compare_groep *ret, struct err *err)
{
	const struct groep *ug = NULL;
	int	rc = 0;

	memset(ret, 0, sizeof(*ret));
	for (size_t i = 0; i < reg->ng && ug == NULL; i++)
		if (strcasecmp(reg->groepen[i].id, id) == 0)
			ug = &reg->groepen[i];
	if (ug != NULL) {
		ret->soort = COMPARE_GROEP_EIGEN;
		rc = groep_user(reg, ug, ret, err);
	} else if (strcasecmp(id, "alle") == 0) {
		snprintf(ret->id, sizeof(ret->id), "alle");
		snprintf(ret->naam, sizeof(ret->naam), "Alle gemeenten");
		if (groep_derived(reg, ret, 0, NULL) == -1)
			rc = err_set(err, "onvoldoende geheugen");
	} else if (strncasecmp(id, "grootteklasse-", 14) == 0) {
		rc = groep_klasse(reg, id + 14, ret, err);
	} else if (strncasecmp(id, "provincie-", 10) == 0) {
		rc = groep_provincie(reg, id + 10, ret, err);
	} else if (strncasecmp(id, "vergelijkbaar-", 14) == 0) {
		rc = groep_vergelijkbaar(reg, id + 14, ret, err);
	} else {
		rc = err_setk(err, ERR_NOT_FOUND, "onbekende groep '%s'", id);
	}
	if (rc == -1)
		compare_groep_free(ret);
	return rc;
}

void
compare_groep_free(struct compare_groep *g)
{
	if (g == NULL)
		return;
	free(g->leden);
	g->leden = NULL;
	g->n = 0;
}

/* ---- vergelijkbare gemeenten (k nearest on z-scores) ---- */

struct peer_cand {
	size_t	index;
	double	afstand;
	int	used;
	const char *code;
};

static int
cmp_cand(const void *a, const void *b)
{
	const struct peer_cand *x = a, *y = b;

	/* more shared features first: a missing feature never brings a
	 * gemeente closer than one that has them all (issue 11) */
	if (x->used != y->used)
		return x->used > y->used ? -1 : 1;
	if (x->afstand != y->afstand)
		return x->afstand < y->afstand ? -1 : 1;
	return strcmp(x->code, y->code);
}

/* Keep c[0..nc) as the best (at most k) candidates in order: an insertion
 * into a short sorted array beats sorting all n for every anchor. Returns
 * the new count. */
static size_t
top_k_insert(struct peer_cand *c, size_t nc, size_t k,
    const struct peer_cand *x)
{
	size_t	i = nc;

	if (k == 0 || (nc == k && cmp_cand(x, &c[k - 1]) >= 0))
		return nc;
	if (nc == k)
		i = --nc;
	for (; i > 0 && cmp_cand(x, &c[i - 1]) < 0; i--)
		c[i] = c[i - 1];
	c[i] = *x;
	return nc + 1;
}

/* Mean and population sd of column j over its non-missing values. */
static void
column_stats(const double *f, size_t n, size_t nf, size_t j, double *mean,
    double *sd)
{
	double	s = 0, ss = 0;
	size_t	m = 0;

	for (size_t i = 0; i < n; i++)
		if (isfinite(f[i * nf + j])) {
			s += f[i * nf + j];
			m++;
		}
	*mean = m ? s / (double)m : NAN;
	for (size_t i = 0; i < n; i++)
		if (isfinite(f[i * nf + j])) {
			double	d = f[i * nf + j] - *mean;
			ss += d * d;
		}
	*sd = m ? sqrt(ss / (double)m) : NAN;
}

static double
zscore(double x, double mean, double sd)
{
	if (!isfinite(x))
		return NAN;
	/* a constant feature says nothing about similarity */
	return sd > 0 ? (x - mean) / sd : 0;
}

static void
distance(const double *f, size_t nf, const struct compare_peers *p, size_t i,
    struct peer_cand *c)
{
	double	d2 = 0;
	int	used = 0;

	for (size_t j = 0; j < nf; j++) {
		double	z = zscore(f[i * nf + j], p->gemiddelde[j], p->sd[j]);
		if (!isfinite(z) || !isfinite(p->anker_z[j]))
			continue;
		d2 += (z - p->anker_z[j]) * (z - p->anker_z[j]);
		used++;
	}
	c->index = i;
	c->used = used;
	/* over the shared features, unscaled: candidates are ordered by the
	 * number shared first (cmp_cand) */
	c->afstand = used ? sqrt(d2) : INFINITY;
}

static void
peers_fill(const double *f, size_t nf, const char (*codes)[8],
    const struct peer_cand *c, struct compare_peers *p)
{
	double *w = p->anker_z + nf;

	for (size_t i = 0; i < p->n; i++) {
		struct compare_peer *pe = &p->peers[i];
		double *z = w + nf;
		pe->index = c[i].index;
		snprintf(pe->gemeente, sizeof(pe->gemeente), "%s",
		    codes[c[i].index]);
		pe->afstand = c[i].afstand;
		pe->kenmerken = c[i].used;
		for (size_t j = 0; j < nf; j++) {
			w[j] = f[c[i].index * nf + j];
			z[j] = zscore(w[j], p->gemiddelde[j], p->sd[j]);
		}
		pe->waarden = w;
		pe->z = z;
		w += 2 * nf;
	}
}

int
compare_peers(const double *features, size_t n, size_t nf,
    const char (*codes)[8], size_t anchor, size_t k,
    struct compare_peers *ret, struct err *err)
{
	struct peer_cand *c = NULL;
	size_t	nc = 0;

	memset(ret, 0, sizeof(*ret));
	if (nf == 0 || anchor >= n)
		return err_set(err, "geen kenmerken of ongeldige gemeente "
		    "voor vergelijkbare gemeenten");
	if (k == 0)
		k = COMPARE_DEFAULT_K;
	k = k < n - 1 ? k : n - 1;
	ret->nf = nf;
	ret->buf = calloc(4 * nf + 2 * k * nf + 1, sizeof(double));
	ret->peers = calloc(k + 1, sizeof(*ret->peers));
	c = calloc(k + 1, sizeof(*c));
	if (ret->buf == NULL || ret->peers == NULL || c == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto fail;
	}
	ret->gemiddelde = ret->buf;
	ret->sd = ret->buf + nf;
	ret->anker_waarden = ret->buf + 2 * nf;
	ret->anker_z = ret->buf + 3 * nf;
	for (size_t j = 0; j < nf; j++) {
		column_stats(features, n, nf, j, &ret->gemiddelde[j],
		    &ret->sd[j]);
		ret->anker_waarden[j] = features[anchor * nf + j];
		ret->anker_z[j] = zscore(ret->anker_waarden[j],
		    ret->gemiddelde[j], ret->sd[j]);
	}
	for (size_t i = 0; i < n; i++) {
		struct peer_cand cand;
		if (i == anchor)
			continue;
		distance(features, nf, ret, i, &cand);
		cand.code = codes[i];
		if (cand.used > 0)
			nc = top_k_insert(c, nc, k, &cand);
	}
	ret->n = nc;
	peers_fill(features, nf, codes, c, ret);
	free(c);
	return 0;
fail:
	free(c);
	compare_peers_free(ret);
	return -1;
}

void
compare_peers_free(struct compare_peers *p)
{
	if (p == NULL)
		return;
	free(p->buf);
	free(p->peers);
	memset(p, 0, sizeof(*p));
}
