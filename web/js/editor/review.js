// The review queue: machine-placed mentions and draft incidents, least
// certain first. Keyboard first: a accept, r reject, 1-3 pick an
// alternative, / search another place, j/k next/previous, x select for bulk
// accept. The sentence shows the name marked (a <mark> element with text
// nodes); the chosen place and the alternatives are numbered on the map.

import * as maplibregl from '/vendor/maplibre/maplibre-gl.mjs';
import { el, highlighted } from '../dom.js';
import { PlaceSearch } from '../search.js';
import { api } from './api.js';
import { draftForm } from './draft-incident.js';

const KEY_HELP = 'a accept · r reject · 1–3 pick alternative · / another place · j/k next/previous · x select';

export class ReviewQueue {
  /**
   * body: the panel element; notify(text, kind); afterChange(): reloads the
   * map; addPlace(mention): opens the form for a missing place; near().
   */
  constructor({ map, body, notify, afterChange, addPlace, near }) {
    this.map = map;
    this.body = body;
    this.notify = notify;
    this.afterChange = afterChange;
    this.addPlace = addPlace;
    this.near = near;
    this.items = [];
    this.index = 0;
    this.active = false;
    this.markers = [];
    this.initialDrafts = null;
    this.progress = null;
    body.addEventListener('keydown', (e) => this.key(e));
  }

  async open() {
    this.active = true;
    this.body.replaceChildren(el('p', { class: 'hint' }, 'Loading the review queue…'));
    let data;
    try {
      data = (await api('GET', '/api/review?limit=200')).data;
    } catch (err) {
      this.body.replaceChildren(el('p', { class: 'error' }, `Could not load the queue: ${err.message}`));
      return;
    }
    const mentions = (data.mentions || []).map((m) => ({ kind: 'mention', id: m.id, confidence: m.score, record: m, decided: null, selected: false }));
    const drafts = (data.incidents || []).map((i) => ({ kind: 'incident', id: i.id, confidence: i.confidence, record: i, decided: null, selected: false }));
    this.items = [...mentions, ...drafts].sort((a, b) => a.confidence - b.confidence || a.id - b.id);
    this.index = 0;
    if (this.initialDrafts === null) this.initialDrafts = data.progress ? data.progress.draft_incidents : drafts.length;
    this.progress = data.progress;
    this.render();
    this.body.querySelector('.queue')?.focus();
  }

  close() {
    this.active = false;
    this.clearMap();
  }

  get current() {
    return this.items[this.index];
  }

  progressText() {
    const p = this.progress || { reviewed: 0, total: 0, draft_incidents: 0 };
    const drafts = this.initialDrafts ?? p.draft_incidents;
    const reviewed = p.reviewed + Math.max(0, drafts - p.draft_incidents);
    return `${reviewed} of ${p.total + drafts} reviewed`;
  }

  render() {
    const selected = this.items.filter((i) => i.selected && !i.decided).length;
    const list = el('ol', {
      class: 'queue', role: 'listbox', tabindex: '0', 'aria-label': 'Items to review',
      'aria-activedescendant': this.current ? `review-${this.index}` : null,
    }, this.items.map((item, i) => el('li', {
      id: `review-${i}`, role: 'option', class: `queue-item${item.decided ? ' decided' : ''}`,
      'aria-selected': i === this.index ? 'true' : 'false',
      onclick: (e) => { if (e.target.type !== 'checkbox') this.go(i); },
    },
    el('input', {
      type: 'checkbox', tabindex: '-1', checked: item.selected, 'aria-label': 'Select for bulk accept',
      onchange: (e) => { item.selected = e.target.checked; this.render(); },
    }),
    el('span', { class: 'q-label' }, item.kind === 'mention' ? item.record.text : `Draft: ${item.record.sub_event_type || item.record.event_type}`),
    el('span', { class: 'q-meta' }, item.kind === 'mention' ? item.record.source_title : (item.record.location?.name || '')),
    el('span', { class: 'badge' }, item.decided || `${Math.round(item.confidence * 100)}%`))));
    this.body.replaceChildren(
      el('h3', { id: 'editor-title' }, 'Review queue'),
      el('p', { class: 'progress', id: 'review-progress', 'aria-live': 'polite' }, this.progressText()),
      el('p', { class: 'hint keys' }, KEY_HELP),
      el('div', { class: 'actions' },
        el('button', { type: 'button', id: 'bulk-accept', disabled: !selected, onclick: () => this.bulkAccept() }, `Accept selected (${selected})`),
        el('button', { type: 'button', onclick: () => this.open() }, 'Reload')),
      list,
      el('section', { class: 'review-item', id: 'review-item' }, this.current ? this.renderItem(this.current) : el('p', {}, 'Nothing to review.')));
    list.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
    this.showOnMap();
  }

