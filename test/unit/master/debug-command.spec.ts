import assert from 'node:assert/strict';
import { DebugCommandError, MAX_PENDING_DEBUG } from '../../../src/master/debug';
import {
  checksum,
  escape,
  formatHex,
  parseHex,
  RefusedCommandError,
  type TwcMessage,
} from '../../../src/protocol';
import { scriptedMaster } from './scripted-slaves';

const A = 0x4142;
const B = 0x4243;
const HEARTBEAT_MS = 1000;

/** A slave's message with its checksum, framed by hand: the encoder refuses FD 1B, which it never sends. */
function rawFrame(body: number[]): Uint8Array {
  const message = Uint8Array.from([...body, checksum(Uint8Array.from(body))]);
  return Uint8Array.from([0xc0, ...escape(message), 0xc0]);
}

/** FD 1B from `id`: a firmware reply without a typed form, as some units send. */
const firmwareReply = (id: number) => [0xfd, 0x1b, id >> 8, id & 0xff, 4, 5, 3, 0, 0, 0, 0, 0, 0, 0, 0];

/** Two linked units (A first) that answer FB 1B after 5 ms; `answer` decides who answers. */
function linked(answer: (msg: TwcMessage) => number[] | undefined = defaultAnswer) {
  const rig = scriptedMaster({
    wiringMaxAmpsAllTWCs: 32,
    wiringMaxAmpsPerTWC: 32,
    heartbeatIntervalMs: HEARTBEAT_MS,
  });
  rig.master.start();
  rig.clock.advance(1100);
  for (const id of [A, B]) {
    rig.bus.add(id);
    rig.bus.linkReady(id);
    rig.clock.advance(300);
  }
  rig.clock.advance(5000);
  rig.bus.onFrame = (msg) => {
    const body = answer(msg);
    if (body) rig.clock.setTimeout(() => rig.transport.receive(rawFrame(body)), 5);
  };
  rig.bus.sent.length = 0;
  return rig;
}

function defaultAnswer(msg: TwcMessage): number[] | undefined {
  return msg.kind === 'firmwareRequest' ? firmwareReply(msg.receiver) : undefined;
}

/** Every frame written to the wire, as hex of its bytes between the delimiters (escaping aside). */
const wire = (writes: Uint8Array[]) => writes.map((w) => formatHex(w));

function throwsWith<E extends Error>(fn: () => void, type: new (...a: never[]) => E): E {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof type, `expected ${type.name}, got ${String(caught)}`);
  return caught;
}

/** The gaps between successive heartbeats to `id` among the frames sent. */
function heartbeatGaps(rig: ReturnType<typeof linked>, id: number): number[] {
  const at = rig.bus.heartbeatsTo(id).map((s) => s.at);
  return at.slice(1).map((t, i) => t - at[i]);
}

