import assert from 'node:assert/strict';
import { encodeFrame } from '../../../src/protocol';
import { A, B, cadence, setup } from './fault-setup';

const MASTER = 0x7777;

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
