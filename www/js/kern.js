// kern.js — the kern block at the top of the gemeente-dashboard: the
// outcome rates (uitstroom, escalaties voorkomen, participatie) over the
// years against the NAMED vergelijkbare gemeenten, what changed since the
// year before, and the uitstroom benchmark in one sentence. All figures come
// from /api/v1/kern/GM: the published cells of the same comparison as the
// landelijke vergelijking with groep=vergelijkbaar-GM.
import * as api from './api.js';
import { h, leeg } from './dom.js';
import { getal, verschil } from './format.js';

const NAMEN = {
  pw_uitstroom_resultaat_pct: 'Uitstroom naar werk, opleiding of ondernemerschap',
  esc_ontruiming_voorkomen_pct: 'Ontruimingen voorkomen',
  pl_stijgers_pct: 'Participatie: gestegen op de participatieladder',
};

const eenheid = (ind) => (+ind.schaal === 100 ? '%' : '');
const cel = (ind, c) => {
  if (!c) return '–';
  if (c.onderdrukt || c.waarde === null || c.waarde === undefined) return c.weergave === '.' ? '–' : (c.weergave || '–');
  const w = c.weergave || getal(c.waarde, 1, true);
  return w.endsWith('%') ? w : w + eenheid(ind);
};
const lijst = (namen) => (namen.length < 2 ? namen.join('')
  : `${namen.slice(0, -1).join(', ')} en ${namen[namen.length - 1]}`);

// "14,4% in 2025; in 2024 was het 15,6% (−1,2 procentpunt)." No verdict:
// a change of one year says little about policy (fair-numbers rules).
function veranderZin(ind, gm, jaren) {
  const mijn = jaren.filter((j) => j.gemeente && j.gemeente.waarde !== null && j.gemeente.waarde !== undefined);
  if (!mijn.length) return `Voor ${gm.naam} is er nog geen gepubliceerd cijfer.`;
  const nu = mijn[mijn.length - 1];
  const toen = mijn.length > 1 ? mijn[mijn.length - 2] : null;
  let zin = `${gm.naam}: ${cel(ind, nu.gemeente)} in ${nu.periode}`;
  if (toen) {
    const d = nu.gemeente.waarde - toen.gemeente.waarde;
    const pp = +ind.schaal === 100 ? ' procentpunt' : '';
    const tekst = Math.abs(d) < 0.05 ? 'gelijk' : `${verschil(d, 1)}${pp}`;
    zin += `; in ${toen.periode} was het ${cel(ind, toen.gemeente)} (${tekst})`;
  }
  const gc = nu.groepcijfer;
  const land = nu.landelijk;
  return `${zin}. De vergelijkbare gemeenten samen: ${cel(ind, gc)}; Nederland: ${cel(ind, land)}.`;
}

function tabel(ind, k, gm) {
  const jaren = k.jaren;
  const peers = new Map();
  for (const j of jaren) for (const p of j.peers) if (!peers.has(p.code)) peers.set(p.code, p.naam);
  const waarde = (j, code) => (code === gm.code ? j.gemeente : j.peers.find((p) => p.code === code));
  const rij = (code, naam, klasse) => h('tr', { class: klasse, dataset: { code } },
    h('th', { scope: 'row' }, naam),
    jaren.map((j) => h('td', { class: 'getal', dataset: { periode: j.periode } }, cel(ind, waarde(j, code)))));
  return h('div', { class: 'tabel-schuif' }, h('table', { class: 'kern-tabel', id: `kern-${ind.id}` },
    h('caption', {}, `${NAMEN[ind.id] || ind.naam} per jaar: ${gm.naam} en de vergelijkbare gemeenten`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Gemeente'),
      jaren.map((j) => h('th', { scope: 'col', class: 'getal' }, j.periode)))),
    h('tbody', {}, rij(gm.code, gm.naam, 'eigen'),
      [...peers].map(([code, naam]) => rij(code, naam, null))),
    h('tfoot', {},
      h('tr', { class: 'groep' }, h('th', { scope: 'row' }, 'Vergelijkbare gemeenten samen'),
        jaren.map((j) => h('td', { class: 'getal' }, cel(ind, j.groepcijfer)))),
      h('tr', { class: 'land' }, h('th', { scope: 'row' }, 'Nederland'),
        jaren.map((j) => h('td', { class: 'getal' }, cel(ind, j.landelijk)))))));
}

