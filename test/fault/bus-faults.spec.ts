import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SimulatedBusOptions } from '../../src/sim/bus';
import type { SimulatedSlaveOptions } from '../../src/sim/slave';
import { seededRandom } from '../../src/sim/random';
import { startDemo, type Demo } from '../support/demo';
import { request } from '../support/http-client';
import { ROOT } from '../support/node-red-process';
import { delay, openPtyPair, type PtyPair } from '../support/pty';
import { attachSerialSim, type SerialSim } from '../support/serial-sim';
import { WireMonitor } from '../support/wire-monitor';

/** `npm run soak` runs every fault far longer. */
const SOAK = process.env.TWC_SOAK === '1';
const PHASE_MS = SOAK ? 120_000 : 8_000;
/** Wiring that tells the limits apart: total, per unit and the units' own maxima all differ. */
const LIMITS = { all: 60, per: 40, min: 12 };
const A = 0x4142;
const B = 0x4243;
const MASTER = 0x7777;
const UNIT_MAX = new Map([
  [A, 80],
  [B, 32],
]);
const healthyUnits = (): SimulatedSlaveOptions[] => [
  { id: A, maxAmps: 80, car: { maxAmps: 48, vin: '' } },
  { id: B, maxAmps: 32, car: { maxAmps: 32, vin: '' } },
];

interface Fault {
  name: string;
  units: (seed: number) => SimulatedSlaveOptions[];
  bus?: SimulatedBusOptions;
  /** What the units really obey or draw can only be kept when nobody else sets their limits. */
  truth: 'obeyed' | 'drawn' | 'none';
  /** A line the node-red log must show for this fault. */
  logs?: RegExp;
}

const faults: Fault[] = [
  {
    name: 'a unit echoing a stale limit',
    units: () => [{ ...healthyUnits()[0], faults: { staleEcho: true } }, healthyUnits()[1]],
    truth: 'obeyed',
  },
  {
    name: 'a unit answering 2 s late',
    units: () => [healthyUnits()[0], { ...healthyUnits()[1], faults: { replyDelayMs: 2000 } }],
    truth: 'obeyed',
  },
  {
    name: 'lost frames (30 % of what the master sends to one unit)',
    units: (seed) => [
      { ...healthyUnits()[0], faults: { lossRate: 0.3 }, random: seededRandom(seed) },
      healthyUnits()[1],
    ],
    truth: 'obeyed',
  },
  {
    name: 'a unit stuck on the master’s own ID, answering every link-ready',
    units: () => [...healthyUnits(), { id: MASTER, maxAmps: 32, faults: { keepsId: true } }],
    truth: 'obeyed',
    logs: /a Wall Connector uses our ID 7777/,
  },
  {
    name: 'a flood of link-ready from random IDs (50/s)',
    units: healthyUnits,
    bus: { linkReadyFlood: { perSecond: 50 } },
    truth: 'obeyed',
  },
  {
    name: 'line noise at full line rate (960 B/s)',
    units: healthyUnits,
    bus: { noise: { bytesPerSecond: 960 } },
    truth: 'obeyed',
  },
  {
    name: 'absurd but valid frames (5/s)',
    units: healthyUnits,
    bus: { absurdFrames: { perSecond: 5 } },
    truth: 'obeyed',
  },
  {
    name: 'a second master on the bus',
    units: healthyUnits,
    bus: { secondMaster: { id: 0x1234, perSecond: 2 } },
    // The rogue master sets the units' limits itself: only ours can be checked.
    truth: 'none',
    logs: /another master \(1234\) is talking on the bus/,
  },
  // Last: an ID taken for shared gets 0 A for a minute after the second answers stop.
  {
    name: 'two units with one TWCID',
    units: () => [...healthyUnits(), { id: A, maxAmps: 80, car: { maxAmps: 16, vin: '' } }],
    // Both obey the one limit, so their limits add up until the master tells them apart; what the
    // breaker sees is what they draw, and they are stopped before their cars ramp up.
    truth: 'drawn',
    logs: /two answers as 4142 to one heartbeat/,
  },
  {
    name: 'doubled replies',
    units: () => [healthyUnits()[0], { ...healthyUnits()[1], faults: { doubledReplies: true } }],
    truth: 'obeyed',
    logs: /two answers as 4243 to one heartbeat/,
  },
];