  renderItem(item) {
    if (item.kind === 'incident') return this.renderDraft(item);
    const m = item.record;
    const candidates = (m.candidates || []).slice(0, 3);
    const search = el('input', { id: 'review-search', type: 'search', placeholder: 'Another place…', autocomplete: 'off', role: 'combobox', 'aria-expanded': 'false', 'aria-controls': 'review-results' });
    const results = el('ul', { id: 'review-results', class: 'results', role: 'listbox', hidden: true });
    new PlaceSearch(search, results, { near: this.near, onPick: (r) => this.decide('reassign', r.id, r.name) });
    search.addEventListener('keydown', (e) => { if (e.key === 'Escape') this.body.querySelector('.queue')?.focus(); });
    return el('div', {},
      el('h4', {}, `“${m.text}”`, el('span', { class: 'hint' }, ` in ${m.source_title} · confidence ${Math.round(m.score * 100)}%`)),
      el('blockquote', { class: 'evidence' }, highlighted(m.context, [m.text])),
      el('p', {}, 'Placed at: ', el('strong', { class: 'chosen' }, this.placeName(m)), item.decided ? el('span', { class: 'badge' }, ` ${item.decided}`) : null),
      el('ol', { class: 'alternatives' }, candidates.map((c, i) => el('li', {},
        el('button', { type: 'button', class: `small-btn${c.id === m.place_id ? ' chosen' : ''}`, onclick: () => this.pick(i) },
          `${i + 1}. ${c.name}`),
        ` ${c.kind || ''} ${c.country || ''} · ${Math.round((c.score || 0) * 100)}%`))),
      el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'primary', onclick: () => this.decide('accept') }, 'Accept (a)'),
        el('button', { type: 'button', onclick: () => this.decide('reject') }, 'Reject (r)'),
        el('button', { type: 'button', onclick: () => this.addPlace(m) }, 'Missing place: add it')),
      el('label', {}, 'Another place (/) ', el('div', { class: 'search-box' }, search, results)));
  }

  renderDraft(item) {
    const i = item.record;
    const { form, values } = draftForm(i);
    item.values = values;
    const quote = (i.sources || []).map((s) => s.evidence?.quote).find(Boolean);
    return el('div', {},
      el('h4', {}, `Draft incident #${i.id}`, el('span', { class: 'hint' }, ` at ${i.location?.name || 'no location'} · confidence ${Math.round(i.confidence * 100)}%`)),
      quote ? el('blockquote', { class: 'evidence' }, highlighted(quote, [i.location?.name])) : null,
      form,
      el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'primary', id: 'publish', onclick: () => this.decide('accept') }, 'Publish (a)'),
        el('button', { type: 'button', id: 'save-draft', onclick: () => this.saveDraft(item) }, 'Save draft'),
        el('button', { type: 'button', onclick: () => this.decide('reject') }, 'Reject (r)')));
  }

  placeName(m) {
    const chosen = (m.candidates || []).find((c) => c.id === m.place_id);
    return chosen ? `${chosen.name} (${m.place_id})` : m.place_id || 'nowhere (unresolved)';
  }

  // ---- keyboard ---------------------------------------------------------------

  key(e) {
    if (!this.active || e.ctrlKey || e.metaKey || e.altKey) return;
    const typing = e.target.closest('input, textarea, select, [contenteditable]');
    if (typing) return;
    const handlers = {
      a: () => this.decide('accept'),
      r: () => this.decide('reject'),
      j: () => this.go(this.index + 1),
      k: () => this.go(this.index - 1),
      x: () => this.toggleSelected(),
      '/': () => this.body.querySelector('#review-search')?.focus(),
      1: () => this.pick(0),
      2: () => this.pick(1),
      3: () => this.pick(2),
    };
    const handler = handlers[e.key];
    if (!handler) return;
    e.preventDefault();
    handler();
  }

  go(i) {
    if (!this.items.length) return;
    this.index = Math.max(0, Math.min(this.items.length - 1, i));
    this.render();
    this.body.querySelector('.queue')?.focus();
  }

  toggleSelected() {
    const item = this.current;
    if (!item) return;
    item.selected = !item.selected;
    this.render();
    this.body.querySelector('.queue')?.focus();
  }

  pick(n) {
    const item = this.current;
    if (!item || item.kind !== 'mention') return;
    const c = (item.record.candidates || [])[n];
    if (!c) { this.notify(`There is no alternative ${n + 1}.`); return; }
    if (c.id === item.record.place_id) this.decide('accept');
    else this.decide('reassign', c.id, c.name);
  }

  // ---- decisions -------------------------------------------------------------

  /** Applies a decision to the current item (or `item`); moves on to the next. */
  async decide(action, placeId, placeName, item = this.current, { advance = true } = {}) {
    if (!item) return;
    try {
      if (item.kind === 'mention') {
        const body = placeId ? { action: 'reassign', place_id: placeId } : { action };
        const { revision } = await api('PATCH', `/api/mentions/${item.id}`, { body, revision: item.record.revision });
        item.record.revision = revision;
        if (placeId) item.record.place_id = placeId;
        item.decided = placeId ? `moved to ${placeName || placeId}` : action === 'accept' ? 'accepted' : 'rejected';
      } else {
        if (action === 'reassign') return;
        const fields = item.values ? item.values() : {};
        const status = action === 'accept' ? 'published' : 'rejected';
        const { data } = await api('PATCH', `/api/incidents/${item.id}`, { body: { ...fields, status, why: `review: ${status}` }, revision: item.record.revision });
        item.record = data;
        item.decided = status;
      }
    } catch (err) {
      this.notify(err.status === 412 ? 'Someone decided this item meanwhile: reload the queue.' : `Not saved: ${err.message}`, 'error');
      return;
    }
    item.selected = false;
    await this.refreshProgress();
    if (item.kind === 'incident') await this.afterChange();
    if (!advance) return;
    const next = this.items.findIndex((it, i) => i > this.index && !it.decided);
    this.notify(`${item.kind === 'mention' ? `“${item.record.text}”` : `Incident #${item.id}`}: ${item.decided}. ${this.progressText()}.`);
    this.go(next >= 0 ? next : this.index);
  }

  async saveDraft(item) {
    const fields = item.values ? item.values() : {};
    if (!Object.keys(fields).length) { this.notify('Nothing to save: no change.'); return; }
    try {
      const { data } = await api('PATCH', `/api/incidents/${item.id}`, { body: { ...fields, why: 'review: edited' }, revision: item.record.revision });
      item.record = data;
      this.notify(`Draft #${item.id} saved (revision ${data.revision}).`);
      this.render();
    } catch (err) {
      this.notify(`Not saved: ${err.message}`, 'error');
    }
  }

  async bulkAccept() {
    const chosen = this.items.filter((i) => i.selected && !i.decided);
    for (const item of chosen) await this.decide('accept', undefined, undefined, item, { advance: false });
    this.notify(`Accepted ${chosen.filter((i) => i.decided).length} of ${chosen.length} selected. ${this.progressText()}.`);
    this.render();
  }

  async refreshProgress() {
    try {
      this.progress = (await api('GET', '/api/review?limit=1')).data.progress;
    } catch { /* keep the last figure */ }
  }

  // ---- map ---------------------------------------------------------------------

  clearMap() {
    for (const marker of this.markers) marker.remove();
    this.markers = [];
  }

  /** The chosen place and the numbered alternatives of the current mention. */
  showOnMap() {
    this.clearMap();
    const item = this.current;
    if (!this.active || !item || item.kind !== 'mention') return;
    const candidates = (item.record.candidates || []).slice(0, 3).filter((c) => Number.isFinite(c.lon) && Number.isFinite(c.lat));
    for (const [i, c] of candidates.entries()) {
      const chosen = c.id === item.record.place_id;
      const node = el('div', { class: `candidate-marker${chosen ? ' chosen' : ''}`, title: `${i + 1}. ${c.name}` }, String(i + 1));
      this.markers.push(new maplibregl.Marker({ element: node }).setLngLat([c.lon, c.lat]).addTo(this.map));
    }
    if (candidates.length) {
      const xs = candidates.map((c) => c.lon);
      const ys = candidates.map((c) => c.lat);
      this.map.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], { padding: 100, maxZoom: 9, duration: 400 });
    }
  }
}
