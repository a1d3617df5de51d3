// The sitrep map page: plain ES modules, MapLibre GL JS from the same origin,
// an offline basemap, HTML labels, and the whole view kept in the URL hash.

import * as maplibregl from '/vendor/maplibre/maplibre-gl.mjs';
import { offlineStyle } from './basemap.js';
import { el, debounce } from './dom.js';
import { LabelLayer } from './labels.js';
import { parseHash, toHash } from './state.js';
import { Timeline, toDay } from './timeline.js';
import { renderIncident } from './detail.js';
import { PlaceSearch } from './search.js';
import { startEditor } from './editor/index.js';

export const EVENT_TYPES = [
  ['Battles', '#d7301f'],
  ['Explosions/Remote violence', '#ff7f00'],
  ['Violence against civilians', '#7b3294'],
  ['Protests', '#1f78b4'],
  ['Riots', '#e7298a'],
  ['Strategic developments', '#33a02c'],
];
const OTHER_COLOUR = '#6b7280';
const PRECISIONS = [
  ['1', 'At the place'],
  ['2', 'Near the place'],
  ['3', 'In the region'],
];
const EARTH = 40075016.686; // metres around the equator
const DEFAULT_VIEW = { center: [46.4, 39.9], zoom: 6.6 };

const $ = (id) => document.getElementById(id);

// ---- state ------------------------------------------------------------------

const state = {
  from: null, to: null, type: null, prec: null, outlet: '', q: '', sel: null,
  places: true, roads: true, halos: true,
};
let all = []; // every incident Feature, full properties
const byId = new Map();
let shown = [];
let map;
let labels;
let timeline;
let applyingHash = false;
let editor = null; // editing hooks, once the editor has started

// ---- helpers ----------------------------------------------------------------

function located(f) {
  const c = f.geometry && f.geometry.type === 'Point' ? f.geometry.coordinates : null;
  return Array.isArray(c) && Number.isFinite(c[0]) && Number.isFinite(c[1]) && !(c[0] === 0 && c[1] === 0);
}

function colourOf(type) {
  const hit = EVENT_TYPES.find(([t]) => t === type);
  return hit ? hit[1] : OTHER_COLOUR;
}

/** Pixel radius at zoom 0 of `metres` at latitude `lat` (512 px tiles). */
function pxAtZoom0(metres, lat) {
  const mpp = (EARTH * Math.cos((lat * Math.PI) / 180)) / 512;
  return metres / mpp;
}

function searchableText(p) {
  const parts = [p.event_type, p.sub_event_type, p.actor1, p.actor2, p.location_name, p.place_name, p.notes, p.outlets, p.country];
  for (const t of p.tags || []) parts.push(t);
  for (const s of p.sources || []) parts.push(s.title, s.outlet, s.quote, s.why_here && s.why_here.mention);
  return parts.filter(Boolean).join('\n').toLocaleLowerCase();
}

function outletsOf(p) {
  const set = new Set();
  for (const s of p.sources || []) if (s.outlet) set.add(s.outlet);
  if (!set.size && p.outlets) for (const o of String(p.outlets).split(/;\s*/)) if (o) set.add(o);
  return set;
}

function passes(f, withTime) {
  const p = f.properties;
  if (state.type && !state.type.includes(p.event_type)) return false;
  if (state.prec && !state.prec.includes(String(p.geo_precision))) return false;
  if (state.outlet && !outletsOf(p).has(state.outlet)) return false;
  if (state.q) {
    const words = state.q.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    const text = f._text || (f._text = searchableText(p));
    if (!words.every((w) => text.includes(w))) return false;
  }
  if (withTime && (state.from || state.to)) {
    const s = toDay(p.date_start);
    const e = toDay(p.date_end || p.date_start);
    if (state.to && s > toDay(state.to)) return false;
    if (state.from && e < toDay(state.from)) return false;
  }
  return true;
}

// ---- map layers -------------------------------------------------------------

