import assert from 'node:assert/strict';
import { ChargePolicy, PolicyInputError } from '../../../src/policy/charge-policy';

// One clock and policy for the policy specs, and the check of a refusal.

/** Local wall-clock times (Mon 23 Nov 2026 is a Monday), so the tests mean the same in every time zone. */
export const at = (day: number, hour: number, minute = 0): number =>
  new Date(2026, 10, day, hour, minute).getTime();
export const MON = 23;

export function policyAt(start: number, settings = {}) {
  const clock = { now: start };
  const policy = new ChargePolicy(settings, {
    wallClock: () => clock.now,
    minAmps: 6,
    startDelayMs: 60_000,
    stopDelayMs: 180_000,
  });
  return { policy, clock };
}

/** The message of the PolicyInputError `fn` throws; fails when it throws nothing or something else. */
export function inputError(fn: () => unknown): string {
  let error: unknown;
  try {
    fn();
  } catch (err) {
    error = err;
  }
  assert.ok(error instanceof PolicyInputError, `expected a PolicyInputError, got ${String(error)}`);
  assert.equal(error.name, 'PolicyInputError');
  return error.message;
}
