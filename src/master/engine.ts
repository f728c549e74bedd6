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
import type { Candidate } from './candidates';
import { LinkReadyPlan } from './link-ready';
import { ReceiveHold } from './receive-hold';
import type { SlaveRecord, SlaveSnapshot } from './slave-record';
import { SlaveRegistry } from './slave-registry';
import { formatTwcId } from './twcid';
import { WarningThrottle } from './warning-throttle';
import {
  totalsOf,
  type BusAlert,
  type BusStats,
  type MasterEvents,
  type MasterSnapshot,
  type MasterWarning,
} from './types';

export interface MasterOptions {
  transport: Transport;
  clock?: Clock;
  config?: Partial<MasterConfig>;
  policy?: AmpsPolicy;
}

/** A reply we wait for before the bus is ours again. */
interface Awaiting {
  deadline: number;
  isReply: (m: TwcMessage) => boolean;
  onMissed?: (now: number) => void;
}

export class UnknownSlaveError extends Error {
  override name = 'UnknownSlaveError';
}

/** Bus time of one byte at 9600 baud, 8N1. */
import { BYTE_MS } from '../protocol/tables';
/** Idle line left before we talk (≥ 2 character times, twc-protocol.md §5.3). */
const TURNAROUND_MS = 3;
/** How long a unit may leave a lower limit unconfirmed before we say so. */
const UNCONFIRMED_WARN_MS = 30_000;
/** Frames TWCManager does not keep as "the last TWC response". */
const ROUTINE = new Set<TwcMessage['kind']>(['slaveLinkReady', 'slaveHeartbeat', 'kwhReport']);

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
    doubledReplies: 0,
    droppedWrites: 0,
    reconnects: 0,
  };
  private readonly linkReady: LinkReadyPlan;
  private readonly rxHold = new ReceiveHold();
  private readonly warnings = new WarningThrottle();
  private awaiting: Awaiting | undefined;
  private nextTxAt = 0;
  private probedLast = false;
  private timer: TimerHandle | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private running = false;
  private lastUnusual: Uint8Array | undefined;

  constructor(options: MasterOptions) {
    super();
    this.config = resolveMasterConfig(options.config);
    this.slaves = new SlaveRegistry(this.config);
    this.linkReady = new LinkReadyPlan(this.config);
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
      alerts: this.alerts(),
    };
  }

  /** Every unit that announced itself after the bus opened has been probed (or there is no slot for it). */
  private settled(now: number): boolean {
    return this.linkReady.settled(
      now,
      () => this.slaves.hasRoom && this.slaves.candidates.next(Number.POSITIVE_INFINITY) !== undefined,
    );
  }

  /** Faults on the bus that need the installer: shown red until they have not been seen for a while. */
  alerts(): BusAlert[] {
    const now = this.clock.now();
    const out: BusAlert[] = [];
    for (const s of this.slaves.list())
      if (s.isDuplicate(now))
        out.push({ code: 'duplicateId', message: `two answers as ${formatTwcId(s.id)}` });
    if (this.linkReady.collisionSeen(now))
      out.push({ code: 'idCollision', message: `a TWC uses our ID ${formatTwcId(this.config.fakeTWCID)}` });
    return out;
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
    this.linkReady.opened(now);
    this.wake();
  };

  private readonly onData = (chunk: Uint8Array): void => {
    if (!this.running || chunk.length === 0) return;
    const now = this.clock.now();
    const lookAgainAt = this.rxHold.arrived(now);
    try {
      for (const message of this.decoder.push(chunk, now)) {
        const decoded = decodeMessage(message);
        if (!ROUTINE.has(decoded.kind) && !sentByMaster(decoded)) this.lastUnusual = message;
        this.handle(decoded, now);
      }
    } catch (err) {
      this.warn('internalError', `error while handling received data: ${(err as Error).message}`);
    }
    this.schedule(this.awaiting ? this.awaiting.deadline : lookAgainAt);
  };

  private handle(msg: TwcMessage, now: number): void {
    this.stats.framesIn++;
    this.emit('rx', msg);
    const timely = this.awaiting?.isReply(msg) === true;
    if (timely) {
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
      this.onReply(msg, now, timely);
    }
  }

  private onReply(msg: TwcMessage, now: number, timely: boolean): void {
    const outcome = this.slaves.reply(msg, now, timely);
    if (!outcome) return;
    if (outcome.kind === 'full') {
      this.warn(
        'busFull',
        `ignoring Wall Connector ${formatTwcId(outcome.id)}: at most ${this.config.maxSlaves} slaves share one master`,
      );
      return;
    }
    const { slave } = outcome;
    const id = formatTwcId(slave.id);
    switch (outcome.kind) {
      case 'added':
        this.onAdded(slave, now);
        break;
      case 'doubled':
      case 'duplicate':
        if (outcome.kind === 'doubled') this.stats.doubledReplies++;
        this.warn(
          'duplicateId',
          `two answers as ${id} to one heartbeat: two Wall Connectors share this TWCID (or the bus repeats frames); it gets 0 A until that stops`,
        );
        this.emit('slaveChanged', slave.snapshot(now, this.config));
        break;
      case 'changed':
        this.emit('slaveChanged', slave.snapshot(now, this.config));
        break;
      case 'vin':
        this.emit('vin', slave.snapshot(now, this.config));
        break;
    }
  }

  private onAdded(slave: SlaveRecord, now: number): void {
    if (this.config.wiringMaxAmpsPerTWC > slave.maxAmps) {
      const per = this.config.wiringMaxAmpsPerTWC;
      this.warn(
        'wiringAboveUnitMax',
        `wiringMaxAmpsPerTWC (${per} A) is above what ${formatTwcId(slave.id)} supports (${slave.maxAmps} A); offering at most ${slave.capAmps(this.config)} A`,
      );
    }
    this.emit('slaveAdded', slave.snapshot(now, this.config));
    this.schedule(now);
  }

  private onLinkReady(msg: SlaveLinkReady, now: number): void {
    const outcome = this.slaves.linkReady(msg, now);
    const id = formatTwcId(msg.sender);
    if (outcome.kind === 'collision') {
      this.warn('idCollision', `a Wall Connector uses our ID ${id}; asking it to change`);
      this.linkReady.collision(now);
      this.wake();
    } else if (outcome.kind === 'full') {
      const max = this.config.maxSlaves;
      this.warn('busFull', `ignoring Wall Connector ${id}: at most ${max} slaves share one master`);
    } else if (outcome.kind === 'candidate') {
      this.wake();
    }
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
      this.awaiting.onMissed?.(now);
      this.awaiting = undefined;
    }
    if (now < this.nextTxAt) return this.nextTxAt;
    const next = this.nextAction(now);
    if (typeof next === 'number') {
      this.rxHold.release();
      return Math.max(Math.min(next, checkExpiry), now + 1);
    }
    const hold = this.rxHold.until(now, this.decoder.receiving);
    if (hold !== undefined) return hold;
    this.rxHold.release();
    return next();
  }

  /**
   * What to send now (a function that sends it and returns when the bus is free), or when to look again.
   * Heartbeats come first: whatever else is on the bus, every linked slave keeps its cadence (decision 2).
   * Nothing is taken from a queue here, only in the function: a receive hold may put the sending off.
   */
  private nextAction(now: number): (() => number) | number {
    let due: SlaveRecord | undefined;
    for (const s of this.slaves.list()) if (!due || s.nextHeartbeatAt < due.nextHeartbeatAt) due = s;
    if (due && due.nextHeartbeatAt <= now) return () => this.sendHeartbeat(due, now);
    const nextHeartbeat = due?.nextHeartbeatAt ?? Number.POSITIVE_INFINITY;

    const idle = this.slaves.size === 0;
    if (this.linkReady.due(now, idle)) return () => this.sendLinkReady(now);

    // Anything that waits for a reply must be over before the next heartbeat is due.
    // Probes and queries take turns, so that neither a flood of announcements nor the queries hold up
    // the other.
    if (nextHeartbeat - now > this.config.replyTimeoutMs + 60) {
      const candidate = this.slaves.hasRoom ? this.slaves.candidates.next(now) : undefined;
      if (candidate && !this.probedLast) return () => this.sendProbe(candidate, now);
      if (nextQueryDueAt(this.slaves.list()) <= now) return () => this.sendNextQuery(now);
      if (candidate) return () => this.sendProbe(candidate, now);
    }
    return Math.min(
      nextHeartbeat,
      this.linkReady.nextAt(idle),
      Math.max(nextQueryDueAt(this.slaves.list()), now + TURNAROUND_MS),
      this.slaves.hasRoom
        ? Math.max(this.slaves.candidates.nextAt(), now + TURNAROUND_MS)
        : Number.POSITIVE_INFINITY,
    );
  }

  private expireSlaves(now: number): void {
    const gone = this.slaves.expire(now);
    const seconds = Math.round(this.config.slaveTimeoutMs / 1000);
    for (const slave of gone)
      this.emit('slaveRemoved', slave.snapshot(now, this.config), `no answer for ${seconds} s`);
    if (gone.length > 0 && this.slaves.size === 0) this.linkReady.noSlavesLeft(now);
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
      this.settled(now) ? Number.POSITIVE_INFINITY : slave.wire.inForceAmps,
    );
    const setLimit = slave.version === 1 ? HeartbeatCommand.SetLimitV1 : HeartbeatCommand.SetLimitV2;
    // A set-limit until the unit shows it obeys it: every lowering goes out, and again, until echoed.
    const command = slave.wire.needsSetLimit(amps) ? setLimit : HeartbeatCommand.KeepAlive;
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
    const before = [slave.wire.sentAmps, slave.wire.inForceAmps];
    // Recorded even if the write fails: a lowering keeps the old limit in force anyway, and a raise that
    // never left only makes the others' room smaller until it is echoed.
    if (command !== HeartbeatCommand.KeepAlive) slave.wire.sent(amps);
    const changed = before[0] !== slave.wire.sentAmps || before[1] !== slave.wire.inForceAmps;
    const deadline = now + this.transmit(heartbeat) * BYTE_MS + this.config.replyTimeoutMs;
    this.awaiting = { deadline, isReply: (m) => m.kind === 'slaveHeartbeat' && m.sender === slave.id };
    if (changed) this.emit('offer', slave.snapshot(now, this.config));
    this.watchUnconfirmed(slave, now);
    return deadline;
  }

  /** A unit that does not show its new limit for long keeps the old one counted: say why the others wait. */
  private watchUnconfirmed(slave: SlaveRecord, now: number): void {
    const { sentAmps, inForceAmps } = slave.wire;
    if (inForceAmps <= sentAmps) {
      slave.unconfirmedSince = undefined;
      return;
    }
    slave.unconfirmedSince ??= now;
    if (now - slave.unconfirmedSince < UNCONFIRMED_WARN_MS) return;
    this.warn(
      'unconfirmedLimit',
      `${formatTwcId(slave.id)} has not shown its new limit of ${sentAmps} A for ${Math.round((now - slave.unconfirmedSince) / 1000)} s; its ${inForceAmps} A still count against the wiring limit`,
    );
  }

  /** Returns when the bus is free again. */
  private sendLinkReady(now: number): number {
    const kind = this.linkReady.take(now);
    const length = this.transmit({ kind, sender: this.config.fakeTWCID, sign: this.config.masterSign });
    this.nextTxAt = now + length * BYTE_MS + TURNAROUND_MS;
    return this.nextTxAt;
  }

  /**
   * A keep-alive heartbeat to an announced unit: one that answers takes a slot (CandidatePool). A
   * keep-alive changes no limit, so a unit coming back keeps what it may still be drawing (its reserve).
   */
  private sendProbe(candidate: Candidate, now: number): number {
    const { id } = candidate;
    this.slaves.candidates.probed(id);
    this.probedLast = true;
    const probe: MasterHeartbeat = {
      kind: 'masterHeartbeat',
      sender: this.config.fakeTWCID,
      receiver: id,
      command: HeartbeatCommand.KeepAlive,
      amps: 0,
      masterPluggedIn: false,
      version: candidate.version,
    };
    const deadline = now + this.transmit(probe) * BYTE_MS + this.config.replyTimeoutMs;
    this.awaiting = {
      deadline,
      isReply: (m) => m.kind === 'slaveHeartbeat' && m.sender === id,
      onMissed: (at) => this.slaves.candidates.missed(id, at),
    };
    return deadline;
  }

  /** Returns when the bus is free again, or when to look again if nothing was due after all. */
  private sendNextQuery(now: number): number {
    const query = nextQuery(this.slaves.list(), now, this.config);
    return query ? this.sendQuery(query, now) : now + TURNAROUND_MS;
  }

  /** Returns when the bus is free again. */
  private sendQuery(query: Query, now: number): number {
    this.probedLast = false;
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

  /** Emits a warning, at most once a minute for the same text (WarningThrottle). */
  private warn(code: MasterWarning['code'], message: string): void {
    if (this.warnings.allow(code, message, this.clock.now())) this.emit('warning', { code, message });
  }
}
