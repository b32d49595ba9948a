#!/usr/bin/python3
"""browser.py — the dashboard in a real browser (headless Chromium through
chromedriver) against a running basisd (or tests/e2e/mockapi.py).

Usage: /usr/bin/python3 browser.py BASE_URL SCREENSHOT_DIR

Loads every page, waits for the data, compares the numbers on screen with
the API's own answers (fetched here with urllib), changes indicator, periode
and group, sorts, follows a tile to its chart, searches a gemeente, checks
keyboard entry, phone layout, console errors and failed requests, and saves
screenshots. Prints the first-render time of the gemeente-dashboard and the
page weight, then "browser: N passed, M failed"; exit status 1 on failure.

Run it with Debian's /usr/bin/python3 (python3-selenium), not a pyenv python.
The alerts section (/alerts) signs in with BASISD_MANAGER and
BASISD_WACHTWOORD (a manager of GM0363), creates a rule through the form,
compares its preview with the API, sends a feed with BASISD_BEHEER_TOKEN that
makes the rule fire, acknowledges the one event, signs out and tries a wrong
password; it fails when those variables are missing.

Environment: BASISD_RENDER_BUDGET_MS (default 1000), BASISD_WEIGHT_BUDGET_KB
(default 300), BASISD_GEMEENTE (default GM0363), BASISD_BROWSER_STAPPEN (a
comma-separated subset of the steps, for development; default all).
"""
import base64
import json
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from decimal import ROUND_HALF_UP, Decimal

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
DESKTOP = (1280, 800)
PHONE = (390, 844)
WAIT = 30  # seconds for a page to be ready; generous for sanitizer builds

# The page is ready when the view says so, no request is under way and every
# image has finished (loaded or failed).
READY_JS = """
const b = window.__basisd;
const st = document.body.dataset.status;
if (st !== 'klaar' && st !== 'fout') return null;
if (!b || b.pending > 0) return null;
for (const img of document.images) if (!img.complete) return null;
return st;
"""

# Every row of the (first) sortable table in #uitkomst, as text.
ROWS_JS = """
const rows = [];
for (const tr of document.querySelectorAll(arguments[0] + ' tbody tr')) {
  const r = {code: tr.dataset.code || null, gemarkeerd: tr.classList.contains('gemarkeerd')};
  for (const c of tr.children) r[c.dataset.kolom] = c.innerText.trim();
  rows.push(r);
}
return rows;
"""

# Text in main whose contrast with its background is below WCAG AA (4.5:1,
# 3:1 for large text); backgrounds are looked up through the ancestors.
CONTRAST_JS = """
const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
  return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
  .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
const bg = (el) => { for (; el; el = el.parentElement) {
  const c = rgb(getComputedStyle(el).backgroundColor);
  if (c.length === 3 || c[3] > 0) return c; } return [255, 255, 255]; };
const bad = [];
for (const el of document.querySelectorAll(arguments[0] + ' *')) {
  if (![...el.childNodes].some((n) => n.nodeType === 3 && n.data.trim())) continue;
  if (!el.getClientRects().length) continue;
  const cs = getComputedStyle(el);
  const a = lum(rgb(cs.color)), b = lum(bg(el));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const size = parseFloat(cs.fontSize), weight = Number(cs.fontWeight) || 400;
  const large = size >= 24 || (size >= 18.66 && weight >= 700);
  if (ratio < (large ? 3 : 4.5)) bad.push(el.tagName + ' ' + el.textContent.trim().slice(0, 30) + ' ' + ratio.toFixed(2));
}
return bad;
"""


def nl(x, maxdec=1):
    """Mirror of format.js getal(): thousands dot, decimal comma, at most
    maxdec decimals, trailing zeros dropped, rounding half away from zero
    like Number.toFixed on the exact binary value."""
    if x is None:
        return "–"
    q = Decimal(1).scaleb(-maxdec)
    s = str(Decimal(abs(x)).quantize(q, rounding=ROUND_HALF_UP))
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    whole, _, frac = s.partition(".")
    whole = f"{int(whole):,}".replace(",", ".")
    return ("-" if x < 0 and s.strip("0.") else "") + whole + (
        "," + frac if frac else "")


