// hadath dashboard: map, timeline, filters, table and event panel over the hadath HTTP API.
// Plain ES2020 module, no build step, no network beyond the hadath server itself.
// Data flow: URL hash (filters) -> refreshAll() -> /api/events (table page + map points) and
// /api/stats (timeline, legend counts) -> render*(). Every DOM node holding data is built with
// createElement/textContent; nothing from the API is ever parsed as HTML.
// Offsets in the API are Unicode code points: strings are sliced through Array.from().

const TYPES = [
  'AGREE', 'CONSULT', 'SUPPORT', 'CONCEDE', 'COOPERATE', 'AID', 'RETREAT', 'REQUEST',
  'ACCUSE', 'REJECT', 'THREATEN', 'PROTEST', 'SANCTION', 'MOBILIZE', 'COERCE', 'ASSAULT',
];
const COLORS = {
  AGREE: '#2e7d32', CONSULT: '#7cb342', SUPPORT: '#00897b', CONCEDE: '#b5c934',
  COOPERATE: '#0277bd', AID: '#4fc3f7', RETREAT: '#7986cb', REQUEST: '#9575cd',
  ACCUSE: '#ffb300', REJECT: '#fb8c00', THREATEN: '#e65100', PROTEST: '#d81b60',
  SANCTION: '#8d6e63', MOBILIZE: '#546e7a', COERCE: '#8e24aa', ASSAULT: '#c62828',
};
const OTHER_COLOR = '#9e9e9e';
const HL_KINDS = ['trigger', 'actor', 'recipient', 'place', 'date', 'quantity', 'source'];
const FILTER_KEYS = ['type', 'country', 'from', 'to', 'actor', 'lang', 'q'];
const MAP_LIMIT = 1000; // the API's maximum page size
const DAY_MS = 86400000;
const SVG_NS = 'http://www.w3.org/2000/svg';

const $ = (sel) => document.querySelector(sel);
const typeColor = (t) => COLORS[t] || OTHER_COLOR;

// ---------------------------------------------------------------- state and URL hash

const state = {
  type: [], country: '', from: '', to: '', actor: '', lang: '', q: '',
  sort: '-date', offset: 0, limit: 50, event: null,
};
let lastFilterKey = null;
let lastTableKey = null;
let lastEvent = null;

function readHash() {
  const p = new URLSearchParams(location.hash.replace(/^#/, ''));
  state.type = (p.get('type') || '').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  for (const k of ['country', 'from', 'to', 'actor', 'lang', 'q']) state[k] = p.get(k) || '';
  state.sort = p.get('sort') || '-date';
  state.offset = Math.max(0, parseInt(p.get('offset') || '0', 10) || 0);
  const lim = parseInt(p.get('limit') || '50', 10);
  state.limit = [25, 50, 100, 250].includes(lim) ? lim : 50;
  const ev = p.get('event');
  state.event = ev && /^\d+$/.test(ev) ? ev : null;
}

function hashFor(s) {
  const p = new URLSearchParams();
  if (s.type.length) p.set('type', s.type.join(','));
  for (const k of ['country', 'from', 'to', 'actor', 'lang', 'q']) if (s[k]) p.set(k, s[k]);
  if (s.sort !== '-date') p.set('sort', s.sort);
  if (s.offset) p.set('offset', String(s.offset));
  if (s.limit !== 50) p.set('limit', String(s.limit));
  if (s.event) p.set('event', s.event);
  return '#' + p.toString();
}

function setState(patch, { resetPage = true } = {}) {
  Object.assign(state, patch);
  if (resetPage) state.offset = 0;
  const h = hashFor(state);
  if (location.hash !== h && !(h === '#' && location.hash === '')) location.hash = h;
  // Applied at once, so the page is loading from the action that changed it (the hashchange
  // event that follows finds nothing new).
  onHash();
}

function filterParams(withDates = true) {
  const p = new URLSearchParams();
  if (state.type.length) p.set('type', state.type.join(','));
  for (const k of ['country', 'actor', 'lang', 'q']) if (state[k]) p.set(k, state[k]);
  if (withDates) {
    if (state.from) p.set('from', state.from);
    if (state.to) p.set('to', state.to);
  }
  return p;
}

function withParams(base, extra) {
  const p = new URLSearchParams(base);
  for (const [k, v] of Object.entries(extra)) p.set(k, String(v));
  return p;
}

const hasFilters = () => FILTER_KEYS.some((k) => (Array.isArray(state[k]) ? state[k].length : state[k]));

function onHash() {
  readHash();
  syncControls();
  const fk = filterParams(true).toString();
  const tk = `${state.sort}|${state.offset}|${state.limit}`;
  if (fk !== lastFilterKey) {
    lastFilterKey = fk;
    lastTableKey = tk;
    refreshAll();
  } else if (tk !== lastTableKey) {
    lastTableKey = tk;
    refreshTable();
  }
  if (state.event !== lastEvent) {
    lastEvent = state.event;
    if (state.event) loadEvent(state.event);
    else showOverview();
  }
}

// ---------------------------------------------------------------- API

async function api(path, params) {
  const qs = params ? params.toString() : '';
  const url = qs ? `${path}?${qs}` : path;
  let res;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new Error(`Cannot reach the hadath server for ${path}: ${e.message}`);
  }
  const text = await res.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (_) { body = null; }
  if (!res.ok) {
    const msg = body && typeof body.error === 'string' ? body.error : `HTTP ${res.status} ${res.statusText}`;
    throw new Error(`${path}: ${msg}`);
  }
  if (body === null || typeof body !== 'object') throw new Error(`${path}: the server did not answer with JSON`);
  return body;
}

function showError(msg) {
  $('#error-text').textContent = msg;
  $('#error').hidden = false;
}
function clearError() { $('#error').hidden = true; }

// ---------------------------------------------------------------- DOM helpers

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (attrs) setAttrs(e, attrs);
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}
function sv(tag, attrs, parent) {
  const e = document.createElementNS(SVG_NS, tag);
  if (attrs) setAttrs(e, attrs);
  if (parent) parent.appendChild(e);
  return e;
}
function setAttrs(e, attrs) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') e.textContent = String(v);
    else if (k === 'style' && typeof v === 'object') Object.assign(e.style, v);
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, String(v));
  }
}
function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
function swatch(type) { return el('span', { class: 'swatch', style: { background: typeColor(type) } }); }
function code(s) { return el('span', { class: 'code' }, s); }
const fmtInt = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : '—');
const fmtConf = (c) => (typeof c === 'number' ? c.toFixed(2) : '—');
const cps = (s) => Array.from(typeof s === 'string' ? s : '');

function actorNode(a) {
  if (!a) return el('span', { class: 'muted' }, '—');
  const wrap = el('span');
  if (a.text) wrap.append(el('span', { dir: 'auto' }, a.text), ' ');
  if (a.code) wrap.append(code(a.code));
  return wrap;
}
function dateText(e) {
  if (!e.date) return '—';
  let s = e.date;
  if (e.date_end && e.date_end !== e.date) s += ` → ${e.date_end}`;
  return s;
}
function countryName(iso2) { return (iso2 && countryNames.get(iso2)) || ''; }

