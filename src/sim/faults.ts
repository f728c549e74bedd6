import { sentByMaster, type TwcMessage } from '../protocol/messages';

/**
 * Ways one simulated slave can misbehave, each off by default. They exist so that tests can check that a
 * master keeps the wiring limits and heartbeats every slave about once a second whatever the slaves do.
 */
export interface SlaveFaults {
  /**
   * The limit field (bytes 7-8) of its heartbeat replies shows the grant from before the most recent
   * change of grant (one change behind), while the unit and its car obey the newest grant: offered 40 A,
   * then 80 A, it reports 40 and draws up to 80; offered 40 again, it obeys 40 and reports 80.
   */
  staleEcho?: boolean;
  /**
   * Answers everything addressed to it this many milliseconds after hearing it, in place of the bus's
   * replyDelayMs; any delay, also far beyond a master's reply window. Replies still never overlap.
   */
  replyDelayMs?: number;
  /** Every reply goes out twice, byte for byte. */
  doubledReplies?: boolean;
  /**
   * Never picks a new ID when a master's link-ready carries its own (a unit stuck on the master's TWCID),
   * and answers every master link-ready it hears, FC E1 and FB E2 alike, with one FD E2.
   */
  keepsId?: boolean;
  /** Probability, 0 to 1, that a frame from a master is not heard by this unit at all. */
  lossRate?: number;
}

/** The faults with their values checked; throws a RangeError naming the bad one. */
export function checkSlaveFaults(faults: SlaveFaults = {}): Readonly<SlaveFaults> {
  const { replyDelayMs, lossRate } = faults;
  if (replyDelayMs !== undefined && !(Number.isFinite(replyDelayMs) && replyDelayMs >= 0)) {
    throw new RangeError(`replyDelayMs must be a number of milliseconds ≥ 0, not ${replyDelayMs}`);
  }
  if (lossRate !== undefined && !(lossRate >= 0 && lossRate <= 1)) {
    throw new RangeError(`lossRate must be a probability from 0 to 1, not ${lossRate}`);
  }
  return { ...faults };
}

/**
 * Whether the unit misses `msg`. Draws from `random` only for a master's frame and a non-zero loss rate,
 * so that a run without the fault uses the random source exactly as before.
 */
export function missed(faults: Readonly<SlaveFaults>, msg: TwcMessage, random: () => number): boolean {
  const rate = faults.lossRate ?? 0;
  return rate > 0 && sentByMaster(msg) && random() < rate;
}

export function withDoubles(faults: Readonly<SlaveFaults>, replies: TwcMessage[]): TwcMessage[] {
  return faults.doubledReplies ? replies.flatMap((r) => [r, r]) : replies;
}

/** The grant a unit obeys and the one its limit field shows, which lag one change behind under staleEcho. */
export class GrantEcho {
  private newest = 0;
  private before = 0;

  constructor(private readonly stale: boolean) {}

  /** The limit the unit uses; 0 until a master granted one while a car was plugged in. */
  get current(): number {
    return this.newest;
  }

  /** What bytes 7-8 of its heartbeat replies carry. */
  get reported(): number {
    return this.stale ? this.before : this.newest;
  }

  grant(amps: number): void {
    if (amps === this.newest) return;
    this.before = this.newest;
    this.newest = amps;
  }

  reset(): void {
    this.newest = 0;
    this.before = 0;
  }
}
