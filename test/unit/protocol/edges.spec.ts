import assert from 'node:assert/strict';
import {
  checksum,
  decodeMessage,
  encodeMessage,
  FrameDecoder,
  formatHex,
  hasValidChecksum,
  parseHex,
  refusalReason,
  RefusedCommandError,
  sentByMaster,
  type DecoderStats,
  type TwcMessage,
} from '../../../src/protocol';

/** `hex` with its checksum appended. */
function withChecksum(hex: string): Uint8Array {
  const body = parseHex(hex);
  return Uint8Array.from([...body, checksum(body)]);
}

/** A message of exactly `length` bytes (checksum included): class, function, sender 4142, `fill`, checksum. */
function ofLength(cls: number, fn: number, length: number, fill = 0): Uint8Array {
  if (length === 0) return Uint8Array.of();
  const body = [cls, fn, 0x41, 0x42, ...Array<number>(Math.max(0, length - 5)).fill(fill)].slice(
    0,
    length - 1,
  );
  return Uint8Array.from([...body, checksum(Uint8Array.from(body))]);
}

const frame = (message: Uint8Array): Uint8Array => Uint8Array.from([0xc0, ...message, 0xc0]);
const hexBytes = (byte: string, n: number): string => Array<string>(n).fill(byte).join(' ');
const noStats: DecoderStats = {
  frames: 0,
  checksumErrors: 0,
  badLengths: 0,
  badEscapes: 0,
  overflows: 0,
  timeouts: 0,
  garbageBytes: 0,
};

const GOOD = 'C0 FD E0 41 42 77 77 01 0C 80 0C 4E 00 00 00 00 38 C0';
const FIRST = 'C0 FD E0 41 42 77'; // 5 bytes of GOOD after its opening delimiter
const REST = '77 01 0C 80 0C 4E 00 00 00 00 38 C0'; // the other 11 and the closing delimiter

describe('checksum edges', () => {
  it('a message needs a data byte and its checksum; the class byte is not summed', () => {
    assert.equal(hasValidChecksum(Uint8Array.of()), false);
    assert.equal(hasValidChecksum(Uint8Array.of(0)), false, 'one byte is no message, even if it is 0');
    assert.equal(hasValidChecksum(Uint8Array.of(0xfb, 0x00)), true, 'two bytes: nothing summed, checksum 0');
    assert.equal(hasValidChecksum(Uint8Array.of(0xfb, 0xfb)), false);
    assert.equal(checksum(Uint8Array.of(0xff, 0xff, 0x02)), 0x01, 'modulo 256');
  });
});

describe('hex edges', () => {
  it('refuses anything but whole hex pairs, naming the input', () => {
    for (const bad of ['0', '000', 'zz00', '00zz', '0g', 'C0 F']) {
      assert.throws(() => parseHex(bad), { message: `not hex bytes: ${bad}` });
    }
    assert.deepEqual([...parseHex(' c0\tdB  dd\n')], [0xc0, 0xdb, 0xdd]);
    assert.deepEqual([...parseHex('')], []);
    assert.equal(formatHex([0, 0x0a, 0xff]), '00 0A FF');
  });
});

describe('decoder edges', () => {
  it('takes 13 to 20 bytes only', () => {
    for (let length = 10; length <= 24; length++) {
      const message = ofLength(0xfd, 0xe0, length);
      const kind = decodeMessage(message).kind;
      assert.equal(kind, length >= 13 && length <= 20 ? 'slaveHeartbeat' : 'unknown', `${length} bytes`);
    }
    assert.deepEqual(decodeMessage(Uint8Array.of(0xfd)), { kind: 'unknown', bytes: Uint8Array.of(0xfd) });
  });

  it('reads nothing from the checksum or past it: short forms read the missing fields as 0', () => {
    // A 13-byte kWh report: the volts of phase C would be at 12-13, where the checksum is and past it.
    const short = withChecksum('FD EB 41 42 00 00 04 D2 00 E6 00 E7');
    assert.equal(short.length, 13);
    assert.notEqual(short[12], 0);
    assert.deepEqual(decodeMessage(short), {
      kind: 'kwhReport',
      sender: 0x4142,
      lifetimeKwh: 1234,
      voltsPhaseA: 230,
      voltsPhaseB: 231,
      voltsPhaseC: 0,
      ampsPhaseA: 0,
      ampsPhaseB: 0,
      ampsPhaseC: 0,
    });
    // A VIN reply of 15 characters has no zero byte before its checksum.
    const vin: TwcMessage = { kind: 'vinReply', part: 2, sender: 0x4142, text: 'ABCDEFGHIJKLMNO' };
    const message = encodeMessage(vin);
    assert.equal(message.length, 20);
    assert.notEqual(message[19], 0);
    assert.deepEqual(decodeMessage(message), vin);
    const serial = withChecksum('FD ED 41 42 31 32 33 34 35 36 37 38 39 30 31 32 33 34 35');
    assert.deepEqual(decodeMessage(serial), {
      kind: 'serialNumber',
      sender: 0x4142,
      serial: '123456789012345',
    });
  });

  it('a function code belongs to its class: the same code in another class is unknown', () => {
    for (const hex of [
      'FD E1 77 77 77 00 00 00 00 00 00 00 00', // link-ready 1 is FC only
      'FB E1 77 77 77 00 00 00 00 00 00 00 00',
      'FC E2 77 77 77 00 00 00 00 00 00 00 00', // link-ready 2 is FB (master) or FD (slave)
      'FC E0 77 77 41 42 00 00 00 00 00 00 00', // heartbeats are FB or FD
      'FC EB 41 42 00 00 04 D2 00 E6 00 E7 00 E5 40 40 40 00 00', // a kWh report is FD only
      'FC ED 41 42 31 32 33 00 00 00 00 00 00 00 00 00 00 00 00',
      'FA EE 41 42 35 59 4A 33 45 31 45 00 00 00 00 00 00 00 00',
      'FB B1 77 77 41 42 00 00 00 00 00 00 00 00 00', // start/stop are FC only
      'FD 1D 41 42 00 00 00 00 00 00 00 00 00 00 00',
    ]) {
      assert.equal(decodeMessage(withChecksum(hex)).kind, 'unknown', hex);
    }
    assert.equal(
      decodeMessage(withChecksum('FC E1 77 77 77 00 00 00 00 00 00 00 00')).kind,
      'masterLinkReady1',
    );
    assert.equal(
      decodeMessage(withChecksum('FB E2 77 77 77 00 00 00 00 00 00 00 00')).kind,
      'masterLinkReady2',
    );
  });
});

