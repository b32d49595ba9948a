/* src/cmd/basisd.c — the daemon's main: options, configuration, wiring of app,
 * route tables, inbox and http, signals. No logic of its own. */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert/alert.h"
#include "alert/alert_engine.h"
#include "serve/alertweb.h"
#include "serve/api.h"
#include "store/app.h"
#include "store/heal.h"
#include "base/auth.h"
#include "analysis/band.h"
#include "analysis/publish.h"
#include "input/catalog.h"
#include "base/conf.h"
#include "base/err.h"
#include "serve/http.h"
#include "serve/inbox.h"
#include "base/log.h"
#include "base/util.h"
#include "input/register.h"
#include "serve/routes.h"

/* The only mutable globals (conventions rule 4): set by the handler,
 * read by the main loop. */
static volatile sig_atomic_t got_term;
static volatile sig_atomic_t got_hup;

struct daemon {
	const char *conf_file;	/* -f */
	int	foreground;	/* -d */
	int	check_only;	/* -n */
	int	verbose;	/* -v, counted */
	struct conf *conf;
	char   *tls_cert, *tls_key;	/* PEM text read from the conf paths */
	struct http_opts http;
	struct app *app;
	struct api_ctx *api;
	struct http_server *srv;
	struct inbox *inbox;
	struct band *band;	/* group bands recomputed after each ingest */
	struct publish *pub;	/* withheld figures, per data version */
	struct alert_worker *alerts;	/* delivery and the daily pass */
	struct heal *heal;	/* pending series retried, broken files rebuilt */
};

static void
usage(FILE *fp)
{
	fprintf(fp, "gebruik: basisd [-d] [-f basisd.conf] [-n] [-v]\n"
	    "  -d                op de voorgrond (systemd, quickstart)\n"
	    "  -f BESTAND        configuratie (zie basisd.conf(5))\n"
	    "  -n                configuratie en catalogus controleren, dan "
	    "stoppen\n"
	    "  -v                meer logregels (herhaalbaar)\n"
	    "  -V, --version     versie\n"
	    "  -h, --help        deze hulp\n");
}

/* 0: run; 1: done (help or version), exit 0; -1: usage error. */
static int
parse_args(struct daemon *d, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int	ch;

	while ((ch = getopt_long(argc, argv, "df:nvhV", longopts, NULL)) !=
	    -1) {
		if (ch == 'h' || ch == 'V') {
			if (ch == 'h')
				usage(stdout);
			else
				printf("basisd %s\n", PACKAGE_VERSION);
			return 1;
		} else if (ch == 'd')
			d->foreground = 1;
		else if (ch == 'f')
			d->conf_file = optarg;
		else if (ch == 'n')
			d->check_only = 1;
		else if (ch == 'v')
			d->verbose++;
		else {
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}

/* A whole (small) file as a string: the TLS PEM files. */
static char *
read_text(const char *path, struct err *err)
{
	size_t	len;
	int	opened;
	char   *buf = util_read_file(path, (1 << 20) - 1, &len, &opened);

	if (buf != NULL && len == 0) {
		free(buf);
		buf = NULL;
	}
	if (buf == NULL)
		err_set(err, "%s: kan het bestand niet lezen", path);
	return buf;
}

/* Configuration → http options; the conf owns the strings. */
static int
load_settings(struct daemon *d, struct err *err)
{
	const struct conf *c;

	d->conf = d->conf_file ? conf_load(d->conf_file, err) :
	    conf_defaults();
	if (d->conf == NULL)
		return -1;
	c = d->conf;
	log_set_level(c->log_level);
	for (int i = 0; i < d->verbose && log_get_level() < LOG_LEVEL_DEBUG; i++)
		log_set_level(log_get_level() + 1);
	http_opts_from_conf(&d->http, c);
	if (c->tls_cert[0] != '\0') {
		if ((d->tls_cert = read_text(c->tls_cert, err)) == NULL ||
		    (d->tls_key = read_text(c->tls_key, err)) == NULL)
			return -1;
		d->http.tls_cert = d->tls_cert;
		d->http.tls_key = d->tls_key;
	}
	return 0;
}

/* -n: the catalogue, register and baseline are part of the configuration;
 * load them as a snapshot would, without touching the state. */
static int
check_catalog(const struct conf *c, struct err *err)
{
	return app_snapshot_check(c->catalog_dir, err) == 0 ? EXIT_SUCCESS :
	    EXIT_FAILURE;
}

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
}

/* Handlers for TERM, INT and HUP, which are then blocked so the server's
 * threads (started later) inherit the mask and only sigsuspend in the
 * main loop receives them. *ret_old is the mask to wait with. */
static int
install_signals(sigset_t *ret_old)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa, ign;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	memset(&ign, 0, sizeof(ign));
	sa.sa_handler = on_signal;
	ign.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&ign.sa_mask);
	sigemptyset(&block);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], &sa, NULL) != 0)
			return -1;
		sigaddset(&block, sigs[i]);
	}
	if (sigaction(SIGPIPE, &ign, NULL) != 0)
		return -1;
	return pthread_sigmask(SIG_BLOCK, &block, ret_old) == 0 ? 0 : -1;
}

