import type { MasterRequest, RequestKind, TwcMessage, UnknownMessage } from '../protocol/messages';
import { VIN_PARTS } from '../protocol/tables';
import type { MasterConfig } from './config';
import { answersDebug } from './debug';
import type { SlaveRecord } from './slave-record';

/** A request for the bus's gaps between heartbeats, and how to recognise its reply. */
export interface Query {
  slave: SlaveRecord;
  /** A debug command's message goes out as it was vetted, hence as raw bytes. */
  request: MasterRequest | UnknownMessage;
  /** Undefined for commands that get no reply (FC B1 / FC B2). */
  isReply?: (msg: TwcMessage) => boolean;
  /** The reply is the answer to a debug command (getLastTWCResponse). */
  keepsReply?: boolean;
}

function request(slave: SlaveRecord, kind: RequestKind, config: MasterConfig): MasterRequest {
  return { kind, sender: config.fakeTWCID, receiver: slave.id, version: slave.version };
}

/**
 * The next request to send, most urgent first: start/stop commands, debug commands from the API, the
 * firmware version once, the VIN while a car is connected, then lifetime kWh and voltages. Protocol-1 units
 * know only the commands.
 */
export function nextQuery(
  slaves: Iterable<SlaveRecord>,
  now: number,
  config: MasterConfig,
): Query | undefined {
  const list = [...slaves];
  for (const slave of list) {
    const command = slave.pendingCommands.shift();
    if (command) return { slave, request: request(slave, command, config) };
  }
  for (const slave of list) {
    const bytes = slave.debugQueries.shift();
    if (bytes === undefined) continue;
    return {
      slave,
      request: { kind: 'unknown', bytes },
      isReply: (m) => answersDebug(m, slave.id),
      keepsReply: true,
    };
  }
  for (const slave of list) {
    if (slave.version !== 2 || slave.firmwareAsked) continue;
    slave.firmwareAsked = true;
    return {
      slave,
      request: request(slave, 'extFirmwareRequest', config),
      isReply: (m) => m.kind === 'firmwareVersion' && m.sender === slave.id,
    };
  }
  for (const slave of list) {
    const part = slave.vinRequestDue(now, config);
    if (part === undefined) continue;
    return {
      slave,
      request: request(slave, VIN_PARTS[part].request, config),
      isReply: (m) => m.kind === 'vinReply' && m.part === part && m.sender === slave.id,
    };
  }
  for (const slave of list) {
    if (slave.version !== 2 || now < slave.nextKwhAt) continue;
    slave.nextKwhAt = now + config.kwhPollIntervalMs;
    return {
      slave,
      request: request(slave, 'kwhRequest', config),
      isReply: (m) => m.kind === 'kwhReport' && m.sender === slave.id,
    };
  }
  return undefined;
}

/** When nextQuery may next have something to send. */
export function nextQueryDueAt(slaves: Iterable<SlaveRecord>): number {
  let at = Number.POSITIVE_INFINITY;
  for (const s of slaves) {
    if (s.pendingCommands.length > 0 || s.debugQueries.length > 0) return Number.NEGATIVE_INFINITY;
    if (s.version !== 2) continue;
    if (!s.firmwareAsked) return Number.NEGATIVE_INFINITY;
    at = Math.min(at, s.nextKwhAt, s.currentVIN ? Number.POSITIVE_INFINITY : s.nextVinAt);
  }
  return at;
}
