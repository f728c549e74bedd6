import {
  addressedMessage,
  debugRefusalReason,
  formatHex,
  formatTwcId,
  RefusedCommandError,
  type TwcId,
  type TwcMessage,
} from '../protocol';
import { sentByMaster } from '../protocol/messages';
import type { MasterConfig } from './config';
import type { SlaveRecord } from './slave-record';

/** Debug commands accepted but not yet on the bus, all units together (docs/api.md §4.15). */
export const MAX_PENDING_DEBUG = 4;

/** A one-off query from the API's sendDebugCommand (docs/api.md §4.15). */
export interface DebugCommand {
  /** Class and function byte only, completed like any request to the unit; or a whole message, checksum included. */
  bytes: Uint8Array;
  /** The linked unit to ask; absent: the first linked unit, as TWCManager does. */
  to?: TwcId;
}

/** Why a debug command cannot be queued; `status` is the HTTP answer (400 bad input, 429 queue full). */
export class DebugCommandError extends Error {
  override name = 'DebugCommandError';
  constructor(
    message: string,
    readonly status: 400 | 429,
  ) {
    super(message);
  }
}

const CODE_BYTES = 2;

const u16 = (bytes: Uint8Array, offset: number): number => (bytes[offset] << 8) | bytes[offset + 1];

/**
 * The message `command` puts on the bus and the unit it asks. The refusal comes first and depends on the
 * message alone, so a dangerous one is refused with its reason whoever it was meant for. Throws
 * RefusedCommandError (the encoder's gate or not a read-only query) or DebugCommandError.
 */
export function debugMessage(
  command: DebugCommand,
  slaves: readonly SlaveRecord[],
  config: Pick<MasterConfig, 'fakeTWCID'>,
): { slave: SlaveRecord; message: Uint8Array } {
  const { bytes, to } = command;
  const whole = bytes.length !== CODE_BYTES;
  // A short form is vetted as the request it becomes: its code is all that can make it dangerous.
  const vetted = whole ? bytes : addressedMessage(bytes[0], bytes[1], config.fakeTWCID, to ?? 0, 2);
  const reason = debugRefusalReason(vetted);
  if (reason !== undefined) throw new RefusedCommandError(`refused to send ${formatHex(vetted)}: ${reason}`);
  let id = to;
  if (whole) {
    if (u16(bytes, 2) !== config.fakeTWCID)
      throw new DebugCommandError(
        `bytes 3-4 of the message must be the master's TWCID ${formatTwcId(config.fakeTWCID)}`,
        400,
      );
    id = u16(bytes, 4);
    if (to !== undefined && to !== id)
      throw new DebugCommandError(
        `subTWC ${formatTwcId(to)} is not the receiver ${formatTwcId(id)} the message names`,
        400,
      );
  }
  const slave = id === undefined ? slaves[0] : slaves.find((s) => s.id === id);
  if (!slave)
    throw new DebugCommandError(
      id === undefined
        ? 'no Wall Connector is linked to send it to'
        : `no Wall Connector with TWCID ${formatTwcId(id)} is on the bus`,
      400,
    );
  const message = whole
    ? Uint8Array.from(bytes)
    : addressedMessage(bytes[0], bytes[1], config.fakeTWCID, slave.id, slave.version);
  return { slave, message };
}

/**
 * Whether `msg` answers a debug command to unit `id`: anything it says other than its heartbeat or
 * link-ready. Replies without a typed form (FD 1B) carry the sender in bytes 2-3 all the same.
 */
export function answersDebug(msg: TwcMessage, id: TwcId): boolean {
  if (msg.kind === 'slaveHeartbeat' || msg.kind === 'slaveLinkReady' || sentByMaster(msg)) return false;
  const sender = msg.kind === 'unknown' ? u16(msg.bytes, 2) : msg.sender;
  return sender === id;
}
