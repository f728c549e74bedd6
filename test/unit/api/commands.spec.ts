import assert from 'node:assert/strict';
import { runCommand, type CommandName, type CommandTarget } from '../../../src/api/commands';
import { ManualClock } from '../../../src/clock';
import { TwcMaster } from '../../../src/master/engine';
import { ChargePolicy } from '../../../src/policy/charge-policy';
import { NUMERIC_SETTINGS, restoreSettings } from '../../../src/policy/settings';
import { FakeTransport } from '../../support/fake-transport';

/** Mon 23 Nov 2026, 23:00 UTC, in whole seconds. */
const NOW_MS = Date.UTC(2026, 10, 23, 23);

function target(): CommandTarget {
  const policy = new ChargePolicy({}, { wallClock: () => NOW_MS });
  return { engine: new TwcMaster({ transport: new FakeTransport(), clock: new ManualClock(0) }), policy };
}

/** The command as the API runs it: the body as the JSON text a client sends. */
const send = (t: CommandTarget, name: CommandName, body: unknown) =>
  runCommand(name, typeof body === 'string' ? body : JSON.stringify(body), t);

describe('the API refuses what the policy would not keep, with a 400 and its reason', () => {
  const longest = NUMERIC_SETTINGS.chargeNowTimeEnd.max - NOW_MS / 1000;
  const refusals: [CommandName, unknown, string][] = [
    ['chargeNow', { chargeNowRate: 1000, chargeNowDuration: 60 }, 'chargeNowRate must be at most 655'],
    ['chargeNow', { chargeNowRate: '656', chargeNowDuration: 60 }, 'chargeNowRate must be at most 655'],
    [
      'chargeNow',
      { chargeNowRate: 16, chargeNowDuration: 1e12 },
      `chargeNowDuration must be at most ${longest} seconds`,
    ],
    [
      'chargeNow',
      { chargeNowRate: 16, chargeNowDuration: longest + 1 },
      `chargeNowDuration must be at most ${longest} seconds`,
    ],
    [
      'setScheduledChargingSettings',
      { flexBatterySize: 5000 },
      'flexBatterySize must be at most 1000 (40 or less is ignored)',
    ],
    ['setScheduledChargingSettings', { amps: 656 }, 'amps must be from 0 to 655'],
    [
      'setSetting',
      { setting: 'scheduledAmpsBatterySize', value: 5000 },
      'scheduledAmpsBatterySize must be a number from 0 to 1000',
    ],
    ['setSetting', { setting: '__proto__', value: 'x' }, 'setting "__proto__" is a reserved name'],
    ['setSetting', { setting: 'constructor', value: 1 }, 'setting "constructor" is a reserved name'],
    ['setSetting', { setting: 'toString', value: 'x' }, 'setting "toString" is a reserved name'],
    ['setSetting', { setting: 'hasOwnProperty', value: 'x' }, 'setting "hasOwnProperty" is a reserved name'],
    ['setSetting', { setting: 'n'.repeat(65), value: 'x' }, 'setting must be at most 64 characters'],
    ['setSetting', { setting: 'k', value: 'v'.repeat(4097) }, 'value must be at most 4096 characters'],
    // A body's own `__proto__` key is data, never the prototype of what the parser reads.
    [
      'setSetting',
      '{"__proto__": {"setting": "sunrise"}, "value": 5}',
      'setting is required and must be a string',
    ],
    [
      'addConsumptionOffset',
      { offsetName: '__proto__', offsetValue: 1, offsetUnit: 'W' },
      'offsetName "__proto__" is a reserved name',
    ],
    [
      'addConsumptionOffset',
      { offsetName: 'valueOf', offsetValue: 1, offsetUnit: 'W' },
      'offsetName "valueOf" is a reserved name',
    ],
    [
      'addConsumptionOffset',
      { offsetName: 'x', offsetValue: 1e7, offsetUnit: 'W' },
      'offsetValue must be from -1000000 to 1000000',
    ],
  ];
  for (const [name, body, reason] of refusals) {
    it(`${name} ${(typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 70)}`, () => {
      const t = target();
      const before = t.policy.current;
      const r = send(t, name, body);
      assert.deepEqual([r.statusCode, r.payload], [400, { error: reason }]);
      assert.equal(t.policy.current, before, 'nothing stored');
    });
  }

  it('deleteConsumptionOffset of a name only Object.prototype has: 404, as any unknown name', () => {
    const t = target();
    for (const offsetName of ['toString', 'constructor', '__proto__', 'hasOwnProperty'])
      assert.deepEqual(send(t, 'deleteConsumptionOffset', { offsetName }), {
        statusCode: 404,
        payload: { error: 'No consumption offsets configured' },
      });
    assert.equal(
      send(t, 'addConsumptionOffset', { offsetName: 'Pool', offsetValue: 5, offsetUnit: 'W' }).statusCode,
      200,
    );
    for (const offsetName of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'Nope'])
      assert.deepEqual(send(t, 'deleteConsumptionOffset', { offsetName }), {
        statusCode: 404,
        payload: { error: 'Offset not found' },
      });
    assert.deepEqual(Object.keys(t.policy.current.consumptionOffset), ['Pool']);
  });

  it('the 101st free-form setting and the 33rd offset: 400 with the bound; replacing one is fine', () => {
    const t = target();
    for (let i = 0; i < 100; i++)
      assert.equal(send(t, 'setSetting', { setting: `k${i}`, value: i }).statusCode, 204);
    for (let i = 0; i < 32; i++)
      assert.equal(
        send(t, 'addConsumptionOffset', { offsetName: `o${i}`, offsetValue: 1, offsetUnit: 'A' }).statusCode,
        200,
      );
    assert.deepEqual(send(t, 'setSetting', { setting: 'k100', value: 'x' }).payload, {
      error: 'at most 100 free-form settings; replace one instead of adding another',
    });
    assert.deepEqual(
      send(t, 'addConsumptionOffset', { offsetName: 'o32', offsetValue: 1, offsetUnit: 'A' }).payload,
      {
        error: 'at most 32 consumption offsets; delete one before adding another',
      },
    );
    assert.equal(send(t, 'setSetting', { setting: 'k0', value: 'again' }).statusCode, 204);
    assert.equal(
      send(t, 'addConsumptionOffset', { offsetName: 'o0', offsetValue: 2, offsetUnit: 'W' }).statusCode,
      200,
    );
  });

  it('what it accepts at the edges is kept across a restart', () => {
    const t = target();
    const accepted: [CommandName, unknown, number][] = [
      ['chargeNow', { chargeNowRate: 655, chargeNowDuration: longest }, 200],
      ['setScheduledChargingSettings', { flexBatterySize: 1000, amps: 655, startingMinute: 1440 }, 202],
      ['setSetting', { setting: 'n'.repeat(64), value: 'v'.repeat(4096) }, 204],
      ['setSetting', { setting: 'sunset', value: '24' }, 204],
      ['addConsumptionOffset', { offsetName: 'o'.repeat(31), offsetValue: -1e6, offsetUnit: 'W' }, 200],
    ];
    for (const [name, body, status] of accepted) assert.equal(send(t, name, body).statusCode, status, name);
    const s = t.policy.current;
    assert.deepEqual(
      [s.chargeNowAmps, s.chargeNowTimeEnd, s.scheduledAmpsBatterySize, s.scheduledAmpsMax, s.sunset],
      [655, NUMERIC_SETTINGS.chargeNowTimeEnd.max, 1000, 655, 24],
    );
    assert.deepEqual(restoreSettings(JSON.parse(JSON.stringify(s))), s);
  });
});
