import assert from 'node:assert/strict';
import { restoreSettings } from '../../../src/policy/settings';
import { at, inputError, MON, policyAt } from './policy-clock';

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
