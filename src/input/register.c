/* src/input/register.c — the gemeenten register: who exists (gemeenten.csv), who
 * merged away or was split (herindelingen.csv) and user-defined groups
 * (groepen.ini). Loaded at start-up and on SIGHUP; validate and compare only
 * read it. CSV goes through feed_parse so the Dutch CSV rules are shared. */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/num.h"
#include "base/util.h"
#include "input/feed.h"
#include "input/register.h"

#define MAX_CHAIN 8	/* successive herindelingen followed for a provincie */

/* Upper bounds (exclusive) of the CBS size classes 1..7; class 8 is open. */
static const long klasse_bounds[REGISTER_NKLASSEN - 1] = {
	5000, 10000, 20000, 50000, 100000, 150000, 250000,
};

static const char *const klasse_names[REGISTER_NKLASSEN] = {
	"minder dan 5.000 inwoners",
	"5.000 tot 10.000 inwoners",
	"10.000 tot 20.000 inwoners",
	"20.000 tot 50.000 inwoners",
	"50.000 tot 100.000 inwoners",
	"100.000 tot 150.000 inwoners",
	"150.000 tot 250.000 inwoners",
	"250.000 inwoners of meer",
};

enum { GM_CODE, GM_NAAM, GM_PROVINCIE, GM_INWONERS, GM_KLASSE, GM_NCOLS };
static const char *const gm_columns[GM_NCOLS] = {
	"code", "naam", "provincie", "inwoners", "grootteklasse",
};

enum { HI_DATUM, HI_OUDE_CODE, HI_OUDE_NAAM, HI_NIEUWE_CODE, HI_NIEUWE_NAAM,
	HI_BRON, HI_NCOLS };
static const char *const hi_columns[HI_NCOLS] = {
	"datum", "oude_code", "oude_naam", "nieuwe_code", "nieuwe_naam", "bron",
};

int
register_grootteklasse(long inwoners)
{
	int	k = 0;

	while (k < REGISTER_NKLASSEN - 1 && inwoners >= klasse_bounds[k])
		k++;
	return k + 1;
}

const char *
register_grootteklasse_name(int klasse)
{
	if (klasse < 1 || klasse > REGISTER_NKLASSEN)
		return "onbekende grootteklasse";
	return klasse_names[klasse - 1];
}

