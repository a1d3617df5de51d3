// What changed between two versions of a place, in words an editor reads:
// names added or removed, how far the point moved, kind, radius, shape.
// Used by the history and by the conflict view.

import { distanceM, formatDistance, coordinatesOf } from './geo.js';

function nameLabel(n) {
  const details = [n.lang, n.kind, n.valid_from || n.valid_to ? `${n.valid_from || '…'}–${n.valid_to || '…'}` : '']
    .filter(Boolean).join(', ');
  return `“${n.text}”${details ? ` (${details})` : ''}`;
}

/**
 * Lines describing the change from `before` to `after` (GeoJSON Features of
 * the place; `before` may be null for a creation).
 */
export function describeChanges(before, after) {
  if (!after) return ['deleted'];
  const a = after.properties || {};
  if (!before) return [`created as ${a.kind || 'a place'} with ${(a.names || []).length} name(s)`];
  const b = before.properties || {};
  const lines = [];
  const key = (n) => JSON.stringify([n.text, n.lang, n.kind, n.valid_from, n.valid_to]);
  const beforeNames = new Map((b.names || []).map((n) => [n.text, n]));
  const afterNames = new Map((a.names || []).map((n) => [n.text, n]));
  for (const [text, n] of afterNames) {
    const old = beforeNames.get(text);
    if (!old) lines.push(`name added: ${nameLabel(n)}`);
    else if (key(old) !== key(n)) lines.push(`name changed: ${nameLabel(old)} → ${nameLabel(n)}`);
  }
  for (const [text, n] of beforeNames) if (!afterNames.has(text)) lines.push(`name removed: ${nameLabel(n)}`);
  const p0 = b.point || before.geometry?.coordinates;
  const p1 = a.point || after.geometry?.coordinates;
  if (Array.isArray(p0) && Array.isArray(p1) && typeof p0[0] === 'number' && typeof p1[0] === 'number') {
    const moved = distanceM(p0, p1);
    if (moved >= 0.5) lines.push(`point moved ${formatDistance(moved)} (${Math.round(moved).toLocaleString('en')} m)`);
  }
  if (before.geometry && after.geometry && before.geometry.type !== 'Point') {
    const v0 = coordinatesOf(before.geometry);
    const v1 = coordinatesOf(after.geometry);
    if (JSON.stringify(v0) !== JSON.stringify(v1)) {
      lines.push(v0.length === v1.length ? `shape changed (${v1.length} vertices moved or edited)` : `shape changed: ${v0.length} → ${v1.length} vertices`);
    }
  }
  if (b.kind !== a.kind) lines.push(`kind: ${b.kind} → ${a.kind}`);
  if (b.radius_m !== a.radius_m) lines.push(`uncertainty radius: ${formatDistance(b.radius_m)} → ${formatDistance(a.radius_m)}`);
  if (b.status !== a.status) lines.push(`status: ${b.status} → ${a.status}${a.superseded_by ? ` (by ${a.superseded_by})` : ''}`);
  if (!lines.length) lines.push('no visible change');
  return lines;
}
