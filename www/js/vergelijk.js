// vergelijk.js — the landelijke vergelijking ("/"): one indicator, one
// periode, one group of gemeenten; ranked chart, sortable table, group and
// national figure, completeness, CSV. State: ?indicator=&periode=&groep=&gemeente=&sorteer=
import * as api from './api.js';
import { h, leeg, statusMerk } from './dom.js';
import {
  getal, periode as periodeTekst, periodes, noemerTekst, meervoud, verschil, decimalen, volledigJaar,
} from './format.js';
import { perThema, waardeTekst } from './catalogus.js';
import { sorteerTabel } from './table.js';
import { zetQuery } from './router.js';
import { zoekGemeente, gemeenteLijst } from './zoek.js';

const VOORKEUR = ['pw_uitstroom_resultaat_pct', 'pw_bestand'];
const laatsteBekend = new Map(); // indicator id → latest periode with data


function indicatorKeuze(cat, gekozen) {
  return h('select', { id: 'k-indicator', name: 'indicator' },
    perThema(cat.indicatoren, cat.themas).map((t) => h('optgroup', { label: t.naam },
      t.indicatoren.map((i) => h('option', { value: i.id, selected: i.id === gekozen }, i.naam)))));
}

function groepKeuze(alle) {
  const lijst = alle.filter((g) => !g.id.startsWith('vergelijkbaar-'));
  const soorten = [
    ['alle', 'Alle gemeenten'], ['grootteklasse', 'Grootteklasse (inwoners)'],
    ['provincie', 'Provincie'], ['eigen', 'Eigen groepen'],
  ];
  const groepen = soorten.map(([soort, label]) => {
    // By soort, else by the id's prefix ("provincie-…"); the rest is "eigen".
    const soortVan = (g) => (soorten.some(([s]) => s === g.soort) ? g.soort
      : (soorten.find(([s]) => g.id === s || g.id.startsWith(`${s}-`)) || ['eigen'])[0]);
    const leden = lijst.filter((g) => soortVan(g) === soort);
    if (leden.length === 0) return null;
    if (soort === 'alle') return leden.map((g) => h('option', { value: g.id }, g.naam));
    return h('optgroup', { label }, leden.map((g) => h('option', { value: g.id }, g.naam)));
  });
  return h('select', { id: 'k-groep', name: 'groep' },
    lijst.some((g) => g.id === 'alle') ? null : h('option', { value: 'alle' }, 'Alle gemeenten'),
    groepen,
    h('optgroup', { label: 'Op kenmerken' },
      h('option', { value: 'vergelijkbaar' }, 'Vergelijkbare gemeenten van de gekozen gemeente')));
}

function veld(id, label, control, hint) {
  return h('div', { class: 'veld' }, h('label', { for: id }, label), control,
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

// Build the form once; later renders only update its values.
function bouwKader(main, cat, groepen, gemeenten) {
  const gem = h('input', {
    id: 'k-gemeente', name: 'gemeente', list: 'k-gemeenten', autocomplete: 'off',
    placeholder: 'bijv. Zoetermeer', 'aria-describedby': 'k-gemeente-hint',
  });
  const form = h('form', { class: 'keuze', id: 'keuze', 'aria-label': 'Keuze van de vergelijking' },
    veld('k-indicator', 'Indicator', indicatorKeuze(cat, null)),
    veld('k-periode', 'Periode', h('select', { id: 'k-periode', name: 'periode' })),
    veld('k-groep', 'Vergelijk binnen', groepKeuze(groepen.groepen)),
    veld('k-gemeente', 'Gemeente', gem,
      'Wordt gemarkeerd; nodig voor “vergelijkbare gemeenten”.'),
    gemeenteLijst('k-gemeenten', gemeenten),
    h('div', { class: 'veld knoppen' }, h('button', { type: 'submit' }, 'Toon vergelijking')),
    h('p', { class: 'fout', id: 'k-fout', role: 'alert', hidden: true }));
  leeg(main,
    h('h1', { tabindex: '-1' }, 'Landelijke vergelijking'),
    h('p', { class: 'intro' }, 'Vergelijk één indicator tussen gemeenten: alle gemeenten, een ' +
      'grootteklasse, een provincie, een eigen groep of gemeenten die op elkaar lijken. Elk ' +
      'percentage staat met zijn teller en noemer in de tabel.'),
    form,
    h('section', { id: 'uitkomst', 'aria-labelledby': 'uitkomst-kop' }));
  main.dataset.view = 'vergelijk';
  return form;
}

// A choice in a closed <select> is taken when it is committed, not on
// every step through the options: Chromium fires "change" on each arrow
// key (and on type-ahead), which loaded a comparison and pushed a history
// entry per keystroke. A pick with the mouse (or from the open list)
// applies at once; keyboard steps apply on Enter or when the focus leaves
// the list, so one choice is one load and one history entry.
const STAPTOETS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'PageUp', 'PageDown', 'Home', 'End']);

