import assert from 'node:assert/strict';
import {
  checksum,
  decodeMessage,
  encodeMessage,
  ENCODED_CODES,
  HeartbeatCommand,
  refusalReason,
  REQUEST_CODES,
  VIN_PARTS,
  vinPartOfRequest,
  vinPartText,
  type RequestKind,
  type TwcMessage,
} from '../../../src/protocol';
import { SimulatedSlave } from '../../../src/sim/slave';

const M = 0x7777;
const S = 0x4142;
const requestKinds = Object.keys(REQUEST_CODES) as RequestKind[];

/** One message of every typed kind but the requests; the Record makes the compiler name a kind added later. */
const samples: Record<Exclude<TwcMessage['kind'], 'unknown' | RequestKind>, TwcMessage[]> = {
  masterLinkReady1: [{ kind: 'masterLinkReady1', sender: M, sign: 0x77 }],
  masterLinkReady2: [{ kind: 'masterLinkReady2', sender: M, sign: 0x77 }],
  slaveLinkReady: [{ kind: 'slaveLinkReady', sender: S, sign: 1, maxAmps: 32, version: 2 }],
  masterHeartbeat: Object.values(HeartbeatCommand).map((command) => ({
    kind: 'masterHeartbeat' as const,
    sender: M,
    receiver: S,
    command,
    amps: 16,
    masterPluggedIn: false,
    version: 2 as const,
  })),
  slaveHeartbeat: [
    { kind: 'slaveHeartbeat', sender: S, receiver: M, state: 1, limitAmps: 16, actualAmps: 15, version: 2 },
  ],
  kwhReport: [
    {
      kind: 'kwhReport',
      sender: S,
      lifetimeKwh: 1,
      voltsPhaseA: 240,
      voltsPhaseB: 0,
      voltsPhaseC: 0,
      ampsPhaseA: 1,
      ampsPhaseB: 0,
      ampsPhaseC: 0,
    },
  ],
  vinReply: ([1, 2, 3] as const).map((part) => ({ kind: 'vinReply' as const, part, sender: S, text: 'ABC' })),
  firmwareVersion: [{ kind: 'firmwareVersion', sender: S, major: 4, minor: 5, revision: 3, extended: 0 }],
  serialNumber: [{ kind: 'serialNumber', sender: S, serial: 'A1' }],
  startAck: [{ kind: 'startAck', sender: S }],
  stopAck: [{ kind: 'stopAck', sender: S }],
};

const allSamples: TwcMessage[] = [
  ...Object.values(samples).flat(),
  ...requestKinds.map((kind) => ({ kind, sender: M, receiver: S, version: 2 as const })),
];
const codeOfBytes = (m: Uint8Array): number => (m[0] << 8) | m[1];

/** A 16-byte message with these class and function bytes, zero data and its checksum. */
function plain(code: number): Uint8Array {
  const m = new Uint8Array(16);
  m[0] = code >> 8;
  m[1] = code & 0xff;
  m[15] = checksum(m.subarray(0, 15));
  return m;
}

describe('the protocol tables (src/protocol/tables.ts)', () => {
  it('the refusal gate allows exactly the codes the encoder builds for typed messages', () => {
    const built = new Set(allSamples.map((msg) => codeOfBytes(encodeMessage(msg))));
    assert.deepEqual([...ENCODED_CODES].sort(), [...built].sort());
    for (let code = 0; code <= 0xffff; code++) {
      const allowed = refusalReason(plain(code)) === undefined;
      assert.equal(allowed, built.has(code), `${code.toString(16)}: allowed ${allowed}`);
    }
  });

  it('every allowed code decodes back to the kind the encoder built it from', () => {
    for (const msg of allSamples) {
      assert.deepEqual(decodeMessage(encodeMessage(msg)), msg);
      assert.notEqual(decodeMessage(plain(codeOfBytes(encodeMessage(msg)))).kind, 'unknown');
    }
  });

  it('every request the master can send passes the gate, at both lengths, and decodes to its kind', () => {
    for (const kind of requestKinds) {
      for (const version of [1, 2] as const) {
        const message = encodeMessage({ kind, sender: M, receiver: S, version });
        assert.equal(refusalReason(message), undefined, kind);
        assert.deepEqual([message[0], message[1]], REQUEST_CODES[kind]);
        assert.equal(decodeMessage(message).kind, kind);
      }
    }
  });

  it('only the table’s heartbeat commands pass the gate', () => {
    const allowed = new Set<number>(Object.values(HeartbeatCommand));
    for (let command = 0; command <= 0xff; command++) {
      const m = plain((0xfb << 8) | 0xe0);
      m[6] = command;
      m[15] = checksum(m.subarray(0, 15));
      assert.equal(refusalReason(m) === undefined, allowed.has(command), `command ${command}`);
    }
  });

  it('VIN parts: 7, 7 and 3 characters, asked and answered with one function byte each', () => {
    const vin = '5YJ3E1EA0SF004101';
    assert.equal(([1, 2, 3] as const).map((p) => vinPartText(vin, p)).join(''), vin);
    assert.deepEqual(
      ([1, 2, 3] as const).map((p) => vinPartText(vin, p).length),
      [7, 7, 3],
    );
    for (const part of [1, 2, 3] as const) {
      const { request, fn } = VIN_PARTS[part];
      assert.equal(vinPartOfRequest(request), part);
      assert.deepEqual(REQUEST_CODES[request], [0xfb, fn]);
      const reply = encodeMessage({ kind: 'vinReply', part, sender: S, text: 'X' });
      assert.deepEqual([reply[0], reply[1]], [0xfd, fn]);
    }
    assert.equal(vinPartOfRequest('kwhRequest'), undefined);
  });

  it('the simulated slave answers each VIN request with its part of the car’s VIN', () => {
    const vin = '5YJ3E1EA0SF004101';
    const slave = new SimulatedSlave({ id: S, maxAmps: 32, car: { maxAmps: 32, vin }, random: () => 0.5 });
    const texts = ([1, 2, 3] as const).map((part) => {
      const [reply] = slave.receive({ kind: VIN_PARTS[part].request, sender: M, receiver: S, version: 2 }, 0);
      assert.ok(reply.kind === 'vinReply' && reply.part === part);
      return reply.text;
    });
    assert.deepEqual(texts, ['5YJ3E1E', 'A0SF004', '101']);
  });
});
