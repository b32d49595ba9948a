/* tests/check_demo.c — the synthetic demo feeds: determinism, every row
 * valid against the shipped catalogue, the model's identities (duurklassen,
 * bestand dynamics, weighted uitstroom), the correction round, plausible
 * magnitudes, and a catalogue with indicators the generator does not know.
 * The register is built by hand (register.c is not a dependency). */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/demo.h"
#include "testutil.h"

#define VAN  2016
#define TOT  2025
#define SEED 42

/* Sorted by code within the active part, as register_load returns it; the
 * last one is opgeheven and must get no feed. */
static struct gemeente gemeenten[] = {
	{ "GM0037", "Stadskanaal", "Groningen", 32174, 4, 1, "", "", 0 },
	{ "GM0060", "Ameland", "Fryslân", 3800, 1, 1, "", "", 0 },
	{ "GM0153", "Enschede", "Overijssel", 161000, 7, 1, "", "", 0 },
	{ "GM0344", "Utrecht", "Utrecht", 374000, 8, 1, "", "", 0 },
	{ "GM0363", "Amsterdam", "Noord-Holland", 931298, 8, 1, "", "", 0 },
	{ "GM0788", "Haaren", "Noord-Brabant", 14000, 3, 0, "2021-01-01", "",
	    1 },
};
static struct reg reg = { gemeenten, 6, 5, NULL, 0, NULL, 0 };

struct feed {
	char	naam[64];
	char   *data;
	size_t	len;
};

struct feeds {
	struct feed *f;
	size_t	n;
	int	stop_after;	/* return -1 after this many feeds; 0 = never */
};

static int
collect(void *arg, const char *naam, const char *csv, size_t len)
{
	struct feeds *fs = arg;
	struct feed *f;

	fs->f = realloc(fs->f, (fs->n + 1) * sizeof(*fs->f));
	ck_assert_ptr_nonnull(fs->f);
	f = &fs->f[fs->n++];
	snprintf(f->naam, sizeof(f->naam), "%s", naam);
	f->data = malloc(len + 1);
	ck_assert_ptr_nonnull(f->data);
	memcpy(f->data, csv, len);
	f->data[len] = '\0';
	f->len = len;
	return fs->stop_after && fs->n >= (size_t)fs->stop_after ? -1 : 0;
}

static void
feeds_free(struct feeds *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->f[i].data);
	free(fs->f);
	memset(fs, 0, sizeof(*fs));
}

/* One parsed data row. */
struct row {
	char	key[128];	/* round|gemeente|indicator|periode */
	int	round;
	char	gm[8], id[64], per[16], status[16], toel[128], synth[8];
	char	versie[8];
	double	waarde, teller, noemer;	/* NaN when empty */
	int	nfields;
};

static struct catalog *cat;
static struct feeds out;
static struct row *rows;
static size_t nrows;

static double
num(const char *s)
{
	char	buf[64], *end;
	double	x;

	if (*s == '\0')
		return NAN;
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *p = buf; *p; p++)
		if (*p == ',')
			*p = '.';
	x = strtod(buf, &end);
	return *end == '\0' ? x : -1e300;	/* -1e300 fails every check */
}

static void
parse_line(char *line, int round, struct row *r)
{
	char   *f[16];
	int	n = 0;

	memset(r, 0, sizeof(*r));
	/* strsep keeps empty fields, unlike strtok */
	for (char *p = line; p != NULL && n < 16;)
		f[n++] = strsep(&p, ";");
	r->round = round;
	r->nfields = n;
	if (n != 10)
		return;
	snprintf(r->gm, sizeof(r->gm), "%s", f[0]);
	snprintf(r->id, sizeof(r->id), "%s", f[1]);
	snprintf(r->per, sizeof(r->per), "%s", f[2]);
	r->waarde = num(f[3]);
	r->teller = num(f[4]);
	r->noemer = num(f[5]);
	snprintf(r->status, sizeof(r->status), "%s", f[6]);
	snprintf(r->toel, sizeof(r->toel), "%s", f[7]);
	snprintf(r->synth, sizeof(r->synth), "%s", f[8]);
	snprintf(r->versie, sizeof(r->versie), "%s", f[9]);
	snprintf(r->key, sizeof(r->key), "%d|%s|%s|%s", round, r->gm, r->id,
	    r->per);
}

