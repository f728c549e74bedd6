/**
 * Which class and function bytes carry which message, and the other protocol facts more than one module
 * needs (docs/protocol.md §1, §4). The encoder builds from these tables, the decoder reads them back and
 * the refusal gate (docs/decisions.md decision 6) allows exactly what they list, so a code added here is one all three agree on.
 */
import { CLASS_COMMAND, CLASS_REQUEST, CLASS_SLAVE, FN } from './constants';
import type { RequestKind, TwcMessage } from './messages';

/** Class and function byte as one number: the key the decoder and the refusal gate look codes up by. */
export const codeOf = (cls: number, fn: number): number => (cls << 8) | fn;

export type VinPart = 1 | 2 | 3;

/**
 * A 17-character VIN comes in three replies (docs/protocol.md §4.2): characters 1-7, 8-14 and 15-17, each asked for and
 * answered with the same function byte.
 */
export const VIN_PARTS: Readonly<
  Record<
    VinPart,
    { readonly fn: number; readonly request: RequestKind; readonly from: number; readonly to: number }
  >
> = {
  1: { fn: FN.vin1, request: 'vinRequest1', from: 0, to: 7 },
  2: { fn: FN.vin2, request: 'vinRequest2', from: 7, to: 14 },
  3: { fn: FN.vin3, request: 'vinRequest3', from: 14, to: 17 },
};

const VIN_PART_LIST = [1, 2, 3] as const;

/** The VIN part a reply's function byte carries, if it is one of the three. */
export const vinPartOfCode = (fn: number): VinPart | undefined =>
  VIN_PART_LIST.find((part) => VIN_PARTS[part].fn === fn);

/** The VIN part a request asks for, if it is a VIN request. */
export const vinPartOfRequest = (kind: RequestKind): VinPart | undefined =>
  VIN_PART_LIST.find((part) => VIN_PARTS[part].request === kind);

/** The characters of `vin` that `part` carries ('' past its end). */
export const vinPartText = (vin: string, part: VinPart): string =>
  vin.slice(VIN_PARTS[part].from, VIN_PARTS[part].to);

/** Class and function byte of each master request addressed to one slave (docs/protocol.md §4.2). */
export const REQUEST_CODES: Readonly<Record<RequestKind, readonly [number, number]>> = {
  kwhRequest: [CLASS_REQUEST, FN.kwh],
  vinRequest1: [CLASS_REQUEST, VIN_PARTS[1].fn],
  vinRequest2: [CLASS_REQUEST, VIN_PARTS[2].fn],
  vinRequest3: [CLASS_REQUEST, VIN_PARTS[3].fn],
  firmwareRequest: [CLASS_REQUEST, FN.firmware],
  extFirmwareRequest: [CLASS_REQUEST, FN.extFirmware],
  serialRequest: [CLASS_REQUEST, FN.serial],
  startCharging: [CLASS_COMMAND, FN.start],
  stopCharging: [CLASS_COMMAND, FN.stop],
};

/** Class and function byte of the master's own broadcasts and its heartbeat (docs/protocol.md §4.2). */
export const MASTER_CODES = {
  masterLinkReady1: [CLASS_COMMAND, FN.linkReady1],
  masterLinkReady2: [CLASS_REQUEST, FN.linkReady2],
  masterHeartbeat: [CLASS_REQUEST, FN.heartbeat],
} as const satisfies Partial<Record<TwcMessage['kind'], readonly [number, number]>>;

/**
 * Function byte (class FD) of each slave message with a typed form, VIN parts aside (VIN_PARTS). FD 1B,
 * the reply to FB 1B, has none: no source agrees on its layout, so it decodes as unknown and, since the
 * simulator never sends it, the gate refuses it.
 */
export const REPLY_CODES = {
  slaveLinkReady: FN.linkReady2,
  slaveHeartbeat: FN.heartbeat,
  kwhReport: FN.kwh,
  firmwareVersion: FN.extFirmware,
  serialNumber: FN.serial,
  startAck: FN.start,
  stopAck: FN.stop,
} as const satisfies Partial<Record<TwcMessage['kind'], number>>;

/**
 * Every class and function byte the encoder builds for a typed message: the master's messages and
 * requests, and the slave replies the simulator sends. The refusal gate allows these and nothing else.
 */
export const ENCODED_CODES: ReadonlySet<number> = new Set([
  ...[...Object.values(MASTER_CODES), ...Object.values(REQUEST_CODES)].map(([cls, fn]) => codeOf(cls, fn)),
  ...[...Object.values(REPLY_CODES), ...VIN_PART_LIST.map((part) => VIN_PARTS[part].fn)].map((fn) =>
    codeOf(CLASS_SLAVE, fn),
  ),
]);

/**
 * The master's requests that only read: class FB, each answered by the addressed unit with what it knows
 * (docs/protocol.md §4.2). A debug command (docs/api.md §4.15) may send these and nothing else.
 */
export const READ_ONLY_CODES: ReadonlySet<number> = new Set(
  Object.values(REQUEST_CODES)
    .filter(([cls]) => cls === CLASS_REQUEST)
    .map(([cls, fn]) => codeOf(cls, fn)),
);

/** Master heartbeat command byte; only these three are ever encoded (docs/protocol.md §4.4, §4.6). */
export const HeartbeatCommand = {
  KeepAlive: 0x00,
  SetLimitV1: 0x05,
  SetLimitV2: 0x09,
} as const;

/** Heartbeat command 02: a slave that gets it stops until its reset button is held (docs/protocol.md §4.4); never sent. */
export const HEARTBEAT_ERROR_COMMAND = 0x02;

/** The bus line (docs/protocol.md §1): 9600 baud, 8N1, so ten bits a byte with the start and the stop bit. */
export const BAUD_RATE = 9600;
/**
 * How a serial port must be opened to talk to Wall Connectors, at BAUD_RATE unless the user picked another
 * rate. The master's serial transport and the simulator's command line both open their port with these.
 */
export const SERIAL_LINE = { baudRate: BAUD_RATE, dataBits: 8, parity: 'none', stopBits: 1 } as const;
const BITS_PER_BYTE = 1 + SERIAL_LINE.dataBits + SERIAL_LINE.stopBits;
/** How long one byte occupies the bus, in milliseconds (about 1.04). */
export const BYTE_MS = (1000 * BITS_PER_BYTE) / BAUD_RATE;
/** The most bytes the line can carry in a second. */
export const LINE_BYTES_PER_SECOND = BAUD_RATE / BITS_PER_BYTE;
