/* src/base/conf.c — basisd.conf with libinih. Every key lives in one table
 * (section, name, type, default, range, field, Dutch help) that one loop
 * walks for defaults, parsing, listing and writing the default file. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/conf.h"
#include "base/num.h"

#ifndef BASISD_DATADIR
#define BASISD_DATADIR "/usr/local/share/basisd"
#endif

/* libinih reads at most INI_MAX_LINE - 1 characters of a line; we read the
 * lines ourselves so a longer one is an error, not two silent halves. */
#define LINE_MAX_CHARS (INI_MAX_LINE - 1)

enum key_type { K_INT, K_LONG, K_BYTES, K_ADDR, K_PATH, K_LEVEL, K_ARGV,
	K_IDS };

struct key_def {
	const char *section;
	const char *name;
	enum key_type type;
	const char *def;	/* default, exactly as written in the file */
	long long min, max;	/* numbers: range; strings: min 1 = non-empty */
	size_t	off;		/* offsetof(struct conf, field) */
	size_t	size;		/* sizeof the field */
	const char *help;	/* Dutch, one short line for the default file */
};

#define F(field) offsetof(struct conf, field), sizeof(((struct conf *)0)->field)
#define MIB	 (1024LL * 1024)

static const struct key_def keys[] = {
	{ "server", "listen", K_ADDR, "127.0.0.1", 1, 0, F(listen),
	    "IP-adres waarop basisd luistert (IPv4 of IPv6)" },
	{ "server", "port", K_INT, "8080", 0, 65535, F(port),
	    "TCP-poort (0 = een vrije poort, alleen voor tests)" },
	{ "server", "threads", K_INT, "4", 1, 256, F(threads),
	    "aantal threads dat HTTP-verzoeken afhandelt" },
	{ "server", "connection_timeout", K_INT, "30", 1, 3600,
	    F(connection_timeout), "seconden stilte waarna een verbinding "
	    "sluit" },
	{ "server", "max_connections", K_INT, "256", 1, 100000,
	    F(max_connections), "maximaal aantal gelijktijdige verbindingen" },
	{ "server", "per_ip_connections", K_INT, "32", 0, 100000,
	    F(per_ip_connections), "maximaal aantal verbindingen per "
	    "IP-adres (0 = geen grens)" },
	{ "server", "max_body", K_BYTES, "32M", 1024, 4096 * MIB, F(max_body),
	    "maximale grootte van een aanlevering in bytes (k, M of G mag)" },
	{ "server", "max_rows", K_LONG, "2000000", 1, 100000000, F(max_rows),
	    "maximaal aantal regels in een aanlevering" },
	{ "server", "max_field", K_INT, "1024", 16, 1048576, F(max_field),
	    "maximale lengte van een veld in een aanlevering (bytes)" },
	{ "server", "max_url", K_INT, "2048", 256, 65536, F(max_url),
	    "maximale lengte van een URL met query (bytes)" },
	{ "server", "toekomst_marge", K_INT, "0", 0, 24, F(toekomst_marge),
	    "aantal perioden na de huidige dat een aanlevering mag bevatten" },
	{ "server", "herstel_interval", K_INT, "60", 1, 86400,
	    F(herstel_interval), "seconden tussen pogingen om achterlopende "
	    "tijdreeksen bij te werken" },
	{ "server", "tls_cert", K_PATH, "", 0, 0, F(tls_cert),
	    "certificaat (PEM) voor HTTPS; alleen samen met tls_key" },
	{ "server", "tls_key", K_PATH, "", 0, 0, F(tls_key),
	    "privésleutel (PEM) voor HTTPS; alleen samen met tls_cert" },
	{ "paths", "state_dir", K_PATH, "./state", 1, 0, F(state_dir),
	    "map voor basis.db, rrd/ en cache/" },
	{ "paths", "catalog_dir", K_PATH, BASISD_DATADIR "/indicators", 1, 0,
	    F(catalog_dir), "map met de indicatorcatalogus (*.ini)" },
	{ "paths", "www_dir", K_PATH, BASISD_DATADIR "/www", 1, 0, F(www_dir),
	    "map met het dashboard" },
	{ "paths", "inbox_dir", K_PATH, "", 0, 0, F(inbox_dir),
	    "map voor aanleveringen als bestand (leeg = state_dir/inbox)" },
	{ "log", "level", K_LEVEL, "info", 0, 0, F(log_level),
	    "hoeveel basisd logt: error, warn, info of debug" },
	{ "alerts", "command", K_ARGV, "", 0, 0, F(alert_command),
	    "programma met argumenten dat elk signaal krijgt (geen shell)" },
	{ "alerts", "command_timeout", K_INT, "10", 1, 3600, F(alert_timeout),
	    "seconden waarna dat programma wordt gestopt" },
	{ "compare", "peers_k", K_INT, "10", 1, 400, F(peers_k),
	    "aantal vergelijkbare gemeenten per gemeente" },
	{ "compare", "peer_features", K_IDS,
	    "inwoners huishoudensgrootte", 1, 0,
	    F(peer_features), "indicatoren die bepalen welke gemeenten "
	    "vergelijkbaar zijn" },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))
