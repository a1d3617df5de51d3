// Labels as HTML over the map: the browser's fonts draw Latin, Cyrillic and
// Armenian alike, so no glyph files are needed. Items come in groups; on
// every frame each is projected, and lower-priority labels that would
// overlap a placed one are hidden.

export class LabelLayer {
  constructor(map) {
    this.map = map;
    this.root = document.createElement('div');
    this.root.className = 'labels';
    this.root.setAttribute('aria-hidden', 'true');
    map.getContainer().appendChild(this.root);
    this.groups = new Map(); // name -> {items, visible}
    this.nodes = new Map(); // key -> {node, w, h, item}
    this.providers = new Map(); // group -> () => items, asked on every frame
    this.frame = 0;
    map.on('render', () => this.schedule());
    map.on('resize', () => this.schedule());
  }

  /** Replaces the items of a group: [{key, lngLat, text, cls, priority, anchor, dx, dy, collide, minzoom}]. */
  set(group, items) {
    const prev = this.groups.get(group);
    this.groups.set(group, { items, visible: prev ? prev.visible : true });
    this.schedule();
  }

  /** A group whose items are computed on every frame (cluster counts). */
  provide(group, fn) {
    this.providers.set(group, fn);
    this.schedule();
  }

  /** Shows or hides a group. */
  setVisible(group, visible) {
    const g = this.groups.get(group) || { items: [], visible };
    g.visible = visible;
    this.groups.set(group, g);
    this.schedule();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw() {
    const map = this.map;
    const zoom = map.getZoom();
    const { clientWidth: W, clientHeight: H } = map.getContainer();
    const wanted = [];
    for (const { items, visible } of this.groups.values()) {
      if (!visible) continue;
      for (const item of items) if (!(item.minzoom > zoom)) wanted.push(item);
    }
    for (const fn of this.providers.values()) {
      for (const item of fn()) if (!(item.minzoom > zoom)) wanted.push(item);
    }
    wanted.sort((a, b) => (b.priority || 0) - (a.priority || 0));
    const placed = [];
    const seen = new Set();
    const wantedKeys = new Set(wanted.map((w) => w.key));
    for (const item of wanted) {
      let entry = this.nodes.get(item.key);
      if (!entry || entry.item.text !== item.text || entry.item.cls !== item.cls) {
        if (entry) entry.node.remove();
        const node = document.createElement('div');
        node.className = `label ${item.cls || ''}`;
        node.textContent = item.text; // text, never HTML
        this.root.appendChild(node);
        entry = { node, w: node.offsetWidth, h: node.offsetHeight, item };
        this.nodes.set(item.key, entry);
      }
      entry.item = item;
      // Candidate positions (a road label may sit anywhere along the road).
      let show = false;
      let x = 0;
      let y = 0;
      let box;
      for (const lngLat of item.lngLats || [item.lngLat]) {
        const p = map.project(lngLat);
        const anchorX = item.anchor === 'left' ? 0 : entry.w / 2;
        x = p.x - anchorX + (item.dx || 0);
        y = p.y - entry.h / 2 + (item.dy || 0);
        box = [x - 2, y - 1, x + entry.w + 2, y + entry.h + 1];
        show = box[2] > 0 && box[0] < W && box[3] > 0 && box[1] < H;
        if (show && item.collide !== false) {
          show = !placed.some((b) => b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3]);
        }
        if (show) break;
      }
      if (show) {
        placed.push(box);
        seen.add(item.key);
        entry.node.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
        entry.node.style.display = '';
      }
    }
    for (const [key, entry] of this.nodes) {
      if (!seen.has(key)) {
        if (!wantedKeys.has(key)) {
          entry.node.remove();
          this.nodes.delete(key);
        } else {
          entry.node.style.display = 'none';
        }
      }
    }
  }
}
