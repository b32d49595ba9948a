/* src/store/ledger_reject.c — refused feeds (issue 16): a feed that is
 * afgekeurd or geweigerd stores no observation, but its report is kept
 * here so beheer can see what was sent, by whom, and why it was refused. */
#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/ledger.h"
#include "store/ledger_db.h"

int
ledger_rejected_add(struct ledger *led, struct ledger_rejected *r,
    struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_REJECT_INSERT, err);

	if (st == NULL)
		return -1;
	ledger_now_iso(r->received_at, sizeof(r->received_at));
	ledger_bind_text(st, 1, r->sha256);
	ledger_bind_text(st, 2, r->naam);
	ledger_bind_text(st, 3, r->leverancier);
	sqlite3_bind_int64(st, 4, r->token_id);
	ledger_bind_text(st, 5, r->client);
	ledger_bind_text(st, 6, r->received_at);
	ledger_bind_text(st, 7, r->status);
	sqlite3_bind_int64(st, 8, r->rows);
	sqlite3_bind_int64(st, 9, r->errors);
	ledger_bind_text(st, 10, r->report_json ? r->report_json : "{}");
	if (ledger_stmt_done(led, st, err, "opslaan van een afgewezen "
	    "levering") == -1)
		return -1;
	r->id = sqlite3_last_insert_rowid(led->db);
	return 0;
}

static void
rejected_row(sqlite3_stmt *st, void *dst)
{
	struct ledger_rejected *r = dst;
	const unsigned char *rep;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	ledger_col_text(st, 1, r->sha256, sizeof(r->sha256));
	ledger_col_text(st, 2, r->naam, sizeof(r->naam));
	ledger_col_text(st, 3, r->leverancier, sizeof(r->leverancier));
	r->token_id = sqlite3_column_int64(st, 4);
	ledger_col_text(st, 5, r->client, sizeof(r->client));
	ledger_col_text(st, 6, r->received_at, sizeof(r->received_at));
	ledger_col_text(st, 7, r->status, sizeof(r->status));
	r->rows = (long)sqlite3_column_int64(st, 8);
	r->errors = (long)sqlite3_column_int64(st, 9);
	/* Out of memory leaves the report out; the row itself still lists. */
	if ((rep = sqlite3_column_text(st, 10)) != NULL)
		r->report_json = strdup((const char *)rep);
}

int
ledger_rejected_list(struct ledger *led, long long id, size_t limit,
    struct ledger_rejected **ret, size_t *ret_n, struct err *err)
{
	sqlite3_stmt *st = ledger_stmt(led, ST_REJECT_LIST, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)limit);
	sqlite3_bind_int64(st, 2, id);
	return ledger_collect(led, st, sizeof(**ret), rejected_row, ret, ret_n,
	    err);
}

void
ledger_rejected_free(struct ledger_rejected *r, size_t n)
{
	for (size_t i = 0; r != NULL && i < n; i++)
		free(r[i].report_json);
	free(r);
}
