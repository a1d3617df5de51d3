// The form for a draft incident in the review queue: dates, ACLED type and
// sub-type, actors, and its casualty claims per source (party, kind,
// low/best/high, the article that states it; rows can be added and removed).
// values() gives the fields to PATCH along with the decision (publish or
// reject); the claims only when they changed, as the whole new list.

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
  const claims = claimsEditor(incident);
  const form = el('form', { class: 'draft-form', onsubmit: (e) => e.preventDefault() },
    el('div', { class: 'grid2' }, field('From', start), field('To', end)),
    field('Type', type), field('Sub-type', sub),
    el('div', { class: 'grid2' }, field('Actor 1', actor1), field('Actor 2', actor2)),
    field('Notes', notes),
    el('h4', {}, 'Casualty claims'),
    claims.node);
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
    if (claims.changed()) out.claims = claims.values();
    return out;
  };
  return { form, values };
}

const KINDS = ['killed', 'injured'];
const MAX_CASUALTIES = 100000; // MAX_CLAIM_CASUALTIES in src/incidents/incident.rs

/** A claim in the shape the PATCH takes, for sending and for comparing. */
function claimBody(c) {
  const body = {
    party: c.party, kind: c.kind, low: c.low, best: c.best, high: c.high, source_id: c.source_id ?? null,
  };
  if (c.evidence) body.evidence = { start: c.evidence.start, end: c.evidence.end, quote: c.evidence.quote };
  return body;
}

/** An article of the incident as a short label: outlet, date, title. */
function sourceLabel(s) {
  const label = [s.outlet, s.published, s.title].filter(Boolean).join(' · ') || `article ${s.source_id}`;
  return label.length > 60 ? `${label.slice(0, 59)}…` : label;
}

/** A number input's value: a number, or null when empty (the server says what is wrong). */
const numberOf = (input) => (input.value.trim() === '' ? null : Number(input.value));

/**
 * One editable claim: party, kind, low/best/high and source, with the quote
 * it was read from. Returns {node, value()}.
 */
function claimRow(claim, sources, onRemove) {
  const party = el('input', { class: 'c-party', value: claim.party || '', maxlength: 200, placeholder: 'Whose casualties', 'aria-label': 'Party', required: true });
  const kind = el('select', { class: 'c-kind', 'aria-label': 'Kind' }, KINDS.map((k) => el('option', { value: k, selected: k === claim.kind }, k)));
  const number = (cls, label, v) => el('input', { type: 'number', class: cls, min: 0, max: MAX_CASUALTIES, step: 1, value: String(v ?? 0), 'aria-label': label });
  const low = number('c-low', 'Low', claim.low);
  const best = number('c-best', 'Best', claim.best);
  const high = number('c-high', 'High', claim.high);
  // A single figure (low = best = high) stays single; a range widens to take the best figure.
  let lastBest = best.value;
  best.addEventListener('input', () => {
    const b = numberOf(best);
    if (b !== null && Number.isFinite(b)) {
      if (low.value === lastBest || numberOf(low) > b) low.value = best.value;
      if (high.value === lastBest || numberOf(high) < b) high.value = best.value;
    }
    lastBest = best.value;
  });
  const source = el('select', { class: 'c-source', 'aria-label': 'Said in' },
    el('option', { value: '' }, '— no source'),
    sources.map((s) => el('option', { value: String(s.source_id), selected: s.source_id === claim.source_id }, sourceLabel(s))));
  const quote = claim.evidence && claim.evidence.quote ? el('div', { class: 'hint c-quote' }, `“${claim.evidence.quote}”`) : null;
  const node = el('li', { class: 'claim-row' },
    el('div', { class: 'c-line' }, party, kind,
      el('button', { type: 'button', class: 'small-btn c-remove', title: 'Remove this claim', 'aria-label': 'Remove this claim', onclick: () => onRemove(node) }, '✕')),
    el('div', { class: 'c-line' },
      el('label', {}, 'Low ', low), el('label', {}, 'Best ', best), el('label', {}, 'High ', high)),
    el('label', { class: 'c-line' }, 'Said in ', source),
    quote);
  const value = () => {
    const sourceId = source.value ? Number(source.value) : null;
    return claimBody({
      party: party.value.trim(),
      kind: kind.value,
      low: numberOf(low),
      best: numberOf(best),
      high: numberOf(high),
      source_id: sourceId,
      // the quote belongs to its article: it goes when the claim moves to another
      evidence: sourceId === (claim.source_id ?? null) ? claim.evidence : undefined,
    });
  };
  return { node, value };
}

/** The incident's claims as editable rows with add and remove. Returns {node, values(), changed()}. */
function claimsEditor(incident) {
  const sources = incident.sources || [];
  const original = (incident.claims || []).map(claimBody);
  const rows = [];
  const list = el('ol', { class: 'claims claims-edit' });
  const empty = el('p', { class: 'hint c-empty' }, 'No casualty figures in the sources.');
  const showEmpty = () => { empty.hidden = rows.length > 0; };
  const remove = (node) => {
    const at = rows.findIndex((r) => r.node === node);
    if (at >= 0) rows.splice(at, 1);
    node.remove();
    showEmpty();
  };
  const add = (claim) => {
    const row = claimRow(claim, sources, remove);
    rows.push(row);
    list.appendChild(row.node);
    showEmpty();
    return row;
  };
  for (const claim of incident.claims || []) add(claim);
  const addButton = el('button', { type: 'button', class: 'small-btn c-add', onclick: () => {
    const row = add({ party: '', kind: 'killed', low: 0, best: 0, high: 0, source_id: sources.length === 1 ? sources[0].source_id : null });
    row.node.querySelector('.c-party').focus();
  } }, '+ Add claim');
  const values = () => rows.map((r) => r.value());
  return {
    node: el('div', { class: 'claims-editor' }, empty, list, addButton),
    values,
    changed: () => JSON.stringify(values()) !== JSON.stringify(original),
  };
}
