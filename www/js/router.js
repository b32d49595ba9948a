// router.js — client routes on the History API. The URL is the whole state of
// a view (path + query string), so every view can be shared as a link and the
// back button works; the daemon serves index.html for these paths.

let routes = [];
let bijWissel = null;

// routeTabel: [{pad: RegExp, view: fn(match, query)}]; bij: called with
// (route, match, URLSearchParams) on every change.
export function start(routeTabel, bij) {
  routes = routeTabel;
  bijWissel = bij;
  document.addEventListener('click', onKlik);
  window.addEventListener('popstate', () => wissel());
  wissel();
}

// Go to an internal URL. `vervang` replaces the history entry (for state
// that is a refinement of the current view, such as the sort order).
export function ga(adres, { vervang = false, stil = false } = {}) {
  const doel = new URL(adres, location.href);
  const nu = location.pathname + location.search;
  if (doel.pathname + doel.search === nu && !vervang) return;
  history[vervang ? 'replaceState' : 'pushState']({}, '', doel.pathname + doel.search + doel.hash);
  if (!stil) wissel();
}

// Update only the query string of the current view.
export function zetQuery(params, opties = {}) {
  const q = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') q.delete(k);
    else q.set(k, v);
  }
  const s = q.toString();
  ga(location.pathname + (s ? `?${s}` : ''), opties);
}

// The target of a link: HTML <a> and SVG <a> (the map) alike; the SVG one
// has no origin or pathname of its own.
function doel(a) {
  return a ? new URL(a.getAttribute('href'), location.href) : null;
}

function intern(a, u) {
  if (!a || a.getAttribute('target') || a.hasAttribute('download') || u.origin !== location.origin) return false;
  return !/^\/(api|chart)\//.test(u.pathname);
}

function onKlik(e) {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest('a[href]');
  const u = doel(a);
  if (!intern(a, u)) return;
  if (u.pathname === location.pathname && u.search === location.search && u.hash) return;
  e.preventDefault();
  ga(u.href);
}

function wissel() {
  const pad = location.pathname;
  for (const r of routes) {
    const m = r.pad.exec(pad);
    if (m) {
      bijWissel(r, m, new URLSearchParams(location.search));
      return;
    }
  }
  bijWissel(null, null, new URLSearchParams(location.search));
}
