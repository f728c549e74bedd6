import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ManualClock } from '../../../src/clock';
import { decodeMessage, encodeFrame, FrameDecoder, SlaveState, type TwcMessage } from '../../../src/protocol';
import { SimulatedBus } from '../../../src/sim/bus';
import { SimulatedSlave } from '../../../src/sim/slave';

const M = 0x7777;
const seeded = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};

function heartbeat(receiver: number, amps: number, command = 9, version: 1 | 2 = 2): TwcMessage {
  return { kind: 'masterHeartbeat', sender: M, receiver, command, amps, masterPluggedIn: false, version };
}

/** A bus with a recorder of everything the slaves send. */
function rig(slaves: ConstructorParameters<typeof SimulatedBus>[0]) {
  const clock = new ManualClock(0);
  const bus = new SimulatedBus(slaves, clock);
  const decoder = new FrameDecoder();
  const heard: { at: number; msg: TwcMessage; bytes: number }[] = [];
  bus.on('data', (frame) => {
    for (const m of decoder.push(frame))
      heard.push({ at: clock.now(), msg: decodeMessage(m), bytes: m.length });
  });
  bus.start();
  const send = (msg: TwcMessage) => bus.write(encodeFrame(msg));
  return { clock, bus, heard, send };
}

function lastReply(heard: { msg: TwcMessage }[], id: number) {
  const r = [...heard].reverse().find((h) => h.msg.kind === 'slaveHeartbeat' && h.msg.sender === id);
  assert.ok(r, 'a heartbeat reply');
  return r.msg as Extract<TwcMessage, { kind: 'slaveHeartbeat' }>;
}

