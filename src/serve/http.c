/* src/serve/http.c — libmicrohttpd at the edge: accept, enforce limits,
 * admit a request (route, Content-Type, token) before its body is read,
 * spool the body (http_spool.c), hand a plain struct api_request to
 * api_dispatch and send the struct api_reply back. A route that may wait
 * long (API_ASYNC: uploads waiting for the writer) runs on its own thread
 * while its connection is suspended, so a server thread — and every other
 * connection it serves — never waits for the writer. Everything about
 * routes lives in api.c. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "serve/api.h"
#include "serve/http.h"
#include "serve/http_spool.h"
#include "base/log.h"
#include "base/util.h"

/* One connection, as the slow-client guard sees it. */
struct conn_rec {
	struct conn_rec *prev, *next;	/* the pending list, oldest first */
	int	fd;
	int	pending;	/* no complete request (headers) yet */
	int	cut;		/* shut down by the guard */
	double	since;	/* when it became pending (util_mono_s) */
};

/* The slow-client guard. MHD's connection timeout counts idle time, so a
 * client sending one header byte every few seconds is never idle; and the
 * connection limit counts such clients like real ones, so a few hundred
 * of them (slowloris) keep everybody else out. The guard gives the header
 * phase (and the idle time between keep-alive requests) a deadline from
 * its start, and caps the connections without a complete request below
 * the connection limit: when a new one would pass the cap the oldest
 * pending one is cut, so there is always room for a client that sends a
 * request at once. Cutting is shutdown(): MHD sees the end of the stream
 * and closes the connection itself, after its CLOSED notification (which
 * takes the record out under the same lock, so the fd is still ours). */
struct guard {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	int	running, stop;
	struct conn_rec *head, *tail;
	unsigned npending, max_pending;
	unsigned header_s;
	unsigned long cut;		/* cut since the last report */
	double	reported;		/* last report in the log (util_mono_s) */
};

struct http_server {
	struct MHD_Daemon *d;
	struct api_ctx *api;
	size_t	max_url, max_body;
	size_t	body_budget;	/* bytes of all bodies in flight, at most */
	atomic_size_t body_bytes; /* … and now */
	char	spool_dir[4096];	/* "" = bodies stay in memory */
	unsigned drain_s;
	unsigned port;
	atomic_int inflight;	/* requests between first call and completion */
	atomic_int jobs;	/* API_ASYNC requests running on their thread */
	struct guard guard;
};

struct query_list {
	struct api_kv kv[API_MAX_QUERY];
	size_t	n;
};

/* Bytes of a refused body read and thrown away before the connection is
 * cut instead of answered. */
#define HTTP_DISCARD_MAX ((size_t)1 << 30)

enum req_state {
	RQ_READING,		/* headers in, body arriving */
	RQ_ANSWERED,		/* a response is queued (refused early) */
	RQ_RUNNING,		/* API_ASYNC: on its thread, connection suspended */
	RQ_DONE,		/* … finished: reply holds the answer */
};

/* Per-request state (MHD's con_cls), freed in on_completed. The request
 * is built once, in the first call, so it can be admitted (and the token
 * checked) before the body is read; its strings point into MHD's
 * connection memory, valid until completion. */
struct http_req {
	struct http_server *srv;
	struct MHD_Connection *c;
	_Atomic int state;	/* enum req_state */
	struct api_request req;
	struct api_auth auth;
	struct query_list q;
	char	addr[64];
	size_t	limit;		/* this request's body cap */
	int	async;		/* API_ASYNC route */
	int	refused;	/* status to answer once the body is in; 0 = none */
	size_t	discarded;	/* body bytes thrown away after refusing */
	struct http_spool body;
	struct api_reply reply;	/* RQ_DONE: the async answer */
};

