/* src/store/ingest.c — one feed end to end: parse → validate → durable commit in
 * the ledger → RRD update → after-commit hook. The ledger is the source of
 * truth: RRD work happens only after COMMIT and is journaled (pending) so a
 * crash in between is repaired by ingest_recover. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/auth.h"
#include "store/ingest.h"
#include "base/json.h"
#include "base/log.h"
#include "input/validate.h"

static const char *const status_names[] = {
	[INGEST_ACCEPTED] = "geaccepteerd",
	[INGEST_PARTIAL] = "gedeeltelijk",
	[INGEST_DUPLICATE] = "al_ontvangen",
	[INGEST_REJECTED] = "afgekeurd",
	[INGEST_FORBIDDEN] = "geweigerd",
	[INGEST_FAILED] = "mislukt",
};

const char *
ingest_status_name(enum ingest_status s)
{
	return status_names[s];
}

void
ingest_report_free(struct ingest_report *rep)
{
	if (rep != NULL)
		report_free(&rep->problems);
}

/* Points of one series from ledger observations. */
static struct store_point *
to_points(const struct obs *obs, size_t n, const struct indicator *ind)
{
	struct store_point *pts = calloc(n ? n : 1, sizeof(*pts));
	int	comp = catalog_has_components(ind);

	if (pts == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		pts[i].periode = obs[i].periode;
		pts[i].v[0] = comp ? obs[i].teller : obs[i].waarde;
		pts[i].v[1] = comp ? obs[i].noemer : NAN;
	}
	return pts;
}

/* Rewrite one series file from the ledger's current values. */
static int
rebuild_series(struct ingest_ctx *ctx, const struct ledger_key *key,
    struct err *err)
{
	const struct indicator *ind = catalog_find(ctx->cat, key->indicator);
	struct obs *obs = NULL;
	struct store_point *pts = NULL;
	size_t	n = 0;
	int	rc = -1;

	if (ind == NULL)	/* indicator left the catalogue: nothing to draw */
		return 0;
	if (ledger_series(ctx->led, key->gemeente, key->indicator, &obs, &n,
	    err) == -1)
		goto out;
	if ((pts = to_points(obs, n, ind)) == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto out;
	}
	/* every value withdrawn: no file, as for a series never delivered */
	rc = n == 0 ? store_remove(ctx->store, key->gemeente, ind->id, err) :
	    store_rebuild(ctx->store, key->gemeente, ind, pts, n, err);
out:
	free(pts);
	free(obs);
	return rc;
}

static int
cmp_obs_series(const void *a, const void *b)
{
	const struct obs *x = a, *y = b;
	int	c = strcmp(x->gemeente, y->gemeente);

	if (c == 0)
		c = strcmp(x->indicator, y->indicator);
	if (c == 0)
		c = period_cmp(&x->periode, &y->periode);
	return c;
}

static int
cmp_key_obs(const struct ledger_key *k, const struct obs *o)
{
	int	c = strcmp(k->gemeente, o->gemeente);

	return c ? c : strcmp(k->indicator, o->indicator);
}

/* The rows of one series in obs (sorted by cmp_obs_series): *ret_first
 * and the count, 0 when the feed has none. */
