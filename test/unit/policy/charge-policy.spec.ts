import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChargePolicy, PolicyInputError } from '../../../src/policy/charge-policy';
import { GreenHysteresis, greenWatts, surplusAmps } from '../../../src/policy/green';
import { inSchedule } from '../../../src/policy/schedule';
import { DEFAULT_POLICY_SETTINGS, restoreSettings } from '../../../src/policy/settings';

/** Local wall-clock times, so the tests mean the same in every time zone. Mon 23 Nov 2026 is a Monday. */
const at = (day: number, hour: number, minute = 0): number => new Date(2026, 10, day, hour, minute).getTime();
const MON = 23;
const TUE = 24;
const SAT = 28;
const SUN = 29;

function policyAt(start: number, settings = {}, minAmps = 6) {
  const clock = { now: start };
  const policy = new ChargePolicy(settings, {
    wallClock: () => clock.now,
    minAmps,
    startDelayMs: 60_000,
    stopDelayMs: 180_000,
  });
  return { policy, clock };
}

describe('ChargePolicy: Charge Now', () => {
  it('charges at the rate until the duration has passed, then falls back by itself', () => {
    const { policy, clock } = policyAt(at(MON, 23), { nonScheduledAmpsMax: 6 });
    assert.deepEqual(policy.active(), { name: 'Non Scheduled Charging', amps: 6, isGreen: false, action: 1 });
    const r = policy.chargeNow(24, 3600);
    assert.deepEqual(r, { rate: 24, duration: 3600, timeEnd: clock.now / 1000 + 3600 });
    assert.deepEqual(policy.active(), { name: 'Charge Now', amps: 24, isGreen: false, action: 1 });
    clock.now += 3599_000;
    assert.equal(policy.availableAmps(), 24);
    clock.now += 2_000;
    assert.equal(policy.active().name, 'Non Scheduled Charging');
    assert.equal(policy.availableAmps(), 6);
  });

  it('a repeat replaces rate and end; cancel returns to the normal policy at once', () => {
    const { policy, clock } = policyAt(at(MON, 23));
    policy.chargeNow(16, 60);
    clock.now += 30_000;
    policy.chargeNow(20, 60);
    assert.equal(policy.current.chargeNowTimeEnd, clock.now / 1000 + 60);
    assert.equal(policy.availableAmps(), 20);
    policy.cancelChargeNow();
    assert.deepEqual(policy.active(), { name: 'Non Scheduled Charging', amps: 0, isGreen: false, action: 2 });
    assert.equal(policy.current.chargeNowTimeEnd, 0);
  });

  it('rejects bad input without losing the setting it had', () => {
    const { policy } = policyAt(at(MON, 23));
    policy.chargeNow(16, 60);
    for (const [rate, duration] of [
      [0, 60],
      [-5, 60],
      [16, 0],
      [12.5, 60],
      [Number.NaN, 60],
    ]) {
      assert.throws(() => policy.chargeNow(rate, duration), PolicyInputError);
    }
    assert.throws(() => policy.setGreenEnergy(-1, 0), /must not be negative/);
    assert.throws(() => policy.setGreenEnergy(Number.POSITIVE_INFINITY, 0), /must be a number/);
    assert.equal(policy.availableAmps(), 16);
  });
});

