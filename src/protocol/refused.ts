import { hasValidChecksum } from './checksum';
import { CLASS_COMMAND, CLASS_REQUEST, LENGTH_LONG, MIN_REQUEST_LENGTH } from './constants';
import { formatHex } from './hex';
import {
  codeOf,
  ENCODED_CODES,
  HEARTBEAT_ERROR_COMMAND,
  HeartbeatCommand,
  MASTER_CODES,
  READ_ONLY_CODES,
} from './tables';

/** Thrown by every encoder path for a message that must never reach a Wall Connector. */
export class RefusedCommandError extends Error {
  override name = 'RefusedCommandError';
}

/** Known to damage or crash a TWC (docs/protocol.md §4.6); named so the refusal says why. */
const DANGEROUS = new Map<number, string>([
  [
    codeOf(CLASS_COMMAND, 0x19),
    'FC 19 writes the TWCID into one-time-programmable memory and can brick the unit',
  ],
  [
    codeOf(CLASS_COMMAND, 0x1a),
    'FC 1A writes the model number into one-time-programmable memory and can brick the unit',
  ],
  [codeOf(CLASS_REQUEST, 0xe8), 'FB E8 crashes the Wall Connector'],
]);

/** Heartbeat commands a master may send: keep-alive and the two set-limit commands (docs/protocol.md §4.4). */
const ALLOWED_HEARTBEAT_COMMANDS: ReadonlySet<number> = new Set(Object.values(HeartbeatCommand));

const HEARTBEAT = codeOf(...MASTER_CODES.masterHeartbeat);

/** Why `message` (unescaped, checksum included) must not be sent; undefined when it may be. */
export function refusalReason(message: Uint8Array): string | undefined {
  if (message.length < MIN_REQUEST_LENGTH || message.length > LENGTH_LONG) {
    return `a message of ${message.length} bytes is not a TWC message`;
  }
  const key = codeOf(message[0], message[1]);
  const dangerous = DANGEROUS.get(key);
  if (dangerous) return dangerous;
  // Allowed: what the encoder builds (docs/decisions.md decision 6), read from its own table, so that neither can gain a
  // code the other lacks.
  if (!ENCODED_CODES.has(key))
    return `${formatHex(message.subarray(0, 2))} is not a message this package sends`;
  if (key === HEARTBEAT && !ALLOWED_HEARTBEAT_COMMANDS.has(message[6])) {
    return message[6] === HEARTBEAT_ERROR_COMMAND
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

const READ_ONLY_LIST = [...READ_ONLY_CODES].map((code) => formatHex([code >> 8, code & 0xff])).join(', ');

/**
 * Why `message` must not go out as a debug command; undefined when it may. The encoder's gate first, so
 * FC 19 and the like are refused with their own reason; then only the read-only requests, since anything
 * else (a heartbeat with a limit, a start or stop, a link-ready) would bypass what the engine keeps track of.
 */
export function debugRefusalReason(message: Uint8Array): string | undefined {
  const reason = refusalReason(message);
  if (reason !== undefined) return reason;
  if (READ_ONLY_CODES.has(codeOf(message[0], message[1]))) return undefined;
  return `${formatHex(message.subarray(0, 2))} is not a read-only query; a debug command sends only ${READ_ONLY_LIST}`;
}