// ---------------------------------------------------------------- filters bar

const countryNames = new Map(); // ISO2 -> name, from the basemap
let statsByType = new Map();

function buildFilterControls() {
  const opts = $('#filter-type-options');
  for (const t of TYPES) {
    const cb = el('input', { type: 'checkbox', value: t, name: 'type' });
    cb.addEventListener('change', () => {
      const sel = Array.from(opts.querySelectorAll('input:checked')).map((i) => i.value);
      setState({ type: sel });
    });
    opts.append(el('label', { title: t }, cb, swatch(t), t, el('span', { class: 'n', 'data-type': t })));
  }
  $('#filter-type-all').addEventListener('click', () => setState({ type: [] }));
  $('#filter-type-none').addEventListener('click', () => setState({ type: [] }));
  document.addEventListener('click', (ev) => {
    const d = $('#filter-type');
    if (d.open && !d.contains(ev.target)) d.open = false;
  });
  const onText = (id, key, transform) => {
    const input = $(id);
    input.addEventListener('change', () => {
      const v = transform(input.value.trim());
      if (v !== state[key]) setState({ [key]: v });
    });
  };
  const upper = (v) => v.toUpperCase().replace(/\s+/g, '');
  onText('#filter-country', 'country', upper);
  onText('#filter-actor', 'actor', upper);
  onText('#filter-from', 'from', (v) => v);
  onText('#filter-to', 'to', (v) => v);
  onText('#filter-q', 'q', (v) => v);
  let qTimer = null;
  $('#filter-q').addEventListener('input', () => {
    clearTimeout(qTimer);
    qTimer = setTimeout(() => {
      const v = $('#filter-q').value.trim();
      if (v !== state.q) setState({ q: v });
    }, 450);
  });
  $('#filter-lang').addEventListener('change', () => setState({ lang: $('#filter-lang').value }));
  $('#filter-clear').addEventListener('click', () =>
    setState({ type: [], country: '', from: '', to: '', actor: '', lang: '', q: '' }));
  $('#filters').addEventListener('submit', (ev) => ev.preventDefault());
  $('#error-close').addEventListener('click', clearError);
  $('#timeline-clear').addEventListener('click', () => setState({ from: '', to: '' }));
  $('#page-size').addEventListener('change', () => setState({ limit: parseInt($('#page-size').value, 10) || 50 }));
  $('#page-prev').addEventListener('click', () =>
    setState({ offset: Math.max(0, state.offset - state.limit) }, { resetPage: false }));
  $('#page-next').addEventListener('click', () =>
    setState({ offset: state.offset + state.limit }, { resetPage: false }));
}

function syncControls() {
  for (const cb of document.querySelectorAll('#filter-type-options input')) cb.checked = state.type.includes(cb.value);
  $('#filter-type-summary').textContent = state.type.length === 0 ? 'all'
    : state.type.length <= 2 ? state.type.join(', ') : `${state.type.length} types`;
  const setVal = (id, v) => { const i = $(id); if (document.activeElement !== i || i.value === '') i.value = v; };
  setVal('#filter-country', state.country);
  setVal('#filter-actor', state.actor);
  $('#filter-from').value = state.from;
  $('#filter-to').value = state.to;
  $('#filter-lang').value = state.lang;
  if (document.activeElement !== $('#filter-q')) $('#filter-q').value = state.q;
  $('#page-size').value = String(state.limit);
  $('#filter-clear').disabled = !hasFilters();
  $('#timeline-clear').disabled = !(state.from || state.to);
  const fp = filterParams(true).toString();
  $('#export-csv').href = '/api/events.csv' + (fp ? `?${fp}` : '');
  $('#export-geojson').href = '/api/events.geojson' + (fp ? `?${fp}` : '');
}

// ---------------------------------------------------------------- refresh

let refreshGen = 0;
let tableGen = 0;
let mapEvents = [];
let mapTotal = 0;
let tableRows = [];
let stats = null;
let ctxStats = null;
let firstLoad = true;

async function refreshAll() {
  const gen = ++refreshGen;
  const tgen = ++tableGen;
  document.body.dataset.state = 'loading';
  const fp = filterParams(true);
  const dated = Boolean(state.from || state.to);
  try {
    const [page, mapData, st, ctx] = await Promise.all([
      api('/api/events', withParams(fp, { limit: state.limit, offset: state.offset, sort: state.sort })),
      api('/api/events', withParams(fp, { limit: MAP_LIMIT, offset: 0, sort: '-date' })),
      api('/api/stats', fp),
      dated ? api('/api/stats', filterParams(false)) : Promise.resolve(null),
    ]);
    if (gen !== refreshGen) return;
    clearError();
    stats = st;
    ctxStats = ctx || st;
    mapEvents = Array.isArray(mapData.events) ? mapData.events : [];
    mapTotal = typeof mapData.total === 'number' ? mapData.total : mapEvents.length;
    statsByType = new Map((st.by_type || []).map((r) => [r.type, r.n]));
    // A table re-query started since (a sort or a page) owns the table and the ready state:
    // this answer's table is older.
    const tableCurrent = tgen === tableGen;
    if (tableCurrent) renderTable(page);
    renderLegend();
    renderCountryShading();
    if (firstLoad && mapEvents.some(hasCoords)) { firstLoad = false; fitEvents(); } else renderMarkers();
    renderTimeline();
    renderEmptyState();
    if (!state.event) showOverview();
    if (tableCurrent) document.body.dataset.state = 'ready';
  } catch (e) {
    if (gen !== refreshGen) return;
    showError(e.message);
    document.body.dataset.state = 'error';
    // Do not leave the previous results on screen as if they matched the new filters.
    mapEvents = []; mapTotal = 0; stats = null; ctxStats = null;
    clear($('#events-table tbody'));
    $('#events-table').dataset.total = '';
    $('#table-info').textContent = 'not loaded';
    $('#table-empty').hidden = true;
    renderMarkers();
    renderTimeline();
    if (!state.event) {
      const body = $('#panel-body');
      clear(body);
      body.append(el('p', { class: 'placeholder' }, 'The events could not be loaded: ', el('span', { class: 'err' }, e.message)));
    }
  }
}

async function refreshTable() {
  const gen = ++tableGen;
  document.body.dataset.state = 'loading';
  try {
    const page = await api('/api/events',
      withParams(filterParams(true), { limit: state.limit, offset: state.offset, sort: state.sort }));
    if (gen !== tableGen) return;
    clearError();
    renderTable(page);
    document.body.dataset.state = 'ready';
  } catch (e) {
    if (gen !== tableGen) return;
    showError(e.message);
    document.body.dataset.state = 'error';
  }
}

function renderEmptyState() {
  const box = $('#map-empty');
  clear(box);
  const total = stats ? stats.total : 0;
  if (total === 0 && !hasFilters()) {
    box.append(el('div', null, 'No events yet — run ', el('code', null, 'hadath ingest <folder>'),
      ' to load documents, then reload this page.'));
    box.hidden = false;
  } else if (total === 0) {
    box.append(el('div', null, 'No events match these filters.'));
    box.hidden = false;
  } else if (!mapEvents.some(hasCoords)) {
    box.append(el('div', null, 'None of these events has a location.'));
    box.hidden = false;
  } else box.hidden = true;
}

