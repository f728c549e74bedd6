/**
 * How many amps all Wall Connectors together may draw right now. The master engine asks this at every
 * heartbeat, so a policy whose answer changes with time (an expiring charge-now, a schedule) reaches the
 * wire without any notification.
 */
export interface AmpsPolicy {
  availableAmps(nowMs: number): number;
}

/** A fixed value, set by hand or by a flow. */
export class FixedAmps implements AmpsPolicy {
  private amps: number;

  constructor(amps = 0) {
    this.amps = FixedAmps.check(amps);
  }

  set(amps: number): void {
    this.amps = FixedAmps.check(amps);
  }

  availableAmps(): number {
    return this.amps;
  }

  private static check(amps: number): number {
    // Number.isFinite does not convert: it is false for anything but a finite number ('5' included).
    if (!Number.isFinite(amps) || amps < 0) {
      throw new RangeError(`available amps must be a number ≥ 0 (got ${String(amps)})`);
    }
    return amps;
  }
}

/** A fixed amount as the engine holds it: only the AmpsPolicy, so it needs no concrete class. */
export const fixedAmps = (amps: number): AmpsPolicy => new FixedAmps(amps);
