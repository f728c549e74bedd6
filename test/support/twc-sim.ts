import * as path from 'node:path';
import { NODE_BIN } from './node-red';
import { ROOT } from './node-red-process';
import { startProcess, type RunningProcess } from './pty';

/** The `twc-sim` command this package ships. */
export const TWC_SIM = path.join(ROOT, 'bin', 'twc-sim.js');

/** Simulated units for `twc-sim`, as its options spell them: `TWCID:maxAmps` and `TWCID:carAmps`. */
export interface TwcSimUnits {
  slaves?: string[];
  cars?: string[];
}

/** `twc-sim --device <device>` with a `--slave` / `--car` for each unit, then `args`, run by the tests' Node. */
export function startTwcSim(device: string, units: TwcSimUnits, args: string[] = []): RunningProcess {
  return startProcess(NODE_BIN, [
    TWC_SIM,
    '--device',
    device,
    ...(units.slaves ?? []).flatMap((s) => ['--slave', s]),
    ...(units.cars ?? []).flatMap((c) => ['--car', c]),
    ...args,
  ]);
}
