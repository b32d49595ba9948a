/* bench/http_raw.c — the "raw library" side of bench/http.sh: a bare
 * libmicrohttpd responder of a fixed small JSON body, started with the
 * same flags and thread pool as src/http.c, so the ratio against basisd
 * measures what api/http add. Usage: http_raw PORT [THREADS]. Runs until
 * killed. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

static const char body[] = "{\"status\":\"ok\"}";
static int first_call_marker;

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;

	(void)cls;
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
	resp = MHD_create_response_from_buffer(sizeof(body) - 1,
	    (void *)(uintptr_t)body, MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type",
	    "application/json; charset=utf-8");
	rc = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return rc;
}

int
main(int argc, char **argv)
{
	struct MHD_Daemon *d;
	unsigned port = argc > 1 ? (unsigned)atoi(argv[1]) : 8081;
	unsigned threads = argc > 2 ? (unsigned)atoi(argv[2]) : 4;

	d = MHD_start_daemon(MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_ITC | MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL,
	    on_request, NULL, MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_LIMIT,
	    512u, MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "http_raw: kan poort %u niet openen\n", port);
		return 1;
	}
	pause();
	MHD_stop_daemon(d);
	return 0;
}
