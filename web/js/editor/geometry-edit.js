// Editing a geometry on the map: drag a point; move, add and delete the
// vertices of a road; draw a new road click by click; pick a point for a new
// place. The geometry lives here while it is edited; the panel reads it back
// with geometry() and is told of each change.

const EMPTY = { type: 'FeatureCollection', features: [] };
const round6 = (v) => Math.round(v * 1e6) / 1e6;

export class GeometryEditor {
  constructor(map) {
    this.map = map;
    this.type = null; // 'Point' | 'LineString' | 'MultiLineString'
    this.parts = []; // arrays of [lon, lat]; a point is [[[lon, lat]]]
    this.selected = null; // {part, index} of the selected vertex
    this.mode = 'idle'; // idle | edit | draw | pick
    this.onChange = () => {};
    this.layersReady = false;
  }

  /** Can this geometry be edited here (points and lines)? */
  static editable(geometry) {
    return Boolean(geometry) && ['Point', 'LineString', 'MultiLineString'].includes(geometry.type);
  }

  /** Starts editing `geometry`; `onChange(geometry)` after every change. */
  edit(geometry, onChange) {
    this.ensureLayers();
    this.type = geometry.type;
    if (geometry.type === 'Point') this.parts = [[geometry.coordinates.slice()]];
    else if (geometry.type === 'LineString') this.parts = [geometry.coordinates.map((c) => c.slice())];
    else this.parts = geometry.coordinates.map((line) => line.map((c) => c.slice()));
    this.selected = null;
    this.onChange = onChange || (() => {});
    this.setMode('edit');
  }

  /** Waits for a click on the map that places a new point. */
  pickPoint(onChange) {
    this.ensureLayers();
    this.type = 'Point';
    this.parts = [];
    this.onChange = onChange || (() => {});
    this.setMode('pick');
  }

  /** Draws a new line: each click adds a vertex; finishDrawing() (or a double click) ends. */
  drawLine(onChange) {
    this.ensureLayers();
    this.type = 'LineString';
    this.parts = [[]];
    this.selected = null;
    this.onChange = onChange || (() => {});
    this.setMode('draw');
  }

  finishDrawing() {
    if (this.mode !== 'draw') return;
    this.setMode('edit');
    this.changed();
  }

  /** Stops editing and clears the map. */
  stop() {
    this.setMode('idle');
    this.parts = [];
    this.type = null;
    this.render();
  }

  /** True while a click on the map belongs to the editor (drawing, picking). */
  get capturesClicks() {
    return this.mode === 'draw' || this.mode === 'pick';
  }

  /** The edited geometry as GeoJSON, or null when there is none yet. */
  geometry() {
    if (this.type === 'Point') return this.parts[0] ? { type: 'Point', coordinates: this.parts[0][0] } : null;
    if (this.type === 'LineString') return this.parts[0] && this.parts[0].length >= 2 ? { type: 'LineString', coordinates: this.parts[0] } : null;
    if (this.type === 'MultiLineString') return { type: 'MultiLineString', coordinates: this.parts };
    return null;
  }

  vertexCount() {
    return this.parts.reduce((n, p) => n + p.length, 0);
  }

  /** Moves the point (or the selected vertex) to [lon, lat], e.g. typed in the panel. */
  moveTo(lonLat) {
    const target = this.type === 'Point' ? { part: 0, index: 0 } : this.selected;
    if (!target || !this.parts[target.part]) return;
    this.parts[target.part][target.index] = lonLat.map(round6);
    this.render();
    this.changed();
  }

  /** Deletes the selected vertex (a line keeps at least two). */
  deleteSelected() {
    const s = this.selected;
    if (!s || this.type === 'Point' || this.parts[s.part].length <= 2) return false;
    this.parts[s.part].splice(s.index, 1);
    this.selected = null;
    this.render();
    this.changed();
    return true;
  }

  changed() {
    this.onChange(this.geometry());
  }

  setMode(mode) {
    this.mode = mode;
    const canvas = this.map.getCanvas();
    canvas.style.cursor = mode === 'draw' || mode === 'pick' ? 'crosshair' : '';
    if (mode === 'draw') this.map.doubleClickZoom.disable();
    else this.map.doubleClickZoom.enable();
    this.render();
  }