static int
cmp_row(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->key,
	    ((const struct row *)b)->key);
}

static void
parse_all(void)
{
	size_t	cap = 0;

	for (size_t i = 0; i < out.n; i++) {
		char   *text = strdup(out.f[i].data), *save = NULL, *line;
		int	round = strstr(out.f[i].naam, "correcties") ? 2 : 1;

		ck_assert_ptr_nonnull(text);
		line = strtok_r(text, "\n", &save);	/* header */
		while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
			if (nrows == cap) {
				cap = cap ? cap * 2 : 4096;
				rows = realloc(rows, cap * sizeof(*rows));
				ck_assert_ptr_nonnull(rows);
			}
			parse_line(line, round, &rows[nrows++]);
		}
		free(text);
	}
	qsort(rows, nrows, sizeof(*rows), cmp_row);
}

static const struct row *
find(int round, const char *gm, const char *id, const char *per)
{
	struct row key;

	snprintf(key.key, sizeof(key.key), "%d|%s|%s|%s", round, gm, id, per);
	return bsearch(&key, rows, nrows, sizeof(*rows), cmp_row);
}

static void
setup(void)
{
	struct err err = { "" };
	char   *dir = tu_srcpath("indicators");
	struct demo_opts o = { SEED, VAN, TOT };

	cat = catalog_load(dir, &err);
	free(dir);
	ck_assert_msg(cat != NULL, "%s", err.msg);
	ck_assert_int_eq(demo_generate(cat, &reg, &o, collect, &out, &err), 0);
	parse_all();
}

static void
teardown(void)
{
	feeds_free(&out);
	free(rows);
	catalog_free(cat);
}

START_TEST(test_determinism)
{
	struct feeds again = { 0 }, other = { 0 };
	struct demo_opts o = { SEED, VAN, TOT }, o2 = { SEED + 1, VAN, TOT };
	struct err err = { "" };
	int	differs = 0;

	ck_assert_int_eq(demo_generate(cat, &reg, &o, collect, &again, &err),
	    0);
	ck_assert_uint_eq(again.n, out.n);
	for (size_t i = 0; i < out.n; i++) {
		ck_assert_str_eq(again.f[i].naam, out.f[i].naam);
		ck_assert_uint_eq(again.f[i].len, out.f[i].len);
		ck_assert(memcmp(again.f[i].data, out.f[i].data,
		    out.f[i].len) == 0);
	}
	ck_assert_int_eq(demo_generate(cat, &reg, &o2, collect, &other, &err),
	    0);
	for (size_t i = 0; i < reg.nactief; i++)
		differs += other.f[i].len != out.f[i].len ||
		    memcmp(other.f[i].data, out.f[i].data, out.f[i].len) != 0;
	ck_assert_int_eq(differs, (int)reg.nactief);
	feeds_free(&again);
	feeds_free(&other);
}
END_TEST

START_TEST(test_feeds)
{
	static const char header[] = "gemeente;indicator;periode;waarde;"
				     "teller;noemer;status;toelichting;"
				     "synthetisch;versie\n";
	char	want[64];
	size_t	ncorr = 0;

	ck_assert_uint_gt(out.n, reg.nactief);
	for (size_t i = 0; i < out.n; i++) {
		ck_assert(strncmp(out.f[i].data, header, strlen(header)) == 0);
		ck_assert(strstr(out.f[i].naam, "GM0788") == NULL);
		if (i < reg.nactief) {
			snprintf(want, sizeof(want), "demo-%s.csv",
			    gemeenten[i].code);
			ck_assert_str_eq(out.f[i].naam, want);
		} else {
			ck_assert(strncmp(out.f[i].naam, "demo-correcties-GM",
			    18) == 0);
			ncorr++;
		}
	}
	/* about 10%, at least one */
	ck_assert_uint_eq(ncorr, 1);
}
END_TEST