static size_t
series_rows(const struct obs *obs, size_t n, const struct ledger_key *key,
    size_t *ret_first)
{
	size_t	lo = 0, hi = n, end;

	while (lo < hi) {	/* first row not below key */
		size_t	mid = lo + (hi - lo) / 2;

		if (cmp_key_obs(key, &obs[mid]) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < n && cmp_key_obs(key, &obs[end]) == 0; end++)
		;
	*ret_first = lo;
	return end - lo;
}

/* Write the feed's points of one series: appended to its file, or (fresh)
 * as the whole series. 0 done, 1 the caller must rebuild from the ledger,
 * -1 error. */
static int
write_series(struct ingest_ctx *ctx, const struct obs *obs, size_t n,
    int fresh, struct err *err)
{
	const struct indicator *ind = catalog_find(ctx->cat, obs[0].indicator);
	int	exists, rc;
	struct store_point *pts;

	if (ind == NULL)	/* indicator left the catalogue: nothing to draw */
		return 0;
	exists = store_exists(ctx->store, obs[0].gemeente, ind->id);
	if (!fresh && !exists)
		return 1;
	if ((pts = to_points(obs, n, ind)) == NULL)
		return err_set(err, "onvoldoende geheugen");
	/* A fresh series is exactly this feed's rows: no need to read it
	 * back from the ledger; a leftover file is replaced whole. */
	if (fresh && exists)
		rc = store_rebuild(ctx->store, obs[0].gemeente, ind, pts, n,
		    err);
	else
		rc = store_append(ctx->store, obs[0].gemeente, ind, pts, n,
		    err);
	free(pts);
	return rc;
}

/* Bring the RRD file of one touched series up to date. 0 or -1. */
static int
update_series(struct ingest_ctx *ctx, const struct obs *obs, size_t n,
    const struct ledger_key *key, unsigned touch, struct err *err)
{
	size_t	first = 0, rows = series_rows(obs, n, key, &first);
	int	rc = 1;

	if (rows > 0 && !(touch & LEDGER_TOUCH_REBUILD))
		rc = write_series(ctx, obs + first, rows,
		    (touch & LEDGER_TOUCH_FRESH) != 0, err);
	if (rc == 1)
		rc = rebuild_series(ctx, key, err);
	return rc;
}

/* Bring the RRD files of one committed feed up to date, then drop from
 * the pending journal the series the store now reflects. A failure is
 * logged and stays in the journal for ingest_recover. */
static void
update_store(struct ingest_ctx *ctx, struct obs *obs, size_t n,
    const struct ledger_commit *c)
{
	struct err err = { "" };
	struct ledger_key *done = calloc(c->ntouched ? c->ntouched : 1,
	    sizeof(*done));
	size_t	ndone = 0;

	if (n > 1)
		qsort(obs, n, sizeof(*obs), cmp_obs_series);
	for (size_t i = 0; i < c->ntouched; i++) {
		const struct ledger_key *key = &c->touched[i];

		if (update_series(ctx, obs, n, key, c->touch[i], &err) == -1)
			log_err("rrd %s/%s: %s (blijft in de wachtrij)",
			    key->gemeente, key->indicator, err.msg);
		else if (done != NULL)
			done[ndone++] = *key;
		if (ctx->progress)
			ctx->progress(ctx->progress_arg, i + 1, c->ntouched);
	}
	if (ndone > 0 && ledger_pending_done(ctx->led, done, ndone, &err) == -1)
		log_err("wachtrij bijwerken: %s", err.msg);
	free(done);
}

static void
fill_meta(struct ledger_feed *meta, const struct ingest_report *rep,
    const struct ingest_opts *opts, const char *json)
{
	memset(meta, 0, sizeof(*meta));
	snprintf(meta->sha256, sizeof(meta->sha256), "%s", rep->sha256);
	snprintf(meta->naam, sizeof(meta->naam), "%s", rep->naam);
	snprintf(meta->leverancier, sizeof(meta->leverancier), "%s",
	    opts->leverancier && *opts->leverancier ? opts->leverancier :
	    "basisctl");
	meta->token_id = opts->token_id;
	snprintf(meta->status, sizeof(meta->status), "%s",
	    status_names[rep->status]);
	meta->rows = (long)rep->rows;
	meta->ok = (long)rep->ok;
	meta->errors = (long)rep->bad;
	meta->synthetisch = rep->synthetisch;
	meta->report_json = (char *)json;
}

/* Decide the outcome of a validated feed before anything is written. */
static enum ingest_status
judge(const struct validate_result *res, const struct report *problems,
    const struct ingest_opts *opts)
{
	if (res->scope_rows > 0)
		return INGEST_FORBIDDEN;
	if (report_count(problems) > 0 && (!opts->partial || res->n == 0))
		return INGEST_REJECTED;
	if (res->n == 0)
		return INGEST_REJECTED;
	return report_count(problems) > 0 ? INGEST_PARTIAL : INGEST_ACCEPTED;
}

/* ledger_feed.final_report: the report as acknowledged, with the feed's
 * id, time and counts, stored inside the commit's transaction. */
static char *
final_report(void *arg, const struct ledger_feed *meta)
{
	struct ingest_report *rep = arg;

	rep->feed_id = meta->id;
	snprintf(rep->received_at, sizeof(rep->received_at), "%s",
	    meta->received_at);
	rep->nieuw = meta->nieuw;
	rep->herzien = meta->herzien;
	rep->ongewijzigd = meta->ongewijzigd;
	return ingest_report_json(rep);
}

static int
commit(struct ingest_ctx *ctx, struct validate_result *res,
    const struct ingest_opts *opts, struct ingest_report *ret)
{
	struct ledger_feed meta;
	struct ledger_commit c = { 0 };
	struct err err = { "" };
	char   *json = ingest_report_json(ret);

	fill_meta(&meta, ret, opts, json);
	meta.final_report = final_report;
	meta.final_report_arg = ret;
	if (ledger_commit_feed(ctx->led, &meta, res->obs, res->n, &c,
	    &err) == -1) {
		free(json);
		/* Rolled back: nothing final_report filled in holds. */
		ret->feed_id = 0;
		ret->received_at[0] = '\0';
		ret->nieuw = ret->herzien = ret->ongewijzigd = 0;
		ret->status = INGEST_FAILED;
		snprintf(ret->fout, sizeof(ret->fout), "%s", err.msg);
		return -1;
	}
	free(json);
	/* Durable from here on: the acknowledgement may be given. */
	ret->feed_id = meta.id;
	snprintf(ret->received_at, sizeof(ret->received_at), "%s",
	    meta.received_at);
	ret->nieuw = c.nieuw;
	ret->herzien = c.herzien;
	ret->ongewijzigd = c.ongewijzigd;
	update_store(ctx, res->obs, res->n, &c);
	if (ctx->after_commit)
		ctx->after_commit(ctx->hook_arg, &c);
	ledger_commit_clear(&c);
	return 0;
}

/* The earlier feed with the same content: 1 (ret filled), 0 none, -1
 * (ret->status FAILED). */
static int
find_duplicate(struct ingest_ctx *ctx, struct ingest_report *ret,
    struct ledger_feed *f)
{
	struct err err = { "" };
	int	r = ledger_feed_by_sha(ctx->led, ret->sha256, f, &err);

	if (r == -1) {
		ret->status = INGEST_FAILED;
		snprintf(ret->fout, sizeof(ret->fout), "%s", err.msg);
	}
	return r;
}

/* A resend of identical content: report the earlier feed, store nothing. */
static void
report_duplicate(const struct ledger_feed *f, struct ingest_report *ret)
{
	ret->status = INGEST_DUPLICATE;
	ret->feed_id = f->id;
	ret->rows = (size_t)f->rows;
	ret->ok = (size_t)f->ok;
	ret->bad = 0;
	ret->scope_rows = 0;
	ret->synthetisch = f->synthetisch;
	snprintf(ret->received_at, sizeof(ret->received_at), "%s",
	    f->received_at);
	report_free(&ret->problems);
	report_init(&ret->problems, ret->naam);
}

/* Keep a refused feed's report (afgekeurd, geweigerd) for beheer. A
 * failure here is logged: the sender still gets its report. */
static void
keep_rejected(struct ingest_ctx *ctx, const struct ingest_opts *opts,
    const struct ingest_report *rep)
{
	struct ledger_rejected r = { .token_id = opts->token_id,
		.rows = (long)rep->rows, .errors = (long)(rep->bad +
		rep->scope_rows) };
	struct err err = { "" };

	snprintf(r.sha256, sizeof(r.sha256), "%s", rep->sha256);
	snprintf(r.naam, sizeof(r.naam), "%s", rep->naam);
	snprintf(r.leverancier, sizeof(r.leverancier), "%s",
	    opts->leverancier && *opts->leverancier ? opts->leverancier :
	    "basisctl");
	snprintf(r.client, sizeof(r.client), "%s", opts->client ?
	    opts->client : "");
	snprintf(r.status, sizeof(r.status), "%s", rep->status ==
	    INGEST_FORBIDDEN ? "geweigerd" : "afgekeurd");
	r.report_json = ingest_report_json(rep);
	if (ledger_rejected_add(ctx->led, &r, &err) == -1)
		log_warn("afgewezen levering %s bewaren: %s", rep->naam,
		    err.msg);
	free(r.report_json);
}

/* A token for every gemeente: no gemeenten, or only spaces. */
static int
unscoped(const struct ingest_opts *opts)
{
	return opts->gemeenten == NULL ||
	    opts->gemeenten[strspn(opts->gemeenten, " ")] == '\0';
}

/* Parse and validate into res; 0, or -1 when the feed could not be read
 * (ret->status says why). */
static int
check_rows(struct ingest_ctx *ctx, const char *data, size_t len,
    const struct ingest_opts *opts, struct validate_result *res,
    struct ingest_report *ret)
{
	struct feed_limits lim = { opts->max_field, opts->max_rows };
	struct validate_opts vopts = { opts->partial, NULL,
		(long long)time(NULL), ctx->toekomst_marge };
	struct reg_scope scope;
	struct feed_table *t;

	ret->status = INGEST_REJECTED;
	/* the token's gemeenten, parsed once: validate checks rows by index */
	if (!unscoped(opts)) {
		if (register_scope_parse(ctx->reg, opts->gemeenten, &scope) ==
		    -1) {
			ret->status = INGEST_FAILED;
			snprintf(ret->fout, sizeof(ret->fout), "het token noemt "
			    "meer dan %d gemeenten", REG_SCOPE_MAX);
			return -1;
		}
		vopts.scope = &scope;
	}
	if ((t = feed_parse(data, len, &lim, &ret->problems)) == NULL)
		return -1;
	if (validate_feed(t, ctx->cat, ctx->reg, &vopts, res,
	    &ret->problems) == -1) {
		feed_free(t);
		ret->status = INGEST_FAILED;
		snprintf(ret->fout, sizeof(ret->fout), "onvoldoende geheugen");
		return -1;
	}
	feed_free(t);
	ret->rows = res->rows;
	ret->ok = res->n;
	ret->bad = res->bad_rows;
	ret->scope_rows = res->scope_rows;
	ret->synthetisch = res->synthetisch;
	ret->status = judge(res, &ret->problems, opts);
	return 0;
}

/* The scope check comes before the duplicate answer: a resend of another
 * supplier's file must be refused, not answered with that feed's id. Only
 * a resend by the same token (or an unscoped one) skips the parse. */
int
ingest_feed(struct ingest_ctx *ctx, const char *naam, const char *data,
    size_t len, const struct ingest_opts *opts, struct ingest_report *ret)
{
	struct validate_result res = { 0 };
	struct ledger_feed dup = { 0 };
	int	isdup;

	memset(ret, 0, sizeof(*ret));
	report_init(&ret->problems, naam);
	snprintf(ret->naam, sizeof(ret->naam), "%s", naam);
	auth_sha256_hex(data, len, ret->sha256);
	if ((isdup = find_duplicate(ctx, ret, &dup)) == -1)
		return 0;
	if (isdup && (unscoped(opts) || dup.token_id == opts->token_id)) {
		report_duplicate(&dup, ret);
		ledger_feed_clear(&dup);
		return 0;
	}
	if (check_rows(ctx, data, len, opts, &res, ret) == 0 && isdup &&
	    ret->status != INGEST_FORBIDDEN)
		report_duplicate(&dup, ret);
	ledger_feed_clear(&dup);
	ret->proef = opts->proef;
	/* a dry run (the supplier's "controleren" on the Aanleveren page)
	 * stops here: the same checks and report, nothing stored, not even
	 * as a refused feed */
	if (!opts->proef && (ret->status == INGEST_ACCEPTED ||
	    ret->status == INGEST_PARTIAL))
		commit(ctx, &res, opts, ret);
	if (!opts->proef && (ret->status == INGEST_REJECTED ||
	    ret->status == INGEST_FORBIDDEN))
		keep_rejected(ctx, opts, ret);
	if (ret->status != INGEST_ACCEPTED && ret->status != INGEST_PARTIAL &&
	    ret->status != INGEST_DUPLICATE)
		ret->ok = 0;
	validate_result_free(&res);
	return 0;
}

static json_t *
problems_json(const struct report *rep)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < rep->n; i++) {
		const struct report_item *it = &rep->items[i];

		json_array_append_new(arr, json_pack("{s:I, s:i, s:s, s:s, s:s}",
		    "regel", (json_int_t)it->line, "kolom_nr", it->column,
		    "kolom", it->kolom, "waarde", it->waarde, "reden",
		    it->reden));
	}
	return arr;
}

