// Small DOM helpers. Every string from the data goes in as a text node:
// nothing here (or anywhere in the page) assigns innerHTML.

/** Creates an element: el('a', {href: url, class: 'x'}, 'text', child, ...). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

/** Appends children: nodes, strings (as text), arrays of them. */
export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Removes every child. */
export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/**
 * `text` as nodes with every occurrence of the `terms` wrapped in <mark>
 * (case-insensitive), for the evidence sentence with its place name.
 */
export function highlighted(text, terms) {
  const out = [];
  const source = String(text ?? '');
  const wanted = [...new Set((terms || []).filter((t) => t && String(t).trim().length > 1).map(String))]
    .sort((a, b) => b.length - a.length);
  if (!wanted.length) return [source];
  const lower = source.toLocaleLowerCase();
  let pos = 0;
  while (pos < source.length) {
    let best = -1;
    let bestTerm = '';
    for (const term of wanted) {
      const at = lower.indexOf(term.toLocaleLowerCase(), pos);
      if (at >= 0 && (best < 0 || at < best)) { best = at; bestTerm = term; }
    }
    if (best < 0) break;
    if (best > pos) out.push(source.slice(pos, best));
    out.push(el('mark', {}, source.slice(best, best + bestTerm.length)));
    pos = best + bestTerm.length;
  }
  if (pos < source.length) out.push(source.slice(pos));
  return out;
}

/** Debounces `fn` by `ms`. */
export function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