static void
check_value(const struct row *r, const struct indicator *ind)
{
	double	v;

	if (!catalog_has_components(ind)) {
		ck_assert_msg(isnan(r->teller) && isnan(r->noemer), "%s",
		    r->key);
		ck_assert_msg(r->waarde >= 0 && r->waarde == floor(r->waarde),
		    "%s: waarde %g", r->key, r->waarde);
		v = r->waarde;
	} else {
		ck_assert_msg(isnan(r->waarde), "%s", r->key);
		ck_assert_msg(r->noemer >= 1 && r->teller >= 0, "%s", r->key);
		/* counts, or halves where deeltijd counts half */
		ck_assert_msg(r->teller * 2 == floor(r->teller * 2), "%s",
		    r->key);
		if (ind->soort == SOORT_RATIO)
			ck_assert_msg(r->teller <= r->noemer, "%s: %g > %g",
			    r->key, r->teller, r->noemer);
		v = catalog_value(ind, r->teller, r->noemer);
	}
	ck_assert_msg(!ind->has_min || v >= ind->min, "%s: %g", r->key, v);
	ck_assert_msg(!ind->has_max || v <= ind->max, "%s: %g", r->key, v);
}

/* The catalogue's ZRM version of id ("" for other indicators). */
static const char *
ind_versie(const char *id)
{
	const struct indicator *ind = catalog_find(cat, id);

	return ind != NULL ? ind->zrm_versie : "";
}

START_TEST(test_rows_valid)
{
	ck_assert_uint_gt(nrows, 5 * 2000);
	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		const struct indicator *ind;
		struct period p;
		int	known = 0;

		ck_assert_int_eq(r->nfields, 10);
		/* the ZRM version on ZRM scores only (issue 11) */
		ck_assert_msg(strcmp(r->versie, ind_versie(r->id)) == 0,
		    "%s: versie '%s'", r->key, r->versie);
		for (size_t g = 0; g < reg.nactief; g++)
			known |= strcmp(r->gm, gemeenten[g].code) == 0;
		ck_assert_msg(known, "%s", r->key);
		ind = catalog_find(cat, r->id);
		ck_assert_msg(ind != NULL, "%s", r->key);
		ck_assert_int_eq(period_parse(r->per, &p, NULL), 0);
		ck_assert_int_eq(p.kind, ind->periode);
		ck_assert_int_ge(p.year, VAN);
		ck_assert_int_le(p.year, TOT);
		ck_assert_int_ge(p.year, atoi(ind->sinds));
		ck_assert_str_eq(r->synth, "ja");
		ck_assert_msg(strcmp(r->status, "definitief") == 0 ||
		    strcmp(r->status, "voorlopig") == 0 ||
		    strcmp(r->status, "geschat") == 0, "%s", r->key);
		check_value(r, ind);
	}
}
END_TEST

/* Status: the last months are voorlopig, a few cells geschat. */
START_TEST(test_status)
{
	size_t	n[3] = { 0 };

	for (size_t i = 0; i < nrows; i++) {
		if (rows[i].round != 1)
			continue;
		n[rows[i].status[0] == 'v' ? 1 : rows[i].status[0] == 'g' ? 2
		    : 0]++;
		if (strcmp(rows[i].per, "2025-12") == 0 ||
		    strcmp(rows[i].per, "2025-10") == 0)
			ck_assert_str_eq(rows[i].status, "voorlopig");
		if (strcmp(rows[i].per, "2025-09") == 0)
			ck_assert_str_ne(rows[i].status, "voorlopig");
	}
	ck_assert_uint_gt(n[0], 20 * (n[1] + n[2]));
	ck_assert_uint_gt(n[1], 0);
	ck_assert_uint_gt(n[2], 0);
}
END_TEST

