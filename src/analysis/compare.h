/* src/analysis/compare.h — the comparison engine (design §5, domain §3): group
 * aggregates, percentiles, direction-aware ranks, disclosure control, period
 * aggregation, peer groups and herindelingen. Pure: no I/O, no logging,
 * thread-safe (no shared state); callers pass arrays read from the ledger.
 * Results never depend on the order of the input rows. */
#ifndef COMPARE_H
#define COMPARE_H

#include <stddef.h>

#include "input/catalog.h"
#include "base/err.h"
#include "base/period.h"
#include "input/register.h"
#include "input/validate.h"

#define COMPARE_NPCT 5	/* P10, P25, P50, P75, P90 */
#define COMPARE_DEFAULT_K 10

/* The percentiles compare_eval reports, in the order of result.pct[]. */
extern const double compare_pct_levels[COMPARE_NPCT];

/* One gemeente's input for an (indicator, periode, groep). */
struct compare_cell {
	char	gemeente[8];	/* "GM0363"; unique within one call */
	int	geleverd;	/* 0: expected but nothing delivered */
	double	waarde;		/* aantal/verdeling; ignored for ratio/gemiddelde */
	double	teller, noemer;	/* ratio/gemiddelde; NaN otherwise */
	enum obs_status status;
	int	onvolledig;	/* from period aggregation: months missing */
	struct period peildatum;	/* stand: the source period used; kind
					 * 0 with year 0 when unknown */
	int	beschermd;	/* withheld to protect a small cell (publish) */
};

enum compare_reden {
	COMPARE_GEPUBLICEERD,	/* shown as is */
	COMPARE_NIET_GELEVERD,	/* no delivery */
	COMPARE_GEEN_WAARDE,	/* noemer 0 or components missing */
	COMPARE_KLEIN_AANTAL,	/* primary suppression: below min_n */
	COMPARE_AANVULLEND	/* complementary suppression (protects another cell) */
};

struct compare_row {
	char	gemeente[8];
	int	geleverd;
	/* The cell's figures; NaN for a suppressed cell when opts.publiek. */
	double	waarde, teller, noemer;
	enum obs_status status;
	int	onvolledig;		/* not ranked: not a complete period */
	struct period peildatum;	/* as in compare_cell */
	int	onderdrukt;		/* KLEIN_AANTAL or AANVULLEND */
	enum compare_reden reden;
	/* Dutch display, CBS symbols: "21,7", "1.234"; "<5" (count 1–4),
	 * "<10" (count 5..min_n−1), "x" (other suppression), "." (none). */
	char	weergave[32];
	int	rang;		/* 1 = best; 0 = not ranked (suppressed, missing) */
	double	afstand_mediaan;	/* waarde − P50; NaN when not ranked */
};

struct compare_opts {
	/* 1: mask suppressed figures (NaN) for public output. 0: keep them for
	 * internal use; flags, ranks and percentiles are the same either way. */
	int	publiek;
	/* 1: no ranks and no distance to the median (a count or context
	 * indicator, domain §3.9); percentiles are still computed. */
	int	geen_rang;
};

struct compare_result {
	/* Group aggregate over the published cells only: Σ for aantal,
	 * Σteller/Σnoemer for ratio and gemiddelde (never a mean of the
	 * gemeenten's values). A sum of published numbers reveals nothing a
	 * suppressed cell holds, in any group (domain §3.5). */
	double	waarde, teller, noemer;
	int	aggregaat_onderdrukt;	/* fewer than two published cells */
	enum obs_status status;		/* worst status among the cells summed */
	int	onvolledig_perioden;	/* some cell misses months */
	size_t	n;			/* gemeenten in the aggregate (published) */
	size_t	geleverd;		/* gemeenten that delivered */
	size_t	N;			/* gemeenten expected */
	/* a sum (aantal) is onvolledig when any member is missing: it is not
	 * the group's total; a ratio or mean when n < N / 2 (domain §3.6) */
	int	onvolledig;
	double	pct[COMPARE_NPCT];	/* over published values; NaN when none */
	size_t	npct;			/* values the percentiles and ranks use */
	int	rang_op_waarde;		/* neutraal indicator: ranked by value, descending */
	size_t	nonderdrukt;		/* cells suppressed (both reasons) */
	struct compare_row *rows;	/* sorted by gemeente code */
	size_t	nrows;
};

/* Primary suppression (domain §3.5): a count of 1..min_n−1; a ratio or
 * mean whose noemer is 1..min_n−1, or whose teller counts people and is
 * 1..min_n_teller−1. waarde for counts, teller and noemer otherwise. */
int	compare_small(const struct indicator *ind, double waarde, double teller,
	    double noemer);

/* Compare the cells of one group. expected_n is the group size N (0: the
 * number of cells). Returns 0 with *ret filled (free with
 * compare_result_free), or -1 with err set (duplicate gemeente, negative
 * noemer, out of memory). */
int	compare_eval(const struct indicator *ind, const struct compare_cell *cells,
	    size_t n, size_t expected_n, const struct compare_opts *opts,
	    struct compare_result *ret, struct err *err);
void	compare_result_free(struct compare_result *res);	/* NULL-safe */

/* Hyndman & Fan type 7 percentile (linear interpolation between order
 * statistics, as Excel PERCENTIEL.INC and R's default) of sorted[0..n-1],
 * p in [0, 1]. NaN when n is 0. */
double	compare_percentile(const double *sorted, size_t n, double p);
/* Dutch display of a value with decimal comma and thousands dots, e.g.
 * "21,7" or "1.234"; decimals 0..6. Returns buf. */
