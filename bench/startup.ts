import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { apiFlow } from '../test/api/example-flow';
import { NODE_BIN, RED_JS } from '../test/support/node-red';
import { freePort, ROOT } from '../test/support/node-red-process';
import { delay, openPtyPair, startProcess, type RunningProcess } from '../test/support/pty';
import { startTwcSim } from '../test/support/twc-sim';
import type { Row } from './bus-timing';
import { fmt, percentile } from './stats';

const median = (xs: number[]): number => percentile(xs, 50);

/** Polls `url` every 10 ms until it answers 200; the ms since `t0`. */
async function firstAnswer(url: string, t0: number, timeoutMs = 60000): Promise<number> {
  for (;;) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs) throw new Error(`${url} did not answer`);
    await delay(10);
  }
}

/** Ends a process and the group it leads (npm start → node scripts/demo.js → node-red). */
async function endGroup(child: ReturnType<typeof spawn>): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGTERM');
  await Promise.race([exited, delay(10000)]);
}

/**
 * `npm start` on a built checkout until its API answers, against plain `node-red` started on the very user
 * dir (flow and settings) that `npm start` wrote, until the same API answers.
 */
async function demoVsPlain(trials: number): Promise<Row[]> {
  const demo: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < trials; i++) {
    const [listenPort, uiPort] = [await freePort(), await freePort()];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twc-bench-demo-'));
    const api = `http://127.0.0.1:${listenPort}/api/getStatus`;
    let t0 = Date.now();
    const child = spawn(
      'npm',
      ['start', '--', '--listen-port', String(listenPort), '--ui-port', String(uiPort)],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          PATH: `${path.dirname(NODE_BIN)}${path.delimiter}${process.env.PATH ?? ''}`,
          TWC_DEMO_DIR: dir,
        },
        detached: true,
        stdio: 'ignore',
      },
    );
    demo.push(await firstAnswer(api, t0));
    await endGroup(child);
    t0 = Date.now();
    const red = startProcess(NODE_BIN, [
      RED_JS,
      '--userDir',
      dir,
      '--settings',
      path.join(dir, 'settings.js'),
    ]);
    plain.push(await firstAnswer(api, t0));
    await red.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return [
    {
      name: `npm start (built checkout) → first API answer, median of ${trials} (ms)`,
      value: fmt(median(demo), 0),
      baseline: `${fmt(median(plain), 0)} (plain node-red, same flow)`,
      ratio: fmt(median(demo) / median(plain), 2),
    },
  ];
}

/**
 * The ms (from `t0`) of the first line twc-sim --verbose printed that matches `re` and comes after `after`
 * ms (the units also announce themselves when twc-sim starts, before the master does).
 */
function simTime(out: string, re: RegExp, t0: number, after = Number.NEGATIVE_INFINITY): number {
  for (const line of out.split('\n')) {
    if (!re.test(line)) continue;
    const t = Date.parse(line.slice(0, line.indexOf(' '))) - t0;
    if (t > after) return t;
  }
  return Number.NaN;
}

interface Timeline {
  flowsStarted: number;
  linkReady: number;
  announced: number;
  heartbeat: number;
}

/** Starts node-red with `flows` (info logging) and resolves with the ms from spawn to "Started flows". */
async function startLogged(
  flows: unknown[],
): Promise<{ red: RunningProcess; t0: number; started: Promise<number>; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twc-bench-start-'));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'flows.json'), JSON.stringify(flows));
  fs.writeFileSync(
    path.join(dir, 'settings.js'),
    `module.exports = { uiHost: '127.0.0.1', uiPort: ${port}, flowFile: 'flows.json', credentialSecret: false,
  nodesDir: [${JSON.stringify(ROOT)}], editorTheme: { tours: false, palette: { catalogues: [] } },
  externalModules: { palette: { allowInstall: false } }, telemetry: { enabled: false },
  logging: { console: { level: 'info' } } };\n`,
  );
  const t0 = Date.now();
  const red = startProcess(NODE_BIN, [RED_JS, '--userDir', dir, '--settings', path.join(dir, 'settings.js')]);
  const started = new Promise<number>((resolve) => {
    const seen = (d: Buffer): void => {
      if (d.toString().includes('Started flows')) {
        red.child.stdout!.off('data', seen);
        resolve(Date.now() - t0);
      }
    };
    red.child.stdout!.on('data', seen);
  });
  return { red, t0, started, dir };
}

