import assert from 'node:assert/strict';
import type { MasterConfig } from '../../../src/master/config';
import type { MasterWarning } from '../../../src/master/types';
import { busStatus } from '../../../src/nodes/node-status';
import { encodeFrame } from '../../../src/protocol';
import type { MasterHeartbeat } from '../../../src/protocol/messages';
import { scriptedMaster, type ScriptedSlave, type ScriptedSlaves } from './scripted-slaves';

const MASTER = 0x7777;
const A = 0x4142;
const B = 0x4243;

/** Wiring that tells the limits apart: total 50, per unit 40, minimum 12. */
function setup(config: Partial<MasterConfig> = {}) {
  const { clock, transport, bus, master } = scriptedMaster({
    wiringMaxAmpsAllTWCs: 50,
    wiringMaxAmpsPerTWC: 40,
    minAmpsPerTWC: 12,
    spikeAmpsToCancel6ALimit: 0,
    ...config,
  });
  const warnings: MasterWarning[] = [];
  master.on('warning', (w) => warnings.push(w));
  // What the units really obey, summed after every master frame; asserted after the run.
  const breaches: string[] = [];
  bus.onFrame = () => {
    let sum = 0;
    for (const u of bus.slaves.values()) sum += u.obeyed;
    if (sum > 50) breaches.push(`${clock.now()}: ${sum} A`);
  };
  const link = (id: number, options: Partial<ScriptedSlave>): ScriptedSlave => {
    const unit = bus.add(id, { maxAmps: 80, state: 1, actual: 80, ...options });
    bus.linkReady(id);
    return unit;
  };
  const heartbeatTimes = (id: number, from = 0): number[] =>
    bus
      .heartbeatsTo(id)
      .filter((h) => h.at >= from)
      .map((h) => h.at);
  return { clock, transport, bus, master, warnings, breaches, link, heartbeatTimes };
}

/** Gaps between successive heartbeats: their mean and the largest, in ms. */
function cadence(times: number[]): { mean: number; max: number; count: number } {
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  return {
    mean: gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length),
    max: Math.max(0, ...gaps),
    count: times.length,
  };
}

function limitsTo(bus: ScriptedSlaves, id: number, from = 0): { command: number; amps: number }[] {
  return bus
    .heartbeatsTo(id)
    .filter((h) => h.at >= from)
    .map((h) => h.msg as MasterHeartbeat);
}

/** Deterministic bytes, every value included (C0 and DB too). */
function noise(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out[i] = x >>> 23;
  }
  return out;
}

