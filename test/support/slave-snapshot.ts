import type { SlaveSnapshot } from '../../src/master/slave-record';

/** A linked unit's snapshot as the engine reports it, idle, for tests of what is computed from snapshots. */
export function slaveSnapshot(id: string, extra: Partial<SlaveSnapshot> = {}): SlaveSnapshot {
  return {
    id: parseInt(id, 16),
    TWCID: id,
    version: 2,
    sign: 0x2a,
    state: 0,
    maxAmps: 80,
    minAmps: 12,
    capAmps: 32,
    reportedAmpsMax: 0,
    reportedAmpsActual: 0,
    lastAmpsOffered: 0,
    lastAmpsSent: 0,
    carConnected: false,
    charging: false,
    chargingStopped: false,
    secondsSinceLastHeartbeat: 0.4,
    lifetimekWh: 0,
    voltsPhaseA: 0,
    voltsPhaseB: 0,
    voltsPhaseC: 0,
    currentVIN: '',
    lastVIN: '',
    firmwareVersion: '',
    heartbeatsSent: 1,
    repliesReceived: 1,
    duplicateId: false,
    ...extra,
  };
}
