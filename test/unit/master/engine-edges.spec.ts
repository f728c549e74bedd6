import assert from 'node:assert/strict';
import { encodeFrame } from '../../../src/protocol';
import { A, B, amps, setup } from './edge-setup';

describe('engine edges (scripted units, fake clock)', () => {
  it('takes only a finite, positive total from the policy', () => {
    const { master } = setup();
    const values = [Number.NaN, -5, 0, Number.POSITIVE_INFINITY, 17.5];
    const seen = values.map((v) => {
      master.setPolicy({ availableAmps: () => v });
      return master.availableAmps();
    });
    assert.deepEqual(seen, [0, 0, 0, 0, 17.5]);
    master.setAvailableAmps(23);
    assert.equal(master.availableAmps(), 23, 'a fixed total replaces the policy');
    master.setAvailableAmps(31);
    assert.equal(master.snapshot().availableAmps, 31);
  });

  it('a policy handing out nonsense offers nothing on the wire', () => {
    const { clock, bus, master } = setup();
    master.setPolicy({ availableAmps: () => Number.NaN });
    master.start();
    clock.advance(1100);
    bus.add(A, { state: 1, actual: 20 });
    bus.linkReady(A);
    clock.advance(20_000);
    assert.ok(
      bus.heartbeatsTo(A).every((h) => amps(h) === 0),
      bus.heartbeatsTo(A).map(amps).join(','),
    );
  });

  it('warns about a unit below the per-unit wiring, once per unit; not about one that matches it', () => {
    const { clock, bus, master, warnings } = setup();
    master.start();
    clock.advance(1100);
    bus.add(A, { maxAmps: 32 });
    bus.add(B, { maxAmps: 24 });
    bus.add(0x4344, { maxAmps: 40 });
    for (const id of [A, B, 0x4344]) bus.linkReady(id);
    clock.advance(3000);
    assert.deepEqual(
      warnings.filter((w) => w.code === 'wiringAboveUnitMax').map((w) => w.message),
      [
        'wiringMaxAmpsPerTWC (40 A) is above what 4142 supports (32 A); offering at most 32 A',
        'wiringMaxAmpsPerTWC (40 A) is above what 4243 supports (24 A); offering at most 24 A',
      ],
    );
  });

  it('throttles a warning for a minute: not again at 59.999 s, again at 60 s', () => {
    const { clock, transport, master, warnings } = setup();
    master.start();
    clock.advance(1100);
    const rogue = (sender: number): void =>
      transport.receive(
        encodeFrame({
          kind: 'masterHeartbeat',
          sender,
          receiver: A,
          command: 0,
          amps: 0,
          masterPluggedIn: false,
          version: 2,
        }),
      );
    const t0 = clock.now();
    rogue(0x1234);
    clock.advance(59_999);
    rogue(0x1235);
    clock.advance(1);
    rogue(0x1236);
    const said = warnings.filter((w) => w.code === 'otherMaster');
    assert.deepEqual(
      said.map((w) => [w.at - t0, w.message]),
      [
        [0, 'another master (1234) is talking on the bus'],
        [60_000, 'another master (1236) is talking on the bus'],
      ],
    );
  });

  it('an ID collision shows red for 60 s after the last announcement with our ID', () => {
    const { clock, bus, master } = setup();
    master.start();
    clock.advance(1100);
    bus.send({ kind: 'slaveLinkReady', sender: 0x7777, sign: 1, maxAmps: 80, version: 2 });
    const at = clock.now();
    assert.deepEqual(master.alerts(), [{ code: 'idCollision', message: 'a TWC uses our ID 7777' }]);
    clock.advance(59_999);
    assert.equal(master.alerts().length, 1);
    assert.equal(clock.now() - at, 59_999);
    clock.advance(1);
    assert.deepEqual(master.alerts(), []);
  });

  it('a stop right after a start (or the reverse) leaves only the last command queued', () => {
    const { clock, bus, master } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    bus.add(A, { state: 1, actual: 30 });
    bus.linkReady(A);
    clock.advance(3000);
    assert.equal(master.stopCharging(A), 1);
    assert.equal(master.startCharging(A), 1);
    clock.advance(3000);
    const commands = bus.sentKinds().filter((k) => k === 'startCharging' || k === 'stopCharging');
    assert.deepEqual(commands, ['startCharging']);
    assert.equal(master.snapshot().slaves[0].chargingStopped, false);
    assert.ok(bus.slaves.get(A)!.obeyed >= 12, 'still served');
  });

  it('start/stop for all with no unit linked does nothing and throws nothing', () => {
    const { clock, bus, master } = setup();
    master.start();
    clock.advance(1100);
    assert.equal(master.stopCharging(), 0);
    assert.equal(master.startCharging(), 0);
    clock.advance(2000);
    assert.deepEqual(
      bus.sentKinds().filter((k) => !k.startsWith('masterLinkReady')),
      [],
    );
  });

  it('a command, which gets no reply, leaves the bus quiet for half the reply time after it', () => {
    const { clock, bus, master } = setup({ replyTimeoutMs: 300 });
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    bus.add(A, { state: 1, actual: 20 });
    bus.add(B, { state: 1, actual: 20 });
    bus.linkReady(A);
    bus.linkReady(B);
    clock.advance(4000);
    // Just after a heartbeat's reply came: the next heartbeat is most of a second away.
    const last = bus.sent.filter((s) => s.msg.kind === 'masterHeartbeat').at(-1)!;
    clock.advance(last.at + 20 - clock.now());
    master.stopCharging();
    clock.advance(400);
    const stops = bus.sent.filter((s) => s.msg.kind === 'stopCharging');
    assert.equal(stops.length, 2);
    // FC B2 to a protocol-2 unit: 18 bytes at 9600 baud (18.75 ms), then 150 ms of quiet.
    assert.equal(stops[1].at - stops[0].at, 18.75 + 150);
  });

  it('a listener that throws on a received frame is reported, and the engine goes on', () => {
    const { clock, bus, master, warnings } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    let thrown = 0;
    master.on('rx', () => {
      if (thrown++ === 0) throw new Error('boom');
    });
    bus.add(A, { state: 1, actual: 20 });
    bus.linkReady(A);
    bus.linkReady(A);
    clock.advance(3000);
    assert.deepEqual(
      warnings.map((w) => [w.code, w.message]),
      [['internalError', 'error while handling received data: boom']],
    );
    assert.equal(master.snapshot().slaves.length, 1, 'the next announcement linked it');
  });

  it('a failure in the loop is reported and the loop comes back a heartbeat interval later', () => {
    const { clock, bus, master, warnings } = setup({ heartbeatIntervalMs: 700 });
    master.start();
    let failAt: number | undefined;
    master.on('tx', () => {
      if (failAt === undefined) {
        failAt = clock.now();
        throw new Error('boom');
      }
    });
    clock.advance(3000);
    assert.deepEqual(
      warnings.map((w) => [w.code, w.message, w.at]),
      [['internalError', 'master loop: boom', failAt]],
    );
    const linkReadies = bus.sent.filter((s) => s.msg.kind.startsWith('masterLinkReady'));
    assert.equal(linkReadies[0].at, failAt, 'the frame that failed still went out');
    assert.equal(linkReadies[1].at, failAt! + 700);
  });

  it('after stop() nothing more goes out and received bytes are ignored', async () => {
    const { clock, bus, master, transport } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    bus.add(A, { state: 1, actual: 20 });
    bus.linkReady(A);
    clock.advance(3000);
    const rx: unknown[] = [];
    master.on('rx', (m) => rx.push(m));
    await master.stop();
    const before = bus.sent.length;
    transport.setState('open');
    bus.linkReady(A);
    clock.advance(5000);
    assert.equal(bus.sent.length, before);
    assert.deepEqual(rx, []);
    master.setAvailableAmps(10);
    clock.advance(5000);
    assert.equal(bus.sent.length, before);
  });
});
