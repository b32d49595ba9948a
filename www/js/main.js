// main.js — start of the dashboard: routes, the page frame (menu, banner,
// status line) and the life cycle of a view render.
import { start } from './router.js';
import { h, leeg } from './dom.js';
import { ApiFout } from './api.js';

const TITEL = 'Basisindicatoren sociaal domein';

// Each page loads only its own modules (and what they import), on first use.
const vergelijk = () => import('./vergelijk.js');
const gemeente = () => import('./gemeente.js');
const indicator = () => import('./indicator.js');
const ROUTES = [
  { pad: /^\/$/, menu: 'vergelijk', view: vergelijk },
  { pad: /^\/gemeente\/?$/, menu: 'gemeente', view: gemeente },
  { pad: /^\/gemeente\/([^/]+)\/factsheet\/?$/, menu: 'gemeente', view: () => import('./factsheet.js') },
  { pad: /^\/gemeente\/([^/]+)\/?$/, menu: 'gemeente', view: gemeente },
  { pad: /^\/indicator\/?$/, menu: 'indicator', view: indicator },
  { pad: /^\/indicator\/([^/]+)\/?$/, menu: 'indicator', view: indicator },
  { pad: /^\/alerts\/?$/, menu: 'alerts', view: () => import('./alerts.js') },
  { pad: /^\/aanleveren\/?$/, menu: 'aanleveren', view: () => import('./aanleveren.js') },
];

const main = document.getElementById('inhoud');
const melding = document.getElementById('melding');
const banner = document.getElementById('synthetisch');

let teller = 0; // number of the render under way; older renders stop
let vorigPad = null;
let synthetischGezien = false;

// The banner appears as soon as any response of this view says
// "synthetisch": true, and disappears only after a view rendered without one.
document.addEventListener('basisd:synthetisch', () => {
  synthetischGezien = true;
  banner.hidden = false;
});

function meld(tekst) {
  melding.textContent = tekst;
}

function zetMenu(naam) {
  for (const a of document.querySelectorAll('[data-menu]')) {
    if (a.dataset.menu === naam) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function toonFout(e) {
  // API errors carry a Dutch message for the user; anything else is a bug in
  // the dashboard: say so in Dutch and leave the details to the console.
  let tekst = e && e.message ? e.message : String(e);
  if (!(e instanceof ApiFout)) {
    console.error(e);
    tekst = 'Het dashboard kon deze pagina niet tonen (interne fout). Probeer het later opnieuw.';
  }
  leeg(main,
    h('h1', { tabindex: '-1' }, 'Er ging iets mis'),
    h('p', { class: 'fout', role: 'alert' }, tekst),
    h('p', {}, h('a', { href: '/' }, 'Naar de landelijke vergelijking')));
  document.title = `Fout — ${TITEL}`;
}

async function bijWissel(route, match, query) {
  const nr = ++teller;
  const eerste = vorigPad === null;
  const nieuwePagina = location.pathname !== vorigPad;
  vorigPad = location.pathname;
  synthetischGezien = false;
  document.body.dataset.status = 'laden';
  zetMenu(route && route.menu);
  meld('Gegevens laden…');
  const ctx = {
    main,
    match,
    query,
    nieuwePagina,
    actueel: () => nr === teller,
    titel: (t) => { document.title = `${t} — ${TITEL}`; },
    meld,
    // The view handled an error itself (the page stays usable).
    mislukt: () => { ctx.fout = true; },
  };
  try {
    if (!route) {
      leeg(main, h('h1', { tabindex: '-1' }, 'Pagina niet gevonden'),
        h('p', {}, 'Deze pagina bestaat niet. ', h('a', { href: '/' }, 'Naar de landelijke vergelijking')));
      ctx.titel('Pagina niet gevonden');
      meld('Pagina niet gevonden.');
    } else {
      const view = await route.view();
      if (!ctx.actueel()) return;
      await view.toon(ctx);
    }
    if (!ctx.actueel()) return;
    if (!synthetischGezien) banner.hidden = true;
    document.body.dataset.status = ctx.fout ? 'fout' : 'klaar';
  } catch (e) {
    if (!ctx.actueel()) return;
    toonFout(e);
    meld(`Fout: ${main.querySelector('.fout').textContent}`);
    document.body.dataset.status = 'fout';
  }
  // A new page moves the focus to its heading, so that screen-reader and
  // keyboard users start there; a refinement of the same page keeps it. The
  // first page of a visit keeps the browser's order (skip link first).
  if (nieuwePagina && !eerste) {
    const kop = main.querySelector('h1');
    if (kop) kop.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
}

start(ROUTES, bijWissel);
