// format.js — Dutch formatting of numbers, periods and denominators.
// Written by hand instead of Intl.NumberFormat so that the output is the same
// in every browser and can be mirrored exactly by the browser test.

const MAANDEN = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli',
  'augustus', 'september', 'oktober', 'november', 'december'];

// Plural of the catalogue's units; "euro" has no plural in Dutch.
const MEERVOUD = {
  uitkering: 'uitkeringen', persoon: 'personen', huishouden: 'huishoudens',
  casus: 'casussen', euro: 'euro', score: 'scores', trede: 'treden',
  inwoner: 'inwoners', client: 'cliënten', 'cliënt': 'cliënten',
};

// 12345.678 → "12.345,7" with at most `maxDec` decimals (trailing zeros
// dropped) or exactly `dec` decimals when `fixed` is true.
export function getal(x, maxDec = 1, fixed = false) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  const neg = x < 0;
  let s = Math.abs(x).toFixed(maxDec);
  if (!fixed && s.includes('.')) s = s.replace(/\.?0+$/, '');
  let [int, frac] = s.split('.');
  int = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  // No "-0": a value that rounds to zero has no sign.
  return (neg && /[1-9]/.test(s) ? '-' : '') + int + (frac ? ',' + frac : '');
}

// Signed difference: "+1,2" / "-0,4" / "0".
export function verschil(x, dec = 1) {
  const s = getal(x, dec, dec > 0);
  return x > 0 ? '+' + s : s;
}

export function euro(x) {
  if (x === null || x === undefined) return '–';
  return '€ ' + getal(Math.round(x), 0);
}

export function meervoud(eenheid) {
  return MEERVOUD[eenheid] || eenheid || '';
}

// Period notation of the API ("2024-12", "2024-Q4", "2024-H2", "2024") in
// Dutch words. Unknown notations are shown as they are.
export function periode(p) {
  if (!p) return '';
  let m;
  if ((m = /^(\d{4})-(\d{2})$/.exec(p))) return `${MAANDEN[+m[2] - 1]} ${m[1]}`;
  if ((m = /^(\d{4})-Q(\d)$/.exec(p))) return `${m[2]}e kwartaal ${m[1]}`;
  if ((m = /^(\d{4})-H(\d)$/.exec(p))) return `${m[2]}e halfjaar ${m[1]}`;
  return p;
}

// The periods of one kind from `laatste` back to `vanaf` (a year), newest
// first: the choices in the periode selector.
export function periodes(soort, laatste, vanaf) {
  const out = [];
  const m = /^(\d{4})(?:-(Q|H)?(\d{1,2}))?$/.exec(laatste || '');
  if (!m) return laatste ? [laatste] : out;
  let jaar = +m[1];
  let k = m[3] ? +m[3] : 1;
  const perJaar = { maand: 12, kwartaal: 4, halfjaar: 2, jaar: 1 }[soort] || 1;
  const fmt = {
    maand: (j, n) => `${j}-${String(n).padStart(2, '0')}`,
    kwartaal: (j, n) => `${j}-Q${n}`,
    halfjaar: (j, n) => `${j}-H${n}`,
    jaar: (j) => `${j}`,
  }[soort] || ((j) => `${j}`);
  while (jaar >= vanaf && out.length < 240) {
    out.push(fmt(jaar, k));
    if (--k < 1) { k = perJaar; jaar--; }
  }
  return out;
}

// The previous year of a period ("2025-12" → "2024-12"); for the uitstroom
// benchmark the last complete year is the period's year when the period is
// the last of its year, else the year before.
export function volledigJaar(p) {
  const m = /^(\d{4})(?:-(\d{2}|Q4|H2|Q\d|H\d))?$/.exec(p || '');
  if (!m) return null;
  const jaar = +m[1];
  const laatste = !m[2] || m[2] === '12' || m[2] === 'Q4' || m[2] === 'H2';
  return laatste ? jaar : jaar - 1;
}

// "26 van 120 uitkeringen" — the denominator under every figure
// (domain.md §3.4). Returns '' when there is nothing to say.
export function noemerTekst(ind, obs) {
  if (!obs || obs.teller === null || obs.teller === undefined ||
      obs.noemer === null || obs.noemer === undefined) return '';
  const t = getal(obs.teller);
  const n = getal(obs.noemer);
  if (ind.soort === 'gemiddelde') {
    return `gemiddelde over ${n} ${ind.noemer || 'metingen'}`;
  }
  if (+ind.schaal === 100) return `${t} van ${n} ${meervoud(ind.eenheid)}`;
  return `${t} ${meervoud(ind.eenheid)} op ${n} ${ind.noemer || ''}`.trim();
}

// Decimals to show for a value of this indicator.
export function decimalen(ind) {
  if (ind.soort === 'aantal') return 0;
  if (ind.soort === 'gemiddelde') return 2;
  return 1;
}

// Difference of two observations in words: "+1,2 procentpunt" for
// percentages, "+312 (+0,8%)" for counts. Null when not comparable.
export function verandering(ind, nu, toen) {
  if (!nu || !toen || nu.waarde === null || toen.waarde === null ||
      nu.waarde === undefined || toen.waarde === undefined) return null;
  const d = nu.waarde - toen.waarde;
  let tekst;
  if (+ind.schaal === 100 && ind.soort === 'ratio') {
    tekst = `${verschil(d, 1)} procentpunt`;
  } else if (ind.soort === 'aantal' && toen.waarde !== 0) {
    tekst = `${verschil(d, 0)} (${verschil((d / toen.waarde) * 100, 1)}%)`;
  } else {
    tekst = verschil(d, decimalen(ind));
  }
  // A change that rounds to zero on screen is shown as no change: no arrow
  // and no judgement the reader cannot see in the number.
  const teken = /[1-9]/.test(tekst.split(' ')[0]) ? Math.sign(d) : 0;
  const richting = teken > 0 ? 'hoger' : teken < 0 ? 'lager' : 'gelijk';
  let oordeel = 'neutraal';
  if (teken && ind.richting === 'hoger_beter') oordeel = teken > 0 ? 'gunstig' : 'ongunstig';
  if (teken && ind.richting === 'lager_beter') oordeel = teken < 0 ? 'gunstig' : 'ongunstig';
  // Too small a change to judge (the catalogue's oordeel_drempel, percent
  // of the earlier value; domain §3.9): shown, not called (on)gunstig.
  const drempel = ind.oordeel_drempel === undefined ? 5 : +ind.oordeel_drempel;
  if (toen.waarde === 0 || Math.abs(d / toen.waarde) * 100 < drempel) oordeel = 'neutraal';
  return { verschil: d, tekst, richting, oordeel };
}

export const STATUS_TEKST = {
  definitief: 'definitief',
  voorlopig: 'voorlopig',
  geschat: 'geschat (geëxtrapoleerd)',
};
