/* src/tools/demo.h — synthetic demonstration data (basisctl demo-data): one
 * feed per active gemeente holding every catalogue indicator for every
 * period, then a round of correction feeds. Calibrated on the public
 * magnitudes of domain §11, never real data: every row says so.
 * Pure: no I/O (output goes through the caller's callback), no globals;
 * thread-safe. Deterministic: the same seed, catalogue and register give
 * byte-identical output. */
#ifndef DEMO_H
#define DEMO_H

#include <stddef.h>

#include "input/catalog.h"
#include "base/err.h"
#include "input/register.h"

#define DEMO_VAN_DEFAULT 2016
#define DEMO_TOT_DEFAULT 2025

struct demo_opts {
	unsigned long seed;
	int	van, tot;	/* years, inclusive; 0 = default 2016–2025 */
};

/* Receives one complete feed: naam is "demo-GM0363.csv" (first round) or
 * "demo-correcties-GM0363.csv" (second round); csv holds len bytes (the
 * header line "gemeente;indicator;periode;waarde;teller;noemer;status;
 * toelichting;synthetisch;versie" and the rows, LF line ends, decimal comma).
 * The buffer is only valid during the call. Return 0 to go on, -1 to
 * stop. */
typedef int (*demo_emit)(void *arg, const char *naam, const char *csv,
    size_t len);

/* Generate the demo feeds for reg->gemeenten[0 .. nactief) in register
 * order, then the correction feeds for about 10% of them: revised values
 * for a few earlier periods and late deliveries of periods missing from
 * the first round (other gaps stay missing). Every indicator of cat is
 * generated (a known id by its own rule, an unknown one by a generic rule
 * from soort, schaal and min/max), from the indicator's `sinds` year or
 * opts->van, whichever is later. opts may be NULL (seed 1, defaults).
 * Returns 0, or -1 with err set when the years are invalid, memory runs
 * out or emit returned non-zero (then no further feed is emitted). */
int	demo_generate(const struct catalog *cat, const struct reg *reg,
	    const struct demo_opts *opts, demo_emit emit, void *arg,
	    struct err *err);

#endif /* DEMO_H */
