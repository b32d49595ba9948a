/* tests/fuzz/util.c — what every fuzz target shares: finding the source
 * tree (catalogue, register) whether run by `make check` or by hand. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

char *
fuzz_srcpath(const char *rel, char *buf, size_t size)
{
	const char *top = getenv("abs_top_srcdir");

	/* FUZZ_SRCDIR is the tree the build was configured from: a target
	 * started by hand from a fuzz build dir still finds its fixtures. */
	snprintf(buf, size, "%s/%s", top && *top ? top : FUZZ_SRCDIR, rel);
	return buf;
}
