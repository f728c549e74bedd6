import type { TwcMessage } from '../../src/protocol/messages';
import type { SimulatedBus } from '../../src/sim/bus';

export interface WireLimits {
  all: number;
  per: number;
  min: number;
}

/**
 * A unit keeps drawing under the last limit it heard until its car faults, 20–30 s after the heartbeats
 * stop (docs/protocol.md §5.4): a set-limit counts that long after the last heartbeat to its unit. Written
 * here from the physics, not taken from the engine's reserve.
 */
export const UNIT_KEEPS_DRAWING_MS = 30_000;

/** Class and function bytes that must never reach a Wall Connector. */
const FORBIDDEN = new Set(['fc19', 'fc1a', 'fbe8']);

/**
 * Watches every frame the master puts on the wire, as the simulated units decode it: each set-limit 0 or
 * between the minimum and the unit's cap, the set-limits in force (the last one sent to each unit, for as
 * long as the unit may draw under it) within the total, no forbidden command, and when each unit last got
 * a heartbeat. Violations are collected and asserted by the test afterwards: the bus's listeners run in
 * the middle of its own work.
 */
export class WireMonitor {
  readonly violations: string[] = [];
  heartbeats = 0;
  /** Heartbeat times per receiver (hex TWCID), for cadence checks. */
  readonly times = new Map<string, number[]>();
  private readonly inForce = new Map<number, { at: number; amps: number }>();

  constructor(
    private readonly limits: WireLimits,
    /** The unit's advertised max, by TWCID; undefined for an ID no simulated unit has. */
    private readonly maxOf: (id: number) => number | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  watch(bus: SimulatedBus): void {
    bus.on('received', (m: TwcMessage) => this.check(m));
  }

  /** When `id` (hex TWCID) last got a heartbeat; 0 if never. */
  lastHeard(id: string): number {
    return this.times.get(id)?.at(-1) ?? 0;
  }

  /** Heartbeats of `id` since `from`: count, mean and largest gap. */
  cadence(id: string, from: number): { count: number; meanMs: number; maxMs: number } {
    const t = (this.times.get(id) ?? []).filter((x) => x >= from);
    const gaps = t.slice(1).map((x, i) => x - t[i]);
    const meanMs = gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : Infinity;
    return { count: t.length, meanMs: Math.round(meanMs), maxMs: Math.max(0, ...gaps) };
  }

  private check(m: TwcMessage): void {
    const now = this.now();
    if (process.env.TWC_DEBUG_WIRE) console.log(`wire ${now} ${JSON.stringify(m)}`);
    if (m.kind === 'unknown') {
      const key = Array.from(m.bytes.subarray(0, 2), (b) => b.toString(16).padStart(2, '0')).join('');
      if (FORBIDDEN.has(key)) this.violations.push(`${now}: forbidden ${key} on the wire`);
      return;
    }
    if (m.kind !== 'masterHeartbeat') return;
    this.heartbeats++;
    const hex = m.receiver.toString(16).padStart(4, '0').toUpperCase();
    const list = this.times.get(hex) ?? [];
    list.push(now);
    this.times.set(hex, list);
    if (m.command === 0x02) this.violations.push(`${now}: heartbeat command 02 to ${hex}`);
    const held = this.inForce.get(m.receiver);
    if (m.command === 0x00) {
      // A keep-alive leaves the unit's limit as it was: still in force, now counted from this heartbeat.
      if (held) this.inForce.set(m.receiver, { at: now, amps: held.amps });
      return;
    }
    this.inForce.set(m.receiver, { at: now, amps: m.amps });
    const max = this.maxOf(m.receiver);
    if (max !== undefined) {
      const cap = Math.min(this.limits.per, max);
      if (m.amps !== 0 && (m.amps < this.limits.min || m.amps > cap || !Number.isInteger(m.amps)))
        this.violations.push(`${now}: ${hex} set to ${m.amps} A (cap ${cap}, min ${this.limits.min})`);
    }
    let sum = 0;
    for (const [id, o] of this.inForce)
      if (this.maxOf(id) !== undefined && now - o.at < UNIT_KEEPS_DRAWING_MS) sum += o.amps;
    if (sum > this.limits.all) this.violations.push(`${now}: set-limits in force add up to ${sum} A`);
  }
}
