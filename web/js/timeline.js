// The time histogram with a draggable range (and keyboard: arrows move the
// range, Shift+arrows move its end), driven by day numbers.

const SVGNS = 'http://www.w3.org/2000/svg';
const DAY = 86400000;

/** 'YYYY-MM-DD' -> days since 1970-01-01 (UTC). */
export function toDay(s) {
  const t = Date.parse(`${String(s).slice(0, 10)}T00:00:00Z`);
  return Number.isFinite(t) ? Math.round(t / DAY) : NaN;
}

/** days since 1970-01-01 -> 'YYYY-MM-DD'. */
export function fromDay(d) {
  return new Date(d * DAY).toISOString().slice(0, 10);
}

function svg(tag, attrs) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

export class Timeline {
  constructor(container, onChange) {
    this.container = container;
    this.onChange = onChange;
    this.min = toDay('2022-01-01');
    this.max = toDay('2024-01-01');
    this.from = this.min;
    this.to = this.max;
    this.items = [];
    container.tabIndex = 0;
    container.setAttribute('role', 'slider');
    container.setAttribute('aria-label', 'Time range: arrow keys move it, Shift+arrow keys change its end');
    container.addEventListener('pointerdown', (e) => this.down(e));
    container.addEventListener('keydown', (e) => this.key(e));
    new ResizeObserver(() => this.render()).observe(container);
  }

  /** Sets the domain from the incidents' dates and the bars from `items` ([{start, end}]). */
  setData(all, items) {
    const days = all.flatMap((i) => [toDay(i.start), toDay(i.end || i.start)]).filter(Number.isFinite);
    if (days.length) {
      const lo = new Date(Math.min(...days) * DAY);
      const hi = new Date(Math.max(...days) * DAY);
      this.min = Math.round(Date.UTC(lo.getUTCFullYear(), lo.getUTCMonth(), 1) / DAY);
      this.max = Math.round(Date.UTC(hi.getUTCFullYear(), hi.getUTCMonth() + 1, 1) / DAY) - 1;
    }
    this.items = items;
    this.render();
  }

  setItems(items) {
    this.items = items;
    this.render();
  }

  /** The selected range as dates, or nulls when it is the whole domain. */
  get range() {
    const whole = this.from <= this.min && this.to >= this.max;
    return whole ? { from: null, to: null } : { from: fromDay(this.from), to: fromDay(this.to) };
  }

  setRange(from, to, notify = false) {
    const f = from ? toDay(from) : this.min;
    const t = to ? toDay(to) : this.max;
    this.from = Number.isFinite(f) ? f : this.min;
    this.to = Number.isFinite(t) ? Math.max(t, this.from) : this.max;
    this.render();
    if (notify) this.onChange(this.range);
  }

  bins() {
    const span = this.max - this.min + 1;
    const out = [];
    if (span > 150) {
      let d = new Date(this.min * DAY);
      while (Math.round(d.getTime() / DAY) <= this.max) {
        const a = Math.round(d.getTime() / DAY);
        d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
        out.push([a, Math.round(d.getTime() / DAY) - 1]);
      }
    } else {
      const step = span > 40 ? 7 : 1;
      for (let a = this.min; a <= this.max; a += step) out.push([a, Math.min(a + step - 1, this.max)]);
    }
    return out;
  }

  x(day) {
    const w = this.container.clientWidth || 1;
    return ((day - this.min) / (this.max - this.min + 1)) * w;
  }

  dayAt(px) {
    const w = this.container.clientWidth || 1;
    const d = this.min + Math.round((px / w) * (this.max - this.min + 1));
    return Math.max(this.min, Math.min(this.max, d));
  }

