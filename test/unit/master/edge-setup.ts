import type { MasterConfig } from '../../../src/master/config';
import type { MasterWarning } from '../../../src/master/types';
import type { MasterHeartbeat } from '../../../src/protocol/messages';
import { distinctLimitsMaster } from './scripted-slaves';

// One setup for engine-edges.spec.ts and engine-timing.spec.ts, so both halves test the same wiring.

export const A = 0x4142;
export const B = 0x4243;

/** Total 50, per unit 40, minimum 12: values that tell the limits apart. Clock starts at 1000. */
export function setup(config: Partial<MasterConfig> = {}) {
  const { clock, transport, bus, master } = distinctLimitsMaster(config);
  const warnings: (MasterWarning & { at: number })[] = [];
  master.on('warning', (w) => warnings.push({ ...w, at: clock.now() }));
  return { clock, transport, bus, master, warnings };
}

export const amps = (m: { msg: unknown }): number => (m.msg as MasterHeartbeat).amps;
