/* src/analysis/view.h — how basisd presents its domain objects to people and
 * programs: Dutch display strings ("21,7%", "22,4 per 1.000"), the JSON of
 * indicators, gemeenten, groups, period values, comparison rows and the
 * uitstroom benchmark (doc/api.md), and the public view of a cell after
 * disclosure control. Pure: no I/O; thread-safe. JSON functions return a
 * new reference (NULL only when out of memory). */
#ifndef VIEW_H
#define VIEW_H

#include <stddef.h>

#include "analysis/benchmark.h"
#include "input/catalog.h"
#include "analysis/compare.h"
#include "base/json.h"
#include "input/register.h"

/* A value in the indicator's unit: "21,7%", "22,4 per 1.000", "€ 1.234",
 * "38.211"; "–" when not finite. Returns buf. */
char   *view_display(const struct indicator *ind, double v, char *buf,
	    size_t size);
/* The themes (indicator groups) in dashboard order, and the rank of one
 * (unknown ones last). */
json_t *view_themes(void);
size_t	view_theme_rank(const char *groep);
/* How a group figure and a longer period are computed (domain §3). */
const char *view_berekening(const struct indicator *ind);

json_t *view_indicator_brief(const struct indicator *ind);
json_t *view_indicator(const struct indicator *ind);
json_t *view_gemeente_brief(const struct gemeente *g);
json_t *view_gemeente(const struct gemeente *g);
/* Group ids a gemeente belongs to; herindelingen it took part in. */
json_t *view_groups_of(const struct reg *reg, const struct gemeente *g);
json_t *view_herindelingen(const struct reg *reg, const struct gemeente *g);
json_t *view_groep(const struct reg *reg, const struct compare_groep *g);

/* Disclosure control for one cell (domain §3.5): the compare engine's
 * rules on a group of one. Returns 0 with *ret the published row. */
int	view_public(const struct indicator *ind, const struct compare_period *v,
	    struct compare_row *ret);
/* A number, or null when not finite. */
json_t *view_num(double v);
/* One period value (doc/api.md "waarden"); revisies < 1: unknown. */
json_t *view_value(const struct indicator *ind,
	    const struct compare_period *v, int revisies);

/* Rows in rank order, unranked last (malloc'd array of pointers into res). */
const struct compare_row **view_ranked(const struct compare_result *res);
json_t *view_aggregate(const struct indicator *ind,
	    const struct compare_result *r);
json_t *view_row(const struct reg *reg, const struct compare_row *r);

/* Values of split gemeenten that a merged series leaves out, and why:
 * {"niet_toegewezen": [{"gemeente", "periode", "reden"}]}. */
json_t *view_unassigned(const struct compare_unassigned *un, size_t n);

/* maanden: months of flows the year had; < 12 means the flows were
 * extrapolated to a year and the figures are labelled geschat. */
json_t *view_benchmark(const struct gemeente *g, int jaar,
	    const char *methode, const struct benchmark_result *r,
	    int maanden);

#endif /* VIEW_H */