/* Same-period identities in round one: target = Σ weight × term. */
enum part { W, T, N };
static const struct {
	const char *id;
	enum part part;
	struct {
		const char *id;
		enum part part;
		double	w;
	} terms[7];
} ident[] = {
	{ "pw_bestand", W, { { "pw_bestand_duur_1", W, 1 },
	    { "pw_bestand_duur_2", W, 1 }, { "pw_bestand_duur_3", W, 1 },
	    { "pw_bestand_duur_4", W, 1 }, { "pw_bestand_duur_5", W, 1 },
	    { "pw_bestand_duur_6", W, 1 }, { "pw_bestand_duur_7", W, 1 } } },
	{ "pw_uitstroom_totaal", W, { { "pw_uitstroom_werk", W, 1 },
	    { "pw_uitstroom_opleiding", W, 1 },
	    { "pw_uitstroom_ondernemer", W, 1 },
	    { "pw_uitstroom_overig", W, 1 } } },
	{ "bijstand_per_1000_inwoners", T, { { "pw_bestand", W, 1 } } },
	{ "esc_voorkomen", W, { { "esc_ontruiming_voorkomen", W, 1 },
	    { "esc_crisis_gestabiliseerd_pct", T, 1 } } },
	{ "esc_ontruiming_voorkomen_pct", T,
	    { { "esc_ontruiming_voorkomen", W, 1 } } },
	{ "esc_ontruiming_voorkomen_pct", N,
	    { { "esc_ontruiming_aangezegd", W, 1 } } },
	{ "pl_gemiddelde_trede", T, { { "pl_trede_1", W, 1 },
	    { "pl_trede_2", W, 2 }, { "pl_trede_3", W, 3 },
	    { "pl_trede_4", W, 4 }, { "pl_trede_5", W, 5 },
	    { "pl_trede_6", W, 6 } } },
	{ "pl_gemiddelde_trede", N, { { "pl_trede_1", W, 1 },
	    { "pl_trede_2", W, 1 }, { "pl_trede_3", W, 1 },
	    { "pl_trede_4", W, 1 }, { "pl_trede_5", W, 1 },
	    { "pl_trede_6", W, 1 } } },
	{ "pl_dalers_pct", N, { { "pl_stijgers_pct", N, 1 } } },
	{ "pl_gelijk_pct", N, { { "pl_stijgers_pct", N, 1 } } },
	{ "pl_gelijk_pct", T, { { "pl_stijgers_pct", N, 1 },
	    { "pl_stijgers_pct", T, -1 }, { "pl_dalers_pct", T, -1 } } },
};

static double
part_of(const struct row *r, enum part p)
{
	return p == W ? r->waarde : p == T ? r->teller : r->noemer;
}

START_TEST(test_identity)
{
	size_t	checked = 0;

	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		double	sum = 0;
		int	complete = 1;

		if (r->round != 1 || strcmp(r->id, ident[_i].id) != 0)
			continue;
		for (int k = 0; k < 7 && ident[_i].terms[k].id; k++) {
			const struct row *t = find(1, r->gm,
			    ident[_i].terms[k].id, r->per);
			if (t == NULL) {
				complete = 0;
				break;
			}
			sum += ident[_i].terms[k].w *
			    part_of(t, ident[_i].terms[k].part);
		}
		if (!complete)
			continue;
		ck_assert_msg(part_of(r, ident[_i].part) == sum, "%s: %g != %g",
		    r->key, part_of(r, ident[_i].part), sum);
		checked++;
	}
	ck_assert_uint_gt(checked, 20);
}
END_TEST

static const struct row *
month_row(const char *gm, const char *id, int year, int month)
{
	char	per[16];

	snprintf(per, sizeof(per), "%04d-%02d", year, month);
	return find(1, gm, id, per);
}

/* bestand(t) = bestand(t-1) + instroom(t) - uitstroom_totaal(t). */
START_TEST(test_bestand_dynamics)
{
	size_t	checked = 0;

	for (size_t g = 0; g < reg.nactief; g++)
		for (int m = VAN * 12 + 1; m < (TOT + 1) * 12; m++) {
			const char *gm = gemeenten[g].code;
			const struct row *b = month_row(gm, "pw_bestand",
			    m / 12, m % 12 + 1);
			const struct row *p = month_row(gm, "pw_bestand",
			    (m - 1) / 12, (m - 1) % 12 + 1);
			const struct row *in = month_row(gm, "pw_instroom",
			    m / 12, m % 12 + 1);
			const struct row *uit = month_row(gm,
			    "pw_uitstroom_totaal", m / 12, m % 12 + 1);
			if (!b || !p || !in || !uit)
				continue;
			ck_assert_msg(b->waarde == p->waarde + in->waarde -
			    uit->waarde, "%s", b->key);
			checked++;
		}
	ck_assert_uint_gt(checked, reg.nactief * 100);
}
END_TEST

