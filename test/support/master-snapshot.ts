import type { InstallationSettings } from '../../src/api/installation';
import type { SlaveSnapshot } from '../../src/master/slave-record';
import { totalsOf, type MasterSnapshot } from '../../src/master/types';

/**
 * A twc-master's settings as the views see them, for tests of what is computed from them: a serial bus, 40 A
 * in all, 32 A per unit, 12 A minimum (values apart, so a view that takes the wrong one shows it).
 */
export const INSTALL: Readonly<InstallationSettings> = {
  transport: 'serial',
  serialPort: '/dev/ttyUSB0',
  baud: 9600,
  host: '',
  tcpPort: 8899,
  simulatedSlaves: '',
  fakeTWCID: '7777',
  wiringMaxAmpsAllTWCs: 40,
  wiringMaxAmpsPerTWC: 32,
  minAmpsPerTWC: 12,
  defaultVoltage: 230,
  numberOfPhases: 1,
  httpEnabled: true,
  listenPort: 8080,
};

/** The engine's snapshot of a bus with these units and clean counters; the bus open unless said. */
export function masterSnapshot(slaves: SlaveSnapshot[], open = true): MasterSnapshot {
  return {
    fakeTWCID: '7777',
    transport: { state: open ? 'open' : 'waiting', detail: '', reconnects: 0 },
    availableAmps: 0,
    slaves,
    totals: totalsOf(slaves),
    stats: {
      framesIn: 0,
      framesOut: 0,
      checksumErrors: 0,
      badFrames: 0,
      garbageBytes: 0,
      echoes: 0,
      unknownMessages: 0,
      missedReplies: 0,
      doubledReplies: 0,
      droppedWrites: 0,
      reconnects: 0,
    },
    alerts: [],
  };
}