describe('ChargePolicy: Scheduled Charging', () => {
  const nightly = { startingMinute: 22 * 60, endingMinute: 6 * 60 + 30, amps: 32 };

  it('charges inside a window that crosses midnight, on the day it started', () => {
    const { policy, clock } = policyAt(at(MON, 21, 59), { nonScheduledAction: 2 });
    policy.setSchedule({
      enabled: true,
      ...nightly,
      days: {
        monday: true,
        tuesday: true,
        wednesday: true,
        thursday: true,
        friday: true,
        saturday: false,
        sunday: false,
      },
    });
    assert.equal(policy.active().name, 'Non Scheduled Charging');
    clock.now = at(MON, 22, 0);
    assert.deepEqual(policy.active(), { name: 'Scheduled Charging', amps: 32, isGreen: false, action: 1 });
    clock.now = at(TUE, 3, 0); // Monday's window, after midnight
    assert.equal(policy.active().name, 'Scheduled Charging');
    clock.now = at(TUE, 6, 29);
    assert.equal(policy.active().name, 'Scheduled Charging');
    clock.now = at(TUE, 6, 30); // the end keeps its half hour
    assert.equal(policy.active().name, 'Non Scheduled Charging');
    clock.now = at(SAT, 23, 0); // Saturday is off
    assert.equal(policy.active().name, 'Non Scheduled Charging');
    clock.now = at(SAT, 2, 0); // Friday night's window runs into Saturday
    assert.equal(policy.active().name, 'Scheduled Charging');
    clock.now = at(SUN + 1, 2, 0); // Monday 02:00 belongs to Sunday, which is off
    assert.equal(policy.active().name, 'Non Scheduled Charging');
  });

  it('takes partial updates, keeps hours and days when disabled, and refuses nonsense', () => {
    const { policy, clock } = policyAt(at(MON, 23), { nonScheduledAction: 2 });
    policy.setSchedule({ enabled: true, ...nightly });
    policy.setSchedule({ amps: 16 });
    assert.equal(policy.current.scheduledAmpsMax, 16);
    assert.equal(policy.current.scheduledAmpsEndHour, 6.5);
    policy.setSchedule({ enabled: false });
    assert.equal(policy.active().name, 'Non Scheduled Charging');
    assert.equal(policy.current.scheduledAmpsStartHour, 22);
    assert.throws(() => policy.setSchedule({ enabled: true }), /amps must be greater than 0/);
    policy.setSchedule({ enabled: true, amps: 20 });
    assert.equal(policy.availableAmps(), 20);
    assert.throws(() => policy.setSchedule({ startingMinute: 2000 }), /minute of the day/);
    assert.throws(() => policy.setSchedule({ amps: -3 }), /amps/);
    assert.equal(policy.availableAmps(), 20);
    clock.now = at(TUE, 12);
    assert.equal(policy.active().name, 'Non Scheduled Charging');
  });

  it('inSchedule: a start truncated to the hour, an end with its fraction, a same-day window', () => {
    const s = {
      scheduledAmpsMax: 10,
      scheduledAmpsStartHour: 9.5,
      scheduledAmpsEndHour: 17.25,
      scheduledAmpsDaysBitmap: 1,
    };
    assert.equal(inSchedule(s, new Date(at(MON, 9, 0))), true);
    assert.equal(inSchedule(s, new Date(at(MON, 17, 14))), true);
    assert.equal(inSchedule(s, new Date(at(MON, 17, 15))), false);
    assert.equal(inSchedule(s, new Date(at(TUE, 12, 0))), false);
    assert.equal(inSchedule({ ...s, scheduledAmpsMax: 0 }, new Date(at(MON, 12, 0))), false);
  });
});

describe('ChargePolicy: Track Green Energy', () => {
  it('tracks the surplus in daylight, with offsets, volts and phases', () => {
    const { policy, clock } = policyAt(at(MON, 12));
    policy.setGreenEnergy(6000, 1200);
    assert.equal(policy.availableAmps(), 0, 'waits for the start delay');
    clock.now += 60_000;
    assert.deepEqual(policy.active(), { name: 'Track Green Energy', amps: 20, isGreen: true, action: 3 });
    policy.setOffset('Pool', 480, 'W');
    assert.equal(policy.availableAmps(), 18);
    policy.setOffset('Battery', -2, 'A');
    assert.equal(policy.availableAmps(), 20);
    // Offsets add up before they count: +480 W and −2 A × 240 V cancel out.
    assert.deepEqual(greenWatts(policy.current, { volts: 240, phases: 1 }), {
      generationW: 6000,
      consumptionW: 1200,
    });
    // On 3 × 230 V the −2 A offset is −1380 W: net −900 W adds to generation.
    assert.deepEqual(greenWatts(policy.current, { volts: 230, phases: 3 }), {
      generationW: 6900,
      consumptionW: 1200,
    });
    assert.equal(surplusAmps(policy.current, { volts: 230, phases: 3 }), 8.26);
  });

  it('does not switch the car on and off with every cloud (hysteresis)', () => {
    const { policy, clock } = policyAt(at(MON, 12));
    const step = (seconds: number, generationW: number): number => {
      clock.now += seconds * 1000;
      policy.setGreenEnergy(generationW, 0);
      return policy.availableAmps();
    };
    assert.equal(step(0, 2400), 0, 'not before the surplus has held for the start delay');
    assert.equal(step(30, 2400), 0);
    assert.equal(step(30, 2400), 10, 'starts after 60 s');
    assert.equal(step(10, 600), 6, 'a cloud: keeps the minimum');
    assert.equal(step(60, 3600), 15, 'the sun is back');
    assert.equal(step(10, 0), 6);
    assert.equal(step(170, 0), 6, 'still within the stop delay');
    assert.equal(step(10, 0), 0, 'stops after 180 s below the minimum');
    assert.equal(step(10, 2400), 0, 'and waits again before restarting');
  });

  it('is off at night unless nonScheduledAction is 3, and never with action 2', () => {
    const { policy, clock } = policyAt(at(MON, 23));
    policy.setGreenEnergy(5000, 0);
    assert.equal(policy.active().name, 'Non Scheduled Charging');
    policy.setSetting('nonScheduledAction', '3');
    assert.equal(policy.active().name, 'Track Green Energy');
    policy.setSetting('nonScheduledAction', 2);
    clock.now = at(TUE, 12);
    assert.deepEqual(policy.active(), { name: 'Non Scheduled Charging', amps: 0, isGreen: false, action: 2 });
    policy.setSetting('nonScheduledAction', 1);
    policy.setSetting('hourResumeTrackGreenEnergy', 14);
    policy.setSetting('nonScheduledAmpsMax', '8');
    assert.deepEqual(policy.active(), { name: 'Non Scheduled Charging', amps: 8, isGreen: false, action: 1 });
  });

  it('GreenHysteresis property: the amps are 0 or at least the minimum, and never above the surplus while starting', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 16 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 300_000 }), fc.float({ min: 0, max: 80, noNaN: true })), {
          maxLength: 60,
        }),
        (minAmps, steps) => {
          const h = new GreenHysteresis({ minAmps, startDelayMs: 60_000, stopDelayMs: 180_000 });
          let now = 0;
          for (const [dt, surplus] of steps) {
            now += dt;
            const a = h.amps(surplus, now);
            assert.ok(a === 0 || a >= minAmps, `${a} with min ${minAmps}`);
            if (a > minAmps) assert.equal(a, surplus);
          }
        },
      ),
    );
  });
});

