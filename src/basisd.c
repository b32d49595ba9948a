/* src/basisd.c — the daemon's main: options, settings, wiring of api and
 * http, signals. No logic of its own. Settings come from built-in defaults
 * and BASISD_* environment variables until conf_load takes over (-f). */
#include "config.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "err.h"
#include "http.h"
#include "log.h"

/* The only mutable globals (conventions rule 4): set by the handler,
 * read by the main loop. */
static volatile sig_atomic_t got_term;
static volatile sig_atomic_t got_hup;

struct app {
	const char *conf_file;	/* -f; read by conf_load once it exists */
	int	foreground;	/* -d */
	int	check_only;	/* -n */
	char	www_dir[PATH_MAX];
	char	listen[64];
	struct http_opts http;
	struct api_ctx *api;
	struct http_server *srv;
};

static void
usage(void)
{
	fprintf(stderr, "gebruik: basisd [-d] [-f basisd.conf] [-n] [-v]\n");
}

static int
parse_args(struct app *app, int argc, char **argv)
{
	int	ch;

	while ((ch = getopt(argc, argv, "df:nv")) != -1) {
		switch (ch) {
		case 'd':
			app->foreground = 1;
			break;
		case 'f':
			app->conf_file = optarg;
			break;
		case 'n':
			app->check_only = 1;
			break;
		case 'v':
			if (log_get_level() < LOG_LEVEL_DEBUG)
				log_set_level(log_get_level() + 1);
			break;
		default:
			usage();
			return -1;
		}
	}
	if (optind != argc) {
		usage();
		return -1;
	}
	return 0;
}

/* Settings until conf lands: defaults, then the environment. */
static int
load_settings(struct app *app, struct err *err)
{
	const char *www = getenv("BASISD_WWW_DIR");
	const char *listen = getenv("BASISD_LISTEN");
	const char *port = getenv("BASISD_PORT");
	char   *end = NULL;
	long	p;

	http_opts_default(&app->http);
	if (app->conf_file != NULL && access(app->conf_file, R_OK) != 0)
		return err_set(err, "%s: kan het bestand niet lezen",
		    app->conf_file);
	snprintf(app->listen, sizeof(app->listen), "%s",
	    listen ? listen : "127.0.0.1");
	app->http.listen = app->listen;
	if (port != NULL) {
		p = strtol(port, &end, 10);
		if (*port == '\0' || *end != '\0' || p < 0 || p > 65535)
			return err_set(err, "BASISD_PORT: ongeldige poort '%s'",
			    port);
		app->http.port = (unsigned)p;
	}
	/* Absolute, because a daemon changes to "/". */
	if (realpath(www ? www : "./www", app->www_dir) == NULL)
		return err_set(err, "www-map '%s' bestaat niet",
		    www ? www : "./www");
	return 0;
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

/* SIGHUP: catalogue and register are rebuilt and swapped here once they
 * are wired in; requests in flight keep the old ones. */
static void
reload(struct app *app)
{
	(void)app;
	log_info("herladen: SIGHUP verwerkt");
}

static int
serve(struct app *app, const sigset_t *waitmask)
{
	struct err err = { "" };

	if ((app->api = api_ctx_new(app->www_dir)) == NULL) {
		log_err("onvoldoende geheugen");
		return -1;
	}
	app->api->app = app;
	if ((app->srv = http_start(&app->http, app->api, &err)) == NULL) {
		log_err("%s", err.msg);
		return -1;
	}
	log_info("basisd luistert op %s poort %u", app->listen,
	    http_port(app->srv));
	while (!got_term) {
		sigsuspend(waitmask);
		if (got_hup) {
			got_hup = 0;
			reload(app);
		}
	}
	log_info("stoppen: lopende verzoeken worden afgemaakt");
	http_stop(app->srv);
	app->srv = NULL;
	log_info("gestopt");
	return 0;
}

int
main(int argc, char **argv)
{
	struct app app;
	struct err err = { "" };
	sigset_t waitmask;
	int	rc = EXIT_FAILURE;

	memset(&app, 0, sizeof(app));
	if (parse_args(&app, argc, argv) != 0)
		return 2;
	if (load_settings(&app, &err) != 0) {
		fprintf(stderr, "basisd: %s\n", err.msg);
		return EXIT_FAILURE;
	}
	if (app.check_only) {
		printf("configuration OK\n");
		return EXIT_SUCCESS;
	}
	/* Before any thread exists; stderr stays open for the log. */
	if (!app.foreground && daemon(0, 1) != 0) {
		log_err("kan niet op de achtergrond draaien");
		return EXIT_FAILURE;
	}
	if (install_signals(&waitmask) != 0) {
		log_err("kan signalen niet instellen");
		return EXIT_FAILURE;
	}
	if (serve(&app, &waitmask) == 0)
		rc = EXIT_SUCCESS;
	http_stop(app.srv);
	api_ctx_free(app.api);
	return rc;
}
