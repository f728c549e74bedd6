/**
 * Replies showing no draw, each in time for a heartbeat that carried 0, that confirm a 0. A unit answers
 * only what it heard, so a prompt unit's timely reply proves it heard the 0; three in a row cover a unit
 * whose replies lag by up to two heartbeats (its timely-looking reply may answer an older one).
 */
export const ZERO_CONFIRM_REPLIES = 3;

/**
 * The limit one slave may be drawing under, as far as the wire can tell: what the safety rules are kept
 * against. A unit obeys the last set-limit it heard, and we only know it heard ours once a reply echoes it:
 * a frame can be lost, and a late unit's reply may answer an older heartbeat. So after a lowering the
 * previous, higher limit stays in force until the unit's reply shows the new one.
 */
export class WireLimit {
  /** The last set-limit we sent, whole amps. */
  sentAmps = 0;
  /** A higher limit the unit may still obey: the one before an unconfirmed lowering, or one it reported. */
  private higherAmps = 0;
  /** The unit's latest reply showed `sentAmps` in force. */
  private confirmed = false;
  private zeroReplies = 0;

  constructor(startAmps = 0) {
    this.sentAmps = startAmps;
  }

  /** What the unit may draw now: the sums of the wiring limits are kept over this. */
  get inForceAmps(): number {
    return Math.max(this.sentAmps, this.higherAmps);
  }

  /**
   * Whether `amps` needs a set-limit. A keep-alive only when that limit is in force and the unit has shown
   * it; 0 always goes out explicitly (docs/protocol.md §6.1: a v1 unit otherwise toggles its relay).
   */
  needsSetLimit(amps: number): boolean {
    return amps === 0 || amps !== this.inForceAmps || !this.confirmed;
  }

  /** A set-limit of `amps` went on the wire. */
  sent(amps: number): void {
    const before = this.inForceAmps;
    // When amps is not below before, keeping before instead of 0 changes nothing: before ≤ amps = sentAmps
    // bounds it under inForceAmps, and sentAmps changes only here, where higherAmps is set anew.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (`true`, `<=`) — see above
    this.higherAmps = amps < before ? before : 0;
    if (amps !== this.sentAmps) {
      this.confirmed = false;
      this.zeroReplies = 0;
    }
    this.sentAmps = amps;
  }

  /**
   * A heartbeat reply: `echoAmps` is the limit the unit says it uses (bytes 7-8), `actualAmps` its draw,
   * `timely` whether it came within the reply window of our latest heartbeat to it.
   */
  replied(echoAmps: number, actualAmps: number, timely: boolean): void {
    const echo = Math.round(echoAmps * 100);
    if (this.sentAmps === 0) {
      // After a 0 a unit keeps showing its last non-zero limit (docs/protocol.md §4.5), so the echo cannot
      // confirm it; timely replies from a unit that draws nothing can. One that still draws keeps its old
      // limit in force.
      if (actualAmps >= 1) {
        this.zeroReplies = 0;
        this.higherAmps = Math.max(this.higherAmps, Math.ceil(echo / 100));
      } else if (timely && ++this.zeroReplies >= ZERO_CONFIRM_REPLIES) {
        this.higherAmps = 0;
        this.confirmed = true;
      }
      return;
    }
    this.confirmed = echo === this.sentAmps * 100;
    if (this.confirmed) this.higherAmps = 0;
    // A unit showing more than we sent obeys someone else's limit (another master, a run before ours).
    else if (
      // An echo equal to what we sent took the branch above, so `>=` here changes nothing.
      // Stryker disable next-line EqualityOperator: equivalent (`>=`) — see above
      echo >
      this.sentAmps * 100
    )
      this.higherAmps = Math.max(this.higherAmps, Math.ceil(echo / 100));
  }
}
