// alerts.js — the managers' page (/alerts): sign in, list and acknowledge
// meldingen, create and edit rules with a preview on history, and get a
// private Atom feed. The session cookie is HttpOnly; every change carries the
// CSRF token the sign-in returned (design §9).
import * as api from './api.js';
import { ApiFout } from './api.js';
import { h, leeg } from './dom.js';

// Parameter fields per rule kind: [name, label, type, options or default].
const RICHTING = [['boven', 'boven / stijging'], ['onder', 'onder / daling'], ['beide', 'beide kanten']];
const SOORTEN = {
  drempel: { naam: 'Drempel: waarde boven of onder een grens', velden: [
    ['richting', 'Richting', RICHTING.slice(0, 2)], ['drempel', 'Drempelwaarde', 'getal']] },
  verandering: { naam: 'Verandering tegenover een eerdere periode', velden: [
    ['basis', 'Vergelijken met', [['vorige_periode', 'vorige periode'], ['vorig_jaar', 'dezelfde periode vorig jaar']]],
    ['eenheid', 'Eenheid', [['procent', 'procent'], ['punten', 'punten']]],
    ['richting', 'Richting', RICHTING], ['drempel', 'Meer dan', 'getal']] },
  trend: { naam: 'Trend: helling over de laatste perioden', velden: [
    ['perioden', 'Aantal perioden', 'getal', 6], ['richting', 'Richting', RICHTING],
    ['drempel', 'Helling per periode meer dan', 'getal']] },
  afwijking_groep: { naam: 'Afwijking van de groep', velden: [
    ['methode', 'Methode', [['p10_p90', 'buiten P10–P90'], ['mediaan', 'meer dan k punten van de mediaan']]],
    ['richting', 'Richting', RICHTING], ['drempel', 'k (alleen bij mediaan)', 'getal', 0]] },
  ontbrekend: { naam: 'Ontbrekende levering', velden: [['dagen', 'Dagen na afloop van de periode', 'getal', 30]] },
  afwijkend_patroon: { naam: 'Afwijkend patroon (Holt-Winters)', velden: [
    ['band', 'Bandbreedte (afwijkingen)', 'getal', 5]] },
};

const STATUS = [['actief', 'Actief'], ['bevestigd', 'Bevestigd'], ['opgeheven', 'Opgeheven'], ['alle', 'Alle']];

let sessie = null; // {naam, gemeenten, csrf}

// A change: JSON body (with the CSRF token) or none (token in the query).
async function stuur(methode, pad, body) {
  const opties = { method: methode, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  let adres = pad;
  if (body !== undefined) {
    opties.headers['Content-Type'] = 'application/json';
    opties.body = JSON.stringify({ ...body, csrf: sessie && sessie.csrf });
  } else if (sessie && sessie.csrf) {
    adres = api.url(pad, { csrf: sessie.csrf });
  }
  let res;
  try {
    res = await fetch(adres, opties);
  } catch (e) {
    throw new ApiFout(0, 'De server is niet bereikbaar. Probeer het opnieuw.');
  }
  const antwoord = await res.json().catch(() => null);
  if (!res.ok) throw new ApiFout(res.status, (antwoord && antwoord.fout) || `Fout (status ${res.status}).`);
  return antwoord;
}

function veld(id, label, invoer) {
  return h('div', { class: 'veld' }, h('label', { for: id }, label), invoer);
}

function keuzelijst(id, opties, waarde) {
  return h('select', { id, name: id }, opties.map(([v, t]) => h('option', { value: v, selected: v === waarde }, t)));
}

// ---- sign-in

function aanmeldFormulier(ctx) {
  const fout = h('p', { class: 'fout', role: 'alert', hidden: true });
  const form = h('form', { class: 'aanmelden', novalidate: true },
    veld('naam', 'Naam', h('input', { id: 'naam', name: 'naam', autocomplete: 'username', required: true })),
    veld('wachtwoord', 'Wachtwoord', h('input', { id: 'wachtwoord', name: 'wachtwoord', type: 'password',
      autocomplete: 'current-password', required: true })),
    h('button', { type: 'submit' }, 'Aanmelden'), fout);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      sessie = await stuur('POST', '/api/v1/sessie', { naam: form.naam.value, wachtwoord: form.wachtwoord.value });
      await toon(ctx);
    } catch (err) {
      fout.hidden = false;
      fout.textContent = err.message;
    }
  });
  leeg(ctx.main, h('h1', { tabindex: '-1' }, 'Meldingen'),
    h('p', { class: 'intro' }, 'Meld je aan als manager om meldingen over je gemeenten te zien en regels te beheren.'),
    form);
}

// ---- meldingen

