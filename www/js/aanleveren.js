// aanleveren.js — the suppliers' page (/aanleveren): sign in with a token,
// pick a CSV, see the row report in Dutch from a dry run (POST
// /api/v1/feeds?proef=1: the same checks, nothing stored), then store it;
// download a template for the gemeenten a supplier delivers for. The token
// stays in this page's memory only.
import * as api from './api.js';
import { h, leeg } from './dom.js';
import { zoekGemeente, gemeenteLijst } from './zoek.js';

let token = ''; // the supplier's token, for this page only

const STATUS = {
  geaccepteerd: 'Alle regels zijn goed',
  gedeeltelijk: 'Een deel van de regels is goed',
  al_ontvangen: 'Dit bestand is al eerder ontvangen: er verandert niets',
  afgekeurd: 'Afgekeurd: er zijn fouten, er wordt niets opgeslagen',
  geweigerd: 'Geweigerd: regels voor gemeenten buiten uw token',
};

function statusTekst(r) {
  const key = Object.keys(STATUS).find((k) => (r.status || '').startsWith(k));
  return key ? STATUS[key] : r.status;
}

// The report in Dutch: what was checked, what is wrong, line by line.
function rapport(r, opgeslagen) {
  const n = r.regels || {};
  const kop = r.proef ? `Controle van ${r.bestand}: ${statusTekst(r)}.`
    : opgeslagen ? `Opgeslagen als levering ${r.levering}: ${statusTekst(r)}.`
      : `${r.bestand}: ${statusTekst(r)}.`;
  const regels = `${n.totaal || 0} regels gelezen: ${n.goed || 0} goed, ${n.fout || 0} fout` +
    (n.buiten_bereik ? `, ${n.buiten_bereik} buiten uw gemeenten` : '') +
    (r.proef ? '. Er is nog niets opgeslagen.' : '.');
  const fouten = (r.problemen || []).map((p) => h('tr', {},
    h('td', { class: 'getal' }, String(p.regel)), h('td', {}, p.kolom || ''),
    h('td', {}, p.waarde || ''), h('td', {}, p.reden)));
  return [h('p', { class: 'rapport-kop' }, kop), h('p', {}, regels),
    fouten.length ? h('div', { class: 'tabel-wrap' }, h('table', { class: 'tabel', id: 'rapport-fouten' },
      h('caption', {}, 'Fouten per regel'),
      h('thead', {}, h('tr', {}, ['Regel', 'Kolom', 'Waarde', 'Reden'].map((k) => h('th', { scope: 'col' }, k)))),
      h('tbody', {}, fouten))) : null,
    r.problemen_niet_getoond ? h('p', {}, `En nog ${r.problemen_niet_getoond} fouten die niet getoond worden.`) : null];
}

async function stuurBestand(bestand, proef) {
  const tekst = await bestand.text();
  return api.lever(api.url('/api/v1/feeds', { naam: bestand.name, proef: proef ? 1 : '' }), tekst, token);
}

// "gemeente;indicator;periode;waarde;teller;noemer" with a row per
// indicator for each chosen gemeente and the last complete period.
function sjabloon(cat, codes) {
  const nu = new Date();
  const j = nu.getFullYear();
  const m = nu.getMonth() + 1;
  const vorige = {
    maand: m === 1 ? `${j - 1}-12` : `${j}-${String(m - 1).padStart(2, '0')}`,
    kwartaal: m <= 3 ? `${j - 1}-Q4` : `${j}-Q${Math.floor((m - 1) / 3)}`,
    halfjaar: m <= 6 ? `${j - 1}-H2` : `${j}-H1`,
    jaar: `${j - 1}`,
  };
  const rijen = ['gemeente;indicator;periode;waarde;teller;noemer'];
  for (const c of codes) {
    for (const i of cat.indicatoren) rijen.push(`${c};${i.id};${vorige[i.periode] || vorige.jaar};;;`);
  }
  return `${rijen.join('\r\n')}\r\n`;
}