describe('sendDebugCommand in the engine: vetted, queued between heartbeats, its reply kept', () => {
  it('sends the named query once to the addressed unit and keeps exactly its reply', () => {
    const rig = linked();
    assert.equal(rig.master.lastDebugResponse(), undefined, 'nothing before the first debug command');
    rig.master.sendDebugCommand({ bytes: Uint8Array.of(0xfb, 0x1b), to: B });
    assert.deepEqual([...rig.master.lastDebugResponse()!], [], 'cleared when accepted');
    rig.clock.advance(3000);
    const sent = rig.bus.sent.filter((s) => s.msg.kind === 'firmwareRequest');
    assert.equal(sent.length, 1, 'one frame, once');
    assert.deepEqual(sent[0].msg, { kind: 'firmwareRequest', sender: 0x7777, receiver: B, version: 2 });
    const reply = rig.master.lastDebugResponse()!;
    assert.equal(
      formatHex(reply),
      formatHex([...firmwareReply(B), checksum(Uint8Array.from(firmwareReply(B)))]),
    );
    for (const id of [A, B]) assert.ok(Math.max(...heartbeatGaps(rig, id)) <= HEARTBEAT_MS + 60, 'cadence');
  });

  it('without subTWC asks the first linked unit, as TWCManager does', () => {
    const rig = linked();
    rig.master.sendDebugCommand({ bytes: Uint8Array.of(0xfb, 0xed) });
    rig.clock.advance(2000);
    const sent = rig.bus.sent.filter((s) => s.msg.kind === 'serialRequest');
    assert.deepEqual(
      sent.map((s) => s.msg.kind === 'serialRequest' && s.msg.receiver),
      [A],
    );
  });

  it('takes neither another unit’s frame nor a heartbeat for the answer, nor a frame after the window', () => {
    // B answers for A; A answers nothing but its heartbeats; then a late FD 1B from A.
    const rig = linked((msg) => (msg.kind === 'firmwareRequest' ? firmwareReply(B) : undefined));
    rig.master.sendDebugCommand({ bytes: Uint8Array.of(0xfb, 0x1b), to: A });
    rig.clock.advance(3000);
    assert.equal(rig.bus.sent.filter((s) => s.msg.kind === 'firmwareRequest').length, 1);
    assert.deepEqual([...rig.master.lastDebugResponse()!], [], 'no answer from A');
    rig.transport.receive(rawFrame(firmwareReply(A)));
    assert.deepEqual([...rig.master.lastDebugResponse()!], [], 'too late to be the answer');
  });

  it('keeps the answer until the next debug command, whatever else the units say meanwhile', () => {
    const rig = linked();
    rig.master.sendDebugCommand({ bytes: Uint8Array.of(0xfb, 0x1b), to: A });
    rig.clock.advance(2000);
    const first = formatHex(rig.master.lastDebugResponse()!);
    assert.match(first, /^FD 1B 41 42/);
    rig.transport.receive(rawFrame(firmwareReply(B)));
    rig.clock.advance(2000);
    assert.equal(formatHex(rig.master.lastDebugResponse()!), first);
    rig.master.sendDebugCommand({ bytes: Uint8Array.of(0xfb, 0x1b), to: B });
    assert.equal(rig.master.lastDebugResponse()!.length, 0);
    rig.clock.advance(2000);
    assert.match(formatHex(rig.master.lastDebugResponse()!), /^FD 1B 42 43/);
  });

  it('sends a whole custom message as given, after the gate', () => {
    const rig = linked();
    const body = [0xfb, 0xeb, 0x77, 0x77, 0x42, 0x43, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const message = [...body, checksum(Uint8Array.from(body))];
    rig.master.sendDebugCommand({ bytes: Uint8Array.from(message) });
    rig.clock.advance(2000);
    assert.ok(wire(rig.transport.writes).includes(formatHex(rawFrame(body))), 'the 16 bytes, framed');
  });

  const refused: [string, string][] = [
    ['FC 19', 'FC19'],
    ['FC 1A', 'FC1A'],
    ['FB E8', 'FBE8'],
    ['a code no one sends', 'FB42'],
    ['a heartbeat (it would carry a limit)', 'FBE0'],
    ['start charging', 'FCB1'],
    ['a slave’s own message', 'FDEC'],
    ['an over-long message', 'FB1B77774142' + '00'.repeat(16)],
    ['a bad checksum', 'FB1B77774142000000000000000000FF'],
    ['a heartbeat with command 02', 'FBE07777414202' + '00'.repeat(8)],
  ];
  for (const [what, hex] of refused) {
    it(`refuses ${what} before anything is queued or cleared`, () => {
      const rig = linked();
      rig.master.sendDebugCommand({ bytes: Uint8Array.of(0xfb, 0x1b), to: A });
      rig.clock.advance(2000);
      const kept = formatHex(rig.master.lastDebugResponse()!);
      const writes = rig.transport.writes.length;
      const err = throwsWith(
        () => rig.master.sendDebugCommand({ bytes: parseHex(hex), to: A }),
        RefusedCommandError,
      );
      assert.match(err.message, /^refused to send /);
      rig.clock.advance(3000);
      const code = hex.slice(0, 4);
      const after = rig.transport.writes.slice(writes).map((w) => formatHex(w).replace(/ /g, ''));
      assert.ok(after.length > 0);
      if (code !== 'FBE0')
        assert.ok(
          after.every((w) => !w.startsWith(`C0${code}`)),
          `${code} never on the wire`,
        );
      else assert.ok(after.every((w) => !w.startsWith('C0FBE077774142') || heartbeatLike(w)));
      assert.equal(formatHex(rig.master.lastDebugResponse()!), kept, 'the last answer stays');
    });
  }

  it('names the danger of FC 19 and says what a debug command may send', () => {
    const rig = linked();
    const fc19 = throwsWith(
      () => rig.master.sendDebugCommand({ bytes: parseHex('FC19') }),
      RefusedCommandError,
    );
    assert.match(fc19.message, /one-time-programmable/);
    const start = throwsWith(
      () => rig.master.sendDebugCommand({ bytes: parseHex('FCB1') }),
      RefusedCommandError,
    );
    assert.match(start.message, /FC B1 is not a read-only query; a debug command sends only .*FB 1B/);
  });

  it('answers 400 for a unit not on the bus, a foreign sender or a receiver other than subTWC', () => {
    const rig = linked();
    const cases: [Uint8Array, number | undefined, RegExp][] = [
      [parseHex('FB1B'), 0x1234, /no Wall Connector with TWCID 1234/],
      [parseHex('FB1B12344142000000000000000000'), undefined, /master's TWCID 7777/],
      [parseHex('FB1B77774142000000000000000000'), B, /subTWC 4243 is not the receiver 4142/],
      [parseHex('FB1B77771234000000000000000000'), undefined, /TWCID 1234 is on/],
    ];
    for (const [bytes, to, reason] of cases) {
      const body = bytes.length > 2 ? Uint8Array.from([...bytes, checksum(bytes)]) : bytes;
      const err = throwsWith(() => rig.master.sendDebugCommand({ bytes: body, to }), DebugCommandError);
      assert.equal(err.status, 400);
      assert.match(err.message, reason);
    }
    assert.equal(rig.master.lastDebugResponse(), undefined, 'none of them was accepted');
  });

  it('answers 400 when no unit is linked', () => {
    const rig = scriptedMaster({});
    rig.master.start();
    const err = throwsWith(() => rig.master.sendDebugCommand({ bytes: parseHex('FB1B') }), DebugCommandError);
    assert.deepEqual([err.status, err.message], [400, 'no Wall Connector is linked to send it to']);
  });

  it(`holds at most ${MAX_PENDING_DEBUG} commands; more is 429 until the bus has taken some`, () => {
    const rig = linked();
    for (let i = 0; i < MAX_PENDING_DEBUG; i++)
      rig.master.sendDebugCommand({ bytes: parseHex('FB1B'), to: i % 2 ? A : B });
    const err = throwsWith(
      () => rig.master.sendDebugCommand({ bytes: parseHex('FB1B'), to: A }),
      DebugCommandError,
    );
    assert.equal(err.status, 429);
    assert.match(err.message, new RegExp(`^${MAX_PENDING_DEBUG} debug commands are still waiting`));
    rig.clock.advance(5000);
    assert.equal(rig.bus.sent.filter((s) => s.msg.kind === 'firmwareRequest').length, MAX_PENDING_DEBUG);
    for (const id of [A, B]) assert.ok(Math.max(...heartbeatGaps(rig, id)) <= HEARTBEAT_MS + 60, 'cadence');
    rig.master.sendDebugCommand({ bytes: parseHex('FB1B'), to: A });
    rig.clock.advance(2000);
    assert.equal(rig.bus.sent.filter((s) => s.msg.kind === 'firmwareRequest').length, MAX_PENDING_DEBUG + 1);
  });
});

/** A heartbeat the engine itself sends: keep-alive or set-limit, never command 02. */
function heartbeatLike(hex: string): boolean {
  return ['00', '05', '09'].includes(hex.slice(14, 16));
}
