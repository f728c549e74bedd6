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
export class SlaveRegistry {
  private readonly slaves = new Map<TwcId, SlaveRecord>();

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

  /** Removes and returns the slaves silent for longer than the timeout. */
  expire(now: number): SlaveRecord[] {
    const gone = this.list().filter((s) => now - s.lastRxAt > this.config.slaveTimeoutMs);
    for (const s of gone) this.slaves.delete(s.id);
    return gone;
  }

  /** After a reconnect nobody could have heard the slaves; give each a fresh timeout. */
  touchAll(now: number): void {
    for (const s of this.slaves.values()) s.lastRxAt = now;
  }
}
