/* src/base/err.c — bounded error messages shared by every module. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"

int
err_set(struct err *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->kind = ERR_INTERNAL;
	return -1;
}

int
err_setk(struct err *err, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->kind = kind;
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
