/* src/store/ledger_auth.c — the ledger's accounts, API tokens and dashboard
 * sessions. */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/ledger.h"
#include "store/ledger_db.h"

/* The role column as its enum. The schema's CHECK admits only the three
 * names; anything else would be a damaged file and gets the role with the
 * fewest rights on our data (manager: reads only). */
static enum auth_role
row_role(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	enum auth_role r = AUTH_ROLE_MANAGER;

	if (t != NULL)
		auth_role_parse((const char *)t, &r);
	return r;
}

static void
row_token(sqlite3_stmt *st, void *dst)
{
	struct ledger_token *t = dst;

	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(st, 0);
	ledger_col_text(st, 1, t->naam, sizeof(t->naam));
	t->rol = row_role(st, 2);
	ledger_col_text(st, 3, t->gemeenten, sizeof(t->gemeenten));
	ledger_col_text(st, 4, t->hash, sizeof(t->hash));
	ledger_col_text(st, 5, t->prefix, sizeof(t->prefix));
	ledger_col_text(st, 6, t->created_at, sizeof(t->created_at));
	t->revoked = sqlite3_column_int(st, 7);
}

/* ---- tokens --------------------------------------------------------- */

int
ledger_token_add(struct ledger *led, struct ledger_token *tok,
    struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_TOKEN_ADD, err);

	if (st == NULL)
		return -1;
	ledger_now_iso(tok->created_at, sizeof(tok->created_at));
	ledger_bind_text(st, 1, tok->naam);
	/* An out-of-range role binds NULL, which the schema refuses. */
	ledger_bind_text(st, 2, auth_role_name(tok->rol));
	ledger_bind_text(st, 3, tok->gemeenten);
	ledger_bind_text(st, 4, tok->hash);
	ledger_bind_text(st, 5, tok->prefix);
	ledger_bind_text(st, 6, tok->created_at);
	if (ledger_stmt_done(led, st, err, "opslaan van het token") == -1)
		return -1;
	tok->id = sqlite3_last_insert_rowid(led->db);
	tok->revoked = 0;
	return 0;
}

int
ledger_token_by_prefix(struct ledger *led, const char *prefix,
    struct ledger_token **ret, size_t *ret_n, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_TOKEN_PREFIX, err);

	if (st == NULL)
		return -1;
	ledger_bind_text(st, 1, prefix);
	return ledger_collect(led, st, sizeof(**ret), row_token, ret, ret_n,
	    err);
}

int
ledger_token_list(struct ledger *led, struct ledger_token **ret,
    size_t *ret_n, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_TOKEN_LIST, err);

	if (st == NULL)
		return -1;
	return ledger_collect(led, st, sizeof(**ret), row_token, ret, ret_n,
	    err);
}

int
ledger_token_revoke(struct ledger *led, long long id, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_TOKEN_REVOKE, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (ledger_stmt_done(led, st, err, "intrekken van het token") == -1)
		return -1;
	if (sqlite3_changes(led->db) == 0)
		return err_setk(err, ERR_NOT_FOUND,
		    "token %lld bestaat niet", id);
	return 0;
}

/* ---- accounts and sessions ------------------------------------------ */

static void
row_account(sqlite3_stmt *st, void *dst)
{
	struct ledger_account *a = dst;

	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(st, 0);
	ledger_col_text(st, 1, a->naam, sizeof(a->naam));
	ledger_col_text(st, 2, a->password_hash, sizeof(a->password_hash));
	a->rol = row_role(st, 3);
	ledger_col_text(st, 4, a->gemeenten, sizeof(a->gemeenten));
	ledger_col_text(st, 5, a->feed_hash, sizeof(a->feed_hash));
	ledger_col_text(st, 6, a->created_at, sizeof(a->created_at));
	a->disabled = sqlite3_column_int(st, 7);
}

int
ledger_account_add(struct ledger *led, struct ledger_account *acc,
    struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_ACCOUNT_ADD, err);

	if (st == NULL)
		return -1;
	ledger_now_iso(acc->created_at, sizeof(acc->created_at));
	ledger_bind_text(st, 1, acc->naam);
	ledger_bind_text(st, 2, acc->password_hash);
	ledger_bind_text(st, 3, auth_role_name(acc->rol));
	ledger_bind_text(st, 4, acc->gemeenten);
	ledger_bind_text(st, 5, acc->created_at);
	if (sqlite3_step(st) != SQLITE_DONE) {
		int	ext = sqlite3_extended_errcode(led->db);

		sqlite3_reset(st);
		if (ext == SQLITE_CONSTRAINT_UNIQUE)
			return err_setk(err, ERR_CONFLICT,
			    "account '%s' bestaat al", acc->naam);
		return ledger_db_fail(led, err, "opslaan van het account");
	}
	sqlite3_reset(st);
	acc->id = sqlite3_last_insert_rowid(led->db);
	return 0;
}

static int
account_by(struct ledger *led, enum stmt_id id, const char *key,
    struct ledger_account *ret, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, id, err);

	if (st == NULL)
		return -1;
	ledger_bind_text(st, 1, key);
	return ledger_fetch_one(led, st, row_account, ret, err);
}

int
ledger_account_by_name(struct ledger *led, const char *naam,
    struct ledger_account *ret, struct err *err)
{
	return account_by(led, ST_ACCOUNT_BY_NAME, naam, ret, err);
}

int
ledger_account_by_feed(struct ledger *led, const char *feed_hash,
    struct ledger_account *ret, struct err *err)
{
	return account_by(led, ST_ACCOUNT_BY_FEED, feed_hash, ret, err);
}

int
ledger_account_set_feed(struct ledger *led, long long id,
    const char *feed_hash, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_ACCOUNT_SET_FEED, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	ledger_bind_text(st, 2, feed_hash);
	return ledger_stmt_done(led, st, err, "opslaan van het feedtoken");
}

int
ledger_session_add(struct ledger *led, const char *id_hash,
    long long account_id, const char *csrf, long long expires,
    struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_SESSION_ADD, err);
	char	now[32];

	if (st == NULL)
		return -1;
	ledger_now_iso(now, sizeof(now));
	ledger_bind_text(st, 1, id_hash);
	sqlite3_bind_int64(st, 2, account_id);
	ledger_bind_text(st, 3, csrf);
	ledger_bind_text(st, 4, now);
	sqlite3_bind_int64(st, 5, expires);
	return ledger_stmt_done(led, st, err, "opslaan van de sessie");
}

struct session_row {
	struct ledger_account *acc;
	char   *csrf;
};

static void
row_session(sqlite3_stmt *st, void *dst)
{
	struct session_row *s = dst;

	row_account(st, s->acc);
	ledger_col_text(st, 8, s->csrf, 65);
}

int
ledger_session_get(struct ledger *led, const char *id_hash, long long now,
    struct ledger_account *ret_acc, char *ret_csrf, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_SESSION_GET, err);
	struct session_row row = { ret_acc, ret_csrf };

	if (st == NULL)
		return -1;
	ledger_bind_text(st, 1, id_hash);
	sqlite3_bind_int64(st, 2, now);
	return ledger_fetch_one(led, st, row_session, &row, err);
}

int
ledger_session_delete(struct ledger *led, const char *id_hash,
    long long now, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_SESSION_DEL, err);

	if (st == NULL)
		return -1;
	ledger_bind_text(st, 1, id_hash);
	sqlite3_bind_int64(st, 2, now);
	return ledger_stmt_done(led, st, err, "verwijderen van de sessie");
}
