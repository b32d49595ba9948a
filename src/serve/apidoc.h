/* src/serve/apidoc.h — what the OpenAPI document says beyond the route
 * tables: each operation's success responses with their schemas, its
 * request body schema and its security, and the component schemas. api.c
 * joins this with the routes, so a route and its documentation cannot be
 * registered apart without the suite noticing (tests/e2e/openapi.sh). */
#ifndef APIDOC_H
#define APIDOC_H

#include "base/json.h"

struct apidoc_op {
	const char *name;	/* the route's name (operationId) */
	/* Answers other than errors: "201 Levering, 200 Levering"; a schema
	 * name, or a media kind: csv, svg, png, text, atom, html. */
	const char *answers;
	const char *request;	/* schema of a JSON body; NULL: none or not JSON */
	/* Who may call: NULL public, "bearer", "sessie" (cookie, read),
	 * "sessie+csrf" (cookie and X-CSRF-Token), "feedtoken"; alternatives
	 * separated by '|'. */
	const char *security;
	/* What a success answer holds (its description), e.g. the columns
	 * of a CSV; NULL: "gelukt". */
	const char *text;
};

/* The operation named name, or NULL when it has no documentation. */
const struct apidoc_op *apidoc_find(const char *name);

/* components (schemas and securitySchemes), new reference; NULL when out
 * of memory. */
json_t *apidoc_components(void);

/* The responses object of op: its answers, error statuses that its
 * parameters, body and security make possible, and a default Fout. */
json_t *apidoc_responses(const struct apidoc_op *op, int has_params,
    int has_body);

/* The security requirement list of op: empty for a public operation,
 * NULL when op is NULL (undocumented). */
json_t *apidoc_security(const struct apidoc_op *op);

#endif /* APIDOC_H */
