import assert from 'node:assert/strict';
import * as path from 'node:path';
import { SerialPort } from 'serialport';
import { delay, openPtyPair, startProcess, waitFor, type PtyPair, type RunningProcess } from '../support/pty';
import { startTwcSim } from '../support/twc-sim';

const root = path.resolve(__dirname, '..', '..', '..');
const MASTER = path.join(root, 'test', 'e2e', 'independent_master.py');

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
    sim = startTwcSim(pty.a, {}, simArgs);
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

  it('--noise puts garbage on the wire that the master counts, and every heartbeat is still answered', async () => {
    const args = ['--duration', '8', '--offers', '16'];
    const quiet = await drive(['--slave', '4142:80', '--car', '4142:32', '--seed', '1'], args);
    const noisy = await drive(
      ['--slave', '4142:80', '--car', '4142:32', '--seed', '1', '--noise', '300'],
      args,
    );
    assert.ok(quiet.garbageBytes < 50, `${quiet.garbageBytes} garbage bytes without noise`);
    // About 300 B/s for the ten seconds the master listens; half of that is plenty to tell.
    assert.ok(noisy.garbageBytes > 1500, `${noisy.garbageBytes} garbage bytes with --noise 300`);
    assert.deepEqual(
      noisy.slaves.map((s) => s.id),
      ['4142'],
    );
    const [s] = noisy.slaves;
    assert.ok(s.heartbeats >= 7, `${s.heartbeats} heartbeats`);
    assert.equal(s.unanswered, 0, 'noise never lands inside a frame');
    assert.ok(s.replies.every((r) => r.actual <= r.offer));
  });

  it('--doubled-replies answers each heartbeat twice, and --second-master heartbeats the slave', async () => {
    const pty = await openPtyPair();
    const sim = startTwcSim(pty.a, { slaves: ['4142:80'] }, [
      ...['--doubled-replies', '4142', '--second-master', '7878:2', '--seed', '3'],
    ]);
    const port = new SerialPort({ path: pty.b, baudRate: 9600, autoOpen: false });
    const received: number[] = [];
    try {
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
      port.on('data', (chunk: Buffer) => received.push(...chunk));
      await waitFor('the link-ready of 4142', 5000, () =>
        messagesIn(received).some((m) => hex(m).startsWith('FD E2 41 42')),
      );
      // TV5 of docs/protocol.md §8.1: a 32 A protocol 2 heartbeat from 7777 to 4142.
      const tv5 = Buffer.from('C0FBE077774142090C80000000000000E6C0', 'hex');
      for (let i = 0; i < 3; i++) {
        port.write(tv5);
        await delay(1000);
      }
      await delay(500);
    } finally {
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
      await sim.kill();
      await pty.close();
    }
    const messages = messagesIn(received).map(hex);
    const toUs = messages.filter((m) => m.startsWith('FD E0 41 42 77 77'));
    assert.equal(toUs.length, 6, `replies to our 3 heartbeats:\n${toUs.join('\n')}`);
    for (let i = 0; i < 6; i += 2) assert.equal(toUs[i], toUs[i + 1], 'the two copies are identical');
    const rogueHeartbeats = messages.filter((m) => m.startsWith('FB E0 78 78 41 42'));
    const toRogue = messages.filter((m) => m.startsWith('FD E0 41 42 78 78'));
    assert.ok(
      messages.some((m) => m.startsWith('FC E1 78 78')),
      'the second master sends link-ready',
    );
    assert.ok(rogueHeartbeats.length >= 3, `${rogueHeartbeats.length} heartbeats from 7878`);
    assert.equal(
      toRogue.length,
      2 * rogueHeartbeats.length,
      'the slave answers the second master too, twice',
    );
  });

  it('refuses a bad fault value with a usage error and exit code 2', async () => {
    const p = startTwcSim('/dev/null', { slaves: ['4142:80'] }, ['--loss', '4142:2']);
    assert.equal(await p.exit(10000), 2);
    assert.match(p.stderr(), /--loss 4142:2: "2" must be a probability from 0 to 1/);
    assert.match(p.stderr(), /Usage: twc-sim/);
  });
});

/**
 * The messages in a byte stream, by the recommended rule of docs/protocol.md §2.5 written out here on its
 * own: every C0 ends a candidate; keep those that unescape cleanly and whose checksum matches.
 */
function messagesIn(stream: number[]): number[][] {
  const out: number[][] = [];
  let candidate: number[] | undefined;
  for (const b of stream) {
    if (b === 0xc0) {
      const m = candidate && unescape(candidate);
      if (m && m.length >= 13 && m.slice(1, -1).reduce((a, x) => a + x, 0) % 256 === m[m.length - 1])
        out.push(m);
      candidate = [];
    } else candidate?.push(b);
  }
  return out;
}

function unescape(raw: number[]): number[] | undefined {
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== 0xdb) {
      out.push(raw[i]);
      continue;
    }
    const next = raw[++i];
    if (next === 0xdc) out.push(0xc0);
    else if (next === 0xdd) out.push(0xdb);
    else return undefined;
  }
  return out;
}

const hex = (m: number[]): string => m.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
