import { CLASS_SLAVE, LENGTH_LONG, LENGTH_V1, MIN_REQUEST_LENGTH } from './constants';
import type { ProtocolVersion, RequestKind, TwcMessage } from './messages';
import { codeOf, MASTER_CODES, REPLY_CODES, REQUEST_CODES, vinPartOfCode } from './tables';

const REQUEST_KINDS = new Map<number, RequestKind>(
  (Object.entries(REQUEST_CODES) as [RequestKind, readonly [number, number]][]).map(([kind, [cls, fn]]) => [
    codeOf(cls, fn),
    kind,
  ]),
);

const [LINK_READY_1, LINK_READY_2, HEARTBEAT] = [
  MASTER_CODES.masterLinkReady1,
  MASTER_CODES.masterLinkReady2,
  MASTER_CODES.masterHeartbeat,
].map(([cls, fn]) => codeOf(cls, fn));

/** Reads fields; offsets past the data area (into the checksum or beyond) read as 0. */
class Reader {
  constructor(private readonly m: Uint8Array) {}
  u8(offset: number): number {
    return offset < this.m.length - 1 ? this.m[offset] : 0;
  }
  u16(offset: number): number {
    return (this.u8(offset) << 8) | this.u8(offset + 1);
  }
  u32(offset: number): number {
    return this.u16(offset) * 0x10000 + this.u16(offset + 2);
  }
  amps(offset: number): number {
    return this.u16(offset) / 100;
  }
  /** ASCII up to the first zero byte. */
  text(offset: number): string {
    let out = '';
    for (let i = offset; i < this.m.length - 1 && this.m[i] !== 0; i++) out += String.fromCharCode(this.m[i]);
    return out;
  }
}

/**
 * 14 bytes (or the 13 some masters send) is protocol 1; anything longer is protocol 2 (docs/protocol.md
 * §3.2).
 */
const versionOf = (length: number): ProtocolVersion => (length <= LENGTH_V1 ? 1 : 2);

/**
 * The typed form of one message (unescaped, checksum included). Never throws: anything it does not know,
 * or too short or long to be a TWC message, comes back as `unknown` with its bytes.
 */
export function decodeMessage(message: Uint8Array): TwcMessage {
  const unknown: TwcMessage = { kind: 'unknown', bytes: Uint8Array.from(message) };
  if (message.length < MIN_REQUEST_LENGTH || message.length > LENGTH_LONG) return unknown;
  const r = new Reader(message);
  const [cls, fn] = [message[0], message[1]];
  const code = codeOf(cls, fn);
  const sender = r.u16(2);
  const version = versionOf(message.length);

  if (code === LINK_READY_1) return { kind: 'masterLinkReady1', sender, sign: r.u8(4) };
  if (code === LINK_READY_2) return { kind: 'masterLinkReady2', sender, sign: r.u8(4) };
  if (code === HEARTBEAT) {
    return {
      kind: 'masterHeartbeat',
      sender,
      receiver: r.u16(4),
      command: r.u8(6),
      amps: r.amps(7),
      masterPluggedIn: r.u8(9) === 1,
      version,
    };
  }
  const request = REQUEST_KINDS.get(code);
  if (request) return { kind: request, sender, receiver: r.u16(4), version };
  if (cls !== CLASS_SLAVE) return unknown;

  switch (fn) {
    case REPLY_CODES.slaveLinkReady:
      return { kind: 'slaveLinkReady', sender, sign: r.u8(4), maxAmps: r.amps(5), version };
    case REPLY_CODES.slaveHeartbeat:
      return {
        kind: 'slaveHeartbeat',
        sender,
        receiver: r.u16(4),
        state: r.u8(6),
        limitAmps: r.amps(7),
        actualAmps: r.amps(9),
        version,
      };
    case REPLY_CODES.kwhReport:
      return {
        kind: 'kwhReport',
        sender,
        lifetimeKwh: r.u32(4),
        voltsPhaseA: r.u16(8),
        voltsPhaseB: r.u16(10),
        voltsPhaseC: r.u16(12),
        ampsPhaseA: r.u8(14) / 2,
        ampsPhaseB: r.u8(15) / 2,
        ampsPhaseC: r.u8(16) / 2,
      };
    case REPLY_CODES.firmwareVersion:
      return {
        kind: 'firmwareVersion',
        sender,
        major: r.u8(4),
        minor: r.u8(5),
        revision: r.u8(6),
        extended: r.u8(7),
      };
    case REPLY_CODES.serialNumber:
      return { kind: 'serialNumber', sender, serial: r.text(4) };
    case REPLY_CODES.startAck:
      return { kind: 'startAck', sender };
    case REPLY_CODES.stopAck:
      return { kind: 'stopAck', sender };
    default: {
      const part = vinPartOfCode(fn);
      return part ? { kind: 'vinReply', part, sender, text: r.text(4) } : unknown;
    }
  }
}
