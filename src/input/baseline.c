/* src/input/baseline.c — the uitstroom baseline table
 * (indicators/uitstroom-baseline.ini, libinih), read with the catalogue into
 * the snapshot so `basisd -n` checks it and SIGHUP swaps it; the benchmark
 * (analysis/benchmark) only does arithmetic over it. */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"
#include "input/baseline.h"

/* Keys of [duur-N]: offsets into struct baseline_klasse; is_rate keys are
 * fractions in [0, 1], the others euro amounts >= 0. */
static const struct {
	const char *key;
	size_t	off;
	int	is_rate;
} klasse_keys[] = {
	{ "alle_laag", offsetof(struct baseline_klasse, alle_laag), 1 },
	{ "alle_hoog", offsetof(struct baseline_klasse, alle_hoog), 1 },
	{ "werk_opleiding_laag", offsetof(struct baseline_klasse, wo_laag), 1 },
	{ "werk_opleiding_hoog", offsetof(struct baseline_klasse, wo_hoog), 1 },
	{ "schadelast", offsetof(struct baseline_klasse, schadelast), 0 },
	{ "schadelast_terugval",
	    offsetof(struct baseline_klasse, schadelast_terugval), 0 },
};
#define NKKEYS (sizeof(klasse_keys) / sizeof(klasse_keys[0]))

enum { K_VERSIE, K_BRON, K_HORIZON, K_UITKERING, K_UITVOERING, NBKEYS };
static const char *const baseline_keys[NBKEYS] = { "versie", "bron",
	"horizon_jaren", "uitkering_per_jaar", "uitvoeringskosten_per_jaar" };

struct bl_state {
	struct baseline *b;
	unsigned seen_base;			/* bit per baseline key */
	unsigned seen[BASELINE_NKLASSEN];	/* bit per klasse key */
	char	msg[256];
};

static int
parse_number(const char *v, double lo, double hi, double *ret, char *msg,
    size_t msize)
{
	struct err err = { "" };

	if (num_double(v, lo, hi, ret, &err) == 0)
		return 0;
	/* A value long enough to cut the message is still named by it. */
	if (snprintf(msg, msize, "%s", err.msg) >= (int)msize)
		msg[msize - 1] = '\0';
	return -1;
}

static int
set_text(char *dst, size_t size, const char *v, char *msg, size_t msize)
{
	if ((size_t)snprintf(dst, size, "%s", v) >= size) {
		snprintf(msg, msize, "waarde is te lang (maximaal %zu tekens)",
		    size - 1);
		return -1;
	}
	return 0;
}

static int
on_baseline(struct bl_state *st, const char *key, const char *v)
{
	struct baseline *b = st->b;
	double	x;
	int	i;

	for (i = 0; i < NBKEYS && strcmp(key, baseline_keys[i]) != 0; i++)
		;
	if (i == NBKEYS) {
		snprintf(st->msg, sizeof(st->msg), "onbekend veld '%s'", key);
		return -1;
	}
	st->seen_base |= 1u << i;
	if (i == K_VERSIE)
		return set_text(b->versie, sizeof(b->versie), v, st->msg,
		    sizeof(st->msg));
	if (i == K_BRON)
		return set_text(b->bron, sizeof(b->bron), v, st->msg,
		    sizeof(st->msg));
	if (parse_number(v, i == K_HORIZON ? 1 : 0, i == K_HORIZON ? 50 : 1e7,
	    &x, st->msg, sizeof(st->msg)) == -1)
		return -1;
	if (i == K_HORIZON)
		b->horizon_jaren = (int)x;
	else if (i == K_UITKERING)
		b->uitkering_per_jaar = x;
	else
		b->uitvoeringskosten_per_jaar = x;
	return 0;
}

static int
on_klasse(struct bl_state *st, int k, const char *key, const char *v)
{
	double	x;

	for (size_t i = 0; i < NKKEYS; i++) {
		if (strcmp(key, klasse_keys[i].key) != 0)
			continue;
		if (parse_number(v, 0, klasse_keys[i].is_rate ? 1 : 1e7, &x,
		    st->msg, sizeof(st->msg)) == -1)
			return -1;
		*(double *)(void *)((char *)&st->b->klasse[k] +
		    klasse_keys[i].off) = x;
		st->seen[k] |= 1u << i;
		return 0;
	}
	snprintf(st->msg, sizeof(st->msg), "onbekend veld '%s'", key);
	return -1;
}

/* libinih handler: returns 0 to make ini_parse report this line. */
static int
on_key(void *user, const char *section, const char *key, const char *value)
{
	struct bl_state *st = user;
	int	k = 0;
	char	tail;

	if (strcmp(section, "baseline") == 0)
		return on_baseline(st, key, value) == 0;
	if (sscanf(section, "duur-%d%c", &k, &tail) == 1 && k >= 1 &&
	    k <= BASELINE_NKLASSEN)
		return on_klasse(st, k - 1, key, value) == 0;
	snprintf(st->msg, sizeof(st->msg), "onbekende sectie [%s] (verwacht "
	    "[baseline] of [duur-1] … [duur-%d])", section,
	    BASELINE_NKLASSEN);
	return 0;
}

/* Checks after the whole file was read: every field, laag <= hoog. */
static int
check_baseline(const struct bl_state *st, const char *path, struct err *err)
{
	for (int i = 0; i < NBKEYS; i++)
		if (!(st->seen_base & (1u << i)))
			return err_set(err, "%s:0: [baseline] mist veld '%s'",
			    path, baseline_keys[i]);
	for (int k = 0; k < BASELINE_NKLASSEN; k++) {
		const struct baseline_klasse *c = &st->b->klasse[k];
		for (size_t i = 0; i < NKKEYS; i++)
			if (!(st->seen[k] & (1u << i)))
				return err_set(err, "%s:0: [duur-%d] mist veld "
				    "'%s'", path, k + 1, klasse_keys[i].key);
		if (c->alle_laag > c->alle_hoog || c->wo_laag > c->wo_hoog)
			return err_set(err, "%s:0: [duur-%d]: laag is groter "
			    "dan hoog", path, k + 1);
	}
	return 0;
}

int
baseline_load(const char *path, struct baseline *ret,
    struct err *err)
{
	struct bl_state st = { .b = ret };
	int	rc;

	memset(ret, 0, sizeof(*ret));
	rc = ini_parse(path, on_key, &st);
	if (rc == -1)
		return err_set(err, "%s:0: kan het bestand niet openen: %s",
		    path, strerror(errno));
	if (rc == -2)
		return err_set(err, "%s:0: onvoldoende geheugen", path);
	if (rc > 0)
		return err_set(err, "%s:%d: %s", path, rc, st.msg[0] ? st.msg :
		    "syntaxfout (verwacht sleutel = waarde)");
	return check_baseline(&st, path, err);
}