char *
ingest_report_json(const struct ingest_report *rep)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:s, s:b, s:{s:I, s:I, "
	    "s:I, s:I, s:I, s:I, s:I}, s:o, s:I}",
	    "bestand", rep->naam, "status", status_names[rep->status],
	    "sha256", rep->sha256, "levering", (json_int_t)rep->feed_id,
	    "ontvangen", rep->received_at, "synthetisch", rep->synthetisch,
	    "regels", "totaal", (json_int_t)rep->rows, "goed",
	    (json_int_t)rep->ok, "fout", (json_int_t)rep->bad, "buiten_bereik",
	    (json_int_t)rep->scope_rows, "nieuw", (json_int_t)rep->nieuw,
	    "herzien", (json_int_t)rep->herzien, "ongewijzigd",
	    (json_int_t)rep->ongewijzigd, "problemen",
	    problems_json(&rep->problems), "problemen_niet_getoond",
	    (json_int_t)rep->problems.dropped);
	char   *s;

	if (o == NULL)
		return NULL;
	if (rep->fout[0] != '\0')
		json_object_set_new(o, "fout", json_string(rep->fout));
	if (rep->proef)
		json_object_set_new(o, "proef", json_true());
	s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

static const char *const status_text[] = {
	[INGEST_ACCEPTED] = "geaccepteerd",
	[INGEST_PARTIAL] = "gedeeltelijk geaccepteerd (goede regels opgeslagen)",
	[INGEST_DUPLICATE] = "al eerder ontvangen (niets gewijzigd)",
	[INGEST_REJECTED] = "afgekeurd (niets opgeslagen)",
	[INGEST_FORBIDDEN] = "geweigerd: regels buiten uw bevoegdheid (niets "
	    "opgeslagen)",
	[INGEST_FAILED] = "mislukt door een interne fout (niets opgeslagen)",
};

