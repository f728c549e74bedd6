import type { Clock } from '../clock';
import { SystemClock } from '../clock';
import { HeartbeatCommand } from '../protocol';
import { sentByMaster, type SlaveLinkReady, type TwcId, type TwcMessage } from '../protocol/messages';
import { fixedAmps, type AmpsPolicy } from '../policy/available-amps';
import type { Transport } from '../transport/transport';
import { BusLine, TURNAROUND_MS } from './bus-line';
import { busAlerts, busWarnings, unconfirmedLimitWarning } from './bus-warnings';
import type { Candidate } from './candidates';
import { resolveMasterConfig, type MasterConfig } from './config';
import { debugMessage, DebugCommandError, MAX_PENDING_DEBUG, type DebugCommand } from './debug';
import { heartbeatFor, probeFor } from './frames';
import { LinkReadyPlan } from './link-ready';
import { offerForHeartbeat } from './offers';
import { nextQuery, nextQueryDueAt, type Query } from './queries';
import type { SlaveRecord, SlaveSnapshot } from './slave-record';
import { SlaveRegistry } from './slave-registry';
import { formatTwcId } from '../protocol/twcid';
import { totalsOf, type BusAlert, type MasterSnapshot } from './types';

export interface MasterOptions {
  transport: Transport;
  clock?: Clock;
  config?: Partial<MasterConfig>;
  policy?: AmpsPolicy;
}

export class UnknownSlaveError extends Error {
  override name = 'UnknownSlaveError';
}

/**
 * The fake master: takes over the role of a master Wall Connector on the RS-485 bus. It links the slaves,
 * heartbeats each about once a second, shares the available current among them within the wiring limits,
 * and collects what they report. Time comes from the Clock and bytes from the Transport only (BusLine).
 */
export class TwcMaster extends BusLine {
  readonly config: MasterConfig;
  private policy: AmpsPolicy;
  private readonly slaves: SlaveRegistry;
  private readonly linkReady: LinkReadyPlan;
  // Stryker disable next-line BooleanLiteral: equivalent — a unit links only through a probe, so a probe always comes before the first query and sets this
  private probedLast = false;

  constructor(options: MasterOptions) {
    const config = resolveMasterConfig(options.config);
    super(options.transport, options.clock ?? new SystemClock(), config);
    this.config = config;
    this.slaves = new SlaveRegistry(config);
    this.linkReady = new LinkReadyPlan(config);
    this.policy = options.policy ?? fixedAmps(0);
  }