function bijKeuze(sel, actie) {
  let stappen = false; // the last change came from stepping with keys
  let open = false; // a change is waiting to be committed
  const pas = () => {
    if (!open) return;
    open = false;
    actie();
  };
  sel.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      if (open) { e.preventDefault(); pas(); }
      return;
    }
    // Alt+arrow, F4 and space open the list: a choice there is a pick.
    const opent = e.altKey || e.key === 'F4' || e.key === ' ';
    stappen = !opent && (STAPTOETS.has(e.key) || (e.key.length === 1 && !e.ctrlKey && !e.metaKey));
  });
  sel.addEventListener('pointerdown', () => { stappen = false; });
  sel.addEventListener('change', () => {
    open = true;
    if (!stappen) pas();
  });
  sel.addEventListener('blur', pas);
}

// Form values → URL (the only way the view changes).
function pasToe(form, gemeenten) {
  const fout = form.querySelector('#k-fout');
  const tekst = form.gemeente.value;
  const g = zoekGemeente(gemeenten, tekst);
  fout.hidden = true;
  if (tekst.trim() && !g) return toonVeldFout(fout, form.gemeente, `Gemeente “${tekst}” niet gevonden.`);
  let groep = form.groep.value;
  if (groep === 'vergelijkbaar') {
    if (!g) return toonVeldFout(fout, form.gemeente, 'Kies eerst een gemeente om vergelijkbare gemeenten te zoeken.');
    groep = `vergelijkbaar-${g.code}`;
  }
  if (g) form.gemeente.value = g.naam;
  zetQuery({
    indicator: form.indicator.value,
    periode: form.periode.dataset.wissel === '1' ? '' : form.periode.value,
    groep: groep === 'alle' ? '' : groep,
    gemeente: g ? g.code : '',
    sorteer: '',
  });
}

function toonVeldFout(el, veldEl, tekst) {
  el.textContent = tekst;
  el.hidden = false;
  veldEl.setAttribute('aria-invalid', 'true');
  veldEl.focus();
}

function vulKeuze(form, st, cat, gemeenten, ind) {
  form.indicator.value = ind.id;
  const groepSel = form.groep;
  groepSel.value = st.groep.startsWith('vergelijkbaar-') ? 'vergelijkbaar' : st.groep;
  if (groepSel.value === '') groepSel.value = 'alle';
  const g = gemeenten.find((x) => x.code === st.gemeente);
  form.gemeente.value = g ? g.naam : '';
  form.gemeente.removeAttribute('aria-invalid');
  const laatste = laatsteBekend.get(ind.id);
  const vanaf = Math.max(parseInt(ind.sinds, 10) || 0, (parseInt(laatste, 10) || 0) - 9);
  const opties = periodes(ind.periode, laatste, vanaf);
  // Whole years for indicators delivered per month, quarter or half year
  // (the API sums teller and noemer over the year): complete years only.
  const vj = ind.periode !== 'jaar' && laatste ? parseInt(volledigJaar(laatste), 10) : NaN;
  const jaren = Number.isFinite(vj) ? periodes('jaar', String(vj), vanaf) : [];
  if (st.periode && !opties.includes(st.periode) && !jaren.includes(st.periode)) opties.unshift(st.periode);
  const optie = (p) => h('option', { value: p }, periodeTekst(p));
  leeg(form.periode, jaren.length
    ? [h('optgroup', { label: `Per ${ind.periode}` }, opties.map(optie)),
      h('optgroup', { label: 'Hele jaren' }, jaren.map(optie))]
    : opties.map(optie));
  form.periode.value = st.periode || laatste || '';
  form.periode.dataset.wissel = '';
}

