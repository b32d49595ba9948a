#!/usr/bin/env python3
"""tests/e2e/disclosure.py — the attacker of issue 12 (domain §3.5).

Collects every number basisd publishes about a small state through its
real HTTP API (series at every period length, comparisons of every group
and period in JSON, the dashboard tiles with their change lines, the
uitstroom benchmark), writes each as a linear equation over the unknown
delivered cells, adds what an attacker knows besides (the catalogue's
declared sums), and checks by exact rational elimination that no small
figure (a suppressed cell, or a small quarter, halfjaar or year) is
determined.

Usage: disclosure.py BASE TRUTH.json CATALOGUE_DIR [GROUPS…]
TRUTH.json: {"cells": [[gm, indicator, periode, waarde|null, teller|null,
noemer|null], …], "gemeenten": [codes]}. Exit 0 when nothing leaks; the
report names every determined small figure and the equations used.
DISCLOSURE_SKIP=vergelijkbaar,dashboard,benchmark leaves those out (the
national demo: 342 peer groups and dashboards would take minutes).
"""
import configparser
import json
import os
import sys
import urllib.error
import urllib.request
from fractions import Fraction

BASE, TRUTH, CAT = sys.argv[1], sys.argv[2], sys.argv[3]
EXTRA_GROUPS = sys.argv[4:]
SKIP = set(filter(None, os.environ.get("DISCLOSURE_SKIP", "").split(",")))
KINDS = {"maand": 1, "kwartaal": 3, "halfjaar": 6, "jaar": 12}
PEOPLE = {"uitkering", "persoon", "huishouden", "casus"}


def get(path):
    try:
        with urllib.request.urlopen(BASE + path) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, None


# ---- the catalogue: kinds, soorten, thresholds, declared sums ----
def catalogue():
    cat = {}
    for f in os.listdir(CAT):
        if not f.endswith(".ini") or f in ("groepen.ini", "uitstroom-baseline.ini", "cbs.ini"):
            continue
        p = configparser.ConfigParser(interpolation=None)
        p.read(os.path.join(CAT, f), encoding="utf-8")
        s = p["indicator"]
        soort = s["soort"]
        comp = soort in ("ratio", "gemiddelde")
        mnt = s.get("min_n_teller")
        cat[s["id"]] = {
            "kind": s["periode"], "meting": s["meting"], "comp": comp,
            "min_n": int(s.get("min_n", "10")),
            "min_n_teller": int(mnt) if mnt is not None else
            (5 if soort == "ratio" and s["eenheid"] in PEOPLE else 0),
            "over": s.get("over_perioden", "ja") != "nee",
            "sums": [(k, s[k]) for k in ("som", "som_teller", "som_noemer") if k in s],
            "rate": s.get("vergelijk_als"),
        }
    return cat


CATL = catalogue()


def parse_period(p):
    if "-Q" in p:
        y, q = p.split("-Q")
        return ("kwartaal", int(y), int(q))
    if "-H" in p:
        y, h = p.split("-H")
        return ("halfjaar", int(y), int(h))
    if "-" in p:
        y, m = p.split("-")
        return ("maand", int(y), int(m))
    return ("jaar", int(p), 1)


def months_of(kind, year, idx, base):
    """Base periods (of kind base) inside period (kind, year, idx)."""
    per = KINDS[kind] // KINDS[base]
    return [(base, year, (idx - 1) * per + i + 1) for i in range(per)]


def fmt(k, y, i):
    return {"maand": f"{y}-{i:02d}", "kwartaal": f"{y}-Q{i}",
            "halfjaar": f"{y}-H{i}", "jaar": f"{y}"}[k]


# ---- the truth: the delivered cells ----
truth = json.load(open(TRUTH))
CELLS = {}       # (gm, id, base period, dim) -> value
for gm, ind, per, w, t, n in truth["cells"]:
    p = parse_period(per)
    if CATL[ind]["comp"]:
        CELLS[(gm, ind, p, "t")] = Fraction(str(t))
        CELLS[(gm, ind, p, "n")] = Fraction(str(n))
    else:
        CELLS[(gm, ind, p, "w")] = Fraction(str(w))
