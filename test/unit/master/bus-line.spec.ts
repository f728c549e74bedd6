import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/clock';
import type { MasterConfig } from '../../../src/master/config';
import { TwcMaster, UnknownSlaveError } from '../../../src/master/engine';
import { checksum, encodeFrame, escape, parseHex } from '../../../src/protocol';
import type { KwhReport, MasterHeartbeat, SlaveHeartbeat, TwcMessage } from '../../../src/protocol/messages';
import { FakeTransport } from '../../support/fake-transport';
import { distinctLimitsMaster, type Sent } from './scripted-slaves';

const A = 0x4142;
const C = 0x5152;
const Z = 0x6162;
/** One byte on the wire at 9600 baud, 8N1: a start bit, 8 data bits, a stop bit. */
const BYTE_MS = (10 / 9600) * 1000;
const WINDOW_MS = 200;
/** A heartbeat reply from a unit nobody asked. */
const UNASKED_REPLY: SlaveHeartbeat = {
  kind: 'slaveHeartbeat',
  sender: Z,
  receiver: 0x7777,
  state: 0,
  limitAmps: 0,
  actualAmps: 0,
  version: 2,
};
/** A kWh report from A: a frame the engine counts but does not wait for. */
const KWH_FROM_A: KwhReport = {
  kind: 'kwhReport',
  sender: A,
  lifetimeKwh: 1,
  voltsPhaseA: 1,
  voltsPhaseB: 0,
  voltsPhaseC: 0,
  ampsPhaseA: 0,
  ampsPhaseB: 0,
  ampsPhaseC: 0,
};

/** Wiring total 50, per unit 40, minimum 12: limits that tell each other apart. */
function setup(config: Partial<MasterConfig> = {}) {
  const rig = distinctLimitsMaster({ replyTimeoutMs: WINDOW_MS, ...config });
  return rig;
}

/** Starts the bus and links A; returns the time A's first heartbeat went out. */
function linkA(rig: ReturnType<typeof setup>, options: Parameters<typeof rig.bus.add>[1] = {}): void {
  rig.master.start();
  rig.clock.advance(1100);
  rig.bus.add(A, { state: 1, actual: 0, ...options });
  rig.bus.linkReady(A);
  rig.clock.advance(3000);
  assert.equal(rig.master.slaveSnapshots().length, 1, 'A is linked');
}

const wireMs = (msg: TwcMessage): number => encodeFrame(msg).length * BYTE_MS;

const heartbeats = (sent: Sent[], id: number): Sent[] =>
  sent.filter((s) => s.msg.kind === 'masterHeartbeat' && s.msg.receiver === id);

