import type { TwcId } from '../protocol/messages';
import type { MasterConfig } from './config';
import type { SlaveRecord } from './slave-record';
import { formatTwcId } from '../protocol/twcid';
import type { BusAlert, MasterWarning } from './types';

/** How long a unit may leave a lower limit unconfirmed before we say so. */
export const UNCONFIRMED_WARN_MS = 30_000;

/** What the engine tells the installer, worded once; each names the unit and what the engine does about it. */
export const busWarnings = {
  duplicateId: (id: TwcId): MasterWarning => ({
    code: 'duplicateId',
    message: `two answers as ${formatTwcId(id)} to one heartbeat: two Wall Connectors share this TWCID (or the bus repeats frames); it gets 0 A until that stops`,
  }),
  busFull: (id: TwcId, maxSlaves: number): MasterWarning => ({
    code: 'busFull',
    message: `ignoring Wall Connector ${formatTwcId(id)}: at most ${maxSlaves} slaves share one master`,
  }),
  idCollision: (id: TwcId): MasterWarning => ({
    code: 'idCollision',
    message: `a Wall Connector uses our ID ${formatTwcId(id)}; asking it to change`,
  }),
  otherMaster: (id: TwcId): MasterWarning => ({
    code: 'otherMaster',
    message: `another master (${formatTwcId(id)}) is talking on the bus`,
  }),
  wiringAboveUnitMax: (slave: SlaveRecord, config: MasterConfig): MasterWarning => ({
    code: 'wiringAboveUnitMax',
    message: `wiringMaxAmpsPerTWC (${config.wiringMaxAmpsPerTWC} A) is above what ${formatTwcId(slave.id)} supports (${slave.maxAmps} A); offering at most ${slave.capAmps(config)} A`,
  }),
};

/**
 * Tracks how long a unit has left a lowering unconfirmed; past UNCONFIRMED_WARN_MS says why the others wait
 * (its old limit still counts against the wiring limit).
 */
export function unconfirmedLimitWarning(slave: SlaveRecord, now: number): MasterWarning | undefined {
  const { sentAmps, inForceAmps } = slave.wire;
  if (inForceAmps <= sentAmps) {
    slave.unconfirmedSince = undefined;
    return undefined;
  }
  slave.unconfirmedSince ??= now;
  const ms = now - slave.unconfirmedSince;
  if (ms < UNCONFIRMED_WARN_MS) return undefined;
  return {
    code: 'unconfirmedLimit',
    message: `${formatTwcId(slave.id)} has not shown its new limit of ${sentAmps} A for ${Math.round(ms / 1000)} s; its ${inForceAmps} A still count against the wiring limit`,
  };
}

/** Faults on the bus that need the installer: shown red until they have not been seen for a while. */
export function busAlerts(
  slaves: readonly SlaveRecord[],
  collisionSeen: boolean,
  config: MasterConfig,
  now: number,
): BusAlert[] {
  const out: BusAlert[] = [];
  for (const s of slaves)
    if (s.isDuplicate(now)) out.push({ code: 'duplicateId', message: `two answers as ${formatTwcId(s.id)}` });
  if (collisionSeen)
    out.push({ code: 'idCollision', message: `a TWC uses our ID ${formatTwcId(config.fakeTWCID)}` });
  return out;
}