async function meldingen(ctx, doel, status) {
  const data = await api.get('/api/v1/alerts', { status });
  const rijen = data.meldingen.map((m) => h('tr', { dataset: { id: m.id } },
    h('td', {}, m.periode), h('td', {}, m.gemeente), h('td', {}, m.regel),
    h('td', {}, m.melding), h('td', {}, m.status_tekst),
    h('td', {}, m.status === 'firing' ? h('button', { type: 'button', onclick: async () => {
      await stuur('POST', `/api/v1/alerts/${m.id}/ack`, {});
      ctx.meld('Melding bevestigd.');
      await meldingen(ctx, doel, status);
    } }, 'Bevestigen') : '')));
  leeg(doel, rijen.length === 0 ? h('p', {}, 'Geen meldingen.')
    : h('table', { class: 'tabel' }, h('caption', { class: 'visueel-verborgen' }, 'Meldingen'),
      h('thead', {}, h('tr', {}, ['Periode', 'Gemeente', 'Regel', 'Melding', 'Status', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rijen)));
}

// ---- rules

function paramVelden(soort, params = {}) {
  return SOORTEN[soort].velden.map(([naam, label, type, standaard]) => {
    const id = `p-${naam}`;
    const waarde = params[naam] !== undefined ? params[naam] : standaard;
    if (Array.isArray(type)) return veld(id, label, keuzelijst(id, type, waarde));
    return veld(id, label, h('input', { id, name: id, inputmode: 'decimal', value: waarde === undefined ? '' : String(waarde) }));
  });
}

function leesRegel(form, soort) {
  const params = {};
  for (const [naam, , type] of SOORTEN[soort].velden) {
    const v = form.elements[`p-${naam}`].value.trim();
    if (v === '') continue;
    if (Array.isArray(type)) params[naam] = v;
    else params[naam] = Number(v.replace(',', '.'));
  }
  if (soort === 'afwijking_groep' && params.methode !== 'mediaan') delete params.drempel;
  const r = { naam: form.elements.r_naam.value.trim(), soort, indicator: form.elements.r_indicator.value, params };
  for (const k of ['gemeente', 'groep']) {
    const v = form.elements[`r_${k}`].value.trim();
    if (v) r[k] = v;
  }
  const n = form.elements.r_min_n.value.trim();
  if (n) r.min_n = Number(n);
  return r;
}

function regelFormulier(ctx, cat, regel, klaar) {
  let soort = regel ? regel.soort : 'drempel';
  const params = h('div', { class: 'params' }, paramVelden(soort, regel ? regel.params : {}));
  const uitkomst = h('p', { role: 'status', class: 'voorbeeld' });
  const fout = h('p', { class: 'fout', role: 'alert', hidden: true });
  const soortKeuze = keuzelijst('r_soort', Object.entries(SOORTEN).map(([k, v]) => [k, v.naam]), soort);
  soortKeuze.addEventListener('change', () => {
    soort = soortKeuze.value;
    leeg(params, paramVelden(soort));
  });
  const form = h('form', { class: 'regel', novalidate: true },
    h('h3', {}, regel ? `Regel ${regel.id} bewerken` : 'Nieuwe regel'),
    veld('r_naam', 'Naam', h('input', { id: 'r_naam', name: 'r_naam', value: regel ? regel.naam : '' })),
    veld('r_soort', 'Soort', soortKeuze),
    veld('r_indicator', 'Indicator', keuzelijst('r_indicator', cat.indicatoren.map((i) => [i.id, i.naam]),
      regel ? regel.indicator : undefined)),
    veld('r_gemeente', 'Gemeente (code, bijvoorbeeld GM0363)', h('input', { id: 'r_gemeente', name: 'r_gemeente',
      value: regel && regel.gemeente ? regel.gemeente : '' })),
    veld('r_groep', 'Groep (bijvoorbeeld G4 of provincie-utrecht; nodig bij afwijking van de groep)',
      h('input', { id: 'r_groep', name: 'r_groep', value: regel && regel.groep ? regel.groep : '' })),
    veld('r_min_n', 'Minimale n (nooit een melding bij kleinere aantallen)', h('input', { id: 'r_min_n',
      name: 'r_min_n', inputmode: 'numeric', value: regel ? String(regel.min_n) : '' })),
    params,
    h('div', { class: 'knoppen' },
      h('button', { type: 'button', onclick: async () => {
        fout.hidden = true;
        try {
          const v = await stuur('POST', '/api/v1/alerts/preview', { ...leesRegel(form, soort), perioden: 24 });
          uitkomst.textContent = v.tekst;
        } catch (e) {
          fout.hidden = false;
          fout.textContent = e.message;
        }
      } }, 'Voorbeeld op de afgelopen 2 jaar'),
      h('button', { type: 'submit' }, 'Opslaan')),
    uitkomst, fout);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    fout.hidden = true;
    try {
      await stuur(regel ? 'PUT' : 'POST', regel ? `/api/v1/alerts/rules/${regel.id}` : '/api/v1/alerts/rules',
        leesRegel(form, soort));
      ctx.meld('Regel opgeslagen.');
      await klaar();
    } catch (err) {
      fout.hidden = false;
      fout.textContent = err.message;
    }
  });
  return form;
}

