import { POLICY_NAMES } from '../policy/settings';
import type { InstallationSettings } from '../api/installation';
import {
  BUS_TOPICS,
  busAvailabilityTopic,
  busTopic,
  twcAvailabilityTopic,
  twcTopic,
  TWC_TOPICS,
  type BusTopic,
  type TwcTopic,
} from './topics';
import { controlTopic } from './control';

/** Home Assistant entity configs as its MQTT discovery reads them (docs/api.md §7.5). */
export type Component = 'sensor' | 'binary_sensor' | 'number' | 'button' | 'select';

export interface DiscoveryConfig {
  /** `<discoveryPrefix>/<component>/<node_id>/<object_id>/config` */
  topic: string;
  component: Component;
  config: Record<string, unknown>;
}

export interface DiscoverySettings {
  /** The status and control prefix (TWCManager's topicPrefix). */
  prefix: string;
  /** Home Assistant's discovery prefix, `homeassistant` unless changed there. */
  discoveryPrefix: string;
}

const PACKAGE = 'node-red-contrib-twcmanager';

/** node_id and object_id may hold only letters, digits, `_` and `-` (Home Assistant's rule). */
export const idPart = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '_');

/** Stable across restarts: made only of the prefix and the TWCID, never of a node id or a time. */
export const busDeviceId = (prefix: string): string => `${PACKAGE}_${idPart(prefix)}_bus`;
export const twcDeviceId = (prefix: string, twcid: string): string => `${PACKAGE}_${idPart(prefix)}_${twcid}`;

/** How Home Assistant shows a status topic: its label, class and unit (docs/api.md §7.5). */
interface SensorLook {
  name: string;
  device_class?: 'current' | 'power' | 'energy' | 'voltage';
  state_class?: 'measurement' | 'total_increasing';
  entity_category?: 'diagnostic';
}

const TWC_LOOKS: Record<string, SensorLook> = {
  ampsMax: {
    name: 'Amps max',
    device_class: 'current',
    state_class: 'measurement',
    entity_category: 'diagnostic',
  },
  ampsInUse: { name: 'Amps in use', device_class: 'current', state_class: 'measurement' },
  state: { name: 'State' },
  chargerLoadInW: { name: 'Power', device_class: 'power', state_class: 'measurement' },
  ampsOffered: { name: 'Amps offered', device_class: 'current', state_class: 'measurement' },
  lifetimekWh: { name: 'Lifetime energy', device_class: 'energy', state_class: 'total_increasing' },
  voltagePhaseA: { name: 'Voltage phase A', device_class: 'voltage', state_class: 'measurement' },
  voltagePhaseB: { name: 'Voltage phase B', device_class: 'voltage', state_class: 'measurement' },
  voltagePhaseC: { name: 'Voltage phase C', device_class: 'voltage', state_class: 'measurement' },
  currentVehicleVIN: { name: 'VIN' },
  lastVehicleVIN: { name: 'Last VIN', entity_category: 'diagnostic' },
};

const BUS_LOOKS: Record<string, SensorLook> = {
  totalAmpsInUse: { name: 'Total amps in use', device_class: 'current', state_class: 'measurement' },
  currentPolicy: { name: 'Policy in force' },
  maxAmpsForSlaves: { name: 'Amps to divide', device_class: 'current', state_class: 'measurement' },
  minAmpsPerTWC: { name: 'Minimum amps per TWC', device_class: 'current', entity_category: 'diagnostic' },
};

function sensor(t: TwcTopic | BusTopic, look: SensorLook, stateTopic: string): Record<string, unknown> {
  return { ...look, state_topic: stateTopic, ...(t.unit ? { unit_of_measurement: t.unit } : {}) };
}

function entity(
  s: DiscoverySettings,
  component: Component,
  node: string,
  key: string,
  device: { identifiers: [string] } & Record<string, unknown>,
  availability: string[],
  body: Record<string, unknown>,
): DiscoveryConfig {
  const nodeId = idPart(node);
  return {
    topic: `${s.discoveryPrefix}/${component}/${nodeId}/${idPart(key)}/config`,
    component,
    config: {
      ...body,
      unique_id: `${device.identifiers[0]}_${key}`,
      device,
      origin: { name: PACKAGE },
      availability: availability.map((topic) => ({ topic })),
      availability_mode: 'all',
    },
  };
}