// "In 2024 eindigden in Zoetermeer 12,5 uitkeringen meer door werk … dan
// verwacht zonder extra inspanning (130 tegen 117,5)."
export function benchmarkZin(gm, b) {
  if (!b || typeof b.gerealiseerd !== 'number' || typeof b.verwacht !== 'number') return null;
  const ex = typeof b.extra === 'number' ? b.extra : b.gerealiseerd - b.verwacht;
  const meer = ex >= 0 ? 'meer' : 'minder';
  return `In ${b.jaar} eindigden in ${gm.naam} ${getal(Math.abs(ex), 1)} uitkeringen ${meer} door werk, ` +
    `opleiding of ondernemerschap dan zonder extra inspanning verwacht (${getal(b.gerealiseerd, 1)} ` +
    `tegen ${getal(b.verwacht, 1)}, naar hoe lang mensen al een uitkering hadden).`;
}

// The block, filled when /api/v1/kern/GM answers; a failure leaves the
// rest of the dashboard usable.
export function blok(ctx, gm) {
  const sectie = h('section', { class: 'kern', id: 'kern', 'aria-labelledby': 'kern-kop', 'aria-busy': 'true' },
    h('h2', { id: 'kern-kop' }, `Kern: hoe doet ${gm.naam} het?`),
    h('p', { class: 'laden' }, 'Kerncijfers laden…'));
  const klaar = api.get(`/api/v1/kern/${gm.code}`).then((k) => {
    if (!ctx.actueel()) return;
    const namen = k.peergroep.peers.map((p) => p.naam);
    leeg(sectie, sectie.firstChild,
      h('p', { class: 'kern-peers', id: 'kern-peers' },
        namen.length ? `Vergeleken met de ${namen.length} gemeenten die het meest op ${gm.naam} lijken: ${lijst(namen)}.`
          : `Er zijn nog geen vergelijkbare gemeenten te bepalen: daarvoor ontbreken kenmerken van ${gm.naam}.`),
      h('p', { class: 'kern-benchmark', id: 'kern-benchmark', hidden: true }),
      h('div', { class: 'kern-lijst' }, k.indicatoren.map((x) => h('div', { class: 'kern-indicator', dataset: { indicator: x.indicator.id } },
        h('h3', {}, h('a', { href: `/gemeente/${gm.code}?tegel=${encodeURIComponent(x.indicator.id)}` },
          NAMEN[x.indicator.id] || x.indicator.naam)),
        h('p', { class: 'kern-zin' }, veranderZin(x.indicator, gm, x.jaren)),
        tabel(x.indicator, x, gm)))),
      h('p', { class: 'hint' }, 'Percentages met hun teller en noemer staan in de tegels hieronder; ',
        'de hele basisset volgt na dit blok.'));
  }).catch((e) => {
    if (ctx.actueel()) leeg(sectie, sectie.firstChild, h('p', { class: 'fout' }, `De kerncijfers zijn niet beschikbaar: ${e.message}`));
  }).finally(() => sectie.removeAttribute('aria-busy'));
  return { sectie, klaar };
}

// The benchmark sentence goes into the block once the benchmark is there.
export function zetBenchmark(sectie, gm, b) {
  const p = sectie.querySelector('#kern-benchmark');
  const zin = benchmarkZin(gm, b);
  if (p && zin) {
    p.textContent = zin;
    p.hidden = false;
  }
}
