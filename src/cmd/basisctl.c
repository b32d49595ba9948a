/* src/cmd/basisctl.c — the admin tool: wiring only. Each command is a row in
 * one table; the work is done by the library modules. */
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

struct app {
	char	state[PATH_MAX];
	char	catalog_dir[PATH_MAX];
	char	db[PATH_MAX + 16];
	char	rrd[PATH_MAX + 16];
	struct catalog *cat;
	struct reg *reg;
	struct ledger *led;
	struct store *store;
	struct ingest_ctx ictx;
	struct band *band;	/* indicators whose group bands are stale */
	int	tty;		/* progress bars on stderr */
	const char *conf_path;	/* -f: the service's configuration */
	int	toekomst_marge;	/* from the state's basisd.conf */
};

struct command {
	const char *name;
	int	(*run)(struct app *, int, char **);
	int	needs;		/* NEED_* bits */
	const char *usage;
};

enum { NEED_CATALOG = 1, NEED_LEDGER = 2, NEED_STORE = 4, NEED_RECOVER = 8 };

static void
usage_line(const char *cmd, const char *usage)
{
	fprintf(stderr, "gebruik: basisctl [-s MAP] [-c CATALOGUS] %s %s\n",
	    cmd, usage);
}

/* A progress bar on a terminal; silent otherwise. */
static void
progress(void *arg, size_t done, size_t total)
{
	const struct app *app = arg;
	int	width = 40, fill;

	if (!app->tty || total < 50 || (done % 25 != 0 && done != total))
		return;
	fill = (int)((double)done / (double)total * width);
	fprintf(stderr, "\r[%.*s%*s] %zu/%zu", fill,
	    "########################################", width - fill, "", done,
	    total);
	if (done == total)
		fputc('\n', stderr);
}

static int
fail(const char *what, const struct err *err)
{
	fprintf(stderr, "basisctl: %s%s%s\n", what, err ? ": " : "",
	    err ? err->msg : "");
	return 2;
}

/* A numeric argument, strictly (base/num: no trailing text, no wrap):
 * 0, or -1 after saying why. */
static int
arg_num(const char *what, const char *s, long long min, long long max,
    long long *ret)
{
	struct err err = { "" };

	if (num_int(s, min, max, ret, &err) == 0)
		return 0;
	fail(what, &err);
	return -1;
}

/* Catalogue directory: -c, else catalog_dir of the service's configuration
 * (-f, else STATE/basisd.conf), else the installed one; the grace for
 * future periods from that configuration too. */
static void
resolve_catalog(struct app *app)
{
	char	cpath[PATH_MAX + 16];
	struct conf *conf;
	struct err err = { "" };

	snprintf(cpath, sizeof(cpath), "%s/basisd.conf", app->state);
	if (app->conf_path != NULL)
		snprintf(cpath, sizeof(cpath), "%s", app->conf_path);
	if (access(cpath, R_OK) == 0 && (conf = conf_load(cpath, &err))) {
		/* the service's grace for future periods holds here too */
		app->toekomst_marge = conf->toekomst_marge;
		if (app->catalog_dir[0] == '\0')
			snprintf(app->catalog_dir, sizeof(app->catalog_dir),
			    "%s", conf->catalog_dir);
		conf_free(conf);
	}
	if (app->catalog_dir[0] != '\0')
		return;
	snprintf(app->catalog_dir, sizeof(app->catalog_dir), "%s",
	    BASISD_DATADIR "/indicators");
}

