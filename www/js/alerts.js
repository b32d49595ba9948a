// alerts.js — the managers' page (/alerts): sign in, list and acknowledge
// meldingen, create and edit rules with a preview on history, and get a
// private Atom feed. The session cookie is HttpOnly; every change carries the
// CSRF token the sign-in returned (design §9).
import * as api from './api.js';
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

const STATUS = [['open', 'Open (actief of bevestigd)'], ['actief', 'Actief'], ['bevestigd', 'Bevestigd'],
  ['opgeheven', 'Opgeheven'], ['alle', 'Alle']];

let sessie = null; // {naam, gemeenten, csrf} while signed in
let namen = { gemeente: new Map(), groep: new Map(), indicator: new Map() }; // id → naam, for people

// A change with the session's CSRF token in the X-CSRF-Token header (a
// cross-site form cannot set it). The cookie itself is HttpOnly.
function stuur(methode, pad, body) {
  return api.verstuur(methode, pad, body, sessie && sessie.csrf);
}

function veld(id, label, invoer, hint) {
  if (hint) invoer.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'veld' }, h('label', { for: id }, label), invoer,
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

function keuzelijst(id, opties, waarde) {
  return h('select', { id, name: id }, opties.map(([v, t]) => h('option', { value: v, selected: v === waarde }, t)));
}

function toonFout(el, e) {
  el.hidden = false;
  el.textContent = e.message;
}

// A button whose action may fail: the Dutch message goes to `fout` (role
// alert), never to an unhandled rejection.
function knop(tekst, fout, actie, attrs = {}) {
  return h('button', { type: 'button', ...attrs, onclick: async () => {
    fout.hidden = true;
    try {
      await actie();
    } catch (e) {
      toonFout(fout, e);
    }
  } }, tekst);
}

const verborgen = (t) => h('span', { class: 'visueel-verborgen' }, t);

// A table that becomes one card per row on a phone: every cell carries its
// column name (data-label) for that layout.
function tabel(id, bijschrift, koppen, rijen) {
  for (const tr of rijen) {
    [...tr.children].forEach((td, i) => { if (typeof koppen[i] === 'string') td.dataset.label = koppen[i]; });
  }
  // The region's name differs from its section's heading ("Regels"), or
  // axe-core's landmark-unique flags the two as one landmark twice.
  return h('div', { class: 'tabel-wrap', tabindex: '0', role: 'region', 'aria-label': `Tabel ${bijschrift.toLowerCase()}` },
    h('table', { class: 'tabel kaarten', id }, h('caption', { class: 'visueel-verborgen' }, bijschrift),
      h('thead', {}, h('tr', {}, koppen.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rijen)));
}

// Render the page again (after signing in or out) and start at its heading.
async function opnieuw(ctx) {
  await toon(ctx);
  const kop = ctx.main.querySelector('h1');
  if (kop) kop.focus();
}

// ---- sign-in

function aanmeldFormulier(ctx) {
  const fout = h('p', { class: 'fout', id: 'aanmeld-fout', role: 'alert', hidden: true });
  const form = h('form', { class: 'aanmelden', novalidate: true },
    veld('naam', 'Naam', h('input', { id: 'naam', name: 'naam', autocomplete: 'username', required: true })),
    veld('wachtwoord', 'Wachtwoord', h('input', { id: 'wachtwoord', name: 'wachtwoord', type: 'password',
      autocomplete: 'current-password', required: true })),
    h('div', { class: 'knoppen' }, h('button', { type: 'submit' }, 'Aanmelden')), fout);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    fout.hidden = true;
    try {
      sessie = await api.verstuur('POST', '/api/v1/sessie',
        { naam: form.naam.value.trim(), wachtwoord: form.wachtwoord.value });
      await opnieuw(ctx);
    } catch (err) {
      form.wachtwoord.value = '';
      toonFout(fout, err);
      form.wachtwoord.focus();
    }
  });
  leeg(ctx.main, h('h1', { tabindex: '-1' }, 'Meldingen'),
    h('p', { class: 'intro' }, 'Meld je aan als manager om meldingen over je gemeenten te zien en regels te beheren.'),
    form);
  ctx.main.dataset.view = 'aanmelden';
}

// ---- meldingen

const gemeenteNaam = (code) => namen.gemeente.get(code) || code;
const groepNaam = (id) => namen.groep.get(id) || id;

