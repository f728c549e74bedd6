import type { MasterSnapshot } from '../master/types';
import type { SlaveSnapshot } from '../master/slave-record';
import { supplyOf, wattsPerAmp } from '../policy/supply';
import type { InstallationSettings } from '../api/installation';

/** One MQTT message as Node-RED's `mqtt out` node takes it. */
export interface MqttMessage {
  topic: string;
  /** Always text: an empty text with retain clears a retained topic on the broker. */
  payload: string;
  retain: boolean;
  qos: 0 | 1;
}

/** How a value is written on the wire (docs/api.md §7.3). */
export type PayloadKind = 'float' | 'int' | 'text';

/** What the status topics read from one bus: built from the API's views (src/mqtt/bus-view.ts). */
export interface BusView {
  snapshot: MasterSnapshot;
  install: InstallationSettings;
  /** The policy in force now (getStatus's currentPolicy). */
  currentPolicy: string;
  /** getStatus's maxAmpsToDivideAmongSlaves, as a number. */
  maxAmpsForSlaves: number;
  /** The charge-now rate while a charge-now runs, else undefined. */
  chargeNowAmps: number | undefined;
}

/** A per-Wall-Connector status topic: `<prefix>/<TWCID>/<key>` (docs/api.md §7.2). */
export interface TwcTopic {
  key: string;
  kind: PayloadKind;
  unit: '' | 'A' | 'W' | 'kWh' | 'V';
  read: (slave: SlaveSnapshot, wattsPerAmp: number) => number | string;
}

/** TWCManager's per-TWC keys, in the order its status module first publishes them (docs/api.md §7.2). */
export const TWC_TOPICS: readonly TwcTopic[] = [
  { key: 'ampsMax', kind: 'float', unit: 'A', read: (s) => s.reportedAmpsMax },
  { key: 'ampsInUse', kind: 'float', unit: 'A', read: (s) => s.reportedAmpsActual },
  { key: 'state', kind: 'int', unit: '', read: (s) => s.state },
  {
    key: 'chargerLoadInW',
    kind: 'int',
    unit: 'W',
    read: (s, perAmp) => Math.round(s.reportedAmpsActual * perAmp),
  },
  { key: 'ampsOffered', kind: 'float', unit: 'A', read: (s) => s.lastAmpsOffered },
  { key: 'lifetimekWh', kind: 'int', unit: 'kWh', read: (s) => Math.round(s.lifetimekWh) },
  { key: 'voltagePhaseA', kind: 'int', unit: 'V', read: (s) => Math.round(s.voltsPhaseA) },
  { key: 'voltagePhaseB', kind: 'int', unit: 'V', read: (s) => Math.round(s.voltsPhaseB) },
  { key: 'voltagePhaseC', kind: 'int', unit: 'V', read: (s) => Math.round(s.voltsPhaseC) },
  { key: 'carsCharging', kind: 'int', unit: '', read: (s) => (s.charging ? 1 : 0) },
  { key: 'currentVehicleVIN', kind: 'text', unit: '', read: (s) => s.currentVIN },
  { key: 'lastVehicleVIN', kind: 'text', unit: '', read: (s) => s.lastVIN },
];

/** A bus-wide status topic: `<prefix>/<group>/<key>` (docs/api.md §7.2). */
export interface BusTopic {
  group: 'all' | 'config';
  key: string;
  kind: PayloadKind;
  unit: '' | 'A';
  read: (view: BusView) => number | string | undefined;
}

export const BUS_TOPICS: readonly BusTopic[] = [
  {
    group: 'all',
    key: 'totalAmpsInUse',
    kind: 'float',
    unit: 'A',
    read: (v) => v.snapshot.totals.reportedAmpsActual,
  },
  { group: 'all', key: 'currentPolicy', kind: 'text', unit: '', read: (v) => v.currentPolicy },
  { group: 'all', key: 'maxAmpsForSlaves', kind: 'float', unit: 'A', read: (v) => v.maxAmpsForSlaves },
  { group: 'config', key: 'minAmpsPerTWC', kind: 'int', unit: 'A', read: (v) => v.install.minAmpsPerTWC },
  // Ours: the state of Home Assistant's charge-now number; "None" is its reset payload (docs/api.md §7.5).
  { group: 'all', key: 'chargeNowAmps', kind: 'text', unit: 'A', read: (v) => v.chargeNowAmps ?? 'None' },
];

/** Availability payloads: Home Assistant's defaults, so the discovery configs need not name them. */
export const ONLINE = 'online';
export const OFFLINE = 'offline';

/**
 * A value as TWCManager's Python writes it: a float always with a decimal point ("32.0"), an int without,
 * text as it is (docs/api.md §7.3).
 */
export function formatValue(value: number | string, kind: PayloadKind): string {
  if (kind === 'text' || typeof value === 'string') return String(value);
  if (!Number.isFinite(value)) return kind === 'float' ? '0.0' : '0';
  if (kind === 'int') return String(Math.round(value));
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** Topic segments cannot hold the wildcards or a slash; a prefix is trimmed of slashes at its ends. */
export function cleanPrefix(prefix: string | undefined, fallback: string): string {
  const p = (prefix ?? '').trim().replace(/^\/+|\/+$/g, '');
  return p === '' || /[#+]/.test(p) ? fallback : p;
}

export const busAvailabilityTopic = (prefix: string): string => `${prefix}/availability`;
export const twcAvailabilityTopic = (prefix: string, twcid: string): string =>
  `${prefix}/${twcid}/availability`;
export const twcTopic = (prefix: string, twcid: string, key: string): string => `${prefix}/${twcid}/${key}`;
export const busTopic = (prefix: string, t: Pick<BusTopic, 'group' | 'key'>): string =>
  `${prefix}/${t.group}/${t.key}`;

/** The bus is "online" for Home Assistant while its port is open (docs/api.md §7.5). */
export const busOnline = (snapshot: MasterSnapshot): boolean => snapshot.transport.state === 'open';

/** Every status topic of the bus now, with its payload: what is retained on the broker. */
export function stateTopics(view: BusView, prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  const online = busOnline(view.snapshot);
  out.set(busAvailabilityTopic(prefix), online ? ONLINE : OFFLINE);
  for (const t of BUS_TOPICS) {
    const value = t.read(view);
    if (value !== undefined) out.set(busTopic(prefix, t), formatValue(value, t.kind));
  }
  const perAmp = wattsPerAmp(supplyOf(view.snapshot.slaves, view.install));
  for (const slave of view.snapshot.slaves) {
    out.set(twcAvailabilityTopic(prefix, slave.TWCID), online ? ONLINE : OFFLINE);
    for (const t of TWC_TOPICS)
      out.set(twcTopic(prefix, slave.TWCID, t.key), formatValue(t.read(slave, perAmp), t.kind));
  }
  return out;
}

/** The status topics of one Wall Connector, for clearing them when it leaves for good. */
export function twcTopics(prefix: string, twcid: string): string[] {
  return [twcAvailabilityTopic(prefix, twcid), ...TWC_TOPICS.map((t) => twcTopic(prefix, twcid, t.key))];
}