static int
open_app(struct app *app, int needs)
{
	struct err err = { "" };

	resolve_catalog(app);
	snprintf(app->db, sizeof(app->db), "%s/basis.db", app->state);
	snprintf(app->rrd, sizeof(app->rrd), "%s/rrd", app->state);
	if ((needs & NEED_CATALOG) &&
	    ((app->cat = catalog_load(app->catalog_dir, &err)) == NULL ||
	    (app->reg = register_load(app->catalog_dir, &err)) == NULL))
		return fail("catalogus", &err);
	if ((needs & NEED_LEDGER) && access(app->db, F_OK) != 0) {
		fprintf(stderr, "basisctl: %s bestaat niet; begin met "
		    "'basisctl -s %s init'\n", app->db, app->state);
		return 2;
	}
	if ((needs & NEED_LEDGER) &&
	    (app->led = ledger_open(app->db, 0, &err)) == NULL)
		return fail("grootboek", &err);
	if ((needs & NEED_STORE) &&
	    (app->store = store_open(app->rrd, &err)) == NULL)
		return fail("rrd-opslag", &err);
	if ((needs & NEED_STORE) && (app->band = band_new()) == NULL)
		return fail("onvoldoende geheugen", NULL);
	/* Group bands: marked per feed, recomputed once at the end. */
	app->ictx = (struct ingest_ctx){ .cat = app->cat, .reg = app->reg,
		.led = app->led, .store = app->store, .progress = progress,
		.progress_arg = app, .after_commit = band_ingest_hook,
		.hook_arg = app->band, .toekomst_marge = app->toekomst_marge };
	/* a series that cannot be written yet stays pending (logged): the
	 * command itself may be what repairs it (rebuild, issue 13) */
	if ((needs & NEED_RECOVER) && ingest_recover(&app->ictx, &err) == -1)
		fprintf(stderr, "basisctl: herstel na onderbreking: %s (blijft "
		    "in de wachtrij)\n", err.msg);
	return 0;
}

/* Recompute the group bands of what the command touched. */
static int
flush_bands(struct app *app)
{
	struct err err = { "" };

	if (app->band == NULL || band_ndirty(app->band) == 0)
		return 0;
	if (band_flush(app->band, &app->ictx, &err) == -1)
		return fail("groepsbanden", &err);
	return 0;
}

static void
close_app(struct app *app)
{
	band_free(app->band);
	store_close(app->store);
	ledger_close(app->led);
	register_free(app->reg);
	catalog_free(app->cat);
}

static int
mkdir_p(const char *path)
{
	char	buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) == -1 && errno != EEXIST ? -1 : 0;
}

/* init: state directory, empty ledger, default basisd.conf. */
static int
cmd_init(struct app *app, int argc, char **argv)
{
	static const char *const sub[] = { "", "/rrd", "/inbox", "/cache" };
	char	path[PATH_MAX + 32], www[PATH_MAX + 8], abs_cat[PATH_MAX];
	char	abs_state[PATH_MAX];
	struct err err = { "" };
	struct ledger *led;

	(void)argc;
	(void)argv;
	for (size_t i = 0; i < sizeof(sub) / sizeof(*sub); i++) {
		snprintf(path, sizeof(path), "%s%s", app->state, sub[i]);
		if (mkdir_p(path) == -1)
			return fail(path, NULL);
	}
	if ((led = ledger_open(app->db, 0, &err)) == NULL)
		return fail("grootboek", &err);
	ledger_close(led);
	snprintf(path, sizeof(path), "%s/basisd.conf", app->state);
	if (app->conf_path != NULL)
		snprintf(path, sizeof(path), "%s", app->conf_path);
	else if (access(path, F_OK) != 0) {
		if (realpath(app->catalog_dir, abs_cat) == NULL ||
		    realpath(app->state, abs_state) == NULL)
			return fail(app->catalog_dir, NULL);
		/* The dashboard ships beside the catalogue. */
		snprintf(www, sizeof(www), "%s/../www", abs_cat);
		if (realpath(www, abs_cat + 0) == NULL)
			return fail(www, NULL);
		snprintf(www, sizeof(www), "%s", abs_cat);
		if (realpath(app->catalog_dir, abs_cat) == NULL)
			return fail(app->catalog_dir, NULL);
		if (conf_write_default(path, abs_state, abs_cat, www, 8080,
		    &err) == -1)
			return fail(path, &err);
	}
	printf("staat klaar in %s (grootboek %s, configuratie %s)\n",
	    app->state, app->db, path);
	return 0;
}

/* From this many feeds on, `ingest` loads in bulk (ledger_bulk). */
#define BULK_FILES 20

