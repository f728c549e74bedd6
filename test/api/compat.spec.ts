import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { freePort, startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { rawRequest, request, type Answer } from '../support/http-client';
import { delay } from '../support/pty';
import { apiFlow } from './example-flow';

const POLICY_NAMES = ['Charge Now', 'Scheduled Charging', 'Track Green Energy', 'Non Scheduled Charging'];
const FIXED2 = /^\d+\.\d\d$/;

async function waitForApi(base: string): Promise<void> {
  const deadline = Date.now() + 20000;
  for (;;) {
    const ok = await request(base, 'GET', '/api/getSlaveTWCs').then(
      (a) => a.status === 200 && Object.keys(a.json() as object).length === 3,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`the API on ${base} did not come up with two TWCs`);
    await delay(200);
  }
}

const isJson = (a: Answer): void => assert.match(String(a.headers['content-type']), /^application\/json/);
const status = async (base: string): Promise<Record<string, unknown>> =>
  (await request(base, 'GET', '/api/getStatus')).json() as Record<string, unknown>;

/** A JSON value of about `bytes` size built from random keys, strings, numbers and nesting. */
function randomJson(bytes: number): string {
  const value = (depth: number): unknown => {
    const r = randomBytes(1)[0] % 6;
    if (depth > 3 || r === 0) return randomBytes(4).readInt32LE() / 7;
    if (r === 1) return randomBytes(8).toString('base64');
    if (r === 2) return null;
    if (r === 3) return Array.from({ length: 3 }, () => value(depth + 1));
    return Object.fromEntries(
      Array.from({ length: 3 }, () => [randomBytes(3).toString('hex'), value(depth + 1)]),
    );
  };
  const out: Record<string, unknown> = {};
  while (JSON.stringify(out).length < bytes) out[randomBytes(4).toString('hex')] = value(0);
  return JSON.stringify(out);
}

describe('TWCManager API compatibility: the example flow in a real Node-RED', function () {
  this.timeout(120000);
  let red: NodeRedProcess;
  let dedicated: string;

  before(async () => {
    const listenPort = await freePort();
    red = await startNodeRed(apiFlow({ listenPort, listenHost: '127.0.0.1' }));
    dedicated = `http://127.0.0.1:${listenPort}/`;
    await waitForApi(red.url);
    await waitForApi(dedicated);
  });
  after(async () => {
    await red?.stop();
  });

  for (const which of ['Node-RED port', 'dedicated port'] as const) {
    describe(which, () => {
      const base = (): string => (which === 'Node-RED port' ? red.url : dedicated);

      it('GET endpoints: status codes, content types and JSON types', async () => {
        const s = await request(base(), 'GET', '/api/getStatus');
        assert.equal(s.status, 200);
        isJson(s);
        const st = s.json() as Record<string, unknown>;
        assert.equal(typeof st.carsCharging, 'number');
        for (const k of [
          'chargerLoadWatts',
          'chargerLoadAmps',
          'maxAmpsToDivideAmongSlaves',
          'consumptionAmps',
          'consumptionWatts',
          'generationAmps',
          'generationWatts',
        ])
          assert.match(String(st[k]), FIXED2, k);
        assert.ok(POLICY_NAMES.includes(String(st.currentPolicy)));
        assert.match(String(st.isGreenPolicy), /^(Yes|No)$/);
        for (const k of [
          'scheduledChargingStartHour',
          'scheduledChargingFlexStart',
          'scheduledChargingEndHour',
        ])
          assert.equal(typeof st[k], 'number', k);
        assert.equal(typeof (st.ScheduledCharging as Record<string, unknown>).enabled, 'boolean');

        const cfg = await request(base(), 'GET', '/api/getConfig');
        isJson(cfg);
        assert.equal(
          (cfg.json() as { config: { wiringMaxAmpsAllTWCs: number } }).config.wiringMaxAmpsAllTWCs,
          80,
        );
        const pol = await request(base(), 'GET', '/api/getPolicy');
        isJson(pol);
        assert.equal((pol.json() as { name: string }[])[0].name, 'Charge Now');
        const action = await request(base(), 'GET', '/api/getActivePolicyAction');
        isJson(action);
        assert.match(action.text, /^(1|2|3|null)$/);
        const offsets = await request(base(), 'GET', '/api/getConsumptionOffsets');
        isJson(offsets);
        assert.equal(typeof offsets.json(), 'object');

        const uuid = await request(base(), 'GET', '/api/getUUID');
        assert.equal(uuid.status, 200);
        assert.match(String(uuid.headers['content-type']), /^text\/plain/);
        assert.match(uuid.text, /^\d+$/);
        const again = await request(red.url, 'GET', '/api/getUUID');
        assert.equal(again.text, uuid.text, 'the same on both ports and from call to call');
        const last = await request(base(), 'GET', '/api/getLastTWCResponse');
        assert.match(String(last.headers['content-type']), /^text\/plain/);
        assert.match(last.text, /^(None|bytearray\(b'.*'\))$/s);
      });

      it('getSlaveTWCs: the TWCs then total, string TWCIDs, numbers as numbers, a stable key set', async () => {
        const first = await request(base(), 'GET', '/api/getSlaveTWCs');
        isJson(first);
        const a = first.json() as Record<string, Record<string, unknown>>;
        assert.deepEqual(Object.keys(a), ['4142', '4243', 'total']);
        for (const [key, twc] of Object.entries(a)) {
          assert.equal(twc.TWCID, key);
          for (const k of ['lastAmpsOffered', 'lifetimekWh', 'maxAmps', 'reportedAmpsActual'])
            assert.equal(typeof twc[k], 'number', `${key}.${k}`);
        }
        for (const k of [
          'chargerLoadInW',
          'lastHeartbeat',
          'state',
          'version',
          'voltsPhaseA',
          'voltsPhaseB',
          'voltsPhaseC',
        ])
          assert.equal(typeof a['4142'][k], 'number', k);
        assert.equal(typeof a['4142'].carsCharging, 'boolean');
        assert.equal(typeof a.total.carsCharging, 'number');
        await delay(1200);
        const b = (await request(base(), 'GET', '/api/getSlaveTWCs')).json() as Record<
          string,
          Record<string, unknown>
        >;
        for (const key of Object.keys(a)) assert.deepEqual(Object.keys(b[key]), Object.keys(a[key]), key);
      });

      it('getHistory: 576 contiguous five-minute slots with the UTC offset', async () => {
        const h = await request(base(), 'GET', '/api/getHistory');
        isJson(h);
        const slots = h.json() as { timestamp: string; charger_power: number }[];
        assert.equal(slots.length, 576);
        for (const s of slots) {
          assert.match(s.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d[05]:00[+-]\d\d:\d\d$/);
          assert.equal(typeof s.charger_power, 'number');
        }
        for (let i = 1; i < slots.length; i++)
          assert.equal(Date.parse(slots[i].timestamp) - Date.parse(slots[i - 1].timestamp), 300000);
        assert.ok(Date.now() - Date.parse(slots[575].timestamp) < 300000, 'the last slot is the current one');
      });

      it('chargeNow: JSON whatever the Content-Type, numbers as strings, and it takes effect at once', async () => {
        const variants: [string | undefined, string][] = [
          ['application/x-www-form-urlencoded', '{"chargeNowRate": 20, "chargeNowDuration": 3600}'],
          [
            'application/x-www-form-urlencoded; charset=UTF-8',
            '{"chargeNowRate":"21","chargeNowDuration":3600}',
          ],
          [undefined, '{"chargeNowRate":"22","chargeNowDuration":"3600"}'],
          ['application/json', '{"chargeNowRate": 23, "chargeNowDuration": 3600}'],
          ['text/plain', '{"chargeNowRate": 24, "chargeNowDuration": 3600}'],
        ];
        for (const [type, body] of variants) {
          const a = await request(base(), 'POST', '/api/chargeNow?_=1700000000000', {
            body,
            headers: type ? { 'Content-Type': type } : {},
          });
          assert.equal(a.status, 200, `${type}: ${a.text}`);
          isJson(a);
          const rate = Number(JSON.parse(body).chargeNowRate);
          assert.deepEqual(a.json(), { status: 'success', rate, duration: 3600 });
          const s = await status(base());
          assert.equal(s.currentPolicy, 'Charge Now');
          assert.equal(s.maxAmpsToDivideAmongSlaves, `${rate}.00`);
          assert.equal(s.chargeNowAmps, rate);
          assert.equal(typeof s.chargeNowTimeEnd, 'number');
        }
        assert.equal((await request(base(), 'GET', '/api/getActivePolicyAction')).text, '1');
      });

      it('chargeNow: missing, zero, negative, wrong-type, empty and random bodies are 400 with a reason', async () => {
        await request(base(), 'POST', '/api/chargeNow', {
          body: '{"chargeNowRate":16,"chargeNowDuration":600}',
        });
        const bad = [
          '',
          '{}',
          '{"chargeNowRate": 16}',
          '{"chargeNowRate": 0, "chargeNowDuration": 60}',
          '{"chargeNowRate": -10, "chargeNowDuration": 60}',
          '{"chargeNowRate": 16, "chargeNowDuration": -1}',
          '{"chargeNowRate": "abc", "chargeNowDuration": 60}',
          '{"chargeNowRate": null, "chargeNowDuration": 60}',
          '[16, 60]',
          'chargeNowRate=12&chargeNowDuration=60',
          '{"chargeNowRate": 16,',
          randomJson(20 * 1024),
        ];
        for (const body of bad) {
          const a = await request(base(), 'POST', '/api/chargeNow', {
            body,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          });
          assert.equal(a.status, 400, body.slice(0, 60));
          isJson(a);
          assert.equal(typeof (a.json() as { error: string }).error, 'string');
        }
        const s = await status(base());
        assert.equal(s.chargeNowAmps, 16, 'a bad request loses no setting');
      });

      it('cancel, start and stop: empty bodies, no Content-Length, HTTP/1.0 — all answered', async () => {
        for (const path of ['/api/cancelChargeNow', '/api/sendStartCommand', '/api/sendStopCommand']) {
          const a = await request(base(), 'POST', path, {
            body: '',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          });
          assert.equal(a.status, 200, path);
          assert.equal((a.json() as { status: string }).status, 'success');
        }
        const url = new URL(base());
        const http10 = await rawRequest(
          base(),
          `POST /api/cancelChargeNow HTTP/1.0\r\nHost: ${url.host}\r\n\r\n`,
        );
        assert.equal(http10.status, 200, http10.raw);
        const chunked = await request(base(), 'POST', '/api/sendStopCommand', { body: '{}', chunked: true });
        assert.equal(chunked.status, 200);
        const getWithBody = await request(base(), 'GET', '/api/getStatus', { body: '' });
        assert.equal(getWithBody.status, 200);
        const s = await status(base());
        assert.notEqual(s.currentPolicy, 'Charge Now');
        assert.equal('chargeNowAmps' in s, false);
      });

      it('settings endpoints: offsets, schedule, setSetting, saveSettings', async () => {
        let a = await request(base(), 'POST', '/api/addConsumptionOffset', {
          body: '{"offsetName":"Pool","offsetValue":"500","offsetUnit":"W"}',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
        });
        assert.equal(a.status, 200);
        assert.deepEqual(a.json(), {
          status: 'success',
          offsetName: 'Pool',
          offsetValue: 500,
          offsetUnit: 'W',
        });
        assert.deepEqual((await request(base(), 'GET', '/api/getConsumptionOffsets')).json(), {
          Pool: { value: 500, unit: 'W' },
        });
        assert.equal((await status(base())).consumptionWatts, '500.00');
        for (const body of [
          '{"offsetName":"x","offsetValue":0,"offsetUnit":"W"}',
          '{"offsetName":"x","offsetValue":5,"offsetUnit":"kW"}',
          '{}',
          '',
        ])
          assert.equal(
            (await request(base(), 'POST', '/api/addConsumptionOffset', { body })).status,
            400,
            body,
          );
        a = await request(base(), 'POST', '/api/deleteConsumptionOffset', { body: '{"offsetName":"Nope"}' });
        assert.equal(a.status, 404);
        a = await request(base(), 'POST', '/api/deleteConsumptionOffset', { body: '{"offsetName":"Pool"}' });
        assert.deepEqual([a.status, a.json()], [200, { status: 'success', offsetName: 'Pool' }]);

        a = await request(base(), 'POST', '/api/setScheduledChargingSettings', {
          body: JSON.stringify({
            enabled: true,
            startingMinute: 1320,
            endingMinute: 390,
            amps: 32,
            saturday: false,
            sunday: false,
          }),
        });
        assert.equal(a.status, 202);
        let sc = (await status(base())).ScheduledCharging as Record<string, unknown>;
        assert.deepEqual(
          [sc.enabled, sc.amps, sc.startingMinute, sc.endingMinute, sc.saturday, sc.monday],
          [true, 32, 1320, 390, false, true],
        );
        a = await request(base(), 'POST', '/api/setScheduledChargingSettings', { body: '{"amps": 16}' });
        assert.equal(a.status, 202);
        sc = (await status(base())).ScheduledCharging as Record<string, unknown>;
        assert.deepEqual([sc.amps, sc.startingMinute], [16, 1320], 'a partial body keeps the other fields');
        assert.equal(
          (await request(base(), 'POST', '/api/setScheduledChargingSettings', { body: '{"amps": "lots"}' }))
            .status,
          400,
        );
        await request(base(), 'POST', '/api/setScheduledChargingSettings', { body: '{"enabled": false}' });

        a = await request(base(), 'POST', '/api/setSetting', {
          body: '{"setting":"nonScheduledAmpsMax","value":16}',
        });
        assert.equal(a.status, 204);
        assert.equal(a.text, '');
        assert.equal(
          (await request(base(), 'POST', '/api/setSetting', { body: '{"setting":"bad/key","value":"v"}' }))
            .status,
          400,
        );
        assert.equal((await request(base(), 'POST', '/api/saveSettings', { body: '' })).status, 204);
        await request(base(), 'POST', '/api/setSetting', {
          body: '{"setting":"nonScheduledAmpsMax","value":0}',
        });
      });

      it('unknown paths and wrong methods are 404; query strings are ignored and never turn into JSONP', async () => {
        assert.equal((await request(base(), 'GET', '/api/nothingHere')).status, 404);
        assert.equal((await request(base(), 'POST', '/api/getStatus', { body: '' })).status, 404);
        assert.equal((await request(base(), 'GET', '/api/chargeNow')).status, 404);
        const cb = await request(base(), 'GET', '/api/getStatus?callback=evil&_=17');
        assert.equal(cb.status, 200);
        isJson(cb);
        assert.equal(typeof (cb.json() as object), 'object');
      });

      it('answers 200 concurrent mixed requests, bad ones included, without a hang', async () => {
        const bodies = ['', '{}', 'garbage', randomJson(2048), '{"chargeNowRate":"x"}'];
        const calls = Array.from({ length: 200 }, (_, i) =>
          i % 3 === 0
            ? request(base(), 'GET', '/api/getStatus')
            : request(base(), 'POST', i % 2 ? '/api/chargeNow' : '/api/addConsumptionOffset', {
                body: bodies[i % bodies.length],
              }),
        );
        const answers = await Promise.all(calls);
        for (const a of answers)
          assert.ok([200, 400].includes(a.status), `${a.status} ${a.text.slice(0, 80)}`);
      });
    });
  }

  it('the web page is on / of the dedicated port and /twc/ of Node-RED’s port', async () => {
    for (const url of [dedicated, `${red.url}twc/`]) {
      const page = await request(url, 'GET', '');
      assert.equal(page.status, 200, url);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(page.text, /<title>TWC Manager<\/title>/);
      assert.doesNotMatch(page.text, /(?:src|href)=["']?(?:https?:)?\/\//i, 'self-contained');
    }
  });
});
