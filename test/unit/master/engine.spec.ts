import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/clock';
import { TwcMaster } from '../../../src/master/engine';
import type { MasterConfig } from '../../../src/master/config';
import type { MasterWarning } from '../../../src/master/types';
import { FakeTransport } from '../../support/fake-transport';
import { ScriptedSlaves } from './scripted-slaves';

function setup(config: Partial<MasterConfig> = {}) {
  const clock = new ManualClock(1000);
  const transport = new FakeTransport();
  const bus = new ScriptedSlaves(transport, clock);
  const master = new TwcMaster({
    transport,
    clock,
    config: { wiringMaxAmpsAllTWCs: 80, wiringMaxAmpsPerTWC: 80, minAmpsPerTWC: 12, ...config },
  });
  const warnings: MasterWarning[] = [];
  master.on('warning', (w) => warnings.push(w));
  return { clock, transport, bus, master, warnings };
}

describe('TwcMaster under a fake clock', () => {
  it('starts with 5× FC E1 then 5× FB E2, 100 ms apart, and repeats while no slave answers', () => {
    const { clock, bus, master } = setup();
    master.start();
    clock.advance(2000);
    const first = bus.sent.slice(0, 10);
    assert.deepEqual(
      first.map((s) => s.msg.kind),
      [...Array(5).fill('masterLinkReady1'), ...Array(5).fill('masterLinkReady2')],
    );
    for (let i = 1; i < first.length; i++) assert.equal(first[i].at - first[i - 1].at, 100);
    assert.deepEqual(first[0].msg, { kind: 'masterLinkReady1', sender: 0x7777, sign: 0x77 });
    assert.equal(bus.sent.length, 10);
    clock.advance(10000);
    assert.equal(bus.sent.length, 20, 'the sequence is repeated while no slave is known');
  });

  it('probes an announced unit with a keep-alive, then links and heartbeats it at once, at its own length', () => {
    const { clock, bus, master, transport } = setup();
    const added: { id: number; at: number }[] = [];
    master.on('slaveAdded', (s) => added.push({ id: s.id, at: clock.now() }));
    bus.add(0x4142, { version: 2 });
    bus.add(0x2019, { version: 1, maxAmps: 32 });
    master.start();
    clock.advance(1100);
    bus.linkReady(0x4142);
    clock.advance(1);
    const probe = bus.heartbeatsTo(0x4142);
    assert.equal(probe.length, 1);
    assert.deepEqual(probe[0].msg, { ...probe[0].msg, command: 0, amps: 0 }, 'a keep-alive sets no limit');
    assert.equal(transport.writes.at(-1)?.length, 18, 'v2: 16-byte message, 18 on the wire');
    assert.deepEqual(master.snapshot().slaves, [], 'no slot before it answers');
    clock.advance(10);
    assert.deepEqual(added, [{ id: 0x4142, at: probe[0].at + 5 }], 'linked by its answer');
    assert.equal(bus.heartbeatsTo(0x4142).length, 2, 'and heartbeated straight away');
    assert.equal(bus.heartbeatsTo(0x4142)[1].at, probe[0].at + 5);
    bus.linkReady(0x2019);
    clock.advance(300);
    const v1 = bus.heartbeatsTo(0x2019);
    assert.equal(v1.length, 2);
    assert.equal(v1[0].msg.kind === 'masterHeartbeat' && v1[0].msg.version, 1);
    assert.equal(v1[1].msg.kind === 'masterHeartbeat' && v1[1].msg.version, 1);
    assert.deepEqual(
      master.snapshot().slaves.map((s) => [s.TWCID, s.version, s.maxAmps]),
      [
        ['4142', 2, 80],
        ['2019', 1, 32],
      ],
    );
  });

  it('heartbeats every slave about once a second in round robin', () => {
    const { clock, bus, master } = setup();
    for (const id of [0x1111, 0x2222, 0x3333]) bus.add(id);
    master.start();
    clock.advance(1100);
    for (const id of [0x1111, 0x2222, 0x3333]) bus.linkReady(id);
    clock.advance(20000);
    for (const id of [0x1111, 0x2222, 0x3333]) {
      // The first is the probe that linked it.
      const times = bus
        .heartbeatsTo(id)
        .slice(1)
        .map((s) => s.at);
      assert.ok(
        times.length >= 19 && times.length <= 21,
        `${id.toString(16)}: ${times.length} heartbeats in 20 s`,
      );
      for (let i = 1; i < times.length; i++) {
        const gap = times[i] - times[i - 1];
        assert.ok(gap >= 1000 && gap <= 1100, `gap ${gap} ms`);
      }
    }
    const order = bus.sent
      .filter((s) => s.msg.kind === 'masterHeartbeat')
      .map((s) => (s.msg as { receiver: number }).receiver);
    // Probe and first heartbeat of each, then the round robin.
    assert.deepEqual(order.slice(0, 6), [0x1111, 0x1111, 0x2222, 0x2222, 0x3333, 0x3333]);
    assert.deepEqual(order.slice(6, 12), [0x1111, 0x2222, 0x3333, 0x1111, 0x2222, 0x3333]);
  });

  it('drops a slave that stops answering after 26 s and starts linking again', () => {
    const { clock, bus, master } = setup();
    const removed: string[] = [];
    master.on('slaveRemoved', (s, why) => removed.push(`${s.TWCID}: ${why}`));
    const s = bus.add(0x4142);
    master.start();
    clock.advance(1100);
    bus.linkReady(0x4142);
    clock.advance(5000);
    s.silent = true;
    const silentAt = clock.now();
    clock.advance(25000);
    assert.equal(master.snapshot().slaves.length, 1);
    const before = bus.sent.length;
    clock.advance(2000);
    assert.deepEqual(removed, ['4142: no answer for 26 s']);
    assert.equal(master.snapshot().slaves.length, 0);
    assert.ok(clock.now() - silentAt >= 26000);
    const after = bus.sent.slice(before).map((m) => m.msg.kind);
    assert.ok(after.includes('masterLinkReady1'), 'link-ready resumes when no slave is left');
    assert.ok(master.busStats().missedReplies >= 20);
  });

  it('answers a slave using our own ID by replaying link-ready instead of adding it', () => {
    const { clock, bus, master, warnings } = setup();
    bus.add(0x7777);
    master.start();
    clock.advance(1100);
    const before = bus.sent.length;
    bus.linkReady(0x7777);
    clock.advance(1100);
    assert.equal(master.snapshot().slaves.length, 0);
    assert.equal(warnings[0]?.code, 'idCollision');
    assert.equal(bus.sent.slice(before).filter((m) => m.msg.kind === 'masterLinkReady2').length, 5);
  });

  it('never adds a fourth slave and says so', () => {
    const { clock, bus, master, warnings } = setup();
    for (const id of [1, 2, 3, 4]) bus.add(id);
    master.start();
    clock.advance(1100);
    for (const id of [1, 2, 3, 4]) bus.linkReady(id);
    clock.advance(3000);
    assert.deepEqual(
      master.snapshot().slaves.map((s) => s.id),
      [1, 2, 3],
    );
    // Real units announce again every 10 s; a fourth one doing so is reported, once a minute at most.
    for (let i = 0; i < 3; i++) {
      bus.linkReady(4);
      clock.advance(10000);
    }
    assert.equal(warnings.filter((w) => w.code === 'busFull').length, 1);
    assert.equal(bus.heartbeatsTo(4).length, 0, 'never probed, never heartbeated');
  });

  it('sends the limit with 05 to protocol 1 and 09 to protocol 2, then keep-alives once echoed', () => {
    const { clock, bus, master } = setup({ spikeAmpsToCancel6ALimit: 0 });
    bus.add(0x0001, { version: 1, state: 4 });
    bus.add(0x0002, { version: 2, state: 4 });
    master.setAvailableAmps(40);
    master.start();
    clock.advance(1100);
    bus.linkReady(1);
    bus.linkReady(2);
    clock.advance(8000);
    for (const [id, cmd] of [
      [1, 0x05],
      [2, 0x09],
    ]) {
      const msgs = bus.heartbeatsTo(id).map((s) => s.msg as { command: number; amps: number });
      assert.deepEqual(msgs[0], { ...msgs[0], command: 0, amps: 0 }, 'the probe sets no limit');
      const limits = msgs.slice(1).filter((m) => m.command !== 0);
      assert.ok(limits.length >= 1);
      assert.ok(
        limits.every((m) => m.command === cmd),
        `${id}: ${limits.map((m) => m.command).join(',')}`,
      );
      assert.equal(limits.at(-1)?.amps, 20, 'the car waiting in state 04 gets its share');
      assert.deepEqual(msgs.at(-1), { ...msgs.at(-1), command: 0, amps: 0 }, 'keep-alive once echoed');
    }
  });

  it('raises a car through a 5 s spike (21 A on an 80 A unit) before settling on its target', () => {
    const { clock, bus, master } = setup();
    bus.add(0x4142, { state: 4 });
    master.setAvailableAmps(14);
    master.start();
    clock.advance(1100);
    bus.linkReady(0x4142);
    clock.advance(12000);
    const offers = bus
      .heartbeatsTo(0x4142)
      .map((s) => [s.at, (s.msg as { amps: number; command: number }).amps] as const);
    const spikes = offers.filter(([, a]) => a === 21);
    assert.ok(spikes.length >= 1, 'the spike is sent');
    const spikeStart = spikes[0][0];
    const firstTarget = offers.find(([t, a]) => t > spikeStart && a === 14);
    assert.ok(firstTarget, 'then the target');
    assert.ok(firstTarget[0] - spikeStart >= 5000 && firstTarget[0] - spikeStart < 6100, 'held for 5 s');
    assert.ok(
      offers.filter(([t]) => t > firstTarget[0]).every(([, a]) => a === 0),
      'keep-alive after the echo',
    );
  });

  it('never spikes above the wiring limits', () => {
    const { clock, bus, master } = setup({ wiringMaxAmpsPerTWC: 18, wiringMaxAmpsAllTWCs: 18 });
    bus.add(0x4142, { state: 4 });
    master.setAvailableAmps(14);
    master.start();
    clock.advance(1100);
    bus.linkReady(0x4142);
    clock.advance(8000);
    const amps = bus.heartbeatsTo(0x4142).map((s) => (s.msg as { amps: number }).amps);
    assert.ok(amps.includes(18) && Math.max(...amps) === 18, `offers ${amps.join(',')}`);
  });

  it('applies a change of available amps at the next heartbeat of every slave', () => {
    const { clock, bus, master } = setup();
    for (const id of [1, 2, 3]) bus.add(id, { state: 1, actual: 30 });
    master.setAvailableAmps(60);
    master.start();
    clock.advance(1100);
    for (const id of [1, 2, 3]) bus.linkReady(id);
    clock.advance(10000);
    const changedAt = clock.now();
    master.setAvailableAmps(36);
    clock.advance(1100);
    for (const id of [1, 2, 3]) {
      const after = bus.heartbeatsTo(id).filter((s) => s.at >= changedAt);
      assert.ok(after.length >= 1);
      assert.deepEqual(after[0].msg, { ...after[0].msg, amps: 12 }, `slave ${id}`);
    }
  });

  it('drops its own echoed frames and counts them', () => {
    const { clock, transport, master } = setup();
    transport.onWrite = (bytes) => transport.receive(bytes);
    master.start();
    clock.advance(1500);
    assert.equal(master.busStats().echoes, 10);
    assert.equal(master.snapshot().slaves.length, 0);
  });

  it('sends FC B1 / FC B2 for start and stop, and offers 0 A while stopped', () => {
    const { clock, bus, master } = setup();
    bus.add(0x4142, { state: 1, actual: 32 });
    master.setAvailableAmps(32);
    master.start();
    clock.advance(1100);
    bus.linkReady(0x4142);
    clock.advance(3000);
    assert.equal(master.stopCharging(), 1);
    clock.advance(2000);
    assert.ok(bus.sentKinds().includes('stopCharging'));
    const last = bus.heartbeatsTo(0x4142).at(-1)?.msg as { amps: number; command: number };
    assert.equal(last.amps, 0);
    assert.equal(master.startCharging(0x4142), 1);
    clock.advance(2000);
    assert.ok(bus.sentKinds().includes('startCharging'));
    assert.throws(() => master.startCharging(0x9999), /no Wall Connector with TWCID 9999/);
  });

  it('says nothing while the transport is closed and relinks when it opens again', () => {
    const { clock, bus, master, transport } = setup();
    bus.add(0x4142);
    master.start();
    clock.advance(1100);
    bus.linkReady(0x4142);
    clock.advance(2000);
    transport.setState('waiting', 'device vanished');
    const before = bus.sent.length;
    clock.advance(5000);
    assert.equal(bus.sent.length, before);
    transport.setState('open');
    clock.advance(1200);
    const kinds = bus.sent.slice(before).map((s) => s.msg.kind);
    assert.equal(kinds[0], 'masterHeartbeat', 'the linked slave first: its car must not fault');
    assert.deepEqual(
      kinds.filter((k) => k.startsWith('masterLinkReady')),
      [...Array(5).fill('masterLinkReady1'), ...Array(5).fill('masterLinkReady2')],
    );
    assert.equal(master.busStats().reconnects, 1);
  });
});
