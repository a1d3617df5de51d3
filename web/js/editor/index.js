// Wires the editor into the map page: the session, the editor panel (a
// place search, the place editor, the review queue), clicks on places and
// roads, and the notice after each change. The map page calls startEditor()
// once its layers exist; nothing here runs for visitors who cannot edit.

import { el } from '../dom.js';
import { PlaceSearch } from '../search.js';
import { Session } from './session.js';
import { PlaceEditor } from './place-editor.js';
import { ReviewQueue } from './review.js';

const $ = (id) => document.getElementById(id);
const NOTICE_MS = 15000;

/**
 * map: the MapLibre map; reload(): reloads incidents, places and roads
 * after a change, without reloading the page.
 */
export async function startEditor({ map, reload }) {
  const panel = $('editor');
  const body = $('editor-body');
  const near = () => { const c = map.getCenter(); return `${c.lng.toFixed(4)},${c.lat.toFixed(4)}`; };
  const notify = noticeBoard();
  const session = new Session();
  const places = new PlaceEditor({ map, body, notify, afterSave: reload, near });
  const review = new ReviewQueue({ map, body, notify, afterChange: reload, near, addPlace: (mention) => showPlace(() => places.create(mention)) });

  function showPanel() {
    panel.hidden = false;
    $('detail').hidden = true; // one side panel at a time
  }

  function closePanel() {
    review.close();
    places.close();
    panel.hidden = true;
  }

  async function showPlace(opener) {
    review.close();
    showPanel();
    try {
      await opener();
    } catch (err) {
      notify(`Could not open the place: ${err.message}`, 'error');
    }
    $('editor-title')?.focus();
  }

  function showHome() {
    review.close();
    places.close();
    showPanel();
    const input = el('input', { id: 'edit-search', type: 'search', placeholder: 'Find a place to edit', autocomplete: 'off', role: 'combobox', 'aria-expanded': 'false', 'aria-controls': 'edit-results' });
    const list = el('ul', { id: 'edit-results', class: 'results', role: 'listbox', hidden: true });
    new PlaceSearch(input, list, { near, onPick: (r) => showPlace(() => places.open(r.id)) });
    body.replaceChildren(
      el('h3', { id: 'editor-title', tabindex: '-1' }, 'Edit the gazetteer'),
      el('p', { class: 'hint' }, 'Find a place, or click a place or a road on the map.'),
      el('label', {}, el('span', { class: 'sr-only' }, 'Find a place to edit'), el('div', { class: 'search-box' }, input, list)),
      el('div', { class: 'actions' }, el('button', { type: 'button', id: 'add-place', onclick: () => showPlace(() => places.create()) }, 'Add a missing place')));
    input.focus();
  }

  $('open-editor').addEventListener('click', showHome);
  $('open-review').addEventListener('click', async () => {
    places.close();
    showPanel();
    await review.open();
  });
  $('close-editor').addEventListener('click', closePanel);
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.target.closest('input[type="search"]')) closePanel();
  });

  // A click on a place or a road (not on an incident) opens it for editing.
  map.on('click', (e) => {
    if (!session.canEdit || places.geometryEditor.capturesClicks) return;
    const box = [[e.point.x - 5, e.point.y - 5], [e.point.x + 5, e.point.y + 5]];
    const layers = (ids) => ids.filter((id) => map.getLayer(id));
    if (map.queryRenderedFeatures(box, { layers: layers(['incident-points', 'clusters', 'edit-handles']) }).length) return;
    const hit = map.queryRenderedFeatures(box, { layers: layers(['places', 'roads']) })[0];
    if (hit && hit.properties.id) showPlace(() => places.open(hit.properties.id));
  });

  session.onChange((s) => {
    if (!s.canEdit) closePanel();
  });
  await session.start();

  return {
    /** Adds "Edit this place" to an incident's panel, for editors. */
    incidentShown(feature, detailBody) {
      const id = feature.properties.place_id;
      if (!session.canEdit || !id) return;
      detailBody.appendChild(el('p', { class: 'editor-only' },
        el('button', { type: 'button', class: 'small-btn', onclick: () => showPlace(() => places.open(id)) }, `Edit the place ${feature.properties.place_name || id}`)));
    },
  };
}

/** The notice line: says what a change did; errors stay until the next notice. */
function noticeBoard() {
  const node = $('notice');
  let timer = 0;
  return (text, kind = 'info') => {
    clearTimeout(timer);
    node.textContent = text;
    node.className = `notice ${kind}`;
    node.hidden = false;
    if (kind !== 'error') timer = setTimeout(() => { node.hidden = true; }, NOTICE_MS);
  };
}
