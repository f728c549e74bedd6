import type { MasterConfig } from './config';

export type LinkReadyKind = 'masterLinkReady1' | 'masterLinkReady2';

/** What a real master sends after power-up: 5× FC E1, then 5× FB E2 (docs/protocol.md §5.1). */
export const LINK_READY_SEQUENCE: readonly LinkReadyKind[] = [
  ...Array<LinkReadyKind>(5).fill('masterLinkReady1'),
  ...Array<LinkReadyKind>(5).fill('masterLinkReady2'),
];
/**
 * After our sequence, time for every unit's five announcements (about 0.2 s later, docs/protocol.md §5.1).
 */
const SETTLE_MARGIN_MS = 1000;
/** However busy the bus, raises wait no longer than this after it opened (a flood must not freeze them). */
const SETTLE_MAX_MS = 15_000;
/** How long an ID collision keeps the bus's status red after the last announcement with our ID. */
const COLLISION_ALERT_MS = 60_000;

/**
 * When the master sends its link-ready frames: the sequence when the bus opens, again every
 * linkReadyRepeatMs while no unit is linked, and as a reply to a unit using our ID, each frame
 * linkReadySpacingMs after the last. Also when the bus has settled after opening.
 */
export class LinkReadyPlan {
  private queue: LinkReadyKind[] = [];
  private nextFrameAt = 0;
  private nextRoundAt = 0;
  private lastCollisionReplayAt = Number.NEGATIVE_INFINITY;
  private lastCollisionAt = Number.NEGATIVE_INFINITY;
  private settle = { earliest: 0, latest: 0 };

  constructor(private readonly config: MasterConfig) {}

  /**
   * The bus opened. Units may still obey limits from before (another run of ours, a redeploy) that we
   * learn only as each answers; the sequence makes every unit announce itself within a second or so, and
   * until those are probed (settled()) no unit is raised, so the first to answer cannot take what the
   * others are still drawing.
   */
  opened(now: number): void {
    const sequence = LINK_READY_SEQUENCE.length * this.config.linkReadySpacingMs;
    this.settle = { earliest: now + sequence + SETTLE_MARGIN_MS, latest: now + SETTLE_MAX_MS };
    this.queueSequence(now);
  }

  /**
   * `pendingProbes`: whether some unit that announced itself has not been probed yet; asked only inside
   * the settle window, since it looks through the whole waiting room.
   */
  settled(now: number, pendingProbes: () => boolean): boolean {
    if (now >= this.settle.latest) return true;
    return now >= this.settle.earliest && !pendingProbes();
  }

  /**
   * A unit announced itself with our ID. Replaying link-ready makes it pick a new one (docs/protocol.md
   * §5.5); one that never does answers every replay, so replays are spaced like the idle rounds, never back
   * to back.
   */
  collision(now: number): void {
    this.lastCollisionAt = now;
    if (this.queue.length > 0 || now - this.lastCollisionReplayAt < this.config.linkReadyRepeatMs) return;
    this.lastCollisionReplayAt = now;
    this.queueSequence(now);
  }

  collisionSeen(now: number): boolean {
    return now - this.lastCollisionAt < COLLISION_ALERT_MS;
  }

  /** The last linked unit was dropped: start the idle rounds now. */
  noSlavesLeft(now: number): void {
    this.nextRoundAt = now;
  }

  /** Whether a frame is due now; `idle`: no unit is linked, so the idle rounds run. */
  due(now: number, idle: boolean): boolean {
    if (idle && this.queue.length === 0 && now >= this.nextRoundAt) this.queueSequence(now);
    return this.queue.length > 0 && now >= this.nextFrameAt;
  }

  /** The frame that is due (see due()), now going on the wire. */
  take(now: number): LinkReadyKind {
    this.nextFrameAt = now + this.config.linkReadySpacingMs;
    return this.queue.shift()!;
  }

  /** When due() may next have a frame. */
  nextAt(idle: boolean): number {
    if (this.queue.length > 0) return this.nextFrameAt;
    return idle ? this.nextRoundAt : Number.POSITIVE_INFINITY;
  }

  private queueSequence(now: number): void {
    this.queue = [...LINK_READY_SEQUENCE];
    this.nextRoundAt = now + this.config.linkReadyRepeatMs;
  }
}