char   *compare_format(double v, int decimals, char *buf, size_t size);
const char *compare_reden_name(enum compare_reden r);
/* The less certain of two statuses (definitief < voorlopig < geschat): the
 * status of a sum of values. */
enum obs_status compare_status_worst(enum obs_status a, enum obs_status b);

/* ---- period aggregation (maand → kwartaal/halfjaar/jaar) ---- */

struct compare_period {
	char	gemeente[8];
	struct period periode;		/* of the target kind */
	double	waarde, teller, noemer;
	enum obs_status status;		/* worst of the sources */
	struct period peildatum;	/* stand: source period the value comes from */
	int	aanwezig, verwacht;	/* source periods present / in the target */
	int	onvolledig;		/* stroom: months missing; stand: last one missing */
	int	beschermd;		/* withheld to protect a small cell (publish) */
};

/* Aggregate obs (one indicator, any number of gemeenten, one revision per
 * key) to periods of kind target: stroom sums, stand takes the last
 * peildatum, ratios and means re-divide Σteller/Σnoemer. Output sorted by
 * gemeente, then period. Returns 0 (free *ret) or -1 with err set (target
 * finer than the data, duplicate key, out of memory). */
int	compare_period_aggregate(const struct indicator *ind,
	    const struct obs *obs, size_t n, enum period_kind target,
	    struct compare_period **ret, size_t *ret_n, struct err *err);

/* ---- peer groups ---- */

enum compare_groep_soort {
	COMPARE_GROEP_ALLE,
	COMPARE_GROEP_GROOTTEKLASSE,
	COMPARE_GROEP_PROVINCIE,
	COMPARE_GROEP_EIGEN,		/* groepen.ini */
	COMPARE_GROEP_VERGELIJKBAAR	/* caller runs compare_peers on anker */
};

struct compare_groep {
	enum compare_groep_soort soort;
	char	id[64];		/* canonical URL id: "provincie-noord-brabant" */
	char	naam[160];	/* Dutch display name */
	char	anker[8];	/* VERGELIJKBAAR: the gemeente the peers are for */
	size_t *leden;		/* indices into reg->gemeenten, by code */
	size_t	n;
};

/* Resolve "alle", "grootteklasse-3", "provincie-utrecht" (case-insensitive),
 * a groepen.ini id ("G4") or "vergelijkbaar-GM0363" (no members: the caller
 * supplies the feature matrix to compare_peers). Members are active
 * gemeenten only. Returns 0 (free with compare_groep_free) or -1 with err
 * set (unknown group, unknown gemeente in a group, out of memory). */
int	compare_groep_resolve(const struct reg *reg, const char *id,
	    struct compare_groep *ret, struct err *err);
void	compare_groep_free(struct compare_groep *g);	/* NULL-safe */
/* URL id of a province: lowercase ASCII, blanks to '-'. Returns buf. */
char   *compare_provincie_id(const char *provincie, char *buf, size_t size);

struct compare_peer {
	size_t	index;		/* row in the feature matrix */
	char	gemeente[8];
	double	afstand;	/* Euclidean on z-scores over the shared features */
	int	kenmerken;	/* features both gemeenten have */
	const double *waarden;	/* nf raw values (into compare_peers.waarden) */
	const double *z;	/* nf z-scores */
};

struct compare_peers {
	size_t	nf;
	double *gemiddelde, *sd;	/* per feature, over non-missing values */
	double *anker_waarden, *anker_z;	/* the anchor's nf values */
	struct compare_peer *peers;	/* nearest first; ties by code */
	size_t	n;
	double *buf;		/* owns every array above */
};

/* The k nearest gemeenten to row anchor on standardised features.
 * features is n rows × nf columns, row-major, NaN = missing; codes[i] names
 * row i. Each feature is z-scored over its non-missing values (population
 * sd; a constant feature contributes 0). Distance uses the features both
 * rows have; rows sharing more features come first, so a missing feature
 * never makes a row closer; rows sharing none are skipped.
 * Returns 0 (free with compare_peers_free) or -1 with err set. */
int	compare_peers(const double *features, size_t n, size_t nf,
	    const char (*codes)[8], size_t anchor, size_t k,
	    struct compare_peers *ret, struct err *err);
void	compare_peers_free(struct compare_peers *p);	/* NULL-safe */

/* ---- herindelingen ---- */

struct compare_merged {
	struct obs obs;		/* on the new code; waarde re-derived */
	int	bronnen;	/* source gemeenten that delivered */
	int	verwacht;	/* source gemeenten that existed in the period */
	int	onvolledig;	/* bronnen < verwacht */
};

struct compare_unassigned {
	char	gemeente[8];
	struct period periode;
	char	reden[256];	/* Dutch: why the value was not assigned */
};

/* Map obs (one indicator) of gemeenten that merged away onto their final
 * successor (following chains in reg->herindelingen) and aggregate per
 * (new code, periode) by the indicator's soort. A gemeente that was split
 * (Haaren) is not assigned: each of its values is listed in *ret_un.
 * Output sorted by code, then period. Returns 0 (free both arrays) or -1
 * with err set. */
int	compare_herindel(const struct indicator *ind, const struct reg *reg,
	    const struct obs *obs, size_t n, struct compare_merged **ret,
	    size_t *ret_n, struct compare_unassigned **ret_un, size_t *ret_nun,
	    struct err *err);

#endif /* COMPARE_H */
