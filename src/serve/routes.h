/* src/serve/routes.h — the data API of basisd (doc/api.md): reference data,
 * series, comparisons, the dashboard summary, the uitstroom benchmark and
 * feed upload. Handlers are plain functions over api_request/api_reply;
 * state comes from the struct app set as the api context's app. */
#ifndef ROUTES_H
#define ROUTES_H

#include "serve/api.h"
#include "store/app.h"
#include "base/err.h"

/* Register the route tables, the health and token callbacks and the
 * metrics of app on ctx. Returns 0 or -1 with err set. */
int	routes_install(struct api_ctx *ctx, struct app *app, struct err *err);
/* Undo what routes_install allocated (NULL-safe). */
void	routes_uninstall(struct api_ctx *ctx);

#endif /* ROUTES_H */
