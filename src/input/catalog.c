/* src/input/catalog.c — loading the indicator catalogue from indicators/<id>.ini
 * with libinih. Field handling is one table; the loader is the first gate
 * every feed value passes through (via validate). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <float.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/num.h"
#include "input/catalog.h"

/* Files in indicators/ that are not indicators. */
static const char *const reserved_files[] = {
	"groepen.ini", "uitstroom-baseline.ini", "cbs.ini",
};

static const char *const soort_names[] = { "aantal", "ratio", "gemiddelde",
	"verdeling" };
static const char *const meting_names[] = { "stand", "stroom" };
static const char *const richting_names[] = { "hoger_beter", "lager_beter",
	"neutraal" };

/* How counts are compared (domain §3.9): the rate, its noemer and when
 * the noemer is taken. "context" has no noemer: never ranked or judged. */
static const struct cat_vergelijk vergelijk_table[] = {
	{ "per_1000_inwoners", "per 1.000 inwoners", { "inwoners" }, 1000,
	    MOMENT_ZELFDE, "inwoners van de gemeente in dat jaar" },
	{ "per_1000_huishoudens", "per 1.000 huishoudens", { "huishoudens" },
	    1000, MOMENT_ZELFDE, "huishoudens van de gemeente in dat jaar" },
	{ "pct_bestand", "% van het bestand", { "pw_bestand" }, 100,
	    MOMENT_ZELFDE, "bijstandsuitkeringen op dezelfde peildatum" },
	{ "pct_bestand_begin", "% van het bestand aan het begin",
	    { "pw_bestand" }, 100, MOMENT_BEGIN,
	    "bijstandsuitkeringen op de peildatum voor de periode" },
	{ "per_uitkering", "euro per uitkering", { "pw_bestand" }, 1,
	    MOMENT_GEMIDDELD,
	    "gemiddeld aantal bijstandsuitkeringen in de periode" },
	{ "pct_gemeten", "% van de gemeten cliënten", { "pl_trede_1",
	    "pl_trede_2", "pl_trede_3", "pl_trede_4", "pl_trede_5",
	    "pl_trede_6" }, 100, MOMENT_ZELFDE,
	    "cliënten gemeten op de participatieladder (treden 1 t/m 6)" },
	{ "pct_behandeld", "% van de behandelde casussen",
	    { "esc_behandeld" }, 100, MOMENT_ZELFDE,
	    "casussen behandeld in de periode (esc_behandeld)" },
	{ "context", "context", { NULL }, 1, MOMENT_ZELFDE, "" },
};

struct load_state {
	struct indicator *ind;
	unsigned seen;		/* bit per field that was set */
	int	section_ok;	/* inside [indicator] */
	int	line;		/* line of the first error, if any */
	char	msg[256];
};

typedef int (*field_fn)(struct indicator *, const char *, char *, size_t);

static int
set_text(char *dst, size_t size, const char *value, char *msg, size_t msize)
{
	if (strlen(value) >= size) {
		snprintf(msg, msize, "waarde is te lang (maximaal %zu tekens)",
		    size - 1);
		return -1;
	}
	memcpy(dst, value, strlen(value) + 1);
	return 0;
}

static int
set_enum(int *dst, const char *const *names, size_t n, const char *value,
    char *msg, size_t msize)
{
	char	opts[160] = "";
	size_t	o = 0;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(value, names[i]) == 0) {
			*dst = (int)i;
			return 0;
		}
		o += (size_t)snprintf(opts + o, sizeof(opts) - o, "%s%s",
		    i ? ", " : "", names[i]);
		if (o >= sizeof(opts))
			break;
	}
	snprintf(msg, msize, "ongeldige waarde '%s' (kies uit: %s)", value,
	    opts);
	return -1;
}

static int
set_double(double *dst, const char *value, char *msg, size_t msize)
{
	struct err err = { "" };

	if (num_double(value, -DBL_MAX, DBL_MAX, dst, &err) == 0)
		return 0;
	/* A value long enough to cut the message is still named by it. */
	if (snprintf(msg, msize, "%s", err.msg) >= (int)msize)
		msg[msize - 1] = '\0';
	return -1;
}

