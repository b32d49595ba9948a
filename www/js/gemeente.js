// gemeente.js — the gemeente-dashboard (/gemeente/GM0363): the basisset as
// tiles from one request (/api/v1/dashboard/GM), each opening the trend chart
// against the peer band with the series table beside it (?tegel=ID), and the
// uitstroom benchmark in plain Dutch.
import * as api from './api.js';
import { h, leeg, statusMerk } from './dom.js';
import {
  getal, euro, periode as periodeTekst, noemerTekst, verandering, volledigJaar, meervoud,
} from './format.js';
import { perThema, volledig, waardeTekst } from './catalogus.js';
import { sorteerTabel } from './table.js';
import { ga } from './router.js';
import { zoekGemeente, gemeenteLijst } from './zoek.js';
import * as kern from './kern.js';

let bewaard = null; // {code, dashboard, catalogus}: a tile opens without a new request
let opener = null; // the control that opened the trend: the focus goes back there on closing

function zoekFormulier(gemeenten, huidig) {
  const invoer = h('input', {
    id: 'z-gemeente', name: 'gemeente', list: 'z-gemeenten', autocomplete: 'off',
    required: true, placeholder: 'naam of code, bijv. Zoetermeer', 'aria-describedby': 'z-fout',
  });
  const fout = h('p', { class: 'fout', id: 'z-fout', role: 'alert', hidden: true });
  const form = h('form', { class: 'zoek', role: 'search', id: 'zoek' },
    h('label', { for: 'z-gemeente' }, huidig ? 'Andere gemeente' : 'Gemeente'),
    h('div', { class: 'zoek-rij' }, invoer, h('button', { type: 'submit' }, 'Toon dashboard')),
    gemeenteLijst('z-gemeenten', gemeenten), fout);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const g = zoekGemeente(gemeenten, invoer.value);
    if (!g) {
      fout.textContent = `Geen gemeente gevonden voor “${invoer.value}”. Kies een naam uit de suggesties.`;
      fout.hidden = false;
      invoer.setAttribute('aria-invalid', 'true');
      invoer.focus();
      return;
    }
    ga(`/gemeente/${g.code}`);
  });
  return form;
}

// One change line. The judgement is the server's (fair-numbers rules: none
// on counts, on changes below the indicator's threshold or with few peers;
// the reason is in the title); the arrow follows the visible number.
function veranderingRegel(ind, nu, toen, wanneer, server) {
  const v = verandering(ind, nu, toen);
  if (!v) return h('li', { class: 'verandering' }, `t.o.v. ${wanneer}: geen vergelijking mogelijk`);
  const pijl = { hoger: '▲', lager: '▼', gelijk: '=' }[v.richting];
  const oordeel = server && server.oordeel ? server.oordeel : v.oordeel;
  const toon = oordeel === 'gunstig' || oordeel === 'ongunstig';
  return h('li', { class: `verandering oordeel-${toon ? oordeel : 'neutraal'}`, title: server && server.reden ? server.reden : null },
    h('span', { 'aria-hidden': 'true' }, `${pijl} `),
    `${v.tekst} t.o.v. ${periodeTekst(toen.periode)}`,
    toon ? ` (${oordeel})` : '');
}