// A gemeente by name, linked to her trend of the indicator the melding is
// about (the dashboard's open tile); the indicator is said for screen
// readers, sighted users see it in the melding itself.
function trendLink(code, indicator) {
  const naam = gemeenteNaam(code);
  if (!indicator) return naam;
  return h('a', { href: `/gemeente/${code}?tegel=${encodeURIComponent(indicator)}`, class: 'trend-link' }, naam,
    verborgen(`: trend van ${namen.indicator.get(indicator) || indicator}`));
}

async function meldingen(ctx, doel, status) {
  const data = await api.get('/api/v1/alerts', { status });
  const fout = h('p', { class: 'fout', role: 'alert', hidden: true });
  const rijen = data.meldingen.map((m) => h('tr', { dataset: { id: m.id, status: m.status } },
    h('td', { dataset: { kolom: 'periode' } }, m.periode),
    h('td', { dataset: { kolom: 'gemeente', code: m.gemeente } }, trendLink(m.gemeente, m.indicator)),
    h('td', { dataset: { kolom: 'regel' } }, m.regel),
    h('td', { dataset: { kolom: 'melding' } }, m.melding),
    h('td', { dataset: { kolom: 'status' } }, m.status_tekst),
    h('td', {}, m.status === 'firing' ? knop('Bevestigen', fout, async () => {
      await stuur('POST', `/api/v1/alerts/${m.id}/ack`, {});
      ctx.meld(`Melding ${m.id} bevestigd.`);
      await meldingen(ctx, doel, status);
      const kop = doel.querySelector('.tabel-wrap, p[tabindex]');
      if (kop) kop.focus();
    }, { 'aria-label': `Melding ${m.periode} ${gemeenteNaam(m.gemeente)} (${m.regel}) bevestigen` }) : '')));
  leeg(doel, fout, rijen.length === 0 ? h('p', { tabindex: '-1' }, 'Geen meldingen.')
    : tabel('meldingen-tabel', 'Meldingen', ['Periode', 'Gemeente', 'Regel', 'Melding', 'Status', verborgen('Actie')], rijen));
  doel.dataset.aantal = String(rijen.length);
}

// ---- rules

// A number as typed ("38.000", "12,5") is read by the daemon with the
// same rules as a feed cell, never by Number(): "38.000" is 38 thousand.
async function leesGetal(tekst, label) {
  try {
    return await api.get('/api/v1/getal', { tekst });
  } catch (e) {
    throw new api.ApiFout(e.status, `${label}: ${e.message}`);
  }
}

// A number field with an echo of what was read, updated while typing.
function getalVeld(id, label, waarde) {
  const gelezen = h('p', { class: 'hint gelezen', id: `${id}-gelezen`, 'aria-live': 'polite' });
  const invoer = h('input', { id, name: id, inputmode: 'decimal', autocomplete: 'off',
    value: waarde === undefined ? '' : Number(waarde).toLocaleString('nl-NL', { maximumFractionDigits: 6 }) });
  let wacht = null;
  const echo = async () => {
    const t = invoer.value.trim();
    if (!t) { gelezen.textContent = ''; return; }
    try {
      const g = await api.get('/api/v1/getal', { tekst: t });
      if (invoer.value.trim() === t) gelezen.textContent = `Gelezen als ${g.weergave}`;
    } catch (e) {
      if (invoer.value.trim() === t) gelezen.textContent = e.message;
    }
  };
  invoer.addEventListener('input', () => { clearTimeout(wacht); wacht = setTimeout(echo, 250); });
  invoer.setAttribute('aria-describedby', `${id}-gelezen`);
  if (invoer.value) echo();
  return h('div', { class: 'veld' }, h('label', { for: id }, label), invoer, gelezen);
}

function paramVelden(soort, params = {}) {
  return SOORTEN[soort].velden.map(([naam, label, type, standaard]) => {
    const id = `p-${naam}`;
    const waarde = params[naam] !== undefined ? params[naam] : standaard;
    if (Array.isArray(type)) return veld(id, label, keuzelijst(id, type, waarde));
    return getalVeld(id, label, waarde);
  });
}

