/* src/alert/alertrun.c — the delivery runner (before alert in the flow): a
 * thread with a queue that runs the configured command once per event,
 * without a shell, retrying with backoff, and a periodic task on the same
 * thread. alert.c owns what is delivered and what the task does. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alert/alertrun.h"
#include "base/log.h"
#include "base/util.h"

extern char **environ;

#define WORKER_ATTEMPTS 5	/* then the event stays in the ledger only */
#define WORKER_BACKOFF_MS 1000	/* doubled after every failure */
#define WORKER_QUEUE_MAX 10000	/* beyond this, new events are not queued */

struct job {
	struct job *next;
	char   *text;
	int	attempts;
	long long due_ms;
};

struct alertrun {
	struct conf_words argv;
	int	timeout;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;	/* queue changed, stop, or a job finished */
	struct job *head, *tail;
	size_t	queued;
	int	busy, stop;
	alertrun_task task;
	void   *task_arg;
	long long period_ms;
	long long next_task_ms;	/* LLONG_MAX: no task */
	unsigned long ok, failed;
};

static void
ms_sleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Write all of buf; a command that does not read its stdin is fine. */
static void
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t	k = write(fd, buf, len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		buf += k;
		len -= (size_t)k;
	}
}

/* Wait for pid at most timeout seconds; kill it after. Returns the exit
 * status as waitpid gives it, or -1 on timeout. */
static int
wait_timeout(pid_t pid, int timeout)
{
	long long end = util_mono_ms() + timeout * 1000LL;
	int	status;

	for (;;) {
		pid_t	r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r == -1 && errno != EINTR)
			return -1;
		if (util_mono_ms() >= end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		ms_sleep(20);
	}
}

/* Run the command without a shell, the event on its stdin. 0 = exit 0. */
static int
deliver(struct alertrun *w, const char *text)
{
	char   *argv[CONF_WORDS_MAX + 1];
	posix_spawn_file_actions_t fa;
	int	fds[2], status, rc;
	pid_t	pid;

	for (int i = 0; i < w->argv.n; i++)
		argv[i] = w->argv.w[i];
	argv[w->argv.n] = NULL;
	if (pipe2(fds, O_CLOEXEC) == -1) {
		log_err("alert_command: pipe: %s", strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[0], STDIN_FILENO);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[0]);
	if (rc != 0) {
		close(fds[1]);
		log_err("alert_command %s: kan niet starten: %s", argv[0],
		    strerror(rc));
		return -1;
	}
	write_all(fds[1], text, strlen(text));
	write_all(fds[1], "\n", 1);
	close(fds[1]);
	if ((status = wait_timeout(pid, w->timeout)) == -1) {
		log_err("alert_command %s: afgebroken na %d s", argv[0],
		    w->timeout);
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		log_err("alert_command %s: eindigde met status %d", argv[0],
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	return 0;
}

/* The first job that is due, unlinked; NULL when none. Holds w->mu. */
static struct job *
job_take(struct alertrun *w, long long now, long long *ret_next)
{
	struct job **pp = &w->head, *prev = NULL;

	*ret_next = w->next_task_ms;
	for (; *pp != NULL; prev = *pp, pp = &(*pp)->next) {
		struct job *j = *pp;

		if (j->due_ms > now) {
			if (j->due_ms < *ret_next)
				*ret_next = j->due_ms;
			continue;
		}
		*pp = j->next;
		if (w->tail == j)
			w->tail = prev;
		w->queued--;
		return j;
	}
	return NULL;
}

static void
job_append(struct alertrun *w, struct job *j)
{
	j->next = NULL;
	if (w->tail != NULL)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	w->queued++;
}

static void
cond_wait_until(struct alertrun *w, long long due_ms)
{
	long long wait = due_ms - util_mono_ms();
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (wait > 3600 * 1000)
		wait = 3600 * 1000;
	ts.tv_sec += (time_t)(wait / 1000);
	ts.tv_nsec += (long)(wait % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&w->cv, &w->mu, &ts);
}

/* Deliver one job outside the lock; requeue it with backoff on failure. */
static void
run_job(struct alertrun *w, struct job *j)
{
	int	rc;

	w->busy = 1;
	pthread_mutex_unlock(&w->mu);
	rc = deliver(w, j->text);
	pthread_mutex_lock(&w->mu);
	w->busy = 0;
	if (rc == 0) {
		w->ok++;
	} else if (++j->attempts < WORKER_ATTEMPTS && !w->stop) {
		j->due_ms = util_mono_ms() + (WORKER_BACKOFF_MS << j->attempts);
		log_warn("alert_command: poging %d mislukt, opnieuw over %d ms",
		    j->attempts, WORKER_BACKOFF_MS << j->attempts);
		job_append(w, j);
		j = NULL;
	} else {
		w->failed++;
		log_err("alert_command: melding na %d pogingen opgegeven (staat "
		    "wel in het grootboek en de Atom-feed)", j->attempts);
	}
	if (j != NULL) {
		free(j->text);
		free(j);
	}
	pthread_cond_broadcast(&w->cv);
}

/* The periodic task, outside the lock (it may push). */
static void
run_task(struct alertrun *w)
{
	pthread_mutex_unlock(&w->mu);
	w->task(w->task_arg, w);
	pthread_mutex_lock(&w->mu);
	w->next_task_ms = util_mono_ms() + w->period_ms;
}

static void *
worker_main(void *arg)
{
	struct alertrun *w = arg;
	sigset_t pipe_set;

	/* A command that exits before reading its stdin must not kill the
	 * daemon: write() then fails with EPIPE instead. */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, NULL);
	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		long long now = util_mono_ms(), next;
		struct job *j;

		if (now >= w->next_task_ms) {
			run_task(w);
			continue;
		}
		if ((j = job_take(w, now, &next)) != NULL) {
			run_job(w, j);
			continue;
		}
		cond_wait_until(w, next);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

struct alertrun *
alertrun_start(const struct conf_words *argv, int timeout, alertrun_task task,
    void *arg, long long period_ms, struct err *err)
{
	struct alertrun *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		err_set(err, "onvoldoende geheugen");
		return NULL;
	}
	w->argv = *argv;
	w->timeout = timeout > 0 ? timeout : 10;
	w->task = task;
	w->task_arg = arg;
	w->period_ms = period_ms > 0 ? period_ms : 1000;
	/* The first pass runs at start: a daemon that is restarted every day
	 * would otherwise never run it. */
	w->next_task_ms = task != NULL ? util_mono_ms() : LLONG_MAX;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		err_set(err, "kan de meldingen-thread niet starten");
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return NULL;
	}
	return w;
}

