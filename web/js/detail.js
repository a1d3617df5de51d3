// The incident panel. Every string from the data is inserted as text.

import { el, highlighted } from './dom.js';

const TIME_PRECISION = { 1: 'to the day', 2: 'to the week', 3: 'to the month' };
const GEO_PRECISION = { 1: 'at the place', 2: 'near the place', 3: 'somewhere in the region' };

function dateText(p) {
  const start = p.date_start || '';
  const end = p.date_end && p.date_end !== start ? p.date_end : '';
  const range = end ? `${start} – ${end}` : start;
  const precision = TIME_PRECISION[p.time_precision] || '';
  return `${range}${precision ? ` (precise ${precision})` : ''}${p.time_of_day ? `, ${p.time_of_day}` : ''}`;
}

function km(m) {
  const v = Number(m) || 0;
  return v >= 1000 ? `${(v / 1000).toFixed(v >= 10000 ? 0 : 1)} km` : `${Math.round(v)} m`;
}

function claimRange(c) {
  const { low, best, high } = c;
  if (low != null && high != null && low !== high) return `${best ?? '?'} (${low}–${high})`;
  return String(best ?? low ?? high ?? '?');
}

/** Fills `body` with the incident `f` (a GeoJSON Feature with full properties). */
export function renderIncident(body, f) {
  const p = f.properties || {};
  const title = [p.sub_event_type || p.event_type, p.location_name || p.place_name].filter(Boolean).join(' — ');
  const [lon, lat] = f.geometry?.coordinates || [];
  const located = f.geometry && !(lon === 0 && lat === 0);
  const actors = [p.actor1, p.actor2].filter(Boolean).join(' vs ');

  const facts = el('dl', {},
    el('dt', {}, 'Date'), el('dd', { class: 'date' }, dateText(p)),
    el('dt', {}, 'Type'), el('dd', {}, p.event_type || '—', p.sub_event_type ? ` / ${p.sub_event_type}` : ''),
    el('dt', {}, 'Actors'), el('dd', {}, actors || 'not named'),
    el('dt', {}, 'Fatalities'), el('dd', {}, String(p.fatalities ?? 0)),
    el('dt', {}, 'Injuries'), el('dd', {}, String(p.injuries ?? 0)),
    el('dt', {}, 'Location'), el('dd', { class: 'location' },
      p.location_name || p.place_name || 'unknown',
      p.place_name && p.place_name !== p.location_name ? ` (gazetteer: ${p.place_name})` : '',
      el('br'),
      el('span', { class: 'badge' }, GEO_PRECISION[p.geo_precision] || 'precision unknown'),
      ` ± ${km(p.radius_m)}`,
      located ? ` · ${lat.toFixed(4)}, ${lon.toFixed(4)}` : ' · no coordinates'),
    el('dt', {}, 'Confidence'), el('dd', {}, p.confidence != null ? `${Math.round(p.confidence * 100)}%` : '—'),
  );

  const claims = Array.isArray(p.claims) ? p.claims : [];
  const claimsSection = el('section', { class: 'claims' }, el('h2', {}, 'Casualty claims'),
    claims.length
      ? el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, 'Source'), el('th', {}, 'Party'), el('th', {}, 'Kind'), el('th', {}, 'Number'))),
        el('tbody', {}, claims.map((c) => el('tr', {},
          el('td', {}, c.outlet || '', c.source_title ? el('div', { class: 'hint' }, c.source_title) : ''),
          el('td', {}, c.party || ''),
          el('td', {}, c.kind || ''),
          el('td', {}, claimRange(c))))))
      : el('p', { class: 'hint' }, 'No casualty figures reported.'));

  const sources = Array.isArray(p.sources) ? p.sources : [];
  const sourcesSection = el('section', { class: 'sources' }, el('h2', {}, `Sources (${sources.length})`),
    sources.map((s) => {
      const why = s.why_here || {};
      const terms = [why.mention, p.location_name, p.place_name];
      const url = typeof s.url === 'string' && /^https?:\/\//i.test(s.url) ? s.url : '';
      return el('article', { class: 'source' },
        el('div', { class: 'source-title' },
          url ? el('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, s.title || url) : el('strong', {}, s.title || 'untitled')),
        el('div', { class: 'hint' }, [s.outlet, s.published].filter(Boolean).join(' · '), s.merged ? ' · merged report' : ''),
        s.quote ? el('blockquote', { class: 'evidence' }, highlighted(s.quote, terms)) : null,
        el('div', { class: 'why' },
          el('strong', {}, 'Why here: '),
          'the text says ', el('mark', {}, why.mention || '—'),
          ', which resolved to the gazetteer entry ', el('code', {}, why.place_id || p.place_id || '—'),
          p.place_name && (why.place_id || '') === (p.place_id || '') ? ` (${p.place_name})` : '',
          why.score != null ? ` with score ${Number(why.score).toFixed(2)}` : '',
          Array.isArray(why.reason) && why.reason.length ? el('div', {}, 'Cues: ', why.reason.join(', ')) : null));
    }));

  body.replaceChildren(...[
    el('h3', { id: 'detail-title' }, title || `Incident ${p.id}`),
    el('p', { class: 'meta' }, `#${p.id} · ${p.status || ''} · revision ${p.revision ?? ''}`),
    facts,
    p.notes ? el('section', {}, el('h2', {}, 'Notes'), el('p', {}, p.notes)) : null,
    claimsSection,
    sourcesSection,
    Array.isArray(p.tags) && p.tags.length ? el('p', { class: 'hint' }, 'Tags: ', p.tags.join(', ')) : null,
  ].filter(Boolean));
}