void
ingest_report_print(const struct ingest_report *rep, FILE *fp)
{
	char	line[1024];

	for (size_t i = 0; i < rep->problems.n; i++) {
		report_format(&rep->problems, &rep->problems.items[i], line,
		    sizeof(line));
		fprintf(fp, "%s\n", line);
	}
	if (rep->problems.dropped)
		fprintf(fp, "%s: nog %zu problemen niet getoond\n", rep->naam,
		    rep->problems.dropped);
	if (rep->fout[0] != '\0')
		fprintf(fp, "%s: %s\n", rep->naam, rep->fout);
	fprintf(fp, "%s: %s — %zu regel%s, %zu goed, %zu fout", rep->naam,
	    status_text[rep->status], rep->rows, rep->rows == 1 ? "" : "s",
	    rep->ok, rep->bad);
	if (rep->feed_id)
		fprintf(fp, "; levering %lld: %ld nieuw, %ld herzien, %ld "
		    "ongewijzigd", rep->feed_id, rep->nieuw, rep->herzien,
		    rep->ongewijzigd);
	fputc('\n', fp);
}

int
ingest_withdraw(struct ingest_ctx *ctx, const char *gemeente,
    const struct indicator *ind, const struct period *periode,
    const char *door, const char *toelichting, struct err *err)
{
	struct ledger_feed meta = { .status = "geaccepteerd", .rows = 1,
		.ok = 1 };
	struct ledger_commit c = { 0 };
	struct timespec ts;
	char	per[16], seed[320];
	int	rc;

	period_format(periode, per, sizeof(per));
	snprintf(meta.naam, sizeof(meta.naam), "intrekking %s %s %s",
	    gemeente, ind->id, per);
	snprintf(meta.leverancier, sizeof(meta.leverancier), "%s",
	    door && *door ? door : "basisctl");
	/* feed rows are unique by content hash: the act and its moment */
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(seed, sizeof(seed), "%s\n%lld.%09ld", meta.naam,
	    (long long)ts.tv_sec, ts.tv_nsec);
	auth_sha256_hex(seed, strlen(seed), meta.sha256);
	rc = ledger_withdraw(ctx->led, &meta, gemeente, ind->id, periode,
	    toelichting ? toelichting : "", &c, err);
	if (rc != 1)
		return rc;
	log_info("ingetrokken: %s %s %s door %s (levering %lld)", gemeente,
	    ind->id, per, meta.leverancier, meta.id);
	update_store(ctx, NULL, 0, &c);
	if (ctx->after_commit)
		ctx->after_commit(ctx->hook_arg, &c);
	ledger_commit_clear(&c);
	return 1;
}

