import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../clock';
import { BYTE_MS, decodeMessage, encodeFrame, FrameDecoder, RefusedCommandError } from '../protocol';
import type { TwcMessage } from '../protocol/messages';
import type { Transport, TransportStatus } from '../transport/transport';
import { busStatsOf, newEngineCounters } from './bus-stats';
import type { MasterConfig } from './config';
import { ReceiveHold } from './receive-hold';
import { WarningThrottle } from './warning-throttle';
import type { BusStats, MasterEvents, MasterWarning } from './types';

/** Idle line left before we talk (≥ 2 character times, docs/protocol.md §5.3). */
export const TURNAROUND_MS = 3;

/** A reply we wait for before the bus is ours again. */
interface Awaiting {
  deadline: number;
  isReply: (m: TwcMessage) => boolean;
  onMissed?: (now: number) => void;
  /** The reply answers a debug command: it becomes the last response. */
  keepsReply: boolean;
}

/**
 * Our turn on a half-duplex bus: bytes in and out through the Transport, time from the Clock. One frame at
 * a time; after a request the bus stays the addressed unit's until its reply or the reply window is over;
 * arriving bytes hold the next frame back (ReceiveHold). What to say is the subclass's (TwcMaster): it is
 * asked at each turn through nextAction(), and told what was heard through heard().
 */
export abstract class BusLine extends EventEmitter<MasterEvents> {
  protected readonly stats = newEngineCounters();
  protected running = false;
  private readonly decoder = new FrameDecoder();
  private readonly rxHold = new ReceiveHold();
  private readonly warnings = new WarningThrottle();
  private awaiting: Awaiting | undefined;
  private nextTxAt = 0;
  private timer: TimerHandle | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private lastResponse: Uint8Array | undefined;

  protected constructor(
    protected readonly transport: Transport,
    protected readonly clock: Clock,
    private readonly timing: Pick<MasterConfig, 'replyTimeoutMs' | 'heartbeatIntervalMs'>,
  ) {
    super();
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

  /**
   * The reply to the latest debug command (getLastTWCResponse, docs/api.md §3.8): undefined before the
   * first, empty from its acceptance until its reply.
   */
  lastDebugResponse(): Uint8Array | undefined {
    return this.lastResponse;
  }

  busStats(): BusStats {
    return busStatsOf(this.stats, this.decoder.stats, this.transport.status.reconnects);
  }

  /** The transport is open (again): nobody has heard anything meanwhile. */
  protected abstract opened(now: number): void;
  /** One decoded message; `timely` when it is the reply the bus was waiting for. */
  protected abstract heard(msg: TwcMessage, now: number, timely: boolean): void;
  /** Called at every turn, whether or not the bus is open. */
  protected abstract beforeTurn(now: number): void;
  /** What to send now (a function that sends it and returns when the bus is free), or when to look again. */
  protected abstract nextAction(now: number): (() => number) | number;

  /** A debug command was accepted: its reply, not an older one, is what the API shows next. */
  protected debugAccepted(): void {
    this.lastResponse = new Uint8Array(0);
  }

  protected wake(): void {
    if (this.running) this.schedule(this.clock.now());
  }

  /** Sends a request; the bus is the addressed unit's until its reply or the reply window ends. */
  protected request(
    msg: TwcMessage,
    now: number,
    isReply: (m: TwcMessage) => boolean,
    onMissed?: (at: number) => void,
    keepsReply = false,
  ): number {
    const deadline = now + this.transmit(msg) * BYTE_MS + this.timing.replyTimeoutMs;
    this.awaiting = { deadline, isReply, onMissed, keepsReply };
    return deadline;
  }

  /** Sends a frame that gets no reply and leaves the line quiet for `gapMs` after it. */
  protected tell(msg: TwcMessage, now: number, gapMs: number): number {
    this.nextTxAt = now + this.transmit(msg) * BYTE_MS + gapMs;
    return this.nextTxAt;
  }

  /** Emits a warning, at most once a minute for the same text (WarningThrottle). */
  protected say(warning: MasterWarning): void {
    if (this.warnings.allow(warning.code, warning.message, this.clock.now())) this.emit('warning', warning);
  }

  private readonly onTransportStatus = (status: TransportStatus): void => {
    this.emit('transport', status);
    if (status.state !== 'open') return;
    this.decoder.reset();
    this.awaiting = undefined;
    this.opened(this.clock.now());
    this.wake();
  };

  private readonly onData = (chunk: Uint8Array): void => {
    if (!this.running || chunk.length === 0) return;
    const now = this.clock.now();
    const lookAgainAt = this.rxHold.arrived(now);
    try {
      for (const message of this.decoder.push(chunk, now))
        this.received(decodeMessage(message), message, now);
    } catch (err) {
      this.say({
        code: 'internalError',
        message: `error while handling received data: ${(err as Error).message}`,
      });
    }
    this.schedule(this.awaiting ? this.awaiting.deadline : lookAgainAt);
  };

  private received(msg: TwcMessage, message: Uint8Array, now: number): void {
    this.stats.framesIn++;
    this.emit('rx', msg);
    const timely = this.awaiting?.isReply(msg) === true;
    if (timely) {
      if (this.awaiting?.keepsReply) this.lastResponse = message;
      this.awaiting = undefined;
      this.schedule(now + TURNAROUND_MS);
    }
    this.heard(msg, now, timely);
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
      this.say({ code: 'internalError', message: `master loop: ${(err as Error).message}` });
      this.schedule(this.clock.now() + this.timing.heartbeatIntervalMs);
    }
  };

  /** Sends at most one frame; returns when to look again. */
  private step(now: number): number {
    this.beforeTurn(now);
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

  /** Encodes and writes one message; returns its length on the wire (0 if it was refused). */
  private transmit(msg: TwcMessage): number {
    let bytes: Uint8Array;
    try {
      bytes = encodeFrame(msg);
    } catch (err) {
      if (err instanceof RefusedCommandError) {
        this.say({ code: 'refusedCommand', message: err.message });
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
}