static int
f_vergelijk_als(struct indicator *ind, const char *v, char *m, size_t ms)
{
	char	opts[256] = "";
	size_t	o = 0;

	if ((ind->vergelijk = catalog_vergelijk_find(v)) != NULL)
		return 0;
	for (size_t i = 0; i < sizeof(vergelijk_table) /
	    sizeof(*vergelijk_table) && o < sizeof(opts); i++)
		o += (size_t)snprintf(opts + o, sizeof(opts) - o, "%s%s",
		    i ? ", " : "", vergelijk_table[i].als);
	snprintf(m, ms, "ongeldige waarde '%s' (kies uit: %s)", v, opts);
	return -1;
}

static int
f_oordeel_drempel(struct indicator *ind, const char *v, char *m, size_t ms)
{
	if (set_double(&ind->oordeel_drempel, v, m, ms) == -1)
		return -1;
	if (ind->oordeel_drempel < 0) {
		snprintf(m, ms, "oordeel_drempel moet 0 of meer zijn");
		return -1;
	}
	return 0;
}

static int
f_over_perioden(struct indicator *ind, const char *v, char *m, size_t ms)
{
	static const char *const yn[] = { "nee", "ja" };

	return set_enum(&ind->over_perioden, yn, 2, v, m, ms);
}

/* The versions of the ZRM (GGD Amsterdam): 2010 and 2013 have 11
 * leefgebieden (dagbesteding, verslaving, one ADL), 2017 has 13. */
static const struct cat_zrm_versie zrm_versies[] = {
	{ "2010", 11 }, { "2013", 11 }, { "2017", 13 },
};

const struct cat_zrm_versie *
catalog_zrm_versie_parse(const char *s)
{
	if (strncasecmp(s, "zrm", 3) == 0) {
		s += 3;
		s += *s == ' ' || *s == '-';
	}
	for (size_t i = 0; i < sizeof(zrm_versies) / sizeof(*zrm_versies); i++)
		if (strcmp(s, zrm_versies[i].jaar) == 0)
			return &zrm_versies[i];
	return NULL;
}

/* Keep in step with zrm_versies. */
const char *
catalog_zrm_versies(void)
{
	return "2010, 2013 en 2017";
}

static int
f_zrm_versie(struct indicator *ind, const char *v, char *m, size_t ms)
{
	const struct cat_zrm_versie *z = catalog_zrm_versie_parse(v);

	if (z == NULL) {
		snprintf(m, ms, "onbekende ZRM-versie '%s' (kies uit: %s)", v,
		    catalog_zrm_versies());
		return -1;
	}
	snprintf(ind->zrm_versie, sizeof(ind->zrm_versie), "%s", z->jaar);
	return 0;
}

#define TEXT_FIELD(name) \
	static int f_##name(struct indicator *ind, const char *v, char *m, \
	    size_t ms) { return set_text(ind->name, sizeof(ind->name), v, m, \
	    ms); }
TEXT_FIELD(id)
TEXT_FIELD(naam)
TEXT_FIELD(omschrijving)
TEXT_FIELD(groep)
TEXT_FIELD(eenheid)
TEXT_FIELD(teller)
TEXT_FIELD(noemer)
TEXT_FIELD(bron)
TEXT_FIELD(sinds)
TEXT_FIELD(kanttekening)
#undef TEXT_FIELD

static int
f_soort(struct indicator *ind, const char *v, char *m, size_t ms)
{
	int	x;

	if (set_enum(&x, soort_names, 4, v, m, ms) == -1)
		return -1;
	ind->soort = (enum cat_soort)x;
	return 0;
}

static int
f_meting(struct indicator *ind, const char *v, char *m, size_t ms)
{
	int	x;

	if (set_enum(&x, meting_names, 2, v, m, ms) == -1)
		return -1;
	ind->meting = (enum cat_meting)x;
	return 0;
}

static int
f_richting(struct indicator *ind, const char *v, char *m, size_t ms)
{
	int	x;

	if (set_enum(&x, richting_names, 3, v, m, ms) == -1)
		return -1;
	ind->richting = (enum cat_richting)x;
	return 0;
}

static int
f_periode(struct indicator *ind, const char *v, char *m, size_t ms)
{
	if (period_kind_parse(v, &ind->periode) == 0)
		return 0;
	snprintf(m, ms, "ongeldige waarde '%s' (kies uit: maand, kwartaal, "
	    "halfjaar, jaar)", v);
	return -1;
}

static int
f_min(struct indicator *ind, const char *v, char *m, size_t ms)
{
	ind->has_min = 1;
	return set_double(&ind->min, v, m, ms);
}

