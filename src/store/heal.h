/* src/store/heal.h — the store heals itself (issue 13): series left
 * pending by a failed RRD write (a full disk) are retried by a timer
 * thread and after each ingest, without a restart; a series file found
 * missing, unreadable, truncated, overwritten or with a window that does
 * not cover the ledger is rebuilt from the ledger on first use.
 *
 * Thread-safety: heal_series may be called from any thread; the rebuild
 * runs under the app's writer lock. */
#ifndef HEAL_H
#define HEAL_H

#include "input/catalog.h"
#include "store/app.h"
#include "store/ledger.h"

struct heal;

/* Start the retry thread (every interval seconds) and register the
 * after-ingest retry as an app hook (call before serving). NULL with err
 * set on failure. */
struct heal *heal_start(struct app *app, int interval, struct err *err);
void	heal_stop(struct heal *h);	/* joins the thread; NULL is a no-op */

/* Before a series file is read for the public (a chart): check it
 * against the ledger through reader (a pooled connection) and rebuild it
 * when broken. Returns 0 when the file can be used (sound, healed, or no
 * values at all), -1 when it is broken and could not be rebuilt (logged;
 * answer without it). */
int	heal_series(struct app *app, struct ledger *reader,
	    const char *gemeente, const struct indicator *ind);

#endif /* HEAL_H */
