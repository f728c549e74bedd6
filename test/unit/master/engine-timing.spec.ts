import assert from 'node:assert/strict';
import type { MasterConfig } from '../../../src/master/config';
import { A, B, amps, setup } from './edge-setup';

describe('settling after the bus opens (scripted units, fake clock)', () => {
  /** A unit still charging under 16 A from an earlier run announces during our link-ready. */
  function opened(config: Partial<MasterConfig> = {}) {
    const t = setup(config);
    t.master.setAvailableAmps(50);
    t.master.start();
    t.clock.advance(100);
    t.bus.add(A, { state: 1, actual: 15, limit: 16, obeyed: 16 });
    t.bus.linkReady(A);
    return t;
  }
  const floodFrom = (t: ReturnType<typeof setup>): (() => void) => {
    let id = 0x1000;
    let on = true;
    const flood = (): void => {
      if (!on) return;
      t.bus.send({ kind: 'slaveLinkReady', sender: id++, sign: 5, maxAmps: 80, version: 2 });
      t.clock.setTimeout(flood, 20);
    };
    flood();
    return () => (on = false);
  };

  it('raises nobody before the link-ready sequence and a second after it (2 s after opening)', () => {
    const { clock, bus } = opened();
    clock.advance(6000);
    const hb = bus.heartbeatsTo(A).slice(1);
    // Opened at 1000: ten link-ready frames 100 ms apart, then a second for the announcements.
    const early = hb.filter((h) => h.at < 3000).map(amps);
    const late = hb.filter((h) => h.at >= 3000).map(amps);
    assert.ok(early.length >= 2 && early.every((a) => a <= 16), `before 3 s: ${early.join(',')}`);
    assert.equal(late[0], 40, `after: ${late.join(',')}`);
  });

  it('while announcements keep coming unprobed, raises wait, but 15 s at most after opening', () => {
    const t = opened();
    const stop = floodFrom(t);
    t.clock.advance(18_000);
    stop();
    const hb = t.bus.heartbeatsTo(A).slice(1);
    const early = hb.filter((h) => h.at < 16_000).map(amps);
    const late = hb.filter((h) => h.at >= 16_000).map(amps);
    assert.ok(early.length >= 10 && early.every((a) => a <= 16), `before 16 s: ${early.join(',')}`);
    assert.ok(late.length >= 1 && late[0] === 40, `after: ${late.join(',')}`);
  });

  it('with every slot taken, an announced unit waiting for one does not hold the raise back', () => {
    const t = opened({ maxSlaves: 1 });
    // A announced twice, so it is probed first and takes the only slot; B stays announced, unprobed.
    t.bus.linkReady(A);
    t.bus.add(B, { state: 1, actual: 15 });
    t.bus.linkReady(B);
    t.clock.advance(5000);
    assert.deepEqual(
      t.master.snapshot().slaves.map((s) => s.id),
      [A],
    );
    assert.equal(t.bus.heartbeatsTo(B).length, 0, 'never probed');
    const hb = t.bus.heartbeatsTo(A).slice(1);
    assert.equal(hb.filter((h) => h.at >= 3000).map(amps)[0], 40);
    assert.ok(hb.filter((h) => h.at < 3000).every((h) => amps(h) <= 16));
  });
});

