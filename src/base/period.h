/* src/base/period.h — calendar periods of indicator values (maand … jaar).
 * Pure: no I/O, no logging, thread-safe. */
#ifndef PERIOD_H
#define PERIOD_H

#include "base/err.h"

enum period_kind { PERIOD_MAAND, PERIOD_KWARTAAL, PERIOD_HALFJAAR, PERIOD_JAAR };
#define PERIOD_NKINDS 4

struct period {
	enum period_kind kind;
	int	year;
	int	index;	/* 1-based month, quarter or half; 1 for a year */
};

/* Parse "2024-03", "2024M03", "2024MM03", "2024-Q1", "2024Q1", "2024K1",
 * "2024-K1", "2024KW01", "2024-H1", "2024H1", "2024HJ01", "2024",
 * "2024JJ00" (case-insensitive, surrounding blanks ignored). Years
 * 1900–2199. Returns 0, or -1 with err set to a Dutch message that quotes
 * the input. */
int	period_parse(const char *s, struct period *ret, struct err *err);
/* Canonical form: "2024-03", "2024-Q1", "2024-H1", "2024". buf >= 16.
 * Returns buf. */
char   *period_format(const struct period *p, char *buf, unsigned size);
/* "maand", "kwartaal", "halfjaar", "jaar" <-> kind. parse returns 0/-1. */
const char *period_kind_name(enum period_kind kind);
int	period_kind_parse(const char *s, enum period_kind *ret);

/* Seconds since the epoch (UTC) of the first second of the period. */
long long period_start(const struct period *p);
/* First second after the period (UTC): where RRD stores its value. */
long long period_end(const struct period *p);
/* Number of months in a period of this kind: 1, 3, 6, 12. */
int	period_months(enum period_kind kind);
/* The next / previous period of the same kind. */
struct period period_next(const struct period *p);
struct period period_prev(const struct period *p);
/* The same period one year earlier. */
struct period period_year_before(const struct period *p);
/* <0, 0, >0 ordering by start, then by length (shorter first). */
int	period_cmp(const struct period *a, const struct period *b);
/* The period of kind `kind` that contains p; kind must not be finer than
 * p->kind (asserted). */
struct period period_to(const struct period *p, enum period_kind kind);
/* 1 if inner lies within outer. */
int	period_contains(const struct period *outer, const struct period *inner);
/* The period of `kind` containing the UTC time t. */
struct period period_at(enum period_kind kind, long long t);
/* Dense ordinal of a period within its kind (year*per_year + index-1):
 * consecutive periods differ by one. */
int	period_ordinal(const struct period *p);
struct period period_from_ordinal(enum period_kind kind, int ordinal);

#endif /* PERIOD_H */
