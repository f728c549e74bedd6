import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../clock';
import { decodeMessage, encodeFrame, FrameDecoder, type DecoderStats } from '../protocol';
import { sentByMaster, type TwcId, type TwcMessage } from '../protocol/messages';
import { BusFaultInjector, type BusFaultKind, type BusFaults } from './bus-faults';
import { SimulatedSlave, type SimulatedSlaveOptions } from './slave';
import { Wire } from './wire';

export interface SimulatedBusOptions extends BusFaults {
  /** Delay before a slave answers, unless its faults.replyDelayMs says otherwise; real units answer fast. */
  replyDelayMs?: number;
  /** How often the slaves' cars and link-ready timers are advanced. */
  tickMs?: number;
  /**
   * A byte sent after each slave frame, like the FE/FF real units add (docs/protocol.md §2.1); none by
   * default.
   */
  padByte?: number;
  /** Space frames by their time on a 9600 baud wire. */
  wireTiming?: boolean;
  /** The random source of the bus faults; seed it for reproducible runs. Math.random by default. */
  random?: () => number;
}

interface BusEvents {
  data: [chunk: Uint8Array];
  /** Every message a slave sent, decoded (for --verbose and tests). */
  sent: [message: TwcMessage];
  /** Every message the master sent, decoded. */
  received: [message: TwcMessage];
  /** Every frame a bus fault put on the wire, decoded; noise is not reported. */
  injected: [message: TwcMessage, fault: BusFaultKind];
}

/**
 * Several simulated slaves on one half-duplex bus.
 *   write(bytes)      what the master sends, in any chunking
 *   on('data', fn)    the bytes on the wire from the slaves' side: their frames one after another, never
 *                     overlapping, and the frames and noise of any bus faults in the gaps
 *   start() / stop()  the slaves' own timers (link-ready, the car's ramp) and the bus faults; stop() leaves
 *                     no timer behind
 * Garbage in is skipped and counted (`stats`); nothing here throws on input. Two slaves may share a
 * TWCID: both answer, one frame after the other.
 */
export class SimulatedBus extends EventEmitter<BusEvents> {
  readonly slaves: SimulatedSlave[];
  private readonly decoder = new FrameDecoder({ accept: 'request' });
  private readonly wire: Wire;
  private readonly faults: BusFaultInjector;
  private tickTimer: TimerHandle | undefined;
  private readonly replyDelayMs: number;
  private readonly tickMs: number;
  private readonly padByte: number | undefined;
  private masterId: TwcId | undefined;
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
    this.faults = new BusFaultInjector(options, {
      clock,
      random: options.random ?? Math.random,
      slaves: () => this.slaves,
      masterId: () => this.masterId,
      frame: (msg, fault, heard) => this.inject(msg, fault, heard),
      noise: (bytes) => this.wire.sendNoise(bytes),
    });
  }

  get stats(): Readonly<DecoderStats> {
    return this.decoder.stats;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.wire.start();
    this.faults.start();
    this.tick();
  }

  stop(): void {
    this.running = false;
    this.clock.clearTimeout(this.tickTimer);
    this.tickTimer = undefined;
    this.wire.stop();
    this.faults.stop();
  }

  write(bytes: Uint8Array): void {
    const now = this.clock.now();
    for (const raw of this.decoder.push(bytes, now)) {
      const msg = decodeMessage(raw);
      this.emit('received', msg);
      if (sentByMaster(msg)) this.masterId = msg.sender;
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

  /** A frame from a device the bus fakes; the slaves hear it as it goes out when `heard`. */
  private inject(msg: TwcMessage, fault: BusFaultKind, heard: boolean): void {
    const frame = encodeFrame(msg);
    this.emit('injected', msg.kind === 'unknown' ? decodeMessage(msg.bytes) : msg, fault);
    this.wire.send([frame], 0, heard ? () => this.hear(msg, this.clock.now()) : undefined);
  }
}