  /** Sets a fixed total for all slaves (replacing any policy); applied at each slave's next heartbeat. */
  setAvailableAmps(amps: number): void {
    this.policy = fixedAmps(amps);
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

  /**
   * Queues a one-off read-only query (docs/api.md §4.15) for the gaps between heartbeats. Throws
   * RefusedCommandError for anything the gate or the read-only list refuses, DebugCommandError for an
   * unknown unit or a full queue; nothing is queued then.
   */
  sendDebugCommand(command: DebugCommand): void {
    const list = this.slaves.list();
    const { slave, message } = debugMessage(command, list, this.config);
    const pending = list.reduce((n, s) => n + s.debugQueries.length, 0);
    if (pending >= MAX_PENDING_DEBUG)
      throw new DebugCommandError(
        `${pending} debug commands are still waiting for the bus; try again in a second`,
        429,
      );
    slave.debugQueries.push(message);
    this.debugAccepted();
    this.wake();
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
    return busAlerts(this.slaves.list(), this.linkReady.collisionSeen(now), this.config, now);
  }

  private command(kind: 'startCharging' | 'stopCharging', id: TwcId | undefined): number {
    const targets = id === undefined ? this.slaves.list() : [this.slaves.get(id)];
    if (targets[0] === undefined && id !== undefined) {
      throw new UnknownSlaveError(`no Wall Connector with TWCID ${formatTwcId(id)} is on the bus`);
    }
    for (const slave of targets as SlaveRecord[]) {
      slave.chargingStopped = kind === 'stopCharging';
      // Start and stop are the only commands: the latest replaces one not yet sent.
      slave.pendingCommands = [kind];
    }
    this.wake();
    return targets.length;
  }

  protected opened(now: number): void {
    // After a reconnect nobody has heard from the slaves in the meantime; give them a fresh timeout.
    this.slaves.touchAll(now);
    this.linkReady.opened(now);
  }

  protected heard(msg: TwcMessage, now: number, timely: boolean): void {
    if (msg.kind === 'slaveLinkReady') {
      this.onLinkReady(msg, now);
    } else if (msg.kind === 'unknown') {
      this.stats.unknownMessages++;
    } else if (sentByMaster(msg)) {
      // Our own echo, or another master on the bus.
      if (msg.sender === this.config.fakeTWCID) this.stats.echoes++;
      else this.say(busWarnings.otherMaster(msg.sender));
    } else {
      this.onReply(msg, now, timely);
    }
  }

  private onReply(msg: TwcMessage, now: number, timely: boolean): void {
    const outcome = this.slaves.reply(msg, now, timely);
    if (!outcome) return;
    if (outcome.kind === 'full') {
      this.say(busWarnings.busFull(outcome.id, this.config.maxSlaves));
      return;
    }
    const { slave } = outcome;
    switch (outcome.kind) {
      case 'added':
        if (this.config.wiringMaxAmpsPerTWC > slave.maxAmps)
          this.say(busWarnings.wiringAboveUnitMax(slave, this.config));
        this.emit('slaveAdded', slave.snapshot(now, this.config));
        this.wake();
        break;
      case 'doubled':
      case 'duplicate':
        if (outcome.kind === 'doubled') this.stats.doubledReplies++;
        this.say(busWarnings.duplicateId(slave.id));
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

  private onLinkReady(msg: SlaveLinkReady, now: number): void {
    const outcome = this.slaves.linkReady(msg, now);
    if (outcome.kind === 'collision') {
      this.say(busWarnings.idCollision(msg.sender));
      this.linkReady.collision(now);
      this.wake();
    } else if (outcome.kind === 'full') {
      this.say(busWarnings.busFull(msg.sender, this.config.maxSlaves));
    } else if (outcome.kind === 'candidate') {
      this.wake();
    }
  }

  /**
   * What to send now (a function that sends it and returns when the bus is free), or when to look again.
   * Heartbeats come first: whatever else is on the bus, every linked slave keeps its cadence
   * (docs/decisions.md decision 2). Nothing is taken from a queue here, only in the function: a receive hold
   * may put the sending off.
   */
  protected nextAction(now: number): (() => number) | number {
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

  protected beforeTurn(now: number): void {
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
    const heartbeat = heartbeatFor(slave, amps, this.config);
    slave.nextHeartbeatAt = now + this.config.heartbeatIntervalMs;
    slave.heartbeatsSent++;
    const sentBefore = slave.wire.sentAmps;
    // Recorded even if the write fails: a lowering keeps the old limit in force anyway, and a raise that
    // never left only makes the others' room smaller until it is echoed. A keep-alive goes only where the
    // limit is in force and shown (WireLimit.needsSetLimit), so recording it would change nothing.
    // Stryker disable next-line ConditionalExpression: equivalent — sent(x) with x already in force and confirmed leaves WireLimit as it was
    if (heartbeat.command !== HeartbeatCommand.KeepAlive) slave.wire.sent(amps);
    // Sending moves the limit in force only together with the limit sent (replies move it elsewhere).
    const changed = sentBefore !== slave.wire.sentAmps;
    const deadline = this.request(
      heartbeat,
      now,
      (m) => m.kind === 'slaveHeartbeat' && m.sender === slave.id,
    );
    if (changed) this.emit('offer', slave.snapshot(now, this.config));
    const unconfirmed = unconfirmedLimitWarning(slave, now);
    if (unconfirmed) this.say(unconfirmed);
    return deadline;
  }

  /** Returns when the bus is free again. */
  private sendLinkReady(now: number): number {
    const kind = this.linkReady.take(now);
    return this.tell(
      { kind, sender: this.config.fakeTWCID, sign: this.config.masterSign },
      now,
      TURNAROUND_MS,
    );
  }

  /** Returns when the bus is free again. */
  private sendProbe(candidate: Candidate, now: number): number {
    const { id } = candidate;
    this.slaves.candidates.probed(id);
    this.probedLast = true;
    return this.request(
      probeFor(id, candidate.version, this.config),
      now,
      (m) => m.kind === 'slaveHeartbeat' && m.sender === id,
      (at) => this.slaves.candidates.missed(id, at),
    );
  }

  /** Returns when the bus is free again, or when to look again if nothing was due after all. */
  private sendNextQuery(now: number): number {
    const query = nextQuery(this.slaves.list(), now, this.config);
    return query ? this.sendQuery(query, now) : now + TURNAROUND_MS;
  }

  /** Returns when the bus is free again. */
  private sendQuery(query: Query, now: number): number {
    this.probedLast = false;
    if (query.isReply) return this.request(query.request, now, query.isReply, undefined, query.keepsReply);
    // Commands get no reply; leave the slave a moment before the next frame.
    return this.tell(query.request, now, this.config.replyTimeoutMs / 2);
  }
}
