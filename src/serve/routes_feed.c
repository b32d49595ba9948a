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

/* Split the token's space-separated gemeenten (in place) into scope
 * pointers. */
static size_t
scope_of(char *list, const char **ret, size_t max)
{
	size_t	n = 0;
	char   *p = list;

	while (*p != '\0' && n < max) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p == '\0')
			break;
		ret[n++] = p;
		p += strcspn(p, " ");
	}
	return n;
}

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

static int
feeds_post(struct rq *rq)
{
	const struct conf *c = app_conf(rq->app);
	const char *partial = api_query(rq->req, "partial");
	const char *proef = api_query(rq->req, "proef");
	const char *scope[512];
	struct ledger_token tok;
	struct ingest_opts io = { 0 };
	struct ingest_report rep;
	struct err err = { "" };
	char	naam[256], *json;
	int	status, rc;

	if (app_authenticate(rq->app, rq->req->authorization, &tok, &err) == -1)
		return api_fail(rq->reply, &err);
	if (tok.rol == AUTH_ROLE_MANAGER)
		return api_refuse(rq->reply, ERR_FORBIDDEN,
		    "een token met rol manager mag "
		    "geen leveringen sturen");
	io.partial = partial != NULL && strcmp(partial, "1") == 0;
	io.proef = proef != NULL && strcmp(proef, "1") == 0;
	io.leverancier = tok.naam;
	io.nscope = scope_of(tok.gemeenten, scope, 512);
	io.scope = io.nscope ? scope : NULL;
	io.max_rows = (size_t)c->max_rows;
	io.max_field = (size_t)c->max_field;
	feed_name(rq->req, naam, sizeof(naam));
	rc = app_ingest(rq->app, naam, rq->req->body, rq->req->body_len, &io,
	    &rep);
	if (rc == 1) {
		api_reply_header(rq->reply, "Retry-After", "30");
		return api_refuse(rq->reply, ERR_BUSY,
		    "te veel leveringen tegelijk: "
		    "probeer het over een halve minuut opnieuw");
	}
	if (rc == -1)
		return -1;
	status = ingest_http[rep.status];
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
HANDLER(feeds_post)

static int
feeds_get(struct rq *rq)
{
	const char *id = api_param(rq->params, "fid");
	struct ledger_token tok;
	struct ledger_feed f;
	struct err err = { "" };
	long long fid = 0;
	int	r = 0;

	if (app_authenticate(rq->app, rq->req->authorization, &tok, &err) == -1)
		return api_fail(rq->reply, &err);
	/* Strictly a feed id: "1 OR 1=1" is no feed, not feed 1. */
	if (id != NULL && num_int(id, 1, LLONG_MAX, &fid, NULL) == 0)
		r = ledger_feed_get(rq->led, fid, &f, &err);
	if (r == -1)
		return api_fail(rq->reply, &err);
	/* A supplier sees its own feeds; beheer sees every feed. */
	if (r == 0 || (tok.rol != AUTH_ROLE_BEHEER &&
	    strcmp(f.leverancier, tok.naam) != 0)) {
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