/* Yearly figures from the months: the weighted uitstroom (deeltijd half)
 * over the bestand at the start of the year; inwoners as noemer. */
START_TEST(test_yearly)
{
	size_t	checked = 0;
	char	jaar[8];

	for (size_t g = 0; g < reg.nactief; g++)
		for (int y = VAN; y <= TOT; y++) {
			const char *gm = gemeenten[g].code;
			const struct row *r, *start, *inw;
			double	sum = 0;
			int	complete = 1;

			snprintf(jaar, sizeof(jaar), "%d", y);
			r = find(1, gm, "pw_uitstroom_resultaat_pct", jaar);
			start = month_row(gm, "pw_bestand", y - 1, 12);
			inw = find(1, gm, "inwoners", jaar);
			for (int m = 1; m <= 12 && complete; m++) {
				static const char *const ids[] = {
					"pw_uitstroom_werk",
					"pw_uitstroom_opleiding",
					"pw_uitstroom_ondernemer",
					"pw_uitstroom_deeltijd" };
				for (int k = 0; k < 4 && complete; k++) {
					const struct row *x = month_row(gm,
					    ids[k], y, m);
					if (x == NULL)
						complete = 0;
					else
						sum += (k == 3 ? 0.5 : 1) *
						    x->waarde;
				}
			}
			if (r == NULL || !complete)
				continue;
			ck_assert_msg(r->teller == sum, "%s", r->key);
			if (start != NULL)
				ck_assert_double_eq(r->noemer, start->waarde);
			r = month_row(gm, "bijstand_per_1000_inwoners", y, 6);
			if (r != NULL && inw != NULL)
				ck_assert_double_eq(r->noemer, inw->waarde);
			checked++;
		}
	ck_assert_uint_gt(checked, 30);
}
END_TEST

/* Round two: corrections revise cells delivered in round one; late rows
 * fill cells that were missing; some cells stay missing. */
START_TEST(test_corrections)
{
	size_t	ncorr = 0, nlate = 0, missing = 0;
	const char *gm = NULL;

	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i], *old;

		if (r->round != 2)
			continue;
		gm = r->gm;
		old = find(1, r->gm, r->id, r->per);
		if (strstr(r->toel, "correctie") != NULL) {
			ck_assert_msg(old != NULL, "%s", r->key);
			ck_assert_msg(!(old->waarde == r->waarde ||
			    (isnan(old->waarde) && isnan(r->waarde))) ||
			    old->teller != r->teller ||
			    old->noemer != r->noemer, "%s", r->key);
			ncorr++;
		} else {
			ck_assert_msg(strstr(r->toel, "late levering") != NULL,
			    "%s", r->key);
			ck_assert_msg(old == NULL, "%s", r->key);
			nlate++;
		}
		ck_assert(strstr(r->toel, "synthetische") != NULL);
	}
	ck_assert_uint_gt(ncorr, 0);
	ck_assert_uint_gt(nlate, 0);
	ck_assert_ptr_nonnull(gm);
	/* the correction gemeente keeps a gap in one of its monthly or
	 * quarterly counts (escalatie ratios may lack a noemer) */
	for (size_t i = 0; i < cat->n; i++) {
		const struct indicator *ind = &cat->items[i];
		struct period p = { ind->periode, VAN, 1 };
		char	per[16];

		if (ind->soort != SOORT_AANTAL)
			continue;
		for (; p.year <= TOT; p = period_next(&p)) {
			period_format(&p, per, sizeof(per));
			missing += p.year >= atoi(ind->sinds) &&
			    find(1, gm, ind->id, per) == NULL &&
			    find(2, gm, ind->id, per) == NULL;
		}
	}
	ck_assert_uint_gt(missing, 0);
}
END_TEST

static double
year_sum(const char *gm, const char *id, int y, int month_only)
{
	double	sum = 0;

	for (int m = 1; m <= 12; m++) {
		const struct row *r = month_row(gm, id, y, m);
		if (r != NULL && (month_only == 0 || month_only == m))
			sum += r->waarde;
	}
	return sum;
}

