import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../clock';
import { decodeMessage, encodeFrame, FrameDecoder, type DecoderStats } from '../protocol';
import type { TwcMessage } from '../protocol/messages';
import { SimulatedSlave, type SimulatedSlaveOptions } from './slave';

/**
 * Several simulated slaves on one half-duplex bus.
 *   write(bytes)      what the master sends, in any chunking
 *   on('data', fn)    the framed bytes the slaves send, one frame after another, never overlapping
 *   start() / stop()  the slaves' own timers (link-ready, the car's ramp); stop() leaves no timer behind
 * Garbage in is skipped and counted (`stats`); nothing here throws on input.
 */
export interface SimulatedBusOptions {
  /** Delay before a slave answers; real units answer straight away. */
  replyDelayMs?: number;
  /** How often the slaves' cars and link-ready timers are advanced. */
  tickMs?: number;
  /** A byte sent after each frame, like the FE/FF real units add (§2.1); none by default. */
  padByte?: number;
  /** Space frames by their time on a 9600 baud wire. */
  wireTiming?: boolean;
}

interface BusEvents {
  data: [chunk: Uint8Array];
  /** Every message a slave sent, decoded (for --verbose and tests). */
  sent: [message: TwcMessage];
  /** Every message the master sent, decoded. */
  received: [message: TwcMessage];
}

const BYTE_MS = 10 / 9.6;

export class SimulatedBus extends EventEmitter<BusEvents> {
  readonly slaves: SimulatedSlave[];
  private readonly decoder = new FrameDecoder({ accept: 'request' });
  private readonly queue: Uint8Array[] = [];
  private sendTimer: TimerHandle | undefined;
  private tickTimer: TimerHandle | undefined;
  private readonly replyDelayMs: number;
  private readonly tickMs: number;
  private readonly padByte: number | undefined;
  private readonly wireTiming: boolean;
  private running = false;

  constructor(
    slaves: (SimulatedSlave | SimulatedSlaveOptions)[],
    private readonly clock: Clock,
    options: SimulatedBusOptions = {},
  ) {
    super();
    this.slaves = slaves.map((s) => (s instanceof SimulatedSlave ? s : new SimulatedSlave(s)));
    this.replyDelayMs = options.replyDelayMs ?? 5;
    this.tickMs = options.tickMs ?? 100;
    this.padByte = options.padByte;
    this.wireTiming = options.wireTiming ?? false;
  }

  get stats(): Readonly<DecoderStats> {
    return this.decoder.stats;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.tick();
  }

  stop(): void {
    this.running = false;
    this.clock.clearTimeout(this.tickTimer);
    this.clock.clearTimeout(this.sendTimer);
    this.tickTimer = undefined;
    this.sendTimer = undefined;
    this.queue.length = 0;
  }

  write(bytes: Uint8Array): void {
    const now = this.clock.now();
    for (const raw of this.decoder.push(bytes, now)) {
      const msg = decodeMessage(raw);
      this.emit('received', msg);
      const replies = this.slaves.flatMap((slave) => slave.receive(msg, now));
      if (replies.length > 0) this.enqueue(replies, this.replyDelayMs);
    }
  }

  private tick = (): void => {
    if (!this.running) return;
    const now = this.clock.now();
    const messages = this.slaves.flatMap((slave) => slave.tick(now));
    if (messages.length > 0) this.enqueue(messages, 0);
    this.tickTimer = this.clock.setTimeout(this.tick, this.tickMs);
  };

  private enqueue(messages: TwcMessage[], delayMs: number): void {
    for (const msg of messages) {
      const frame = encodeFrame(msg);
      this.queue.push(this.padByte === undefined ? frame : Uint8Array.from([...frame, this.padByte]));
      this.emit('sent', msg);
    }
    if (!this.sendTimer && this.running) this.sendTimer = this.clock.setTimeout(this.flush, delayMs);
  }

  /** One frame at a time, so that slaves never talk over each other. */
  private flush = (): void => {
    this.sendTimer = undefined;
    const frame = this.queue.shift();
    if (!frame || !this.running) return;
    this.emit('data', frame);
    if (this.queue.length > 0) {
      this.sendTimer = this.clock.setTimeout(this.flush, this.wireTiming ? frame.length * BYTE_MS : 1);
    }
  };
}
