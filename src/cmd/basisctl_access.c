/* src/cmd/basisctl_access.c — basisctl's commands for access: API tokens
 * (add, list, revoke) and dashboard accounts (user add, password from
 * stdin or the terminal). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "serve/api.h"
#include "base/auth.h"
#include "base/fetch.h"
#include "input/cbs.h"
#include "analysis/band.h"
#include "input/catalog.h"
#include "analysis/compare.h"
#include "base/conf.h"
#include "tools/demo.h"
#include "store/ingest.h"
#include "store/ledger.h"
#include "base/log.h"
#include "base/num.h"
#include "input/register.h"
#include "store/store.h"
#include "input/validate.h"

#include "cmd/basisctl.h"

/* token add: a random token printed once; only its hash is stored. */
static int
token_add(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rol", required_argument, NULL, 'r' },
		{ "gemeente", required_argument, NULL, 'g' },
		{ "naam", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct ledger_token tok = { 0 };
	char	token[AUTH_TOKEN_SIZE];
	struct err err = { "" };
	int	has_role = 0;
	size_t	o = 0;
	int	c;

	optind = 0;	/* 0: glibc re-initialises its permutation state */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		const struct gemeente *g;

		if (c == 'r' && auth_role_parse(optarg, &tok.rol) == 0)
			has_role = 1;
		else if (c == 'n')
			snprintf(tok.naam, sizeof(tok.naam), "%s", optarg);
		else if (c == 'g' && (g = register_find(app->reg, optarg)))
			o += (size_t)snprintf(tok.gemeenten + o,
			    o < sizeof(tok.gemeenten) ? sizeof(tok.gemeenten) - o :
			    0, "%s%s", o ? " " : "", g->code);
		else {
			fprintf(stderr, "basisctl: ongeldige waarde '%s' (rol: "
			    "leverancier, manager of beheer; gemeente: code of "
			    "naam)\n", optarg ? optarg : "");
			return 2;
		}
	}
	if (!has_role || o >= sizeof(tok.gemeenten)) {
		basisctl_usage_line("token add", "--rol leverancier|manager|beheer "
		    "[--gemeente GM…] [--naam NAAM]");
		return 2;
	}
	if (auth_token_new(token, tok.prefix, tok.hash) == -1)
		return basisctl_fail("token maken", NULL);
	if (ledger_token_add(app->led, &tok, &err) == -1)
		return basisctl_fail("token opslaan", &err);
	printf("%s\n", token);
	fprintf(stderr, "token %lld (%s%srol %s, gemeenten: %s) — bewaar het "
	    "nu: het wordt niet opnieuw getoond\n", tok.id, tok.naam,
	    tok.naam[0] ? ", " : "", auth_role_name(tok.rol),
	    tok.gemeenten[0] ? tok.gemeenten : "alle");
	return 0;
}

static int
token_list(struct app *app, int argc, char **argv)
{
	struct ledger_token *t = NULL;
	struct err err = { "" };
	size_t	n = 0;

	(void)argc;
	(void)argv;
	if (ledger_token_list(app->led, &t, &n, &err) == -1)
		return basisctl_fail("tokens", &err);
	printf("%-4s %-20s %-12s %-10s %-20s %s\n", "id", "naam", "rol",
	    "begin", "aangemaakt", "gemeenten");
	for (size_t i = 0; i < n; i++)
		printf("%-4lld %-20s %-12s bsd_%-6s %-20s %s%s\n", t[i].id,
		    t[i].naam, auth_role_name(t[i].rol), t[i].prefix,
		    t[i].created_at,
		    t[i].gemeenten[0] ? t[i].gemeenten : "alle",
		    t[i].revoked ? " (ingetrokken)" : "");
	free(t);
	return 0;
}

static int
token_revoke(struct app *app, int argc, char **argv)
{
	struct err err = { "" };
	long long id;

	if (argc != 2 || num_int(argv[1], 1, LLONG_MAX, &id, NULL) == -1) {
		basisctl_usage_line("token revoke", "ID");
		return 2;
	}
	if (ledger_token_revoke(app->led, id, &err) == -1)
		return basisctl_fail("token intrekken", &err);
	printf("token %lld ingetrokken\n", id);
	return 0;
}