function tegel(gm, t, open) {
  const ind = t.indicator;
  const l = t.laatste;
  const href = `/gemeente/${gm.code}?tegel=${encodeURIComponent(ind.id)}`;
  const leegWaarde = !l || ((l.waarde === null || l.waarde === undefined) && !l.onderdrukt);
  const delen = l && !l.onderdrukt ? noemerTekst(ind, l) : '';
  return h('li', { class: `tegel${open ? ' open' : ''}`, dataset: { indicator: ind.id } },
    h('h3', { class: 'tegel-naam' },
      h('a', { href, 'aria-current': open ? 'true' : null, 'aria-controls': open ? 'trend' : null }, ind.naam)),
    h('p', { class: 'tegel-waarde' },
      h('span', { class: 'waarde' }, leegWaarde ? 'geen gegevens' : l.weergave || waardeTekst(ind, l.waarde)),
      l ? statusMerk(l.status) : null),
    h('p', { class: 'tegel-noemer' },
      l && l.onderdrukt ? 'klein aantal: niet getoond om herkenbaarheid te voorkomen'
        : delen || (ind.soort === 'aantal' && !leegWaarde ? meervoud(ind.eenheid) : '')),
    l ? h('p', { class: 'tegel-periode' }, periodeTekst(l.periode)) : null,
    leegWaarde ? null : h('ul', { class: 'veranderingen' },
      veranderingRegel(ind, l, t.vorige, 'vorige periode', t.verandering && t.verandering.vorige),
      // a yearly series: the previous period is the year before, one line
      ind.periode === 'jaar' ? null
        : veranderingRegel(ind, l, t.jaar_eerder, 'een jaar eerder', t.verandering && t.verandering.jaar_eerder)),
    t.positie ? h('p', { class: `tegel-positie oordeel-${/^(on)?gunstig$/.test(t.positie.oordeel) ? t.positie.oordeel : 'neutraal'}` },
      t.positie.tekst,
      /^(on)?gunstig$/.test(t.positie.oordeel) ? ` — ${t.positie.oordeel}` : '') : null,
    h('p', { class: 'tegel-open' }, h('span', { 'aria-hidden': 'true' }, open ? 'Trend hieronder ↓' : 'Bekijk trend →')));
}

function tegels(dash) {
  const per = perThema(dash.tegels.map((t) => t.indicator), bewaard.catalogus.themas);
  return per.map((thema) => h('section', { class: 'thema', 'aria-labelledby': `thema-${thema.id}` },
    h('h2', { id: `thema-${thema.id}` }, thema.naam),
    h('ul', { class: 'tegels' }, thema.indicatoren.map((ind) =>
      tegel(dash.gemeente, dash.tegels.find((t) => t.indicator === ind), false)))));
}

