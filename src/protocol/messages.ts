/**
 * Typed TWC Gen 2 messages (docs/protocol.md §4). A message is the unescaped bytes between two C0
 * delimiters, checksum included; these types are its decoded form. Amps are in amperes with the wire's
 * 0.01 A resolution; TWCIDs are 16-bit numbers (0x4142 for "41 42").
 */

export type TwcId = number;
export type ProtocolVersion = 1 | 2;

/**
 * Slave heartbeat state byte (docs/protocol.md §4.5). Values outside this list still decode, as plain
 * numbers.
 */
export const SlaveState = {
  Ready: 0x00,
  Charging: 0x01,
  Error: 0x02,
  PluggedNotCharging: 0x03,
  PluggedReady: 0x04,
  Busy: 0x05,
  RaiseAck: 0x06,
  LowerAck: 0x07,
  Starting: 0x08,
  LimitAck: 0x09,
  AdjustDone: 0x0a,
} as const;

export interface MasterLinkReady {
  kind: 'masterLinkReady1' | 'masterLinkReady2';
  sender: TwcId;
  sign: number;
}

export interface SlaveLinkReady {
  kind: 'slaveLinkReady';
  sender: TwcId;
  sign: number;
  maxAmps: number;
  /**
   * 1 for the 14-byte form, 2 for the 16-byte form; how a master learns the slave's version (docs/protocol.md
   * §3.2).
   */
  version: ProtocolVersion;
}

export interface MasterHeartbeat {
  kind: 'masterHeartbeat';
  sender: TwcId;
  receiver: TwcId;
  command: number;
  amps: number;
  /** Byte [9]: the master unit itself has a car plugged in. */
  masterPluggedIn: boolean;
  version: ProtocolVersion;
}

export interface SlaveHeartbeat {
  kind: 'slaveHeartbeat';
  sender: TwcId;
  receiver: TwcId;
  state: number;
  limitAmps: number;
  actualAmps: number;
  version: ProtocolVersion;
}

/** Master requests addressed to one slave; each carries no data (docs/protocol.md §4.2). */
export type RequestKind =
  | 'kwhRequest' // FB EB
  | 'vinRequest1' // FB EE
  | 'vinRequest2' // FB EF
  | 'vinRequest3' // FB F1
  | 'firmwareRequest' // FB 1B
  | 'extFirmwareRequest' // FB EC
  | 'serialRequest' // FB ED
  | 'startCharging' // FC B1
  | 'stopCharging'; // FC B2

export interface MasterRequest {
  kind: RequestKind;
  sender: TwcId;
  receiver: TwcId;
  version: ProtocolVersion;
}

export interface KwhReport {
  kind: 'kwhReport';
  sender: TwcId;
  lifetimeKwh: number;
  voltsPhaseA: number;
  voltsPhaseB: number;
  voltsPhaseC: number;
  /** Per-phase current in 0.5 A units on the wire; here in amperes. */
  ampsPhaseA: number;
  ampsPhaseB: number;
  ampsPhaseC: number;
}

export interface VinReply {
  kind: 'vinReply';
  part: 1 | 2 | 3;
  sender: TwcId;
  /** ASCII characters with the zero padding removed; '' when the slave knows no VIN. */
  text: string;
}

export interface FirmwareVersion {
  kind: 'firmwareVersion'; // FD EC
  sender: TwcId;
  major: number;
  minor: number;
  revision: number;
  extended: number;
}

export interface SerialNumberReply {
  kind: 'serialNumber'; // FD ED
  sender: TwcId;
  serial: string;
}

/**
 * FD B1 / FD B2: the optional acknowledgement of start/stop that TWCManager parses
 * (docs/protocol.md §10 item 6).
 */
export interface ChargeAck {
  kind: 'startAck' | 'stopAck';
  sender: TwcId;
}

export interface UnknownMessage {
  kind: 'unknown';
  bytes: Uint8Array;
}

export type TwcMessage =
  | MasterLinkReady
  | SlaveLinkReady
  | MasterHeartbeat
  | SlaveHeartbeat
  | MasterRequest
  | KwhReport
  | VinReply
  | FirmwareVersion
  | SerialNumberReply
  | ChargeAck
  | UnknownMessage;

/** Messages only a master sends (FB/FC class): link-ready, heartbeat, requests and commands. */
export function sentByMaster(msg: TwcMessage): msg is MasterLinkReady | MasterHeartbeat | MasterRequest {
  return msg.kind.startsWith('master') || ('receiver' in msg && msg.kind !== 'slaveHeartbeat');
}
