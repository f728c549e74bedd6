import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SystemClock } from '../../src/clock';
import { TwcMaster } from '../../src/master/engine';
import type { MasterHeartbeat, TwcMessage } from '../../src/protocol/messages';
import { SerialTransport } from '../../src/transport/serial-transport';
import { attachSerialSim, type SerialSim } from '../support/serial-sim';
import { delay, openPtyPair, stopAll, waitFor, type PtyPair } from '../support/pty';
import { startTwcSim } from '../support/twc-sim';

const THREE = [
  { id: 0x4142, maxAmps: 80, car: { maxAmps: 32 } },
  { id: 0x4243, maxAmps: 32, car: { maxAmps: 16 } },
  { id: 0x4344, maxAmps: 48, car: { maxAmps: 48 } },
];

function makeMaster(device: string, slaveTimeoutMs = 26000) {
  const clock = new SystemClock();
  const transport = new SerialTransport({ path: device, initialDelayMs: 200, maxDelayMs: 1000 }, clock);
  const master = new TwcMaster({
    transport,
    clock,
    config: {
      wiringMaxAmpsAllTWCs: 90,
      wiringMaxAmpsPerTWC: 48,
      minAmpsPerTWC: 12,
      slaveTimeoutMs,
      spikeAmpsToCancel6ALimit: 0,
    },
  });
  const heartbeats: { at: number; msg: MasterHeartbeat }[] = [];
  master.on('tx', (m: TwcMessage) => {
    if (m.kind === 'masterHeartbeat') heartbeats.push({ at: Date.now(), msg: m });
  });
  return { master, heartbeats, transport };
}

describe('master engine over a socat pty', function () {
  this.timeout(90000);
  let pty: PtyPair | undefined;
  let sim: SerialSim | undefined;
  let master: TwcMaster | undefined;

  afterEach(async () => {
    await stopAll(master, sim, pty);
    [master, sim, pty] = [undefined, undefined, undefined];
  });

  it('links three twc-sim slaves within seconds and moves a change of amps to all of them within one round', async () => {
    pty = await openPtyPair();
    const cli = startTwcSim(pty.a, {
      slaves: ['4142:80', '4243:32', '4344:48'],
      cars: ['4142:32', '4243:16', '4344:48'],
    });
    try {
      const m = makeMaster(pty.b);
      master = m.master;
      master.setAvailableAmps(60);
      const started = Date.now();
      master.start();
      await waitFor('three slaves', 5000, () => master!.snapshot().slaves.length === 3);
      const linkedAfter = Date.now() - started;
      assert.ok(linkedAfter < 5000, `linked after ${linkedAfter} ms`);
      await waitFor('cars charging', 15000, () => master!.snapshot().totals.carsCharging === 3);
      const changedAt = Date.now();
      master.setAvailableAmps(36);
      await delay(1300);
      for (const id of [0x4142, 0x4243, 0x4344]) {
        const first = m.heartbeats.find((h) => h.at >= changedAt && h.msg.receiver === id);
        assert.ok(first, `a heartbeat to ${id.toString(16)}`);
        assert.ok(
          first.at - changedAt <= 1100,
          `reached ${id.toString(16)} after ${first.at - changedAt} ms`,
        );
        assert.equal(first.msg.amps, 12, `${id.toString(16)} gets its 12 A share`);
      }
      const snap = master.snapshot();
      assert.equal(snap.stats.checksumErrors, 0);
      assert.equal(snap.totals.lastAmpsOffered, 36);
    } finally {
      await cli.kill();
    }
  });

  it('drops the slaves after the timeout when the simulator is killed', async () => {
    pty = await openPtyPair();
    const cli = startTwcSim(pty.a, { slaves: ['4142:80', '4243:32'] });
    const m = makeMaster(pty.b, 4000);
    master = m.master;
    const removed: string[] = [];
    master.on('slaveRemoved', (s, why) => removed.push(`${s.TWCID} ${why}`));
    master.start();
    await waitFor('two slaves', 5000, () => master!.snapshot().slaves.length === 2);
    await cli.kill('SIGKILL');
    const killedAt = Date.now();
    await waitFor('slaves dropped', 10000, () => master!.snapshot().slaves.length === 0);
    const after = Date.now() - killedAt;
    assert.ok(after >= 3500 && after < 6500, `dropped after ${after} ms with a 4 s timeout`);
    assert.deepEqual(removed.sort(), ['4142 no answer for 4 s', '4243 no answer for 4 s']);
  });

  it('reopens the port by itself and relinks when the pty is destroyed and made again', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twc-replug-'));
    pty = await openPtyPair(dir);
    sim = await attachSerialSim(pty.a, THREE.slice(0, 2));
    const m = makeMaster(pty.b);
    master = m.master;
    const states: string[] = [];
    master.on('transport', (s) => states.push(s.state));
    master.start();
    await waitFor('two slaves', 5000, () => master!.snapshot().slaves.length === 2);
    await sim.close();
    await pty.close();
    await waitFor('the loss reported', 5000, () => master!.snapshot().transport.state === 'waiting');
    assert.match(master.snapshot().transport.detail, /ttyB|cannot open/);
    await delay(1500);
    pty = await openPtyPair(dir);
    sim = await attachSerialSim(pty.a, THREE.slice(0, 2));
    const back = Date.now();
    await waitFor('port open again', 5000, () => master!.snapshot().transport.state === 'open');
    const hbBefore = m.heartbeats.length;
    await waitFor('heartbeats answered again', 5000, () => {
      const s = master!.snapshot();
      return m.heartbeats.length > hbBefore + 4 && s.slaves.every((x) => x.secondsSinceLastHeartbeat < 1.5);
    });
    assert.ok(Date.now() - back < 6000);
    assert.equal(master.snapshot().stats.reconnects >= 1, true);
    assert.ok(states.includes('waiting') && states.at(-1) === 'open', states.join(','));
  });

  it('survives a million random bytes between frames and keeps the bus working', async () => {
    pty = await openPtyPair();
    sim = await attachSerialSim(pty.a, THREE);
    const m = makeMaster(pty.b);
    master = m.master;
    master.setAvailableAmps(60);
    master.start();
    await waitFor('three slaves', 5000, () => master!.snapshot().slaves.length === 3);
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const total = 1_000_000;
    const chunk = 8192;
    for (let sent = 0; sent < total; sent += chunk) {
      const bytes = new Uint8Array(Math.min(chunk, total - sent));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
      await sim.inject(bytes);
    }
    const hbBefore = m.heartbeats.length;
    await delay(3000);
    const snap = master.snapshot();
    assert.equal(snap.slaves.length, 3, 'all slaves still linked');
    assert.ok(m.heartbeats.length >= hbBefore + 6, 'heartbeats go on');
    assert.ok(
      snap.slaves.every((s) => s.secondsSinceLastHeartbeat < 2),
      'and are answered',
    );
    assert.ok(snap.stats.garbageBytes >= total * 0.9, `garbage counted: ${snap.stats.garbageBytes}`);
    assert.ok(snap.totals.lastAmpsOffered <= 90);
  });
});
