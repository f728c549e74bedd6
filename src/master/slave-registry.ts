import type { SlaveLinkReady, TwcId, TwcMessage } from '../protocol/messages';
import type { MasterConfig } from './config';
import { SlaveRecord } from './slave-record';

export type LinkReadyOutcome =
  | { kind: 'collision' }
  | { kind: 'known'; slave: SlaveRecord }
  | { kind: 'full' }
  | { kind: 'added'; slave: SlaveRecord };

export type ReplyOutcome = { kind: 'changed' | 'vin'; slave: SlaveRecord } | undefined;

/** The slaves we heartbeat, keyed by TWCID, in the order they joined; updated from what they send. */
/** How long a dropped slave's last offer stays reserved (the car faults 20–30 s after losing its master). */
export const DROPPED_RESERVE_MS = 30_000;

export class SlaveRegistry {
  private readonly slaves = new Map<TwcId, SlaveRecord>();
  private readonly reserved = new Map<TwcId, { amps: number; until: number }>();

  constructor(private readonly config: MasterConfig) {}

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
      known.lastRxAt = now;
      known.version = msg.version;
      known.maxAmps = msg.maxAmps;
      known.sign = msg.sign;
      return { kind: 'known', slave: known };
    }
    // Never swap out a linked slave for a newcomer: a fourth unit is reported, not served (decision 4).
    if (this.slaves.size >= this.config.maxSlaves) return { kind: 'full' };
    const slave = new SlaveRecord(msg.sender, msg.sign, msg.maxAmps, msg.version, now);
    // A unit coming back may still draw what it was last offered: start from that, not from 0.
    const held = this.reserved.get(slave.id);
    if (held) {
      slave.lastAmpsOffered = held.amps;
      this.reserved.delete(slave.id);
    }
    this.slaves.set(slave.id, slave);
    return { kind: 'added', slave };
  }

  /** Applies what a known slave reports; undefined when it is not ours or changes nothing the views show. */
  reply(msg: TwcMessage, now: number): ReplyOutcome {
    if (!('sender' in msg)) return undefined;
    const slave = this.slaves.get(msg.sender);
    if (!slave) return undefined;
    switch (msg.kind) {
      case 'slaveHeartbeat':
        if (msg.receiver !== this.config.fakeTWCID) return undefined;
        return slave.applyHeartbeat(msg, now) ? { kind: 'changed', slave } : undefined;
      case 'kwhReport':
        slave.applyKwh(msg, now);
        return undefined;
      case 'vinReply':
        return slave.applyVinPart(msg.part, msg.text, now) ? { kind: 'vin', slave } : undefined;
      case 'firmwareVersion':
        slave.lastRxAt = now;
        slave.firmwareVersion = `${msg.major}.${msg.minor}.${msg.revision}.${msg.extended}`;
        return undefined;
      default:
        return undefined;
    }
  }

  /**
   * Removes and returns the slaves silent for longer than the timeout. A silent unit may still hear us and
   * draw its last offer (a car only faults 20–30 s after its master goes quiet, twc-protocol.md §5.4), so
   * that offer stays reserved for DROPPED_RESERVE_MS: nobody else gets those amps until it has surely
   * stopped, or until the unit links again and its offer is tracked once more.
   */
  expire(now: number): SlaveRecord[] {
    const gone = this.list().filter((s) => now - s.lastRxAt > this.config.slaveTimeoutMs);
    for (const s of gone) {
      this.slaves.delete(s.id);
      if (s.lastAmpsOffered > 0)
        this.reserved.set(s.id, { amps: s.lastAmpsOffered, until: now + DROPPED_RESERVE_MS });
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