void
http_opts_from_conf(struct http_opts *opts, const struct conf *c)
{
	memset(opts, 0, sizeof(*opts));
	opts->listen = c->listen;
	opts->port = (unsigned)c->port;
	opts->threads = (unsigned)c->threads;
	opts->timeout_s = (unsigned)c->connection_timeout;
	opts->max_conns = (unsigned)c->max_connections;
	opts->max_conns_per_ip = (unsigned)c->per_ip_connections;
	opts->conn_memory = 32 * 1024; /* MHD zeroes it per request: keep small */
	opts->max_url = (size_t)c->max_url;
	opts->max_body = (size_t)c->max_body;
	opts->drain_s = 10;
	/* Bodies past 256 KiB go to temp files beside the ledger; all of
	 * them together may hold four of the largest, and at least 64 MiB. */
	opts->spool_dir = c->state_dir;
	opts->body_budget = opts->max_body * 4 > (64u << 20) ?
	    opts->max_body * 4 : (64u << 20);
	opts->header_timeout_s = 10;
	opts->max_pending = 0;	/* 0: three quarters of max_conns */
}

/* ---- sending a reply */

static void
add_header(struct MHD_Response *resp, const char *name, const char *value)
{
	/* MHD refuses values with CR/LF; a handler bug must not split a
	 * response, so the header is dropped and logged. */
	if (value[0] != '\0' &&
	    MHD_add_response_header(resp, name, value) != MHD_YES)
		log_warn("http: header %s geweigerd", name);
}