describe('bus faults: npm start -- --serial against misbehaving Wall Connectors on a pty', function () {
  this.timeout(SOAK ? 3_600_000 : 300_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twc-bus-faults-'));
  const monitor = new WireMonitor(LIMITS, (id) => UNIT_MAX.get(id));
  const figures: Record<string, unknown> = {};
  let pty: PtyPair;
  let sim: SerialSim | undefined;
  let demo: Demo;

  const linked = async (): Promise<string[]> => {
    const a = await request(demo.api, 'GET', '/api/getSlaveTWCs', { timeoutMs: 5000 });
    return Object.keys(a.json() as object).filter((k) => k !== 'total');
  };

  before(async () => {
    pty = await openPtyPair(dir);
    demo = await startDemo([
      '--serial',
      pty.b,
      '--wiring-max-amps-all-twcs',
      String(LIMITS.all),
      '--wiring-max-amps-per-twc',
      String(LIMITS.per),
      '--min-amps-per-twc',
      String(LIMITS.min),
    ]);
    const a = await request(demo.api, 'POST', '/api/chargeNow', {
      body: '{"chargeNowRate": 80, "chargeNowDuration": 86400}',
    });
    assert.equal(a.status, 200);
  });

  after(async () => {
    await sim?.close();
    await demo?.stop();
    await pty?.close();
    fs.mkdirSync(path.join(ROOT, 'test-output'), { recursive: true });
    fs.writeFileSync(
      path.join(ROOT, 'test-output', SOAK ? 'bus-faults-soak.json' : 'bus-faults.json'),
      JSON.stringify({ ...figures, heartbeatsChecked: monitor.heartbeats }, null, 2),
    );
  });

  faults.forEach((fault, i) => {
    it(`${fault.name}: limits kept on the wire, every unit heartbeated about once a second`, async () => {
      await sim?.close();
      sim = await attachSerialSim(pty.a, fault.units(i + 1), { random: seededRandom(100 + i), ...fault.bus });
      monitor.watch(sim.bus);
      // The same units (or their faulty twins) answer the heartbeats of the records the master kept.
      const start = Date.now();
      for (;;) {
        const ids = await linked().catch(() => [] as string[]);
        if (ids.includes('4142') && ids.includes('4243')) break;
        assert.ok(Date.now() - start < 30000, `the units link: ${ids.join(',')}`);
        await delay(200);
      }
      const from = Date.now();
      const truthBreaches: string[] = [];
      const bus = sim.bus;
      const watchTruth = setInterval(() => {
        if (fault.truth === 'none') return;
        const states = bus.slaves.map((s) => s.state);
        const obeyed = states.reduce((t, s) => t + s.offeredAmps, 0);
        const drawn = states.reduce((t, s) => t + s.actualAmps, 0);
        if (fault.truth === 'obeyed' && obeyed > LIMITS.all) truthBreaches.push(`units obey ${obeyed} A`);
        if (drawn > LIMITS.all) truthBreaches.push(`units draw ${drawn} A`);
      }, 20);
      await delay(PHASE_MS);
      clearInterval(watchTruth);
      const cadence = Object.fromEntries(['4142', '4243'].map((id) => [id, monitor.cadence(id, from)]));
      figures[fault.name] = { cadence, drawn: bus.slaves.map((s) => s.state.actualAmps) };
      console.log(`      ${fault.name}: ${JSON.stringify(cadence)}`);
      assert.equal(demo.child.exitCode, null, `npm start died: ${demo.output().slice(-2000)}`);
      assert.deepEqual(monitor.violations, [], 'every heartbeat within the limits');
      assert.deepEqual(truthBreaches.slice(0, 5), [], 'what the units really obey within the total');
      for (const [id, c] of Object.entries(cadence)) {
        assert.ok(c.count >= PHASE_MS / 1200 - 1, `${id}: ${c.count} heartbeats in ${PHASE_MS} ms`);
        assert.ok(c.meanMs <= 1200 && c.maxMs < 5000, `${id}: ${JSON.stringify(c)}`);
      }
      if (fault.logs) assert.match(demo.output(), fault.logs);
    });
  });

  it('after all of it the bus is healthy again and the charge goes on', async () => {
    await sim?.close();
    sim = await attachSerialSim(pty.a, healthyUnits());
    monitor.watch(sim.bus);
    const start = Date.now();
    for (;;) {
      const s = (await request(demo.api, 'GET', '/api/getSlaveTWCs')).json() as Record<
        string,
        { lastAmpsOffered: number }
      >;
      // In force counts what anyone set, the second master's limits too, until the units show ours again.
      const ours = s.total?.lastAmpsOffered <= LIMITS.all;
      if (ours && s['4142']?.lastAmpsOffered > 0 && s['4243']?.lastAmpsOffered > 0) {
        figures['healthy faults → both charging again (ms)'] = Date.now() - start;
        break;
      }
      if (process.env.TWC_DEBUG) console.log(Date.now() - start, JSON.stringify(s));
      assert.ok(Date.now() - start < 90000, `charging again: ${JSON.stringify(s)}`);
      await delay(250);
    }
    assert.deepEqual(monitor.violations, []);
  });
});
