#!/usr/bin/python3
"""mockapi.py — a stand-in for basisd's HTTP API (doc/api.md), for developing
and checking the dashboard in www/ without the daemon.

Usage: mockapi.py PORT WWW_DIR [GEMEENTEN_CSV]

Serves WWW_DIR like basisd does (index.html for "/", "/gemeente/…",
"/indicator/…") and answers the API routes the dashboard uses with
deterministic synthetic data ("synthetisch": true). Not a test of the daemon:
browser.py runs against the real basisd in the test suite; this file only
lets the dashboard and browser.py be exercised on their own.
"""
import hashlib
import json
import math
import os
import signal
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CSV = os.path.join(HERE, "..", "..", "indicators", "gemeenten.csv")

THEMAS = [
    {"id": "uitstroom", "naam": "Uitstroom"},
    {"id": "participatie", "naam": "Participatieladder"},
    {"id": "zrm", "naam": "Zelfredzaamheid (ZRM)"},
    {"id": "escalaties", "naam": "Escalaties voorkomen"},
    {"id": "bestand", "naam": "Bestand"},
]


def ind(id_, naam, groep, eenheid, soort, meting, periode, richting,
        teller="", noemer="", schaal=1, min_n=10, lo=0.0, hi=100.0):
    return {
        "id": id_, "naam": naam, "groep": groep, "eenheid": eenheid,
        "omschrijving": f"{naam}: synthetische omschrijving voor de mock.",
        "soort": soort, "meting": meting, "periode": periode,
        "teller": teller, "noemer": noemer, "schaal": schaal,
        "min": 0, "max": None, "richting": richting, "min_n": min_n,
        "bron": "Gemeentelijke levering (mock)", "sinds": "2015",
        "kanttekening": "Kleine aantallen zijn onderdrukt.",
        "berekening": ("Groepscijfer: som van de tellers gedeeld door de som"
                       " van de noemers." if teller else
                       "Groepscijfer: som van de aantallen."),
        "_lo": lo, "_hi": hi,
    }


INDICATORS = [
    ind("pw_uitstroom_resultaat_pct", "Uitstroom naar werk, opleiding of "
        "ondernemerschap", "uitstroom", "uitkering", "ratio", "stroom",
        "maand", "hoger_beter", "gewogen uitstroom", "uitkeringen in het "
        "bestand", 100, 10, 0.5, 4.0),
    ind("pw_instroom", "Instroom in de bijstand", "uitstroom", "uitkering",
        "aantal", "stroom", "maand", "lager_beter", lo=2, hi=900),
    ind("pl_stijgers_pct", "Stijgers op de participatieladder",
        "participatie", "persoon", "ratio", "stroom", "halfjaar",
        "hoger_beter", "personen met een hogere trede", "personen twee keer "
        "gemeten", 100, 10, 8, 30),
    ind("pl_gemiddelde_trede", "Gemiddelde trede", "participatie", "trede",
        "gemiddelde", "stand", "halfjaar", "hoger_beter", "som van de "
        "treden", "gemeten personen", 1, 10, 2.0, 3.5),
    ind("zrm_verbeterd_pct", "Verbeterd op ten minste één leefgebied",
        "zrm", "persoon", "ratio", "stroom", "kwartaal", "hoger_beter",
        "personen verbeterd", "personen twee keer gemeten", 100, 10, 20, 60),
    ind("esc_ontruiming_voorkomen_pct", "Ontruimingen voorkomen",
        "escalaties", "casus", "ratio", "stroom", "jaar", "hoger_beter",
        "ontruimingen voorkomen", "aangezegde ontruimingen", 100, 10, 50, 90),
    ind("pw_bestand", "Bijstandsuitkeringen", "bestand", "uitkering",
        "aantal", "stand", "maand", "lager_beter", lo=20, hi=40000),
    ind("bijstand_per_1000_inwoners", "Bijstand per 1.000 inwoners",
        "bestand", "uitkering", "ratio", "stand", "maand", "lager_beter",
        "uitkeringen", "inwoners", 1000, 10, 5, 60),
]
IND = {i["id"]: i for i in INDICATORS}