  ensureLayers() {
    if (this.layersReady) return;
    const map = this.map;
    map.addSource('edit-shape', { type: 'geojson', data: EMPTY });
    map.addSource('edit-handles', { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'edit-line', type: 'line', source: 'edit-shape',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#0b5cad', 'line-width': 4, 'line-dasharray': [2, 1] },
    });
    map.addLayer({
      id: 'edit-handles', type: 'circle', source: 'edit-handles',
      paint: {
        'circle-radius': ['match', ['get', 'role'], 'mid', 4, 'point', 11, ['case', ['get', 'selected'], 8, 6]],
        'circle-color': ['match', ['get', 'role'], 'mid', 'rgba(255,255,255,0.7)', 'point', 'rgba(11,92,173,0.25)', '#ffffff'],
        'circle-stroke-color': ['case', ['get', 'selected'], '#ff9f1c', '#0b5cad'],
        'circle-stroke-width': ['match', ['get', 'role'], 'point', 3, 2],
      },
    });
    map.on('mousedown', 'edit-handles', (e) => this.startDrag(e, 'mousemove', 'mouseup'));
    map.on('touchstart', 'edit-handles', (e) => this.startDrag(e, 'touchmove', 'touchend'));
    map.on('mouseenter', 'edit-handles', () => { if (this.mode === 'edit') map.getCanvas().style.cursor = 'grab'; });
    map.on('mouseleave', 'edit-handles', () => { if (this.mode === 'edit') map.getCanvas().style.cursor = ''; });
    map.on('click', (e) => this.click(e));
    map.on('dblclick', (e) => { if (this.mode === 'draw') { e.preventDefault(); this.finishDrawing(); } });
    this.layersReady = true;
  }

  click(e) {
    const at = [round6(e.lngLat.lng), round6(e.lngLat.lat)];
    if (this.mode === 'pick') {
      this.parts = [[at]];
      this.setMode('edit');
      this.changed();
    } else if (this.mode === 'draw') {
      this.parts[0].push(at);
      this.render();
      this.changed();
    }
  }

  startDrag(e, moveEvent, endEvent) {
    if (this.mode !== 'edit' || !e.features || !e.features.length) return;
    e.preventDefault(); // the map must not pan while a handle is dragged
    const { role, part } = e.features[0].properties;
    let { index } = e.features[0].properties;
    if (role === 'mid') {
      // dragging the dot between two vertices inserts a vertex there
      this.parts[part].splice(index, 0, [round6(e.lngLat.lng), round6(e.lngLat.lat)]);
    }
    this.selected = { part, index };
    const map = this.map;
    map.getCanvas().style.cursor = 'grabbing';
    const move = (ev) => {
      this.parts[part][index] = [round6(ev.lngLat.lng), round6(ev.lngLat.lat)];
      this.render();
    };
    map.on(moveEvent, move);
    map.once(endEvent, () => {
      map.off(moveEvent, move);
      map.getCanvas().style.cursor = '';
      this.render();
      this.changed();
    });
    this.render();
  }

  render() {
    if (!this.layersReady) return;
    const handles = [];
    const shapes = [];
    if (this.type === 'Point' && this.parts[0]) {
      handles.push(handle(this.parts[0][0], { role: 'point', part: 0, index: 0 }));
    } else if (this.type) {
      this.parts.forEach((line, part) => {
        if (line.length >= 2) shapes.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: line } });
        line.forEach((c, index) => {
          const selected = Boolean(this.selected && this.selected.part === part && this.selected.index === index);
          handles.push(handle(c, { role: 'vertex', part, index, selected }));
          if (index > 0 && this.mode === 'edit') {
            const prev = line[index - 1];
            handles.push(handle([(prev[0] + c[0]) / 2, (prev[1] + c[1]) / 2], { role: 'mid', part, index }));
          }
        });
      });
    }
    this.map.getSource('edit-shape').setData({ type: 'FeatureCollection', features: shapes });
    this.map.getSource('edit-handles').setData({ type: 'FeatureCollection', features: handles });
  }
}

function handle(coordinates, properties) {
  return { type: 'Feature', properties: { selected: false, ...properties }, geometry: { type: 'Point', coordinates } };
}
