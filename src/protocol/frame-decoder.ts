import { hasValidChecksum } from './checksum';
import {
  ESCAPE,
  ESCAPED_DELIMITER,
  ESCAPED_ESCAPE,
  FRAME_DELIMITER,
  LENGTH_LONG,
  LENGTH_V1,
  LENGTH_V2,
  MAX_RAW_CANDIDATE,
  MIN_REQUEST_LENGTH,
} from './constants';

export interface DecoderStats {
  /** Messages accepted. */
  frames: number;
  checksumErrors: number;
  /** Candidates of a length no message has (pad bytes and other short noise excluded, see below). */
  badLengths: number;
  /** DB followed by anything but DC or DD. */
  badEscapes: number;
  /** Candidates longer than any message can be on the wire. */
  overflows: number;
  /** Partial candidates dropped after a silence. */
  timeouts: number;
  /**
   * Every byte other than a delimiter that did not end up in an accepted message: noise before the first
   * delimiter, pad bytes after frames, and the bytes of every rejected candidate.
   */
  garbageBytes: number;
}

export interface FrameDecoderOptions {
  /**
   * 'known': only the lengths real messages have (14, 16, 20), the master's view. 'request': any length from
   * 13 to 20, because masters send requests of several lengths and slaves answer them all (docs/protocol.md
   * §3.3).
   */
  accept?: 'known' | 'request';
  partialTimeoutMs?: number;
}

/**
 * Candidates this short are line noise, such as the pad byte real units send after a frame (docs/protocol.md
 * §2.1).
 */
const NOISE_MAX_RAW = 3;

/**
 * Streaming receiver (docs/protocol.md §2.5, docs/decisions.md decision 5): every C0 closes the current
 * candidate and opens the next; a candidate is a message only if it unescapes cleanly, has an accepted length
 * and its checksum matches. Bytes may arrive in any chunking; nothing here throws.
 */
export class FrameDecoder {
  readonly stats: DecoderStats = {
    frames: 0,
    checksumErrors: 0,
    badLengths: 0,
    badEscapes: 0,
    overflows: 0,
    timeouts: 0,
    garbageBytes: 0,
  };
  private readonly accept: 'known' | 'request';
  private readonly partialTimeoutMs: number;
  private inCandidate = false;
  private raw = 0;
  private buf: number[] = [];
  private escaping = false;
  private badEscape = false;
  private lastByteAt: number | undefined;
  /** The open candidate was opened by the closing C0 of an accepted message. */
  // Stryker: `true` here is equivalent: it is only read while a candidate is open, and every delimiter that
  // opens one sets it first.
  // Stryker disable next-line BooleanLiteral: equivalent, see above
  private afterMessage = false;

  constructor(options: FrameDecoderOptions = {}) {
    this.accept = options.accept ?? 'known';
    this.partialTimeoutMs = options.partialTimeoutMs ?? 2000;
  }

  /**
   * True while a frame may be arriving. A single byte right after a message is the pad byte real units
   * send (docs/protocol.md §2.1), not the start of a frame, so it does not hold a transmitter back.
   */
  get receiving(): boolean {
    return this.inCandidate && this.raw > 0 && !(this.afterMessage && this.raw === 1);
  }

  /** Feeds received bytes; returns the complete messages (unescaped, checksum included), in order. */
  push(chunk: Uint8Array, nowMs?: number): Uint8Array[] {
    if (nowMs !== undefined && this.lastByteAt !== undefined && this.receiving) {
      if (nowMs - this.lastByteAt > this.partialTimeoutMs) {
        this.stats.timeouts++;
        this.stats.garbageBytes += this.raw;
        this.clearCandidate();
        this.inCandidate = false;
      }
    }
    if (nowMs !== undefined && chunk.length > 0) this.lastByteAt = nowMs;
    const out: Uint8Array[] = [];
    for (const b of chunk) {
      if (b === FRAME_DELIMITER) {
        const message = this.closeCandidate();
        if (message) out.push(message);
        this.afterMessage = message !== undefined;
        this.inCandidate = true;
        continue;
      }
      if (!this.inCandidate) {
        this.stats.garbageBytes++;
        continue;
      }
      this.raw++;
      // Stryker: the `false` mutant here is equivalent: an overlong candidate is refused by its raw count
      // alone (rejection), so the bytes past the limit are not buffered only to bound the memory.
      // Stryker disable next-line ConditionalExpression: equivalent, see above
      if (this.raw > MAX_RAW_CANDIDATE) continue;
      if (this.escaping) {
        this.escaping = false;
        if (b === ESCAPED_DELIMITER) this.buf.push(FRAME_DELIMITER);
        else if (b === ESCAPED_ESCAPE) this.buf.push(ESCAPE);
        else this.badEscape = true;
      } else if (b === ESCAPE) {
        this.escaping = true;
      } else {
        this.buf.push(b);
      }
    }
    return out;
  }

  /** Forgets any partial candidate, e.g. after the transport reconnected. */
  reset(): void {
    // Every byte of the open candidate is dropped, a pad byte after a message too (see DecoderStats).
    this.stats.garbageBytes += this.raw;
    this.clearCandidate();
    this.inCandidate = false;
    this.lastByteAt = undefined;
  }

  private closeCandidate(): Uint8Array | undefined {
    // Before the first delimiter, and between two adjacent ones, the candidate is empty: noise of 0 bytes.
    const raw = this.raw;
    const message = Uint8Array.from(this.buf);
    const rejected = this.rejection(raw, message);
    this.clearCandidate();
    if (rejected) {
      if (rejected !== 'noise') this.stats[rejected]++;
      this.stats.garbageBytes += raw;
      return undefined;
    }
    this.stats.frames++;
    return message;
  }

  private rejection(raw: number, message: Uint8Array): keyof DecoderStats | 'noise' | undefined {
    if (raw > MAX_RAW_CANDIDATE) return 'overflows';
    if (this.badEscape || this.escaping) return 'badEscapes';
    if (!this.lengthAccepted(message.length)) return raw <= NOISE_MAX_RAW ? 'noise' : 'badLengths';
    if (!hasValidChecksum(message)) return 'checksumErrors';
    return undefined;
  }

  private lengthAccepted(length: number): boolean {
    if (this.accept === 'request') return length >= MIN_REQUEST_LENGTH && length <= LENGTH_LONG;
    return length === LENGTH_V1 || length === LENGTH_V2 || length === LENGTH_LONG;
  }

  private clearCandidate(): void {
    this.raw = 0;
    this.buf = [];
    this.escaping = false;
    this.badEscape = false;
  }
}
