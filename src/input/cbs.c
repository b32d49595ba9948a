/* src/input/cbs.c — CBS StatLine tables to a basisd feed (domain §12): the
 * mapping (libinih), DataProperties checked against it, TypedDataSet rows
 * of gemeenten rendered as "gemeente;indicator;periode;waarde;teller;noemer"
 * for the normal ingest, so revisions and the report work as for any feed. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "base/json.h"
#include "base/num.h"
#include "base/period.h"
#include "input/cbs.h"

#define MAX_SECTIONS 64
#define MAX_FILTERS  8
#define KEY_SIZE     128

enum topic { T_WAARDE, T_TELLER, T_NOEMER, NTOPIC };
static const char *const topic_keys[NTOPIC] = { "onderwerp", "teller",
	"noemer" };

struct filter {
	char	dim[KEY_SIZE];
	char	code[KEY_SIZE];
};

struct section {
	char	name[64];
	const struct indicator *ind;
	char	topic[NTOPIC][KEY_SIZE];	/* patterns; "" = not used */
	char	eenheid[64];			/* expected DataProperties Unit */
	struct filter filters[MAX_FILTERS];
	size_t	nfilters;
	int	maand;		/* a yearly CBS figure is this month's stand */
	int	verschuiving;	/* years added to the CBS period */
};

struct cbs_map {
	struct section s[MAX_SECTIONS];
	size_t	n;
};

struct active {
	const struct section *s;
	char	key[NTOPIC][KEY_SIZE];	/* the table's topic keys */
};

struct cbs_import {
	const struct cbs_map *map;
	char	table[32];
	char	geo[KEY_SIZE], time[KEY_SIZE];
	int	year;
	struct active act[MAX_SECTIONS];
	size_t	nact;
	char   *skipped[MAX_SECTIONS];
	size_t	nskipped;
	char   *feed;
	size_t	len, cap;
	int	oom;
	struct cbs_counts c;
};

/* ---- the mapping ---- */

struct map_state {
	struct cbs_map *m;
	char	msg[256];
};

static int
parse_filters(struct section *s, const char *value, char *msg, size_t size)
{
	char	buf[512], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", value);
	for (char *w = strtok_r(buf, " \t,", &save); w != NULL;
	     w = strtok_r(NULL, " \t,", &save)) {
		char   *colon = strchr(w, ':');
		struct filter *f = &s->filters[s->nfilters];

		if (colon == NULL || colon == w || colon[1] == '\0' ||
		    s->nfilters == MAX_FILTERS) {
			snprintf(msg, size, "filter '%s': schrijf Dimensie:Code, "
			    "zoals Geslacht:T001038 (hooguit %d)", w,
			    MAX_FILTERS);
			return -1;
		}
		*colon = '\0';
		snprintf(f->dim, sizeof(f->dim), "%s", w);
		snprintf(f->code, sizeof(f->code), "%s", colon + 1);
		s->nfilters++;
	}
	return 0;
}

static int
parse_int(const char *value, int lo, int hi, int *ret)
{
	long long v;

	if (num_int(value, lo, hi, &v, NULL) == -1)
		return -1;
	*ret = (int)v;
	return 0;
}

static int
set_key(struct section *s, const char *key, const char *value, char *msg,
    size_t size)
{
	for (int t = 0; t < NTOPIC; t++)
		if (strcmp(key, topic_keys[t]) == 0) {
			snprintf(s->topic[t], sizeof(s->topic[t]), "%s", value);
			return 0;
		}
	if (strcmp(key, "eenheid") == 0)
		snprintf(s->eenheid, sizeof(s->eenheid), "%s", value);
	else if (strcmp(key, "filter") == 0)
		return parse_filters(s, value, msg, size);
	else if (strcmp(key, "maand") == 0) {
		if (parse_int(value, 1, 12, &s->maand) == -1)
			return snprintf(msg, size, "maand: 1 t/m 12"), -1;
	} else if (strcmp(key, "verschuiving") == 0) {
		if (parse_int(value, -5, 5, &s->verschuiving) == -1)
			return snprintf(msg, size, "verschuiving: jaren, -5 "
			    "t/m 5"), -1;
	} else {
		snprintf(msg, size, "onbekende sleutel '%s' (bekend: "
		    "onderwerp, teller, noemer, eenheid, filter, maand, "
		    "verschuiving)", key);
		return -1;
	}
	return 0;
}

