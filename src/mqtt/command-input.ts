import { controlRequest } from './control';
import { cleanPrefix } from './topics';

/** twc-command's and twc-status's choice that turns on MQTT (docs/api.md §7.1). */
export const MQTT_MODE = 'mqtt';
/** TWCManager's documented prefix, ours when the field is left empty. */
export const DEFAULT_PREFIX = 'TWC';

/** The node's prefix when it is in MQTT mode, else undefined. */
export function mqttPrefixOf(props: {
  command?: string;
  payload?: string;
  mqttPrefix?: string;
}): string | undefined {
  if (props.command !== MQTT_MODE && props.payload !== MQTT_MODE) return undefined;
  return cleanPrefix(props.mqttPrefix, DEFAULT_PREFIX);
}

/**
 * One `mqtt in` message for twc-command: nothing to do, a refusal (for the node's warning), or the command
 * with the API's own input for runCommand. `name` is the command's name, or the control topic's when refused.
 */
export type MqttCommand =
  | { kind: 'ignore' }
  | { kind: 'refuse'; name: string; reason: string }
  | { kind: 'run'; name: string; input: unknown };

export function fromMqtt(prefix: string, topic: unknown, payload: unknown): MqttCommand {
  const req = controlRequest(prefix, topic, payload);
  if (req.kind !== 'run') return req;
  return { kind: 'run', name: req.command, input: req.input };
}
