/* src/base/buf.c — the growable byte buffer (see buf.h). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

int
buf_add(struct buf *b, const void *data, size_t n)
{
	size_t	ncap;
	char   *p;

	if (b->failed)
		return -1;
	if (n > SIZE_MAX / 2 - b->len - 1)
		goto fail;
	if (b->len + n + 1 > b->cap) {
		ncap = b->cap ? b->cap : b->first ? b->first : 256;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		if ((p = realloc(b->data, ncap)) == NULL)
			goto fail;
		b->data = p;
		b->cap = ncap;
	}
	if (n > 0)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
fail:
	b->failed = 1;
	return -1;
}

int
buf_str(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

void
buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}