/* Rebuild a list of series, past the ones that fail (each logged with
 * librrd's reason); progress per series. The healed ones are collected
 * in done (may be NULL). Returns 0, or -1 when any failed (err holds the
 * last reason). */
static int
rebuild_keys(struct ingest_ctx *ctx, const struct ledger_key *keys, size_t n,
    struct ledger_key *done, size_t *ret_ndone, struct err *err)
{
	struct err one = { "" };
	size_t	nd = 0;
	int	rc = 0;

	for (size_t i = 0; i < n; i++) {
		if (rebuild_series(ctx, &keys[i], &one) == -1) {
			log_err("rrd %s/%s: %s", keys[i].gemeente,
			    keys[i].indicator, one.msg);
			*err = one;
			rc = -1;
		} else if (done != NULL) {
			done[nd++] = keys[i];
		}
		if (ctx->progress)
			ctx->progress(ctx->progress_arg, i + 1, n);
	}
	if (ret_ndone != NULL)
		*ret_ndone = nd;
	return rc;
}

int
ingest_recover(struct ingest_ctx *ctx, struct err *err)
{
	struct ledger_key *keys = NULL, *done = NULL;
	size_t	n = 0, nd = 0;
	int	rc;

	if (ledger_pending(ctx->led, &keys, &n, err) == -1)
		return -1;
	if (n == 0) {
		free(keys);
		return 0;
	}
	log_info("herstel: %zu reeksen bijwerken die achterlopen op het "
	    "grootboek", n);
	if ((done = calloc(n, sizeof(*done))) == NULL) {
		free(keys);
		return err_set(err, "onvoldoende geheugen");
	}
	rc = rebuild_keys(ctx, keys, n, done, &nd, err);
	/* what healed leaves the journal, the rest waits for the next try */
	if (nd > 0 && ledger_pending_done(ctx->led, done, nd, err) == -1)
		rc = -1;
	else if (nd > 0)
		log_info("herstel: %zu van %zu reeksen bijgewerkt", nd, n);
	free(done);
	free(keys);
	return rc;
}