describe('the engine under bus faults (scripted units, fake clock)', () => {
  it('a unit echoing a stale limit: every lowering is a set-limit, repeated, and the old limit stays in force', () => {
    const { clock, bus, master, breaches, link, warnings } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    const a = link(A, { staleEcho: true });
    clock.advance(5000);
    assert.equal(a.obeyed, 40, 'alone, A gets its per-unit cap');
    const joined = clock.now();
    link(B, {});
    clock.advance(10000);
    const toA = limitsTo(bus, A, joined);
    const lowered = toA.findIndex((m) => m.amps === 25);
    assert.ok(
      lowered >= 0,
      `A is lowered to its share: ${toA.map((m) => `${m.command}/${m.amps}`).join(' ')}`,
    );
    assert.ok(
      toA.slice(lowered).every((m) => m.command === 0x09 && m.amps === 25),
      'never a keep-alive while A shows the old limit',
    );
    const snapA = master.snapshot().slaves.find((s) => s.id === A)!;
    assert.deepEqual([snapA.lastAmpsSent, snapA.lastAmpsOffered], [25, 40], 'in force: the unconfirmed 40');
    const b = bus.slaves.get(B)!;
    assert.ok(b.obeyed <= 10, `B gets only what fits beside A's 40 in force: ${b.obeyed}`);
    assert.deepEqual(breaches, []);
    assert.equal(warnings.filter((w) => w.code === 'unconfirmedLimit').length, 0, 'not yet after 10 s');
    clock.advance(25000);
    const said = warnings.filter((w) => w.code === 'unconfirmedLimit');
    assert.equal(said.length, 1);
    assert.match(said[0].message, /4142 has not shown its new limit of 25 A for 3\d s; its 40 A still count/);
  });

  it('a lost lowering is sent again and its old limit is counted until the echo shows the new one', () => {
    const { clock, bus, master, breaches, link } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    const a = link(A, { lossEvery: 2 });
    clock.advance(6000);
    link(B, {});
    clock.advance(12000);
    assert.equal(a.obeyed, 25, 'A follows in the end');
    assert.equal(bus.slaves.get(B)!.obeyed, 25);
    assert.deepEqual(breaches, []);
  });

  it('a unit answering 2 s late links, keeps a heartbeat a second, and never counts as two units', () => {
    const { clock, master, warnings, breaches, link, heartbeatTimes } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    link(A, { replyDelayMs: 2000 });
    link(B, {});
    clock.advance(30000);
    assert.deepEqual(
      master.snapshot().slaves.map((s) => s.TWCID),
      ['4243', '4142'],
      'both linked (the late one when its answer came)',
    );
    for (const id of [A, B]) {
      const c = cadence(heartbeatTimes(id, 12000));
      assert.ok(c.mean <= 1200 && c.max < 5000, `${id.toString(16)}: ${JSON.stringify(c)}`);
    }
    assert.deepEqual(master.snapshot().alerts, []);
    assert.equal(warnings.filter((w) => w.code === 'duplicateId').length, 0);
    assert.deepEqual(breaches, []);
  });

  it('a unit whose lateness varies answers twice in one round, and is still not taken for two units', () => {
    const { clock, bus, master, warnings, link } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    // Replies to successive heartbeats 1.7 s and 0.4 s late: two land 300 ms apart between two heartbeats.
    const a = link(A, { replyDelays: [1700, 400] });
    for (let i = 0; i < 40; i++) {
      a.actual = 20 + (i % 7);
      clock.advance(250);
    }
    assert.ok(
      master.snapshot().slaves.some((s) => s.id === A),
      'linked',
    );
    assert.deepEqual(master.snapshot().alerts, []);
    assert.equal(warnings.filter((w) => w.code === 'duplicateId').length, 0);
    assert.ok(bus.slaves.get(A)!.obeyed > 0, 'and served');
  });

  it('identical double answers count too: twins with the same cars answer alike until both draw', () => {
    const { clock, bus, master, warnings, link } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    const a = link(A, { doubled: true });
    clock.advance(10000);
    assert.ok(master.busStats().doubledReplies >= 8, `doubled: ${master.busStats().doubledReplies}`);
    assert.deepEqual(master.snapshot().alerts, [{ code: 'duplicateId', message: 'two answers as 4142' }]);
    assert.equal(warnings.filter((w) => w.code === 'duplicateId').length, 1);
    assert.equal(a.obeyed, 0, 'no amps for an ID two units may share');
    a.doubled = false;
    clock.advance(70000);
    assert.deepEqual(master.snapshot().alerts, []);
    assert.equal(bus.slaves.get(A)!.obeyed, 40, 'served again a minute after the doubles stopped');
  });

  it('two units with one TWCID: a warning, a red status, 0 A for both, and back once one is gone', () => {
    const { clock, bus, master, warnings, link } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    const a = link(A, { actual: 30, twinActual: 12 });
    link(B, {});
    clock.advance(8000);
    assert.equal(warnings.filter((w) => w.code === 'duplicateId').length, 1, 'warned once');
    assert.match(
      warnings.find((w) => w.code === 'duplicateId')!.message,
      /two answers as 4142 to one heartbeat: two Wall Connectors share this TWCID/,
    );
    const snap = master.snapshot();
    assert.deepEqual(snap.alerts, [{ code: 'duplicateId', message: 'two answers as 4142' }]);
    assert.deepEqual(busStatus(snap), { fill: 'red', shape: 'ring', text: 'two answers as 4142' });
    assert.equal(snap.slaves.find((s) => s.id === A)?.duplicateId, true);
    assert.equal(a.obeyed, 0, 'the shared ID gets 0 A: both units would obey it');
    assert.equal(bus.slaves.get(B)!.obeyed, 40, 'the other unit is served');
    a.twinActual = undefined;
    clock.advance(70000);
    assert.deepEqual(master.snapshot().alerts, [], 'cleared a while after the second unit went');
    assert.ok(a.obeyed >= 12, `served again: ${a.obeyed}`);
  });

  it('a unit stuck on our own ID that answers every link-ready: the real unit keeps its heartbeats', () => {
    const { clock, bus, master, warnings, link, heartbeatTimes, transport } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    link(A, {});
    clock.advance(3000);
    const linkReadies: number[] = [];
    // It answers each of our link-ready frames with an announcement of its own (our ID).
    const answer = transport.onWrite!;
    transport.onWrite = (bytes) => {
      answer(bytes);
      if (bytes[1] === 0xfc || bytes[1] === 0xfb) {
        const fn = bytes[2];
        if (fn === 0xe1 || fn === 0xe2) {
          linkReadies.push(clock.now());
          clock.setTimeout(
            () => bus.send({ kind: 'slaveLinkReady', sender: MASTER, sign: 1, maxAmps: 80, version: 2 }),
            5,
          );
        }
      }
    };
    const from = clock.now();
    bus.send({ kind: 'slaveLinkReady', sender: MASTER, sign: 1, maxAmps: 80, version: 2 });
    clock.advance(40000);
    const c = cadence(heartbeatTimes(A, from));
    assert.ok(c.mean <= 1200 && c.max < 5000, `A: ${JSON.stringify(c)}`);
    // One replay of ten frames at most every 10 s.
    assert.ok(linkReadies.length <= 50, `${linkReadies.length} link-ready frames in 40 s`);
    assert.ok(linkReadies.length >= 10, 'it is asked to change its ID');
    assert.equal(warnings.filter((w) => w.code === 'idCollision').length, 1, 'one warning a minute');
    assert.equal(master.snapshot().alerts[0]?.code, 'idCollision');
  });

  it('a flood of link-ready from random IDs takes no slot, and a real unit still links', () => {
    const { clock, bus, master, link, heartbeatTimes } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    link(A, {});
    clock.advance(2000);
    let id = 0x1000;
    let flooding = true;
    const flood = (): void => {
      if (!flooding) return;
      // 50 announcements a second, each from an ID never heard before.
      bus.send({ kind: 'slaveLinkReady', sender: id++ % 0xffff, sign: 5, maxAmps: 80, version: 2 });
      clock.setTimeout(flood, 20);
    };
    flood();
    // The real unit announces itself every 10 s, as units do.
    bus.add(B, { maxAmps: 32, state: 1, actual: 30 });
    for (let i = 0; i < 4; i++) {
      bus.linkReady(B);
      clock.advance(10000);
    }
    flooding = false;
    const ids = master.snapshot().slaves.map((s) => s.TWCID);
    assert.deepEqual(ids, ['4142', '4243'], 'no flood ID holds a slot');
    const c = cadence(heartbeatTimes(A, 3100));
    assert.ok(c.mean <= 1200 && c.max < 5000, `A: ${JSON.stringify(c)}`);
  });

  it('a flood from a few fixed IDs that never answer does not lock out a real unit', () => {
    const { clock, bus, master, link } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    link(A, {});
    let flooding = true;
    let n = 0;
    const flood = (): void => {
      if (!flooding) return;
      bus.send({
        kind: 'slaveLinkReady',
        sender: [0x0101, 0x0202, 0x0303][n++ % 3],
        sign: 5,
        maxAmps: 80,
        version: 2,
      });
      clock.setTimeout(flood, 20);
    };
    flood();
    clock.advance(5000);
    bus.add(B, { maxAmps: 32 });
    bus.linkReady(B);
    clock.advance(12000);
    bus.linkReady(B);
    clock.advance(12000);
    flooding = false;
    assert.deepEqual(
      master.snapshot().slaves.map((s) => s.TWCID),
      ['4142', '4243'],
    );
  });

  it('line noise at full line rate cannot hold the heartbeats back, nor lose a command', () => {
    const { clock, transport, bus, master, link, heartbeatTimes, breaches } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    link(A, {});
    link(B, {});
    clock.advance(3000);
    const from = clock.now();
    let seed = 1;
    let on = true;
    // 960 bytes a second: ten bytes every 10.4 ms, between the units' frames.
    const hiss = (): void => {
      if (!on) return;
      transport.receive(noise(seed++, 10));
      clock.setTimeout(hiss, 10.4);
    };
    hiss();
    clock.advance(15000);
    // A command asked for under the noise still goes out, to each unit.
    const sentBefore = bus.sent.length;
    master.stopCharging();
    clock.advance(15000);
    on = false;
    const stops = bus.sent.slice(sentBefore).filter((m) => m.msg.kind === 'stopCharging');
    assert.deepEqual(
      stops.map((m) => (m.msg as { receiver: number }).receiver).sort(),
      [A, B],
      'one FC B2 to each unit',
    );
    for (const id of [A, B]) {
      const c = cadence(heartbeatTimes(id, from));
      assert.ok(c.count >= 25 && c.mean <= 1200 && c.max < 5000, `${id.toString(16)}: ${JSON.stringify(c)}`);
    }
    assert.ok(master.busStats().garbageBytes > 20000, `garbage counted: ${master.busStats().garbageBytes}`);
    assert.deepEqual(breaches, []);
  });

  it('another master on the bus: warned about once a minute, our heartbeats go on', () => {
    const { clock, transport, master, warnings, link, heartbeatTimes } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    link(A, {});
    clock.advance(2000);
    const from = clock.now();
    for (let t = 0; t < 20000; t += 250) {
      const rogue = 0x1234 + (t % 3);
      transport.receive(
        encodeFrame({
          kind: 'masterHeartbeat',
          sender: rogue,
          receiver: A,
          command: 0x09,
          amps: 32,
          masterPluggedIn: false,
          version: 2,
        }),
      );
      clock.advance(250);
    }
    assert.equal(warnings.filter((w) => w.code === 'otherMaster').length, 1);
    const c = cadence(heartbeatTimes(A, from));
    assert.ok(c.mean <= 1200 && c.max < 5000, JSON.stringify(c));
  });

  it('after a restart, units still obeying earlier limits are not overrun while they link one by one', () => {
    const { clock, bus, master, breaches } = setup();
    master.setAvailableAmps(50);
    // Three units charging under 16 A each from an earlier run; 48 A of the 50 A circuit.
    for (const id of [A, B, 0x4344])
      bus.add(id, { maxAmps: 80, state: 1, actual: 15, limit: 16, obeyed: 16 });
    master.start();
    // They announce after our link-ready (about 0.2 s after its second FB E2), a little apart.
    clock.advance(800);
    for (const id of [A, B, 0x4344]) {
      bus.linkReady(id);
      clock.advance(300);
    }
    clock.advance(10000);
    assert.deepEqual(breaches, [], 'never more than the circuit while they link');
    const obeyed = [A, B, 0x4344].map((id) => bus.slaves.get(id)!.obeyed);
    assert.deepEqual(obeyed, [17, 17, 16], 'then shared out');
  });

  it('a forged or garbled announcement from a linked unit cannot raise its cap', () => {
    const { clock, bus, master, link } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    const a = link(A, { maxAmps: 16 });
    clock.advance(3000);
    bus.send({ kind: 'slaveLinkReady', sender: A, sign: 9, maxAmps: 655.35, version: 1 });
    clock.advance(5000);
    const snap = master.snapshot().slaves[0];
    assert.deepEqual([snap.maxAmps, snap.capAmps, snap.version, a.obeyed], [16, 16, 2, 16]);
  });

  it('an announcement heard before the probe cannot raise a new unit’s cap either', () => {
    const { clock, bus, master } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    bus.add(A, { maxAmps: 16, state: 1, actual: 16 });
    // The unit's own announcement, then a garbled one with its ID, before it could be probed.
    bus.send({ kind: 'slaveLinkReady', sender: A, sign: 9, maxAmps: 16, version: 2 });
    bus.send({ kind: 'slaveLinkReady', sender: A, sign: 9, maxAmps: 655.35, version: 2 });
    clock.advance(5000);
    const snap = master.snapshot().slaves[0];
    assert.deepEqual([snap.maxAmps, snap.capAmps, bus.slaves.get(A)!.obeyed], [16, 16, 16]);
  });
});
