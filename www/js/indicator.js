// indicator.js — the indicator page (/indicator/ID): what is counted, in which
// unit, stand or stroom, teller and noemer, source, how a group figure is
// computed and the known caveats; /indicator/ lists the whole catalogue.
import * as api from './api.js';
import { h, leeg } from './dom.js';
import { getal, meervoud } from './format.js';
import { perThema, SOORT_TEKST, RICHTING_TEKST } from './catalogus.js';

const METING_TEKST = {
  stand: 'stand: een telling op een peildatum (einde van de periode). Standen worden nooit over de tijd ' +
    'opgeteld; een kwartaal of jaar toont de stand op de laatste peildatum.',
  stroom: 'stroom: wat er gedurende de periode gebeurde. Stromen tellen op over de tijd.',
};

const PERIODE_TEKST = {
  maand: 'per maand', kwartaal: 'per kwartaal', halfjaar: 'per halfjaar', jaar: 'per jaar',
};

function schaalTekst(ind) {
  const s = +ind.schaal;
  if (!s || s === 1) return null;
  if (s === 100) return 'percentage: teller gedeeld door noemer, maal 100';
  return `per ${getal(s)}: teller gedeeld door noemer, maal ${getal(s)}`;
}

function onderdrukking(ind) {
  if (!ind.min_n) return null;
  if (ind.soort === 'aantal') {
    return `Aantallen van 1 tot 4 worden getoond als “<5”; onder ${getal(ind.min_n)} ` +
      `${meervoud(ind.eenheid)} wordt een cel niet openbaar getoond.`;
  }
  return `Bij een noemer onder ${getal(ind.min_n)} wordt de waarde niet openbaar getoond (“–”): ` +
    'personen zouden herkenbaar zijn en het percentage zegt dan weinig. Zulke gemeenten tellen wel mee in het groepscijfer.';
}

function themaNaam(cat, groep) {
  const t = (cat.themas || []).find((x) => x.id === groep);
  return t ? t.naam : groep;
}

// kop: the themes' heading level, one below the page's (no skipped levels).
function overzicht(cat, huidig, kop = 'h3') {
  return perThema(cat.indicatoren, cat.themas).map((t) => h('section', { class: 'thema-lijst' },
    h(kop, {}, t.naam),
    h('ul', {}, t.indicatoren.map((i) => h('li', {},
      h('a', { href: `/indicator/${encodeURIComponent(i.id)}`, 'aria-current': i.id === huidig ? 'page' : null }, i.naam))))));
}

function detail(ind, cat) {
  const rijen = [
    ['Definitie', ind.omschrijving],
    ['Thema', themaNaam(cat, ind.groep)],
    ['Eenheid', ind.eenheid ? `${ind.eenheid} (geen omrekening naar andere eenheden)` : null],
    ['Soort', SOORT_TEKST[ind.soort] || ind.soort],
    ['Stand of stroom', METING_TEKST[ind.meting] || ind.meting],
    ['Periode', PERIODE_TEKST[ind.periode] || ind.periode],
    ['Teller', ind.teller],
    ['Noemer', ind.noemer],
    ['Schaal', schaalTekst(ind)],
    ['Richting', RICHTING_TEKST[ind.richting] || ind.richting],
    ['Groepscijfer', ind.berekening],
    ['Kleine aantallen', onderdrukking(ind)],
    ['Bron', ind.bron],
    ['Gemeten sinds', ind.sinds],
    ['Kanttekeningen', ind.kanttekening],
  ].filter(([, v]) => v !== null && v !== undefined && v !== '');
  return h('dl', { class: 'definitie' }, rijen.map(([k, v]) => [
    h('dt', {}, k), h('dd', { dataset: { veld: k.toLowerCase().replace(/\s+/g, '-') } }, v)]));
}

export async function toon(ctx) {
  const id = ctx.match[1] ? decodeURIComponent(ctx.match[1]) : null;
  const cat = await api.indicatoren();
  if (!ctx.actueel()) return;
  if (!id) {
    leeg(ctx.main, h('h1', { tabindex: '-1' }, 'Indicatoren'),
      h('p', { class: 'intro' }, 'De gemeenschappelijke basisindicatoren, per thema. Elke indicator heeft een ' +
        'vaste definitie en rekenwijze, zodat gemeenten te vergelijken zijn.'),
      h('div', { class: 'overzicht' }, overzicht(cat, null, 'h2')));
    ctx.main.dataset.view = 'indicatoren';
    ctx.titel('Indicatoren');
    ctx.meld(`${cat.indicatoren.length} indicatoren.`);
    return;
  }
  const ind = await api.get(`/api/v1/indicators/${encodeURIComponent(id)}`);
  if (!ctx.actueel()) return;
  leeg(ctx.main,
    h('h1', { tabindex: '-1' }, ind.naam),
    h('p', { class: 'meta' }, h('code', {}, ind.id)),
    detail(ind, cat),
    h('p', { class: 'links' },
      h('a', { href: api.url('/', { indicator: ind.id }) }, 'Vergelijk alle gemeenten op deze indicator')),
    h('nav', { class: 'overzicht', 'aria-labelledby': 'alle-kop' },
      h('h2', { id: 'alle-kop' }, 'Alle indicatoren'), overzicht(cat, ind.id)));
  ctx.main.dataset.view = 'indicator';
  ctx.titel(ind.naam);
  ctx.meld(`Indicator ${ind.naam}.`);
}