/**
 * Where the first heartbeat's time goes: node-red spawned → flows started → our first link-ready on the wire
 * → the first unit's announcement → our first heartbeat, on a socat pty with twc-sim and two units.
 */
async function heartbeatTimeline(trials: number): Promise<Row[]> {
  const ours: Timeline[] = [];
  const bare: number[] = [];
  for (let i = 0; i < trials; i++) {
    const pty = await openPtyPair();
    const sim = startTwcSim(pty.a, { slaves: ['4142:80', '4243:32'] }, ['--verbose']);
    await delay(500);
    const run = await startLogged(
      apiFlow({
        transport: 'serial',
        serialPort: pty.b,
        listenPort: await freePort(),
        listenHost: '127.0.0.1',
      }),
    );
    const flowsStarted = await run.started;
    for (let t = 0; t < 100 && !/rx masterHeartbeat/.test(sim.stdout()); t++) await delay(50);
    const out = sim.stdout();
    const linkReady = simTime(out, / rx masterLinkReady1 /, run.t0);
    ours.push({
      flowsStarted,
      linkReady,
      announced: simTime(out, / tx slaveLinkReady /, run.t0, linkReady),
      heartbeat: simTime(out, / rx masterHeartbeat /, run.t0),
    });
    await run.red.kill();
    await sim.kill();
    await pty.close();
    fs.rmSync(run.dir, { recursive: true, force: true });
    // The same Node-RED with no flow at all: what Node-RED's own start costs.
    const empty = await startLogged([]);
    bare.push(await empty.started);
    await empty.red.kill();
    fs.rmSync(empty.dir, { recursive: true, force: true });
  }
  const m = (f: (t: Timeline) => number): number => median(ours.map(f));
  const n = `median of ${trials}`;
  return [
    {
      name: `node-red spawned → flows started, example flow on a pty, ${n} (ms)`,
      value: fmt(
        m((t) => t.flowsStarted),
        0,
      ),
      baseline: `${fmt(median(bare), 0)} (no flow, no package in use)`,
      ratio: fmt(m((t) => t.flowsStarted) / median(bare), 2),
    },
    {
      name: 'flows started → our first link-ready on the wire (ms)',
      value: fmt(
        m((t) => t.linkReady - t.flowsStarted),
        0,
      ),
      baseline: '—',
      ratio: '—',
    },
    {
      name: 'first link-ready → first unit announces (ms)',
      value: fmt(
        m((t) => t.announced - t.linkReady),
        0,
      ),
      baseline: '600 (protocol: a unit answers the 2nd FB E2)',
      ratio: '—',
    },
    {
      name: 'announcement → our first heartbeat (ms)',
      value: fmt(
        m((t) => t.heartbeat - t.announced),
        0,
      ),
      baseline: '—',
      ratio: '—',
    },
    {
      name: 'flows started → first heartbeat (ms)',
      value: fmt(
        m((t) => t.heartbeat - t.flowsStarted),
        0,
      ),
      baseline: '1300 (TWCManager, issue 15)',
      ratio: fmt(m((t) => t.heartbeat - t.flowsStarted) / 1300, 2),
    },
    {
      name: 'node-red spawned → first heartbeat (ms)',
      value: fmt(
        m((t) => t.heartbeat),
        0,
      ),
      baseline: `${fmt(median(bare), 0)} (bare Node-RED up)`,
      ratio: fmt(m((t) => t.heartbeat) / median(bare), 2),
    },
  ];
}

/** `npm run bench` with BENCH_ONLY=startup: the start-up figures of BENCHMARKS.md. */
export async function benchStartup(trials: number): Promise<Row[]> {
  return [...(await demoVsPlain(trials)), ...(await heartbeatTimeline(trials))];
}