// "Zoetermeer: 14,4% — plaats 21 van 49": the marked gemeente in words,
// not only as a coloured bar.
function gemarkeerd(ind, d, code) {
  const g = code && d.gemeenten.find((x) => x.code === code);
  if (!g) return null;
  const n = d.gemeenten.filter((x) => x.rang !== null && x.rang !== undefined).length;
  const w = g.onderdrukt ? `onderdrukt (${g.weergave})`
    : g.waarde === null || g.waarde === undefined ? 'geen gegevens' : g.weergave || waardeTekst(ind, g.waarde);
  const rang = g.rang ? ` — plaats ${g.rang} van ${n} gerangschikte gemeenten` : ' — niet gerangschikt';
  return [h('dt', {}, g.naam), h('dd', { id: 'gemarkeerd' }, `${w}${rang}`)];
}

function kerncijfers(ind, d, code) {
  const gc = d.groepcijfer;
  const land = d.landelijk;
  const pc = d.percentielen || {};
  const rij = (dt, ...dd) => [h('dt', {}, dt), h('dd', {}, ...dd)];
  const noemer = (x) => {
    const t = noemerTekst(ind, x);
    return t ? h('span', { class: 'noemer' }, ` — ${t}`) : null;
  };
  const onvolledig = gc && (gc.onvolledig || gc.n < gc.N / 2);
  return h('dl', { class: 'kerncijfers' },
    rij(`Groepscijfer (${d.groep.naam})`,
      h('span', { class: 'groot', id: 'groepcijfer' }, gc ? gc.weergave || waardeTekst(ind, gc.waarde) : '–'), noemer(gc)),
    rij('Landelijk',
      h('span', { class: 'groot', id: 'landelijk' }, land ? land.weergave || waardeTekst(ind, land.waarde) : '–'), noemer(land)),
    rij('Volledigheid',
      h('span', { id: 'volledigheid' }, gc ? `${getal(gc.n)} van ${getal(gc.N)} gemeenten geleverd` : '–'),
      onvolledig ? h('span', { class: 'merk merk-onvolledig' }, ' minder dan de helft: groepscijfer onzeker') : null),
    gemarkeerd(ind, d, code),
    pc.p50 !== undefined && pc.p50 !== null ? rij('Mediaan (middelste helft)',
      `${waardeTekst(ind, pc.p50)} (${waardeTekst(ind, pc.p25)} tot ${waardeTekst(ind, pc.p75)})`) : null);
}