  render() {
    const c = this.container;
    const W = c.clientWidth;
    const H = c.clientHeight;
    if (!W || !H) return;
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, 'aria-hidden': 'true' });
    const bins = this.bins();
    const counts = bins.map(([a, b]) => this.items.filter((i) => {
      const s = toDay(i.start);
      return s >= a && s <= b;
    }).length);
    const top = Math.max(1, ...counts);
    const axisH = 12;
    const barH = H - axisH - 2;
    bins.forEach(([a, b], k) => {
      const x0 = this.x(a);
      const x1 = this.x(b + 1);
      const h = counts[k] ? Math.max(2, (counts[k] / top) * (barH - 4)) : 0;
      const inRange = b >= this.from && a <= this.to;
      const rect = svg('rect', { class: `bar${inRange ? ' in' : ''}`, x: x0 + 0.5, y: barH - h, width: Math.max(1, x1 - x0 - 1), height: h });
      const title = svg('title', {});
      title.textContent = `${fromDay(a)} – ${fromDay(b)}: ${counts[k]}`;
      rect.appendChild(title);
      root.appendChild(rect);
    });
    // Year/month ticks.
    let lastLabel = -1e9;
    for (const [a] of bins) {
      const date = new Date(a * DAY);
      const isYear = date.getUTCMonth() === 0 && date.getUTCDate() <= 7;
      const x = this.x(a);
      if (x - lastLabel < 46 && !isYear) continue;
      if (x - lastLabel < 30) continue;
      const text = svg('text', { class: 'axis', x: x + 2, y: H - 1 });
      text.textContent = isYear || lastLabel < 0
        ? fromDay(a).slice(0, 7)
        : date.toLocaleString('en', { month: 'short', timeZone: 'UTC' });
      root.appendChild(text);
      lastLabel = x;
    }
    const sx0 = this.x(this.from);
    const sx1 = this.x(this.to + 1);
    root.appendChild(svg('rect', { class: 'sel', x: sx0, y: 0, width: Math.max(2, sx1 - sx0), height: barH }));
    root.appendChild(svg('rect', { class: 'handle', 'data-h': 'from', x: sx0 - 4, y: barH / 2 - 12, width: 8, height: 24, rx: 3 }));
    root.appendChild(svg('rect', { class: 'handle', 'data-h': 'to', x: sx1 - 4, y: barH / 2 - 12, width: 8, height: 24, rx: 3 }));
    c.replaceChildren(root);
    c.setAttribute('aria-valuetext', `${fromDay(this.from)} to ${fromDay(this.to)}`);
  }

  down(e) {
    const rect = this.container.getBoundingClientRect();
    const px = e.clientX - rect.left;
    const day = this.dayAt(px);
    const handle = e.target.getAttribute && e.target.getAttribute('data-h');
    let mode;
    const near = (d) => Math.abs(this.x(d) - px) < 8;
    if (handle === 'from' || near(this.from)) mode = 'from';
    else if (handle === 'to' || near(this.to + 1)) mode = 'to';
    else if (day > this.from && day < this.to && !(this.from <= this.min && this.to >= this.max)) mode = 'move';
    else mode = 'new';
    const start = { day, from: this.from, to: this.to };
    if (mode === 'new') { this.from = day; this.to = day; }
    this.container.setPointerCapture(e.pointerId);
    const move = (ev) => {
      const d = this.dayAt(ev.clientX - rect.left);
      if (mode === 'from') this.from = Math.min(d, this.to);
      else if (mode === 'to') this.to = Math.max(d - 1, this.from);
      else if (mode === 'move') {
        const width = start.to - start.from;
        const from = Math.max(this.min, Math.min(this.max - width, start.from + d - start.day));
        this.from = from;
        this.to = from + width;
      } else {
        this.from = Math.min(start.day, d);
        this.to = Math.max(start.day, d);
      }
      this.render();
      this.onChange(this.range, true);
    };
    const up = () => {
      this.container.removeEventListener('pointermove', move);
      this.container.removeEventListener('pointerup', up);
      this.container.removeEventListener('pointercancel', up);
      if (this.to - this.from < 1 && mode === 'new') { this.from = this.min; this.to = this.max; }
      this.render();
      this.onChange(this.range);
    };
    this.container.addEventListener('pointermove', move);
    this.container.addEventListener('pointerup', up);
    this.container.addEventListener('pointercancel', up);
    e.preventDefault();
  }

  key(e) {
    const step = e.altKey ? 1 : 30;
    let dir = 0;
    if (e.key === 'ArrowRight') dir = 1;
    else if (e.key === 'ArrowLeft') dir = -1;
    else if (e.key === 'Home' || e.key === 'Escape') { this.from = this.min; this.to = this.max; }
    else return;
    e.preventDefault();
    if (dir && e.shiftKey) this.to = Math.max(this.from, Math.min(this.max, this.to + dir * step));
    else if (dir) {
      const width = this.to - this.from;
      const from = Math.max(this.min, Math.min(this.max - width, this.from + dir * step));
      this.from = from;
      this.to = from + width;
    }
    this.render();
    this.onChange(this.range);
  }

  /** One animation step: moves the range forward by its width / 6; false at the end. */
  step() {
    const width = this.to - this.from;
    if (this.to >= this.max) return false;
    const inc = Math.max(1, Math.round((width + 1) / 6));
    this.from = Math.min(this.from + inc, this.max - width);
    this.to = this.from + width;
    this.render();
    this.onChange(this.range, true);
    return this.to < this.max;
  }
}
