import type { TwcMessage } from '../protocol/messages';
import type { TransportStatus } from '../transport/transport';
import type { SlaveSnapshot } from './slave-record';

export interface BusStats {
  framesIn: number;
  framesOut: number;
  checksumErrors: number;
  /** Candidates dropped for a bad length, a bad escape, an overflow or a partial-frame timeout. */
  badFrames: number;
  garbageBytes: number;
  /** Our own frames read back (adapters that echo). */
  echoes: number;
  unknownMessages: number;
  /** Addressed requests whose reply did not come in time. */
  missedReplies: number;
  /** The same reply heard twice for one heartbeat (a bus that repeats frames). */
  doubledReplies: number;
  /** Writes attempted while the transport was not open. */
  droppedWrites: number;
  reconnects: number;
}

export interface MasterTotals {
  slaves: number;
  carsConnected: number;
  carsCharging: number;
  maxAmps: number;
  reportedAmpsActual: number;
  lastAmpsOffered: number;
  lifetimekWh: number;
}

export interface MasterSnapshot {
  fakeTWCID: string;
  transport: TransportStatus;
  availableAmps: number;
  slaves: SlaveSnapshot[];
  totals: MasterTotals;
  stats: BusStats;
  /** Faults the installer must fix, while they last. */
  alerts: BusAlert[];
}

export interface BusAlert {
  code: 'duplicateId' | 'idCollision';
  message: string;
}

export type WarningCode =
  | 'idCollision'
  | 'duplicateId'
  | 'unconfirmedLimit'
  | 'busFull'
  | 'otherMaster'
  | 'wiringAboveUnitMax'
  | 'refusedCommand'
  | 'internalError';

export interface MasterWarning {
  code: WarningCode;
  message: string;
  /** What the message is made of, for a translation by code; none for internal errors. */
  values?: Record<string, string | number>;
}

export interface MasterEvents {
  transport: [status: TransportStatus];
  slaveAdded: [slave: SlaveSnapshot];
  slaveRemoved: [slave: SlaveSnapshot, reason: string];
  /** State, limit or actual amps of a slave changed. */
  slaveChanged: [slave: SlaveSnapshot];
  /** A new amp value went on the wire to a slave. */
  offer: [slave: SlaveSnapshot];
  vin: [slave: SlaveSnapshot];
  warning: [warning: MasterWarning];
  rx: [message: TwcMessage];
  tx: [message: TwcMessage];
}

export function totalsOf(slaves: readonly SlaveSnapshot[]): MasterTotals {
  const sum = (f: (s: SlaveSnapshot) => number): number => slaves.reduce((t, s) => t + f(s), 0);
  return {
    slaves: slaves.length,
    carsConnected: slaves.filter((s) => s.carConnected).length,
    carsCharging: slaves.filter((s) => s.charging).length,
    maxAmps: sum((s) => s.maxAmps),
    reportedAmpsActual: Math.round(sum((s) => s.reportedAmpsActual) * 100) / 100,
    lastAmpsOffered: sum((s) => s.lastAmpsOffered),
    lifetimekWh: sum((s) => s.lifetimekWh),
  };
}
