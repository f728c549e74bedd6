import type { TwcId } from '../protocol/messages';
import type { MasterConfig } from './config';
import type { SlaveRecord } from './slave-record';
import { formatTwcId } from '../protocol/twcid';
import type { BusAlert, MasterWarning } from './types';

/** How long a unit may leave a lower limit unconfirmed before we say so. */
export const UNCONFIRMED_WARN_MS = 30_000;

/**
 * What the engine tells the installer, worded once; each names the unit and what the engine does about it.
 * The values let the nodes say it in the user's language (twc-master.runtime.warning.<code> of the node
 * locales, whose English a test compares with these messages).
 */
export const busWarnings = {
  duplicateId: (id: TwcId): MasterWarning => {
    const twcid = formatTwcId(id);
    return {
      code: 'duplicateId',
      message: `two answers as ${twcid} to one heartbeat: two Wall Connectors share this TWCID (or the bus repeats frames); it gets 0 A until that stops`,
      values: { twcid },
    };
  },
  busFull: (id: TwcId, maxSlaves: number): MasterWarning => {
    const twcid = formatTwcId(id);
    return {
      code: 'busFull',
      message: `ignoring Wall Connector ${twcid}: at most ${maxSlaves} slaves share one master`,
      values: { twcid, maxSlaves },
    };
  },
  idCollision: (id: TwcId): MasterWarning => {
    const twcid = formatTwcId(id);
    return {
      code: 'idCollision',
      message: `a Wall Connector uses our ID ${twcid}; asking it to change`,
      values: { twcid },
    };
  },
  otherMaster: (id: TwcId): MasterWarning => {
    const twcid = formatTwcId(id);
    return {
      code: 'otherMaster',
      message: `another master (${twcid}) is talking on the bus`,
      values: { twcid },
    };
  },
  wiringAboveUnitMax: (slave: SlaveRecord, config: MasterConfig): MasterWarning => {
    const values = {
      wiring: config.wiringMaxAmpsPerTWC,
      twcid: formatTwcId(slave.id),
      unitMax: slave.maxAmps,
      cap: slave.capAmps(config),
    };
    return {
      code: 'wiringAboveUnitMax',
      message: `wiringMaxAmpsPerTWC (${values.wiring} A) is above what ${values.twcid} supports (${values.unitMax} A); offering at most ${values.cap} A`,
      values,
    };
  },
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
  const values = {
    twcid: formatTwcId(slave.id),
    sent: sentAmps,
    seconds: Math.round(ms / 1000),
    inForce: inForceAmps,
  };
  return {
    code: 'unconfirmedLimit',
    message: `${values.twcid} has not shown its new limit of ${values.sent} A for ${values.seconds} s; its ${values.inForce} A still count against the wiring limit`,
    values,
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
