import type { MasterConfig } from '../../../src/master/config';
import type { MasterWarning } from '../../../src/master/types';
import { distinctLimitsMaster, type ScriptedSlave } from './scripted-slaves';

// One setup for bus-faults-replies.spec.ts and bus-faults-traffic.spec.ts: the same wiring, the same
// breach check after every master frame.

export const A = 0x4142;
export const B = 0x4243;

/** Wiring that tells the limits apart: total 50, per unit 40, minimum 12. */
export function setup(config: Partial<MasterConfig> = {}) {
  const { clock, transport, bus, master } = distinctLimitsMaster(config);
  const warnings: MasterWarning[] = [];
  master.on('warning', (w) => warnings.push(w));
  // What the units really obey, summed after every master frame; asserted after the run.
  const breaches: string[] = [];
  bus.onFrame = () => {
    let sum = 0;
    for (const u of bus.slaves.values()) sum += u.obeyed;
    if (sum > 50) breaches.push(`${clock.now()}: ${sum} A`);
  };
  const link = (id: number, options: Partial<ScriptedSlave>): ScriptedSlave => {
    const unit = bus.add(id, { maxAmps: 80, state: 1, actual: 80, ...options });
    bus.linkReady(id);
    return unit;
  };
  const heartbeatTimes = (id: number, from = 0): number[] =>
    bus
      .heartbeatsTo(id)
      .filter((h) => h.at >= from)
      .map((h) => h.at);
  return { clock, transport, bus, master, warnings, breaches, link, heartbeatTimes };
}

/** Gaps between successive heartbeats: their mean and the largest, in ms. */
export function cadence(times: number[]): { mean: number; max: number; count: number } {
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  return {
    mean: gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length),
    max: Math.max(0, ...gaps),
    count: times.length,
  };
}
