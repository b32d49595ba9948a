/* src/alert/alert.h — alert rules for managers (design §8, issue 7): the
 * rule kinds and their parameters, pure evaluation of one rule for one
 * gemeente over arrays, the state machine per (rule, gemeente) and events
 * as JSON. Pure: no I/O, no logging, no shared state; this header includes
 * nothing above analysis/. The engine that runs rules against the ledger
 * is alert_engine.h.
 *
 * Thread-safety: every function here may run on any thread. */
#ifndef ALERT_H
#define ALERT_H

#include <stddef.h>

#include "input/catalog.h"
#include "analysis/compare.h"
#include "base/err.h"
#include "base/json.h"
#include "store/ledger.h"
#include "input/register.h"
#include "store/store.h"
#include "input/validate.h"

enum alert_kind {
	ALERT_DREMPEL,		/* "drempel": value above/below a number */
	ALERT_VERANDERING,	/* "verandering": vs previous period / year */
	ALERT_TREND,		/* "trend": least-squares slope over N periods */
	ALERT_GROEP,		/* "afwijking_groep": outside P10–P90 or > k from P50 */
	ALERT_ONTBREEKT,	/* "ontbrekend": no value D days after the period */
	ALERT_PATROON,		/* "afwijkend_patroon": RRD Holt-Winters FAILURES */
	ALERT_NKINDS
};

/* Direction: threshold "boven"/"onder"; change and trend "stijging"
 * (= boven), "daling" (= onder) or "beide". */
enum alert_richting { ALERT_BOVEN, ALERT_ONDER, ALERT_BEIDE };
enum alert_basis { ALERT_VORIGE, ALERT_VORIG_JAAR };
enum alert_eenheid { ALERT_PUNTEN, ALERT_PROCENT };
enum alert_methode { ALERT_BAND, ALERT_MEDIAAN };

struct alert_rule {
	long long id;
	char	naam[128];
	enum alert_kind kind;
	char	gemeente[8];	/* "" = every member of groep */
	char	indicator[64];
	char	groep[64];	/* scope, and the peers of ALERT_GROEP */
	int	min_n;		/* never fires on a cell with a smaller n */
	int	enabled;
	char	eigenaar[64];
	/* Parameters, stored as the JSON object "params". */
	enum alert_richting richting;
	double	drempel;	/* value, change, slope or k points */
	enum alert_basis basis;
	enum alert_eenheid eenheid;
	int	perioden;	/* trend window, 3..120 */
	enum alert_methode methode;
	int	dagen;		/* ontbrekend: days after the period's end */
	int	per;		/* period kind judged (enum period_kind), at
				 * least the indicator's; -1 = its own */
	struct store_hw hw;	/* afwijkend_patroon */
};

/* "drempel" … "afwijkend_patroon" <-> kind. parse returns 0 or -1. */
const char *alert_kind_name(enum alert_kind k);
int	alert_kind_parse(const char *s, enum alert_kind *ret);

/* A rule with the defaults of its kind (enabled, richting boven, …). */
void	alert_rule_init(struct alert_rule *r, enum alert_kind kind);
/* Fill r from a JSON object as the API takes it: {"naam", "soort",
 * "gemeente", "groep", "indicator", "min_n", "actief", "params": {…}}.
 * id and eigenaar are left alone. Returns 0, or -1 with a Dutch err. */
int	alert_rule_from_json(const json_t *o, struct alert_rule *r,
	    struct err *err);
/* The rule as the API shows it (new reference, NULL when out of memory). */
json_t *alert_rule_to_json(const struct alert_rule *r);
/* Check against the catalogue and register: known indicator and gemeente
 * (normalised to GMxxxx), a group that resolves, scope present, peers for
 * afwijking_groep, sane parameters. Returns 0 or -1 (err, Dutch). */
int	alert_rule_check(struct alert_rule *r, const struct catalog *cat,
	    const struct reg *reg, struct err *err);
