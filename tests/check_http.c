/* tests/check_http.c — the real libmicrohttpd server in this process on a
 * free port of 127.0.0.1, spoken to over plain sockets: requests and
 * limits (413, 414, traversal on the wire), keep-alive, a slow client that
 * must not block others, and a stop that finishes a request in flight. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "serve/api.h"
#include "serve/http.h"
#include "testutil.h"

#define MAX_BODY 1024

static atomic_int slow_started;

static int
h_echo(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *pr, struct api_reply *reply)
{
	char	buf[32];
	int	n = snprintf(buf, sizeof(buf), "%zu", req->body_len);

	(void)ctx;
	(void)pr;
	return api_reply_copy(reply, 200, "text/plain", buf, (size_t)n);
}

/* Busy long enough for the test to call http_stop meanwhile. */
static int
h_slow(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *pr, struct api_reply *reply)
{
	const struct timespec pause = { 0, 300 * 1000 * 1000 };

	(void)ctx;
	(void)req;
	(void)pr;
	atomic_store(&slow_started, 1);
	nanosleep(&pause, NULL);
	return api_reply_copy(reply, 200, "text/plain", "klaar", 5);
}

static const struct api_route routes[] = {
	{ "POST", "/echo", h_echo, "echo", "Lengte van de body", API_BODY,
	    NULL, NULL },
	{ "GET", "/traag", h_slow, "traag", "Langzaam antwoord", 0, NULL,
	    NULL },
};

static char *www;
static struct conf *defaults;	/* the daemon's defaults: the server's */
static struct api_ctx *ctx;
static struct http_server *srv;
static unsigned port;

static void
setup(void)
{
	struct http_opts o;
	struct err err = { "" };
	char	p[4096];

	www = tu_tmpdir();
	snprintf(p, sizeof(p), "%s/index.html", www);
	tu_write_file(p, "<!doctype html>", 15);
	ctx = api_ctx_new(www);
	ck_assert_ptr_nonnull(ctx);
	api_ctx_add_routes(ctx, routes, sizeof(routes) / sizeof(*routes));
	http_opts_from_conf(&o, defaults);
	o.port = 0;
	o.threads = 2;
	o.timeout_s = 1;
	o.max_body = MAX_BODY;
	o.drain_s = 5;
	srv = http_start(&o, ctx, &err);
	ck_assert_msg(srv != NULL, "http_start: %s", err.msg);
	port = http_port(srv);
	ck_assert_uint_ne(port, 0);
}

static void
teardown(void)
{
	http_stop(srv);
	srv = NULL;
	api_ctx_free(ctx);
	tu_rm_rf(www);
	free(www);
}

/* ---- a minimal HTTP/1.1 client */