describe('engine timing and events (scripted units, fake clock)', () => {
  it('probes and queries only fit in gaps: a flood of unanswering IDs never delays a heartbeat', () => {
    const { clock, bus, master } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    bus.add(A, { state: 4 });
    bus.add(B, { state: 4 });
    bus.linkReady(A);
    bus.linkReady(B);
    clock.advance(3000);
    let id = 0x1000;
    let on = true;
    const flood = (): void => {
      if (!on) return;
      bus.send({ kind: 'slaveLinkReady', sender: id++, sign: 5, maxAmps: 80, version: 2 });
      clock.setTimeout(flood, 37);
    };
    flood();
    const from = clock.now();
    clock.advance(20_000);
    on = false;
    const probes = bus.sent.filter(
      (s) =>
        s.at >= from &&
        s.msg.kind === 'masterHeartbeat' &&
        s.msg.receiver >= 0x1000 &&
        s.msg.receiver < 0x2000,
    );
    assert.ok(probes.length >= 20, `probes sent: ${probes.length}`);
    for (const unit of [A, B]) {
      const times = bus
        .heartbeatsTo(unit)
        .filter((h) => h.at >= from)
        .map((h) => h.at);
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      // Heartbeats 1 s apart; the other unit's heartbeat and reply (a few tens of ms) may come between.
      assert.ok(Math.max(...gaps) < 1060, `${unit.toString(16)}: largest gap ${Math.max(...gaps)} ms`);
    }
  });

  it('emits an offer only when the limit sent or in force changes', () => {
    const { clock, bus, master } = setup();
    master.setAvailableAmps(30);
    master.start();
    clock.advance(1100);
    const offers: [number, number][] = [];
    master.on('offer', (s) => offers.push([s.lastAmpsSent, s.lastAmpsOffered]));
    bus.add(A, { state: 4 });
    bus.linkReady(A);
    clock.advance(5000);
    assert.deepEqual(offers, [[30, 30]]);
    master.setAvailableAmps(20);
    clock.advance(5000);
    // The lowering's confirmation comes in a reply, not in a heartbeat: no offer for it.
    assert.deepEqual(offers, [
      [30, 30],
      [20, 30],
    ]);
    assert.equal(master.snapshot().slaves[0].lastAmpsOffered, 20);
  });
});

describe('bus statistics', () => {
  it('counts bad frames of every kind together: overflows, bad escapes, bad lengths, timeouts', () => {
    const { clock, transport, master } = setup();
    master.start();
    const c0 = 0xc0;
    const filler = (n: number): number[] => Array<number>(n).fill(0x11);
    // 1 overflow (50 bytes), 2 bad escapes, 4 bad lengths (10 bytes), 8 partial frames timing out.
    transport.receive([c0, ...filler(50), c0]);
    for (let i = 0; i < 2; i++) transport.receive([c0, 0xdb, 0x01, ...filler(14), c0]);
    for (let i = 0; i < 4; i++) transport.receive([c0, ...filler(10), c0]);
    clock.advance(10);
    for (let i = 0; i < 9; i++) {
      transport.receive([c0, ...filler(5)]);
      clock.advance(2100);
    }
    const stats = master.busStats();
    assert.equal(stats.badFrames, 1 + 2 + 4 + 8);
    assert.equal(stats.framesIn, 0);
    assert.equal(stats.reconnects, 0);
    transport.setState('waiting');
    transport.setState('open');
    assert.equal(master.busStats().reconnects, 1);
    assert.deepEqual(master.snapshot().stats, master.busStats());
  });
});

describe('ID collisions', () => {
  it('replays link-ready at most once per repeat interval, and never restarts a replay under way', () => {
    const { clock, bus, master } = setup({ linkReadyRepeatMs: 8000 });
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    bus.add(A, { state: 4 });
    bus.linkReady(A);
    clock.advance(12_000);
    const collide = (): void =>
      bus.send({ kind: 'slaveLinkReady', sender: 0x7777, sign: 1, maxAmps: 80, version: 2 });
    const count = (from: number): number =>
      bus.sent.filter((s) => s.at >= from && s.msg.kind.startsWith('masterLinkReady')).length;
    const t0 = clock.now();
    assert.equal(count(t0 - 8000), 0, 'no idle rounds while a unit is linked');
    collide();
    clock.advance(150);
    collide();
    clock.advance(3000);
    assert.equal(count(t0), 10, 'one replay, not restarted by the second announcement');
    clock.advance(t0 + 7999 - clock.now());
    collide();
    clock.advance(1);
    assert.equal(count(t0), 10, '7.999 s later: not again');
    const t1 = t0 + 8000;
    clock.advance(t1 - clock.now());
    collide();
    clock.advance(3000);
    assert.equal(count(t1), 10, '8 s after the last replay: again');
  });
});

