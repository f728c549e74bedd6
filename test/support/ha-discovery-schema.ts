/**
 * Home Assistant's MQTT discovery schema, field by field, for the components this package announces, as
 * its integration pages (home-assistant.io/integrations/sensor.mqtt, binary_sensor.mqtt, number.mqtt,
 * button.mqtt, select.mqtt) and the sensor device-class table list them. Only the full field names: the
 * abbreviations are not used here, and an unknown key is a mistake (Home Assistant refuses the config).
 */
type Check = (v: unknown) => string | undefined;

const str: Check = (v) => (typeof v === 'string' && v !== '' ? undefined : 'a non-empty string');
const bool: Check = (v) => (typeof v === 'boolean' ? undefined : 'true or false');
const num: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : 'a number');
const int: Check = (v) => (Number.isInteger(v) ? undefined : 'a whole number');
const oneOf =
  (...values: unknown[]): Check =>
  (v) =>
    values.includes(v) ? undefined : `one of ${values.join(', ')}`;
const strOrNull: Check = (v) => (v === null ? undefined : str(v));
/** A topic Home Assistant publishes to or subscribes to: no wildcard in a topic it publishes to. */
const topic: Check = (v) => str(v) ?? (/[#+]/.test(String(v)) ? 'a topic without wildcards' : undefined);

const objectOf =
  (fields: Record<string, Check>, required: string[]): Check =>
  (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'an object';
    const o = v as Record<string, unknown>;
    for (const r of required) if (!(r in o)) return `an object with ${r}`;
    for (const [k, val] of Object.entries(o)) {
      const check = fields[k];
      if (!check) return `an object without the unknown key ${k}`;
      const problem = check(val);
      if (problem) return `an object whose ${k} is ${problem}`;
    }
    return undefined;
  };

const identifiers: Check = (v) =>
  typeof v === 'string'
    ? str(v)
    : Array.isArray(v) && v.length > 0 && v.every((x) => !str(x))
      ? undefined
      : 'a string or a non-empty list of strings';

const DEVICE = objectOf(
  {
    identifiers,
    connections: (v) => (Array.isArray(v) ? undefined : 'a list'),
    name: str,
    manufacturer: str,
    model: str,
    model_id: str,
    sw_version: str,
    hw_version: str,
    serial_number: str,
    suggested_area: str,
    via_device: str,
    configuration_url: str,
  },
  [],
);

const AVAILABILITY: Check = (v) =>
  Array.isArray(v) && v.length > 0
    ? v
        .map(
          objectOf({ topic, payload_available: str, payload_not_available: str, value_template: str }, [
            'topic',
          ]),
        )
        .find(Boolean)
    : 'a non-empty list';

/** Keys every MQTT entity may carry. */
const COMMON: Record<string, Check> = {
  availability: AVAILABILITY,
  availability_mode: oneOf('all', 'any', 'latest'),
  availability_template: str,
  availability_topic: topic,
  payload_available: str,
  payload_not_available: str,
  device: DEVICE,
  enabled_by_default: bool,
  encoding: (v) => (typeof v === 'string' ? undefined : 'a string'),
  entity_category: oneOf('config', 'diagnostic'),
  entity_picture: str,
  icon: str,
  json_attributes_template: str,
  json_attributes_topic: topic,
  name: strOrNull,
  object_id: str,
  default_entity_id: str,
  origin: objectOf({ name: str, sw_version: str, support_url: str }, ['name']),
  platform: str,
  qos: oneOf(0, 1, 2),
  unique_id: str,
};

/** Units Home Assistant accepts per device class (the classes used here). */
export const UNITS: Record<string, string[]> = {
  current: ['A', 'mA'],
  power: ['mW', 'W', 'kW', 'MW', 'GW', 'TW', 'BTU/h'],
  energy: ['J', 'kJ', 'MJ', 'GJ', 'mWh', 'Wh', 'kWh', 'MWh', 'GWh', 'TWh', 'cal', 'kcal', 'Mcal', 'Gcal'],
  voltage: ['V', 'mV', 'µV', 'kV', 'MV'],
};

const SENSOR_CLASSES = [
  'apparent_power',
  'battery',
  'current',
  'energy',
  'enum',
  'power',
  'power_factor',
  'temperature',
  'timestamp',
  'voltage',
  'frequency',
  'duration',
  'distance',
  'reactive_power',
];
const BINARY_CLASSES = ['battery_charging', 'connectivity', 'plug', 'power', 'problem', 'running'];

interface ComponentSchema {
  required: string[];
  fields: Record<string, Check>;
  /** Rules that tie fields together. */
  rules?: (c: Record<string, unknown>) => string | undefined;
}

const unitRule = (c: Record<string, unknown>): string | undefined => {
  const dc = c.device_class;
  if (typeof dc !== 'string' || !UNITS[dc]) return undefined;
  if (!UNITS[dc].includes(String(c.unit_of_measurement)))
    return `unit_of_measurement ${String(c.unit_of_measurement)} is not a unit of ${dc}`;
  return undefined;
};

export const SCHEMA: Record<string, ComponentSchema> = {
  sensor: {
    required: ['state_topic'],
    fields: {
      state_topic: topic,
      device_class: oneOf(...SENSOR_CLASSES),
      state_class: oneOf('measurement', 'measurement_angle', 'total', 'total_increasing'),
      unit_of_measurement: str,
      value_template: str,
      expire_after: int,
      force_update: bool,
      last_reset_value_template: str,
      suggested_display_precision: int,
      options: (v) => (Array.isArray(v) ? undefined : 'a list'),
    },
    rules: (c) => {
      // An energy meter is a total; "measurement" is refused for it.
      if (c.device_class === 'energy' && c.state_class === 'measurement')
        return 'state_class measurement with device_class energy';
      return unitRule(c);
    },
  },
  binary_sensor: {
    required: ['state_topic'],
    fields: {
      state_topic: topic,
      device_class: oneOf(...BINARY_CLASSES),
      payload_on: str,
      payload_off: str,
      value_template: str,
      expire_after: int,
      force_update: bool,
      off_delay: int,
    },
  },
  number: {
    required: ['command_topic'],
    fields: {
      command_topic: topic,
      command_template: str,
      state_topic: topic,
      value_template: str,
      min: num,
      max: num,
      step: (v) => num(v) ?? ((v as number) >= 0.001 ? undefined : 'at least 0.001'),
      mode: oneOf('auto', 'box', 'slider'),
      optimistic: bool,
      payload_reset: str,
      retain: bool,
      unit_of_measurement: str,
      device_class: oneOf('current', 'power', 'energy', 'voltage', 'duration'),
    },
    rules: (c) => {
      const min = (c.min as number | undefined) ?? 1;
      const max = (c.max as number | undefined) ?? 100;
      if (!(min < max)) return `min ${min} is not below max ${max}`;
      return unitRule(c);
    },
  },
  button: {
    required: ['command_topic'],
    fields: {
      command_topic: topic,
      command_template: str,
      device_class: oneOf('identify', 'restart', 'update', null),
      payload_press: (v) => (typeof v === 'string' ? undefined : 'a string'),
      retain: bool,
    },
  },
  select: {
    required: ['command_topic', 'options'],
    fields: {
      command_topic: topic,
      command_template: str,
      state_topic: topic,
      value_template: str,
      options: (v) =>
        Array.isArray(v) && v.length > 0 && v.every((o) => typeof o === 'string')
          ? undefined
          : 'a list of strings',
      optimistic: bool,
      retain: bool,
    },
  },
};

/** `<discovery_prefix>/<component>/[<node_id>/]<object_id>/config`, ids of letters, digits, `_` and `-`. */
export const DISCOVERY_TOPIC =
  /^([^/]+)\/(sensor|binary_sensor|number|button|select)\/(?:([A-Za-z0-9_-]+)\/)?([A-Za-z0-9_-]+)\/config$/;

/** What is wrong with one discovery config, field by field; [] when Home Assistant would take it. */
export function discoveryProblems(topicName: string, config: unknown): string[] {
  const m = DISCOVERY_TOPIC.exec(topicName);
  if (!m) return [`${topicName} is not a discovery topic`];
  const schema = SCHEMA[m[2]];
  if (typeof config !== 'object' || config === null) return [`${topicName}: not a JSON object`];
  const c = config as Record<string, unknown>;
  const problems: string[] = [];
  for (const r of schema.required) if (!(r in c)) problems.push(`${topicName}: ${r} is required`);
  for (const [k, v] of Object.entries(c)) {
    const check = schema.fields[k] ?? COMMON[k];
    if (!check) {
      problems.push(`${topicName}: unknown key ${k}`);
      continue;
    }
    const p = check(v);
    if (p) problems.push(`${topicName}: ${k} must be ${p}`);
  }
  // The device registry ties an entity to a device only with a unique id.
  if (c.device !== undefined && c.unique_id === undefined)
    problems.push(`${topicName}: device without unique_id`);
  if ('availability' in c && 'availability_topic' in c)
    problems.push(`${topicName}: availability and availability_topic together`);
  const rule = schema.rules?.(c);
  if (rule) problems.push(`${topicName}: ${rule}`);
  return problems;
}
