/** Small DOM helpers. Every value from the bus goes in as textContent, never as markup. */

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

export function setText(id: string, text: string): void {
  byId(id).textContent = text;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

export function num(v: unknown): number {
  const n = typeof v === 'number' ? v : parseFloat(String(v));
  return Number.isFinite(n) ? n : 0;
}

export function watts(v: unknown): string {
  const w = num(v);
  return Math.abs(w) >= 1000 ? `${(w / 1000).toFixed(2)} kW` : `${Math.round(w)} W`;
}

/** One message line per section: what a control did, its warning, or the API's reason for a refusal. */
export function say(id: string, text: string, kind: 'ok' | 'warn' | 'error' = 'ok'): void {
  const m = byId(id);
  m.textContent = text;
  m.className = `message ${kind}`;
}

/** A key/value list, as the cards and the config use. */
export function pairs(rows: [string, string][]): HTMLDListElement {
  const dl = el('dl');
  for (const [k, v] of rows) dl.append(el('dt', {}, k), el('dd', {}, v));
  return dl;
}
