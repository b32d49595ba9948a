/* src/serve/inbox.h — the file drop for suppliers that deliver files (SFTP,
 * scheduled exports): every complete *.csv in the inbox directory is
 * ingested with the same validation as an upload, then moved to verwerkt/
 * or afgekeurd/ with its JSON report beside it.
 *
 * Crash safety: a file is moved only after its feed is durable; a crash in
 * between leaves it in the inbox, and the next pass recognises the content
 * (sha256) as already received, so nothing is lost or ingested twice. */
#ifndef INBOX_H
#define INBOX_H

#include <time.h>

#include "store/app.h"
#include "base/err.h"

#define INBOX_SETTLE_S	3	/* a *.csv untouched this long is complete */
#define INBOX_POLL_MS	1000

struct inbox;

/* One pass over dir at time now: returns the number of files handled, or
 * -1 with err set when dir cannot be read. Hidden files (".name") and
 * names not ending in .csv are left alone: write elsewhere and rename. */
int	inbox_scan(struct app *app, const char *dir, unsigned settle_s,
	    time_t now, struct err *err);
/* A thread that scans dir every INBOX_POLL_MS. */
struct inbox *inbox_start(struct app *app, const char *dir, struct err *err);
void	inbox_stop(struct inbox *ib);	/* NULL-safe; waits for the thread */

#endif /* INBOX_H */
