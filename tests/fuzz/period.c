/* tests/fuzz/period.c — fuzz target: period_parse on any bytes, and for
 * what parses, the invariants the store relies on (format/parse round trip,
 * start < end, next/prev inverse, ordinals dense). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/period.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void
check_invariants(const struct period *p)
{
	struct period q, n = period_next(p), pr = period_prev(p);
	struct err err = { "" };
	char	buf[16];

	if (period_parse(period_format(p, buf, sizeof(buf)), &q, &err) != 0 ||
	    period_cmp(p, &q) != 0 || q.kind != p->kind)
		abort();
	if (period_start(p) >= period_end(p) || period_end(p) != period_start(&n))
		abort();
	if (period_cmp(&pr, p) >= 0 || period_ordinal(&n) != period_ordinal(p) + 1)
		abort();
	q = period_from_ordinal(p->kind, period_ordinal(p));
	if (period_cmp(&q, p) != 0)
		abort();
	q = period_to(p, PERIOD_JAAR);
	if (!period_contains(&q, p))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char   *s = malloc(size + 1);
	struct period p;
	struct err err = { "" };

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (period_parse(s, &p, &err) == 0)
		check_invariants(&p);
	else if (err.msg[0] == '\0')
		abort(); /* a refusal always says why */
	free(s);
	return 0;
}