def public(i):
    return {k: v for k, v in i.items() if not k.startswith("_")}


def slug(s):
    return "".join(c if c.isalnum() else "-" for c in s.lower()).strip("-")


KLASSEN = [(5000, "minder dan 5.000 inwoners"), (10000, "5.000 tot 10.000 "
           "inwoners"), (20000, "10.000 tot 20.000 inwoners"), (50000,
           "20.000 tot 50.000 inwoners"), (100000, "50.000 tot 100.000 "
           "inwoners"), (150000, "100.000 tot 150.000 inwoners"), (250000,
           "150.000 tot 250.000 inwoners"), (10**9, "250.000 inwoners of "
           "meer")]


def load_gemeenten(path):
    out = []
    with open(path, encoding="utf-8-sig") as fp:
        rows = [line.rstrip("\r\n").split(";") for line in fp if line.strip()]
    for code, naam, prov, inw in rows[1:]:
        inw = int(inw)
        k = next(n for n, (lim, _) in enumerate(KLASSEN, 1) if inw < lim)
        out.append({"code": code, "naam": naam, "provincie": prov,
                    "inwoners": inw, "grootteklasse": k,
                    "grootteklasse_naam": KLASSEN[k - 1][1], "actief": True})
    return out


def rnd(*key):
    h = hashlib.sha256("|".join(map(str, key)).encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64


def periods(kind):
    if kind == "maand":
        return [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)]
    if kind == "kwartaal":
        return [f"{y}-Q{q}" for y in (2024, 2025) for q in range(1, 5)]
    if kind == "halfjaar":
        return [f"{y}-H{h}" for y in (2024, 2025) for h in (1, 2)]
    return ["2024", "2025"]


def nl(x, dec=0):
    s = f"{abs(x):,.{dec}f}".replace(",", "X").replace(".", ",")
    return ("-" if x < 0 else "") + s.replace("X", ".")