function clusterProperties() {
  const props = { fatalities: ['+', ['coalesce', ['get', 'fatalities'], 0]] };
  EVENT_TYPES.forEach(([t], i) => {
    props[`t${i}`] = ['+', ['case', ['==', ['get', 'event_type'], t], 1, 0]];
  });
  return props;
}

function dominantColour() {
  const n = EVENT_TYPES.length;
  const expr = ['case'];
  for (let i = 0; i < n; i++) {
    const cond = ['all', ['>', ['get', `t${i}`], 0]];
    for (let j = 0; j < n; j++) if (j !== i) cond.push(['>=', ['get', `t${i}`], ['get', `t${j}`]]);
    expr.push(cond, EVENT_TYPES[i][1]);
  }
  expr.push(OTHER_COLOUR);
  return expr;
}

const typeColour = ['match', ['get', 'event_type'], ...EVENT_TYPES.flat(), OTHER_COLOUR];

function addLayers() {
  map.addSource('roads', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addSource('places', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addSource('found', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  // The halos come from an unclustered copy, so an imprecise incident shows
  // its uncertainty even while its point is inside a cluster.
  map.addSource('incident-areas', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addSource('incidents', {
    type: 'geojson',
    data: { type: 'FeatureCollection', features: [] },
    cluster: true,
    clusterRadius: 44,
    clusterMaxZoom: 10,
    clusterProperties: clusterProperties(),
  });

  map.addLayer({
    id: 'roads-casing', type: 'line', source: 'roads',
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 5, 3, 12, 8], 'line-opacity': 0.8 },
  });
  map.addLayer({
    id: 'roads', type: 'line', source: 'roads',
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': ['match', ['get', 'kind'], 'corridor', '#b35900', '#8c6d46'],
      'line-width': ['interpolate', ['linear'], ['zoom'], 5, ['match', ['get', 'kind'], 'corridor', 2.5, 1.5], 12, ['match', ['get', 'kind'], 'corridor', 6, 4]],
    },
  });
  map.addLayer({
    id: 'places', type: 'circle', source: 'places',
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 5, 1.8, 10, 3.5],
      'circle-color': '#4a4a4a', 'circle-stroke-color': '#fff', 'circle-stroke-width': 1,
    },
  });
  map.addLayer({
    id: 'found-line', type: 'line', source: 'found', filter: ['!=', ['geometry-type'], 'Point'],
    paint: { 'line-color': '#ff9f1c', 'line-width': 5, 'line-opacity': 0.7 },
  });
  map.addLayer({
    id: 'found-point', type: 'circle', source: 'found', filter: ['==', ['geometry-type'], 'Point'],
    paint: { 'circle-radius': 11, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#ff9f1c', 'circle-stroke-width': 3 },
  });
  // Uncertainty halo: radius_m on the ground, whatever the zoom (pixel radius
  // doubles with each zoom level from its value at zoom 0 at that latitude).
  map.addLayer({
    id: 'incident-halos', type: 'circle', source: 'incident-areas',
    filter: ['>=', ['get', 'geo_precision'], 2],
    paint: {
      'circle-radius': ['interpolate', ['exponential', 2], ['zoom'], 0, ['get', 'halo0'], 24, ['*', ['get', 'halo0'], 16777216]],
      'circle-color': typeColour,
      'circle-opacity': 0.12,
      'circle-stroke-color': typeColour,
      'circle-stroke-width': 1.5,
      'circle-stroke-opacity': 0.7,
      'circle-pitch-alignment': 'map',
    },
  });
  map.addLayer({
    id: 'clusters', type: 'circle', source: 'incidents', filter: ['has', 'point_count'],
    paint: {
      'circle-color': dominantColour(),
      'circle-radius': ['step', ['get', 'point_count'], 13, 5, 17, 20, 22, 100, 28],
      'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2, 'circle-opacity': 0.9,
    },
  });
  const size = ['interpolate', ['linear'], ['coalesce', ['get', 'fatalities'], 0], 0, 5, 1, 6.5, 10, 9, 100, 13, 500, 18];
  map.addLayer({
    id: 'incident-points', type: 'circle', source: 'incidents', filter: ['!', ['has', 'point_count']],
    paint: {
      'circle-radius': size,
      'circle-color': typeColour,
      // An imprecise incident is a ring (its halo tells where it may be), not a pin.
      'circle-opacity': ['case', ['>=', ['get', 'geo_precision'], 2], 0.25, 0.92],
      'circle-stroke-color': ['case', ['>=', ['get', 'geo_precision'], 2], typeColour, '#ffffff'],
      'circle-stroke-width': ['case', ['>=', ['get', 'geo_precision'], 2], 2.5, 1.5],
    },
  });
  map.addLayer({
    id: 'incident-selected', type: 'circle', source: 'incidents',
    filter: ['==', ['get', 'id'], -1],
    paint: {
      'circle-radius': ['+', size, 5], 'circle-color': 'rgba(0,0,0,0)',
      'circle-stroke-color': '#ff9f1c', 'circle-stroke-width': 3,
    },
  });

  labels.provide('clusters', () => {
    if (!map.getLayer('clusters')) return [];
    return map.queryRenderedFeatures({ layers: ['clusters'] }).map((f) => ({
      key: `c${f.properties.cluster_id}`,
      lngLat: f.geometry.coordinates,
      text: String(f.properties.point_count_abbreviated ?? f.properties.point_count),
      cls: 'cluster', priority: 1000, collide: false,
    }));
  });

  for (const id of ['clusters', 'incident-points']) {
    map.on('mouseenter', id, () => { map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', id, () => { map.getCanvas().style.cursor = ''; });
  }
  map.on('click', 'clusters', async (e) => {
    const f = e.features[0];
    const zoom = await map.getSource('incidents').getClusterExpansionZoom(f.properties.cluster_id);
    map.easeTo({ center: f.geometry.coordinates, zoom: Math.min(zoom + 0.2, 16) });
  });
  map.on('click', 'incident-points', (e) => {
    const ids = [...new Set(e.features.map((f) => String(f.properties.id)))];
    if (ids.length === 1) select(ids[0], false);
    else if (ids.length > 1) chooseAmong(ids);
  });
}

// ---- incidents --------------------------------------------------------------

async function fetchJson(url) {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!res.ok) {
    let message = `${res.status}`;
    try { message = (await res.json()).error.message; } catch { /* not JSON */ }
    throw new Error(message);
  }
  return res.json();
}

async function loadIncidents() {
  const out = [];
  let cursor = '';
  for (let page = 0; page < 50; page++) {
    const fc = await fetchJson(`/api/layers/incidents.geojson?limit=2000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...(fc.features || []));
    if (!fc.next_cursor) break;
    cursor = fc.next_cursor;
  }
  return out;
}

function mapFeature(f) {
  const p = f.properties;
  const lat = f.geometry.coordinates[1];
  return {
    type: 'Feature',
    geometry: f.geometry,
    properties: {
      id: p.id,
      event_type: p.event_type,
      fatalities: p.fatalities || 0,
      geo_precision: p.geo_precision || 1,
      radius_m: p.radius_m || 0,
      halo0: pxAtZoom0(p.radius_m || 0, lat),
      date_start: p.date_start,
    },
  };
}

function refresh() {
  const base = all.filter((f) => passes(f, false));
  shown = base.filter((f) => passes(f, true));
  if (map && map.getSource('incidents')) {
    const features = shown.filter(located).map(mapFeature);
    map.getSource('incidents').setData({ type: 'FeatureCollection', features });
    map.getSource('incident-areas').setData({ type: 'FeatureCollection', features: features.filter((f) => f.properties.geo_precision >= 2) });
  }
  timeline.setItems(base.map((f) => ({ start: f.properties.date_start, end: f.properties.date_end })));
  const n = shown.length;
  $('shown-count').textContent = `${n} incident${n === 1 ? '' : 's'} shown`;
  document.body.dataset.shown = String(n);
  renderList();
  renderTypeCounts(base);
  $('time-label').textContent = state.from || state.to ? `${state.from || '…'} – ${state.to || '…'}` : 'all dates';
  $('time-from').value = state.from || '';
  $('time-to').value = state.to || '';
  updateDownloads();
  saveHash();
}

function renderList() {
  const list = $('incident-list');
  const items = [...shown].sort((a, b) => String(b.properties.date_start).localeCompare(String(a.properties.date_start))).slice(0, 200);
  list.replaceChildren(...items.map((f) => {
    const p = f.properties;
    return el('li', {},
      el('button', { type: 'button', 'data-id': p.id, onclick: () => select(p.id, true) },
        el('span', { class: 'swatch', style: `background:${colourOf(p.event_type)}` }),
        el('span', { class: 'date' }, p.date_start || ''),
        el('span', {}, p.sub_event_type || p.event_type || 'Incident', ' — ', p.location_name || p.place_name || 'no location')));
  }));
}

function renderTypeCounts(base) {
  for (const [t] of EVENT_TYPES) {
    const node = document.querySelector(`[data-type-count="${CSS.escape(t)}"]`);
    if (node) node.textContent = String(base.filter((f) => f.properties.event_type === t).length);
  }
}

function buildFilters() {
  const types = $('type-filter');
  types.replaceChildren(...EVENT_TYPES.map(([t, colour]) => el('label', {},
    el('input', { type: 'checkbox', value: t, checked: !state.type || state.type.includes(t), onchange: onTypeChange }),
    el('span', { class: 'swatch', style: `background:${colour}` }),
    el('span', {}, t),
    el('span', { class: 'n', 'data-type-count': t }, ''))));
  const precs = $('precision-filter');
  precs.replaceChildren(...PRECISIONS.map(([v, label]) => el('label', {},
    el('input', { type: 'checkbox', value: v, checked: !state.prec || state.prec.includes(v), onchange: onPrecChange }),
    el('span', {}, label))));
}

function checkedValues(container) {
  const boxes = [...container.querySelectorAll('input[type=checkbox]')];
  const on = boxes.filter((b) => b.checked).map((b) => b.value);
  return on.length === boxes.length ? null : on;
}

function onTypeChange() { state.type = checkedValues($('type-filter')); refresh(); }
function onPrecChange() { state.prec = checkedValues($('precision-filter')); refresh(); }

function fillOutlets() {
  const outlets = new Set();
  for (const f of all) for (const o of outletsOf(f.properties)) outlets.add(o);
  const select = $('outlet-filter');
  select.replaceChildren(el('option', { value: '' }, 'All outlets'),
    ...[...outlets].sort().map((o) => el('option', { value: o }, o)));
  if (state.outlet && !outlets.has(state.outlet)) select.appendChild(el('option', { value: state.outlet }, state.outlet));
  select.value = state.outlet || '';
}

// ---- selection --------------------------------------------------------------

function select(id, fly) {
  const f = byId.get(String(id));
  state.sel = f ? String(id) : null;
  if (map.getLayer('incident-selected')) map.setFilter('incident-selected', ['==', ['get', 'id'], f ? f.properties.id : -1]);
  const panel = $('detail');
  if (!f) {
    panel.hidden = true;
    saveHash();
    return;
  }
  renderIncident($('detail-body'), f);
  editor?.incidentShown(f, $('detail-body'));
  panel.hidden = false;
  if (fly && located(f)) {
    map.flyTo({ center: f.geometry.coordinates, zoom: Math.max(map.getZoom(), 10), duration: 800 });
  }
  panel.focus({ preventScroll: true });
  saveHash();
}

/** Several incidents under the click (same place): let the user pick one. */
function chooseAmong(ids) {
  const features = ids.map((id) => byId.get(id)).filter(Boolean)
    .sort((a, b) => String(a.properties.date_start).localeCompare(String(b.properties.date_start)));
  $('detail-body').replaceChildren(
    el('h3', {}, `${features.length} incidents here`),
    el('ol', { class: 'incident-list chooser' }, features.map((f) => {
      const p = f.properties;
      return el('li', {}, el('button', { type: 'button', 'data-id': p.id, onclick: () => select(p.id, false) },
        el('span', { class: 'swatch', style: `background:${colourOf(p.event_type)}` }),
        el('span', { class: 'date' }, p.date_start || ''),
        el('span', {}, p.sub_event_type || p.event_type || 'Incident', ' — ', p.location_name || p.place_name || '')));
    })));
  $('detail').hidden = false;
  $('detail').focus({ preventScroll: true });
}

// ---- roads and places ---------------------------------------------------------

/** Points at the fractions `ts` of the length of the longest part of a line. */
function alongLine(geometry, ts) {
  const lines = geometry.type === 'MultiLineString' ? geometry.coordinates : [geometry.coordinates];
  const len = (line) => line.slice(1).reduce((s, c, i) => s + Math.hypot(c[0] - line[i][0], c[1] - line[i][1]), 0);
  let best = lines[0] || [];
  for (const l of lines) if (len(l) > len(best)) best = l;
  const total = len(best);
  return ts.map((t) => {
    let acc = 0;
    for (let i = 1; i < best.length; i++) {
      const d = Math.hypot(best[i][0] - best[i - 1][0], best[i][1] - best[i - 1][1]);
      if (acc + d >= total * t) {
        const k = d ? (total * t - acc) / d : 0;
        return [best[i - 1][0] + k * (best[i][0] - best[i - 1][0]), best[i - 1][1] + k * (best[i][1] - best[i - 1][1])];
      }
      acc += d;
    }
    return best[best.length - 1];
  });
}

function lineMiddle(geometry) {
  const lines = geometry.type === 'MultiLineString' ? geometry.coordinates : [geometry.coordinates];
  let best = lines[0] || [];
  let bestLen = -1;
  const len = (line) => line.slice(1).reduce((s, c, i) => s + Math.hypot(c[0] - line[i][0], c[1] - line[i][1]), 0);
  for (const l of lines) { const L = len(l); if (L > bestLen) { best = l; bestLen = L; } }
  let acc = 0;
  for (let i = 1; i < best.length; i++) {
    const d = Math.hypot(best[i][0] - best[i - 1][0], best[i][1] - best[i - 1][1]);
    if (acc + d >= bestLen / 2) {
      const t = d ? (bestLen / 2 - acc) / d : 0;
      return [best[i - 1][0] + t * (best[i][0] - best[i - 1][0]), best[i - 1][1] + t * (best[i][1] - best[i - 1][1])];
    }
    acc += d;
  }
  return best[0];
}

async function loadRoads() {
  try {
    const fc = await fetchJson('/api/layers/roads.geojson?limit=2000');
    const features = (fc.features || []).filter((f) => f.geometry && /LineString/.test(f.geometry.type));
    map.getSource('roads').setData({
      type: 'FeatureCollection',
      features: features.map((f) => ({ type: 'Feature', geometry: f.geometry, properties: { id: f.properties.id, name: f.properties.name, kind: f.properties.kind } })),
    });
    labels.set('roads', features.map((f) => ({
      key: `r${f.properties.id}`, lngLat: lineMiddle(f.geometry), lngLats: alongLine(f.geometry, [0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9]),
      text: f.properties.name || '',
      cls: 'road', priority: f.properties.kind === 'corridor' ? 300 : 250, minzoom: 6.5,
    })));
  } catch (e) {
    console.warn('roads', e);
  }
}

const PLACE_RANK = { 'A.PCLI': [95, 0], 'P.PPLC': [90, 0], 'P.PPLA': [80, 6], 'A.ADM1': [60, 7], region: [58, 6], 'L.RGN': [57, 6], checkpoint: [55, 8], 'S.AIRP': [40, 9], 'S.BDG': [40, 9] };
let placesTimer = 0;
let placesRequest = 0;

function placeItem(f) {
  const p = f.properties;
  const [rank, minzoom] = PLACE_RANK[p.kind] || [10 + Math.min(30, Math.log10((p.population || 0) + 1) * 6), (p.population || 0) > 20000 ? 7 : 8.5];
  return {
    key: `p${p.id}`, lngLat: f.geometry.coordinates, text: p.name || '', cls: rank >= 80 ? 'place place-big' : 'place',
    priority: rank, minzoom, anchor: 'left', dx: 6,
  };
}

async function loadPlaces() {
  const ticket = ++placesRequest;
  if (!state.places || map.getZoom() < 5) {
    map.getSource('places').setData({ type: 'FeatureCollection', features: [] });
    labels.set('places', []);
    return;
  }
  const b = map.getBounds();
  const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(3)).join(',');
  try {
    const fc = await fetchJson(`/api/layers/places.geojson?bbox=${bbox}&limit=1500`);
    if (ticket !== placesRequest) return;
    const features = (fc.features || []).filter((f) => f.geometry && f.geometry.type === 'Point' && !['road', 'corridor'].includes(f.properties.kind));
    const items = features.map(placeItem);
    const zoom = map.getZoom();
    // A dot only for the places whose label may show at this zoom.
    map.getSource('places').setData({
      type: 'FeatureCollection',
      features: features.filter((f, i) => items[i].minzoom <= zoom + 0.5 && !['A.PCLI', 'A.ADM1', 'region', 'L.RGN'].includes(f.properties.kind))
        .map((f) => ({ type: 'Feature', geometry: f.geometry, properties: { id: f.properties.id, kind: f.properties.kind } })),
    });
    labels.set('places', items);
  } catch (e) {
    console.warn('places', e);
  }
}

function schedulePlaces() {
  clearTimeout(placesTimer);
  placesTimer = setTimeout(loadPlaces, 150);
}

function setLayerVisible(ids, on) {
  for (const id of ids) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
}

function applyLayerToggles() {
  setLayerVisible(['places'], state.places);
  labels.setVisible('places', state.places);
  setLayerVisible(['roads', 'roads-casing'], state.roads);
  labels.setVisible('roads', state.roads);
  setLayerVisible(['incident-halos'], state.halos);
  $('layer-places').checked = state.places;
  $('layer-roads').checked = state.roads;
  $('layer-halos').checked = state.halos;
}

// ---- URL ------------------------------------------------------------------------

function viewState() {
  const c = map.getCenter();
  return { ...state, center: [c.lng, c.lat], zoom: map.getZoom() };
}

const saveHash = debounce(() => {
  if (applyingHash || !map) return;
  const hash = toHash(viewState());
  if (location.hash.slice(1) !== hash) history.replaceState(null, '', `#${hash}`);
}, 200);

function applyHash(parsed, { moveMap }) {
  applyingHash = true;
  state.from = parsed.from || null;
  state.to = parsed.to || null;
  state.type = parsed.type || null;
  state.prec = parsed.prec || null;
  state.outlet = parsed.outlet || '';
  state.q = parsed.q || '';
  state.places = parsed.places !== false;
  state.roads = parsed.roads !== false;
  state.halos = parsed.halos !== false;
  $('text-filter').value = state.q;
  $('outlet-filter').value = state.outlet;
  buildFilters();
  timeline.setRange(state.from, state.to);
  if (moveMap && parsed.center) map.jumpTo({ center: parsed.center, zoom: parsed.zoom });
  applyingHash = false;
}

function exportParams() {
  const params = new URLSearchParams();
  const b = map.getBounds();
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
  params.set('bbox', [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)]
    .map((v) => v.toFixed(4)).join(','));
  if (state.from || state.to) params.set('datetime', `${state.from || '..'}/${state.to || '..'}`);
  if (state.type) params.set('event_type', state.type.join(','));
  if (state.prec) params.set('geo_precision', state.prec.join(','));
  if (state.outlet) params.set('outlet', state.outlet);
  if (state.q) params.set('q', state.q);
  return params.toString();
}

function updateDownloads() {
  if (!map) return;
  const q = exportParams();
  const links = [
    ['GeoJSON', `/api/export/incidents.geojson?${q}`],
    ['CSV', `/api/export/incidents.csv?${q}`],
    ['GeoPackage', `/api/export/incidents.gpkg?${q}`],
    ['KML', `/api/export/incidents.kml?${q}`],
    ['GeoJSON (live layer)', `/api/layers/incidents.geojson?${q}`],
  ];
  $('downloads').replaceChildren(...links.map(([label, href]) => el('li', {}, el('a', { href, download: '' }, label))));
}

// ---- play -----------------------------------------------------------------------

let playTimer = 0;
function setPlaying(on) {
  const btn = $('play');
  clearInterval(playTimer);
  playTimer = 0;
  btn.setAttribute('aria-pressed', on ? 'true' : 'false');
  btn.firstChild.textContent = on ? '⏸' : '▶';
  btn.title = on ? 'Pause' : 'Play through time';
  btn.querySelector('.sr-only').textContent = on ? ' Pause' : ' Play';
  if (!on) return;
  const r = timeline.range;
  if (!r.from || timeline.to >= timeline.max) {
    const width = Math.max(14, Math.round((timeline.max - timeline.min) / 8));
    timeline.from = timeline.min;
    timeline.to = timeline.min + width;
    timeline.render();
    onTimeChange(timeline.range);
  }
  playTimer = setInterval(() => {
    if (!timeline.step()) setPlaying(false);
  }, 700);
}

function onTimeChange(range) {
  state.from = range.from;
  state.to = range.to;
  refresh();
}

// ---- start ------------------------------------------------------------------------

async function main() {
  const initial = parseHash(location.hash);
  let style = offlineStyle();
  try {
    const config = await fetchJson('/api/config');
    if (config && typeof config.basemap_style === 'string' && config.basemap_style) style = config.basemap_style;
  } catch { /* offline style */ }

  map = new maplibregl.Map({
    container: 'map',
    style,
    center: initial.center || DEFAULT_VIEW.center,
    zoom: initial.zoom ?? DEFAULT_VIEW.zoom,
    attributionControl: { compact: true, customAttribution: 'Places: GeoNames (CC BY 4.0), sitrep' },
    maxPitch: 0,
    dragRotate: false,
  });
  window.sitrepMap = map;
  // For the browser tests and the console: the loaded and the shown incidents.
  window.sitrepApp = { get all() { return all; }, get shown() { return shown; }, state };
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  map.touchZoomRotate.disableRotation();
  labels = new LabelLayer(map);

  timeline = new Timeline($('histogram'), (range, live) => {
    onTimeChange(range);
    if (!live) saveHash();
  });
  Object.assign(state, {
    from: initial.from || null, to: initial.to || null, type: initial.type || null, prec: initial.prec || null,
    outlet: initial.outlet || '', q: initial.q || '', places: initial.places !== false,
    roads: initial.roads !== false, halos: initial.halos !== false,
  });
  buildFilters();
  $('text-filter').value = state.q;
  wireControls();

  const [incidents] = await Promise.all([
    loadIncidents().catch((e) => {
      $('shown-count').textContent = `Could not load incidents: ${e.message}`;
      return [];
    }),
    new Promise((resolve) => (map.loaded() ? resolve() : map.once('load', resolve))),
  ]);
  all = incidents.filter((f) => f && f.properties);
  for (const f of all) byId.set(String(f.properties.id), f);
  addLayers();
  fillOutlets();
  timeline.setData(all.map((f) => ({ start: f.properties.date_start, end: f.properties.date_end })), []);
  timeline.setRange(state.from, state.to);
  applyLayerToggles();
  refresh();
  loadRoads();
  loadPlaces();
  map.on('moveend', () => { schedulePlaces(); saveHash(); updateDownloads(); });
  editor = await startEditor({ map, reload: reloadAfterEdit });

  if (initial.sel && byId.has(initial.sel)) select(initial.sel, !initial.center);
  else if (!initial.center) {
    const pts = all.filter(located).map((f) => f.geometry.coordinates);
    if (pts.length) {
      const xs = pts.map((p) => p[0]);
      const ys = pts.map((p) => p[1]);
      map.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], { padding: 60, maxZoom: 9, duration: 0 });
    }
  }
  window.addEventListener('hashchange', () => {
    const parsed = parseHash(location.hash);
    applyHash(parsed, { moveMap: true });
    applyLayerToggles();
    refresh();
    select(parsed.sel || null, false);
  });
  document.body.dataset.loadedMs = String(Math.round(performance.now()));
  map.once('idle', () => {
    document.body.dataset.readyMs = String(Math.round(performance.now()));
    document.body.dataset.ready = '1';
  });
}

