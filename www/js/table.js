// table.js — a small sortable table: real <button>s in the column headers,
// aria-sort on the sorted column, empty values always last, a <caption>.
import { h } from './dom.js';

// kolommen: [{sleutel, label, soort: 'getal'|'tekst', waarde(rij) → sort key,
//             toon(rij) → Node|string, rijkop: bool, klasse}]
// opties: {bijschrift, sorteer: {sleutel, op: bool}, bijSorteren(sleutel, op),
//          rijAttrs(rij) → attrs of the <tr>}
export function sorteerTabel(kolommen, rijen, opties = {}) {
  let sorteer = opties.sorteer || null;
  const tbody = h('tbody');
  const koppen = kolommen.map((k) => kop(k));
  const tabel = h('table', { class: 'tabel' },
    h('caption', {}, opties.bijschrift || ''),
    h('thead', {}, h('tr', {}, koppen)),
    tbody);

  function kop(k) {
    if (k.sorteerbaar === false) return h('th', { scope: 'col', class: k.klasse }, k.label);
    const knop = h('button', { type: 'button', class: 'sorteer', onclick: () => kies(k.sleutel) },
      k.label, h('span', { class: 'pijl', 'aria-hidden': 'true' }));
    return h('th', { scope: 'col', class: k.klasse, dataset: { sleutel: k.sleutel } }, knop);
  }

  function kies(sleutel) {
    const op = sorteer && sorteer.sleutel === sleutel ? !sorteer.op : true;
    sorteer = { sleutel, op };
    teken();
    if (opties.bijSorteren) opties.bijSorteren(sleutel, op);
  }

  function volgorde() {
    if (!sorteer) return rijen;
    const k = kolommen.find((c) => c.sleutel === sorteer.sleutel);
    if (!k) return rijen;
    const waarde = k.waarde || ((r) => r[k.sleutel]);
    const leegte = (v) => v === null || v === undefined || v === '' || Number.isNaN(v);
    const vergelijk = k.soort === 'tekst'
      ? (a, b) => String(a).localeCompare(String(b), 'nl', { sensitivity: 'base' })
      : (a, b) => a - b;
    return rijen.map((r, i) => [r, waarde(r), i]).sort((x, y) => {
      const lx = leegte(x[1]);
      const ly = leegte(y[1]);
      if (lx || ly) return lx === ly ? x[2] - y[2] : lx ? 1 : -1; // empty last
      const c = vergelijk(x[1], y[1]);
      return (sorteer.op ? c : -c) || x[2] - y[2];
    }).map((x) => x[0]);
  }

  function teken() {
    koppen.forEach((th, i) => {
      const k = kolommen[i];
      if (k.sorteerbaar === false) return;
      const actief = sorteer && sorteer.sleutel === k.sleutel;
      if (actief) th.setAttribute('aria-sort', sorteer.op ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
      th.querySelector('.pijl').textContent = actief ? (sorteer.op ? ' ▲' : ' ▼') : ' ↕';
    });
    tbody.replaceChildren(...volgorde().map((r) => h('tr', opties.rijAttrs ? opties.rijAttrs(r) : {},
      kolommen.map((k) => h(k.rijkop ? 'th' : 'td', {
        scope: k.rijkop ? 'row' : null,
        class: k.klasse,
        dataset: { kolom: k.sleutel },
      }, k.toon ? k.toon(r) : r[k.sleutel])))));
  }

  teken();
  // A scrollable region must be reachable by keyboard (WCAG 2.1.1).
  return h('div', { class: 'tabel-wrap', tabindex: '0', role: 'region',
    'aria-label': opties.bijschrift || 'Tabel' }, tabel);
}
