import type { ProtocolVersion, SlaveLinkReady, TwcId } from '../protocol/messages';

/** A unit that announced itself (FD E2) but has not yet answered a heartbeat: it holds no slot. */
export interface Candidate {
  id: TwcId;
  sign: number;
  maxAmps: number;
  version: ProtocolVersion;
  announcements: number;
  lastAnnouncedAt: number;
  failedProbes: number;
  /** No probe before this (after a probe that got no answer). */
  probeAfter: number;
  /** Announced again since its last probe: only then is another probe worth the bus time. */
  fresh: boolean;
  probed: boolean;
}

/**
 * How many announced IDs are remembered at once, so a flood cannot grow memory past it. Large enough that
 * a real unit's next announcement, 10 s later, still finds its first one even under a flood at full line
 * rate (about 55 link-ready frames a second at 9600 baud).
 */
export const CANDIDATE_CAPACITY = 1024;
/**
 * After an unanswered probe a unit waits this long; real units announce again every 10 s (docs/protocol.md
 * §7.1).
 */
export const PROBE_BACKOFF_MS = 3000;

/**
 * The waiting room in front of the slave slots. A link-ready costs nothing to forge or garble, so an ID
 * only takes one of the few slots once it answers a heartbeat (a probe). Real units repeat their
 * announcement (five at a time after our link-ready, and every 10 s) and answer the first probe; IDs from
 * noise or a flood announce once and never answer. So the pool remembers the IDs it heard, probes those
 * that never failed and were heard most often first, and forgets the longest-unheard when full.
 */
export class CandidatePool {
  private readonly pool = new Map<TwcId, Candidate>();

  constructor(private readonly capacity = CANDIDATE_CAPACITY) {}

  get size(): number {
    return this.pool.size;
  }

  announce(msg: SlaveLinkReady, now: number): void {
    const known = this.pool.get(msg.sender);
    if (known) {
      // Re-inserted, so that the map's order stays "least recently heard first" for eviction.
      this.pool.delete(msg.sender);
      this.pool.set(msg.sender, known);
      known.announcements++;
      known.lastAnnouncedAt = now;
      known.sign = msg.sign;
      // The lowest max heard: a garbled or forged announcement must not raise the unit's cap.
      known.maxAmps = Math.min(known.maxAmps, msg.maxAmps);
      known.version = msg.version;
      known.fresh = true;
      return;
    }
    if (this.pool.size >= this.capacity) this.pool.delete(this.pool.keys().next().value as TwcId);
    this.pool.set(msg.sender, {
      id: msg.sender,
      sign: msg.sign,
      maxAmps: msg.maxAmps,
      version: msg.version,
      announcements: 1,
      lastAnnouncedAt: now,
      failedProbes: 0,
      probeAfter: now,
      fresh: true,
      probed: false,
    });
  }

  /** The candidate to probe now, if any: fewest failed probes, then most often heard, then most recent. */
  next(now: number): Candidate | undefined {
    let best: Candidate | undefined;
    for (const c of this.pool.values()) {
      if (!c.fresh || now < c.probeAfter) continue;
      if (!best || rank(c, best) < 0) best = c;
    }
    return best;
  }

  /** When next() may next have a candidate (a fresh one waiting out its back-off). */
  nextAt(): number {
    let at = Number.POSITIVE_INFINITY;
    for (const c of this.pool.values()) if (c.fresh) at = Math.min(at, c.probeAfter);
    return at;
  }

  probed(id: TwcId): void {
    const c = this.pool.get(id);
    if (!c) return;
    c.fresh = false;
    c.probed = true;
  }

  /** The probe got no answer. */
  missed(id: TwcId, now: number): void {
    const c = this.pool.get(id);
    if (!c) return;
    c.failedProbes++;
    c.probeAfter = now + PROBE_BACKOFF_MS;
  }

  /** Removes and returns the candidate: it answered and becomes a slave. */
  take(id: TwcId): Candidate | undefined {
    const c = this.pool.get(id);
    this.pool.delete(id);
    return c;
  }

  /** Whether we probed `id`: only then does its heartbeat reply link it. */
  wasProbed(id: TwcId): boolean {
    return this.pool.get(id)?.probed === true;
  }
}

/** Negative when `a` is the better candidate. */
function rank(a: Candidate, b: Candidate): number {
  return (
    a.failedProbes - b.failedProbes ||
    b.announcements - a.announcements ||
    b.lastAnnouncedAt - a.lastAnnouncedAt
  );
}
