/* tests/check_conf.c — basisd.conf: defaults, every kind of value, path
 * resolution, "file:line: message" errors and the default file. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/conf.h"
#include "testutil.h"

/* "@" in an expected value stands for the directory of the file. */
static const struct {
	const char *ini;
	const char *section, *key;
	const char *expected;
} good[] = {
	{ "", "server", "listen", "127.0.0.1" },
	{ "", "server", "port", "8080" },
	{ "", "server", "threads", "4" },
	{ "", "server", "connection_timeout", "30" },
	{ "", "server", "max_connections", "256" },
	{ "", "server", "per_ip_connections", "32" },
	{ "", "server", "max_body", "33554432" },
	{ "", "server", "max_rows", "2000000" },
	{ "", "server", "max_field", "1024" },
	{ "", "server", "max_url", "2048" },
	{ "", "server", "tls_cert", "" },
	{ "", "paths", "state_dir", "@/state" },
	{ "", "paths", "inbox_dir", "@/state/inbox" },
	{ "", "paths", "catalog_dir", BASISD_DATADIR "/indicators" },
	{ "", "paths", "www_dir", BASISD_DATADIR "/www" },
	{ "", "log", "level", "info" },
	{ "", "alerts", "command", "" },
	{ "", "alerts", "command_timeout", "10" },
	{ "", "compare", "peers_k", "10" },
	{ "", "compare", "peer_features",
	    "inwoners huishoudensgrootte" },
	{ "[server]\nport = 9090\n", "server", "port", "9090" },
	{ "[server]\nport = 0\n", "server", "port", "0" },
	{ "[server]\nlisten = ::1\n", "server", "listen", "::1" },
	{ "[server]\nlisten = 0.0.0.0\n", "server", "listen", "0.0.0.0" },
	{ "[server]\nmax_body = 1M\n", "server", "max_body", "1048576" },
	{ "[server]\nmax_body = 64k\n", "server", "max_body", "65536" },
	{ "[server]\nmax_body = 2G\n", "server", "max_body", "2147483648" },
	{ "[server]\nmax_body = 4096\n", "server", "max_body", "4096" },
	{ "[server]\nper_ip_connections = 0\n", "server",
	    "per_ip_connections", "0" },
	{ "[server]\ntls_cert = c.pem\ntls_key = /etc/k.pem\n", "server",
	    "tls_cert", "@/c.pem" },
	{ "[server]\ntls_cert = c.pem\ntls_key = /etc/k.pem\n", "server",
	    "tls_key", "/etc/k.pem" },
	{ "[paths]\nstate_dir = /var/lib/basisd\n", "paths", "inbox_dir",
	    "/var/lib/basisd/inbox" },
	{ "[paths]\nstate_dir = ./s\ninbox_dir = in\n", "paths", "state_dir",
	    "@/s" },
	{ "[paths]\nstate_dir = ./s\ninbox_dir = in\n", "paths", "inbox_dir",
	    "@/in" },
	{ "[paths]\nstate_dir = .\n", "paths", "state_dir", "@" },
	{ "[paths]\ncatalog_dir = ../ind\n", "paths", "catalog_dir",
	    "@/../ind" },
	{ "[log]\nlevel = debug\n", "log", "level", "debug" },
	{ "[alerts]\ncommand = /usr/bin/logger  -t\tbasisd\n", "alerts",
	    "command", "/usr/bin/logger -t basisd" },
	{ "[compare]\npeer_features = a b_1\n", "compare", "peer_features",
	    "a b_1" },
	{ "; comment\n# comment\n\n[server]\nport = 81 ; inline\n", "server",
	    "port", "81" },
	{ "\xEF\xBB\xBF[server]\r\nport = 82\r\n", "server", "port", "82" },
	{ "[server]\nport=83", "server", "port", "83" },
};

