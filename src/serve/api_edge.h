/* src/serve/api_edge.h — private to serve/api*.c: the reply after the
 * handler (api_edge.c) and the helpers of api.c the other parts share. */
#ifndef API_EDGE_H
#define API_EDGE_H

#include "serve/api.h"

/* Page security headers; for a 200 to GET/HEAD: a content ETag, the gzip
 * variant when the client accepts it (Vary: Accept-Encoding), and 304
 * when the client's copy still matches. */
void	api_edge_finish(struct api_ctx *ctx, const struct api_request *req,
	    struct api_reply *reply);
/* 204 with Allow, and for a path with an open-data GET the CORS preflight
 * headers. */
void	api_edge_options(struct api_reply *reply, const char *allow,
	    int public_get);
/* Access-Control-Allow-Origin: * on an open read. */
void	api_edge_cors(struct api_reply *reply);

/* Does a route of route_method serve method? GET also serves HEAD.
 * (api.c) */
int	api_method_serves(const char *route_method, const char *method);
/* The fixed 500 of last resort when not even an error body can be built
 * (api.c). */
void	api_reply_oom(struct api_reply *reply);

#endif /* API_EDGE_H */
