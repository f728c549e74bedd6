import type { Clock, TimerHandle } from '../clock';
import { BYTE_MS } from '../protocol/tables';

/** Noise waiting for a gap is capped: a line already full of frames cannot carry more noise. */
const NOISE_BACKLOG = 64;
const NOISE_CHUNK = 8;

interface Entry {
  bytes: Uint8Array;
  /** Called as the frame goes out, for frames the simulated slaves hear too. */
  onAir?: () => void;
}

/**
 * The slaves' side of the half-duplex line: one chunk at a time and never two at once, frames in the
 * order they became due, noise only in the gaps between frames. With `timing` the next chunk waits for the
 * previous one's time on a 9600 baud wire; without it, 1 ms. Every timer goes through the clock, and
 * stop() clears them all.
 */
export class Wire {
  private readonly frames: Entry[] = [];
  private noise: number[] = [];
  private readonly due = new Set<TimerHandle>();
  private timer: TimerHandle | undefined;
  private freeAt = Number.NEGATIVE_INFINITY;
  private running = false;

  constructor(
    private readonly clock: Clock,
    private readonly emit: (chunk: Uint8Array) => void,
    private readonly timing: boolean,
  ) {}

  start(): void {
    this.running = true;
  }

  stop(): void {
    this.running = false;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const handle of this.due) this.clock.clearTimeout(handle);
    this.due.clear();
    this.frames.length = 0;
    this.noise = [];
  }

  /** Queues frames that become due after `delayMs`; even 0 goes through the clock, never synchronously. */
  send(frames: Uint8Array[], delayMs: number, onAir?: () => void): void {
    if (!this.running || frames.length === 0) return;
    const handle = this.clock.setTimeout(() => {
      this.due.delete(handle);
      frames.forEach((bytes, i) => this.frames.push({ bytes, onAir: i === 0 ? onAir : undefined }));
      this.pump();
    }, delayMs);
    this.due.add(handle);
  }

  /** Noise for the next gap; what does not fit into the backlog is lost, as on a full line. */
  sendNoise(bytes: Uint8Array): void {
    if (!this.running) return;
    const room = NOISE_BACKLOG - this.noise.length;
    if (room > 0) this.noise.push(...bytes.subarray(0, room));
    this.pump();
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.pump();
  };

  private pump(): void {
    if (this.timer || !this.running) return;
    const now = this.clock.now();
    if (now < this.freeAt) {
      if (this.frames.length > 0 || this.noise.length > 0)
        this.timer = this.clock.setTimeout(this.fire, this.freeAt - now);
      return;
    }
    const entry: Entry | undefined =
      this.frames.shift() ?? (this.noise.length > 0 ? { bytes: this.takeNoise() } : undefined);
    if (!entry) return;
    // Busy before emitting: a listener that answers at once must queue behind this chunk.
    this.freeAt = now + (this.timing ? entry.bytes.length * BYTE_MS : 1);
    entry.onAir?.();
    this.emit(entry.bytes);
    if (!this.timer && (this.frames.length > 0 || this.noise.length > 0)) {
      this.timer = this.clock.setTimeout(this.fire, this.freeAt - now);
    }
  }

  private takeNoise(): Uint8Array {
    const chunk = Uint8Array.from(this.noise.slice(0, NOISE_CHUNK));
    this.noise = this.noise.slice(NOISE_CHUNK);
    return chunk;
  }
}
