/* src/base/err.h — one error: a message, filled by pure modules and reported
 * by the edge (basisctl, http) that handles it, and a kind that says what
 * sort of failure it is, so the edge maps it to a status in one place (the
 * HTTP table is in serve/api.c). Not shared between threads. */
#ifndef ERR_H
#define ERR_H

#include <stddef.h>

/* What went wrong, from the caller's side. ERR_INTERNAL is 0, so an err
 * initialised with { "" } and filled by err_set is an internal failure
 * unless the producer says otherwise. */
enum err_kind {
	ERR_INTERNAL,		/* a failure of ours: memory, database, disk */
	ERR_INPUT,		/* the request or value is malformed */
	ERR_UNAUTHORISED,	/* no, unknown or revoked credentials */
	ERR_FORBIDDEN,		/* known caller, not allowed to do this */
	ERR_NOT_FOUND,		/* the thing asked for does not exist */
	ERR_CONFLICT,		/* the current state does not allow it */
	ERR_TOO_LARGE,		/* over a configured size limit */
	ERR_REJECTED,		/* well-formed, refused by the domain rules */
	ERR_BUSY,		/* too many at once: retry later */
	ERR_UNAVAILABLE,	/* something we depend on is not reachable */
	ERR_NKINDS
};

struct err {
	char	msg[512];	/* Dutch, user-facing; "" when no error */
	enum err_kind kind;	/* meaningful only when msg is set */
};

/* Set the message (printf-style, truncated to fit) and the kind
 * ERR_INTERNAL. Always returns -1 so a caller can write
 * `return err_set(err, ...);`. err may be NULL. */
int	err_set(struct err *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* As err_set with an explicit kind. Returns -1. */
int	err_setk(struct err *err, enum err_kind kind, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Reclassify the current error (a pure module's public entry point that
 * knows all its failures are, say, rejected input). Returns -1. */
int	err_as(struct err *err, enum err_kind kind);

/* Prefix the current message, e.g. with "file:line: "; the kind stays.
 * Returns -1. */
int	err_prefix(struct err *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif /* ERR_H */