// The open tile: chart against the peer band, series table beside it.
async function trend(ctx, dash, id) {
  const oud = ctx.main.querySelector('#trend');
  if (oud) oud.remove();
  for (const li of ctx.main.querySelectorAll('.tegel')) {
    const open = li.dataset.indicator === id;
    li.classList.toggle('open', open);
    const a = li.querySelector('.tegel-naam a');
    if (open) { a.setAttribute('aria-current', 'true'); a.setAttribute('aria-controls', 'trend'); } else {
      a.removeAttribute('aria-current');
      a.removeAttribute('aria-controls');
    }
    li.querySelector('.tegel-open span').textContent = open ? 'Trend hieronder ↓' : 'Bekijk trend →';
  }
  const t = dash.tegels.find((x) => x.indicator.id === id);
  if (!t) return;
  const ind = t.indicator;
  const gm = dash.gemeente;
  const groep = dash.peergroep ? dash.peergroep.id : `vergelijkbaar-${gm.code}`;
  const sectie = h('section', { id: 'trend', class: 'trend', 'aria-labelledby': 'trend-kop', 'aria-busy': 'true' },
    h('h3', { id: 'trend-kop', tabindex: '-1' }, `${ind.naam}: verloop in ${gm.naam}`));
  ctx.main.querySelector(`.tegel[data-indicator="${CSS.escape(id)}"]`).closest('section').append(sectie);
  // Drawn at the width it is shown at (text stays 13 px): the full column
  // on a phone, 720 beside the table on a wide screen.
  const binnen = (ctx.main.clientWidth || 752) - 32 - 36;
  const kolom = window.matchMedia('(min-width: 60rem)').matches ? (binnen - 16) / 2 : binnen;
  const w = Math.max(300, Math.min(720, Math.floor(kolom / 10) * 10));
  const hg = w < 500 ? 320 : 360;
  const src = api.url(`/chart/${gm.code}/${encodeURIComponent(id)}.svg`, { groep, w, h: hg });
  const peer = dash.peergroep ? dash.peergroep.naam : 'vergelijkbare gemeenten';
  const fig = h('figure', { class: 'grafiek' });
  fig.append(api.volgAfbeelding(h('img', {
    src, width: String(w), height: String(hg), decoding: 'async',
    alt: `Lijngrafiek van ${ind.naam} in ${gm.naam} door de tijd, met de mediaan en de middelste helft ` +
      `(25e tot 75e percentiel) van ${peer} en het landelijke cijfer. De tabel ernaast bevat de cijfers van ${gm.naam}.`,
  }), () => fig.append(h('p', { class: 'fout' }, 'De grafiek kon niet worden geladen; de tabel bevat de cijfers.'))),
  h('figcaption', {}, `Lijn: ${gm.naam}. Band: middelste helft van ${peer}; ook de mediaan en het landelijke cijfer.`));
  const tabelPlek = h('div', { class: 'trend-tabel' }, h('p', { class: 'laden' }, 'Reeks laden…'));
  sectie.append(h('div', { class: 'trend-inhoud' }, fig, tabelPlek),
    h('p', { class: 'links' },
      h('a', { href: `/indicator/${encodeURIComponent(id)}` }, 'Over deze indicator'), ' · ',
      h('a', { href: `/api/v1/series/${gm.code}/${encodeURIComponent(id)}.csv`, download: `${gm.code}-${id}.csv`,
        id: 'reeks-csv' }, 'Reeks als CSV'), ' · ',
      h('a', { href: api.url('/', { indicator: id, groep, gemeente: gm.code }) }, `Vergelijk met ${peer}`), ' · ',
      h('a', { href: `/gemeente/${gm.code}`, id: 'trend-sluiten' }, 'Trend sluiten')));
  if (!ctx.nieuwePagina) {
    sectie.querySelector('h3').focus({ preventScroll: true });
    sectie.scrollIntoView({ block: 'start' });
  }
  const reeks = await api.get(`/api/v1/series/${gm.code}/${encodeURIComponent(id)}`);
  if (!ctx.actueel()) return;
  const ri = { ...ind, ...(reeks.indicator || {}) };
  const rijen = reeks.waarden.slice().reverse();
  const metDelen = rijen.some((r) => r.teller !== null && r.teller !== undefined);
  const k = [
    { sleutel: 'periode', label: 'Periode', soort: 'tekst', rijkop: true, toon: (r) => periodeTekst(r.periode) },
    { sleutel: 'waarde', label: 'Waarde', soort: 'getal', klasse: 'getal',
      toon: (r) => r.weergave || waardeTekst(ri, r.waarde) },
  ];
  if (metDelen) {
    k.push({ sleutel: 'teller', label: 'Teller', soort: 'getal', klasse: 'getal', toon: (r) => getal(r.teller) });
    k.push({ sleutel: 'noemer', label: 'Noemer', soort: 'getal', klasse: 'getal', toon: (r) => getal(r.noemer) });
  }
  k.push({ sleutel: 'status', label: 'Status', soort: 'tekst',
    waarde: (r) => (r.onderdrukt ? 'onderdrukt' : r.status),
    toon: (r) => [r.onderdrukt ? 'onderdrukt (klein aantal)' : statusMerk(r.status) || r.status,
      r.onvolledig ? h('span', { class: 'merk merk-onvolledig' }, 'onvolledig') : null] });
  leeg(tabelPlek, sorteerTabel(k, rijen, {
    bijschrift: `${ri.naam} in ${gm.naam} per ${reeks.per || ri.periode || 'periode'}, nieuwste eerst`,
  }));
  sectie.removeAttribute('aria-busy');
}

// Find a number in the benchmark answer under one of several names: the
// exact field names are the compare module's; this view reads what is there.
function veld(obj, ...namen) {
  for (const n of namen) {
    const pad = n.split('.');
    let v = obj;
    for (const p of pad) v = v && typeof v === 'object' ? v[p] : undefined;
    if (typeof v === 'number') return v;
    if (v && typeof v === 'object' && typeof v.waarde === 'number') return v.waarde;
  }
  return null;
}