export async function toon(ctx) {
  const [cat, gem] = await Promise.all([api.indicatoren(), api.gemeenten()]);
  if (!ctx.actueel()) return;
  const fout = h('p', { class: 'fout', role: 'alert', id: 'lever-fout', hidden: true });
  const uitkomst = h('div', { id: 'rapport', class: 'rapport', 'aria-live': 'polite' });
  const tokenVeld = h('input', { id: 'l-token', name: 'token', type: 'password', autocomplete: 'off',
    value: token, 'aria-describedby': 'l-token-hint' });
  const bestand = h('input', { id: 'l-bestand', name: 'bestand', type: 'file', accept: '.csv,text/csv' });
  const gemeenteVeld = h('input', { id: 'l-gemeenten', name: 'gemeenten', list: 'l-gemeentelijst',
    autocomplete: 'off', 'aria-describedby': 'l-gemeenten-hint' });
  const opslaan = h('button', { type: 'button', id: 'l-opslaan', disabled: true }, 'Opslaan');
  let gecontroleerd = null;
  const toonFout = (e) => { fout.hidden = false; fout.textContent = e.message; };
  const actie = async (proef) => {
    fout.hidden = true;
    token = tokenVeld.value.trim();
    if (!token) { toonFout(new Error('Vul eerst uw token in.')); tokenVeld.focus(); return; }
    const f = bestand.files[0];
    if (!f) { toonFout(new Error('Kies eerst een CSV-bestand.')); bestand.focus(); return; }
    try {
      const r = await stuurBestand(f, proef);
      leeg(uitkomst, rapport(r, !proef));
      gecontroleerd = proef && /^(geaccepteerd|gedeeltelijk)/.test(r.status) ? f : null;
      opslaan.disabled = !gecontroleerd;
      ctx.meld(uitkomst.querySelector('.rapport-kop').textContent);
    } catch (e) {
      if (e.details && e.details.status) leeg(uitkomst, rapport(e.details, false));
      toonFout(e);
    }
  };
  bestand.addEventListener('change', () => { gecontroleerd = null; opslaan.disabled = true; leeg(uitkomst); });
  opslaan.addEventListener('click', () => actie(false));
  const sjabloonKnop = h('button', { type: 'button', id: 'l-sjabloon', class: 'tweede' }, 'Sjabloon downloaden');
  sjabloonKnop.addEventListener('click', () => {
    const codes = gemeenteVeld.value.split(/[,;]/).map((t) => zoekGemeente(gem.gemeenten, t)).filter(Boolean)
      .map((g) => g.code);
    if (!codes.length) { toonFout(new Error('Kies een of meer gemeenten voor het sjabloon.')); gemeenteVeld.focus(); return; }
    fout.hidden = true;
    const a = h('a', { href: URL.createObjectURL(new Blob([sjabloon(cat, codes)], { type: 'text/csv' })),
      download: `sjabloon-${codes.join('-')}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
  });
  const veld = (id, label, invoer, hint) => h('div', { class: 'veld' }, h('label', { for: id }, label), invoer,
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
  leeg(ctx.main,
    h('h1', { tabindex: '-1' }, 'Aanleveren'),
    h('p', { class: 'intro' }, 'Lever cijfers aan als CSV-bestand (zie het sjabloon). U ziet eerst het ',
      'controlerapport; pas na “Opslaan” worden de cijfers bewaard.'),
    h('form', { class: 'aanleveren', 'aria-labelledby': 'l-kop', novalidate: true, onsubmit: (e) => { e.preventDefault(); actie(true); } },
      h('h2', { id: 'l-kop' }, 'Bestand controleren en opslaan'),
      veld('l-token', 'Token', tokenVeld, 'Het token van uw organisatie (begint met bsd_); het blijft alleen op deze pagina.'),
      veld('l-bestand', 'CSV-bestand', bestand),
      h('div', { class: 'knoppen' }, h('button', { type: 'submit', id: 'l-controleer' }, 'Controleren'), ' ', opslaan),
      fout, uitkomst),
    h('section', { 'aria-labelledby': 's-kop' },
      h('h2', { id: 's-kop' }, 'Sjabloon'),
      veld('l-gemeenten', 'Gemeenten', gemeenteVeld, 'Naam of code; meer gemeenten gescheiden door komma’s.'),
      gemeenteLijst('l-gemeentelijst', gem.gemeenten),
      h('p', {}, sjabloonKnop)));
  ctx.main.dataset.view = 'aanleveren';
  ctx.titel('Aanleveren');
  ctx.meld('Aanleveren: token en bestand kiezen.');
}
