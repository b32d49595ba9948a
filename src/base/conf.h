/* src/base/conf.h — basisd.conf (INI, libinih): listen address, limits, TLS
 * files, paths, log level, alert command and compare settings. Built once by
 * conf_load or conf_defaults and immutable afterwards, so it is shared
 * between threads without locks; a reload builds a new one and swaps it.
 * The struct holds no pointers: copying it is safe. */
#ifndef CONF_H
#define CONF_H

#include <stddef.h>

#include "base/err.h"
#include "base/log.h"

#define CONF_PATH_SIZE	1024	/* paths, incl. NUL */
#define CONF_WORDS_MAX	16	/* words in a list (argv, peer features) */
#define CONF_WORD_SIZE	256	/* one word, incl. NUL */

/* A space-separated list from the file, split into words. */
struct conf_words {
	int	n;
	char	w[CONF_WORDS_MAX][CONF_WORD_SIZE];
};

struct conf {
	/* [server] */
	char	listen[64];		/* IPv4 or IPv6 address */
	int	port;			/* 0 = any free port (tests) */
	int	threads;		/* MHD thread pool size */
	int	connection_timeout;	/* seconds */
	int	max_connections;
	int	per_ip_connections;	/* 0 = no per-IP limit */
	long long max_body;		/* bytes of one request body */
	long long max_rows;		/* rows in one feed */
	int	max_field;		/* bytes in one CSV field */
	int	max_url;		/* bytes in a URL incl. query */
	int	toekomst_marge;		/* periods after the current one a feed may hold */
	int	herstel_interval;	/* seconds between retries of pending series */
	char	tls_cert[CONF_PATH_SIZE];	/* "" = no TLS; both or neither */
	char	tls_key[CONF_PATH_SIZE];
	/* [paths] — absolute after conf_load (relative to the file's dir) */
	char	state_dir[CONF_PATH_SIZE];
	char	catalog_dir[CONF_PATH_SIZE];
	char	www_dir[CONF_PATH_SIZE];
	char	inbox_dir[CONF_PATH_SIZE];	/* default state_dir/inbox */
	/* [log] */
	enum log_level log_level;
	/* [alerts] */
	struct conf_words alert_command;	/* argv, no shell; n = 0: none */
	int	alert_timeout;			/* seconds (command_timeout) */
	/* [compare] */
	int	peers_k;			/* nearest peers to show */
	struct conf_words peer_features;	/* indicator ids */
	/* where it came from, for messages; "" for conf_defaults */
	char	file[CONF_PATH_SIZE];
};

/* Built-in defaults, as if loaded from an empty file, except that relative
 * paths stay relative to the current directory. NULL only when out of
 * memory. Free with conf_free. */
struct conf *conf_defaults(void);

/* Load path. Keys not in the file keep their defaults; relative paths
 * (also the default state_dir "./state") are resolved against the directory
 * of the file. On error returns NULL with err set to "file:line: message"
 * in Dutch (line 0 for errors that span keys or the whole file): unreadable
 * file, syntax error, line too long, unknown section or key, duplicate key,
 * bad number or value, out of range, tls_cert without tls_key. */
struct conf *conf_load(const char *path, struct err *err);
void	conf_free(struct conf *c);	/* NULL is a no-op */

/* The value of section/key as it would be written in the file, into buf
 * (lists space-separated). Returns 0, or -1 for an unknown key or a buffer
 * that is too small. Used by `basisd -n` and `basisctl` to show the
 * effective configuration. */
int	conf_value(const struct conf *c, const char *section, const char *key,
	    char *buf, size_t size);

/* Call fn once per known key, in file order (for listings). */
void	conf_each_key(void (*fn)(const char *section, const char *key,
	    void *arg), void *arg);

/* Write a commented default configuration to path (for `basisctl init`):
 * every key with its Dutch explanation, the given paths and port set, the
 * rest commented out at their defaults. Relative path arguments are made
 * absolute against the current directory (the file resolves relative paths
 * against its own directory, which would change their meaning). An existing
 * file is kept untouched and 0 is returned: init never overwrites an
 * operator's edits. Returns 0 or -1 with err set. */
int	conf_write_default(const char *path, const char *state_dir,
	    const char *catalog_dir, const char *www_dir, int port,
	    struct err *err);

#endif /* CONF_H */