describe('the bus turn (BusLine): reply windows, gaps and counters', () => {
  it('a reply that comes just inside the frame time plus the reply window is in time; just outside is missed', () => {
    const results = [-0.5, 0.5].map((offset) => {
      const rig = setup({ vinMaxAttempts: 0, kwhPollIntervalMs: 3_600_000 });
      // The probe and the heartbeats are frames of one length, so one delay sits at the same edge of each.
      const probe: MasterHeartbeat = {
        kind: 'masterHeartbeat',
        sender: 0x7777,
        receiver: A,
        command: 0,
        amps: 0,
        masterPluggedIn: false,
        version: 2,
      };
      rig.master.start();
      rig.clock.advance(1100);
      rig.bus.add(A, { state: 1, replyDelayMs: wireMs(probe) + WINDOW_MS + offset });
      rig.bus.linkReady(A);
      rig.clock.advance(10_000);
      // The queries sent at linking (firmware, kWh) get no answer from these units: not counted here.
      const queries = rig.bus.sent.filter(
        (x) => x.msg.kind !== 'masterHeartbeat' && x.msg.kind.endsWith('Request'),
      );
      return {
        linked: rig.master.slaveSnapshots().length,
        missed: rig.master.busStats().missedReplies - queries.length,
      };
    });
    assert.deepEqual(results[0], { linked: 1, missed: 0 }, 'inside the window');
    // Outside it every probe and heartbeat counts as missed (a late answer to a probe still links the unit).
    assert.ok(results[1].missed >= 5, JSON.stringify(results[1]));
  });

  it('a query that gets no answer keeps the bus for its frame time plus the reply window', () => {
    const rig = setup();
    linkA(rig);
    rig.clock.advance(60_000);
    const sent = rig.bus.sent;
    const queries = sent
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => s.msg.kind === 'vinRequest1' || s.msg.kind === 'kwhRequest');
    assert.ok(queries.length > 0, 'queries went out');
    for (const { s, i } of queries) {
      const next = sent[i + 1];
      if (!next) continue;
      assert.ok(
        next.at >= s.at + wireMs(s.msg) + WINDOW_MS,
        `${next.msg.kind} at +${next.at - s.at} ms after ${s.msg.kind}`,
      );
    }
  });

  it('a command keeps the line quiet for its frame time and half the reply window, not longer', () => {
    const rig = setup();
    linkA(rig, { replyDelayMs: 5 });
    rig.bus.sent.length = 0;
    rig.master.stopCharging(A);
    rig.master.startCharging(A);
    rig.clock.advance(5000);
    const kinds = rig.bus.sentKinds().filter((k) => k === 'startCharging' || k === 'stopCharging');
    assert.deepEqual(kinds, ['startCharging'], 'the later of stop and start replaces the earlier');
    const i = rig.bus.sent.findIndex((s) => s.msg.kind === 'startCharging');
    const command = rig.bus.sent[i];
    const next = rig.bus.sent[i + 1];
    const quiet = wireMs(command.msg) + WINDOW_MS / 2;
    assert.ok(next.at >= command.at + quiet, `next frame +${next.at - command.at} ms`);
  });

  it('link-ready frames are a frame time and a turnaround apart (two character times of idle line)', () => {
    const clock = new ManualClock(1000);
    const transport = new FakeTransport();
    const times: number[] = [];
    transport.onWrite = () => times.push(clock.now());
    const master = new TwcMaster({ transport, clock, config: { linkReadySpacingMs: 20 } });
    master.start();
    clock.advance(2000);
    const linkReady = { kind: 'masterLinkReady1', sender: 0x7777, sign: 0x77 } as const;
    const gaps = times.slice(1, 5).map((t, i) => t - times[i]);
    assert.ok(gaps.length === 4);
    for (const gap of gaps) assert.ok(gap >= wireMs(linkReady) + 2 * BYTE_MS, `gap ${gap} ms`);
  });

  it('only the awaited unit’s heartbeat ends the wait: other frames heard meanwhile do not', () => {
    const rig = setup();
    linkA(rig, { replyDelayMs: 150 });
    // C waits for a probe: the master has something to send as soon as the bus is free.
    rig.bus.add(C, { silent: true });
    const hbAt: number[] = [];
    rig.bus.onFrame = (m) => {
      if (m.kind !== 'masterHeartbeat' || m.receiver !== A) return;
      hbAt.push(rig.clock.now());
      rig.clock.setTimeout(() => {
        // A kWh report from A, and a heartbeat reply from a unit nobody asked, while A's answer is due.
        rig.bus.send(KWH_FROM_A);
        rig.bus.send(UNASKED_REPLY);
      }, 40);
    };
    rig.bus.linkReady(C);
    rig.clock.advance(5000);
    const sent = rig.bus.sent;
    for (const at of hbAt.slice(0, 4)) {
      const during = sent.filter((s) => s.at > at && s.at < at + 150);
      assert.deepEqual(
        during.map((s) => s.msg.kind),
        [],
        `frames sent while waiting for A's answer to the heartbeat at ${at}`,
      );
    }
  });

  it('a probe waits for the probed unit alone', () => {
    const rig = setup();
    linkA(rig, { replyDelayMs: 5 });
    rig.bus.add(C, { replyDelayMs: 150 });
    const probeAt: number[] = [];
    rig.bus.onFrame = (m) => {
      if (m.kind !== 'masterHeartbeat' || m.receiver !== C) return;
      probeAt.push(rig.clock.now());
      rig.clock.setTimeout(() => rig.bus.send(UNASKED_REPLY), 40);
    };
    rig.bus.linkReady(C);
    rig.clock.advance(3000);
    assert.ok(probeAt.length > 0, 'C was probed');
    const during = rig.bus.sent.filter((s) => s.at > probeAt[0] && s.at < probeAt[0] + 150);
    assert.deepEqual(
      during.map((s) => s.msg.kind),
      [],
    );
    assert.equal(rig.master.slaveSnapshots().length, 2, 'C linked when its own answer came');
  });

  it('after an answer the line stays idle for two character times before the next frame', () => {
    const rig = setup();
    linkA(rig, { replyDelayMs: 30 });
    for (let i = 0; i < 8; i++) {
      rig.bus.add(C + i, { silent: true });
      rig.bus.linkReady(C + i);
    }
    const answeredAt: number[] = [];
    rig.master.on('rx', (m) => {
      if (m.kind === 'slaveHeartbeat' && m.sender === A) answeredAt.push(rig.clock.now());
    });
    rig.clock.advance(4000);
    assert.ok(answeredAt.length >= 3);
    for (const at of answeredAt) {
      const next = rig.bus.sent.find((s) => s.at >= at);
      if (next)
        assert.ok(next.at - at >= 2 * BYTE_MS, `${next.msg.kind} ${next.at - at} ms after A's answer`);
    }
  });

  it('probes and queries take turns: a flood of announcements does not hold up the due queries', () => {
    const rig = setup({ kwhPollIntervalMs: 1000 });
    linkA(rig, { replyDelayMs: 5 });
    rig.bus.sent.length = 0;
    // Twenty silent units announce themselves at once: each probe keeps the bus for its whole window.
    for (let i = 0; i < 20; i++) {
      rig.bus.add(C + i, { silent: true });
      rig.bus.linkReady(C + i);
    }
    rig.clock.advance(10_000);
    const kinds = rig.bus.sent.map((s) => s.msg.kind);
    const probes = rig.bus.sent.filter((s) => s.msg.kind === 'masterHeartbeat' && s.msg.receiver !== A);
    assert.ok(probes.length >= 20, `${probes.length} probes`);
    const kwh = rig.bus.sent.filter((s) => s.msg.kind === 'kwhRequest').map((s) => s.at);
    const gaps = kwh.slice(1).map((t, i) => t - kwh[i]);
    assert.ok(kwh.length >= 6, kinds.join(' '));
    assert.ok(Math.max(...gaps) < 2500, `kWh queries ${gaps.join(',')} ms apart`);
  });

  it('heartbeats keep their cadence to the millisecond while probes fill the bus', () => {
    const rig = setup();
    linkA(rig, { replyDelayMs: 5 });
    for (let i = 0; i < 30; i++) {
      rig.bus.add(C + i, { silent: true });
      rig.bus.linkReady(C + i);
    }
    rig.bus.sent.length = 0;
    rig.clock.advance(20_000);
    const at = heartbeats(rig.bus.sent, A).map((s) => s.at);
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    assert.ok(gaps.length >= 18);
    for (const gap of gaps) assert.ok(gap >= 1000 && gap <= 1001, `gap ${gap} ms: ${gaps.join(',')}`);
  });

  it('counts frames in and out, unknown messages, and writes the transport refused', () => {
    const clock = new ManualClock(1000);
    let refuse = false;
    const transport = new (class extends FakeTransport {
      override write(bytes: Uint8Array): boolean {
        return refuse ? false : super.write(bytes);
      }
    })();
    const master = new TwcMaster({ transport, clock, config: { linkReadySpacingMs: 20 } });
    master.start();
    clock.advance(120);
    const out = transport.writes.length;
    refuse = true;
    clock.advance(100);
    const stats = master.busStats();
    assert.equal(stats.framesOut, out);
    assert.ok(out > 0 && stats.droppedWrites > 0, JSON.stringify(stats));
    const body = parseHex('FD 99 41 42 00 00 00 00 00 00 00 00 00 00 00');
    const unknown = Uint8Array.from([0xc0, ...escape(Uint8Array.from([...body, checksum(body)])), 0xc0]);
    transport.receive(unknown);
    transport.receive(unknown);
    transport.receive(encodeFrame(KWH_FROM_A));
    assert.equal(master.busStats().unknownMessages, 2);
    assert.equal(master.busStats().framesIn, 3);
  });

  it('a second start changes nothing: each frame is heard once', () => {
    const clock = new ManualClock(1000);
    const transport = new FakeTransport();
    const master = new TwcMaster({ transport, clock });
    const heard: string[] = [];
    master.on('rx', (m) => heard.push(m.kind));
    master.start();
    master.start();
    transport.receive(encodeFrame(KWH_FROM_A));
    assert.deepEqual(heard, ['kwhReport']);
    assert.equal(master.busStats().framesIn, 1);
  });

  it('an empty chunk from the transport does not hold the next frame back', () => {
    const rig = setup();
    linkA(rig, { replyDelayMs: 5 });
    const due = heartbeats(rig.bus.sent, A).at(-1)!.at + 1000;
    // A frame starts arriving 40 ms before A's heartbeat is due, then nothing but an empty read.
    rig.clock.advance(due - 40 - rig.clock.now());
    rig.transport.receive([0xc0, 0xfd, 0xe0]);
    rig.clock.advance(45);
    rig.transport.receive([]);
    rig.clock.advance(500);
    const hb = heartbeats(rig.bus.sent, A).find((s) => s.at >= due)!;
    assert.ok(hb.at <= due + 10, `heartbeat ${hb.at - due} ms late`);
  });

  it('a status that is not open does not refresh the units: one silent while the port flaps is dropped', () => {
    const rig = setup();
    linkA(rig, { replyDelayMs: 5 });
    rig.bus.slaves.get(A)!.silent = true;
    const removed: number[] = [];
    rig.master.on('slaveRemoved', () => removed.push(rig.clock.now()));
    for (let i = 0; i < 40; i++) {
      rig.transport.emit('status', { state: 'waiting', detail: `try ${i}`, reconnects: 0 });
      rig.clock.advance(1000);
    }
    assert.equal(removed.length, 1, 'A was dropped after its timeout');
  });

  it('names an unknown unit in an UnknownSlaveError', () => {
    const { master } = setup();
    assert.throws(() => master.startCharging(0x0099), { name: 'UnknownSlaveError', message: /0099/ });
    assert.throws(() => master.stopCharging(0x0099), UnknownSlaveError);
  });

  it('every heartbeat says the master has no car plugged in, and the snapshot counts them', () => {
    const rig = setup();
    linkA(rig, { replyDelayMs: 5 });
    rig.bus.add(C, { replyDelayMs: 5 });
    rig.bus.linkReady(C);
    rig.clock.advance(5000);
    const all = rig.bus.sent.filter((s) => s.msg.kind === 'masterHeartbeat');
    assert.ok(all.some((s) => (s.msg as MasterHeartbeat).receiver === C));
    assert.ok(all.every((s) => (s.msg as MasterHeartbeat).masterPluggedIn === false));
    const a = rig.master.slaveSnapshots()[0];
    // The first keep-alive to A was its probe, sent before it took a slot.
    assert.equal(a.heartbeatsSent, heartbeats(rig.bus.sent, A).length - 1);
  });
});