/* libinih handler: returns 0 to make ini_parse report the line. */
static int
on_map_key(void *user, const char *section, const char *key,
    const char *value)
{
	struct map_state *st = user;
	struct cbs_map *m = st->m;
	struct section *s = m->n ? &m->s[m->n - 1] : NULL;

	if (s == NULL || strcmp(s->name, section) != 0) {
		for (size_t i = 0; i < m->n; i++)
			if (strcmp(m->s[i].name, section) == 0) {
				snprintf(st->msg, sizeof(st->msg), "sectie "
				    "[%s] staat er twee keer", section);
				return 0;
			}
		if (m->n == MAX_SECTIONS) {
			snprintf(st->msg, sizeof(st->msg), "meer dan %d "
			    "secties", MAX_SECTIONS);
			return 0;
		}
		s = &m->s[m->n++];
		snprintf(s->name, sizeof(s->name), "%s", section);
	}
	return set_key(s, key, value, st->msg, sizeof(st->msg)) == 0;
}

/* Each section: a known indicator and the topics its soort needs. */
static int
check_section(struct section *s, const struct catalog *cat,
    const char *path, struct err *err)
{
	int	parts;

	if ((s->ind = catalog_find(cat, s->name)) == NULL)
		return err_set(err, "%s: [%s]: geen indicator in de catalogus",
		    path, s->name);
	parts = catalog_has_components(s->ind);
	if (parts && (s->topic[T_TELLER][0] == '\0' ||
	    s->topic[T_NOEMER][0] == '\0' || s->topic[T_WAARDE][0] != '\0'))
		return err_set(err, "%s: [%s]: %s is een %s: geef teller en "
		    "noemer, geen onderwerp", path, s->name, s->ind->id,
		    catalog_soort_name(s->ind->soort));
	if (!parts && (s->topic[T_WAARDE][0] == '\0' ||
	    s->topic[T_TELLER][0] != '\0' || s->topic[T_NOEMER][0] != '\0'))
		return err_set(err, "%s: [%s]: %s is een %s: geef onderwerp, "
		    "geen teller en noemer", path, s->name, s->ind->id,
		    catalog_soort_name(s->ind->soort));
	return 0;
}

struct cbs_map *
cbs_map_load(const char *path, const struct catalog *cat, struct err *err)
{
	struct cbs_map *m = calloc(1, sizeof(*m));
	struct map_state st = { .m = m };
	int	rc;

	if (m == NULL) {
		err_set(err, "onvoldoende geheugen");
		return NULL;
	}
	rc = ini_parse(path, on_map_key, &st);
	if (rc == -1)
		err_set(err, "%s: kan het bestand niet openen: %s", path,
		    strerror(errno));
	else if (rc != 0)
		err_set(err, "%s:%d: %s", path, rc, st.msg[0] ? st.msg :
		    "syntaxfout (verwacht sleutel = waarde)");
	else if (m->n == 0)
		err_set(err, "%s: geen koppelingen", path);
	for (size_t i = 0; rc == 0 && i < m->n; i++)
		if (check_section(&m->s[i], cat, path, err) == -1)
			rc = -1;
	if (rc != 0 || m->n == 0) {
		free(m);
		return NULL;
	}
	return m;
}

void
cbs_map_free(struct cbs_map *m)
{
	free(m);
}

/* ---- the table's properties ---- */

/* "AantalInwoners_*" matches "AantalInwoners_5": the number suffix changes
 * between editions of a table. Without "_*" the key must be equal. */
