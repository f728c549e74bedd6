/** A frame arriving blocks our transmissions at most this long after its last byte. */
const RX_BUSY_MS = 50;
/**
 * The longest we hold back one transmission for bytes arriving: the longest frame takes about 44 ms on
 * the wire, so bytes beyond that are noise, and noise must never silence the heartbeats.
 */
const MAX_RX_HOLD_MS = 60;

/**
 * Never talk over a unit (docs/protocol.md §5.3): while a frame may be arriving we wait, but only as long
 * as one frame takes from the moment we wanted to talk, so a line full of noise cannot hold us back.
 */
export class ReceiveHold {
  private lastByteAt = Number.NEGATIVE_INFINITY;
  private since: number | undefined;

  /** Bytes arrived; returns when to look at the bus again. */
  arrived(now: number): number {
    this.lastByteAt = now;
    return now + RX_BUSY_MS;
  }

  /** Until when to wait before transmitting now, or undefined to go ahead. */
  until(now: number, receiving: boolean): number | undefined {
    if (!receiving || now - this.lastByteAt >= RX_BUSY_MS) return undefined;
    this.since ??= now;
    const until = Math.min(this.lastByteAt + RX_BUSY_MS, this.since + MAX_RX_HOLD_MS);
    return now < until ? until : undefined;
  }

  /** We transmitted, or have nothing to send: the next wait starts afresh. */
  release(): void {
    this.since = undefined;
  }
}
