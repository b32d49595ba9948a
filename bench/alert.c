/* bench/alert.c — alert evaluation after a national monthly ingest
 * (issue 7: 10 000 rules in < 1 s). A real app in a temp dir (ledger,
 * RRD files): two years of history for 342 gemeenten × 10 monthly
 * indicators, 10 000 rules of every kind (1 % Holt-Winters), then two
 * national monthly feeds. Prints the time of the alert hook against the
 * time of the ingest itself (the raw pipeline, same run). Not a test: run
 * with `make bench-alert`. BENCH_DIR sets where the state goes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert/alert.h"
#include "alert/alert_engine.h"
#include "store/app.h"
#include "base/auth.h"

#include "benchutil.h"

#define NRULES 10000
#define NIND 10

static const char *const inds[NIND] = { "pw_bestand", "pw_bestand_duur_1",
	"pw_bestand_duur_2", "pw_bestand_duur_3", "pw_bestand_duur_4",
	"pw_bestand_duur_5", "pw_bestand_duur_6", "pw_bestand_duur_7",
	"pw_instroom", "pw_uitstroom_totaal" };

struct timing {
	double	hook_ms;
	void   *worker;
};

static unsigned long
lcg(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return *s >> 33;
}

static void
timed_hook(void *arg, struct ingest_ctx *ctx, const struct ledger_commit *c)
{
	struct timing *t = arg;
	double	t0 = now_ms();

	alert_hook(t->worker, ctx, c);
	t->hook_ms = now_ms() - t0;
}

/* One feed of months [from, to] of 2023.. for every gemeente. */
static char *
feed(const struct reg *reg, int from, int to, unsigned long *seed,
    size_t *ret_len)
{
	size_t	cap = (size_t)(to - from + 1) * reg->nactief * NIND * 48 + 64;
	char   *buf = malloc(cap);
	size_t	o;

	if (buf == NULL)
		return NULL;
	o = (size_t)snprintf(buf, cap, "gemeente;indicator;periode;waarde\n");
	for (size_t g = 0; g < reg->nactief; g++) {
		double	base = 50 + (double)(g * 37 % 3000);

		for (int i = 0; i < NIND; i++)
			for (int m = from; m <= to; m++)
				o += (size_t)snprintf(buf + o, cap - o,
				    "%s;%s;%d-%02d;%.0f\n",
				    reg->gemeenten[g].code, inds[i],
				    2023 + m / 12, m % 12 + 1, base / (i + 1) *
				    (0.9 + (double)(lcg(seed) % 200) / 1000));
	}
	*ret_len = o;
	return buf;
}

static int
ingest(struct app *app, const struct reg *reg, int from, int to,
    unsigned long *seed, double *ret_ms)
{
	struct ingest_opts opts = { 0 };
	struct ingest_report rep;
	size_t	len;
	char   *data = feed(reg, from, to, seed, &len);
	double	t0 = now_ms();
	int	ok;

	if (data == NULL)
		return -1;
	ok = app_ingest(app, "bench.csv", data, len, &opts, &rep) == 0 &&
	    rep.status == INGEST_ACCEPTED;
	*ret_ms = now_ms() - t0;
	if (!ok)
		fprintf(stderr, "ingest: %s\n", ok ? "" :
		    ingest_status_name(rep.status));
	ingest_report_free(&rep);
	free(data);
	return ok ? 0 : -1;
}

struct rules_call {
	const struct reg *reg;
	const struct catalog *cat;
};

static const char *const kinds[] = { "drempel", "verandering", "trend",
	"afwijking_groep", "ontbrekend" };
static const char *const params[] = {
	"{\"drempel\":2000}", "{\"drempel\":15}",
	"{\"drempel\":20,\"perioden\":6}", "{}", "{\"dagen\":30}" };

static int
add_rules(void *arg, struct ledger *writer, struct err *err)
{
	struct rules_call *c = arg;

	for (int i = 0; i < NRULES; i++) {
		struct ledger_alert_rule r = { 0 };
		int	k = i % 5;

		snprintf(r.naam, sizeof(r.naam), "regel %d", i);
		snprintf(r.gemeente, sizeof(r.gemeente), "%s",
		    c->reg->gemeenten[i % (int)c->reg->nactief].code);
		snprintf(r.indicator, sizeof(r.indicator), "%s",
		    inds[(i / (int)c->reg->nactief) % NIND]);
		if (i % 100 == 99) {
			snprintf(r.soort, sizeof(r.soort), "afwijkend_patroon");
			snprintf(r.params, sizeof(r.params), "{}");
		} else {
			snprintf(r.soort, sizeof(r.soort), "%s", kinds[k]);
			snprintf(r.params, sizeof(r.params), "%s", params[k]);
		}
		if (k == 3)
			snprintf(r.groep, sizeof(r.groep), "alle");
		r.enabled = 1;
		if (ledger_alert_rule_put(writer, &r, err) == -1)
			return -1;
	}
	return 0;
}

int
main(void)
{
	const char *base = getenv("BENCH_DIR");
	char	dir[900], cmd[1000];
	struct err err = { "" };
	struct conf *conf = conf_defaults();
	struct app *app = NULL;
	struct app_snapshot *snap;
	struct timing t = { 0, NULL };
	unsigned long seed = 7;
	double	ms, t0;
	int	rc = EXIT_FAILURE;

	snprintf(dir, sizeof(dir), "%s/basisd-bench-alert-XXXXXX",
	    base ? base : "/tmp");
	if (conf == NULL || mkdtemp(dir) == NULL || auth_init() == -1)
		return EXIT_FAILURE;
	snprintf(conf->state_dir, sizeof(conf->state_dir), "%s", dir);
	snprintf(conf->catalog_dir, sizeof(conf->catalog_dir), "%s",
	    getenv("BENCH_CATALOG") ? getenv("BENCH_CATALOG") : "indicators");
	if ((app = app_open(conf, &err)) == NULL) {
		fprintf(stderr, "bench-alert: %s\n", err.msg);
		goto done;
	}
	snap = app_snapshot_get(app);
	printf("history: %zu gemeenten x %d indicators x 24 months... ",
	    snap->reg->nactief, NIND);
	fflush(stdout);
	if (ingest(app, snap->reg, 0, 23, &seed, &ms) == -1)
		goto done;
	printf("%.0f ms\n", ms);
	t0 = now_ms();
	if (app_with_writer(app, add_rules, &(struct rules_call){ snap->reg,
	    snap->cat }, &err) == -1) {
		fprintf(stderr, "bench-alert: %s\n", err.msg);
		goto done;
	}
	printf("%d rules stored in %.0f ms\n", NRULES, now_ms() - t0);
	app_add_hook(app, timed_hook, &t);
	for (int m = 24; m < 26; m++) {
		if (ingest(app, snap->reg, m, m, &seed, &ms) == -1)
			goto done;
		printf("national monthly feed %d-%02d (%zu series): ingest "
		    "%.0f ms of which alert hook %.0f ms (%.0f%%) — target "
		    "< 1000 ms\n", 2023 + m / 12, m % 12 + 1,
		    snap->reg->nactief * NIND, ms, t.hook_ms,
		    100 * t.hook_ms / ms);
	}
	app_snapshot_put(app, snap);
	rc = EXIT_SUCCESS;
done:
	app_close(app);
	conf_free(conf);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench-alert: could not remove %s\n", dir);
	return rc;
}
