/* src/analysis/query.h — the read model: the one door through which the
 * API (serve/routes*.c), the group bands (band), the charts, the alert
 * engine and the benchmark obtain every number from the ledger. It sits at
 * the bottom of analysis/, beneath band, chart and alert; the rules of
 * aggregation and comparison live in compare, this module fetches and
 * hands over, so the same question gives the same number everywhere:
 *   - series of a gemeente at any period length (query_series_load, on
 *     today's boundaries query_series_merged);
 *   - cross-sections of all gemeenten at any period length, months
 *     aggregated (query_xsec_load), and the comparison cells of a group's
 *     members (query_cells);
 *   - the standard group list (query_standard_groups), group members with
 *     the vergelijkbare gemeenten (query_group_members, query_peers);
 *   - comparison results in the published view (query_eval for a group on
 *     a cross-section, query_vgl for group and country);
 *   - the inputs of the uitstroom benchmark (query_benchmark_input).
 * Nothing else builds comparison cells or reads cross-sections itself.
 *
 * Threads: functions use the connection in the source (struct query_src:
 * a pooled reader in the daemon, the writer in ingest hooks) and may run
 * on any thread that owns it. They return 0 or -1 with err set unless
 * stated. */
#ifndef QUERY_H
#define QUERY_H

#include <stddef.h>

#include "analysis/benchmark.h"
#include "analysis/compare.h"
#include "analysis/publish.h"
#include "base/conf.h"
#include "input/catalog.h"
#include "input/register.h"
#include "store/ledger.h"
#include "store/obsmem.h"
#include "store/store.h"

#define QUERY_GROEP_ID	64	/* bytes of a group id, incl. NUL */

/* Where the read model reads from. Borrowed: nothing is freed. */
struct query_src {
	struct ledger *led;		/* any connection, e.g. a pooled reader */
	const struct catalog *cat;
	const struct reg *reg;
	struct store *store;
	size_t	k;			/* peers (conf.peers_k); 0 = default 10 */
	const struct conf_words *features;	/* conf.peer_features */
	/* "YYYY-MM-DD": read the ledger as it stood at the end of that day
	 * (the revisions recorded by then); NULL: as it stands now. */
	const char *zoals_op;
	/* The memo of withheld figures (domain §3.5); NULL: computed on
	 * every read. */
	struct publish *pub;
	/* The current values in memory (obsmem.h); NULL, or holding
	 * nothing usable: read from led. As-of reads always use led. */
	struct obsmem *mem;
};

/* A gemeente's series, aggregated to a period kind (domain §3). */
struct query_series {
	struct compare_period *v;
	size_t	n;
	int    *revs;		/* revisions per value (native kind only), or NULL */
	int	synthetisch;	/* any value from the synthetic demo data */
};

/* Every read below that returns values marks each one the disclosure
 * control withholds (compare_period.beschermd, publish.h); the compare
 * engine and view_public then show it as "aanvullend onderdrukt". */
int	query_series_load(const struct query_src *src,
	    const struct indicator *ind, const char *gm, enum period_kind per,
	    struct query_series *ret, struct err *err);
void	query_series_free(struct query_series *s);
/* As query_series_load, as the ledger stood at the end of day datum
 * ("YYYY-MM-DD"): per period the highest revision recorded by then. */
int	query_series_asof(const struct query_src *src,
	    const struct indicator *ind, const char *gm, enum period_kind per,
	    const char *datum, struct query_series *ret, struct err *err);
/* Every revision of gm's series in period p of the indicator's own kind
 * (oldest first), with toelichting and recorded_at; free *ret. */
int	query_revisions(struct ledger *led, const struct indicator *ind,
	    const char *gm, struct ledger_revision **ret, size_t *ret_n,
	    struct err *err);
/* The value of period p, or NULL. */
/* The series of gm on today's boundaries: the history of gemeenten that
 * merged into gm (following chains of herindelingen) aggregated onto it by
 * the indicator's rules. Values of a gemeente that was split (Haaren) are
 * not assigned: they come back in *ret_un (free). ret->revs is NULL. */
