/* src/serve/http.h — the HTTP server: libmicrohttpd with a thread pool,
 * turning each request into a struct api_request for api_dispatch and the
 * struct api_reply back into a response. The only module that includes
 * <microhttpd.h>. Limits (timeouts, connections, URL, headers, body) are
 * enforced here, before a handler runs. */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>

#include "serve/api.h"
#include "base/conf.h"
#include "base/err.h"

struct http_opts {
	const char *listen;	/* IPv4 or IPv6 literal, e.g. "127.0.0.1"; "::"
				 * is dual stack (IPv4 clients too) */
	unsigned port;		/* 0 = any free port, see http_port */
	unsigned threads;	/* worker threads (MHD thread pool) */
	unsigned timeout_s;	/* idle connection timeout */
	unsigned max_conns;	/* connections in total */
	unsigned max_conns_per_ip;
	size_t	conn_memory;	/* per-connection buffer: bounds URL and headers */
	size_t	max_url;	/* longer request targets get 414 */
	size_t	max_body;	/* larger bodies get 413, before they are read */
	unsigned drain_s;	/* http_stop waits this long for requests in flight */
	/* Slow clients: a connection must send a complete request head
	 * within header_timeout_s of connecting (or of its previous answer),
	 * however it trickles; at most max_pending connections may wait
	 * without one (0 = three quarters of max_conns), past that the
	 * oldest is cut so real clients always get in. */
	unsigned header_timeout_s;
	unsigned max_pending;
	const char *tls_cert;	/* PEM text (not a file name); NULL = plain HTTP */
	const char *tls_key;	/* PEM text of the private key */
};

struct http_server;

/* Options from the configuration (listen, port, threads, timeout,
 * connection limits, URL and body size; conf.c holds their defaults), plus
 * 32 KiB per connection, a 10 s drain, 10 s for a request head and 3/4
 * of the connections without one; no TLS. opts->listen points into
 * c, which must outlive the server. */
void	http_opts_from_conf(struct http_opts *opts, const struct conf *c);

/* Start serving api (which must outlive the server). Returns NULL with err
 * set (Dutch) when the address is invalid, TLS is asked for but not built
 * into libmicrohttpd, or the socket cannot be bound. */
struct http_server *http_start(const struct http_opts *opts,
	    struct api_ctx *api, struct err *err);
/* The port actually bound (useful with port 0). */
unsigned http_port(const struct http_server *srv);
/* Stop accepting, let requests in flight finish (up to drain_s), close
 * everything and free srv. NULL is a no-op. */
void	http_stop(struct http_server *srv);

#endif /* HTTP_H */