class Data:
    def __init__(self, gemeenten):
        self.gem = gemeenten
        self.by_code = {g["code"]: g for g in gemeenten}

    def groepen(self):
        out = [{"id": "alle", "naam": "Alle gemeenten", "soort": "alle",
                "gemeenten": [g["code"] for g in self.gem]}]
        for k, (_, naam) in enumerate(KLASSEN, 1):
            out.append({"id": f"grootteklasse-{k}", "naam": naam,
                        "soort": "grootteklasse", "gemeenten": [
                            g["code"] for g in self.gem
                            if g["grootteklasse"] == k]})
        for p in sorted({g["provincie"] for g in self.gem}):
            out.append({"id": "provincie-" + slug(p), "naam": p,
                        "soort": "provincie", "gemeenten": [
                            g["code"] for g in self.gem
                            if g["provincie"] == p]})
        out.append({"id": "G4", "naam": "G4", "soort": "eigen", "gemeenten":
                    ["GM0363", "GM0599", "GM0518", "GM0344"]})
        return out

    def peers(self, code, k=10):
        me = self.by_code[code]
        others = sorted((g for g in self.gem if g["code"] != code),
                        key=lambda g: abs(math.log(g["inwoners"]) -
                                          math.log(me["inwoners"])))
        return others[:k]

    def group(self, gid):
        if gid.startswith("vergelijkbaar-"):
            code = gid.split("-", 1)[1]
            if code not in self.by_code:
                return None
            peers = self.peers(code)
            return {"id": gid, "naam": "Vergelijkbare gemeenten van " +
                    self.by_code[code]["naam"],
                    "gemeenten": [code] + [g["code"] for g in peers]}
        return next((g for g in self.groepen() if g["id"] == gid), None)

    def cell(self, code, i, per):
        """One observation as the API shows it."""
        g = self.by_code[code]
        r = rnd(code, i["id"], per)
        size = g["inwoners"] / 1000
        last = per == periods(i["periode"])[-1]
        status = "voorlopig" if last else (
            "geschat" if rnd("st", code, i["id"], per) < 0.03 else "definitief")
        if rnd("miss", code, i["id"], per) < 0.02:
            return None
        if i["soort"] == "aantal":
            v = round(i["_lo"] + (i["_hi"] - i["_lo"]) * r * min(size / 900, 1))
            supp = 0 < v < 5
            return {"waarde": None if supp else v, "teller": None,
                    "noemer": None, "status": status, "onderdrukt": supp,
                    "weergave": "<5" if supp else nl(v)}
        noemer = max(1, round(size * (3 + 20 * rnd("n", code, i["id"]))))
        if i["id"] == "bijstand_per_1000_inwoners":
            noemer = g["inwoners"]
        frac = (i["_lo"] + (i["_hi"] - i["_lo"]) * r) / i["schaal"]
        if i["soort"] == "gemiddelde":
            teller = round(noemer * frac * i["schaal"])
        else:
            teller = round(noemer * frac * 2) / 2
        supp = noemer < i["min_n"]
        v = teller / noemer * i["schaal"]
        dec = 2 if i["soort"] == "gemiddelde" else 1
        w = ("–" if supp else nl(v, dec) + ("%" if i["schaal"] == 100 else ""))
        return {"waarde": None if supp else round(v, 4),
                "teller": None if supp else teller,
                "noemer": None if supp else noemer, "status": status,
                "onderdrukt": supp, "weergave": w}

    def aggregate(self, i, cells):
        ok = [c for c in cells if c and c["waarde"] is not None]
        if i["soort"] == "aantal":
            v = sum(c["waarde"] for c in ok)
            return {"waarde": v, "teller": None, "noemer": None,
                    "weergave": nl(v)}, len(ok)
        t = sum(c["teller"] for c in ok)
        n = sum(c["noemer"] for c in ok)
        v = t / n * i["schaal"] if n else None
        dec = 2 if i["soort"] == "gemiddelde" else 1
        w = "–" if v is None else nl(v, dec) + (
            "%" if i["schaal"] == 100 else "")
        return {"waarde": v, "teller": t, "noemer": n, "weergave": w}, len(ok)

    def vergelijk(self, iid, per, gid):
        i = IND.get(iid)
        grp = self.group(gid)
        if i is None or grp is None:
            return None
        per = per or periods(i["periode"])[-1]
        if per not in periods(i["periode"]):
            return {"indicator": public(i), "periode": per,
                    "synthetisch": True, "groep": {"id": gid, "naam":
                    grp["naam"], "leden": len(grp["gemeenten"])},
                    "groepcijfer": None, "landelijk": None,
                    "percentielen": None, "gemeenten": []}
        cells = {c: self.cell(c, i, per) for c in grp["gemeenten"]}
        agg, n = self.aggregate(i, cells.values())
        agg.update({"n": n, "N": len(cells), "onvolledig": n < len(cells) / 2})
        allc = [self.cell(g["code"], i, per) for g in self.gem]
        land, ln = self.aggregate(i, allc)
        land.update({"n": ln, "N": len(allc)})
        vals = sorted(c["waarde"] for c in cells.values()
                      if c and c["waarde"] is not None)

        def pct(p):
            if not vals:
                return None
            return vals[min(len(vals) - 1, int(p / 100 * len(vals)))]
        med = pct(50)
        rows = []
        for code, c in cells.items():
            rows.append({"code": code, "naam": self.by_code[code]["naam"],
                         "waarde": c and c["waarde"],
                         "teller": c and c["teller"],
                         "noemer": c and c["noemer"],
                         "rang": None,
                         "afstand_mediaan": None if not c or c["waarde"] is
                         None else round(c["waarde"] - med, 4),
                         "status": c["status"] if c else None,
                         "onderdrukt": bool(c and c["onderdrukt"]),
                         "weergave": c["weergave"] if c else "–"})
        hib = i["richting"] != "lager_beter"
        ranked = sorted((r for r in rows if r["waarde"] is not None),
                        key=lambda r: -r["waarde"] if hib else r["waarde"])
        for k, r in enumerate(ranked, 1):
            r["rang"] = k
        rest = [r for r in rows if r["waarde"] is None]
        return {"indicator": public(i), "periode": per, "synthetisch": True,
                "groep": {"id": gid, "naam": grp["naam"],
                          "leden": len(grp["gemeenten"])},
                "groepcijfer": agg, "landelijk": land,
                "percentielen": {f"p{p}": pct(p) for p in (10, 25, 50, 75,
                                                           90)},
                "gemeenten": ranked + rest}

    def series(self, code, iid):
        i = IND[iid]
        out = []
        for per in periods(i["periode"]):
            c = self.cell(code, i, per)
            if c is None:
                continue
            c = dict(c, periode=per, revisies=1, maanden=None,
                     maanden_verwacht=None, onvolledig=False)
            out.append(c)
        return {"gemeente": {"code": code, "naam": self.by_code[code]["naam"]},
                "indicator": {k: public(i)[k] for k in (
                    "id", "naam", "eenheid", "soort", "meting", "periode",
                    "schaal")},
                "per": i["periode"], "synthetisch": True, "waarden": out}

    def dashboard(self, code):
        g = self.by_code[code]
        peers = self.peers(code)
        tegels = []
        for i in INDICATORS:
            ps = periods(i["periode"])
            per_jaar = len(ps) // 2

            def obs(p):
                c = self.cell(code, i, p)
                return c and dict(c, periode=p)
            laatste = obs(ps[-1])
            positie = None
            if laatste and laatste["waarde"] is not None:
                pv = [self.cell(p["code"], i, ps[-1]) for p in peers]
                pv = [c["waarde"] for c in pv if c and c["waarde"] is not None]
                hoger = sum(1 for v in pv if laatste["waarde"] > v)
                good = (hoger > len(pv) / 2) == (i["richting"] ==
                                                 "hoger_beter")
                positie = {"hoger_dan": hoger, "van": len(pv),
                           "tekst": f"hoger dan {hoger} van de {len(pv)} "
                           "vergelijkbare gemeenten",
                           "oordeel": "gunstig" if good else "ongunstig"}
            tegels.append({"indicator": public(i), "laatste": laatste,
                           "vorige": obs(ps[-2]),
                           "jaar_eerder": obs(ps[-1 - per_jaar]),
                           "positie": positie})
        return {"gemeente": g, "synthetisch": True,
                "peergroep": {"id": "vergelijkbaar-" + code,
                              "naam": "Vergelijkbare gemeenten van " +
                              g["naam"], "leden": len(peers)},
                "tegels": tegels}

    def benchmark(self, code, jaar):
        bestand = 120 + round(rnd("b", code) * 3000)
        real = round(bestand * (0.08 + 0.15 * rnd("r", code, jaar)) * 2) / 2
        verw = round(bestand * 0.07, 1)
        extra = round(real - verw, 1)
        return {"gemeente": {"code": code, "naam": self.by_code[code]["naam"]},
                "jaar": int(jaar), "methode": "midden", "synthetisch": True,
                "bestand": bestand, "gerealiseerd": real, "verwacht": verw,
                "extra": extra,
                "schadelastbeperking": {
                    "bruto": round(extra * 35000),
                    "incl_terugval": round(extra * 35000 * 0.55),
                    "gemeentelijk": round(extra * 35000 * 0.55 * 2 / 3),
                    "horizon_jaren": 7}}


