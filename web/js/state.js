// The whole view lives in the URL hash, so a link reproduces it:
// #map=zoom/lat/lon&t=from/to&type=A,B&prec=1,2&outlet=O&q=text&sel=ID&places=0&roads=0&halos=0

const LISTS = ['type', 'prec'];

/** Parses a hash into a state object (missing members are undefined). */
export function parseHash(hash) {
  const params = new URLSearchParams(String(hash || '').replace(/^#/, ''));
  const state = {};
  const map = params.get('map');
  if (map) {
    const [z, lat, lon] = map.split('/').map(Number);
    if ([z, lat, lon].every(Number.isFinite)) Object.assign(state, { zoom: z, center: [lon, lat] });
  }
  const t = params.get('t');
  if (t && t.includes('/')) {
    const [from, to] = t.split('/');
    if (isDate(from)) state.from = from;
    if (isDate(to)) state.to = to;
  }
  for (const key of LISTS) {
    if (params.has(key)) state[key] = params.get(key).split(',').filter(Boolean);
  }
  for (const key of ['outlet', 'q', 'sel']) if (params.get(key)) state[key] = params.get(key);
  for (const key of ['places', 'roads', 'halos']) if (params.has(key)) state[key] = params.get(key) !== '0';
  return state;
}

/** Writes a state object as a hash (without '#'). */
export function toHash(state) {
  const parts = [];
  const enc = (s) => encodeURIComponent(s).replace(/%2C/g, ',').replace(/%2F/g, '/');
  if (state.center && Number.isFinite(state.zoom)) {
    parts.push(`map=${state.zoom.toFixed(2)}/${state.center[1].toFixed(4)}/${state.center[0].toFixed(4)}`);
  }
  if (state.from || state.to) parts.push(`t=${state.from || ''}/${state.to || ''}`);
  for (const key of LISTS) if (state[key]) parts.push(`${key}=${state[key].map(enc).join(',')}`);
  for (const key of ['outlet', 'q', 'sel']) if (state[key]) parts.push(`${key}=${enc(state[key])}`);
  for (const key of ['places', 'roads', 'halos']) if (state[key] === false) parts.push(`${key}=0`);
  return parts.join('&');
}

function isDate(s) {
  return /^\d{4}-\d{2}-\d{2}$/.test(s || '');
}
