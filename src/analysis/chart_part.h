/* src/analysis/chart_part.h — private to the files of module chart
 * (chart.c, chart_vergelijk.c, chart_trend.c): colours, marks and the
 * helpers they share. */
#ifndef CHART_PART_H
#define CHART_PART_H

#include "analysis/chart.h"

/* Colours: lines reach WCAG AA contrast (≥ 4.5:1) against white. */
#define C_OWN		"#08519C"	/* 8.0:1 */
#define C_MEDIAN	"#4D4D4D"	/* 8.5:1 */
#define C_NATIONAL	"#B35806"	/* 4.9:1 */
#define C_BAND		"#C6DBEF"	/* fill behind the lines */
#define C_BAR		"#4292C6"	/* 3.4:1, a graphic object */
#define C_MARK		"#B2182B"	/* 6.9:1 */

/* A white outline behind labels that cross bars and lines. */
#define HALO	" stroke=\"#FFFFFF\" stroke-width=\"3\" paint-order=\"stroke\""

#define CHART_SYNTHETIC	"synthetische demonstratiegegevens"

/* The chart's size from the options, defaults and bounds applied. */
void	chart_clamp_size(const struct chart_opts *o, int *w, int *h);
/* A round axis step for range (1, 2 or 5 times a power of ten). */
double	chart_nice_step(double range);

#endif /* CHART_PART_H */
