import assert from 'node:assert/strict';
import {
  checksum,
  decodeMessage,
  FrameDecoder,
  parseHex,
  formatHex,
  type TwcMessage,
} from '../../../src/protocol';
import { M } from './doc-twcids';

describe('real captures (docs/protocol.md §8.3)', () => {
  const captures: [string, string, TwcMessage['kind']][] = [
    [
      '#9 slave linkready, 32 A, pad FF',
      'C0 FD E2 18 39 52 0C 80 00 00 00 00 00 00 00 00 11 C0 FF',
      'slaveLinkReady',
    ],
    ['#453 master heartbeat', 'C0 FB E0 77 77 20 19 00 00 00 00 00 00 00 00 00 07 C0', 'masterHeartbeat'],
    ['#453 VIN request 1', 'C0 FB EE 77 77 20 19 00 00 00 00 00 00 00 00 15 C0', 'vinRequest1'],
    ['#453 VIN request 2', 'C0 FB EF 77 77 20 19 00 00 00 00 00 00 00 00 16 C0', 'vinRequest2'],
    ['#453 VIN request 3', 'C0 FB F1 77 77 20 19 00 00 00 00 00 00 00 00 18 C0', 'vinRequest3'],
    [
      '#453 slave heartbeat after pad F8',
      'F8 C0 FD E0 20 19 77 77 08 02 58 02 10 00 00 00 00 7B C0',
      'slaveHeartbeat',
    ],
    [
      'twc-controller #4 master heartbeat, pad FF',
      'C0 FB E0 77 77 87 25 00 00 00 00 00 00 00 00 00 7A C0 FF',
      'masterHeartbeat',
    ],
  ];
  for (const [name, wire, kind] of captures) {
    it(`${name} has a matching checksum and decodes as ${kind}`, () => {
      const decoder = new FrameDecoder({ accept: 'request' });
      const messages = decoder.push(parseHex(wire));
      assert.equal(messages.length, 1);
      assert.equal(decoder.stats.checksumErrors, 0);
      assert.equal(decodeMessage(messages[0]).kind, kind);
    });
  }

  it('#453 slave heartbeat reads state 08, limit 6.00 A, actual 5.28 A', () => {
    assert.deepEqual(decodeMessage(parseHex('FD E0 20 19 77 77 08 02 58 02 10 00 00 00 00 7B')), {
      kind: 'slaveHeartbeat',
      sender: 0x2019,
      receiver: M,
      state: 8,
      limitAmps: 6,
      actualAmps: 5.28,
      version: 2,
    });
  });

  it('the #87 kWh report reads 924 kWh and 244/240/245 V', () => {
    const body = parseHex('FD EB 20 19 00 00 03 9C 00 F4 00 F0 00 F5 00 00 00 00 00');
    const message = Uint8Array.from([...body, checksum(body)]);
    assert.deepEqual(decodeMessage(message), {
      kind: 'kwhReport',
      sender: 0x2019,
      lifetimeKwh: 924,
      voltsPhaseA: 244,
      voltsPhaseB: 240,
      voltsPhaseC: 245,
      ampsPhaseA: 0,
      ampsPhaseB: 0,
      ampsPhaseC: 0,
    });
  });
});

describe('resynchronisation example (docs/protocol.md §8.4)', () => {
  const stream =
    'FE 12 C0 FB E0 77 C0 FD E0 41 42 77 77 01 0C 80 0C 4E 00 00 00 00 38 C0 FE C0 C0 ' +
    'C0 FB E0 77 77 DB DD 01 09 12 DB DC 00 00 00 00 00 00 85 C0 FF ' +
    'C0 FD E0 41 42 77 77 01 0C 80 0C 4E 00 00 00 00 39 C0';

  it('accepts exactly TV6 and TV7 and counts the rest', () => {
    const decoder = new FrameDecoder();
    const out = decoder.push(parseHex(stream)).map(formatHex);
    assert.deepEqual(out, [
      'FD E0 41 42 77 77 01 0C 80 0C 4E 00 00 00 00 38',
      'FB E0 77 77 DB 01 09 12 C0 00 00 00 00 00 00 85',
    ]);
    assert.equal(decoder.stats.frames, 2);
    assert.equal(decoder.stats.checksumErrors, 1, 'the last frame');
    // FE 12 before the first C0, the truncated FB E0 77 (3), FE, FF and the bad 16-byte frame.
    assert.equal(decoder.stats.garbageBytes, 2 + 3 + 1 + 1 + 16);
  });

  it('gives the same result one byte at a time', () => {
    const decoder = new FrameDecoder();
    const out: string[] = [];
    for (const b of parseHex(stream)) out.push(...decoder.push(Uint8Array.of(b)).map(formatHex));
    assert.equal(out.length, 2);
  });
});