/* IMF-fixdate (RFC 9110 §5.6.7), locale-free. */
static void
http_date(long long t, char *buf, size_t size)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu",
		"Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t	tt = (time_t)t;
	struct tm tm;

	buf[0] = '\0';
	if (gmtime_r(&tt, &tm) == NULL)
		return;
	snprintf(buf, size, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static struct MHD_Response *
make_response(struct api_reply *reply)
{
	/* MHD frees the body with free() once sent, or gives a lent one
	 * back through its callback when the response is destroyed (after
	 * the last connection using it); for HEAD it sends the length but not
	 * the bytes. On failure the reply still owns the body. */
	if (reply->lent != NULL)
		return MHD_create_response_from_buffer_with_free_callback_cls(
		    reply->len, (void *)(uintptr_t)reply->lent, reply->release,
		    reply->release_arg);
	/* A 304 keeps the 200's body: MHD sends its length as the
	 * Content-Length (RFC 9110 §8.6), as for HEAD, but not the bytes. */
	return MHD_create_response_from_buffer(reply->len, reply->body,
	    reply->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
}

static enum MHD_Result
send_reply(struct MHD_Connection *c, struct api_reply *reply)
{
	struct MHD_Response *resp = make_response(reply);
	enum MHD_Result rc;
	char	date[64];

	if (resp == NULL)
		return MHD_NO;
	reply->body = NULL;
	reply->len = 0;
	reply->lent = NULL;
	reply->release = NULL;
	add_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, reply->content_type);
	add_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING,
	    reply->content_encoding);
	add_header(resp, MHD_HTTP_HEADER_ETAG, reply->etag);
	if (reply->last_modified > 0) {
		http_date(reply->last_modified, date, sizeof(date));
		add_header(resp, MHD_HTTP_HEADER_LAST_MODIFIED, date);
	}
	add_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, reply->cache_control);
	add_header(resp, MHD_HTTP_HEADER_LOCATION, reply->location);
	add_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
	    reply->www_authenticate);
	add_header(resp, "X-Content-Type-Options", "nosniff");
	for (size_t i = 0; i < reply->nheaders; i++)
		add_header(resp, reply->headers[i].name,
		    reply->headers[i].value);
	rc = MHD_queue_response(c, (unsigned)reply->status, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* ---- the slow-client guard (see struct guard) */

/* Under the lock. */
static void
pending_add(struct guard *g, struct conn_rec *r)
{
	r->since = util_mono_s();
	r->pending = 1;
	r->next = NULL;
	r->prev = g->tail;
	if (g->tail != NULL)
		g->tail->next = r;
	else
		g->head = r;
	g->tail = r;
	g->npending++;
}

static void
pending_remove(struct guard *g, struct conn_rec *r)
{
	if (!r->pending)
		return;
	if (r->prev != NULL)
		r->prev->next = r->next;
	else
		g->head = r->next;
	if (r->next != NULL)
		r->next->prev = r->prev;
	else
		g->tail = r->prev;
	r->prev = r->next = NULL;
	r->pending = 0;
	g->npending--;
}

static void
pending_cut(struct guard *g, struct conn_rec *r)
{
	pending_remove(g, r);
	r->cut = 1;
	shutdown(r->fd, SHUT_RDWR);
	g->cut++;
}

/* Under attack every cut would be a log line: one summary a minute. */
static void
guard_report(struct guard *g)
{
	if (g->cut == 0 || util_mono_s() - g->reported < 60.0)
		return;
	log_warn("http: %lu trage verbinding%s zonder volledig verzoek "
	    "gesloten", g->cut, g->cut == 1 ? "" : "en");
	g->cut = 0;
	g->reported = util_mono_s();
}

static void *
guard_run(void *arg)
{
	struct guard *g = arg;
	struct timespec until;

	pthread_mutex_lock(&g->lock);
	while (!g->stop) {
		while (g->head != NULL && util_mono_s() - g->head->since >=
		    (double)g->header_s)
			pending_cut(g, g->head);
		guard_report(g);
		/* Half a second of slack on a 10 s deadline is plenty. */
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 500 * 1000 * 1000;
		if (until.tv_nsec >= 1000 * 1000 * 1000) {
			until.tv_sec++;
			until.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&g->wake, &g->lock, &until);
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

static void
guard_started(struct guard *g, struct MHD_Connection *c, void **socket_context)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	struct conn_rec *r = calloc(1, sizeof(*r));

	*socket_context = r;
	if (r == NULL || ci == NULL) {
		free(r);
		*socket_context = NULL;
		return; /* unguarded: MHD's own timeout still applies */
	}
	r->fd = ci->connect_fd;
	pthread_mutex_lock(&g->lock);
	if (g->npending >= g->max_pending && g->head != NULL)
		pending_cut(g, g->head);
	pending_add(g, r);
	pthread_mutex_unlock(&g->lock);
}

static void
guard_closed(struct guard *g, void **socket_context)
{
	struct conn_rec *r = *socket_context;

	if (r == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	pending_remove(g, r);
	pthread_mutex_unlock(&g->lock);
	free(r);
	*socket_context = NULL;
}

static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode toe)
{
	struct http_server *srv = cls;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED)
		guard_started(&srv->guard, c, socket_context);
	else
		guard_closed(&srv->guard, socket_context);
}

/* A request's headers are complete (busy = 1), or it was answered and
 * the connection waits for the next one (busy = 0). */
static void
guard_mark(struct guard *g, struct MHD_Connection *c, int busy)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn_rec *r = ci ? ci->socket_context : NULL;

	if (r == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	if (busy)
		pending_remove(g, r);
	else if (!r->cut && !r->pending)
		pending_add(g, r);
	pthread_mutex_unlock(&g->lock);
}

static int
guard_start(struct guard *g, const struct http_opts *o)
{
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->wake, NULL);
	g->reported = util_mono_s() - 60.0; /* the first cuts are told at once */
	g->header_s = o->header_timeout_s ? o->header_timeout_s : 10;
	if (o->timeout_s > 0 && o->timeout_s < g->header_s)
		g->header_s = o->timeout_s;
	g->max_pending = o->max_pending ? o->max_pending :
	    o->max_conns - o->max_conns / 4;
	if (g->max_pending == 0)
		g->max_pending = 1;
	if (pthread_create(&g->thread, NULL, guard_run, g) != 0)
		return -1;
	g->running = 1;
	return 0;
}

static void
guard_stop(struct guard *g)
{
	if (g->running) {
		pthread_mutex_lock(&g->lock);
		g->stop = 1;
		pthread_cond_signal(&g->wake);
		pthread_mutex_unlock(&g->lock);
		pthread_join(g->thread, NULL);
		g->running = 0;
	}
	pthread_cond_destroy(&g->wake);
	pthread_mutex_destroy(&g->lock);
}

