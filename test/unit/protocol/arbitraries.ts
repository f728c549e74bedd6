import fc from 'fast-check';
import type { RequestKind, TwcMessage } from '../../../src/protocol';

const id = fc.integer({ min: 0, max: 0xffff });
const byte = fc.integer({ min: 0, max: 0xff });
const version = fc.constantFrom(1 as const, 2 as const);
/** Amps with the wire's 0.01 A resolution. */
const amps = fc.integer({ min: 0, max: 0xffff }).map((c) => c / 100);
const halfAmps = fc.integer({ min: 0, max: 0xff }).map((h) => h / 2);
const ascii = (max: number): fc.Arbitrary<string> =>
  fc
    .array(fc.integer({ min: 0x20, max: 0x7e }), { maxLength: max })
    .map((codes) => String.fromCharCode(...codes));
const requestKinds: RequestKind[] = [
  'kwhRequest',
  'vinRequest1',
  'vinRequest2',
  'vinRequest3',
  'firmwareRequest',
  'extFirmwareRequest',
  'serialRequest',
  'startCharging',
  'stopCharging',
];

/** Every message kind the encoder can produce, with random fields. */
export const messageArb: fc.Arbitrary<TwcMessage> = fc
  .oneof(
    fc.record({
      kind: fc.constantFrom('masterLinkReady1' as const, 'masterLinkReady2' as const),
      sender: id,
      sign: byte,
    }),
    fc.record({
      kind: fc.constant('slaveLinkReady' as const),
      sender: id,
      sign: byte,
      maxAmps: amps,
      version,
    }),
    fc.record({
      kind: fc.constant('masterHeartbeat' as const),
      sender: id,
      receiver: id,
      command: fc.constantFrom(0, 5, 9),
      amps,
      masterPluggedIn: fc.boolean(),
      version,
    }),
    fc.record({
      kind: fc.constant('slaveHeartbeat' as const),
      sender: id,
      receiver: id,
      state: byte,
      limitAmps: amps,
      actualAmps: amps,
      version,
    }),
    fc.record({ kind: fc.constantFrom(...requestKinds), sender: id, receiver: id, version }),
    fc.record({
      kind: fc.constant('kwhReport' as const),
      sender: id,
      lifetimeKwh: fc.integer({ min: 0, max: 0xffffffff }),
      voltsPhaseA: fc.integer({ min: 0, max: 0xffff }),
      voltsPhaseB: fc.integer({ min: 0, max: 0xffff }),
      voltsPhaseC: fc.integer({ min: 0, max: 0xffff }),
      ampsPhaseA: halfAmps,
      ampsPhaseB: halfAmps,
      ampsPhaseC: halfAmps,
    }),
    fc.record({
      kind: fc.constant('vinReply' as const),
      part: fc.constantFrom(1 as const, 2 as const, 3 as const),
      sender: id,
      text: ascii(15),
    }),
    fc.record({
      kind: fc.constant('firmwareVersion' as const),
      sender: id,
      major: byte,
      minor: byte,
      revision: byte,
      extended: byte,
    }),
    fc.record({ kind: fc.constant('serialNumber' as const), sender: id, serial: ascii(15) }),
    fc.record({ kind: fc.constantFrom('startAck' as const, 'stopAck' as const), sender: id }),
  )
  // fast-check builds records without a prototype; typed messages from the decoder have one.
  .map((m): TwcMessage => ({ ...m }));
