import assert from 'node:assert/strict';
import { FixedAmps } from '../../../src/policy/available-amps';
import { GreenHysteresis, greenWatts } from '../../../src/policy/green';
import { inSchedule, scheduleEnabled } from '../../../src/policy/schedule';
import { DEFAULT_POLICY_SETTINGS, restoreSettings } from '../../../src/policy/settings';
import { at, MON, policyAt } from './policy-clock';

describe('FixedAmps', () => {
  it('holds a number ≥ 0, 0 by default, and refuses anything else', () => {
    assert.equal(new FixedAmps().availableAmps(), 0);
    const f = new FixedAmps(16);
    assert.equal(f.availableAmps(), 16);
    f.set(0);
    assert.equal(f.availableAmps(), 0);
    for (const bad of [-1, -0.01, Number.NaN, Number.POSITIVE_INFINITY, '5' as unknown as number]) {
      assert.throws(() => f.set(bad), {
        name: 'RangeError',
        message: `available amps must be a number ≥ 0 (got ${String(bad)})`,
      });
      assert.throws(() => new FixedAmps(bad), RangeError);
    }
    assert.equal(f.availableAmps(), 0, 'a refused value changes nothing');
  });
});

describe('the schedule window', () => {
  const s = {
    scheduledAmpsMax: 10,
    scheduledAmpsStartHour: 8,
    scheduledAmpsEndHour: 17,
    scheduledAmpsDaysBitmap: 1,
  };

  it('exists only with amps, both hours (0 included) and a day', () => {
    assert.equal(scheduleEnabled(s), true);
    assert.equal(scheduleEnabled({ ...s, scheduledAmpsStartHour: 0, scheduledAmpsEndHour: 0 }), true);
    assert.equal(scheduleEnabled({ ...s, scheduledAmpsStartHour: -1 }), false);
    assert.equal(scheduleEnabled({ ...s, scheduledAmpsEndHour: -1 }), false);
    assert.equal(scheduleEnabled({ ...s, scheduledAmpsDaysBitmap: 0 }), false);
    assert.equal(scheduleEnabled({ ...s, scheduledAmpsMax: 0 }), false);
  });

  it('starts at its start hour, not before; an unset hour never opens it', () => {
    assert.equal(inSchedule(s, new Date(at(MON, 7, 59))), false);
    assert.equal(inSchedule(s, new Date(at(MON, 8, 0))), true);
    const night = { ...s, scheduledAmpsStartHour: 0, scheduledAmpsEndHour: 6 };
    assert.equal(inSchedule(night, new Date(at(MON, 3))), true, 'midnight is a start hour like any other');
    assert.equal(inSchedule({ ...night, scheduledAmpsStartHour: -1 }, new Date(at(MON, 3))), false);
    const late = { ...s, scheduledAmpsStartHour: 22, scheduledAmpsEndHour: 0 };
    assert.equal(inSchedule(late, new Date(at(MON, 23))), true, 'until midnight');
    assert.equal(inSchedule({ ...late, scheduledAmpsEndHour: -1 }, new Date(at(MON, 23))), false);
    // Start and end the same: an empty window, not a whole day.
    const empty = { ...s, scheduledAmpsStartHour: 8, scheduledAmpsEndHour: 8 };
    assert.equal(inSchedule(empty, new Date(at(MON, 9))), false);
    assert.equal(inSchedule(empty, new Date(at(MON, 8))), false);
  });
});

