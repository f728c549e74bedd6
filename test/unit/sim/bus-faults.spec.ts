import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/clock';
import { encodeFrame, SlaveState, type TwcMessage } from '../../../src/protocol';
import { SimulatedBus, type SimulatedBusOptions } from '../../../src/sim/bus';
import { seededRandom } from '../../../src/sim/random';
import { heartbeat, M, overlaps, rig, slaveHeartbeats, type Heard } from './wire-recorder';

const SLAVES = [
  { id: 0x4142, maxAmps: 80, car: { maxAmps: 32 } },
  { id: 0x4243, maxAmps: 32 },
];
const slaveIds = new Set(SLAVES.map((s) => s.id));
const senderOf = (msg: TwcMessage): number | undefined => ('sender' in msg ? msg.sender : undefined);

/** Heartbeats both slaves once a second for `seconds`, as our master would. */
function heartbeatFor(r: ReturnType<typeof rig>, seconds: number, amps = 16): number[] {
  const sentAt: number[] = [];
  for (let i = 0; i < seconds; i++) {
    sentAt.push(r.clock.now());
    for (const s of SLAVES) r.send(heartbeat(s.id, amps));
    r.clock.advance(1000);
  }
  return sentAt;
}

describe('SimulatedBus faults', () => {
  describe('linkReadyFlood', () => {
    it('sends FD E2 from many random IDs at about the rate asked', () => {
      const r = rig(SLAVES, { linkReadyFlood: { perSecond: 5 }, random: seededRandom(1) });
      heartbeatFor(r, 20);
      const flood = r.heard.filter((h) => h.msg.kind === 'slaveLinkReady' && !slaveIds.has(senderOf(h.msg)!));
      assert.ok(flood.length >= 80 && flood.length <= 120, `${flood.length} in 20 s`);
      assert.ok(new Set(flood.map((h) => senderOf(h.msg))).size > 70, 'from many IDs');
    });

    it('with a list, only from those IDs, which never answer anything', () => {
      const fakes = [0xa001, 0xa002];
      const r = rig(SLAVES, { linkReadyFlood: { perSecond: 4, ids: fakes }, random: seededRandom(2) });
      for (let i = 0; i < 20; i++) {
        for (const id of fakes) r.send(heartbeat(id, 16));
        r.send({ kind: 'kwhRequest', sender: M, receiver: fakes[0], version: 2 });
        r.clock.advance(1000);
      }
      const fromFakes = r.heard.filter((h) => fakes.includes(senderOf(h.msg)!));
      const strangers = r.heard.filter(
        (h) => !fakes.includes(senderOf(h.msg)!) && !slaveIds.has(senderOf(h.msg)!),
      );
      assert.ok(fromFakes.length >= 60, `${fromFakes.length} link-readies`);
      assert.deepEqual([...new Set(fromFakes.map((h) => h.msg.kind))], ['slaveLinkReady']);
      assert.deepEqual([...new Set(fromFakes.map((h) => senderOf(h.msg)))].sort(), fakes);
      assert.deepEqual(strangers, []);
    });
  });

  describe('noise', () => {
    /** Bytes on the wire that are not the slaves' frames. */
    const noiseBytes = (r: ReturnType<typeof rig>) =>
      r.chunks.reduce((n, c) => n + c.bytes.length, 0) - r.sentBytes.reduce((n, b) => n + b, 0);

    it('puts random bytes, C0 and DB among them, between frames at about the rate asked', () => {
      const r = rig(SLAVES, { noise: { bytesPerSecond: 200 }, random: seededRandom(3) });
      const sentAt = heartbeatFor(r, 20);
      const noise = noiseBytes(r);
      assert.ok(noise >= 3400 && noise <= 4600, `${noise} noise bytes in 20 s`);
      const all = r.chunks.flatMap((c) => [...c.bytes]);
      assert.ok(all.includes(0xc0) && all.includes(0xdb));
      assert.ok(
        r.decoder.stats.garbageBytes > 3000,
        `the decoder threw away ${r.decoder.stats.garbageBytes}`,
      );
      for (const s of SLAVES)
        assert.equal(slaveHeartbeats(r.heard, s.id).length, sentAt.length, 'every reply intact');
    });

    it('fills the line at 960 bytes a second, yet every reply still comes within 200 ms', () => {
      const r = rig(SLAVES, { noise: { bytesPerSecond: 960 }, wireTiming: true, random: seededRandom(4) });
      const sentAt = heartbeatFor(r, 10);
      const noise = noiseBytes(r);
      assert.ok(noise >= 8000, `${noise} noise bytes in 10 s`);
      const late: string[] = [];
      for (const s of SLAVES) {
        const replies = slaveHeartbeats(r.heard, s.id);
        assert.equal(replies.length, sentAt.length);
        replies.forEach((h, i) => h.at - sentAt[i] > 200 && late.push(`${s.id}: ${h.at - sentAt[i]} ms`));
      }
      assert.deepEqual(late, []);
      assert.deepEqual(overlaps(r.chunks), []);
    });
  });

  describe('absurdFrames', () => {
    it('sends well-formed frames of known kinds with absurd values, from strangers and the slaves', () => {
      const r = rig(SLAVES, { absurdFrames: { perSecond: 10 }, random: seededRandom(5) });
      const injected: TwcMessage[] = [];
      r.bus.on('injected', (msg, fault) => fault === 'absurdFrames' && injected.push(msg));
      heartbeatFor(r, 30, 0);
      const fake = (h: Heard) =>
        !(slaveIds.has(senderOf(h.msg)!) && (h.msg.kind === 'slaveLinkReady' || isSane(h.msg)));
      const absurd = r.heard.filter(fake);
      assert.equal(r.decoder.stats.checksumErrors, 0);
      assert.ok(injected.length >= 240 && injected.length <= 360, `${injected.length} in 30 s`);
      assert.ok(absurd.length > 0.9 * injected.length, `${absurd.length} absurd frames decoded`);
      assert.ok(!absurd.some((h) => h.msg.kind === 'unknown'), 'all of known kinds');

      const heartbeats = absurd.map((h) => h.msg).filter((m) => m.kind === 'slaveHeartbeat');
      assert.ok(heartbeats.some((m) => m.limitAmps === 655.35 && m.actualAmps === 655.35));
      assert.ok(
        heartbeats.some((m) => !Object.values(SlaveState).includes(m.state as never)),
        'unknown states',
      );
      assert.ok(
        heartbeats.every((m) => m.receiver === M),
        'addressed to the master heard on the bus',
      );
      const linkReadies = absurd.map((h) => h.msg).filter((m) => m.kind === 'slaveLinkReady');
      assert.deepEqual([...new Set(linkReadies.map((m) => m.maxAmps))].sort(), [0, 655.35]);
      const kwh = absurd.map((h) => h.msg).filter((m) => m.kind === 'kwhReport');
      assert.ok(kwh.some((m) => m.lifetimeKwh >= 2 ** 31 && m.voltsPhaseA >= 9999));
      const vins = absurd.map((h) => h.msg).filter((m) => m.kind === 'vinReply');
      assert.ok(
        vins.length > 0 && vins.every((m) => /[^\x20-\x7e]/.test(m.text)),
        'control bytes in VIN parts',
      );
      const senders = absurd.map((h) => senderOf(h.msg)!);
      assert.ok(senders.some((id) => slaveIds.has(id)) && senders.some((id) => !slaveIds.has(id)));
    });
  });

  describe('secondMaster', () => {
    it('sends FC E1 and set-limit heartbeats that the slaves hear, obey and answer', () => {
      const rogue = 0x7878;
      const r = rig(SLAVES, { secondMaster: { id: rogue, perSecond: 4 }, random: seededRandom(6) });
      const obeyed: string[] = [];
      const rogueHeartbeats: Extract<TwcMessage, { kind: 'masterHeartbeat' }>[] = [];
      r.bus.on('injected', (msg) => msg.kind === 'masterHeartbeat' && rogueHeartbeats.push(msg));
      // After each chunk (the rig's decoder has seen it): the last rogue offer to 4142 on the wire, and
      // what 4142 obeys now.
      r.bus.on('data', () => {
        const last = r.heard
          .map((h) => h.msg)
          .filter((m) => m.kind === 'masterHeartbeat' && m.receiver === 0x4142)
          .at(-1) as Extract<TwcMessage, { kind: 'masterHeartbeat' }> | undefined;
        if (last) obeyed.push(`${last.amps}/${r.bus.slaves[0].state.offeredAmps}`);
      });
      r.clock.advance(20000);
      const fromRogue = r.heard.filter((h) => senderOf(h.msg) === rogue);
      const linkReadies = fromRogue.filter((h) => h.msg.kind === 'masterLinkReady1');
      const onWire = fromRogue.filter((h) => h.msg.kind === 'masterHeartbeat');
      const answers = slaveHeartbeats(r.heard).filter((h) => h.msg.receiver === rogue);
      assert.ok(linkReadies.length >= 10, `${linkReadies.length} FC E1`);
      assert.ok(onWire.length >= 40, `${onWire.length} FB E0`);
      assert.equal(onWire.length, rogueHeartbeats.length);
      for (const s of SLAVES) {
        const to = onWire.filter((h) => (h.msg as { receiver: number }).receiver === s.id).length;
        assert.ok(to > 10, `${to} to ${s.id.toString(16)}`);
      }
      assert.equal(answers.length, onWire.length, 'each answered');
      const firstAnswer = r.heard.indexOf(answers[0]);
      assert.ok(r.heard.indexOf(onWire[0]) < firstAnswer, 'the rogue frame goes out before its answer');
      const mismatch = obeyed.filter((o) => o.split('/')[0] !== o.split('/')[1]);
      assert.ok(obeyed.length > 40);
      assert.deepEqual(mismatch, []);
    });
  });

  it('the same seed gives the same bytes; another seed others', () => {
    const options = (seed: number): SimulatedBusOptions => ({
      linkReadyFlood: { perSecond: 3 },
      noise: { bytesPerSecond: 100 },
      absurdFrames: { perSecond: 3 },
      secondMaster: { id: 0x7878, perSecond: 2 },
      random: seededRandom(seed),
    });
    const wire = (seed: number) => {
      const slaves = SLAVES.map((s, i) => ({ ...s, random: seededRandom(100 + i) }));
      const r = rig(slaves, options(seed));
      heartbeatFor(r, 10);
      return Buffer.concat(r.chunks.map((c) => c.bytes)).toString('hex');
    };
    assert.equal(wire(7), wire(7));
    assert.notEqual(wire(7), wire(8));
  });

  it('stop() leaves no timer behind, with every fault running and delayed replies in flight', () => {
    const clock = new ManualClock(0);
    const bus = new SimulatedBus(
      [{ id: 0x4142, maxAmps: 32, faults: { replyDelayMs: 5000, doubledReplies: true } }, ...SLAVES.slice(1)],
      clock,
      {
        linkReadyFlood: { perSecond: 5 },
        noise: { bytesPerSecond: 960 },
        absurdFrames: { perSecond: 5 },
        secondMaster: { id: 0x7878, perSecond: 5 },
        wireTiming: true,
        random: seededRandom(9),
      },
    );
    let after = 0;
    bus.on('data', () => after++);
    bus.start();
    clock.advance(3000);
    bus.write(encodeFrame(heartbeat(0x4142, 16)));
    clock.advance(100);
    bus.stop();
    after = 0;
    assert.equal(clock.pending, 0);
    clock.advance(10000);
    assert.equal(after, 0);
  });

  it('rejects bus fault values that make no sense', () => {
    const clock = new ManualClock(0);
    const bad: SimulatedBusOptions[] = [
      { noise: { bytesPerSecond: 961 } },
      { noise: { bytesPerSecond: 0 } },
      { linkReadyFlood: { perSecond: -1 } },
      { linkReadyFlood: { perSecond: 1, ids: [] } },
      { linkReadyFlood: { perSecond: 1, ids: [0x10000] } },
      { absurdFrames: { perSecond: Number.NaN } },
      { secondMaster: { id: 1.5, perSecond: 1 } },
    ];
    for (const options of bad) assert.throws(() => new SimulatedBus([], clock, options), RangeError);
  });
});

/** What the two simulated slaves themselves send: heartbeats with their own sane values. */
function isSane(msg: TwcMessage): boolean {
  return msg.kind === 'slaveHeartbeat' && msg.limitAmps <= 80 && msg.actualAmps <= 80 && msg.state <= 0x0a;
}