static int
bulk(struct app *app, int on)
{
	struct err err = { "" };

	if (ledger_bulk(app->led, on, &err) == -1) {
		fail("grootboek", &err);
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

static int
cmd_ingest(struct app *app, int argc, char **argv)
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
		usage_line("ingest", "[--partial] [--json] BESTAND…");
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

static int
cmd_check(struct app *app, int argc, char **argv)
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

static int
cmd_rebuild(struct app *app, int argc, char **argv)
{
	struct err err = { "" };
	int	series = 1, bands = 1, first = 1, failed = 0;
	const char *const *gm;
	size_t	n;

	/* --reeksen: series files only; --banden: group bands only. */
	for (; first < argc && argv[first][0] == '-'; first++) {
		if (strcmp(argv[first], "--reeksen") == 0)
			bands = 0;
		else if (strcmp(argv[first], "--banden") == 0)
			series = 0;
		else if (strcmp(argv[first], "--all") != 0) {
			usage_line("rebuild", "[--reeksen | --banden] [--all | "
			    "GM…]");
			return 2;
		}
	}
	gm = (const char *const *)argv + first;
	n = (size_t)(argc - first);
	for (size_t i = 0; i < n; i++)
		if (register_find(app->reg, gm[i]) == NULL) {
			fprintf(stderr, "basisctl: onbekende gemeente '%s'\n",
			    gm[i]);
			return 2;
		}
	if (series && ingest_rebuild(&app->ictx, gm, n, &err) == -1) {
		fprintf(stderr, "basisctl: herbouwen: %s\n", err.msg);
		failed = 1;	/* the bands still follow the rest */
	}
	if (bands && band_rebuild_all(&app->ictx, &err) == -1)
		return fail("groepsbanden", &err);
	printf("%s\n", failed ? "herbouwd, behalve de gemelde reeksen" :
	    "herbouwd");
	return failed;
}

static int
cmd_verify(struct app *app, int argc, char **argv)
{
	struct err err = { "" };
	long	bad;

	(void)argc;
	(void)argv;
	if ((bad = ingest_verify(&app->ictx, stdout, &err)) == -1)
		return fail("controle", &err);
	printf("%s: %ld verschil%s tussen grootboek en rrd\n",
	    bad ? "FOUT" : "in orde", bad, bad == 1 ? "" : "len");
	return bad ? 1 : 0;
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
		progress(s->app, s->feeds, s->app->reg->nactief);
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

static int
cmd_demo(struct app *app, int argc, char **argv)
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
		if (c == 's' && arg_num("--seed", optarg, 0, LONG_MAX, &n) == 0)
			d.seed = (unsigned long)n;
		else if (c == 'v' && arg_num("--van", optarg, 1900, 2199,
		    &n) == 0)
			d.van = (int)n;
		else if (c == 't' && arg_num("--tot", optarg, 1900, 2199,
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
		usage_line("demo-data", "[--seed N] [--van 2016] [--tot 2025] "
		    "(--load | --uit MAP)");
		return 2;
	}
	if (sink.outdir != NULL && mkdir_p(sink.outdir) == -1)
		return fail(sink.outdir, NULL);
	if (load && app->led == NULL)
		return fail("--load vraagt een geïnitialiseerde map (basisctl "
		    "init)", NULL);
	if (load && bulk(app, 1) == -1)
		return 2;
	if (demo_generate(app->cat, app->reg, &d, demo_emit_feed, &sink,
	    &err) == -1)
		return fail("demodata", &err);
	if (load && bulk(app, 0) == -1)
		return 2;
	printf("synthetische demonstratiegegevens: %zu leveringen %s%s\n",
	    sink.feeds, load ? "ingelezen" : "geschreven naar ",
	    load ? "" : sink.outdir);
	return sink.failed ? 1 : 0;
}

static int
cmd_status(struct app *app, int argc, char **argv)
{
	struct ledger_status st;
	struct err err = { "" };

	(void)argc;
	(void)argv;
	if (ledger_status(app->led, &st, &err) == -1)
		return fail("grootboek", &err);
	printf("grootboek %s\n", app->db);
	printf("  leveringen:    %lld (%lld met synthetische gegevens)\n",
	    st.feeds, st.synthetic_feeds);
	printf("  waarnemingen:  %lld actueel, %lld revisies in totaal\n",
	    st.current, st.revisions);
	printf("  gemeenten:     %lld, indicatoren: %lld\n", st.gemeenten,
	    st.indicatoren);
	printf("  perioden:      %s t/m %s\n", st.first_period,
	    st.last_period);
	return 0;
}

/* export --historie: every revision of the series from the ledger. */
static int
export_history(struct app *app, const struct gemeente *g,
    const struct indicator *ind, struct api_csv *csv)
{
	static const char *const head[] = { "gemeente", "indicator", "periode",
		"revisie", "actueel", "waarde", "teller", "noemer", "status",
		"levering", "vastgelegd", "toelichting", "versie" };
	struct ledger_revision *r = NULL;
	struct err err = { "" };
	size_t	n = 0;
	char	pb[16];

	if (ledger_history(app->led, g->code, ind->id, NULL, &r, &n, &err) == -1)
		return fail("grootboek", &err);
	for (size_t i = 0; i < sizeof(head) / sizeof(*head); i++)
		api_csv_str(csv, head[i]);
	api_csv_end_row(csv);
	for (size_t i = 0; i < n; i++) {
		api_csv_str(csv, g->code);
		api_csv_str(csv, ind->id);
		api_csv_str(csv, period_format(&r[i].obs.periode, pb,
		    sizeof(pb)));
		api_csv_num(csv, r[i].revisie, 0);
		api_csv_str(csv, r[i].current ? "ja" : "nee");
		api_csv_num(csv, r[i].obs.waarde, -1);
		api_csv_num(csv, r[i].obs.teller, -1);
		api_csv_num(csv, r[i].obs.noemer, -1);
		api_csv_str(csv, r[i].ingetrokken ? "ingetrokken" :
		    validate_status_name(r[i].obs.status));
		api_csv_num(csv, (double)r[i].feed_id, 0);
		api_csv_str(csv, r[i].recorded_at);
		api_csv_str(csv, r[i].obs.toelichting);
		api_csv_str(csv, r[i].obs.versie);
		api_csv_end_row(csv);
	}
	free(r);
	return 0;
}

/* export: current values, aggregated to --per by the rules of domain §3. */
static int
export_values(struct app *app, const struct gemeente *g,
    const struct indicator *ind, enum period_kind per, struct api_csv *csv)
{
	static const char *const head[] = { "gemeente", "indicator", "periode",
		"waarde", "teller", "noemer", "status", "aanwezig", "verwacht",
		"onvolledig" };
	struct obs *obs = NULL;
	struct compare_period *v = NULL;
	struct err err = { "" };
	size_t	n = 0, nv = 0;
	char	pb[16];

	if (ledger_series(app->led, g->code, ind->id, &obs, &n, &err) == -1 ||
	    compare_period_aggregate(ind, obs, n, per, &v, &nv, &err) == -1) {
		free(obs);
		return fail("export", &err);
	}
	for (size_t i = 0; i < sizeof(head) / sizeof(*head); i++)
		api_csv_str(csv, head[i]);
	api_csv_end_row(csv);
	for (size_t i = 0; i < nv; i++) {
		api_csv_str(csv, g->code);
		api_csv_str(csv, ind->id);
		api_csv_str(csv, period_format(&v[i].periode, pb, sizeof(pb)));
		api_csv_num(csv, v[i].waarde, -1);
		api_csv_num(csv, v[i].teller, -1);
		api_csv_num(csv, v[i].noemer, -1);
		api_csv_str(csv, validate_status_name(v[i].status));
		api_csv_num(csv, v[i].aanwezig, 0);
		api_csv_num(csv, v[i].verwacht, 0);
		api_csv_str(csv, v[i].onvolledig ? "ja" : "nee");
		api_csv_end_row(csv);
	}
	free(v);
	free(obs);
	return 0;
}

static int
cmd_export(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "per", required_argument, NULL, 'p' },
		{ "historie", no_argument, NULL, 'h' },
		{ "excel", no_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	const struct gemeente *g;
	const struct indicator *ind;
	enum period_kind per = PERIOD_MAAND;
	int	c, has_per = 0, history = 0, excel = 0, rc;
	struct api_csv csv;

	optind = 0;	/* 0: glibc re-initialises its permutation state */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'p' && period_kind_parse(optarg, &per) == 0)
			has_per = 1;
		else if (c == 'h')
			history = 1;
		else if (c == 'e')
			excel = 1;
		else {
			usage_line("export", "GM INDICATOR [--per kwartaal|"
			    "halfjaar|jaar] [--historie] [--excel]");
			return 2;
		}
	}
	if (argc - optind != 2) {
		usage_line("export", "GM INDICATOR [--per kwartaal|halfjaar|"
		    "jaar] [--historie] [--excel]");
		return 2;
	}
	if ((g = register_find(app->reg, argv[optind])) == NULL ||
	    (ind = catalog_find(app->cat, argv[optind + 1])) == NULL) {
		fprintf(stderr, "basisctl: onbekende gemeente of indicator\n");
		return 2;
	}
	if (!has_per)
		per = ind->periode;
	if (period_months(per) < period_months(ind->periode)) {
		fprintf(stderr, "basisctl: %s wordt per %s geleverd; --per "
		    "kan niet fijner\n", ind->id, period_kind_name(ind->periode));
		return 2;
	}
	api_csv_init(&csv, excel);
	rc = history ? export_history(app, g, ind, &csv) :
	    export_values(app, g, ind, per, &csv);
	if (rc == 0 && !csv.b.failed)
		fwrite(csv.b.data, 1, csv.b.len, stdout);
	api_csv_free(&csv);
	return rc;
}

/* intrekken: withdraw a wrong value; its history stays (export --historie). */
static int
cmd_intrekken(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "toelichting", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *why = "";
	const struct gemeente *g;
	const struct indicator *ind;
	struct period p;
	struct err err = { "" };
	int	c, rc;

	optind = 0;	/* 0: glibc re-initialises its permutation state */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (c == 't')
			why = optarg;
		else
			optind = argc + 1;	/* usage below */
	if (argc - optind != 3) {
		usage_line("intrekken", "GM INDICATOR PERIODE [--toelichting "
		    "TEKST]");
		return 2;
	}
	if ((g = register_find(app->reg, argv[optind])) == NULL ||
	    (ind = catalog_find(app->cat, argv[optind + 1])) == NULL) {
		fprintf(stderr, "basisctl: onbekende gemeente of indicator\n");
		return 2;
	}
	if (period_parse(argv[optind + 2], &p, &err) == -1 ||
	    p.kind != ind->periode)
		return fail(err.msg[0] ? err.msg : "periode past niet bij de "
		    "indicator", NULL);
	if ((rc = ingest_withdraw(&app->ictx, g->code, ind, &p, "basisctl",
	    why, &err)) == -1)
		return fail("intrekken", &err);
	if (rc == 0) {
		fprintf(stderr, "basisctl: %s %s %s heeft geen huidige waarde\n",
		    g->code, ind->id, argv[optind + 2]);
		return 1;
	}
	printf("ingetrokken: %s %s %s (de geschiedenis blijft in export "
	    "--historie)\n", g->code, ind->id, argv[optind + 2]);
	return 0;
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
static int
cmd_cbs(struct app *app, int argc, char **argv)
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
		else if (c == 'y' && arg_num("--jaar", optarg, 1901, 2999,
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
		usage_line("cbs", "[--koppeling BESTAND] [--ca PEM] [--jaar J] "
		    "[--partial] [--json] BRON…");
		return 2;
	}
	if ((map = cbs_map_load(mpath, app->cat, &err)) == NULL)
		return fail("koppeling", &err);
	if (fetch_init() == -1) {
		cbs_map_free(map);
		return fail("libcurl kan niet starten", NULL);
	}
	for (int i = optind; i < argc; i++)
		all_ok &= cbs_one(app, map, argv[i], &fo, (int)year, &io, json);
	fetch_cleanup();
	cbs_map_free(map);
	return all_ok ? 0 : 1;
}

/* token add: a random token printed once; only its hash is stored. */
static int
token_add(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rol", required_argument, NULL, 'r' },
		{ "gemeente", required_argument, NULL, 'g' },
		{ "naam", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct ledger_token tok = { 0 };
	char	token[AUTH_TOKEN_SIZE];
	struct err err = { "" };
	int	has_role = 0;
	size_t	o = 0;
	int	c;

	optind = 0;	/* 0: glibc re-initialises its permutation state */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		const struct gemeente *g;

		if (c == 'r' && auth_role_parse(optarg, &tok.rol) == 0)
			has_role = 1;
		else if (c == 'n')
			snprintf(tok.naam, sizeof(tok.naam), "%s", optarg);
		else if (c == 'g' && (g = register_find(app->reg, optarg)))
			o += (size_t)snprintf(tok.gemeenten + o,
			    o < sizeof(tok.gemeenten) ? sizeof(tok.gemeenten) - o :
			    0, "%s%s", o ? " " : "", g->code);
		else {
			fprintf(stderr, "basisctl: ongeldige waarde '%s' (rol: "
			    "leverancier, manager of beheer; gemeente: code of "
			    "naam)\n", optarg ? optarg : "");
			return 2;
		}
	}
	if (!has_role || o >= sizeof(tok.gemeenten)) {
		usage_line("token add", "--rol leverancier|manager|beheer "
		    "[--gemeente GM…] [--naam NAAM]");
		return 2;
	}
	if (auth_token_new(token, tok.prefix, tok.hash) == -1)
		return fail("token maken", NULL);
	if (ledger_token_add(app->led, &tok, &err) == -1)
		return fail("token opslaan", &err);
	printf("%s\n", token);
	fprintf(stderr, "token %lld (%s%srol %s, gemeenten: %s) — bewaar het "
	    "nu: het wordt niet opnieuw getoond\n", tok.id, tok.naam,
	    tok.naam[0] ? ", " : "", auth_role_name(tok.rol),
	    tok.gemeenten[0] ? tok.gemeenten : "alle");
	return 0;
}

static int
token_list(struct app *app, int argc, char **argv)
{
	struct ledger_token *t = NULL;
	struct err err = { "" };
	size_t	n = 0;

	(void)argc;
	(void)argv;
	if (ledger_token_list(app->led, &t, &n, &err) == -1)
		return fail("tokens", &err);
	printf("%-4s %-20s %-12s %-10s %-20s %s\n", "id", "naam", "rol",
	    "begin", "aangemaakt", "gemeenten");
	for (size_t i = 0; i < n; i++)
		printf("%-4lld %-20s %-12s bsd_%-6s %-20s %s%s\n", t[i].id,
		    t[i].naam, auth_role_name(t[i].rol), t[i].prefix,
		    t[i].created_at,
		    t[i].gemeenten[0] ? t[i].gemeenten : "alle",
		    t[i].revoked ? " (ingetrokken)" : "");
	free(t);
	return 0;
}

static int
token_revoke(struct app *app, int argc, char **argv)
{
	struct err err = { "" };
	long long id;

	if (argc != 2 || num_int(argv[1], 1, LLONG_MAX, &id, NULL) == -1) {
		usage_line("token revoke", "ID");
		return 2;
	}
	if (ledger_token_revoke(app->led, id, &err) == -1)
		return fail("token intrekken", &err);
	printf("token %lld ingetrokken\n", id);
	return 0;
}

static int
cmd_token(struct app *app, int argc, char **argv)
{
	static const struct {
		const char *name;
		int	(*run)(struct app *, int, char **);
	} sub[] = { { "add", token_add }, { "list", token_list },
		{ "revoke", token_revoke } };

	for (size_t i = 0; argc > 1 && i < sizeof(sub) / sizeof(*sub); i++)
		if (strcmp(argv[1], sub[i].name) == 0)
			return sub[i].run(app, argc - 1, argv + 1);
	usage_line("token", "add|list|revoke …");
	return 2;
}

/* A password from stdin; on a terminal without echo and asked twice. */
static int
read_password(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	int	tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	int	ok;

	if (tty) {
		fprintf(stderr, "%s: ", prompt);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	ok = fgets(buf, (int)size, stdin) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	buf[ok ? strcspn(buf, "\r\n") : 0] = '\0';
	return ok && buf[0] != '\0' ? 0 : -1;
}

static int
user_password(char *hash)
{
	char	pw[256], again[256];
	int	rc = -1;

	if (read_password("wachtwoord", pw, sizeof(pw)) == -1)
		fprintf(stderr, "basisctl: geen wachtwoord gelezen\n");
	else if (isatty(STDIN_FILENO) && (read_password("nog een keer", again,
	    sizeof(again)) == -1 || strcmp(pw, again) != 0))
		fprintf(stderr, "basisctl: de wachtwoorden verschillen\n");
	else if (strlen(pw) < 8)
		fprintf(stderr, "basisctl: wachtwoord te kort (minstens 8 "
		    "tekens)\n");
	else if (auth_password_hash(pw, hash) == -1)
		fprintf(stderr, "basisctl: kan wachtwoord niet hashen\n");
	else
		rc = 0;
	memset(pw, 0, sizeof(pw));
	memset(again, 0, sizeof(again));
	return rc;
}

static int
user_add(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rol", required_argument, NULL, 'r' },
		{ "gemeente", required_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 },
	};
	struct ledger_account acc = { 0 };
	struct err err = { "" };
	int	has_role = 0;
	size_t	o = 0;
	int	c;

	/* 0, not 1: GNU getopt then starts afresh and permutes, so NAAM may
	 * stand before or after the options (main parsed with "+"). */
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		const struct gemeente *g;

		if (c == 'r' && auth_role_parse(optarg, &acc.rol) == 0 &&
		    acc.rol != AUTH_ROLE_LEVERANCIER)
			has_role = 1;
		else if (c == 'g' && (g = register_find(app->reg, optarg)))
			o += (size_t)snprintf(acc.gemeenten + o,
			    o < sizeof(acc.gemeenten) ? sizeof(acc.gemeenten) - o :
			    0, "%s%s", o ? " " : "", g->code);
		else {
			fprintf(stderr, "basisctl: ongeldige waarde '%s' (rol: "
			    "manager of beheer; gemeente: code of naam)\n",
			    optarg ? optarg : "");
			return 2;
		}
	}
	if (optind != argc - 1 || !has_role ||
	    o >= sizeof(acc.gemeenten) || strlen(argv[optind]) >=
	    sizeof(acc.naam)) {
		usage_line("user add", "NAAM --rol manager|beheer [--gemeente "
		    "GM…]  (wachtwoord via stdin)");
		return 2;
	}
	snprintf(acc.naam, sizeof(acc.naam), "%s", argv[optind]);
	if (user_password(acc.password_hash) == -1)
		return 2;
	if (ledger_account_add(app->led, &acc, &err) == -1)
		return fail("account opslaan", &err);
	fprintf(stderr, "account %lld (%s, rol %s, gemeenten: %s) aangemaakt\n",
	    acc.id, acc.naam, auth_role_name(acc.rol), acc.gemeenten[0] ?
	    acc.gemeenten :
	    "alle");
	return 0;
}

static int
cmd_user(struct app *app, int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "add") == 0)
		return user_add(app, argc - 1, argv + 1);
	usage_line("user", "add NAAM --rol manager|beheer [--gemeente GM…]");
	return 2;
}

