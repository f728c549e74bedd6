import { hasValidChecksum } from './checksum';
import { CLASS_COMMAND, CLASS_REQUEST, CLASS_SLAVE, FN, LENGTH_LONG, MIN_REQUEST_LENGTH } from './constants';
import { formatHex } from './hex';

/** Thrown by every encoder path for a message that must never reach a Wall Connector. */
export class RefusedCommandError extends Error {
  override name = 'RefusedCommandError';
}

const pair = (cls: number, fn: number): number => (cls << 8) | fn;

/** Known to damage or crash a TWC (docs/protocol.md §4.6); named so the refusal says why. */
const DANGEROUS = new Map<number, string>([
  [
    pair(CLASS_COMMAND, 0x19),
    'FC 19 writes the TWCID into one-time-programmable memory and can brick the unit',
  ],
  [
    pair(CLASS_COMMAND, 0x1a),
    'FC 1A writes the model number into one-time-programmable memory and can brick the unit',
  ],
  [pair(CLASS_REQUEST, 0xe8), 'FB E8 crashes the Wall Connector'],
]);

/**
 * Everything we ever emit as a master (docs/decisions.md decision 6), plus the slave replies our simulator
 * sends.
 */
const ALLOWED = new Set<number>([
  pair(CLASS_COMMAND, FN.linkReady1),
  pair(CLASS_REQUEST, FN.linkReady2),
  pair(CLASS_REQUEST, FN.heartbeat),
  pair(CLASS_REQUEST, FN.kwh),
  pair(CLASS_REQUEST, FN.vin1),
  pair(CLASS_REQUEST, FN.vin2),
  pair(CLASS_REQUEST, FN.vin3),
  pair(CLASS_REQUEST, FN.extFirmware),
  pair(CLASS_REQUEST, FN.serial),
  pair(CLASS_REQUEST, FN.firmware),
  pair(CLASS_COMMAND, FN.start),
  pair(CLASS_COMMAND, FN.stop),
  ...[
    FN.linkReady2,
    FN.heartbeat,
    FN.kwh,
    FN.vin1,
    FN.vin2,
    FN.vin3,
    FN.extFirmware,
    FN.serial,
    FN.start,
    FN.stop,
    FN.firmware,
  ].map((fn) => pair(CLASS_SLAVE, fn)),
]);

/**
 * Heartbeat commands a master may send: keep-alive and the two set-limit commands (docs/protocol.md §4.4).
 */
const ALLOWED_HEARTBEAT_COMMANDS = new Set([0x00, 0x05, 0x09]);

/** Why `message` (unescaped, checksum included) must not be sent; undefined when it may be. */
export function refusalReason(message: Uint8Array): string | undefined {
  if (message.length < MIN_REQUEST_LENGTH || message.length > LENGTH_LONG) {
    return `a message of ${message.length} bytes is not a TWC message`;
  }
  const key = pair(message[0], message[1]);
  const dangerous = DANGEROUS.get(key);
  if (dangerous) return dangerous;
  if (!ALLOWED.has(key)) return `${formatHex(message.subarray(0, 2))} is not a message this package sends`;
  if (key === pair(CLASS_REQUEST, FN.heartbeat) && !ALLOWED_HEARTBEAT_COMMANDS.has(message[6])) {
    return message[6] === 0x02
      ? 'heartbeat command 02 puts the slave in an error state that needs a manual reset'
      : `heartbeat command ${formatHex([message[6]])} is not one this package sends`;
  }
  if (!hasValidChecksum(message)) return 'the checksum byte does not match the message';
  return undefined;
}

export function assertAllowed(message: Uint8Array): void {
  const reason = refusalReason(message);
  if (reason !== undefined) throw new RefusedCommandError(`refused to send ${formatHex(message)}: ${reason}`);
}
