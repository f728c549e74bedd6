import assert from 'node:assert/strict';
import {
  checksum,
  encodeMessage,
  FrameDecoder,
  frameMessage,
  parseHex,
  RefusedCommandError,
} from '../../../src/protocol';

/** A message with a correct checksum, so only the command itself can be the reason for a refusal. */
function withChecksum(hex: string): Uint8Array {
  const body = parseHex(hex);
  return Uint8Array.from([...body, checksum(body)]);
}

describe('refused commands (docs/protocol.md §4.6)', () => {
  const cases: [string, string, RegExp][] = [
    ['FC 19 (writes OTP memory)', 'FC 19 77 77 41 42 00 00 00 00 00 00 00 00 00', /one-time-programmable/],
    ['FC 1A (writes OTP memory)', 'FC 1A 77 77 41 42 00 00 00 00 00 00 00 00 00', /one-time-programmable/],
    ['FB E8 (crashes the TWC)', 'FB E8 77 77 41 42 00 00 00 00 00 00 00 00 00', /crashes/],
    ['heartbeat command 02', 'FB E0 77 77 41 42 02 04 00 00 00 00 00 00 00', /manual reset/],
    [
      'heartbeat command 06 (not whitelisted)',
      'FB E0 77 77 41 42 06 00 00 00 00 00 00 00 00',
      /not one this package sends/,
    ],
    ['FC 1D idle', 'FC 1D 00 00 00 00 00 00 00 00 00 00 00 00 00', /not a message this package sends/],
  ];
  for (const [name, hex, why] of cases) {
    it(`refuses ${name} through every encoder path`, () => {
      const message = withChecksum(hex);
      assert.throws(
        () => encodeMessage({ kind: 'unknown', bytes: message }),
        (e: unknown) => e instanceof RefusedCommandError && why.test(e.message),
      );
      assert.throws(() => frameMessage(message), RefusedCommandError);
    });
  }

  it('refuses a heartbeat with command 2 built as a typed message', () => {
    assert.throws(
      () =>
        encodeMessage({
          kind: 'masterHeartbeat',
          sender: 0x7777,
          receiver: 0x4142,
          command: 2,
          amps: 0,
          masterPluggedIn: false,
          version: 2,
        }),
      RefusedCommandError,
    );
  });

  it('refuses a message whose checksum is wrong', () => {
    assert.throws(() => frameMessage(parseHex('FB E2 77 77 77 00 00 00 00 00 00 00 00 48')), /checksum/);
  });
});

describe('FrameDecoder statistics', () => {
  const good = 'C0 FD E0 41 42 77 77 01 0C 80 0C 4E 00 00 00 00 38 C0';

  it('counts a checksum error', () => {
    const d = new FrameDecoder();
    assert.deepEqual(d.push(parseHex('C0 FD E0 41 42 77 77 01 0C 80 0C 4E 00 00 00 00 39 C0')), []);
    assert.equal(d.stats.checksumErrors, 1);
    assert.equal(d.stats.garbageBytes, 16);
  });

  it('rejects an invalid escape instead of guessing', () => {
    const d = new FrameDecoder();
    assert.deepEqual(d.push(parseHex('C0 FD E0 41 42 77 77 01 0C 80 0C DB 4E 00 00 00 00 38 C0')), []);
    assert.equal(d.stats.badEscapes, 1);
  });

  it('counts a candidate of a length no message has, but not a lone pad byte', () => {
    const d = new FrameDecoder();
    d.push(parseHex('C0 FD E0 41 42 77 77 01 0C 80 0C 4E 00 38 C0 FE C0'));
    assert.equal(d.stats.badLengths, 1);
    assert.equal(d.stats.garbageBytes, 13 + 1);
  });

  it('drops an overlong candidate and then works again', () => {
    const d = new FrameDecoder();
    const noise = Array(100).fill('11').join(' ');
    assert.equal(d.push(parseHex(`C0 ${noise} ${good}`)).length, 1);
    assert.equal(d.stats.overflows, 1);
    assert.equal(d.stats.garbageBytes, 100);
  });

  it('drops a partial frame after 2 s of silence', () => {
    const d = new FrameDecoder();
    d.push(parseHex('C0 FD E0 41 42 77'), 0);
    assert.deepEqual(d.push(parseHex('77 01 0C 80 0C 4E 00 00 00 00 38 C0'), 2500), []);
    assert.equal(d.stats.timeouts, 1);
    assert.equal(d.push(parseHex(good), 2600).length, 1, 'the next frame is fine');
    const quick = new FrameDecoder();
    quick.push(parseHex('C0 FD E0 41 42 77'), 0);
    assert.equal(quick.push(parseHex('77 01 0C 80 0C 4E 00 00 00 00 38 C0'), 1500).length, 1);
  });

  it('says when a frame is arriving', () => {
    const d = new FrameDecoder();
    d.push(parseHex('C0 FD E0'));
    assert.equal(d.receiving, true);
    d.push(parseHex('41 42 77 77 01 0C 80 0C 4E 00 00 00 00 38 C0'));
    assert.equal(d.receiving, false);
    d.push(parseHex('FE'));
    assert.equal(d.receiving, false, 'the pad byte after a frame');
    d.push(parseHex('C0 FD'));
    assert.equal(d.receiving, true, 'the first byte of the next frame');
  });
});