/* Messages after the file name. */
static const struct {
	const char *ini;
	const char *msg;
} bad[] = {
	{ "[foo]\nx = 1\n", ":2: onbekende sectie [foo]" },
	{ "[server]\nfoo = 1\n", ":2: onbekende sleutel 'foo' in [server]" },
	{ "port = 1\n", ":1: sleutel 'port' staat niet in een sectie" },
	{ "[server]\nport = abc\n", ":2: port: 'abc' is geen geheel getal" },
	{ "[server]\nport = 80x\n", ":2: port: '80x' is geen geheel getal" },
	{ "[server]\nport = 8k\n", ":2: port: '8k' is geen geheel getal" },
	{ "[server]\nport =\n", ":2: port: '' is geen geheel getal" },
	{ "[server]\nport = 70000\n",
	    ":2: port: 70000 ligt buiten het bereik 0–65535" },
	{ "[server]\nport = -1\n",
	    ":2: port: -1 ligt buiten het bereik 0–65535" },
	{ "[server]\nthreads = 0\n",
	    ":2: threads: 0 ligt buiten het bereik 1–256" },
	{ "[server]\nmax_body = 10\n",
	    ":2: max_body: 10 ligt buiten het bereik 1024–4294967296" },
	{ "[server]\nmax_body = 5G\n",
	    ":2: max_body: 5G ligt buiten het bereik 1024–4294967296" },
	{ "[server]\nmax_body = 1T\n",
	    ":2: max_body: '1T' is geen geheel getal" },
	/* the G used to overflow a negative size into range */
	{ "[server]\nmax_body = -17179869183G\n",
	    ":2: max_body: -17179869183G ligt buiten het bereik "
	    "1024–4294967296" },
	{ "[server]\nport = 99999999999999999999\n",
	    ":2: port: 99999999999999999999 ligt buiten het bereik 0–65535" },
	{ "[server]\nlisten = localhost\n", ":2: listen: 'localhost' is geen "
	    "IP-adres (bijvoorbeeld 127.0.0.1 of ::1)" },
	{ "[server]\nport = 1\nport = 2\n",
	    ":3: sleutel 'port' staat twee keer in [server]" },
	{ "[server]\ntls_cert = c.pem\n", ":0: tls_cert en tls_key horen bij "
	    "elkaar: geef beide of geen van beide" },
	{ "[server]\ntls_key = k.pem\n", ":0: tls_cert en tls_key horen bij "
	    "elkaar: geef beide of geen van beide" },
	{ "[server]\nmax_connections = 10\n", ":0: per_ip_connections (32) "
	    "is groter dan max_connections (10)" },
	{ "[log]\nlevel = loud\n", ":2: level: ongeldige waarde 'loud' (kies "
	    "uit: error, warn, info, debug)" },
	{ "[server]\nthis is not ini\n",
	    ":2: syntaxfout (verwacht [sectie] of sleutel = waarde)" },
	{ "[server]\nbroken\nfoo = 1\n",
	    ":2: syntaxfout (verwacht [sectie] of sleutel = waarde)" },
	{ "[server]\nfoo = 1\nbroken\n",
	    ":2: onbekende sleutel 'foo' in [server]" },
	{ "[paths]\nstate_dir =\n", ":2: state_dir: mag niet leeg zijn" },
	{ "[compare]\npeer_features = Inwoners\n", ":2: peer_features: "
	    "'Inwoners' is geen indicator-id (alleen a-z, 0-9 en _)" },
	{ "[compare]\npeer_features =\n",
	    ":2: peer_features: mag niet leeg zijn" },
	{ "[alerts]\ncommand = a b c d e f g h i j k l m n o p q\n",
	    ":2: command: meer dan 16 woorden" },
};

struct fixture {
	char   *tmp;	/* as made by tu_tmpdir */
	char   *dir;	/* its realpath: what "@" stands for */
	char	path[PATH_MAX];
};

static void
fixture_open(struct fixture *fx, const char *ini)
{
	fx->tmp = tu_tmpdir();
	fx->dir = realpath(fx->tmp, NULL);
	ck_assert_ptr_nonnull(fx->dir);
	snprintf(fx->path, sizeof(fx->path), "%s/basisd.conf", fx->tmp);
	if (ini != NULL)
		tu_write_file(fx->path, ini, strlen(ini));
}

