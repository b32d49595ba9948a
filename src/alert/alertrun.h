/* src/alert/alertrun.h — the delivery runner behind alert notifications
 * (issue 7): one thread with a queue that runs a command (argv, no shell)
 * with each event's JSON on stdin, at most timeout seconds per run,
 * retried with backoff (2, 4, 8, 16 s) and logged on failure, plus a
 * periodic task (alert's daily pass for missing deliveries) run on the same
 * thread. It knows nothing of rules: alert.c hands it text and a task.
 *
 * Thread-safety: a struct alertrun is shared by every thread; its queue
 * locks. The task runs on the runner's thread without the runner's lock,
 * so it may call alertrun_push. */
#ifndef ALERTRUN_H
#define ALERTRUN_H

#include "base/conf.h"
#include "base/err.h"

struct alertrun;

/* The periodic task: arg as given to alertrun_start, run the runner
 * itself (to queue what the task produces). */
typedef void (*alertrun_task)(void *arg, struct alertrun *run);

/* Start the thread. argv (copied; n = 0: pushed text is dropped) runs
 * at most timeout seconds (<= 0: 10). task (may be NULL) runs at once and
 * then every period_ms. Returns NULL with err set on failure. */
struct alertrun *alertrun_start(const struct conf_words *argv, int timeout,
	    alertrun_task task, void *arg, long long period_ms,
	    struct err *err);
/* Stop the thread (a running command is waited for up to its timeout);
 * queued text is dropped. NULL: no-op. */
void	alertrun_stop(struct alertrun *run);
/* Queue text for the command (copied). Never blocks on delivery; a full
 * queue (10 000) drops it with a log line. NULL run: no-op. */
void	alertrun_push(struct alertrun *run, const char *text);
/* Wait until the queue is empty, nothing runs and the task is not due, at
 * most timeout_ms. Returns 0, or -1 on timeout. NULL: 0. */
int	alertrun_drain(struct alertrun *run, int timeout_ms);
/* Deliveries that succeeded / were given up after every retry. */
void	alertrun_counts(struct alertrun *run, unsigned long *ret_ok,
	    unsigned long *ret_failed);

#endif /* ALERTRUN_H */
