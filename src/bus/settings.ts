import type { InstallationSettings } from '../api/installation';
import type { MasterConfig } from '../master/config';
import { formatTwcId, parseTwcId } from '../protocol/twcid';
import { parseSlaveSpecs, SimSpecError, type SlaveSpec } from '../sim/spec';

/** The twc-master node's properties as the editor saves them (numbers may arrive as strings). */
export interface MasterNodeProps {
  name?: string;
  transport?: string;
  serialPort?: string;
  baud?: unknown;
  host?: string;
  tcpPort?: unknown;
  simulatedSlaves?: string;
  fakeTWCID?: unknown;
  wiringMaxAmpsAllTWCs?: unknown;
  wiringMaxAmpsPerTWC?: unknown;
  minAmpsPerTWC?: unknown;
  defaultVoltage?: unknown;
  numberOfPhases?: unknown;
  httpEnabled?: unknown;
  listenPort?: unknown;
  cancelStopsCharging?: unknown;
  listenHost?: string;
}

/** The validated settings: what the API views show (InstallationSettings), plus what only the node uses. */
export interface MasterSettings extends InstallationSettings {
  slaves: SlaveSpec[];
  cancelStopsCharging: boolean;
  /** Address of the dedicated listener; empty for every interface, like TWCManager. */
  listenHost: string | undefined;
  engine: Partial<MasterConfig>;
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

function whole(name: string, value: unknown, min: number, max: number, fallback?: number): number {
  // Number() ignores the whitespace around a number (" 32 " is 32) and reads blank text as 0, out of range.
  const v =
    value === undefined || value === '' ? fallback : typeof value === 'string' ? Number(value) : value;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const got = value === undefined || value === '' ? 'nothing' : JSON.stringify(value);
    throw new SettingsError(`${name} must be a whole number from ${min} to ${max} (got ${got})`);
  }
  return v;
}

/** Checks every property of a twc-master node; throws SettingsError naming the first bad one. */
export function parseMasterSettings(props: MasterNodeProps): MasterSettings {
  const transport = props.transport ?? 'serial';
  if (transport !== 'serial' && transport !== 'tcp' && transport !== 'simulator') {
    throw new SettingsError(`transport must be serial, tcp or simulator (got ${JSON.stringify(transport)})`);
  }
  const serialPort = (props.serialPort ?? '').trim();
  const host = (props.host ?? '').trim();
  if (transport === 'serial' && !serialPort)
    throw new SettingsError('serialPort is required, e.g. /dev/ttyUSB0');
  if (transport === 'tcp' && !host) throw new SettingsError('host of the RS-485 gateway is required');
  const simulatedSlaves = (props.simulatedSlaves ?? '').trim();
  let slaves: SlaveSpec[] = [];
  if (transport === 'simulator') {
    try {
      slaves = parseSlaveSpecs(simulatedSlaves);
    } catch (err) {
      if (err instanceof SimSpecError) throw new SettingsError(`simulatedSlaves: ${err.message}`);
      throw err;
    }
  }
  const idText = String(props.fakeTWCID ?? '7777').trim();
  const fakeTWCID = parseTwcId(idText);
  if (fakeTWCID === undefined)
    throw new SettingsError(`fakeTWCID must be four hexadecimal digits (got "${idText}")`);
  const wiringMaxAmpsAllTWCs = whole('wiringMaxAmpsAllTWCs', props.wiringMaxAmpsAllTWCs, 1, 655);
  const wiringMaxAmpsPerTWC = whole('wiringMaxAmpsPerTWC', props.wiringMaxAmpsPerTWC, 1, 80);
  const minAmpsPerTWC = whole('minAmpsPerTWC', props.minAmpsPerTWC, 5, 80, 12);
  if (minAmpsPerTWC > wiringMaxAmpsPerTWC) {
    throw new SettingsError(
      `minAmpsPerTWC (${minAmpsPerTWC}) must not exceed wiringMaxAmpsPerTWC (${wiringMaxAmpsPerTWC})`,
    );
  }
  const httpEnabled = props.httpEnabled === true || props.httpEnabled === 'true';
  return {
    transport,
    serialPort,
    baud: whole('baud', props.baud, 1200, 115200, 9600),
    host,
    tcpPort:
      transport === 'tcp'
        ? whole('tcpPort', props.tcpPort, 1, 65535)
        : whole('tcpPort', props.tcpPort, 1, 65535, 8899),
    simulatedSlaves,
    slaves,
    fakeTWCID: formatTwcId(fakeTWCID),
    wiringMaxAmpsAllTWCs,
    wiringMaxAmpsPerTWC,
    minAmpsPerTWC,
    defaultVoltage: whole('defaultVoltage', props.defaultVoltage, 100, 480, 240),
    numberOfPhases: whole('numberOfPhases', props.numberOfPhases, 1, 3, 1),
    httpEnabled,
    listenPort: whole('listenPort', props.listenPort, 1, 65535, 8080),
    cancelStopsCharging: props.cancelStopsCharging === true || props.cancelStopsCharging === 'true',
    listenHost: (props.listenHost ?? '').trim() || undefined,
    engine: {
      fakeTWCID,
      wiringMaxAmpsAllTWCs,
      wiringMaxAmpsPerTWC,
      minAmpsPerTWC,
    },
  };
}
