#!/usr/bin/env python3
"""tests/e2e/openapi.py BASE SPEC BEHEER LEVERANCIER — live answers of the
real basisd checked against the schemas its own OpenAPI document declares
(issue 15): every operation documents a success answer with content, and a
sample of requests over every kind of route (public data, feeds with their
reports, session and alerts, errors) answers with a status the document
lists and a body its schema accepts (python3-jsonschema, with OpenAPI 3.0's
`nullable` read as JSON Schema's null type)."""
import copy
import http.cookiejar
import json
import re
import sys
import urllib.error
import urllib.request

import jsonschema

base, spec_path, beheer, lev = sys.argv[1:5]
spec = json.load(open(spec_path, encoding="utf-8"))
bad = []


def to_jsonschema(s):
    """OpenAPI 3.0 schema object → JSON Schema (nullable → null allowed)."""
    if isinstance(s, list):
        return [to_jsonschema(x) for x in s]
    if not isinstance(s, dict):
        return s
    s = {k: to_jsonschema(v) for k, v in s.items()}
    if s.pop("nullable", False):
        return {"anyOf": [s, {"type": "null"}]}
    return s


root = to_jsonschema(copy.deepcopy(spec))
resolver = jsonschema.RefResolver.from_schema(root)

# Every operation: a documented 2xx with content.
for path, item in spec["paths"].items():
    for method, op in item.items():
        ok = [c for c in op["responses"] if c.startswith("2")]
        if not ok or not all("content" in op["responses"][c] for c in ok):
            bad.append(f"{method.upper()} {path}: no documented success body")


def operation(method, path):
    """The spec's operation for a concrete path (most literal match)."""
    best = None
    for pat, item in spec["paths"].items():
        rx = "^" + re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(pat)) + "$"
        if re.match(rx, path) and method.lower() in item:
            lit = pat.count("/") * 2 - pat.count("{") + pat.count(".")
            if best is None or lit > best[0]:
                best = (lit, item[method.lower()])
    return best[1] if best else None


jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
checked = 0


def call(method, path, body=None, ctype=None, headers=None, want=None):
    """One request; its status must be documented and its body valid."""
    global checked
    req = urllib.request.Request(base + path, method=method, data=body)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    if ctype:
        req.add_header("Content-Type", ctype)
    try:
        r = opener.open(req)
    except urllib.error.HTTPError as e:
        r = e
    status, data = r.status, r.read()
    ct = (r.headers.get("Content-Type") or "").split(";")[0]
    op = operation(method, path.split("?")[0])
    where = f"{method} {path} → {status}"
    if op is None:
        bad.append(f"{where}: not in the document")
        return None
    if want is not None and status != want:
        bad.append(f"{where}: expected {want}")
    resp = op["responses"].get(str(status)) or op["responses"].get("default")
    content = resp.get("content", {})
    if ct not in content:
        bad.append(f"{where}: {ct} not documented ({sorted(content)})")
        return None
    checked += 1
    if ct != "application/json":
        return data
    doc = json.loads(data)
    try:
        jsonschema.validate(doc, to_jsonschema(content[ct]["schema"]),
                            resolver=resolver)
    except jsonschema.ValidationError as e:
        bad.append(f"{where}: {e.message} at {list(e.absolute_path)}")
    return doc


def js(obj):
    return json.dumps(obj).encode()


bearer = {"Authorization": "Bearer " + beheer}
levh = {"Authorization": "Bearer " + lev}
feed = ("gemeente;indicator;periode;waarde;teller;noemer\n"
        "GM0363;pw_bestand;2024-11;41000;;\n"
        "GM0599;pw_bestand;2024-11;9000;;\n"
        "GM0363;pw_uitstroom_resultaat_pct;2024;;300;4000\n"
        # what the uitstroom benchmark needs: duurklassen at the end of the
        # year before, a year of flows
        + "".join(f"GM0363;pw_bestand_duur_{k};2023-12;{900 + k};;\n"
                  for k in range(1, 8))
        + "".join(f"GM0363;pw_uitstroom_{r};2024-{m:02d};{40 + m};;\n"
                  for r in ("werk", "opleiding", "ondernemer", "deeltijd")
                  for m in range(1, 13))).encode()