/** The bus device: its sensors, the charge-now number, the start/stop/cancel buttons, the policy select. */
export function busDiscovery(s: DiscoverySettings, install: InstallationSettings): DiscoveryConfig[] {
  const p = s.prefix;
  const device = {
    identifiers: [busDeviceId(p)] as [string],
    name: `TWC bus ${p}`,
    manufacturer: PACKAGE,
    model: 'Wall Connector bus master',
  };
  const node = `${p}_bus`;
  const avail = [busAvailabilityTopic(p)];
  const one = (c: Component, key: string, body: Record<string, unknown>): DiscoveryConfig =>
    entity(s, c, node, key, device, avail, body);
  const out: DiscoveryConfig[] = [];
  for (const t of BUS_TOPICS) {
    const look = BUS_LOOKS[t.key];
    if (look) out.push(one('sensor', t.key, sensor(t, look, busTopic(p, t))));
  }
  out.push(
    one('number', 'chargeNowAmps', {
      name: 'Charge now',
      command_topic: controlTopic(p, 'chargeNowAmps'),
      state_topic: busTopic(p, { group: 'all', key: 'chargeNowAmps' }),
      min: install.minAmpsPerTWC,
      max: install.wiringMaxAmpsAllTWCs,
      step: 1,
      mode: 'box',
      unit_of_measurement: 'A',
      device_class: 'current',
    }),
    one('button', 'startCharging', {
      name: 'Start charging',
      command_topic: controlTopic(p, 'sendStartCommand'),
      payload_press: '{}',
    }),
    one('button', 'stopCharging', {
      name: 'Stop charging',
      command_topic: controlTopic(p, 'sendStopCommand'),
      payload_press: '{}',
    }),
    one('button', 'cancelChargeNow', {
      name: 'Cancel charge now',
      command_topic: controlTopic(p, 'chargeNowEnd'),
      payload_press: '{}',
    }),
    one('select', 'policy', {
      name: 'Policy',
      command_topic: controlTopic(p, 'policy'),
      state_topic: busTopic(p, { group: 'all', key: 'currentPolicy' }),
      options: [...POLICY_NAMES],
    }),
  );
  return out;
}

/** One Wall Connector's device: its sensors, a charging binary sensor, its own start/stop buttons. */
export function twcDiscovery(s: DiscoverySettings, twcid: string): DiscoveryConfig[] {
  const p = s.prefix;
  const device = {
    identifiers: [twcDeviceId(p, twcid)] as [string],
    name: `Wall Connector ${twcid}`,
    manufacturer: 'Tesla',
    model: 'Wall Connector Gen 2',
    via_device: busDeviceId(p),
  };
  const node = `${p}_${twcid}`;
  const avail = [busAvailabilityTopic(p), twcAvailabilityTopic(p, twcid)];
  const one = (c: Component, key: string, body: Record<string, unknown>): DiscoveryConfig =>
    entity(s, c, node, key, device, avail, body);
  const out: DiscoveryConfig[] = [];
  for (const t of TWC_TOPICS) {
    const look = TWC_LOOKS[t.key];
    if (look) out.push(one('sensor', t.key, sensor(t, look, twcTopic(p, twcid, t.key))));
  }
  const target = JSON.stringify({ TWCID: twcid });
  out.push(
    one('binary_sensor', 'carsCharging', {
      name: 'Charging',
      state_topic: twcTopic(p, twcid, 'carsCharging'),
      payload_on: '1',
      payload_off: '0',
      device_class: 'battery_charging',
    }),
    one('button', 'startCharging', {
      name: 'Start charging',
      command_topic: controlTopic(p, 'sendStartCommand'),
      payload_press: target,
    }),
    one('button', 'stopCharging', {
      name: 'Stop charging',
      command_topic: controlTopic(p, 'sendStopCommand'),
      payload_press: target,
    }),
  );
  return out;
}
