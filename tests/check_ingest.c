/* tests/check_ingest.c — feeds end to end through ingest_feed with a real
 * ledger and real RRD files in a temp dir. Each step of a sequence is
 * followed by ingest_verify (RRD equals the ledger) and an empty pending
 * journal: fresh series, appends, revisions, late periods, resends, and
 * RRD files that are missing or left over. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/ingest.h"
#include "testutil.h"

#define HDR "gemeente;indicator;periode;waarde;teller;noemer;status;" \
	"toelichting;synthetisch\n"

struct fixture {
	char   *dir;
	char	path[4096];
	struct catalog *cat;
	struct reg *reg;
	struct ledger *led;
	struct store *store;
	struct ingest_ctx ctx;
};

static void
fx_open(struct fixture *fx)
{
	struct err err = { "" };
	char   *cdir = tu_srcpath("indicators");
	char	rrd[4200];

	memset(fx, 0, sizeof(*fx));
	fx->dir = tu_tmpdir();
	fx->cat = catalog_load(cdir, &err);
	ck_assert_msg(fx->cat != NULL, "%s", err.msg);
	fx->reg = register_load(cdir, &err);
	ck_assert_msg(fx->reg != NULL, "%s", err.msg);
	free(cdir);
	snprintf(fx->path, sizeof(fx->path), "%s/basis.db", fx->dir);
	fx->led = ledger_open(fx->path, 0, &err);
	ck_assert_msg(fx->led != NULL, "%s", err.msg);
	snprintf(rrd, sizeof(rrd), "%s/rrd", fx->dir);
	fx->store = store_open(rrd, &err);
	ck_assert_msg(fx->store != NULL, "%s", err.msg);
	fx->ctx = (struct ingest_ctx){ .cat = fx->cat, .reg = fx->reg,
		.led = fx->led, .store = fx->store };
}

static void
fx_close(struct fixture *fx)
{
	store_close(fx->store);
	ledger_close(fx->led);
	register_free(fx->reg);
	catalog_free(fx->cat);
	tu_rm_rf(fx->dir);
	free(fx->dir);
}

/* RRD and ledger agree and nothing is left in the journal. */
static void
assert_consistent(struct fixture *fx, const char *step)
{
	struct err err = { "" };
	struct ledger_key *keys = NULL;
	size_t	n = 9;
	char   *out = NULL;
	size_t	outlen = 0;
	FILE   *fp = open_memstream(&out, &outlen);
	long	bad;

	ck_assert_ptr_nonnull(fp);
	bad = ingest_verify(&fx->ctx, fp, &err);
	fclose(fp);
	ck_assert_msg(bad == 0, "%s: verify %ld: %s%s", step, bad, out,
	    err.msg);
	free(out);
	ck_assert_int_eq(ledger_pending(fx->led, &keys, &n, &err), 0);
	ck_assert_msg(n == 0, "%s: %zu series pending", step, n);
	free(keys);
}

static void
ingest_ok(struct fixture *fx, const char *naam, const char *csv,
    enum ingest_status want, long nieuw, long herzien)
{
	struct ingest_opts io = { 0 };
	struct ingest_report rep;

	ck_assert_int_eq(ingest_feed(&fx->ctx, naam, csv, strlen(csv), &io,
	    &rep), 0);
	ck_assert_msg(rep.status == want, "%s: status %s, %s", naam,
	    ingest_status_name(rep.status), rep.fout);
	ck_assert_msg(rep.nieuw == nieuw && rep.herzien == herzien,
	    "%s: %ld nieuw %ld herzien", naam, rep.nieuw, rep.herzien);
	ingest_report_free(&rep);
	assert_consistent(fx, naam);
}

/* One sequence of feeds, each checked after it is ingested. */
struct step {
	const char *naam;
	const char *csv;
	enum ingest_status status;
	long	nieuw, herzien;
};