class Suite:
    def __init__(self, base, shots):
        self.base = base.rstrip("/")
        self.shots = shots
        self.passed = 0
        self.failed = 0
        self.figures = {}
        self.failed_requests = []  # from the Performance (network) log
        self.console = []          # SEVERE console entries
        self.weight = {}           # requestId → [url, bytes]
        self.drv = None
        self.profile = tempfile.mkdtemp(prefix="basisd-chromium-")

    # ---- bookkeeping
    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failed += 1
            print(f"FAIL {name}{': ' + str(detail) if detail else ''}")
        return ok

    def eq(self, name, got, want):
        return self.check(name, got == want, f"scherm {got!r} ≠ API {want!r}")

    # ---- HTTP from Python: the API's own answer
    def api(self, path, **params):
        q = {k: v for k, v in params.items() if v not in (None, "")}
        url = self.base + path + ("?" + urllib.parse.urlencode(q) if q else "")
        with urllib.request.urlopen(url, timeout=60) as r:
            return json.load(r)

    def call(self, method, path, body=None, token=None,
             ctype="application/json"):
        """(status, JSON) of a request with a bearer token; HTTP errors are
        answers too."""
        data = body if isinstance(body, bytes) or body is None else \
            json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data,
                                     method=method)
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        if data is not None:
            req.add_header("Content-Type", ctype)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, json.load(r)
        except urllib.error.HTTPError as e:
            return e.code, json.load(e)

    def fetch(self, url):
        with urllib.request.urlopen(urllib.parse.urljoin(self.base + "/",
                                                         url), timeout=60) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()

    # ---- browser
    def start(self):
        o = webdriver.ChromeOptions()
        o.binary_location = CHROMIUM
        for a in ("--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-quic", "--no-first-run",
                  "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--lang=nl-NL",
                  f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
                  f"--user-data-dir={self.profile}"):
            o.add_argument(a)
        o.set_capability("goog:loggingPrefs",
                         {"browser": "ALL", "performance": "ALL"})
        self.drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=o)
        self.drv.set_page_load_timeout(WAIT)
        self.drv.execute_cdp_cmd("Network.enable", {})
        # Chromium's own start-up (new-tab page, a DNS probe) is not ours.
        self.drv.get("about:blank")
        self.drain()
        self.console, self.failed_requests = [], []

    def stop(self):
        if self.drv is not None:
            self.drv.quit()
        shutil.rmtree(self.profile, ignore_errors=True)

    def drain(self):
        """Move the browser's console and network logs into the suite."""
        for e in self.drv.get_log("browser"):
            if e.get("level") == "SEVERE":
                self.console.append(e.get("message", ""))
        for e in self.drv.get_log("performance"):
            m = json.loads(e["message"])["message"]
            p = m.get("params", {})
            meth = m.get("method")
            if meth == "Network.responseReceived":
                url, st = p["response"]["url"], p["response"]["status"]
                self.weight.setdefault(p["requestId"], [url, 0])[0] = url
                if st >= 400:
                    self.failed_requests.append(f"{st} {url}")
            elif meth == "Network.requestWillBeSent":
                self.weight.setdefault(p["requestId"],
                                       [p["request"]["url"], 0])
            elif meth == "Network.loadingFinished":
                self.weight.setdefault(p["requestId"], ["?", 0])[1] += \
                    p.get("encodedDataLength", 0)
            elif meth == "Network.loadingFailed" and not p.get("canceled"):
                url = self.weight.get(p["requestId"], ["?"])[0]
                self.failed_requests.append(f"{p.get('errorText')} {url}")

    def axe(self, step):
        """axe-core on the page as it is now: 0 violations (issue 14)."""
        path = os.environ.get("BASISD_AXE")
        if not path:
            return
        if not hasattr(self, "_axe"):
            with open(path, encoding="utf-8") as f:
                self._axe = f.read()
        if not self.js("return typeof axe !== 'undefined'"):
            self.js(self._axe)
        v = self.drv.execute_async_script(
            "const cb = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then("
            "r => cb(r.violations.map(v => v.id + ' (' + v.nodes.map("
            "n => n.target.join(' ')).slice(0, 3).join(', ') + ')')),"
            "e => cb(['axe: ' + e]));")
        self.figures["axe_controles"] = self.figures.get("axe_controles", 0) + 1
        self.check(f"{step}: axe-core 0 overtredingen", v == [], v)

    def clean(self, step):
        """Console errors and failed requests since the last clean(), and
        axe-core on the page state the step ends in."""
        self.axe(step)
        self.drain()
        self.check(f"{step}: geen consolefouten", not self.console,
                   self.console[:5])
        self.check(f"{step}: geen mislukte verzoeken",
                   not self.failed_requests, self.failed_requests[:5])
        self.console, self.failed_requests = [], []

    def ready(self, step):
        try:
            st = WebDriverWait(self.drv, WAIT).until(
                lambda d: d.execute_script(READY_JS))
        except TimeoutException:
            st = "time-out"
        self.check(f"{step}: pagina klaar", st == "klaar",
                   f"status {st}; {self.js('return window.__basisd && window.__basisd.fouten')}")
        return st == "klaar"

    def open(self, path, step):
        self.drv.get(self.base + path)
        return self.ready(step)

    def wait_url(self, part, step):
        try:
            WebDriverWait(self.drv, WAIT).until(
                lambda d: part in urllib.parse.unquote(d.current_url))
            ok = True
        except TimeoutException:
            ok = False
        self.check(f"{step}: URL bevat {part}", ok, self.drv.current_url)
        return ok and self.ready(step)

    def wait_js(self, code, step, what, *args):
        """Wait until code returns something truthy and no request of the
        dashboard is under way; returns that value (None on time-out)."""
        full = ("const v = (() => {" + code + "})(); return v && "
                "window.__basisd && window.__basisd.pending === 0 ? v : null;")
        try:
            v = WebDriverWait(self.drv, WAIT).until(
                lambda d: d.execute_script(full, *args))
        except TimeoutException:
            v = None
        self.check(f"{step}: {what}", v is not None, "time-out")
        return v

    def js(self, code, *args):
        return self.drv.execute_script(code, *args)

    def css(self, sel):
        return self.drv.find_element(By.CSS_SELECTOR, sel)

    def text(self, sel):
        els = self.drv.find_elements(By.CSS_SELECTOR, sel)
        return els[0].text.strip() if els else None

    def shot(self, name, full=False):
        """Screenshot of the viewport, or of the whole page (up to 6000 px)
        by making the window as tall as the page for a moment."""
        path = os.path.join(self.shots, name + ".png")
        size = self.drv.get_window_size()
        if full:
            tall = self.js("return document.documentElement.scrollHeight")
            self.drv.set_window_size(size["width"], min(int(tall), 6000))
        try:
            self.drv.save_screenshot(path)
        finally:
            if full:
                self.drv.set_window_size(size["width"], size["height"])

    def query(self):
        q = urllib.parse.urlsplit(self.drv.current_url).query
        return dict(urllib.parse.parse_qsl(q))

    # ---- comparisons
    def banner(self, step, d):
        shown = self.js("return !document.getElementById('synthetisch').hidden")
        self.eq(f"{step}: banner synthetische gegevens", shown,
                bool(d.get("synthetisch")))

    def compare_vergelijk(self, step):
        ind = Select(self.css("#k-indicator")).first_selected_option \
            .get_attribute("value")
        per = Select(self.css("#k-periode")).first_selected_option \
            .get_attribute("value")
        q = self.query()
        groep = q.get("groep", "alle")
        d = self.api(f"/api/v1/vergelijk/{ind}", periode=per, groep=groep)
        self.eq(f"{step}: periode", per, d["periode"])
        rows = self.js(ROWS_JS, "#uitkomst")
        gem = d["gemeenten"]
        self.eq(f"{step}: aantal rijen", len(rows), len(gem))
        bad = []
        sorted_view = "sorteer" in q
        if sorted_view:
            byc = {g["code"]: g for g in gem}
            gem = [byc.get(r["code"], {}) for r in rows]
        for r, g in zip(rows, gem):
            want = {
                "code": g.get("code"),
                "rang": "–" if g.get("rang") is None else str(g["rang"]),
                "status": "onderdrukt" if g.get("onderdrukt") else
                ("geen levering" if g.get("waarde") is None else g["status"]),
            }
            got = {k: r.get(k) for k in want}
            if not (r.get("naam") or "").startswith(g.get("naam", "?")):
                got["naam"], want["naam"] = r.get("naam"), g.get("naam")
            w = r.get("waarde") or ""
            if not w.startswith(g.get("weergave") or "–"):
                got["waarde"], want["waarde"] = w, g.get("weergave")
            if "teller" in r:
                for k in ("teller", "noemer"):
                    want[k], got[k] = nl(g.get(k)), r.get(k)
            if got != want:
                bad.append((got, want))
        self.check(f"{step}: alle rijen gelijk aan de API", not bad, bad[:3])
        gc, land = d.get("groepcijfer") or {}, d.get("landelijk") or {}
        self.eq(f"{step}: groepscijfer", self.text("#groepcijfer"),
                gc.get("weergave"))
        self.eq(f"{step}: landelijk cijfer", self.text("#landelijk"),
                land.get("weergave"))
        vol = self.text("#volledigheid") or ""
        self.check(f"{step}: volledigheid n van N",
                   vol.startswith(f"{nl(gc.get('n'))} van {nl(gc.get('N'))}"),
                   vol)
        if any(g.get("onderdrukt") for g in d["gemeenten"]):
            self.check(f"{step}: onderdrukte cellen uitgelegd",
                       bool(self.text("#uitleg-onderdrukt")))
        img = self.css("#uitkomst figure img")
        src = urllib.parse.unquote(img.get_attribute("src"))
        self.check(f"{step}: grafiek /chart/vergelijk/{ind}.svg",
                   f"/chart/vergelijk/{ind}.svg" in src and
                   f"periode={d['periode']}" in src and
                   f"groep={d['groep']['id']}" in src, src)
        self.check(f"{step}: grafiek geladen met alt-tekst",
                   self.js("return arguments[0].naturalWidth > 0", img) and
                   len(img.get_attribute("alt")) > 20)
        mark = next((g for g in d["gemeenten"]
                     if g["code"] == q.get("gemeente", "").upper()), None)
        if mark:
            t = self.text("#gemarkeerd") or ""
            self.check(f"{step}: waarde en plaats van {mark['naam']} in tekst",
                       (mark.get("weergave") or "") in t and
                       (not mark.get("rang") or f"plaats {mark['rang']} van" in t), t)
        self.compare_map(step, d)
        self.banner(step, d)
        return d

    def compare_map(self, step, d):
        """The map: every gemeente of the group drawn as a link, its value
        the API's published one, the chosen gemeente outlined."""
        shown = self.js("""
            return [...document.querySelectorAll('#kaart svg g.leden a')].map((a) => {
              const p = a.querySelector('path');
              return [p.dataset.gm, p.dataset.weergave, a.getAttribute('href'),
                      a.querySelector('title').textContent];
            });""") or []
        want = {g["code"]: g for g in d["gemeenten"]}
        got = {c: (w, href, t) for c, w, href, t in shown}
        self.eq(f"{step}: kaart tekent elke gemeente van de groep",
                sorted(got), sorted(want))
        bad = [(c, got[c], want[c].get("weergave")) for c in want
               if c in got and (got[c][0] != want[c].get("weergave") or
                                got[c][1] != f"/gemeente/{c}" or
                                not got[c][2].startswith(want[c]["naam"] + ": "))]
        self.check(f"{step}: kaartwaarden gelijk aan de API", not bad, bad[:3])
        mark = self.query().get("gemeente", "").upper()
        if mark in want:
            self.check(f"{step}: kaart omlijnt {mark}", self.js(
                "return document.querySelector(`#kaart svg path.gemarkeerd[data-gm='${arguments[0]}']`) !== null",
                mark))
        self.check(f"{step}: kaart noemt de bron", "Bron kaart: CBS/PDOK" in (
            self.js("return document.querySelector('#kaart svg').textContent") or ""))

    # ---- the tests
    def t_vergelijk(self):
        s = "vergelijking"
        self.open("/", s)
        self.check(f"{s}: lang=nl", self.js(
            "return document.documentElement.lang") == "nl")
        cat = self.api("/api/v1/indicators")
        opts = self.js("return [...document.querySelectorAll('#k-indicator "
                       "option')].map(o => o.value)")
        self.eq(f"{s}: alle indicatoren te kiezen", sorted(opts),
                sorted(i["id"] for i in cat["indicatoren"]))
        self.check(f"{s}: indicatoren per thema gegroepeerd", self.js(
            "return document.querySelectorAll('#k-indicator optgroup')"
            ".length") >= 2)
        self.compare_vergelijk(s)
        self.shot("vergelijking", full=True)
        self.clean(s)

        # another indicator, of another soort when there is one
        cur = Select(self.css("#k-indicator")).first_selected_option \
            .get_attribute("value")
        soort = {i["id"]: i["soort"] for i in cat["indicatoren"]}
        other = next((i for i in opts if soort[i] != soort[cur]),
                     next(i for i in opts if i != cur))
        s = "andere indicator"
        Select(self.css("#k-indicator")).select_by_value(other)
        if self.wait_url(f"indicator={other}", s):
            self.compare_vergelijk(s)

        s = "andere periode"
        sel = Select(self.css("#k-periode"))
        if self.check(f"{s}: meer dan één periode", len(sel.options) > 1):
            p = sel.options[1].get_attribute("value")
            sel.select_by_value(p)
            if self.wait_url(f"periode={p}", s):
                self.compare_vergelijk(s)

        groepen = self.api("/api/v1/groepen")["groepen"]
        for soort_ in ("grootteklasse", "provincie"):
            s = f"groep {soort_}"
            g = next((g for g in groepen if (g.get("soort") == soort_ or
                      g["id"].startswith(soort_ + "-")) and
                      g.get("gemeenten")), None)
            if not self.check(f"{s}: groep bestaat", g is not None):
                continue
            Select(self.css("#k-groep")).select_by_value(g["id"])
            if self.wait_url(f"groep={g['id']}", s):
                d = self.compare_vergelijk(s)
                self.eq(f"{s}: N is het aantal leden",
                        (d.get("groepcijfer") or {}).get("N"),
                        d["groep"]["leden"])
        self.shot("vergelijking-groep")
        self.clean("groepen")

    def t_vergelijkbaar(self, gm):
        s = "vergelijkbare gemeenten"
        naam = self.api(f"/api/v1/gemeenten/{gm}")["naam"]
        box = self.css("#k-gemeente")
        box.clear()
        box.send_keys(naam)
        Select(self.css("#k-groep")).select_by_value("vergelijkbaar")
        if self.wait_url(f"groep=vergelijkbaar-{gm}", s):
            self.compare_vergelijk(s)
            marked = [r["code"] for r in self.js(ROWS_JS, "#uitkomst")
                      if r["gemarkeerd"]]
            self.eq(f"{s}: gekozen gemeente gemarkeerd", marked, [gm])
            src = urllib.parse.unquote(
                self.css("#uitkomst figure img").get_attribute("src"))
            self.check(f"{s}: grafiek markeert {gm}", f"markeer={gm}" in src,
                       src)
        self.shot("vergelijking-vergelijkbaar")
        self.clean(s)

    def t_sort(self):
        s = "sorteren"
        ind = self.query().get("indicator")
        d = self.api(f"/api/v1/vergelijk/{ind}", **{
            k: v for k, v in self.query().items() if k in ("periode", "groep")})
        val = {g["code"]: g["waarde"] for g in d["gemeenten"]}
        for richting, aria in (("op", "ascending"), ("af", "descending")):
            self.css("#uitkomst th[data-sleutel='waarde'] button").click()
            self.eq(f"{s} {richting}: aria-sort", self.css(
                "#uitkomst th[data-sleutel='waarde']").get_attribute(
                    "aria-sort"), aria)
            codes = [r["code"] for r in self.js(ROWS_JS, "#uitkomst")]
            vs = [val[c] for c in codes]
            known = [v for v in vs if v is not None]
            self.check(f"{s} {richting}: lege waarden onderaan",
                       vs[:len(known)] == known)
            self.check(f"{s} {richting}: volgorde", known == sorted(
                known, reverse=richting == "af"))
            self.check(f"{s} {richting}: in de URL",
                       self.query().get("sorteer") == f"waarde-{richting}",
                       self.drv.current_url)
        self.clean(s)

    def t_history(self):
        s = "terug-knop en gedeelde link"
        before = self.query()
        self.drv.back()
        self.ready(s)
        after = self.query()
        self.check(f"{s}: terug geeft de vorige keuze", after != before,
                   (before, after))
        grp = after.get("groep", "alle")
        sel = Select(self.css("#k-groep")).first_selected_option \
            .get_attribute("value")
        self.check(f"{s}: keuzelijst volgt de URL", sel == grp or (
            sel == "vergelijkbaar" and grp.startswith("vergelijkbaar-")),
            (sel, grp))
        # a shared link opens exactly this view
        link = self.drv.current_url
        self.drv.get("about:blank")
        self.drv.get(link)
        self.ready(s)
        self.eq(f"{s}: gedeelde link", self.query(), after)
        self.compare_vergelijk(s)
        self.clean(s)

    def t_csv(self):
        s = "CSV-download"
        href = self.css("#csv").get_attribute("href")
        st, ctype, body = self.fetch(href)
        lines = [x for x in body.decode("utf-8-sig").splitlines() if x]
        n = len(self.js(ROWS_JS, "#uitkomst"))
        self.check(f"{s}: 200 text/csv", st == 200 and "text/csv" in ctype,
                   (st, ctype))
        self.check(f"{s}: een regel per gemeente plus kop",
                   len(lines) >= n + 1, (len(lines), n))

    def change_lines(self, s, d):
        """One change line for a yearly series; a verdict only where the
        server gives one (none on counts, small changes, few peers)."""
        lines = self.js("""const o = {};
            for (const li of document.querySelectorAll('.tegel'))
              o[li.dataset.indicator] = [...li.querySelectorAll('.veranderingen li')].map(x => x.innerText);
            return o;""") or {}
        bad = []
        for t in d["tegels"]:
            i, v = t["indicator"], t.get("verandering") or {}
            got = lines.get(i["id"])
            if got is None or not t.get("laatste"):
                continue
            if i.get("periode") == "jaar" and len(got) != 1:
                bad.append((i["id"], "regels", got))
            for line, key in zip(got, ("vorige", "jaar_eerder")):
                want = (v.get(key) or {}).get("oordeel")
                shown = re.search(r"\((on)?gunstig\)$", line)
                if bool(shown) != (want in ("gunstig", "ongunstig")) or \
                        (shown and want not in line):
                    bad.append((i["id"], key, line, want))
        self.check(f"{s}: veranderingsregels volgen de oordeelregels", not bad, bad[:4])

    def kern(self, s, gm):
        """The kern block: the peers named as the API names them, every
        rate in its tables the API's published cell."""
        k = self.api(f"/api/v1/kern/{gm}")
        names = [p["naam"] for p in k["peergroep"]["peers"]]
        text = self.text("#kern-peers") or ""
        self.check(f"{s}: kern noemt de {len(names)} vergelijkbare gemeenten",
                   len(names) >= 5 and all(n in text for n in names), text)
        shown = self.js("""const o = {};
            for (const t of document.querySelectorAll('#kern table')) {
              for (const tr of t.querySelectorAll('tbody tr'))
                for (const td of tr.querySelectorAll('td'))
                  o[`${t.id}|${tr.dataset.code}|${td.dataset.periode}`] = td.innerText.trim();
            }
            return o;""") or {}
        bad, n = [], 0
        for x in k["indicatoren"]:
            pct = "%" if x["indicator"].get("schaal") == 100 else ""
            for j in x["jaren"]:
                cells = [(gm, j["gemeente"])] + [(p["code"], p) for p in j["peers"]]
                for code, c in cells:
                    if not c:
                        continue
                    w = c.get("weergave") or "–"
                    want = w + pct if c.get("waarde") is not None and not w.endswith("%") else (
                        "–" if w == "." else w)
                    got = shown.get(f"kern-{x['indicator']['id']}|{code}|{j['periode']}")
                    n += 1
                    if got != want:
                        bad.append((x["indicator"]["id"], code, j["periode"], got, want))
        self.check(f"{s}: kern toont {n} cijfers gelijk aan de API", n > 0 and not bad, bad[:4])
        self.check(f"{s}: kern staat boven de tegels", self.js(
            "const k = document.querySelector('#kern'), t = document.querySelector('.tegel');"
            "return !!k && !!t && (k.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0"))
        self.check(f"{s}: benchmark in één zin in de kern",
                   len(self.text("#kern-benchmark") or "") > 40)

    def t_dashboard(self, gm):
        s = "gemeente-dashboard"
        self.drain()
        self.weight.clear()
        self.drv.execute_cdp_cmd("Network.setCacheDisabled",
                                 {"cacheDisabled": True})
        self.drv.get("about:blank")
        self.open(f"/gemeente/{gm}", s)
        self.drain()
        kb = sum(b for u, b in self.weight.values()
                 if "/chart/" not in u and u.startswith("http")) / 1024
        self.figures["paginagewicht_kb"] = round(kb, 1)
        self.figures["eerste_weergave_koud_ms"] = self.js(
            "return window.__basisd.eersteWeergaveMs")
        self.drv.execute_cdp_cmd("Network.setCacheDisabled",
                                 {"cacheDisabled": False})
        self.drv.refresh()
        self.ready(s)
        warm = self.js("return window.__basisd.eersteWeergaveMs")
        mark = self.js("const m = performance.getEntriesByName("
                       "'basisd:tegels-gevuld'); return m.length ? "
                       "m[0].startTime : null")
        self.figures["eerste_weergave_ms"] = warm
        budget = float(os.environ.get("BASISD_RENDER_BUDGET_MS", "1000"))
        wbudget = float(os.environ.get("BASISD_WEIGHT_BUDGET_KB", "300"))
        self.check(f"{s}: performance-mark gezet", mark is not None)
        self.check(f"{s}: eerste weergave < {budget:.0f} ms",
                   warm is not None and warm < budget, warm)
        self.check(f"{s}: paginagewicht zonder grafieken < {wbudget:.0f} KB",
                   0 < kb < wbudget, f"{kb:.1f} KB")

        d = self.api(f"/api/v1/dashboard/{gm}")
        self.eq(f"{s}: kop", self.text("h1"), d["gemeente"]["naam"])
        tiles = self.js("""return [...document.querySelectorAll('.tegel')].map(li => ({
            id: li.dataset.indicator,
            waarde: li.querySelector('.waarde').innerText.trim(),
            merk: (li.querySelector('.tegel-waarde .merk') || {}).innerText || '',
            noemer: li.querySelector('.tegel-noemer').innerText.trim(),
            positie: (li.querySelector('.tegel-positie') || {}).innerText || ''}))""")
        self.eq(f"{s}: aantal tegels", len(tiles), len(d["tegels"]))
        byid = {t["id"]: t for t in tiles}
        bad = []
        for t in d["tegels"]:
            i, l = t["indicator"], t.get("laatste")
            got = byid.get(i["id"])
            if got is None:
                bad.append((i["id"], "ontbreekt"))
                continue
            want_w = (l or {}).get("weergave") if l and (
                l.get("waarde") is not None or l.get("onderdrukt")) \
                else "geen gegevens"
            if got["waarde"] != want_w:
                bad.append((i["id"], got["waarde"], want_w))
            if l and not l.get("onderdrukt") and l.get("teller") is not None:
                parts = [nl(l["noemer"])]
                if i.get("soort") != "gemiddelde":  # a sum of scores says little
                    parts.append(nl(l["teller"]))
                for part in parts:
                    if part not in got["noemer"]:
                        bad.append((i["id"], got["noemer"], part))
            if l and l.get("status") in ("voorlopig", "geschat") and \
                    l["status"] not in got["merk"]:
                bad.append((i["id"], "status", got["merk"], l["status"]))
            if t.get("positie") and not got["positie"].startswith(
                    t["positie"]["tekst"]):
                bad.append((i["id"], got["positie"], t["positie"]["tekst"]))
        self.check(f"{s}: tegels gelijk aan de API (waarde, teller/noemer, "
                   "status, positie)", not bad, bad[:4])
        self.check(f"{s}: benchmark uitgelegd",
                   len(self.text("#benchmark-tekst") or "") > 40,
                   self.text("#benchmark"))
        self.kern(s, gm)
        self.change_lines(s, d)
        self.banner(s, d)
        self.shot("gemeente", full=True)
        self.clean(s)
        return d

    def t_tile(self, gm, d):
        s = "tegel naar trend"
        t = next((t for t in d["tegels"] if t.get("laatste") and
                  t["laatste"].get("teller") is not None), d["tegels"][0])
        iid = t["indicator"]["id"]
        self.css(f".tegel[data-indicator='{iid}'] .tegel-naam a").click()
        if not self.wait_url(f"tegel={iid}", s):
            return
        img = self.css("#trend figure img")
        src = urllib.parse.unquote(img.get_attribute("src"))
        self.check(f"{s}: grafiek tegen vergelijkbare gemeenten",
                   f"/chart/{gm}/{iid}.svg" in src and
                   "groep=vergelijkbaar-" in src, src)
        self.check(f"{s}: grafiek geladen met alt-tekst", self.js(
            "return arguments[0].naturalWidth > 0", img) and
            len(img.get_attribute("alt")) > 20)
        self.trend_readable(s, img)
        ser = self.api(f"/api/v1/series/{gm}/{iid}")
        rows = self.js(ROWS_JS, "#trend")
        want = list(reversed(ser["waarden"]))
        self.eq(f"{s}: rijen in de reekstabel", len(rows), len(want))
        bad = [(r.get("waarde"), w.get("weergave")) for r, w in zip(rows, want)
               if r.get("waarde") != w.get("weergave")]
        self.check(f"{s}: reekstabel gelijk aan de API", not bad, bad[:3])
        self.check(f"{s}: focus op de trendkop", self.js(
            "return document.activeElement.id") == "trend-kop")
        self.shot("gemeente-trend")
        self.drv.back()
        self.ready(s)
        self.check(f"{s}: terug sluit de trend",
                   not self.drv.find_elements(By.ID, "trend"))
        tegel = f".tegel[data-indicator='{iid}'] .tegel-naam a"
        self.check(f"{s}: na terug focus op de tegel die de trend opende",
                   self.js("return document.activeElement === document.querySelector(arguments[0])", tegel),
                   self.js("return document.activeElement.outerHTML.slice(0, 120)"))
        self.trend_close(s, gm)
        self.clean(s)

    def trend_close(self, s, gm):
        """'Trend sluiten' gives the focus back to the control that opened
        the trend (a link in the kern block here), not to the h1."""
        link = self.drv.find_elements(By.CSS_SELECTOR, "#kern a[href*='tegel=']")
        if not self.check(f"{s}: kern linkt naar een trend", bool(link)):
            return
        href = link[0].get_attribute("href")
        link[0].send_keys(Keys.ENTER)
        iid = urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)["tegel"][0]
        if not self.wait_url(f"tegel={iid}", s + " (kern)"):
            return
        self.css("#trend-sluiten").send_keys(Keys.ENTER)
        self.wait_js("return !document.querySelector('#trend') && "
                     "!location.search.includes('tegel=')", s, "trend gesloten")
        self.eq(f"{s}: 'Trend sluiten' geeft de focus terug aan de opener",
                self.js("return document.activeElement === arguments[0]", link[0]), True)

    def t_search(self):
        s = "gemeente zoeken"
        lijst = self.api("/api/v1/gemeenten")["gemeenten"]
        g = next((g for g in lijst if g["naam"] == "Rotterdam"), lijst[1])
        self.open("/gemeente/", s)
        box = self.css("#z-gemeente")
        names = set(self.js("return [...document.querySelectorAll("
                            "'#z-gemeenten option')].map(o => o.value)") or [])
        self.check(f"{s}: suggesties", all(x["naam"] in names for x in lijst)
                   and {"Den Haag", "Den Bosch"} <= names, len(names))
        box.send_keys(g["naam"], Keys.ENTER)
        if self.wait_url(f"/gemeente/{g['code']}", s):
            self.eq(f"{s}: kop", self.text("h1"), g["naam"])
        apo = next((x for x in lijst if x["naam"].startswith("'s-")), None)
        if apo:
            box = self.css("#z-gemeente")
            box.send_keys(apo["naam"][:6], Keys.ENTER)
            if self.wait_url(f"/gemeente/{apo['code']}", s + " (begin van "
                             "de naam)"):
                self.eq(f"{s}: naam met apostrof", self.text("h1"),
                        apo["naam"])
        # Names people use, accents left out, a bare name in the address.
        codes = {x["naam"]: x["code"] for x in lijst}
        for typed, naam in (("Den Haag", "'s-Gravenhage"),
                            ("den bosch", "'s-Hertogenbosch"),
                            ("Sudwest-Fryslan", "Súdwest-Fryslân")):
            if naam not in codes:
                continue
            box = self.css("#z-gemeente")
            box.clear()
            box.send_keys(typed, Keys.ENTER)
            if self.wait_url(f"/gemeente/{codes[naam]}", f"{s} “{typed}”"):
                self.eq(f"{s} “{typed}”: kop", self.text("h1"), naam)
        if "Zoetermeer" in codes:
            self.open("/gemeente/zoetermeer", f"{s} adres met naam")
            self.wait_url(f"/gemeente/{codes['Zoetermeer']}", f"{s} adres met naam")
            self.eq(f"{s} adres met naam: kop", self.text("h1"), "Zoetermeer")
        self.clean(s)

    def t_indicator(self):
        s = "indicatorpagina"
        cat = self.api("/api/v1/indicators")
        self.open("/indicator/", s)
        n = self.js("return document.querySelectorAll('.overzicht a').length")
        self.eq(f"{s}: lijst van alle indicatoren", n, len(cat["indicatoren"]))
        iid = next((i["id"] for i in cat["indicatoren"] if i.get("teller")),
                   cat["indicatoren"][0]["id"])
        self.css(f".overzicht a[href='/indicator/{iid}']").click()
        if not self.wait_url(f"/indicator/{iid}", s):
            return
        i = self.api(f"/api/v1/indicators/{iid}")
        self.eq(f"{s}: naam", self.text("h1"), i["naam"])
        for veld, key in (("definitie", "omschrijving"), ("bron", "bron"),
                          ("groepscijfer", "berekening"), ("teller", "teller"),
                          ("noemer", "noemer"),
                          ("kanttekeningen", "kanttekening")):
            if i.get(key):
                self.eq(f"{s}: {veld}", self.text(f"dd[data-veld='{veld}']"),
                        i[key].strip())
        self.check(f"{s}: eenheid", (self.text("dd[data-veld='eenheid']") or
                                     "").startswith(i["eenheid"]))
        self.check(f"{s}: stand of stroom", (self.text(
            "dd[data-veld='stand-of-stroom']") or "").startswith(i["meting"]))
        self.shot("indicator")
        self.clean(s)

    def t_keyboard(self):
        s = "toetsenbord"
        self.open("/", s)
        body = self.css("body")
        body.send_keys(Keys.TAB)
        self.eq(f"{s}: eerste Tab op de skiplink", self.js(
            "return document.activeElement.className"), "overslaan")
        self.drv.switch_to.active_element.send_keys(Keys.ENTER)
        self.eq(f"{s}: skiplink naar de inhoud", self.js(
            "return document.activeElement.id"), "inhoud")
        self.check(f"{s}: zichtbare focusstijl", self.js("""
            const a = document.querySelector('.overslaan'); a.focus();
            const cs = getComputedStyle(a);
            return cs.outlineStyle !== 'none' || cs.boxShadow !== 'none';"""))
        self.check(f"{s}: sorteerkoppen zijn knoppen", self.js(
            "return document.querySelectorAll('#uitkomst thead th "
            "button').length") >= 3)
        self.check(f"{s}: tabellen met caption en th scope", self.js("""
            return [...document.querySelectorAll('table')].every(t =>
              t.caption && t.caption.innerText.trim() &&
              [...t.querySelectorAll('thead th')].every(th => th.scope === 'col'));"""))
        self.check(f"{s}: elk formulierveld heeft een label", self.js("""
            return [...document.querySelectorAll('select, input')].every(e =>
              e.labels && e.labels.length && e.labels[0].innerText.trim());"""))
        self.check(f"{s}: aria-live meldingen", self.js(
            "return document.querySelector('[aria-live]') !== null"))
        self.clean(s)

    HIST_JS = """
    window.__hist = [];
    for (const m of window.__histGevolgd ? [] : ['pushState', 'replaceState']) {
      const o = history[m].bind(history);
      history[m] = (...a) => { window.__hist.push(m + ' ' + a[2]); return o(...a); };
    }
    window.__histGevolgd = true;
    performance.clearResourceTimings();"""
    LOADS_JS = """
    return performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)
      .filter((p) => p.startsWith('/api/v1/vergelijk/')).map((p) => decodeURIComponent(p.slice(18)));"""

    def t_select_keys(self):
        """Stepping through the indicator list with arrow keys loads
        nothing and adds no history entry; Enter (or Tab away) commits the
        choice: one load of that indicator, one pushState."""
        s = "indicatorkeuze met pijltjes"
        self.open("/", s)
        opts = self.js("return [...document.querySelectorAll('#k-indicator option')].map(o => o.value)")
        i0 = opts.index(Select(self.css("#k-indicator")).first_selected_option.get_attribute("value"))
        stap, toets = (1, Keys.ARROW_DOWN) if i0 + 3 < len(opts) else (-1, Keys.ARROW_UP)
        for n, commit in ((3, Keys.ENTER), (1, Keys.TAB)):
            self.js(self.HIST_JS)
            self.js("document.getElementById('k-indicator').focus()")
            url = self.drv.current_url
            for _ in range(n):
                self.drv.switch_to.active_element.send_keys(toets)
            i0 += stap * n
            doel = opts[i0]
            time.sleep(0.6)
            self.eq(f"{s}: {n} stap(pen) gekozen", self.js(
                "return document.getElementById('k-indicator').value"), doel)
            self.eq(f"{s}: stappen laden niets", (self.js(self.LOADS_JS),
                    self.js("return window.__hist"), self.drv.current_url), ([], [], url))
            self.drv.switch_to.active_element.send_keys(commit)
            if not self.wait_url(f"indicator={doel}", f"{s} ({'Enter' if commit == Keys.ENTER else 'Tab'})"):
                continue
            hist = self.js("return window.__hist")
            self.check(f"{s}: één pushState voor de keuze", len(hist) == 1 and
                       hist[0].startswith("pushState ") and f"indicator={doel}" in hist[0], hist)
            self.eq(f"{s}: alleen de gekozen indicator geladen",
                    sorted(set(self.js(self.LOADS_JS))), [doel])
        self.drv.back()
        self.wait_url(f"indicator={opts[i0 - stap]}", f"{s}: terug naar de vorige keuze")
        self.clean(s)

    def trend_readable(self, s, img):
        """Axis text of the trend at least 12 px as rendered: the SVG's
        13-unit text scaled by shown width / drawn width."""
        shown, drawn = self.js("return [arguments[0].clientWidth, "
                               "arguments[0].naturalWidth]", img)
        px = 13 * shown / drawn if drawn else 0
        self.figures.setdefault("trend_tekst_px", []).append(round(px, 1))
        self.check(f"{s}: astekst ≥ 12 px ({px:.1f})", px >= 12, (shown, drawn))

    def t_factsheet(self, gm):
        """The factsheet prints on one or two A4 pages (headless Chromium's
        Page.printToPDF), with the kern block on it."""
        s = "factsheet"
        self.open(f"/gemeente/{gm}/factsheet", s)
        self.wait_js("return document.querySelector('#kern table') && "
                     "window.__basisd.pending === 0 ? true : null", s,
                     "kern en grafieken geladen")
        pdf = base64.b64decode(self.drv.execute_cdp_cmd("Page.printToPDF", {
            "paperWidth": 8.27, "paperHeight": 11.69, "printBackground": True,
            "preferCSSPageSize": True})["data"])
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        self.figures["factsheet_paginas"] = pages
        with open(os.path.join(self.shots, "factsheet.pdf"), "wb") as f:
            f.write(pdf)
        self.check(f"{s}: 1 of 2 A4-pagina's ({pages})", 1 <= pages <= 2, pages)
        self.check(f"{s}: kern en benchmark erop", bool(self.text("#kern-peers"))
                   and bool(self.text("#kern-benchmark")))
        self.shot("factsheet", full=True)
        self.clean(s)

    def t_aanleveren(self, gm):
        """A supplier: token, CSV, the dry-run report in Dutch (nothing
        stored), then store; the API serves the value afterwards."""
        s = "aanleveren"
        tok = os.environ.get("BASISD_BEHEER_TOKEN")
        if not self.check(f"{s}: token meegegeven", bool(tok)):
            return
        ser = [w for w in self.api(f"/api/v1/series/{gm}/pw_bestand")["waarden"]
               if w.get("waarde") is not None]
        y, mo = (int(x) for x in ser[-1]["periode"].split("-"))
        nxt = f"{y + mo // 12}-{mo % 12 + 1:02d}"
        path = os.path.join(tempfile.mkdtemp(), "levering.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"gemeente;indicator;periode;waarde\n{gm};pw_bestand;{nxt};12.345\n")
        self.open("/aanleveren", s)
        self.css("#l-token").send_keys(tok)
        self.css("#l-bestand").send_keys(path)
        self.css("#l-controleer").click()
        kop = self.wait_js("const k = document.querySelector('#rapport .rapport-kop');"
                           "return k && k.textContent", s, "controlerapport")
        self.check(f"{s}: rapport in het Nederlands, nog niets opgeslagen",
                   (kop or "").startswith("Controle van levering.csv: Alle regels zijn goed")
                   and "nog niets opgeslagen" in (self.text("#rapport") or ""), kop)
        self.eq(f"{s}: proef slaat niets op", [w for w in self.api(
            f"/api/v1/series/{gm}/pw_bestand", van=nxt, tot=nxt)["waarden"]], [])
        self.axe(f"{s} na controle")
        self.css("#l-opslaan").click()
        kop = self.wait_js("const k = document.querySelector('#rapport .rapport-kop');"
                           "return k && k.textContent.startsWith('Opgeslagen') && k.textContent",
                           s, "opgeslagen")
        got = self.api(f"/api/v1/series/{gm}/pw_bestand", van=nxt, tot=nxt)["waarden"]
        self.check(f"{s}: opgeslagen met de Nederlandse duizendpunt (12.345)",
                   len(got) == 1 and got[0]["waarde"] == 12345, got)
        self.shot("aanleveren")
        self.clean(s)

    def t_phone(self, gm):
        s = "telefoon"
        self.drv.set_window_size(*PHONE)
        for path, name in (("/", "vergelijking"), (f"/gemeente/{gm}",
                           "gemeente"), ("/indicator/", "indicatoren")):
            self.open(path, f"{s} {name}")
            over = self.js("return document.documentElement.scrollWidth - "
                           "document.documentElement.clientWidth")
            self.check(f"{s} {name}: geen horizontale scroll", over <= 1,
                       f"{over}px te breed")
            self.shot(f"{name}-telefoon", full=True)
        d = self.api(f"/api/v1/dashboard/{gm}")
        iid = next(t["indicator"]["id"] for t in d["tegels"]
                   if t["indicator"]["id"] == "pw_uitstroom_resultaat_pct" or
                   t.get("laatste"))
        self.open(f"/gemeente/{gm}?tegel={iid}", f"{s} trend")
        self.trend_readable(f"{s} trend", self.css("#trend figure img"))
        self.shot("gemeente-trend-telefoon")
        self.drv.set_window_size(*DESKTOP)
        self.clean(s)

    def t_errors(self):
        s = "foutmelding"
        self.drv.get(self.base + "/gemeente/GM9999")
        try:
            st = WebDriverWait(self.drv, WAIT).until(
                lambda d: d.execute_script(READY_JS))
        except TimeoutException:
            st = None
        self.eq(f"{s}: onbekende gemeente geeft een fout", st, "fout")
        self.check(f"{s}: melding in het Nederlands op het scherm",
                   bool(self.text("main .fout")))
        self.drain()  # the 404 is expected here: do not count it
        self.console, self.failed_requests = [], []

    # ---- the managers' alerts pages
    ALERT_ROWS_JS = """
    return [...document.querySelectorAll('#meldingen-tabel tbody tr')].map(tr => ({
      id: Number(tr.dataset.id), status: tr.dataset.status,
      melding: tr.querySelector('[data-kolom=melding]').innerText.trim(),
      status_tekst: tr.querySelector('[data-kolom=status]').innerText.trim(),
      gemeente: (tr.querySelector('[data-kolom=gemeente] a') || {}).firstChild?.textContent || null,
      href: (tr.querySelector('[data-kolom=gemeente] a') || {getAttribute: () => null}).getAttribute('href'),
      knop: tr.querySelector('button') !== null}));
    """

    def alert_sign_in(self, s, naam, pw):
        """Sign in with the keyboard only: name, Tab, password, Enter."""
        self.js("document.getElementById('naam').focus()")
        self.drv.switch_to.active_element.send_keys(naam, Keys.TAB)
        self.eq(f"{s}: Tab van naam naar wachtwoord",
                self.js("return document.activeElement.id"), "wachtwoord")
        self.drv.switch_to.active_element.send_keys(pw, Keys.ENTER)

    def alert_rule(self, s, gm, ind, beheer):
        """Create a drempel rule through the form, its preview equal to the
        API's; returns the rule as the API has it (or None)."""
        vals = [w["waarde"] for w in self.api(f"/api/v1/series/{gm}/{ind}")
                ["waarden"] if w.get("waarde") is not None][-24:]
        drempel = int(sorted(vals)[len(vals) // 2])  # the median: fires
        naam = f"Bestand boven {drempel}"
        self.css("#regel-nieuw").click()
        self.eq(f"{s}: focus op de kop van het formulier",
                self.js("return document.activeElement.id"), "r-kop")
        self.check(f"{s}: elk formulierveld heeft een label", self.js("""
            return [...document.querySelectorAll('main select, main input')]
              .every(e => e.labels && e.labels.length &&
                          e.labels[0].innerText.trim());"""))
        self.eq(f"{s}: contrast WCAG AA (formulier)",
                self.js(CONTRAST_JS, "main"), [])
        self.alert_group_list(s, gm)
        self.css("#r_naam").send_keys(naam)
        Select(self.css("#r_indicator")).select_by_value(ind)
        g = self.css("#r_gemeente")
        self.eq(f"{s}: eigen gemeente voorgevuld", g.get_attribute("value"),
                gm)
        # Typed as a Dutch spreadsheet writes it ("4.137"): read with the
        # feeds' parser and echoed before saving (it used to save 4).
        getypt = f"{drempel:,}".replace(",", ".")
        self.css("#p-drempel").send_keys(getypt)
        echo = self.wait_js("const t = document.getElementById('p-drempel-gelezen')"
                            ".textContent; return t || null", s, "getal teruggemeld")
        self.eq(f"{s}: “{getypt}” gelezen als {getypt}", echo, f"Gelezen als {getypt}")
        self.css("#r-voorbeeld-knop").click()
        tekst = self.wait_js("return document.getElementById('r-voorbeeld')"
                             ".textContent", s, "voorbeeldzin getoond")
        rule = {"naam": naam, "soort": "drempel", "gemeente": gm,
                "indicator": ind, "params": {"richting": "boven",
                                             "drempel": drempel}}
        st, want = self.call("POST", "/api/v1/alerts/preview",
                             dict(rule, perioden=24), beheer)
        self.eq(f"{s}: voorbeeld via de API", st, 200)
        self.eq(f"{s}: voorbeeldzin gelijk aan de API", tekst,
                want.get("tekst"))
        m = re.search(r" (\d+) keer ", tekst or "")
        self.eq(f"{s}: aantal in de voorbeeldzin", m and int(m.group(1)),
                want.get("aantal"))
        self.check(f"{s}: de regel was in het verleden afgegaan",
                   (want.get("aantal") or 0) >= 1, want)
        self.alert_preview_list(s, gm, ind, want)
        self.axe(f"{s} voorbeeld")
        self.shot("meldingen-regel")
        self.css("form.regel button[type=submit]").click()
        self.wait_js("return [...document.querySelectorAll('#regels-tabel "
                     "[data-kolom=naam]')].some(td => td.innerText.trim() "
                     "=== arguments[0])", s, "regel in de lijst", naam)
        st, rules = self.call("GET", "/api/v1/alerts/rules", None, beheer)
        got = [r for r in rules.get("regels", []) if r["naam"] == naam]
        self.check(f"{s}: drempel in de regeltabel", self.js(
            "return [...document.querySelectorAll('#regels-tabel [data-kolom=voorwaarde]')]"
            ".some(td => td.innerText.includes(arguments[0]))", getypt))
        self.check(f"{s}: regel opgeslagen zoals ingevuld", len(got) == 1 and
                   got[0]["gemeente"] == gm and got[0]["indicator"] == ind and
                   got[0]["params"].get("drempel") == drempel and
                   got[0]["eigenaar"] == os.environ.get("BASISD_MANAGER"),
                   got)
        return (got or [None])[0], max(vals)

    def alert_fire(self, s, gm, ind, hoog, beheer):
        """A feed over HTTP that crosses the rule; the list shows exactly
        one event, as the API has it. Returns that row."""
        last = [w for w in self.api(f"/api/v1/series/{gm}/{ind}")["waarden"]
                if w.get("waarde") is not None][-1]["periode"]
        y, mo = (int(x) for x in last.split("-"))
        nxt = f"{y + mo // 12}-{mo % 12 + 1:02d}"
        csv = f"gemeente;indicator;periode;waarde\n{gm};{ind};{nxt};" \
            f"{int(hoog * 2)}\n"
        st, rep = self.call("POST", "/api/v1/feeds?naam=e2e-melding.csv",
                            csv.encode(), beheer, "text/csv")
        self.check(f"{s}: feed {nxt} geaccepteerd", st in (200, 201),
                   (st, rep))
        self.css("#vernieuwen").click()
        rows = self.wait_js("const r = " + self.ALERT_ROWS_JS.replace(
            "return ", "", 1) + "; return r.length ? r : null;", s,
            "melding in de lijst")
        st, ev = self.call("GET", "/api/v1/alerts?status=open", None, beheer)
        ev = ev.get("meldingen", [])
        self.eq(f"{s}: precies één melding", len(rows or []), 1)
        self.eq(f"{s}: precies één melding in de API", len(ev), 1)
        if not rows or len(ev) != 1:
            return None
        r, e = rows[0], ev[0]
        self.eq(f"{s}: melding = API", (r["id"], r["melding"]),
                (e["id"], e["melding"]))
        self.check(f"{s}: Nederlandse zin", e["periode"] == nxt and
                   " boven de drempel van " in r["melding"], r["melding"])
        self.check(f"{s}: actief met knop", r["status_tekst"] == "actief" and
                   r["knop"], r)
        naam = self.api(f"/api/v1/gemeenten/{gm}")["naam"]
        self.eq(f"{s}: melding noemt de gemeente bij naam", r["gemeente"], naam)
        self.eq(f"{s}: melding linkt naar de trend van de indicator",
                r["href"], f"/gemeente/{gm}?tegel={ind}")
        return r

    def alert_group_list(self, s, gm):
        """The group of a rule is picked by name from /api/v1/groepen
        (it had to be typed as an id, "provincie-utrecht")."""
        groepen = [g for g in self.api("/api/v1/groepen")["groepen"]
                   if not g["id"].startswith("vergelijkbaar-")]
        opts = self.js("const e = document.getElementById('r_groep');"
                       "return e && e.tagName === 'SELECT' ? [...e.options]"
                       ".map(o => [o.value, o.text]) : null")
        self.check(f"{s}: groep is een keuzelijst", opts is not None, opts)
        opts = opts or []
        missing = [g["id"] for g in groepen if [g["id"], g["naam"]] not in opts]
        self.check(f"{s}: elke groep van de API op naam te kiezen "
                   f"({len(groepen)})", groepen and not missing, missing[:5])
        naam = self.api(f"/api/v1/gemeenten/{gm}")["naam"]
        self.check(f"{s}: vergelijkbare gemeenten van {naam} te kiezen",
                   [f"vergelijkbaar-{gm}",
                    f"Vergelijkbare gemeenten van {naam}"] in opts, opts[-3:])
        self.eq(f"{s}: standaard geen groep", self.js(
            "return document.getElementById('r_groep').value"), "")

    def alert_preview_list(self, s, gm, ind, want):
        """The preview lists the meldingen it would have given, newest
        first, by gemeente name with a link to the trend."""
        got = self.js("""return [...document.querySelectorAll('#r-voorbeeld-lijst li')].map(li => {
            const a = li.querySelector('a');
            return [li.dataset.gemeente, a && a.firstChild.textContent, a && a.getAttribute('href'),
                    li.textContent];});""") or []
        hits = list(reversed(want.get("meldingen") or []))[:10]
        naam = self.api(f"/api/v1/gemeenten/{gm}")["naam"]
        self.eq(f"{s}: voorbeeld noemt de meldingen ({len(hits)})",
                [(c, n, href) for c, n, href, _ in got],
                [(m["gemeente"], naam, f"/gemeente/{gm}?tegel={ind}") for m in hits])
        self.check(f"{s}: voorbeeldmeldingen met periode en zin", all(
            t.startswith(m["periode"] + " · ") and t.endswith(m["melding"])
            for (_, _, _, t), m in zip(got, hits)), got[:2])

    def alert_group_rule(self, s, gm, beheer):
        """A rule against a group picked by its name: saved with the
        group's id, shown in the rules table by names."""
        g = next(g for g in self.api("/api/v1/groepen")["groepen"]
                 if g["id"].startswith("provincie-") and gm in g.get("gemeenten", []))
        naam = f"Tegen {g['naam']}"
        self.css("#regel-nieuw").click()
        self.css("#r_naam").send_keys(naam)
        Select(self.css("#r_indicator")).select_by_value("pw_bestand")
        Select(self.css("#r_groep")).select_by_visible_text(g["naam"])
        self.css("#p-drempel").send_keys("999.999.999")
        self.css("form.regel button[type=submit]").click()
        cel = self.wait_js("const tr = [...document.querySelectorAll('#regels-tabel tbody tr')]"
                           ".find(tr => tr.querySelector('[data-kolom=naam]').innerText.trim() === arguments[0]);"
                           "return tr && tr.querySelector('[data-kolom=bereik]').innerText.trim()",
                           s, "groepsregel in de lijst", naam)
        gn = self.api(f"/api/v1/gemeenten/{gm}")["naam"]
        self.eq(f"{s}: bereik op naam", cel, f"{gn}, tegen {g['naam']}")
        st, rules = self.call("GET", "/api/v1/alerts/rules", None, beheer)
        got = [r for r in rules.get("regels", []) if r["naam"] == naam]
        self.check(f"{s}: groep opgeslagen als {g['id']}", len(got) == 1 and
                   got[0]["groep"] == g["id"] and got[0]["gemeente"] == gm, got)
        self.axe(f"{s} groepsregel")
        for r in got:
            self.call("DELETE", f"/api/v1/alerts/rules/{r['id']}", None, beheer)

    def alert_trend_link(self, s, gm, ind):
        """The melding's gemeente link opens her trend of the indicator."""
        self.css("#meldingen-tabel td[data-kolom=gemeente] a").click()
        if self.wait_url(f"tegel={ind}", s):
            self.check(f"{s}: trend van de melding open", self.js(
                "return !!document.querySelector(`#trend .tegel, #trend`) && "
                "document.querySelector(`.tegel.open`).dataset.indicator === arguments[0]", ind))
        self.drv.back()
        self.ready(s)
        self.wait_js("return document.querySelector('main[data-view=alerts]"
                     " #afmelden')", s, "terug op de meldingenpagina")

    def alert_ack(self, s, row, beheer):
        self.css(f"#meldingen-tabel tr[data-id='{row['id']}'] button").click()
        rows = self.wait_js("const r = " + self.ALERT_ROWS_JS.replace(
            "return ", "", 1) + "; return r.length && r[0].status === "
            "'acknowledged' ? r : null;", s, "status verandert")
        self.eq(f"{s}: focus blijft in de lijst", self.js(
            "return document.activeElement.closest('#meldingen') !== null"),
            True)
        self.check(f"{s}: bevestigd, zonder knop", bool(rows) and
                   rows[0]["status_tekst"] == "bevestigd" and
                   not rows[0]["knop"], rows)
        st, e = self.call("GET", "/api/v1/alerts?status=bevestigd", None,
                          beheer)
        e = e.get("meldingen", [])
        self.check(f"{s}: bevestigd in de API, door de manager",
                   len(e) == 1 and e[0]["id"] == row["id"] and
                   e[0]["bevestigd_door"] == os.environ.get("BASISD_MANAGER"),
                   e)

    def alert_phone(self, s):
        self.drv.set_window_size(*PHONE)
        self.drv.refresh()
        self.ready(s)
        self.wait_js("return document.querySelector('main[data-view=alerts] "
                     "#meldingen-tabel')", s, "telefoon: pagina")
        over = self.js("return document.documentElement.scrollWidth - "
                       "document.documentElement.clientWidth")
        self.check(f"{s} telefoon: geen horizontale scroll", over <= 1,
                   f"{over}px te breed")
        self.shot("meldingen-telefoon", full=True)
        self.drv.set_window_size(*DESKTOP)

    def alert_wrong_password(self, s, naam):
        self.alert_sign_in(s, naam, "fout-wachtwoord")
        msg = self.wait_js("const e = document.getElementById('aanmeld-fout');"
                           " return e && !e.hidden && e.textContent", s,
                           "foutmelding bij verkeerd wachtwoord")
        self.eq(f"{s}: foutmelding in het Nederlands", msg,
                "naam of wachtwoord onjuist")
        self.eq(f"{s}: focus terug op het wachtwoord",
                self.js("return document.activeElement.id"), "wachtwoord")
        self.eq(f"{s}: contrast WCAG AA (aanmelden met fout)",
                self.js(CONTRAST_JS, "main"), [])
        self.shot("meldingen-aanmelden")
        # The one 401 of the wrong password is expected, nothing else.
        self.drain()
        url = self.base + "/api/v1/sessie"
        self.eq(f"{s}: alleen de 401 van het verkeerde wachtwoord",
                self.failed_requests, [f"401 {url}"])
        self.check(f"{s}: alleen de consolemelding van die 401",
                   len(self.console) == 1 and url in self.console[0] and
                   "401" in self.console[0], self.console)
        self.console, self.failed_requests = [], []

    def t_alerts(self):
        s = "meldingen"
        naam = os.environ.get("BASISD_MANAGER")
        pw = os.environ.get("BASISD_WACHTWOORD")
        beheer = os.environ.get("BASISD_BEHEER_TOKEN")
        if not self.check(f"{s}: account en beheertoken meegegeven",
                          naam and pw and beheer):
            return
        gm, ind = "GM0363", "pw_bestand"
        self.drv.set_window_size(*DESKTOP)
        self.open("/alerts", s)
        self.check(f"{s}: aanmeldformulier",
                   bool(self.drv.find_elements(By.CSS_SELECTOR,
                                               "form.aanmelden #naam")))
        self.alert_sign_in(s, naam, pw)
        self.wait_js("return document.querySelector('main[data-view=alerts]"
                     " #regel-nieuw')", s, "aangemeld")
        self.check(f"{s}: sessiecookie onzichtbaar voor scripts (HttpOnly)",
                   "basisd_sessie" not in self.js("return document.cookie"))
        rule, hoog = self.alert_rule(s, gm, ind, beheer)
        row = self.alert_fire(s, gm, ind, hoog, beheer) if rule else None
        if row:
            self.eq(f"{s}: contrast WCAG AA (meldingen en regels)",
                    self.js(CONTRAST_JS, "main"), [])
            self.shot("meldingen", full=True)
            self.alert_ack(s, row, beheer)
            self.alert_phone(s)
            self.alert_group_rule(s, gm, beheer)
            self.alert_trend_link(s, gm, ind)
        self.css("#afmelden").click()
        self.wait_js("return document.querySelector('main[data-view="
                     "aanmelden] form.aanmelden')", s, "afgemeld")
        self.eq(f"{s}: focus op de kop na afmelden",
                self.js("return document.activeElement.tagName"), "H1")
        self.clean(s)
        self.alert_wrong_password(s + " fout wachtwoord", naam)

    def run(self):
        gm = os.environ.get("BASISD_GEMEENTE", "GM0363")
        tests = [
            ("vergelijking", self.t_vergelijk),
            ("vergelijkbaar", lambda: self.t_vergelijkbaar(gm)),
            ("sorteren", self.t_sort),
            ("geschiedenis", self.t_history),
            ("csv", self.t_csv),
            ("dashboard+tegel", lambda: self.t_tile(gm, self.t_dashboard(gm))),
            ("factsheet", lambda: self.t_factsheet(gm)),
            ("zoeken", self.t_search),
            ("indicator", self.t_indicator),
            ("toetsenbord", self.t_keyboard),
            ("keuzelijst", self.t_select_keys),
            ("telefoon", lambda: self.t_phone(gm)),
            ("meldingen", self.t_alerts),
            ("aanleveren", lambda: self.t_aanleveren(gm)),
            ("fouten", self.t_errors),
        ]
        only = os.environ.get("BASISD_BROWSER_STAPPEN")
        if only:
            tests = [t for t in tests if t[0] in only.split(",")]
        for name, fn in tests:
            try:
                fn()
            except Exception as e:  # one broken step must not hide the rest
                traceback.print_exc()
                self.check(f"{name}: uitgevoerd zonder uitzondering", False,
                           f"{type(e).__name__}: {e}")
                try:
                    self.shot(f"fout-{name}")
                except Exception:
                    pass


def main():
    if len(sys.argv) != 3:
        print("gebruik: browser.py BASE_URL SCREENSHOT_DIR", file=sys.stderr)
        return 2
    os.makedirs(sys.argv[2], exist_ok=True)
    s = Suite(sys.argv[1], sys.argv[2])
    t0 = time.monotonic()
    try:
        s.start()
        s.run()
    except Exception as e:
        traceback.print_exc()
        s.check("browser gestart", False, e)
    finally:
        s.stop()
    f = s.figures
    fr = f.get("eerste_weergave_ms")
    print(f"eerste weergave gemeente-dashboard: "
          f"{fr if fr is None else round(fr)} ms (warm), "
          f"{f.get('eerste_weergave_koud_ms') and round(f['eerste_weergave_koud_ms'])}"
          " ms (koud, zonder cache)")
    print(f"paginagewicht gemeente-dashboard zonder grafieken: "
          f"{f.get('paginagewicht_kb')} KB")
    print(f"schermafdrukken: {sys.argv[2]} ({time.monotonic() - t0:.0f} s)")
    print(f"browser: {s.passed} passed, {s.failed} failed")
    return 1 if s.failed or not s.passed else 0


if __name__ == "__main__":
    sys.exit(main())
