import type { SlaveSnapshot } from '../master/slave-record';
import { supplyOf, wattsPerAmp, type ConfiguredSupply } from '../policy/supply';

/** The installation as the views need it: the twc-master settings, never its credentials. */
export interface InstallationSettings {
  transport: 'serial' | 'tcp' | 'simulator';
  serialPort: string;
  baud: number;
  host: string;
  tcpPort: number;
  simulatedSlaves: string;
  fakeTWCID: string;
  wiringMaxAmpsAllTWCs: number;
  wiringMaxAmpsPerTWC: number;
  minAmpsPerTWC: number;
  defaultVoltage: number;
  numberOfPhases: number;
  httpEnabled: boolean;
  listenPort: number;
}

/** TWCManager's "%.2f". */
export const fixed2 = (n: number): string => (Number.isFinite(n) ? n : 0).toFixed(2);

type PoweredSlave = Pick<SlaveSnapshot, 'reportedAmpsActual' | 'voltsPhaseA' | 'voltsPhaseB' | 'voltsPhaseC'>;

/** Watts all Wall Connectors draw together: getStatus's chargerLoadWatts, and what the history records. */
export function chargerWatts(slaves: readonly PoweredSlave[], install: ConfiguredSupply): number {
  const perAmp = wattsPerAmp(supplyOf(slaves, install));
  return slaves.reduce((sum, s) => sum + s.reportedAmpsActual * perAmp, 0);
}