// ---------------------------------------------------------------- table

const COLUMNS = [
  { key: 'date', label: 'Date', sort: 'date', cell: (e) => dateText(e) },
  { key: 'type', label: 'Type / mode', cell: (e) => el('span', { class: 'type-badge' }, swatch(e.type), e.type || '—',
    e.mode ? el('span', { class: 'mode' }, e.mode) : null) },
  { key: 'actor1', label: 'Actor 1', cell: (e) => actorNode(e.actor1) },
  { key: 'actor2', label: 'Actor 2', cell: (e) => actorNode(e.actor2) },
  { key: 'location', label: 'Location', cell: (e) => el('span', { dir: 'auto' }, e.location || '—') },
  { key: 'country', label: 'Country', cell: (e) => el('span', { title: countryName(e.country) }, e.country || '—') },
  { key: 'n_sources', label: 'Sources', sort: 'n_sources', num: true, cell: (e) => fmtInt(e.n_sources) },
  { key: 'confidence', label: 'Confidence', sort: 'confidence', num: true, cell: (e) => {
    const c = typeof e.confidence === 'number' ? Math.max(0, Math.min(1, e.confidence)) : 0;
    return el('span', null, fmtConf(e.confidence), el('span', { class: 'conf' }, el('span', { style: { width: `${c * 100}%` } })));
  } },
  { key: 'summary', label: 'Summary', cls: 'summary', auto: true, cell: (e) => el('span', { title: e.summary || '' }, e.summary || '') },
];

function buildTableHead() {
  const tr = $('#events-table thead tr');
  for (const c of COLUMNS) {
    const th = el('th', { scope: 'col', 'data-key': c.key, class: [c.sort ? 'sortable' : '', c.num ? 'num' : ''].join(' ').trim() || null },
      c.label, el('span', { class: 'arrow' }));
    if (c.sort) {
      th.tabIndex = 0;
      const go = () => {
        const cur = state.sort;
        const next = cur === `-${c.sort}` ? c.sort : `-${c.sort}`;
        setState({ sort: next });
      };
      th.addEventListener('click', go);
      th.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); go(); } });
    }
    tr.append(th);
  }
}

function renderTable(page) {
  const events = Array.isArray(page.events) ? page.events : [];
  const total = typeof page.total === 'number' ? page.total : events.length;
  tableRows = events;
  const tbody = $('#events-table tbody');
  clear(tbody);
  for (const e of events) {
    const tr = el('tr', { 'data-id': e.id, tabindex: 0 });
    if (String(e.id) === state.event) tr.classList.add('selected');
    for (const c of COLUMNS) tr.append(el('td', { class: [c.num ? 'num' : '', c.cls || ''].join(' ').trim() || null, dir: c.auto ? 'auto' : null }, c.cell(e)));
    tr.addEventListener('click', () => selectEvent(e.id));
    tr.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') selectEvent(e.id); });
    tbody.append(tr);
  }
  const table = $('#events-table');
  table.dataset.total = String(total);
  for (const th of document.querySelectorAll('#events-table th')) {
    const c = COLUMNS.find((x) => x.key === th.dataset.key);
    const arrow = th.querySelector('.arrow');
    if (c && c.sort && (state.sort === c.sort || state.sort === `-${c.sort}`)) {
      arrow.textContent = state.sort.startsWith('-') ? '▼' : '▲';
      th.setAttribute('aria-sort', state.sort.startsWith('-') ? 'descending' : 'ascending');
    } else {
      arrow.textContent = '';
      th.removeAttribute('aria-sort');
    }
  }
  const from = events.length ? state.offset + 1 : 0;
  $('#table-info').textContent = total === 0 ? 'no events'
    : `${fmtInt(from)}–${fmtInt(state.offset + events.length)} of ${fmtInt(total)}`;
  $('#page-prev').disabled = state.offset <= 0;
  $('#page-next').disabled = state.offset + events.length >= total;
  const empty = $('#table-empty');
  clear(empty);
  if (events.length === 0) {
    if (total === 0 && !hasFilters()) {
      empty.append('No events yet — run ', el('code', null, 'hadath ingest <folder>'), ' to load documents.');
    } else if (total === 0) {
      empty.append('No events match these filters. ', el('button', { type: 'button', class: 'btn sm', onclick: () => $('#filter-clear').click() }, 'Clear filters'));
    } else {
      empty.append('No rows on this page. ', el('button', { type: 'button', class: 'btn sm', onclick: () => setState({ offset: 0 }, { resetPage: false }) }, 'First page'));
    }
    empty.hidden = false;
  } else empty.hidden = true;
}

// ---------------------------------------------------------------- map

const map = {
  k: 2, tx: 0, ty: 0, w: 800, h: 400, ready: false, countries: [], raf: 0,
  minK: 1, maxK: 400,
};
const hasCoords = (e) => typeof e.lat === 'number' && typeof e.lon === 'number'
  && Number.isFinite(e.lat) && Number.isFinite(e.lon);

function decodeTopology(topo) {
  const [sx, sy] = topo.transform.scale;
  const [tx, ty] = topo.transform.translate;
  const arcs = topo.arcs.map((arc) => {
    let x = 0; let y = 0;
    return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
  });
  const ring = (idx) => {
    const pts = [];
    idx.forEach((i, n) => {
      const a = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
      if (!a) return;
      for (let j = n === 0 ? 0 : 1; j < a.length; j++) pts.push(a[j]);
    });
    return pts;
  };
  const draw = (pts, shift) => 'M' + pts.map(([lon, lat]) => `${(lon + shift).toFixed(2)} ${(-lat).toFixed(2)}`).join('L') + 'Z';
  // Rings that cross the antimeridian (Russia, Fiji) jump by ~360 degrees: unwrap them so they
  // run past +-180 and draw a second copy shifted by 360 degrees for the other edge. A ring that
  // goes round a pole (Antarctica) does not close once unwrapped and is drawn as it is.
  const pathOf = (rings) => rings.map((r) => {
    const raw = ring(r);
    if (raw.length < 3) return '';
    let off = 0; let prevX = null; let min = Infinity; let max = -Infinity;
    const pts = raw.map(([lon, lat]) => {
      if (prevX !== null) {
        const d = lon + off - prevX;
        if (d > 180) off -= 360; else if (d < -180) off += 360;
      }
      const x = lon + off;
      prevX = x; min = Math.min(min, x); max = Math.max(max, x);
      return [x, lat];
    });
    if (Math.abs(pts[pts.length - 1][0] - pts[0][0]) > 180) return draw(raw, 0);
    let d = draw(pts, 0);
    if (max > 180) d += draw(pts, -360);
    if (min < -180) d += draw(pts, 360);
    return d;
  }).join('');
  const out = [];
  for (const g of topo.objects.countries.geometries) {
    let d = '';
    if (g.type === 'Polygon') d = pathOf(g.arcs);
    else if (g.type === 'MultiPolygon') d = g.arcs.map(pathOf).join('');
    if (!d) continue;
    out.push({ d, name: (g.properties && g.properties.name) || '', iso2: (g.properties && g.properties.iso2) || null });
  }
  return out;
}