describe('encoder edges', () => {
  it('text fields carry printable ASCII; zero and non-ASCII characters become "?"', () => {
    const message = encodeMessage({
      kind: 'vinReply',
      part: 1,
      sender: 0x4142,
      text: '\u0000A\u007f\u0080é€ ~',
    });
    assert.equal(formatHex(message.subarray(4, 13)), '3F 41 7F 3F 3F 3F 20 7E 00');
  });

  it('sentByMaster: the FB/FC messages, never the slave replies', () => {
    const kinds: [TwcMessage, boolean][] = [
      [{ kind: 'masterLinkReady1', sender: 1, sign: 0 }, true],
      [{ kind: 'masterLinkReady2', sender: 1, sign: 0 }, true],
      [
        {
          kind: 'masterHeartbeat',
          sender: 1,
          receiver: 2,
          command: 0,
          amps: 0,
          masterPluggedIn: false,
          version: 2,
        },
        true,
      ],
      [{ kind: 'kwhRequest', sender: 1, receiver: 2, version: 2 }, true],
      [{ kind: 'stopCharging', sender: 1, receiver: 2, version: 1 }, true],
      [{ kind: 'slaveLinkReady', sender: 2, sign: 0, maxAmps: 32, version: 2 }, false],
      [
        { kind: 'slaveHeartbeat', sender: 2, receiver: 1, state: 0, limitAmps: 0, actualAmps: 0, version: 2 },
        false,
      ],
      [{ kind: 'startAck', sender: 2 }, false],
      [{ kind: 'serialNumber', sender: 2, serial: '' }, false],
      [{ kind: 'unknown', bytes: Uint8Array.of() }, false],
    ];
    for (const [msg, expected] of kinds) assert.equal(sentByMaster(msg), expected, msg.kind);
  });
});

describe('refusal edges', () => {
  it('refuses by length first, 13 to 20 bytes being the only ones sent', () => {
    for (let length = 0; length <= 24; length++) {
      const message = ofLength(0xfb, 0xeb, length);
      const reason = refusalReason(message);
      if (length >= 13 && length <= 20) assert.equal(reason, undefined, `${length} bytes`);
      else assert.equal(reason, `a message of ${length} bytes is not a TWC message`);
    }
  });

  it('names the refused heartbeat command and the error class', () => {
    const message = withChecksum('FB E0 77 77 41 42 06 00 00 00 00 00 00 00 00');
    assert.equal(refusalReason(message), 'heartbeat command 06 is not one this package sends');
    let error: unknown;
    try {
      encodeMessage({ kind: 'unknown', bytes: message });
    } catch (err) {
      error = err;
    }
    assert.ok(error instanceof RefusedCommandError);
    assert.equal(error.name, 'RefusedCommandError');
    assert.equal(error.message, `refused to send ${formatHex(message)}: ${refusalReason(message)}`);
  });
});

