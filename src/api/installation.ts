import type { SlaveSnapshot } from '../master/slave-record';

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

/** Watts drawn at `amps` by one slave: its reported phase voltages, else the configured supply. */
export function slaveWatts(
  amps: number,
  volts: readonly [number, number, number],
  install: Pick<InstallationSettings, 'defaultVoltage' | 'numberOfPhases'>,
): number {
  const phases = volts.filter((v) => v > 0);
  const supply =
    phases.length > 0 ? phases.reduce((a, b) => a + b, 0) : install.defaultVoltage * install.numberOfPhases;
  return amps * supply;
}

type PoweredSlave = Pick<SlaveSnapshot, 'reportedAmpsActual' | 'voltsPhaseA' | 'voltsPhaseB' | 'voltsPhaseC'>;

/** Watts all Wall Connectors draw together: getStatus's chargerLoadWatts, and what the history records. */
export function chargerWatts(
  slaves: readonly PoweredSlave[],
  install: Pick<InstallationSettings, 'defaultVoltage' | 'numberOfPhases'>,
): number {
  return slaves.reduce(
    (sum, s) =>
      sum + slaveWatts(s.reportedAmpsActual, [s.voltsPhaseA, s.voltsPhaseB, s.voltsPhaseC], install),
    0,
  );
}
