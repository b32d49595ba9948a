/* src/serve/http_spool.c — request bodies in memory, then in an unlinked
 * temp file (issue 16: 60 uploads of 31 MB held open took 2,3 GB of heap).
 * See http_spool.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "serve/http_spool.h"

void
http_spool_init(struct http_spool *s, const char *dir, atomic_size_t *used,
    size_t budget)
{
	memset(s, 0, sizeof(*s));
	s->mem.first = 16384;
	s->fd = -1;
	s->dir = dir;
	s->used = used;
	s->budget = budget;
}

/* Count n more bytes against the budget; 0, or -1 when it would pass. */
static int
reserve(struct http_spool *s, size_t n)
{
	size_t	before = atomic_fetch_add(s->used, n);

	if (before + n > s->budget) {
		atomic_fetch_sub(s->used, n);
		return -1;
	}
	s->counted += n;
	return 0;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t	w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Move what is in memory to a new temp file: O_TMPFILE has no name to
 * leave behind after a crash; mkstemp + unlink where it is missing. */
static int
to_file(struct http_spool *s)
{
	char	path[4200];

	s->fd = open(s->dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (s->fd < 0) {
		if (snprintf(path, sizeof(path), "%s/.body-XXXXXX", s->dir) >=
		    (int)sizeof(path) || (s->fd = mkostemp(path, O_CLOEXEC)) < 0)
			return -1;
		unlink(path);
	}
	if (write_all(s->fd, s->mem.data, s->mem.len) == -1)
		return -1;
	buf_free(&s->mem);
	return 0;
}

int
http_spool_add(struct http_spool *s, const void *data, size_t n)
{
	if (n == 0)
		return HTTP_SPOOL_OK;
	if (s->map != NULL)
		return HTTP_SPOOL_FAIL;	/* complete already */
	if (reserve(s, n) == -1)
		return HTTP_SPOOL_FULL;
	if (s->fd < 0 && s->dir != NULL && s->len + n > HTTP_SPOOL_MEM &&
	    to_file(s) == -1)
		return HTTP_SPOOL_FAIL;
	if (s->fd >= 0 ? write_all(s->fd, data, n) : buf_add(&s->mem, data, n))
		return HTTP_SPOOL_FAIL;
	s->len += n;
	return HTTP_SPOOL_OK;
}

const char *
http_spool_data(struct http_spool *s, size_t *ret_len)
{
	void   *m;

	*ret_len = 0;
	if (s->len == 0)
		return NULL;
	if (s->fd < 0) {
		*ret_len = s->len;
		return s->mem.data;
	}
	if (s->map == NULL) {
		/* One more byte: the NUL that readers of a body may rely on. */
		if (write_all(s->fd, "", 1) == -1)
			return NULL;
		m = mmap(NULL, s->len + 1, PROT_READ, MAP_PRIVATE, s->fd, 0);
		if (m == MAP_FAILED)
			return NULL;
		s->map = m;
		s->maplen = s->len + 1;
	}
	*ret_len = s->len;
	return s->map;
}

void
http_spool_free(struct http_spool *s)
{
	if (s->map != NULL)
		munmap(s->map, s->maplen);
	if (s->fd >= 0)
		close(s->fd);
	buf_free(&s->mem);
	if (s->counted > 0)
		atomic_fetch_sub(s->used, s->counted);
	s->map = NULL;
	s->fd = -1;
	s->len = s->counted = 0;
}
