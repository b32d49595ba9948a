/* src/store/store_graph.c — rrd_graph for the charts (store_graph, under
 * the store's mutex) and the lines drawn from memory through librrd's
 * fetch callback (store_line_*). A file of module store. */
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

/* ---- lines from memory: librrd's fetch callback ---------------------
 * rrd_graph reads a DEF whose file name starts with "cb//" through the
 * function registered with rrd_fetch_cb_register (librrd 1.5+, not in its
 * public header). The name after "cb//" is the address of a store_line
 * this module formatted; the callback runs inside store_graph, under the
 * store's mutex, while the caller's line lives. */
typedef int (*fetch_cb)(const char *name, int cf, time_t *start,
    time_t *end, unsigned long *step, unsigned long *ds_cnt, char ***ds_namv,
    rrd_value_t **data);
int	rrd_fetch_cb_register(fetch_cb cb);

#define LINE_PREFIX "cb//"

void
store_line_source(const struct store_line *l, char *buf, size_t size)
{
	snprintf(buf, size, LINE_PREFIX "%p", (const void *)l);
}

long long
store_line_last(const struct store_line *l)
{
	return l->n > 0 ? store_slot_end(&l->pts[l->n - 1].periode) : 0;
}

static int
line_names(const struct store_line *l, char ***ret)
{
	static const char *const names[2][2] = { { "waarde", NULL },
		{ "teller", "noemer" } };

	if ((*ret = calloc(2, sizeof(**ret))) == NULL)
		return -1;
	for (int d = 0; d < l->nds; d++)
		if (((*ret)[d] = strdup(names[l->nds - 1][d])) == NULL)
			return -1;
	return 0;
}

/* Rows (start, end] at the line's own step, each slot's published value. */
static int
line_fetch(const char *name, int cf, time_t *start, time_t *end,
    unsigned long *step, unsigned long *ds_cnt, char ***ds_namv,
    rrd_value_t **data)
{
	const struct store_line *l = NULL;
	long long st, s0, rows;

	(void)cf;
	/* librrd passes the whole name; "cb" itself would read as hex */
	if (strncmp(name, LINE_PREFIX, strlen(LINE_PREFIX)) == 0)
		name += strlen(LINE_PREFIX);
	if (sscanf(name, "%p", (void **)&l) != 1 || l == NULL)
		return -1;
	st = store_step(l->kind);
	s0 = (long long)*start / st * st;
	rows = ((long long)*end - s0 + st - 1) / st;
	rows = rows > 0 ? rows : 1;
	*start = (time_t)s0;
	*end = (time_t)(s0 + rows * st);
	*step = (unsigned long)st;
	*ds_cnt = (unsigned long)l->nds;
	if (line_names(l, ds_namv) == -1 || (*data = malloc((size_t)rows *
	    (size_t)l->nds * sizeof(**data))) == NULL)
		return -1;
	for (long long i = 0; i < rows * l->nds; i++)
		(*data)[i] = DNAN;
	for (size_t k = 0; k < l->n; k++) {
		long long row = store_slot(&l->pts[k].periode) - s0 / st;
		for (int d = 0; row >= 0 && row < rows && d < l->nds; d++)
			(*data)[row * l->nds + d] = l->pts[k].v[d];
	}
	return 0;
}

static void
line_register(void)
{
	rrd_fetch_cb_register(line_fetch);
}

/* Copy the "image" blob rrd_graph_v returns for the file name "-". */
static int
take_image(rrd_info_t *info, unsigned char **ret_img, size_t *ret_len,
    struct err *err)
{
	for (rrd_info_t *i = info; i != NULL; i = i->next) {
		if (i->type != RD_I_BLO || strcmp(i->key, "image") != 0)
			continue;
		if ((*ret_img = malloc(i->value.u_blo.size + 1)) == NULL)
			return err_set(err, "onvoldoende geheugen");
		memcpy(*ret_img, i->value.u_blo.ptr, i->value.u_blo.size);
		*ret_len = i->value.u_blo.size;
		return 0;
	}
	return err_set(err, "rrd: grafiek zonder afbeelding");
}

int
store_graph(struct store *st, int argc, const char **argv,
    unsigned char **ret_img, size_t *ret_len, struct err *err)
{
	const char **av = calloc((size_t)argc + 2, sizeof(*av));
	rrd_info_t *info = NULL;
	int	n = 0, rc = -1;

	*ret_img = NULL;
	*ret_len = 0;
	if (av == NULL)
		return err_set(err, "onvoldoende geheugen");
	av[n++] = "graph";
	av[n++] = "-";
	/* Callers pass options and elements; tolerate a leading "-". */
	for (int i = 1; i < argc; i++)
		if (i > 1 || strcmp(argv[i], "-") != 0)
			av[n++] = argv[i];
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, line_register);
	pthread_mutex_lock(&st->mu);
	rrd_clear_error();
	/* librrd's argv is not const but its strings are not written; the
	 * array itself may be permuted by its option parser: ours is a copy. */
	info = rrd_graph_v(n, (char **)av);
	if (info == NULL)
		store_rrd_fail(err, "maken van", "grafiek");
	else
		rc = take_image(info, ret_img, ret_len, err);
	rrd_info_free(info);
	pthread_mutex_unlock(&st->mu);
	free(av);
	return rc;
}

