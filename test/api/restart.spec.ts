import assert from 'node:assert/strict';
import { freePort, startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { request } from '../support/http-client';
import { delay } from '../support/pty';
import { ChargePolicy } from '../../src/policy/charge-policy';
import { apiFlow } from './example-flow';

const PERSISTENT = "contextStorage: { default: { module: 'localfilesystem' } },";

async function json(base: string, path: string): Promise<unknown> {
  const a = await request(base, 'GET', path);
  assert.equal(a.status, 200, path);
  return a.json();
}

async function until<T>(what: string, get: () => Promise<T | undefined>, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(200);
  }
}

describe('a restart of the real node-red process keeps settings, schedule, charge-now and history', function () {
  this.timeout(120000);
  let red: NodeRedProcess | undefined;
  after(async () => {
    await red?.stop();
  });

  it('finds everything as it was', async () => {
    const listenPort = await freePort();
    red = await startNodeRed(apiFlow({ listenPort, listenHost: '127.0.0.1' }), { extraSettings: PERSISTENT });
    const base = red.url;
    await until('two TWCs', async () => {
      const s = (await json(base, '/api/getSlaveTWCs')) as object;
      return Object.keys(s).length === 3 ? true : undefined;
    });
    const post = async (path: string, body: unknown, status: number): Promise<void> => {
      const a = await request(base, 'POST', path, { body: JSON.stringify(body) });
      assert.equal(a.status, status, `${path}: ${a.text}`);
    };
    await post('/api/chargeNow', { chargeNowRate: 20, chargeNowDuration: 7200 }, 200);
    await post(
      '/api/setScheduledChargingSettings',
      { enabled: true, startingMinute: 1380, endingMinute: 300, amps: 24, sunday: false },
      202,
    );
    await post(
      '/api/addConsumptionOffset',
      { offsetName: 'Heat pump', offsetValue: 1.5, offsetUnit: 'A' },
      200,
    );
    await post('/api/setSetting', { setting: 'nonScheduledAmpsMax', value: 10 }, 204);
    await post('/api/setSetting', { setting: 'sunset', value: 18 }, 204);

    // The simulated car on 4142 charges at 20 A; wait until the history holds it.
    type Slot = { timestamp: string; charger_power: number };
    const charged = await until('a history slot with charging in it', async () => {
      const slots = (await json(base, '/api/getHistory')) as Slot[];
      return slots.find((s) => s.charger_power > 1000);
    });
    const before = {
      status: (await json(base, '/api/getStatus')) as Record<string, unknown>,
      offsets: await json(base, '/api/getConsumptionOffsets'),
    };
    assert.equal(before.status.currentPolicy, 'Charge Now');

    await red.stop();
    red = await startNodeRed(null, { userDir: red.userDir, port: red.port, extraSettings: PERSISTENT });
    await until('the API again', async () =>
      (await request(base, 'GET', '/api/getStatus')).status === 200 ? true : undefined,
    );

    const after = (await json(base, '/api/getStatus')) as Record<string, unknown>;
    assert.equal(after.currentPolicy, 'Charge Now');
    assert.equal(after.chargeNowAmps, 20);
    assert.equal(after.chargeNowTimeEnd, before.status.chargeNowTimeEnd, 'the same end time, not a new one');
    assert.deepEqual(after.ScheduledCharging, before.status.ScheduledCharging);
    assert.equal(after.scheduledChargingEndHour, 5);
    assert.deepEqual(await json(base, '/api/getConsumptionOffsets'), before.offsets);
    assert.deepEqual(await json(base, '/api/getConsumptionOffsets'), {
      'Heat pump': { value: 1.5, unit: 'A' },
    });
    // The setting changed the policy's inputs; cancelling shows it: night → 10 A, day → green.
    const slots = (await json(base, '/api/getHistory')) as Slot[];
    const same = slots.find((s) => s.timestamp === charged.timestamp);
    assert.ok(same && same.charger_power > 1000, `history at ${charged.timestamp}: ${JSON.stringify(same)}`);
    await post('/api/cancelChargeNow', {}, 200);
    const normal = (await json(base, '/api/getStatus')) as Record<string, unknown>;
    // The same settings on a fresh policy say which normal policy this hour has.
    const reference = new ChargePolicy();
    reference.setSchedule({
      enabled: true,
      startingMinute: 1380,
      endingMinute: 300,
      amps: 24,
      days: { sunday: false },
    });
    reference.setSetting('nonScheduledAmpsMax', 10);
    reference.setSetting('sunset', 18);
    const expected = reference.active();
    assert.equal(normal.currentPolicy, expected.name, 'the schedule and the settings came back');
    if (!expected.isGreen) assert.equal(normal.maxAmpsToDivideAmongSlaves, `${expected.amps}.00`);
  });
});
