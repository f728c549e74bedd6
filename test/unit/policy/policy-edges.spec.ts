import assert from 'node:assert/strict';
import { FixedAmps } from '../../../src/policy/available-amps';
import { ChargePolicy, PolicyInputError } from '../../../src/policy/charge-policy';
import { GreenHysteresis, greenWatts } from '../../../src/policy/green';
import { inSchedule, scheduleEnabled } from '../../../src/policy/schedule';
import { DEFAULT_POLICY_SETTINGS, restoreSettings } from '../../../src/policy/settings';

/** Local wall-clock times (Mon 23 Nov 2026 is a Monday), so the tests mean the same in every time zone. */
const at = (day: number, hour: number, minute = 0): number => new Date(2026, 10, day, hour, minute).getTime();
const MON = 23;

function policyAt(start: number, settings = {}) {
  const clock = { now: start };
  const policy = new ChargePolicy(settings, {
    wallClock: () => clock.now,
    minAmps: 6,
    startDelayMs: 60_000,
    stopDelayMs: 180_000,
  });
  return { policy, clock };
}

/** The PolicyInputError `fn` throws; fails when it throws nothing or something else. */
function inputError(fn: () => unknown): string {
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

describe('ChargePolicy input edges', () => {
  it('charge now: the rate and duration are named when refused; it ends exactly at its end', () => {
    const { policy, clock } = policyAt(at(MON, 23));
    assert.equal(
      inputError(() => policy.chargeNow(0, 60)),
      'chargeNowRate must be greater than 0',
    );
    assert.equal(
      inputError(() => policy.chargeNow(16, 1.5)),
      'chargeNowDuration must be a whole number greater than 0',
    );
    policy.chargeNow(16, 60);
    clock.now += 59_999;
    assert.equal(policy.chargeNowActive(), true);
    clock.now += 1;
    assert.equal(policy.chargeNowActive(), false, 'over at its end second');
    // An end in the future without a rate is no charge-now.
    policy.cancelChargeNow();
    policy.setSetting('chargeNowTimeEnd', clock.now / 1000 + 3600);
    assert.equal(policy.chargeNowActive(), false);
    assert.equal(policy.active().name, 'Non Scheduled Charging');
  });

  it('green energy: both readings checked and named', () => {
    const { policy } = policyAt(at(MON, 12));
    assert.equal(
      inputError(() => policy.setGreenEnergy(Number.NaN, 0)),
      'generationW must be a number',
    );
    assert.equal(
      inputError(() => policy.setGreenEnergy(0, Number.NaN)),
      'consumptionW must be a number',
    );
    assert.equal(
      inputError(() => policy.setGreenEnergy(0, -1)),
      'generationW and consumptionW must not be negative',
    );
    policy.setGreenEnergy(0, 0);
    assert.deepEqual([policy.current.generationW, policy.current.consumptionW], [0, 0]);
  });

  it('schedule: minutes -1 to 1440, amps 0 to 655 (cut to whole amps), partial days, flex fields', () => {
    const { policy } = policyAt(at(MON, 23));
    for (const m of [-1, 0, 1440]) {
      policy.setSchedule({ startingMinute: m, endingMinute: m });
      assert.equal(policy.current.scheduledAmpsStartHour, m / 60);
      assert.equal(policy.current.scheduledAmpsEndHour, m / 60);
    }
    for (const m of [-2, 1441, 1.5]) {
      assert.equal(
        inputError(() => policy.setSchedule({ startingMinute: m })),
        'startingMinute must be a minute of the day, 0 to 1440 (or -1)',
      );
      assert.equal(
        inputError(() => policy.setSchedule({ endingMinute: m })),
        'endingMinute must be a minute of the day, 0 to 1440 (or -1)',
      );
    }
    for (const [amps, stored] of [
      [0, 0],
      [655, 655],
      [10.7, 10],
    ]) {
      policy.setSchedule({ amps });
      assert.equal(policy.current.scheduledAmpsMax, stored);
    }
    for (const amps of [-0.5, 655.5, Number.NaN]) {
      assert.equal(
        inputError(() => policy.setSchedule({ amps })),
        'amps must be from 0 to 655',
      );
    }
    assert.equal(policy.current.scheduledAmpsMax, 10);

    policy.setSchedule({ days: { monday: false, sunday: false } });
    assert.equal(policy.current.scheduledAmpsDaysBitmap, 0b0111110, 'the other days are kept');
    policy.setSchedule({ days: { sunday: true } });
    assert.equal(policy.current.scheduledAmpsDaysBitmap, 0b1111110);
    policy.setSchedule({});
    assert.equal(policy.current.scheduledAmpsDaysBitmap, 0b1111110);

    assert.equal(policy.current.scheduledAmpsBatterySize, 100);
    policy.setSchedule({ flexBatterySize: 40 });
    assert.equal(policy.current.scheduledAmpsBatterySize, 100, 'up to 40 kWh is ignored');
    policy.setSchedule({ flexBatterySize: 41 });
    assert.equal(policy.current.scheduledAmpsBatterySize, 41);
    policy.setSchedule({ flexStartEnabled: 1 });
    assert.equal(policy.current.scheduledAmpsFlexStart, 1);
    policy.setSchedule({ amps: 5 });
    assert.equal(policy.current.scheduledAmpsFlexStart, 1, 'kept when not given');
    policy.setSchedule({ flexStartEnabled: 0 });
    assert.equal(policy.current.scheduledAmpsFlexStart, 0);
  });

  it('offsets: each refusal says why', () => {
    const { policy } = policyAt(at(MON, 23));
    assert.equal(
      inputError(() => policy.setOffset('', 5, 'W')),
      'offsetName must not be empty',
    );
    assert.equal(
      inputError(() => policy.setOffset('y'.repeat(32), 5, 'W')),
      'offsetName must be shorter than 32 characters',
    );
    assert.deepEqual(policy.setOffset('y'.repeat(31), 5, 'W'), { value: 5, unit: 'W' });
    assert.equal(
      inputError(() => policy.setOffset('a;b', 5, 'W')),
      'offsetName must not contain any of @#$%^&*"+<>;/',
    );
    assert.equal(
      inputError(() => policy.setOffset('x', 0, 'W')),
      'offsetValue must be a number other than 0',
    );
    assert.equal(
      inputError(() => policy.setOffset('x', Number.NaN, 'W')),
      'offsetValue must be a number other than 0',
    );
    assert.equal(
      inputError(() => policy.setOffset('x', 5, 'kW')),
      'offsetUnit must be "A" or "W"',
    );
    assert.deepEqual(policy.setOffset('x', -2, 'A'), { value: -2, unit: 'A' });
  });

  it('setSetting: numbers or numeric text in range, whole where it must be; text for other keys', () => {
    const { policy } = policyAt(at(MON, 23));
    policy.setSetting('sunrise', 0);
    assert.equal(policy.current.sunrise, 0, 'the lowest value is in range');
    policy.setSetting('sunset', ' 24 ');
    assert.equal(policy.current.sunset, 24, 'the highest too, and as text');
    policy.setSetting('scheduledAmpsStartHour', -1);
    policy.setSetting('scheduledAmpsEndHour', -1);
    policy.setSetting('hourResumeTrackGreenEnergy', -1);
    assert.equal(policy.current.hourResumeTrackGreenEnergy, -1);
    assert.equal(
      inputError(() => policy.setSetting('sunrise', -1)),
      'sunrise must be a number from 0 to 24',
    );
    assert.equal(
      inputError(() => policy.setSetting('sunrise', 24.5)),
      'sunrise must be a number from 0 to 24',
    );
    for (const [key, value, message] of [
      ['nonScheduledAction', 1.5, 'nonScheduledAction must be a whole number from 0 to 3'],
      ['scheduledAmpsDaysBitmap', 3.5, 'scheduledAmpsDaysBitmap must be a whole number from 0 to 127'],
      ['scheduledAmpsFlexStart', 0.5, 'scheduledAmpsFlexStart must be a whole number from 0 to 1'],
      ['scheduledAmpsStartHour', -2, 'scheduledAmpsStartHour must be a number from -1 to 24'],
      ['scheduledAmpsEndHour', -2, 'scheduledAmpsEndHour must be a number from -1 to 24'],
      ['hourResumeTrackGreenEnergy', -2, 'hourResumeTrackGreenEnergy must be a number from -1 to 24'],
    ] as const) {
      assert.equal(
        inputError(() => policy.setSetting(key, value)),
        message,
      );
    }
    for (const notANumber of ['', '  ', true, null, undefined, [3], {}]) {
      assert.match(
        inputError(() => policy.setSetting('nonScheduledAmpsMax', notANumber)),
        /^nonScheduledAmpsMax must be a number from 0 to 655$|must not contain/,
        String(notANumber),
      );
    }
    assert.equal(policy.current.nonScheduledAmpsMax, 0);
    assert.equal(
      inputError(() => policy.setSetting('consumptionOffset', 'x')),
      'consumptionOffset cannot be set this way',
    );
    assert.equal(
      inputError(() => policy.setSetting('generationW', 5)),
      'generationW cannot be set this way',
    );
    assert.equal(
      inputError(() => policy.setSetting('freeText', '')),
      'value must not be empty',
    );
    // `extra` itself is no setting: it is stored as text like any other unknown key.
    policy.setSetting('extra', 'x');
    assert.deepEqual(policy.current.extra, { extra: 'x' });
  });

  it('daylight runs from the sunrise hour up to the sunset hour, and not before the resume hour', () => {
    const { policy, clock } = policyAt(at(MON, 6, 0), { nonScheduledAmpsMax: 8 });
    assert.equal(policy.active().name, 'Track Green Energy', 'at sunrise');
    clock.now = at(MON, 5, 59);
    assert.equal(policy.active().name, 'Non Scheduled Charging');
    clock.now = at(MON, 19, 59);
    assert.equal(policy.active().name, 'Track Green Energy');
    clock.now = at(MON, 20, 0);
    assert.equal(policy.active().name, 'Non Scheduled Charging', 'at sunset');
    policy.setSetting('hourResumeTrackGreenEnergy', 14);
    clock.now = at(MON, 13, 59);
    assert.deepEqual(policy.active(), { name: 'Non Scheduled Charging', amps: 8, isGreen: false, action: 1 });
    clock.now = at(MON, 14, 0);
    assert.equal(policy.active().name, 'Track Green Energy', 'from the resume hour on');
    // Action 2 ("do not charge") offers nothing outside the other policies, whatever the amps setting.
    policy.setSetting('nonScheduledAction', 2);
    assert.deepEqual(policy.active(), { name: 'Non Scheduled Charging', amps: 0, isGreen: false, action: 2 });
    clock.now = at(MON, 23, 0);
    assert.deepEqual(policy.active(), { name: 'Non Scheduled Charging', amps: 0, isGreen: false, action: 2 });
  });

  it('onChange returns an unsubscribe; restore takes stored settings and ignores nothing stored', () => {
    const { policy } = policyAt(at(MON, 23));
    const seen: number[] = [];
    const off = policy.onChange((s) => seen.push(s.nonScheduledAmpsMax));
    policy.setSetting('nonScheduledAmpsMax', 8);
    assert.equal(off(), true);
    policy.setSetting('nonScheduledAmpsMax', 9);
    assert.deepEqual(seen, [8]);
    policy.restore(undefined);
    policy.restore(null);
    assert.equal(policy.current.nonScheduledAmpsMax, 9, 'nothing stored keeps the settings');
    policy.restore({ nonScheduledAmpsMax: 12 });
    assert.equal(policy.current.nonScheduledAmpsMax, 12);
    assert.equal(policy.current.sunrise, 6);
    policy.restore({});
    assert.deepEqual(policy.current, restoreSettings(undefined));
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
        consumptionOffset: {},
        generationW: 0,
        consumptionW: 0,
        extra: {},
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
