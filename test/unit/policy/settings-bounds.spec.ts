import assert from 'node:assert/strict';
import { ChargePolicy } from '../../../src/policy/charge-policy';
import {
  NUMERIC_SETTINGS,
  restoreSettings,
  SETTINGS_BOUNDS,
  type NumericSetting,
  type PolicySettings,
} from '../../../src/policy/settings';
import { at, inputError, MON, policyAt } from './policy-clock';

/** What a restart gives back: the settings written as JSON (every store does) and restored. */
const afterRestart = (s: Readonly<PolicySettings>): PolicySettings =>
  restoreSettings(JSON.parse(JSON.stringify(s)));

/** Every member of Object.prototype: `__proto__`, `constructor`, `toString`, `hasOwnProperty`, … */
const RESERVED = Object.getOwnPropertyNames(Object.prototype);

describe('one range table for the API and the restore', () => {
  it('the table: the ranges the policies rely on', () => {
    assert.deepEqual(
      { ...NUMERIC_SETTINGS },
      {
        chargeNowAmps: { min: 0, max: 655 },
        chargeNowTimeEnd: { min: 0, max: 253402300799 },
        scheduledAmpsMax: { min: 0, max: 655 },
        scheduledAmpsStartHour: { min: -1, max: 24 },
        scheduledAmpsEndHour: { min: -1, max: 24 },
        scheduledAmpsDaysBitmap: { min: 0, max: 127, whole: true },
        scheduledAmpsFlexStart: { min: 0, max: 1, whole: true },
        scheduledAmpsBatterySize: { min: 0, max: 1000 },
        nonScheduledAction: { min: 0, max: 3, whole: true },
        nonScheduledAmpsMax: { min: 0, max: 655 },
        hourResumeTrackGreenEnergy: { min: -1, max: 24 },
        sunrise: { min: 0, max: 24 },
        sunset: { min: 0, max: 24 },
        greenEnergyAmpsOffset: { min: -1000, max: 1000 },
        homeLat: { min: -90, max: 90, unset: 10000 },
        homeLon: { min: -180, max: 180, unset: 10000 },
      },
    );
    assert.equal(
      new Date(NUMERIC_SETTINGS.chargeNowTimeEnd.max * 1000).toISOString(),
      '9999-12-31T23:59:59.000Z',
    );
    assert.ok(Object.isFrozen(NUMERIC_SETTINGS) && Object.isFrozen(SETTINGS_BOUNDS));
  });

  it('chargeNow: 655 A is kept across a restart, 656 A is refused naming the field', () => {
    const { policy } = policyAt(at(MON, 23));
    policy.chargeNow(655, 60);
    assert.equal(afterRestart(policy.current).chargeNowAmps, 655);
    assert.equal(
      inputError(() => policy.chargeNow(656, 60)),
      'chargeNowRate must be at most 655',
    );
    assert.equal(
      inputError(() => policy.chargeNow(1000, 60)),
      'chargeNowRate must be at most 655',
    );
    assert.equal(policy.current.chargeNowAmps, 655, 'a refusal changes nothing');
  });

  it('chargeNow: the longest duration ends on the table’s last second and is kept; one more is refused', () => {
    const { policy, clock } = policyAt(at(MON, 23));
    const longest = NUMERIC_SETTINGS.chargeNowTimeEnd.max - clock.now / 1000;
    assert.ok(Number.isInteger(longest));
    assert.equal(
      inputError(() => policy.chargeNow(16, longest + 1)),
      `chargeNowDuration must be at most ${longest} seconds`,
    );
    assert.equal(
      inputError(() => policy.chargeNow(16, 1e12)),
      `chargeNowDuration must be at most ${longest} seconds`,
    );
    assert.equal(policy.current.chargeNowAmps, 0);
    policy.chargeNow(16, longest);
    assert.equal(policy.current.chargeNowTimeEnd, NUMERIC_SETTINGS.chargeNowTimeEnd.max);
    assert.deepEqual(afterRestart(policy.current), policy.current);
    // The bound moves with the clock: a fraction of a second left rounds down.
    clock.now += 1500;
    assert.equal(
      inputError(() => policy.chargeNow(16, longest)),
      `chargeNowDuration must be at most ${longest - 2} seconds`,
    );
  });

  it('flexBatterySize: 40 or less ignored (TWCManager), 41 to 1000 kept, above refused', () => {
    const { policy } = policyAt(at(MON, 23));
    for (const ignored of [40, 0, -5]) {
      policy.setSchedule({ flexBatterySize: ignored });
      assert.equal(policy.current.scheduledAmpsBatterySize, 100, String(ignored));
    }
    policy.setSchedule({ flexBatterySize: 1000 });
    assert.equal(afterRestart(policy.current).scheduledAmpsBatterySize, 1000);
    for (const refused of [1001, 5000, Number.POSITIVE_INFINITY, Number.NaN]) {
      assert.equal(
        inputError(() => policy.setSchedule({ flexBatterySize: refused, amps: 7 })),
        'flexBatterySize must be at most 1000 (40 or less is ignored)',
        String(refused),
      );
    }
    assert.deepEqual([policy.current.scheduledAmpsBatterySize, policy.current.scheduledAmpsMax], [1000, 0]);
  });

  it('the schedule’s minutes and amps at their edges are kept across a restart', () => {
    const { policy } = policyAt(at(MON, 23));
    policy.setSchedule({ startingMinute: 1440, endingMinute: -1, amps: 655 });
    policy.setSchedule({ flexStartEnabled: 1, days: { monday: false } });
    const s = afterRestart(policy.current);
    assert.deepEqual(
      [s.scheduledAmpsStartHour, s.scheduledAmpsEndHour, s.scheduledAmpsMax, s.scheduledAmpsFlexStart],
      [24, -1 / 60, 655, 1],
    );
    assert.equal(s.scheduledAmpsDaysBitmap, 0b1111110);
  });

  it('setSetting and restoreSettings agree at both ends of every range', () => {
    for (const key of Object.keys(NUMERIC_SETTINGS) as NumericSetting[]) {
      const { min, max, whole, unset } = NUMERIC_SETTINGS[key];
      const { policy } = policyAt(at(MON, 23));
      const orUnset = unset === undefined ? '' : ` (or ${unset}: not set)`;
      const message = `${key} must be a ${whole ? 'whole ' : ''}number from ${min} to ${max}${orUnset}`;
      for (const v of unset === undefined ? [min, max] : [min, max, unset]) {
        policy.setSetting(key, String(v));
        assert.equal(policy.current[key], v, key);
        assert.equal(afterRestart(policy.current)[key], v, `${key} ${v} kept`);
      }
      for (const v of [min - 1, max + 1, max + 0.5]) {
        assert.equal(
          inputError(() => policy.setSetting(key, v)),
          message,
        );
        assert.equal(restoreSettings({ [key]: v })[key], restoreSettings({})[key], `${key} ${v} dropped`);
      }
    }
  });

  it('−0 is stored as 0, so what is in force equals what comes back', () => {
    const { policy } = policyAt(at(MON, 23));
    policy.setSetting('sunrise', '-0');
    policy.setSetting('nonScheduledAmpsMax', -0);
    policy.setGreenEnergy(-0, -0);
    policy.setSchedule({ startingMinute: -0, amps: -0 });
    const s = policy.current;
    for (const v of [
      s.sunrise,
      s.nonScheduledAmpsMax,
      s.generationW,
      s.consumptionW,
      s.scheduledAmpsStartHour,
    ])
      assert.ok(Object.is(v, 0), `${String(v)} is +0`);
    assert.ok(Object.is(s.scheduledAmpsMax, 0));
    const r = restoreSettings(JSON.parse('{"sunset": -0, "consumptionW": -0}'));
    assert.ok(Object.is(r.sunset, 0) && Object.is(r.consumptionW, 0));
  });

  it('the constructor takes only settings a restore would keep', () => {
    assert.equal(new ChargePolicy({ sunrise: 0, sunset: 24 }).current.sunset, 24);
    assert.equal(
      inputError(() => new ChargePolicy({ sunrise: 25 })),
      'sunrise must be a number from 0 to 24',
    );
    assert.equal(
      inputError(() => new ChargePolicy({ consumptionW: -1 })),
      'consumptionW must be a number, not negative',
    );
    assert.equal(
      inputError(() => new ChargePolicy({ generationW: Number.POSITIVE_INFINITY })),
      'generationW must be a number, not negative',
    );
    assert.equal(new ChargePolicy({ generationW: 0 }).current.generationW, 0);
    assert.equal(
      inputError(() => new ChargePolicy({ sunrise: 7, sunset: 25 })),
      'sunset must be a number from 0 to 24',
      'every field is checked, not only the first',
    );
    assert.equal(
      inputError(() => new ChargePolicy({ extra: { a: 5 as unknown as string } })),
      'a must be text',
    );
    assert.equal(
      inputError(() => new ChargePolicy({ extra: { sunrise: '7' } })),
      'sunrise cannot be set this way',
    );
    assert.equal(
      inputError(() => new ChargePolicy({ consumptionOffset: { x: { value: 1, unit: 'kW' as 'W' } } })),
      'offsetUnit must be "A" or "W"',
    );
  });
});