async function leesRegel(form, soort) {
  const params = {};
  for (const [naam, label, type] of SOORTEN[soort].velden) {
    const v = form.elements[`p-${naam}`].value.trim();
    if (v === '') continue;
    if (Array.isArray(type)) params[naam] = v;
    else params[naam] = (await leesGetal(v, label)).waarde;
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

// Groups picked by name from /api/v1/groepen (never typed as an id): per
// soort, the vergelijkbare gemeenten of the manager's own gemeente, and a
// rule's current group kept when the list no longer has it.
const GROEPSOORTEN = [['alle', null], ['grootteklasse', 'Grootteklasse (inwoners)'], ['provincie', 'Provincie'],
  ['eigen', 'Eigen groepen']];

function groepKeuze(groepen, gekozen) {
  const lijst = groepen.filter((g) => !g.id.startsWith('vergelijkbaar-'));
  const soortVan = (g) => (GROEPSOORTEN.some(([s]) => s === g.soort) ? g.soort
    : (GROEPSOORTEN.find(([s]) => g.id === s || g.id.startsWith(`${s}-`)) || ['eigen'])[0]);
  const optie = (id, naam) => h('option', { value: id, selected: id === (gekozen || '') }, naam);
  const eigen = eigenGemeente();
  const extra = [];
  if (eigen) extra.push([`vergelijkbaar-${eigen}`, `Vergelijkbare gemeenten van ${gemeenteNaam(eigen)}`]);
  if (gekozen && !lijst.some((g) => g.id === gekozen) && !extra.some(([id]) => id === gekozen)) {
    const m = /^vergelijkbaar-(GM\d{4})$/i.exec(gekozen);
    extra.push([gekozen, m ? `Vergelijkbare gemeenten van ${gemeenteNaam(m[1].toUpperCase())}` : groepNaam(gekozen)]);
  }
  return h('select', { id: 'r_groep', name: 'r_groep' },
    optie('', 'Geen groep'),
    GROEPSOORTEN.map(([soort, label]) => {
      const leden = lijst.filter((g) => soortVan(g) === soort).map((g) => optie(g.id, g.naam));
      if (leden.length === 0) return null;
      return label ? h('optgroup', { label }, leden) : leden;
    }),
    extra.length ? h('optgroup', { label: 'Op kenmerken' }, extra.map(([id, naam]) => optie(id, naam))) : null);
}

// The one gemeente of a manager, as a default for a new rule.
function eigenGemeente() {
  const g = sessie && sessie.gemeenten;
  return g && /^GM\d{4}$/.test(g) ? g : '';
}

// What the preview would have given, newest first, names linked to the
// trend (at most 10; the sentence above says how many in all).
function voorbeeldLijst(plek, v, indicator) {
  const hits = (v.meldingen || []).slice().reverse();
  const toon = hits.slice(0, 10);
  leeg(plek, toon.length === 0 ? null : h('ul', { class: 'voorbeeld-lijst' }, toon.map((m) => h('li', { dataset: { gemeente: m.gemeente } },
    `${m.periode} · `, trendLink(m.gemeente, indicator), `: ${m.melding}`))),
  hits.length > toon.length ? h('p', { class: 'hint' }, `en nog ${hits.length - toon.length} eerder.`) : null);
}

function regelFormulier(ctx, cat, groepen, regel, klaar) {
  let soort = regel ? regel.soort : 'drempel';
  const params = h('div', { class: 'params' }, paramVelden(soort, regel ? regel.params : {}));
  const uitkomst = h('p', { role: 'status', class: 'voorbeeld', id: 'r-voorbeeld' });
  const voorbeeld = h('div', { id: 'r-voorbeeld-lijst' });
  const fout = h('p', { class: 'fout', id: 'r-fout', role: 'alert', hidden: true });
  const soortKeuze = keuzelijst('r_soort', Object.entries(SOORTEN).map(([k, v]) => [k, v.naam]), soort);
  soortKeuze.addEventListener('change', () => {
    soort = soortKeuze.value;
    leeg(params, paramVelden(soort));
    uitkomst.textContent = '';
    leeg(voorbeeld);
  });
  const form = h('form', { class: 'regel', novalidate: true, 'aria-labelledby': 'r-kop' },
    h('h3', { id: 'r-kop', tabindex: '-1' }, regel ? `Regel “${regel.naam}” bewerken` : 'Nieuwe regel'),
    veld('r_naam', 'Naam', h('input', { id: 'r_naam', name: 'r_naam', value: regel ? regel.naam : '' })),
    veld('r_soort', 'Soort', soortKeuze),
    veld('r_indicator', 'Indicator', keuzelijst('r_indicator', cat.indicatoren.map((i) => [i.id, i.naam]),
      regel ? regel.indicator : undefined)),
    veld('r_gemeente', 'Gemeente', h('input', { id: 'r_gemeente', name: 'r_gemeente',
      value: regel ? regel.gemeente || '' : eigenGemeente() }), 'Code (bijvoorbeeld GM0363) of naam; leeg bij een groep.'),
    veld('r_groep', 'Groep', groepKeuze(groepen, regel ? regel.groep : ''),
      'Met een gemeente: de groep om mee te vergelijken (nodig bij afwijking van de groep). ' +
      'Zonder gemeente: elke gemeente van de groep apart.'),
    veld('r_min_n', 'Minimale n', h('input', { id: 'r_min_n', name: 'r_min_n', inputmode: 'numeric',
      value: regel ? String(regel.min_n) : '' }), 'Nooit een melding bij kleinere aantallen.'),
    params,
    h('div', { class: 'knoppen' },
      knop('Voorbeeld op de afgelopen 2 jaar', fout, async () => {
        uitkomst.textContent = '';
        leeg(voorbeeld);
        const r = await leesRegel(form, soort);
        const v = await api.verstuur('POST', '/api/v1/alerts/preview', { ...r, perioden: 24 });
        uitkomst.dataset.aantal = String(v.aantal);
        uitkomst.textContent = v.tekst;
        voorbeeldLijst(voorbeeld, v, r.indicator);
      }, { id: 'r-voorbeeld-knop' }),
      h('button', { type: 'submit' }, 'Opslaan'),
      knop('Annuleren', fout, () => klaar(false), { class: 'tweede' })),
    uitkomst, voorbeeld, fout);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    fout.hidden = true;
    try {
      await stuur(regel ? 'PUT' : 'POST', regel ? `/api/v1/alerts/rules/${regel.id}` : '/api/v1/alerts/rules',
        await leesRegel(form, soort));
      ctx.meld('Regel opgeslagen.');
      await klaar(true);
    } catch (err) {
      toonFout(fout, err);
    }
  });
  return form;
}