/** After an edit: incidents, roads and places again, without a page reload. */
async function reloadAfterEdit() {
  all = (await loadIncidents()).filter((f) => f && f.properties);
  byId.clear();
  for (const f of all) byId.set(String(f.properties.id), f);
  fillOutlets();
  timeline.setData(all.map((f) => ({ start: f.properties.date_start, end: f.properties.date_end })), []);
  timeline.setRange(state.from, state.to);
  refresh();
  await Promise.all([loadRoads(), loadPlaces()]);
}

function wireControls() {
  $('text-filter').addEventListener('input', debounce((e) => { state.q = e.target.value.trim(); refresh(); }, 200));
  $('outlet-filter').addEventListener('change', (e) => { state.outlet = e.target.value; refresh(); });
  $('layer-places').addEventListener('change', (e) => { state.places = e.target.checked; applyLayerToggles(); loadPlaces(); saveHash(); });
  $('layer-roads').addEventListener('change', (e) => { state.roads = e.target.checked; applyLayerToggles(); saveHash(); });
  $('layer-halos').addEventListener('change', (e) => { state.halos = e.target.checked; applyLayerToggles(); saveHash(); });
  $('close-detail').addEventListener('click', () => select(null));
  $('detail').addEventListener('keydown', (e) => { if (e.key === 'Escape') select(null); });
  $('play').addEventListener('click', () => setPlaying(!playTimer));
  $('time-reset').addEventListener('click', () => { setPlaying(false); timeline.setRange(null, null, true); });
  const dateInput = () => {
    const f = $('time-from').value || null;
    const t = $('time-to').value || null;
    timeline.setRange(f, t, true);
  };
  $('time-from').addEventListener('change', dateInput);
  $('time-to').addEventListener('change', dateInput);
  const toggle = $('toggle-filters');
  toggle.addEventListener('click', () => {
    const phone = window.matchMedia('(max-width: 760px)').matches;
    const cls = phone ? 'filters-open' : 'filters-closed';
    document.body.classList.toggle(cls);
    const open = phone ? document.body.classList.contains('filters-open') : !document.body.classList.contains('filters-closed');
    toggle.setAttribute('aria-expanded', String(open));
    if (open) $('filters').focus();
    setTimeout(() => map.resize(), 250);
  });
  if (window.matchMedia('(max-width: 760px)').matches) toggle.setAttribute('aria-expanded', 'false');
  new PlaceSearch($('place-search'), $('place-results'), {
    near: () => { const c = map.getCenter(); return `${c.lng.toFixed(4)},${c.lat.toFixed(4)}`; },
    onPick: flyToPlace,
  });
}

function flyToPlace(place) {
  const geometry = place.geometry || { type: 'Point', coordinates: [place.lon, place.lat] };
  map.getSource('found')?.setData({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry, properties: {} }] });
  if (geometry.type !== 'Point') {
    const coords = geometry.type === 'MultiLineString' || geometry.type === 'Polygon' ? geometry.coordinates.flat() : geometry.type === 'MultiPolygon' ? geometry.coordinates.flat(2) : geometry.coordinates;
    const xs = coords.map((c) => c[0]);
    const ys = coords.map((c) => c[1]);
    map.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], { padding: 80, maxZoom: 12, duration: 900 });
    return;
  }
  const span = Math.max(20000, (place.radius_m || 2000) * 8);
  const W = map.getContainer().clientWidth || 800;
  const zoom = Math.log2((W * EARTH * Math.cos((place.lat * Math.PI) / 180)) / (512 * span));
  map.flyTo({ center: [place.lon, place.lat], zoom: Math.max(4, Math.min(13, zoom)), duration: 900 });
}

main().catch((e) => {
  $('shown-count').textContent = `The map could not start: ${e.message}`;
  throw e;
});