describe('names from a request are looked up as own properties only', () => {
  it('every member of Object.prototype is a reserved setting and offset name', () => {
    assert.ok(RESERVED.includes('__proto__') && RESERVED.includes('constructor') && RESERVED.length >= 12);
    const { policy } = policyAt(at(MON, 23));
    policy.setOffset('Pool', 500, 'W');
    const before = policy.current;
    for (const name of RESERVED) {
      assert.equal(
        inputError(() => policy.setSetting(name, 'x')),
        `setting "${name}" is a reserved name`,
      );
      assert.equal(
        inputError(() => policy.setSetting(name, 5)),
        `setting "${name}" is a reserved name`,
      );
      assert.equal(
        inputError(() => policy.setOffset(name, 5, 'W')),
        `offsetName "${name}" is a reserved name`,
      );
      assert.equal(policy.deleteOffset(name), false, `no offset ${name} to delete`);
    }
    assert.equal(policy.current, before, 'nothing was stored');
    assert.equal(Object.getPrototypeOf(policy.current.extra), Object.prototype);
    assert.equal(({} as Record<string, unknown>).x, undefined, 'no prototype was touched');
  });

  it('a name that is not reserved but looks like one is an ordinary setting', () => {
    const { policy } = policyAt(at(MON, 23));
    policy.setSetting('proto', 'x');
    policy.setSetting('Constructor', 'y');
    policy.setOffset('toString2', 1, 'A');
    assert.deepEqual(policy.current.extra, { proto: 'x', Constructor: 'y' });
    assert.equal(policy.deleteOffset('toString2'), true);
  });

  it('restore never assigns through __proto__ and reads only the stored object’s own keys', () => {
    const stored = JSON.parse(
      '{"sunrise": 7, "__proto__": {"sunset": 9},' +
        ' "consumptionOffset": {"__proto__": {"value": 1, "unit": "W"}, "ok": {"value": 2, "unit": "A"}},' +
        ' "extra": {"__proto__": "x", "toString": "y", "constructor": "z", "fine": "w"}}',
    ) as Record<string, unknown>;
    const s = restoreSettings(stored);
    assert.equal(s.sunrise, 7);
    assert.equal(s.sunset, 20, 'the stored __proto__ is no setting');
    assert.deepEqual(s.consumptionOffset, { ok: { value: 2, unit: 'A' } });
    assert.deepEqual(s.extra, { fine: 'w' });
    assert.equal(Object.getPrototypeOf(s.consumptionOffset), Object.prototype);
    assert.equal(Object.getPrototypeOf(s.extra), Object.prototype);
    const inherited = Object.create({ sunrise: 5, extra: { a: 'b' } }) as object;
    assert.deepEqual(restoreSettings(inherited), restoreSettings({}), 'inherited keys are not stored keys');
  });
});

