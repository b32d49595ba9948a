/* src/base/fetch.c — HTTPS GET with libcurl (the only module that includes
 * <curl/curl.h>); used at the edge of the input layer by basisctl cbs. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "base/buf.h"
#include "base/fetch.h"

#define DEFAULT_TIMEOUT	 300L
#define DEFAULT_MAX	 ((size_t)512 << 20)

struct body {
	struct buf b;	/* first 64 KiB: CBS answers are large */
	size_t	max;
	int	too_big;
};

/* libcurl write callback: returning less than n aborts the transfer. */
static size_t
on_data(char *p, size_t size, size_t nmemb, void *arg)
{
	struct body *b = arg;
	size_t	n = size * nmemb;

	if (b->b.len + n > b->max) {
		b->too_big = 1;
		return 0;
	}
	return buf_add(&b->b, p, n) == 0 ? n : 0;
}

int
fetch_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void
fetch_cleanup(void)
{
	curl_global_cleanup();
}

/* Options on a fresh handle; a failing setopt means this libcurl lacks a
 * feature we rely on (https only), so it is an error, not ignored. */
static int
setup(CURL *c, const char *url, const struct fetch_opts *o, struct body *b)
{
	int	bad = 0;

	bad |= curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https") != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https") !=
	    CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_TIMEOUT, o && o->timeout_s ?
	    o->timeout_s : DEFAULT_TIMEOUT) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_USERAGENT, "basisctl/"
	    PACKAGE_VERSION) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "") != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_WRITEDATA, b) != CURLE_OK;
	if (o && o->ca_file)
		bad |= curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file) !=
		    CURLE_OK;
	return bad ? -1 : 0;
}

int
fetch_get(const char *url, const struct fetch_opts *opts, char **ret_body,
    size_t *ret_len, struct err *err)
{
	struct body b = { .b = { .first = 65536 }, .max = opts &&
		opts->max_bytes ? opts->max_bytes : DEFAULT_MAX };
	CURL   *c = curl_easy_init();
	CURLcode rc;
	long	status = 0;
	int	ret = -1;

	*ret_body = NULL;
	*ret_len = 0;
	if (strncmp(url, "https://", 8) != 0) {
		err_set(err, "%s: alleen https:// wordt opgehaald", url);
		goto out;
	}
	if (c == NULL || setup(c, url, opts, &b) == -1) {
		err_set(err, "%s: libcurl kan niet starten", url);
		goto out;
	}
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (b.too_big)
		err_set(err, "%s: antwoord groter dan %zu bytes", url, b.max);
	else if (rc != CURLE_OK)
		err_set(err, "%s: ophalen mislukt: %s", url,
		    curl_easy_strerror(rc));
	else if (status != 200)
		err_set(err, "%s: HTTP-status %ld", url, status);
	else if (b.b.data == NULL && buf_add(&b.b, "", 0) == -1)
		err_set(err, "onvoldoende geheugen");
	else {
		*ret_body = b.b.data;
		*ret_len = b.b.len;
		b.b.data = NULL;
		ret = 0;
	}
out:
	buf_free(&b.b);
	if (c != NULL)
		curl_easy_cleanup(c);
	return ret;
}
