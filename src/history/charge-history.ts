/** getHistory: 48 h of five-minute slots. */
export const SLOT_MS = 5 * 60_000;
export const SLOT_COUNT = 576;

export interface StoredHistory {
  slots: [number, number][];
  open: { slot: number; sum: number; count: number } | undefined;
}

export interface HistoryEntry {
  timestamp: string;
  charger_power: number;
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

/**
 * Average charger power per five-minute slot. Samples go into the open slot; when time moves past it, its
 * average is kept (when anything was drawn) and slots older than 48 h are forgotten.
 */
export class ChargeHistory {
  private readonly closed = new Map<number, number>();
  private open: { slot: number; sum: number; count: number } | undefined;

  /** Adds a sample; true when a slot was closed, so the caller knows to persist. */
  record(nowMs: number, watts: number): boolean {
    const slot = slotOf(nowMs);
    const w = Number.isFinite(watts) && watts > 0 ? watts : 0;
    const closedOne = this.closeOpenBefore(nowMs);
    this.open ??= { slot, sum: 0, count: 0 };
    this.open.sum += w;
    this.open.count++;
    return closedOne;
  }

  /** The 576 slots ending with the current one; the last holds the running average of the open slot. */
  entries(nowMs: number): HistoryEntry[] {
    const last = slotOf(nowMs);
    const out: HistoryEntry[] = [];
    for (let i = SLOT_COUNT - 1; i >= 0; i--) {
      const slot = last - i * SLOT_MS;
      out.push({ timestamp: isoLocal(slot), charger_power: this.closed.get(slot) ?? 0 });
    }
    if (this.open?.slot === last) {
      out[out.length - 1].charger_power = Math.round((this.open.sum / this.open.count) * 100) / 100;
    }
    return out;
  }

  /** For a context store: [slot start ms, average watts] pairs, and the open slot so far. */
  toJSON(): StoredHistory {
    return { slots: [...this.closed.entries()], open: this.open ? { ...this.open } : undefined };
  }

  /** Takes back what toJSON gave; anything malformed is skipped. */
  restore(data: unknown, nowMs: number): void {
    if (!data || typeof data !== 'object') return;
    const { slots, open } = data as { slots?: unknown; open?: unknown };
    const o = open as { slot?: unknown; sum?: unknown; count?: unknown } | undefined;
    if (
      o &&
      typeof o.slot === 'number' &&
      o.slot % SLOT_MS === 0 &&
      typeof o.sum === 'number' &&
      Number.isFinite(o.sum) &&
      typeof o.count === 'number' &&
      Number.isInteger(o.count) &&
      o.count > 0
    ) {
      // A restart within the same slot carries on averaging; a later one closes it first.
      this.open = { slot: o.slot, sum: o.sum, count: o.count };
      this.closeOpenBefore(nowMs);
    }
    if (!Array.isArray(slots)) return;
    for (const pair of slots) {
      if (!Array.isArray(pair) || pair.length !== 2) continue;
      const [slot, watts] = pair as unknown[];
      if (
        typeof slot === 'number' &&
        typeof watts === 'number' &&
        Number.isFinite(watts) &&
        slot % SLOT_MS === 0
      )
        this.closed.set(slot, watts);
    }
    this.prune(nowMs);
  }

  /** Keeps the open slot's average once time has moved past it; true when it did. */
  private closeOpenBefore(nowMs: number): boolean {
    if (!this.open || this.open.slot === slotOf(nowMs)) return false;
    const avg = this.open.sum / this.open.count;
    if (avg > 0) this.closed.set(this.open.slot, Math.round(avg * 100) / 100);
    this.open = undefined;
    this.prune(nowMs);
    return true;
  }

  private prune(nowMs: number): void {
    const oldest = slotOf(nowMs) - (SLOT_COUNT - 1) * SLOT_MS;
    for (const slot of this.closed.keys()) if (slot < oldest) this.closed.delete(slot);
  }
}