static int
key_matches(const char *pattern, const char *key)
{
	size_t	n = strlen(pattern);

	if (n < 2 || strcmp(pattern + n - 2, "_*") != 0)
		return strcmp(pattern, key) == 0;
	if (strncmp(pattern, key, n - 1) != 0 || key[n - 1] == '\0')
		return 0;
	for (const char *p = key + n - 1; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

/* The Type of a property, "" when absent. */
static const char *
prop_type(const json_t *p)
{
	const char *t = json_get_str(p, "Type");

	return t ? t : "";
}

/* "k1, k2, …" of the properties of one Type, cut to fit. */
static void
list_keys(const json_t *props, const char *type, char *buf, size_t size)
{
	size_t	o = 0, i;
	json_t *p;

	buf[0] = '\0';
	json_array_foreach(props, i, p) {
		const char *k = json_get_str(p, "Key");

		if (k == NULL || strcmp(prop_type(p), type) != 0 || o >= size)
			continue;
		o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? ", " : "",
		    k);
	}
	if (o >= size && size > 4)
		memcpy(buf + size - 4, "…", 4);
	if (buf[0] == '\0')
		snprintf(buf, size, "(geen)");
}

/* The property of a Type whose key matches pattern; NULL if none. */
static const json_t *
find_prop(const json_t *props, const char *type, const char *pattern)
{
	size_t	i;
	json_t *p;

	json_array_foreach(props, i, p) {
		const char *k = json_get_str(p, "Key");

		if (k && strcmp(prop_type(p), type) == 0 &&
		    key_matches(pattern, k))
			return p;
	}
	return NULL;
}

static int
skip(struct cbs_import *imp, const struct section *s, const char *why,
    const char *avail)
{
	char	msg[1024];

	snprintf(msg, sizeof(msg), "[%s]: %s staat niet in tabel %s "
	    "(onderwerpen: %s)", s->name, why, imp->table[0] ? imp->table :
	    "?", avail);
	if ((imp->skipped[imp->nskipped] = strdup(msg)) == NULL)
		return -1;
	imp->nskipped++;
	return 0;
}

/* Topics of section s in this table, with their units. 1 when the section
 * applies, 0 when skipped, -1 on an error. */
static int
resolve_topics(struct cbs_import *imp, const json_t *props,
    const struct section *s, struct active *a, struct err *err)
{
	char	avail[600];

	for (int t = 0; t < NTOPIC; t++) {
		const json_t *p;
		const char *unit;

		if (s->topic[t][0] == '\0')
			continue;
		if ((p = find_prop(props, "Topic", s->topic[t])) == NULL) {
			list_keys(props, "Topic", avail, sizeof(avail));
			return skip(imp, s, s->topic[t], avail) == -1 ? -1 : 0;
		}
		snprintf(a->key[t], sizeof(a->key[t]), "%s",
		    json_get_str(p, "Key"));
		unit = json_get_str(p, "Unit");
		if (s->eenheid[0] != '\0' && (unit == NULL ||
		    strcasecmp(unit, s->eenheid) != 0))
			return err_set(err, "[%s]: %s heeft eenheid '%s' in "
			    "tabel %s, de koppeling verwacht '%s'", s->name,
			    a->key[t], unit ? unit : "", imp->table,
			    s->eenheid);
	}
	return 1;
}

/* Every filter names a dimension of the table, and every dimension has a
 * filter: otherwise one gemeente's rows would be counted several times. */
static int
check_filters(const struct cbs_import *imp, const json_t *props,
    const struct section *s, struct err *err)
{
	char	dims[600];
	size_t	i;
	json_t *p;

	list_keys(props, "Dimension", dims, sizeof(dims));
	for (size_t f = 0; f < s->nfilters; f++)
		if (find_prop(props, "Dimension", s->filters[f].dim) == NULL)
			return err_set(err, "[%s]: dimensie '%s' staat niet in "
			    "tabel %s (dimensies: %s)", s->name,
			    s->filters[f].dim, imp->table, dims);
	json_array_foreach(props, i, p) {
		const char *k = json_get_str(p, "Key");
		size_t	f;

		if (k == NULL || strcmp(prop_type(p), "Dimension") != 0)
			continue;
		for (f = 0; f < s->nfilters; f++)
			if (strcmp(s->filters[f].dim, k) == 0)
				break;
		if (f == s->nfilters)
			return err_set(err, "[%s]: tabel %s heeft dimensie "
			    "'%s': kies met filter = %s:CODE de code van het "
			    "totaal", s->name, imp->table, k, k);
	}
	return 0;
}

/* "…/ODataApi/OData/85984NED/$metadata#…" → "85984NED". */
static void
table_id(const char *meta, char *buf, size_t size)
{
	const char *end = meta ? strstr(meta, "/$metadata") : NULL;
	const char *start = end;

	buf[0] = '\0';
	if (end == NULL)
		return;
	while (start > meta && start[-1] != '/')
		start--;
	if ((size_t)(end - start) < size)
		snprintf(buf, size, "%.*s", (int)(end - start), start);
}

static int
resolve(struct cbs_import *imp, const json_t *props, struct err *err)
{
	const json_t *geo = NULL, *tim = NULL;
	size_t	i;
	json_t *p;

	json_array_foreach(props, i, p) {
		if (strcmp(prop_type(p), "GeoDimension") == 0 && geo == NULL)
			geo = p;
		if (strcmp(prop_type(p), "TimeDimension") == 0 && tim == NULL)
			tim = p;
	}
	if (geo == NULL || json_get_str(geo, "Key") == NULL)
		return err_set(err, "tabel %s heeft geen regio-dimensie "
		    "(GeoDimension)", imp->table);
	snprintf(imp->geo, sizeof(imp->geo), "%s", json_get_str(geo, "Key"));
	if (tim != NULL && json_get_str(tim, "Key") != NULL)
		snprintf(imp->time, sizeof(imp->time), "%s",
		    json_get_str(tim, "Key"));
	for (size_t s = 0; s < imp->map->n; s++) {
		struct active *a = &imp->act[imp->nact];
		int	rc;

		memset(a, 0, sizeof(*a));
		a->s = &imp->map->s[s];
		if ((rc = resolve_topics(imp, props, a->s, a, err)) == -1 ||
		    (rc == 1 && check_filters(imp, props, a->s, err) == -1))
			return -1;
		imp->nact += rc;
	}
	if (imp->nact == 0)
		return err_set(err, "geen koppeling past bij tabel %s: %s",
		    imp->table, imp->skipped[0] ? imp->skipped[0] : "");
	return 0;
}

static int feed_add(struct cbs_import *imp, const char *s);

struct cbs_import *
cbs_import_new(const struct cbs_map *map, const char *props, size_t len,
    struct err *err)
{
	struct cbs_import *imp = calloc(1, sizeof(*imp));
	json_t *doc = json_decode(props, len, err);
	const json_t *value = json_object_get(doc, "value");

	if (imp == NULL || doc == NULL)
		goto fail;
	imp->map = map;
	table_id(json_get_str(doc, "odata.metadata"), imp->table,
	    sizeof(imp->table));
	if (!json_is_array(value)) {
		err_set(err, "DataProperties zonder 'value'-lijst");
		goto fail;
	}
	if (resolve(imp, value, err) == -1 || feed_add(imp, "gemeente;"
	    "indicator;periode;waarde;teller;noemer\n") == -1)
		goto fail;
	json_decref(doc);
	return imp;
fail:
	if (imp == NULL)
		err_set(err, "onvoldoende geheugen");
	json_decref(doc);
	cbs_import_free(imp);
	return NULL;
}

void
cbs_import_free(struct cbs_import *imp)
{
	if (imp == NULL)
		return;
	for (size_t i = 0; i < imp->nskipped; i++)
		free(imp->skipped[i]);
	free(imp->feed);
	free(imp);
}

const char *
cbs_import_table(const struct cbs_import *imp)
{
	return imp->table;
}

const char *
cbs_import_skipped(const struct cbs_import *imp, size_t i)
{
	return i < imp->nskipped ? imp->skipped[i] : NULL;
}

int
cbs_import_needs_year(const struct cbs_import *imp)
{
	return imp->time[0] == '\0';
}

void
cbs_import_set_year(struct cbs_import *imp, int year)
{
	imp->year = year;
}

int
cbs_import_year_info(struct cbs_import *imp, const char *info, size_t len,
    struct err *err)
{
	json_t *doc = json_decode(info, len, err);
	const json_t *first = json_array_get(json_object_get(doc, "value"), 0);
	const char *period = json_get_str(first, "Period");
	int	year = 0;

	if (doc == NULL)
		return -1;
	if (period == NULL || parse_int(period, 1900, 2999, &year) == -1)
		err_set(err, "TableInfos van tabel %s noemt geen jaar (Period "
		    "'%s'): geef --jaar", imp->table, period ? period : "");
	json_decref(doc);
	if (year == 0)
		return -1;
	imp->year = year;
	return 0;
}

/* ---- rows ---- */

static int
feed_add(struct cbs_import *imp, const char *s)
{
	size_t	n = strlen(s);

	if (imp->len + n + 1 > imp->cap) {
		size_t	ncap = imp->cap ? imp->cap * 2 : 65536;
		char   *p;

		while (ncap < imp->len + n + 1)
			ncap *= 2;
		if ((p = realloc(imp->feed, ncap)) == NULL)
			return -1;
		imp->feed = p;
		imp->cap = ncap;
	}
	memcpy(imp->feed + imp->len, s, n + 1);
	imp->len += n;
	return 0;
}

/* A string cell without the padding CBS adds ("NL01  "), in buf. */
static const char *
trimmed(const json_t *row, const char *key, char *buf, size_t size)
{
	const char *s = json_get_str(row, key);
	size_t	n;

	if (s == NULL)
		return NULL;
	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), s);
	return buf;
}

