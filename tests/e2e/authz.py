#!/usr/bin/env python3
"""tests/e2e/authz.py — the authorisation matrix (issue 16): every route of
the running daemon's route table (read from its /api/v1/openapi.json, so a
new route without a row here fails) × six credentials:

  none     no credentials at all
  bad      a well-formed bearer token that does not exist
  revoked  a revoked token (role beheer: it would be allowed anything)
  session  the GM0363 manager's session cookie, without the CSRF header
  other    a token of another gemeente (GM0599), same role as own
  own      the right credential for the route (GM0363 or beheer)

Each cell names the statuses it may answer; a public route may answer
anything but 401/403 and never 5xx. Usage: authz.py BASE CREDS.json; prints
one line per failing cell and the matrix size."""
import json
import sys
import urllib.error
import urllib.request

BASE, CREDS = sys.argv[1], json.load(open(sys.argv[2]))
COLS = ["none", "bad", "revoked", "session", "other", "own"]
PUBLIC = "public"

RULE = {"naam": "matrix", "soort": "drempel", "gemeente": "GM0363",
        "indicator": "pw_bestand",
        "params": {"richting": "boven", "drempel": 40000}}

# name: (role for own/other, {column: allowed statuses}), unnamed columns
# default to 401. role: lev (leverancier tokens), man (manager tokens),
# beheer (own beheer, other a GM0363 leverancier).
D = {"none": {401}, "bad": {401}, "revoked": {401}, "session": {401}}
TABLE = {
    "feeds_post": ("lev", {"other": {403}, "own": {200, 201}}),
    "feeds_get": ("lev", {"other": {404}, "own": {200}}),
    "feeds_afgewezen": ("beheer", {"other": {403}, "own": {200}}),
    "series_intrekken": ("beheer", {"other": {403}, "own": {200, 404}}),
    "alert_regels": ("man", {"session": {200}, "other": {200},
                             "own": {200}}),
    "alert_regel_nieuw": ("man", {"session": {403}, "other": {403},
                                  "own": {201}}),
    "alert_regel": ("man", {"session": {200}, "other": {403}, "own": {200}}),
    "alert_regel_wijzig": ("man", {"session": {403}, "other": {403},
                                   "own": {200}}),
    "alert_voorbeeld": ("man", {"session": {200}, "other": {403},
                                "own": {200}}),
    "alert_meldingen": ("man", {"session": {200}, "other": {200},
                                "own": {200}}),
    # no such event: the own and other answers are the same 404
    "alert_bevestig": ("man", {"session": {403}, "other": {404},
                               "own": {404}}),
    # a feed token belongs to an account: own = the session with CSRF
    "alert_feedtoken": ("sess", {"session": {403}, "other": {400},
                                 "own": {200}}),
    # ?token= is the feed token; other = a wrong one of the right length
    "alert_atom": ("feed", {"other": {401}, "own": {200}}),
    # a wrong password for each column but own (the right one)
    "sessie_aanmelden": ("login", {c: {401} for c in COLS[:-1]} |
                         {"own": {200}}),
    "sessie": ("man", {"none": {200}, "session": {200}, "other": {200},
                       "own": {200}}),
    "alert_regel_weg": ("man", {"session": {403}, "other": {403},
                                "own": {200}}),
    "sessie_afmelden": ("man", {c: {200} for c in COLS}),
}
# Done last: they end what the others use (the feed token, a rule, the
# session).
LAST = ["alert_feedtoken", "alert_regel_weg", "sessie_afmelden"]
SAMPLE = {"gm": "GM0363", "id": "pw_bestand", "periode": "2024-01"}


def path_of(name, tmpl):
    s = tmpl
    if name.startswith("alert_regel") and name != "alert_regel_nieuw":
        s = s.replace("{id}", str(CREDS["rule_del" if name ==
                                       "alert_regel_weg" else "rule"]))
    s = s.replace("{id}/ack", "999999/ack").replace("{fid}",
                                                    str(CREDS["feed"]))
    for k, v in SAMPLE.items():
        s = s.replace("{%s}" % k, v)
    return s


def request(name, method, path, col, role, n):
    hdr, body = {}, None
    tok = {"lev": ("lev_own", "lev_other"), "man": ("man_own", "man_other"),
           "beheer": ("beheer", "lev_own"), "sess": ("man_own", "man_other"),
           "feed": (None, None), "login": (None, None)}.get(role)
    if col == "bad":
        hdr["Authorization"] = "Bearer " + CREDS["bad"]
    elif col == "revoked":
        hdr["Authorization"] = "Bearer " + CREDS["revoked"]
    elif col == "session" or (col == "own" and role == "sess"):
        hdr["Cookie"] = CREDS["cookie"]
        if col == "own":
            hdr["X-CSRF-Token"] = CREDS["csrf"]
    elif col in ("own", "other") and tok and tok[0]:
        hdr["Authorization"] = "Bearer " + CREDS[tok[col == "other"]]
    if role == "feed":
        path += "?token=" + (CREDS["feedtoken"] if col == "own" else
                             "f" * len(CREDS["feedtoken"]))
    if name == "feeds_post":
        hdr["Content-Type"] = "text/csv"
        body = ("gemeente;indicator;periode;waarde\nGM0363;pw_bestand;"
                "2022-%02d;%d\n" % (n % 12 + 1, 1000 + n)).encode()
    elif name in ("alert_regel_nieuw", "alert_regel_wijzig",
                  "alert_voorbeeld"):
        hdr["Content-Type"] = "application/json"
        body = json.dumps(RULE).encode()
    elif name == "sessie_aanmelden":
        hdr["Content-Type"] = "application/json"
        body = json.dumps({"naam": "jan", "wachtwoord": CREDS["password"]
                           if col == "own" else "fout-%d" % n}).encode()
    elif method in ("POST", "PUT"):
        hdr["Content-Type"] = "application/json"
        body = b"{}"
    req = urllib.request.Request(BASE + path, data=body, method=method,
                                 headers=hdr)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def main():
    api = json.load(urllib.request.urlopen(BASE + "/api/v1/openapi.json"))
    ops = [(o["operationId"], m.upper(), p) for p, v in api["paths"].items()
           for m, o in v.items() if m in ("get", "post", "put", "delete")]
    ops.sort(key=lambda o: LAST.index(o[0]) + 1 if o[0] in LAST else 0)
    secured = {o["operationId"] for v in api["paths"].values()
               for o in v.values() if isinstance(o, dict) and o.get(
                   "security")}
    fails, cells, n = 0, 0, 0
    for name, method, tmpl in ops:
        role, exp = TABLE.get(name, (PUBLIC, {}))
        if role == PUBLIC and name in secured:
            print("FAIL: %s is secured but has no row in the matrix" % name)
            fails += 1
            continue
        for col in COLS:
            n += 1
            st = request(name, method, path_of(name, tmpl), col, role, n)
            cells += 1
            if role == PUBLIC:
                ok = st not in (401, 403) and st < 500
                want = "not 401/403/5xx"
            else:
                allowed = exp.get(col, D.get(col, {401}))
                ok, want = st in allowed, sorted(allowed)
            if not ok:
                fails += 1
                print("FAIL: %s %s [%s] → %d, want %s" % (method, tmpl, col,
                                                         st, want))
    print("authz matrix: %d routes × %d credentials = %d cells, %d failed" %
          (len(ops), len(COLS), cells, fails))
    return 1 if fails else 0


sys.exit(main())