function kolommen(ind, d, markeer) {
  const metDelen = d.gemeenten.some((g) => g.teller !== null && g.teller !== undefined);
  const k = [
    { sleutel: 'rang', label: 'Rang', soort: 'getal', klasse: 'getal',
      toon: (g) => (g.rang === null || g.rang === undefined ? '–' : String(g.rang)) },
    { sleutel: 'naam', label: 'Gemeente', soort: 'tekst', rijkop: true,
      toon: (g) => [h('a', { href: `/gemeente/${g.code}?tegel=${encodeURIComponent(ind.id)}` }, g.naam),
        g.code === markeer ? h('span', { class: 'merk merk-gekozen' }, 'gekozen') : null] },
    { sleutel: 'waarde', label: 'Waarde', soort: 'getal', klasse: 'getal',
      toon: (g) => [g.onderdrukt ? h('abbr', { class: 'onderdrukt', title: 'Onderdrukt: te klein aantal' }, g.weergave || '–')
        : g.weergave || waardeTekst(ind, g.waarde),
      g.onderdrukt ? h('sup', { 'aria-hidden': 'true' }, '*') : null] },
  ];
  if (metDelen) {
    k.push({ sleutel: 'teller', label: 'Teller', soort: 'getal', klasse: 'getal', toon: (g) => getal(g.teller) });
    k.push({ sleutel: 'noemer', label: 'Noemer', soort: 'getal', klasse: 'getal', toon: (g) => getal(g.noemer) });
  }
  // A difference of percentages is in procentpunten, not in percent.
  const pp = +ind.schaal === 100 && ind.soort === 'ratio';
  k.push({ sleutel: 'afstand_mediaan', label: pp ? 'Verschil met mediaan (procentpunt)' : 'Verschil met mediaan',
    soort: 'getal', klasse: 'getal',
    toon: (g) => (g.afstand_mediaan === null || g.afstand_mediaan === undefined ? '–'
      : verschil(g.afstand_mediaan, decimalen(ind))) });
  k.push({ sleutel: 'status', label: 'Status', soort: 'tekst',
    waarde: (g) => statusTekst(g),
    toon: (g) => (g.geleverd !== false && g.status && g.status !== 'definitief' && !g.onderdrukt
      ? statusMerk(g.status) : statusTekst(g)) });
  return k;
}

function statusTekst(g) {
  if (g.onderdrukt) return 'onderdrukt';
  if (g.waarde === null || g.waarde === undefined) return 'geen levering';
  return g.status || '';
}

function grafiek(ind, d, st, markeerNaam) {
  const src = api.url(`/chart/vergelijk/${encodeURIComponent(ind.id)}.svg`,
    { periode: d.periode, groep: d.groep.id, markeer: st.gemeente });
  const gc = d.groepcijfer;
  const alt = `Gerangschikte staafgrafiek van ${ind.naam}, ${periodeTekst(d.periode)}: ` +
    `${d.groep.leden} gemeenten van “${d.groep.naam}”` +
    (markeerNaam ? `, ${markeerNaam} gemarkeerd` : '') +
    (gc ? `; groepscijfer ${gc.weergave || waardeTekst(ind, gc.waarde)}` : '') +
    '. Dezelfde cijfers staan in de tabel hieronder.';
  const fig = h('figure', { class: 'grafiek' });
  const img = api.volgAfbeelding(h('img', { src, alt, width: '800', height: '400', decoding: 'async' }),
    () => fig.append(h('p', { class: 'fout' }, 'De grafiek kon niet worden geladen; de tabel hieronder bevat dezelfde cijfers.')));
  fig.append(img, h('figcaption', {}, 'Elke staaf is een gemeente, van gunstig naar ongunstig. ' +
    'De lijnen tonen de mediaan van de groep en het landelijke cijfer.'));
  return fig;
}

// The map: the same published cells as the table, drawn by the daemon and
// placed inline so each gemeente is a link with its name and value. Two
// widths only, so the response cache holds few variants.
function kaart(ind, d, st) {
  // Drawn at about the width it is shown at, so its 12-unit text is 12 px:
  // beside the table on wide screens (30rem), the full column on phones.
  const breed = window.matchMedia('(min-width: 70rem)').matches;
  const w = breed ? 480 : Math.max(300, Math.min(640, (document.querySelector('main') || document.body).clientWidth - 34));
  const src = api.url(`/chart/kaart/${encodeURIComponent(ind.id)}.svg`,
    { periode: d.periode, groep: d.groep.id, markeer: st.gemeente, w });
  const fig = h('figure', { class: 'kaart', id: 'kaart', 'aria-busy': 'true' },
    h('figcaption', {}, 'Kaart: elke gemeente van de groep gekleurd naar haar waarde; gearceerd is onderdrukt ' +
      '(kleine aantallen), grijs is geen levering. Kies een gemeente voor haar dashboard. ' +
      'Dezelfde cijfers staan in de tabel.'));
  api.svg(src).then((svg) => {
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    fig.prepend(svg);
  }).catch(() => fig.append(h('p', { class: 'fout' }, 'De kaart kon niet worden geladen; de tabel bevat dezelfde cijfers.')))
    .finally(() => fig.removeAttribute('aria-busy'));
  return fig;
}