static int
dial(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct timeval tv = { 10, 0 }; /* a hang fails the test, not CI */
	int	fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
send_all(int fd, const char *s, size_t n)
{
	ssize_t	k;

	/* The server may close early (413): a broken pipe is fine here. */
	while (n > 0 && (k = send(fd, s, n, MSG_NOSIGNAL)) > 0) {
		s += k;
		n -= (size_t)k;
	}
}

struct resp {
	int	status;
	long	clen;
	char   *body;
	size_t	len;
};

static long
content_length(const char *head)
{
	const char *p = strcasestr(head, "\r\nContent-Length:");

	return p ? strtol(p + 17, NULL, 10) : -1;
}

/* Read one response; head_only for HEAD (a length but no bytes). Returns
 * 0, or -1 when the connection closes before a whole head arrived. */
static int
read_resp(int fd, struct resp *r, int head_only)
{
	char	buf[16384], *end = NULL;
	size_t	n = 0, have, hl;
	ssize_t	k;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	while (end == NULL) {
		if (n == sizeof(buf) - 1 ||
		    (k = read(fd, buf + n, sizeof(buf) - 1 - n)) <= 0)
			return -1;
		n += (size_t)k;
		buf[n] = '\0';
		end = strstr(buf, "\r\n\r\n");
	}
	*end = '\0';
	hl = (size_t)(end + 4 - buf);
	sscanf(buf, "HTTP/1.%*d %d", &r->status);
	r->clen = content_length(buf);
	have = n - hl;
	r->body = malloc(r->clen > 0 ? (size_t)r->clen + 1 : have + 65537);
	memcpy(r->body, buf + hl, have);
	r->len = have;
	if (head_only || r->status == 304)
		r->len = 0;
	else if (r->clen >= 0)
		while (r->len < (size_t)r->clen && (k = read(fd, r->body + r->len,
		    (size_t)r->clen - r->len)) > 0)
			r->len += (size_t)k;
	else
		while ((k = read(fd, r->body + r->len, 65536)) > 0)
			r->len += (size_t)k;
	r->body[r->len] = '\0';
	return 0;
}

/* ---- one request per connection */

#define CLOSE "Host: t\r\nConnection: close\r\n"

static const struct {
	const char *req;
	int	head_only;
	int	status;
	const char *body;	/* expected start of the body */
} rows[] = {
	{ "GET /healthz HTTP/1.1\r\n" CLOSE "\r\n", 0, 200,
	    "{\"status\":\"ok\"}" },
	{ "HEAD /healthz HTTP/1.1\r\n" CLOSE "\r\n", 1, 200, "" },
	{ "GET / HTTP/1.1\r\n" CLOSE "\r\n", 0, 200, "<!doctype html>" },
	{ "GET /gemeente/GM0363?x=1 HTTP/1.1\r\n" CLOSE "\r\n", 0, 200,
	    "<!doctype html>" },
	{ "GET /api/v1/openapi.json HTTP/1.1\r\n" CLOSE "\r\n", 0, 200,
	    "{\"openapi\":\"3.0.3\"" },
	{ "GET /bestaat-niet HTTP/1.1\r\n" CLOSE "\r\n", 0, 404,
	    "{\"fout\":\"niet gevonden\"" },
	{ "DELETE /healthz HTTP/1.1\r\n" CLOSE "\r\n", 0, 405, "{\"fout\"" },
	/* traversal as it arrives on the wire */
	{ "GET /../../etc/passwd HTTP/1.1\r\n" CLOSE "\r\n", 0, 400,
	    "{\"fout\":\"ongeldig pad\"" },
	{ "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n" CLOSE "\r\n", 0, 400,
	    "{\"fout\":\"ongeldig pad\"" },
	{ "GET /%2E%2E%2fetc%2fpasswd HTTP/1.1\r\n" CLOSE "\r\n", 0, 400,
	    "{\"fout\":\"ongeldig pad\"" },
	{ "GET /index.html%00.css HTTP/1.1\r\n" CLOSE "\r\n", 0, 400,
	    "{\"fout\":\"ongeldig pad\"" },
	{ "GET //etc/passwd HTTP/1.1\r\n" CLOSE "\r\n", 0, 400,
	    "{\"fout\":\"ongeldig pad\"" },
	/* bodies under, at and over the cap */
	{ "POST /echo HTTP/1.1\r\n" CLOSE "Content-Length: 10\r\n\r\n"
	  "0123456789", 0, 200, "10" },
	{ "POST /echo HTTP/1.1\r\n" CLOSE "Transfer-Encoding: chunked\r\n\r\n"
	  "5\r\nabcde\r\n3\r\nfgh\r\n0\r\n\r\n", 0, 200, "8" },
	{ "POST /echo HTTP/1.1\r\n" CLOSE "Content-Length: 1025\r\n\r\n", 0,
	    413, "{\"fout\":\"verzoek te groot\"" },
	{ "POST /echo HTTP/1.1\r\n" CLOSE "Content-Length: 99999999999\r\n"
	  "Expect: 100-continue\r\n\r\n", 0, 413, "{\"fout\"" },
	{ "POST /echo HTTP/1.1\r\n" CLOSE "Content-Length: 0\r\n\r\n", 0, 400,
	    "{\"fout\":\"het verzoek heeft geen inhoud\"" },
};

START_TEST(test_request)
{
	struct resp r;
	int	fd = dial();

	ck_assert_int_ge(fd, 0);
	send_all(fd, rows[_i].req, strlen(rows[_i].req));
	ck_assert_int_eq(read_resp(fd, &r, rows[_i].head_only), 0);
	ck_assert_int_eq(r.status, rows[_i].status);
	ck_assert_msg(strncmp(r.body, rows[_i].body, strlen(rows[_i].body)) ==
	    0, "body: %s", r.body);
	if (rows[_i].head_only) {
		ck_assert_int_eq(r.clen, 15); /* the GET length, no bytes */
		/* nothing follows the head: the next read sees the close */
		ck_assert_int_eq(read(fd, r.body, 1), 0);
	}
	free(r.body);
	close(fd);
}
END_TEST

/* Bodies built at run time: exactly the cap, a chunked body over it. */
START_TEST(test_body_cap)
{
	char	req[4096], chunk[600];
	struct resp r;
	int	fd, n;

	memset(chunk, 'x', 512);
	fd = dial();
	n = snprintf(req, sizeof(req), "POST /echo HTTP/1.1\r\n" CLOSE
	    "Content-Length: %d\r\n\r\n", MAX_BODY);
	send_all(fd, req, (size_t)n);
	send_all(fd, chunk, 512);
	send_all(fd, chunk, 512);
	ck_assert_int_eq(read_resp(fd, &r, 0), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "1024");
	free(r.body);
	close(fd);

	/* chunked: no declared length, the cap hits while it streams */
	fd = dial();
	n = snprintf(req, sizeof(req), "POST /echo HTTP/1.1\r\n" CLOSE
	    "Transfer-Encoding: chunked\r\n\r\n");
	send_all(fd, req, (size_t)n);
	for (int i = 0; i < 3; i++) {
		send_all(fd, "200\r\n", 5);
		send_all(fd, chunk, 512);
		send_all(fd, "\r\n", 2);
	}
	send_all(fd, "0\r\n\r\n", 5);
	ck_assert_int_eq(read_resp(fd, &r, 0), 0);
	ck_assert_int_eq(r.status, 413);
	free(r.body);
	close(fd);
}
END_TEST

/* A client streaming far past the cap is cut off; others are served. */
START_TEST(test_body_flood)
{
	const char *req = "POST /echo HTTP/1.1\r\n" CLOSE
			  "Transfer-Encoding: chunked\r\n\r\n";
	char	chunk[512 + 16];
	struct resp r;
	int	fd = dial(), fd2;

	memset(chunk, 'x', sizeof(chunk));
	memcpy(chunk, "200\r\n", 5);
	memcpy(chunk + 5 + 512, "\r\n", 2);
	send_all(fd, req, strlen(req));
	for (int i = 0; i < 64; i++)
		send_all(fd, chunk, 5 + 512 + 2);
	/* either a 413 or a closed connection, never a 200 */
	if (read_resp(fd, &r, 0) == 0) {
		ck_assert_int_eq(r.status, 413);
		free(r.body);
	}
	close(fd);
	fd2 = dial();
	req = "GET /healthz HTTP/1.1\r\n" CLOSE "\r\n";
	send_all(fd2, req, strlen(req));
	ck_assert_int_eq(read_resp(fd2, &r, 0), 0);
	ck_assert_int_eq(r.status, 200);
	free(r.body);
	close(fd2);
}
END_TEST

/* URL and header limits answer with an error, not a crash or a hang. */
static const struct {
	size_t	url_len, header_len;
	int	status;
} limits[] = {
	{ 1000, 0, 404 },	/* long but allowed: an unknown static path */
	{ 2000, 0, 400 },	/* passes http, too long for a static path */
	{ 3000, 0, 414 },	/* over conf's max_url 2048 (http.c: 4096) */
	{ 5000, 0, 414 },	/* over max_url */
	{ 10, 100000, 431 },	/* over the connection memory */
};

START_TEST(test_limits)
{
	size_t	size = limits[_i].url_len + limits[_i].header_len + 256;
	char   *req = malloc(size), *p = req;
	struct resp r;
	int	fd = dial();

	p += sprintf(p, "GET /");
	memset(p, 'a', limits[_i].url_len);
	p += limits[_i].url_len;
	p += sprintf(p, " HTTP/1.1\r\n" CLOSE);
	if (limits[_i].header_len > 0) {
		p += sprintf(p, "X-Groot: ");
		memset(p, 'b', limits[_i].header_len);
		p += limits[_i].header_len;
		p += sprintf(p, "\r\n");
	}
	p += sprintf(p, "\r\n");
	send_all(fd, req, (size_t)(p - req));
	ck_assert_int_eq(read_resp(fd, &r, 0), 0);
	ck_assert_int_eq(r.status, limits[_i].status);
	free(r.body);
	free(req);
	close(fd);
}
END_TEST

START_TEST(test_keepalive)
{
	const char *req = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";
	struct resp r;
	int	fd = dial();

	for (int i = 0; i < 3; i++) {
		send_all(fd, req, strlen(req));
		ck_assert_int_eq(read_resp(fd, &r, 0), 0);
		ck_assert_int_eq(r.status, 200);
		ck_assert_str_eq(r.body, "{\"status\":\"ok\"}");
		free(r.body);
	}
	close(fd);
}
END_TEST

/* Half a request holds its connection only until the timeout, and never
 * delays another client. */
START_TEST(test_slow_client)
{
	const char *half = "GET /healthz HTTP/1.1\r\nHost: t\r\n";
	const char *req = "GET /healthz HTTP/1.1\r\n" CLOSE "\r\n";
	struct resp r;
	char	c;
	int	slow = dial(), fd;

	send_all(slow, half, strlen(half));
	fd = dial();
	send_all(fd, req, strlen(req));
	ck_assert_int_eq(read_resp(fd, &r, 0), 0);
	ck_assert_int_eq(r.status, 200);
	free(r.body);
	close(fd);
	/* timeout_s = 1: the server closes the slow one (read sees EOF or a
	 * reset; a 10 s receive timeout would report EAGAIN instead) */
	ck_assert_int_le(read(slow, &c, 1), 0);
	ck_assert_int_ne(errno == EAGAIN || errno == EWOULDBLOCK, 1);
	close(slow);
}
END_TEST

static void *
slow_request(void *arg)
{
	const char *req = "GET /traag HTTP/1.1\r\n" CLOSE "\r\n";
	struct resp *r = arg;
	int	fd = dial();

	send_all(fd, req, strlen(req));
	if (read_resp(fd, r, 0) != 0)
		r->status = -1;
	close(fd);
	return NULL;
}

/* SIGTERM path: http_stop while a handler runs still delivers its answer,
 * and afterwards nothing listens. */
START_TEST(test_stop_drains)
{
	const struct timespec tick = { 0, 1000 * 1000 };
	struct resp r = { .status = 0 };
	pthread_t th;

	atomic_store(&slow_started, 0);
	ck_assert_int_eq(pthread_create(&th, NULL, slow_request, &r), 0);
	while (!atomic_load(&slow_started))
		nanosleep(&tick, NULL);
	http_stop(srv);
	srv = NULL;
	pthread_join(th, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "klaar");
	free(r.body);
	ck_assert_int_eq(dial(), -1);
}
END_TEST

START_TEST(test_metrics_wire)
{
	const char *req[] = { "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n",
		"GET /metrics HTTP/1.1\r\n" CLOSE "\r\n" };
	struct resp r;
	int	fd = dial();

	for (int i = 0; i < 2; i++) {
		send_all(fd, req[i], strlen(req[i]));
		ck_assert_int_eq(read_resp(fd, &r, 0), 0);
		ck_assert_int_eq(r.status, 200);
		if (i == 1)
			ck_assert_ptr_nonnull(strstr(r.body,
			    "basisd_http_requests_total{route=\"healthz\","
			    "method=\"GET\",code=\"200\"} 1\n"));
		free(r.body);
	}
	close(fd);
}
END_TEST

/* ---- start failures are reported, not crashed on */

static const struct {
	const char *listen, *cert, *key;
	const char *msg;	/* expected start of err.msg */
} bad_starts[] = {
	{ "localhost", NULL, NULL, "ongeldig luisteradres 'localhost'" },
	{ "300.1.1.1", NULL, NULL, "ongeldig luisteradres" },
	{ "127.0.0.1", "geen certificaat", "geen sleutel", "" },
};

START_TEST(test_bad_start)
{
	struct api_ctx *c = api_ctx_new(NULL);
	struct err err = { "" };
	struct http_opts o;

	http_opts_from_conf(&o, defaults);
	o.port = 0;
	o.listen = bad_starts[_i].listen;
	o.tls_cert = bad_starts[_i].cert;
	o.tls_key = bad_starts[_i].key;
	ck_assert_ptr_null(http_start(&o, c, &err));
	ck_assert_msg(strncmp(err.msg, bad_starts[_i].msg,
	    strlen(bad_starts[_i].msg)) == 0, "err: %s", err.msg);
	ck_assert_str_ne(err.msg, "");
	api_ctx_free(c);
}
END_TEST

/* TLS with the fixture certificate: plain HTTP on the port gets no HTTP
 * answer, and curl (when installed) gets the JSON over HTTPS. */
START_TEST(test_tls)
{
	char   *cp = tu_srcpath("tests/data/tls/cert.pem");
	char   *kp = tu_srcpath("tests/data/tls/key.pem");
	char   *cert = tu_read_file(cp, NULL), *key = tu_read_file(kp, NULL);
	const char *req = "GET /healthz HTTP/1.1\r\n" CLOSE "\r\n";
	struct api_ctx *c = api_ctx_new(NULL);
	struct err err = { "" };
	struct http_opts o;
	struct resp r;
	char	cmd[256], out[256] = "";
	FILE   *fp;
	int	fd;

	ck_assert_ptr_nonnull(cert);
	ck_assert_ptr_nonnull(key);
	http_opts_from_conf(&o, defaults);
	o.port = 0;
	o.tls_cert = cert;
	o.tls_key = key;
	srv = http_start(&o, c, &err);
	ck_assert_msg(srv != NULL, "http_start: %s", err.msg);
	port = http_port(srv);
	fd = dial();
	send_all(fd, req, strlen(req));
	ck_assert_int_eq(read_resp(fd, &r, 0), -1);
	close(fd);
	if (access("/usr/bin/curl", X_OK) == 0) {
		snprintf(cmd, sizeof(cmd), "/usr/bin/curl -sk --max-time 10 "
		    "https://127.0.0.1:%u/healthz", port);
		ck_assert_ptr_nonnull(fp = popen(cmd, "r"));
		ck_assert_ptr_nonnull(fgets(out, sizeof(out), fp));
		pclose(fp);
		ck_assert_str_eq(out, "{\"status\":\"ok\"}");
	}
	http_stop(srv);
	srv = NULL;
	api_ctx_free(c);
	free(cert);
	free(key);
	free(cp);
	free(kp);
}
END_TEST

#define LOOP(tc, fn, arr) tcase_add_loop_test(tc, fn, 0, sizeof(arr) / sizeof(*arr))

int
main(void)
{
	Suite  *s = suite_create("http");
	TCase  *tc = tcase_create("server");
	TCase  *tb = tcase_create("start");
	SRunner *sr;
	int	nf;

	if ((defaults = conf_defaults()) == NULL)
		return EXIT_FAILURE;
	tcase_add_checked_fixture(tc, setup, teardown);
	LOOP(tc, test_request, rows);
	tcase_add_test(tc, test_body_cap);
	tcase_add_test(tc, test_body_flood);
	LOOP(tc, test_limits, limits);
	tcase_add_test(tc, test_keepalive);
	tcase_add_test(tc, test_slow_client);
	tcase_add_test(tc, test_stop_drains);
	tcase_add_test(tc, test_metrics_wire);
	LOOP(tb, test_bad_start, bad_starts);
	tcase_add_test(tb, test_tls);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tb);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	conf_free(defaults);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
