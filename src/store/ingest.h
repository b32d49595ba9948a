/* src/store/ingest.h — one feed end to end: parse (feed) → validate → durable
 * commit (ledger) → RRD update (store) → after-commit hook (group bands,
 * alerts; installed by higher layers). Also recovery of the pending journal,
 * rebuild and verify. Used by basisctl, the HTTP upload and the inbox.
 *
 * Threads: calls on one ingest_ctx must be serialised by the caller (the
 * daemon has one ingest thread / mutex); the ledger in ctx is the writer. */
#ifndef INGEST_H
#define INGEST_H

#include <stddef.h>
#include <stdio.h>

#include "input/catalog.h"
#include "store/ledger.h"
#include "store/obsmem.h"
#include "input/register.h"
#include "base/report.h"
#include "store/store.h"

struct ingest_ctx;
struct publish;		/* analysis/publish.h: carried for the hooks */

/* Called after a feed was committed and its RRDs updated. */
typedef void (*ingest_hook)(void *arg, const struct ledger_commit *commit);
/* Progress: done of total units (rows or series); for a terminal bar. */
typedef void (*ingest_progress)(void *arg, size_t done, size_t total);

struct ingest_ctx {
	const struct catalog *cat;
	const struct reg *reg;
	struct ledger *led;	/* writer connection */
	struct store *store;
	ingest_hook after_commit;
	void   *hook_arg;
	/* the memo of withheld figures the band hooks read through (the
	 * readers' one); NULL computes them on every read */
	struct publish *pub;
	/* the current values in memory the band hooks read (the readers'
	 * one, synced before any hook runs); NULL reads the writer */
	struct obsmem *mem;
	ingest_progress progress;
	void   *progress_arg;
	int	toekomst_marge;	/* periods after the current one accepted */
};

struct ingest_opts {
	int	partial;
	const char *leverancier;	/* "" → "basisctl" */
	long long token_id;		/* the sending token; 0 = basisctl */
	const char *client;		/* sender's address, for refused feeds */
	/* the sending token's gemeenten as the ledger keeps them (space-
	 * separated codes); NULL or "" = every gemeente. Parsed once per
	 * feed against ctx->reg (register_scope_parse). */
	const char *gemeenten;
	size_t	max_rows;		/* 0 = unlimited */
	size_t	max_field;		/* 0 = 1024 */
	int	proef;			/* dry run: check and report, store nothing */
};

enum ingest_status {
	INGEST_ACCEPTED,	/* all rows stored */
	INGEST_PARTIAL,		/* --partial: good rows stored, others reported */
	INGEST_DUPLICATE,	/* identical content was received before: no-op */
	INGEST_REJECTED,	/* problems: nothing stored */
	INGEST_FORBIDDEN,	/* rows outside the supplier's scope: nothing stored */
	INGEST_FAILED,		/* internal error (disk, database): nothing stored */
};

struct ingest_report {
	enum ingest_status status;
	char	naam[256];
	char	sha256[65];
	long long feed_id;	/* 0 when nothing was stored */
	char	received_at[32];
	size_t	rows, ok, bad, scope_rows;
	long	nieuw, herzien, ongewijzigd;
	int	synthetisch;
	struct report problems;
	char	fout[512];	/* INGEST_FAILED: the internal error */
	int	proef;		/* a dry run: status says what storing would do */
};

/* Ingest one feed held in memory. Returns 0 when the outcome is known
 * (see ret->status; ret must be freed with ingest_report_free), -1 only
 * when ret could not be filled at all. The feed is durable in the ledger
 * before this returns ACCEPTED/PARTIAL. */
int	ingest_feed(struct ingest_ctx *ctx, const char *naam, const char *data,
	    size_t len, const struct ingest_opts *opts,
	    struct ingest_report *ret);
void	ingest_report_free(struct ingest_report *rep);
const char *ingest_status_name(enum ingest_status s);
/* The report as JSON text (malloc'd), the format of doc/basisd-feed.5. */
char   *ingest_report_json(const struct ingest_report *rep);
/* Human-readable report: one line per problem, then a summary. */
void	ingest_report_print(const struct ingest_report *rep, FILE *fp);

/* Withdraw the current value of (gemeente, ind, periode) (issue 13): a
 * revision "ingetrokken" in the ledger (history kept; door names who, as
 * the leverancier of the act), the series file rebuilt (removed when no
 * value is left), then the after-commit hook. Returns 1 done, 0 when
 * there is no current value, -1 on error (err set). */
int	ingest_withdraw(struct ingest_ctx *ctx, const char *gemeente,
	    const struct indicator *ind, const struct period *periode,
	    const char *door, const char *toelichting, struct err *err);

/* Bring the RRD files of the pending journal up to date (after a crash or
 * a failed write): the ones rebuilt leave the journal, the others stay
 * for the next try. -1 when any failed. */
int	ingest_recover(struct ingest_ctx *ctx, struct err *err);
/* Rebuild the RRD files of the given gemeenten (all when n == 0), past
 * every series that cannot be written (each logged with the reason);
 * rebuilt series leave the pending journal. -1 when any failed (err
 * counts them), the others rebuilt all the same. */
int	ingest_rebuild(struct ingest_ctx *ctx, const char *const *gemeenten,
	    size_t n, struct err *err);
/* Check one series file against the ledger (issue 13): present, its
 * structure (store_check), its window covering the ledger's periods, then
 * every value. Each finding is printed to out (NULL: counted only) with
 * how to repair it. Returns the number of findings, or -1 on error. */
long	ingest_verify_series(struct ingest_ctx *ctx,
	    const struct ledger_key *key, FILE *out, struct err *err);
/* Rebuild one series file from the ledger and drop it from the pending
 * journal. 0 or -1. */
int	ingest_rebuild_series(struct ingest_ctx *ctx,
	    const struct ledger_key *key, struct err *err);
/* Compare every RRD file with the ledger; each mismatch is printed to out.
 * Returns the number of mismatches, or -1 on error. */
long	ingest_verify(struct ingest_ctx *ctx, FILE *out, struct err *err);

#endif /* INGEST_H */
