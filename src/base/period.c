/* src/base/period.c — parsing and calendar arithmetic of periods (domain §2).
 * Pure and thread-safe: no locale, no timegm, no global state. */
#include "config.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/period.h"

static const struct {
	const char *name;
	int	months;
	int	per_year;
	const char *fmt_prefix;	/* canonical separator and letter */
} kinds[PERIOD_NKINDS] = {
	[PERIOD_MAAND] = { "maand", 1, 12, "-" },
	[PERIOD_KWARTAAL] = { "kwartaal", 3, 4, "-Q" },
	[PERIOD_HALFJAAR] = { "halfjaar", 6, 2, "-H" },
	[PERIOD_JAAR] = { "jaar", 12, 1, "" },
};

/* Suffix notations after the four year digits. `digits` is how many digits
 * follow the letters (0 = one or two); index 0 accepted only for JJ00. */
static const struct {
	const char *letters;
	enum period_kind kind;
	int	digits;
} notations[] = {
	{ "-Q", PERIOD_KWARTAAL, 1 }, { "Q", PERIOD_KWARTAAL, 1 },
	{ "-K", PERIOD_KWARTAAL, 1 }, { "K", PERIOD_KWARTAAL, 1 },
	{ "KW", PERIOD_KWARTAAL, 2 },
	{ "-H", PERIOD_HALFJAAR, 1 }, { "H", PERIOD_HALFJAAR, 1 },
	{ "HJ", PERIOD_HALFJAAR, 2 },
	{ "MM", PERIOD_MAAND, 2 }, { "M", PERIOD_MAAND, 2 },
	{ "-", PERIOD_MAAND, 2 },
	{ "JJ", PERIOD_JAAR, 2 },
	{ "", PERIOD_JAAR, 0 },
};

const char *
period_kind_name(enum period_kind kind)
{
	return kinds[kind].name;
}

int
period_kind_parse(const char *s, enum period_kind *ret)
{
	for (int i = 0; i < PERIOD_NKINDS; i++) {
		if (strcasecmp(s, kinds[i].name) == 0) {
			*ret = (enum period_kind)i;
			return 0;
		}
	}
	return -1;
}

int
period_months(enum period_kind kind)
{
	return kinds[kind].months;
}

/* Copy s without surrounding blanks, upper-cased; 0 or -1 if too long. */
static int
normalise(const char *s, char *buf, size_t size)
{
	size_t	n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= size)
		return -1;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)toupper((unsigned char)s[i]);
	buf[n] = '\0';
	return 0;
}

static int
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Match the part after the year against the notation table. */
static int
parse_suffix(const char *rest, struct period *ret)
{
	for (size_t i = 0; i < sizeof(notations) / sizeof(notations[0]); i++) {
		size_t	ln = strlen(notations[i].letters), nd;
		const char *d = rest + ln;

		/* only past a matching prefix does d lie within rest */
		if (strncmp(rest, notations[i].letters, ln) != 0)
			continue;
		nd = strlen(d);
		if (notations[i].digits == 0 ? nd != 0 :
		    (nd != (size_t)notations[i].digits || !all_digits(d, nd)))
			continue;
		ret->kind = notations[i].kind;
		ret->index = nd ? atoi(d) : 1;
		/* CBS writes a whole year as JJ00. */
		if (ret->kind == PERIOD_JAAR)
			ret->index = 1;
		return 0;
	}
	return -1;
}

int
period_parse(const char *s, struct period *ret, struct err *err)
{
	char	buf[32];
	struct period p;

	if (normalise(s, buf, sizeof(buf)) == -1 || strlen(buf) < 4 ||
	    !all_digits(buf, 4))
		return err_set(err, "ongeldige periode '%.40s': verwacht "
		    "bijvoorbeeld 2024-03, 2024-Q1, 2024-H1 of 2024", s);
	p.year = atoi(buf);
	if (p.year < 1900 || p.year > 2199)
		return err_set(err, "ongeldige periode '%s': jaar %d ligt "
		    "buiten 1900–2199", s, p.year);
	if (parse_suffix(buf + 4, &p) == -1)
		return err_set(err, "ongeldige periode '%s': verwacht "
		    "bijvoorbeeld 2024-03, 2024-Q1, 2024-H1 of 2024", s);
	if (p.index < 1 || p.index > kinds[p.kind].per_year)
		return err_set(err, "ongeldige periode '%s': %s %d bestaat "
		    "niet (1 t/m %d)", s, kinds[p.kind].name, p.index,
		    kinds[p.kind].per_year);
	*ret = p;
	return 0;
}

char *
period_format(const struct period *p, char *buf, unsigned size)
{
	if (p->kind == PERIOD_JAAR)
		snprintf(buf, size, "%04d", p->year);
	else if (p->kind == PERIOD_MAAND)
		snprintf(buf, size, "%04d-%02d", p->year, p->index);
	else
		snprintf(buf, size, "%04d%s%d", p->year,
		    kinds[p->kind].fmt_prefix, p->index);
	return buf;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long
days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* First month (1..12) of a period. */
static int
first_month(const struct period *p)
{
	return (p->index - 1) * kinds[p->kind].months + 1;
}

long long
period_start(const struct period *p)
{
	return days_from_civil(p->year, first_month(p), 1) * 86400LL;
}

long long
period_end(const struct period *p)
{
	struct period n = period_next(p);

	return period_start(&n);
}

int
period_ordinal(const struct period *p)
{
	return p->year * kinds[p->kind].per_year + p->index - 1;
}

struct period
period_from_ordinal(enum period_kind kind, int ordinal)
{
	struct period p;
	int	per = kinds[kind].per_year;

	p.kind = kind;
	p.year = ordinal / per;
	p.index = ordinal % per + 1;
	return p;
}

struct period
period_next(const struct period *p)
{
	return period_from_ordinal(p->kind, period_ordinal(p) + 1);
}

struct period
period_prev(const struct period *p)
{
	return period_from_ordinal(p->kind, period_ordinal(p) - 1);
}

struct period
period_year_before(const struct period *p)
{
	struct period q = *p;

	q.year--;
	return q;
}

int
period_cmp(const struct period *a, const struct period *b)
{
	long long sa = period_start(a), sb = period_start(b);

	if (sa != sb)
		return sa < sb ? -1 : 1;
	return (int)a->kind - (int)b->kind;
}

struct period
period_to(const struct period *p, enum period_kind kind)
{
	struct period q;

	assert(kinds[kind].months >= kinds[p->kind].months);
	q.kind = kind;
	q.year = p->year;
	q.index = (first_month(p) - 1) / kinds[kind].months + 1;
	return q;
}

int
period_contains(const struct period *outer, const struct period *inner)
{
	return period_start(inner) >= period_start(outer) &&
	    period_end(inner) <= period_end(outer);
}

struct period
period_at(enum period_kind kind, long long t)
{
	/* Civil from days (H. Hinnant), enough to get year and month. */
	long long z = (t >= 0 ? t : t - 86399) / 86400 + 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	int	m = (int)(mp < 10 ? mp + 3 : mp - 9);
	int	y = (int)(yoe + era * 400) + (m <= 2);
	struct period month = { PERIOD_MAAND, y, m };

	return period_to(&month, kind);
}
