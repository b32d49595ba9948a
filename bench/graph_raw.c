/* bench/graph_raw.c — the "raw library" side of the uncached chart in
 * bench/http.sh: the rrd_graph arguments basisd draws a gemeente's default
 * chart with (chart_series_argv, so nothing is rebuilt here), rendered by
 * librrd in this one process (store_graph, each chart once) or by the
 * `rrdtool graph` CLI (-c, a process per chart, RUNS times each).
 * Usage: graph_raw [-cw] [-n RUNS] BASISD.CONF INDICATOR GM…
 * (-w: the first GM is drawn once untimed, as basisd has drawn a chart
 * before the timed ones: font set-up is not counted on either side)
 * Prints "GM bytes ms" per chart (bytes: to check against basisd's answer)
 * and "mediaan_ms X" over all charts. The band files basisd builds on
 * demand (vergelijkbaar-GM…) must exist: run after basisd served them. */
#include "config.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analysis/chart.h"
#include "base/conf.h"
#include "store/ledger.h"

#include "benchutil.h"

extern char **environ;

struct bench {
	int	cli;		/* -c: the rrdtool CLI instead of librrd */
	int	runs;		/* -n: per chart (CLI); librrd draws once */
	int	warm;		/* -w: the first GM is an untimed warm-up */
	struct conf *conf;
	struct catalog *cat;
	struct reg *reg;
	struct store *st;
	struct ledger *led;
	const struct indicator *ind;
	double *ms;		/* every timing, for the median */
	size_t	nms;
};

static int
bench_open(struct bench *b, const char *conf_file, const char *ind,
    struct err *err)
{
	char	path[4200];

	if ((b->conf = conf_load(conf_file, err)) == NULL ||
	    (b->cat = catalog_load(b->conf->catalog_dir, err)) == NULL ||
	    (b->reg = register_load(b->conf->catalog_dir, err)) == NULL)
		return -1;
	if ((b->ind = catalog_find(b->cat, ind)) == NULL)
		return err_set(err, "%s: onbekende indicator", ind);
	snprintf(path, sizeof(path), "%s/rrd", b->conf->state_dir);
	if ((b->st = store_open(path, err)) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/basis.db", b->conf->state_dir);
	if ((b->led = ledger_open(path, LEDGER_READONLY, err)) == NULL)
		return -1;
	return 0;
}

static void
bench_close(struct bench *b)
{
	ledger_close(b->led);
	store_close(b->st);
	register_free(b->reg);
	catalog_free(b->cat);
	conf_free(b->conf);
	free(b->ms);
}

/* The options routes.c's series chart uses for a plain request: default
 * size and range, the watermark when any value is synthetic. */
static int
chart_argv(struct bench *b, const struct gemeente *gm, char ***argv,
    int *argc, struct err *err)
{
	struct chart_opts o = { 0 };
	struct obs *obs = NULL;
	size_t	n = 0;
	char	groep[64];
	int	rc;

	if (ledger_series(b->led, gm->code, b->ind->id, &obs, &n, err) == -1)
		return -1;
	for (size_t i = 0; i < n; i++)
		o.synthetisch |= obs[i].synthetisch;
	free(obs);
	snprintf(groep, sizeof(groep), "vergelijkbaar-%s", gm->code);
	if ((rc = chart_series_argv(b->st, b->ind, gm, groep,
	    "vergelijkbare gemeenten", &o, argv, argc, err)) == 1)
		return err_set(err, "%s: niets te tekenen", gm->code);
	return rc;
}

/* One `rrdtool graph - ARGS…` with stdout to /dev/null. */
static int
run_cli(char **argv, int argc, struct err *err)
{
	const char **av = calloc((size_t)argc + 3, sizeof(*av));
	posix_spawn_file_actions_t fa;
	pid_t	pid;
	int	status = 0, rc = -1;

	if (av == NULL)
		return err_set(err, "onvoldoende geheugen");
	av[0] = "rrdtool";
	av[1] = "graph";
	for (int i = 0; i < argc; i++)
		av[i + 2] = argv[i];	/* argv[0] is "-": the image to stdout */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, "rrdtool", &fa, NULL, (char *const *)av,
	    environ) != 0)
		err_set(err, "rrdtool niet gevonden");
	else if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		err_set(err, "rrdtool graph faalde");
	else
		rc = 0;
	posix_spawn_file_actions_destroy(&fa);
	free(av);
	return rc;
}

/* Draw one chart (librrd once, or the CLI runs times): timings in b->ms
 * unless it is the warm-up. */
static int
draw(struct bench *b, const struct gemeente *gm, int timed, struct err *err)
{
	char  **argv = NULL;
	unsigned char *img = NULL;
	size_t	len = 0;
	int	argc = 0, rc = -1;
	double	t0;

	if (chart_argv(b, gm, &argv, &argc, err) == -1)
		goto fail;
	for (int r = 0; r < (b->cli ? b->runs : 1); r++) {
		t0 = now_ms();
		if ((b->cli ? run_cli(argv, argc, err) : store_graph(b->st,
		    argc, (const char **)argv, &img, &len, err)) == -1)
			goto fail;
		if (timed) {
			b->ms[b->nms++] = now_ms() - t0;
			printf("%s %zu %.2f\n", gm->code, len,
			    b->ms[b->nms - 1]);
		}
		free(img);
		img = NULL;
	}
	rc = 0;
fail:
	free(argv);
	return rc;
}

static int
run(struct bench *b, char **codes, int n, struct err *err)
{
	const struct gemeente *gm;

	if ((b->ms = calloc((size_t)n * (size_t)b->runs, sizeof(double))) ==
	    NULL)
		return err_set(err, "onvoldoende geheugen");
	for (int i = 0; i < n; i++) {
		if ((gm = register_find(b->reg, codes[i])) == NULL)
			return err_set(err, "%s: onbekende gemeente", codes[i]);
		if (draw(b, gm, i > 0 || !b->warm, err) == -1)
			return -1;
	}
	qsort(b->ms, b->nms, sizeof(double), cmp_double);
	printf("mediaan_ms %.2f\n", b->nms ? b->ms[b->nms / 2] : 0.0);
	return 0;
}

int
main(int argc, char **argv)
{
	struct bench b = { .runs = 1 };
	struct err err = { "" };
	int	ch, rc = 1;

	while ((ch = getopt(argc, argv, "cn:w")) != -1) {
		if (ch == 'c')
			b.cli = 1;
		else if (ch == 'w')
			b.warm = 1;
		else if (ch == 'n')
			b.runs = atoi(optarg) > 0 ? atoi(optarg) : 1;
		else
			goto usage;
	}
	if (argc - optind < 3)
		goto usage;
	if (bench_open(&b, argv[optind], argv[optind + 1], &err) == 0 &&
	    run(&b, argv + optind + 2, argc - optind - 2, &err) == 0)
		rc = 0;
	else
		fprintf(stderr, "graph_raw: %s\n", err.msg);
	bench_close(&b);
	return rc;
usage:
	fprintf(stderr, "gebruik: graph_raw [-cw] [-n RUNS] BASISD.CONF "
	    "INDICATOR GM…\n");
	return 2;
}