_Static_assert(NKEYS <= 32, "seen bits are one uint32_t");

typedef int (*set_fn)(const struct key_def *, void *, const char *, char *,
    size_t);
typedef int (*fmt_fn)(const struct key_def *, const void *, char *, size_t);

/* A decimal integer in the key's range, with a k/M/G (×1024ⁿ) suffix when
 * allowed: the strict parser, so a suffix cannot overflow into range. */
static int
parse_number(const struct key_def *k, const char *v, int suffix,
    long long *ret, char *msg, size_t msize)
{
	struct err err = { "" };

	if ((suffix ? num_bytes(v, k->min, k->max, ret, &err) :
	    num_int(v, k->min, k->max, ret, &err)) == 0)
		return 0;
	snprintf(msg, msize, "%s: %s", k->name, err.msg);
	return -1;
}

static int
set_int(const struct key_def *k, void *f, const char *v, char *m, size_t ms)
{
	long long x;

	if (parse_number(k, v, 0, &x, m, ms) == -1)
		return -1;
	*(int *)f = (int)x;
	return 0;
}

static int
set_long(const struct key_def *k, void *f, const char *v, char *m, size_t ms)
{
	return parse_number(k, v, k->type == K_BYTES, (long long *)f, m, ms);
}

static int
set_string(const struct key_def *k, void *f, const char *v, char *m, size_t ms)
{
	if (k->min > 0 && *v == '\0') {
		snprintf(m, ms, "%s: mag niet leeg zijn", k->name);
		return -1;
	}
	if (snprintf(f, k->size, "%s", v) >= (int)k->size) {
		snprintf(m, ms, "%s: waarde is te lang (maximaal %zu tekens)",
		    k->name, k->size - 1);
		return -1;
	}
	return 0;
}

static int
set_addr(const struct key_def *k, void *f, const char *v, char *m, size_t ms)
{
	unsigned char buf[16];

	if (inet_pton(AF_INET, v, buf) != 1 &&
	    inet_pton(AF_INET6, v, buf) != 1) {
		snprintf(m, ms, "%s: '%s' is geen IP-adres (bijvoorbeeld "
		    "127.0.0.1 of ::1)", k->name, v);
		return -1;
	}
	return set_string(k, f, v, m, ms);
}

static int
set_level(const struct key_def *k, void *f, const char *v, char *m, size_t ms)
{
	if (log_level_parse(v, f) == 0)
		return 0;
	snprintf(m, ms, "%s: ongeldige waarde '%s' (kies uit: error, warn, "
	    "info, debug)", k->name, v);
	return -1;
}

