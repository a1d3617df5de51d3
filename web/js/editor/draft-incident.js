// The form for a draft incident in the review queue: dates, ACLED type and
// sub-type, actors, and its casualty claims per source. values() gives the
// fields to PATCH along with the decision (publish or reject).

import { el } from '../dom.js';

// The ACLED taxonomy the server accepts (src/incidents/taxonomy.rs).
const EVENT_TYPES = {
  Battles: ['Armed clash', 'Government regains territory', 'Non-state actor overtakes territory'],
  'Explosions/Remote violence': ['Chemical weapon', 'Air/drone strike', 'Suicide bomb', 'Shelling/artillery/missile attack',
    'Remote explosive/landmine/IED', 'Grenade'],
  'Violence against civilians': ['Sexual violence', 'Attack', 'Abduction/forced disappearance'],
  Protests: ['Peaceful protest', 'Protest with intervention', 'Excessive force against protesters'],
  Riots: ['Violent demonstration', 'Mob violence'],
  'Strategic developments': ['Agreement', 'Arrests', 'Change to group/activity', 'Disrupted weapons use',
    'Headquarters or base established', 'Looting/property destruction', 'Non-violent transfer of territory', 'Other'],
};

/** A form for `incident`; returns {form, values()}. */
export function draftForm(incident) {
  const field = (label, input) => el('label', {}, label, ' ', input);
  const start = el('input', { type: 'date', class: 'd-start', value: incident.date_start, required: true });
  const end = el('input', { type: 'date', class: 'd-end', value: incident.date_end, required: true });
  const type = el('select', { class: 'd-type' }, Object.keys(EVENT_TYPES).map((t) => el('option', { value: t, selected: t === incident.event_type }, t)));
  const sub = el('select', { class: 'd-sub' });
  const fillSubTypes = (keep) => {
    const subs = EVENT_TYPES[type.value] || [];
    sub.replaceChildren(el('option', { value: '' }, '—'), ...subs.map((s) => el('option', { value: s, selected: s === keep }, s)));
  };
  fillSubTypes(incident.sub_event_type);
  type.addEventListener('change', () => fillSubTypes(''));
  const actor1 = el('input', { class: 'd-actor1', value: incident.actor1 || '', maxlength: 200 });
  const actor2 = el('input', { class: 'd-actor2', value: incident.actor2 || '', maxlength: 200 });
  const notes = el('textarea', { class: 'd-notes', rows: 2, maxlength: 5000 });
  notes.value = incident.notes || '';
  const claims = incident.claims || [];
  const form = el('form', { class: 'draft-form', onsubmit: (e) => e.preventDefault() },
    el('div', { class: 'grid2' }, field('From', start), field('To', end)),
    field('Type', type), field('Sub-type', sub),
    el('div', { class: 'grid2' }, field('Actor 1', actor1), field('Actor 2', actor2)),
    field('Notes', notes),
    el('h4', {}, 'Casualty claims'),
    claims.length
      ? el('table', { class: 'claims' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Party'), el('th', {}, 'Kind'), el('th', {}, 'Number'), el('th', {}, 'Said in'))),
        el('tbody', {}, claims.map((c) => el('tr', {},
          el('td', {}, c.party || ''), el('td', {}, c.kind || ''),
          el('td', {}, c.low !== c.high ? `${c.best} (${c.low}–${c.high})` : String(c.best)),
          el('td', { class: 'hint' }, c.evidence ? c.evidence.quote : '')))))
      : el('p', { class: 'hint' }, 'No casualty figures in the sources.'));
  const values = () => {
    const out = {};
    const changed = (key, v) => { if (v !== (incident[key] ?? '')) out[key] = v; };
    changed('date_start', start.value);
    changed('date_end', end.value);
    changed('event_type', type.value);
    changed('sub_event_type', sub.value);
    changed('actor1', actor1.value.trim());
    changed('actor2', actor2.value.trim());
    changed('notes', notes.value);
    return out;
  };
  return { form, values };
}
