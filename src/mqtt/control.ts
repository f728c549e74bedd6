import { COMMANDS, isCommand, type CommandName } from '../api/commands';

/**
 * How long a charge-now set from Home Assistant's number lasts: 24 h, the longest choice of TWCManager's
 * own web page, so that a charge-now set by hand outlasts a night's charge (docs/api.md §7.4).
 */
export const CHARGE_NOW_SECONDS = 24 * 3600;

/** The control topics that are not API command names, with the command each becomes (docs/api.md §7.4). */
export const CONTROL_TOPICS = [
  'chargeNow',
  'chargeNowEnd',
  'chargeNowAmps',
  'nonScheduledAmpsMax',
  'nonScheduledAction',
  'policy',
  'stop',
] as const;

export const controlTopic = (prefix: string, name: string): string => `${prefix}/control/${name}`;

/** What one MQTT message on a control topic asks for. */
export type ControlRequest =
  /** Not a control topic of this prefix (a status topic under `<prefix>/#`, say): nothing to do, no warning. */
  | { kind: 'ignore' }
  /** A control topic with a payload that cannot be a command: warn, change nothing. */
  | { kind: 'refuse'; name: string; reason: string }
  /** A command for runCommand, which validates `input` exactly as for the HTTP API. */
  | { kind: 'run'; name: string; command: CommandName; input: unknown };

/** A payload as `mqtt in` hands it over (text, a Buffer, or already parsed JSON) as text. */
function text(payload: unknown): string {
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  if (typeof payload === 'string') return payload;
  if (typeof payload === 'number' || typeof payload === 'boolean') return String(payload);
  return payload === undefined || payload === null ? '' : JSON.stringify(payload);
}

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Buffer.isBuffer(v);

/** The command of one message on `<prefix>/control/<name>` (docs/api.md §7.4). */
export function controlRequest(prefix: string, topic: unknown, payload: unknown): ControlRequest {
  const head = controlTopic(prefix, '');
  if (typeof topic !== 'string' || !topic.startsWith(head)) return { kind: 'ignore' };
  const name = topic.slice(head.length);
  const run = (command: CommandName, input: unknown): ControlRequest => ({
    kind: 'run',
    name,
    command,
    input,
  });
  const setting = (key: string): ControlRequest =>
    run('setSetting', { setting: key, value: text(payload).trim() });
  switch (name) {
    case 'chargeNow': {
      // TWCManager's form is `amps,seconds`; a JSON object is chargeNow's API body.
      if (isObject(payload) || text(payload).trim().startsWith('{')) return run('chargeNow', payload);
      const parts = text(payload).split(',');
      if (parts.length !== 2)
        return { kind: 'refuse', name, reason: 'expected "amps,seconds", e.g. "16,3600"' };
      return run('chargeNow', { chargeNowRate: parts[0].trim(), chargeNowDuration: parts[1].trim() });
    }
    case 'chargeNowAmps':
      return run('chargeNow', { chargeNowRate: text(payload).trim(), chargeNowDuration: CHARGE_NOW_SECONDS });
    case 'chargeNowEnd':
      return run('cancelChargeNow', {});
    case 'nonScheduledAmpsMax':
    case 'nonScheduledAction':
      return setting(name);
    case 'policy':
      return run('setPolicy', { policy: text(payload).trim() });
    case 'stop':
      return {
        kind: 'refuse',
        name,
        reason: "TWCManager's stop ends its own process; this package does not stop Node-RED over MQTT",
      };
  }
  if (isCommand(name)) return run(name, isObject(payload) ? payload : text(payload));
  return {
    kind: 'refuse',
    name,
    reason: `unknown control topic; one of ${[...CONTROL_TOPICS, ...COMMANDS.filter((c) => c !== 'chargeNow')].join(', ')}`,
  };
}