static const struct step sequence[] = {
	{ "fresh", HDR
	    "GM0363;pw_bestand;2020-01;100;;;definitief;;nee\n"
	    "GM0363;pw_bestand;2020-02;110;;;definitief;;nee\n"
	    "GM0363;bijstand_per_1000_inwoners;2020-01;;100;900000;"
	    "definitief;;nee\n"
	    "GM0014;pw_bestand;2020-02;50;;;voorlopig;;nee\n"
	    "GM0014;pw_bestand;2020-01;40;;;definitief;;nee\n",
	    INGEST_ACCEPTED, 5, 0 },
	{ "append", HDR
	    "GM0363;pw_bestand;2020-03;120;;;definitief;;nee\n"
	    "GM0363;pw_bestand;2020-05;130;;;definitief;;nee\n",
	    INGEST_ACCEPTED, 2, 0 },
	{ "late period", HDR
	    "GM0363;pw_bestand;2020-04;125;;;definitief;;nee\n",
	    INGEST_ACCEPTED, 1, 0 },
	{ "revision", HDR
	    "GM0363;pw_bestand;2020-02;111;;;definitief;;nee\n"
	    "GM0014;pw_bestand;2020-03;55;;;definitief;;nee\n",
	    INGEST_ACCEPTED, 1, 1 },
	{ "resend plus new", HDR
	    "GM0363;pw_bestand;2020-01;100;;;definitief;;nee\n"
	    "GM0363;pw_bestand;2020-06;140;;;definitief;;nee\n"
	    "GM0363;bijstand_per_1000_inwoners;2020-01;;100;900000;"
	    "definitief;;nee\n",
	    INGEST_ACCEPTED, 1, 0 },
	{ "status change", HDR
	    "GM0014;pw_bestand;2020-02;50;;;definitief;;nee\n",
	    INGEST_ACCEPTED, 0, 1 },
};

/* ---- recovery past a series that cannot be written (issue 13): the one
 * blocked by a directory stays pending, the other heals and leaves the
 * journal; once the path is free the next recovery heals it too. ------ */

