import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  assertAllowed,
  checksum,
  decodeMessage,
  encodeFrame,
  encodeMessage,
  escape,
  FRAME_DELIMITER,
  FrameDecoder,
  frameMessage,
  refusalReason,
  RefusedCommandError,
  type TwcMessage,
} from '../../../src/protocol';
import { messageArb } from './arbitraries';

/** What `fn` threw, or undefined; the assertions come after it returned. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

/** Every way a message can reach the encoder's gate: directly, and as an `unknown` message with raw bytes. */
function everyPathRefuses(message: Uint8Array): void {
  const raw: TwcMessage = { kind: 'unknown', bytes: message };
  for (const path of [
    () => assertAllowed(message),
    () => frameMessage(message),
    () => encodeMessage(raw),
    () => encodeFrame(raw),
  ]) {
    const err = thrown(path);
    assert.ok(err instanceof RefusedCommandError, `not refused: ${String(err)}`);
  }
}

/** `body` with its correct checksum appended, so the checksum is never the reason for a refusal. */
const sealed = (body: number[]): Uint8Array => Uint8Array.from([...body, checksum(Uint8Array.from(body))]);

/** Class and function bytes the gate lets through, and any others, each often. */
const classByte = fc.oneof(fc.constantFrom(0xfb, 0xfc, 0xfd), fc.integer({ min: 0, max: 0xff }));
const fnByte = fc.oneof(
  fc.constantFrom(0xe0, 0xe1, 0xe2, 0xeb, 0xec, 0xed, 0xee, 0xef, 0xf1, 0x1b, 0xb1, 0xb2),
  fc.integer({ min: 0, max: 0xff }),
);
const byte = fc.integer({ min: 0, max: 0xff });

