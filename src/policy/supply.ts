/** The supply the watts are turned into amps with: reported phase voltages, else the configured ones. */
export interface Supply {
  volts: number;
  phases: number;
}

/** What a Wall Connector reports of its supply in its kWh/voltage report (FD EB, docs/protocol.md §4.2). */
export interface PhaseVolts {
  voltsPhaseA: number;
  voltsPhaseB: number;
  voltsPhaseC: number;
}

/** The configured supply, for as long as no Wall Connector reports a voltage. */
export interface ConfiguredSupply {
  defaultVoltage: number;
  numberOfPhases: number;
}

const reported = (s: PhaseVolts): number[] =>
  [s.voltsPhaseA, s.voltsPhaseB, s.voltsPhaseC].filter((v) => v > 0);

/**
 * The one supply every watts↔amps conversion uses: the average of all reported phase voltages times the
 * number of phases in use, as TWCManager computes it (docs/api.md §6.6), so that one voltage serves every
 * Wall Connector (chargerLoadWatts, docs/api.md §3.1; chargerLoadInW, docs/api.md §3.2) rather than each unit's own sum.
 * Average × phases and that per-unit sum agree for a single unit; they differ once units report different
 * voltages and draw different currents, and there TWCManager's answer is the one clients expect.
 */
export function supplyOf(slaves: readonly PhaseVolts[], configured: ConfiguredSupply): Supply {
  const volts = slaves.flatMap(reported);
  if (volts.length === 0) return { volts: configured.defaultVoltage, phases: configured.numberOfPhases };
  // Units on different numbers of phases are counted at the widest.
  const phases = Math.max(...slaves.map((s) => reported(s).length));
  return { volts: volts.reduce((a, b) => a + b, 0) / volts.length, phases };
}

/** Watts per amp of charging current: volts × phases. */
export const wattsPerAmp = (supply: Supply): number => supply.volts * supply.phases;
