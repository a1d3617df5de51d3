// The place editor: names, kind, uncertainty radius and geometry of one
// gazetteer place; saving with If-Match; a conflict shows what the other
// editor changed and re-applies this editor's changes on top; history and
// merge of a duplicate; and the form for adding a missing place.

import { el } from '../dom.js';
import { PlaceSearch } from '../search.js';
import { api, placeUrl } from './api.js';
import { describeChanges } from './place-diff.js';
import { distanceM, formatDistance, coordinatesOf } from './geo.js';
import { GeometryEditor } from './geometry-edit.js';
import { renderHistory } from './history.js';

const NAME_KINDS = ['alternate', 'official', 'historic', 'colloquial', 'abbreviation'];
const COMMON_KINDS = [
  ['P.PPL', 'town or village'], ['P.PPLA', 'regional centre'], ['P.PPLC', 'capital'], ['road', 'road'],
  ['corridor', 'corridor'], ['checkpoint', 'checkpoint'], ['region', 'region'], ['A.ADM1', 'province'],
  ['A.ADM2', 'district'], ['S.BDG', 'bridge'], ['S.AIRP', 'airport'], ['T.MT', 'mountain'], ['H.STM', 'river'],
];
const LINE_KINDS = ['road', 'corridor'];

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const clone = (v) => JSON.parse(JSON.stringify(v));

/** Name fields the API accepts (it refuses unknown ones). */
function nameInput(n) {
  const out = { text: n.text, lang: n.lang || '', kind: n.kind || 'alternate' };
  if (n.valid_from) out.valid_from = n.valid_from;
  if (n.valid_to) out.valid_to = n.valid_to;
  return out;
}

const nameKey = (n) => JSON.stringify(nameInput(n));

/** The editable state of `feature` with `patch` applied on top. */
function applyPatch(feature, patch) {
  const p = feature.properties;
  let names = clone(p.names || []);
  if (patch.remove_names) names = names.filter((n) => !patch.remove_names.includes(n.text));
  for (const added of patch.add_names || []) {
    names = names.filter((n) => n.text !== added.text);
    names.push(clone(added));
  }
  let geometry = clone(feature.geometry);
  if (patch.geometry) geometry = clone(patch.geometry);
  if (patch.point) geometry = { type: 'Point', coordinates: patch.point.slice() };
  return {
    names,
    kind: patch.kind ?? p.kind,
    radius: patch.radius_m ?? p.radius_m,
    geometry,
  };
}

export class PlaceEditor {
  /**
   * body: the panel element to fill; notify(text, kind): the notice;
   * afterSave(): reloads the map's layers; near(): "lon,lat" of the map centre.
   */
  constructor({ map, body, notify, afterSave, near }) {
    this.map = map;
    this.body = body;
    this.notify = notify;
    this.afterSave = afterSave;
    this.near = near;
    this.geometryEditor = new GeometryEditor(map);
    this.reset();
  }

  reset() {
    this.id = null;
    this.base = null; // the Feature as last read from the server
    this.revision = null;
    this.draft = null; // {names, kind, radius, geometry}
    this.view = 'edit';
    this.conflict = null;
    this.mergeTarget = null;
    this.creating = null; // {mention} while adding a missing place
  }

  get isOpen() {
    return Boolean(this.id || this.creating);
  }

  /** Opens place `id` for editing. */
  async open(id) {
    this.geometryEditor.stop();
    const { data, revision } = await api('GET', placeUrl(id));
    this.reset();
    this.load(data, revision);
    this.showOnMap();
  }

  load(feature, revision) {
    this.id = feature.properties.id || feature.id;
    this.base = feature;
    this.revision = revision ?? feature.properties.revision;
    this.draft = applyPatch(feature, {});
    this.conflict = null;
    this.startGeometry();
    this.render();
  }

  close() {
    this.geometryEditor.stop();
    this.reset();
  }

  startGeometry() {
    if (GeometryEditor.editable(this.draft.geometry)) {
      this.geometryEditor.edit(this.draft.geometry, (g) => this.geometryChanged(g));
    } else this.geometryEditor.stop();
  }

