import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { apiFlow } from '../test/api/example-flow';
import { request } from '../test/support/http-client';
import { freePort, ROOT, startNodeRed, type NodeRedProcess } from '../test/support/node-red-process';
import { delay, openPtyPair, startProcess, waitFor, type RunningProcess } from '../test/support/pty';
import type { Row } from './bus-timing';
import { load, type LoadResult } from './http-load';
import { fmt, percentile } from './stats';

const SIM = path.join(ROOT, 'bin', 'twc-sim.js');
const ratio = (a: number, b: number): string => fmt(a / b, 2);

/** Heartbeats the simulator saw, with its own timestamps: `2026-…Z rx masterHeartbeat {…}`. */
function heartbeats(output: string): { at: number; receiver: number; amps: number }[] {
  const out: { at: number; receiver: number; amps: number }[] = [];
  for (const line of output.split('\n')) {
    const m = /^(\S+) rx masterHeartbeat (\{.*\})$/.exec(line);
    if (!m) continue;
    const msg = JSON.parse(m[2]) as { receiver: number; amps: number };
    out.push({ at: Date.parse(m[1]), receiver: msg.receiver, amps: msg.amps });
  }
  return out;
}

/** p99 of |interval − 1000 ms| per slave, over heartbeats in [from, to). */
function jitter(output: string, from: number, to: number): { p99: number; count: number } {
  const by = new Map<number, number[]>();
  for (const h of heartbeats(output)) {
    if (h.at < from || h.at >= to) continue;
    by.set(h.receiver, [...(by.get(h.receiver) ?? []), h.at]);
  }
  const dev: number[] = [];
  for (const times of by.values())
    for (let i = 1; i < times.length; i++) dev.push(Math.abs(times[i] - times[i - 1] - 1000));
  return { p99: percentile(dev, 99), count: dev.length };
}

function loadRows(label: string, ours: LoadResult, base: LoadResult): Row[] {
  return [
    {
      name: `${label}: requests/s`,
      value: fmt(ours.perSecond, 0),
      baseline: fmt(base.perSecond, 0),
      ratio: ratio(ours.perSecond, base.perSecond),
    },
    {
      name: `${label}: p50 (ms)`,
      value: fmt(ours.p50, 2),
      baseline: fmt(base.p50, 2),
      ratio: ratio(ours.p50, base.p50),
    },
    {
      name: `${label}: p99 (ms)`,
      value: fmt(ours.p99, 2),
      baseline: fmt(base.p99, 2),
      ratio: ratio(ours.p99, base.p99),
    },
  ];
}

/** CPU seconds used and RSS of a process, from /proc. */
function procStats(pid: number): { cpuSeconds: number; rssMB: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return { cpuSeconds: ticks / 100, rssMB: rss / 1024 };
}

async function idleFootprint(
  red: NodeRedProcess,
  seconds: number,
): Promise<{ cpuPercent: number; rssMB: number }> {
  const pid = red.proc.child.pid!;
  const a = procStats(pid);
  await delay(seconds * 1000);
  const b = procStats(pid);
  return { cpuPercent: ((b.cpuSeconds - a.cpuSeconds) / seconds) * 100, rssMB: b.rssMB };
}

