/* src/serve/api_openapi.c — /api/v1/openapi.json, generated from the
 * route tables (paths, parameters, security) and apidoc's schemas, so
 * the document cannot drift from the routes. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "serve/api.h"
#include "serve/apidoc.h"

static json_t *
openapi_params(const struct api_route *r)
{
	json_t *arr = json_array(), *p;
	const char *s, *e;
	char	name[64];
	size_t	n;

	for (s = r->pattern; (s = strchr(s, '{')) && (e = strchr(s, '}'));
	     s = e) {
		snprintf(name, sizeof(name), "%.*s", (int)(e - s - 1), s + 1);
		p = json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", name, "in",
		    "path", "required", 1, "schema", "type", "string");
		json_push(arr, p);
	}
	for (s = r->query; s && *s; s += n + (s[n] == ',')) {
		n = strcspn(s, ",");
		snprintf(name, sizeof(name), "%.*s", (int)n, s);
		p = json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", name, "in",
		    "query", "required", 0, "schema", "type", "string");
		json_push(arr, p);
	}
	return arr;
}

/* The request body: a JSON schema from apidoc, or the raw upload. */
static json_t *
openapi_body(const struct api_route *r, const struct apidoc_op *doc)
{
	char	schema[96];

	if (doc != NULL && doc->request != NULL) {
		snprintf(schema, sizeof(schema), "#/components/schemas/%s",
		    doc->request);
		return json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1,
		    "content", r->body_type ? r->body_type : "application/json",
		    "schema", "$ref", schema);
	}
	return json_pack("{s:b, s:{s:{s:{s:s, s:s}}}}", "required", 1,
	    "content", r->body_type ? r->body_type : "application/octet-stream",
	    "schema", "type", "string", "format", "binary");
}

static json_t *
openapi_op(const struct api_route *r)
{
	const struct apidoc_op *doc = apidoc_find(r->name);
	json_t *params = openapi_params(r), *sec = apidoc_security(doc);
	json_t *op = json_pack("{s:s, s:s}", "summary",
	    r->summary ? r->summary : "", "operationId", r->name);

	json_put(op, "responses", apidoc_responses(doc,
	    json_array_size(params) > 0, (r->flags & API_BODY) != 0));
	json_put(op, "parameters", params);
	if (sec == NULL && (r->flags & API_TOKEN))
		sec = json_pack("[{s:[]}]", "bearer");
	if (sec != NULL)
		json_put(op, "security", sec);
	if (r->flags & API_BODY)
		json_put(op, "requestBody", openapi_body(r, doc));
	return op;
}

static int
openapi_add(json_t *paths, const struct api_route *r)
{
	json_t *item = json_object_get(paths, r->pattern);
	char	method[16];
	size_t	i;

	if (item == NULL && json_put(paths, r->pattern, json_object()) == 0)
		item = json_object_get(paths, r->pattern);
	for (i = 0; r->method[i] && i < sizeof(method) - 1; i++)
		method[i] = (char)tolower((unsigned char)r->method[i]);
	method[i] = '\0';
	return json_put(item, method, openapi_op(r));
}

json_t *
api_openapi(const struct api_ctx *ctx)
{
	json_t *doc, *paths = json_object();
	int	rc = 0;

	for (size_t t = 0; t < ctx->ntables; t++)
		for (size_t i = 0; i < ctx->tables[t].n; i++)
			rc |= openapi_add(paths, &ctx->tables[t].routes[i]);
	doc = json_pack("{s:s, s:{s:s, s:s, s:s, s:{s:s, s:s}}, s:[{s:s}], s:o, "
			"s:o*}",
	    "openapi", "3.0.3", "info", "title", "basisd",
	    "version", PACKAGE_VERSION, "description",
	    "Gemeenschappelijke basisindicatoren sociaal domein",
	    "license", "name", "EUPL-1.2", "url",
	    "https://joinup.ec.europa.eu/collection/eupl/eupl-text-eupl-12",
	    "servers", "url", "/", "paths", paths, "components",
	    apidoc_components());
	if (rc != 0) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