static int
f_max(struct indicator *ind, const char *v, char *m, size_t ms)
{
	ind->has_max = 1;
	return set_double(&ind->max, v, m, ms);
}

static int
f_schaal(struct indicator *ind, const char *v, char *m, size_t ms)
{
	if (set_double(&ind->schaal, v, m, ms) == -1)
		return -1;
	if (ind->schaal <= 0) {
		snprintf(m, ms, "schaal moet groter dan 0 zijn");
		return -1;
	}
	return 0;
}

/* A threshold: a whole number 0..1 000 000. */
static int
set_count(int *dst, const char *v, char *m, size_t ms)
{
	long long x;

	if (num_int(v, 0, 1000000, &x, NULL) == -1) {
		snprintf(m, ms, "'%s' is geen geheel getal van 0 of meer", v);
		return -1;
	}
	*dst = (int)x;
	return 0;
}

static int
f_min_n(struct indicator *ind, const char *v, char *m, size_t ms)
{
	return set_count(&ind->min_n, v, m, ms);
}

/* "a + 0.5*b + 2*c": the terms of a declared sum (a point as decimal
 * sign, as every number of the catalogue). */
static int
parse_sum(struct indicator *ind, enum cat_dim dim, const char *v, char *m,
    size_t ms)
{
	struct cat_sum *sum = &ind->som[ind->nsom];
	char	buf[1024], *save = NULL;

	if (ind->nsom == sizeof(ind->som) / sizeof(*ind->som)) {
		snprintf(m, ms, "som naast som_teller en som_noemer");
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", v);
	sum->dim = dim;
	sum->n = 0;
	for (char *t = strtok_r(buf, "+", &save); t; t = strtok_r(NULL, "+",
	    &save)) {
		char   *star = strchr(t, '*'), *id = star ? star + 1 : t;
		double	w = 1;

		if (sum->n == CAT_SUM_TERMS) {
			snprintf(m, ms, "te veel termen (hoogstens %d)",
			    CAT_SUM_TERMS);
			return -1;
		}
		if (star != NULL) {
			*star = '\0';
			t += strspn(t, " \t");
			t[strcspn(t, " \t")] = '\0';
			if (set_double(&w, t, m, ms) == -1)
				return -1;
		}
		id += strspn(id, " \t");
		id[strcspn(id, " \t")] = '\0';
		if (*id == '\0' || strlen(id) >= sizeof(sum->t[0].id)) {
			snprintf(m, ms, "lege of te lange term in '%s'", v);
			return -1;
		}
		char   *dot = strchr(id, '.');
		enum cat_dim d = DIM_WAARDE;
		if (dot != NULL) {
			*dot++ = '\0';
			if (strcmp(dot, "teller") != 0 && strcmp(dot,
			    "noemer") != 0) {
				snprintf(m, ms, "'%s': na de punt volgt teller "
				    "of noemer", dot);
				return -1;
			}
			d = strcmp(dot, "teller") == 0 ? DIM_TELLER :
			    DIM_NOEMER;
		}
		snprintf(sum->t[sum->n].id, sizeof(sum->t[0].id), "%s", id);
		sum->t[sum->n].dim = d;
		sum->t[sum->n++].gewicht = w;
	}
	if (sum->n == 0) {
		snprintf(m, ms, "lege som");
		return -1;
	}
	ind->nsom++;
	return 0;
}

static int
f_som(struct indicator *ind, const char *v, char *m, size_t ms)
{
	return parse_sum(ind, DIM_WAARDE, v, m, ms);
}

static int
f_som_teller(struct indicator *ind, const char *v, char *m, size_t ms)
{
	return parse_sum(ind, DIM_TELLER, v, m, ms);
}

static int
f_som_noemer(struct indicator *ind, const char *v, char *m, size_t ms)
{
	return parse_sum(ind, DIM_NOEMER, v, m, ms);
}

static int
f_min_n_teller(struct indicator *ind, const char *v, char *m, size_t ms)
{
	return set_count(&ind->min_n_teller, v, m, ms);
}

/* Every key of [indicator]; `required` fields must be present. */
static const struct {
	const char *key;
	field_fn set;
	int	required;
} fields[] = {
	{ "id", f_id, 1 }, { "naam", f_naam, 1 },
	{ "omschrijving", f_omschrijving, 1 }, { "groep", f_groep, 1 },
	{ "eenheid", f_eenheid, 1 }, { "soort", f_soort, 1 },
	{ "meting", f_meting, 1 }, { "periode", f_periode, 1 },
	{ "teller", f_teller, 0 }, { "noemer", f_noemer, 0 },
	{ "schaal", f_schaal, 0 }, { "min", f_min, 0 }, { "max", f_max, 0 },
	{ "richting", f_richting, 1 }, { "min_n", f_min_n, 0 },
	{ "bron", f_bron, 1 }, { "sinds", f_sinds, 0 },
	{ "kanttekening", f_kanttekening, 0 },
	{ "vergelijk_als", f_vergelijk_als, 0 },
	{ "oordeel_drempel", f_oordeel_drempel, 0 },
	{ "over_perioden", f_over_perioden, 0 },
	{ "som", f_som, 0 }, { "som_teller", f_som_teller, 0 },
	{ "som_noemer", f_som_noemer, 0 },
	{ "min_n_teller", f_min_n_teller, 0 },
	{ "zrm_versie", f_zrm_versie, 0 },
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* libinih handler: returns 0 to make ini_parse report this line. */
static int
on_key(void *user, const char *section, const char *key, const char *value)
{
	struct load_state *st = user;

	if (strcmp(section, "indicator") != 0) {
		snprintf(st->msg, sizeof(st->msg), "onbekende sectie [%s] "
		    "(verwacht [indicator])", section);
		return 0;
	}
	for (size_t i = 0; i < NFIELDS; i++) {
		if (strcmp(key, fields[i].key) != 0)
			continue;
		if (st->seen & (1u << i)) {
			snprintf(st->msg, sizeof(st->msg), "veld '%s' staat "
			    "er twee keer", key);
			return 0;
		}
		st->seen |= 1u << i;
		return fields[i].set(st->ind, value, st->msg,
		    sizeof(st->msg)) == 0;
	}
	snprintf(st->msg, sizeof(st->msg), "onbekend veld '%s'", key);
	return 0;
}

/* Checks across fields, after the whole file was read. */
static int
check_indicator(const struct load_state *st, const char *base,
    struct err *err)
{
	const struct indicator *ind = st->ind;
	char	want[80];

	for (size_t i = 0; i < NFIELDS; i++)
		if (fields[i].required && !(st->seen & (1u << i)))
			return err_set(err, "%s:0: verplicht veld '%s' "
			    "ontbreekt", ind->file, fields[i].key);
	if (catalog_has_components(ind) &&
	    (ind->teller[0] == '\0' || ind->noemer[0] == '\0'))
		return err_set(err, "%s:0: soort %s vraagt om 'teller' en "
		    "'noemer'", ind->file, soort_names[ind->soort]);
	if (!catalog_has_components(ind) &&
	    (ind->teller[0] != '\0' || ind->noemer[0] != '\0'))
		return err_set(err, "%s:0: soort %s heeft geen teller en "
		    "noemer", ind->file, soort_names[ind->soort]);
	if (ind->vergelijk != NULL && ind->soort != SOORT_AANTAL)
		return err_set(err, "%s:0: vergelijk_als geldt alleen voor "
		    "soort aantal (een %s wordt als zichzelf vergeleken)",
		    ind->file, soort_names[ind->soort]);
	if (ind->has_min && ind->has_max && ind->min > ind->max)
		return err_set(err, "%s:0: min is groter dan max", ind->file);
	snprintf(want, sizeof(want), "%s.ini", ind->id);
	if (strcmp(want, base) != 0)
		return err_set(err, "%s:0: id '%s' past niet bij de "
		    "bestandsnaam (verwacht %s)", ind->file, ind->id, want);
	for (const char *p = ind->id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '_'))
			return err_set(err, "%s:0: id '%s' mag alleen a-z, "
			    "0-9 en _ bevatten", ind->file, ind->id);
	return 0;
}

/* Units whose teller counts people, households or cases: a teller of 1-4
 * of them is as telling as a count of 1-4 (domain §3.5). */
static const char *const counted_units[] = {
	"uitkering", "persoon", "huishouden", "casus",
};

static void
teller_default(struct indicator *ind)
{
	if (ind->min_n_teller >= 0)
		return;
	ind->min_n_teller = 0;
	for (size_t i = 0; ind->soort == SOORT_RATIO && i <
	    sizeof(counted_units) / sizeof(*counted_units); i++)
		if (strcmp(ind->eenheid, counted_units[i]) == 0)
			ind->min_n_teller = 5;
}

static int
load_one(const char *dir, const char *base, struct indicator *ind,
    struct err *err)
{
	struct load_state st = { .ind = ind };
	int	rc;

	memset(ind, 0, sizeof(*ind));
	ind->schaal = 1;
	ind->min_n = 10;
	ind->richting = RICHTING_NEUTRAAL;
	ind->oordeel_drempel = 5;
	ind->over_perioden = 1;
	ind->min_n_teller = -1;		/* unset: see teller_default */
	if ((size_t)snprintf(ind->file, sizeof(ind->file), "%s/%s", dir,
	    base) >= sizeof(ind->file))
		return err_set(err, "%s/%s: pad is te lang", dir, base);
	rc = ini_parse(ind->file, on_key, &st);
	if (rc == -1)
		return err_set(err, "%s:0: kan het bestand niet openen: %s",
		    ind->file, strerror(errno));
	if (rc == -2)
		return err_set(err, "%s:0: onvoldoende geheugen", ind->file);
	if (rc > 0)
		return err_set(err, "%s:%d: %s", ind->file, rc,
		    st.msg[0] ? st.msg : "syntaxfout (verwacht sleutel = "
		    "waarde)");
	teller_default(ind);
	return check_indicator(&st, base, err);
}

static int
is_indicator_file(const char *name)
{
	size_t	n = strlen(name);

	if (n < 5 || strcmp(name + n - 4, ".ini") != 0 || name[0] == '.')
		return 0;
	for (size_t i = 0; i < sizeof(reserved_files) / sizeof(*reserved_files);
	     i++)
		if (strcmp(name, reserved_files[i]) == 0)
			return 0;
	return 1;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted list of indicator file names in dir. */
static char **
list_files(const char *dir, size_t *ret_n, struct err *err)
{
	DIR    *d = opendir(dir);
	struct dirent *de;
	char  **names = NULL;
	size_t	n = 0, cap = 0;

	if (d == NULL) {
		err_set(err, "%s: kan de map niet openen: %s", dir,
		    strerror(errno));
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		if (!is_indicator_file(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char  **p = realloc(names, cap * sizeof(*names));
			if (p == NULL)
				goto fail;
			names = p;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			goto fail;
		n++;
	}
	closedir(d);
	if (n > 0)	/* qsort(NULL, 0, …) is undefined (UBSan) */
		qsort(names, n, sizeof(*names), cmp_names);
	*ret_n = n;
	if (names == NULL)
		names = calloc(1, sizeof(*names));
	return names;
fail:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	err_set(err, "%s: onvoldoende geheugen", dir);
	return NULL;
}

/* A declared sum names counts of the catalogue, of the whole's kind for a
 * stand, of its kind or a finer one for a flow (their periods add up). */
static int
check_sum(const struct catalog *cat, const struct indicator *w,
    const struct cat_sum *sum, struct err *err)
{
	if ((sum->dim == DIM_WAARDE) == catalog_has_components(w))
		return err_set(err, "%s:0: %s past niet bij soort %s (som voor "
		    "een aantal, som_teller/som_noemer voor een ratio of "
		    "gemiddelde)", w->file, sum->dim == DIM_WAARDE ? "som" :
		    "som_teller/som_noemer", soort_names[w->soort]);
	for (size_t k = 0; k < sum->n; k++) {
		const struct indicator *p = catalog_find(cat, sum->t[k].id);

		if (p == NULL || (sum->t[k].dim == DIM_WAARDE) ==
		    catalog_has_components(p))
			return err_set(err, "%s:0: som noemt %s, dat geen "
			    "aantal (of ratio met .teller/.noemer) in de "
			    "catalogus is", w->file, sum->t[k].id);
		if (p->meting != w->meting || (w->meting == METING_STAND ?
		    p->periode != w->periode : period_months(p->periode) >
		    period_months(w->periode)))
			return err_set(err, "%s:0: som noemt %s (%s, %s), dat "
			    "niet optelt tot een %s per %s", w->file, p->id,
			    meting_names[p->meting], period_kind_name(
			    p->periode), meting_names[w->meting],
			    period_kind_name(w->periode));
	}
	return 0;
}

/* Every noemer a rate names must be in the catalogue (checked once the
 * whole catalogue is loaded), and so must every part of a declared sum. */
static int
check_noemers(const struct catalog *cat, struct err *err)
{
	for (size_t i = 0; i < cat->n; i++) {
		const struct cat_vergelijk *v = cat->items[i].vergelijk;

		for (int k = 0; v && k < CAT_VERGELIJK_NOEMERS &&
		    v->noemer[k]; k++)
			if (catalog_find(cat, v->noemer[k]) == NULL)
				return err_set(err, "%s:0: vergelijk_als %s "
				    "vraagt om indicator %s als noemer",
				    cat->items[i].file, v->als, v->noemer[k]);
		for (size_t k = 0; k < cat->items[i].nsom; k++)
			if (check_sum(cat, &cat->items[i],
			    &cat->items[i].som[k], err) == -1)
				return -1;
	}
	return 0;
}

struct catalog *
catalog_load(const char *dir, struct err *err)
{
	struct catalog *cat = NULL;
	char  **names;
	size_t	n = 0;

	if ((names = list_files(dir, &n, err)) == NULL)
		return NULL;
	if (n == 0) {
		err_set(err, "%s: geen indicatoren (*.ini) gevonden", dir);
		goto out;
	}
	if ((cat = calloc(1, sizeof(*cat))) == NULL ||
	    (cat->items = calloc(n, sizeof(*cat->items))) == NULL) {
		err_set(err, "%s: onvoldoende geheugen", dir);
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		if (load_one(dir, names[i], &cat->items[i], err) == -1)
			goto fail;
		cat->n++;
	}
	/* Files are sorted by name and the id must equal the name, so the
	 * items are sorted by id and ids are unique. */
	if (check_noemers(cat, err) == -1)
		goto fail;
	goto out;
fail:
	catalog_free(cat);
	cat = NULL;
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return cat;
}

void
catalog_free(struct catalog *cat)
{
	if (cat == NULL)
		return;
	free(cat->items);
	free(cat);
}

static int
cmp_id(const void *key, const void *item)
{
	return strcmp(key, ((const struct indicator *)item)->id);
}

const struct indicator *
catalog_find(const struct catalog *cat, const char *id)
{
	return bsearch(id, cat->items, cat->n, sizeof(*cat->items), cmp_id);
}

int
catalog_has_components(const struct indicator *ind)
{
	return ind->soort == SOORT_RATIO || ind->soort == SOORT_GEMIDDELDE;
}

double
catalog_value(const struct indicator *ind, double teller, double noemer)
{
	if (noemer == 0)
		return NAN;
	return teller / noemer * ind->schaal;
}

const struct cat_vergelijk *
catalog_vergelijk_find(const char *als)
{
	for (size_t i = 0; i < sizeof(vergelijk_table) /
	    sizeof(*vergelijk_table); i++)
		if (strcmp(als, vergelijk_table[i].als) == 0)
			return &vergelijk_table[i];
	return NULL;
}

int
catalog_rankable(const struct indicator *ind)
{
	return catalog_has_components(ind);
}

int
catalog_rate(const struct indicator *ind, struct indicator *ret)
{
	const struct cat_vergelijk *v = ind->vergelijk;

	if (ind->soort != SOORT_AANTAL || v == NULL || v->noemer[0] == NULL)
		return -1;
	*ret = *ind;
	ret->soort = SOORT_RATIO;
	ret->schaal = v->schaal;
	ret->has_min = ret->has_max = 0;
	ret->vergelijk = NULL;
	ret->nsom = 0;		/* the count's sums are not the rate's */
	/* the noemer is large by construction; what must stay hidden is a
	 * small count in the teller */
	ret->min_n = 0;
	ret->min_n_teller = ind->min_n;
	snprintf(ret->id, sizeof(ret->id), "%.40s:%.20s", ind->id, v->als);
	snprintf(ret->naam, sizeof(ret->naam), "%.100s %s", ind->naam,
	    v->tekst);
	snprintf(ret->teller, sizeof(ret->teller), "%.200s", ind->naam);
	snprintf(ret->noemer, sizeof(ret->noemer), "%s", v->noemer_tekst);
	return 0;
}

const char *
catalog_soort_name(enum cat_soort s)
{
	return soort_names[s];
}

const char *
catalog_meting_name(enum cat_meting m)
{
	return meting_names[m];
}

const char *
catalog_richting_name(enum cat_richting r)
{
	return richting_names[r];
}