export async function benchApi(loadSeconds: number, trials: number, idleSeconds: number): Promise<Row[]> {
  const rows: Row[] = [];
  const pty = await openPtyPair();
  const sim = startProcess(process.execPath, [
    SIM,
    '--device',
    pty.a,
    '--slave',
    '4142:80',
    '--slave',
    '4243:32',
    '--slave',
    '4344:48',
    '--car',
    '4142:32',
    '--car',
    '4243:16',
    '--car',
    '4344:48',
    '--verbose',
  ]);
  const listenPort = await freePort();
  // One extra route answers a constant through Node-RED's own nodes: the floor of any http-in flow.
  const floorRoute = [
    {
      id: 'bench-in',
      type: 'http in',
      z: 'twc-api-tab',
      url: '/bench/constant',
      method: 'get',
      wires: [['bench-set']],
    },
    {
      id: 'bench-set',
      type: 'change',
      z: 'twc-api-tab',
      rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '{"ok":1}', tot: 'json' }],
      wires: [['bench-out']],
    },
    { id: 'bench-out', type: 'http response', z: 'twc-api-tab', statusCode: '', headers: {}, wires: [] },
  ];
  const red = await startNodeRed([
    ...apiFlow({
      transport: 'serial',
      serialPort: pty.b,
      listenPort,
      listenHost: '127.0.0.1',
      wiringMaxAmpsAllTWCs: 80,
      wiringMaxAmpsPerTWC: 80,
    }),
    ...floorRoute,
  ]);
  const api = `http://127.0.0.1:${listenPort}/`;
  let bare: RunningProcess | undefined;
  try {
    for (;;) {
      const s = await request(api, 'GET', '/api/getSlaveTWCs').then(
        (a) => (a.status === 200 ? (a.json() as object) : {}),
        () => ({}),
      );
      if (Object.keys(s).length === 4) break;
      await delay(200);
    }
    await request(api, 'POST', '/api/chargeNow', {
      body: '{"chargeNowRate": 60, "chargeNowDuration": 86400}',
    });
    await delay(3000);

    // The baseline answers the very bodies our API gives, from a bare Node.js http server in its own process.
    const bodies: Record<string, string> = {};
    for (const p of ['/api/getStatus', '/api/getSlaveTWCs']) bodies[p] = (await request(api, 'GET', p)).text;
    const bodiesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'twc-bench-')), 'bodies.json');
    fs.writeFileSync(bodiesFile, JSON.stringify(bodies));
    bare = startProcess(process.execPath, [path.join(__dirname, 'bare-server.js'), bodiesFile]);
    const bareUrl = await waitFor(
      'the bare server',
      10000,
      () => /listening (\S+)/.exec(bare!.stdout())?.[1],
    );

    // Bus jitter with the API idle, then while getStatus is hammered at 4 connections.
    const idleFrom = Date.now();
    await delay(loadSeconds * 1000);
    const idleJitter = jitter(sim.stdout(), idleFrom, Date.now());
    const busyFrom = Date.now();
    const hammer = await load(`${api}api/getStatus`, 4, loadSeconds);
    const busyJitter = jitter(sim.stdout(), busyFrom, Date.now());
    rows.push({
      name: `heartbeat jitter p99 while getStatus runs at ${fmt(hammer.perSecond, 0)}/s (ms)`,
      value: fmt(busyJitter.p99, 1),
      baseline: `${fmt(idleJitter.p99, 1)} (API idle)`,
      ratio: ratio(busyJitter.p99, Math.max(idleJitter.p99, 1)),
    });

    for (const endpoint of ['getStatus', 'getSlaveTWCs']) {
      for (const connections of [4, 64]) {
        const ours = await load(`${api}api/${endpoint}`, connections, loadSeconds);
        const base = await load(`${bareUrl}api/${endpoint}`, connections, loadSeconds);
        rows.push(...loadRows(`GET ${endpoint}, ${connections} connections`, ours, base));
      }
    }
    const floor = await load(`${api}bench/constant`, 4, loadSeconds);
    const floorBase = await load(`${bareUrl}api/getStatus`, 4, loadSeconds);
    rows.push(
      ...loadRows('GET http-in → change → http-response (constant), 4 connections', floor, floorBase),
    );
    const nodeRedPort = await load(`${red.url}api/getStatus`, 4, loadSeconds);
    rows.push({
      name: "GET getStatus on Node-RED's own port, 4 connections: requests/s",
      value: fmt(nodeRedPort.perSecond, 0),
      baseline: '—',
      ratio: '—',
    });

    // Command to wire: POST chargeNow, then the first heartbeat whose offer changed.
    const latencies: number[] = [];
    for (let i = 0; i < trials; i++) {
      const rate = i % 2 ? 60 : 36;
      await delay(1500 + (i % 5) * 137);
      const before = heartbeats(sim.stdout());
      const lastAmps = new Map(before.map((h) => [h.receiver, h.amps]));
      const sentAt = Date.now();
      await request(api, 'POST', '/api/chargeNow', {
        body: JSON.stringify({ chargeNowRate: rate, chargeNowDuration: 86400 }),
      });
      const changed = await waitFor('a heartbeat with the new offer', 5000, () =>
        heartbeats(sim.stdout()).find(
          (h) => h.at >= sentAt && lastAmps.has(h.receiver) && h.amps !== lastAmps.get(h.receiver),
        ),
      );
      latencies.push(Math.max(0, changed.at - sentAt));
    }
    rows.push(
      {
        name: `POST chargeNow → first heartbeat with the new amps, median of ${trials} (ms)`,
        value: fmt(percentile(latencies, 50), 0),
        baseline: '1000 (1 period)',
        ratio: ratio(percentile(latencies, 50), 1000),
      },
      {
        name: `POST chargeNow → first heartbeat with the new amps, max of ${trials} (ms)`,
        value: fmt(Math.max(...latencies), 0),
        baseline: '1000 (1 period)',
        ratio: ratio(Math.max(...latencies), 1000),
      },
    );
  } finally {
    await bare?.kill();
    await red.stop();
    await sim.kill();
    await pty.close();
  }

  // Footprint: Node-RED with our package and three simulated TWCs against bare Node-RED, side by side.
  const ours = await startNodeRed(
    apiFlow({
      simulatedSlaves: '4142:80:32,4243:32:16,4344:48:48',
      listenPort: await freePort(),
      listenHost: '127.0.0.1',
    }),
  );
  const plain = await startNodeRed([], { extraSettings: '' });
  try {
    await delay(5000);
    const [a, b] = await Promise.all([idleFootprint(ours, idleSeconds), idleFootprint(plain, idleSeconds)]);
    rows.push(
      {
        name: 'idle CPU, Node-RED + our package + 3 simulated TWCs (%)',
        value: fmt(a.cpuPercent, 2),
        baseline: `${fmt(b.cpuPercent, 2)} (bare Node-RED)`,
        ratio: b.cpuPercent > 0 ? ratio(a.cpuPercent, b.cpuPercent) : '—',
      },
      {
        name: 'RSS (MB)',
        value: fmt(a.rssMB, 1),
        baseline: `${fmt(b.rssMB, 1)} (bare Node-RED)`,
        ratio: ratio(a.rssMB, b.rssMB),
      },
      {
        name: 'RSS added over bare Node-RED (MB)',
        value: fmt(a.rssMB - b.rssMB, 1),
        baseline: '—',
        ratio: '—',
      },
    );
  } finally {
    await ours.stop();
    await plain.stop();
  }
  return rows;
}