/* afgewezen [ID]: the refused feeds (newest first), or one with its
 * report. */
static int
cmd_rejected(struct app *app, int argc, char **argv)
{
	struct ledger_rejected *r = NULL;
	struct err err = { "" };
	long long id = 0;
	char   *end;
	size_t	n = 0;

	if (argc > 2 || (argc == 2 && ((id = strtoll(argv[1], &end, 10)) <= 0 ||
	    *end))) {
		usage_line("afgewezen", "[ID]");
		return 2;
	}
	if (ledger_rejected_list(app->led, id, 1000, &r, &n, &err) == -1)
		return fail("afgewezen leveringen", &err);
	if (id > 0 && n == 1) {
		printf("%s\n", r[0].report_json ? r[0].report_json : "{}");
	} else if (id > 0) {
		fprintf(stderr, "basisctl: geen afgewezen levering %lld\n", id);
		ledger_rejected_free(r, n);
		return 1;
	} else {
		printf("%-5s %-20s %-10s %-6s %-6s %-16s %-20s %s\n", "id",
		    "ontvangen", "status", "regels", "fout", "leverancier",
		    "bestand", "van");
		for (size_t i = 0; i < n; i++)
			printf("%-5lld %-20s %-10s %-6ld %-6ld %-16s %-20s "
			    "%s\n", r[i].id, r[i].received_at, r[i].status,
			    r[i].rows, r[i].errors, r[i].leverancier,
			    r[i].naam, r[i].client[0] ? r[i].client : "-");
	}
	ledger_rejected_free(r, n);
	return 0;
}

