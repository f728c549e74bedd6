import assert from 'node:assert/strict';
import {
  checksum,
  decodeMessage,
  encodeFrame,
  encodeMessage,
  FrameDecoder,
  parseHex,
  formatHex,
  RefusedCommandError,
  type TwcMessage,
} from '../../../src/protocol';
import { M, S } from './doc-twcids';

/** Decodes a whole wire string with a fresh decoder; returns the messages as hex. */
function receive(wire: string, accept: 'known' | 'request' = 'known'): string[] {
  return new FrameDecoder({ accept }).push(parseHex(wire)).map(formatHex);
}

interface Vector {
  name: string;
  msg?: TwcMessage;
  /** Unescaped message including the checksum. */
  message: string;
  wire: string;
  /** Masters send some requests at non-standard lengths; only a slave-side decoder takes them. */
  accept?: 'known' | 'request';
}

// docs/protocol.md §8.1, byte for byte.
const vectors: Vector[] = [
  {
    name: 'TV1 master linkready1',
    msg: { kind: 'masterLinkReady1', sender: M, sign: 0x77 },
    message: 'FC E1 77 77 77 00 00 00 00 00 00 00 00 46',
    wire: 'C0 FC E1 77 77 77 00 00 00 00 00 00 00 00 46 C0',
  },
  {
    name: 'TV1b master linkready1, 16-byte form',
    message: 'FC E1 77 77 77 00 00 00 00 00 00 00 00 00 00 46',
    wire: 'C0 FC E1 77 77 77 00 00 00 00 00 00 00 00 00 00 46 C0',
  },
  {
    name: 'TV2 master linkready2',
    msg: { kind: 'masterLinkReady2', sender: M, sign: 0x77 },
    message: 'FB E2 77 77 77 00 00 00 00 00 00 00 00 47',
    wire: 'C0 FB E2 77 77 77 00 00 00 00 00 00 00 00 47 C0',
  },
  {
    name: 'TV3 slave linkready v2, 80 A',
    msg: { kind: 'slaveLinkReady', sender: S, sign: 0x2a, maxAmps: 80, version: 2 },
    message: 'FD E2 41 42 2A 1F 40 00 00 00 00 00 00 00 00 EE',
    wire: 'C0 FD E2 41 42 2A 1F 40 00 00 00 00 00 00 00 00 EE C0',
  },
  {
    name: 'TV3b slave linkready v1',
    msg: { kind: 'slaveLinkReady', sender: S, sign: 0x2a, maxAmps: 80, version: 1 },
    message: 'FD E2 41 42 2A 1F 40 00 00 00 00 00 00 EE',
    wire: 'C0 FD E2 41 42 2A 1F 40 00 00 00 00 00 00 EE C0',
  },
  {
    name: 'TV4 master heartbeat v1, 05, 32 A',
    msg: {
      kind: 'masterHeartbeat',
      sender: M,
      receiver: S,
      command: 5,
      amps: 32,
      masterPluggedIn: false,
      version: 1,
    },
    message: 'FB E0 77 77 41 42 05 0C 80 00 00 00 00 E2',
    wire: 'C0 FB E0 77 77 41 42 05 0C 80 00 00 00 00 E2 C0',
  },
  {
    name: 'TV4b the same as TWCManager sends it to a v1 slave (16 bytes)',
    message: 'FB E0 77 77 41 42 05 0C 80 00 00 00 00 00 00 E2',
    wire: 'C0 FB E0 77 77 41 42 05 0C 80 00 00 00 00 00 00 E2 C0',
  },
  {
    name: 'TV5 master heartbeat v2, 09, 32 A',
    msg: {
      kind: 'masterHeartbeat',
      sender: M,
      receiver: S,
      command: 9,
      amps: 32,
      masterPluggedIn: false,
      version: 2,
    },
    message: 'FB E0 77 77 41 42 09 0C 80 00 00 00 00 00 00 E6',
    wire: 'C0 FB E0 77 77 41 42 09 0C 80 00 00 00 00 00 00 E6 C0',
  },
  {
    name: 'TV5b master heartbeat v2 keep-alive',
    msg: {
      kind: 'masterHeartbeat',
      sender: M,
      receiver: S,
      command: 0,
      amps: 0,
      masterPluggedIn: false,
      version: 2,
    },
    message: 'FB E0 77 77 41 42 00 00 00 00 00 00 00 00 00 51',
    wire: 'C0 FB E0 77 77 41 42 00 00 00 00 00 00 00 00 00 51 C0',
  },
  {
    name: 'TV6 slave heartbeat v2, charging 31.50 of 32 A',
    msg: {
      kind: 'slaveHeartbeat',
      sender: S,
      receiver: M,
      state: 1,
      limitAmps: 32,
      actualAmps: 31.5,
      version: 2,
    },
    message: 'FD E0 41 42 77 77 01 0C 80 0C 4E 00 00 00 00 38',
    wire: 'C0 FD E0 41 42 77 77 01 0C 80 0C 4E 00 00 00 00 38 C0',
  },
  {
    name: 'TV6b slave heartbeat v1',
    msg: {
      kind: 'slaveHeartbeat',
      sender: S,
      receiver: M,
      state: 1,
      limitAmps: 32,
      actualAmps: 31.5,
      version: 1,
    },
    message: 'FD E0 41 42 77 77 01 0C 80 0C 4E 00 00 38',
    wire: 'C0 FD E0 41 42 77 77 01 0C 80 0C 4E 00 00 38 C0',
  },
  {
    name: 'TV7 escaping: 48 A to slave DB01',
    msg: {
      kind: 'masterHeartbeat',
      sender: M,
      receiver: 0xdb01,
      command: 9,
      amps: 48,
      masterPluggedIn: false,
      version: 2,
    },
    message: 'FB E0 77 77 DB 01 09 12 C0 00 00 00 00 00 00 85',
    wire: 'C0 FB E0 77 77 DB DD 01 09 12 DB DC 00 00 00 00 00 00 85 C0',
  },
  {
    name: 'TV8 kWh request, 16 bytes',
    msg: { kind: 'kwhRequest', sender: M, receiver: S, version: 2 },
    message: 'FB EB 77 77 41 42 00 00 00 00 00 00 00 00 00 5C',
    wire: 'C0 FB EB 77 77 41 42 00 00 00 00 00 00 00 00 00 5C C0',
  },
  {
    name: 'TV8b kWh request as TWCManager sends it (15 bytes)',
    message: 'FB EB 77 77 41 42 00 00 00 00 00 00 00 00 5C',
    wire: 'C0 FB EB 77 77 41 42 00 00 00 00 00 00 00 00 5C C0',
    accept: 'request',
  },
  {
    name: 'TV9 kWh report',
    msg: {
      kind: 'kwhReport',
      sender: S,
      lifetimeKwh: 1234,
      voltsPhaseA: 230,
      voltsPhaseB: 231,
      voltsPhaseC: 229,
      ampsPhaseA: 32,
      ampsPhaseB: 32,
      ampsPhaseC: 32,
    },
    message: 'FD EB 41 42 00 00 04 D2 00 E6 00 E7 00 E5 40 40 40 00 00 B6',
    wire: 'C0 FD EB 41 42 00 00 04 D2 00 E6 00 E7 00 E5 40 40 40 00 00 B6 C0',
  },
  {
    name: 'TV10 VIN part 1 request',
    msg: { kind: 'vinRequest1', sender: M, receiver: S, version: 2 },
    message: 'FB EE 77 77 41 42 00 00 00 00 00 00 00 00 00 5F',
    wire: 'C0 FB EE 77 77 41 42 00 00 00 00 00 00 00 00 00 5F C0',
  },
  {
    name: 'TV10 VIN part 2 request (checksum 60)',
    msg: { kind: 'vinRequest2', sender: M, receiver: S, version: 2 },
    message: 'FB EF 77 77 41 42 00 00 00 00 00 00 00 00 00 60',
    wire: 'C0 FB EF 77 77 41 42 00 00 00 00 00 00 00 00 00 60 C0',
  },
  {
    name: 'TV10 VIN part 3 request (checksum 62)',
    msg: { kind: 'vinRequest3', sender: M, receiver: S, version: 2 },
    message: 'FB F1 77 77 41 42 00 00 00 00 00 00 00 00 00 62',
    wire: 'C0 FB F1 77 77 41 42 00 00 00 00 00 00 00 00 00 62 C0',
  },
  {
    name: 'TV10b VIN part 1 reply',
    msg: { kind: 'vinReply', part: 1, sender: S, text: '5YJ3E1E' },
    message: 'FD EE 41 42 35 59 4A 33 45 31 45 00 00 00 00 00 00 00 00 37',
    wire: 'C0 FD EE 41 42 35 59 4A 33 45 31 45 00 00 00 00 00 00 00 00 37 C0',
  },
  {
    name: 'TV10c VIN part 2 reply',
    msg: { kind: 'vinReply', part: 2, sender: S, text: 'A2JF000' },
    message: 'FD EF 41 42 41 32 4A 46 30 30 30 00 00 00 00 00 00 00 00 05',
    wire: 'C0 FD EF 41 42 41 32 4A 46 30 30 30 00 00 00 00 00 00 00 00 05 C0',
  },
  {
    name: 'TV10d VIN part 3 reply',
    msg: { kind: 'vinReply', part: 3, sender: S, text: '123' },
    message: 'FD F1 41 42 31 32 33 00 00 00 00 00 00 00 00 00 00 00 00 0A',
    wire: 'C0 FD F1 41 42 31 32 33 00 00 00 00 00 00 00 00 00 00 00 00 0A C0',
  },
  {
    name: 'TV11 start charging',
    msg: { kind: 'startCharging', sender: M, receiver: S, version: 2 },
    message: 'FC B1 77 77 41 42 00 00 00 00 00 00 00 00 00 22',
    wire: 'C0 FC B1 77 77 41 42 00 00 00 00 00 00 00 00 00 22 C0',
  },
  {
    name: 'TV12 stop charging',
    msg: { kind: 'stopCharging', sender: M, receiver: S, version: 2 },
    message: 'FC B2 77 77 41 42 00 00 00 00 00 00 00 00 00 23',
    wire: 'C0 FC B2 77 77 41 42 00 00 00 00 00 00 00 00 00 23 C0',
  },
  {
    name: 'TV13 firmware query as TWCManager builds it (stray A0)',
    message: 'FB 1B 77 77 41 42 00 00 A0 00 00 00 00 00 00 2C',
    wire: 'C0 FB 1B 77 77 41 42 00 00 A0 00 00 00 00 00 00 2C C0',
  },
  {
    name: 'TV15 checksum DB is escaped',
    msg: {
      kind: 'slaveHeartbeat',
      sender: S,
      receiver: M,
      state: 1,
      limitAmps: 32,
      actualAmps: 30.58,
      version: 2,
    },
    message: 'FD E0 41 42 77 77 01 0C 80 0B F2 00 00 00 00 DB',
    wire: 'C0 FD E0 41 42 77 77 01 0C 80 0B F2 00 00 00 00 DB DD C0',
  },
  {
    name: 'TV16 checksum C0 is escaped',
    msg: {
      kind: 'slaveHeartbeat',
      sender: S,
      receiver: M,
      state: 1,
      limitAmps: 32,
      actualAmps: 30.31,
      version: 2,
    },
    message: 'FD E0 41 42 77 77 01 0C 80 0B D7 00 00 00 00 C0',
    wire: 'C0 FD E0 41 42 77 77 01 0C 80 0B D7 00 00 00 00 DB DC C0',
  },
];