def chart_svg(title, n=24):
    pts = " ".join(f"{40 + k * 25},{150 - 60 * rnd(title, k):.0f}"
                   for k in range(n))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="680" height="220"'
            f' viewBox="0 0 680 220"><rect width="680" height="220" '
            f'fill="#fff"/><text x="10" y="20" font-size="14">{title}</text>'
            f'<polyline fill="none" stroke="#0b57a4" stroke-width="2" '
            f'points="{pts}"/></svg>')


class Handler(BaseHTTPRequestHandler):
    data = None
    www = None

    def log_message(self, *a):
        pass

    def send(self, status, body, ctype):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def json(self, obj, status=200):
        if obj is None:
            obj, status = {"fout": "niet gevonden", "details": []}, 404
        self.send(status, json.dumps(obj, ensure_ascii=False),
                  "application/json; charset=utf-8")

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        p = urllib.parse.unquote(u.path)
        parts = p.strip("/").split("/")
        d = self.data
        if p == "/healthz":
            return self.send(200, "ok\n", "text/plain")
        if p.startswith("/api/v1/"):
            return self.api(parts[2:], q)
        if p.startswith("/chart/"):
            return self.send(200, chart_svg(p), "image/svg+xml")
        if p == "/" or p.startswith("/gemeente/") or p.startswith(
                "/indicator/"):
            p = "/index.html"
        f = os.path.normpath(os.path.join(self.www, p.lstrip("/")))
        if not f.startswith(self.www) or not os.path.isfile(f):
            return self.json({"fout": "niet gevonden", "details": []}, 404)
        types = {".html": "text/html; charset=utf-8", ".css": "text/css",
                 ".js": "text/javascript", ".svg": "image/svg+xml"}
        with open(f, "rb") as fp:
            self.send(200, fp.read(), types.get(os.path.splitext(f)[1],
                                                "application/octet-stream"))
        del d

    def api(self, parts, q):
        d = self.data
        head, rest = parts[0], parts[1:]
        if head == "indicators" and not rest:
            return self.json({"indicatoren": [public(i) for i in INDICATORS],
                              "themas": THEMAS})
        if head == "indicators":
            return self.json(public(IND[rest[0]]) if rest[0] in IND else None)
        if head == "gemeenten" and not rest:
            return self.json({"gemeenten": d.gem, "bron": "mock"})
        if head == "gemeenten":
            g = self.find(rest[0])
            return self.json(g and dict(g, groepen=["alle"]))
        if head == "groepen":
            return self.json({"groepen": d.groepen()})
        if head == "vergelijk" and rest:
            iid = rest[0]
            csv = iid.endswith(".csv")
            iid = iid[:-4] if csv else iid
            r = d.vergelijk(iid, q.get("periode"), q.get("groep", "alle"))
            if csv and r:
                sep = ";" if q.get("excel") else ","
                lines = [sep.join(["code", "naam", "waarde", "rang"])]
                lines += [sep.join([g["code"], g["naam"], str(g["waarde"]),
                                    str(g["rang"])]) for g in r["gemeenten"]]
                return self.send(200, "\r\n".join(lines) + "\r\n",
                                 "text/csv; charset=utf-8")
            return self.json(r, 200 if r else 404)
        if head == "series" and len(rest) == 2:
            g = self.find(rest[0])
            return self.json(g and rest[1] in IND and d.series(g["code"],
                                                                rest[1]))
        if head == "dashboard" and rest:
            g = self.find(rest[0])
            return self.json(g and d.dashboard(g["code"]))
        if head == "benchmark" and len(rest) == 2:
            g = self.find(rest[1])
            return self.json(g and d.benchmark(g["code"], q.get("jaar",
                                                                "2025")))
        return self.json(None)

    def find(self, key):
        d = self.data
        if key in d.by_code:
            return d.by_code[key]
        if "GM" + key in d.by_code:
            return d.by_code["GM" + key]
        return next((g for g in d.gem if g["naam"].lower() == key.lower()),
                    None)


def main():
    port, www = int(sys.argv[1]), os.path.abspath(sys.argv[2])
    csv = sys.argv[3] if len(sys.argv) > 3 else DEFAULT_CSV
    Handler.data = Data(load_gemeenten(csv))
    Handler.www = www
    # SIGTERM ends cleanly with status 0, like basisd.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"mockapi: http://127.0.0.1:{port}/", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