static const struct command commands[] = {
	{ "init", cmd_init, 0, "" },
	{ "ingest", cmd_ingest, NEED_CATALOG | NEED_LEDGER | NEED_STORE |
	    NEED_RECOVER, "[--partial] [--json] BESTAND…" },
	{ "cbs", cmd_cbs, NEED_CATALOG | NEED_LEDGER | NEED_STORE |
	    NEED_RECOVER, "[--koppeling BESTAND] [--ca PEM] [--jaar J] BRON…" },
	{ "check", cmd_check, NEED_CATALOG, "" },
	{ "rebuild", cmd_rebuild, NEED_CATALOG | NEED_LEDGER | NEED_STORE |
	    NEED_RECOVER, "[--reeksen | --banden] [--all | GM…]" },
	{ "verify", cmd_verify, NEED_CATALOG | NEED_LEDGER | NEED_STORE, "" },
	{ "demo-data", cmd_demo, NEED_CATALOG | NEED_LEDGER | NEED_STORE |
	    NEED_RECOVER, "[--seed N] [--van J] [--tot J] (--load | --uit MAP)" },
	{ "export", cmd_export, NEED_CATALOG | NEED_LEDGER,
	    "GM INDICATOR [--per kwartaal|halfjaar|jaar] [--historie]" },
	{ "intrekken", cmd_intrekken, NEED_CATALOG | NEED_LEDGER | NEED_STORE |
	    NEED_RECOVER, "GM INDICATOR PERIODE [--toelichting TEKST]" },
	{ "status", cmd_status, NEED_LEDGER, "" },
	{ "afgewezen", cmd_rejected, NEED_LEDGER, "[ID]" },
	{ "token", cmd_token, NEED_CATALOG | NEED_LEDGER,
	    "add --rol R [--gemeente GM…] [--naam N] | list | revoke ID" },
	{ "user", cmd_user, NEED_CATALOG | NEED_LEDGER,
	    "add NAAM --rol manager|beheer [--gemeente GM…] (wachtwoord via "
	    "stdin)" },
};

