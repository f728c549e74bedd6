import assert from 'node:assert/strict';
import { formatHex, type TwcMessage } from '../../../src/protocol';
import { checkSlaveFaults } from '../../../src/sim/faults';
import { SimulatedSlave } from '../../../src/sim/slave';
import { heartbeat, M, overlaps, rig, seeded, slaveHeartbeats } from './wire-recorder';

describe('SimulatedSlave faults', () => {
  describe('staleEcho', () => {
    /** Offers 40 A, 80 A, then 40 A again, each held for a while, to a unit whose car takes 80 A. */
    function run(staleEcho: boolean) {
      const { clock, bus, heard, send } = rig([
        { id: 0x4142, maxAmps: 80, car: { maxAmps: 80 }, faults: { staleEcho }, random: seeded(2) },
      ]);
      const phases: { reported: number; stateLimit: number; obeyed: number; maxActual: number }[] = [];
      const overOffer: string[] = [];
      for (const [amps, seconds] of [
        [40, 10],
        [80, 20],
        [40, 5],
      ]) {
        let maxActual = 0;
        for (let i = 0; i < seconds; i++) {
          send(heartbeat(0x4142, amps));
          clock.advance(1000);
          const reply = slaveHeartbeats(heard).at(-1)!.msg;
          maxActual = Math.max(maxActual, reply.actualAmps);
          if (reply.actualAmps > amps) overOffer.push(`${reply.actualAmps} A drawn with ${amps} A offered`);
        }
        const { limitAmps, offeredAmps } = bus.slaves[0].state;
        phases.push({
          reported: slaveHeartbeats(heard).at(-1)!.msg.limitAmps,
          stateLimit: limitAmps,
          obeyed: offeredAmps,
          maxActual,
        });
      }
      return { phases, overOffer };
    }

    it('reports the grant from before the latest change while obeying the newest', () => {
      const { phases, overOffer } = run(true);
      assert.deepEqual(
        phases.map((p) => [p.reported, p.stateLimit, p.obeyed]),
        [
          [0, 0, 40],
          [40, 40, 80],
          [80, 80, 40],
        ],
      );
      assert.ok(phases[1].maxActual > 60, `draws beyond the 40 A it reports: ${phases[1].maxActual} A`);
      assert.deepEqual(overOffer, [], 'the car still obeys the real offer');
    });

    it('without the fault the limit field follows the newest grant', () => {
      const { phases } = run(false);
      assert.deepEqual(
        phases.map((p) => [p.reported, p.obeyed]),
        [
          [40, 40],
          [80, 80],
          [40, 40],
        ],
      );
    });
  });

  describe('replyDelayMs', () => {
    it('answers everything after its delay, other units at once, and no two frames overlap', () => {
      const { clock, heard, chunks, send } = rig(
        [
          { id: 0x4142, maxAmps: 32, faults: { replyDelayMs: 2000 } },
          { id: 0x4243, maxAmps: 32 },
        ],
        { wireTiming: true },
      );
      clock.advance(100);
      const askedAt: number[] = [];
      for (let i = 0; i < 6; i++) {
        askedAt.push(clock.now());
        send(heartbeat(0x4142, 0, 0));
        send(heartbeat(0x4243, 0, 0));
        send({ kind: 'kwhRequest', sender: M, receiver: 0x4142, version: 2 });
        clock.advance(1000);
      }
      clock.advance(3000);
      const late = slaveHeartbeats(heard, 0x4142).map((h) => h.at);
      const prompt = slaveHeartbeats(heard, 0x4243).map((h) => h.at);
      const reports = heard.filter((h) => h.msg.kind === 'kwhReport').map((h) => h.at);
      assert.equal(late.length, 6);
      assert.equal(reports.length, 6);
      late.forEach((at, i) =>
        assert.ok(at - askedAt[i] >= 2000 && at - askedAt[i] < 2100, `reply ${i} at ${at}`),
      );
      reports.forEach((at, i) => assert.ok(at - askedAt[i] >= 2000, `kWh report ${i} at ${at}`));
      prompt.forEach((at, i) => assert.ok(at - askedAt[i] < 50, `prompt reply ${i} at ${at}`));
      assert.deepEqual(overlaps(chunks), []);
    });

    it('replies of delayed units due at the same instant go out one after the other', () => {
      const ids = [0x0001, 0x0002, 0x0003];
      const { clock, chunks, heard, send } = rig(
        ids.map((id) => ({ id, maxAmps: 32, faults: { replyDelayMs: 700 } })),
        { wireTiming: true },
      );
      clock.advance(100);
      chunks.length = 0;
      heard.length = 0;
      for (const id of ids) send(heartbeat(id, 0, 0));
      clock.advance(1000);
      assert.deepEqual(
        slaveHeartbeats(heard).map((h) => h.msg.sender),
        ids,
      );
      assert.equal(chunks.length, 3);
      assert.deepEqual(overlaps(chunks), []);
      assert.ok(chunks[2].at - chunks[0].at >= 2 * 18 * (10 / 9.6) - 1e-9, 'spaced by their wire time');
    });
  });

  describe('doubledReplies', () => {
    it('sends every reply twice, byte for byte; a unit without the fault once', () => {
      const { clock, chunks, heard, send } = rig([
        {
          id: 0x4142,
          maxAmps: 32,
          faults: { doubledReplies: true },
          car: { maxAmps: 16, vin: '5YJ3E1EA2JF000123' },
        },
        { id: 0x4243, maxAmps: 32 },
      ]);
      clock.advance(100);
      chunks.length = 0;
      heard.length = 0;
      send(heartbeat(0x4142, 16));
      send({ kind: 'kwhRequest', sender: M, receiver: 0x4142, version: 2 });
      send({ kind: 'vinRequest1', sender: M, receiver: 0x4142, version: 2 });
      send(heartbeat(0x4243, 16));
      clock.advance(100);
      const kinds = heard.map((h) => `${h.msg.kind}:${(h.msg as { sender: number }).sender.toString(16)}`);
      assert.deepEqual(kinds, [
        'slaveHeartbeat:4142',
        'slaveHeartbeat:4142',
        'kwhReport:4142',
        'kwhReport:4142',
        'vinReply:4142',
        'vinReply:4142',
        'slaveHeartbeat:4243',
      ]);
      for (const i of [0, 2, 4]) assert.equal(formatHex(chunks[i].bytes), formatHex(chunks[i + 1].bytes));
    });
  });

  describe('keepsId', () => {
    const linking = (sender: number): TwcMessage[] => [
      ...Array.from({ length: 5 }, () => ({ kind: 'masterLinkReady1' as const, sender, sign: 0x77 })),
      ...Array.from({ length: 5 }, () => ({ kind: 'masterLinkReady2' as const, sender, sign: 0x77 })),
    ];

    it("keeps the master's own ID and answers every link-ready with one FD E2", () => {
      const slave = new SimulatedSlave({ id: M, maxAmps: 32, faults: { keepsId: true }, random: seeded(4) });
      const answers: TwcMessage[][] = [];
      let now = 0;
      for (let round = 0; round < 3; round++)
        for (const msg of linking(M)) answers.push(slave.receive(msg, (now += 100)));
      assert.equal(slave.id, M);
      assert.equal(answers.length, 30);
      const bad = answers.filter(
        (a) => a.length !== 1 || a[0].kind !== 'slaveLinkReady' || a[0].sender !== M,
      );
      assert.deepEqual(bad, []);
    });

    it("a unit without the fault gives up the master's ID, then links as usual", () => {
      const slave = new SimulatedSlave({ id: M, maxAmps: 32, random: seeded(4) });
      let now = 0;
      const answers = linking(M).map((msg) => slave.receive(msg, (now += 100)).length);
      assert.notEqual(slave.id, M);
      // Once it has a new ID, the rest of the sequence links it as usual.
      assert.deepEqual(answers, [0, 0, 0, 0, 0, 0, 5, 0, 0, 0]);
      const other = new SimulatedSlave({ id: 0x4142, maxAmps: 32, random: seeded(4) });
      assert.deepEqual(
        linking(M).map((msg) => other.receive(msg, (now += 100)).length),
        [0, 0, 0, 0, 0, 0, 5, 0, 0, 0],
      );
    });
  });

  describe('lossRate', () => {
    function answered(lossRate: number, seed: number): boolean[] {
      const slave = new SimulatedSlave({
        id: 0x4142,
        maxAmps: 32,
        faults: { lossRate },
        random: seeded(seed),
      });
      return Array.from(
        { length: 2000 },
        (_, i) => slave.receive(heartbeat(0x4142, 0, 0), i * 1000).length > 0,
      );
    }

    it('misses about that share of frames from the master, the same ones for the same seed', () => {
      const run = answered(0.25, 11);
      const heardCount = run.filter(Boolean).length;
      assert.ok(heardCount > 1400 && heardCount < 1600, `${heardCount} of 2000 answered`);
      assert.deepEqual(answered(0.25, 11), run);
      assert.notDeepEqual(answered(0.25, 12), run);
      assert.equal(answered(0, 11).filter(Boolean).length, 2000);
      assert.equal(answered(1, 11).filter(Boolean).length, 0);
    });

    it('misses queries too', () => {
      const slave = new SimulatedSlave({ id: 0x4142, maxAmps: 32, faults: { lossRate: 1 } });
      assert.deepEqual(slave.receive({ kind: 'kwhRequest', sender: M, receiver: 0x4142, version: 2 }, 0), []);
    });
  });

  it('rejects fault values that make no sense', () => {
    assert.throws(() => checkSlaveFaults({ lossRate: 1.5 }), RangeError);
    assert.throws(() => checkSlaveFaults({ lossRate: Number.NaN }), RangeError);
    assert.throws(() => checkSlaveFaults({ replyDelayMs: -1 }), RangeError);
    assert.throws(() => new SimulatedSlave({ id: 1, maxAmps: 32, faults: { lossRate: -0.1 } }), RangeError);
  });
});

describe('Two simulated units with the same TWCID on one bus', () => {
  it('both answer each heartbeat, one frame after the other, and differ once their cars draw', () => {
    const { clock, chunks, heard, send } = rig(
      [
        { id: 0x4142, maxAmps: 80, car: { maxAmps: 16 }, random: seeded(1) },
        { id: 0x4142, maxAmps: 80, car: { maxAmps: 32 }, random: seeded(2) },
      ],
      { wireTiming: true },
    );
    const perHeartbeat: number[] = [];
    for (let i = 0; i < 15; i++) {
      const before = slaveHeartbeats(heard, 0x4142).length;
      send(heartbeat(0x4142, 40));
      clock.advance(1000);
      perHeartbeat.push(slaveHeartbeats(heard, 0x4142).length - before);
    }
    assert.deepEqual(perHeartbeat, Array(15).fill(2));
    const [a, b] = slaveHeartbeats(heard, 0x4142)
      .slice(-2)
      .map((h) => h.msg.actualAmps);
    assert.ok(a > 14 && a <= 16, `the 16 A car draws ${a}`);
    assert.ok(b > 29 && b <= 32, `the 32 A car draws ${b}`);
    assert.deepEqual(overlaps(chunks), []);
  });
});