/* The state, the route tables and the server. */
static int
start(struct daemon *d, struct err *err)
{
	const struct api_route *alert_routes;
	size_t	nalert;

	if ((d->app = app_open(d->conf, err)) == NULL)
		return -1;
	if ((d->pub = publish_new()) == NULL)
		return err_set(err, "onvoldoende geheugen");
	app_set_publish(d->app, d->pub);
	if ((d->band = band_new()) == NULL ||
	    app_add_hook(d->app, band_hook, d->band) == -1)
		return err_set(err, "onvoldoende geheugen");
	/* Bands first: peer-deviation rules read them. */
	if ((d->alerts = alert_worker_start(d->app, d->conf, err)) == NULL ||
	    app_add_hook(d->app, alert_hook, d->alerts) == -1)
		return -1;
	if ((d->heal = heal_start(d->app, d->conf->herstel_interval,
	    err)) == NULL)
		return -1;
	if ((d->api = api_ctx_new(d->conf->www_dir)) == NULL)
		return err_set(err, "onvoldoende geheugen");
	if (routes_install(d->api, d->app, err) == -1)
		return -1;
	alert_routes = alertweb_routes(&nalert);
	if (api_ctx_add_routes(d->api, alert_routes, nalert) == -1)
		return err_set(err, "te veel routetabellen");
	if ((d->inbox = inbox_start(d->app, d->conf->inbox_dir, err)) == NULL)
		return -1;
	if ((d->srv = http_start(&d->http, d->api, err)) == NULL)
		return -1;
	log_info("basisd luistert op http%s://%s:%u/ (staat %s)",
	    d->http.tls_cert ? "s" : "", d->conf->listen, http_port(d->srv),
	    d->conf->state_dir);
	return 0;
}

static void
stop(struct daemon *d)
{
	http_stop(d->srv);
	d->srv = NULL;
	inbox_stop(d->inbox);
	d->inbox = NULL;
	alert_worker_stop(d->alerts);
	d->alerts = NULL;
	heal_stop(d->heal);
	d->heal = NULL;
	routes_uninstall(d->api);
	api_ctx_free(d->api);
	app_close(d->app);
	band_free(d->band);
	publish_free(d->pub);
	conf_free(d->conf);
	free(d->tls_cert);
	free(d->tls_key);
}

static void
serve(struct daemon *d, const sigset_t *waitmask)
{
	struct err err = { "" };

	while (!got_term) {
		sigsuspend(waitmask);
		if (got_hup) {
			got_hup = 0;
			if (app_reload(d->app, &err) == -1)
				log_err("herladen mislukt, de oude catalogus "
				    "blijft: %s", err.msg);
		}
	}
	log_info("stoppen: lopende verzoeken worden afgemaakt");
}

int
main(int argc, char **argv)
{
	struct daemon d;
	struct err err = { "" };
	sigset_t waitmask;
	int	rc = EXIT_FAILURE;

	memset(&d, 0, sizeof(d));
	if ((rc = parse_args(&d, argc, argv)) != 0)
		return rc == 1 ? EXIT_SUCCESS : 2;
	rc = EXIT_FAILURE;
	if (auth_init() == -1 || load_settings(&d, &err) != 0) {
		fprintf(stderr, "basisd: %s\n", err.msg);
		goto out;
	}
	if (d.check_only) {
		rc = check_catalog(d.conf, &err);
		if (rc == EXIT_SUCCESS)
			printf("configuration OK\n");
		else
			fprintf(stderr, "basisd: %s\n", err.msg);
		goto out;
	}
	/* Before any thread exists; stderr stays open for the log. */
	if (!d.foreground && daemon(0, 1) != 0) {
		log_err("kan niet op de achtergrond draaien");
		goto out;
	}
	if (install_signals(&waitmask) != 0) {
		log_err("kan signalen niet instellen");
		goto out;
	}
	if (start(&d, &err) == -1) {
		log_err("%s", err.msg);
		goto out;
	}
	serve(&d, &waitmask);
	rc = EXIT_SUCCESS;
out:
	stop(&d);
	if (rc == EXIT_SUCCESS && !d.check_only)
		log_info("gestopt");
	return rc;
}
