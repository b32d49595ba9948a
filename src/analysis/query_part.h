/* src/analysis/query_part.h — private to the files of module query
 * (query.c, query_publish.c, query_bench.c, query_groups.c). */
#ifndef QUERY_PART_H
#define QUERY_PART_H

#include "analysis/publish.h"
#include "analysis/query.h"

/* Room for need observations in *all (capacity *cap); -1 with err set
 * when out of memory, *all then unchanged. */
int	query_obs_reserve(struct obs **all, size_t *cap, size_t need,
	    struct err *err);
/* Append the k observations of o to *all (n used, cap allocated) and free
 * o, also on failure (-1 with err set, *all unchanged). */
int	query_obs_append(struct obs **all, size_t *n, size_t *cap, struct obs *o,
	    size_t k, struct err *err);
/* Keep, per period, the highest revision recorded on or before datum,
 * within [within, within] when given; writes to out, returns the count. */
size_t	query_asof_filter(const struct ledger_revision *r, size_t n,
	    const char *datum, const struct period *within, struct obs *out);

/* The ledger's current values through src: from memory when src->mem
 * holds them, else from src->led; as ledger_series, ledger_cross_section,
 * ledger_year, ledger_periods. */
int	query_read_series(const struct query_src *src, const char *gm,
	    const char *id, struct obs **ret, size_t *ret_n, struct err *err);
int	query_read_cross(const struct query_src *src, const char *id,
	    const struct period *p, struct obs **ret, size_t *ret_n,
	    struct err *err);
int	query_read_year(const struct query_src *src, const char *id, int year,
	    struct obs **ret, size_t *ret_n, struct err *err);
/* The data version and last feed the values read through src are of,
 * and whether a feed after since changed id's year: what the memo of
 * withheld figures is validated by. */
long long query_read_version(const struct query_src *src);
long long query_read_feed(const struct query_src *src);
int	query_read_year_changed(const struct query_src *src, const char *id,
	    int year, long long since);

/* query_publish.c: mark what disclosure control withholds. */
int	query_mark_series(const struct query_src *src,
	    const struct indicator *ind, const char *gm, const char *datum,
	    struct query_series *s, struct err *err);
int	query_mark_xsec(const struct query_src *src, const struct indicator *ind,
	    const struct period *p, struct query_xsec *x, struct err *err);
/* Drop the unpublished values from obs (grouped by gemeente). */
int	query_keep_published(const struct query_src *src,
	    const struct indicator *ind, struct obs *obs, size_t *n,
	    struct err *err);
/* A figure withheld from public output: small, or protecting one. */
int	query_unpublished(const struct indicator *ind,
	    const struct compare_period *v);
/* The family's current values for gm, or as they stood at datum. */
int	query_family_obs_gm(const struct query_src *src,
	    const struct publish_family *f,
	    const char *gm, const char *datum, struct obs **ret, size_t *ret_n,
	    struct err *err);

#endif /* QUERY_PART_H */