static void
fixture_close(struct fixture *fx)
{
	tu_rm_rf(fx->tmp);
	free(fx->tmp);
	free(fx->dir);
}

static void
expand(const char *pattern, const char *dir, char *buf, size_t size)
{
	if (pattern[0] == '@')
		snprintf(buf, size, "%s%s", dir, pattern + 1);
	else
		snprintf(buf, size, "%s", pattern);
}

START_TEST(test_good)
{
	struct fixture fx;
	struct err err = { "" };
	struct conf *c;
	char	got[CONF_PATH_SIZE], want[CONF_PATH_SIZE];

	fixture_open(&fx, good[_i].ini);
	c = conf_load(fx.path, &err);
	ck_assert_msg(c != NULL, "%s", err.msg);
	ck_assert_int_eq(conf_value(c, good[_i].section, good[_i].key, got,
	    sizeof(got)), 0);
	expand(good[_i].expected, fx.dir, want, sizeof(want));
	ck_assert_str_eq(got, want);
	ck_assert_str_eq(c->file, fx.path);
	conf_free(c);
	fixture_close(&fx);
}
END_TEST

START_TEST(test_bad)
{
	struct fixture fx;
	struct err err = { "" };
	size_t	n;

	fixture_open(&fx, bad[_i].ini);
	ck_assert_ptr_null(conf_load(fx.path, &err));
	n = strlen(fx.path);
	ck_assert_msg(strncmp(err.msg, fx.path, n) == 0, "%s", err.msg);
	ck_assert_str_eq(err.msg + n, bad[_i].msg);
	fixture_close(&fx);
}
END_TEST

/* inih reads 199 characters of a line; longer ones must not be split into
 * two silent halves. */
START_TEST(test_long_line)
{
	struct fixture fx;
	struct err err = { "" };
	char	ini[512], want[PATH_MAX + 64];

	snprintf(ini, sizeof(ini), "[server]\n# %0250d\nport = 1\n", 0);
	fixture_open(&fx, ini);
	ck_assert_ptr_null(conf_load(fx.path, &err));
	snprintf(want, sizeof(want), "%s:2: regel is te lang (maximaal 199 "
	    "tekens)", fx.path);
	ck_assert_str_eq(err.msg, want);
	fixture_close(&fx);
}
END_TEST

START_TEST(test_missing_file)
{
	struct fixture fx;
	struct err err = { "" };
	char	want[PATH_MAX + 64];

	fixture_open(&fx, NULL);
	ck_assert_ptr_null(conf_load(fx.path, &err));
	snprintf(want, sizeof(want), "%s:0: kan het bestand niet lezen: %s",
	    fx.path, strerror(ENOENT));
	ck_assert_str_eq(err.msg, want);
	fixture_close(&fx);
}
END_TEST

START_TEST(test_structured)
{
	struct fixture fx;
	struct err err = { "" };
	struct conf *c;

	fixture_open(&fx, "[alerts]\ncommand = /bin/echo signaal\n"
			  "command_timeout = 3\n[log]\nlevel = warn\n"
			  "[server]\nmax_rows = 5\n");
	c = conf_load(fx.path, &err);
	ck_assert_msg(c != NULL, "%s", err.msg);
	ck_assert_int_eq(c->alert_command.n, 2);
	ck_assert_str_eq(c->alert_command.w[0], "/bin/echo");
	ck_assert_str_eq(c->alert_command.w[1], "signaal");
	ck_assert_int_eq(c->alert_timeout, 3);
	ck_assert_int_eq(c->log_level, LOG_LEVEL_WARN);
	ck_assert_int_eq(c->max_rows, 5);
	ck_assert_int_eq(c->peer_features.n, 2);
	conf_free(c);
	fixture_close(&fx);
}
END_TEST

