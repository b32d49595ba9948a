/* src/serve/routes_ref.c — reference data of the API: indicators,
 * gemeenten and groups (doc/api.md). */
#include "config.h"

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
#include "serve/routes.h"
#include "serve/routes_rq.h"

/* ---- reference data ---- */

/* Reference data follow from the snapshot (catalogue, register, groups),
 * not the ledger: built once and kept until a reload or an outside write
 * empties the cache (they were 7 % of a public load and 6 % of its CPU,
 * rebuilt every time). */
static int
ref_cached(struct rq *rq, const char *kind, routes_build_fn build)
{
	char	key[512];

	/* a CSV answer carries its file name in a header the cache keeps
	 * not: built each time, as it is rarely asked */
	if (rq->csv)
		return build(rq, NULL);
	if (routes_query_key(rq, kind, key, sizeof(key)) == -1)
		return 0;
	routes_depend(rq, "ref");
	return routes_cached(rq, key, build, NULL);
}

static int
indicators_csv(struct rq *rq)
{
	static const char *const head[] = { "id", "naam", "groep", "eenheid",
		"soort", "meting", "periode", "teller", "noemer", "richting",
		"min_n", "bron" };
	struct api_csv csv;

	api_csv_init(&csv, rq->excel);
	for (size_t i = 0; i < sizeof(head) / sizeof(*head); i++)
		api_csv_str(&csv, head[i]);
	api_csv_end_row(&csv);
	for (size_t i = 0; i < rq->snap->cat->n; i++) {
		const struct indicator *d = &rq->snap->cat->items[i];
		const char *cells[] = { d->id, d->naam, d->groep, d->eenheid,
			catalog_soort_name(d->soort),
			catalog_meting_name(d->meting),
			period_kind_name(d->periode), d->teller, d->noemer,
			catalog_richting_name(d->richting) };

		for (size_t j = 0; j < sizeof(cells) / sizeof(*cells); j++)
			api_csv_str(&csv, cells[j]);
		api_csv_num(&csv, d->min_n, 0);
		api_csv_str(&csv, d->bron);
		api_csv_end_row(&csv);
	}
	return api_csv_reply(&csv, rq->reply, "indicatoren.csv");
}

static int
indicators_build(struct rq *rq, void *arg)
{
	json_t *o, *arr;

	(void)arg;
	if (rq->csv)
		return indicators_csv(rq);
	o = json_object();
	arr = json_array();
	for (size_t i = 0; i < rq->snap->cat->n; i++)
		json_push(arr, routes_indicator_json(&rq->snap->cat->items[i]));
	json_put(o, "indicatoren", arr);
	json_put(o, "themas", view_themes());
	return routes_reply_json(rq, o);
}

static int
indicators(struct rq *rq)
{
	return ref_cached(rq, "indicators", indicators_build);
}
HANDLER(indicators)

static int
indicator(struct rq *rq)
{
	const struct indicator *ind = routes_want_indicator(rq);

	return ind ? routes_reply_json(rq, routes_indicator_json(ind)) : 0;
}
HANDLER(indicator)

static int
gemeenten_csv(struct rq *rq)
{
	const struct reg *reg = rq->snap->reg;
	struct api_csv csv;

	api_csv_init(&csv, rq->excel);
	api_csv_str(&csv, "code");
	api_csv_str(&csv, "naam");
	api_csv_str(&csv, "provincie");
	api_csv_str(&csv, "inwoners");
	api_csv_str(&csv, "grootteklasse");
	api_csv_end_row(&csv);
	for (size_t i = 0; i < reg->nactief; i++) {
		api_csv_str(&csv, reg->gemeenten[i].code);
		api_csv_str(&csv, reg->gemeenten[i].naam);
		api_csv_str(&csv, reg->gemeenten[i].provincie);
		api_csv_num(&csv, (double)reg->gemeenten[i].inwoners, 0);
		api_csv_num(&csv, reg->gemeenten[i].grootteklasse, 0);
		api_csv_end_row(&csv);
	}
	return api_csv_reply(&csv, rq->reply, "gemeenten.csv");
}

static int
gemeenten_build(struct rq *rq, void *arg)
{
	const struct reg *reg = rq->snap->reg;
	json_t *o, *arr;

	(void)arg;
	if (rq->csv)
		return gemeenten_csv(rq);
	o = json_object();
	arr = json_array();
	for (size_t i = 0; i < reg->nactief; i++)
		json_push(arr, view_gemeente(&reg->gemeenten[i]));
	json_put(o, "gemeenten", arr);
	json_put_str(o, "bron", "CBS-gemeentecodes en -namen 2025; inwoners "
	    "bij benadering (zie doc/bronnen.md)");
	return routes_reply_json(rq, o);
}

static int
gemeenten(struct rq *rq)
{
	return ref_cached(rq, "gemeenten", gemeenten_build);
}
HANDLER(gemeenten)

static int
gemeente(struct rq *rq)
{
	const struct gemeente *g = routes_want_gemeente(rq);
	json_t *o;

	if (g == NULL)
		return 0;
	o = view_gemeente(g);
	json_put(o, "groepen", view_groups_of(rq->snap->reg, g));
	json_put(o, "herindelingen", view_herindelingen(rq->snap->reg, g));
	return routes_reply_json(rq, o);
}
HANDLER(gemeente)

static int
groepen_build(struct rq *rq, void *arg)
{
	char	(*ids)[QUERY_GROEP_ID] = NULL;
	size_t	n = 0;
	json_t *o, *arr;
	struct err err = { "" };

	(void)arg;
	if (query_standard_groups(rq->snap->reg, &ids, &n, &err) == -1)
		return api_fail(rq->reply, &err);
	o = json_object();
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		struct compare_groep g;

		if (compare_groep_resolve(rq->snap->reg, ids[i], &g, &err) ==
		    -1)
			continue;
		json_push(arr, view_groep(rq->snap->reg, &g));
		compare_groep_free(&g);
	}
	free(ids);
	json_put(o, "groepen", arr);
	return routes_reply_json(rq, o);
}

static int
groepen(struct rq *rq)
{
	return ref_cached(rq, "groepen", groepen_build);
}
HANDLER(groepen)
