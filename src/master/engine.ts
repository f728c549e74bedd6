import { EventEmitter } from 'node:events';
import { SystemClock, type Clock, type TimerHandle } from '../clock';
import { decodeMessage, encodeFrame, FrameDecoder, HeartbeatCommand, RefusedCommandError } from '../protocol';
import {
  sentByMaster,
  type MasterHeartbeat,
  type SlaveLinkReady,
  type TwcId,
  type TwcMessage,
} from '../protocol/messages';
import { FixedAmps, type AmpsPolicy } from '../policy/available-amps';
import type { Transport, TransportStatus } from '../transport/transport';
import { resolveMasterConfig, type MasterConfig } from './config';
import { offerForHeartbeat } from './offers';
import { nextQuery, nextQueryDueAt, type Query } from './queries';
import type { SlaveRecord, SlaveSnapshot } from './slave-record';
import { SlaveRegistry } from './slave-registry';
import { formatTwcId } from './twcid';
import { totalsOf, type BusStats, type MasterEvents, type MasterSnapshot, type MasterWarning } from './types';

export interface MasterOptions {
  transport: Transport;
  clock?: Clock;
  config?: Partial<MasterConfig>;
  policy?: AmpsPolicy;
}

export class UnknownSlaveError extends Error {
  override name = 'UnknownSlaveError';
}

/** Bus time of one byte at 9600 baud, 8N1. */
const BYTE_MS = 10 / 9.6;
/** Idle line left before we talk (≥ 2 character times, twc-protocol.md §5.3). */
const TURNAROUND_MS = 3;
/** A frame arriving blocks our transmissions at most this long after its last byte. */
const RX_BUSY_MS = 50;
/** Frames TWCManager does not keep as "the last TWC response". */
const ROUTINE = new Set<TwcMessage['kind']>(['slaveLinkReady', 'slaveHeartbeat', 'kwhReport']);
const LINK_READY_SEQUENCE = [
  ...Array<'masterLinkReady1'>(5).fill('masterLinkReady1'),
  ...Array<'masterLinkReady2'>(5).fill('masterLinkReady2'),
];

/**
 * The fake master: takes over the role of a master Wall Connector on the RS-485 bus. It links the slaves,
 * heartbeats each about once a second, shares the available current among them within the wiring limits,
 * and collects what they report. Time comes from the Clock and bytes from the Transport only.
 */
export class TwcMaster extends EventEmitter<MasterEvents> {
  readonly config: MasterConfig;
  private readonly transport: Transport;
  private readonly clock: Clock;
  private policy: AmpsPolicy;
  private readonly slaves: SlaveRegistry;
  private readonly decoder = new FrameDecoder();
  private readonly stats: BusStats = {
    framesIn: 0,
    framesOut: 0,
    checksumErrors: 0,
    badFrames: 0,
    garbageBytes: 0,
    echoes: 0,
    unknownMessages: 0,
    missedReplies: 0,
    droppedWrites: 0,
    reconnects: 0,
  };
  private linkReadyQueue: ('masterLinkReady1' | 'masterLinkReady2')[] = [];
  private nextLinkReadyRoundAt = 0;
  private awaiting: { deadline: number; isReply: (m: TwcMessage) => boolean } | undefined;
  private nextTxAt = 0;
  private lastRxByteAt = Number.NEGATIVE_INFINITY;
  private timer: TimerHandle | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private running = false;
  private readonly warnedAt = new Map<string, number>();
  private lastUnusual: Uint8Array | undefined;

  constructor(options: MasterOptions) {
    super();
    this.config = resolveMasterConfig(options.config);
    this.slaves = new SlaveRegistry(this.config);
    this.transport = options.transport;
    this.clock = options.clock ?? new SystemClock();
    this.policy = options.policy ?? new FixedAmps(0);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.transport.on('data', this.onData);
    this.transport.on('status', this.onTransportStatus);
    this.transport.open();
    this.onTransportStatus(this.transport.status);
  }

  /** Stops all timers and releases the transport; resolves when the device is free. */
  async stop(): Promise<void> {
    this.running = false;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.transport.off('data', this.onData);
    // Listeners still hear the final 'closed' status.
    await this.transport.close();
    this.transport.off('status', this.onTransportStatus);
  }