static void
usage(FILE *fp)
{
	fprintf(fp, "gebruik: basisctl [-s MAP | -f basisd.conf] [-c CATALOGUS] "
	    "[-v] OPDRACHT …\n"
	    "  -s MAP        staatmap (standaard $BASISD_STATE of ./state)\n"
	    "  -f BESTAND    staatmap en catalogus uit de configuratie van de "
	    "dienst\n"
	    "  -c MAP        catalogus (standaard uit basisd.conf)\n"
	    "  -v            meer logregels\n"
	    "  -V, --version versie;  -h, --help  deze hulp\n"
	    "opdrachten:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name,
		    commands[i].usage);
}

/* -f: the service's state and catalogue, as basisd reads them. */
static int
use_conf(struct app *app, const char *path)
{
	struct err err = { "" };
	struct conf *conf = conf_load(path, &err);

	if (conf == NULL)
		return fail("configuratie", &err);
	snprintf(app->state, sizeof(app->state), "%s", conf->state_dir);
	app->conf_path = path;
	if (app->catalog_dir[0] == '\0')
		snprintf(app->catalog_dir, sizeof(app->catalog_dir), "%s",
		    conf->catalog_dir);
	conf_free(conf);
	return 0;
}

/* Root acting on a state directory another user owns (the service's
 * basisd user) continues as that owner: files root created there (an RRD
 * rebuilt, a WAL) would be unwritable for the service. */