async function loadBasemap() {
  try {
    const res = await fetch('/assets/countries.json');
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const topo = await res.json();
    map.countries = decodeTopology(topo);
  } catch (e) {
    showError(`The basemap /assets/countries.json could not be loaded (${e.message}); markers are drawn without borders.`);
    map.countries = [];
  }
  const g = $('#map-countries');
  clear(g);
  const list = $('#country-list');
  const names = [];
  for (const c of map.countries) {
    const p = sv('path', { d: c.d, class: 'country', 'data-iso2': c.iso2 }, g);
    sv('title', { text: c.iso2 ? `${c.name} (${c.iso2})` : c.name }, p);
    c.el = p;
    if (c.iso2 && !countryNames.has(c.iso2)) { countryNames.set(c.iso2, c.name); names.push([c.iso2, c.name]); }
  }
  names.sort((a, b) => a[1].localeCompare(b[1]));
  for (const [iso, name] of names) list.append(el('option', { value: iso }, name));
  map.ready = true;
  applyTransform();
  renderCountryShading();
}

function measureMap() {
  const box = $('#map').getBoundingClientRect();
  map.w = Math.max(100, box.width);
  map.h = Math.max(100, box.height);
  map.minK = Math.min(map.w / 360, map.h / 180) * 0.9;
}

function worldView() {
  measureMap();
  map.k = Math.min(map.w / 360, map.h / 170);
  map.tx = map.w / 2;
  map.ty = map.h / 2 + 8 * map.k; // centre a little north of the equator
  applyTransform();
}

function fitEvents() {
  measureMap();
  const pts = mapEvents.filter(hasCoords);
  if (!pts.length) { worldView(); return; }
  let x0 = Infinity; let x1 = -Infinity; let y0 = Infinity; let y1 = -Infinity;
  for (const e of pts) { x0 = Math.min(x0, e.lon); x1 = Math.max(x1, e.lon); y0 = Math.min(y0, -e.lat); y1 = Math.max(y1, -e.lat); }
  const pad = 36;
  const legendH = ($('#legend').getBoundingClientRect().height || 0) + 16; // keep markers clear of the legend
  const spanX = Math.max(x1 - x0, 12); const spanY = Math.max(y1 - y0, 8);
  const availH = map.h - pad - Math.max(pad, legendH);
  map.k = Math.max(map.minK, Math.min((map.w - 2 * pad) / spanX, availH / spanY, 60));
  map.tx = map.w / 2 - ((x0 + x1) / 2) * map.k;
  map.ty = pad + availH / 2 - ((y0 + y1) / 2) * map.k;
  applyTransform();
}

function clampView() {
  // Keep some of the world on screen.
  const left = -180 * map.k + map.tx; const right = 180 * map.k + map.tx;
  const top = -90 * map.k + map.ty; const bottom = 90 * map.k + map.ty;
  const m = 60;
  if (right < m) map.tx += m - right;
  if (left > map.w - m) map.tx -= left - (map.w - m);
  if (bottom < m) map.ty += m - bottom;
  if (top > map.h - m) map.ty -= top - (map.h - m);
}

function applyTransform() {
  clampView();
  $('#map-countries').setAttribute('transform', `translate(${map.tx.toFixed(2)} ${map.ty.toFixed(2)}) scale(${map.k.toFixed(5)})`);
  scheduleMarkers();
}

function zoomAt(px, py, factor) {
  const k = Math.max(map.minK, Math.min(map.maxK, map.k * factor));
  const f = k / map.k;
  map.tx = px - (px - map.tx) * f;
  map.ty = py - (py - map.ty) * f;
  map.k = k;
  applyTransform();
}

function scheduleMarkers() {
  if (map.raf) return;
  map.raf = requestAnimationFrame(() => { map.raf = 0; renderMarkers(); });
}

let clusters = [];
function renderMarkers() {
  const g = $('#map-markers');
  clear(g);
  const cell = 44;
  const buckets = new Map();
  let located = 0;
  for (const e of mapEvents) {
    if (!hasCoords(e)) continue;
    located++;
    const wx = e.lon * map.k; const wy = -e.lat * map.k;
    const key = `${Math.floor(wx / cell)}:${Math.floor(wy / cell)}`;
    let b = buckets.get(key);
    if (!b) { b = { events: [], sx: 0, sy: 0 }; buckets.set(key, b); }
    b.events.push(e); b.sx += wx; b.sy += wy;
  }
  clusters = [];
  for (const b of buckets.values()) {
    const x = b.sx / b.events.length + map.tx; const y = b.sy / b.events.length + map.ty;
    if (x < -40 || y < -40 || x > map.w + 40 || y > map.h + 40) continue;
    const idx = clusters.length;
    clusters.push(b);
    const selected = state.event && b.events.some((e) => String(e.id) === state.event);
    if (b.events.length === 1) {
      const e = b.events[0];
      const m = sv('g', { class: 'marker' + (selected ? ' selected' : ''), transform: `translate(${x.toFixed(1)} ${y.toFixed(1)})`, 'data-id': e.id, 'data-type': e.type, 'data-cluster': idx }, g);
      sv('circle', { r: 6.5, fill: typeColor(e.type) }, m);
      sv('title', { text: `${e.type}${e.mode ? ' (' + e.mode + ')' : ''} · ${e.location || ''} ${e.date || ''}`.trim() }, m);
    } else {
      const n = b.events.length;
      const r = Math.min(26, 11 + 3.2 * Math.log2(n));
      const c = sv('g', { class: 'cluster' + (selected ? ' selected' : ''), transform: `translate(${x.toFixed(1)} ${y.toFixed(1)})`, 'data-count': n, 'data-cluster': idx }, g);
      const counts = new Map();
      for (const e of b.events) counts.set(e.type, (counts.get(e.type) || 0) + 1);
      const ringR = r - 2.5; const circ = 2 * Math.PI * ringR;
      sv('circle', { class: 'core', r }, c);
      let off = 0;
      const order = [...counts.entries()].sort((a, b2) => TYPES.indexOf(a[0]) - TYPES.indexOf(b2[0]));
      for (const [t, k] of order) {
        const len = (k / n) * circ;
        sv('circle', { class: 'ring', r: ringR, stroke: typeColor(t), 'stroke-width': 5,
          'stroke-dasharray': `${len.toFixed(2)} ${(circ - len).toFixed(2)}`, 'stroke-dashoffset': (-off).toFixed(2),
          transform: 'rotate(-90)' }, c);
        off += len;
      }
      sv('text', { text: n > 999 ? `${Math.round(n / 100) / 10}k` : n }, c);
      sv('title', { text: `${n} events: ` + order.map(([t, k]) => `${t} ${k}`).join(', ') }, c);
    }
  }
  const noLoc = mapEvents.length - located;
  let info = `${fmtInt(located)} mapped`;
  if (mapTotal > mapEvents.length) info += ` (latest ${fmtInt(mapEvents.length)} of ${fmtInt(mapTotal)})`;
  if (noLoc > 0) info += ` · ${fmtInt(noLoc)} without location`;
  $('#map-info').textContent = info;
}

