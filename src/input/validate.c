/* src/input/validate.c — second stage of ingest: every row of a parsed feed is
 * checked against the catalogue and the register and becomes an observation,
 * or one or more problems in the report. Rows are independent; a broken
 * header rejects the whole feed. Pure: no I/O. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/num.h"
#include "base/util.h"
#include "input/validate.h"

enum col {
	C_GEMEENTE, C_INDICATOR, C_PERIODE, C_WAARDE, C_TELLER, C_NOEMER,
	C_STATUS, C_TOELICHTING, C_SYNTHETISCH, C_VERSIE, NCOL
};

/* The feed's columns (design §4, doc/basisd-feed.5). */
static const struct {
	const char *name;
	int	required;
} columns[NCOL] = {
	[C_GEMEENTE] = { "gemeente", 1 },   [C_INDICATOR] = { "indicator", 1 },
	[C_PERIODE] = { "periode", 1 },     [C_WAARDE] = { "waarde", 0 },
	[C_TELLER] = { "teller", 0 },	    [C_NOEMER] = { "noemer", 0 },
	[C_STATUS] = { "status", 0 },	    [C_TOELICHTING] = { "toelichting", 0 },
	[C_SYNTHETISCH] = { "synthetisch", 0 },
	/* required per row for ZRM indicators (check_versie) */
	[C_VERSIE] = { "versie", 0 },
};

static const char *const status_names[] = {
	[STATUS_DEFINITIEF] = "definitief",
	[STATUS_VOORLOPIG] = "voorlopig",
	[STATUS_GESCHAT] = "geschat",
};

static const struct {
	const char *text;
	int	value;
} synthetisch_values[] = {
	{ "ja", 1 }, { "nee", 0 }, { "1", 1 }, { "0", 0 },
};

struct vstate {
	const struct feed_table *t;
	const struct catalog *cat;
	const struct reg *reg;
	const struct validate_opts *opts;
	struct report *rep;
	int	col[NCOL];	/* header index of each column, -1 if absent */
	int	header_ok;	/* no problem in the header */
	int	oom;
	struct obs *obs;	/* one slot per row, also the duplicate keys */
	size_t *dup;		/* open addressing: row index + 1, 0 = free */
	size_t	dup_mask;
};

/* The row being checked. */
struct vrow {
	const struct feed_row *fr;
	struct obs *o;
	int	problems;
	int	scope;		/* one of the problems is the scope */
	int	have_period;
	const struct gemeente *g;
	const struct indicator *ind;
};

const char *
validate_status_name(enum obs_status s)
{
	return (unsigned)s < sizeof(status_names) / sizeof(*status_names) ?
	    status_names[s] : NULL;
}

int
validate_status_parse(const char *s, enum obs_status *ret)
{
	for (size_t i = 0; i < sizeof(status_names) / sizeof(*status_names);
	     i++)
		if (strcasecmp(s, status_names[i]) == 0) {
			*ret = (enum obs_status)i;
			return 0;
		}
	return -1;
}

/* The non-empty cell of column c, or NULL: an empty cell counts as absent. */
static const char *
cell(const struct vstate *v, const struct vrow *r, enum col c)
{
	int	i = v->col[c];

	if (i < 0 || (size_t)i >= r->fr->nfields || r->fr->fields[i][0] == '\0')
		return NULL;
	return r->fr->fields[i];
}