void
alertrun_stop(struct alertrun *w)
{
	struct job *j;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	while ((j = w->head) != NULL) {
		w->head = j->next;
		free(j->text);
		free(j);
	}
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

void
alertrun_push(struct alertrun *w, const char *text)
{
	struct job *j;

	if (w == NULL || w->argv.n == 0)
		return;
	if ((j = calloc(1, sizeof(*j))) == NULL ||
	    (j->text = strdup(text)) == NULL) {
		free(j);
		log_err("alert: onvoldoende geheugen voor de wachtrij");
		return;
	}
	pthread_mutex_lock(&w->mu);
	if (w->queued >= WORKER_QUEUE_MAX) {
		pthread_mutex_unlock(&w->mu);
		log_err("alert: wachtrij vol; melding alleen in het grootboek");
		free(j->text);
		free(j);
		return;
	}
	j->due_ms = util_mono_ms();
	job_append(w, j);
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

int
alertrun_drain(struct alertrun *w, int timeout_ms)
{
	long long end = util_mono_ms() + timeout_ms;
	int	rc = 0;

	if (w == NULL)
		return 0;
	pthread_mutex_lock(&w->mu);
	while (w->head != NULL || w->busy || w->next_task_ms <= util_mono_ms()) {
		if (util_mono_ms() >= end) {
			rc = -1;
			break;
		}
		cond_wait_until(w, util_mono_ms() + 50);
	}
	pthread_mutex_unlock(&w->mu);
	return rc;
}

void
alertrun_counts(struct alertrun *w, unsigned long *ret_ok,
    unsigned long *ret_failed)
{
	pthread_mutex_lock(&w->mu);
	*ret_ok = w->ok;
	*ret_failed = w->failed;
	pthread_mutex_unlock(&w->mu);
}
