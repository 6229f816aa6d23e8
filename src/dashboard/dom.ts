/**
 * A few lines of DOM building for the dashboard: `el('td', { class: 'x' }, 'text')` makes an
 * element with attributes and children (strings become text nodes, never HTML), `clear` empties
 * one. Text from the monitor (node ids, tags, payload) only ever reaches the page as text.
 */

type Attr = string | number | boolean | null | undefined;
type Child = Node | string | null | undefined | false;

/** An element with attributes (`true`: present and empty; false, null, undefined: absent). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, Attr> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Removes every child of `node`. */
export function clear(node: Node): void {
  while (node.firstChild !== null) node.removeChild(node.firstChild);
}

/** Replaces the children of `node`. */
export function replace(node: Node, ...children: Child[]): void {
  clear(node);
  append(node, children);
}