/* Split on spaces and tabs; no quoting, so an argument has no spaces. */
static int
set_words(const struct key_def *k, void *f, const char *v, char *m, size_t ms)
{
	struct conf_words *w = f;
	size_t	len;

	memset(w, 0, sizeof(*w));
	for (v += strspn(v, " \t"); *v != '\0'; v += strspn(v, " \t")) {
		len = strcspn(v, " \t");
		if (w->n == CONF_WORDS_MAX) {
			snprintf(m, ms, "%s: meer dan %d woorden", k->name,
			    CONF_WORDS_MAX);
			return -1;
		}
		if (len >= CONF_WORD_SIZE) {
			snprintf(m, ms, "%s: woord is te lang (maximaal %d "
			    "tekens)", k->name, CONF_WORD_SIZE - 1);
			return -1;
		}
		memcpy(w->w[w->n++], v, len);
		v += len;
	}
	if (k->min > 0 && w->n == 0) {
		snprintf(m, ms, "%s: mag niet leeg zijn", k->name);
		return -1;
	}
	return 0;
}

static int
set_ids(const struct key_def *k, void *f, const char *v, char *m, size_t ms)
{
	const struct conf_words *w = f;

	if (set_words(k, f, v, m, ms) == -1)
		return -1;
	for (int i = 0; i < w->n; i++) {
		if (strspn(w->w[i], "abcdefghijklmnopqrstuvwxyz0123456789_") ==
		    strlen(w->w[i]))
			continue;
		snprintf(m, ms, "%s: '%s' is geen indicator-id (alleen a-z, "
		    "0-9 en _)", k->name, w->w[i]);
		return -1;
	}
	return 0;
}

