// factsheet.js — /gemeente/GM/factsheet: one or two A4 pages to take to a
// council meeting: the kern block (rates over the years against the named
// peers), the benchmark, small multiples of the main rates, status, sources
// and the data date. The print stylesheet (basisd.css, @media print) drops
// the menu and the controls.
import * as api from './api.js';
import { h } from './dom.js';
import { getal, periode as periodeTekst } from './format.js';
import * as kern from './kern.js';

const KLEIN = ['pw_uitstroom_resultaat_pct', 'esc_ontruiming_voorkomen_pct', 'pl_stijgers_pct'];

function klein(gm, ind, groep) {
  const src = api.url(`/chart/${gm.code}/${encodeURIComponent(ind.id)}.svg`, { groep, w: 280, h: 230 });
  const fig = h('figure', { class: 'klein' });
  fig.append(api.volgAfbeelding(h('img', {
    src, width: '280', height: '230', decoding: 'async',
    alt: `Lijngrafiek van ${ind.naam} in ${gm.naam}, met de middelste helft en de mediaan van de ` +
      'vergelijkbare gemeenten en het landelijke cijfer. De cijfers staan in de tabel hierboven.',
  })), h('figcaption', {}, ind.naam));
  return fig;
}

export async function toon(ctx) {
  const code = decodeURIComponent(ctx.match[1]);
  const dash = await api.get(`/api/v1/dashboard/${encodeURIComponent(code)}`);
  if (!ctx.actueel()) return;
  const gm = dash.gemeente;
  const groep = dash.peergroep ? dash.peergroep.id : `vergelijkbaar-${gm.code}`;
  const kb = kern.blok(ctx, gm);
  const tegels = KLEIN.map((id) => dash.tegels.find((t) => t.indicator.id === id)).filter(Boolean);
  const laatste = dash.tegels.map((t) => t.laatste && t.laatste.periode).filter(Boolean).sort().pop();
  const status = tegels.map((t) => h('li', {}, `${t.indicator.naam}: ${periodeTekst(t.laatste.periode)}, ` +
    `${t.laatste.status || 'onbekend'}`));
  const vandaag = new Date().toLocaleDateString('nl-NL', { day: 'numeric', month: 'long', year: 'numeric' });
  const knop = h('button', { type: 'button', class: 'afdrukken' }, 'Afdrukken of opslaan als pdf');
  knop.addEventListener('click', () => window.print());
  ctx.main.replaceChildren(
    h('div', { class: 'factsheet' },
      h('h1', { tabindex: '-1' }, `Factsheet ${gm.naam}`),
      h('p', { class: 'meta' }, [gm.code, gm.provincie, gm.inwoners ? `${getal(gm.inwoners)} inwoners` : null]
        .filter(Boolean).join(' · ')),
      h('p', { class: 'meta', id: 'factsheet-stand' },
        `Stand van de gegevens: ${laatste ? periodeTekst(laatste) : 'geen'}; gemaakt op ${vandaag}.`),
      h('p', { class: 'geen-druk' }, knop, ' ', h('a', { href: `/gemeente/${gm.code}` }, 'Naar het volledige dashboard')),
      kb.sectie,
      h('section', { class: 'kleine-grafieken', 'aria-labelledby': 'klein-kop' },
        h('h2', { id: 'klein-kop' }, 'Verloop door de tijd'),
        h('div', { class: 'klein-rij' }, tegels.map((t) => klein(gm, t.indicator, groep)))),
      h('section', { class: 'bronnen', 'aria-labelledby': 'bron-kop' },
        h('h2', { id: 'bron-kop' }, 'Status en bronnen'),
        h('ul', {}, status),
        h('p', {}, 'Cijfers: leveringen van gemeenten en uitvoerders aan basisd, rekenwijze per indicator op ',
          h('span', { class: 'url' }, `${location.origin}/indicator/`), '. Kleine aantallen zijn onderdrukt. ',
          'Vergelijkbare gemeenten: de tien gemeenten die op inwoners, uitkeringen en samenstelling het meest ',
          `op ${gm.naam} lijken. Benchmark: methode Zoetermeer, business as usual.`),
        dash.synthetisch ? h('p', { class: 'let-op' }, 'Let op: synthetische demonstratiegegevens, geen echte cijfers.') : null)));
  ctx.main.dataset.view = 'factsheet';
  ctx.titel(`Factsheet ${gm.naam}`);
  const b = api.get(`/api/v1/benchmark/uitstroom/${gm.code}`).catch(() => null);
  const [bm] = await Promise.all([b, kb.klaar]);
  if (!ctx.actueel()) return;
  if (bm) kern.zetBenchmark(kb.sectie, gm, bm);
  ctx.meld(`Factsheet van ${gm.naam} klaar om af te drukken.`);
}
