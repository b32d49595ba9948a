/* src/alert/alert.h — alert rules for managers (design §8, issue 7): the
 * rule kinds and their parameters, pure evaluation of one rule for one
 * gemeente over arrays, the state machine per (rule, gemeente), and the
 * impure edges: the after-ingest hook, the daily pass for missing
 * deliveries, the preview on history and the delivery worker that runs the
 * configured alert_command (argv, no shell) with the event JSON on stdin
 * (the queue, spawn and retries are alertrun.h's; the worker adds this
 * module's daily pass as the runner's periodic task).
 *
 * Thread-safety: the pure functions (alert_rule_*, alert_eval,
 * alert_transition) share no state. alert_hook runs with the app's writer
 * lock held (app.h); alert_daily and alert_preview_run take what they need
 * from the app themselves. A struct alert_worker is shared by every thread:
 * its queue locks. */
#ifndef ALERT_H
#define ALERT_H

#include <stddef.h>

#include "store/app.h"
#include "input/catalog.h"
#include "analysis/compare.h"
#include "base/conf.h"
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
/* Conversions to and from the ledger's row. */
int	alert_rule_from_ledger(const struct ledger_alert_rule *l,
	    struct alert_rule *ret, struct err *err);
int	alert_rule_to_ledger(const struct alert_rule *r,
	    struct ledger_alert_rule *ret, struct err *err);
/* 1 when every gemeente the rule can fire for is in scope (auth.h scope
 * string, "" = all). Group rules resolve their members through reg. */
int	alert_rule_in_scope(const struct alert_rule *r, const struct reg *reg,
	    const char *scope);

/* What one evaluation sees. */
struct alert_input {
	const struct indicator *ind;
	const char *gemeente;	/* "GM0363" */
	const char *gemeente_naam;	/* for the sentence; NULL = code only */
	const struct obs *obs;	/* current values of one gemeente, by period */
	size_t	n;
	struct period at;	/* the period to judge (kind of ind) */
	/* ALERT_GROEP: the group's comparison for `at` (internal, not
	 * publiek), or NULL. */
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

/* ---- edges ---- */

struct alert_worker;

/* Start the delivery worker: a thread with a queue that runs
 * conf->alert_command (when set) for each new event, with the event JSON
 * on stdin, conf->alert_timeout seconds at most, retried with backoff on
 * failure (logged), and the daily missing-delivery pass. app must outlive
 * the worker. Returns NULL with err set on failure. */
struct alert_worker *alert_worker_start(struct app *app,
	    const struct conf *conf, struct err *err);
/* Stop the thread (a running command is waited for up to its timeout);
 * undelivered events stay in the ledger and the Atom feed. NULL: no-op. */
void	alert_worker_stop(struct alert_worker *w);
/* Queue the JSON text of an event (copied). Never blocks on delivery. */
void	alert_worker_push(struct alert_worker *w, const char *json);
/* Wait until the queue is empty and nothing runs, at most timeout_ms.
 * Returns 0, or -1 on timeout (tests, shutdown). */
int	alert_worker_drain(struct alert_worker *w, int timeout_ms);
/* Deliveries that succeeded / were given up, for /metrics and tests. */
void	alert_worker_counts(struct alert_worker *w, unsigned long *ret_ok,
	    unsigned long *ret_failed);

/* The app_hook (app.h) to register after each ingest; arg is the worker
 * (or NULL: events are stored but not delivered). Evaluates the enabled
 * rules of the touched series only and applies the state changes in one
 * transaction on the writer. Errors are logged, never passed to ingest. */
void	alert_hook(void *arg, struct ingest_ctx *ctx,
	    const struct ledger_commit *commit);
/* The daily pass: every enabled ontbrekend rule over its scope at time
 * now, under the app's writer lock. Returns the number of new events or
 * -1 with err set. */
long	alert_daily(struct app *app, struct alert_worker *w, long long now,
	    struct err *err);
/* The event as the JSON the command, the API and Atom use (new ref). */
json_t *alert_event_json(const struct ledger_alert_event *e);

/* Preview on history: how often rule r would have fired (ok → firing
 * transitions) per gemeente over the last `perioden` periods up to now. */
struct alert_preview_hit {
	char	gemeente[8];
	struct period periode;
	char	zin[512];
};
struct alert_preview {
	size_t	nfired;			/* firing transitions */
	size_t	ngemeenten;		/* gemeenten judged */
	struct period van, tot;
	struct alert_preview_hit *hits;	/* malloc'd, at most 200 kept */
	size_t	nhits;
};
int	alert_preview_run(struct app *app, const struct alert_rule *r,
	    int perioden, long long now, struct alert_preview *ret,
	    struct err *err);
void	alert_preview_free(struct alert_preview *p);

#endif /* ALERT_H */