/* A number in Dutch notation for the feed: decimal comma, no thousands
 * separator (a "1.234" would be read as 1234). */
static void
dutch_number(double v, char *buf, size_t size)
{
	snprintf(buf, size, "%.15g", v);
	for (char *p = buf; *p; p++)
		if (*p == '.')
			*p = ',';
}

/* The CBS period of a row as the indicator's period (maand for a yearly
 * figure of a monthly stand; verschuiving for a peildatum of 1 januari). */
static int
row_period(const struct cbs_import *imp, const json_t *row,
    const struct section *s, struct period *ret, struct err *err)
{
	char	code[32];
	const char *pc = imp->time[0] ? trimmed(row, imp->time, code,
	    sizeof(code)) : NULL;

	if (imp->time[0] == '\0')
		*ret = (struct period){ PERIOD_JAAR, imp->year, 1 };
	else if (pc == NULL || period_parse(pc, ret, err) == -1)
		return err_prefix(err, "tabel %s, %s: ", imp->table, imp->time);
	if (ret->kind == PERIOD_JAAR && s->ind->periode != PERIOD_JAAR &&
	    s->maand > 0) {
		ret->kind = s->ind->periode;
		ret->index = (s->maand - 1) / period_months(ret->kind) + 1;
	}
	if (ret->kind != s->ind->periode)
		return err_set(err, "[%s]: tabel %s levert per %s, %s wordt "
		    "per %s geleverd (zet maand = … in de koppeling voor een "
		    "stand op een peildatum)", s->name, imp->table,
		    period_kind_name(ret->kind), s->ind->id,
		    period_kind_name(s->ind->periode));
	ret->year += s->verschuiving;
	return 0;
}