int
ingest_rebuild(struct ingest_ctx *ctx, const char *const *gemeenten,
    size_t n, struct err *err)
{
	struct ledger_key *keys = NULL, *done = NULL;
	size_t	nk = 0;
	int	rc = 0;

	size_t	nd = 0, failed = 0;

	/* past every series that fails: the others still heal, and leave
	 * the pending journal if they were in it */
	for (size_t i = 0; i < (n ? n : 1); i++) {
		if (ledger_keys(ctx->led, n ? gemeenten[i] : NULL, &keys, &nk,
		    err) == -1)
			return -1;
		if ((done = calloc(nk ? nk : 1, sizeof(*done))) == NULL) {
			free(keys);
			return err_set(err, "onvoldoende geheugen");
		}
		if (rebuild_keys(ctx, keys, nk, done, &nd, err) == -1)
			rc = -1;
		failed += nk - nd;
		if (nd > 0 && ledger_pending_done(ctx->led, done, nd, err) == -1)
			rc = -1;
		free(done);
		free(keys);
		keys = NULL;
	}
	if (failed > 0)
		err_set(err, "%zu reeks%s niet herbouwd (zie de meldingen "
		    "hierboven)", failed, failed == 1 ? "" : "en");
	return rc;
}

/* Values are equal when both are unknown or they agree to rounding. */
static int
same_value(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return fabs(a - b) <= 1e-9 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

/* Print one finding of a series (out may be NULL: counted only), with how
 * to repair it. */
static void
finding(FILE *out, const struct ledger_key *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
finding(FILE *out, const struct ledger_key *key, const char *fmt, ...)
{
	va_list	ap;

	if (out == NULL)
		return;
	fprintf(out, "%s %s: ", key->gemeente, key->indicator);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fprintf(out, " — herstel: basisctl rebuild --reeksen %s (basisd "
	    "herstelt het zelf bij het eerste gebruik)\n", key->gemeente);
}

/* The file's structure and window (into *wf, *wl) against the ledger's
 * periods [first, last]: 0 sound, 1 a finding printed. */
static long
verify_structure(struct ingest_ctx *ctx, const struct ledger_key *key,
    const struct indicator *ind, const struct period *first,
    const struct period *last, struct period *ret_wf, struct period *ret_wl,
    FILE *out)
{
	struct err why = { "" };
	struct period wf, wl;
	char	a[16], b[16], c[16], d[16];

	if (store_check(ctx->store, key->gemeente, ind, &why) == -1) {
		finding(out, key, "rrd-bestand %s", why.msg);
		return 1;
	}
	if (store_window_of(ctx->store, key->gemeente, ind, &wf, &wl,
	    &why) == -1) {
		finding(out, key, "rrd onleesbaar: %s", why.msg);
		return 1;
	}
	*ret_wf = wf;
	*ret_wl = wl;
	if (period_cmp(first, &wf) >= 0 && period_cmp(last, &wl) <= 0)
		return 0;
	finding(out, key, "rrd-venster %s t/m %s dekt het grootboek (%s t/m "
	    "%s) niet", period_format(&wf, a, sizeof(a)), period_format(&wl, b,
	    sizeof(b)), period_format(first, c, sizeof(c)), period_format(last,
	    d, sizeof(d)));
	return 1;
}

#define VERIFY_SHOWN	3	/* differing periods printed per series */

/* Compare the values of pts (read from the file) with the ledger's. */
static long
verify_values(const struct ledger_key *key, const struct indicator *ind,
    const struct store_point *pts, size_t np, const struct store_point *want,
    size_t n, FILE *out)
{
	long	bad = 0;
	char	pb[16];

	for (size_t i = 0, j = 0; i < np; i++) {
		int	has = j < n && period_cmp(&pts[i].periode,
		    &want[j].periode) == 0;
		double	w0 = has ? want[j].v[0] : NAN, w1 = has ? want[j].v[1] :
		    NAN;

		if (!same_value(w0, pts[i].v[0]) ||
		    (store_nds(ind) == 2 && !same_value(w1, pts[i].v[1]))) {
			/* a damaged file differs everywhere: three say it */
			if (bad < VERIFY_SHOWN)
				finding(out, key, "%s: grootboek %g/%g, rrd "
				    "%g/%g", period_format(&pts[i].periode, pb,
				    sizeof(pb)), w0, w1, pts[i].v[0],
				    pts[i].v[1]);
			bad++;
		}
		j += has;
	}
	if (bad > VERIFY_SHOWN)
		finding(out, key, "nog %ld perioden verschillen", bad -
		    VERIFY_SHOWN);
	return bad;
}

long
ingest_verify_series(struct ingest_ctx *ctx, const struct ledger_key *key,
    FILE *out, struct err *err)
{
	const struct indicator *ind = catalog_find(ctx->cat, key->indicator);
	struct obs *obs = NULL;
	struct store_point *pts = NULL, *want = NULL;
	struct err why = { "" };
	struct period wf, wl;
	size_t	n = 0, np = 0;
	long	bad = 0;

	if (ind == NULL)
		return 0;
	if (ledger_series(ctx->led, key->gemeente, key->indicator, &obs, &n,
	    err) == -1)
		return -1;
	if (n == 0 || (bad = verify_structure(ctx, key, ind, &obs[0].periode,
	    &obs[n - 1].periode, &wf, &wl, out)) != 0)
		goto out;
	/* every row of the window: overwritten rows outside the ledger's
	 * periods would be drawn too */
	if (store_read(ctx->store, key->gemeente, ind, &wf, &wl, &pts, &np,
	    &why) == -1) {
		finding(out, key, "rrd onleesbaar: %s", why.msg);
		bad = 1;
		goto out;
	}
	if ((want = to_points(obs, n, ind)) == NULL)
		bad = err_set(err, "onvoldoende geheugen");
	else
		bad = verify_values(key, ind, pts, np, want, n, out);
out:
	free(want);
	free(pts);
	free(obs);
	return bad;
}

int
ingest_rebuild_series(struct ingest_ctx *ctx, const struct ledger_key *key,
    struct err *err)
{
	if (rebuild_series(ctx, key, err) == -1)
		return -1;
	return ledger_pending_done(ctx->led, key, 1, err);
}

long
ingest_verify(struct ingest_ctx *ctx, FILE *out, struct err *err)
{
	struct ledger_key *keys = NULL;
	size_t	n = 0;
	long	bad = 0, r;

	if (ledger_pending(ctx->led, &keys, &n, err) == -1)
		return -1;
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s %s: nog niet bijgewerkt na een onderbroken "
		    "levering (basisctl rebuild herstelt dit)\n",
		    keys[i].gemeente, keys[i].indicator);
	bad += (long)n;
	free(keys);
	if (ledger_keys(ctx->led, NULL, &keys, &n, err) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if ((r = ingest_verify_series(ctx, &keys[i], out, err)) == -1) {
			free(keys);
			return -1;
		}
		bad += r;
		if (ctx->progress)
			ctx->progress(ctx->progress_arg, i + 1, n);
	}
	free(keys);
	return bad;
}