GEMEENTEN = truth["gemeenten"]
INDS = sorted({k[1] for k in CELLS})
YEARS = sorted({k[2][1] for k in CELLS})


def dims(ind):
    return ("t", "n") if CATL[ind]["comp"] else ("w",)


def form_of(gm, ind, kind, year, idx, dim, peildatum=None):
    """The figure of ind at a period as a form {cell: coef} over present cells."""
    c = CATL[ind]
    base = c["kind"]
    if c["meting"] == "stand":
        if peildatum is None:   # the last present base period
            cand = [m for m in months_of(kind, year, idx, base) if (gm, ind, m, dim) in CELLS]
            if not cand:
                return {}
            peildatum = cand[-1]
        return {(gm, ind, peildatum, dim): Fraction(1)}
    return {(gm, ind, m, dim): Fraction(1) for m in months_of(kind, year, idx, base)
            if (gm, ind, m, dim) in CELLS}


def value(form):
    return sum((CELLS[k] * v for k, v in form.items()), Fraction(0))


def small(ind, forms):
    """The small dimensions of a figure: a count's value; a ratio's noemer
    below min_n, its teller of people below min_n_teller."""
    c = CATL[ind]
    if c["comp"]:
        t, n = value(forms["t"]), value(forms["n"])
        return ([("n")] if c["min_n"] > 0 and 0 < n < c["min_n"] else []) + \
            (["t"] if c["min_n_teller"] > 0 and 0 < t < c["min_n_teller"] else [])
    w = value(forms["w"])
    return ["w"] if c["min_n"] > 0 and 0 < w < c["min_n"] else []


EQS = []          # (form, published number, where)
PROBLEMS = []


def equation(form, num, where):
    if not form:
        return
    num = Fraction(num).limit_denominator(10**9) if isinstance(num, float) else Fraction(num)
    if abs(float(value(form) - num)) > 1e-6 * max(1.0, abs(float(num))):
        PROBLEMS.append(f"{where}: published {float(num)} but the cells give {float(value(form))}")
    EQS.append((form, num, where))


def cell_value(gm, ind, kind, year, idx, v, where):
    """A published value (series row, comparison row, tile)."""
    if v is None or v.get("onderdrukt"):
        return
    pd = parse_period(v["peildatum"]) if v.get("peildatum") else None
    c = CATL[ind]
    if c["comp"]:
        for dim, key in (("t", "teller"), ("n", "noemer")):
            if v.get(key) is not None:
                equation(form_of(gm, ind, kind, year, idx, dim, pd), v[key], where)
    elif v.get("waarde") is not None:
        equation(form_of(gm, ind, kind, year, idx, "w", pd), v["waarde"], where)


# ---- 1. series at every period length ----
for gm in GEMEENTEN:
    for ind in INDS:
        for per in KINDS:
            if KINDS[per] < KINDS[CATL[ind]["kind"]]:
                continue
            st, d = get(f"/api/v1/series/{gm}/{ind}?per={per}")
            if st != 200:
                continue
            for v in d["waarden"]:
                k, y, i = parse_period(v["periode"])
                cell_value(gm, ind, k, y, i, v, f"series {gm}/{ind} {v['periode']}")

# ---- 2. comparisons: every group, every period, counts and rates ----
st, reg = get("/api/v1/gemeenten")
groups = ["alle"] + EXTRA_GROUPS
seen_groups = set(groups)
for gm in GEMEENTEN:
    st, g = get(f"/api/v1/gemeenten/{gm}")
    for x in g["groepen"]:
        if x not in seen_groups and not ("vergelijkbaar" in SKIP and x.startswith("vergelijkbaar-")):
            groups.append(x)
            seen_groups.add(x)