  /** Sets a fixed total for all slaves (replacing any policy); applied at each slave's next heartbeat. */
  setAvailableAmps(amps: number): void {
    if (this.policy instanceof FixedAmps) this.policy.set(amps);
    else this.policy = new FixedAmps(amps);
    this.wake();
  }

  setPolicy(policy: AmpsPolicy): void {
    this.policy = policy;
    this.wake();
  }

  availableAmps(): number {
    const amps = this.policy.availableAmps(this.clock.now());
    return Number.isFinite(amps) && amps > 0 ? amps : 0;
  }

  /** FC B1 to one slave or all; returns how many slaves it was queued for. */
  startCharging(id?: TwcId): number {
    return this.command('startCharging', id);
  }

  /** FC B2 to one slave or all; the slave is offered 0 A until started again. */
  stopCharging(id?: TwcId): number {
    return this.command('stopCharging', id);
  }

  getSlave(id: TwcId): SlaveSnapshot | undefined {
    return this.slaves.get(id)?.snapshot(this.clock.now(), this.config);
  }

  /** The slaves alone: no call into the policy (which may itself ask for the slaves' voltages). */
  slaveSnapshots(): SlaveSnapshot[] {
    const now = this.clock.now();
    return this.slaves.list().map((s) => s.snapshot(now, this.config));
  }

  snapshot(): MasterSnapshot {
    const slaves = this.slaveSnapshots();
    return {
      fakeTWCID: formatTwcId(this.config.fakeTWCID),
      transport: this.transport.status,
      availableAmps: this.availableAmps(),
      slaves,
      totals: totalsOf(slaves),
      stats: this.busStats(),
    };
  }

  /** The last frame that was not a routine link-ready, heartbeat or kWh report (getLastTWCResponse). */
  lastUnusualFrame(): Uint8Array | undefined {
    return this.lastUnusual;
  }

  busStats(): BusStats {
    const d = this.decoder.stats;
    return {
      ...this.stats,
      checksumErrors: d.checksumErrors,
      badFrames: d.badLengths + d.badEscapes + d.overflows + d.timeouts,
      garbageBytes: d.garbageBytes,
      reconnects: this.transport.status.reconnects,
    };
  }

  private command(kind: 'startCharging' | 'stopCharging', id: TwcId | undefined): number {
    const targets = id === undefined ? this.slaves.list() : [this.slaves.get(id)];
    if (targets[0] === undefined && id !== undefined) {
      throw new UnknownSlaveError(`no Wall Connector with TWCID ${formatTwcId(id)} is on the bus`);
    }
    for (const slave of targets as SlaveRecord[]) {
      slave.chargingStopped = kind === 'stopCharging';
      slave.pendingCommands = slave.pendingCommands.filter(
        (c) => c !== 'startCharging' && c !== 'stopCharging',
      );
      slave.pendingCommands.push(kind);
    }
    this.wake();
    return targets.length;
  }

  private readonly onTransportStatus = (status: TransportStatus): void => {
    this.emit('transport', status);
    if (status.state !== 'open') return;
    const now = this.clock.now();
    // After a reconnect nobody has heard from the slaves in the meantime; give them a fresh timeout.
    this.decoder.reset();
    this.slaves.touchAll(now);
    this.awaiting = undefined;
    this.queueLinkReady(now);
    this.wake();
  };

  private readonly onData = (chunk: Uint8Array): void => {
    if (!this.running || chunk.length === 0) return;
    const now = this.clock.now();
    this.lastRxByteAt = now;
    try {
      for (const message of this.decoder.push(chunk, now)) {
        const decoded = decodeMessage(message);
        if (!ROUTINE.has(decoded.kind) && !sentByMaster(decoded)) this.lastUnusual = message;
        this.handle(decoded, now);
      }
    } catch (err) {
      this.warn('internalError', `error while handling received data: ${(err as Error).message}`);
    }
    this.schedule(this.awaiting ? this.awaiting.deadline : now + RX_BUSY_MS);
  };

