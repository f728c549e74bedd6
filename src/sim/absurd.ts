import { checksum } from '../protocol/checksum';
import { CLASS_SLAVE, LENGTH_LONG } from '../protocol/constants';
import type { ProtocolVersion, TwcId, TwcMessage } from '../protocol/messages';
import { VIN_PARTS } from '../protocol/tables';

/** Largest value a 16-bit amps field can carry (0xFFFF hundredths). */
const MAX_AMPS_FIELD = 655.35;
const UNKNOWN_STATES = [0x0b, 0x0f, 0x42, 0x80, 0xff];
/** Control bytes and the bytes that need escaping or look like a pad: what a VIN part never holds. */
const NOT_VIN_BYTES = [0x01, 0x07, 0x0a, 0x0d, 0x1b, 0x1f, 0x7f, 0x80, 0xc0, 0xdb, 0xfe, 0xff];

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** A VIN part (FD EE / EF / F1) carrying control bytes; built by hand since the encoder keeps text ASCII. */
function vinWithControlBytes(random: () => number, sender: TwcId): TwcMessage {
  const { fn, from, to } = VIN_PARTS[pick(random, [1, 2, 3] as const)];
  const bytes = new Uint8Array(LENGTH_LONG);
  bytes[0] = CLASS_SLAVE;
  bytes[1] = fn;
  bytes[2] = sender >> 8;
  bytes[3] = sender & 0xff;
  for (let i = 0; i < to - from; i++) {
    bytes[4 + i] = i === 0 || random() < 0.5 ? pick(random, NOT_VIN_BYTES) : 0x41 + Math.floor(random() * 26);
  }
  bytes[LENGTH_LONG - 1] = checksum(bytes.subarray(0, LENGTH_LONG - 1));
  return { kind: 'unknown', bytes };
}

/**
 * One frame with a valid checksum and a known kind whose fields make no sense: amps at the top of the
 * 16-bit range, state bytes no unit sends, link-ready with 0 or 655.35 A, meters and volts near 2^32 and
 * 2^16, VIN parts with control bytes. `master` is the receiver of the heartbeats (the master once heard).
 */
export function absurdMessage(random: () => number, sender: TwcId, master: TwcId): TwcMessage {
  const version: ProtocolVersion = random() < 0.5 ? 1 : 2;
  switch (Math.floor(random() * 6)) {
    case 0:
      return {
        kind: 'slaveHeartbeat',
        sender,
        receiver: master,
        state: 0x01,
        limitAmps: MAX_AMPS_FIELD,
        actualAmps: MAX_AMPS_FIELD,
        version,
      };
    case 1:
      return {
        kind: 'slaveHeartbeat',
        sender,
        receiver: master,
        state: pick(random, UNKNOWN_STATES),
        limitAmps: pick(random, [MAX_AMPS_FIELD, 0.01, 327.68, 99.99]),
        actualAmps: Math.round(random() * 65535) / 100,
        version,
      };
    case 2:
      return {
        kind: 'slaveLinkReady',
        sender,
        sign: Math.floor(random() * 256),
        maxAmps: pick(random, [0, MAX_AMPS_FIELD]),
        version,
      };
    case 3:
      return {
        kind: 'kwhReport',
        sender,
        lifetimeKwh: pick(random, [0xffffffff, 0xdeadbeef, 4000000000]),
        voltsPhaseA: pick(random, [65535, 0xc0db, 9999]),
        voltsPhaseB: pick(random, [65535, 0, 50000]),
        voltsPhaseC: 65535,
        ampsPhaseA: 127.5,
        ampsPhaseB: 127.5,
        ampsPhaseC: pick(random, [0, 127.5]),
      };
    case 4:
      return { kind: 'firmwareVersion', sender, major: 255, minor: 255, revision: 255, extended: 255 };
    default:
      return vinWithControlBytes(random, sender);
  }
}
