/** How often one kind of refusal may be told: a flood of bad requests must not flood the log. */
const QUIET_MS = 60_000;

/**
 * Refused requests (401, 403, 413) told at most once a minute per kind, each time with how many more of
 * that kind were refused in between, so nothing is hidden and nothing floods.
 */
export class RefusalLog {
  private readonly kinds = new Map<string, { saidAt: number; since: number }>();

  constructor(
    private readonly warn: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  refused(kind: string, message: string): void {
    const k = this.kinds.get(kind);
    const now = this.now();
    if (k && now - k.saidAt < QUIET_MS) {
      k.since++;
      return;
    }
    const more = k && k.since > 0 ? ` (${k.since} more refused like it since the last warning)` : '';
    this.kinds.set(kind, { saidAt: now, since: 0 });
    this.warn(message + more);
  }
}
