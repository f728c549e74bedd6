import { ChargePolicy } from '../../../src/policy/charge-policy';

// One clock and policy for policy-edges.spec.ts and charge-policy-inputs.spec.ts.

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