START_TEST(test_recover_partial)
{
	struct fixture fx;
	struct ingest_opts io = { 0 };
	struct ingest_report rep;
	struct ledger_key *keys = NULL;
	struct err err = { "" };
	const char *csv = HDR "GM0363;pw_bestand;2020-01;100;;;definitief;;nee\n"
	    "GM0014;pw_bestand;2020-01;40;;;definitief;;nee\n";
	char	blocked[4300], sub[4400], dir[4300];
	size_t	n = 0;

	fx_open(&fx);
	/* a directory where GM0014's file goes: its write fails */
	ck_assert_int_eq(store_path(fx.store, "GM0014", "pw_bestand", blocked,
	    sizeof(blocked)), 0);
	snprintf(dir, sizeof(dir), "%s/rrd/GM0014", fx.dir);
	snprintf(sub, sizeof(sub), "%s/x", blocked);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	ck_assert_int_eq(mkdir(blocked, 0755), 0);
	tu_write_file(sub, "x", 1);
	ck_assert_int_eq(ingest_feed(&fx.ctx, "f", csv, strlen(csv), &io,
	    &rep), 0);
	ck_assert_int_eq(rep.status, INGEST_ACCEPTED);
	ingest_report_free(&rep);
	ck_assert_int_eq(ledger_pending(fx.led, &keys, &n, &err), 0);
	ck_assert(n == 1 && strcmp(keys[0].gemeente, "GM0014") == 0);
	free(keys);
	/* the other series healed; the blocked one stays, with a reason */
	ck_assert_int_eq(store_remove(fx.store, "GM0363", "pw_bestand", &err),
	    0);
	ck_assert_int_eq(ingest_rebuild(&fx.ctx, NULL, 0, &err), -1);
	ck_assert_msg(strstr(err.msg, "1 reeks niet herbouwd"), "%s", err.msg);
	ck_assert(store_exists(fx.store, "GM0363", "pw_bestand"));
	ck_assert_int_eq(ingest_recover(&fx.ctx, &err), -1);
	ck_assert_int_eq(ledger_pending(fx.led, &keys, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	free(keys);
	tu_rm_rf(blocked);
	ck_assert_msg(ingest_recover(&fx.ctx, &err) == 0, "%s", err.msg);
	assert_consistent(&fx, "after the path was freed");
	fx_close(&fx);
}
END_TEST

START_TEST(test_sequence)
{
	struct fixture fx;

	fx_open(&fx);
	for (size_t i = 0; i < sizeof(sequence) / sizeof(*sequence); i++)
		ingest_ok(&fx, sequence[i].naam, sequence[i].csv,
		    sequence[i].status, sequence[i].nieuw, sequence[i].herzien);
	fx_close(&fx);
}
END_TEST

/* A series whose RRD file vanished is rebuilt from the ledger, not
 * recreated from the new feed's rows alone; a file left over from an
 * earlier ledger is replaced by a fresh series. */
START_TEST(test_files)
{
	struct fixture fx;
	char	path[4096], other[4096];
	size_t	len = 0;
	char   *data;

	fx_open(&fx);
	ingest_ok(&fx, "one", HDR
	    "GM0363;pw_bestand;2020-01;100;;;definitief;;nee\n"
	    "GM0014;pw_bestand;2021-01;7;;;definitief;;nee\n", INGEST_ACCEPTED,
	    2, 0);
	ck_assert_int_eq(store_path(fx.store, "GM0363", "pw_bestand", path,
	    sizeof(path)), 0);
	ck_assert_int_eq(unlink(path), 0);
	ingest_ok(&fx, "two", HDR
	    "GM0363;pw_bestand;2020-02;110;;;definitief;;nee\n",
	    INGEST_ACCEPTED, 1, 0);
	/* A stale file with later data where a fresh series will go. */
	ck_assert_int_eq(store_path(fx.store, "GM0014", "pw_bestand", other,
	    sizeof(other)), 0);
	data = tu_read_file(other, &len);
	ck_assert_ptr_nonnull(data);
	ck_assert_int_eq(store_path(fx.store, "GM0014", "pw_instroom", path,
	    sizeof(path)), 0);
	tu_write_file(path, data, len);
	free(data);
	ingest_ok(&fx, "three", HDR
	    "GM0014;pw_instroom;2020-06;3;;;definitief;;nee\n",
	    INGEST_ACCEPTED, 1, 0);
	fx_close(&fx);
}
END_TEST

/* The commit loop checks in C what the schema's CHECK constraints would:
 * a row without waarde and noemer, or with a malformed code, is refused
 * and nothing of the feed is stored. */
START_TEST(test_invalid_obs)
{
	static const char *const codes[] = { "GM0363", "GM036", "XX0363" };
	struct fixture fx;
	struct err err = { "" };
	struct ledger_feed meta;
	struct ledger_commit c;
	struct ledger_status st;
	struct obs o;

	fx_open(&fx);
	for (size_t i = 0; i < sizeof(codes) / sizeof(*codes); i++) {
		memset(&o, 0, sizeof(o));
		memset(&meta, 0, sizeof(meta));
		snprintf(o.gemeente, sizeof(o.gemeente), "%s", codes[i]);
		snprintf(o.indicator, sizeof(o.indicator), "pw_bestand");
		ck_assert_int_eq(period_parse("2020-01", &o.periode, NULL), 0);
		o.waarde = i == 0 ? NAN : 1;
		o.teller = o.noemer = NAN;
		snprintf(meta.sha256, sizeof(meta.sha256), "%064zu", i);
		snprintf(meta.naam, sizeof(meta.naam), "bad-%zu.csv", i);
		snprintf(meta.leverancier, sizeof(meta.leverancier), "test");
		ck_assert_int_eq(ledger_commit_feed(fx.led, &meta, &o, 1, &c,
		    &err), -1);
		ck_assert_ptr_nonnull(strstr(err.msg, "ongeldige waarneming"));
	}
	ck_assert_int_eq(ledger_status(fx.led, &st, &err), 0);
	ck_assert_int_eq(st.feeds, 0);
	ck_assert_int_eq(st.revisions, 0);
	fx_close(&fx);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("ingest");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_test(tc, test_sequence);
	tcase_add_test(tc, test_recover_partial);
	tcase_add_test(tc, test_files);
	tcase_add_test(tc, test_invalid_obs);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