static void
add(struct vstate *v, struct vrow *r, enum col c, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A problem of row r in column c (also when the column is absent). */
static void
add(struct vstate *v, struct vrow *r, enum col c, const char *fmt, ...)
{
	int	i = v->col[c];
	const char *kolom = i >= 0 ? v->t->header[i] : columns[c].name;
	const char *value = cell(v, r, c);
	char	msg[256];
	va_list ap;

	r->problems++;
	/* feed_parse already named this cell's cause (e.g. not UTF-8): a
	 * second message about the same cell would mislead. */
	if (i >= 0 && i < 64 && (r->fr->badcols >> i & 1))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (report_add(v->rep, r->fr->line, i + 1, kolom, value, "%s", msg) ==
	    -1)
		v->oom = 1;
}

/* A number in Dutch notation: "12,5" → "12,5", 3 → "3". */
static const char *
num(double x, char *buf, size_t size)
{
	snprintf(buf, size, "%.10g", x);
	for (char *p = buf; *p; p++)
		if (*p == '.')
			*p = ',';
	return buf;
}

static void
header_problem(struct vstate *v, int column, const char *kolom,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
header_problem(struct vstate *v, int column, const char *kolom,
    const char *fmt, ...)
{
	char	msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (report_add(v->rep, v->t->header_line, column, kolom,
	    column > 0 ? kolom : NULL, "%s", msg) == -1)
		v->oom = 1;
	v->header_ok = 0;
}

/* Map header names to columns; unknown, unnamed and repeated ones are
 * problems. */
static void
map_columns(struct vstate *v)
{
	for (size_t i = 0; i < v->t->ncols; i++) {
		const char *h = v->t->header[i];
		int	c;

		if (*h == '\0') {
			header_problem(v, (int)i + 1, "", "kolom zonder naam");
			continue;
		}
		for (c = 0; c < NCOL; c++)
			if (strcasecmp(h, columns[c].name) == 0)
				break;
		if (c == NCOL)
			header_problem(v, (int)i + 1, h, "onbekende kolom "
			    "(bekend zijn: gemeente, indicator, periode, "
			    "waarde, teller, noemer, status, toelichting, "
			    "synthetisch, versie)");
		else if (v->col[c] >= 0)
			header_problem(v, (int)i + 1, h, "kolom staat er twee "
			    "keer in (ook kolom %d)", v->col[c] + 1);
		else
			v->col[c] = (int)i;
	}
}

static void
check_header(struct vstate *v)
{
	for (int c = 0; c < NCOL; c++)
		v->col[c] = -1;
	v->header_ok = 1;
	map_columns(v);
	for (int c = 0; c < NCOL; c++)
		if (columns[c].required && v->col[c] < 0)
			header_problem(v, 0, columns[c].name, "verplichte "
			    "kolom '%s' ontbreekt", columns[c].name);
	if (v->col[C_TELLER] >= 0 && v->col[C_NOEMER] < 0)
		header_problem(v, 0, "noemer", "kolom 'noemer' ontbreekt "
		    "(teller en noemer horen bij elkaar)");
	else if (v->col[C_NOEMER] >= 0 && v->col[C_TELLER] < 0)
		header_problem(v, 0, "teller", "kolom 'teller' ontbreekt "
		    "(teller en noemer horen bij elkaar)");
	else if (v->col[C_WAARDE] < 0 && v->col[C_TELLER] < 0)
		header_problem(v, 0, "waarde", "kolom 'waarde' of de kolommen "
		    "'teller' en 'noemer' ontbreken");
}

static int
in_scope(const struct vstate *v, const struct gemeente *g)
{
	return v->opts == NULL || v->opts->scope == NULL ||
	    register_scope_allows(v->opts->scope, v->reg, g);
}

static void
check_gemeente(struct vstate *v, struct vrow *r)
{
	const char *s = cell(v, r, C_GEMEENTE);

	if (s == NULL) {
		add(v, r, C_GEMEENTE, "gemeente ontbreekt");
		return;
	}
	if ((r->g = register_find(v->reg, s)) == NULL) {
		add(v, r, C_GEMEENTE, "onbekende gemeente (gebruik de CBS-code, "
		    "zoals GM0363, of de naam zoals CBS die schrijft)");
		return;
	}
	memcpy(r->o->gemeente, r->g->code, sizeof(r->o->gemeente));
	if (!in_scope(v, r->g)) {
		add(v, r, C_GEMEENTE, "u mag geen gegevens leveren voor %s "
		    "(%s)", r->g->code, r->g->naam);
		r->scope = 1;
	}
}

static void
check_indicator(struct vstate *v, struct vrow *r)
{
	const char *s = cell(v, r, C_INDICATOR);

	if (s == NULL)
		add(v, r, C_INDICATOR, "indicator ontbreekt");
	else if ((r->ind = catalog_find(v->cat, s)) == NULL)
		add(v, r, C_INDICATOR, "onbekende indicator");
	else
		memcpy(r->o->indicator, r->ind->id, sizeof(r->o->indicator));
}

/* A period that starts before the indicator's `sinds` (its first year,
 * e.g. 2017 for ZRM 2017): the definition did not exist yet, so such a
 * value is not what the catalogue describes. A sinds that is no period
 * is not checked (the catalogue keeps it as text). */
static int
check_sinds(struct vstate *v, struct vrow *r, const char *s)
{
	struct period first;
	struct err err = { "" };

	if (r->ind == NULL || r->ind->sinds[0] == '\0' ||
	    period_parse(r->ind->sinds, &first, &err) == -1 ||
	    period_start(&r->o->periode) >= period_start(&first))
		return 0;
	add(v, r, C_PERIODE, "periode %s ligt vóór het begin van %s (sinds %s "
	    "in de catalogus)", s, r->ind->id, r->ind->sinds);
	return -1;
}

/* A period basisd cannot keep (before VALIDATE_FIRST_YEAR) or one that
 * has not begun (after the current period plus the grace). 0 or -1. */
static int
check_when(struct vstate *v, struct vrow *r, const char *s)
{
	const struct period *p = &r->o->periode;
	struct period cur;
	char	pb[16];

	if (p->year < VALIDATE_FIRST_YEAR) {
		add(v, r, C_PERIODE, "periode %s ligt vóór %d; zo oude perioden "
		    "kan basisd niet bewaren", s, VALIDATE_FIRST_YEAR);
		return -1;
	}
	if (check_sinds(v, r, s) == -1)
		return -1;
	if (v->opts == NULL || v->opts->now <= 0)
		return 0;
	cur = period_at(p->kind, v->opts->now);
	if (period_ordinal(p) <= period_ordinal(&cur) +
	    v->opts->toekomst_marge)
		return 0;
	add(v, r, C_PERIODE, "periode %s ligt in de toekomst (de huidige "
	    "periode is %s%s)", s, period_format(&cur, pb, sizeof(pb)),
	    v->opts->toekomst_marge > 0 ? ", plus de toegestane marge" : "");
	return -1;
}

static void
check_periode(struct vstate *v, struct vrow *r)
{
	const char *s = cell(v, r, C_PERIODE);
	struct err err = { "" };

	if (s == NULL) {
		add(v, r, C_PERIODE, "periode ontbreekt");
		return;
	}
	if (period_parse(s, &r->o->periode, &err) == -1) {
		add(v, r, C_PERIODE, "%s", err.msg);
		return;
	}
	if (r->ind != NULL && r->o->periode.kind != r->ind->periode) {
		add(v, r, C_PERIODE, "%s is een %s, maar %s wordt per %s "
		    "geleverd", s, period_kind_name(r->o->periode.kind),
		    r->ind->id, period_kind_name(r->ind->periode));
		return;
	}
	if (check_when(v, r, s) == 0)
		r->have_period = 1;
}

/* First second of a "YYYY-MM-DD" date (validated by register_load). */
static long long
date_start(const char *ymd)
{
	struct period m = { PERIOD_MAAND, atoi(ymd), atoi(ymd + 5) };

	return period_start(&m) + (atoi(ymd + 8) - 1) * 86400LL;
}

/* "A, B en C": the successors of a split gemeente. */
static void
successors(const struct reg *reg, const char *code, char *buf, size_t size)
{
	size_t	n = 0, k = 0, o = 0;

	for (size_t i = 0; i < reg->nh; i++)
		n += strcmp(reg->herindelingen[i].oude_code, code) == 0;
	buf[0] = '\0';
	for (size_t i = 0; i < reg->nh && o < size; i++) {
		if (strcmp(reg->herindelingen[i].oude_code, code) != 0)
			continue;
		k++;
		o += (size_t)snprintf(buf + o, size - o, "%s%s",
		    k == 1 ? "" : k == n ? " en " : ", ",
		    reg->herindelingen[i].nieuwe_naam);
	}
}

/* A period that starts on or after the day a gemeente was abolished
 * belongs to its successor(s); a period it still partly existed in is
 * accepted. */
static void
check_opgeheven(struct vstate *v, struct vrow *r)
{
	const struct gemeente *g = r->g, *opv;
	char	p[16], list[200];

	if (g == NULL || g->actief || !r->have_period ||
	    period_start(&r->o->periode) < date_start(g->opgeheven))
		return;
	period_format(&r->o->periode, p, sizeof(p));
	if (g->gesplitst) {
		successors(v->reg, g->code, list, sizeof(list));
		add(v, r, C_GEMEENTE, "%s (%s) bestaat niet meer in %s: per %s "
		    "opgedeeld over %s", g->naam, g->code, p, g->opgeheven,
		    list);
	} else if ((opv = register_find(v->reg, g->opvolger)) != NULL) {
		add(v, r, C_GEMEENTE, "%s (%s) bestaat niet meer in %s: per %s "
		    "opgegaan in %s (%s)", g->naam, g->code, p, g->opgeheven,
		    opv->naam, opv->code);
	} else {
		add(v, r, C_GEMEENTE, "%s (%s) bestaat niet meer in %s: per %s "
		    "opgeheven", g->naam, g->code, p, g->opgeheven);
	}
}

/* 1 = a number in *ret, 0 = empty or absent, -1 = not a number
 * (reported). */
static int
number(struct vstate *v, struct vrow *r, enum col c, double *ret)
{
	const char *s = cell(v, r, c);

	*ret = NAN;
	if (s == NULL)
		return 0;
	if (num_dutch(s, ret) == 0)
		return 1;
	add(v, r, c, "geen getal (schrijf bijvoorbeeld 12,5 of 1.234)");
	return -1;
}

static void
check_range(struct vstate *v, struct vrow *r, enum col c, const char *what,
    double x)
{
	const struct indicator *ind = r->ind;
	char	a[32], b[32], xs[32], range[80];

	if ((!ind->has_min || x >= ind->min) && (!ind->has_max || x <= ind->max))
		return;
	if (ind->has_min && ind->has_max)
		snprintf(range, sizeof(range), "%s t/m %s",
		    num(ind->min, a, sizeof(a)), num(ind->max, b, sizeof(b)));
	else if (ind->has_min)
		snprintf(range, sizeof(range), "minimaal %s",
		    num(ind->min, a, sizeof(a)));
	else
		snprintf(range, sizeof(range), "maximaal %s",
		    num(ind->max, b, sizeof(b)));
	add(v, r, c, "%s %s ligt buiten het bereik van %s (%s)", what,
	    num(x, xs, sizeof(xs)), ind->id, range);
}

/* ratio and gemiddelde: teller and noemer delivered, waarde derived. */
static void
check_components(struct vstate *v, struct vrow *r, int okw, int okt, int okn,
    double t, double n)
{
	const char *id = r->ind->id, *soort = catalog_soort_name(r->ind->soort);
	char	a[32], b[32];

	if (okw != 0)
		add(v, r, C_WAARDE, "%s is een %s: lever teller en noemer, "
		    "geen waarde", id, soort);
	if (okt == 0)
		add(v, r, C_TELLER, "teller ontbreekt (%s is een %s)", id,
		    soort);
	if (okn == 0)
		add(v, r, C_NOEMER, "noemer ontbreekt (%s is een %s)", id,
		    soort);
	if (okt == 1 && t < 0)
		add(v, r, C_TELLER, "teller mag niet negatief zijn");
	if (okn == 1 && n < 0)
		add(v, r, C_NOEMER, "noemer mag niet negatief zijn");
	if (okt != 1 || okn != 1 || t < 0 || n < 0)
		return;
	if (n == 0) {
		add(v, r, C_NOEMER, "noemer is 0: de waarde is niet te "
		    "berekenen");
		return;
	}
	if (r->ind->soort == SOORT_RATIO && t > n) {
		add(v, r, C_TELLER, "teller (%s) is groter dan noemer (%s); bij "
		    "een ratio kan dat niet", num(t, a, sizeof(a)),
		    num(n, b, sizeof(b)));
		return;
	}
	r->o->teller = t;
	r->o->noemer = n;
	r->o->waarde = catalog_value(r->ind, t, n);
	check_range(v, r, C_TELLER, "berekende waarde", r->o->waarde);
}

/* Units counted in whole numbers (domain §3.11): a fraction of one is a
 * typing or export error, never a value. */
static const struct {
	const char *eenheid, *meervoud;
} whole_units[] = {
	{ "uitkering", "uitkeringen" }, { "persoon", "personen" },
	{ "huishouden", "huishoudens" }, { "casus", "casussen" },
	{ "inwoner", "inwoners" }, { "cliënt", "cliënten" },
};

/* The plural of a unit counted whole, or NULL for other units. */
static const char *
whole_unit(const struct indicator *ind)
{
	for (size_t i = 0; i < sizeof(whole_units) / sizeof(*whole_units); i++)
		if (strcmp(ind->eenheid, whole_units[i].eenheid) == 0)
			return whole_units[i].meervoud;
	return NULL;
}

/* "41,250": digits, a comma and exactly three digits, as an English
 * export writes thousands. In a Dutch feed it reads 41,25. */
static int
comma_thousands(const char *s)
{
	size_t	n = strspn(s, "0123456789");

	return n >= 1 && n <= 3 && s[n] == ',' && strspn(s + n + 1,
	    "0123456789") == 3 && s[n + 4] == '\0';
}

/* A count of whole units that is not whole: refused, with the likely
 * meaning when the text looks like English thousands (domain §3.11). */
static int
check_whole(struct vstate *v, struct vrow *r, double w)
{
	const char *s = cell(v, r, C_WAARDE), *units = whole_unit(r->ind);
	char	fixed[32];
	size_t	k = 0;

	if (units == NULL || w == floor(w))
		return 0;
	while (s && (*s == ' ' || *s == '\t'))
		s++;
	if (s && comma_thousands(s)) {
		for (const char *p = s; *p && k + 1 < sizeof(fixed); p++)
			fixed[k++] = *p == ',' ? '.' : *p;
		fixed[k] = '\0';
		add(v, r, C_WAARDE, "%s is geen geheel aantal (%s telt %s): "
		    "bedoelt u %s?", s, r->ind->id, units, fixed);
	} else
		add(v, r, C_WAARDE, "%s is geen geheel aantal: %s telt %s in "
		    "hele aantallen", s ? s : "", r->ind->id, units);
	return -1;
}

/* aantal and verdeling: waarde delivered, no components. */
static void
check_count(struct vstate *v, struct vrow *r, int okw, int okt, int okn,
    double w)
{
	const char *id = r->ind->id, *soort = catalog_soort_name(r->ind->soort);

	if (okt != 0)
		add(v, r, C_TELLER, "%s is een %s: lever waarde, geen teller",
		    id, soort);
	if (okn != 0)
		add(v, r, C_NOEMER, "%s is een %s: lever waarde, geen noemer",
		    id, soort);
	if (okw == 0)
		add(v, r, C_WAARDE, "waarde ontbreekt (%s is een %s)", id,
		    soort);
	if (okw != 1)
		return;
	if (w < 0) {
		add(v, r, C_WAARDE, "waarde mag niet negatief zijn (%s is een "
		    "%s)", id, soort);
		return;
	}
	if (check_whole(v, r, w) == -1)
		return;
	r->o->waarde = w;
	check_range(v, r, C_WAARDE, "waarde", w);
}

static void
check_values(struct vstate *v, struct vrow *r)
{
	double	w, t, n;
	int	okw = number(v, r, C_WAARDE, &w);
	int	okt = number(v, r, C_TELLER, &t);
	int	okn = number(v, r, C_NOEMER, &n);

	r->o->waarde = r->o->teller = r->o->noemer = NAN;
	if (r->ind == NULL)
		return;
	if (catalog_has_components(r->ind))
		check_components(v, r, okw, okt, okn, t, n);
	else
		check_count(v, r, okw, okt, okn, w);
}

static void
check_status(struct vstate *v, struct vrow *r, const char *s)
{
	r->o->status = STATUS_DEFINITIEF;
	if (s != NULL && validate_status_parse(s, &r->o->status) == -1)
		add(v, r, C_STATUS, "onbekende status (kies uit: definitief, "
		    "voorlopig, geschat)");
}

static void
check_synthetisch(struct vstate *v, struct vrow *r, const char *s)
{
	r->o->synthetisch = 0;
	if (s == NULL)
		return;
	for (size_t i = 0;
	     i < sizeof(synthetisch_values) / sizeof(*synthetisch_values); i++)
		if (strcasecmp(s, synthetisch_values[i].text) == 0) {
			r->o->synthetisch = synthetisch_values[i].value;
			return;
		}
	add(v, r, C_SYNTHETISCH, "ongeldige waarde (kies uit: ja, nee)");
}

static void
check_toelichting(struct vstate *v, struct vrow *r, const char *s)
{
	size_t	n = s ? strlen(s) : 0;

	if (n >= sizeof(r->o->toelichting))
		add(v, r, C_TOELICHTING, "toelichting is te lang (%zu bytes, "
		    "maximaal %zu)", n, sizeof(r->o->toelichting) - 1);
	else if (s != NULL)
		memcpy(r->o->toelichting, s, n + 1);
}

/* The ZRM version of a ZRM row (domain §6): required, and only the one
 * the indicator is defined for. Scores of 2010 or 2013 (11 leefgebieden)
 * are not those of 2017 (13): stored under the same id they would be
 * summed and ranked with them without anyone seeing it, so they are
 * refused rather than mapped. */
static void
check_versie(struct vstate *v, struct vrow *r, const char *s)
{
	const struct indicator *ind = r->ind;
	const struct cat_zrm_versie *z, *want;

	if (ind == NULL)
		return;
	if (ind->zrm_versie[0] == '\0') {
		if (s != NULL)
			add(v, r, C_VERSIE, "%s is geen ZRM-score en heeft geen "
			    "versie: laat de kolom versie leeg", ind->id);
		return;
	}
	want = catalog_zrm_versie_parse(ind->zrm_versie);
	if (s == NULL)
		add(v, r, C_VERSIE, "versie ontbreekt: %s telt scores volgens "
		    "ZRM %s (%d leefgebieden); vermeld de ZRM-versie van de "
		    "meting", ind->id, ind->zrm_versie, want->leefgebieden);
	else if ((z = catalog_zrm_versie_parse(s)) == NULL)
		add(v, r, C_VERSIE, "onbekende ZRM-versie (bekend zijn %s)",
		    catalog_zrm_versies());
	else if (z != want)
		add(v, r, C_VERSIE, "ZRM %s (%d leefgebieden) is niet de versie "
		    "van %s (ZRM %s, %d leefgebieden): scores van verschillende "
		    "versies worden niet samengeteld of vergeleken; lever "
		    "metingen volgens ZRM %s", z->jaar, z->leefgebieden, ind->id,
		    want->jaar, want->leefgebieden, want->jaar);
	else
		memcpy(r->o->versie, z->jaar, strlen(z->jaar) + 1);
}

/* Optional columns with a default when absent or empty. */
static const struct {
	enum col c;
	void	(*check)(struct vstate *, struct vrow *, const char *);
} optional_checks[] = {
	{ C_STATUS, check_status },
	{ C_SYNTHETISCH, check_synthetisch },
	{ C_TOELICHTING, check_toelichting },
	{ C_VERSIE, check_versie },
};

static uint64_t
key_hash(const struct obs *o)
{
	int	nums[] = { (int)o->periode.kind, o->periode.year,
		o->periode.index };
	uint64_t h = util_fnv1a_str(UTIL_FNV1A_BASIS, o->gemeente);

	h = util_fnv1a_str(util_fnv1a(h, "/", 1), o->indicator);
	return util_fnv1a(h, nums, sizeof(nums));
}

static int
same_key(const struct obs *a, const struct obs *b)
{
	return strcmp(a->gemeente, b->gemeente) == 0 &&
	    strcmp(a->indicator, b->indicator) == 0 &&
	    period_cmp(&a->periode, &b->periode) == 0;
}

/* Line of an earlier row with the same key as row i, or 0 after adding
 * row i. */
static long
dup_find_or_add(struct vstate *v, size_t i)
{
	size_t	s = (size_t)key_hash(&v->obs[i]) & v->dup_mask;

	for (; v->dup[s] != 0; s = (s + 1) & v->dup_mask)
		if (same_key(&v->obs[v->dup[s] - 1], &v->obs[i]))
			return v->obs[v->dup[s] - 1].line;
	v->dup[s] = i + 1;
	return 0;
}

static void
check_duplicate(struct vstate *v, struct vrow *r, size_t i)
{
	char	p[16];
	long	first;

	if (r->g == NULL || r->ind == NULL || !r->have_period)
		return;
	if ((first = dup_find_or_add(v, i)) != 0)
		add(v, r, C_GEMEENTE, "dubbele regel: %s, %s, %s staat al op "
		    "regel %ld", r->o->gemeente, r->o->indicator,
		    period_format(&r->o->periode, p, sizeof(p)), first);
}

/* Check row i; returns 1 when it is a good observation. */
static int
check_row(struct vstate *v, size_t i, struct validate_result *res)
{
	struct vrow r = { .fr = &v->t->rows[i], .o = &v->obs[i] };

	r.o->line = r.fr->line;
	if (r.fr->nfields != v->t->ncols)	/* reported by feed_parse */
		return 0;
	check_gemeente(v, &r);
	check_indicator(v, &r);
	check_periode(v, &r);
	check_opgeheven(v, &r);
	check_values(v, &r);
	for (size_t k = 0;
	     k < sizeof(optional_checks) / sizeof(*optional_checks); k++)
		optional_checks[k].check(v, &r,
		    cell(v, &r, optional_checks[k].c));
	check_duplicate(v, &r, i);
	if (r.problems == 1 && r.scope)
		res->scope_rows++;
	return r.problems == 0 && !r.fr->bad;
}

/* ---- consistency within a family of indicators (issue 11) ---- */

/* The good row of (gemeente, periode) of row i with indicator id, or -1:
 * a lookup in the duplicate table, which holds every keyed row. */
static long
family_find(const struct vstate *v, const unsigned char *good, size_t n,
    size_t i, const char *id)
{
	struct obs probe;
	size_t	s;

	memset(&probe, 0, sizeof(probe));
	snprintf(probe.gemeente, sizeof(probe.gemeente), "%s",
	    v->obs[i].gemeente);
	snprintf(probe.indicator, sizeof(probe.indicator), "%s", id);
	probe.periode = v->obs[i].periode;
	s = (size_t)key_hash(&probe) & v->dup_mask;
	for (; v->dup[s] != 0; s = (s + 1) & v->dup_mask) {
		size_t	j = v->dup[s] - 1;
		if (j < n && same_key(&v->obs[j], &probe))
			return good[j] ? (long)j : -1;
	}
	return -1;
}

static void
family_bad(struct vstate *v, unsigned char *good, size_t i, enum col c,
    const char *msg, struct validate_result *res)
{
	struct vrow r = { .fr = &v->t->rows[i], .o = &v->obs[i] };

	add(v, &r, c, "%s", msg);
	if (good[i]) {
		good[i] = 0;
		res->bad_rows++;
	}
}

/* The three shares of the clients measured twice (domain §5): stijgers,
 * gelijk gebleven and dalers. They share one noemer, together they are at
 * most all of those clients, and when all three are delivered gelijk is
 * exactly noemer − stijgers − dalers. */
static const struct {
	const char *id, *wie;
} ladder[] = {
	{ "pl_stijgers_pct", "stijgers" },
	{ "pl_gelijk_pct", "gelijk gebleven" },
	{ "pl_dalers_pct", "dalers" },
};
#define NLADDER (sizeof(ladder) / sizeof(*ladder))

static int
in_ladder(const char *id)
{
	for (size_t m = 0; m < NLADDER; m++)
		if (strcmp(id, ladder[m].id) == 0)
			return 1;
	return 0;
}

/* "stijgers (30, regel 2), gelijk gebleven (50) en dalers (20)": the
 * delivered shares' tellers, the first with its line. */
static void
ladder_list(const struct vstate *v, const long *j, char *buf, size_t size)
{
	size_t	o = 0, k = 0, n = 0;
	char	a[32];

	for (size_t m = 0; m < NLADDER; m++)
		n += j[m] >= 0;
	buf[0] = '\0';
	for (size_t m = 0; m < NLADDER && o < size; m++) {
		const struct obs *x;

		if (j[m] < 0)
			continue;
		x = &v->obs[j[m]];
		k++;
		o += (size_t)snprintf(buf + o, size - o, "%s%s (%s", k == 1 ?
		    "" : k == n ? " en " : ", ", ladder[m].wie,
		    num(x->teller, a, sizeof(a)));
		if (o < size)
			o += (size_t)(k == 1 ? snprintf(buf + o, size - o,
			    ", regel %ld)", x->line) : snprintf(buf + o,
			    size - o, ")"));
	}
}

/* Every delivered share has the noemer of the first; 0 or -1. */
static int
ladder_noemers(struct vstate *v, unsigned char *good, const long *j,
    size_t first, struct validate_result *res)
{
	const struct obs *f = &v->obs[j[first]];
	char	msg[256], a[32], b[32];
	int	rc = 0;

	for (size_t m = first + 1; m < NLADDER; m++) {
		const struct obs *x;

		if (j[m] < 0 || (x = &v->obs[j[m]])->noemer == f->noemer)
			continue;
		snprintf(msg, sizeof(msg), "noemer van %s (%s) is niet die van "
		    "%s op regel %ld (%s): ze tellen dezelfde cliënten met twee "
		    "metingen", ladder[m].id, num(x->noemer, a, sizeof(a)),
		    ladder[first].id, f->line, num(f->noemer, b, sizeof(b)));
		family_bad(v, good, (size_t)j[m], C_NOEMER, msg, res);
		rc = -1;
	}
	return rc;
}

static void
family_ladder(struct vstate *v, unsigned char *good, size_t n, size_t i,
    struct validate_result *res)
{
	long	j[NLADDER];
	size_t	first = NLADDER, last = 0, present = 0;
	double	sum = 0, noemer;
	char	msg[256], list[200], a[32], b[32];

	for (size_t m = 0; m < NLADDER; m++) {
		j[m] = family_find(v, good, n, i, ladder[m].id);
		if (j[m] < 0)
			continue;
		first = first < m ? first : m;
		last = m;
		present++;
		sum += v->obs[j[m]].teller;
	}
	/* checked once, from the first delivered share */
	if (present < 2 || (size_t)j[first] != i ||
	    ladder_noemers(v, good, j, first, res) == -1)
		return;
	noemer = v->obs[i].noemer;
	ladder_list(v, j, list, sizeof(list));
	if (sum > noemer) {
		snprintf(msg, sizeof(msg), "%s zijn samen meer dan de %s "
		    "gemeten cliënten", list, num(noemer, a, sizeof(a)));
		family_bad(v, good, (size_t)j[last], C_TELLER, msg, res);
	} else if (present == NLADDER && sum != noemer) {
		snprintf(msg, sizeof(msg), "%s tellen samen %s, niet de %s "
		    "cliënten met twee metingen: gelijk gebleven is noemer − "
		    "stijgers − dalers", list, num(sum, a, sizeof(a)),
		    num(noemer, b, sizeof(b)));
		family_bad(v, good, (size_t)j[1], C_TELLER, msg, res);
	}
}

/* Treden 1..6 count the clients of pl_gemiddelde_trede: their sum is its
 * noemer and Σ k × trede_k its teller. */
static void
family_treden(struct vstate *v, unsigned char *good, size_t n, size_t i,
    struct validate_result *res)
{
	const struct obs *g = &v->obs[i];
	double	cnt = 0, sum = 0;
	char	id[16], msg[256], a[32], b[32];

	for (int k = 1; k <= 6; k++) {
		long	j;

		snprintf(id, sizeof(id), "pl_trede_%d", k);
		if ((j = family_find(v, good, n, i, id)) < 0)
			return;	/* checked only when all six are delivered */
		cnt += v->obs[j].waarde;
		sum += k * v->obs[j].waarde;
	}
	if (cnt != g->noemer) {
		snprintf(msg, sizeof(msg), "de treden 1 t/m 6 tellen samen %s "
		    "cliënten, de noemer van pl_gemiddelde_trede is %s",
		    num(cnt, a, sizeof(a)), num(g->noemer, b, sizeof(b)));
		family_bad(v, good, i, C_NOEMER, msg, res);
	} else if (sum != g->teller) {
		snprintf(msg, sizeof(msg), "de som van de treden (1 × trede 1 + "
		    "… + 6 × trede 6) is %s, de teller van pl_gemiddelde_trede "
		    "is %s", num(sum, a, sizeof(a)), num(g->teller, b,
		    sizeof(b)));
		family_bad(v, good, i, C_TELLER, msg, res);
	}
}

static void
check_families(struct vstate *v, unsigned char *good, size_t n,
    struct validate_result *res)
{
	for (size_t i = 0; i < n; i++) {
		if (!good[i])
			continue;
		if (in_ladder(v->obs[i].indicator))
			family_ladder(v, good, n, i, res);
		else if (strcmp(v->obs[i].indicator,
		    "pl_gemiddelde_trede") == 0)
			family_treden(v, good, n, i, res);
	}
}

/* Check all rows, then keep the good ones in feed order. The obs slots
 * hold the duplicate keys during the loop, so they are compacted after. */
static int
check_rows(struct vstate *v, struct validate_result *res)
{
	size_t	nsynth = 0, cap = 16, nrows = v->t->nrows;
	unsigned char *good = calloc(nrows + 1, 1);
	int	rc = -1;

	while (cap < 2 * nrows)
		cap *= 2;
	v->obs = calloc(nrows + 1, sizeof(*v->obs));
	v->dup = calloc(cap, sizeof(*v->dup));
	if (good == NULL || v->obs == NULL || v->dup == NULL)
		goto out;
	v->dup_mask = cap - 1;
	for (size_t i = 0; i < nrows && !v->oom; i++) {
		good[i] = check_row(v, i, res) && v->header_ok;
		res->bad_rows += !good[i];
		nsynth += v->obs[i].synthetisch;
	}
	check_families(v, good, nrows, res);
	for (size_t i = 0; i < nrows; i++)
		if (good[i])
			v->obs[res->n++] = v->obs[i];
	res->obs = v->obs;
	v->obs = NULL;
	res->synthetisch = nrows > 0 && nsynth == nrows;
	rc = v->oom ? -1 : 0;
out:
	free(good);
	return rc;
}

int
validate_feed(const struct feed_table *t, const struct catalog *cat,
    const struct reg *reg, const struct validate_opts *opts,
    struct validate_result *ret, struct report *rep)
{
	struct vstate v = { .t = t, .cat = cat, .reg = reg, .opts = opts,
		.rep = rep };
	int	rc = 0;

	memset(ret, 0, sizeof(*ret));
	ret->rows = t->nrows;
	check_header(&v);
	/* Without gemeente, indicator and periode no row can be judged. */
	if (v.col[C_GEMEENTE] < 0 || v.col[C_INDICATOR] < 0 ||
	    v.col[C_PERIODE] < 0)
		ret->bad_rows = t->nrows;
	else
		rc = check_rows(&v, ret);
	free(v.obs);
	free(v.dup);
	if (rc == -1 || v.oom) {
		validate_result_free(ret);
		return -1;
	}
	return 0;
}

void
validate_result_free(struct validate_result *res)
{
	if (res == NULL)
		return;
	free(res->obs);
	memset(res, 0, sizeof(*res));
}
