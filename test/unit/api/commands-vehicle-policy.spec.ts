import assert from 'node:assert/strict';
import {
  NO_TESLA_ACCOUNT,
  runCommand,
  type CommandName,
  type CommandTarget,
} from '../../../src/api/commands';
import { ManualClock } from '../../../src/clock';
import { TwcMaster } from '../../../src/master/engine';
import { ChargePolicy } from '../../../src/policy/charge-policy';
import { FakeTransport } from '../../support/fake-transport';

// The routes of issue 14 as runCommand answers them, body as the text a client sends (docs/api.md §4.13-4.17).

/** Mon 23 Nov 2026, 23:00 local time: the rules choose Non Scheduled Charging. */
const NIGHT = new Date(2026, 10, 23, 23).getTime();

function target(): CommandTarget {
  const policy = new ChargePolicy({ nonScheduledAmpsMax: 6 }, { wallClock: () => NIGHT });
  return { engine: new TwcMaster({ transport: new FakeTransport(), clock: new ManualClock(0) }), policy };
}

const send = (t: CommandTarget, name: CommandName, body: unknown) =>
  runCommand(name, typeof body === 'string' ? body : JSON.stringify(body), t);

type Row = [CommandName, unknown, number, unknown];

const ROWS: Row[] = [
  ['setConsumptionOffset', { offset: 2.5 }, 204, { status: 'success' }],
  ['setConsumptionOffset', { offset: '-3' }, 204, { status: 'success' }],
  ['setConsumptionOffset', {}, 400, { error: 'offset is required' }],
  ['setConsumptionOffset', { offset: null }, 400, { error: 'offset is required' }],
  ['setConsumptionOffset', { offset: 'abc' }, 400, { error: 'offset must be a number' }],
  ['setConsumptionOffset', { offset: true }, 400, { error: 'offset must be a number' }],
  ['setConsumptionOffset', { offset: [1] }, 400, { error: 'offset must be a number' }],
  [
    'setConsumptionOffset',
    { offset: 1e6 },
    400,
    { error: 'greenEnergyAmpsOffset must be a number from -1000 to 1000' },
  ],
  // TWCManager's own test sends addConsumptionOffset's fields here and expects a 400.
  [
    'setConsumptionOffset',
    { offsetName: 'test', value: 100, unit: 'W' },
    400,
    { error: 'offset is required' },
  ],
  ['setConsumptionOffset', '[1]', 400, { error: 'the body must be a JSON object' }],
  ['setConsumptionOffset', '{', 400, { error: 'the body is not valid JSON' }],
  // The engine here never opened its bus, so the answer says so (docs/api.md §1.7).
  [
    'setPolicy',
    { policy: 'Scheduled Charging' },
    200,
    {
      status: 'success',
      policy: 'Scheduled Charging',
      warning: 'the bus is not open (not opened): nothing reaches the Wall Connectors',
      warningCode: 'busDown',
    },
  ],
  ['setPolicy', {}, 400, { error: 'policy field is required' }],
  ['setPolicy', { policy: null }, 400, { error: 'policy field is required' }],
  ['setPolicy', { policy: 12345 }, 400, { error: 'policy must be a string' }],
  ['setPolicy', { policy: ['Charge Now'] }, 400, { error: 'policy must be a string' }],
  ['setPolicy', { policy: '' }, 400, { error: 'policy cannot be empty' }],
  ['setPolicy', { policy: 'Nope' }, 400, { error: `policy "Nope" is not one of getPolicy's policies` }],
  ['setPolicy', 'null', 400, { error: 'policy field is required' }],
  ['checkArrival', {}, 202, ''],
  ['checkArrival', { extraField: 'ignored' }, 202, ''],
  ['checkArrival', 'not json', 202, ''],
  ['checkDeparture', {}, 202, ''],
  ['sendTeslaAPICommand', { commandName: 'wakeVehicle', vehicleID: 1 }, 400, { error: NO_TESLA_ACCOUNT }],
  ['sendTeslaAPICommand', {}, 400, { error: NO_TESLA_ACCOUNT }],
  ['sendTeslaAPICommand', 'nope', 400, { error: 'the body is not valid JSON' }],
];

describe('runCommand: setConsumptionOffset, setPolicy, checkArrival, checkDeparture, sendTeslaAPICommand', () => {
  for (const [name, body, statusCode, payload] of ROWS)
    it(`${name} ${typeof body === 'string' ? body : JSON.stringify(body)} → ${statusCode}`, () => {
      assert.deepEqual(send(target(), name, body), { statusCode, payload });
    });

  it('setConsumptionOffset stores the amps; a refusal stores nothing', () => {
    const t = target();
    send(t, 'setConsumptionOffset', { offset: '2.5' });
    assert.equal(t.policy.current.greenEnergyAmpsOffset, 2.5);
    send(t, 'setConsumptionOffset', { offset: 5000 });
    assert.equal(t.policy.current.greenEnergyAmpsOffset, 2.5);
  });

  it('setPolicy: the override shows in the policy in force; naming the rules’ choice ends it', () => {
    const t = target();
    send(t, 'setPolicy', { policy: 'Track Green Energy' });
    assert.equal(t.policy.active().name, 'Track Green Energy');
    assert.equal(t.policy.active().action, 3);
    assert.equal(send(t, 'setPolicy', { policy: 'Non Scheduled Charging' }).statusCode, 200);
    assert.equal(t.policy.current.policyOverride, '');
    assert.equal(t.policy.active().name, 'Non Scheduled Charging');
  });

  it('checkArrival, checkDeparture and sendTeslaAPICommand change no setting', () => {
    const t = target();
    const before = JSON.stringify(t.policy.current);
    for (const name of ['checkArrival', 'checkDeparture', 'sendTeslaAPICommand'] as const)
      send(t, name, { commandName: 'setChargeRate', vehicleID: 1, parameters: '{"charge_rate": 5}' });
    assert.equal(JSON.stringify(t.policy.current), before);
  });
});
