/* src/base/err.c — bounded error messages shared by every module. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"

static int
err_vset(struct err *err, enum err_kind kind, const char *fmt, va_list ap)
{
	if (err == NULL)
		return -1;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	err->kind = kind;
	return -1;
}

int
err_set(struct err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, ERR_INTERNAL, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_setk(struct err *err, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, kind, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_as(struct err *err, enum err_kind kind)
{
	if (err != NULL)
		err->kind = kind;
	return -1;
}

int
err_prefix(struct err *err, const char *fmt, ...)
{
	char	prefix[256], old[sizeof(err->msg)];
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* Truncation of a long message is acceptable: the prefix matters most. */
	if (snprintf(err->msg, sizeof(err->msg), "%s%s", prefix, old) < 0)
		err->msg[0] = '\0';
	return -1;
}
