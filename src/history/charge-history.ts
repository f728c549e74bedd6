/** getHistory: 48 h of five-minute slots. */
export const SLOT_MS = 5 * 60_000;
export const SLOT_COUNT = 576;

/**
 * Slots as [start ms, charger W] (the format before generation and consumption were kept) or
 * [start ms, charger W, generation W, consumption W].
 */
export interface StoredHistory {
  slots: ([number, number] | [number, number, number, number])[];
  open: OpenSlot | undefined;
}

/** The open slot's sums: the charger's, and the generation's and consumption's (0 in an older store). */
interface OpenSlot {
  slot: number;
  sum: number;
  count: number;
  generation?: number;
  consumption?: number;
}

/**
 * One slot of getHistory (docs/api.md §3.7): TWCManager's charger_power, and ours beside it, the
 * generation and consumption getStatus showed (offsets applied, docs/api.md §6.6), averaged the same way.
 */
export interface HistoryEntry {
  timestamp: string;
  charger_power: number;
  generation_power: number;
  consumption_power: number;
}

/** The three averages of one slot, in watts. */
type Powers = [number, number, number];

/** What one sample reads besides the charger: the site's generation and consumption, in watts. */
export interface SiteWatts {
  generationW: number;
  consumptionW: number;
}

const pad = (n: number): string => String(Math.trunc(Math.abs(n))).padStart(2, '0');

/** ISO-8601 in local time with its UTC offset, to the second: 2026-11-24T01:10:00+01:00. */
export function isoLocal(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
    `${sign}${pad(off / 60)}:${pad(off % 60)}`
  );
}

const slotOf = (ms: number): number => Math.floor(ms / SLOT_MS) * SLOT_MS;
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** Negative or NaN readings count as 0. */
const positive = (w: number): number => (Number.isFinite(w) && w > 0 ? w : 0);
const round2 = (w: number): number => Math.round(w * 100) / 100;
const averages = (o: Required<OpenSlot>): Powers => [
  round2(o.sum / o.count),
  round2(o.generation / o.count),
  round2(o.consumption / o.count),
];

/**
 * Average charger power, generation and consumption per five-minute slot. Samples go into the open slot;
 * when time moves past it, its averages are kept (when any is above 0) and slots older than 48 h are
 * forgotten.
 */
export class ChargeHistory {
  private readonly closed = new Map<number, Powers>();
  private open: Required<OpenSlot> | undefined;

  /** Adds a sample; true when a slot was closed, so the caller knows to persist. */
  record(nowMs: number, watts: number, site: SiteWatts = { generationW: 0, consumptionW: 0 }): boolean {
    const slot = slotOf(nowMs);
    const closedOne = this.closeOpenBefore(nowMs);
    this.open ??= { slot, sum: 0, count: 0, generation: 0, consumption: 0 };
    this.open.sum += positive(watts);
    this.open.generation += positive(site.generationW);
    this.open.consumption += positive(site.consumptionW);
    this.open.count++;
    return closedOne;
  }

  /** The 576 slots ending with the current one; the last holds the running averages of the open slot. */
  entries(nowMs: number): HistoryEntry[] {
    const last = slotOf(nowMs);
    const out: HistoryEntry[] = [];
    for (let i = SLOT_COUNT - 1; i >= 0; i--) {
      const slot = last - i * SLOT_MS;
      const [c, g, u] = this.closed.get(slot) ?? [0, 0, 0];
      out.push({ timestamp: isoLocal(slot), charger_power: c, generation_power: g, consumption_power: u });
    }
    if (this.open?.slot === last) {
      const [c, g, u] = averages(this.open);
      Object.assign(out[out.length - 1], { charger_power: c, generation_power: g, consumption_power: u });
    }
    return out;
  }

  /** For a context store: [slot start ms, charger W, generation W, consumption W], and the open slot so far. */
  toJSON(): StoredHistory {
    return {
      slots: [...this.closed.entries()].map(([slot, p]) => [slot, ...p]),
      open: this.open ? { ...this.open } : undefined,
    };
  }

  /** Takes back what toJSON gave; anything malformed is skipped. */
  restore(data: unknown, nowMs: number): void {
    if (!data || typeof data !== 'object') return;
    const { slots, open } = data as { slots?: unknown; open?: unknown };
    const o = open as Record<string, unknown> | undefined;
    if (
      o &&
      typeof o.slot === 'number' &&
      o.slot % SLOT_MS === 0 &&
      finite(o.sum) &&
      typeof o.count === 'number' &&
      Number.isInteger(o.count) &&
      o.count > 0
    ) {
      // A restart within the same slot carries on averaging; a later one closes it first.
      const site = (v: unknown): number => (finite(v) ? v : 0);
      this.open = {
        slot: o.slot,
        sum: o.sum,
        count: o.count,
        generation: site(o.generation),
        consumption: site(o.consumption),
      };
      this.closeOpenBefore(nowMs);
    }
    if (!Array.isArray(slots)) return;
    for (const entry of slots) {
      if (!Array.isArray(entry) || (entry.length !== 2 && entry.length !== 4)) continue;
      const [slot, ...powers] = entry as unknown[];
      if (typeof slot !== 'number' || slot % SLOT_MS !== 0 || !powers.every(finite)) continue;
      const [c, g = 0, u = 0] = powers as number[];
      this.closed.set(slot, [c, g, u]);
    }
    this.prune(nowMs);
  }

  /** Keeps the open slot's average once time has moved past it; true when it did. */
  private closeOpenBefore(nowMs: number): boolean {
    if (!this.open || this.open.slot === slotOf(nowMs)) return false;
    const avg = averages(this.open);
    if (avg.some((w) => w > 0)) this.closed.set(this.open.slot, avg);
    this.open = undefined;
    this.prune(nowMs);
    return true;
  }

  private prune(nowMs: number): void {
    const oldest = slotOf(nowMs) - (SLOT_COUNT - 1) * SLOT_MS;
    for (const slot of this.closed.keys()) if (slot < oldest) this.closed.delete(slot);
  }
}