for p in ["/healthz", "/api/v1/openapi.json", "/api/v1/indicators",
          "/api/v1/indicators.csv", "/api/v1/indicators/pw_bestand",
          "/api/v1/gemeenten", "/api/v1/gemeenten.csv",
          "/api/v1/gemeenten/GM0363", "/api/v1/gemeenten/GM0363/vergelijkbaar",
          "/api/v1/groepen", "/metrics", "/alerts"]:
    call("GET", p, want=200)
rep = call("POST", "/api/v1/feeds", feed, "text/csv", bearer, want=201)
call("POST", "/api/v1/feeds", feed, "text/csv", bearer, want=200)
call("POST", "/api/v1/feeds",
     b"gemeente;indicator;periode;waarde\nGM0363;pw_bestand;2024-13;5\n",
     "text/csv", bearer, want=422)
call("POST", "/api/v1/feeds", b"gemeente;indicator;periode;waarde\n"
     b"GM0599;pw_bestand;2024-10;5\n", "text/csv", levh, want=403)
call("POST", "/api/v1/feeds", feed, "text/csv", want=401)
if rep:
    call("GET", f"/api/v1/feeds/{rep['levering']}", headers=bearer, want=200)
for p in ["/api/v1/series/GM0363/pw_bestand",
          "/api/v1/series/GM0363/pw_bestand.csv",
          "/api/v1/series/GM0363/pw_bestand?per=kwartaal",
          "/api/v1/vergelijk/pw_bestand?periode=2024-11",
          "/api/v1/vergelijk/pw_bestand.csv?periode=2024-11",
          "/api/v1/vergelijk/pw_uitstroom_resultaat_pct?periode=2024",
          "/api/v1/dashboard/GM0363",
          "/api/v1/benchmark/uitstroom/GM0363?jaar=2024",
          "/chart/GM0363/pw_bestand.svg", "/chart/GM0363/pw_bestand.png",
          "/chart/vergelijk/pw_bestand.svg?periode=2024-11",
          "/chart/kaart/pw_bestand.svg?periode=2024-11",
          "/api/v1/getal?tekst=38.000", "/api/v1/kern/GM0363"]:
    call("GET", p, want=200)
call("GET", "/api/v1/indicators/bestaat_niet", want=404)
call("GET", "/api/v1/series/GM9999/pw_bestand", want=404)
call("GET", "/api/v1/sessie", want=200)
who = call("POST", "/api/v1/sessie", js({"naam": "jan",
           "wachtwoord": "geheim-wachtwoord"}), "application/json", want=200)
csrf = {"X-CSRF-Token": (who or {}).get("csrf", "")}
call("GET", "/api/v1/sessie", want=200)
rule = {"naam": "Bestand hoog", "soort": "drempel", "gemeente": "GM0363",
        "indicator": "pw_bestand",
        "params": {"richting": "boven", "drempel": 40000}}
call("POST", "/api/v1/alerts/preview", js(rule), "application/json",
     csrf, want=200)
made = call("POST", "/api/v1/alerts/rules", js(rule), "application/json",
            csrf, want=201)
call("POST", "/api/v1/alerts/rules", js(rule), "application/json", want=403)
call("GET", "/api/v1/alerts/rules", want=200)
if made:
    call("GET", f"/api/v1/alerts/rules/{made['id']}", want=200)
    call("PUT", f"/api/v1/alerts/rules/{made['id']}", js(rule),
         "application/json", csrf, want=200)
call("GET", "/api/v1/alerts?status=alle", want=200)
tok = call("POST", "/api/v1/alerts/feedtoken", b"{}", "application/json",
           csrf, want=200)
if tok:
    call("GET", "/alerts.atom?token=" + tok["token"], want=200)
if made:
    call("DELETE", f"/api/v1/alerts/rules/{made['id']}", None, None, csrf,
         want=200)
call("DELETE", "/api/v1/sessie", want=200)
print("\n".join(bad) or f"{checked} answers valid against their schemas")
sys.exit(1 if bad else 0)