describe('FrameDecoder edges', () => {
  it('a fresh decoder: a lone delimiter counts nothing; bytes before the first one are garbage', () => {
    const d = new FrameDecoder();
    assert.deepEqual(d.push(parseHex('C0')), []);
    assert.deepEqual(d.stats, noStats);
    const late = new FrameDecoder();
    assert.deepEqual(late.push(parseHex('FE 12')), []);
    assert.equal(late.receiving, false, 'noise before the first delimiter is no frame');
    // A whole message without its opening delimiter is not taken.
    assert.deepEqual(late.push(parseHex(GOOD).subarray(1)), []);
    assert.deepEqual(late.stats, { ...noStats, garbageBytes: 2 + 16 });
    assert.equal(late.push(parseHex(GOOD)).length, 1);
  });

  it('is receiving after a message once a second byte follows it (frames may share a delimiter)', () => {
    const d = new FrameDecoder();
    d.push(parseHex(GOOD));
    d.push(parseHex('FD'));
    assert.equal(d.receiving, false, 'one byte: the pad byte');
    d.push(parseHex('E0'));
    assert.equal(d.receiving, true);
    assert.equal(d.push(parseHex(REST.replace('77 01', '41 42 77 77 01'))).length, 1);
  });

  it('a partial frame times out only after more than partialTimeoutMs since its last byte', () => {
    const t = 10_000;
    const onTime = new FrameDecoder();
    onTime.push(parseHex(FIRST), t);
    assert.equal(onTime.push(parseHex(REST), t + 2000).length, 1, 'exactly 2 s is not a timeout');

    const late = new FrameDecoder();
    late.push(parseHex(FIRST), t);
    assert.deepEqual(late.push(parseHex(REST), t + 2001), []);
    // The 5 bytes of the dropped candidate and the 11 that followed it outside any candidate.
    assert.deepEqual(late.stats, { ...noStats, timeouts: 1, garbageBytes: 16 });

    const short = new FrameDecoder({ partialTimeoutMs: 500 });
    short.push(parseHex(FIRST), t);
    assert.deepEqual(short.push(parseHex(REST), t + 501), []);
    assert.equal(short.stats.timeouts, 1);
  });

  it('only bytes with a time move the clock of the partial frame', () => {
    const untimed = new FrameDecoder();
    untimed.push(parseHex(FIRST), 0);
    untimed.push(parseHex('77'));
    untimed.push(Uint8Array.of(), 1500);
    assert.deepEqual(untimed.push(parseHex(REST).subarray(1), 2500), [], 'the last timed byte came at 0');
    assert.equal(untimed.stats.timeouts, 1);

    const timed = new FrameDecoder();
    timed.push(parseHex(FIRST), 0);
    timed.push(parseHex('77'), 1500);
    assert.equal(timed.push(parseHex(REST).subarray(1), 2500).length, 1);
    assert.equal(timed.stats.timeouts, 0);
  });

  it('overflow: more than 42 raw bytes; a candidate of exactly 42 is judged on its bytes', () => {
    const exact = new FrameDecoder();
    exact.push(parseHex(`C0 ${hexBytes('11', 42)} C0`));
    assert.deepEqual(exact.stats, { ...noStats, badLengths: 1, garbageBytes: 42 });
    const escapeLast = new FrameDecoder();
    escapeLast.push(parseHex(`C0 ${hexBytes('11', 41)} DB C0`));
    assert.deepEqual(escapeLast.stats, { ...noStats, badEscapes: 1, garbageBytes: 42 });
    const over = new FrameDecoder();
    over.push(parseHex(`C0 ${hexBytes('11', 42)} DB C0`));
    assert.deepEqual(over.stats, { ...noStats, overflows: 1, garbageBytes: 43 });
  });

  it('candidates of up to 3 bytes are noise, longer ones bad lengths', () => {
    for (const [hex, badLengths, garbageBytes] of [
      ['C0 01 C0', 0, 1],
      ['C0 01 02 03 C0', 0, 3],
      ['C0 DB DC 01 C0', 0, 3],
      ['C0 01 02 03 04 C0', 1, 4],
    ] as const) {
      const d = new FrameDecoder();
      d.push(parseHex(hex));
      assert.deepEqual(d.stats, { ...noStats, badLengths, garbageBytes }, hex);
    }
  });

  it('accepts the lengths of its mode, 13 to 20 for a slave-side decoder', () => {
    for (let length = 11; length <= 22; length++) {
      const message = ofLength(0xfb, 0xeb, length);
      const request = new FrameDecoder({ accept: 'request' });
      const known = new FrameDecoder();
      assert.equal(request.push(frame(message)).length, length >= 13 && length <= 20 ? 1 : 0, `${length}`);
      assert.equal(known.push(frame(message)).length, [14, 16, 20].includes(length) ? 1 : 0, `${length}`);
      assert.equal(known.stats.frames + known.stats.badLengths, 1);
    }
  });

  it('reset drops the partial frame, counting its bytes, and waits for the next delimiter', () => {
    const d = new FrameDecoder();
    d.push(parseHex(FIRST), 0);
    d.reset();
    assert.equal(d.receiving, false);
    assert.deepEqual(d.push(parseHex(REST), 100), []);
    assert.deepEqual(d.stats, { ...noStats, garbageBytes: 16 });
    assert.equal(d.push(parseHex(GOOD), 3000).length, 1, 'no timeout left over from before the reset');
    assert.equal(d.stats.timeouts, 0);

    const pad = new FrameDecoder();
    pad.push(parseHex(`${GOOD} FE`));
    pad.reset();
    assert.deepEqual(pad.stats, { ...noStats, frames: 1, garbageBytes: 1 }, 'the pad byte is garbage too');
  });
});