/* ---- building the request */

static enum MHD_Result
collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct query_list *q = cls;

	(void)kind;
	if (q->n == API_MAX_QUERY)
		return MHD_NO; /* the rest is ignored, not an error */
	q->kv[q->n].key = key;
	q->kv[q->n].value = value ? value : "";
	q->n++;
	return MHD_YES;
}

static const char *
header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static void
client_addr(struct MHD_Connection *c, char *buf, size_t size)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;
	const void *a = NULL;

	buf[0] = '\0';
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		a = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
	else if (sa->sa_family == AF_INET6)
		a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
	if (a == NULL || inet_ntop(sa->sa_family, a, buf, (socklen_t)size) ==
	    NULL)
		buf[0] = '\0';
}

/* Fill hr->req from the connection: everything but the body. */
static void
build_request(struct http_req *hr, const char *url, const char *method)
{
	struct MHD_Connection *c = hr->c;
	struct api_request *req = &hr->req;

	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_query,
	    &hr->q);
	client_addr(c, hr->addr, sizeof(hr->addr));
	req->method = method;
	req->path = url;
	req->query = hr->q.kv;
	req->nquery = hr->q.n;
	req->authorization = header(c, MHD_HTTP_HEADER_AUTHORIZATION);
	req->if_none_match = header(c, MHD_HTTP_HEADER_IF_NONE_MATCH);
	req->if_modified_since = header(c, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	req->accept_encoding = header(c, MHD_HTTP_HEADER_ACCEPT_ENCODING);
	req->content_type = header(c, MHD_HTTP_HEADER_CONTENT_TYPE);
	req->accept = header(c, MHD_HTTP_HEADER_ACCEPT);
	req->cookie = header(c, MHD_HTTP_HEADER_COOKIE);
	req->origin = header(c, "Origin");
	req->csrf_token = header(c, "X-CSRF-Token");
	req->client_addr = hr->addr[0] ? hr->addr : NULL;
	req->auth = &hr->auth;
}

/* Send reply now and mark the request answered. */
static enum MHD_Result
send_now(struct http_req *hr, struct api_reply *reply)
{
	enum MHD_Result rc = send_reply(hr->c, reply);

	hr->state = RQ_ANSWERED;
	return rc;
}

/* A refusal by the transport (limits), with Retry-After when it is a
 * matter of load. */
static enum MHD_Result
refuse(struct http_req *hr, int status)
{
	struct api_reply reply;
	enum MHD_Result rc;

	api_reply_init(&reply);
	api_error(&reply, status, NULL, NULL);
	if (status == 503)
		api_reply_header(&reply, "Retry-After", "10");
	metrics_observe(hr->srv->api->metrics, "http", NULL, status, 0.0,
	    0.0);
	rc = send_now(hr, &reply);
	api_reply_free(&reply);
	return rc;
}

static void
dispatch(struct http_req *hr, struct api_reply *reply)
{
	hr->req.body = http_spool_data(&hr->body, &hr->req.body_len);
	api_dispatch(hr->srv->api, &hr->req, reply);
	log_debug("http: %s %s %s → %d", hr->req.client_addr ?
	    hr->req.client_addr : "?", hr->req.method, hr->req.path,
	    reply->status);
}

static enum MHD_Result
answer(struct http_req *hr)
{
	struct api_reply reply;
	enum MHD_Result rc;

	api_reply_init(&reply);
	dispatch(hr, &reply);
	rc = send_now(hr, &reply);
	api_reply_free(&reply);
	return rc;
}

/* ---- API_ASYNC requests: their own thread, the connection suspended */

static void *
async_main(void *arg)
{
	struct http_req *hr = arg;
	struct http_server *srv = hr->srv;

	dispatch(hr, &hr->reply);
	hr->state = RQ_DONE;
	/* MHD calls the access handler again, which sends hr->reply. */
	MHD_resume_connection(hr->c);
	atomic_fetch_sub(&srv->jobs, 1);
	return NULL;
}

