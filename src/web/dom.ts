/**
 * The page's only DOM helper: build an element with attributes and children. Text is
 * always set as text (never parsed as HTML), so a post can carry any characters.
 */
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** Text only a screen reader reads (the .sr-only class in styles.css). */
export const srOnly = (text: string): HTMLSpanElement => h('span', { class: 'sr-only' }, text);

export function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`index.html has no #${id}`);
  return el as T;
}

/** Animations are skipped for people who asked for less motion. */
export const reducedMotion = (): boolean =>
  window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * Moves a node before another without losing focus: `moveBefore` (Chromium 133+) keeps
 * the node's state; `insertBefore` removes and re-adds it, which blurs a focused button,
 * so focus is put back.
 */
export function moveBefore(parent: Element, node: Element, ref: Element | null): void {
  const p = parent as Element & { moveBefore?: (n: Node, r: Node | null) => void };
  // moveBefore only moves nodes already in the same document (a new row is inserted).
  if (typeof p.moveBefore === 'function' && node.isConnected) {
    p.moveBefore(node, ref);
    return;
  }
  const active = document.activeElement;
  const hadFocus = active instanceof HTMLElement && node.contains(active);
  parent.insertBefore(node, ref);
  if (hadFocus) active.focus({ preventScroll: true });
}