function renderCountryShading() {
  if (!map.ready) return;
  const with_ = new Set(((stats && stats.by_country) || []).filter((r) => r.n > 0).map((r) => r.country));
  const selected = new Set(state.country.split(',').filter(Boolean));
  for (const c of map.countries) {
    if (!c.el) continue;
    c.el.classList.toggle('has-events', Boolean(c.iso2 && with_.has(c.iso2)));
    c.el.classList.toggle('selected', Boolean(c.iso2 && selected.has(c.iso2)));
  }
}

function renderLegend() {
  const box = $('#legend');
  clear(box);
  box.hidden = false;
  const present = TYPES.filter((t) => statsByType.has(t) || state.type.includes(t));
  const shown = present.length ? present : TYPES;
  for (const t of shown) {
    const off = state.type.length > 0 && !state.type.includes(t);
    const n = statsByType.get(t);
    const item = el('span', { class: 'item' + (off ? ' off' : ''), title: `Show only ${t} (click again for all types)`, 'data-type': t },
      swatch(t), t, n ? el('span', { class: 'n' }, fmtInt(n)) : null);
    item.addEventListener('click', () => {
      const only = state.type.length === 1 && state.type[0] === t;
      setState({ type: only ? [] : [t] });
    });
    box.append(item);
  }
  for (const s of document.querySelectorAll('#filter-type-options .n')) {
    const n = statsByType.get(s.dataset.type);
    s.textContent = n ? fmtInt(n) : '';
  }
}

function setupMapInteraction() {
  const box = $('#map');
  const svgEl = $('#map-svg');
  let drag = null;
  svgEl.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY, tx: map.tx, ty: map.ty, moved: false, target: ev.target, id: ev.pointerId };
  });
  svgEl.addEventListener('pointermove', (ev) => {
    if (!drag || ev.pointerId !== drag.id) return;
    const dx = ev.clientX - drag.x; const dy = ev.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) > 4) {
      drag.moved = true;
      box.classList.add('dragging');
      try { svgEl.setPointerCapture(ev.pointerId); } catch (_) { /* pointer already gone */ }
    }
    if (drag.moved) { map.tx = drag.tx + dx; map.ty = drag.ty + dy; applyTransform(); }
  });
  const end = (ev) => {
    if (!drag || ev.pointerId !== drag.id) return;
    const d = drag; drag = null;
    box.classList.remove('dragging');
    if (d.moved || ev.type === 'pointercancel') return;
    const t = d.target instanceof Element ? d.target : null;
    const hit = t && t.closest('.marker, .cluster');
    if (hit) {
      const b = clusters[Number(hit.getAttribute('data-cluster'))];
      if (!b) return;
      if (b.events.length === 1) selectEvent(b.events[0].id);
      else showClusterList(b);
      return;
    }
    const country = t && t.closest('.country');
    if (country && country.getAttribute('data-iso2')) {
      const iso = country.getAttribute('data-iso2');
      setState({ country: state.country === iso ? '' : iso });
    }
  };
  svgEl.addEventListener('pointerup', end);
  svgEl.addEventListener('pointercancel', end);
  svgEl.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const r = svgEl.getBoundingClientRect();
    const delta = ev.deltaMode === 1 ? ev.deltaY * 16 : ev.deltaY;
    zoomAt(ev.clientX - r.left, ev.clientY - r.top, Math.exp(-delta * 0.0018));
  }, { passive: false });
  box.addEventListener('keydown', (ev) => {
    const step = 60;
    if (ev.key === '+' || ev.key === '=') zoomAt(map.w / 2, map.h / 2, 1.5);
    else if (ev.key === '-') zoomAt(map.w / 2, map.h / 2, 1 / 1.5);
    else if (ev.key === 'ArrowLeft') { map.tx += step; applyTransform(); }
    else if (ev.key === 'ArrowRight') { map.tx -= step; applyTransform(); }
    else if (ev.key === 'ArrowUp') { map.ty += step; applyTransform(); }
    else if (ev.key === 'ArrowDown') { map.ty -= step; applyTransform(); }
    else return;
    ev.preventDefault();
  });
  $('#map-zoom-in').addEventListener('click', () => zoomAt(map.w / 2, map.h / 2, 1.6));
  $('#map-zoom-out').addEventListener('click', () => zoomAt(map.w / 2, map.h / 2, 1 / 1.6));
  $('#map-world').addEventListener('click', worldView);
  $('#map-fit').addEventListener('click', fitEvents);
  let prevW = 0; let prevH = 0;
  new ResizeObserver(() => {
    const cx = (map.w / 2 - map.tx) / map.k; const cy = (map.h / 2 - map.ty) / map.k;
    measureMap();
    if (Math.abs(map.w - prevW) < 1 && Math.abs(map.h - prevH) < 1) return;
    prevW = map.w; prevH = map.h;
    map.tx = map.w / 2 - cx * map.k; map.ty = map.h / 2 - cy * map.k;
    applyTransform();
  }).observe(box);
}

// ---------------------------------------------------------------- timeline

const dayMs = (s) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
};
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const fmtShort = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const fmtMonth = new Intl.DateTimeFormat('en', { month: 'short', year: 'numeric', timeZone: 'UTC' });
let tl = null; // current timeline geometry, for brushing

