import type { WarningCode } from './types';

/** Warnings whose text names an ID that a flood can vary: throttled by their code, not their text. */
const BY_CODE = new Set<WarningCode>(['busFull', 'otherMaster', 'unconfirmedLimit']);
const QUIET_MS = 60_000;

/** At most one warning a minute for the same text (or the same code, for those a flood can vary). */
export class WarningThrottle {
  private readonly saidAt = new Map<string, number>();

  allow(code: WarningCode, message: string, now: number): boolean {
    const key = BY_CODE.has(code) ? code : message;
    const last = this.saidAt.get(key);
    if (last !== undefined && now - last < QUIET_MS) return false;
    this.saidAt.set(key, now);
    // Texts vary (IDs, reasons): forget the ones that are quiet again, so the map stays small.
    if (this.saidAt.size > 256)
      for (const [k, at] of this.saidAt) if (now - at >= QUIET_MS) this.saidAt.delete(k);
    return true;
  }
}
