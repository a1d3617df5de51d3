// The history of a place: every revision with who, when and why, what it
// changed in words, and a button to restore the version it replaced.

import { el } from '../dom.js';
import { api, placeUrl } from './api.js';
import { describeChanges } from './place-diff.js';

function when(at) {
  return String(at || '').replace('T', ' ').replace(/:\d\dZ$/, ' UTC');
}

/**
 * Fills `container` with the history of place `id`, newest first.
 * `onRestored(reply)` after a successful restore.
 */
export async function renderHistory(container, id, { onRestored, notify }) {
  container.replaceChildren(el('p', { class: 'hint' }, 'Loading the history…'));
  let revisions;
  try {
    revisions = (await api('GET', placeUrl(id, '/history'))).data.revisions || [];
  } catch (err) {
    container.replaceChildren(el('p', { class: 'error' }, `Could not load the history: ${err.message}`));
    return;
  }
  if (!revisions.length) {
    container.replaceChildren(el('p', { class: 'hint' }, 'No edits yet: this place is as imported.'));
    return;
  }
  const latest = revisions[revisions.length - 1].revision;
  const items = [...revisions].reverse().map((r) => {
    const restorable = r.before && r.revision === latest;
    const earlier = r.revision - 1;
    return el('li', { class: 'revision', 'data-revision': r.revision },
      el('div', { class: 'revision-head' },
        el('strong', {}, `Revision ${r.revision}`), ' · ',
        el('span', { class: 'who' }, r.user || `user ${r.user_id ?? '?'}`), ' · ',
        el('time', { datetime: r.at }, when(r.at))),
      el('div', { class: 'why' }, 'Why: ', r.why || '—'),
      el('ul', { class: 'diff' }, describeChanges(r.before, r.after).map((line) => el('li', {}, line))),
      // Restoring the version before the latest edit undoes it; an older
      // version is restored the same way, as a new revision.
      r.before ? el('button', {
        type: 'button', class: 'small-btn restore',
        onclick: () => restore(earlier),
      }, restorable ? `Undo: restore revision ${earlier}` : `Restore revision ${earlier}`) : null);
  });
  container.replaceChildren(el('ol', { class: 'history', reversed: true }, items));

  async function restore(revision) {
    try {
      const reply = await api('POST', placeUrl(id, '/revert'), {
        body: { revision, why: `restored revision ${revision}` },
        revision: latest,
      });
      notify(`Restored revision ${revision} as revision ${reply.revision}.`);
      onRestored(reply);
    } catch (err) {
      notify(err.status === 412 ? 'Someone edited this place meanwhile: the history is reloaded.' : `Restore failed: ${err.message}`, 'error');
      renderHistory(container, id, { onRestored, notify });
    }
  }
}
