export interface CarOptions {
  /** What its on-board charger takes at most. */
  maxAmps: number;
  /** 17 characters, or '' for a car that sends none (not a Tesla, CAN off). */
  vin?: string;
  /** How fast the draw may rise. */
  rampAmpsPerSecond?: number;
}

/**
 * A car plugged into a simulated Wall Connector (docs/protocol.md §7.3): it draws a little under what it
 * is allowed, in ~0.5 A steps with small jitter, ramps up over seconds and drops at once.
 */
export class SimulatedCar {
  readonly maxAmps: number;
  readonly vin: string;
  private readonly ramp: number;
  private amps = 0;

  constructor(
    options: CarOptions,
    private readonly random: () => number,
  ) {
    this.maxAmps = options.maxAmps;
    this.vin = options.vin ?? '';
    this.ramp = options.rampAmpsPerSecond ?? 4;
  }

  get actualAmps(): number {
    return this.amps;
  }

  /** Never above `limit`: a lower limit takes effect at once. */
  clamp(limit: number): void {
    if (this.amps > limit) this.amps = Math.max(0, Math.floor(limit * 2) / 2);
  }

  /** Moves the draw towards what `limit` allows over `seconds`. */
  follow(limit: number, seconds: number): void {
    const allowed = Math.min(limit, this.maxAmps);
    if (allowed <= 0) {
      this.amps = 0;
      return;
    }
    const jitter = (this.random() - 0.5) * 0.2;
    const target = Math.max(0, Math.min(allowed, Math.round((allowed * 0.97 + jitter) * 2) / 2));
    const next = target > this.amps ? Math.min(target, this.amps + this.ramp * seconds) : target;
    this.amps = Math.min(Math.round(next * 100) / 100, limit);
  }
}
