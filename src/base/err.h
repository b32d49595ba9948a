/* src/base/err.h — one error message, filled by pure modules and reported
 * by the edge (basisctl, http) that handles it. Not shared between threads. */
#ifndef ERR_H
#define ERR_H

#include <stddef.h>

struct err {
	char	msg[512];	/* Dutch, user-facing; "" when no error */
};

/* Set the message (printf-style, truncated to fit). Always returns -1 so a
 * caller can write `return err_set(err, ...);`. err may be NULL. */
int	err_set(struct err *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Prefix the current message, e.g. with "file:line: ". Returns -1. */
int	err_prefix(struct err *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif /* ERR_H */
