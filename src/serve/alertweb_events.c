/* src/serve/alertweb_events.c — alert events over HTTP: the list within
 * the caller's gemeenten, acknowledging one, and the Atom feed per
 * account (feed token in the URL). */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "alert/alert.h"
#include "alert/alert_engine.h"
#include "analysis/query.h"
#include "serve/alertweb.h"
#include "serve/alertweb_who.h"
#include "serve/api.h"
#include "store/app.h"
#include "base/auth.h"
#include "base/json.h"
#include "store/ledger.h"
#include "base/log.h"
#include "base/num.h"
#include "base/util.h"

#define EVENTS_MAX 500		/* events per list request */
#define ATOM_ENTRIES 100

/* ---- events ----------------------------------------------------------- */

#define FIRING		LEDGER_EVENTS_OF(LEDGER_EVENT_FIRING)
#define ACKED		LEDGER_EVENTS_OF(LEDGER_EVENT_ACKNOWLEDGED)
#define RESOLVED	LEDGER_EVENTS_OF(LEDGER_EVENT_RESOLVED)
static const struct {
	const char *param;
	unsigned states;
} status_params[] = { { "firing", FIRING }, { "actief", FIRING },
	{ "acknowledged", ACKED }, { "bevestigd", ACKED },
	{ "resolved", RESOLVED }, { "opgeheven", RESOLVED },
	{ "open", LEDGER_EVENTS_OPEN }, { "alle", LEDGER_EVENTS_ANY } };

/* Events in scope (parsed against reg), newest first; states as in
 * ledger_alert_events. */
static json_t *
events_json(struct ledger *led, unsigned states, const struct reg_scope *sc,
    const struct reg *reg, size_t limit, struct err *err)
{
	struct ledger_alert_event *ev = NULL;
	json_t *arr;
	size_t	n = 0, k = 0;

	if (ledger_alert_events(led, states, 0, 0, &ev, &n, err) == -1)
		return NULL;
	arr = json_array();
	for (size_t i = 0; i < n && k < limit; i++)
		if (alertweb_event_in_scope(sc, reg, &ev[i])) {
			json_push(arr, alert_event_json(&ev[i]));
			k++;
		}
	free(ev);
	return arr;
}

int
alertweb_h_events(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	const char *s = api_query(req, "status");
	unsigned states;
	struct app_snapshot *snap;
	struct reg_scope sc;
	struct err err = { "" };
	struct ledger *led;
	struct who w;
	json_t *arr = NULL;
	size_t	i;

	(void)params;
	if (alertweb_who_is(ctx, req, 0, NULL, reply, &w) == -1)
		return 0;
	for (i = 0; s != NULL && i < NELEM(status_params); i++)
		if (strcmp(s, status_params[i].param) == 0)
			break;
	if (s != NULL && i == NELEM(status_params))
		return api_refuse(reply, ERR_INPUT,
		    "status: actief, bevestigd, "
		    "opgeheven, open of alle");
	states = s != NULL ? status_params[i].states : LEDGER_EVENTS_ANY;
	if ((led = app_reader_get(app_of(ctx), &err)) == NULL)
		return api_fail(reply, &err);
	snap = app_snapshot_get(app_of(ctx));
	if (alertweb_who_scope(&w, snap, &sc) == 0)
		arr = events_json(led, states, &sc, snap->reg, EVENTS_MAX,
		    &err);
	else
		arr = json_array();
	app_snapshot_put(app_of(ctx), snap);
	app_reader_put(app_of(ctx), led);
	if (arr == NULL)
		return api_fail(reply, &err);
	return api_json(reply, 200, json_pack("{s:o}", "meldingen", arr));
}

struct ack_call {
	long long id;
	const char *by;
	int	done;
	struct ledger_alert_event ev;
};

static int
ack_locked(void *arg, struct ledger *writer, struct err *err)
{
	struct ack_call *a = arg;

	if ((a->done = ledger_alert_ack(writer, a->id, a->by, err)) == -1)
		return -1;
	return ledger_alert_event_get(writer, a->id, &a->ev, err) == -1 ? -1 : 0;
}

/* One event against the caller's scope, with a snapshot of its own. */
static int
ack_in_scope(struct api_ctx *ctx, const struct who *w,
    const struct ledger_alert_event *e)
{
	struct app_snapshot *snap = app_snapshot_get(app_of(ctx));
	struct reg_scope sc;
	int	ok = alertweb_who_scope(w, snap, &sc) == 0 &&
	    alertweb_event_in_scope(&sc, snap->reg, e);

	app_snapshot_put(app_of(ctx), snap);
	return ok;
}

int
alertweb_h_ack(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	struct ack_call a = { 0 };
	struct err err = { "" };
	json_t *body;
	struct ledger *led;
	struct who w;
	int	found;

	if ((body = alertweb_who_body(ctx, req, 1, reply, &w)) == NULL)
		return 0;
	if (alertweb_param_id(params, &a.id) == -1) {
		api_refuse(reply, ERR_NOT_FOUND, "melding bestaat niet");
		goto done;
	}
	if ((led = app_reader_get(app_of(ctx), &err)) == NULL) {
		api_fail(reply, &err);
		goto done;
	}
	found = ledger_alert_event_get(led, a.id, &a.ev, &err);
	app_reader_put(app_of(ctx), led);
	if (found != 1) {
		if (found)
			api_fail(reply, &err);
		else
			api_refuse(reply, ERR_NOT_FOUND,
			    "melding bestaat niet");
		goto done;
	}
	if (!ack_in_scope(ctx, &w, &a.ev)) {
		api_refuse(reply, ERR_FORBIDDEN,
		    "deze melding valt buiten je gemeenten");
		goto done;
	}
	a.by = w.naam;
	if (alertweb_with_writer(ctx, ack_locked, &a, &err) == -1)
		api_fail(reply, &err);
	else if (!a.done)
		api_refuse(reply, ERR_CONFLICT,
		    "de melding is niet (meer) actief");
	else
		api_json(reply, 200, alert_event_json(&a.ev));
done:
	json_decref(body);
	return 0;
}

