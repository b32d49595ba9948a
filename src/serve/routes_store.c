/* src/serve/routes_store.c — beheer actions on the stored series (issue
 * 13): withdrawing a wrong value. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "serve/routes.h"
#include "serve/routes_rq.h"

struct withdrawal {
	const char *gemeente, *door, *toelichting;
	const struct indicator *ind;
	struct period periode;
};

static int
run_withdraw(void *arg, struct ingest_ctx *ctx, struct err *err)
{
	const struct withdrawal *w = arg;

	return ingest_withdraw(ctx, w->gemeente, w->ind, &w->periode, w->door,
	    w->toelichting, err);
}

/* DELETE /api/v1/series/{gm}/{id}/{periode}: beheer tokens only. */
static int
series_withdraw(struct rq *rq)
{
	const char *per = api_param(rq->params, "periode");
	const struct gemeente *g;
	struct withdrawal w = { .toelichting = api_query(rq->req,
		"toelichting") };
	const struct api_auth *tok = rq->req->auth;	/* checked once, app.h */
	struct err err = { "" };
	int	rc;

	if (tok->rol != AUTH_ROLE_BEHEER)
		return api_refuse(rq->reply, ERR_FORBIDDEN, "alleen een token "
		    "met rol beheer mag waarden intrekken");
	if ((g = routes_want_gemeente(rq)) == NULL ||
	    (w.ind = routes_want_indicator(rq)) == NULL)
		return 0;
	if (per == NULL || period_parse(per, &w.periode, &err) == -1)
		return api_refuse(rq->reply, ERR_INPUT, "%s", err.msg);
	if (w.periode.kind != w.ind->periode)
		return api_refuse(rq->reply, ERR_INPUT, "%s wordt per %s "
		    "geleverd", w.ind->id, period_kind_name(w.ind->periode));
	w.gemeente = g->code;
	w.door = tok->naam[0] ? tok->naam : "beheer";
	rc = app_with_ingest(rq->app, run_withdraw, &w, &err);
	/* the ledger's message may name files: logged, not answered */
	if (rc == -1) {
		log_err("intrekken %s %s %s: %s", g->code, w.ind->id, per,
		    err.msg);
		return api_refuse(rq->reply, ERR_INTERNAL, "intrekken mislukt "
		    "door een interne fout");
	}
	if (rc == 0)
		return api_refuse(rq->reply, ERR_NOT_FOUND, "%s %s %s heeft geen "
		    "huidige waarde", g->code, w.ind->id, per);
	return routes_reply_json(rq, json_pack("{s:s, s:s, s:s, s:s}",
	    "gemeente", g->code, "indicator", w.ind->id, "periode", per,
	    "status", "ingetrokken"));
}
HANDLER(series_withdraw)