describe('ChargePolicy: settings and offsets', () => {
  it('setSetting stores known numbers in range, other keys as text, and refuses the rest', () => {
    const { policy } = policyAt(at(MON, 23));
    policy.setSetting('nonScheduledAmpsMax', 16);
    assert.equal(policy.current.nonScheduledAmpsMax, 16);
    policy.setSetting('sendServerTime', 1);
    assert.equal(policy.current.extra.sendServerTime, '1');
    assert.throws(() => policy.setSetting('nonScheduledAmpsMax', 'lots'), /number from 0/);
    assert.throws(() => policy.setSetting('nonScheduledAction', 4), /number from 0 to 3/);
    assert.throws(() => policy.setSetting('bad/key', 'v'), /must not contain/);
    assert.throws(() => policy.setSetting('', 'v'), /non-empty/);
    assert.throws(() => policy.setSetting('consumptionOffset', '{}'), /cannot be set/);
    assert.equal(policy.current.nonScheduledAmpsMax, 16);
  });

  it('offsets: add, overwrite, delete, and TWCManager’s validation', () => {
    const { policy } = policyAt(at(MON, 23));
    const seen: number[] = [];
    policy.onChange((s) => seen.push(Object.keys(s.consumptionOffset).length));
    assert.deepEqual(policy.setOffset('Pool', 500, 'W'), { value: 500, unit: 'W' });
    policy.setOffset('Pool', -2.5, 'A');
    assert.deepEqual(policy.current.consumptionOffset, { Pool: { value: -2.5, unit: 'A' } });
    for (const [name, value, unit] of [
      ['', 5, 'W'],
      ['x', 0, 'W'],
      ['x', 5, 'kW'],
      ['a/b', 5, 'W'],
      ['y'.repeat(32), 5, 'W'],
    ] as const) {
      assert.throws(() => policy.setOffset(name, value, unit), PolicyInputError);
    }
    assert.equal(policy.deleteOffset('Nope'), false);
    assert.equal(policy.deleteOffset('Pool'), true);
    assert.deepEqual(seen, [1, 1, 0]);
  });

  it('restoreSettings keeps what is valid and drops what is not', () => {
    const s = restoreSettings({
      chargeNowAmps: 24,
      chargeNowTimeEnd: 1e9,
      nonScheduledAmpsMax: -4,
      sunrise: 'six',
      consumptionOffset: { ok: { value: 5, unit: 'W' }, bad: { value: 'x', unit: 'W' } },
      extra: { a: 'b', c: 3 },
    });
    assert.equal(s.chargeNowAmps, 24);
    assert.equal(s.nonScheduledAmpsMax, DEFAULT_POLICY_SETTINGS.nonScheduledAmpsMax);
    assert.equal(s.sunrise, 6);
    assert.deepEqual(s.consumptionOffset, { ok: { value: 5, unit: 'W' } });
    assert.deepEqual(s.extra, { a: 'b' });
    assert.deepEqual(restoreSettings('garbage'), restoreSettings(undefined));
  });
});