function renderTimeline() {
  const svgEl = $('#timeline-svg');
  clear(svgEl);
  const box = $('#timeline').getBoundingClientRect();
  const W = Math.max(200, box.width); const H = Math.max(60, box.height);
  svgEl.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const m = { l: 40, r: 10, t: 8, b: 20 };
  const pw = W - m.l - m.r; const ph = H - m.t - m.b;
  const rows = ((ctxStats && ctxStats.by_day) || []).filter((r) => Number.isFinite(dayMs(r.day)) && r.n > 0);
  tl = null;
  if (!rows.length) {
    sv('text', { class: 'empty', x: W / 2, y: H / 2, text: stats && stats.total ? 'No events with a day-precision date' : 'No dated events' }, svgEl);
    $('#timeline-info').textContent = '';
    return;
  }
  let d0 = Infinity; let d1 = -Infinity;
  for (const r of rows) { const d = dayMs(r.day); d0 = Math.min(d0, d); d1 = Math.max(d1, d); }
  const ndays = Math.round((d1 - d0) / DAY_MS) + 1;
  const binDays = Math.max(1, Math.ceil(ndays / Math.max(1, Math.floor(pw / 5))));
  const nbins = Math.ceil(ndays / binDays);
  const bins = Array.from({ length: nbins }, () => new Map());
  for (const r of rows) {
    const i = Math.min(nbins - 1, Math.floor(Math.round((dayMs(r.day) - d0) / DAY_MS) / binDays));
    bins[i].set(r.type, (bins[i].get(r.type) || 0) + r.n);
  }
  let ymax = 1;
  for (const b of bins) { let s = 0; for (const v of b.values()) s += v; ymax = Math.max(ymax, s); }
  const bw = pw / nbins;
  const x = (i) => m.l + i * bw;
  const y = (v) => m.t + ph - (v / ymax) * ph;
  const axis = sv('g', { class: 'axis' }, svgEl);
  for (const v of [...new Set([0, Math.round(ymax / 2), ymax])]) {
    sv('line', { x1: m.l, x2: m.l + pw, y1: y(v), y2: y(v) }, axis);
    sv('text', { x: m.l - 5, y: y(v) + 3, 'text-anchor': 'end', text: fmtInt(v) }, axis);
  }
  const fromMs = dayMs(state.from); const toMs = dayMs(state.to);
  const bars = sv('g', { class: 'bars' }, svgEl);
  const order = (t) => { const i = TYPES.indexOf(t); return i < 0 ? 99 : i; };
  const barW = Math.max(0.8, Math.min(bw > 4 ? bw - 1 : bw, 38));
  bins.forEach((b, i) => {
    let acc = 0;
    const start = d0 + i * binDays * DAY_MS; const end = start + (binDays - 1) * DAY_MS;
    const out = (Number.isFinite(fromMs) && end < fromMs) || (Number.isFinite(toMs) && start > toMs);
    const label = binDays === 1 ? isoDay(start) : `${isoDay(start)} – ${isoDay(Math.min(end, d1))}`;
    const bx = x(i) + (bw - barW) / 2;
    for (const [t, n] of [...b.entries()].sort((a, c) => order(a[0]) - order(c[0]))) {
      const y0 = y(acc); const y1 = y(acc + n);
      acc += n;
      const rect = sv('rect', { class: 'bar' + (out ? ' out' : ''), x: bx.toFixed(2), y: y1.toFixed(2),
        width: barW.toFixed(2), height: Math.max(0.5, y0 - y1).toFixed(2),
        fill: typeColor(t), 'data-day': isoDay(start), 'data-type': t }, bars);
      sv('title', { text: `${label} · ${t}: ${fmtInt(n)}` }, rect);
    }
  });
  // x axis labels at bin centres, at least 80 px apart, the year on the first and at changes
  const step = Math.max(1, Math.ceil(80 / bw));
  let lastYear = null;
  for (let i = 0; i < nbins; i += step) {
    const dd = d0 + i * binDays * DAY_MS;
    const yr = new Date(dd).getUTCFullYear();
    let text = ndays > 400 ? fmtMonth.format(dd) : fmtShort.format(dd);
    if (ndays <= 400 && yr !== lastYear) text += `, ${yr}`;
    lastYear = yr;
    const cx = Math.max(m.l + 34, Math.min(m.l + pw - 34, x(i) + bw / 2));
    sv('text', { x: cx.toFixed(1), y: H - 5, 'text-anchor': 'middle', text }, axis);
  }
  tl = { d0, d1, ndays, binDays, nbins, m, pw, ph, bw };
  // current range
  if (Number.isFinite(fromMs) || Number.isFinite(toMs)) {
    const a = Number.isFinite(fromMs) ? Math.max(fromMs, d0) : d0;
    const b = Number.isFinite(toMs) ? Math.min(toMs, d1) : d1;
    if (b >= a) {
      const xa = m.l + ((a - d0) / DAY_MS / ndays) * pw; const xb = m.l + ((b - d0) / DAY_MS + 1) / ndays * pw;
      sv('rect', { class: 'brush-sel', x: xa, y: m.t, width: Math.max(1, xb - xa), height: ph }, svgEl);
    }
  }
  const area = sv('rect', { class: 'brush-area', x: m.l, y: m.t, width: pw, height: ph }, svgEl);
  area.addEventListener('pointerdown', brushStart);
  const total = rows.reduce((s, r) => s + r.n, 0);
  $('#timeline-info').textContent = `${isoDay(d0)} → ${isoDay(d1)} · ${fmtInt(total)} dated events` + (binDays > 1 ? ` · ${binDays}-day bars` : '');
}

function brushStart(ev) {
  if (!tl || ev.button !== 0) return;
  const svgEl = $('#timeline-svg');
  const area = ev.currentTarget;
  const rect = svgEl.getBoundingClientRect();
  const sx = (cx) => Math.max(tl.m.l, Math.min(tl.m.l + tl.pw, cx - rect.left));
  const x0 = sx(ev.clientX);
  let sel = svgEl.querySelector('.brush-sel');
  if (!sel) sel = sv('rect', { class: 'brush-sel', y: tl.m.t, height: tl.ph }, svgEl);
  sel.setAttribute('x', x0); sel.setAttribute('width', 1);
  try { area.setPointerCapture(ev.pointerId); } catch (_) { /* ignore */ }
  const move = (e) => {
    const x1 = sx(e.clientX);
    sel.setAttribute('x', Math.min(x0, x1)); sel.setAttribute('width', Math.max(1, Math.abs(x1 - x0)));
  };
  const up = (e) => {
    area.removeEventListener('pointermove', move);
    area.removeEventListener('pointerup', up);
    area.removeEventListener('pointercancel', up);
    const x1 = sx(e.clientX);
    const toDay = (px) => Math.max(0, Math.min(tl.ndays - 1, Math.floor(((px - tl.m.l) / tl.pw) * tl.ndays)));
    let a = toDay(Math.min(x0, x1)); let b = toDay(Math.max(x0, x1));
    if (Math.abs(x1 - x0) < 3) { // a click: the whole bar under the pointer
      const bin = Math.floor(a / tl.binDays);
      a = bin * tl.binDays; b = Math.min(tl.ndays - 1, a + tl.binDays - 1);
    }
    setState({ from: isoDay(tl.d0 + a * DAY_MS), to: isoDay(tl.d0 + b * DAY_MS) });
  };
  area.addEventListener('pointermove', move);
  area.addEventListener('pointerup', up);
  area.addEventListener('pointercancel', up);
}

// ---------------------------------------------------------------- event panel

function selectEvent(id) {
  const sid = String(id);
  if (state.event === sid) { loadEvent(sid); return; }
  setState({ event: sid }, { resetPage: false });
}

function markSelected() {
  for (const tr of document.querySelectorAll('#events-table tbody tr')) tr.classList.toggle('selected', tr.dataset.id === state.event);
  scheduleMarkers();
}

function panelHeader(title, onClose) {
  const head = el('div', { class: 'panel-title' }, title);
  if (onClose) head.append(el('button', { type: 'button', class: 'btn sm panel-close', title: 'Close', onclick: onClose }, 'Close'));
  return head;
}