static int
put(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
put(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int
fmt_int(const struct key_def *k, const void *f, char *buf, size_t size)
{
	(void)k;
	return put(buf, size, "%d", *(const int *)f);
}

static int
fmt_long(const struct key_def *k, const void *f, char *buf, size_t size)
{
	(void)k;
	return put(buf, size, "%lld", *(const long long *)f);
}

static int
fmt_string(const struct key_def *k, const void *f, char *buf, size_t size)
{
	(void)k;
	return put(buf, size, "%s", (const char *)f);
}

/* The inverse of log_level_parse (log.h has no name function). */
static const char *const level_names[] = { "error", "warn", "info",
	"debug" };

static int
fmt_level(const struct key_def *k, const void *f, char *buf, size_t size)
{
	enum log_level l = *(const enum log_level *)f;

	(void)k;
	return put(buf, size, "%s", level_names[l]);
}

static int
fmt_words(const struct key_def *k, const void *f, char *buf, size_t size)
{
	const struct conf_words *w = f;
	size_t	o = 0;

	(void)k;
	if (size == 0)
		return -1;
	buf[0] = '\0';
	for (int i = 0; i < w->n; i++) {
		if (put(buf + o, size - o, "%s%s", i ? " " : "", w->w[i]) == -1)
			return -1;
		o += strlen(buf + o);
	}
	return 0;
}

static const struct {
	set_fn	set;
	fmt_fn	fmt;
} types[] = {
	[K_INT] = { set_int, fmt_int },
	[K_LONG] = { set_long, fmt_long },
	[K_BYTES] = { set_long, fmt_long },
	[K_ADDR] = { set_addr, fmt_string },
	[K_PATH] = { set_string, fmt_string },
	[K_LEVEL] = { set_level, fmt_level },
	[K_ARGV] = { set_words, fmt_words },
	[K_IDS] = { set_ids, fmt_words },
};

static const struct key_def *
find_key(const char *section, const char *name, int *ret_section_known)
{
	*ret_section_known = 0;
	for (size_t i = 0; i < NKEYS; i++) {
		if (strcmp(section, keys[i].section) != 0)
			continue;
		*ret_section_known = 1;
		if (strcmp(name, keys[i].name) == 0)
			return &keys[i];
	}
	return NULL;
}

static struct conf *
conf_new_defaults(void)
{
	struct conf *c = calloc(1, sizeof(*c));
	char	msg[256];
	int	rc;

	if (c == NULL)
		return NULL;
	for (size_t i = 0; i < NKEYS; i++) {
		rc = types[keys[i].type].set(&keys[i], (char *)c + keys[i].off,
		    keys[i].def, msg, sizeof(msg));
		/* A default that does not parse is a bug in the table. */
		if (rc != 0)
			abort();
	}
	return c;
}

static void
default_inbox(struct conf *c)
{
	if (c->inbox_dir[0] == '\0' &&
	    snprintf(c->inbox_dir, sizeof(c->inbox_dir), "%s/inbox",
	    c->state_dir) >= (int)sizeof(c->inbox_dir))
		c->inbox_dir[0] = '\0';
}

struct conf *
conf_defaults(void)
{
	struct conf *c = conf_new_defaults();

	if (c != NULL)
		default_inbox(c);
	return c;
}

void
conf_free(struct conf *c)
{
	free(c);
}

/* --- parsing ------------------------------------------------------------ */

struct parse_state {
	struct conf *c;
	FILE   *fp;
	int	line;		/* lines read so far: the one inih is on */
	int	err_line;	/* first error we found ourselves; 0 = none */
	uint32_t seen;		/* bit per key already set */
	char	msg[256];
};

static void
parse_error(struct parse_state *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Keeps only the first error: inih does not stop at one. */
static void
parse_error(struct parse_state *st, const char *fmt, ...)
{
	va_list ap;

	if (st->err_line != 0)
		return;
	st->err_line = st->line;
	va_start(ap, fmt);
	vsnprintf(st->msg, sizeof(st->msg), fmt, ap);
	va_end(ap);
}

/* fgets for inih that counts lines (this inih has no line numbers in the
 * handler) and turns an over-long line into one error. */
static char *
read_line(char *str, int num, void *stream)
{
	struct parse_state *st = stream;
	size_t	n;
	int	ch;

	if (fgets(str, num, st->fp) == NULL)
		return NULL;
	st->line++;
	n = strlen(str);
	if ((n > 0 && str[n - 1] == '\n') || (ch = fgetc(st->fp)) == EOF)
		return str;
	if (ch == '\n')
		return str;	/* exactly num - 1 characters */
	while (ch != '\n' && ch != EOF)
		ch = fgetc(st->fp);
	parse_error(st, "regel is te lang (maximaal %d tekens)",
	    LINE_MAX_CHARS);
	str[0] = '\0';
	return str;
}

static int
on_key(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *st = user;
	const struct key_def *k;
	int	known;
	uint32_t bit;

	if ((k = find_key(section, name, &known)) == NULL) {
		if (*section == '\0')
			parse_error(st, "sleutel '%s' staat niet in een sectie",
			    name);
		else if (!known)
			parse_error(st, "onbekende sectie [%s]", section);
		else
			parse_error(st, "onbekende sleutel '%s' in [%s]", name,
			    section);
		return 0;
	}
	bit = 1u << (k - keys);
	if (st->seen & bit) {
		parse_error(st, "sleutel '%s' staat twee keer in [%s]", name,
		    section);
		return 0;
	}
	st->seen |= bit;
	if (types[k->type].set(k, (char *)st->c + k->off, value, st->msg,
	    sizeof(st->msg)) == 0)
		return 1;
	/* the setter wrote st->msg; keep it only if it is the first error */
	if (st->err_line == 0)
		st->err_line = st->line;
	return 0;
}

/* Checks that span keys; reported on line 0. */
static int
check_cross(const struct conf *c, const char *path, struct err *err)
{
	if ((c->tls_cert[0] == '\0') != (c->tls_key[0] == '\0'))
		return err_set(err, "%s:0: tls_cert en tls_key horen bij "
		    "elkaar: geef beide of geen van beide", path);
	if (c->per_ip_connections > c->max_connections)
		return err_set(err, "%s:0: per_ip_connections (%d) is groter "
		    "dan max_connections (%d)", path, c->per_ip_connections,
		    c->max_connections);
	return 0;
}

/* The absolute directory a file lives in. */
static int
file_dir(const char *path, char *buf, size_t size)
{
	char   *real = realpath(path, NULL), *slash;
	int	rc = -1;

	if (real == NULL)
		return -1;
	slash = strrchr(real, '/');
	if (slash == real)
		slash[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
	rc = put(buf, size, "%s", real);
	free(real);
	return rc;
}

/* dir + "/" + rel, with leading "./" of rel dropped; absolute and empty
 * paths are left alone. */
static int
resolve(char *p, size_t size, const char *dir)
{
	char	rel[CONF_PATH_SIZE];
	const char *r = p;

	if (*p == '\0' || *p == '/')
		return 0;
	while (r[0] == '.' && r[1] == '/')
		r += 2 + strspn(r + 2, "/");
	if (strcmp(r, ".") == 0)
		r = "";
	if (put(rel, sizeof(rel), "%s", r) == -1)
		return -1;
	return put(p, size, "%s%s%s", dir, strcmp(dir, "/") && *rel ? "/" : "",
	    rel);
}

static int
resolve_paths(struct conf *c, const char *path, struct err *err)
{
	char	dir[CONF_PATH_SIZE];

	if (file_dir(path, dir, sizeof(dir)) == -1)
		return err_set(err, "%s:0: kan de map van het bestand niet "
		    "bepalen: %s", path, strerror(errno));
	for (size_t i = 0; i < NKEYS; i++) {
		if (keys[i].type != K_PATH)
			continue;
		if (resolve((char *)c + keys[i].off, keys[i].size, dir) == -1)
			return err_set(err, "%s:0: %s: pad is te lang", path,
			    keys[i].name);
	}
	default_inbox(c);
	if (c->inbox_dir[0] == '\0')
		return err_set(err, "%s:0: inbox_dir: pad is te lang", path);
	return 0;
}

static int
parse_file(struct conf *c, const char *path, struct err *err)
{
	struct parse_state st = { .c = c };
	int	rc;

	if ((st.fp = fopen(path, "r")) == NULL)
		return err_set(err, "%s:0: kan het bestand niet lezen: %s",
		    path, strerror(errno));
	rc = ini_parse_stream(read_line, &st, on_key, &st);
	if (ferror(st.fp)) {
		fclose(st.fp);
		return err_set(err, "%s:%d: leesfout", path, st.line);
	}
	fclose(st.fp);
	if (st.err_line != 0 && (rc <= 0 || st.err_line <= rc))
		return err_set(err, "%s:%d: %s", path, st.err_line, st.msg);
	if (rc > 0)
		return err_set(err, "%s:%d: syntaxfout (verwacht [sectie] of "
		    "sleutel = waarde)", path, rc);
	if (rc < 0)
		return err_set(err, "%s:0: onvoldoende geheugen", path);
	return 0;
}

struct conf *
conf_load(const char *path, struct err *err)
{
	struct conf *c = conf_new_defaults();

	if (c == NULL) {
		err_set(err, "%s:0: onvoldoende geheugen", path);
		return NULL;
	}
	if (put(c->file, sizeof(c->file), "%s", path) == -1) {
		err_set(err, "%s:0: pad is te lang", path);
		goto fail;
	}
	if (parse_file(c, path, err) == -1 || check_cross(c, path, err) == -1 ||
	    resolve_paths(c, path, err) == -1)
		goto fail;
	return c;
fail:
	conf_free(c);
	return NULL;
}

int
conf_value(const struct conf *c, const char *section, const char *key,
    char *buf, size_t size)
{
	const struct key_def *k;
	int	known;

	if ((k = find_key(section, key, &known)) == NULL)
		return -1;
	return types[k->type].fmt(k, (const char *)c + k->off, buf, size);
}

void
conf_each_key(void (*fn)(const char *, const char *, void *), void *arg)
{
	for (size_t i = 0; i < NKEYS; i++)
		fn(keys[i].section, keys[i].name, arg);
}

/* --- the default file ---------------------------------------------------- */

static int
make_absolute(const char *in, char *out, size_t size)
{
	char	cwd[CONF_PATH_SIZE];

	if (*in == '/')
		return put(out, size, "%s", in);
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return -1;
	if (put(out, size, "%s", in) == -1)
		return -1;
	return resolve(out, size, cwd);
}

struct given {
	const char *key;
	char	value[CONF_PATH_SIZE];
};

static int
write_keys(FILE *fp, const struct given *g, size_t ng)
{
	const char *section = "";
	const char *value;

	fputs("# basisd.conf — configuratie van basisd, zie basisd.conf(5).\n"
	      "# Een regel '# sleutel = waarde' toont de standaardwaarde: haal\n"
	      "# het '#' weg om die te wijzigen. Relatieve paden gelden vanaf\n"
	      "# de map van dit bestand. Regels zijn hooguit 199 tekens.\n",
	    fp);
	for (size_t i = 0; i < NKEYS; i++) {
		if (strcmp(section, keys[i].section) != 0)
			fprintf(fp, "\n[%s]\n", keys[i].section);
		section = keys[i].section;
		value = NULL;
		for (size_t j = 0; j < ng; j++)
			if (strcmp(keys[i].name, g[j].key) == 0)
				value = g[j].value;
		fprintf(fp, "# %s\n", keys[i].help);
		if (value != NULL)
			fprintf(fp, "%s = %s\n", keys[i].name, value);
		else
			fprintf(fp, "# %s =%s%s\n", keys[i].name,
			    *keys[i].def ? " " : "", keys[i].def);
	}
	return ferror(fp) ? -1 : 0;
}

static int
fill_given(struct given *g, const char *state_dir, const char *catalog_dir,
    const char *www_dir, int port, struct err *err)
{
	const char *in[] = { state_dir, catalog_dir, www_dir };

	for (size_t i = 0; i < 3; i++) {
		if (make_absolute(in[i], g[i].value, sizeof(g[i].value)) == -1 ||
		    strlen(g[i].key) + 3 + strlen(g[i].value) > LINE_MAX_CHARS)
			return err_set(err, "%s: pad is te lang voor het "
			    "configuratiebestand", in[i]);
	}
	if (port < 0 || port > 65535)
		return err_set(err, "poort %d ligt buiten het bereik 0–65535",
		    port);
	snprintf(g[3].value, sizeof(g[3].value), "%d", port);
	return 0;
}

int
conf_write_default(const char *path, const char *state_dir,
    const char *catalog_dir, const char *www_dir, int port, struct err *err)
{
	struct given g[] = { { "state_dir", "" }, { "catalog_dir", "" },
		{ "www_dir", "" }, { "port", "" } };
	FILE   *fp = NULL;
	int	fd;

	if (fill_given(g, state_dir, catalog_dir, www_dir, port, err) == -1)
		return -1;
	/* O_EXCL: an existing file (an operator's edits) is never replaced. */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644)) == -1)
		return errno == EEXIST ? 0 : err_set(err, "%s: kan het bestand "
		    "niet maken: %s", path, strerror(errno));
	if ((fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		goto fail;
	}
	if (write_keys(fp, g, sizeof(g) / sizeof(g[0])) == -1 ||
	    fflush(fp) != 0 || fsync(fileno(fp)) != 0)
		goto fail;
	if (fclose(fp) != 0) {
		fp = NULL;
		goto fail;
	}
	return 0;
fail:
	err_set(err, "%s: kan het bestand niet schrijven: %s", path,
	    strerror(errno));
	if (fp != NULL)
		fclose(fp);
	unlink(path);
	return -1;
}
