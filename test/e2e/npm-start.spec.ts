import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { request } from '../support/http-client';
import { startDemo, type Demo } from '../support/demo';
import { NODE_BIN } from '../support/node-red';
import { ROOT } from '../support/node-red-process';
import { delay, openPtyPair, stopAll, waitFor, type PtyPair, type RunningProcess } from '../support/pty';
import { startTwcSim } from '../support/twc-sim';

/** A master heartbeat as twc-sim --verbose prints it: `… rx masterHeartbeat {"sender":…,"amps":…}`. */
function heartbeatsTo(output: string, id: number): { line: number; amps: number }[] {
  const out: { line: number; amps: number }[] = [];
  output.split('\n').forEach((l, line) => {
    const m = / rx masterHeartbeat (\{.*\})$/.exec(l);
    if (!m) return;
    // twc-sim prints TWCIDs as four hex digits.
    const msg = JSON.parse(m[1]) as { receiver: string; amps: number };
    if (parseInt(msg.receiver, 16) === id) out.push({ line, amps: msg.amps });
  });
  return out;
}

describe('npm start -- --serial <pty>, with twc-sim on the other end', function () {
  this.timeout(180000);
  let pty: PtyPair | undefined;
  let sim: RunningProcess | undefined;
  let demo: Demo | undefined;

  after(() => stopAll(demo, sim, pty));

  it('starts the demo on the real serial path and drives a chargeNow through to the heartbeat on the wire', async () => {
    pty = await openPtyPair();
    sim = startTwcSim(pty.a, { slaves: ['4142:80'], cars: ['4142:32'] }, ['--verbose']);
    demo = await startDemo([
      '--serial',
      pty.b,
      '--wiring-max-amps-all-twcs',
      '60',
      '--wiring-max-amps-per-twc',
      '40',
      '--min-amps-per-twc',
      '10',
    ]);
    const { api, listenPort, uiPort } = demo;
    const demoOut = demo.output();
    assert.match(demoOut, /TWC demo is running on /);
    assert.match(demoOut, new RegExp(`Node-RED editor +http://127\\.0\\.0\\.1:${uiPort}/`));
    assert.match(demoOut, new RegExp(`TWCManager API +http://127\\.0\\.0\\.1:${listenPort}/api/getStatus`));
    const flows = JSON.parse(fs.readFileSync(path.join(demo.dir, 'flows.json'), 'utf8')) as Record<
      string,
      unknown
    >[];
    const bus = flows.find((n) => n.type === 'twc-master')!;
    assert.deepEqual(
      [bus.transport, bus.serialPort, bus.wiringMaxAmpsAllTWCs, bus.wiringMaxAmpsPerTWC, bus.minAmpsPerTWC],
      ['serial', pty.b, 60, 40, 10],
      'the wiring limits given on the command line, each in its own field',
    );

    // The simulated TWC links through the real serial port.
    for (;;) {
      const slaves = (await request(api, 'GET', '/api/getSlaveTWCs')).json() as Record<string, unknown>;
      if ('4142' in slaves) break;
      await delay(200);
    }
    const before = sim.stdout().split('\n').length;
    const posted = Date.now();
    const a = await request(api, 'POST', '/api/chargeNow', {
      body: '{"chargeNowRate": "20", "chargeNowDuration": 600}',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
    });
    assert.deepEqual([a.status, a.json()], [200, { status: 'success', rate: 20, duration: 600 }]);
    const seen = await waitFor('a heartbeat offering 20 A to 4142', 10000, () =>
      heartbeatsTo(sim!.stdout(), 0x4142).find((h) => h.line >= before && h.amps === 20),
    );
    const latency = Date.now() - posted;
    assert.ok(seen);
    assert.ok(latency < 10000, `took ${latency} ms`);
    const s = (await request(api, 'GET', '/api/getStatus')).json() as Record<string, unknown>;
    assert.equal(s.currentPolicy, 'Charge Now');
    const deadline = Date.now() + 10000;
    for (;;) {
      const twc = (
        (await request(api, 'GET', '/api/getSlaveTWCs')).json() as Record<string, { lastAmpsOffered: number }>
      )['4142'];
      if (twc.lastAmpsOffered === 20) break;
      assert.ok(Date.now() < deadline, `lastAmpsOffered stays ${twc.lastAmpsOffered}`);
      await delay(200);
    }
  });
});

/** `npm start -- <args>` that must stop before starting anything: its exit code and what it printed. */
function refusedStart(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('npm', ['start', '--silent', '--', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.dirname(NODE_BIN)}${path.delimiter}${process.env.PATH ?? ''}` },
    timeout: 60000,
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('npm start: the wiring limits for real hardware', function () {
  this.timeout(120000);
  let demo: Demo | undefined;
  after(() => stopAll(demo));

  it('--serial without the three wiring limits is a usage error naming the missing ones, before any build', () => {
    const none = refusedStart(['--serial', '/dev/ttyUSB0']);
    assert.equal(none.status, 2, none.out);
    assert.match(
      none.out,
      /real Wall Connectors need their wiring limits: give --wiring-max-amps-all-twcs, --wiring-max-amps-per-twc, --min-amps-per-twc/,
    );
    assert.match(none.out, /usage: npm start/);
    assert.doesNotMatch(none.out, /build:|Welcome to Node-RED/);
    const some = refusedStart(['--serial', '/dev/ttyUSB0', '--wiring-max-amps-all-twcs', '40']);
    assert.equal(some.status, 2, some.out);
    assert.match(some.out, /give --wiring-max-amps-per-twc, --min-amps-per-twc\n/);
    const bad = refusedStart(['--wiring-max-amps-per-twc', '10', '--min-amps-per-twc', '12']);
    assert.equal(bad.status, 2, bad.out);
    assert.match(bad.out, /minAmpsPerTWC \(12\) must not exceed wiringMaxAmpsPerTWC \(10\)/);
  });

  it('takes the limits with the simulator too, and on a built checkout starts without compiling', async () => {
    demo = await startDemo([
      '--wiring-max-amps-all-twcs',
      '40',
      '--wiring-max-amps-per-twc',
      '20',
      '--min-amps-per-twc',
      '8',
    ]);
    assert.match(demo.output(), /TWC demo is running with two simulated Wall Connectors/);
    // The tests run on a built checkout, so the build has nothing to do (scripts/build.js logs each step it runs).
    assert.doesNotMatch(demo.output(), /build: /);
    const config = (await request(demo.api, 'GET', '/api/getConfig')).json() as {
      config: Record<string, number>;
    };
    assert.deepEqual(
      [config.config.wiringMaxAmpsAllTWCs, config.config.wiringMaxAmpsPerTWC, config.config.minAmpsPerTWC],
      [40, 20, 8],
    );
    // The example's units, both linked (a wiring warning comes as a unit links): 20 A is within both.
    for (;;) {
      const slaves = (await request(demo.api, 'GET', '/api/getSlaveTWCs')).json() as Record<string, unknown>;
      if ('4142' in slaves && '4243' in slaves) break;
      await delay(200);
    }
    assert.doesNotMatch(demo.output(), /\[warn\] \[twc-/);
  });
});