  showOnMap() {
    const g = this.draft.geometry;
    if (g.type === 'Point') {
      this.map.easeTo({ center: g.coordinates, zoom: Math.max(this.map.getZoom(), 11), duration: 600 });
    } else {
      const cs = coordinatesOf(g);
      const xs = cs.map((c) => c[0]);
      const ys = cs.map((c) => c[1]);
      this.map.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], { padding: 80, maxZoom: 13, duration: 600 });
    }
  }

  geometryChanged(geometry) {
    if (geometry) this.draft.geometry = clone(geometry);
    this.updateLive();
  }

  /** What this editor changed, as a PATCH body (empty object when nothing). */
  patch() {
    const p = this.base.properties;
    const out = {};
    const before = new Map((p.names || []).map((n) => [n.text, n]));
    const after = new Map(this.draft.names.map((n) => [n.text, n]));
    const added = this.draft.names.filter((n) => !before.has(n.text) || nameKey(before.get(n.text)) !== nameKey(n));
    const removed = [...before.keys()].filter((t) => !after.has(t));
    if (added.length) out.add_names = added.map(nameInput);
    if (removed.length) out.remove_names = removed;
    if (this.draft.kind !== p.kind) out.kind = this.draft.kind;
    if (Number(this.draft.radius) !== Number(p.radius_m)) out.radius_m = Number(this.draft.radius);
    if (JSON.stringify(this.draft.geometry) !== JSON.stringify(this.base.geometry)) {
      if (this.draft.geometry.type === 'Point') out.point = this.draft.geometry.coordinates;
      else out.geometry = this.draft.geometry;
    }
    return out;
  }

  draftFeature() {
    const g = this.draft.geometry;
    return {
      type: 'Feature',
      geometry: g,
      properties: {
        ...this.base.properties, names: this.draft.names, kind: this.draft.kind, radius_m: Number(this.draft.radius),
        point: g.type === 'Point' ? g.coordinates : this.base.properties.point,
      },
    };
  }

  // ---- saving --------------------------------------------------------------

  async save() {
    const patch = this.patch();
    if (!Object.keys(patch).length) {
      this.notify('Nothing to save: no change.');
      return;
    }
    patch.why = this.body.querySelector('#edit-why')?.value.trim() || '';
    try {
      const { data, revision } = await api('PATCH', placeUrl(this.id), { body: patch, revision: this.revision });
      const changed = data.changed || {};
      const reread = data.reresolved || {};
      const moved = (changed.moved_incidents || []).length;
      this.notify(`Saved revision ${revision}: ${plural(moved, 'incident')} moved, ${plural(changed.mentions || 0, 'mention')} of this place, `
        + `${plural(reread.articles || 0, 'article')} re-resolved (${plural(reread.mentions_changed || 0, 'mention')} changed).`);
      this.load(data.place, revision);
      await this.afterSave();
    } catch (err) {
      if (err.status === 412 && err.current) await this.showConflict(err.current);
      else this.notify(`Not saved: ${err.message}`, 'error');
    }
  }

  /** Someone saved first: show their change and offer to re-apply ours on top. */
  async showConflict(current) {
    let who = [];
    try {
      const { data } = await api('GET', placeUrl(this.id, '/history'));
      who = (data.revisions || []).filter((r) => r.revision > this.revision);
    } catch { /* the diff alone still tells what changed */ }
    this.conflict = { current, who, theirs: describeChanges(this.base, current), mine: describeChanges(this.base, this.draftFeature()) };
    this.notify('Not saved: another editor changed this place first.', 'error');
    this.render();
    this.body.querySelector('.conflict')?.focus();
  }

  /** Rebases this editor's changes on the current version, then saves. */
  async reapply() {
    const mine = this.patch();
    const current = this.conflict.current;
    const why = this.body.querySelector('#edit-why')?.value || '';
    this.base = current;
    this.revision = current.properties.revision;
    this.draft = applyPatch(current, mine);
    this.conflict = null;
    this.startGeometry();
    this.render();
    this.body.querySelector('#edit-why').value = why;
    await this.save();
  }

  discardMine() {
    const current = this.conflict ? this.conflict.current : this.base;
    this.load(current, current.properties.revision);
    this.notify('Your changes were discarded; this is the current version.');
  }

  // ---- rendering -----------------------------------------------------------

  render() {
    if (this.creating) return this.renderCreate();
    const p = this.base.properties;
    const tab = (view, label) => el('button', {
      type: 'button', class: 'tab', 'aria-pressed': this.view === view ? 'true' : 'false',
      onclick: () => { this.view = view; this.render(); },
    }, label);
    const content = this.view === 'history' ? this.renderHistoryView() : this.view === 'merge' ? this.renderMerge() : this.renderEdit();
    this.body.replaceChildren(
      el('h3', { id: 'editor-title' }, p.name || this.id),
      el('p', { class: 'meta' }, `${this.id} · ${p.kind} · revision ${this.revision}${p.status && p.status !== 'current' ? ` · ${p.status}` : ''}`),
      el('div', { class: 'tabs', role: 'group', 'aria-label': 'Editor views' }, tab('edit', 'Edit'), tab('history', 'History'), tab('merge', 'Merge duplicate')),
      content);
  }

  renderEdit() {
    const d = this.draft;
    const form = el('form', { class: 'place-form', onsubmit: (e) => { e.preventDefault(); this.save(); } });
    if (this.conflict) form.appendChild(this.renderConflict());
    form.append(
      this.renderNames(),
      el('fieldset', {}, el('legend', {}, 'Place'),
        el('label', {}, 'Kind ', el('input', {
          id: 'edit-kind', list: 'kind-options', value: d.kind, required: true,
          oninput: (e) => { d.kind = e.target.value.trim(); this.updateLive(); },
        })),
        el('datalist', { id: 'kind-options' }, COMMON_KINDS.map(([k, label]) => el('option', { value: k }, label))),
        el('label', {}, 'Uncertainty radius (m) ', el('input', {
          id: 'edit-radius', type: 'number', min: 1, max: 5000000, step: 1, value: d.radius, required: true,
          oninput: (e) => { d.radius = e.target.value; this.updateLive(); },
        }))),
      this.renderGeometry(),
      el('label', { class: 'why-input' }, 'Why (kept in the history) ', el('input', { id: 'edit-why', placeholder: 'e.g. surveyed position', maxlength: 500 })),
      el('div', { class: 'pending', 'aria-live': 'polite' }),
      el('div', { class: 'actions' },
        el('button', { type: 'submit', class: 'primary', id: 'edit-save' }, 'Save'),
        el('button', { type: 'button', onclick: () => this.discardMine() }, 'Discard changes')));
    queueMicrotask(() => this.updateLive());
    return form;
  }

  renderNames() {
    const d = this.draft;
    const rows = d.names.map((n, i) => {
      const historic = el('div', { class: 'historic-form', hidden: true },
        el('label', {}, 'From ', el('input', { class: 'h-from', placeholder: 'YYYY', size: 10, value: n.valid_from || '' })),
        el('label', {}, 'To ', el('input', { class: 'h-to', placeholder: 'YYYY', size: 10, value: n.valid_to || '' })),
        el('button', {
          type: 'button', class: 'small-btn',
          onclick: (e) => {
            const box = e.target.closest('.historic-form');
            d.names[i] = { ...n, kind: 'historic', valid_from: box.querySelector('.h-from').value.trim() || null, valid_to: box.querySelector('.h-to').value.trim() || null };
            this.renderAndFocus('.names-list');
          },
        }, 'Mark historic'));
      return el('li', { class: 'name-row' },
        el('span', { class: 'name-text' }, n.text),
        el('span', { class: 'badge' }, [n.lang, n.kind, n.valid_from || n.valid_to ? `${n.valid_from || '…'}–${n.valid_to || '…'}` : ''].filter(Boolean).join(' · ')),
        el('span', { class: 'row-actions' },
          el('button', {
            type: 'button', class: 'small-btn', 'aria-label': `Mark “${n.text}” historic`,
            onclick: (e) => { const box = e.target.closest('li').querySelector('.historic-form'); box.hidden = !box.hidden; if (!box.hidden) box.querySelector('input').focus(); },
          }, 'Historic…'),
          el('button', {
            type: 'button', class: 'small-btn danger', 'aria-label': `Remove name “${n.text}”`, disabled: d.names.length <= 1,
            onclick: () => { d.names.splice(i, 1); this.renderAndFocus('.names-list'); },
          }, 'Remove')),
        historic);
    });
    const addText = el('input', { id: 'new-name', placeholder: 'Name as written', maxlength: 200 });
    const addLang = el('input', { id: 'new-name-lang', placeholder: 'az', size: 4, maxlength: 8 });
    const addKind = el('select', { id: 'new-name-kind', onchange: (e) => { datesBox.hidden = e.target.value !== 'historic'; } },
      NAME_KINDS.map((k) => el('option', { value: k }, k)));
    const addFrom = el('input', { id: 'new-name-from', placeholder: 'YYYY', size: 10 });
    const addTo = el('input', { id: 'new-name-to', placeholder: 'YYYY', size: 10 });
    const datesBox = el('span', { class: 'dates', hidden: true }, el('label', {}, 'From ', addFrom), el('label', {}, 'To ', addTo));
    const add = () => {
      const text = addText.value.trim();
      if (!text) { addText.focus(); return; }
      d.names = d.names.filter((n) => n.text !== text);
      const historic = addKind.value === 'historic';
      d.names.push({ text, lang: addLang.value.trim(), kind: addKind.value, valid_from: historic ? addFrom.value.trim() || null : null, valid_to: historic ? addTo.value.trim() || null : null });
      this.renderAndFocus('#new-name');
    };
    addText.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } });
    return el('fieldset', { class: 'names' }, el('legend', {}, 'Names'),
      el('ul', { class: 'names-list', tabindex: '-1' }, rows),
      el('div', { class: 'add-name' },
        el('label', {}, el('span', { class: 'sr-only' }, 'New name'), addText),
        el('label', {}, 'Lang ', addLang),
        el('label', {}, 'Kind ', addKind),
        datesBox,
        el('button', { type: 'button', class: 'small-btn', id: 'add-name', onclick: add }, 'Add name')));
  }

  renderGeometry() {
    const g = this.draft.geometry;
    const box = el('fieldset', { class: 'geometry' }, el('legend', {}, 'Location'));
    if (g.type === 'Point') {
      const input = (label, i, id) => el('label', {}, label, ' ', el('input', {
        id, type: 'number', step: 'any', value: g.coordinates[i],
        onchange: (e) => {
          const c = this.draft.geometry.coordinates.slice();
          c[i] = Number(e.target.value);
          this.geometryEditor.moveTo(c);
        },
      }));
      box.append(el('p', { class: 'hint' }, 'Drag the blue ring on the map, or type the coordinates.'),
        input('Longitude', 0, 'edit-lon'), input('Latitude', 1, 'edit-lat'));
    } else if (GeometryEditor.editable(g)) {
      box.append(
        el('p', { class: 'hint' }, 'Drag a vertex to move it; drag or click a small dot between two vertices to add one; click a vertex, then delete it.'),
        el('p', { class: 'vertex-count' }),
        el('button', {
          type: 'button', class: 'small-btn', id: 'delete-vertex',
          onclick: () => { if (!this.geometryEditor.deleteSelected()) this.notify('Select a vertex first (a line keeps two).'); },
        }, 'Delete selected vertex'));
    } else {
      box.append(el('p', { class: 'hint' }, `A ${g.type} is not edited here; its names, kind and radius are.`));
    }
    box.append(el('output', { class: 'moved', id: 'edit-moved' }));
    return box;
  }

  renderAndFocus(selector) {
    const why = this.body.querySelector('#edit-why')?.value;
    this.render();
    if (why) this.body.querySelector('#edit-why').value = why;
    this.body.querySelector(selector)?.focus();
  }

  /** Updates what depends on the draft without re-rendering the form (keeps focus). */
  updateLive() {
    const g = this.draft.geometry;
    const moved = this.body.querySelector('#edit-moved');
    if (moved && g.type === 'Point' && this.base.geometry.type === 'Point') {
      const m = distanceM(this.base.geometry.coordinates, g.coordinates);
      moved.textContent = m >= 0.5 ? `Moved ${formatDistance(m)} from the saved position.` : '';
      const [lon, lat] = g.coordinates;
      const lonInput = this.body.querySelector('#edit-lon');
      const latInput = this.body.querySelector('#edit-lat');
      if (lonInput && document.activeElement !== lonInput) lonInput.value = lon;
      if (latInput && document.activeElement !== latInput) latInput.value = lat;
    }
    const count = this.body.querySelector('.vertex-count');
    if (count) count.textContent = `${this.geometryEditor.vertexCount()} vertices`;
    const pending = this.body.querySelector('.pending');
    if (pending) {
      const changes = Object.keys(this.patch()).length ? describeChanges(this.base, this.draftFeature()) : [];
      pending.replaceChildren(...(changes.length
        ? [el('strong', {}, 'Unsaved changes:'), el('ul', {}, changes.map((c) => el('li', {}, c)))]
        : [el('span', { class: 'hint' }, 'No unsaved changes.')]));
    }
  }

  renderConflict() {
    const c = this.conflict;
    return el('section', { class: 'conflict', tabindex: '-1', role: 'alert' },
      el('h4', {}, `Another editor saved revision ${c.current.properties.revision} while you edited revision ${this.revision}`),
      c.who.length ? el('p', {}, c.who.map((r) => `${r.user || 'someone'} at ${String(r.at).replace('T', ' ').replace('Z', ' UTC')}: “${r.why}”`).join('; ')) : null,
      el('p', {}, el('strong', {}, 'Their changes:')),
      el('ul', { class: 'theirs' }, c.theirs.map((line) => el('li', {}, line))),
      el('p', {}, el('strong', {}, 'Your changes (not saved):')),
      el('ul', { class: 'mine' }, c.mine.map((line) => el('li', {}, line))),
      el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'primary', id: 'reapply', onclick: () => this.reapply() }, 'Re-apply my changes on top'),
        el('button', { type: 'button', onclick: () => this.discardMine() }, 'Discard mine')));
  }

  renderHistoryView() {
    const container = el('div', { class: 'history-view' });
    renderHistory(container, this.id, {
      notify: this.notify,
      onRestored: async (reply) => {
        this.load(reply.data.place, reply.revision);
        this.view = 'history';
        this.render();
        await this.afterSave();
      },
    });
    return container;
  }

  renderMerge() {
    const input = el('input', { id: 'merge-search', type: 'search', placeholder: 'Find the place this one duplicates', autocomplete: 'off', role: 'combobox', 'aria-expanded': 'false', 'aria-controls': 'merge-results' });
    const list = el('ul', { id: 'merge-results', class: 'results', role: 'listbox', hidden: true });
    new PlaceSearch(input, list, {
      near: this.near,
      onPick: (r) => { this.mergeTarget = r; this.render(); this.body.querySelector('#merge-confirm')?.focus(); },
    });
    const target = this.mergeTarget;
    return el('section', { class: 'merge' },
      el('p', { class: 'hint' }, 'If this place is a duplicate, merge it into the place that stays: this one is superseded and its incidents and mentions follow.'),
      el('label', {}, 'Duplicate of ', el('div', { class: 'search-box' }, input, list)),
      target ? el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'primary', id: 'merge-confirm', onclick: () => this.merge(target) },
          `Merge ${this.base.properties.name} into ${target.name} (${target.id})`)) : null);
  }

  async merge(target) {
    if (target.id === this.id) { this.notify('A place cannot be merged into itself.', 'error'); return; }
    try {
      const { data } = await api('POST', placeUrl(this.id, '/merge'), { body: { into: target.id, why: `duplicate of ${target.id}` }, revision: this.revision });
      const moved = Array.isArray(data.incidents_moved) ? data.incidents_moved.length : Number(data.incidents_moved) || 0;
      this.notify(`Merged into ${target.name}: ${plural(moved, 'incident')} followed.`);
      await this.afterSave();
      await this.open(target.id);
    } catch (err) {
      this.notify(err.status === 412 ? 'Not merged: the place changed meanwhile; reload it.' : `Not merged: ${err.message}`, 'error');
    }
  }

  // ---- a missing place -------------------------------------------------------

  /** Starts adding a place; `mention` (from the review queue) prefills it. */
  create(mention = null) {
    this.geometryEditor.stop();
    this.reset();
    this.creating = { mention, name: mention ? mention.text : '', kind: 'P.PPL', radius: 1000, country: '', geometry: null };
    this.geometryEditor.pickPoint((g) => { this.creating.geometry = g; this.updateCreate(); });
    this.render();
    this.body.querySelector('#new-place-name')?.focus();
  }

  renderCreate() {
    const c = this.creating;
    const m = c.mention;
    const field = (label, key, attrs = {}) => el('label', {}, label, ' ', el('input', {
      ...attrs, value: c[key], oninput: (e) => { c[key] = e.target.value; },
    }));
    this.body.replaceChildren(
      el('h3', { id: 'editor-title' }, 'Add a missing place'),
      m ? el('p', { class: 'meta' }, `For the mention “${m.text}” in “${m.source_title}”.`) : null,
      m ? el('blockquote', { class: 'evidence' }, m.context) : null,
      el('form', { class: 'place-form', onsubmit: (e) => { e.preventDefault(); this.saveNew(); } },
        field('Name', 'name', { id: 'new-place-name', required: true, maxlength: 200 }),
        el('label', {}, 'Kind ', el('input', {
          id: 'new-place-kind', list: 'kind-options', value: c.kind, required: true,
          oninput: (e) => { c.kind = e.target.value.trim(); },
        })),
        el('datalist', { id: 'kind-options' }, COMMON_KINDS.map(([k, label]) => el('option', { value: k }, label))),
        field('Uncertainty radius (m)', 'radius', { type: 'number', min: 1, step: 1 }),
        field('Country (ISO code)', 'country', { maxlength: 2, size: 3 }),
        el('fieldset', { class: 'geometry' }, el('legend', {}, 'Location'),
          el('p', { class: 'hint', id: 'create-geometry-hint' }),
          el('div', { class: 'actions' },
            el('button', { type: 'button', class: 'small-btn', onclick: () => { this.geometryEditor.pickPoint((g) => { c.geometry = g; this.updateCreate(); }); c.geometry = null; this.updateCreate(); } }, 'Place a point'),
            el('button', {
              type: 'button', class: 'small-btn', id: 'draw-road',
              onclick: () => {
                if (!LINE_KINDS.includes(c.kind)) { c.kind = 'road'; this.body.querySelector('#new-place-kind').value = 'road'; }
                c.geometry = null;
                this.geometryEditor.drawLine((g) => { c.geometry = g; this.updateCreate(); });
                this.updateCreate();
              },
            }, 'Draw a road'),
            el('button', { type: 'button', class: 'small-btn', id: 'finish-line', onclick: () => this.geometryEditor.finishDrawing() }, 'Finish line'))),
        el('label', { class: 'why-input' }, 'Why ', el('input', { id: 'new-place-why', value: m ? `missing place, mentioned in “${m.source_title}”` : '', maxlength: 500 })),
        el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', id: 'create-save' }, 'Add place'))));
    this.updateCreate();
  }

  updateCreate() {
    const hint = this.body.querySelector('#create-geometry-hint');
    if (!hint) return;
    const g = this.creating.geometry;
    const mode = this.geometryEditor.mode;
    if (mode === 'draw') hint.textContent = `Click on the map to add vertices (${this.geometryEditor.vertexCount()} so far); double-click or “Finish line” to end.`;
    else if (!g) hint.textContent = 'Click on the map where the place is.';
    else if (g.type === 'Point') hint.textContent = `Point at ${g.coordinates[1].toFixed(5)}, ${g.coordinates[0].toFixed(5)}: drag it to adjust.`;
    else hint.textContent = `A line of ${coordinatesOf(g).length} vertices: drag them to adjust.`;
  }

  async saveNew() {
    const c = this.creating;
    const g = c.geometry || this.geometryEditor.geometry();
    if (!g) { this.notify('Set the location on the map first.', 'error'); return; }
    const body = {
      name: c.name.trim(), kind: c.kind, radius_m: Number(c.radius) || 1000, country: c.country.trim(),
      why: this.body.querySelector('#new-place-why').value.trim(),
    };
    if (g.type === 'Point') body.point = g.coordinates; else body.geometry = g;
    try {
      const { data } = await api('POST', '/api/places', { body });
      const id = data.properties.id || data.id;
      let also = '';
      if (c.mention) {
        await api('PATCH', `/api/mentions/${c.mention.id}`, { body: { action: 'reassign', place_id: id }, revision: c.mention.revision });
        also = ` The mention “${c.mention.text}” now points to it.`;
      }
      this.notify(`Added ${body.name} (${id}).${also}`);
      await this.afterSave();
      await this.open(id);
    } catch (err) {
      this.notify(`Not added: ${err.message}`, 'error');
    }
  }
}
