/**
 * The 48-hour graph of getHistory (docs/api.md §3.7), drawn as inline SVG: the page loads nothing from
 * elsewhere, and many homes run offline.
 */
import { isRecord } from './api.js';
import { byId, num } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const H = 240;
const PAD = { left: 50, right: 10, top: 10, bottom: 28 };
const SPAN_MS = 48 * 3600_000;

/** The series getHistory may carry; charger_power is TWCManager's, the other two are ours. */
const SERIES = [
  { key: 'charger_power', id: 'graph-charger', label: 'Charger load' },
  { key: 'generation_power', id: 'graph-generation', label: 'Generation' },
  { key: 'consumption_power', id: 'graph-consumption', label: 'Consumption' },
] as const;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function text(x: number, y: number, s: string, anchor = 'middle'): SVGTextElement {
  const t = svg('text', { x, y, 'text-anchor': anchor, class: 'axis' });
  t.textContent = s;
  return t;
}

/** Axis labels: short, so that "12.5 kW" fits beside the plot. */
const kw = (w: number): string => (w === 0 ? '0' : `${Number((w / 1000).toFixed(1))} kW`);

/** A round top for the watts axis: 1, 2 or 5 times a power of ten, at least 1 kW. */
function niceTop(max: number): number {
  const m = Math.max(max, 1000);
  const p = 10 ** Math.floor(Math.log10(m));
  return [1, 2, 5, 10].map((f) => f * p).find((v) => v >= m) ?? 10 * p;
}

/** The history last drawn, and the width it was drawn for: a resize draws it again, at the new width. */
let lastHistory: unknown = [];
let drawnWidth = 0;

export function drawHistory(history: unknown): void {
  lastHistory = history;
  const entries = (Array.isArray(history) ? history : []).filter(isRecord);
  const root = byId('graph');
  // As wide as it is shown, so the labels keep their size on a phone.
  const W = Math.max(320, Math.min(960, Math.round(root.clientWidth) || 720));
  drawnWidth = root.clientWidth;
  const times = entries.map((e) => Date.parse(String(e.timestamp)));
  const end = times.length ? Math.max(...times.filter(Number.isFinite)) : Date.now();
  const start = end - SPAN_MS;
  const present = SERIES.filter((s) => entries.some((e) => e[s.key] !== undefined));
  let max = 0;
  for (const e of entries) for (const s of present) max = Math.max(max, num(e[s.key]));
  const top = niceTop(max);
  const x = (t: number): number => PAD.left + ((t - start) / SPAN_MS) * (W - PAD.left - PAD.right);
  const y = (w: number): number => H - PAD.bottom - (Math.max(0, w) / top) * (H - PAD.top - PAD.bottom);

  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'chart' });
  chart.dataset.top = String(top);
  chart.dataset.max = String(max);
  const title = svg('title', {});
  title.textContent = 'Charger load, generation and consumption over the last 48 hours';
  chart.append(title);
  for (let i = 0; i <= 4; i++) {
    const w = (top * i) / 4;
    chart.append(svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(w), y2: y(w), class: 'grid' }));
    chart.append(text(PAD.left - 6, y(w) + 4, kw(w), 'end'));
  }
  // A tick every six hours of the local clock.
  const tick = new Date(start);
  tick.setMinutes(0, 0, 0);
  while (tick.getTime() < start || tick.getHours() % 6 !== 0) tick.setHours(tick.getHours() + 1);
  for (; tick.getTime() <= end; tick.setHours(tick.getHours() + 6)) {
    const t = tick.getTime();
    const h = tick.getHours();
    const label =
      h === 0 ? tick.toLocaleDateString(undefined, { weekday: 'short' }) : `${String(h).padStart(2, '0')}:00`;
    chart.append(svg('line', { x1: x(t), x2: x(t), y1: PAD.top, y2: H - PAD.bottom, class: 'grid' }));
    chart.append(text(x(t), H - 8, label));
  }
  for (const s of present) {
    const points = entries
      .map((e, i) => [times[i], num(e[s.key])] as const)
      .filter(([t]) => Number.isFinite(t))
      .map(([t, w]) => `${x(t).toFixed(1)},${y(w).toFixed(1)}`);
    chart.append(svg('polyline', { id: s.id, class: `series ${s.id}`, points: points.join(' ') }));
  }
  const legend = byId('graph-legend');
  legend.replaceChildren(
    ...present.map((s) => {
      const li = document.createElement('li');
      li.className = s.id;
      li.textContent = s.label;
      return li;
    }),
  );
  root.replaceChildren(chart);
}

/** A phone turned or a window resized: the labels keep their size (the SVG scales with its box). */
export function redrawOnResize(): void {
  let pending = 0;
  window.addEventListener('resize', () => {
    window.clearTimeout(pending);
    pending = window.setTimeout(() => {
      if (byId('graph').clientWidth !== drawnWidth) drawHistory(lastHistory);
    }, 150);
  });
}