  private handle(msg: TwcMessage, now: number): void {
    this.stats.framesIn++;
    this.emit('rx', msg);
    if (this.awaiting?.isReply(msg)) {
      this.awaiting = undefined;
      this.schedule(now + TURNAROUND_MS);
    }
    if (msg.kind === 'slaveLinkReady') {
      this.onLinkReady(msg, now);
    } else if (msg.kind === 'unknown') {
      this.stats.unknownMessages++;
    } else if (sentByMaster(msg)) {
      // Our own echo, or another master on the bus.
      if (msg.sender === this.config.fakeTWCID) this.stats.echoes++;
      else this.warn('otherMaster', `another master (${formatTwcId(msg.sender)}) is talking on the bus`);
    } else {
      const outcome = this.slaves.reply(msg, now);
      if (outcome?.kind === 'changed') this.emit('slaveChanged', outcome.slave.snapshot(now, this.config));
      if (outcome?.kind === 'vin') this.emit('vin', outcome.slave.snapshot(now, this.config));
    }
  }

  private onLinkReady(msg: SlaveLinkReady, now: number): void {
    const outcome = this.slaves.linkReady(msg, now);
    const id = formatTwcId(msg.sender);
    if (outcome.kind === 'collision') {
      // Replaying link-ready makes a slave with our ID pick a new one (§5.5).
      this.warn('idCollision', `a Wall Connector uses our ID ${id}; asking it to change`);
      if (this.linkReadyQueue.length === 0) this.queueLinkReady(now);
    } else if (outcome.kind === 'full') {
      const max = this.config.maxSlaves;
      this.warn('busFull', `ignoring Wall Connector ${id}: at most ${max} slaves share one master`);
    } else if (outcome.kind === 'added') {
      const { slave } = outcome;
      if (this.config.wiringMaxAmpsPerTWC > msg.maxAmps) {
        const per = this.config.wiringMaxAmpsPerTWC;
        this.warn(
          'wiringAboveUnitMax',
          `wiringMaxAmpsPerTWC (${per} A) is above what ${id} supports (${msg.maxAmps} A); offering at most ${slave.capAmps(this.config)} A`,
        );
      }
      this.emit('slaveAdded', slave.snapshot(now, this.config));
      this.schedule(now);
    }
  }

  private queueLinkReady(now: number): void {
    this.linkReadyQueue = [...LINK_READY_SEQUENCE];
    this.nextLinkReadyRoundAt = now + this.config.linkReadyRepeatMs;
  }

  private wake(): void {
    if (this.running) this.schedule(this.clock.now());
  }

  private schedule(at: number): void {
    if (!this.running || at >= this.timerAt) return;
    this.clock.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.clock.setTimeout(this.pump, Math.max(0, at - this.clock.now()));
  }

  /** Decides what goes on the bus next; called whenever something may have become due. */
  private readonly pump = (): void => {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    if (!this.running) return;
    try {
      this.schedule(this.step(this.clock.now()));
    } catch (err) {
      this.warn('internalError', `master loop: ${(err as Error).message}`);
      this.schedule(this.clock.now() + this.config.heartbeatIntervalMs);
    }
  };

  /** Sends at most one frame; returns when to look again. */
  private step(now: number): number {
    this.expireSlaves(now);
    const checkExpiry = now + 1000;
    if (this.transport.status.state !== 'open') return checkExpiry;
    if (this.awaiting) {
      if (now < this.awaiting.deadline) return this.awaiting.deadline;
      this.stats.missedReplies++;
      this.awaiting = undefined;
    }
    if (this.decoder.receiving && now - this.lastRxByteAt < RX_BUSY_MS) return this.lastRxByteAt + RX_BUSY_MS;
    if (now < this.nextTxAt) return this.nextTxAt;

    if (this.slaves.size === 0 && this.linkReadyQueue.length === 0 && now >= this.nextLinkReadyRoundAt) {
      this.queueLinkReady(now);
    }
    const linkReady = this.linkReadyQueue.shift();
    if (linkReady) {
      this.transmit({ kind: linkReady, sender: this.config.fakeTWCID, sign: this.config.masterSign });
      this.nextTxAt = now + this.config.linkReadySpacingMs;
      return this.nextTxAt;
    }

    let due: SlaveRecord | undefined;
    for (const s of this.slaves.list()) if (!due || s.nextHeartbeatAt < due.nextHeartbeatAt) due = s;
    if (due && due.nextHeartbeatAt <= now) {
      return this.sendHeartbeat(due, now);
    }
    const nextHeartbeat = due?.nextHeartbeatAt ?? Number.POSITIVE_INFINITY;
    if (nextHeartbeat - now > this.config.replyTimeoutMs + 60) {
      const query = nextQuery(this.slaves.list(), now, this.config);
      if (query) return this.sendQuery(query, now);
    }
    const idleUntil = Math.min(
      nextHeartbeat,
      Math.max(nextQueryDueAt(this.slaves.list()), now + TURNAROUND_MS),
      this.slaves.size === 0 ? this.nextLinkReadyRoundAt : Number.POSITIVE_INFINITY,
      checkExpiry,
    );
    return Math.max(idleUntil, now + 1);
  }