async function regels(ctx, doel, cat) {
  const data = await api.get('/api/v1/alerts/rules');
  const formPlek = h('div');
  const opnieuw = () => regels(ctx, doel, cat);
  const rijen = data.regels.map((r) => h('tr', { dataset: { id: r.id } },
    h('td', {}, r.naam), h('td', {}, SOORTEN[r.soort] ? SOORTEN[r.soort].naam : r.soort),
    h('td', {}, r.indicator), h('td', {}, r.gemeente || r.groep),
    h('td', {},
      h('button', { type: 'button', onclick: () => leeg(formPlek, regelFormulier(ctx, cat, r, opnieuw)) }, 'Bewerken'),
      ' ',
      h('button', { type: 'button', onclick: async () => {
        if (!window.confirm(`Regel “${r.naam}” en zijn meldingen verwijderen?`)) return;
        await stuur('DELETE', `/api/v1/alerts/rules/${r.id}`);
        ctx.meld('Regel verwijderd.');
        await opnieuw();
      } }, 'Verwijderen'))));
  leeg(doel,
    rijen.length === 0 ? h('p', {}, 'Nog geen regels.')
      : h('table', { class: 'tabel' }, h('caption', { class: 'visueel-verborgen' }, 'Regels'),
        h('thead', {}, h('tr', {}, ['Naam', 'Soort', 'Indicator', 'Bereik', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rijen)),
    h('p', {}, h('button', { type: 'button', onclick: () => leeg(formPlek, regelFormulier(ctx, cat, null, opnieuw)) },
      'Nieuwe regel')),
    formPlek);
}

// ---- the page

export async function toon(ctx) {
  ctx.titel('Meldingen');
  try {
    sessie = await api.get('/api/v1/sessie');
  } catch (e) {
    if (!(e instanceof ApiFout) || e.status !== 401) throw e;
    sessie = null;
  }
  if (!ctx.actueel()) return;
  if (!sessie) {
    aanmeldFormulier(ctx);
    ctx.meld('Aanmelden nodig.');
    return;
  }
  const cat = await api.indicatoren();
  const status = ctx.query.get('status') || 'actief';
  const lijst = h('div', { class: 'meldingen' });
  const regelPlek = h('div', { class: 'regels' });
  const feed = h('p', { class: 'feed' });
  leeg(ctx.main,
    h('h1', { tabindex: '-1' }, 'Meldingen'),
    h('p', {}, `Aangemeld als ${sessie.naam} (gemeenten: ${sessie.gemeenten || 'alle'}). `,
      h('button', { type: 'button', onclick: async () => {
        await stuur('DELETE', '/api/v1/sessie');
        sessie = null;
        await toon(ctx);
      } }, 'Afmelden')),
    h('section', {}, h('h2', {}, 'Meldingen'),
      veld('status', 'Toon', keuzelijst('status', STATUS, status)), lijst),
    h('section', {}, h('h2', {}, 'Regels'), regelPlek),
    h('section', {}, h('h2', {}, 'Atom-feed'),
      h('p', {}, 'Volg je meldingen in een feedlezer met een eigen, alleen-lezen adres. Een nieuw adres maakt het oude ongeldig.'),
      h('button', { type: 'button', onclick: async () => {
        const f = await stuur('POST', '/api/v1/alerts/feedtoken', {});
        leeg(feed, 'Feedadres (bewaar het nu, het wordt niet opnieuw getoond): ',
          h('code', {}, new URL(f.url, location.href).href));
      } }, 'Nieuw feedadres'), feed));
  ctx.main.querySelector('#status').addEventListener('change', (e) => {
    const q = new URLSearchParams(location.search);
    q.set('status', e.target.value);
    history.replaceState({}, '', `${location.pathname}?${q}`);
    meldingen(ctx, lijst, e.target.value).catch((err) => leeg(lijst, h('p', { class: 'fout', role: 'alert' }, err.message)));
  });
  await Promise.all([meldingen(ctx, lijst, status), regels(ctx, regelPlek, cat)]);
  ctx.main.dataset.view = 'alerts';
  ctx.meld('Meldingen geladen.');
}
