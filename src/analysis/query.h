/* src/analysis/query.h — what the API reads from the ledger, shaped for
 * presentation: a gemeente's series at any period length, a cross-section
 * of all gemeenten, the latest period with data, group members (including
 * the vergelijkbare gemeenten), a whole comparison (group and country) and
 * the inputs of the uitstroom benchmark. Functions use the connection in
 * the source (struct band_src: a pooled reader in the daemon) and return 0
 * or -1 with err set unless stated. */
#ifndef QUERY_H
#define QUERY_H

#include <stddef.h>

#include "analysis/band.h"
#include "analysis/benchmark.h"
#include "analysis/compare.h"
#include "store/ledger.h"

/* A gemeente's series, aggregated to a period kind (domain §3). */
struct query_series {
	struct compare_period *v;
	size_t	n;
	int    *revs;		/* revisions per value (native kind only), or NULL */
	int	synthetisch;	/* any value from the synthetic demo data */
};

int	query_series_load(struct ledger *led, const struct indicator *ind,
	    const char *gm, enum period_kind per, struct query_series *ret,
	    struct err *err);
void	query_series_free(struct query_series *s);
/* The value of period p, or NULL. */
/* The series of gm on today's boundaries: the history of gemeenten that
 * merged into gm (following chains of herindelingen) aggregated onto it by
 * the indicator's rules. Values of a gemeente that was split (Haaren) are
 * not assigned: they come back in *ret_un (free). ret->revs is NULL. */
int	query_series_merged(const struct band_src *src,
	    const struct indicator *ind, const char *gm, enum period_kind per,
	    struct query_series *ret, struct compare_unassigned **ret_un,
	    size_t *ret_nun, struct err *err);
const struct compare_period *query_series_find(const struct query_series *s,
	    const struct period *p);
/* 1 when p lies within [van, tot] (either may be NULL: open). */
int	query_in_range(const struct period *p, const struct period *van,
	    const struct period *tot);

/* Every gemeente's value of an indicator in period p (p may be coarser
 * than the indicator: months are aggregated). Sorted by gemeente. */
struct query_xsec {
	struct compare_period *v;
	size_t	n;
	int	synthetisch;
};

int	query_xsec_load(struct ledger *led, const struct indicator *ind,
	    const struct period *p, struct query_xsec *ret, struct err *err);
const struct compare_period *query_xsec_find(const struct query_xsec *x,
	    const char *code);
/* Compare cells of the members (indices into reg->gemeenten); malloc'd. */
struct compare_cell *query_cells(const struct reg *reg, const size_t *leden,
	    size_t n, const struct query_xsec *x);
/* Latest period of the indicator's own kind with data (-1: none). */
int	query_latest_period(struct ledger *led, const struct indicator *ind,
	    struct period *ret, struct err *err);

/* Members of a group; "vergelijkbaar-GM…" is the gemeente and its k
 * peers. Free with compare_groep_free. */
int	query_group_members(const struct band_src *src, const char *id,
	    struct compare_groep *ret, struct err *err);

/* A comparison: the group's result and the country's, published view. */
struct query_vgl {
	const struct indicator *ind;
	struct period periode;
	struct compare_groep groep;
	struct compare_result res;	/* the group */
	struct compare_result land;	/* all gemeenten */
	int	synthetisch;
};

/* periode NULL: the latest with data. Returns 0, 1 when the group or
 * the data do not exist (err says which), -1 on other errors. Free with
 * query_vgl_free in every case. */
int	query_vgl(const struct band_src *src, const struct indicator *ind,
	    const struct period *periode, const char *groep,
	    struct query_vgl *ret, struct err *err);
void	query_vgl_free(struct query_vgl *v);

/* One value of gemeente gm at period p (aggregated to p's kind); NaN and
 * *onvolledig = 1 when missing or months are missing. */
double	query_value_at(const struct band_src *src, const char *gm,
	    const char *id, const struct period *p, int *onvolledig);
/* Benchmark inputs: bestand per duurklasse in the December before jaar,
 * uitstroom per reason summed over jaar. */
void	query_benchmark_input(const struct band_src *src, const char *gm,
	    int jaar, struct benchmark_input *in, int *onvolledig);
/* The latest year with a complete December of pw_uitstroom_werk (0: none). */
int	query_default_year(const struct band_src *src);

#endif /* QUERY_H */
