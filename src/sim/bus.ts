import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../clock';
import { decodeMessage, encodeFrame, FrameDecoder, type DecoderStats } from '../protocol';
import type { TwcMessage } from '../protocol/messages';
import { SimulatedSlave, type SimulatedSlaveOptions } from './slave';
import { Wire } from './wire';

/**
 * Several simulated slaves on one half-duplex bus.
 *   write(bytes)      what the master sends, in any chunking
 *   on('data', fn)    the framed bytes the slaves send, one frame after another, never overlapping
 *   start() / stop()  the slaves' own timers (link-ready, the car's ramp); stop() leaves no timer behind
 * Garbage in is skipped and counted (`stats`); nothing here throws on input. Two slaves may share a
 * TWCID: both answer, one frame after the other.
 */
export interface SimulatedBusOptions {
  /** Delay before a slave answers, unless its faults.replyDelayMs says otherwise; real units answer fast. */
  replyDelayMs?: number;
  /** How often the slaves' cars and link-ready timers are advanced. */
  tickMs?: number;
  /** A byte sent after each slave frame, like the FE/FF real units add (§2.1); none by default. */
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

export class SimulatedBus extends EventEmitter<BusEvents> {
  readonly slaves: SimulatedSlave[];
  private readonly decoder = new FrameDecoder({ accept: 'request' });
  private readonly wire: Wire;
  private tickTimer: TimerHandle | undefined;
  private readonly replyDelayMs: number;
  private readonly tickMs: number;
  private readonly padByte: number | undefined;
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
    this.wire = new Wire(clock, (chunk) => this.emit('data', chunk), options.wireTiming ?? false);
  }

  get stats(): Readonly<DecoderStats> {
    return this.decoder.stats;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.wire.start();
    this.tick();
  }

  stop(): void {
    this.running = false;
    this.clock.clearTimeout(this.tickTimer);
    this.tickTimer = undefined;
    this.wire.stop();
  }

  write(bytes: Uint8Array): void {
    const now = this.clock.now();
    for (const raw of this.decoder.push(bytes, now)) {
      const msg = decodeMessage(raw);
      this.emit('received', msg);
      this.hear(msg, now);
    }
  }

  /** Every slave hears `msg` and answers after its own delay. */
  private hear(msg: TwcMessage, now: number): void {
    for (const slave of this.slaves) {
      const replies = slave.receive(msg, now);
      if (replies.length > 0) this.enqueue(replies, slave.faults.replyDelayMs ?? this.replyDelayMs);
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
    const frames = messages.map((msg) => {
      const frame = encodeFrame(msg);
      this.emit('sent', msg);
      return this.padByte === undefined ? frame : Uint8Array.from([...frame, this.padByte]);
    });
    this.wire.send(frames, delayMs);
  }
}
