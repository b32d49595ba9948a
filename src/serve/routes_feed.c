/* src/serve/routes_feed.c — feed upload and feed reports (token). */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/band.h"
#include "analysis/benchmark.h"
#include "analysis/chart.h"
#include "analysis/compare.h"
#include "analysis/query.h"
#include "analysis/view.h"
#include "base/log.h"
#include "base/num.h"
#include "serve/routes.h"
#include "serve/routes_rq.h"

/* ---- feeds (token) ---- */

/* HTTP status of an ingest outcome (doc/api.md). */
static const int ingest_http[] = {
	[INGEST_ACCEPTED] = 201, [INGEST_PARTIAL] = 201,
	[INGEST_DUPLICATE] = 200, [INGEST_REJECTED] = 422,
	[INGEST_FORBIDDEN] = 403, [INGEST_FAILED] = 500,
};

/* A safe name for the feed: the ?naam= given, else one from the time. */
static void
feed_name(const struct api_request *req, char *buf, size_t size)
{
	const char *n = api_query(req, "naam");
	time_t	now = time(NULL);
	struct tm tm;

	if (n != NULL && *n != '\0' && strlen(n) < 200) {
		snprintf(buf, size, "%s", n);
		for (char *p = buf; *p; p++)
			if (*p == '/' || (unsigned char)*p < 0x20)
				*p = '_';
		return;
	}
	gmtime_r(&now, &tm);
	strftime(buf, size, "upload-%Y%m%dT%H%M%SZ.csv", &tm);
}

/* Who, what, outcome: every feed at info, for the security log. */
static void
log_feed(const struct rq *rq, const char *naam,
    const struct ingest_report *rep, int status)
{
	const struct api_auth *a = rq->req->auth;

	log_info("levering '%s' van token %lld (%s) uit %s: %s (%d), %zu "
	    "regels, %zu goed, %zu fout, %zu buiten bereik, levering %lld",
	    naam, a->token_id, a->naam[0] ? a->naam : "zonder naam",
	    rq->req->client_addr ? rq->req->client_addr : "?",
	    ingest_status_name(rep->status), status, rep->rows, rep->ok,
	    rep->bad, rep->scope_rows, rep->feed_id);
}

static int
feeds_post(struct rq *rq)
{
	const struct conf *c = app_conf(rq->app);
	const struct api_auth *a = rq->req->auth;
	const char *partial = api_query(rq->req, "partial");
	const char *proef = api_query(rq->req, "proef");
	struct ingest_opts io = { 0 };
	struct ingest_report rep;
	char	naam[256], *json;
	int	status, rc;

	if (a->rol == AUTH_ROLE_MANAGER)
		return api_refuse(rq->reply, ERR_FORBIDDEN,
		    "een token met rol manager mag geen leveringen sturen");
	io.partial = partial != NULL && strcmp(partial, "1") == 0;
	io.proef = proef != NULL && strcmp(proef, "1") == 0;
	io.leverancier = a->naam;
	io.token_id = a->token_id;
	io.client = rq->req->client_addr;
	io.gemeenten = a->scope;
	io.max_rows = (size_t)c->max_rows;
	io.max_field = (size_t)c->max_field;
	feed_name(rq->req, naam, sizeof(naam));
	rc = app_ingest(rq->app, naam, rq->req->body, rq->req->body_len, &io,
	    &rep);
	if (rc == 1) {
		log_info("levering '%s' van token %lld uit %s: 429, de "
		    "schrijver is bezet", naam, a->token_id,
		    rq->req->client_addr ? rq->req->client_addr : "?");
		api_reply_header(rq->reply, "Retry-After", "30");
		return api_refuse(rq->reply, ERR_BUSY,
		    "te veel leveringen tegelijk: "
		    "probeer het over een halve minuut opnieuw");
	}
	if (rc == -1)
		return -1;
	status = ingest_http[rep.status];
	log_feed(rq, naam, &rep, status);
	if (io.proef && status == 201)
		status = 200;	/* checked, nothing created */
	json = ingest_report_json(&rep);
	if (rep.feed_id && status == 201)
		snprintf(rq->reply->location, sizeof(rq->reply->location),
		    "/api/v1/feeds/%lld", rep.feed_id);
	ingest_report_free(&rep);
	if (json == NULL)
		return -1;
	return api_reply_take(rq->reply, status, "application/json", json,
	    strlen(json));
}

