import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { apiUp, getJson, killAndRestart, postJson, until } from '../support/api-process';
import { freePort, startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { delay } from '../support/pty';
import { STATE_FOLDER } from '../../src/bus/state-file';
import { ChargePolicy } from '../../src/policy/charge-policy';
import { API_MASTER_ID, apiFlow, greenEnergyRoute } from './example-flow';

type Status = Record<string, unknown> & { ScheduledCharging: Record<string, unknown> };
type Slot = { timestamp: string; charger_power: number };

const status = async (base: string): Promise<Status> => (await getJson(base, '/api/getStatus')) as Status;

/** The flow of the restart tests: the example flow on the simulator, with a route for the readings. */
async function apiWithReadings(): Promise<unknown[]> {
  const listenPort = await freePort();
  return [...apiFlow({ listenPort, listenHost: '127.0.0.1' }), ...greenEnergyRoute()];
}

describe('a real node-red process killed with kill -9 or restarted keeps every change it answered', function () {
  this.timeout(180000);
  let red: NodeRedProcess | undefined;
  afterEach(async () => {
    await red?.stop();
    red = undefined;
  });

  it('kill -9 100 ms after each answer: after the restart every value is there, and stays', async () => {
    red = await startNodeRed(await apiWithReadings());
    const base = red.url;
    await apiUp(base);
    const checks: ((st: Status) => Promise<void> | void)[] = [];
    /** The change, 100 ms, kill -9, a restart: this change and every one before it must be back. */
    const step = async (change: () => Promise<void>, check: (st: Status) => Promise<void> | void) => {
      await change();
      await delay(100);
      red = await killAndRestart(red!);
      checks.push(check);
      const st = await status(base);
      for (const c of checks) await c(st);
    };

    const asked = Date.now() / 1000;
    await step(
      () => postJson(base, '/api/chargeNow', { chargeNowRate: 20, chargeNowDuration: 7200 }, 200),
      (st) => {
        assert.equal(st.currentPolicy, 'Charge Now');
        assert.equal(st.chargeNowAmps, 20);
        const end = Number(st.chargeNowTimeEnd);
        // The end set then, not a new one from after the restart.
        assert.ok(end >= asked + 7200 && end < asked + 7201, `chargeNowTimeEnd ${end}`);
      },
    );
    await step(
      async () => {
        await postJson(base, '/api/setSetting', { setting: 'nonScheduledAmpsMax', value: 10 }, 204);
        await postJson(base, '/api/setSetting', { setting: 'sunset', value: 18 }, 204);
        await postJson(base, '/api/setSetting', { setting: 'scheduledAmpsBatterySize', value: 77 }, 204);
      },
      (st) => assert.equal(st.ScheduledCharging.flexBatterySize, 77),
    );
    await step(
      () =>
        postJson(
          base,
          '/api/setScheduledChargingSettings',
          { enabled: true, startingMinute: 1380, endingMinute: 300, amps: 24, sunday: false },
          202,
        ),
      (st) => {
        const { enabled, amps, startingMinute, endingMinute, monday, sunday } = st.ScheduledCharging;
        assert.deepEqual(
          { enabled, amps, startingMinute, endingMinute, monday, sunday },
          { enabled: true, amps: 24, startingMinute: 1380, endingMinute: 300, monday: true, sunday: false },
        );
        assert.equal(st.scheduledChargingEndHour, 5);
      },
    );
    await step(
      () =>
        postJson(
          base,
          '/api/addConsumptionOffset',
          { offsetName: 'Heat pump', offsetValue: 1.5, offsetUnit: 'A' },
          200,
        ),
      async () =>
        assert.deepEqual(await getJson(base, '/api/getConsumptionOffsets'), {
          'Heat pump': { value: 1.5, unit: 'A' },
        }),
    );
    await step(
      () => postJson(base, '/api/setLatLon', { lat: '52.52', lon: 13.405 }, 204),
      async (st) => {
        const config = (await getJson(base, '/api/getConfig')) as { settings: Record<string, unknown> };
        assert.deepEqual(config.settings, { homeLat: 52.52, homeLon: 13.405 });
        assert.equal(st.greenWindowSource, 'location');
      },
    );
    // Readings and history wait for the minute; saveSettings writes them at once. The simulated car on
    // 4142 charges at the 20 A of charge-now: wait until the current slot holds it.
    const charged = await until('a history slot with charging in it', async () => {
      const slots = (await getJson(base, '/api/getHistory')) as Slot[];
      return slots.find((s) => s.charger_power > 1000);
    });
    await step(
      async () => {
        await postJson(base, '/api/setGreenEnergy', { generationW: 4321, consumptionW: 1234 }, 200);
        await postJson(base, '/api/saveSettings', {}, 204);
      },
      async (st) => {
        assert.equal(st.generationWatts, '4321.00');
        const slots = (await getJson(base, '/api/getHistory')) as Slot[];
        const same = slots.find((s) => s.timestamp === charged.timestamp);
        assert.ok(
          same && same.charger_power > 1000,
          `history at ${charged.timestamp}: ${JSON.stringify(same)}`,
        );
      },
    );

    // An ordinary restart keeps it all too.
    await red.stop();
    red = await startNodeRed(null, { userDir: red.userDir, port: red.port });
    await apiUp(base);
    const st = await status(base);
    for (const c of checks) await c(st);
    // The settings changed the policy's inputs; cancelling shows it: night → 10 A, day → green.
    await postJson(base, '/api/cancelChargeNow', {}, 200);
    const normal = await status(base);
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
    reference.setLocation(52.52, 13.405);
    const expected = reference.active();
    assert.equal(normal.currentPolicy, expected.name, 'the schedule and the settings came back');
    if (!expected.isGreen) assert.equal(normal.maxAmpsToDivideAmongSlaves, `${expected.amps}.00`);
  });

  it('setConsumptionOffset and setPolicy: kill -9 100 ms after each answer keeps them, and the end of the override', async () => {
    red = await startNodeRed(await apiWithReadings());
    const base = red.url;
    await apiUp(base);
    const killed = async () => {
      await delay(100);
      red = await killAndRestart(red!);
      return status(base);
    };
    await postJson(base, '/api/setConsumptionOffset', { offset: 3.5 }, 204);
    assert.equal((await killed()).consumptionAmps, '3.50');
    const rules = String((await status(base)).currentPolicy);
    const other = rules === 'Scheduled Charging' ? 'Non Scheduled Charging' : 'Scheduled Charging';
    await postJson(base, '/api/setPolicy', { policy: other }, 200);
    let st = await killed();
    assert.equal(st.currentPolicy, other, 'the override came back');
    assert.equal(st.consumptionAmps, '3.50');
    await postJson(base, '/api/setPolicy', { policy: rules }, 200);
    st = await killed();
    assert.equal(st.currentPolicy, rules, 'and so did its end');
    const stateFile = path.join(red!.userDir, STATE_FOLDER, `${API_MASTER_ID}.json`);
    const kept = JSON.parse(fs.readFileSync(stateFile, 'utf8')).policy;
    assert.deepEqual([kept.policyOverride, kept.greenEnergyAmpsOffset], ['', 3.5]);
  });

  it('settings a release before the state file kept in a localfilesystem context store are moved to it', async () => {
    const persistent = "contextStorage: { default: { module: 'localfilesystem' } },";
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twc-nodered-'));
    // Where Node-RED's localfilesystem store keeps a config node's context, as those releases left it.
    const contextFile = path.join(userDir, 'context', API_MASTER_ID, 'flow.json');
    const end = Math.round(Date.now() / 1000) + 7200;
    fs.mkdirSync(path.dirname(contextFile), { recursive: true });
    fs.writeFileSync(
      contextFile,
      JSON.stringify({
        twcPolicySettings: {
          chargeNowAmps: 16,
          chargeNowTimeEnd: end,
          sunset: 18,
          consumptionOffset: { Pool: { value: 2, unit: 'A' } },
        },
        twcChargeHistory: { slots: [], open: undefined },
      }),
    );
    red = await startNodeRed(await apiWithReadings(), { userDir, extraSettings: persistent });
    await apiUp(red.url);
    const migrated = (base: string) => async () => {
      const st = await status(base);
      assert.deepEqual([st.chargeNowAmps, st.chargeNowTimeEnd], [16, end]);
      assert.deepEqual(await getJson(base, '/api/getConsumptionOffsets'), { Pool: { value: 2, unit: 'A' } });
    };
    await migrated(red.url)();
    const stateFile = path.join(red.userDir, STATE_FOLDER, `${API_MASTER_ID}.json`);
    assert.equal(JSON.parse(fs.readFileSync(stateFile, 'utf8')).policy.sunset, 18, 'written to the file');
    // A stop flushes the context store: the old keys are gone from it.
    await red.stop();
    assert.deepEqual(JSON.parse(fs.readFileSync(contextFile, 'utf8')), {});
    // From now on no context store is needed.
    red = await startNodeRed(null, { userDir: red.userDir, port: red.port });
    await apiUp(red.url);
    await migrated(red.url)();
  });
});
