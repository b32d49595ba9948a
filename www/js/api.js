// api.js — every request of the dashboard goes through here: one place for
// error messages in Dutch, the "synthetisch" flag and the counters that the
// browser test reads (window.__basisd).

const beelden = new Set(); // chart images still loading
let lopend = 0; // fetches under way

const state = (window.__basisd = window.__basisd || {
  failed: 0, // requests (and chart images) that failed
  requests: 0,
  fouten: [], // messages of failed requests, for the test log
});
// Requests under way; an image removed from the page before it loaded no
// longer counts (the browser may never report on it).
Object.defineProperty(state, 'pending', {
  get() {
    for (const img of beelden) if (!img.isConnected || img.complete) beelden.delete(img);
    return lopend + beelden.size;
  },
});

// Reference data changes only with a new catalogue; keep it for the session.
const blijvend = new Map();

export class ApiFout extends Error {
  constructor(status, melding, details) {
    super(melding);
    this.status = status;
    this.details = details || [];
  }
}

// "/api/v1/vergelijk/x" + {periode: "2024-12", groep: ""} → URL with only the
// parameters that have a value.
export function url(pad, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `${pad}?${s}` : pad;
}

function meldSynthetisch(body) {
  if (body && body.synthetisch === true) {
    document.dispatchEvent(new CustomEvent('basisd:synthetisch'));
  }
}

// One request, counted for the test; JSON back or an ApiFout with the
// server's Dutch message.
async function haal(adres, opties = { headers: { Accept: 'application/json' } }) {
  lopend++;
  state.requests++;
  try {
    let res;
    try {
      res = await fetch(adres, opties);
    } catch (e) {
      throw new ApiFout(0, 'De server is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.');
    }
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      body = null;
    }
    if (!res.ok) {
      const melding = (body && body.fout) || `De server gaf een fout (status ${res.status}).`;
      throw new ApiFout(res.status, melding, body && body.details);
    }
    if (body === null) throw new ApiFout(res.status, 'Het antwoord van de server is onleesbaar.');
    meldSynthetisch(body);
    return body;
  } catch (e) {
    state.failed++;
    state.fouten.push(`${adres}: ${e.message}`);
    throw e;
  } finally {
    lopend--;
  }
}

// GET a JSON resource. `bewaar` keeps the answer for the session.
export function get(pad, params = {}, { bewaar = false } = {}) {
  const adres = url(pad, params);
  if (!bewaar) return haal(adres);
  if (!blijvend.has(adres)) {
    const p = haal(adres);
    blijvend.set(adres, p);
    p.catch(() => blijvend.delete(adres));
  }
  return blijvend.get(adres).then((body) => {
    meldSynthetisch(body);
    return body;
  });
}

// A change (POST, PUT, DELETE) with an optional JSON body; the session
// cookie goes along (same origin only).
export function verstuur(methode, adres, body, csrf) {
  const opties = { method: methode, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (csrf) opties.headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) {
    opties.headers['Content-Type'] = 'application/json';
    opties.body = JSON.stringify(body);
  }
  return haal(adres, opties);
}

// An SVG drawn by the daemon (the map), parsed for inline use so its links
// and titles work; counted like every other request. Throws an ApiFout.
export async function svg(adres) {
  lopend++;
  state.requests++;
  try {
    let res;
    try {
      res = await fetch(adres, { headers: { Accept: 'image/svg+xml' } });
    } catch (e) {
      throw new ApiFout(0, 'De server is niet bereikbaar.');
    }
    const tekst = await res.text();
    if (!res.ok) throw new ApiFout(res.status, `De server gaf een fout (status ${res.status}).`);
    const doc = new DOMParser().parseFromString(tekst, 'image/svg+xml');
    if (doc.documentElement.localName !== 'svg') throw new ApiFout(res.status, 'De kaart is onleesbaar.');
    return document.importNode(doc.documentElement, true);
  } catch (e) {
    state.failed++;
    state.fouten.push(`${adres}: ${e.message}`);
    throw e;
  } finally {
    lopend--;
  }
}

// A feed (CSV) with a supplier's token: the report back, also for 422/403
// (as ApiFout.details, with the server's Dutch message).
export async function lever(adres, csv, token) {
  lopend++;
  state.requests++;
  try {
    let res;
    try {
      res = await fetch(adres, { method: 'POST', credentials: 'omit',
        headers: { Accept: 'application/json', 'Content-Type': 'text/csv', Authorization: `Bearer ${token}` }, body: csv });
    } catch (e) {
      throw new ApiFout(0, 'De server is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.');
    }
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) {
      const melding = (body && body.fout) || (res.status === 422 ? 'Het bestand is afgekeurd; zie de fouten per regel.'
        : res.status === 403 ? 'Het bestand bevat regels voor gemeenten buiten uw token.'
          : `De server gaf een fout (status ${res.status}).`);
      throw new ApiFout(res.status, melding, body);
    }
    return body;
  } finally {
    lopend--;
  }
}

// Reference data used on every page.
export const indicatoren = () => get('/api/v1/indicators', {}, { bewaar: true });
export const gemeenten = () => get('/api/v1/gemeenten', {}, { bewaar: true });
export const groepen = () => get('/api/v1/groepen', {}, { bewaar: true });

// Chart images are loaded by the browser, not by fetch: count them too so
// that a broken chart is a failed request for the test, and say so on screen.
export function volgAfbeelding(img, bijFout) {
  beelden.add(img);
  state.requests++;
  const klaar = () => {
    beelden.delete(img);
    img.removeEventListener('load', klaar);
    img.removeEventListener('error', fout);
  };
  const fout = () => {
    klaar();
    state.failed++;
    state.fouten.push(`${img.src}: grafiek niet geladen`);
    if (bijFout) bijFout();
  };
  img.addEventListener('load', klaar);
  img.addEventListener('error', fout);
  return img;
}