// "richting boven, drempel 38.000": the rule's parameters in words, numbers
// in Dutch notation, so the table shows what a rule checks.
function voorwaarde(r) {
  const velden = SOORTEN[r.soort] ? SOORTEN[r.soort].velden : [];
  return velden.filter(([naam]) => r.params && r.params[naam] !== undefined).map(([naam, label, type]) => {
    const v = r.params[naam];
    const tekst = Array.isArray(type) ? ((type.find(([k]) => k === v) || [v, v])[1])
      : Number(v).toLocaleString('nl-NL', { maximumFractionDigits: 6 });
    return `${label.toLowerCase()}: ${tekst}`;
  }).join('; ');
}

// "Amsterdam", "G4", "Amsterdam, tegen G4": a rule's reach in names.
function bereik(r) {
  if (r.gemeente && r.groep) return `${gemeenteNaam(r.gemeente)}, tegen ${groepNaam(r.groep)}`;
  return r.gemeente ? gemeenteNaam(r.gemeente) : groepNaam(r.groep || '');
}

async function regels(ctx, doel, cat, groepen, naOpslaan) {
  const data = await api.get('/api/v1/alerts/rules');
  const formPlek = h('div');
  const fout = h('p', { class: 'fout', role: 'alert', hidden: true });
  const nieuw = knop('Nieuwe regel', fout, () => open(null), { id: 'regel-nieuw' });
  const klaar = async (opgeslagen) => {
    // Saving may change the meldingen (a new rule judges the data at once).
    if (opgeslagen) await Promise.all([regels(ctx, doel, cat, groepen, naOpslaan), naOpslaan && naOpslaan()]);
    else leeg(formPlek);
    const k = doel.querySelector('#regel-nieuw');
    if (k) k.focus();
  };
  function open(regel) {
    leeg(formPlek, regelFormulier(ctx, cat, groepen, regel, klaar));
    formPlek.querySelector('h3').focus();
  }
  const rijen = data.regels.map((r) => h('tr', { dataset: { id: r.id } },
    h('td', { dataset: { kolom: 'naam' } }, r.naam),
    h('td', {}, SOORTEN[r.soort] ? SOORTEN[r.soort].naam : r.soort),
    h('td', {}, (cat.indicatoren.find((i) => i.id === r.indicator) || { naam: r.indicator }).naam),
    h('td', { dataset: { kolom: 'bereik' } }, bereik(r)),
    h('td', { dataset: { kolom: 'voorwaarde' } }, voorwaarde(r)),
    h('td', { class: 'acties' },
      knop('Bewerken', fout, () => open(r), { 'aria-label': `Regel “${r.naam}” bewerken` }),
      ' ',
      knop('Verwijderen', fout, async () => {
        if (!window.confirm(`Regel “${r.naam}” en zijn meldingen verwijderen?`)) return;
        await stuur('DELETE', `/api/v1/alerts/rules/${r.id}`);
        ctx.meld('Regel verwijderd.');
        await klaar(true);
      }, { class: 'tweede', 'aria-label': `Regel “${r.naam}” verwijderen` }))));
  leeg(doel, fout,
    rijen.length === 0 ? h('p', {}, 'Nog geen regels.')
      : tabel('regels-tabel', 'Regels', ['Naam', 'Soort', 'Indicator', 'Bereik', 'Voorwaarde', verborgen('Acties')], rijen),
    h('p', {}, nieuw),
    formPlek);
}