function showOverview() {
  markSelected();
  const body = $('#panel-body');
  clear(body);
  const wrap = el('div', { class: 'overview' });
  body.append(wrap);
  if (!stats) { wrap.append(el('p', { class: 'placeholder' }, el('span', { class: 'loading-dot' }), ' Loading…')); return; }
  wrap.append(el('div', { class: 'muted' }, hasFilters() ? 'Events matching the filters' : 'All events'));
  wrap.append(el('div', { class: 'big' }, fmtInt(stats.total)));
  if (stats.min_date || stats.max_date) wrap.append(el('div', { class: 'muted' }, `${stats.min_date || '?'} → ${stats.max_date || '?'}`));
  if (!stats.total) {
    wrap.append(el('p', { class: 'placeholder' }, hasFilters() ? 'No events match these filters.'
      : 'No events yet — run hadath ingest <folder> to load documents.'));
    return;
  }
  wrap.append(el('p', { class: 'placeholder' }, 'Click a marker on the map or a row in the table to see an event and the sentences that report it.'));
  const byType = [...(stats.by_type || [])].sort((a, b) => b.n - a.n);
  if (byType.length) {
    wrap.append(el('h3', null, 'By type'));
    const max = byType[0].n || 1;
    const bars = el('div', { class: 'typebars' });
    for (const r of byType) {
      const row = el('div', { class: 'typebar', title: `Filter on ${r.type}` }, el('span', null, r.type),
        el('span', { class: 'track' }, el('span', { class: 'fill', style: { display: 'block', width: `${(r.n / max) * 100}%`, background: typeColor(r.type) } })),
        el('span', { class: 'n' }, fmtInt(r.n)));
      row.addEventListener('click', () => setState({ type: [r.type] }));
      bars.append(row);
    }
    wrap.append(bars);
  }
  const byCountry = [...(stats.by_country || [])].sort((a, b) => b.n - a.n).slice(0, 12);
  if (byCountry.length) {
    wrap.append(el('h3', null, 'By country'));
    const chips = el('div', { class: 'chips' });
    for (const r of byCountry) {
      const c = el('span', { class: 'chip', style: { cursor: 'pointer' }, title: countryName(r.country) || r.country },
        `${r.country || '—'} ${fmtInt(r.n)}`);
      if (r.country) c.addEventListener('click', () => setState({ country: r.country }));
      chips.append(c);
    }
    wrap.append(chips);
  }
}

function showClusterList(b) {
  const body = $('#panel-body');
  clear(body);
  const sorted = [...b.events].sort((a, c) => String(c.date || '').localeCompare(String(a.date || '')));
  body.append(panelHeader(el('span', { class: 'type' }, `${sorted.length} events here`), () => { showOverview(); }));
  const places = [...new Set(sorted.map((e) => e.location).filter(Boolean))];
  body.append(el('div', { class: 'panel-sub' }, places.slice(0, 4).join(' · ') + (places.length > 4 ? ' …' : '')));
  const zoom = el('button', { type: 'button', class: 'btn sm' }, 'Zoom here');
  zoom.addEventListener('click', () => {
    const lon = sorted.reduce((s, e) => s + e.lon, 0) / sorted.length;
    const lat = sorted.reduce((s, e) => s + e.lat, 0) / sorted.length;
    const k = Math.min(map.maxK, map.k * 3);
    map.k = k; map.tx = map.w / 2 - lon * k; map.ty = map.h / 2 + lat * k;
    applyTransform();
  });
  body.append(zoom);
  const ul = el('ul', { class: 'cluster-list' });
  for (const e of sorted) {
    const li = el('li', { 'data-id': e.id, tabindex: 0 }, swatch(e.type), el('b', null, e.type), el('span', { class: 'muted' }, e.date || ''),
      el('span', { class: 'summary', dir: 'auto' }, e.summary || e.location || ''));
    li.addEventListener('click', () => selectEvent(e.id));
    li.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') selectEvent(e.id); });
    ul.append(li);
  }
  body.append(ul);
}

let eventGen = 0;
async function loadEvent(id) {
  const gen = ++eventGen;
  markSelected();
  const body = $('#panel-body');
  clear(body);
  body.append(el('p', { class: 'placeholder' }, el('span', { class: 'loading-dot' }), ` Loading event ${id}…`));
  try {
    const ev = await api(`/api/events/${encodeURIComponent(id)}`);
    if (gen !== eventGen) return;
    renderEvent(ev);
  } catch (e) {
    if (gen !== eventGen) return;
    clear(body);
    body.append(panelHeader(el('span', { class: 'type' }, `Event ${id}`), () => setState({ event: null }, { resetPage: false })));
    body.append(el('p', { class: 'error', role: 'alert' }, e.message));
  }
}

function factRow(dl, label, value) {
  if (value === null || value === undefined || value === '') return;
  dl.append(el('dt', null, label), el('dd', null, value));
}

function renderEvent(ev) {
  const body = $('#panel-body');
  clear(body);
  body.scrollTop = 0;
  const title = el('span', null);
  title.append(swatch(ev.type), ' ', el('span', { class: 'type' }, ev.type || '—'));
  if (ev.mode) title.append(' ', el('span', { class: 'mode' }, ev.mode));
  body.append(panelHeader(title, () => setState({ event: null }, { resetPage: false })));
  const sub = el('div', { class: 'panel-sub' }, `Event ${ev.id}`);
  if (Array.isArray(ev.context) && ev.context.length) sub.append(' · ', ev.context.join(', '));
  if (typeof ev.confidence === 'number') sub.append(` · confidence ${fmtConf(ev.confidence)}`);
  body.append(sub);
  if (ev.summary) body.append(el('p', { dir: 'auto', class: 'summary-text' }, ev.summary));

  const counts = el('div', { class: 'counts' },
    el('div', { class: 'count' }, el('b', null, fmtInt(ev.n_mentions)), el('span', null, 'mentions')),
    el('div', { class: 'count' }, el('b', null, fmtInt(ev.n_documents)), el('span', null, 'documents')),
    el('div', { class: 'count' }, el('b', null, fmtInt(ev.n_sources)), el('span', null, 'sources')));
  body.append(counts);

  const dl = el('dl', { class: 'facts' });
  let date = dateText(ev);
  if (ev.date && ev.date_precision && ev.date_precision !== 'day') date += ` (${ev.date_precision})`;
  factRow(dl, 'Date', date);
  factRow(dl, 'Actor 1', ev.actor1 ? actorDetail(ev.actor1) : null);
  factRow(dl, 'Actor 2', ev.actor2 ? actorDetail(ev.actor2) : null);
  const place = el('span');
  if (ev.location) place.append(el('span', { dir: 'auto' }, ev.location));
  const cn = countryName(ev.country);
  if (ev.country) place.append(place.childNodes.length ? ', ' : '', cn ? `${cn} (${ev.country})` : ev.country);
  if (ev.admin1) place.append(el('span', { class: 'muted' }, ` · admin1 ${ev.admin1}`));
  if (hasCoords(ev)) place.append(el('div', { class: 'code' }, `${ev.lat.toFixed(4)}, ${ev.lon.toFixed(4)}` + (ev.geo_precision ? ` · from ${ev.geo_precision}` : '')));
  factRow(dl, 'Place', place.childNodes.length ? place : null);
  if (typeof ev.fatalities === 'number') factRow(dl, 'Fatalities', fmtInt(ev.fatalities));
  if (ev.first_reported || ev.last_reported) {
    factRow(dl, 'Reported', ev.first_reported === ev.last_reported || !ev.last_reported ? ev.first_reported : `${ev.first_reported} → ${ev.last_reported}`);
  }
  factRow(dl, 'Language', ev.lang ? ev.lang.toUpperCase() : null);
  const mentions = Array.isArray(ev.mentions) ? ev.mentions : [];
  const sources = [...new Set(mentions.map((m) => m.source).filter(Boolean))];
  if (sources.length) factRow(dl, 'Sources', el('span', { class: 'chips' }, ...sources.map((s) => el('span', { class: 'chip', dir: 'auto' }, s))));
  body.append(dl);

  body.append(el('h3', null, `Evidence (${mentions.length} mention${mentions.length === 1 ? '' : 's'})`));
  const legend = el('div', { class: 'hl-legend' });
  for (const k of HL_KINDS) legend.append(el('span', { class: `hl hl-${k}`, title: `${k} highlight` }, k));
  body.append(legend);
  const evidence = el('div', { class: 'evidence' });
  for (const m of mentions) evidence.append(mentionNode(m));
  if (!mentions.length) evidence.append(el('p', { class: 'placeholder' }, 'This event has no stored mentions.'));
  body.append(evidence);
}