function benchmarkTekst(gm, b) {
  const real = veld(b, 'gerealiseerd', 'gerealiseerde_uitstroom', 'realisatie', 'gerealiseerd.gewogen');
  const verw = veld(b, 'verwacht', 'verwachte_uitstroom', 'verwacht.totaal');
  const extra = veld(b, 'extra', 'extra_uitstroom');
  const bestand = veld(b, 'bestand', 'bestand.totaal');
  const bruto = veld(b, 'schadelastbeperking.bruto', 'schadelastbeperking.maatschappelijk', 'schadelastbeperking');
  const terug = veld(b, 'schadelastbeperking.incl_terugval', 'schadelastbeperking.inclusief_terugval');
  const gem = veld(b, 'schadelastbeperking.gemeentelijk', 'gemeentelijk');
  if (real === null || verw === null) return null;
  const ex = extra !== null ? extra : real - verw;
  const jaar = Boolean(b.jaar);
  const zinnen = [
    `${jaar ? `In ${b.jaar}` : 'In dit jaar'} eindigden in ${gm.naam} ${getal(real, 1)} uitkeringen door werk, ` +
    `opleiding of ondernemerschap (deeltijdwerk telt half)` +
    `${bestand !== null ? `, uit een bestand van ${getal(bestand)} uitkeringen` : ''}. ` +
    'Zonder extra inspanning – “business as usual”, op grond van hoe lang mensen al een uitkering hebben – ' +
    `waren er ${getal(verw, 1)} verwacht.`,
    ex >= 0 ? `Dat is ${getal(ex, 1)} meer dan verwacht.` : `Dat is ${getal(-ex, 1)} minder dan verwacht.`,
  ];
  if (bruto !== null && ex > 0) {
    zinnen.push(`Voor die extra uitstroom daalt de schadelast over zeven jaar met naar schatting ` +
      `${euro(bruto)} bruto (maatschappelijk)` +
      (terug !== null ? `, of ${euro(terug)} als je rekening houdt met mensen die later terugvallen` : '') +
      (gem !== null ? `; voor de gemeente zelf is dat ongeveer ${euro(gem)}` : '') + '.');
    zinnen.push('Dit zijn bruto bedragen: de kosten van de aanpak zijn er niet van afgetrokken.');
  }
  return zinnen.join(' ');
}

async function benchmark(ctx, dash, plek) {
  const uit = dash.tegels.find((t) => t.indicator.groep === 'uitstroom' && t.laatste) ||
    dash.tegels.find((t) => t.laatste);
  const jaar = uit ? volledigJaar(uit.laatste.periode) : null;
  let b;
  try {
    b = await api.get(`/api/v1/benchmark/uitstroom/${dash.gemeente.code}`, { jaar });
  } catch (e) {
    if (ctx.actueel()) leeg(plek, h('p', { class: 'fout' }, `De benchmark is niet beschikbaar: ${e.message}`));
    return null;
  }
  if (!ctx.actueel()) return null;
  const tekst = benchmarkTekst(dash.gemeente, b);
  leeg(plek, h('p', { id: 'benchmark-tekst' },
    tekst || b.toelichting || b.tekst || 'Voor dit jaar is de benchmark niet te berekenen.'),
  h('p', { class: 'hint' }, 'Methode: ', b.methode || 'midden',
    ' (uitstroomkansen per uitkeringsduur, bijlage 2 van de Zoetermeerse rapportage). ',
    h('a', { href: '/indicator/pw_uitstroom_resultaat_pct' }, 'Over de uitstroomindicator')));
  return b;
}

// "Trend sluiten" (or Back): the focus returns to the control that opened
// the trend (a tile or a kern link), else to that indicator's tile; it went
// to the h1, so a keyboard user started over at the top of 54 tiles.
function terugNaarOpener(ctx, id) {
  const tegelLink = id && ctx.main.querySelector(`.tegel[data-indicator="${CSS.escape(id)}"] .tegel-naam a`);
  const doel = (opener && opener.isConnected ? opener : null) || tegelLink || ctx.main.querySelector('h1');
  opener = null;
  doel.focus();
}

