import assert from 'node:assert/strict';
import { freePort, startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { request, type Answer } from '../support/http-client';
import { apiUp, until } from '../support/api-process';
import { delay } from '../support/pty';
import { apiFlow, API_FLOW_FILE } from './example-flow';
import * as fs from 'node:fs';

/**
 * Every route of TWCManager's HTTPControl.py (v1.3.3) on both ports of a real node-red running the example
 * flow, table-driven: one row per request, with the status TWCManager's own tests expect (tests/API and
 * tests/integration there) or, where they accept several, the one we answer (docs/api.md §4).
 */

/** HTTPControl.py's routes: its do_API_GET and do_API_POST branches. */
export const TWCMANAGER_GET = [
  'getConfig',
  'getConsumptionOffsets',
  'getLastTWCResponse',
  'getPolicy',
  'getSlaveTWCs',
  'getStatus',
  'getActivePolicyAction',
  'getHistory',
  'getUUID',
];
export const TWCMANAGER_POST = [
  'addConsumptionOffset',
  'chargeNow',
  'cancelChargeNow',
  'checkArrival',
  'checkDeparture',
  'deleteConsumptionOffset',
  'saveSettings',
  'setPolicy',
  'sendDebugCommand',
  'sendStartCommand',
  'sendStopCommand',
  'sendTeslaAPICommand',
  'setSetting',
  'setScheduledChargingSettings',
  'setLatLon',
  'setConsumptionOffset',
];

type Expect = 'json' | 'text' | 'empty' | 'error';
interface Row {
  route: string;
  /** What the row shows, for the test's title. */
  what: string;
  body?: string;
  status: number;
  /** The body: JSON (any), plain text, nothing, or `{"error": <text>}`. */
  answer: Expect;
  /** The exact JSON answer, where it is fixed. */
  json?: unknown;
}

const LONG = 'A'.repeat(10000);
const body = (v: unknown): string => JSON.stringify(v);
const get = (route: string, answer: Expect = 'json'): Row => ({ route, what: 'GET', status: 200, answer });
const post = (route: string, what: string, b: unknown, status: number, answer: Expect, json?: unknown) => ({
  route,
  what,
  body: typeof b === 'string' ? b : body(b),
  status,
  answer,
  json,
});

/** The error cases every POST route that reads a body shares: not JSON, not an object. */
const notAnObject = (route: string): Row[] => [
  post(route, 'a body that is no JSON', '{"x":', 400, 'error'),
  post(route, 'a JSON array', '[1, 2]', 400, 'error'),
  post(route, 'a null byte outside a string', '{"a":\u00001}', 400, 'error'),
];

const ROWS: Row[] = [
  ...TWCMANAGER_GET.map((r) => get(r, r === 'getUUID' || r === 'getLastTWCResponse' ? 'text' : 'json')),

  post('chargeNow', 'valid', { chargeNowRate: 16, chargeNowDuration: 600 }, 200, 'json', {
    status: 'success',
    rate: 16,
    duration: 600,
  }),
  post('chargeNow', 'missing duration', { chargeNowRate: 16 }, 400, 'error'),
  post('chargeNow', 'rate as text', { chargeNowRate: 'abc', chargeNowDuration: 60 }, 400, 'error'),
  post('chargeNow', 'rate −1', { chargeNowRate: -1, chargeNowDuration: 3600 }, 400, 'error'),
  post('chargeNow', 'rate 1000', { chargeNowRate: 1000, chargeNowDuration: 60 }, 400, 'error'),
  post('chargeNow', 'a very long rate', { chargeNowRate: LONG, chargeNowDuration: 60 }, 400, 'error'),
  post('chargeNow', 'unicode digits', { chargeNowRate: '١٦', chargeNowDuration: 60 }, 400, 'error'),
  post(
    'chargeNow',
    'a null byte in a number',
    { chargeNowRate: '16\u0000', chargeNowDuration: 60 },
    400,
    'error',
  ),
  ...notAnObject('chargeNow'),
  post('cancelChargeNow', 'empty', '', 200, 'json', { status: 'success' }),
  post('sendStartCommand', 'extra fields', { extraField: 'ignored' }, 200, 'json'),
  post('sendStartCommand', 'a TWCID that is no hex', { TWCID: 'zz' }, 400, 'error'),
  post('sendStopCommand', 'empty', '', 200, 'json'),
  post('sendStopCommand', 'a very long TWCID', { TWCID: LONG }, 400, 'error'),

  post(
    'addConsumptionOffset',
    'valid',
    { offsetName: 'compat', offsetValue: 100, offsetUnit: 'W' },
    200,
    'json',
  ),
  post(
    'addConsumptionOffset',
    'unicode name',
    { offsetName: '测试名称🔋', offsetValue: 1, offsetUnit: 'W' },
    200,
    'json',
  ),
  post('addConsumptionOffset', 'missing unit', { offsetName: 'x', offsetValue: 1 }, 400, 'error'),
  post(
    'addConsumptionOffset',
    'unit INVALID',
    { offsetName: 'x', offsetValue: 1, offsetUnit: 'INVALID' },
    400,
    'error',
  ),
  post(
    'addConsumptionOffset',
    'value null',
    { offsetName: 'x', offsetValue: null, offsetUnit: 'W' },
    400,
    'error',
  ),
  post(
    'addConsumptionOffset',
    'value 999999999999',
    { offsetName: 'x', offsetValue: 999999999999, offsetUnit: 'W' },
    400,
    'error',
  ),
  post(
    'addConsumptionOffset',
    'a 10000-character name',
    { offsetName: LONG, offsetValue: 1, offsetUnit: 'W' },
    400,
    'error',
  ),
  post(
    'addConsumptionOffset',
    'an XSS name',
    { offsetName: '<script>alert("x")</script>', offsetValue: 1, offsetUnit: 'W' },
    400,
    'error',
  ),
  post(
    'addConsumptionOffset',
    'a path name',
    { offsetName: '../../../etc/passwd', offsetValue: 1, offsetUnit: 'W' },
    400,
    'error',
  ),
  ...notAnObject('addConsumptionOffset'),
  post('deleteConsumptionOffset', 'missing name', {}, 400, 'error'),
  post('deleteConsumptionOffset', 'a name that is a number', { offsetName: 5 }, 400, 'error'),
  post('deleteConsumptionOffset', 'no such offset', { offsetName: 'Nope' }, 404, 'error'),
  post('deleteConsumptionOffset', 'a 10000-character name', { offsetName: LONG }, 404, 'error'),

  post('setScheduledChargingSettings', 'valid', { enabled: false, amps: 16 }, 202, 'json'),
  post('setScheduledChargingSettings', 'amps as text', { amps: 'lots' }, 400, 'error'),
  post('setScheduledChargingSettings', 'minute 5000', { startingMinute: 5000 }, 400, 'error'),
  ...notAnObject('setScheduledChargingSettings'),
  post('setSetting', 'valid', { setting: 'compatNote', value: 'ok' }, 204, 'empty'),
  post('setSetting', 'unicode', { setting: 'compatNote', value: 'Политика🔌' }, 204, 'empty'),
  post('setSetting', 'refused characters', { setting: 'bad/key', value: 'v' }, 400, 'error'),
  post('setSetting', 'a 10000-character value', { setting: 'compatNote', value: LONG }, 400, 'error'),
  post('setSetting', 'out of range', { setting: 'sunrise', value: 25 }, 400, 'error'),
  post('setSetting', 'missing value', { setting: 'compatNote' }, 400, 'error'),
  ...notAnObject('setSetting'),
  post('saveSettings', 'empty', '', 204, 'empty'),

  post('setLatLon', 'valid', { lat: 37.7749, lon: -122.4194 }, 204, 'empty'),
  post('setLatLon', 'numeric text', { lat: '37.7749', lon: '-122.4194' }, 204, 'empty'),
  post('setLatLon', 'the edges', { lat: 90, lon: -180 }, 204, 'empty'),
  post('setLatLon', 'missing lat', { lon: -122.4194 }, 400, 'error'),
  post('setLatLon', 'missing lon', { lat: 37.7749 }, 400, 'error'),
  post('setLatLon', 'lat 91', { lat: 91, lon: 0 }, 400, 'error'),
  post('setLatLon', 'lat −91', { lat: -91, lon: 0 }, 400, 'error'),
  post('setLatLon', 'lon 181', { lat: 0, lon: 181 }, 400, 'error'),
  post('setLatLon', 'lon −181', { lat: 0, lon: -181 }, 400, 'error'),
  post('setLatLon', '999/999', { lat: 999, lon: 999 }, 400, 'error'),
  post('setLatLon', 'text', { lat: 'invalid', lon: 0 }, 400, 'error'),
  post('setLatLon', 'null', { lat: null, lon: 0 }, 400, 'error'),
  post('setLatLon', 'a 10000-character lat', { lat: LONG, lon: 0 }, 400, 'error'),
  post('setLatLon', 'unicode', { lat: '四十', lon: 0 }, 400, 'error'),
  post('setLatLon', 'a null byte', { lat: '1\u0000', lon: 0 }, 400, 'error'),
  ...notAnObject('setLatLon'),

  post('setConsumptionOffset', 'valid', { offset: 2.5 }, 204, 'empty'),
  post('setConsumptionOffset', 'numeric text', { offset: '-1.5' }, 204, 'empty'),
  post('setConsumptionOffset', 'missing', {}, 400, 'error', { error: 'offset is required' }),
  post('setConsumptionOffset', 'null', { offset: null }, 400, 'error', { error: 'offset is required' }),
  post(
    'setConsumptionOffset',
    "addConsumptionOffset's fields",
    { offsetName: 'test', value: 100, unit: 'W' },
    400,
    'error',
  ),
  post('setConsumptionOffset', 'text', { offset: 'abc' }, 400, 'error', { error: 'offset must be a number' }),
  post('setConsumptionOffset', 'an array', { offset: [1] }, 400, 'error'),
  post('setConsumptionOffset', 'out of range', { offset: 1e12 }, 400, 'error'),
  post('setConsumptionOffset', 'a 10000-character value', { offset: LONG }, 400, 'error'),
  post('setConsumptionOffset', 'unicode', { offset: '二' }, 400, 'error'),
  post('setConsumptionOffset', 'a null byte', { offset: '1\u0000' }, 400, 'error'),
  ...notAnObject('setConsumptionOffset'),
  post('setPolicy', 'missing', {}, 400, 'error', { error: 'policy field is required' }),
  post('setPolicy', 'null', { policy: null }, 400, 'error', { error: 'policy field is required' }),
  post('setPolicy', 'empty', { policy: '' }, 400, 'error', { error: 'policy cannot be empty' }),
  post('setPolicy', 'a number', { policy: 12345 }, 400, 'error', { error: 'policy must be a string' }),
  post('setPolicy', 'an array', { policy: ['Policy1', 'Policy2'] }, 400, 'error'),
  post('setPolicy', 'an object', { policy: { name: 'Policy1' } }, 400, 'error'),
  post('setPolicy', 'unknown', { policy: 'NonExistentPolicy123' }, 400, 'error'),
  post('setPolicy', 'SQL', { policy: "'; DROP TABLE settings; --" }, 400, 'error'),
  post('setPolicy', 'special characters', { policy: '!@#$%^&*()' }, 400, 'error'),
  post('setPolicy', 'a 10000-character name', { policy: LONG }, 400, 'error'),
  post('setPolicy', 'unicode', { policy: 'Политика🔌' }, 400, 'error'),
  post('setPolicy', 'a null byte', { policy: 'Charge Now\u0000' }, 400, 'error'),
  ...notAnObject('setPolicy'),
  post('sendDebugCommand', 'firmware version', { commandName: 'GetFirmwareVersion' }, 204, 'empty'),
  post('sendDebugCommand', 'missing commandName', {}, 400, 'error'),
  post('sendDebugCommand', 'null commandName', { commandName: null }, 400, 'error'),
  post('sendDebugCommand', 'empty commandName', { commandName: '' }, 400, 'error'),
  post('sendDebugCommand', 'numeric commandName', { commandName: 12345 }, 400, 'error'),
  post('sendDebugCommand', 'unknown commandName', { commandName: 'Nope' }, 400, 'error'),
  post('sendDebugCommand', 'Custom without customCommand', { commandName: 'Custom' }, 400, 'error'),
  post(
    'sendDebugCommand',
    'Custom FC 19 (refused)',
    { commandName: 'Custom', customCommand: 'FC19' },
    400,
    'error',
  ),
  post(
    'sendDebugCommand',
    'Custom FB E8 (refused)',
    { commandName: 'Custom', customCommand: 'FBE8' },
    400,
    'error',
  ),
  post('sendDebugCommand', 'a 10000-character commandName', { commandName: LONG }, 400, 'error'),
  post('sendDebugCommand', 'unicode', { commandName: 'Политика🔌' }, 400, 'error'),
  post('sendDebugCommand', 'a null byte', { commandName: 'GetFirmwareVersion\u0000' }, 400, 'error'),
  ...notAnObject('sendDebugCommand'),
  post('checkArrival', 'extra fields', { extraField: 'ignored' }, 202, 'empty'),
  post('checkArrival', 'empty', '', 202, 'empty'),
  post('checkDeparture', 'extra fields', { extraField: 'ignored' }, 202, 'empty'),
  post('checkDeparture', 'no JSON', 'garbage', 202, 'empty'),
  post('sendTeslaAPICommand', 'wakeVehicle', { commandName: 'wakeVehicle', vehicleID: 1 }, 400, 'error'),
  post('sendTeslaAPICommand', 'empty', '', 400, 'error'),
  ...notAnObject('sendTeslaAPICommand'),
];

/** The http-in routes of the example flow, by method. */
function flowRoutes(): { get: string[]; post: string[] } {
  const flow = JSON.parse(fs.readFileSync(API_FLOW_FILE, 'utf8')) as Record<string, string>[];
  const of = (m: string) =>
    flow.filter((n) => n.type === 'http in' && n.method === m).map((n) => n.url.replace('/api/', ''));
  return { get: of('get'), post: of('post') };
}

function checkAnswer(row: Row, a: Answer): void {
  const title = `${row.route} ${row.what}: ${a.status} ${a.text.slice(0, 100)}`;
  assert.equal(a.status, row.status, title);
  if (row.answer === 'empty') assert.equal(a.text, '', title);
  if (row.answer === 'text') assert.match(String(a.headers['content-type']), /^text\/plain/, title);
  if (row.answer === 'json' || row.answer === 'error') {
    assert.match(String(a.headers['content-type']), /^application\/json/, title);
    const json = a.json();
    if (row.answer === 'error') {
      assert.deepEqual(Object.keys(json as object), ['error'], title);
      assert.equal(typeof (json as { error: unknown }).error, 'string', title);
    }
    if (row.json !== undefined) assert.deepEqual(json, row.json, title);
  }
}

const send = (base: string, row: Row): Promise<Answer> =>
  row.body === undefined
    ? request(base, 'GET', `/api/${row.route}`)
    : request(base, 'POST', `/api/${row.route}`, {
        body: row.body,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });

describe('TWCManager compatibility, route by route (example flow, real node-red, both ports)', function () {
  this.timeout(180000);
  let red: NodeRedProcess;
  let dedicated: string;

  it('the table: every route of HTTPControl.py has rows, and the flow serves exactly those routes', () => {
    const routes = flowRoutes();
    const tested = new Set(ROWS.map((r) => r.route));
    for (const r of [...TWCMANAGER_GET, ...TWCMANAGER_POST]) assert.ok(tested.has(r), `${r} has no rows`);
    assert.deepEqual([...routes.get].sort(), [...TWCMANAGER_GET].sort());
    assert.deepEqual(
      [...routes.post].sort(),
      [...TWCMANAGER_POST].sort(),
      'the flow serves exactly the POST routes of HTTPControl.py',
    );
  });

  describe('in a real node-red', () => {
    before(async () => {
      const listenPort = await freePort();
      red = await startNodeRed(apiFlow({ listenPort, listenHost: '127.0.0.1' }));
      dedicated = `http://127.0.0.1:${listenPort}/`;
      for (const base of [red.url, dedicated]) await apiUp(base);
    });
    after(async () => {
      await red?.stop();
    });

    for (const which of ['Node-RED port', 'dedicated port'] as const) {
      describe(which, () => {
        const base = (): string => (which === 'Node-RED port' ? red.url : dedicated);

        for (const row of ROWS)
          it(`${row.body === undefined ? 'GET' : 'POST'} ${row.route}: ${row.what} → ${row.status}`, async () => {
            checkAnswer(row, await send(base(), row));
          });

        it('setConsumptionOffset is applied: getStatus counts the amps as consumption', async () => {
          await request(base(), 'POST', '/api/setConsumptionOffset', { body: '{"offset": 2.5}' });
          const s = (await request(base(), 'GET', '/api/getStatus')).json() as Record<string, string>;
          const offsets = (await request(base(), 'GET', '/api/getConsumptionOffsets')).json() as Record<
            string,
            { value: number; unit: string }
          >;
          const volts = Number(s.consumptionWatts) / Number(s.consumptionAmps);
          const named = Object.values(offsets).reduce(
            (w, o) => w + (o.unit === 'W' ? o.value : o.value * volts),
            0,
          );
          assert.equal(Number(s.consumptionAmps).toFixed(2), (2.5 + named / volts).toFixed(2));
          await request(base(), 'POST', '/api/setConsumptionOffset', { body: '{"offset": 0}' });
        });

        it('setPolicy: the override shows in getStatus and getActivePolicyAction, holds, never lifts a wiring limit, and ends', async () => {
          const status = async () =>
            (await request(base(), 'GET', '/api/getStatus')).json() as Record<string, unknown>;
          await request(base(), 'POST', '/api/cancelChargeNow', { body: '' });
          // The rows ran sendStopCommand; a stopped unit is offered nothing whatever the policy.
          await request(base(), 'POST', '/api/sendStartCommand', { body: '' });
          const rules = String((await status()).currentPolicy);
          const other = rules === 'Scheduled Charging' ? 'Non Scheduled Charging' : 'Scheduled Charging';
          const ok = await request(base(), 'POST', '/api/setPolicy', { body: body({ policy: other }) });
          assert.deepEqual([ok.status, ok.json()], [200, { status: 'success', policy: other }]);
          assert.equal((await status()).currentPolicy, other);
          if (other === 'Scheduled Charging') {
            // Far above the 80 A wiring and each unit's rating: the engine's limits still hold.
            await request(base(), 'POST', '/api/setSetting', {
              body: '{"setting":"scheduledAmpsMax","value":655}',
            });
            assert.equal((await request(base(), 'GET', '/api/getActivePolicyAction')).text, '1');
            const slaves = await until('the units offered the override’s amps', async () => {
              const all = (await request(base(), 'GET', '/api/getSlaveTWCs')).json() as Record<
                string,
                { lastAmpsOffered: number; maxAmps: number }
              >;
              return all.total.lastAmpsOffered > 0 ? all : undefined;
            });
            await delay(2000);
            for (const [id, twc] of Object.entries(slaves))
              if (id !== 'total')
                assert.ok(twc.lastAmpsOffered <= twc.maxAmps, `${id} ${twc.lastAmpsOffered}`);
            assert.ok(slaves.total.lastAmpsOffered <= 80, `total ${slaves.total.lastAmpsOffered}`);
            assert.equal((await status()).maxAmpsToDivideAmongSlaves, '80.00');
            await request(base(), 'POST', '/api/setSetting', {
              body: '{"setting":"scheduledAmpsMax","value":0}',
            });
            assert.equal((await request(base(), 'GET', '/api/getActivePolicyAction')).text, '2');
          }
          const back = await request(base(), 'POST', '/api/setPolicy', { body: body({ policy: rules }) });
          assert.equal(back.status, 200);
          assert.equal((await status()).currentPolicy, rules, 'the rules again');
        });

        it('200 concurrent bad requests to every POST route: all answered 4xx with JSON, node-red still up', async () => {
          const bad = ROWS.filter((r) => r.status >= 400 && r.body !== undefined);
          const rows = Array.from({ length: 200 }, (_, i) => bad[i % bad.length]);
          const answers = await Promise.all(rows.map((r) => send(base(), r)));
          answers.forEach((a, i) => checkAnswer(rows[i], a));
          assert.equal((await request(base(), 'GET', '/api/getStatus')).status, 200);
          assert.equal(red.proc.child.exitCode, null, 'node-red is still running');
        });

        it('leaves no test state behind', async () => {
          for (const name of ['compat', '测试名称🔋'])
            await request(base(), 'POST', '/api/deleteConsumptionOffset', {
              body: body({ offsetName: name }),
            });
          await request(base(), 'POST', '/api/cancelChargeNow', { body: '' });
          assert.deepEqual((await request(base(), 'GET', '/api/getConsumptionOffsets')).json(), {});
        });
      });
    }
  });
});