describe('green energy edges', () => {
  it('offsets add to consumption when positive, to generation when negative', () => {
    const plain = { generationW: 3000, consumptionW: 1000 };
    assert.deepEqual(greenWatts({ ...plain, consumptionOffset: {} }, { volts: 240, phases: 1 }), plain);
    assert.deepEqual(
      greenWatts(
        { ...plain, consumptionOffset: { a: { value: 500, unit: 'W' } } },
        { volts: 240, phases: 1 },
      ),
      { generationW: 3000, consumptionW: 1500 },
    );
    assert.deepEqual(
      greenWatts({ ...plain, consumptionOffset: { a: { value: -2, unit: 'A' } } }, { volts: 230, phases: 1 }),
      { generationW: 3460, consumptionW: 1000 },
    );
    assert.deepEqual(
      greenWatts({ generationW: -5, consumptionW: -5, consumptionOffset: {} }, { volts: 240, phases: 1 }),
      { generationW: 0, consumptionW: 0 },
    );
  });

  it('a surplus of exactly the minimum is enough; reset forgets that it was charging', () => {
    const h = new GreenHysteresis({ minAmps: 6, startDelayMs: 60_000, stopDelayMs: 180_000 });
    assert.equal(h.amps(6, 0), 0);
    assert.equal(h.amps(6, 60_000), 6, 'starts after the delay with exactly the minimum');
    assert.equal(h.amps(5.99, 70_000), 6, 'below it: keeps the minimum during the stop delay');
    h.reset();
    assert.equal(h.amps(10, 80_000), 0, 'after a reset the start delay counts again');
    assert.equal(h.amps(10, 140_000), 10);
  });

  it('the policy resets the hysteresis when green tracking ends (night), so the morning waits again', () => {
    const { policy, clock } = policyAt(at(MON, 19, 58));
    policy.setGreenEnergy(2400, 0);
    assert.equal(policy.availableAmps(), 0);
    clock.now += 60_000;
    assert.equal(policy.availableAmps(), 10, 'charging on green');
    clock.now = at(MON, 20, 0);
    assert.equal(policy.active().name, 'Non Scheduled Charging', 'sunset at 20:00');
    clock.now = at(MON + 1, 6, 0);
    assert.equal(policy.active().name, 'Track Green Energy', 'sunrise at 6:00');
    assert.equal(policy.availableAmps(), 0, 'waits for the start delay again');
  });
});

describe('stored settings', () => {
  it('the defaults are TWCManager’s', () => {
    assert.deepEqual(
      { ...DEFAULT_POLICY_SETTINGS },
      {
        chargeNowAmps: 0,
        chargeNowTimeEnd: 0,
        scheduledAmpsMax: 0,
        scheduledAmpsStartHour: -1,
        scheduledAmpsEndHour: -1,
        scheduledAmpsDaysBitmap: 0x7f,
        scheduledAmpsFlexStart: 0,
        scheduledAmpsBatterySize: 100,
        nonScheduledAction: 1,
        nonScheduledAmpsMax: 0,
        hourResumeTrackGreenEnergy: 0,
        sunrise: 6,
        sunset: 20,
        // TWCManager's "no location": 10000 for both.
        homeLat: 10000,
        homeLon: 10000,
        consumptionOffset: {},
        generationW: 0,
        consumptionW: 0,
        extra: {},
        greenEnergyAmpsOffset: 0,
        policyOverride: '',
      },
    );
    assert.ok(Object.isFrozen(DEFAULT_POLICY_SETTINGS));
  });

  it('restoreSettings keeps values at both ends of their range, whole where they must be', () => {
    const s = restoreSettings({
      sunrise: 0,
      sunset: 24,
      scheduledAmpsStartHour: 22.5,
      hourResumeTrackGreenEnergy: -1,
      nonScheduledAction: 1.5,
      scheduledAmpsDaysBitmap: 128,
      generationW: 5000,
      consumptionW: 0.5,
    });
    assert.deepEqual(
      [s.sunrise, s.sunset, s.scheduledAmpsStartHour, s.hourResumeTrackGreenEnergy],
      [0, 24, 22.5, -1],
    );
    assert.equal(s.nonScheduledAction, 1, 'not a whole number: the default');
    assert.equal(s.scheduledAmpsDaysBitmap, 0x7f, 'out of range: the default');
    assert.deepEqual([s.generationW, s.consumptionW], [5000, 0.5]);
    const bad = restoreSettings({ generationW: -1, consumptionW: Number.NaN, sunset: 24.01 });
    assert.deepEqual([bad.generationW, bad.consumptionW, bad.sunset], [0, 0, 20]);
  });

  it('restoreSettings: offsets in A or W, extra keys as text, anything else dropped without a throw', () => {
    const s = restoreSettings({
      consumptionOffset: {
        amps: { value: -2, unit: 'A' },
        watts: { value: 300, unit: 'W' },
        kilowatts: { value: 1, unit: 'kW' },
        none: null,
        nan: { value: Number.NaN, unit: 'W' },
      },
      extra: { a: 'b', n: 1 },
    });
    assert.deepEqual(s.consumptionOffset, {
      amps: { value: -2, unit: 'A' },
      watts: { value: 300, unit: 'W' },
    });
    assert.deepEqual(s.extra, { a: 'b' });
    for (const odd of [null, 'text', 5]) {
      const r = restoreSettings({ consumptionOffset: odd, extra: odd });
      assert.deepEqual([r.consumptionOffset, r.extra], [{}, {}], String(odd));
    }
    assert.deepEqual(restoreSettings(null), restoreSettings(undefined));
    assert.deepEqual(restoreSettings(0), restoreSettings(undefined));
  });
});
