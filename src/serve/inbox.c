/* src/serve/inbox.c — ingesting files dropped in the inbox directory; one
 * thread, polling (portable, and cheap for a directory of a few files). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve/inbox.h"
#include "base/log.h"

struct inbox {
	struct app *app;
	char	dir[1024];
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int	stop;		/* guarded by lock */
};

static int
is_candidate(const char *name)
{
	size_t	n = strlen(name);

	return name[0] != '.' && n > 4 && strcmp(name + n - 4, ".csv") == 0;
}

/* Write text to path atomically (temp file, fsync, rename). */
static int
write_atomic(const char *path, const char *text)
{
	char	tmp[2300];
	FILE   *fp;
	int	ok;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fp = fopen(tmp, "w")) == NULL)
		return -1;
	ok = fputs(text, fp) >= 0 && fflush(fp) == 0 && fsync(fileno(fp)) == 0;
	ok &= fclose(fp) == 0;
	if (!ok || rename(tmp, path) == -1) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static char *
read_file(const char *path, size_t *ret_len)
{
	FILE   *fp = fopen(path, "rb");
	char   *buf = NULL;
	struct stat st;

	if (fp == NULL)
		return NULL;
	if (fstat(fileno(fp), &st) == 0 && (buf = malloc((size_t)st.st_size +
	    1)) != NULL) {
		*ret_len = fread(buf, 1, (size_t)st.st_size, fp);
		buf[*ret_len] = '\0';
	}
	fclose(fp);
	return buf;
}

/* Report beside the file, then the file itself into its final folder,
 * under a time-stamped name so a redelivery never overwrites. */
static int
file_away(const char *dir, const char *name, const char *sub,
    const char *report, time_t now)
{
	char	from[2100], to[2100], rep[2150], stamp[32];
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(to, sizeof(to), "%s/%s", dir, sub);
	if (mkdir(to, 0755) == -1 && errno != EEXIST)
		return -1;
	snprintf(from, sizeof(from), "%s/%s", dir, name);
	snprintf(to, sizeof(to), "%s/%s/%s-%s", dir, sub, stamp, name);
	snprintf(rep, sizeof(rep), "%s.json", to);
	if (write_atomic(rep, report) == -1)
		return -1;
	return rename(from, to);
}

static int
handle(struct app *app, const char *dir, const char *name, time_t now)
{
	const struct conf *c = app_conf(app);
	struct ingest_opts io = { .leverancier = "inbox",
		.max_rows = (size_t)c->max_rows, .max_field = (size_t)c->max_field };
	struct ingest_report rep;
	char	path[2100], *data, *json;
	size_t	len = 0;
	int	ok, rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((data = read_file(path, &len)) == NULL)
		return -1;
	rc = app_ingest(app, name, data, len, &io, &rep);
	free(data);
	if (rc == 1)		/* the writer is busy: next pass */
		return -1;
	if (rc == -1 || rep.status == INGEST_FAILED) {
		/* Leave it for the next pass: nothing was stored. */
		log_err("inbox %s: %s", name, rc == -1 ? "onvoldoende geheugen" :
		    rep.fout);
		if (rc == 0)
			ingest_report_free(&rep);
		return -1;
	}
	ok = rep.status == INGEST_ACCEPTED || rep.status == INGEST_PARTIAL ||
	    rep.status == INGEST_DUPLICATE;
	json = ingest_report_json(&rep);
	log_info("inbox %s: %s", name, ingest_status_name(rep.status));
	rc = file_away(dir, name, ok ? "verwerkt" : "afgekeurd",
	    json ? json : "{}", now);
	if (rc == -1)
		log_err("inbox %s: kan niet verplaatsen: %s", name,
		    strerror(errno));
	free(json);
	ingest_report_free(&rep);
	return rc;
}

int
inbox_scan(struct app *app, const char *dir, unsigned settle_s, time_t now,
    struct err *err)
{
	DIR    *d = opendir(dir);
	struct dirent *de;
	struct stat st;
	char	path[2100];
	int	n = 0;

	if (d == NULL)
		return err_set(err, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!is_candidate(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		/* Still being written: wait until it settles. */
		if (stat(path, &st) == -1 || !S_ISREG(st.st_mode) ||
		    st.st_mtime + (time_t)settle_s > now)
			continue;
		if (handle(app, dir, de->d_name, now) == 0)
			n++;
	}
	closedir(d);
	return n;
}

static void *
run(void *arg)
{
	struct inbox *ib = arg;
	struct err err = { "" };
	struct timespec ts;

	pthread_mutex_lock(&ib->lock);
	while (!ib->stop) {
		pthread_mutex_unlock(&ib->lock);
		if (inbox_scan(ib->app, ib->dir, INBOX_SETTLE_S, time(NULL),
		    &err) == -1)
			log_warn("inbox: %s", err.msg);
		pthread_mutex_lock(&ib->lock);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += INBOX_POLL_MS / 1000;
		ts.tv_nsec += (INBOX_POLL_MS % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		if (!ib->stop)
			pthread_cond_timedwait(&ib->cond, &ib->lock, &ts);
	}
	pthread_mutex_unlock(&ib->lock);
	return NULL;
}

struct inbox *
inbox_start(struct app *app, const char *dir, struct err *err)
{
	struct inbox *ib = calloc(1, sizeof(*ib));

	if (ib == NULL) {
		err_set(err, "onvoldoende geheugen");
		return NULL;
	}
	ib->app = app;
	snprintf(ib->dir, sizeof(ib->dir), "%s", dir);
	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		err_set(err, "%s: %s", dir, strerror(errno));
		free(ib);
		return NULL;
	}
	pthread_mutex_init(&ib->lock, NULL);
	pthread_cond_init(&ib->cond, NULL);
	if (pthread_create(&ib->thread, NULL, run, ib) != 0) {
		err_set(err, "inbox: kan geen draad starten");
		pthread_cond_destroy(&ib->cond);
		pthread_mutex_destroy(&ib->lock);
		free(ib);
		return NULL;
	}
	return ib;
}

void
inbox_stop(struct inbox *ib)
{
	if (ib == NULL)
		return;
	pthread_mutex_lock(&ib->lock);
	ib->stop = 1;
	pthread_cond_signal(&ib->cond);
	pthread_mutex_unlock(&ib->lock);
	pthread_join(ib->thread, NULL);
	pthread_cond_destroy(&ib->cond);
	pthread_mutex_destroy(&ib->lock);
	free(ib);
}
