/* tests/fuzz/feed.c — fuzz target: a feed as it arrives (any bytes) through
 * feed_parse and validate_feed against the real catalogue and register,
 * the path every upload takes before anything is stored. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "input/catalog.h"
#include "input/feed.h"
#include "input/register.h"
#include "input/validate.h"
#include "fuzz.h"

/* Loaded once; read-only afterwards. libFuzzer offers no context
 * argument, so the fixtures live in file-scope state of this test
 * program (not of the daemon). */
static struct catalog *cat;
static struct reg *reg;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct err err = { "" };
	char	dir[4096];

	(void)argc;
	(void)argv;
	fuzz_srcpath("indicators", dir, sizeof(dir));
	if ((cat = catalog_load(dir, &err)) == NULL ||
	    (reg = register_load(dir, &err)) == NULL) {
		fprintf(stderr, "fuzz feed: %s\n", err.msg);
		exit(2);
	}
	return 0;
}

static void
validate(const struct feed_table *t, int partial, struct report *rep)
{
	struct reg_scope scope;
	struct validate_opts opts = { .partial = partial };
	struct validate_result res = { 0 };

	if (partial) {
		register_scope_parse(reg, "GM0363 GM0599", &scope);
		opts.scope = &scope;
	}
	if (validate_feed(t, cat, reg, &opts, &res, rep) == 0) {
		/* Every row is either an observation or reported (by the
		 * parser or by validate: one report, as ingest keeps it). */
		if (res.n > res.rows || (res.n < res.rows &&
		    report_count(rep) == 0))
			abort();
		validate_result_free(&res);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_limits lim = { .max_field = 256, .max_rows = 1000 };
	struct feed_table *t;
	struct report rep;

	report_init(&rep, "fuzz.csv");
	t = feed_parse((const char *)data, size, &lim, &rep);
	if (t != NULL) {
		validate(t, size % 2, &rep);
		feed_free(t);
	} else if (report_count(&rep) == 0) {
		abort(); /* NULL means an empty feed, which is reported */
	}
	report_free(&rep);
	return 0;
}