static int
as_owner(const struct app *app)
{
	struct stat st;

	if (geteuid() != 0 || stat(app->state, &st) == -1 || st.st_uid == 0)
		return 0;
	if (setgroups(0, NULL) == -1 || setgid(st.st_gid) == -1 ||
	    setuid(st.st_uid) == -1) {
		fprintf(stderr, "basisctl: %s is van uid %u; kan niet als die "
		    "gebruiker verder (%s) en weigert als root\n", app->state,
		    (unsigned)st.st_uid, strerror(errno));
		return 2;
	}
	log_debug("als eigenaar van %s verder (uid %u)", app->state,
	    (unsigned)st.st_uid);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct app app = { .tty = isatty(STDERR_FILENO) };
	const char *state = getenv("BASISD_STATE"), *conf = NULL;
	int	c, rc;

	snprintf(app.state, sizeof(app.state), "%s", state ? state : "state");
	while ((c = getopt_long(argc, argv, "+s:c:f:vhV", longopts, NULL)) !=
	    -1) {
		if (c == 's')
			snprintf(app.state, sizeof(app.state), "%s", optarg);
		else if (c == 'c')
			snprintf(app.catalog_dir, sizeof(app.catalog_dir), "%s",
			    optarg);
		else if (c == 'f')
			conf = optarg;
		else if (c == 'v')
			log_set_level(LOG_LEVEL_DEBUG);
		else if (c == 'V') {
			printf("basisctl %s\n", PACKAGE_VERSION);
			return 0;
		} else {
			usage(c == 'h' ? stdout : stderr);
			return c == 'h' ? 0 : 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if ((conf != NULL && (rc = use_conf(&app, conf)) != 0) ||
	    (rc = as_owner(&app)) != 0)
		return rc;
	if (auth_init() == -1)
		return fail("libsodium kon niet starten", NULL);
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++) {
		if (strcmp(argv[optind], commands[i].name) != 0)
			continue;
		if (commands[i].needs != 0 || strcmp(commands[i].name, "init") == 0)
			if ((rc = open_app(&app, commands[i].needs)) != 0) {
				close_app(&app);
				return rc;
			}
		rc = commands[i].run(&app, argc - optind, argv + optind);
		if (flush_bands(&app) != 0 && rc == 0)
			rc = 2;
		close_app(&app);
		return rc;
	}
	fprintf(stderr, "basisctl: onbekende opdracht '%s'\n", argv[optind]);
	usage(stderr);
	return 2;
}
