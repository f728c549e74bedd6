import type { SlaveHeartbeat, SlaveLinkReady, TwcId, TwcMessage } from '../protocol/messages';
import { CandidatePool, type Candidate } from './candidates';
import type { MasterConfig } from './config';
import { SlaveRecord } from './slave-record';

export type LinkReadyOutcome =
  { kind: 'collision' } | { kind: 'known'; slave: SlaveRecord } | { kind: 'full' } | { kind: 'candidate' };

export type ReplyOutcome =
  | { kind: 'changed' | 'vin' | 'added' | 'doubled' | 'duplicate'; slave: SlaveRecord }
  | { kind: 'full'; id: TwcId }
  | undefined;

/** How long a dropped slave's last offer stays reserved (the car faults 20–30 s after losing its master). */
export const DROPPED_RESERVE_MS = 30_000;

/**
 * The slaves we heartbeat, keyed by TWCID, in the order they joined, and the announced units waiting for
 * a slot; updated from what they send.
 */
export class SlaveRegistry {
  private readonly slaves = new Map<TwcId, SlaveRecord>();
  private readonly reserved = new Map<TwcId, { amps: number; until: number }>();
  readonly candidates = new CandidatePool();

  constructor(private readonly config: MasterConfig) {}

  /** A slot is free for a new unit. */
  get hasRoom(): boolean {
    return this.slaves.size < this.config.maxSlaves;
  }

  get size(): number {
    return this.slaves.size;
  }

  get(id: TwcId): SlaveRecord | undefined {
    return this.slaves.get(id);
  }

  list(): SlaveRecord[] {
    return [...this.slaves.values()];
  }

  /** A slave announced itself (FD E2). */
  linkReady(msg: SlaveLinkReady, now: number): LinkReadyOutcome {
    if (msg.sender === this.config.fakeTWCID) return { kind: 'collision' };
    const known = this.slaves.get(msg.sender);
    if (known) {
      // A linked unit's max and protocol are what it linked with: a real one changes neither without a
      // restart (which drops it first), and a garbled or forged announcement must not raise its cap.
      known.lastRxAt = now;
      known.sign = msg.sign;
      return { kind: 'known', slave: known };
    }
    // Never swap out a linked slave for a newcomer: a fourth unit is reported, not served (docs/decisions.md
    // decision 4).
    if (!this.hasRoom) return { kind: 'full' };
    this.candidates.announce(msg, now);
    return { kind: 'candidate' };
  }

  /** A candidate answered its probe: it takes a slot. */
  private promote(c: Candidate, now: number): SlaveRecord {
    // A unit coming back may still draw what it was last offered: start from that, not from 0.
    const held = this.reserved.get(c.id);
    this.reserved.delete(c.id);
    const slave = new SlaveRecord(c.id, c.sign, c.maxAmps, c.version, now, held?.amps ?? 0);
    this.slaves.set(slave.id, slave);
    return slave;
  }

  /**
   * Applies what a known slave reports; undefined when it is not ours or changes nothing the views show.
   * A heartbeat reply from a candidate we probed links it, however late it comes (a slow unit is a unit).
   */
  reply(msg: TwcMessage, now: number, timely = false): ReplyOutcome {
    if (!('sender' in msg)) return undefined;
    const slave = this.slaves.get(msg.sender);
    if (!slave) return msg.kind === 'slaveHeartbeat' ? this.probeAnswered(msg, now) : undefined;
    switch (msg.kind) {
      case 'slaveHeartbeat': {
        if (msg.receiver !== this.config.fakeTWCID) return undefined;
        const second = slave.secondReply(msg, now, this.config.replyTimeoutMs);
        if (second === 'doubled') return { kind: 'doubled', slave };
        const changed = slave.applyHeartbeat(msg, now, timely);
        if (second === 'duplicate') return { kind: 'duplicate', slave };
        return changed ? { kind: 'changed', slave } : undefined;
      }
      case 'kwhReport':
        slave.applyKwh(msg, now);
        return undefined;
      case 'vinReply':
        return slave.applyVinPart(msg.part, msg.text, now) ? { kind: 'vin', slave } : undefined;
      case 'firmwareVersion':
        slave.lastRxAt = now;
        slave.firmwareVersion = `${msg.major}.${msg.minor}.${msg.revision}.${msg.extended}`;
        return undefined;
      // Emptied, this case falls out of the switch, and reply() ends with undefined all the same.
      // Stryker disable next-line ConditionalExpression: equivalent — see above
      default:
        return undefined;
    }
  }

  private probeAnswered(msg: SlaveHeartbeat, now: number): ReplyOutcome {
    if (msg.receiver !== this.config.fakeTWCID || !this.candidates.wasProbed(msg.sender)) return undefined;
    if (!this.hasRoom) return { kind: 'full', id: msg.sender };
    const slave = this.promote(this.candidates.take(msg.sender)!, now);
    slave.applyHeartbeat(msg, now);
    return { kind: 'added', slave };
  }

  /**
   * Removes and returns the slaves silent for longer than the timeout. A silent unit may still hear us and
   * draw its last offer (a car only faults 20–30 s after its master goes quiet, docs/protocol.md §5.4), so
   * that offer stays reserved for DROPPED_RESERVE_MS: nobody else gets those amps until it has surely
   * stopped, or until the unit links again and its offer is tracked once more.
   */
  expire(now: number): SlaveRecord[] {
    const gone = this.list().filter((s) => now - s.lastRxAt > this.config.slaveTimeoutMs);
    for (const s of gone) {
      this.slaves.delete(s.id);
      const amps = s.wire.inForceAmps;
      if (amps > 0) this.reserved.set(s.id, { amps, until: now + DROPPED_RESERVE_MS });
    }
    return gone;
  }

  /** Amps still reserved for dropped slaves at `now`, one entry per unit. */
  reservations(now: number): { id: number; amps: number }[] {
    for (const [id, r] of this.reserved) if (now >= r.until) this.reserved.delete(id);
    return [...this.reserved].map(([id, r]) => ({ id, amps: r.amps }));
  }

  /** After a reconnect nobody could have heard the slaves; give each a fresh timeout. */
  touchAll(now: number): void {
    for (const s of this.slaves.values()) s.lastRxAt = now;
  }
}
