// catalogus.js — the indicator catalogue as the views need it: grouped by
// theme, and values written with their unit.
import { getal, decimalen } from './format.js';

// Names for theme ids the API does not list (the API's "themas" win).
const THEMA_NAAM = {
  uitstroom: 'Uitstroom', participatie: 'Participatieladder', zrm: 'Zelfredzaamheid (ZRM)',
  escalaties: 'Escalaties voorkomen', bestand: 'Bestand', context: 'Context',
  kosten: 'Kosten', samenloop: 'Samenloop',
};

export const SOORT_TEKST = {
  aantal: 'aantal',
  ratio: 'verhouding (teller gedeeld door noemer)',
  gemiddelde: 'gemiddelde (som gedeeld door aantal)',
  verdeling: 'verdeling',
};

export const RICHTING_TEKST = {
  hoger_beter: 'hoger is gunstiger',
  lager_beter: 'lager is gunstiger',
  neutraal: 'geen oordeel: hoger of lager is niet vanzelf beter',
};

// [{id, naam, indicatoren: [...]}] in the API's theme order, then the rest.
export function perThema(lijst, themas = []) {
  const volgorde = themas.map((t) => ({ id: t.id, naam: t.naam, indicatoren: [] }));
  const bijId = new Map(volgorde.map((t) => [t.id, t]));
  for (const ind of lijst) {
    let t = bijId.get(ind.groep);
    if (!t) {
      t = { id: ind.groep, naam: THEMA_NAAM[ind.groep] || ind.groep, indicatoren: [] };
      bijId.set(ind.groep, t);
      volgorde.push(t);
    }
    t.indicatoren.push(ind);
  }
  return volgorde.filter((t) => t.indicatoren.length > 0);
}

// A value of this indicator as text: "21,7%", "38.211", "2,85".
export function waardeTekst(ind, v) {
  if (v === null || v === undefined) return '–';
  return getal(v, decimalen(ind), ind.soort !== 'aantal') + (+ind.schaal === 100 ? '%' : '');
}

// Merge the short indicator object of a response with the catalogue entry.
export function volledig(ind, catalogus) {
  const c = catalogus && catalogus.indicatoren
    ? catalogus.indicatoren.find((x) => x.id === ind.id) : null;
  return { ...(c || {}), ...ind };
}
