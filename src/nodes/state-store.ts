import type { NodeContextData } from 'node-red';
import type { SavedState } from '../bus/create-bus';

const POLICY_KEY = 'twcPolicySettings';
const HISTORY_KEY = 'twcChargeHistory';

/**
 * The twc-master's settings and history in its node context, so they survive a restart when the user has a
 * persistent context store (the default store; see the README). Saves are coalesced: a burst of API calls
 * costs one write.
 */
export class StateStore {
  private pending: { policy: unknown; history: unknown } | undefined;
  private timer: NodeJS.Immediate | undefined;

  constructor(
    private readonly ctx: NodeContextData,
    private readonly onError: (message: string) => void,
  ) {}

  load(done: (state: SavedState) => void): void {
    try {
      this.ctx.get([POLICY_KEY, HISTORY_KEY], (err: Error | null, policy?: unknown, history?: unknown) => {
        if (err) this.onError(err.message);
        done(err ? {} : { policy, history });
      });
    } catch (err) {
      this.onError((err as Error).message);
      done({});
    }
  }

  saveSoon(policy: unknown, history: unknown): void {
    this.pending = { policy, history };
    this.timer ??= setImmediate(() => this.flush());
  }

  save(policy: unknown, history: unknown): void {
    this.pending = { policy, history };
    this.flush();
  }

  private flush(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    try {
      this.ctx.set([POLICY_KEY, HISTORY_KEY], [p.policy, p.history], (err?: Error | null) => {
        if (err) this.onError(err.message);
      });
    } catch (err) {
      this.onError((err as Error).message);
    }
  }
}