describe('the encoder gate (refused.ts) by property', () => {
  it('decodeMessage never throws, for any bytes of any length 0 to 64', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (bytes) => {
        let msg: TwcMessage | undefined;
        const err = thrown(() => (msg = decodeMessage(bytes)));
        assert.equal(err, undefined);
        assert.ok(msg);
        if (bytes.length < 13 || bytes.length > 20) assert.deepEqual(msg, { kind: 'unknown', bytes });
      }),
      { numRuns: 2000 },
    );
  });

  it('FrameDecoder.push never throws for any chunking of any bytes, and its stats account for every byte', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            // Noise, delimiters and escapes, and whole frames (of which a chunk may hold only a part).
            fc.oneof(
              fc.uint8Array({ maxLength: 50 }),
              fc.constantFrom(Uint8Array.of(0xc0), Uint8Array.of(0xdb), Uint8Array.of(0xc0, 0xc0)),
              fc.tuple(messageArb, fc.nat()).map(([m, n]) => encodeFrame(m).subarray(0, n % 25)),
              messageArb.map(encodeFrame),
            ),
            fc.option(fc.nat(3000), { nil: undefined }),
          ),
          { maxLength: 20 },
        ),
        fc.constantFrom('known' as const, 'request' as const),
        (chunks, accept) => {
          const decoder = new FrameDecoder({ accept });
          const messages: Uint8Array[] = [];
          let now = 0;
          const err = thrown(() => {
            for (const [chunk, dt] of chunks) {
              if (dt !== undefined) now += dt;
              messages.push(...decoder.push(chunk, dt === undefined ? undefined : now));
            }
            decoder.reset();
          });
          assert.equal(err, undefined);
          const all = chunks.flatMap(([c]) => [...c]);
          const delimiters = all.filter((b) => b === FRAME_DELIMITER).length;
          const inMessages = messages.reduce((sum, m) => sum + escape(m).length, 0);
          assert.equal(decoder.stats.frames, messages.length);
          assert.equal(delimiters + inMessages + decoder.stats.garbageBytes, all.length);
          const rejected =
            decoder.stats.checksumErrors +
            decoder.stats.badLengths +
            decoder.stats.badEscapes +
            decoder.stats.overflows +
            decoder.stats.timeouts;
          assert.ok(
            rejected + messages.length <= delimiters,
            'each candidate, opened by a delimiter, counts once',
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses every message shorter than 13 or longer than 20 bytes, on every path, whatever its bytes', () => {
    const length = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 21, max: 64 }));
    fc.assert(
      fc.property(length, classByte, fnByte, fc.uint8Array({ maxLength: 64 }), (n, cls, fn, rest) => {
        const body = [cls, fn, ...rest].slice(0, Math.max(0, n - 1));
        while (body.length < n - 1) body.push(0);
        const message = n === 0 ? Uint8Array.of() : sealed(body);
        assert.equal(message.length, n);
        assert.equal(refusalReason(message), `a message of ${n} bytes is not a TWC message`);
        everyPathRefuses(message);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses FC 19, FC 1A and FB E8 whatever the other bytes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom([0xfc, 0x19], [0xfc, 0x1a], [0xfb, 0xe8]),
        fc.uint8Array({ minLength: 11, maxLength: 18 }),
        fc.boolean(),
        ([cls, fn], rest, withChecksum) => {
          const body = [cls, fn, ...rest];
          const message = withChecksum ? sealed(body) : Uint8Array.from(body);
          assert.match(refusalReason(message) ?? '', /one-time-programmable|crashes|not a TWC message/);
          everyPathRefuses(message);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses heartbeat command 02 whatever the other bytes, typed or raw', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 10, maxLength: 17 }),
        fc.integer({ min: 0, max: 4 }),
        (rest, at) => {
          const body = [0xfb, 0xe0, ...rest];
          body[6] = 0x02;
          const message = sealed(body);
          assert.equal(
            refusalReason(message),
            'heartbeat command 02 puts the slave in an error state that needs a manual reset',
          );
          everyPathRefuses(message);
          // A typed heartbeat cannot carry it either, however its other fields are set.
          const typed: TwcMessage = {
            kind: 'masterHeartbeat',
            sender: (rest[0] << 8) | rest[1],
            receiver: (rest[2] << 8) | rest[3],
            command: 2,
            amps: rest[at] / 4,
            masterPluggedIn: at % 2 === 0,
            version: at % 2 === 0 ? 1 : 2,
          };
          assert.ok(thrown(() => encodeMessage(typed)) instanceof RefusedCommandError);
          assert.ok(thrown(() => encodeFrame(typed)) instanceof RefusedCommandError);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('an `unknown` message cannot bypass the gate: encodeFrame sends its bytes only if refusalReason allows them', () => {
    const raw = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc
        .tuple(classByte, fnByte, fc.uint8Array({ minLength: 11, maxLength: 18 }))
        .map(([c, f, r]) => sealed([c, f, ...r])),
      // The bytes of a message the encoder builds, with one byte changed and the checksum fixed again.
      fc.tuple(messageArb, fc.nat(), byte).map(([msg, at, b]) => {
        const bytes = [...encodeMessage(msg)];
        bytes[at % (bytes.length - 1)] = b;
        return sealed(bytes.slice(0, -1));
      }),
    );
    fc.assert(
      fc.property(raw, (bytes) => {
        const msg: TwcMessage = { kind: 'unknown', bytes };
        let frame: Uint8Array | undefined;
        const err = thrown(() => (frame = encodeFrame(msg)));
        const reason = refusalReason(bytes);
        if (reason === undefined) {
          assert.equal(err, undefined);
          assert.deepEqual(frame, Uint8Array.from([FRAME_DELIMITER, ...escape(bytes), FRAME_DELIMITER]));
          assert.ok(bytes.length >= 13 && bytes.length <= 20);
        } else {
          assert.ok(err instanceof RefusedCommandError, `${reason}: ${String(err)}`);
          assert.ok(err.message.endsWith(`: ${reason}`));
          assert.equal(frame, undefined);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
