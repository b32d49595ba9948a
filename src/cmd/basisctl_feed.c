/* src/cmd/basisctl_feed.c — basisctl's commands that bring data in:
 * ingest (feeds from files, in bulk from BULK_FILES on), check (the
 * catalogue), demo-data and cbs (CBS open data through the koppeling). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "serve/api.h"
#include "base/auth.h"
#include "base/fetch.h"
#include "input/cbs.h"
#include "analysis/band.h"
#include "input/catalog.h"
#include "analysis/compare.h"
#include "base/conf.h"
#include "tools/demo.h"
#include "store/ingest.h"
#include "store/ledger.h"
#include "base/log.h"
#include "base/num.h"
#include "input/register.h"
#include "store/store.h"
#include "input/validate.h"

#include "cmd/basisctl.h"

/* From this many feeds on, `ingest` loads in bulk (ledger_bulk). */
#define BULK_FILES 20

static int
bulk(struct app *app, int on)
{
	struct err err = { "" };

	if (ledger_bulk(app->led, on, &err) == -1) {
		basisctl_fail("grootboek", &err);
		return -1;
	}
	return 0;
}

/* Read a whole file or stdin ("-") into memory. */
static char *
slurp(const char *path, size_t *ret_len)
{
	FILE   *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char   *buf = NULL, *p;
	size_t	len = 0, cap = 0, r;

	if (fp == NULL)
		return NULL;
	do {
		if (len + 65536 > cap) {
			cap = cap ? cap * 2 : 1 << 20;
			if ((p = realloc(buf, cap + 1)) == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = p;
		}
		r = fread(buf + len, 1, cap - len, fp);
		len += r;
	} while (r > 0);
	if (fp != stdin)
		fclose(fp);
	if (buf != NULL)
		buf[len] = '\0';
	*ret_len = len;
	return buf;
}

static int
ingest_one(struct app *app, const char *name, const char *data, size_t len,
    const struct ingest_opts *opts, int json)
{
	struct ingest_report rep;
	int	ok;

	if (ingest_feed(&app->ictx, name, data, len, opts, &rep) == -1) {
		fprintf(stderr, "basisctl: %s: onvoldoende geheugen\n", name);
		return 0;
	}
	ok = rep.status == INGEST_ACCEPTED || rep.status == INGEST_PARTIAL ||
	    rep.status == INGEST_DUPLICATE;
	if (json) {
		char   *s = ingest_report_json(&rep);

		printf("%s\n", s ? s : "{}");
		free(s);
	} else {
		ingest_report_print(&rep, ok ? stdout : stderr);
	}
	ingest_report_free(&rep);
	return ok;
}

int
basisctl_ingest(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "partial", no_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "leverancier", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct ingest_opts io = { 0 };
	int	c, json = 0, all_ok = 1;

	optind = 0;	/* 0: glibc re-initialises its permutation state */
	while ((c = getopt_long(argc, argv, "pjl:", opts, NULL)) != -1) {
		if (c == 'p')
			io.partial = 1;
		else if (c == 'j')
			json = 1;
		else if (c == 'l')
			io.leverancier = optarg;
		else
			return 2;
	}
	if (optind >= argc) {
		basisctl_usage_line("ingest", "[--partial] [--json] BESTAND…");
		return 2;
	}
	if (argc - optind >= BULK_FILES && bulk(app, 1) == -1)
		return 2;
	for (int i = optind; i < argc; i++) {
		size_t	len = 0;
		char   *data = slurp(argv[i], &len);

		if (data == NULL) {
			fprintf(stderr, "basisctl: %s: %s\n", argv[i],
			    strerror(errno));
			all_ok = 0;
			continue;
		}
		all_ok &= ingest_one(app, argv[i], data, len, &io, json);
		free(data);
	}
	if (argc - optind >= BULK_FILES && bulk(app, 0) == -1)
		return 2;
	return all_ok ? 0 : 1;
}

int
basisctl_check(struct app *app, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("catalogus %s: %zu indicatoren\n", app->catalog_dir,
	    app->cat->n);
	printf("register: %zu gemeenten (%zu actief), %zu herindelingen, "
	    "%zu groepen\n", app->reg->n, app->reg->nactief, app->reg->nh,
	    app->reg->ng);
	return 0;
}

struct demo_sink {
	struct app *app;
	const char *outdir;	/* write files here, or NULL to ingest */
	size_t	feeds, failed;
};

static int
demo_emit_feed(void *arg, const char *naam, const char *csv, size_t len)
{
	struct demo_sink *s = arg;
	struct ingest_opts io = { .leverancier = "demo-data" };
	char	path[PATH_MAX];
	FILE   *fp;

	s->feeds++;
	if (s->outdir == NULL) {
		struct ingest_ctx quiet = s->app->ictx;
		struct ingest_report rep;

		quiet.progress = NULL;	/* one bar for the whole demo */
		if (ingest_feed(&quiet, naam, csv, len, &io, &rep) == -1)
			return -1;
		if (rep.status != INGEST_ACCEPTED &&
		    rep.status != INGEST_DUPLICATE) {
			ingest_report_print(&rep, stderr);
			s->failed++;
		}
		ingest_report_free(&rep);
		basisctl_progress(s->app, s->feeds, s->app->reg->nactief);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/%s", s->outdir, naam);
	if ((fp = fopen(path, "wb")) == NULL ||
	    fwrite(csv, 1, len, fp) != len || fclose(fp) != 0) {
		fprintf(stderr, "basisctl: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
basisctl_demo(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "van", required_argument, NULL, 'v' },
		{ "tot", required_argument, NULL, 't' },
		{ "uit", required_argument, NULL, 'o' },
		{ "load", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct demo_opts d = { .seed = 2026, .van = 2016, .tot = 2025 };
	struct demo_sink sink = { .app = app };
	struct err err = { "" };
	long long n;
	int	c, load = 0;

	optind = 0;	/* 0: glibc re-initialises its permutation state */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's' && basisctl_arg_num("--seed", optarg, 0, LONG_MAX, &n) == 0)
			d.seed = (unsigned long)n;
		else if (c == 'v' && basisctl_arg_num("--van", optarg, 1900, 2199,
		    &n) == 0)
			d.van = (int)n;
		else if (c == 't' && basisctl_arg_num("--tot", optarg, 1900, 2199,
		    &n) == 0)
			d.tot = (int)n;
		else if (c == 's' || c == 'v' || c == 't')
			return 2;
		else if (c == 'o')
			sink.outdir = optarg;
		else if (c == 'l')
			load = 1;
		else
			return 2;
	}
	if (!load && sink.outdir == NULL) {
		basisctl_usage_line("demo-data", "[--seed N] [--van 2016] [--tot 2025] "
		    "(--load | --uit MAP)");
		return 2;
	}
	if (sink.outdir != NULL && basisctl_mkdir_p(sink.outdir) == -1)
		return basisctl_fail(sink.outdir, NULL);
	if (load && app->led == NULL)
		return basisctl_fail("--load vraagt een geïnitialiseerde map (basisctl "
		    "init)", NULL);
	if (load && bulk(app, 1) == -1)
		return 2;
	if (demo_generate(app->cat, app->reg, &d, demo_emit_feed, &sink,
	    &err) == -1)
		return basisctl_fail("demodata", &err);
	if (load && bulk(app, 0) == -1)
		return 2;
	printf("synthetische demonstratiegegevens: %zu leveringen %s%s\n",
	    sink.feeds, load ? "ingelezen" : "geschreven naar ",
	    load ? "" : sink.outdir);
	return sink.failed ? 1 : 0;
}

/* A CBS source: a local TypedDataSet file (its DataProperties.json and
 * TableInfos.json beside it) or an https:// URL of a table or its
 * TypedDataSet (DataProperties and TableInfos beside it on the server). */
struct cbs_source {
	const char *bron;
	char	root[PATH_MAX];		/* table URL or directory */
	int	url;
	const struct fetch_opts *fo;
};

static void
cbs_source_init(struct cbs_source *src, const char *bron,
    const struct fetch_opts *fo)
{
	const char *tds = strstr(bron, "/TypedDataSet");
	const char *slash = strrchr(bron, '/');
	size_t	n;

	src->bron = bron;
	src->fo = fo;
	src->url = strncmp(bron, "https://", 8) == 0 ||
	    strncmp(bron, "http://", 7) == 0;
	if (src->url)
		n = tds ? (size_t)(tds - bron) : strlen(bron);
	else
		n = slash ? (size_t)(slash - bron) : 1;
	snprintf(src->root, sizeof(src->root), "%.*s", (int)n,
	    src->url || slash ? bron : ".");
	n = strlen(src->root);
	if (n > 1 && src->root[n - 1] == '/')
		src->root[n - 1] = '\0';
}

/* The document NAME of the table ("DataProperties", "TableInfos"), or the
 * data itself (name NULL): from the server or from files. */
static char *
cbs_read(const struct cbs_source *src, const char *name, size_t *ret_len,
    struct err *err)
{
	char	path[PATH_MAX + 32];
	char   *buf = NULL;

	if (name == NULL && !src->url) {
		if ((buf = slurp(src->bron, ret_len)) == NULL)
			err_set(err, "%s: %s", src->bron, strerror(errno));
		return buf;
	}
	if (name == NULL)
		snprintf(path, sizeof(path), "%s%s", src->root,
		    strstr(src->bron, "/TypedDataSet") ? strstr(src->bron,
		    "/TypedDataSet") : "/TypedDataSet");
	else
		snprintf(path, sizeof(path), "%s/%s%s", src->root, name,
		    src->url ? "" : ".json");
	if (src->url) {
		if (fetch_get(path, src->fo, &buf, ret_len, err) == -1)
			return NULL;
	} else if ((buf = slurp(path, ret_len)) == NULL) {
		err_set(err, "%s: %s", path, strerror(errno));
	}
	return buf;
}

/* DataProperties, the year if the table needs one, then every page. */
static struct cbs_import *
cbs_load(const struct cbs_map *map, const struct cbs_source *src, int year,
    struct err *err)
{
	struct cbs_import *imp = NULL;
	char   *doc = NULL, *next = NULL;
	size_t	len = 0;

	if ((doc = cbs_read(src, "DataProperties", &len, err)) == NULL ||
	    (imp = cbs_import_new(map, doc, len, err)) == NULL)
		goto fail;
	free(doc);
	doc = NULL;
	if (cbs_import_needs_year(imp) && year > 0)
		cbs_import_set_year(imp, year);
	else if (cbs_import_needs_year(imp) &&
	    ((doc = cbs_read(src, "TableInfos", &len, err)) == NULL ||
	    cbs_import_year_info(imp, doc, len, err) == -1))
		goto fail;
	free(doc);
	if ((doc = cbs_read(src, NULL, &len, err)) == NULL)
		goto fail;
	/* 10 000 rows a page: 1 000 pages is far beyond any CBS table. */
	for (int page = 0; page < 1000; page++) {
		if (cbs_import_page(imp, doc, len, &next, err) == -1)
			goto fail;
		free(doc);
		doc = NULL;
		if (next == NULL)
			return imp;
		if (fetch_get(next, src->fo, &doc, &len, err) == -1)
			goto fail;
		free(next);
		next = NULL;
	}
	err_set(err, "meer dan 1000 pagina's: odata.nextLink loopt rond");
fail:
	free(doc);
	free(next);
	cbs_import_free(imp);
	return NULL;
}

static int
cbs_one(struct app *app, const struct cbs_map *map, const char *bron,
    const struct fetch_opts *fo, int year, const struct ingest_opts *base,
    int json)
{
	struct cbs_source src;
	struct cbs_import *imp;
	struct ingest_opts io = *base;
	struct cbs_counts c;
	struct err err = { "" };
	char	lev[64];
	const char *feed, *why;
	size_t	len;
	int	ok;

	cbs_source_init(&src, bron, fo);
	if ((imp = cbs_load(map, &src, year, &err)) == NULL) {
		fprintf(stderr, "basisctl: %s: %s\n", bron, err.msg);
		return 0;
	}
	for (size_t i = 0; (why = cbs_import_skipped(imp, i)) != NULL; i++)
		fprintf(stderr, "basisctl: %s: overgeslagen: %s\n", bron, why);
	cbs_import_counts(imp, &c);
	fprintf(stderr, "basisctl: CBS %s: %zu pagina%s, %zu rijen, %zu van "
	    "gemeenten, %zu waarden, %zu leeg (null) overgeslagen\n",
	    cbs_import_table(imp), c.pages, c.pages == 1 ? "" : "'s", c.rows,
	    c.gemeente_rows, c.values, c.nulls);
	snprintf(lev, sizeof(lev), "CBS %s", cbs_import_table(imp));
	io.leverancier = lev;
	feed = cbs_import_feed(imp, &len);
	ok = ingest_one(app, lev, feed, len, &io, json);
	cbs_import_free(imp);
	return ok;
}

/* cbs: CBS StatLine tables through the mapping into the normal ingest. */
int
basisctl_cbs(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "koppeling", required_argument, NULL, 'k' },
		{ "ca", required_argument, NULL, 'a' },
		{ "jaar", required_argument, NULL, 'y' },
		{ "partial", no_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	char	mpath[PATH_MAX + 16];
	struct fetch_opts fo = { 0 };
	struct ingest_opts io = { 0 };
	struct err err = { "" };
	struct cbs_map *map;
	long long year = 0;
	int	c, json = 0, all_ok = 1;

	snprintf(mpath, sizeof(mpath), "%s/cbs.ini", app->catalog_dir);
	optind = 0;	/* 0: glibc re-initialises its permutation state */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'k')
			snprintf(mpath, sizeof(mpath), "%s", optarg);
		else if (c == 'a')
			fo.ca_file = optarg;
		else if (c == 'y' && basisctl_arg_num("--jaar", optarg, 1901, 2999,
		    &year) == 0)
			continue;
		else if (c == 'p')
			io.partial = 1;
		else if (c == 'j')
			json = 1;
		else
			optind = argc;	/* usage below */
	}
	if (optind >= argc) {
		basisctl_usage_line("cbs", "[--koppeling BESTAND] [--ca PEM] [--jaar J] "
		    "[--partial] [--json] BRON…");
		return 2;
	}
	if ((map = cbs_map_load(mpath, app->cat, &err)) == NULL)
		return basisctl_fail("koppeling", &err);
	if (fetch_init() == -1) {
		cbs_map_free(map);
		return basisctl_fail("libcurl kan niet starten", NULL);
	}
	for (int i = optind; i < argc; i++)
		all_ok &= cbs_one(app, map, argv[i], &fo, (int)year, &io, json);
	fetch_cleanup();
	cbs_map_free(map);
	return all_ok ? 0 : 1;
}
