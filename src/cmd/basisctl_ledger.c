/* src/cmd/basisctl_ledger.c — basisctl's commands on what the ledger
 * holds: rebuild and verify the RRD store and bands, status, export (values
 * or every revision), intrekken (withdraw a value) and afgewezen (refused
 * feeds). */
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

int
basisctl_rebuild(struct app *app, int argc, char **argv)
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
			basisctl_usage_line("rebuild", "[--reeksen | --banden] [--all | "
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
		return basisctl_fail("groepsbanden", &err);
	printf("%s\n", failed ? "herbouwd, behalve de gemelde reeksen" :
	    "herbouwd");
	return failed;
}

int
basisctl_verify(struct app *app, int argc, char **argv)
{
	struct err err = { "" };
	long	bad;

	(void)argc;
	(void)argv;
	if ((bad = ingest_verify(&app->ictx, stdout, &err)) == -1)
		return basisctl_fail("controle", &err);
	printf("%s: %ld verschil%s tussen grootboek en rrd\n",
	    bad ? "FOUT" : "in orde", bad, bad == 1 ? "" : "len");
	return bad ? 1 : 0;
}

int
basisctl_status(struct app *app, int argc, char **argv)
{
	struct ledger_status st;
	struct err err = { "" };

	(void)argc;
	(void)argv;
	if (ledger_status(app->led, &st, &err) == -1)
		return basisctl_fail("grootboek", &err);
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
		return basisctl_fail("grootboek", &err);
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
		return basisctl_fail("export", &err);
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

int
basisctl_export(struct app *app, int argc, char **argv)
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
			basisctl_usage_line("export", "GM INDICATOR [--per kwartaal|"
			    "halfjaar|jaar] [--historie] [--excel]");
			return 2;
		}
	}
	if (argc - optind != 2) {
		basisctl_usage_line("export", "GM INDICATOR [--per kwartaal|halfjaar|"
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
int
basisctl_intrekken(struct app *app, int argc, char **argv)
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
		basisctl_usage_line("intrekken", "GM INDICATOR PERIODE [--toelichting "
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
		return basisctl_fail(err.msg[0] ? err.msg : "periode past niet bij de "
		    "indicator", NULL);
	if ((rc = ingest_withdraw(&app->ictx, g->code, ind, &p, "basisctl",
	    why, &err)) == -1)
		return basisctl_fail("intrekken", &err);
	if (rc == 0) {
		fprintf(stderr, "basisctl: %s %s %s heeft geen huidige waarde\n",
		    g->code, ind->id, argv[optind + 2]);
		return 1;
	}
	printf("ingetrokken: %s %s %s (de geschiedenis blijft in export "
	    "--historie)\n", g->code, ind->id, argv[optind + 2]);
	return 0;
}

/* afgewezen [ID]: the refused feeds (newest first), or one with its
 * report. */
int
basisctl_rejected(struct app *app, int argc, char **argv)
{
	struct ledger_rejected *r = NULL;
	struct err err = { "" };
	long long id = 0;
	char   *end;
	size_t	n = 0;

	if (argc > 2 || (argc == 2 && ((id = strtoll(argv[1], &end, 10)) <= 0 ||
	    *end))) {
		basisctl_usage_line("afgewezen", "[ID]");
		return 2;
	}
	if (ledger_rejected_list(app->led, id, 1000, &r, &n, &err) == -1)
		return basisctl_fail("afgewezen leveringen", &err);
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
