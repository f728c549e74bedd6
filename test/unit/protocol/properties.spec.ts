import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decodeMessage,
  encodeFrame,
  encodeMessage,
  FRAME_DELIMITER,
  FrameDecoder,
  frameMessage,
  formatHex,
  refusalReason,
  RefusedCommandError,
  type TwcMessage,
} from '../../../src/protocol';
import { messageArb } from './arbitraries';

/** Splits `bytes` at the given cut points (any chunking). */
function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(start, p));
    start = p;
  }
  return out;
}

const concat = (parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

/** Never a refused message: not FC 19 / FC 1A / FB E8, and no heartbeat with command 02. */
function isDangerous(message: Uint8Array): boolean {
  const [cls, fn] = message;
  return (
    (cls === 0xfc && (fn === 0x19 || fn === 0x1a)) ||
    (cls === 0xfb && fn === 0xe8) ||
    (cls === 0xfb && fn === 0xe0 && message[6] !== 0x00 && message[6] !== 0x05 && message[6] !== 0x09)
  );
}

describe('protocol properties (fast-check)', () => {
  it('decode(encode(m)) is m for every message kind and both versions', () => {
    fc.assert(
      fc.property(messageArb, (msg) => {
        assert.deepEqual(decodeMessage(encodeMessage(msg)), msg);
      }),
      { numRuns: 3000 },
    );
  });

  it('the frame decoder recovers every encoded frame, whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.array(messageArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (msgs, cuts) => {
          const stream = concat(msgs.map(encodeFrame));
          const decoder = new FrameDecoder();
          const got: TwcMessage[] = [];
          for (const part of chunk(stream, cuts))
            for (const m of decoder.push(part)) got.push(decodeMessage(m));
          assert.deepEqual(got, msgs);
          assert.equal(decoder.stats.garbageBytes, 0);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('any chunking of any byte stream yields the same messages and counts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(), { maxLength: 40 }), (bytes, cuts) => {
        const whole = new FrameDecoder({ accept: 'request' });
        const expected = whole.push(bytes).map(formatHex);
        const pieces = new FrameDecoder({ accept: 'request' });
        const got = chunk(bytes, cuts).flatMap((p) => pieces.push(p).map(formatHex));
        assert.deepEqual(got, expected);
        assert.deepEqual(pieces.stats, whole.stats);
      }),
      { numRuns: 1000 },
    );
  });

  it('garbage between frames never throws, and every frame after a delimiter is recovered', () => {
    // Garbage may hold anything, even half a frame; what follows its closing C0 is a clean frame.
    const garbage = fc.uint8Array({ maxLength: 60 }).map((g) => Uint8Array.from([...g, FRAME_DELIMITER]));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(garbage, messageArb), { minLength: 1, maxLength: 10 }),
        fc.uint8Array({ maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (pairs, tail, cuts) => {
          const stream = concat([...pairs.flatMap(([g, m]) => [g, encodeFrame(m)]), tail]);
          const decoder = new FrameDecoder();
          const got: TwcMessage[] = [];
          for (const part of chunk(stream, cuts))
            for (const m of decoder.push(part)) got.push(decodeMessage(m));
          // Random garbage can itself hold a valid frame; ours must all be there, in order.
          let i = 0;
          for (const m of got) if (i < pairs.length && JSON.stringify(m) === JSON.stringify(pairs[i][1])) i++;
          assert.equal(i, pairs.length, 'every frame that follows a delimiter is recovered');
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('the encoder never emits a refused command, whatever it is given', () => {
    const anyMessage = fc.oneof(
      messageArb,
      fc.uint8Array({ minLength: 0, maxLength: 24 }).map((bytes): TwcMessage => ({ kind: 'unknown', bytes })),
      fc
        .tuple(
          fc.constantFrom(0xfb, 0xfc, 0xfd),
          fc.integer({ min: 0, max: 255 }),
          fc.uint8Array({ minLength: 12, maxLength: 18 }),
        )
        .map(([cls, fn, rest]): TwcMessage => {
          const body = [cls, fn, ...rest];
          const sum = body.slice(1).reduce((a, b) => a + b, 0) & 0xff;
          return { kind: 'unknown', bytes: Uint8Array.from([...body, sum]) };
        }),
      fc.record({
        kind: fc.constant('masterHeartbeat' as const),
        sender: fc.nat(0xffff),
        receiver: fc.nat(0xffff),
        command: fc.nat(0xff),
        amps: fc.nat(100),
        masterPluggedIn: fc.boolean(),
        version: fc.constantFrom(1 as const, 2 as const),
      }),
    );
    fc.assert(
      fc.property(anyMessage, (msg) => {
        for (const encode of [encodeMessage, (m: TwcMessage) => encodeFrame(m).subarray(1, -1)]) {
          let out: Uint8Array;
          try {
            out = encode(msg);
          } catch (err) {
            assert.ok(err instanceof RefusedCommandError, `unexpected ${String(err)}`);
            continue;
          }
          const message = encode === encodeMessage ? out : encodeMessage(msg);
          assert.equal(refusalReason(message), undefined);
          assert.equal(isDangerous(message), false, formatHex(message));
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('frameMessage refuses the same messages whoever builds them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        try {
          const frame = frameMessage(bytes);
          assert.equal(refusalReason(bytes), undefined);
          assert.equal(isDangerous(bytes), false);
          assert.equal(frame[0], FRAME_DELIMITER);
        } catch (err) {
          assert.ok(err instanceof RefusedCommandError);
          assert.notEqual(refusalReason(bytes), undefined);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
