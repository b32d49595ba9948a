/* src/store/store_hw.c — Holt-Winters aberrant behaviour on a scratch RRD
 * file (store_hw_flags): the alerts' "ongewoon patroon". A file of module
 * store. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stddef.h>
#include <pthread.h>
/* For the file format's structs (rrd_format.h), which store_check reads;
 * none of the deprecated functions it also declares is used. */
#define RRD_EXPORT_DEPRECATED
#include <rrd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_part.h"

/* ---- Holt-Winters aberrant behaviour -------------------------------- */

#define HW_T0 1000000000L	/* arbitrary epoch of the scratch file */

/* The width of the confidence band can only be set after creation, with
 * rrd_tune (librrd's own option parser; we hold the mutex anyway). */
static int
hw_tune_locked(const char *path, double delta, struct err *err)
{
	char	d[32], p[4200];
	char   *argv[] = { "tune", p, "--deltapos", d, "--deltaneg", d, NULL };

	if (delta <= 0)
		return 0;
	snprintf(p, sizeof(p), "%s", path);
	snprintf(d, sizeof(d), "%g", delta);
	rrd_clear_error();
	if (rrd_tune(6, argv) != 0)
		return store_rrd_fail(err, "instellen van", path);
	return 0;
}

/* The five Holt-Winters archives spelled out, so threshold and window can
 * be chosen (the implicit FAILURES archive is fixed at 7 of 9). Indices
 * in the rra-num fields are 1-based: 1 AVERAGE, 2 HWPREDICT, 3 SEASONAL,
 * 4 DEVSEASONAL, 5 DEVPREDICT, 6 FAILURES. */
static int
hw_create_locked(const char *path, size_t n, const struct store_hw *hw,
    struct err *err)
{
	char	a[6][128];
	const char *argv[7] = { "DS:v:GAUGE:2:U:U" };

	snprintf(a[0], sizeof(a[0]), "RRA:AVERAGE:0.5:1:%zu", n);
	snprintf(a[1], sizeof(a[1]), "RRA:HWPREDICT:%zu:%g:%g:%d:3", n,
	    hw->alpha, hw->beta, hw->season);
	snprintf(a[2], sizeof(a[2]), "RRA:SEASONAL:%d:%g:2", hw->season,
	    hw->gamma);
	snprintf(a[3], sizeof(a[3]), "RRA:DEVSEASONAL:%d:%g:2", hw->season,
	    hw->gamma);
	snprintf(a[4], sizeof(a[4]), "RRA:DEVPREDICT:%zu:4", n);
	snprintf(a[5], sizeof(a[5]), "RRA:FAILURES:%zu:%d:%d:4", n,
	    hw->threshold, hw->window);
	for (int i = 0; i < 6; i++)
		argv[i + 1] = a[i];
	rrd_clear_error();
	if (rrd_create_r(path, 1, HW_T0, 7, argv) != 0)
		return store_rrd_fail(err, "aanmaken van", path);
	return hw_tune_locked(path, hw->delta, err);
}

/* One update per value at HW_T0 + i + 1, batched in one call. */
static int
hw_update_locked(const char *path, const double *v, size_t n,
    struct err *err)
{
	char	(*ent)[STORE_ENTRY] = malloc(n * sizeof(*ent));
	const char **argv = malloc(n * sizeof(*argv));
	int	rc = -1;

	if (ent == NULL || argv == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		store_format_entry(ent[i], HW_T0 + (long long)i + 1, &v[i], 1);
		argv[i] = ent[i];
	}
	rrd_clear_error();
	if (rrd_update_r(path, NULL, (int)n, argv) != 0) {
		store_rrd_fail(err, "bijwerken van", path);
		goto fail;
	}
	rc = 0;
fail:
	free(ent);
	free(argv);
	return rc;
}

static int
hw_fetch_locked(const char *path, size_t n, unsigned char *ret_flags,
    struct err *err)
{
	time_t	start = HW_T0, end = HW_T0 + (time_t)n;
	unsigned long step = 1, nds = 0;
	char  **names = NULL;
	rrd_value_t *data = NULL;

	rrd_clear_error();
	if (rrd_fetch_r(path, "FAILURES", &start, &end, &step, &nds, &names,
	    &data) != 0)
		return store_rrd_fail(err, "lezen van", path);
	for (unsigned long i = 0; i < nds; i++)
		rrd_freemem(names[i]);
	rrd_freemem(names);
	/* Rows cover (t - 1, t]: value i (at HW_T0 + i + 1) is row
	 * HW_T0 + i + 1 - start - 1 counted from start + step. */
	memset(ret_flags, 0, n);
	for (size_t i = 0; i < n; i++) {
		long	row = (long)(HW_T0 + (long)i + 1 - start) - 1;

		if (row >= 0 && (time_t)row < (end - start) && nds > 0 &&
		    data[row * (long)nds] > 0.5)
			ret_flags[i] = 1;
	}
	rrd_freemem(data);
	return 0;
}

int
store_aberrant(struct store *st, const double *v, size_t n,
    const struct store_hw *hw, unsigned char *ret_flags, struct err *err)
{
	char	path[4200];
	int	fd, rc = -1;

	if (hw->season < 2 || n < 2 * (size_t)hw->season || n > 100000)
		return err_set(err, "te weinig waarden voor Holt-Winters "
		    "(%zu, nodig: twee seizoenen van %d)", n, hw->season);
	/* Named *.tmp so store_open removes a file left by a crash. */
	snprintf(path, sizeof(path), "%s/hw-XXXXXX.tmp", st->dir);
	if ((fd = mkstemps(path, 4)) == -1)
		return err_set(err, "kan tijdelijk bestand in %s niet maken: %s",
		    st->dir, strerror(errno));
	close(fd);
	pthread_mutex_lock(&st->mu);
	if (hw_create_locked(path, n, hw, err) == 0 &&
	    hw_update_locked(path, v, n, err) == 0 &&
	    hw_fetch_locked(path, n, ret_flags, err) == 0)
		rc = 0;
	pthread_mutex_unlock(&st->mu);
	unlink(path);
	return rc;
}