static int
row_passes(const json_t *row, const struct section *s)
{
	char	buf[KEY_SIZE];

	for (size_t f = 0; f < s->nfilters; f++) {
		const char *v = trimmed(row, s->filters[f].dim, buf,
		    sizeof(buf));

		if (v == NULL || strcmp(v, s->filters[f].code) != 0)
			return 0;
	}
	return 1;
}

/* One feed row of section a for gemeente gm, unless a value is null. */
static int
emit(struct cbs_import *imp, const json_t *row, const struct active *a,
    const char *gm, struct err *err)
{
	char	line[512], num[NTOPIC][40], pb[16];
	struct period per;

	for (int t = 0; t < NTOPIC; t++) {
		const json_t *v = a->key[t][0] ? json_object_get(row,
		    a->key[t]) : NULL;

		num[t][0] = '\0';
		if (a->key[t][0] == '\0')
			continue;
		if (!json_is_number(v)) {
			imp->c.nulls++;
			return 0;
		}
		dutch_number(json_number_value(v), num[t], sizeof(num[t]));
	}
	if (row_period(imp, row, a->s, &per, err) == -1)
		return -1;
	snprintf(line, sizeof(line), "%s;%s;%s;%s;%s;%s\n", gm, a->s->ind->id,
	    period_format(&per, pb, sizeof(pb)), num[T_WAARDE], num[T_TELLER],
	    num[T_NOEMER]);
	imp->c.values++;
	return feed_add(imp, line) == -1 ? err_set(err, "onvoldoende "
	    "geheugen") : 0;
}

static int
take_row(struct cbs_import *imp, const json_t *row, struct err *err)
{
	char	gm[32];

	imp->c.rows++;
	if (trimmed(row, imp->geo, gm, sizeof(gm)) == NULL ||
	    strncmp(gm, "GM", 2) != 0)
		return 0;	/* NL01, PV, CR, WK, BU: not a gemeente */
	imp->c.gemeente_rows++;
	for (size_t i = 0; i < imp->nact; i++)
		if (row_passes(row, imp->act[i].s) &&
		    emit(imp, row, &imp->act[i], gm, err) == -1)
			return -1;
	return 0;
}

int
cbs_import_page(struct cbs_import *imp, const char *json, size_t len,
    char **ret_next, struct err *err)
{
	json_t *doc = json_decode(json, len, err);
	const json_t *rows = json_object_get(doc, "value");
	const char *next = json_get_str(doc, "odata.nextLink");
	size_t	i;
	json_t *row;
	int	rc = -1;

	*ret_next = NULL;
	if (doc == NULL)
		return -1;
	if (!json_is_array(rows)) {
		err_set(err, "TypedDataSet zonder 'value'-lijst");
		goto out;
	}
	json_array_foreach(rows, i, row)
		if (take_row(imp, row, err) == -1)
			goto out;
	if (next != NULL && (*ret_next = strdup(next)) == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto out;
	}
	imp->c.pages++;
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

const char *
cbs_import_feed(const struct cbs_import *imp, size_t *ret_len)
{
	*ret_len = imp->len;
	return imp->feed;
}

void
cbs_import_counts(const struct cbs_import *imp, struct cbs_counts *ret)
{
	*ret = imp->c;
}
