// The place search box: gazetteer autocomplete (/api/places/search) as an
// ARIA combobox; picking a result flies the map to it.

import { el, debounce } from './dom.js';

const KIND_NAMES = {
  'P.PPL': 'town or village', 'P.PPLA': 'regional centre', 'P.PPLC': 'capital', 'A.ADM1': 'province',
  'A.ADM2': 'district', 'A.PCLI': 'country', road: 'road', corridor: 'corridor', checkpoint: 'checkpoint',
  region: 'region', 'L.RGN': 'region', 'S.AIRP': 'airport', 'S.BDG': 'bridge',
};

export class PlaceSearch {
  constructor(input, list, { near, onPick }) {
    this.input = input;
    this.list = list;
    this.near = near;
    this.onPick = onPick;
    this.results = [];
    this.active = -1;
    this.ticket = 0;
    input.addEventListener('input', debounce(() => this.query(), 150));
    input.addEventListener('keydown', (e) => this.key(e));
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
  }

  async query() {
    const q = this.input.value.trim();
    const ticket = ++this.ticket;
    if (q.length < 2) return this.close();
    try {
      const res = await fetch(`/api/places/search?q=${encodeURIComponent(q)}&limit=8&near=${encodeURIComponent(this.near())}`);
      if (!res.ok) return this.close();
      const data = await res.json();
      if (ticket !== this.ticket) return;
      this.show(data.results || []);
    } catch {
      this.close();
    }
  }

  show(results) {
    this.results = results;
    this.active = results.length ? 0 : -1;
    this.list.replaceChildren(...results.map((r, i) => el('li', {
      id: `place-opt-${i}`, role: 'option', 'aria-selected': i === this.active ? 'true' : 'false',
      onmousedown: (e) => { e.preventDefault(); this.pick(i); },
    },
    el('span', {}, r.name || '',
      r.matched_name && r.matched_name !== r.name ? el('span', { class: 'alt' }, ` (${r.matched_name})`) : ''),
    el('span', { class: 'kind' }, [KIND_NAMES[r.kind] || r.kind, r.country].filter(Boolean).join(', ')))));
    if (!results.length) this.list.appendChild(el('li', { role: 'option', 'aria-disabled': 'true' }, 'No place by that name'));
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.mark();
  }

  mark() {
    [...this.list.children].forEach((li, i) => li.setAttribute('aria-selected', i === this.active ? 'true' : 'false'));
    if (this.active >= 0) {
      this.input.setAttribute('aria-activedescendant', `place-opt-${this.active}`);
      this.list.children[this.active]?.scrollIntoView({ block: 'nearest' });
    } else this.input.removeAttribute('aria-activedescendant');
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  key(e) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (this.list.hidden) return this.query();
      e.preventDefault();
      const n = this.results.length;
      if (!n) return;
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      this.mark();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (this.results.length && !this.list.hidden) this.pick(Math.max(0, this.active));
      else this.query();
    } else if (e.key === 'Escape') {
      this.close();
    }
  }

  pick(i) {
    const r = this.results[i];
    if (!r) return;
    this.input.value = r.name || '';
    this.close();
    this.onPick(r);
  }
}