function actorDetail(a) {
  const wrap = actorNode(a);
  const extra = [a.country, a.sector].filter(Boolean).join(' · ');
  if (extra) wrap.append(el('span', { class: 'muted' }, ` (${extra})`));
  return wrap;
}

function langAttrs(lang) {
  return lang === 'ar' ? { dir: 'rtl', lang: 'ar' } : { dir: 'ltr', lang: lang === 'en' || !lang ? 'en' : lang };
}

function mentionNode(m) {
  const box = el('div', { class: 'mention', 'data-mention': m.id });
  const meta = el('div', { class: 'mention-meta' });
  meta.append(el('span', { class: 'lang-tag' }, m.lang || '?'));
  if (m.source) meta.append(el('span', { class: 'src', dir: 'auto' }, m.source));
  if (m.document_title) meta.append(el('span', { dir: 'auto' }, m.document_title));
  if (m.date) meta.append(el('span', null, m.date));
  if (typeof m.confidence === 'number') meta.append(el('span', null, `conf ${fmtConf(m.confidence)}`));
  box.append(meta);
  const sentence = m.sentence && typeof m.sentence.text === 'string' ? m.sentence : { text: '' };
  box.append(highlightSentence(sentence.text, Array.isArray(m.highlights) ? m.highlights : [], m.lang));
  if (m.document_id !== null && m.document_id !== undefined) box.append(documentToggle(m, sentence));
  return box;
}

// Split sentence text at every highlight boundary (code points) and nest one span per covering
// highlight, longest outermost, so overlapping highlights stay visible.
function highlightSentence(text, highlights, lang) {
  const chars = cps(text);
  const n = chars.length;
  const hls = highlights
    .map((h) => ({ kind: HL_KINDS.includes(h.kind) ? h.kind : 'other', rawKind: String(h.kind || ''), label: h.label == null ? '' : String(h.label),
      start: Math.max(0, Math.min(n, Math.floor(Number(h.start)))), end: Math.max(0, Math.min(n, Math.floor(Number(h.end)))) }))
    .filter((h) => Number.isFinite(h.start) && Number.isFinite(h.end) && h.end > h.start);
  const cuts = new Set([0, n]);
  for (const h of hls) { cuts.add(h.start); cuts.add(h.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const p = el('p', { class: 'sentence', ...langAttrs(lang) });
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]; const b = points[i + 1];
    if (b <= a) continue;
    const seg = chars.slice(a, b).join('');
    const cover = hls.filter((h) => h.start <= a && h.end >= b).sort((x, y) => (y.end - y.start) - (x.end - x.start));
    let node = document.createTextNode(seg);
    for (let j = cover.length - 1; j >= 0; j--) {
      const h = cover[j];
      const span = el('span', { class: `hl hl-${h.kind}`, title: h.label ? `${h.rawKind}: ${h.label}` : h.rawKind, 'data-kind': h.rawKind });
      span.append(node);
      node = span;
    }
    p.append(node);
  }
  return p;
}

const docCache = new Map();
function documentToggle(m, sentence) {
  const det = el('details', { class: 'doc-toggle' });
  const sum = el('summary', null, 'Full document');
  det.append(sum);
  const link = el('a', { href: `/api/documents/${encodeURIComponent(m.document_id)}`, target: '_blank', rel: 'noopener', class: 'muted', style: { marginLeft: '8px', fontSize: '11px' } }, 'JSON');
  sum.append(link);
  let loaded = false;
  det.addEventListener('toggle', async () => {
    if (!det.open || loaded) return;
    loaded = true;
    const holder = el('div', null, el('p', { class: 'placeholder' }, el('span', { class: 'loading-dot' }), ' Loading document…'));
    det.append(holder);
    try {
      let doc = docCache.get(m.document_id);
      if (!doc) { doc = await api(`/api/documents/${encodeURIComponent(m.document_id)}`); docCache.set(m.document_id, doc); }
      clear(holder);
      const head = el('div', { class: 'doc-head' });
      if (doc.title) head.append(el('b', { dir: 'auto' }, doc.title), ' ');
      if (doc.source) head.append(el('span', { class: 'muted' }, doc.source), ' ');
      if (doc.date) head.append(el('span', { class: 'muted' }, doc.date), ' ');
      if (typeof doc.url === 'string' && /^https?:\/\//i.test(doc.url)) {
        head.append(el('a', { href: doc.url, target: '_blank', rel: 'noopener noreferrer' }, 'original'));
      } else if (doc.url) head.append(el('span', { class: 'muted' }, doc.url));
      holder.append(head);
      const chars = cps(doc.text);
      const s = Number.isFinite(sentence.start) ? Math.max(0, Math.min(chars.length, sentence.start)) : -1;
      const e = Number.isFinite(sentence.end) ? Math.max(0, Math.min(chars.length, sentence.end)) : -1;
      const pre = el('div', { class: 'doc-text', ...langAttrs(doc.lang || m.lang) });
      if (s >= 0 && e > s) {
        const mark = el('mark', null, chars.slice(s, e).join(''));
        pre.append(chars.slice(0, s).join(''), mark, chars.slice(e).join(''));
        holder.append(pre);
        requestAnimationFrame(() => { pre.scrollTop = Math.max(0, mark.offsetTop - pre.offsetTop - 40); });
      } else {
        pre.append(chars.join(''));
        holder.append(pre);
      }
    } catch (err) {
      clear(holder);
      holder.append(el('p', { class: 'error', role: 'alert' }, err.message));
      loaded = false;
    }
  });
  return det;
}

// ---------------------------------------------------------------- start

function start() {
  buildFilterControls();
  buildTableHead();
  setupMapInteraction();
  worldView();
  showOverview();
  window.addEventListener('hashchange', onHash);
  let rt = null;
  window.addEventListener('resize', () => { clearTimeout(rt); rt = setTimeout(renderTimeline, 120); });
  loadBasemap();
  onHash();
}

start();