int	query_series_merged(const struct query_src *src,
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

int	query_xsec_load(const struct query_src *src,
	    const struct indicator *ind, const struct period *p,
	    struct query_xsec *ret, struct err *err);
const struct compare_period *query_xsec_find(const struct query_xsec *x,
	    const char *code);
/* Compare cells of the members (indices into reg->gemeenten); malloc'd. */
struct compare_cell *query_cells(const struct reg *reg, const size_t *leden,
	    size_t n, const struct query_xsec *x);
/* Latest period of the indicator's own kind with data (-1: none). */
int	query_latest_period(const struct query_src *src,
	    const struct indicator *ind,
	    struct period *ret, struct err *err);

/* The periods with current values of indicator id (distinct, in time
 * order): from memory when src->mem holds them, else the ledger. */
int	query_read_periods(const struct query_src *src, const char *id,
	    struct period **ret, size_t *ret_n, struct err *err);

/* The standard group ids, the one list every consumer uses: "alle",
 * "grootteklasse-1".."8" (non-empty ones), "provincie-*" of every province
 * with active gemeenten, and every groepen.ini group (malloc'd array of
 * *ret_n ids, register order, deterministic). */
int	query_standard_groups(const struct reg *reg,
	    char (**ret)[QUERY_GROEP_ID], size_t *ret_n, struct err *err);
/* Row of an active gemeente in reg->gemeenten (the active part is sorted
 * by code); -1 for opgeheven or unknown codes (they are in no group). */
long	query_active_row(const struct reg *reg, const char *code);
/* The k nearest gemeenten to anker (an active code) on the peer features,
 * each taken as the latest value per gemeente in the ledger (within the
 * last 36 periods of the feature indicator). ret as compare_peers, whose
 * peers[i].index is the row in reg->gemeenten. Free with
 * compare_peers_free. */
int	query_peers(const struct query_src *src, const char *anker,
	    struct compare_peers *ret, struct err *err);
/* Members of a group; "vergelijkbaar-GM…" is the gemeente and its k
 * peers. Free with compare_groep_free. */
int	query_group_members(const struct query_src *src, const char *id,
	    struct compare_groep *ret, struct err *err);

/* The published comparison (compare_eval, publiek) of the members leden
 * (n indices into reg->gemeenten) on cross-section x: what the API shows
 * for a group, the band stores and an alert judges. Free ret with
 * compare_result_free. */
int	query_eval(const struct reg *reg, const struct indicator *ind,
	    const size_t *leden, size_t n, const struct query_xsec *x,
	    struct compare_result *ret, struct err *err);

/* What a comparison ranks (domain §3.9): a ratio or mean as itself, a
 * count through its rate (catalog_rate), context and counts asked for as
 * counts (als_aantal) not at all. */
struct query_basis {
	struct indicator ind;	/* the ranked quantity: a copy of the
				 * indicator, or its rate */
	int	rate;		/* 1: ind is the rate of a count */
	int	rangschik;	/* 0: values shown, never ranked or judged */
	const char *reden;	/* Dutch, static: why not ranked ("" if ranked) */
};

void	query_basis(const struct indicator *ind, int als_aantal,
	    struct query_basis *ret);
/* The cross-section of what b ranks at period p: for a rate, every
 * gemeente's count as teller and its noemer at the moment the catalogue
 * names (a missing noemer leaves the cell without value; a noemer whose
 * months are missing makes it onvolledig); otherwise query_xsec_load. */
int	query_basis_xsec(const struct query_src *src,
	    const struct indicator *ind, const struct query_basis *b,
	    const struct period *p, struct query_xsec *ret, struct err *err);
/* query_eval on b->ind, without ranks when b does not rank. */
int	query_eval_basis(const struct reg *reg, const struct query_basis *b,
	    const size_t *leden, size_t n, const struct query_xsec *x,
	    struct compare_result *ret, struct err *err);

/* A comparison: the group's result and the country's, published view,
 * on what the basis ranks; for a rate also the counts themselves, summed
 * (totaal, land_totaal; never ranked). */
struct query_vgl {
	const struct indicator *ind;
	struct query_basis basis;
	struct period periode;
	struct compare_groep groep;
	struct compare_result res;	/* the group */
	struct compare_result land;	/* all gemeenten */
	struct compare_result totaal, land_totaal;	/* rate: the counts */
	int	synthetisch;
	/* 1: "alle" and the country are the gemeenten of the period (its
	 * boundaries and N, domain §3.10); other groups keep today's. */
	int	grenzen_periode;
	char	zoals_op[11];	/* as-of date used, "" for now (set by caller) */
};

/* 1 when gemeente g existed during (part of) period p: not yet opgeheven
 * when p began and not created by a herindeling after p ended (a
 * successor of two or more gemeenten is new from that date). */
int	query_existed(const struct reg *reg, const struct gemeente *g,
	    const struct period *p);
/* "alle" on the boundaries of period p: every gemeente (active or since
 * opgeheven) that existed during p. Free with compare_groep_free. */
int	query_alle_at(const struct reg *reg, const struct period *p,
	    struct compare_groep *ret, struct err *err);

/* periode NULL: the latest with data. als_aantal: the counts themselves,
 * not ranked. Returns 0, 1 when the group or the data do not exist (err
 * says which), -1 on other errors. Free with query_vgl_free in every
 * case. */
int	query_vgl(const struct query_src *src, const struct indicator *ind,
	    const struct period *periode, const char *groep, int als_aantal,
	    struct query_vgl *ret, struct err *err);
void	query_vgl_free(struct query_vgl *v);

/* What the benchmark inputs lack (domain §4: name it, never guess). */
struct query_bench_status {
	int	maanden;	/* months of jaar every flow has (0..12) */
	int	maanden_stroom[4];	/* per flow: werk, opleiding, ondernemer, deeltijd */
	int	bestand_ontbreekt;	/* a duurklasse of the December before */
	char	ontbreekt[768];	/* Dutch: indicator and peildatum or months */
	/* duurklassen the disclosure control withholds (domain §3.5): their
	 * expected figure is not shown either */
	int	klasse_onderdrukt[BENCHMARK_NKLASSEN];
};

/* Benchmark inputs: bestand per duurklasse in the December before jaar,
 * uitstroom per reason summed over the months of jaar present. A flow
 * with fewer than 12 months is summed over what is there (st->maanden
 * says how many every flow has; st->ontbreekt names the rest). */
void	query_benchmark_input(const struct query_src *src, const char *gm,
	    int jaar, struct benchmark_input *in, struct query_bench_status *st);
/* Whether the benchmark's figures may be published (domain §3.5): the
 * expected figure Σ rate_k × bestand_k, the bestand Σ bestand_k and the
 * € per uitstromer Σ schadelast_k × bestand_k (of the December before
 * jaar), and the realised werk + opleiding + ondernemer + ½ deeltijd of
 * jaar, besides everything else published, must determine no small
 * figure. 1 yes, 0 no (*wat names the part, Dutch), -1 on error. */
int	query_benchmark_public(const struct query_src *src, const char *gm,
	    int jaar, const double *rate, const double *schadelast,
	    const char **wat, struct err *err);
/* The figures disclosure control withholds for every gemeente in one year
 * of a family (what the memo keeps per family and year), sorted; for the
 * read model itself and bench/publish. */
int	query_withheld_year(const struct query_src *src, const struct publish_family *f,
	    int year, struct publish_list *out, struct err *err);
/* The latest year with a complete December of pw_uitstroom_werk (0: none). */
int	query_default_year(const struct query_src *src);

#endif /* QUERY_H */