export async function toon(ctx) {
  const tegelId = ctx.query.get('tegel');
  const gem = await api.gemeenten();
  if (!ctx.actueel()) return;
  // "/gemeente/zoetermeer", "/gemeente/den-haag": a name or alias is looked
  // up like the search box does; the address becomes the GM code.
  let code = ctx.match[1] ? decodeURIComponent(ctx.match[1]) : null;
  if (code && !/^GM\d{4}$/i.test(code)) {
    const g = zoekGemeente(gem.gemeenten, code);
    if (!g) {
      leeg(ctx.main, h('h1', { tabindex: '-1' }, 'Gemeente niet gevonden'),
        h('p', { class: 'fout', role: 'alert' }, `Geen gemeente gevonden voor “${code}”. Zoek op naam of code.`),
        zoekFormulier(gem.gemeenten, null));
      ctx.main.dataset.view = 'gemeente-zoek';
      ctx.titel('Gemeente niet gevonden');
      ctx.meld('Gemeente niet gevonden.');
      ctx.mislukt();
      return;
    }
    code = g.code;
  }

  if (!code) {
    leeg(ctx.main, h('h1', { tabindex: '-1' }, 'Gemeente-dashboard'),
      h('p', { class: 'intro' }, 'Alle basisindicatoren van één gemeente, vergeleken met gemeenten die erop lijken. ' +
        'Typ een naam; de suggesties helpen.'),
      zoekFormulier(gem.gemeenten, null));
    ctx.main.dataset.view = 'gemeente-zoek';
    ctx.titel('Gemeente-dashboard');
    ctx.meld('Kies een gemeente.');
    return;
  }

  // Only the open tile changed: keep the page, swap the trend panel.
  if (ctx.main.dataset.view === 'gemeente' && bewaard && bewaard.code === code) {
    if (tegelId) {
      const a = document.activeElement;
      if (a && a !== document.body && ctx.main.contains(a) && !a.closest('#trend')) opener = a;
      await trend(ctx, bewaard.dashboard, tegelId);
    } else {
      const was = ctx.main.querySelector('.tegel.open');
      await trend(ctx, bewaard.dashboard, null);
      terugNaarOpener(ctx, was && was.dataset.indicator);
    }
    ctx.meld(tegelId ? 'Trend geopend.' : 'Trend gesloten.');
    return;
  }

  const [dash, cat] = await Promise.all([
    api.get(`/api/v1/dashboard/${encodeURIComponent(code)}`), api.indicatoren()]);
  if (!ctx.actueel()) return;
  const gm = dash.gemeente;
  if (location.pathname !== `/gemeente/${gm.code}`) { // "0363" or a name: show the canonical address
    history.replaceState({}, '', `/gemeente/${gm.code}${location.search}`);
  }
  dash.tegels.forEach((t) => { t.indicator = volledig(t.indicator, cat); });
  bewaard = { code: gm.code, dashboard: dash, catalogus: cat };
  opener = null;

  const peer = dash.peergroep;
  const bench = h('section', { class: 'benchmark', 'aria-labelledby': 'benchmark-kop' },
    h('h2', { id: 'benchmark-kop' }, 'Uitstroom tegen “business as usual”'),
    h('div', { id: 'benchmark' }, h('p', { class: 'laden' }, 'Benchmark laden…')));
  const kb = kern.blok(ctx, gm);
  leeg(ctx.main,
    h('h1', { tabindex: '-1' }, gm.naam),
    h('p', { class: 'meta' }, [gm.code, gm.provincie, gm.inwoners ? `${getal(gm.inwoners)} inwoners` : null,
      gm.grootteklasse_naam].filter(Boolean).join(' · ')),
    h('p', { class: 'links' }, h('a', { href: `/gemeente/${gm.code}/factsheet`, id: 'factsheet-link' },
      'Factsheet om af te drukken (1–2 A4)')),
    kb.sectie,
    peer ? h('p', { class: 'intro' }, 'Posities zijn vergeleken met ',
      h('strong', {}, peer.naam), peer.leden ? ` (${peer.leden} gemeenten die op ${gm.naam} lijken)` : '',
      '. Kies een tegel voor het verloop door de tijd.') : null,
    zoekFormulier(gem.gemeenten, gm),
    tegels(dash),
    bench);
  ctx.main.dataset.view = 'gemeente';
  ctx.titel(`${gm.naam} — gemeente-dashboard`);

  // First meaningful render: the tiles are on screen (measured for the
  // browser test and anyone looking at the Performance panel).
  performance.mark('basisd:tegels-gevuld');
  if (window.__basisd.eersteWeergaveMs === undefined) {
    window.__basisd.eersteWeergaveMs = performance.now();
  }
  ctx.meld(`${gm.naam}: ${dash.tegels.length} indicatoren geladen.`);
  const bp = benchmark(ctx, dash, bench.querySelector('#benchmark'));
  const werk = [bp, kb.klaar, Promise.all([bp, kb.klaar]).then(([b]) => {
    if (b && ctx.actueel()) kern.zetBenchmark(kb.sectie, gm, b);
  })];
  if (tegelId) werk.push(trend(ctx, dash, tegelId));
  await Promise.all(werk);
}
