import { checksum } from './checksum';
import { CLASS_SLAVE, FRAME_DELIMITER, LENGTH_LONG, LENGTH_V1, LENGTH_V2 } from './constants';
import { escape } from './escaping';
import type { ProtocolVersion, TwcId, TwcMessage } from './messages';
import { assertAllowed } from './refused';
import { MASTER_CODES, REPLY_CODES, REQUEST_CODES, VIN_PARTS } from './tables';

const lengthOf = (version: ProtocolVersion): number => (version === 1 ? LENGTH_V1 : LENGTH_V2);

/** A zeroed message of `length` bytes with its class and function bytes set; the checksum comes last. */
class MessageBuilder {
  readonly bytes: Uint8Array;
  constructor(length: number, cls: number, fn: number) {
    this.bytes = new Uint8Array(length);
    this.bytes[0] = cls;
    this.bytes[1] = fn;
  }
  u8(offset: number, value: number): this {
    this.bytes[offset] = clamp(Math.round(value), 0xff);
    return this;
  }
  u16(offset: number, value: number): this {
    const v = clamp(Math.round(value), 0xffff);
    this.bytes[offset] = v >> 8;
    this.bytes[offset + 1] = v & 0xff;
    return this;
  }
  u32(offset: number, value: number): this {
    const v = clamp(Math.round(value), 0xffffffff);
    this.u16(offset, Math.floor(v / 0x10000)).u16(offset + 2, v % 0x10000);
    return this;
  }
  /** ASCII from `offset` up to the checksum byte; characters that do not fit are dropped. */
  ascii(offset: number, text: string): this {
    // Stryker: every mutant of the next two lines is equivalent: a longer text can only reach the last byte,
    // which done() overwrites with the checksum, and past it, where a typed array ignores writes.
    // Stryker disable next-line ArithmeticOperator: equivalent, see above
    const last = this.bytes.length - 1;
    // Stryker disable next-line MethodExpression,ArithmeticOperator: equivalent, see above
    const chars = text.slice(0, last - offset);
    for (let i = 0; i < chars.length; i++) {
      const c = chars.charCodeAt(i);
      this.bytes[offset + i] = c > 0 && c < 0x80 ? c : 0x3f;
    }
    return this;
  }
  done(): Uint8Array {
    const last = this.bytes.length - 1;
    this.bytes[last] = checksum(this.bytes.subarray(0, last));
    return this.bytes;
  }
}

function clamp(value: number, max: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), max) : 0;
}

const centiAmps = (amps: number): number => amps * 100;

/**
 * An addressed master message without data, at the unit's length: how every request is built. Not vetted:
 * the caller puts it through the refusal gate (encodeMessage does; so does a debug command).
 */
export function addressedMessage(
  cls: number,
  fn: number,
  sender: TwcId,
  receiver: TwcId,
  version: ProtocolVersion,
): Uint8Array {
  return new MessageBuilder(lengthOf(version), cls, fn).u16(2, sender).u16(4, receiver).done();
}

function build(msg: TwcMessage): Uint8Array {
  switch (msg.kind) {
    case 'masterLinkReady1':
    case 'masterLinkReady2': {
      const [cls, fn] = MASTER_CODES[msg.kind];
      return new MessageBuilder(LENGTH_V1, cls, fn).u16(2, msg.sender).u8(4, msg.sign).done();
    }
    case 'slaveLinkReady':
      return new MessageBuilder(lengthOf(msg.version), CLASS_SLAVE, REPLY_CODES.slaveLinkReady)
        .u16(2, msg.sender)
        .u8(4, msg.sign)
        .u16(5, centiAmps(msg.maxAmps))
        .done();
    case 'masterHeartbeat':
      return new MessageBuilder(lengthOf(msg.version), ...MASTER_CODES.masterHeartbeat)
        .u16(2, msg.sender)
        .u16(4, msg.receiver)
        .u8(6, msg.command)
        .u16(7, centiAmps(msg.amps))
        .u8(9, msg.masterPluggedIn ? 1 : 0)
        .done();
    case 'slaveHeartbeat':
      return new MessageBuilder(lengthOf(msg.version), CLASS_SLAVE, REPLY_CODES.slaveHeartbeat)
        .u16(2, msg.sender)
        .u16(4, msg.receiver)
        .u8(6, msg.state)
        .u16(7, centiAmps(msg.limitAmps))
        .u16(9, centiAmps(msg.actualAmps))
        .done();
    case 'kwhReport':
      return new MessageBuilder(LENGTH_LONG, CLASS_SLAVE, REPLY_CODES.kwhReport)
        .u16(2, msg.sender)
        .u32(4, msg.lifetimeKwh)
        .u16(8, msg.voltsPhaseA)
        .u16(10, msg.voltsPhaseB)
        .u16(12, msg.voltsPhaseC)
        .u8(14, msg.ampsPhaseA * 2)
        .u8(15, msg.ampsPhaseB * 2)
        .u8(16, msg.ampsPhaseC * 2)
        .done();
    case 'vinReply':
      return new MessageBuilder(LENGTH_LONG, CLASS_SLAVE, VIN_PARTS[msg.part].fn)
        .u16(2, msg.sender)
        .ascii(4, msg.text)
        .done();
    case 'firmwareVersion':
      return new MessageBuilder(LENGTH_V2, CLASS_SLAVE, REPLY_CODES.firmwareVersion)
        .u16(2, msg.sender)
        .u8(4, msg.major)
        .u8(5, msg.minor)
        .u8(6, msg.revision)
        .u8(7, msg.extended)
        .done();
    case 'serialNumber':
      return new MessageBuilder(LENGTH_LONG, CLASS_SLAVE, REPLY_CODES.serialNumber)
        .u16(2, msg.sender)
        .ascii(4, msg.serial)
        .done();
    case 'startAck':
    case 'stopAck':
      return new MessageBuilder(LENGTH_V2, CLASS_SLAVE, REPLY_CODES[msg.kind]).u16(2, msg.sender).done();
    case 'unknown':
      return Uint8Array.from(msg.bytes);
    default: {
      const [cls, fn] = REQUEST_CODES[msg.kind];
      return addressedMessage(cls, fn, msg.sender, msg.receiver, msg.version);
    }
  }
}

/**
 * The unescaped message, checksum included. Throws RefusedCommandError for anything unsafe (docs/protocol.md
 * §4.6).
 */
export function encodeMessage(msg: TwcMessage): Uint8Array {
  const message = build(msg);
  assertAllowed(message);
  return message;
}

/** Frames an already built message: C0, escaped message, C0. Refuses unsafe messages too. */
export function frameMessage(message: Uint8Array): Uint8Array {
  assertAllowed(message);
  const escaped = escape(message);
  const frame = new Uint8Array(escaped.length + 2);
  frame[0] = FRAME_DELIMITER;
  frame.set(escaped, 1);
  frame[frame.length - 1] = FRAME_DELIMITER;
  return frame;
}

/** The bytes that go on the wire for `msg`. */
export function encodeFrame(msg: TwcMessage): Uint8Array {
  return frameMessage(encodeMessage(msg));
}
