/* src/base/fetch.h — the one wrapper around libcurl: an HTTPS GET into
 * memory, for open data (CBS StatLine, basisctl cbs). Plain http and
 * redirects to other schemes are refused. Thread-safe after fetch_init();
 * each call uses its own handle. */
#ifndef FETCH_H
#define FETCH_H

#include <stddef.h>

#include "base/err.h"

struct fetch_opts {
	const char *ca_file;	/* PEM with the CA(s) to trust; NULL = system */
	long	timeout_s;	/* whole transfer; 0 = 300 */
	size_t	max_bytes;	/* answer size limit; 0 = 512 MiB */
};

/* Once per process, before any thread fetches. Returns 0 or -1. */
int	fetch_init(void);
void	fetch_cleanup(void);

/* GET url (https:// only). Returns 0 with a malloc'd, NUL-terminated body
 * in *ret_body (free()) and its length, or -1 with err set to a Dutch
 * message naming the URL (HTTP status, TLS or network error). */
int	fetch_get(const char *url, const struct fetch_opts *opts,
	    char **ret_body, size_t *ret_len, struct err *err);

#endif /* FETCH_H */