def periods_of(ind):
    """Every period (any length) holding a delivered value of ind."""
    base = CATL[ind]["kind"]
    have = {k[2] for k in CELLS if k[1] == ind}
    out = []
    for y in YEARS:
        for k in KINDS:
            if KINDS[k] < KINDS[base]:
                continue
            for i in range(1, 12 // KINDS[k] + 1):
                if any(m in have for m in months_of(k, y, i, base)):
                    out.append((k, y, i))
    return out


def noemer_form(als, gm, k, y, i):
    """The noemer of a count's rate as a form over the cells (domain §3.9);
    None when the noemer's indicator is not among the collected ones."""
    nid = {"pct_bestand": "pw_bestand", "pct_bestand_begin": "pw_bestand",
           "per_1000_inwoners": "inwoners"}.get(als)
    if nid not in INDS:
        return None
    if als == "pct_bestand":
        return form_of(gm, "pw_bestand", k, y, i, "w")
    if als == "pct_bestand_begin":
        first = months_of(k, y, i, "maand")[0]
        prev = ("maand", first[1] - 1, 12) if first[2] == 1 else ("maand", first[1], first[2] - 1)
        return form_of(gm, "pw_bestand", *prev, "w")
    if als == "per_1000_inwoners":
        return form_of(gm, "inwoners", "jaar", y, 1, "w")
    return None


def add_forms(fs):
    out = {}
    for f in fs:
        for c, v in f.items():
            out[c] = out.get(c, 0) + v
    return out


def aggregate(where, members, num, form_fn):
    """A group figure: over the delivered members (a leak when cells are
    suppressed) or the published ones; any other number is unexplained."""
    if num is None:
        return
    delivered = [r for r in members if r.get("geleverd")]
    published = [r for r in delivered if not r.get("onderdrukt")]
    for subset in (delivered, published):
        fs = [form_fn(r["code"]) for r in subset]
        if any(f is None for f in fs):
            return
        f = add_forms(fs)
        if abs(float(value(f)) - num) < 1e-6:
            equation(f, num, where)
            return
    PROBLEMS.append(f"{where} = {num}: neither the delivered nor the published cells")


for ind in INDS:
    c = CATL[ind]
    for (k, y, i) in periods_of(ind):
        if k != c["kind"] and not c["over"]:
            continue
        # a count with a rate is compared both ways; anything else once
        counted = not c["comp"] and bool(c.get("rate"))
        for grp in groups:
            for als in ("", "&als=aantal") if counted else ("",):
                st, d = get(f"/api/v1/vergelijk/{ind}?periode={fmt(k, y, i)}&groep={grp}{als}")
                if st != 200:
                    continue
                va = d.get("vergelijk_als") or {}
                rate = bool(va) and als == "" and not c["comp"]
                nals = va.get("als") if rate else None
                where = f"vergelijk {ind} {fmt(k, y, i)} {grp}{als}"
                members = [r for r in d["gemeenten"] if r["code"] in GEMEENTEN]
                for r in members:
                    if not rate:
                        cell_value(r["code"], ind, k, y, i, r, where)
                        continue
                    if r.get("onderdrukt"):
                        continue
                    # the rate's teller is the count itself
                    if r.get("teller") is not None:
                        equation(form_of(r["code"], ind, k, y, i, "w"), r["teller"], where)
                    nf = noemer_form(nals, r["code"], k, y, i)
                    if nf is not None and r.get("noemer") is not None:
                        equation(nf, r["noemer"], where + " noemer")
                # the group's and the country's figures
                aggs = [("groepcijfer", d.get("groepcijfer")), ("landelijk", d.get("landelijk"))]
                # (a rate's "totaal" is the als=aantal comparison's figure,
                # collected there)
                for key, agg in aggs:
                    if agg is None or agg.get("weergave") == "x":
                        continue
                    if "landelijk" in key and grp != "alle":
                        continue   # the country's rows are the "alle" comparison's
                    if c["comp"]:
                        for dm, fld in (("t", "teller"), ("n", "noemer")):
                            aggregate(f"{where} {key}.{fld}", members, agg.get(fld),
                                      lambda g, dm=dm: form_of(g, ind, k, y, i, dm))
                    elif rate and not key.startswith("totaal"):
                        aggregate(f"{where} {key}.teller", members, agg.get("teller"),
                                  lambda g: form_of(g, ind, k, y, i, "w"))
                        aggregate(f"{where} {key}.noemer", members, agg.get("noemer"),
                                  lambda g: noemer_form(nals, g, k, y, i))
                    else:
                        aggregate(f"{where} {key}.waarde", members, agg.get("waarde"),
                                  lambda g: form_of(g, ind, k, y, i, "w"))

# ---- 3. dashboard tiles and their change lines ----
for gm in ([] if "dashboard" in SKIP else GEMEENTEN):
    st, d = get(f"/api/v1/dashboard/{gm}")
    if st != 200:
        continue
    for t in d["tegels"]:
        ind = t["indicator"]["id"]
        if ind not in CATL or ind not in INDS:
            continue
        vals = {}
        for key in ("laatste", "vorige", "jaar_eerder"):
            v = t.get(key)
            if not v:
                continue
            k, y, i = parse_period(v["periode"])
            cell_value(gm, ind, k, y, i, v, f"tile {gm}/{ind} {key}")
            vals[key] = (k, y, i)
        for key, ch in (t.get("verandering") or {}).items():
            if not ch or "laatste" not in vals or key not in vals:
                continue
            dim = "w" if not CATL[ind]["comp"] else None
            if dim is None:
                continue   # a ratio's change is not linear in the cells
            f = dict(form_of(gm, ind, *vals["laatste"], "w"))
            for cell, v in form_of(gm, ind, *vals[key], "w").items():
                f[cell] = f.get(cell, 0) - v
            equation(f, Fraction(str(ch["verschil"])), f"tile {gm}/{ind} verandering.{key}")

# ---- 4. the uitstroom benchmark ----
bl = configparser.ConfigParser(interpolation=None)
bl.read(os.path.join(CAT, "uitstroom-baseline.ini"), encoding="utf-8")
def rates(methode, kolom):
    col = "alle" if kolom == "alle" else "werk_opleiding"
    lo = [Fraction(bl[f"duur-{k}"][f"{col}_laag"]) for k in range(1, 8)]
    hi = [Fraction(bl[f"duur-{k}"][f"{col}_hoog"]) for k in range(1, 8)]
    return {"laag": lo, "hoog": hi}.get(methode, [(a + b) / 2 for a, b in zip(lo, hi)])


schade = [Fraction(bl[f"duur-{k}"]["schadelast_terugval"]) for k in range(1, 8)]
for gm in ([] if "benchmark" in SKIP else GEMEENTEN):
    for y in YEARS:
        st, d = get(f"/api/v1/benchmark/uitstroom/{gm}?jaar={y}")
        if st != 200:
            continue
        rate = rates(d["methode"], d["kolom"])
        dec = [form_of(gm, f"pw_bestand_duur_{k}", "maand", y - 1, 12, "w") for k in range(1, 8)]
        where = f"benchmark {gm} {y}"
        for k, v in enumerate(d["verwacht_per_duurklasse"]):
            if v is not None and rate[k] != 0:
                equation({c: x * rate[k] for c, x in dec[k].items()}, v, where + f" klasse {k + 1}")

        def comb(ws):
            f = {}
            for k in range(7):
                for c, x in dec[k].items():
                    f[c] = f.get(c, 0) + x * ws[k]
            return f
        equation(comb([1] * 7), d["bestand"], where + " bestand")
        equation(comb(rate), d["verwacht"], where + " verwacht")
        equation(comb(schade), Fraction(str(d["per_uitstromer"])) * Fraction(str(d["bestand"])), where + " per_uitstromer")
        f = {}
        for fid, w in (("werk", 1), ("opleiding", 1), ("ondernemer", 1), ("deeltijd", Fraction(1, 2))):
            for c, x in form_of(gm, f"pw_uitstroom_{fid}", "jaar", y, 1, "w").items():
                f[c] = f.get(c, 0) + x * w
        if d.get("maanden", 12) == 12:
            equation(f, d["gerealiseerd"], where + " gerealiseerd")

# ---- 5. what an attacker knows besides: the declared sums ----
for ind, c in CATL.items():
    for key, expr in c["sums"]:
        dim = {"som": "w", "som_teller": "t", "som_noemer": "n"}[key]
        terms = []
        for part in expr.split("+"):
            part = part.strip()
            w, pid = (part.split("*") if "*" in part else ("1", part))
            pdim = "w"
            if "." in pid:
                pid, sfx = pid.split(".")
                pdim = sfx[0]
            terms.append((Fraction(w.strip()), pid.strip(), pdim))
        for gm in GEMEENTEN:
            for y in YEARS:
                for i in range(1, 12 // KINDS[c["kind"]] + 1):
                    whole = form_of(gm, ind, c["kind"], y, i, dim)
                    if not whole:
                        continue
                    f = dict(whole)
                    allpresent = True
                    for w, pid, pdim in terms:
                        pc = CATL[pid]
                        for m in months_of(c["kind"], y, i, pc["kind"]) if pc["meting"] == "stroom" else [(c["kind"], y, i)]:
                            key2 = (gm, pid, m, pdim)
                            if key2 not in CELLS:
                                allpresent = False
                                continue
                            f[key2] = f.get(key2, 0) - w
                    if allpresent and value(f) == 0:
                        EQS.append((f, Fraction(0), f"som {ind} {gm} {fmt(c['kind'], y, i)}"))

# ---- 6. the small figures an attacker must not determine ----
targets = []
for gm in GEMEENTEN:
    for ind in INDS:
        c = CATL[ind]
        for (k, y, i) in periods_of(ind):
            if k != c["kind"] and (c["meting"] == "stand" or not c["over"]):
                continue
            forms = {dm: form_of(gm, ind, k, y, i, dm) for dm in dims(ind)}
            if not all(forms.values()):
                continue
            for dm in small(ind, forms):
                targets.append((forms[dm], f"{gm} {ind} {fmt(k, y, i)} {dm}"))

# ---- exact elimination: substitute what is published, then reduce ----
known = {}
changed = True
while changed:       # unit equations make cells known
    changed = False
    for f, num, where in EQS:
        free = [c for c in f if c not in known and f[c] != 0]
        if len(free) == 1:
            c = free[0]
            rest = sum((known[x] * v for x, v in f.items() if x != c), Fraction(0))
            known[c] = (num - rest) / f[c]
            changed = True
cols = sorted({c for f, _, _ in EQS for c in f if c not in known} |
              {c for f, _ in targets for c in f if c not in known})
idx = {c: j for j, c in enumerate(cols)}
rows = []
for f, num, where in EQS:
    r = {idx[c]: v for c, v in f.items() if c not in known and v != 0}
    if r:
        rows.append(r)
# echelon form over the unknown columns (sparse rows, exact)
basis = {}   # pivot column -> row


def reduce(r):
    r = dict(r)
    while r:
        p = min(r)
        if p not in basis:
            return r, p
        b = basis[p]
        factor = r[p] / b[p]
        for j, v in b.items():
            nv = r.get(j, 0) - factor * v
            if nv == 0:
                r.pop(j, None)
            else:
                r[j] = nv
    return r, None


for r in rows:
    rr, p = reduce(r)
    if rr:
        basis[p] = rr

leaks = []
for f, name in targets:
    r = {idx[c]: v for c, v in f.items() if c not in known and v != 0}
    if not r:
        leaks.append(name + " (every cell of it is published or derivable)")
        continue
    rr, _ = reduce(r)
    if not rr:
        leaks.append(name)

print(f"disclosure: {len(EQS)} published numbers as equations, {len(cols)} unknown cells, "
      f"{len(known)} cells known, {len(targets)} small figures, rank {len(basis)}")
for p in PROBLEMS[:20]:
    print("MODEL:", p)
for l in leaks:
    print("LEAK:", l)
    cells = [c for f, name in targets if name == l.split(" (")[0] for c in f]
    for f, num, where in EQS:
        if any(c in f for c in cells):
            print("   from:", where, "=", float(num))
sys.exit(1 if leaks or PROBLEMS else 0)