/* domain §11 magnitudes on the largest (least noisy) gemeente. */
START_TEST(test_plausible)
{
	const char *big = "GM0363", *small = "GM0060";
	const struct row *r;
	double	uit = year_sum(big, "pw_uitstroom_totaal", 2024, 0);
	double	jan = 0, jul = 0;

	r = month_row(big, "bijstand_per_1000_inwoners", 2024, 12);
	ck_assert_ptr_nonnull(r);
	ck_assert_double_ge(r->teller * 1000 / r->noemer, 36);
	ck_assert_double_le(r->teller * 1000 / r->noemer, 70);
	r = month_row(small, "bijstand_per_1000_inwoners", 2024, 12);
	ck_assert_ptr_nonnull(r);
	ck_assert_double_le(r->teller * 1000 / r->noemer, 20);
	r = month_row(big, "pw_bestand", 2023, 12);
	ck_assert_ptr_nonnull(r);
	ck_assert_double_ge(uit / r->waarde, 0.18);
	ck_assert_double_le(uit / r->waarde, 0.32);
	ck_assert_double_ge(year_sum(big, "pw_uitstroom_werk", 2024, 0) / uit,
	    0.33);
	ck_assert_double_le(year_sum(big, "pw_uitstroom_werk", 2024, 0) / uit,
	    0.53);
	ck_assert_double_le(year_sum(big, "pw_uitstroom_deeltijd", 2024, 0),
	    0.25 * uit);
	for (int y = VAN; y <= TOT; y++) {
		jan += year_sum(big, "pw_instroom", y, 1);
		jul += year_sum(big, "pw_instroom", y, 7);
	}
	ck_assert_double_gt(jan, 1.1 * jul);
	/* ≈ € 14.000 per uitkering per year */
	r = month_row(big, "pw_bestand", 2020, 6);
	ck_assert_ptr_nonnull(r);
	ck_assert_double_ge(year_sum(big, "pw_uitkeringslasten", 2020, 6) /
	    r->waarde, 900);
	ck_assert_double_le(year_sum(big, "pw_uitkeringslasten", 2020, 6) /
	    r->waarde, 1500);
	/* the stock in the largest duurklasse dominates */
	r = month_row(big, "pw_bestand_duur_7", 2022, 6);
	ck_assert_ptr_nonnull(r);
	ck_assert_double_ge(r->waarde / month_row(big, "pw_bestand", 2022,
	    6)->waarde, 0.25);
}
END_TEST

START_TEST(test_emit_stop)
{
	struct feeds fs = { .stop_after = 1 };
	struct demo_opts o = { SEED, VAN, TOT };
	struct err err = { "" };

	ck_assert_int_eq(demo_generate(cat, &reg, &o, collect, &fs, &err), -1);
	ck_assert_uint_eq(fs.n, 1);
	ck_assert_str_eq(err.msg, "demodata: schrijven van demo-GM0037.csv "
	    "afgebroken");
	feeds_free(&fs);
}
END_TEST

static const struct {
	int	van, tot, rc;
	const char *msg;
} years[] = {
	{ 2020, 2019, -1, "demodata: ongeldige jaren 2020-2019 (van <= tot, "
	    "1902-2199)" },
	{ 1800, 2000, -1, "demodata: ongeldige jaren 1800-2000 (van <= tot, "
	    "1902-2199)" },
	{ 2024, 2024, 0, "" },
	{ 0, 0, 0, "" },	/* defaults 2016–2025 */
};

START_TEST(test_years)
{
	struct feeds fs = { 0 };
	struct demo_opts o = { 7, years[_i].van, years[_i].tot };
	struct err err = { "" };

	ck_assert_int_eq(demo_generate(cat, &reg, &o, collect, &fs, &err),
	    years[_i].rc);
	ck_assert_str_eq(err.msg, years[_i].msg);
	if (years[_i].rc == 0) {
		int	last = years[_i].tot ? years[_i].tot : DEMO_TOT_DEFAULT;
		char	want[32];

		snprintf(want, sizeof(want), ";pw_bestand;%d-12;", last);
		ck_assert_uint_ge(fs.n, reg.nactief);
		ck_assert_ptr_nonnull(strstr(fs.f[0].data, want));
	}
	feeds_free(&fs);
}
END_TEST

/* A catalogue the generator does not know: new ids get the generic rule
 * inside their min/max; a known id with another periode is aggregated.
 * Groepen without gaps (context, bestand), so every cell must exist. */