/* "GM" and four digits, exactly as CBS writes it. */
static int
is_code(const char *s)
{
	if (strncmp(s, "GM", 2) != 0 || strlen(s) != 6)
		return 0;
	for (int i = 2; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
set_str(char *dst, size_t size, const char *src, const char *what,
    const char *where, struct err *err)
{
	if (*src == '\0')
		return err_set(err, "%s: %s ontbreekt", where, what);
	if (strlen(src) >= size)
		return err_set(err, "%s: %s '%s' is te lang (maximaal %zu "
		    "bytes)", where, what, src, size - 1);
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

/* Read path into memory (NUL-terminated). A missing optional file sets
 * *ret_absent and returns NULL without an error. */
static char *
slurp(const char *path, int optional, size_t *ret_len, int *ret_absent,
    struct err *err)
{
	int	opened;
	char   *buf = util_read_file(path, SIZE_MAX - 1, ret_len, &opened);

	*ret_absent = !opened && optional && errno == ENOENT;
	if (buf == NULL && !opened && !*ret_absent)
		err_set(err, "%s:0: kan het bestand niet openen: %s", path,
		    strerror(errno));
	else if (buf == NULL && opened)
		err_set(err, "%s:0: kan het bestand niet lezen", path);
	return buf;
}

/* Read a register CSV through feed_parse and map its required columns into
 * idx. NULL with err set on any problem, or with *ret_absent set when an
 * optional file does not exist. */
static struct feed_table *
read_csv(const char *path, int optional, const char *const *cols,
    size_t ncols, int *idx, int *ret_absent, struct err *err)
{
	struct feed_table *t = NULL;
	struct report rep;
	size_t	len;
	char   *data = slurp(path, optional, &len, ret_absent, err);

	if (data == NULL)
		return NULL;
	report_init(&rep, path);
	t = feed_parse(data, len, NULL, &rep);
	if (report_count(&rep) > 0 || t == NULL) {
		if (rep.n > 0)
			err_set(err, "%s:%ld: %s", path, rep.items[0].line,
			    rep.items[0].reden);
		else
			err_set(err, "%s:0: onvoldoende geheugen", path);
		goto fail;
	}
	for (size_t i = 0; i < ncols; i++)
		if ((idx[i] = feed_column(t, cols[i])) == -1) {
			err_set(err, "%s:%ld: kolom '%s' ontbreekt", path,
			    t->header_line, cols[i]);
			goto fail;
		}
	goto out;
fail:
	feed_free(t);
	t = NULL;
out:
	report_free(&rep);
	free(data);
	return t;
}

static int
parse_long(const char *s, long *ret)
{
	long long v;

	if (*s < '0' || *s > '9' || num_int(s, 0, LONG_MAX, &v, NULL) == -1)
		return -1;
	*ret = (long)v;
	return 0;
}

/* One row of gemeenten.csv into g; where = "file:line". */
static int
gemeente_row(const struct feed_row *row, const int *idx, const char *where,
    struct gemeente *g, struct err *err)
{
	const char *code = row->fields[idx[GM_CODE]];
	const char *klasse = row->fields[idx[GM_KLASSE]];
	long	k;

	memset(g, 0, sizeof(*g));
	if (!is_code(code))
		return err_set(err, "%s: ongeldige gemeentecode '%s' (verwacht "
		    "GM en vier cijfers)", where, code);
	memcpy(g->code, code, 7);
	if (set_str(g->naam, sizeof(g->naam), row->fields[idx[GM_NAAM]],
	    "naam", where, err) == -1 ||
	    set_str(g->provincie, sizeof(g->provincie),
	    row->fields[idx[GM_PROVINCIE]], "provincie", where, err) == -1)
		return -1;
	if (parse_long(row->fields[idx[GM_INWONERS]], &g->inwoners) == -1)
		return err_set(err, "%s: ongeldig aantal inwoners '%s'", where,
		    row->fields[idx[GM_INWONERS]]);
	g->grootteklasse = register_grootteklasse(g->inwoners);
	if (parse_long(klasse, &k) == -1 || k != g->grootteklasse)
		return err_set(err, "%s: grootteklasse '%s' past niet bij %ld "
		    "inwoners (verwacht %d: %s)", where, klasse, g->inwoners,
		    g->grootteklasse,
		    register_grootteklasse_name(g->grootteklasse));
	g->actief = 1;
	return 0;
}

/* Codes and names are lookup keys: both must be unique. The register is a
 * few hundred rows, so a quadratic check is fine. */
static int
check_unique(const struct gemeente *gs, size_t n, const char *where,
    struct err *err)
{
	const struct gemeente *g = &gs[n];

	for (size_t i = 0; i < n; i++) {
		if (strcmp(gs[i].code, g->code) == 0)
			return err_set(err, "%s: gemeentecode %s staat er twee "
			    "keer in", where, g->code);
		if (strcmp(gs[i].naam, g->naam) == 0)
			return err_set(err, "%s: naam '%s' staat er twee keer "
			    "in", where, g->naam);
	}
	return 0;
}

static int
cmp_code(const void *a, const void *b)
{
	return strcmp(((const struct gemeente *)a)->code,
	    ((const struct gemeente *)b)->code);
}

static int
load_gemeenten(struct reg *reg, const char *dir, struct err *err)
{
	char	path[4096], where[4200];
	int	idx[GM_NCOLS], rc = -1, absent;
	struct feed_table *t;

	snprintf(path, sizeof(path), "%s/gemeenten.csv", dir);
	t = read_csv(path, 0, gm_columns, GM_NCOLS, idx, &absent, err);
	if (t == NULL)
		return -1;
	if ((reg->gemeenten = calloc(t->nrows + 1, sizeof(*reg->gemeenten))) ==
	    NULL) {
		err_set(err, "%s:0: onvoldoende geheugen", path);
		goto out;
	}
	for (size_t i = 0; i < t->nrows; i++) {
		snprintf(where, sizeof(where), "%s:%ld", path, t->rows[i].line);
		if (gemeente_row(&t->rows[i], idx, where, &reg->gemeenten[i],
		    err) == -1 ||
		    check_unique(reg->gemeenten, i, where, err) == -1)
			goto out;
	}
	reg->n = reg->nactief = t->nrows;
	qsort(reg->gemeenten, reg->n, sizeof(*reg->gemeenten), cmp_code);
	rc = 0;
out:
	feed_free(t);
	return rc;
}

static int
valid_date(const char *s)
{
	int	y, m, d, n = 0;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
	    n != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	return y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static const struct gemeente *
find_code(const struct gemeente *gs, size_t n, const char *code)
{
	struct gemeente key;

	snprintf(key.code, sizeof(key.code), "%s", code);
	return bsearch(&key, gs, n, sizeof(*gs), cmp_code);
}

static int
herindeling_row(const struct reg *reg, const struct feed_row *row,
    const int *idx, const char *where, struct herindeling *h,
    struct err *err)
{
	char  *const *f = row->fields;

	memset(h, 0, sizeof(*h));
	if (!valid_date(f[idx[HI_DATUM]]))
		return err_set(err, "%s: ongeldige datum '%s' (verwacht "
		    "JJJJ-MM-DD)", where, f[idx[HI_DATUM]]);
	memcpy(h->datum, f[idx[HI_DATUM]], 11);
	if (!is_code(f[idx[HI_OUDE_CODE]]) || !is_code(f[idx[HI_NIEUWE_CODE]]))
		return err_set(err, "%s: ongeldige gemeentecode (verwacht GM "
		    "en vier cijfers)", where);
	memcpy(h->oude_code, f[idx[HI_OUDE_CODE]], 7);
	memcpy(h->nieuwe_code, f[idx[HI_NIEUWE_CODE]], 7);
	if (find_code(reg->gemeenten, reg->nactief, h->oude_code) != NULL)
		return err_set(err, "%s: %s is opgeheven volgens "
		    "herindelingen.csv maar staat als actief in "
		    "gemeenten.csv", where, h->oude_code);
	if (set_str(h->oude_naam, sizeof(h->oude_naam), f[idx[HI_OUDE_NAAM]],
	    "oude_naam", where, err) == -1 ||
	    set_str(h->nieuwe_naam, sizeof(h->nieuwe_naam),
	    f[idx[HI_NIEUWE_NAAM]], "nieuwe_naam", where, err) == -1 ||
	    set_str(h->bron, sizeof(h->bron), f[idx[HI_BRON]], "bron", where,
	    err) == -1)
		return -1;
	return 0;
}

/* The provincie of a successor, following later herindelingen of the
 * successor itself until an active gemeente is reached. */
static const char *
successor_provincie(const struct reg *reg, const char *code)
{
	for (int hop = 0; hop < MAX_CHAIN; hop++) {
		const struct gemeente *g = find_code(reg->gemeenten,
		    reg->nactief, code);
		size_t	i;

		if (g != NULL)
			return g->provincie;
		for (i = 0; i < reg->nh; i++)
			if (strcmp(reg->herindelingen[i].oude_code, code) == 0)
				break;
		if (i == reg->nh)
			return "";
		code = reg->herindelingen[i].nieuwe_code;
	}
	return "";
}

/* Whether a new code is known: active, or itself merged away later. */
static int
known_code(const struct reg *reg, const char *code)
{
	if (find_code(reg->gemeenten, reg->nactief, code) != NULL)
		return 1;
	for (size_t i = 0; i < reg->nh; i++)
		if (strcmp(reg->herindelingen[i].oude_code, code) == 0)
			return 1;
	return 0;
}

/* The opgeheven entry for herindeling row i, if i is the first row of its
 * old code. A code with several successors is a split (Haaren): history
 * cannot be assigned to one successor, so there is no opvolger. */
static int
add_opgeheven(struct reg *reg, size_t i, const char *where, struct err *err)
{
	struct herindeling *h = &reg->herindelingen[i];
	struct gemeente *g;
	size_t	nsucc = 0;

	for (size_t k = 0; k < i; k++)
		if (strcmp(reg->herindelingen[k].oude_code, h->oude_code) == 0)
			return 0;
	for (size_t k = i; k < reg->nh; k++) {
		struct herindeling *o = &reg->herindelingen[k];

		if (strcmp(o->oude_code, h->oude_code) != 0)
			continue;
		if (strcmp(o->datum, h->datum) != 0)
			return err_set(err, "%s: %s heeft verschillende datums "
			    "van opheffing", where, h->oude_code);
		if (k > i && strcmp(o->nieuwe_code, h->nieuwe_code) == 0)
			return err_set(err, "%s: %s naar %s staat er twee keer "
			    "in", where, h->oude_code, h->nieuwe_code);
		nsucc++;
	}
	g = &reg->gemeenten[reg->n++];
	memset(g, 0, sizeof(*g));
	memcpy(g->code, h->oude_code, sizeof(g->code));
	memcpy(g->naam, h->oude_naam, sizeof(g->naam));
	memcpy(g->opgeheven, h->datum, sizeof(g->opgeheven));
	snprintf(g->provincie, sizeof(g->provincie), "%s",
	    successor_provincie(reg, h->nieuwe_code));
	if (nsucc == 1)
		memcpy(g->opvolger, h->nieuwe_code, sizeof(g->opvolger));
	g->gesplitst = nsucc > 1;
	for (size_t k = i; k < reg->nh; k++)
		if (strcmp(reg->herindelingen[k].oude_code, h->oude_code) == 0)
			reg->herindelingen[k].splitsing = nsucc > 1;
	return 0;
}

static int
build_opgeheven(struct reg *reg, const struct feed_table *t, const char *path,
    struct err *err)
{
	char	where[4200];
	void   *p = realloc(reg->gemeenten,
	    (reg->nactief + reg->nh + 1) * sizeof(*reg->gemeenten));

	if (p == NULL)
		return err_set(err, "%s:0: onvoldoende geheugen", path);
	reg->gemeenten = p;
	for (size_t i = 0; i < reg->nh; i++) {
		snprintf(where, sizeof(where), "%s:%ld", path, t->rows[i].line);
		if (!known_code(reg, reg->herindelingen[i].nieuwe_code))
			return err_set(err, "%s: onbekende nieuwe gemeente %s",
			    where, reg->herindelingen[i].nieuwe_code);
		if (add_opgeheven(reg, i, where, err) == -1)
			return -1;
	}
	qsort(reg->gemeenten + reg->nactief, reg->n - reg->nactief,
	    sizeof(*reg->gemeenten), cmp_code);
	return 0;
}

static int
load_herindelingen(struct reg *reg, const char *dir, struct err *err)
{
	char	path[4096], where[4200];
	int	idx[HI_NCOLS], rc = -1, absent;
	struct feed_table *t;

	snprintf(path, sizeof(path), "%s/herindelingen.csv", dir);
	t = read_csv(path, 1, hi_columns, HI_NCOLS, idx, &absent, err);
	if (t == NULL)
		return absent ? 0 : -1;	/* no file: no herindelingen */
	reg->herindelingen = calloc(t->nrows + 1, sizeof(*reg->herindelingen));
	if (reg->herindelingen == NULL) {
		err_set(err, "%s:0: onvoldoende geheugen", path);
		goto out;
	}
	for (size_t i = 0; i < t->nrows; i++) {
		snprintf(where, sizeof(where), "%s:%ld", path, t->rows[i].line);
		if (herindeling_row(reg, &t->rows[i], idx, where,
		    &reg->herindelingen[i], err) == -1)
			goto out;
	}
	reg->nh = t->nrows;
	rc = build_opgeheven(reg, t, path, err);
out:
	feed_free(t);
	return rc;
}

/* groepen.ini is read through ini_parse_stream with a reader that counts
 * lines, so every error names its own line, also after a section check. */
struct ini_state {
	struct reg *reg;
	FILE   *fp;
	long	line;		/* line being parsed */
	int	at_start;	/* the next chunk starts a new line */
	struct groep *cur;
	long	cur_line;	/* line where cur was first seen */
	unsigned seen;		/* bit per key of cur */
	long	err_line;
	char	msg[256];
};

static int
ini_fail_at(struct ini_state *st, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Keep the first problem (inih goes on after a handler error). Returns 0,
 * the handler's "error" value. */
static int
ini_fail_at(struct ini_state *st, long line, const char *fmt, ...)
{
	va_list ap;

	if (st->msg[0] == '\0') {
		st->err_line = line;
		va_start(ap, fmt);
		vsnprintf(st->msg, sizeof(st->msg), fmt, ap);
		va_end(ap);
	}
	return 0;
}

#define ini_fail(st, ...) ini_fail_at((st), (st)->line, __VA_ARGS__)

/* inih reads at most INI_MAX_LINE bytes per call and would parse the rest of
 * a longer line as a line of its own: refuse such lines instead. */
static char *
line_reader(char *str, int num, void *stream)
{
	struct ini_state *st = stream;
	char   *s = fgets(str, num, st->fp);
	size_t	n;

	if (s == NULL)
		return NULL;
	if (st->at_start)
		st->line++;
	n = strlen(s);
	st->at_start = n > 0 && s[n - 1] == '\n';
	if (!st->at_start && !feof(st->fp)) {
		ini_fail(st, "regel is te lang (maximaal %d tekens); laat de "
		    "lijst doorlopen op een volgende, ingesprongen regel",
		    num - 2);
		return NULL;
	}
	return s;
}

static int
g_naam(struct ini_state *st, const char *v)
{
	if (strlen(v) >= sizeof(st->cur->naam))
		return ini_fail(st, "naam is te lang");
	memcpy(st->cur->naam, v, strlen(v) + 1);
	return 1;
}

static int
g_omschrijving(struct ini_state *st, const char *v)
{
	if (strlen(v) >= sizeof(st->cur->omschrijving))
		return ini_fail(st, "omschrijving is te lang");
	memcpy(st->cur->omschrijving, v, strlen(v) + 1);
	return 1;
}

static int
g_add_code(struct ini_state *st, const char *code)
{
	struct groep *g = st->cur;
	void   *p;

	if (!is_code(code) ||
	    find_code(st->reg->gemeenten, st->reg->nactief, code) == NULL)
		return ini_fail(st, "onbekende gemeente '%s' in groep [%s] "
		    "(verwacht de code van een bestaande gemeente, zoals "
		    "GM0363)", code, g->id);
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->codes[i], code) == 0)
			return ini_fail(st, "gemeente %s staat twee keer in "
			    "groep [%s]", code, g->id);
	if ((p = realloc(g->codes, (g->n + 1) * sizeof(*g->codes))) == NULL)
		return ini_fail(st, "onvoldoende geheugen");
	g->codes = p;
	memcpy(g->codes[g->n++], code, 7);
	return 1;
}

/* Called once per line of the list: continuation lines repeat the key. */
static int
g_gemeenten(struct ini_state *st, const char *v)
{
	char	code[16];
	int	n;

	while (sscanf(v, " %15s%n", code, &n) == 1) {
		if (!g_add_code(st, code))
			return 0;
		v += n;
	}
	return 1;
}

static const struct {
	const char *key;
	int	(*set)(struct ini_state *, const char *);
	int	repeatable;	/* multi-line value */
} groep_keys[] = {
	{ "naam", g_naam, 0 },
	{ "omschrijving", g_omschrijving, 0 },
	{ "gemeenten", g_gemeenten, 1 },
};
#define NGROEP_KEYS (sizeof(groep_keys) / sizeof(*groep_keys))

static int
groep_done(struct ini_state *st)
{
	/* Reported at the group's first key: inih does not tell where a
	 * section header was. */
	if (st->cur == NULL)
		return 1;
	if (st->cur->naam[0] == '\0')
		return ini_fail_at(st, st->cur_line, "groep [%s] heeft geen "
		    "naam", st->cur->id);
	if (st->cur->n == 0)
		return ini_fail_at(st, st->cur_line, "groep [%s] heeft geen "
		    "gemeenten", st->cur->id);
	return 1;
}

static int
groep_start(struct ini_state *st, const char *section)
{
	struct reg *reg = st->reg;
	void   *p;

	if (!groep_done(st))
		return 0;
	if (*section == '\0' || strlen(section) >= sizeof(reg->groepen->id))
		return ini_fail(st, "sleutel buiten een geldige [groep]-sectie");
	if (register_groep_find(reg, section) != NULL)
		return ini_fail(st, "groep [%s] staat er twee keer in",
		    section);
	if ((p = realloc(reg->groepen, (reg->ng + 1) *
	    sizeof(*reg->groepen))) == NULL)
		return ini_fail(st, "onvoldoende geheugen");
	reg->groepen = p;
	st->cur = &reg->groepen[reg->ng++];
	memset(st->cur, 0, sizeof(*st->cur));
	memcpy(st->cur->id, section, strlen(section) + 1);
	st->cur_line = st->line;
	st->seen = 0;
	return 1;
}

static int
on_groep_key(void *user, const char *section, const char *key,
    const char *value)
{
	struct ini_state *st = user;

	if (st->msg[0] != '\0')
		return 0;
	if ((st->cur == NULL || strcmp(st->cur->id, section) != 0) &&
	    !groep_start(st, section))
		return 0;
	for (size_t i = 0; i < NGROEP_KEYS; i++) {
		if (strcmp(key, groep_keys[i].key) != 0)
			continue;
		if ((st->seen & (1u << i)) && !groep_keys[i].repeatable)
			return ini_fail(st, "sleutel '%s' staat er twee keer "
			    "in groep [%s]", key, section);
		st->seen |= 1u << i;
		return groep_keys[i].set(st, value);
	}
	return ini_fail(st, "onbekende sleutel '%s' (verwacht naam, "
	    "omschrijving of gemeenten)", key);
}

static int
load_groepen(struct reg *reg, const char *dir, struct err *err)
{
	struct ini_state st = { .reg = reg, .at_start = 1 };
	char	path[4096];
	int	rc;

	snprintf(path, sizeof(path), "%s/groepen.ini", dir);
	if ((st.fp = fopen(path, "r")) == NULL)
		return errno == ENOENT ? 0 : err_set(err, "%s:0: kan het "
		    "bestand niet openen: %s", path, strerror(errno));
	rc = ini_parse_stream(line_reader, &st, on_groep_key, &st);
	fclose(st.fp);
	if (st.msg[0] == '\0' && rc == 0)
		groep_done(&st);
	if (st.msg[0] != '\0')
		return err_set(err, "%s:%ld: %s", path, st.err_line, st.msg);
	if (rc != 0)
		return err_set(err, "%s:%d: syntaxfout (verwacht [groep] of "
		    "sleutel = waarde)", path, rc);
	return 0;
}

struct reg *
register_load(const char *dir, struct err *err)
{
	struct reg *reg = calloc(1, sizeof(*reg));

	if (reg == NULL) {
		err_set(err, "%s: onvoldoende geheugen", dir);
		return NULL;
	}
	if (load_gemeenten(reg, dir, err) == -1 ||
	    load_herindelingen(reg, dir, err) == -1 ||
	    load_groepen(reg, dir, err) == -1) {
		register_free(reg);
		return NULL;
	}
	return reg;
}

void
register_free(struct reg *reg)
{
	if (reg == NULL)
		return;
	for (size_t i = 0; i < reg->ng; i++)
		free(reg->groepen[i].codes);
	free(reg->groepen);
	free(reg->herindelingen);
	free(reg->gemeenten);
	free(reg);
}

/* "GM0363" in any case or "0363" into canonical "GM0363"; 0 or -1. */
static int
canonical_code(const char *key, char *code)
{
	if (strncasecmp(key, "GM", 2) == 0)
		key += 2;
	if (strlen(key) != 4)
		return -1;
	for (int i = 0; i < 4; i++)
		if (key[i] < '0' || key[i] > '9')
			return -1;
	snprintf(code, 8, "GM%s", key);
	return 0;
}

const struct gemeente *
register_find(const struct reg *reg, const char *key)
{
	char	code[8];

	if (canonical_code(key, code) == 0) {
		const struct gemeente *g = find_code(reg->gemeenten,
		    reg->nactief, code);

		return g ? g : find_code(reg->gemeenten + reg->nactief,
		    reg->n - reg->nactief, code);
	}
	/* Active ones come first, so they win a name shared with an old
	 * gemeente. */
	for (size_t i = 0; i < reg->n; i++)
		if (strcmp(reg->gemeenten[i].naam, key) == 0)
			return &reg->gemeenten[i];
	return NULL;
}

const struct groep *
register_groep_find(const struct reg *reg, const char *id)
{
	for (size_t i = 0; i < reg->ng; i++)
		if (strcasecmp(reg->groepen[i].id, id) == 0)
			return &reg->groepen[i];
	return NULL;
}

int
register_scope_parse(const struct reg *reg, const char *text,
    struct reg_scope *ret)
{
	const char *p = text;
	char	code[16];
	size_t	n;

	memset(ret, 0, sizeof(*ret));
	ret->reg = reg;
	p += strspn(p, " ");
	ret->all = *p == '\0';
	for (; *p != '\0'; p += n, p += strspn(p, " ")) {
		const struct gemeente *g;

		n = strcspn(p, " ");
		if (n >= sizeof(code))
			continue;	/* no code is that long */
		memcpy(code, p, n);
		code[n] = '\0';
		/* codes compare exactly, as the ledger stores them */
		if ((g = register_find(reg, code)) == NULL ||
		    strcmp(g->code, code) != 0)
			continue;
		if (ret->n == REG_SCOPE_MAX)
			return -1;
		ret->rows[ret->n++] = (size_t)(g - reg->gemeenten);
	}
	return 0;
}

int
register_scope_has(const struct reg_scope *s, size_t row)
{
	if (s->all)
		return 1;
	for (size_t i = 0; i < s->n; i++)
		if (s->rows[i] == row)
			return 1;
	return 0;
}

int
register_scope_allows(const struct reg_scope *s, const struct reg *reg,
    const struct gemeente *g)
{
	assert(reg == s->reg);	/* rows index the register parsed against */
	return g != NULL && g >= reg->gemeenten && g < reg->gemeenten +
	    reg->n && register_scope_has(s, (size_t)(g - reg->gemeenten));
}