/* Not through routes_run: an upload holds no reader and no snapshot while
 * it waits for the writer (app.h, pool order), so a burst of uploads
 * reaches the bounded writer queue and gets 429 instead of tying up the
 * reader pool. The token was checked once, before the body was read. */
int
routes_h_feeds_post(struct api_ctx *c, const struct api_request *r,
    const struct api_params *p, struct api_reply *y)
{
	struct rq rq = { .app = c->app, .req = r, .params = p, .reply = y,
		.metrics = c->metrics };

	return feeds_post(&rq);
}

/* A feed's report: beheer sees every feed, anyone else only the feeds of
 * its own token (by id: names are neither unique nor required). */
static int
feeds_get(struct rq *rq)
{
	const char *id = api_param(rq->params, "fid");
	const struct api_auth *a = rq->req->auth;
	struct ledger_feed f;
	struct err err = { "" };
	long long fid = 0;
	int	r = 0;

	/* Strictly a feed id: "1 OR 1=1" is no feed, not feed 1. */
	if (id != NULL && num_int(id, 1, LLONG_MAX, &fid, NULL) == 0)
		r = ledger_feed_get(rq->led, fid, &f, &err);
	if (r == -1)
		return api_fail(rq->reply, &err);
	/* A supplier sees its own feeds (by token id); beheer sees every feed. */
	if (r == 0 || (a->rol != AUTH_ROLE_BEHEER &&
	    f.token_id != a->token_id)) {
		if (r == 1)
			ledger_feed_clear(&f);
		return api_refuse(rq->reply, ERR_NOT_FOUND,
		    "onbekende levering");
	}
	r = api_reply_copy(rq->reply, 200, "application/json",
	    f.report_json ? f.report_json : "{}", f.report_json ?
	    strlen(f.report_json) : 2);
	ledger_feed_clear(&f);
	return r;
}
HANDLER(feeds_get)

static json_t *
rejected_json(const struct ledger_rejected *r)
{
	struct err err = { "" };
	json_t *rep = r->report_json ? json_decode(r->report_json,
	    strlen(r->report_json), &err) : NULL;

	return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:I, s:I, s:o}",
	    "id", (json_int_t)r->id, "ontvangen", r->received_at, "status",
	    r->status, "leverancier", r->leverancier, "token",
	    (json_int_t)r->token_id, "bestand", r->naam, "van", r->client,
	    "regels", (json_int_t)r->rows, "fout", (json_int_t)r->errors,
	    "rapport", rep ? rep : json_object());
}

/* Refused feeds with their reports, newest first: beheer only (a report
 * quotes the values that were sent). */
static int
feeds_rejected(struct rq *rq)
{
	struct ledger_rejected *r = NULL;
	struct err err = { "" };
	size_t	n = 0;
	json_t *arr;

	if (rq->req->auth->rol != AUTH_ROLE_BEHEER)
		return api_refuse(rq->reply, ERR_FORBIDDEN,
		    "alleen voor de rol beheer");
	if (ledger_rejected_list(rq->led, 0, 200, &r, &n, &err) == -1)
		return api_fail(rq->reply, &err);
	arr = json_array();
	for (size_t i = 0; arr != NULL && i < n; i++)
		json_array_append_new(arr, rejected_json(&r[i]));
	ledger_rejected_free(r, n);
	return routes_reply_json(rq, arr ? json_pack("{s:o}", "afgewezen",
	    arr) : NULL);
}
HANDLER(feeds_rejected)