describe('unconfirmed lowerings', () => {
  it('the 30 s before a warning start again with each unconfirmed lowering', () => {
    const { clock, bus, master, warnings } = setup();
    master.setAvailableAmps(40);
    master.start();
    clock.advance(1100);
    const a = bus.add(A, { state: 1, actual: 40 });
    bus.linkReady(A);
    clock.advance(5000);
    assert.equal(a.limit, 40);
    a.staleEcho = true;
    master.setAvailableAmps(25);
    clock.advance(20_000);
    assert.equal(master.snapshot().slaves[0].lastAmpsOffered, 40, 'unconfirmed');
    a.staleEcho = false;
    clock.advance(3000);
    assert.equal(master.snapshot().slaves[0].lastAmpsOffered, 25, 'confirmed');
    a.staleEcho = true;
    master.setAvailableAmps(15);
    clock.advance(25_000);
    assert.equal(master.snapshot().slaves[0].lastAmpsOffered, 25, 'unconfirmed again');
    assert.equal(warnings.length, 0, 'not 30 s yet since this lowering');
    clock.advance(6000);
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['unconfirmedLimit'],
    );
    assert.match(
      warnings[0].message,
      /^4142 has not shown its new limit of 15 A for 30 s; its 25 A still count/,
    );
  });
});

describe('holding back for arriving bytes', () => {
  function linkedAlone() {
    const t = setup();
    t.master.setAvailableAmps(30);
    t.master.start();
    t.clock.advance(1100);
    t.bus.add(A, { state: 4 });
    t.bus.linkReady(A);
    t.clock.advance(20_000);
    const last = t.bus.heartbeatsTo(A).at(-1)!.at;
    return { ...t, due: last + 1000 };
  }

  it('a frame arriving holds a heartbeat until 50 ms after its last byte', () => {
    const { clock, transport, bus, due } = linkedAlone();
    clock.advance(due - 10 - clock.now());
    transport.receive([0xc0, 0x11, 0x11]);
    clock.advance(200);
    const next = bus.heartbeatsTo(A).find((h) => h.at >= due)!;
    assert.equal(next.at, due + 40);
  });

  it('bytes that keep coming hold it 60 ms at most from when it was due', () => {
    const { clock, transport, bus, due } = linkedAlone();
    clock.advance(due - 10 - clock.now());
    for (let i = 0; i < 10; i++) {
      transport.receive([0x11, 0x11]);
      clock.advance(20);
    }
    clock.advance(200);
    const next = bus.heartbeatsTo(A).find((h) => h.at >= due)!;
    assert.equal(next.at, due + 60);
  });

  it('a lone byte after the last frame holds nothing back', () => {
    const { clock, transport, bus, due } = linkedAlone();
    clock.advance(due - 10 - clock.now());
    transport.receive([0x11]);
    clock.advance(200);
    assert.equal(bus.heartbeatsTo(A).find((h) => h.at >= due)!.at, due);
  });
});

describe('reconnecting', () => {
  it('after an outage a silent unit gets a fresh timeout from the reopening', () => {
    const { clock, bus, master, transport } = setup();
    master.setAvailableAmps(30);
    master.start();
    clock.advance(1100);
    const a = bus.add(A, { state: 4 });
    bus.linkReady(A);
    clock.advance(3000);
    const removed: number[] = [];
    master.on('slaveRemoved', () => removed.push(clock.now()));
    a.silent = true;
    transport.setState('waiting', 'device vanished');
    clock.advance(20_000);
    const opened = clock.now();
    transport.setState('open');
    clock.advance(25_000);
    assert.deepEqual(removed, [], 'not dropped 26 s after its last reply');
    clock.advance(3000);
    assert.equal(removed.length, 1);
    assert.ok(
      removed[0] > opened + 26_000 && removed[0] <= opened + 27_000,
      `dropped at ${removed[0] - opened}`,
    );
  });
});
