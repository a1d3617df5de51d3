// The offline basemap: Natural Earth land, lakes, country borders and the
// first-level divisions of the region, as GeoJSON served by sitrep itself.
// The style has no `glyphs` and no `sprite` and no symbol layers, so MapLibre
// requests nothing but these files; labels are HTML (see labels.js).

export const WATER = '#b9d3e6';

/** The offline style. */
export function offlineStyle() {
  return {
    version: 8,
    name: 'sitrep offline',
    sources: {
      land: { type: 'geojson', data: '/basemap/land.geojson', attribution: 'Natural Earth (public domain)' },
      lakes: { type: 'geojson', data: '/basemap/lakes.geojson' },
      borders: { type: 'geojson', data: '/basemap/borders.geojson' },
      admin1: { type: 'geojson', data: '/basemap/admin1.geojson' },
    },
    layers: [
      { id: 'water', type: 'background', paint: { 'background-color': WATER } },
      { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': '#f3efe6', 'fill-outline-color': '#a9b9c6' } },
      { id: 'lakes', type: 'fill', source: 'lakes', paint: { 'fill-color': WATER } },
      {
        id: 'admin1', type: 'line', source: 'admin1', minzoom: 5,
        paint: { 'line-color': '#a89f91', 'line-width': ['interpolate', ['linear'], ['zoom'], 5, 0.5, 10, 1.2], 'line-dasharray': [3, 2] },
      },
      {
        id: 'borders', type: 'line', source: 'borders',
        paint: { 'line-color': '#7f7365', 'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.6, 8, 1.6, 12, 2.4] },
      },
    ],
  };
}