static enum MHD_Result
answer_async(struct http_req *hr)
{
	pthread_attr_t attr;
	pthread_t t;
	int	rc;

	api_reply_init(&hr->reply);
	hr->state = RQ_RUNNING;
	atomic_fetch_add(&hr->srv->jobs, 1);
	MHD_suspend_connection(hr->c);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&t, &attr, async_main, hr);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		/* No thread: answer here, as for any other route. */
		MHD_resume_connection(hr->c);
		atomic_fetch_sub(&hr->srv->jobs, 1);
		return answer(hr);
	}
	return MHD_YES;
}

/* ---- the access handler: first call, body chunks, final call */

/* The first call: headers are complete, no byte of the body is read yet
 * (and MHD has not sent 100 Continue). Refuse here what can be refused:
 * a long URL, an unknown token, a wrong Content-Type, a declared length
 * over the limit or over what the body budget has left. */
static enum MHD_Result
begin(struct http_server *srv, struct MHD_Connection *c, const char *url,
    const char *method, void **con_cls)
{
	struct http_req *hr = calloc(1, sizeof(*hr));
	struct api_admission adm = { 0, 0 };
	struct api_reply reply;
	const char *cl;
	enum MHD_Result rc;
	unsigned long long want;

	if (hr == NULL)
		return MHD_NO;
	*con_cls = hr;
	hr->srv = srv;
	hr->c = c;
	hr->state = RQ_READING;
	api_reply_init(&hr->reply);
	http_spool_init(&hr->body, srv->spool_dir[0] ? srv->spool_dir : NULL,
	    &srv->body_bytes, srv->body_budget);
	atomic_fetch_add(&srv->inflight, 1);
	guard_mark(&srv->guard, c, 1);
	if (strlen(url) > srv->max_url)
		return refuse(hr, 414);
	build_request(hr, url, method);
	api_reply_init(&reply);
	if (api_admit(srv->api, &hr->req, &adm, &reply) == -1) {
		rc = send_now(hr, &reply);
		api_reply_free(&reply);
		return rc;
	}
	api_reply_free(&reply);
	hr->limit = adm.max_body && adm.max_body < srv->max_body ?
	    adm.max_body : srv->max_body;
	hr->async = (adm.flags & API_ASYNC) != 0;
	cl = header(c, MHD_HTTP_HEADER_CONTENT_LENGTH);
	want = cl != NULL ? strtoull(cl, NULL, 10) : 0;
	if (want > hr->limit)
		return refuse(hr, 413);
	if (want > srv->body_budget - atomic_load(&srv->body_bytes))
		return refuse(hr, 503);
	return MHD_YES;
}

/* A chunk of the body. MHD cannot queue a response while a body is still
 * arriving (only in the first and the final call), so past the cap (a
 * chunked upload has no declared length) or the budget the spool is
 * dropped, the rest of the body is thrown away as it comes, and the final
 * call answers with the status kept here. A client that keeps on sending
 * far past the cap is cut off. */
static enum MHD_Result
take_body(struct http_req *hr, const char *data, size_t *size)
{
	size_t	n = *size;
	int	r;

	*size = 0;
	if (hr->refused) {
		hr->discarded += n;
		return hr->discarded > HTTP_DISCARD_MAX ? MHD_NO : MHD_YES;
	}
	if (hr->state != RQ_READING)
		return MHD_YES;	/* answered already: drop what still comes */
	if (hr->body.len + n > hr->limit)
		hr->refused = 413;
	else if ((r = http_spool_add(&hr->body, data, n)) != HTTP_SPOOL_OK)
		hr->refused = r == HTTP_SPOOL_FULL ? 503 : 500;
	if (hr->refused) {
		http_spool_free(&hr->body);
		hr->discarded = n;
	}
	return MHD_YES;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct http_req *hr = *con_cls;

	(void)version;
	if (hr == NULL)
		return begin(srv, c, url, method, con_cls);
	if (*upload_data_size > 0)
		return take_body(hr, upload_data, upload_data_size);
	switch (hr->state) {
	case RQ_READING:
		if (hr->refused)
			return refuse(hr, hr->refused);
		return hr->async ? answer_async(hr) : answer(hr);
	case RQ_DONE:
		return send_now(hr, &hr->reply);
	default:
		return MHD_YES;	/* answered, or still running */
	}
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct http_req *hr = *con_cls;

	if (hr == NULL)
		return;
	http_spool_free(&hr->body);
	api_reply_free(&hr->reply);
	free(hr);
	*con_cls = NULL;
	atomic_fetch_sub(&srv->inflight, 1);
	/* Kept alive for the next request: that one's headers have a
	 * deadline too. */
	if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
		guard_mark(&srv->guard, c, 0);
}

