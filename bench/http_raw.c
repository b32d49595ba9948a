/* bench/http_raw.c — the "raw library" side of bench/http.sh: a bare
 * libmicrohttpd responder of a fixed body, started with the same flags
 * and thread pool as src/serve/http.c, so the ratio against basisd measures what
 * api/http add. Usage: http_raw PORT [THREADS [SIZE]]: SIZE bytes of body
 * (default a 15-byte JSON object), so a cached chart is compared with a
 * response of the same length. PORT 0 takes a free port and prints
 * "poort N" on stdout. Runs until killed. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

static const char small[] = "{\"status\":\"ok\"}";
static int first_call_marker;

struct body {
	const char *data;
	size_t	len;
};

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	const struct body *b = cls;
	struct MHD_Response *resp;
	enum MHD_Result rc;

	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	/* Answer on the second call, as basisd does: MHD closes a connection
	 * whose response was queued before the request was complete, which
	 * would turn off keep-alive and measure connection setup instead. */
	if (*con_cls == NULL) {
		*con_cls = &first_call_marker;
		return MHD_YES;
	}
	resp = MHD_create_response_from_buffer(b->len,
	    (void *)(uintptr_t)b->data, MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type",
	    "application/json; charset=utf-8");
	rc = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* size bytes of JSON-ish filler: the content does not matter to MHD. */
static char *
filler(size_t size)
{
	char   *p = malloc(size + 1);

	if (p == NULL)
		return NULL;
	memset(p, 'x', size);
	if (size >= 2) {
		p[0] = '"';
		p[size - 1] = '"';
	}
	p[size] = '\0';
	return p;
}

int
main(int argc, char **argv)
{
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	unsigned port = argc > 1 ? (unsigned)atoi(argv[1]) : 8081;
	unsigned threads = argc > 2 ? (unsigned)atoi(argv[2]) : 4;
	long	size = argc > 3 ? atol(argv[3]) : 0;
	char   *buf = size > 0 ? filler((size_t)size) : NULL;
	struct body b = { small, sizeof(small) - 1 };

	if (buf != NULL) {
		b.data = buf;
		b.len = (size_t)size;
	}
	d = MHD_start_daemon(MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_ITC | MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL,
	    on_request, &b, MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_LIMIT,
	    512u, MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "http_raw: kan poort %u niet openen\n", port);
		free(buf);
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("poort %u\n", info ? (unsigned)info->port : port);
	fflush(stdout);
	pause();
	MHD_stop_daemon(d);
	free(buf);
	return 0;
}