static const struct {
	const char *file, *text;
	const char *period;	/* one expected period of 2023 */
} extra[] = {
	{ "nieuw_aandeel_pct.ini", "[indicator]\nid = nieuw_aandeel_pct\n"
	    "naam = N\nomschrijving = O\ngroep = context\neenheid = persoon\n"
	    "soort = ratio\nmeting = stand\nperiode = kwartaal\nteller = t\n"
	    "noemer = n\nschaal = 100\nmin = 10\nmax = 40\n"
	    "richting = neutraal\nbron = B\n", "2023-Q3" },
	{ "nieuw_score_gem.ini", "[indicator]\nid = nieuw_score_gem\n"
	    "naam = N\nomschrijving = O\ngroep = context\neenheid = score\n"
	    "soort = gemiddelde\nmeting = stand\nperiode = halfjaar\n"
	    "teller = t\nnoemer = n\nmin = 1\nmax = 10\n"
	    "richting = neutraal\nbron = B\n", "2023-H2" },
	{ "nieuw_aantal.ini", "[indicator]\nid = nieuw_aantal\nnaam = N\n"
	    "omschrijving = O\ngroep = context\neenheid = euro\n"
	    "soort = aantal\nmeting = stroom\nperiode = jaar\nmin = 0\n"
	    "richting = neutraal\nbron = B\n", "2023" },
	{ "pw_instroom.ini", "[indicator]\nid = pw_instroom\nnaam = N\n"
	    "omschrijving = O\ngroep = bestand\neenheid = uitkering\n"
	    "soort = aantal\nmeting = stroom\nperiode = kwartaal\nmin = 0\n"
	    "richting = neutraal\nbron = B\n", "2023-Q1" },
};

START_TEST(test_unknown_indicators)
{
	char   *dir = tu_tmpdir(), path[4096], want[128];
	struct catalog *c;
	struct feeds fs = { 0 };
	struct demo_opts o = { 5, 2023, 2023 };
	struct err err = { "" };

	for (size_t i = 0; i < sizeof(extra) / sizeof(*extra); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, extra[i].file);
		tu_write_file(path, extra[i].text, strlen(extra[i].text));
	}
	c = catalog_load(dir, &err);
	ck_assert_msg(c != NULL, "%s", err.msg);
	ck_assert_int_eq(demo_generate(c, &reg, &o, collect, &fs, &err), 0);
	for (size_t g = 0; g < reg.nactief; g++)
		for (size_t i = 0; i < sizeof(extra) / sizeof(*extra); i++) {
			const struct indicator *ind;
			char   *row, id[64];
			struct row r;

			snprintf(id, sizeof(id), "%.*s",
			    (int)(strlen(extra[i].file) - 4), extra[i].file);
			snprintf(want, sizeof(want), "\n%s;%s;%s;",
			    gemeenten[g].code, id, extra[i].period);
			ck_assert(strncmp(fs.f[g].naam, "demo-GM", 7) == 0);
			row = strstr(fs.f[g].data, want);
			ck_assert_msg(row != NULL, "%s", want + 1);
			row = strndup(row + 1, strcspn(row + 1, "\n"));
			parse_line(row, 1, &r);
			ind = catalog_find(c, r.id);
			ck_assert_ptr_nonnull(ind);
			check_value(&r, ind);
			free(row);
		}
	feeds_free(&fs);
	catalog_free(c);
	tu_rm_rf(dir);
	free(dir);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("demo");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_determinism);
	tcase_add_test(tc, test_feeds);
	tcase_add_test(tc, test_rows_valid);
	tcase_add_test(tc, test_status);
	tcase_add_loop_test(tc, test_identity, 0, sizeof(ident) /
	    sizeof(*ident));
	tcase_add_test(tc, test_bestand_dynamics);
	tcase_add_test(tc, test_yearly);
	tcase_add_test(tc, test_corrections);
	tcase_add_test(tc, test_plausible);
	tcase_add_test(tc, test_emit_stop);
	tcase_add_loop_test(tc, test_years, 0, sizeof(years) / sizeof(*years));
	tcase_add_test(tc, test_unknown_indicators);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
