import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SimulatedSlave, type SimulatedSlaveOptions } from '../../src/sim/slave';
import { apiFlow } from '../api/example-flow';
import { request } from '../support/http-client';
import { freePort, ROOT, startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { delay, openPtyPair, type PtyPair } from '../support/pty';
import { attachSerialSim, type SerialSim } from '../support/serial-sim';
import { WireMonitor } from '../support/wire-monitor';

/** `npm run soak` runs the same faults, bigger and more often. */
const SOAK = process.env.TWC_SOAK === '1';
const LIMITS = { all: 60, per: 40, min: 12 };
const SLAVES: SimulatedSlaveOptions[] = [
  { id: 0x4142, maxAmps: 80, car: { maxAmps: 32 } },
  { id: 0x4243, maxAmps: 32, car: { maxAmps: 16 } },
  { id: 0x4344, maxAmps: 48, car: { maxAmps: 48 } },
];
const PERSISTENT = "contextStorage: { default: { module: 'localfilesystem' } },";
const figures: Record<string, string> = {};

function record(name: string, value: string): void {
  figures[name] = value;
  console.log(`      fault figure: ${name}: ${value}`);
}

describe('fault injection: a real Node-RED on a pty bus under faults', function () {
  this.timeout(SOAK ? 3_600_000 : 240_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twc-fault-'));
  let pty: PtyPair;
  let sim: SerialSim;
  let red: NodeRedProcess;
  let api: string;
  const monitor = new WireMonitor(LIMITS, (id) => SLAVES.find((u) => u.id === id)?.maxAmps);

  const slaves = async (): Promise<Record<string, { lastHeartbeat: number }>> => {
    const a = await request(api, 'GET', '/api/getSlaveTWCs', { timeoutMs: 5000 });
    assert.equal(a.status, 200);
    const all = a.json() as Record<string, { lastHeartbeat: number }>;
    delete all.total;
    return all;
  };
  /**
   * Milliseconds until `ids` are all linked and in the heartbeat exchange again: each got a heartbeat from
   * the master since `since`, and the master heard from each within 1.5 s.
   */
  const healthy = async (ids: string[], timeoutMs = 30000, since = Date.now()): Promise<number> => {
    const start = Date.now();
    for (;;) {
      const s = await slaves().catch(() => ({}) as Record<string, { lastHeartbeat: number }>);
      const exchanging = ids.every((id) => monitor.lastHeard(id) >= since);
      if (exchanging && ids.every((id) => s[id] && s[id].lastHeartbeat < 1.5)) return Date.now() - since;
      assert.ok(Date.now() - start < timeoutMs, `not healthy after ${timeoutMs} ms: ${JSON.stringify(s)}`);
      await delay(100);
    }
  };
  const alive = (): void =>
    assert.equal(red.proc.child.exitCode, null, `node-red died: ${red.proc.stderr()}`);
  const ALL = ['4142', '4243', '4344'];

  before(async () => {
    pty = await openPtyPair(dir);
    sim = await attachSerialSim(pty.a, SLAVES);
    monitor.watch(sim.bus);
    const listenPort = await freePort();
    red = await startNodeRed(
      apiFlow({
        transport: 'serial',
        serialPort: pty.b,
        listenPort,
        listenHost: '127.0.0.1',
        wiringMaxAmpsAllTWCs: LIMITS.all,
        wiringMaxAmpsPerTWC: LIMITS.per,
        minAmpsPerTWC: LIMITS.min,
      }),
      { extraSettings: PERSISTENT },
    );
    api = red.url;
    record('initial link of 3 TWCs (ms)', String(await healthy(ALL)));
    const a = await request(api, 'POST', '/api/chargeNow', {
      body: '{"chargeNowRate": 80, "chargeNowDuration": 86400}',
    });
    assert.equal(a.status, 200);
  });

  after(async () => {
    await red?.stop();
    await sim?.close();
    await pty?.close();
    fs.mkdirSync(path.join(ROOT, 'test-output'), { recursive: true });
    fs.writeFileSync(
      path.join(ROOT, 'test-output', SOAK ? 'soak-figures.json' : 'fault-figures.json'),
      JSON.stringify({ ...figures, heartbeatsChecked: monitor.heartbeats }, null, 2),
    );
  });

  afterEach(() => {
    alive();
    assert.deepEqual(monitor.violations, [], 'no offer above the limits at any instant');
  });

  it('the serial device vanishes and comes back: reported, reopened, relinked', async () => {
    for (let round = 0; round < (SOAK ? 10 : 1); round++) {
      await sim.close();
      await pty.close();
      await delay(2000);
      // Meanwhile the API answers, and tells why the bus is down.
      const s = (await (await fetch(`${api}api/getSlaveTWCs`)).json()) as object;
      assert.ok(s);
      pty = await openPtyPair(dir);
      sim = await attachSerialSim(pty.a, SLAVES);
      monitor.watch(sim.bus);
      record(
        `serial port back → 3 TWCs answering again, round ${round + 1} (ms)`,
        String(await healthy(ALL)),
      );
    }
  });

  it('a slave falls silent: dropped after the timeout, the others unaffected; back, it relinks', async () => {
    const silent = sim.bus.slaves.findIndex((s) => s.id === 0x4344);
    const [gone] = sim.bus.slaves.splice(silent, 1);
    assert.ok(gone);
    const since = Date.now();
    for (;;) {
      const s = await slaves();
      assert.ok(s['4142'].lastHeartbeat < 1.5 && s['4243'].lastHeartbeat < 1.5, 'the others keep answering');
      if (!('4344' in s)) break;
      assert.ok(Date.now() - since < 40000, 'dropped within the timeout');
      await delay(250);
    }
    record('silent TWC dropped after (ms)', String(Date.now() - since));
    sim.bus.slaves.push(new SimulatedSlave(SLAVES[2]));
    record('silent TWC back → relinked (ms)', String(await healthy(ALL, 40000)));
  });

  it('a million garbage bytes between frames: skipped, counted, and the bus keeps working', async () => {
    const total = SOAK ? 10_000_000 : 1_000_000;
    let seed = 7;
    const started = Date.now();
    for (let sent = 0; sent < total; sent += 8192) {
      const bytes = new Uint8Array(Math.min(8192, total - sent));
      for (let i = 0; i < bytes.length; i++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        bytes[i] = seed >>> 23;
      }
      await sim.inject(bytes);
    }
    const injected = Date.now();
    record(`${total / 1e6} M garbage bytes injected in (ms)`, String(injected - started));
    // Healthy again means every TWC answered a heartbeat after the last garbage byte went out.
    for (;;) {
      const st = await slaves();
      const since = (Date.now() - injected) / 1000;
      if (ALL.every((id) => st[id] && st[id].lastHeartbeat < since)) break;
      assert.ok(since < 30, 'the bus recovers from the garbage');
      await delay(100);
    }
    record('after the garbage → 3 TWCs answering (ms)', String(Date.now() - injected));
  });

  it('the API bad-input battery from 200 concurrent clients: every one answered, no setting lost', async () => {
    const battery = [
      ['POST', '/api/chargeNow', ''],
      ['POST', '/api/chargeNow', '{"chargeNowRate": -1, "chargeNowDuration": 60}'],
      ['POST', '/api/chargeNow', '{"chargeNowRate": "x", "chargeNowDuration": 60}'],
      ['POST', '/api/chargeNow', '[1,2,3]'],
      ['POST', '/api/chargeNow', '{'.repeat(5000)],
      ['POST', '/api/addConsumptionOffset', '{"offsetName":"a/b","offsetValue":1,"offsetUnit":"W"}'],
      ['POST', '/api/setSetting', '{"setting":"nonScheduledAmpsMax","value":-5}'],
      ['POST', '/api/setScheduledChargingSettings', '{"amps":"many"}'],
      ['POST', '/api/sendStopCommand', '{"TWCID":"zzzz"}'],
      ['GET', '/api/nope', undefined],
      // Values beyond the range table (docs/api.md §4.11): refused, never accepted and lost at a restart.
      ['POST', '/api/chargeNow', '{"chargeNowRate": 1000, "chargeNowDuration": 60}'],
      ['POST', '/api/chargeNow', '{"chargeNowRate": 16, "chargeNowDuration": 1000000000000}'],
      ['POST', '/api/setScheduledChargingSettings', '{"flexBatterySize": 5000}'],
      ['POST', '/api/setSetting', '{"setting":"scheduledAmpsBatterySize","value":5000}'],
      // Names every object has, and a body whose own __proto__ must stay data.
      ['POST', '/api/setSetting', '{"setting":"__proto__","value":"x"}'],
      ['POST', '/api/setSetting', '{"setting":"constructor","value":"x"}'],
      ['POST', '/api/setSetting', '{"setting":"toString","value":1}'],
      ['POST', '/api/setSetting', '{"__proto__":{"setting":"chargeNowAmps"},"value":0}'],
      ['POST', '/api/addConsumptionOffset', '{"offsetName":"__proto__","offsetValue":1,"offsetUnit":"W"}'],
      ['POST', '/api/addConsumptionOffset', '{"offsetName":"x","offsetValue":1e9,"offsetUnit":"W"}'],
      ['POST', '/api/deleteConsumptionOffset', '{"offsetName":"toString"}'],
      // Free-form settings over their size bounds (a 50 kB value is still within the 64 kB body limit).
      ['POST', '/api/setSetting', `{"setting":"${'n'.repeat(65)}","value":"x"}`],
      ['POST', '/api/setSetting', `{"setting":"k","value":"${'v'.repeat(4097)}"}`],
      ['POST', '/api/setSetting', `{"setting":"k","value":"${'v'.repeat(50_000)}"}`],
    ] as const;
    const clients = SOAK ? 2000 : 200;
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: clients }, async (_, i) => {
        const [method, p, body] = battery[i % battery.length];
        const t = Date.now();
        const a = await request(api, method, p, { body, timeoutMs: 20000 });
        return {
          what: `${method} ${p} ${String(body).slice(0, 60)}`,
          status: a.status,
          text: a.text,
          ms: Date.now() - t,
        };
      }),
    );
    for (const a of answers) {
      assert.ok(a.status === 400 || a.status === 404, `${a.what}: status ${a.status}`);
      // An unknown path on Node-RED's own port is express's 404 page: no flow route answers it.
      if (a.what.startsWith('GET /api/nope')) continue;
      let reason: unknown;
      try {
        reason = (JSON.parse(a.text) as { error?: unknown }).error;
      } catch {
        reason = undefined;
      }
      assert.ok(typeof reason === 'string' && reason !== '', `${a.what}: a JSON reason, got ${a.text}`);
    }
    const ms = answers.map((a) => a.ms).sort((x, y) => x - y);
    record(`${clients} concurrent bad requests: all answered in (ms)`, String(Date.now() - started));
    record(
      `${clients} concurrent bad requests: p99 latency (ms)`,
      String(ms[Math.ceil(ms.length * 0.99) - 1]),
    );
    const st = (await request(api, 'GET', '/api/getStatus')).json() as Record<string, unknown>;
    assert.equal(st.currentPolicy, 'Charge Now');
    assert.equal(st.chargeNowAmps, 80, 'no setting lost');
    assert.equal(
      st.ScheduledCharging && (st.ScheduledCharging as { flexBatterySize: number }).flexBatterySize,
      100,
    );
    assert.deepEqual(
      (await request(api, 'GET', '/api/getConsumptionOffsets')).json(),
      {},
      'no offset stored',
    );
    await healthy(ALL);
  });

  it('redeploys: the port is released and reopened each time, nothing leaks', async () => {
    const count = SOAK ? 50 : 5;
    const flows = JSON.parse(fs.readFileSync(path.join(red.userDir, 'flows.json'), 'utf8')) as unknown[];
    const fds = (): number => fs.readdirSync(`/proc/${red.proc.child.pid}/fd`).length;
    const before = fds();
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const deployed = Date.now();
      const res = await fetch(`${red.url}flows`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
        body: JSON.stringify(flows),
      });
      assert.ok(res.ok);
      times.push(await healthy(ALL, 30000, deployed));
    }
    record(`redeploy → 3 TWCs answering again, worst of ${count} (ms)`, String(Math.max(...times)));
    const after = fds();
    record(`open file descriptors before / after ${count} redeploys`, `${before} / ${after}`);
    assert.ok(after <= before + 2, `descriptors ${before} → ${after}`);
    const st = (await request(api, 'GET', '/api/getStatus')).json() as Record<string, unknown>;
    assert.equal(st.chargeNowAmps, 80, 'charge-now survives redeploys');
  });

  it('a restart: charge-now back on the wire without a new command', async () => {
    const port = red.port;
    const userDir = red.userDir;
    await red.stop();
    const stopped = Date.now();
    const before = monitor.heartbeats;
    red = await startNodeRed(null, { userDir, port, extraSettings: PERSISTENT });
    await healthy(ALL);
    for (;;) {
      const s = (await request(api, 'GET', '/api/getSlaveTWCs')).json() as {
        total: { lastAmpsOffered: number };
      };
      if (s.total.lastAmpsOffered > 0 && monitor.heartbeats > before) break;
      assert.ok(Date.now() - stopped < 30000);
      await delay(100);
    }
    record('restart (stop → charge-now amps on the wire again) (ms)', String(Date.now() - stopped));
    const st = (await request(api, 'GET', '/api/getStatus')).json() as Record<string, unknown>;
    assert.equal(st.currentPolicy, 'Charge Now');
  });
});
