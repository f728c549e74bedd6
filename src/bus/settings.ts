import type { InstallationSettings } from '../api/installation';
import { CONFIG_RANGES, DEFAULT_MASTER_CONFIG, type MasterConfig, type Range } from '../master/config';
import { OriginListError, parseAllowedOrigins } from './allowed-origins';
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
  allowedOrigins?: string;
}

/** The validated settings: what the API views show (InstallationSettings), plus what only the node uses. */
export interface MasterSettings extends InstallationSettings {
  slaves: SlaveSpec[];
  cancelStopsCharging: boolean;
  /** Address of the dedicated listener; empty for every interface, like TWCManager. */
  listenHost: string | undefined;
  /** Other sites whose pages may change settings through the API (src/bus/allowed-origins.ts). */
  allowedOrigins: string[];
  engine: Partial<MasterConfig>;
}

/** A number field of the node: its range, and the value taken when it is left empty (none: required). */
export interface NumberField extends Range {
  default?: number;
}

/**
 * The twc-master node's number fields. The installation limits are the engine's (CONFIG_RANGES); the
 * minimum's default is the engine's too. The editor dialog validates with this very table, which the
 * node exports to it as RED.settings.twcMasterFields.
 */
export const NODE_FIELDS = {
  baud: { min: 1200, max: 115200, default: 9600 },
  tcpPort: { min: 1, max: 65535, default: 8899 },
  wiringMaxAmpsAllTWCs: CONFIG_RANGES.wiringMaxAmpsAllTWCs,
  wiringMaxAmpsPerTWC: CONFIG_RANGES.wiringMaxAmpsPerTWC,
  minAmpsPerTWC: { ...CONFIG_RANGES.minAmpsPerTWC, default: DEFAULT_MASTER_CONFIG.minAmpsPerTWC },
  defaultVoltage: { min: 100, max: 480, default: 240 },
  numberOfPhases: { min: 1, max: 3, default: 1 },
  listenPort: { min: 1, max: 65535, default: 8080 },
} as const satisfies Record<string, NumberField>;

type FieldName = keyof typeof NODE_FIELDS;

export class SettingsError extends Error {
  override name = 'SettingsError';
}

function whole(name: FieldName, value: unknown, required = false): number {
  const field: NumberField = NODE_FIELDS[name];
  const { min, max } = field;
  // Number() ignores the whitespace around a number (" 32 " is 32) and reads blank text as 0, out of range.
  const v =
    value === undefined || value === ''
      ? required
        ? undefined
        : field.default
      : typeof value === 'string'
        ? Number(value)
        : value;
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
  const idText = String(props.fakeTWCID ?? formatTwcId(DEFAULT_MASTER_CONFIG.fakeTWCID)).trim();
  const fakeTWCID = parseTwcId(idText);
  if (fakeTWCID === undefined)
    throw new SettingsError(`fakeTWCID must be four hexadecimal digits (got "${idText}")`);
  const wiringMaxAmpsAllTWCs = whole('wiringMaxAmpsAllTWCs', props.wiringMaxAmpsAllTWCs);
  const wiringMaxAmpsPerTWC = whole('wiringMaxAmpsPerTWC', props.wiringMaxAmpsPerTWC);
  const minAmpsPerTWC = whole('minAmpsPerTWC', props.minAmpsPerTWC);
  if (minAmpsPerTWC > wiringMaxAmpsPerTWC) {
    throw new SettingsError(
      `minAmpsPerTWC (${minAmpsPerTWC}) must not exceed wiringMaxAmpsPerTWC (${wiringMaxAmpsPerTWC})`,
    );
  }
  const httpEnabled = props.httpEnabled === true || props.httpEnabled === 'true';
  let allowedOrigins: string[];
  try {
    allowedOrigins = parseAllowedOrigins(props.allowedOrigins ?? '');
  } catch (err) {
    if (err instanceof OriginListError) throw new SettingsError(`allowedOrigins: ${err.message}`);
    throw err;
  }
  return {
    transport,
    serialPort,
    baud: whole('baud', props.baud),
    host,
    // The gateway's port is required when it is used.
    tcpPort: whole('tcpPort', props.tcpPort, transport === 'tcp'),
    simulatedSlaves,
    slaves,
    fakeTWCID: formatTwcId(fakeTWCID),
    wiringMaxAmpsAllTWCs,
    wiringMaxAmpsPerTWC,
    minAmpsPerTWC,
    defaultVoltage: whole('defaultVoltage', props.defaultVoltage),
    numberOfPhases: whole('numberOfPhases', props.numberOfPhases),
    httpEnabled,
    listenPort: whole('listenPort', props.listenPort),
    cancelStopsCharging: props.cancelStopsCharging === true || props.cancelStopsCharging === 'true',
    listenHost: (props.listenHost ?? '').trim() || undefined,
    allowedOrigins,
    engine: {
      fakeTWCID,
      wiringMaxAmpsAllTWCs,
      wiringMaxAmpsPerTWC,
      minAmpsPerTWC,
    },
  };
}
