// Building the page. Every string from data goes in as a text node or textContent, never as
// HTML: el() has no way to set innerHTML, and attributes are set one by one.
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class')
      node.className = value;
    else if (name === 'text')
      node.textContent = String(value);
    else if (name.startsWith('on'))
      node.addEventListener(name.slice(2), value);
    else if (typeof value !== 'string' && name in node)
      node[name] = value;
    else
      node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

// A table: columns are {label, cell(row) -> string | Node, num?}. Each cell carries its column's
// label, shown beside it when a phone-width screen stacks the rows (app.css).
export function table(columns, rows, caption) {
  const head = el(
      'tr', {}, columns.map((c) => el('th', {scope: 'col', class: c.num ? 'num' : ''}, c.label)));
  const body = rows.map(
      (row) => el(
          'tr', {},
          columns.map(
              (c) => el('td', {class: c.num ? 'num' : '', 'data-label': c.label}, c.cell(row)))));
  const t =
      el('table', {}, caption ? el('caption', {class: 'sr-only'}, caption) : null,
         el('thead', {}, head), el('tbody', {}, body));
  return el('div', {class: 'table-wrap'}, t);
}

// green | amber | red | idle, written as a word too (never colour alone).
export const STATE_WORDS = {
  green: 'OK',
  amber: 'warning',
  red: 'problem',
  idle: 'no data'
};
export function badge(state, text) {
  return el(
      'span', {class: `badge state-${state}`, 'data-state': state}, text || STATE_WORDS[state]);
}

export function panel(title, ...children) {
  return el('section', {class: 'panel', 'aria-label': title}, el('h2', {}, title), children);
}

export function note(text) { return el('p', {class: 'note'}, text); }
