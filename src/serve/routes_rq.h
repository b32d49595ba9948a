/* src/serve/routes_rq.h — private to the routes files: one request's
 * borrowed state, the handler wrapper and the helpers the handlers share.
 * Nothing outside serve/routes*.c includes it. */
#ifndef ROUTES_RQ_H
#define ROUTES_RQ_H

#include <stddef.h>

#include "analysis/band.h"
#include "analysis/query.h"
#include "serve/api.h"
#include "store/app.h"

#define ROUTES_MAX_TAGS	40	/* dependency tags of one cached answer */
#define ROUTES_TAG_SIZE	80

/* One request's borrowed state. */
struct rq {
	struct app *app;
	struct app_snapshot *snap;
	struct ledger *led;
	const struct api_request *req;
	const struct api_params *params;
	struct api_reply *reply;
	struct metrics *metrics;
	int	csv;		/* ".csv" variant asked for */
	int	excel;		/* ?excel=1 */
	/* What a cached answer was built from (routes_depend); none means
	 * "any change of the data". */
	char	tags[ROUTES_MAX_TAGS][ROUTES_TAG_SIZE];
	size_t	ntags;
};

typedef int (*routes_rq_fn)(struct rq *);

/* The route handler routes_h_fn: fn run between routes_run's borrow and
 * give-back. */
#define HANDLER(fn)                                                        \
	int routes_h_##fn(struct api_ctx *c, const struct api_request *r,  \
	    const struct api_params *p, struct api_reply *y)               \
	{                                                                  \
		return routes_run(c, r, p, y, fn);                         \
	}

/* Borrow a reader and the snapshot, run fn, give them back. */
int	routes_run(struct api_ctx *ctx, const struct api_request *req,
	    const struct api_params *params, struct api_reply *reply,
	    routes_rq_fn fn);
/* Where the query module reads from: this request's connection and
 * snapshot. */
void	routes_src(struct rq *rq, struct query_src *ret);
/* Lookups that answer 404/400 themselves (return NULL / -1). */
const struct gemeente *routes_want_gemeente(struct rq *rq);
const struct indicator *routes_want_indicator(struct rq *rq);
/* view_indicator plus zrm_versie: the ZRM version every stored value of
 * a ZRM indicator was delivered in (validate accepts no other), null for
 * other indicators. */
json_t *routes_indicator_json(const struct indicator *ind);
int	routes_query_period(struct rq *rq, const char *key,
	    struct period *ret);
/* van and tot: 0, or -1 after a 400 (unparsable, or van after tot). */
int	routes_query_range(struct rq *rq, struct period *van, int *has_van,
	    struct period *tot, int *has_tot);
/* Optional integer query parameter in [min, max], parsed strictly
 * (base/num): 0 absent or empty (ret untouched), 1 parsed, -1 answered 400
 * ("w: 4294967496 ligt buiten het bereik 200–2000"). */
int	routes_query_int(struct rq *rq, const char *key, long long min,
	    long long max, long long *ret);
/* Send v (consumed; NULL answers 500) as the JSON reply. */
int	routes_reply_json(struct rq *rq, json_t *v);

/* Response cache: build(rq, arg) on a miss, stored under key with the
 * tags build declared by routes_depend; a hit is sent from the cache
 * while no ingest touched those tags since. */
typedef int (*routes_build_fn)(struct rq *rq, void *arg);
int	routes_cached(struct rq *rq, const char *key, routes_build_fn build,
	    void *arg);
/* Declare a dependency of the answer being built: "i:<indicator>" (any
 * gemeente's values of it), "g:<gemeente>" (any value of that gemeente),
 * "gi:<gemeente>|<indicator>" (one series). The ingest hook stamps these
 * for every series a feed touched. More than ROUTES_MAX_TAGS: the answer
 * depends on every change ("*"). */
void	routes_depend(struct rq *rq, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* "i:" of every indicator of ind's disclosure family (publish.h): what
 * decides which of ind's values are published. */
void	routes_depend_family(struct rq *rq, const struct indicator *ind);
/* The family of ind and of the noemers a count is compared through (its
 * rate, catalog_rate): what a comparison, a chart or a ranked
 * cross-section of ind is built from. */
void	routes_depend_indicator(struct rq *rq, const struct indicator *ind);
/* The tags of the peer features (conf.peer_features): whoever uses the
 * vergelijkbare gemeenten depends on them. */
void	routes_depend_features(struct rq *rq);
/* The cache key of this request: kind, path and every declared query
 * parameter (hashed when long). -1 after answering 500. */
int	routes_query_key(struct rq *rq, const char *kind, char *key,
	    size_t size);

/* A comparison from the query (periode, groep); routes_data.c. Answers
 * 400/404/500 itself and returns 1; 0 when v is filled. */
int	routes_vgl_compute(struct rq *rq, const struct indicator *ind,
	    struct query_vgl *v);

/* The handlers, one per route of the table in routes.c. */
int	routes_h_dashboard(struct api_ctx *c, const struct api_request *r,
	    const struct api_params *p, struct api_reply *y);
int	routes_h_feeds_get(struct api_ctx *c, const struct api_request *r,
	    const struct api_params *p, struct api_reply *y);
int	routes_h_feeds_rejected(struct api_ctx *c, const struct api_request *r,
	    const struct api_params *p, struct api_reply *y);
int	routes_h_feeds_post(struct api_ctx *c, const struct api_request *r,
	    const struct api_params *p, struct api_reply *y);
int	routes_h_gemeente(struct api_ctx *c, const struct api_request *r,
	    const struct api_params *p, struct api_reply *y);
int	routes_h_gemeenten(struct api_ctx *c, const struct api_request *r,
	    const struct api_params *p, struct api_reply *y);
int	routes_h_groepen(struct api_ctx *c, const struct api_request *r,
	    const struct api_params *p, struct api_reply *y);
int	routes_h_indicator(struct api_ctx *c, const struct api_request *r,
	    const struct api_params *p, struct api_reply *y);
int	routes_h_indicators(struct api_ctx *c, const struct api_request *r,
	    const struct api_params *p, struct api_reply *y);
int	routes_h_getal(struct api_ctx *c, const struct api_request *r,
	    const struct api_params *p, struct api_reply *y);
int	routes_h_kern(struct api_ctx *c, const struct api_request *r,
	    const struct api_params *p, struct api_reply *y);
int	routes_h_map_chart(struct api_ctx *c, const struct api_request *r,
	    const struct api_params *p, struct api_reply *y);
int	routes_h_series_withdraw(struct api_ctx *c,
	    const struct api_request *r, const struct api_params *p,
	    struct api_reply *y);
int	routes_h_series(struct api_ctx *c, const struct api_request *r,
	    const struct api_params *p, struct api_reply *y);
int	routes_h_series_chart(struct api_ctx *c, const struct api_request *r,
	    const struct api_params *p, struct api_reply *y);
int	routes_h_uitstroom_benchmark(struct api_ctx *c, const struct api_request *r,
	    const struct api_params *p, struct api_reply *y);
int	routes_h_vergelijk(struct api_ctx *c, const struct api_request *r,
	    const struct api_params *p, struct api_reply *y);
int	routes_h_vergelijk_chart(struct api_ctx *c, const struct api_request *r,
	    const struct api_params *p, struct api_reply *y);
int	routes_h_vergelijkbaar(struct api_ctx *c, const struct api_request *r,
	    const struct api_params *p, struct api_reply *y);

#endif /* ROUTES_RQ_H */
