/** Byte values and lengths of the TWC Gen 2 bus protocol (docs/protocol.md §2-§4). */

export const FRAME_DELIMITER = 0xc0;
export const ESCAPE = 0xdb;
export const ESCAPED_DELIMITER = 0xdc;
export const ESCAPED_ESCAPE = 0xdd;

/** Class byte (offset 0): master request with a reply, master command without one, slave message. */
export const CLASS_REQUEST = 0xfb;
export const CLASS_COMMAND = 0xfc;
export const CLASS_SLAVE = 0xfd;

/** Function codes (offset 1). */
export const FN = {
  linkReady1: 0xe1, // FC E1
  linkReady2: 0xe2, // FB E2 from the master, FD E2 from a slave
  heartbeat: 0xe0, // FB E0 / FD E0
  kwh: 0xeb,
  vin1: 0xee,
  vin2: 0xef,
  vin3: 0xf1,
  extFirmware: 0xec,
  serial: 0xed,
  firmware: 0x1b,
  start: 0xb1,
  stop: 0xb2,
  idle: 0x1d,
} as const;

/** Unescaped message lengths, checksum included. */
export const LENGTH_V1 = 14;
export const LENGTH_V2 = 16;
export const LENGTH_LONG = 20;
/** Shortest request real masters send (13 bytes of body and checksum, docs/protocol.md §3.3). */
export const MIN_REQUEST_LENGTH = 13;
/** A candidate longer than this on the wire cannot be a message (20 bytes, every one escaped, plus slack). */
export const MAX_RAW_CANDIDATE = 42;
