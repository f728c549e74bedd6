import type { InstallationSettings } from '../../../src/api/installation';
import type { SlaveSnapshot } from '../../../src/master/slave-record';
import { totalsOf, type MasterSnapshot } from '../../../src/master/types';
import type { BusView } from '../../../src/mqtt/topics';

export const install: InstallationSettings = {
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

export function busView(slaves: SlaveSnapshot[], open = true, extra: Partial<BusView> = {}): BusView {
  const snapshot: MasterSnapshot = {
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
  return {
    snapshot,
    install,
    currentPolicy: 'Non Scheduled Charging',
    maxAmpsForSlaves: 0,
    chargeNowAmps: undefined,
    ...extra,
  };
}