describe('protocol test vectors (docs/protocol.md §8.1)', () => {
  for (const v of vectors) {
    describe(v.name, () => {
      const message = parseHex(v.message);
      it('has the documented checksum', () => {
        assert.equal(checksum(message.subarray(0, -1)), message.at(-1));
      });
      it('is received from the wire as the documented message', () => {
        assert.deepEqual(receive(v.wire, v.accept), [v.message]);
      });
      if (v.msg) {
        const msg = v.msg;
        it('is encoded to exactly the documented bytes', () => {
          assert.equal(formatHex(encodeMessage(msg)), v.message);
          assert.equal(formatHex(encodeFrame(msg)), v.wire);
        });
        it('decodes to the typed message', () => {
          assert.deepEqual(decodeMessage(message), msg);
        });
      }
    });
  }

  it('TV4b and TV8b decode with the fields the doc gives, at their sent lengths', () => {
    assert.deepEqual(decodeMessage(parseHex(vectors.find((v) => v.name.startsWith('TV4b'))!.message)), {
      kind: 'masterHeartbeat',
      sender: M,
      receiver: S,
      command: 5,
      amps: 32,
      masterPluggedIn: false,
      version: 2,
    });
    assert.deepEqual(decodeMessage(parseHex('FB EB 77 77 41 42 00 00 00 00 00 00 00 00 5C')), {
      kind: 'kwhRequest',
      sender: M,
      receiver: S,
      version: 2,
    });
    assert.deepEqual(
      receive('C0 FB EB 77 77 41 42 00 00 00 00 00 00 00 00 5C C0', 'known'),
      [],
      'a master drops 15 bytes',
    );
  });

  it('TV13 decodes as a firmware request; TV14 (FC 1D) is refused by the encoder', () => {
    assert.deepEqual(decodeMessage(parseHex('FB 1B 77 77 41 42 00 00 A0 00 00 00 00 00 00 2C')), {
      kind: 'firmwareRequest',
      sender: M,
      receiver: S,
      version: 2,
    });
    const tv14 = parseHex('FC 1D 00 00 00 00 00 00 00 00 00 00 00 1D');
    assert.equal(checksum(tv14.subarray(0, -1)), 0x1d);
    assert.deepEqual(receive('C0 FC 1D 00 00 00 00 00 00 00 00 00 00 00 1D C0'), [formatHex(tv14)]);
    assert.equal(decodeMessage(tv14).kind, 'unknown');
    assert.throws(() => encodeMessage({ kind: 'unknown', bytes: tv14 }), RefusedCommandError);
  });

  it('checksums skip the class byte: TV1 and TV2 differ by exactly E2 − E1', () => {
    const tv1 = parseHex(vectors[0].message);
    const tv2 = parseHex(vectors[2].message);
    assert.equal(tv2.at(-1)! - tv1.at(-1)!, 1);
  });
});