function downloads(ind, d) {
  const p = { periode: d.periode, groep: d.groep.id };
  const pad = `/api/v1/vergelijk/${encodeURIComponent(ind.id)}.csv`;
  return h('p', { class: 'downloads' }, 'Download deze tabel: ',
    h('a', { href: api.url(pad, p), download: `${ind.id}-${d.periode}.csv`, id: 'csv' }, 'CSV'), ' · ',
    h('a', { href: api.url(pad, { ...p, excel: 1 }), download: `${ind.id}-${d.periode}-excel.csv` },
      'CSV voor Excel (puntkomma, decimale komma)'));
}

function uitlegKleineAantallen(ind, d) {
  const n = d.gemeenten.filter((g) => g.onderdrukt).length;
  const geen = d.gemeenten.filter((g) => !g.onderdrukt && (g.waarde === null || g.waarde === undefined)).length;
  if (!n && !geen) return null;
  const drempel = ind.min_n ? ` (minder dan ${getal(ind.min_n)} ${ind.soort === 'aantal' ? meervoud(ind.eenheid) : 'in de noemer'})` : '';
  return h('p', { class: 'uitleg', id: 'uitleg-onderdrukt' },
    n ? `* ${n} ${n === 1 ? 'cel is' : 'cellen zijn'} onderdrukt${drempel}: ` +
      'bij zulke kleine aantallen zijn personen herkenbaar en zegt een percentage weinig. ' +
      'Aantallen van 1 tot 4 staan als “<5”, verhoudingen als “x”. ' : '',
    geen ? `${geen} ${geen === 1 ? 'gemeente heeft' : 'gemeenten hebben'} voor deze periode niet geleverd. ` : '',
    'Deze gemeenten staan onderaan zonder rang.');
}

function toonUitkomst(sectie, ind, d, st, gemeenten) {
  const markeer = gemeenten.find((g) => g.code === st.gemeente);
  const titel = `${ind.naam}, ${periodeTekst(d.periode)}`;
  if (!d.gemeenten || d.gemeenten.length === 0) {
    leeg(sectie, h('h2', { id: 'uitkomst-kop' }, titel),
      h('p', { class: 'leeg' }, 'Voor deze periode en groep zijn geen gegevens.'));
    return;
  }
  const [sleutel, richting] = (st.sorteer || '').split('-');
  const tabel = sorteerTabel(kolommen(ind, d, st.gemeente), d.gemeenten, {
    bijschrift: `${ind.naam} per gemeente, ${periodeTekst(d.periode)}, ${d.groep.naam} ` +
      `(${d.gemeenten.length} gemeenten). Kies een kolomkop om te sorteren.`,
    sorteer: sleutel ? { sleutel, op: richting !== 'af' } : null,
    bijSorteren: (s, op) => zetQuery({ sorteer: `${s}-${op ? 'op' : 'af'}` }, { vervang: true, stil: true }),
    rijAttrs: (g) => ({ class: g.code === st.gemeente ? 'gemarkeerd' : null, dataset: { code: g.code } }),
  });
  leeg(sectie,
    h('h2', { id: 'uitkomst-kop' }, titel),
    h('p', { class: 'meta' }, `Eenheid: ${ind.eenheid || '–'}. `,
      h('a', { href: `/indicator/${encodeURIComponent(ind.id)}` }, `Over deze indicator en de rekenwijze`)),
    kerncijfers(ind, d, st.gemeente),
    h('div', { class: 'kaart-en-tabel' },
      kaart(ind, d, st),
      h('div', { class: 'tabeldeel' }, grafiek(ind, d, st, markeer && markeer.naam),
        downloads(ind, d), uitlegKleineAantallen(ind, d), tabel)));
}