int
basisctl_token(struct app *app, int argc, char **argv)
{
	static const struct {
		const char *name;
		int	(*run)(struct app *, int, char **);
	} sub[] = { { "add", token_add }, { "list", token_list },
		{ "revoke", token_revoke } };

	for (size_t i = 0; argc > 1 && i < sizeof(sub) / sizeof(*sub); i++)
		if (strcmp(argv[1], sub[i].name) == 0)
			return sub[i].run(app, argc - 1, argv + 1);
	basisctl_usage_line("token", "add|list|revoke …");
	return 2;
}

/* A password from stdin; on a terminal without echo and asked twice. */
static int
read_password(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	int	tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	int	ok;

	if (tty) {
		fprintf(stderr, "%s: ", prompt);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	ok = fgets(buf, (int)size, stdin) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	buf[ok ? strcspn(buf, "\r\n") : 0] = '\0';
	return ok && buf[0] != '\0' ? 0 : -1;
}

static int
user_password(char *hash)
{
	char	pw[256], again[256];
	int	rc = -1;

	if (read_password("wachtwoord", pw, sizeof(pw)) == -1)
		fprintf(stderr, "basisctl: geen wachtwoord gelezen\n");
	else if (isatty(STDIN_FILENO) && (read_password("nog een keer", again,
	    sizeof(again)) == -1 || strcmp(pw, again) != 0))
		fprintf(stderr, "basisctl: de wachtwoorden verschillen\n");
	else if (strlen(pw) < 8)
		fprintf(stderr, "basisctl: wachtwoord te kort (minstens 8 "
		    "tekens)\n");
	else if (auth_password_hash(pw, hash) == -1)
		fprintf(stderr, "basisctl: kan wachtwoord niet hashen\n");
	else
		rc = 0;
	memset(pw, 0, sizeof(pw));
	memset(again, 0, sizeof(again));
	return rc;
}

static int
user_add(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rol", required_argument, NULL, 'r' },
		{ "gemeente", required_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 },
	};
	struct ledger_account acc = { 0 };
	struct err err = { "" };
	int	has_role = 0;
	size_t	o = 0;
	int	c;

	/* 0, not 1: GNU getopt then starts afresh and permutes, so NAAM may
	 * stand before or after the options (main parsed with "+"). */
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		const struct gemeente *g;

		if (c == 'r' && auth_role_parse(optarg, &acc.rol) == 0 &&
		    acc.rol != AUTH_ROLE_LEVERANCIER)
			has_role = 1;
		else if (c == 'g' && (g = register_find(app->reg, optarg)))
			o += (size_t)snprintf(acc.gemeenten + o,
			    o < sizeof(acc.gemeenten) ? sizeof(acc.gemeenten) - o :
			    0, "%s%s", o ? " " : "", g->code);
		else {
			fprintf(stderr, "basisctl: ongeldige waarde '%s' (rol: "
			    "manager of beheer; gemeente: code of naam)\n",
			    optarg ? optarg : "");
			return 2;
		}
	}
	if (optind != argc - 1 || !has_role ||
	    o >= sizeof(acc.gemeenten) || strlen(argv[optind]) >=
	    sizeof(acc.naam)) {
		basisctl_usage_line("user add", "NAAM --rol manager|beheer [--gemeente "
		    "GM…]  (wachtwoord via stdin)");
		return 2;
	}
	snprintf(acc.naam, sizeof(acc.naam), "%s", argv[optind]);
	if (user_password(acc.password_hash) == -1)
		return 2;
	if (ledger_account_add(app->led, &acc, &err) == -1)
		return basisctl_fail("account opslaan", &err);
	fprintf(stderr, "account %lld (%s, rol %s, gemeenten: %s) aangemaakt\n",
	    acc.id, acc.naam, auth_role_name(acc.rol), acc.gemeenten[0] ?
	    acc.gemeenten :
	    "alle");
	return 0;
}

int
basisctl_user(struct app *app, int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "add") == 0)
		return user_add(app, argc - 1, argv + 1);
	basisctl_usage_line("user", "add NAAM --rol manager|beheer [--gemeente GM…]");
	return 2;
}