/* ---- Atom ------------------------------------------------------------- */

/* XML 1.0 Char (§2.2): no control characters but TAB, LF and CR, no
 * surrogates (already invalid UTF-8), no U+FFFE or U+FFFF. */
static int
xml_char(unsigned cp)
{
	return cp == '\t' || cp == '\n' || cp == '\r' ||
	    (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
	    cp >= 0x10000;
}

/* Text content, escaped; a character XML cannot carry (or a byte that is
 * not UTF-8) becomes U+FFFD, so one odd rule name never makes the whole
 * feed unreadable. */
static void
xml_text(FILE *f, const char *s)
{
	unsigned cp;
	size_t	n;

	for (; s != NULL && *s; s += n) {
		if ((n = json_utf8_next(s, &cp)) == 0 || !xml_char(cp)) {
			fputs("\xEF\xBF\xBD", f);
			n = n ? n : 1;
			continue;
		}
		switch (cp) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fwrite(s, 1, n, f);
		}
	}
}

static void
atom_entry(FILE *f, const struct ledger_alert_event *e)
{
	const char *upd = e->resolved_at[0] ? e->resolved_at :
	    e->acknowledged_at[0] ? e->acknowledged_at : e->fired_at;

	fprintf(f, "<entry>\n<id>urn:basisd:melding:%lld</id>\n<title>", e->id);
	xml_text(f, e->rule_naam);
	fputs(" — ", f);
	xml_text(f, e->gemeente);
	fprintf(f, " (%s)</title>\n<updated>", alert_state_tekst(e->state));
	xml_text(f, upd);
	fputs("</updated>\n<published>", f);
	xml_text(f, e->fired_at);
	fputs("</published>\n<link rel=\"alternate\" href=\"/alerts\"/>\n"
	    "<content type=\"text\">", f);
	xml_text(f, e->message);
	fputs("</content>\n</entry>\n", f);
}

static char *
atom_render(const struct ledger_account *acc, const struct reg *reg,
    const struct ledger_alert_event *ev, size_t n, size_t *ret_len)
{
	struct reg_scope sc;
	char   *buf = NULL;
	size_t	len = 0, k = 0;
	FILE   *f = open_memstream(&buf, &len);
	char	now[32];
	time_t	t = time(NULL);
	struct tm tm;

	if (f == NULL)
		return NULL;
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns="
	    "\"http://www.w3.org/2005/Atom\" xml:lang=\"nl\">\n<id>urn:basisd:"
	    "meldingen:%lld</id>\n<title>Meldingen basisindicatoren voor ",
	    acc->id);
	xml_text(f, acc->naam);
	fprintf(f, "</title>\n<updated>%s</updated>\n<author><name>basisd"
	    "</name></author>\n<link rel=\"alternate\" href=\"/alerts\"/>\n",
	    n > 0 ? ev[0].fired_at : now);
	if (register_scope_parse(reg, acc->gemeenten, &sc) == -1)
		n = 0;	/* more gemeenten than the register holds: none */
	for (size_t i = 0; i < n && k < ATOM_ENTRIES; i++)
		if (alertweb_event_in_scope(&sc, reg, &ev[i])) {
			atom_entry(f, &ev[i]);
			k++;
		}
	fputs("</feed>\n", f);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	*ret_len = len;
	return buf;
}

int
alertweb_h_atom(struct api_ctx *ctx, const struct api_request *req,
    const struct api_params *params, struct api_reply *reply)
{
	const char *token = api_query(req, "token");
	struct ledger_alert_event *ev = NULL;
	char	hash[AUTH_SHA256_SIZE], *xml;
	struct app_snapshot *snap;
	struct ledger_account acc;
	struct err err = { "" };
	struct ledger *led;
	size_t	n = 0, len = 0;
	int	found;

	(void)params;
	if (token == NULL || strlen(token) < 32)
		return api_refuse(reply, ERR_UNAUTHORISED,
		    "geef het feedtoken mee: "
		    "/alerts.atom?token=…");
	auth_sha256_hex(token, strlen(token), hash);
	if ((led = app_reader_get(app_of(ctx), &err)) == NULL)
		return api_fail(reply, &err);
	found = ledger_account_by_feed(led, hash, &acc, &err);
	if (found == 1 && !acc.disabled)
		found = ledger_alert_events(led, LEDGER_EVENTS_ANY, 0, 0, &ev,
		    &n, &err) ?
		    -1 : 1;
	app_reader_put(app_of(ctx), led);
	if (found != 1 || acc.disabled)
		return found == -1 ? api_fail(reply, &err) :
		    api_refuse(reply, ERR_UNAUTHORISED, "onbekend feedtoken");
	snap = app_snapshot_get(app_of(ctx));
	xml = atom_render(&acc, snap->reg, ev, n, &len);
	app_snapshot_put(app_of(ctx), snap);
	free(ev);
	if (xml == NULL)
		return oom(reply);
	snprintf(reply->cache_control, sizeof(reply->cache_control),
	    "private, no-cache");
	return api_reply_take(reply, 200, "application/atom+xml; charset=utf-8",
	    xml, len);
}
