/* src/base/num.h — the one strict number parser: config values, every
 * numeric query parameter and feed cells go through it. Strict means the
 * whole string is the number (no spaces, no trailing text), the value is in
 * range, and overflow is detected instead of wrapping (atoi("4294967496")
 * is 200). Pure: no I/O, no logging, no locale, thread-safe. */
#ifndef NUM_H
#define NUM_H

#include "base/err.h"

/* A decimal integer: optional '-' or '+', digits, nothing else. Returns 0
 * with *ret set, or -1 with err (ERR_INPUT, Dutch, quoting s): "'12a' is
 * geen geheel getal", or "4294967496 ligt buiten het bereik 1–50" also when
 * the value does not fit a long long. */
int	num_int(const char *s, long long min, long long max, long long *ret,
	    struct err *err);

/* As num_int, with an optional k, M or G suffix (×1024, ×1024², ×1024³);
 * an overflow by the suffix is out of range, never a wrapped value. */
int	num_bytes(const char *s, long long min, long long max, long long *ret,
	    struct err *err);

/* A plain decimal with '.' ("12", "-0.25"; not "1e3", ".5" or "0x10"),
 * within [min, max] (ini files). Returns 0, or -1 with err as num_int:
 * "'0,4' is geen getal (gebruik een punt als decimaalteken)". */
int	num_double(const char *s, double min, double max, double *ret,
	    struct err *err);

/* A number as Dutch spreadsheets write it, or plain: "12,5", "-3", "3.580"
 * (thousands dot), "1.234,5", "12.5" (decimal point when not a thousands
 * pattern); blanks around it are allowed (feed cells). Returns 0, or -1
 * when s is not a finite number. */
int	num_dutch(const char *s, double *ret);

#endif /* NUM_H */