export async function toon(ctx) {
  const q = ctx.query;
  const [cat, groepen, gem] = await Promise.all([api.indicatoren(), api.groepen(), api.gemeenten()]);
  if (!ctx.actueel()) return;
  const gemeenten = gem.gemeenten;
  const id = q.get('indicator') || VOORKEUR.find((v) => cat.indicatoren.some((i) => i.id === v)) ||
    (cat.indicatoren[0] && cat.indicatoren[0].id);
  const st = {
    indicator: id,
    periode: q.get('periode') || '',
    groep: q.get('groep') || 'alle',
    gemeente: (q.get('gemeente') || '').toUpperCase(),
    sorteer: q.get('sorteer') || '',
  };
  const ind = cat.indicatoren.find((i) => i.id === id);
  if (!ind) throw new Error(`Onbekende indicator “${id}”.`);

  let form = ctx.main.dataset.view === 'vergelijk' ? ctx.main.querySelector('#keuze') : null;
  if (!form) {
    form = bouwKader(ctx.main, cat, groepen, gemeenten);
    form.addEventListener('submit', (e) => { e.preventDefault(); pasToe(form, gemeenten); });
    bijKeuze(form.indicator, () => { form.periode.dataset.wissel = '1'; pasToe(form, gemeenten); });
    bijKeuze(form.periode, () => pasToe(form, gemeenten));
    bijKeuze(form.groep, () => {
      if (form.groep.value !== 'vergelijkbaar' || form.gemeente.value.trim()) pasToe(form, gemeenten);
      else form.gemeente.focus();
    });
    form.gemeente.addEventListener('change', () => pasToe(form, gemeenten));
  }
  ctx.titel(`Landelijke vergelijking: ${ind.naam}`);
  const sectie = ctx.main.querySelector('#uitkomst');
  sectie.setAttribute('aria-busy', 'true');

  // A shared link names a periode; the list of choices needs the latest one.
  const vraag = api.get(`/api/v1/vergelijk/${encodeURIComponent(id)}`, { periode: st.periode, groep: st.groep });
  const laatste = !laatsteBekend.has(id) && st.periode
    ? api.get(`/api/v1/vergelijk/${encodeURIComponent(id)}`, { groep: 'alle' }).catch(() => null) : null;
  let d;
  try {
    d = await vraag;
  } catch (e) {
    // Keep the form usable: the user can choose another indicator or group.
    if (!ctx.actueel() || !(e instanceof api.ApiFout)) throw e;
    leeg(sectie, h('h2', { id: 'uitkomst-kop' }, ind.naam),
      h('p', { class: 'fout', role: 'alert' }, `Deze vergelijking is niet beschikbaar: ${e.message}`));
    sectie.removeAttribute('aria-busy');
    ctx.mislukt();
    return;
  }
  if (laatste) laatsteBekend.set(id, ((await laatste) || d).periode);
  else if (!st.periode) laatsteBekend.set(id, d.periode);
  if (!ctx.actueel()) return;
  if (!st.periode) st.periode = d.periode;
  const vol = { ...ind, ...(d.indicator || {}) };
  vulKeuze(form, st, cat, gemeenten, vol);
  toonUitkomst(sectie, vol, d, st, gemeenten);
  sectie.removeAttribute('aria-busy');
  ctx.meld(`${vol.naam}, ${periodeTekst(d.periode)}: ${d.gemeenten.length} gemeenten getoond.`);
}
