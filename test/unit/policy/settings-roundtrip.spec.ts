import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChargePolicy, PolicyInputError, type ScheduleUpdate } from '../../../src/policy/charge-policy';
import {
  NUMERIC_SETTINGS,
  restoreSettings,
  SETTINGS_BOUNDS,
  type PolicySettings,
} from '../../../src/policy/settings';

/** What a restart gives back: the settings written as JSON (every store does) and restored. */
const afterRestart = (s: unknown): PolicySettings => restoreSettings(JSON.parse(JSON.stringify(s)));

const RESERVED = Object.getOwnPropertyNames(Object.prototype);
const FIELDS = [...Object.keys(NUMERIC_SETTINGS), 'generationW', 'consumptionOffset', 'extra'];

/** Names: random, reserved, the policy's own, and a few short ones so that calls meet each other. */
const name = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom(...RESERVED, ...FIELDS, 'a', 'b', 'c', 'n'.repeat(64), 'n'.repeat(65), 'o'.repeat(31)),
);
/** Numbers around every edge of the table and the bounds, and anything else a double can be. */
const edges = [0, -0, -1, 1, 24, 24.5, 40, 41, 127, 128, 655, 656, 1000, 1001, 1440, 1441, 1e6, -1e6, 1e12];
const number = fc.oneof(
  fc.constantFrom(...edges, Number.NaN, Number.POSITIVE_INFINITY, 1e6 + 1),
  fc.integer({ min: -100, max: 2000 }),
  fc.double(),
);
const value = fc.oneof(
  number,
  name,
  fc.boolean(),
  fc.constantFrom(null, undefined, '', ' 12 ', '3;', 'v'.repeat(4096), 'v'.repeat(4097)),
);

type Call = (policy: ChargePolicy, clock: { now: number }) => unknown;

const schedule: fc.Arbitrary<ScheduleUpdate> = fc.record(
  {
    enabled: fc.boolean(),
    startingMinute: number,
    endingMinute: number,
    amps: number,
    flexBatterySize: number,
    flexStartEnabled: number,
    days: fc.record({ monday: fc.boolean(), sunday: fc.boolean() }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

/** One call of the policy's API, with any arguments. */
const single: fc.Arbitrary<Call> = fc.oneof(
  fc.tuple(number, number).map(
    ([r, d]): Call =>
      (p) =>
        p.chargeNow(r, d),
  ),
  fc.constant<Call>((p) => p.cancelChargeNow()),
  fc.tuple(number, number).map(
    ([g, c]): Call =>
      (p) =>
        p.setGreenEnergy(g, c),
  ),
  schedule.map(
    (u): Call =>
      (p) =>
        p.setSchedule(u),
  ),
  fc.tuple(name, number, fc.constantFrom('A', 'W', 'kW')).map(
    ([n, v, u]): Call =>
      (p) =>
        p.setOffset(n, v, u),
  ),
  name.map(
    (n): Call =>
      (p) =>
        p.deleteOffset(n),
  ),
  fc.tuple(name, value).map(
    ([k, v]): Call =>
      (p) =>
        p.setSetting(k, v),
  ),
);

/** Single calls, many calls at once (to reach the count bounds) and time passing. */
const call: fc.Arbitrary<Call> = fc.oneof(
  single,
  fc.integer({ min: 1, max: 110 }).map((n): Call => (p) => {
    for (let i = 0; i < n; i++) p.setSetting(`k${i}`, 'v');
  }),
  fc.integer({ min: 1, max: 40 }).map((n): Call => (p) => {
    for (let i = 0; i < n; i++) p.setOffset(`o${i}`, i + 1, 'W');
  }),
  fc.integer({ min: 0, max: 10 ** 12 }).map(
    (ms): Call =>
      (_, clock) =>
        (clock.now += ms),
  ),
);

/** Runs `c`; the error it threw, if any. */
function attempt(c: Call, policy: ChargePolicy, clock: { now: number }): unknown {
  try {
    c(policy, clock);
    return undefined;
  } catch (err) {
    return err ?? new Error('threw nothing');
  }
}

describe('what the policy accepts comes back after a restart (fast-check)', function () {
  this.timeout(120000);

  it('after any calls, the settings in force equal the settings a JSON round trip and a restore give', () => {
    fc.assert(
      fc.property(
        // Any wall-clock time up to the table's last charge-now second.
        fc.integer({ min: 0, max: NUMERIC_SETTINGS.chargeNowTimeEnd.max * 1000 }),
        fc.array(call, { minLength: 1, maxLength: 30 }),
        (start, calls) => {
          const clock = { now: start };
          const policy = new ChargePolicy({}, { wallClock: () => clock.now });
          for (const c of calls) {
            const error = attempt(c, policy, clock);
            if (error !== undefined)
              assert.ok(error instanceof PolicyInputError, `only input errors: ${String(error)}`);
            assert.deepEqual(afterRestart(policy.current), policy.current);
          }
          const s = policy.current;
          assert.ok(Object.keys(s.extra).length <= SETTINGS_BOUNDS.freeFormSettings);
          assert.ok(Object.keys(s.consumptionOffset).length <= SETTINGS_BOUNDS.offsets);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a refused call leaves the settings exactly as they were, and tells no listener', () => {
    fc.assert(
      fc.property(fc.array(call, { maxLength: 12 }), single, (setup, last) => {
        const clock = { now: Date.UTC(2026, 10, 23, 12) };
        const policy = new ChargePolicy({}, { wallClock: () => clock.now });
        for (const c of setup) attempt(c, policy, clock);
        const before = policy.current;
        let changes = 0;
        policy.onChange(() => changes++);
        const refused = attempt(last, policy, clock) !== undefined;
        fc.pre(refused);
        assert.equal(policy.current, before);
        assert.equal(changes, 0);
      }),
      { numRuns: 200 },
    );
  });

  it('whatever was stored, a restore gives settings the policy takes, and restoring them again changes nothing', () => {
    const stored = fc.dictionary(
      fc.constantFrom(...FIELDS, 'consumptionW', 'other', '__proto__'),
      fc.oneof(
        number,
        fc.jsonValue(),
        fc.dictionary(
          name,
          fc.oneof(
            value,
            fc.record({ value: number, unit: fc.constantFrom('A', 'W', 'kW') }),
            fc.jsonValue(),
          ),
        ),
      ),
    );
    fc.assert(
      fc.property(fc.oneof(stored, fc.jsonValue()), (x) => {
        const restored = afterRestart(x);
        const policy = new ChargePolicy(restored);
        assert.deepEqual(policy.current, restored);
        assert.deepEqual(afterRestart(restored), restored);
      }),
      { numRuns: 300 },
    );
  });
});