describe('free-form settings and offsets are bounded', () => {
  const { settingNameLength, settingValueLength, freeFormSettings, offsets, offsetValue } = SETTINGS_BOUNDS;

  it('the bounds', () => {
    assert.deepEqual(
      { ...SETTINGS_BOUNDS },
      {
        settingNameLength: 64,
        settingValueLength: 4096,
        freeFormSettings: 100,
        offsetNameLength: 31,
        offsets: 32,
        offsetValue: 1_000_000,
      },
    );
  });

  it('a name of 64 characters and a value of 4096 are kept; one more character is refused', () => {
    const { policy } = policyAt(at(MON, 23));
    const name = 'n'.repeat(settingNameLength);
    const value = 'v'.repeat(settingValueLength);
    policy.setSetting(name, value);
    assert.equal(afterRestart(policy.current).extra[name], value);
    assert.equal(
      inputError(() => policy.setSetting(`${name}n`, 'v')),
      'setting must be at most 64 characters',
    );
    assert.equal(
      inputError(() => policy.setSetting('k', `${value}v`)),
      'value must be at most 4096 characters',
    );
    // Counted as the text it is stored as: 4096 digits as a number are 4096 characters too.
    assert.equal(
      inputError(() => policy.setSetting('sunrise', `${'0'.repeat(settingValueLength)}1`)),
      'value must be at most 4096 characters',
    );
    policy.setSetting('sunrise', `${'0'.repeat(settingValueLength - 1)}1`);
    assert.equal(policy.current.sunrise, 1);
    // A refused name is checked before its value.
    assert.equal(
      inputError(() => policy.setSetting('', `${value}v`)),
      'setting must be a non-empty name',
    );
  });

  it('values are stored as text: numbers, booleans; what JSON cannot write is an empty value', () => {
    const { policy } = policyAt(at(MON, 23));
    policy.setSetting('n', 12.5);
    policy.setSetting('b', false);
    assert.deepEqual(policy.current.extra, { n: '12.5', b: 'false' });
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const unwritable of [10n, cycle, () => 1, Symbol('s')]) {
      assert.equal(
        inputError(() => policy.setSetting('k', unwritable)),
        'value must not be empty',
      );
    }
    assert.equal(
      inputError(() => policy.setSetting('sunset', 10n)),
      'sunset must be a number from 0 to 24',
    );
  });

  it('at most 100 free-form settings; replacing one at the bound is fine, the 101st is refused', () => {
    const { policy } = policyAt(at(MON, 23));
    for (let i = 0; i < freeFormSettings; i++) policy.setSetting(`k${i}`, String(i));
    policy.setSetting('nonScheduledAmpsMax', 8);
    policy.setSetting('k0', 'replaced');
    assert.equal(Object.keys(policy.current.extra).length, freeFormSettings);
    assert.equal(
      inputError(() => policy.setSetting('k100', 'x')),
      'at most 100 free-form settings; replace one instead of adding another',
    );
    assert.deepEqual(afterRestart(policy.current), policy.current);
  });

  it('at most 32 offsets; replacing one at the bound is fine, the 33rd is refused', () => {
    const { policy } = policyAt(at(MON, 23));
    for (let i = 0; i < offsets; i++) policy.setOffset(`o${i}`, i + 1, 'W');
    policy.setOffset('o0', -3, 'A');
    assert.equal(Object.keys(policy.current.consumptionOffset).length, offsets);
    assert.equal(
      inputError(() => policy.setOffset('o32', 1, 'W')),
      'at most 32 consumption offsets; delete one before adding another',
    );
    assert.equal(policy.deleteOffset('o5'), true);
    policy.setOffset('o32', 1, 'W');
    assert.deepEqual(afterRestart(policy.current), policy.current);
  });

  it('an offset of at most 1,000,000 A or W either way is kept; beyond is refused', () => {
    const { policy } = policyAt(at(MON, 23));
    policy.setOffset('big', offsetValue, 'A');
    policy.setOffset('neg', -offsetValue, 'W');
    assert.deepEqual(afterRestart(policy.current).consumptionOffset, {
      big: { value: 1_000_000, unit: 'A' },
      neg: { value: -1_000_000, unit: 'W' },
    });
    for (const v of [offsetValue + 0.5, -offsetValue - 1]) {
      assert.equal(
        inputError(() => policy.setOffset('x', v, 'W')),
        'offsetValue must be from -1000000 to 1000000',
      );
      assert.equal(
        restoreSettings({ consumptionOffset: { x: { value: v, unit: 'W' } } }).consumptionOffset.x,
        undefined,
      );
    }
  });

  it('restore keeps the first 100 valid free-form settings and the first 32 valid offsets', () => {
    const extra: Record<string, unknown> = { bad: 5, 'a/b': 'x', long: 'v'.repeat(settingValueLength + 1) };
    for (let i = 0; i < freeFormSettings + 5; i++) extra[`k${i}`] = `v${i}`;
    extra.edge = 'v'.repeat(settingValueLength);
    const offsetsStored: Record<string, unknown> = {
      zero: { value: 0, unit: 'W' },
      kw: { value: 1, unit: 'kW' },
    };
    for (let i = 0; i < offsets + 3; i++) offsetsStored[`o${i}`] = { value: i + 1, unit: 'W', note: 'x' };
    const s = restoreSettings({ extra, consumptionOffset: offsetsStored });
    assert.deepEqual(
      Object.keys(s.extra),
      Array.from({ length: freeFormSettings }, (_, i) => `k${i}`),
    );
    assert.deepEqual(
      Object.keys(s.consumptionOffset),
      Array.from({ length: offsets }, (_, i) => `o${i}`),
    );
    assert.deepEqual(s.consumptionOffset.o0, { value: 1, unit: 'W' }, 'only value and unit');
    assert.deepEqual(restoreSettings({ extra: { edge: extra.edge } }).extra, { edge: extra.edge });
    assert.deepEqual(restoreSettings({ extra: { ['n'.repeat(65)]: 'x', ['n'.repeat(64)]: 'y' } }).extra, {
      ['n'.repeat(64)]: 'y',
    });
    assert.deepEqual(
      restoreSettings({ extra: { empty: '', sunrise: '7', extra: 'kept' } }).extra,
      { extra: 'kept' },
      'an empty value and a policy field are no free-form settings; `extra` is',
    );
  });

  it('the settings at every bound, as JSON, take at most 2.51 MB (what a state file holds of them)', () => {
    const { policy } = policyAt(at(MON, 23));
    // U+0001 takes six bytes in JSON (\u0001): the worst a character can cost.
    const worst = (n: number, i: number): string => `${i}`.padEnd(n, '\u0001');
    for (let i = 0; i < freeFormSettings; i++)
      policy.setSetting(worst(settingNameLength, i), worst(settingValueLength, i));
    for (let i = 0; i < offsets; i++)
      policy.setOffset(worst(SETTINGS_BOUNDS.offsetNameLength, i), -offsetValue + i / 7, 'W');
    policy.chargeNow(655, 3600);
    const bytes = Buffer.byteLength(JSON.stringify(policy.current));
    assert.ok(bytes > 2_490_000 && bytes < 2_510_000, `${bytes} bytes`);
    assert.deepEqual(afterRestart(policy.current), policy.current);
  });
});
