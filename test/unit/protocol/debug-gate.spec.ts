import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  addressedMessage,
  checksum,
  debugRefusalReason,
  encodeMessage,
  READ_ONLY_CODES,
  refusalReason,
  REQUEST_CODES,
} from '../../../src/protocol';

const M = 0x7777;
const S = 0x4142;

describe('the debug command gate: the encoder’s gate, then read-only requests only', () => {
  it('the read-only codes are the seven FB requests, in the order of the request table', () => {
    assert.deepEqual(
      [...READ_ONLY_CODES].map((c) => c.toString(16)),
      ['fbeb', 'fbee', 'fbef', 'fbf1', 'fb1b', 'fbec', 'fbed'],
    );
  });

  it('of all 65 536 class and function bytes, exactly the read-only ones pass, at either length', () => {
    const passed: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      for (const version of [1, 2] as const) {
        const m = addressedMessage(code >> 8, code & 0xff, M, S, version);
        if (debugRefusalReason(m) === undefined) passed.push(code);
      }
    }
    assert.deepEqual(
      passed,
      [...READ_ONLY_CODES].sort((a, b) => a - b).flatMap((c) => [c, c]),
    );
  });

  it('addressedMessage builds what the encoder builds for a request', () => {
    for (const kind of Object.keys(REQUEST_CODES) as (keyof typeof REQUEST_CODES)[]) {
      for (const version of [1, 2] as const) {
        const [cls, fn] = REQUEST_CODES[kind];
        assert.deepEqual(
          addressedMessage(cls, fn, M, S, version),
          encodeMessage({ kind, sender: M, receiver: S, version }),
        );
      }
    }
    assert.deepEqual(
      [...addressedMessage(0xfb, 0x1b, M, S, 1)],
      [0xfb, 0x1b, 0x77, 0x77, 0x41, 0x42, 0, 0, 0, 0, 0, 0, 0, 0x1b + 0x77 + 0x77 + 0x41 + 0x42 - 0x100],
    );
  });

  it('keeps the encoder gate’s own reasons, and says what else is refused and why', () => {
    const reason = (cls: number, fn: number) => debugRefusalReason(addressedMessage(cls, fn, M, S, 2));
    assert.match(reason(0xfc, 0x19)!, /^FC 19 writes the TWCID/);
    assert.match(reason(0xfc, 0x1a)!, /^FC 1A writes the model number/);
    assert.equal(reason(0xfb, 0xe8), 'FB E8 crashes the Wall Connector');
    assert.equal(
      reason(0xfc, 0xb2),
      'FC B2 is not a read-only query; a debug command sends only FB EB, FB EE, FB EF, FB F1, FB 1B, FB EC, FB ED',
    );
    assert.match(reason(0xfb, 0x42)!, /^FB 42 is not a message this package sends/);
  });

  it('property: whatever passes the debug gate passes the encoder’s gate and is a read-only request', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 24 }), fc.boolean(), (bytes, fix) => {
        const m = Uint8Array.from(bytes);
        if (fix && m.length > 1) m[m.length - 1] = checksum(m.subarray(0, m.length - 1));
        const reason = debugRefusalReason(m);
        if (reason !== undefined) return typeof reason === 'string' && reason.length > 0;
        return refusalReason(m) === undefined && READ_ONLY_CODES.has((m[0] << 8) | m[1]);
      }),
    );
  });
});
