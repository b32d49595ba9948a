/* src/base/num.c — strict numbers for conf, query parameters and feeds.
 * Digits are read by hand rather than with strtoll/atoi: those skip
 * leading blanks, stop silently at trailing text (atoll("1 OR 1=1") is 1)
 * and atoi wraps on overflow. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"

#define NUMBER_MAX 320	/* longer digit strings are not plausible */

/* Number of leading ASCII digits. */
static size_t
digits(const char *s)
{
	size_t	n = 0;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

/* Sign and digits at *s into a magnitude; *s moves past them. Returns 0,
 * 1 when the magnitude passed limit (the rest is still consumed), or -1
 * when there are no digits. */
static int
magnitude(const char **s, int *neg, unsigned long long limit,
    unsigned long long *ret)
{
	const char *p = *s;
	unsigned long long m = 0;
	int	over = 0;
	size_t	n;

	*neg = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	if ((n = digits(p)) == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(p[i] - '0');

		if (m > (limit - d) / 10)
			over = 1;
		else
			m = m * 10 + d;
	}
	*s = p + n;
	*ret = m;
	return over;
}

/* ×1024 per step of the suffix; 1 when the result passes limit. */
static int
scale(unsigned long long *m, const char *suffix, unsigned long long limit)
{
	static const char units[] = "kMG";
	const char *u = strchr(units, *suffix);

	for (long i = 0; i <= u - units; i++) {
		if (*m > limit / 1024)
			return 1;
		*m *= 1024;
	}
	return 0;
}

static int
parse_int(const char *s, int suffix, long long min, long long max,
    long long *ret, struct err *err)
{
	const unsigned long long limit = (unsigned long long)LLONG_MAX + 1;
	const char *p = s;
	unsigned long long m;
	int	neg, over = magnitude(&p, &neg, limit, &m);
	long long v;

	if (over != -1 && suffix && *p != '\0' && strchr("kMG", *p) &&
	    p[1] == '\0') {
		over |= scale(&m, p, limit);
		p++;
	}
	if (over == -1 || *p != '\0')
		return err_setk(err, ERR_INPUT, "'%s' is geen geheel getal", s);
	/* limit itself (2^63) fits only negated, as LLONG_MIN. */
	over |= !neg && m == limit;
	v = !neg ? (long long)m : m == limit ? LLONG_MIN : -(long long)m;
	if (over || v < min || v > max)
		return err_setk(err, ERR_INPUT, "%s ligt buiten het bereik "
		    "%lld–%lld", s, min, max);
	*ret = v;
	return 0;
}

int
num_int(const char *s, long long min, long long max, long long *ret,
    struct err *err)
{
	return parse_int(s, 0, min, max, ret, err);
}

int
num_bytes(const char *s, long long min, long long max, long long *ret,
    struct err *err)
{
	return parse_int(s, 1, min, max, ret, err);
}

/* Digits, sign and '.' only reach strtod, and the process never calls
 * setlocale, so the C locale's '.' applies. */
static int
plain_double(const char *buf, double *ret)
{
	char   *end;
	double	v;

	errno = 0;
	v = strtod(buf, &end);
	if (end == buf || *end != '\0' || errno == ERANGE || !isfinite(v))
		return -1;
	*ret = v;
	return 0;
}

int
num_double(const char *s, double min, double max, double *ret,
    struct err *err)
{
	const char *p = s + (*s == '-' || *s == '+');
	size_t	n = digits(p);
	double	v;

	if (n > 0 && p[n] == '.')
		n += 1 + digits(p + n + 1);
	if (n == 0 || p[n] != '\0' || n > NUMBER_MAX || plain_double(s, &v))
		return err_setk(err, ERR_INPUT, "'%s' is geen getal (gebruik "
		    "een punt als decimaalteken)", s);
	if (!(v >= min && v <= max))
		return err_setk(err, ERR_INPUT, "%s ligt buiten het bereik "
		    "%g–%g", s, min, max);
	*ret = v;
	return 0;
}

/* Match "1.234.567" (first group 1–3 digits without a leading zero, then
 * groups of ".ddd") at s; copy the digits to out. Returns the length of the
 * match, 0 when s does not start with such a pattern. */
static size_t
thousands(const char *s, char *out, size_t *o)
{
	size_t	n = digits(s), i, groups = 0;

	if (n == 0 || n > 3 || s[0] == '0')
		return 0;
	for (i = n; s[i] == '.' && digits(s + i + 1) == 3; i += 4)
		groups++;
	if (groups == 0)
		return 0;
	for (size_t k = 0; k < i; k++)
		if (s[k] != '.')
			out[(*o)++] = s[k];
	return i;
}

/* The integer part of a number at s, with or without thousands dots,
 * appended to out as plain digits. Returns the length used, 0 if none. */
static size_t
integer_part(const char *s, char *out, size_t *o)
{
	size_t	o0 = *o, n = thousands(s, out, o);

	if (n > 0 && s[n] != '.')
		return n;
	/* "1.234.5" is no thousands pattern; "12.5" is retried as plain
	 * digits with a decimal point. */
	*o = o0;
	n = digits(s);
	memcpy(out + *o, s, n);
	*o += n;
	return n;
}

int
num_dutch(const char *s, double *ret)
{
	char	buf[NUMBER_MAX + 8];
	size_t	o = 0, n;

	while (*s == ' ' || *s == '\t')
		s++;
	if (strlen(s) > NUMBER_MAX)
		return -1;
	if (*s == '-' || *s == '+')
		buf[o++] = *s++;
	if ((n = integer_part(s, buf, &o)) == 0)
		return -1;
	s += n;
	if ((*s == ',' || (*s == '.' && strchr(s + 1, ',') == NULL)) &&
	    (n = digits(s + 1)) > 0) {
		buf[o++] = '.';
		memcpy(buf + o, s + 1, n);
		o += n;
		s += n + 1;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '\0')
		return -1;
	buf[o] = '\0';
	return plain_double(buf, ret);
}