START_TEST(test_defaults)
{
	struct conf *c = conf_defaults();
	char	buf[8];

	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->state_dir, "./state");
	ck_assert_str_eq(c->inbox_dir, "./state/inbox");
	ck_assert_str_eq(c->listen, "127.0.0.1");
	ck_assert_int_eq(c->port, 8080);
	ck_assert_int_eq(c->max_body, 32LL * 1024 * 1024);
	ck_assert_str_eq(c->file, "");
	ck_assert_int_eq(conf_value(c, "server", "nope", buf, sizeof(buf)),
	    -1);
	ck_assert_int_eq(conf_value(c, "nope", "port", buf, sizeof(buf)), -1);
	/* too small a buffer is an error, not a silent truncation */
	ck_assert_int_eq(conf_value(c, "paths", "state_dir", buf, 4), -1);
	conf_free(c);
	conf_free(NULL);
}
END_TEST

struct compare_arg {
	const struct conf *a, *b;
	int	differ;
};

/* Keys conf_write_default sets, and paths (resolved differently). */
static int
is_given(const char *section, const char *key)
{
	return strcmp(section, "paths") == 0 || strcmp(key, "port") == 0;
}

static void
compare_key(const char *section, const char *key, void *arg)
{
	struct compare_arg *ca = arg;
	char	x[CONF_PATH_SIZE], y[CONF_PATH_SIZE];

	if (is_given(section, key))
		return;
	ck_assert_int_eq(conf_value(ca->a, section, key, x, sizeof(x)), 0);
	ck_assert_int_eq(conf_value(ca->b, section, key, y, sizeof(y)), 0);
	if (strcmp(x, y) != 0)
		ca->differ++;
}

/* The written file loads, sets what was given, and its commented-out
 * defaults are the real defaults. A second write keeps the first file. */
START_TEST(test_write_default)
{
	struct fixture fx;
	struct err err = { "" };
	struct conf *c, *d;
	char	cwd[PATH_MAX], want[PATH_MAX + 16];
	struct compare_arg ca = { 0 };
	char   *before, *after;

	fixture_open(&fx, NULL);
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(conf_write_default(fx.path, "./st", "/x/indicators",
	    "/x/www", 8099, &err), 0);
	c = conf_load(fx.path, &err);
	ck_assert_msg(c != NULL, "%s", err.msg);
	snprintf(want, sizeof(want), "%s/st", cwd);
	ck_assert_str_eq(c->state_dir, want);
	ck_assert_str_eq(c->catalog_dir, "/x/indicators");
	ck_assert_str_eq(c->www_dir, "/x/www");
	ck_assert_int_eq(c->port, 8099);
	d = conf_defaults();
	ca.a = c;
	ca.b = d;
	conf_each_key(compare_key, &ca);
	ck_assert_int_eq(ca.differ, 0);
	before = tu_read_file(fx.path, NULL);
	ck_assert_int_eq(conf_write_default(fx.path, "/y", "/y", "/y", 1,
	    &err), 0);
	after = tu_read_file(fx.path, NULL);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	conf_free(c);
	conf_free(d);
	fixture_close(&fx);
}
END_TEST

START_TEST(test_write_default_errors)
{
	struct err err = { "" };
	char	want[256];

	ck_assert_int_eq(conf_write_default("/nonexistent/dir/basisd.conf",
	    "/s", "/c", "/w", 80, &err), -1);
	snprintf(want, sizeof(want), "/nonexistent/dir/basisd.conf: kan het "
	    "bestand niet maken: %s", strerror(ENOENT));
	ck_assert_str_eq(err.msg, want);
	ck_assert_int_eq(conf_write_default("/tmp/never-written.conf", "/s",
	    "/c", "/w", 70000, &err), -1);
	ck_assert_str_eq(err.msg, "poort 70000 ligt buiten het bereik "
				  "0–65535");
	ck_assert_int_eq(access("/tmp/never-written.conf", F_OK), -1);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("conf");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_loop_test(tc, test_good, 0, sizeof(good) / sizeof(*good));
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(*bad));
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_structured);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_write_default);
	tcase_add_test(tc, test_write_default_errors);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