describe('SimulatedSlave on a SimulatedBus', () => {
  it('sends link-ready every 10 s until a master heartbeats it, and again once the master is gone', () => {
    const { clock, heard, send } = rig([{ id: 0x4142, maxAmps: 80, sign: 0x2a }]);
    clock.advance(25000);
    const lr = heard.filter((h) => h.msg.kind === 'slaveLinkReady');
    assert.deepEqual(
      lr.map((h) => h.at),
      [0, 10000, 20000],
    );
    assert.deepEqual(lr[0].msg, {
      kind: 'slaveLinkReady',
      sender: 0x4142,
      sign: 0x2a,
      maxAmps: 80,
      version: 2,
    });
    for (let t = 0; t < 20; t++) {
      send(heartbeat(0x4142, 0, 0));
      clock.advance(1000);
    }
    assert.equal(heard.filter((h) => h.msg.kind === 'slaveLinkReady').length, 3, 'quiet while heartbeated');
    clock.advance(12000);
    assert.equal(heard.filter((h) => h.msg.kind === 'slaveLinkReady').length, 4, 'advertises again');
  });

  it('answers the second FB E2 with five link-readies', () => {
    const { clock, heard, send } = rig([{ id: 0x4142, maxAmps: 32 }]);
    clock.advance(1);
    heard.length = 0;
    send({ kind: 'masterLinkReady2', sender: M, sign: 0x77 });
    clock.advance(200);
    assert.equal(heard.length, 0, 'the first is ignored');
    send({ kind: 'masterLinkReady2', sender: M, sign: 0x77 });
    clock.advance(200);
    assert.equal(heard.filter((h) => h.msg.kind === 'slaveLinkReady').length, 5);
  });

  it('picks a new ID when a master uses its own', () => {
    const slave = new SimulatedSlave({ id: 0x7777, maxAmps: 32, random: seeded(3) });
    slave.receive({ kind: 'masterLinkReady1', sender: 0x7777, sign: 0x77 }, 0);
    assert.notEqual(slave.id, 0x7777);
  });

  it('reports no car, a car waiting for a limit, starting, then charging below the limit', () => {
    const { clock, heard, send, bus } = rig([{ id: 0x4142, maxAmps: 80, random: seeded(1) }]);
    send(heartbeat(0x4142, 32));
    clock.advance(10);
    assert.deepEqual(
      { ...lastReply(heard, 0x4142) },
      {
        kind: 'slaveHeartbeat',
        sender: 0x4142,
        receiver: M,
        state: SlaveState.Ready,
        limitAmps: 0,
        actualAmps: 0,
        version: 2,
      },
    );
    bus.slaves[0].plugIn({ maxAmps: 48 });
    send(heartbeat(0x4142, 0, 0));
    clock.advance(10);
    assert.equal(lastReply(heard, 0x4142).state, SlaveState.PluggedReady);
    send(heartbeat(0x4142, 32));
    clock.advance(10);
    assert.equal(lastReply(heard, 0x4142).state, SlaveState.Starting);
    assert.equal(lastReply(heard, 0x4142).limitAmps, 32);
    const draws: number[] = [];
    for (let i = 0; i < 12; i++) {
      clock.advance(990);
      send(heartbeat(0x4142, 32, 0));
      clock.advance(10);
      draws.push(lastReply(heard, 0x4142).actualAmps);
    }
    assert.ok(draws[0] < 8, `ramps over seconds, first ${draws[0]}`);
    assert.ok(draws.at(-1)! >= 30 && draws.at(-1)! <= 32, `settles a little under 32 A: ${draws.at(-1)}`);
    assert.equal(lastReply(heard, 0x4142).state, SlaveState.Charging);
    send(heartbeat(0x4142, 12));
    clock.advance(10);
    assert.ok(lastReply(heard, 0x4142).actualAmps <= 12, 'drops at once when the offer falls');
    send(heartbeat(0x4142, 0));
    clock.advance(10);
    assert.deepEqual(
      [
        lastReply(heard, 0x4142).state,
        lastReply(heard, 0x4142).actualAmps,
        lastReply(heard, 0x4142).limitAmps,
      ],
      [SlaveState.PluggedNotCharging, 0, 12],
    );
  });

  it('replies at its own protocol length, and protocol 1 units know no queries', () => {
    const { clock, heard, send } = rig([
      { id: 1, maxAmps: 32, version: 1 },
      { id: 2, maxAmps: 32, version: 2 },
    ]);
    clock.advance(1);
    heard.length = 0;
    send(heartbeat(1, 0, 0, 1));
    send(heartbeat(2, 0, 0, 2));
    send({ kind: 'kwhRequest', sender: M, receiver: 1, version: 1 });
    clock.advance(50);
    assert.deepEqual(
      heard.map((h) => [h.msg.kind, (h.msg as { sender: number }).sender, h.bytes]),
      [
        ['slaveHeartbeat', 1, 14],
        ['slaveHeartbeat', 2, 16],
      ],
    );
  });

  it('sends its VIN in three parts, and none without a car', () => {
    const { clock, heard, send, bus } = rig([
      { id: 0x4142, maxAmps: 80, car: { maxAmps: 32, vin: '5YJ3E1EA2JF000123' } },
    ]);
    for (const kind of ['vinRequest1', 'vinRequest2', 'vinRequest3'] as const)
      send({ kind, sender: M, receiver: 0x4142, version: 2 });
    clock.advance(50);
    const parts = heard.filter((h) => h.msg.kind === 'vinReply').map((h) => (h.msg as { text: string }).text);
    assert.deepEqual(parts, ['5YJ3E1E', 'A2JF000', '123']);
    bus.slaves[0].unplug();
    heard.length = 0;
    send({ kind: 'vinRequest1', sender: M, receiver: 0x4142, version: 2 });
    clock.advance(50);
    assert.deepEqual(
      heard.map((h) => (h.msg as { text: string }).text),
      [''],
    );
  });

  it('names its serial number after its TWCID, zero-padded', () => {
    const slave = new SimulatedSlave({ id: 0x0041, maxAmps: 32 });
    const [reply] = slave.receive({ kind: 'serialRequest', sender: M, receiver: 0x0041, version: 2 }, 0);
    assert.deepEqual(reply, { kind: 'serialNumber', sender: 0x0041, serial: 'SIM00410001' });
  });

  it('counts lifetime kWh while charging and reports volts and per-phase amps', () => {
    const { clock, heard, send } = rig([
      {
        id: 0x4142,
        maxAmps: 80,
        lifetimeKwh: 100,
        volts: [230, 231, 229],
        car: { maxAmps: 32 },
        random: seeded(5),
      },
    ]);
    for (let i = 0; i < 3600; i++) {
      send(heartbeat(0x4142, 32));
      clock.advance(1000);
    }
    send({ kind: 'kwhRequest', sender: M, receiver: 0x4142, version: 2 });
    clock.advance(50);
    const report = heard.filter((h) => h.msg.kind === 'kwhReport').at(-1)?.msg as Extract<
      TwcMessage,
      { kind: 'kwhReport' }
    >;
    // ~31 A on three phases of ~230 V for an hour is ~21 kWh.
    assert.ok(report.lifetimeKwh >= 118 && report.lifetimeKwh <= 123, `kWh ${report.lifetimeKwh}`);
    assert.deepEqual([report.voltsPhaseA, report.voltsPhaseB, report.voltsPhaseC], [230, 231, 229]);
    assert.ok(report.ampsPhaseA > 29 && report.ampsPhaseA === report.ampsPhaseC);
  });

  it('stops on FC B2 and starts again on FC B1', () => {
    const { clock, heard, send } = rig([{ id: 0x4142, maxAmps: 80, car: { maxAmps: 32 } }]);
    for (let i = 0; i < 10; i++) {
      send(heartbeat(0x4142, 32));
      clock.advance(1000);
    }
    assert.ok(lastReply(heard, 0x4142).actualAmps > 20);
    send({ kind: 'stopCharging', sender: M, receiver: 0x4142, version: 2 });
    send(heartbeat(0x4142, 32));
    clock.advance(10);
    assert.deepEqual(
      [lastReply(heard, 0x4142).state, lastReply(heard, 0x4142).actualAmps],
      [SlaveState.PluggedNotCharging, 0],
    );
    send({ kind: 'startCharging', sender: M, receiver: 0x4142, version: 2 });
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      send(heartbeat(0x4142, 32));
    }
    clock.advance(10);
    assert.ok(lastReply(heard, 0x4142).actualAmps > 10);
  });

  it('serves several slaves from chunked input, one frame at a time, and survives garbage', () => {
    const { clock, heard, bus } = rig([
      { id: 1, maxAmps: 32 },
      { id: 2, maxAmps: 32 },
      { id: 3, maxAmps: 32 },
    ]);
    clock.advance(1);
    heard.length = 0;
    const stream = Uint8Array.from([
      0x12,
      0xc0,
      0xdb,
      0x01,
      ...encodeFrame(heartbeat(1, 0, 0)),
      ...encodeFrame(heartbeat(2, 0, 0)),
      0xff,
      ...encodeFrame(heartbeat(3, 0, 0)),
    ]);
    for (const b of stream) bus.write(Uint8Array.of(b));
    clock.advance(50);
    assert.deepEqual(
      heard.filter((h) => h.msg.kind === 'slaveHeartbeat').map((h) => (h.msg as { sender: number }).sender),
      [1, 2, 3],
    );
    assert.ok(bus.stats.garbageBytes >= 3);
    assert.doesNotThrow(() => {
      const r = seeded(9);
      for (let i = 0; i < 20000; i++) bus.write(Uint8Array.of(Math.floor(r() * 256)));
    });
  });

  it('never draws more than the last offer nor the car maximum (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 6, max: 80 }),
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 80 }),
            fc.constantFrom(0, 5, 9),
            fc.integer({ min: 1, max: 5000 }),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        (carMax, steps) => {
          const slave = new SimulatedSlave({
            id: 0x4142,
            maxAmps: 80,
            car: { maxAmps: carMax },
            random: seeded(carMax),
          });
          let offer = 0;
          let now = 0;
          for (const [amps, command, dt] of steps) {
            now += dt;
            slave.tick(now);
            const [reply] = slave.receive(heartbeat(0x4142, amps, command), now);
            if (command !== 0) offer = amps;
            assert.ok(reply.kind === 'slaveHeartbeat');
            assert.ok(reply.actualAmps <= offer, `actual ${reply.actualAmps} above offer ${offer}`);
            assert.ok(reply.actualAmps <= carMax);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('SimulatedSlave linking after many masters', () => {
  it('answers every new linking sequence, however many FB E2 came before', () => {
    const slave = new SimulatedSlave({ id: 0x4142, maxAmps: 32 });
    let now = 0;
    const burst = (): number => {
      let answers = 0;
      for (let i = 0; i < 5; i++)
        answers += slave.receive({ kind: 'masterLinkReady1', sender: M, sign: 0x77 }, (now += 100)).length;
      for (let i = 0; i < 5; i++)
        answers += slave.receive({ kind: 'masterLinkReady2', sender: M, sign: 0x77 }, (now += 100)).length;
      return answers;
    };
    for (let i = 0; i < 10; i++) assert.equal(burst(), 5, `burst ${i}`);
  });
});