// ---- the page

export async function toon(ctx) {
  ctx.titel('Meldingen');
  const s = await api.get('/api/v1/sessie');
  sessie = s.aangemeld ? s : null;
  if (!ctx.actueel()) return;
  if (!sessie) {
    aanmeldFormulier(ctx);
    ctx.meld('Aanmelden nodig.');
    return;
  }
  const [cat, gem, grp] = await Promise.all([api.indicatoren(), api.gemeenten(), api.groepen()]);
  if (!ctx.actueel()) return;
  const groepen = grp.groepen;
  namen = {
    gemeente: new Map(gem.gemeenten.map((g) => [g.code, g.naam])),
    groep: new Map(groepen.map((g) => [g.id, g.naam])),
    indicator: new Map(cat.indicatoren.map((i) => [i.id, i.naam])),
  };
  const status = STATUS.some(([v]) => v === ctx.query.get('status')) ? ctx.query.get('status') : 'open';
  const lijst = h('div', { class: 'meldingen', id: 'meldingen' });
  const regelPlek = h('div', { class: 'regels', id: 'regels' });
  const feed = h('p', { class: 'feed' });
  const fout = h('p', { class: 'fout', role: 'alert', hidden: true });
  const keuze = keuzelijst('status', STATUS, status);
  const laad = () => meldingen(ctx, lijst, keuze.value);
  keuze.addEventListener('change', () => {
    const q = new URLSearchParams(location.search);
    q.set('status', keuze.value);
    history.replaceState({}, '', `${location.pathname}?${q}`);
    laad().catch((err) => toonFout(fout, err));
  });
  leeg(ctx.main,
    h('h1', { tabindex: '-1' }, 'Meldingen'),
    h('p', { class: 'wie' }, `Aangemeld als ${sessie.naam} (gemeenten: ${sessie.gemeenten || 'alle'}). `,
      knop('Afmelden', fout, async () => {
        await stuur('DELETE', '/api/v1/sessie');
        sessie = null;
        ctx.meld('Afgemeld.');
        await opnieuw(ctx);
      }, { id: 'afmelden', class: 'tweede' })),
    fout,
    h('section', { 'aria-labelledby': 'kop-meldingen' }, h('h2', { id: 'kop-meldingen' }, 'Meldingen van je gemeenten'),
      h('div', { class: 'rij' }, veld('status', 'Toon', keuze),
        knop('Lijst vernieuwen', fout, async () => {
          await laad();
          ctx.meld(`Meldingen vernieuwd: ${lijst.dataset.aantal}.`);
        }, { id: 'vernieuwen', class: 'tweede' })),
      lijst),
    h('section', { 'aria-labelledby': 'kop-regels' }, h('h2', { id: 'kop-regels' }, 'Regels'), regelPlek),
    h('section', { 'aria-labelledby': 'kop-feed' }, h('h2', { id: 'kop-feed' }, 'Atom-feed'),
      h('p', {}, 'Volg je meldingen in een feedlezer met een eigen, alleen-lezen adres. Een nieuw adres maakt het oude ongeldig.'),
      knop('Nieuw feedadres', fout, async () => {
        const f = await stuur('POST', '/api/v1/alerts/feedtoken', {});
        leeg(feed, 'Feedadres (bewaar het nu, het wordt niet opnieuw getoond): ',
          h('code', {}, new URL(f.url, location.href).href));
      }, { class: 'tweede' }), feed));
  await Promise.all([laad(), regels(ctx, regelPlek, cat, groepen, laad)]);
  ctx.main.dataset.view = 'alerts';
  ctx.meld('Meldingen geladen.');
}
