import {
  bodyObject,
  parseAddOffset,
  parseChargeNow,
  parseConsumptionOffset,
  parseDeleteOffset,
  parseGreenEnergy,
  parsePolicyName,
  parseLatLon,
  parseSchedule,
  parseSetSetting,
  parseTargetTwc,
} from './requests';
import { parseDebugCommand } from './debug-command';
import { DebugCommandError } from '../master/debug';
import { UnknownSlaveError, type TwcMaster } from '../master/engine';
import { RefusedCommandError } from '../protocol';
import { PolicyInputError, type ChargePolicy } from '../policy/charge-policy';
import { commandWarning, noticeFacts } from './notices';

export const COMMANDS = [
  'chargeNow',
  'cancelChargeNow',
  'sendStartCommand',
  'sendStopCommand',
  'setGreenEnergy',
  'addConsumptionOffset',
  'deleteConsumptionOffset',
  'setScheduledChargingSettings',
  'setSetting',
  'saveSettings',
  'setLatLon',
  'setConsumptionOffset',
  'setPolicy',
  'sendDebugCommand',
  'checkArrival',
  'checkDeparture',
  'sendTeslaAPICommand',
] as const;
export type CommandName = (typeof COMMANDS)[number];

export function isCommand(name: unknown): name is CommandName {
  return typeof name === 'string' && (COMMANDS as readonly string[]).includes(name);
}

/** What TWCManager's API answers; an http-response node after twc-command sends exactly this. */
export interface CommandResult {
  statusCode: number;
  /** '' for an empty body, as TWCManager's 202 of checkArrival and checkDeparture. */
  payload: Record<string, unknown> | '';
}

/** sendTeslaAPICommand's answer: there is no vehicle API here, so never a Tesla account (docs/api.md §4.17). */
export const NO_TESLA_ACCOUNT = 'no Tesla account is configured: this package has no vehicle API';

export interface CommandTarget {
  engine: TwcMaster;
  policy: ChargePolicy;
  /** cancelChargeNow also sends the stop command to every Wall Connector (how charge managers use it). */
  cancelStopsCharging?: boolean;
  /** Writes the settings now (saveSettings); the reason when they could not be written. */
  save?: () => string | undefined;
}

const badRequest = (error: string): CommandResult => ({ statusCode: 400, payload: { error } });
const success = (statusCode = 200, extra: Record<string, unknown> = {}): CommandResult => ({
  statusCode,
  payload: { status: 'success', ...extra },
});

/** Runs one command against the engine and the policy. Never throws for bad input: that is a 400. */
export function runCommand(name: CommandName, input: unknown, target: CommandTarget): CommandResult {
  try {
    const result = run(name, input, target);
    // Policy changes reach the next heartbeat of every slave without waiting for a timer.
    target.engine.setPolicy(target.policy);
    return withWarning(name, result, target);
  } catch (err) {
    if (
      err instanceof PolicyInputError ||
      err instanceof UnknownSlaveError ||
      err instanceof RefusedCommandError
    )
      return badRequest(err.message);
    if (err instanceof DebugCommandError) return { statusCode: err.status, payload: { error: err.message } };
    throw err;
  }
}

/**
 * A command that was taken but cannot take effect on the wire now keeps TWCManager's status code and says
 * why in `warning`/`warningCode` (docs/api.md §1.7); an answer without a body (204) has nowhere to say it.
 */
function withWarning(
  name: CommandName,
  result: CommandResult,
  { engine, policy }: CommandTarget,
): CommandResult {
  if (result.statusCode >= 300 || result.statusCode === 204 || result.payload === '') return result;
  const facts = noticeFacts(engine.snapshot(), policy.active(), engine.config);
  return { ...result, payload: { ...result.payload, ...commandWarning(name, facts) } };
}

function run(
  name: CommandName,
  input: unknown,
  { engine, policy, cancelStopsCharging, save }: CommandTarget,
): CommandResult {
  switch (name) {
    case 'chargeNow': {
      const req = parseChargeNow(input);
      if (!req.ok) return badRequest(req.error);
      policy.chargeNow(req.value.rate, req.value.duration);
      return success(200, { rate: req.value.rate, duration: req.value.duration });
    }
    case 'cancelChargeNow':
      policy.cancelChargeNow();
      if (cancelStopsCharging) engine.stopCharging();
      return success();
    case 'sendStartCommand':
    case 'sendStopCommand': {
      const target = parseTargetTwc(input);
      if (!target.ok) return badRequest(target.error);
      const count =
        name === 'sendStartCommand' ? engine.startCharging(target.value) : engine.stopCharging(target.value);
      return success(200, { twcs: count });
    }
    case 'setGreenEnergy': {
      const req = parseGreenEnergy(input);
      if (!req.ok) return badRequest(req.error);
      policy.setGreenEnergy(req.value.generationW, req.value.consumptionW);
      return success(200, { ...req.value });
    }
    case 'addConsumptionOffset': {
      const req = parseAddOffset(input);
      if (!req.ok) return badRequest(req.error);
      const o = policy.setOffset(req.value.name, req.value.value, req.value.unit);
      return success(200, { offsetName: req.value.name, offsetValue: o.value, offsetUnit: o.unit });
    }
    case 'deleteConsumptionOffset': {
      const req = parseDeleteOffset(input);
      if (!req.ok) return badRequest(req.error);
      if (Object.keys(policy.current.consumptionOffset).length === 0)
        return { statusCode: 404, payload: { error: 'No consumption offsets configured' } };
      if (!policy.deleteOffset(req.value)) return { statusCode: 404, payload: { error: 'Offset not found' } };
      return success(200, { offsetName: req.value });
    }
    case 'setScheduledChargingSettings': {
      const req = parseSchedule(input);
      if (!req.ok) return badRequest(req.error);
      policy.setSchedule(req.value);
      return success(202);
    }
    case 'setSetting': {
      const req = parseSetSetting(input);
      if (!req.ok) return badRequest(req.error);
      policy.setSetting(req.value.setting, req.value.value);
      return success(204);
    }
    case 'saveSettings': {
      const failed = save?.();
      return failed ? { statusCode: 500, payload: { error: failed } } : success(204);
    }
    case 'setLatLon': {
      const req = parseLatLon(input);
      if (!req.ok) return badRequest(req.error);
      policy.setLocation(req.value.lat, req.value.lon);
      return success(204);
    }
    case 'setConsumptionOffset': {
      const req = parseConsumptionOffset(input);
      if (!req.ok) return badRequest(req.error);
      policy.setConsumptionOffset(req.value);
      return success(204);
    }
    case 'setPolicy': {
      const req = parsePolicyName(input);
      if (!req.ok) return badRequest(req.error);
      return success(200, { policy: policy.setPolicy(req.value) });
    }
    case 'sendDebugCommand': {
      const req = parseDebugCommand(input);
      if (!req.ok) return badRequest(req.error);
      engine.sendDebugCommand(req.value);
      return success(204);
    }
    case 'checkArrival':
    case 'checkDeparture':
      // TWCManager asks its vehicle APIs; with none here there is nothing to ask (docs/api.md §4.16).
      return { statusCode: 202, payload: '' };
    case 'sendTeslaAPICommand': {
      const body = bodyObject(input);
      return badRequest(body.ok ? NO_TESLA_ACCOUNT : body.error);
    }
  }
}