/* Percent-decoding in place, except %00: a NUL would silently cut the path
 * short, so it stays "%00" and api rejects it (no '%' in static paths). */
static size_t
unescape(void *cls, struct MHD_Connection *c, char *s)
{
	char   *w = s, hex[3] = { 0 };
	long	v;

	(void)cls;
	(void)c;
	for (char *r = s; *r; r++) {
		hex[0] = r[1];
		hex[1] = hex[0] ? r[2] : '\0';
		if (*r == '%' && strspn(hex, "0123456789abcdefABCDEF") == 2 &&
		    (v = strtol(hex, NULL, 16)) != 0) {
			*w++ = (char)v;
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char	line[512];
	size_t	n;

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	/* Clients that hang up (or that the slow-client guard cuts) are
	 * routine, not a warning: a flood of them must not flood the log. */
	if (strstr(line, "closed by remote side") != NULL ||
	    strstr(line, "incomplete request") != NULL)
		log_debug("microhttpd: %s", line);
	else
		log_warn("microhttpd: %s", line);
}

/* ---- start and stop */

union addr {
	struct sockaddr sa;
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;
};

static int
parse_listen(const char *listen, unsigned port, union addr *a, int *ipv6)
{
	memset(a, 0, sizeof(*a));
	*ipv6 = 0;
	if (inet_pton(AF_INET, listen, &a->in4.sin_addr) == 1) {
		a->in4.sin_family = AF_INET;
		a->in4.sin_port = htons((uint16_t)port);
		return 0;
	}
	if (inet_pton(AF_INET6, listen, &a->in6.sin6_addr) == 1) {
		a->in6.sin6_family = AF_INET6;
		a->in6.sin6_port = htons((uint16_t)port);
		*ipv6 = 1;
		return 0;
	}
	return -1;
}

#define OPT(o, v, p) ((struct MHD_OptionItem){ (o), (intptr_t)(v), (p) })

/* MHD's options as one array, so TLS items can be added conditionally. */
static size_t
fill_options(const struct http_opts *o, struct http_server *srv,
    union addr *a, struct MHD_OptionItem *ops)
{
	size_t	n = 0;

	/* The logger must come first or MHD logs the options to stderr. */
	ops[n++] = OPT(MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL);
	ops[n++] = OPT(MHD_OPTION_SOCK_ADDR, 0, &a->sa);
	ops[n++] = OPT(MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s, NULL);
	ops[n++] = OPT(MHD_OPTION_CONNECTION_LIMIT, o->max_conns, NULL);
	ops[n++] = OPT(MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->max_conns_per_ip,
	    NULL);
	ops[n++] = OPT(MHD_OPTION_CONNECTION_MEMORY_LIMIT, o->conn_memory, NULL);
	ops[n++] = OPT(MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv);
	ops[n++] = OPT(MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv);
	ops[n++] = OPT(MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL);
	if (o->threads > 1)
		ops[n++] = OPT(MHD_OPTION_THREAD_POOL_SIZE, o->threads, NULL);
	if (o->tls_cert != NULL && o->tls_key != NULL) {
		ops[n++] = OPT(MHD_OPTION_HTTPS_MEM_CERT, 0,
		    (void *)(uintptr_t)o->tls_cert);
		ops[n++] = OPT(MHD_OPTION_HTTPS_MEM_KEY, 0,
		    (void *)(uintptr_t)o->tls_key);
	}
	ops[n++] = OPT(MHD_OPTION_END, 0, NULL);
	return n;
}

struct http_server *
http_start(const struct http_opts *opts, struct api_ctx *api, struct err *err)
{
	struct MHD_OptionItem ops[16];
	struct http_server *srv = NULL;
	const union MHD_DaemonInfo *info;
	unsigned flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_ITC | MHD_USE_ERROR_LOG | /* ITC: needed by quiesce */
	    MHD_ALLOW_SUSPEND_RESUME;	/* API_ASYNC requests */
	union addr a;
	int	ipv6, tls = opts->tls_cert != NULL && opts->tls_key != NULL;

	if (parse_listen(opts->listen, opts->port, &a, &ipv6) != 0) {
		err_set(err, "ongeldig luisteradres '%s'", opts->listen);
		goto fail;
	}
	if (tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		err_set(err, "TLS gevraagd, maar libmicrohttpd is zonder TLS "
		    "gebouwd");
		goto fail;
	}
	if ((srv = calloc(1, sizeof(*srv))) == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto fail;
	}
	srv->api = api;
	srv->max_url = opts->max_url;
	srv->max_body = opts->max_body;
	srv->drain_s = opts->drain_s;
	srv->body_budget = opts->body_budget ? opts->body_budget :
	    opts->max_body;
	atomic_init(&srv->body_bytes, 0);
	atomic_init(&srv->jobs, 0);
	if (opts->spool_dir != NULL)
		snprintf(srv->spool_dir, sizeof(srv->spool_dir), "%s",
		    opts->spool_dir);
	atomic_init(&srv->inflight, 0);
	if (guard_start(&srv->guard, opts) != 0) {
		err_set(err, "kan de bewaking van trage verbindingen niet "
		    "starten");
		goto fail;
	}
	/* Dual stack: "::" also takes IPv4 clients (IPV6_V6ONLY off), as a
	 * listen address of "::" promises on most systems. */
	flags |= (ipv6 ? MHD_USE_DUAL_STACK : 0) | (tls ? MHD_USE_TLS : 0);
	fill_options(opts, srv, &a, ops);
	srv->d = MHD_start_daemon(flags, (uint16_t)opts->port, NULL, NULL,
	    on_request, srv, MHD_OPTION_ARRAY, ops, MHD_OPTION_END);
	if (srv->d == NULL) {
		err_set(err, "kan niet luisteren op %s poort %u%s", opts->listen,
		    opts->port, tls ? " (controleer ook certificaat en sleutel)"
				    : "");
		goto fail;
	}
	info = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : opts->port;
	return srv;
fail:
	if (srv != NULL)
		guard_stop(&srv->guard);
	free(srv);
	return NULL;
}

unsigned
http_port(const struct http_server *srv)
{
	return srv->port;
}

void
http_stop(struct http_server *srv)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	MHD_socket fd;

	if (srv == NULL)
		return;
	/* Quiesce closes nothing but stops accepting; we own the listen
	 * socket it hands back. */
	fd = MHD_quiesce_daemon(srv->d);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	/* An API_ASYNC request resumes its connection when it is done: the
	 * daemon must still exist then, so wait for every one (an ingest
	 * always ends). MHD_stop_daemon drops connections whatever their
	 * state, so wait for requests in flight to be answered too. */
	while (atomic_load(&srv->jobs) > 0)
		nanosleep(&tick, NULL);
	for (unsigned ms = 0; atomic_load(&srv->inflight) > 0 &&
	     ms < srv->drain_s * 1000u; ms += 10)
		nanosleep(&tick, NULL);
	MHD_stop_daemon(srv->d);
	guard_stop(&srv->guard); /* after MHD: its CLOSED calls use it */
	free(srv);
}
