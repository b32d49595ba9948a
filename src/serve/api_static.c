/* src/serve/api_static.c — the dashboard's static files from www_dir:
 * safe paths only, a media type per extension, SPA routes to index.html,
 * Last-Modified and a size-and-mtime ETag. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "serve/api.h"

#define STATIC_MAX_SIZE (32u << 20) /* the dashboard's files are small */

static const struct {
	const char *ext;
	const char *type;
} mime_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".json", "application/json; charset=utf-8" },
	{ ".map", "application/json; charset=utf-8" },
	{ ".webmanifest", "application/manifest+json" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".webp", "image/webp" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".csv", "text/csv; charset=utf-8" },
};

/* Client-side routes of the dashboard: the browser asks for them on a
 * reload or a shared link, and index.html renders them. */
static const char *const spa_prefixes[] = { "/gemeente/", "/indicator/" };

static const char *
mime_type(const char *path)
{
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot != NULL && i < NELEM(mime_types); i++)
		if (strcasecmp(dot, mime_types[i].ext) == 0)
			return mime_types[i].type;
	return "application/octet-stream";
}

/* Lexical checks; the path is already percent-decoded once, so a '%' left
 * means double encoding or an undecodable %00, and no segment may start
 * with '.' ("..", ".git"). Absolute paths show up as "//". */
static int
static_path_ok(const char *path)
{
	if (path[0] != '/' || strlen(path) > 1024 || strstr(path, "//") ||
	    strstr(path, "/."))
		return 0;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '\\' || *p == '%')
			return 0;
	return 1;
}

static const char *
static_target(const char *path)
{
	/* the dashboard's own pages without a prefix of their own */
	if (strcmp(path, "/") == 0 || strcmp(path, "/aanleveren") == 0)
		return "/index.html";
	for (size_t i = 0; i < NELEM(spa_prefixes); i++)
		if (strncmp(path, spa_prefixes[i], strlen(spa_prefixes[i])) == 0)
			return "/index.html";
	return path;
}

/* Read a regular file of at most STATIC_MAX_SIZE bytes. */
static char *
read_regular(const char *file, struct stat *st)
{
	char   *data = NULL;
	size_t	got = 0;
	ssize_t n;
	int	fd = open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, st) != 0 || !S_ISREG(st->st_mode) ||
	    st->st_size > STATIC_MAX_SIZE ||
	    (data = malloc((size_t)st->st_size + 1)) == NULL)
		goto fail;
	while (got < (size_t)st->st_size &&
	    (n = read(fd, data + got, (size_t)st->st_size - got)) > 0)
		got += (size_t)n;
	if (got != (size_t)st->st_size)
		goto fail;
	data[got] = '\0';
	close(fd);
	return data;
fail:
	free(data);
	if (fd >= 0)
		close(fd);
	return NULL;
}

int
api_static(struct api_ctx *ctx, const char *path, struct api_reply *reply)
{
	char	file[4096 + 1100];
	const char *target;
	struct stat st;
	char   *data;

	if (!static_path_ok(path))
		return api_error(reply, 400, "ongeldig pad", NULL);
	target = static_target(path);
	if (snprintf(file, sizeof(file), "%s%s", ctx->www_dir, target) >=
	    (int)sizeof(file))
		return api_error(reply, 404, NULL, NULL);
	if ((data = read_regular(file, &st)) == NULL)
		return api_error(reply, 404, NULL, NULL);
	api_reply_take(reply, 200, mime_type(target), data, (size_t)st.st_size);
	snprintf(reply->etag, sizeof(reply->etag), "\"%llx-%llx\"",
	    (unsigned long long)st.st_size,
	    (unsigned long long)st.st_mtim.tv_sec * 1000000000ull +
		(unsigned long long)st.st_mtim.tv_nsec);
	reply->last_modified = (long long)st.st_mtim.tv_sec;
	/* HTML names do not change with a release: revalidate every time
	 * (cheap with the ETag). Assets may be cached for an hour. */
	snprintf(reply->cache_control, sizeof(reply->cache_control), "%s",
	    strstr(reply->content_type, "text/html") ? "no-cache"
						     : "public, max-age=3600");
	return 0;
}

