// zoek.js — finding a gemeente by what people type: a name in any case,
// without accents or with other dashes ("Sudwest-Fryslan", "sudwest fryslan"),
// the names people use instead of CBS's ("Den Haag", "Den Bosch"), a GM code
// or a bare number. Shared by the comparison and the dashboard, so neither
// loads the other.
import { h } from './dom.js';

// Names in use for gemeenten whose CBS name differs (code → names).
const ALIASSEN = {
  GM0518: ['Den Haag', 'Haag'],
  GM0796: ['Den Bosch', "'s-Hertogenbosch", 'Hertogenbosch'],
  GM0363: ['Mokum'],
};

// "Súdwest-Fryslân" → "sudwest fryslan"; "'s-Gravenhage" → "s gravenhage".
export function normaal(s) {
  return (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[’'`]/g, '').replace(/[\s\-_.()]+/g, ' ').trim();
}

function namen(g) {
  return [g.naam, ...(ALIASSEN[g.code] || [])].map(normaal);
}

// Resolve what the user typed (name, alias, GM code or bare number).
export function zoekGemeente(lijst, tekst) {
  const t = normaal(tekst);
  if (!t) return null;
  const code = /^\d{1,4}$/.test(t) ? `gm${t.padStart(4, '0')}` : t.replace(/\s/g, '');
  return lijst.find((g) => g.code.toLowerCase() === code) ||
    lijst.find((g) => namen(g).includes(t)) ||
    lijst.find((g) => namen(g).some((n) => n.startsWith(t))) || null;
}

// Suggestions: every gemeente, and its other names pointing at it.
export function gemeenteLijst(id, gemeenten) {
  const opties = [];
  for (const g of gemeenten) {
    opties.push(h('option', { value: g.naam }, `${g.code} · ${g.provincie}`));
    for (const a of ALIASSEN[g.code] || []) {
      if (!a.startsWith("'") && a !== 'Haag' && a !== 'Hertogenbosch') {
        opties.push(h('option', { value: a }, `${g.naam} · ${g.code}`));
      }
    }
  }
  return h('datalist', { id }, opties);
}
