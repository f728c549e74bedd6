import { parseChargeNow, parseGreenEnergy, parseTargetTwc } from '../api/requests';
import { UnknownSlaveError, type TwcMaster } from '../master/engine';
import type { ChargePolicy } from '../policy/charge-policy';

export const COMMANDS = [
  'chargeNow',
  'cancelChargeNow',
  'sendStartCommand',
  'sendStopCommand',
  'setGreenEnergy',
] as const;
export type CommandName = (typeof COMMANDS)[number];

export function isCommand(name: unknown): name is CommandName {
  return typeof name === 'string' && (COMMANDS as readonly string[]).includes(name);
}

/** What TWCManager's API answers; an http-response node after twc-command sends exactly this. */
export interface CommandResult {
  statusCode: number;
  payload: Record<string, unknown>;
}

const badRequest = (error: string): CommandResult => ({ statusCode: 400, payload: { error } });

/** Runs one command against the engine and the policy. Never throws for bad input: that is a 400. */
export function runCommand(
  name: CommandName,
  input: unknown,
  engine: TwcMaster,
  policy: ChargePolicy,
): CommandResult {
  switch (name) {
    case 'chargeNow': {
      const req = parseChargeNow(input);
      if (!req.ok) return badRequest(req.error);
      policy.chargeNow(req.value.rate, req.value.duration);
      engine.setPolicy(policy);
      return {
        statusCode: 200,
        payload: { status: 'success', rate: req.value.rate, duration: req.value.duration },
      };
    }
    case 'cancelChargeNow':
      policy.cancelChargeNow();
      engine.setPolicy(policy);
      return { statusCode: 200, payload: { status: 'success' } };
    case 'sendStartCommand':
    case 'sendStopCommand': {
      const target = parseTargetTwc(input);
      if (!target.ok) return badRequest(target.error);
      try {
        const count =
          name === 'sendStartCommand'
            ? engine.startCharging(target.value)
            : engine.stopCharging(target.value);
        return { statusCode: 200, payload: { status: 'success', twcs: count } };
      } catch (err) {
        if (err instanceof UnknownSlaveError) return badRequest(err.message);
        throw err;
      }
    }
    case 'setGreenEnergy': {
      const req = parseGreenEnergy(input);
      if (!req.ok) return badRequest(req.error);
      policy.setGreenEnergy(req.value.generationW, req.value.consumptionW);
      engine.setPolicy(policy);
      return { statusCode: 200, payload: { status: 'success', ...req.value } };
    }
  }
}
