import assert from 'node:assert/strict';
import * as path from 'node:path';
import { openPtyPair, startProcess, type PtyPair, type RunningProcess } from '../support/pty';

const root = path.resolve(__dirname, '..', '..', '..');
const MASTER = path.join(root, 'test', 'e2e', 'independent_master.py');
const SIM = path.join(root, 'bin', 'twc-sim.js');

interface Reply {
  offer: number;
  state: number;
  limit: number;
  actual: number;
  bytes: number;
}
interface Report {
  slaves: {
    id: string;
    maxAmps: number;
    version: number;
    heartbeats: number;
    replies: Reply[];
    unanswered: number;
  }[];
  checksumErrors: number;
  garbageBytes: number;
  inFlightAtEnd: string[];
}

async function drive(simArgs: string[], masterArgs: string[]): Promise<Report> {
  const pty: PtyPair = await openPtyPair();
  let sim: RunningProcess | undefined;
  try {
    sim = startProcess(process.execPath, [SIM, '--device', pty.a, ...simArgs]);
    const master = startProcess('python3', [MASTER, '--device', pty.b, ...masterArgs]);
    const code = await master.exit(40000);
    assert.equal(code, 0, `independent master failed: ${master.stderr()}`);
    assert.equal(sim.child.exitCode, null, `twc-sim ended early: ${sim.stderr()}`);
    return JSON.parse(master.stdout()) as Report;
  } finally {
    await sim?.kill();
    await pty.close();
  }
}

describe('twc-sim over a socat pty, driven by an independent master (Python)', function () {
  this.timeout(60000);

  it('the independent master passes its own framing self-test', async () => {
    const p = startProcess('python3', [MASTER, '--self-test']);
    assert.equal(await p.exit(10000), 0, p.stdout());
  });

  it('links, answers every heartbeat, and never draws more than offered', async () => {
    const report = await drive(
      ['--slave', '4142:80', '--car', '4142:32'],
      ['--duration', '14', '--offers', '32,16,24,0,20', '--offer-every', '3'],
    );
    assert.equal(report.checksumErrors, 0);
    assert.equal(report.slaves.length, 1);
    const [s] = report.slaves;
    assert.deepEqual(
      [s.id, s.maxAmps, s.version],
      ['4142', 80, 2],
      'link-ready announcing 80.00 A, protocol 2',
    );
    assert.ok(s.heartbeats >= 12, `${s.heartbeats} heartbeats`);
    assert.equal(s.unanswered, 0, 'a reply to every heartbeat');
    assert.equal(s.replies.length, s.heartbeats - report.inFlightAtEnd.length);
    for (const r of s.replies) {
      assert.ok(r.actual <= r.offer, `actual ${r.actual} A above the offer ${r.offer} A`);
      assert.equal(r.bytes, 16);
    }
    assert.ok(
      s.replies.some((r) => r.offer === 32 && r.actual > 5),
      'the car really charged',
    );
    assert.ok(
      s.replies.some((r) => r.offer === 0 && r.state === 3 && r.actual === 0),
      'a 0 A offer stops the car',
    );
  });

  it('speaks the 14-byte protocol 1 forms with --protocol 1', async () => {
    const report = await drive(
      ['--slave', '4142:32', '--slave', '4243:40', '--car', '4243:16', '--protocol', '1'],
      ['--duration', '6', '--offers', '16'],
    );
    assert.equal(report.checksumErrors, 0);
    assert.deepEqual(report.slaves.map((s) => [s.id, s.maxAmps, s.version]).sort(), [
      ['4142', 32, 1],
      ['4243', 40, 1],
    ]);
    for (const s of report.slaves) {
      assert.equal(s.unanswered, 0);
      assert.ok(s.replies.length >= 4);
      for (const r of s.replies) {
        assert.equal(r.bytes, 14);
        assert.ok(r.actual <= r.offer);
      }
    }
  });
});
