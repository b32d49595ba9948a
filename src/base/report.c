/* src/base/report.c — collecting row-level feed problems with their place. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/report.h"

void
report_init(struct report *rep, const char *file)
{
	memset(rep, 0, sizeof(*rep));
	snprintf(rep->file, sizeof(rep->file), "%s", file ? file : "");
}

void
report_free(struct report *rep)
{
	if (rep == NULL)
		return;
	free(rep->items);
	rep->items = NULL;
	rep->n = rep->cap = rep->dropped = 0;
}

/* Length of the valid UTF-8 sequence at s, or 0 if invalid. */
static size_t
utf8_len(const unsigned char *s)
{
	size_t	n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

char *
report_escape(const char *value, char *buf, size_t size)
{
	const unsigned char *s = (const unsigned char *)value;
	size_t	o = 0, n;

	while (*s != '\0' && o + 5 < size) {
		n = utf8_len(s);
		if (n == 1 && (*s < 0x20 || *s == 0x7f))
			n = 0;
		if (n == 0) {
			snprintf(buf + o, size - o, "\\x%02X", *s);
			o += 4;
			s++;
			continue;
		}
		if (o + n >= size)
			break;
		memcpy(buf + o, s, n);
		o += n;
		s += n;
	}
	buf[o] = '\0';
	return buf;
}

int
report_add(struct report *rep, long line, int column, const char *kolom,
    const char *value, const char *fmt, ...)
{
	struct report_item *it;
	va_list ap;

	if (rep->n >= REPORT_MAX_ITEMS) {
		rep->dropped++;
		return 0;
	}
	if (rep->n == rep->cap) {
		size_t	ncap = rep->cap ? rep->cap * 2 : 16;
		void   *p = realloc(rep->items, ncap * sizeof(*rep->items));

		if (p == NULL)
			return -1;
		rep->items = p;
		rep->cap = ncap;
	}
	it = &rep->items[rep->n++];
	memset(it, 0, sizeof(*it));
	it->line = line;
	it->column = column;
	snprintf(it->kolom, sizeof(it->kolom), "%s", kolom ? kolom : "");
	report_escape(value ? value : "", it->waarde, sizeof(it->waarde));
	va_start(ap, fmt);
	vsnprintf(it->reden, sizeof(it->reden), fmt, ap);
	va_end(ap);
	return 0;
}

size_t
report_count(const struct report *rep)
{
	return rep->n + rep->dropped;
}

void
report_format(const struct report *rep, const struct report_item *it,
    char *buf, size_t size)
{
	int	o;

	o = snprintf(buf, size, "%s:%ld:%d: %s", rep->file, it->line,
	    it->column, it->reden);
	if (o < 0 || (size_t)o >= size)
		return;
	if (it->kolom[0] != '\0')
		snprintf(buf + o, size - (size_t)o, " (kolom '%s', waarde '%s')",
		    it->kolom, it->waarde);
	else if (it->waarde[0] != '\0')
		snprintf(buf + o, size - (size_t)o, " (waarde '%s')",
		    it->waarde);
}