/* The period kind r judges ind at: params.per, or the indicator's own. */
enum period_kind alert_rule_period(const struct alert_rule *r,
	    const struct indicator *ind);
/* Conversions to and from the ledger's row. */
int	alert_rule_from_ledger(const struct ledger_alert_rule *l,
	    struct alert_rule *ret, struct err *err);
int	alert_rule_to_ledger(const struct alert_rule *r,
	    struct ledger_alert_rule *ret, struct err *err);
/* 1 when every gemeente the rule can fire for is in scope (parsed against
 * reg: register_scope_parse). Group rules resolve their members through reg; a
 * group that resolves to no member (a vergelijkbaar-* group needs the
 * ledger: see alert_members_in_scope) is in no scope but "all". */
int	alert_rule_in_scope(const struct alert_rule *r, const struct reg *reg,
	    const struct reg_scope *scope);
/* 1 when g has members and every one is in scope (all: always): the check
 * on a group's members as resolved with data (query_group_members). */
int	alert_members_in_scope(const struct compare_groep *g,
	    const struct reg *reg, const struct reg_scope *scope);

/* What one evaluation sees. */
struct alert_input {
	const struct indicator *ind;
	const char *gemeente;	/* "GM0363" */
	const char *gemeente_naam;	/* for the sentence; NULL = code only */
	const struct obs *obs;	/* values of one gemeente, by period, at the
				 * rule's period kind (the read model's) */
	size_t	n;
	struct period at;	/* the period to judge (alert_rule_period) */
	/* ALERT_GROEP: the group's published comparison for `at` (the one
	 * the comparison API shows), or NULL. */
	const struct compare_result *groep;
	/* ALERT_PATROON: Holt-Winters flag of `at`: 1, 0, or -1 unknown. */
	int	hw_flag;
	long long now;		/* ALERT_ONTBREEKT: seconds since the epoch */
};

enum alert_uitkomst {
	ALERT_STIL = -1,	/* cannot judge: small n, missing data */
	ALERT_OK = 0,
	ALERT_VUURT = 1
};

/* The numbers behind a judgement (NaN where they do not apply). */
struct alert_result {
	enum alert_uitkomst uitkomst;
	struct period periode;
	double	waarde, drempel, vorige, verschil, helling;
	double	p10, p50, p90;
	double	n;		/* noemer (ratio, gemiddelde) or count */
	char	zin[512];	/* Dutch sentence, set when VUURT */
};

/* Judge rule r on in. Always fills ret; returns ret->uitkomst. Suppressed
 * cells (n below the indicator's or the rule's min_n) are STIL. */
enum alert_uitkomst alert_eval(const struct alert_rule *r,
	    const struct alert_input *in, struct alert_result *ret);
/* The numbers of ret as a JSON object (new reference). */
json_t *alert_result_details(const struct alert_rule *r,
	    const struct alert_result *ret);
/* The period ALERT_ONTBREEKT judges at time now: the latest period of
 * kind whose end lies at least dagen days before now. */
struct period alert_due_period(enum period_kind kind, int dagen,
	    long long now);
/* Least-squares slope of y over x = 0..n-1 (NaN for n < 2). */
double	alert_slope(const double *y, size_t n);

/* The state machine (ok → firing → acknowledged → resolved): what to do
 * with the open event of a (rule, gemeente) given a new judgement. */
enum alert_state { ALERT_GEEN, ALERT_FIRING, ALERT_ACKED };
enum alert_actie { ALERT_NIETS, ALERT_NIEUW, ALERT_OPHEFFEN };
enum alert_actie alert_transition(enum alert_state open,
	    enum alert_uitkomst u);

/* "actief", "bevestigd", "opgeheven": an event state for people; "" when
 * out of range. */
const char *alert_state_tekst(enum ledger_event_state s);
/* The event as the JSON the command, the API and Atom use (new ref). */
json_t *alert_event_json(const struct ledger_alert_event *e);

#endif /* ALERT_H */
