// dom.js — building elements without innerHTML, so that names from the data
// (gemeenten such as 's-Hertogenbosch) can never become markup.

// h('a', {href: '/x', class: 'k'}, 'tekst', otherNode)
export function h(tag, attrs = {}, ...kinderen) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  voegToe(el, kinderen);
  return el;
}

function voegToe(el, kinderen) {
  for (const k of kinderen.flat(Infinity)) {
    if (k === null || k === undefined || k === false || k === '') continue;
    el.append(k instanceof Node ? k : String(k));
  }
}

export function leeg(el, ...kinderen) {
  el.replaceChildren();
  voegToe(el, kinderen);
  return el;
}

// A status mark that does not rely on colour: the word itself, shown only
// for values that are not definitief (domain.md §3.7).
export function statusMerk(status) {
  if (!status || status === 'definitief') return null;
  const tekst = status === 'geschat' ? 'geschat' : status;
  return h('span', { class: `merk merk-${status}`, title: status === 'geschat'
    ? 'Geschat: geëxtrapoleerd uit een deel van de periode'
    : 'Voorlopig: kan nog worden gecorrigeerd' }, tekst);
}