  private expireSlaves(now: number): void {
    const gone = this.slaves.expire(now);
    const seconds = Math.round(this.config.slaveTimeoutMs / 1000);
    for (const slave of gone)
      this.emit('slaveRemoved', slave.snapshot(now, this.config), `no answer for ${seconds} s`);
    if (gone.length > 0 && this.slaves.size === 0) this.nextLinkReadyRoundAt = now;
  }

  /** Returns when the bus is free again. */
  private sendHeartbeat(slave: SlaveRecord, now: number): number {
    const amps = offerForHeartbeat(
      slave,
      this.slaves.list(),
      this.availableAmps(),
      now,
      this.config,
      this.slaves.reservations(now),
    );
    const setLimit = slave.version === 1 ? HeartbeatCommand.SetLimitV1 : HeartbeatCommand.SetLimitV2;
    // Resend the limit until the slave echoes it; 0 is always sent explicitly (§6.1).
    const command = amps !== slave.reportedAmpsMax || amps === 0 ? setLimit : HeartbeatCommand.KeepAlive;
    const heartbeat: MasterHeartbeat = {
      kind: 'masterHeartbeat',
      sender: this.config.fakeTWCID,
      receiver: slave.id,
      command,
      amps: command === HeartbeatCommand.KeepAlive ? 0 : amps,
      masterPluggedIn: false,
      version: slave.version,
    };
    slave.nextHeartbeatAt = now + this.config.heartbeatIntervalMs;
    slave.heartbeatsSent++;
    const changed = amps !== slave.lastAmpsOffered;
    slave.lastAmpsOffered = amps;
    const deadline = now + this.transmit(heartbeat) * BYTE_MS + this.config.replyTimeoutMs;
    this.awaiting = { deadline, isReply: (m) => m.kind === 'slaveHeartbeat' && m.sender === slave.id };
    if (changed) this.emit('offer', slave.snapshot(now, this.config));
    return deadline;
  }

  /** Returns when the bus is free again. */
  private sendQuery(query: Query, now: number): number {
    const busy = this.transmit(query.request) * BYTE_MS;
    if (query.isReply) {
      const deadline = now + busy + this.config.replyTimeoutMs;
      this.awaiting = { deadline, isReply: query.isReply };
      return deadline;
    }
    // Commands get no reply; leave the slave a moment before the next frame.
    this.nextTxAt = now + busy + this.config.replyTimeoutMs / 2;
    return this.nextTxAt;
  }

  /** Encodes and writes one message; returns its length on the wire (0 if it was refused). */
  private transmit(msg: TwcMessage): number {
    let bytes: Uint8Array;
    try {
      bytes = encodeFrame(msg);
    } catch (err) {
      if (err instanceof RefusedCommandError) {
        this.warn('refusedCommand', err.message);
        return 0;
      }
      throw err;
    }
    if (this.transport.write(bytes)) {
      this.stats.framesOut++;
      this.emit('tx', msg);
    } else {
      this.stats.droppedWrites++;
    }
    return bytes.length;
  }

  /** Emits a warning, at most once a minute for the same text. */
  private warn(code: MasterWarning['code'], message: string): void {
    const now = this.clock.now();
    const last = this.warnedAt.get(message);
    if (last !== undefined && now - last < 60000) return;
    this.warnedAt.set(message, now);
    this.emit('warning', { code, message });
  }
}
