import { isDeepStrictEqual } from 'node:util';
import type { Clock, TimerHandle } from '../clock';
import type { StoredHistory } from '../history/charge-history';
import type { PolicySettings } from '../policy/settings';
import { told, type Told } from './told';

/** The live readings: flows send them (setGreenEnergy) every few seconds, too often for a write each. */
const READINGS = ['generationW', 'consumptionW'] as const satisfies readonly (keyof PolicySettings)[];
/** Readings and history are written at most this often, and at close. */
export const COALESCE_MS = 60_000;
/** The same write error is told at most this often. */
const QUIET_MS = 60_000;

/** What is kept of a bus: its policy settings and its charge history. */
export interface KeptState {
  policy: Readonly<PolicySettings>;
  history: StoredHistory;
}

export interface StateKeeperOptions {
  clock: Clock;
  /** The state as it is now. */
  current(): KeptState;
  /** Writes durably, or throws. */
  write(state: KeptState): void;
  warn(text: Told): void;
}

/** The settings without the readings, as text: what decides whether a change is written at once. */
function settingsText(policy: Readonly<PolicySettings>): string {
  const rest: Partial<PolicySettings> = { ...policy };
  for (const key of READINGS) delete rest[key];
  return JSON.stringify(rest);
}

/**
 * Everything worth a write, as text. An open history slot with nothing drawn in it is left out: it changes
 * with every sample, and an idle charger must not cost a write every five minutes.
 */
function worthText({ policy, history }: KeptState): string {
  const open = history.open && history.open.sum > 0 ? history.open : undefined;
  return JSON.stringify({ policy, slots: history.slots, open });
}

/**
 * Decides when the state is written. A change of the settings is written before the call that made it
 * returns, so an API answer means the change is on disk. Readings and history are written within a minute,
 * and at close; nothing is written when nothing changed. A failed write keeps everything in memory, is
 * tried again within a minute, and is told once a minute per reason.
 */
export class StateKeeper {
  /** The settings as last tried (written, or failed): a new settings change is tried at once. */
  private tried: string;
  /** Everything as last written (worthText), so that a timer or close writes only what changed. */
  private written: string;
  private timer: TimerHandle | undefined;
  private failure: NodeJS.ErrnoException | undefined;
  private readonly toldAt = new Map<string, number>();
  private closed = false;

  /** Starts from a state that is on disk already (or was nothing but defaults). */
  constructor(private readonly o: StateKeeperOptions) {
    const state = o.current();
    this.tried = settingsText(state.policy);
    this.written = worthText(state);
  }

  /** After every change of the policy or the history. */
  changed(): void {
    if (this.closed) return;
    if (settingsText(this.o.current().policy) !== this.tried) this.writeNow();
    else this.timer ??= this.o.clock.setTimeout(() => this.onTimer(), COALESCE_MS);
  }

  /** saveSettings: writes everything now; the reason when it could not. */
  save(): string | undefined {
    this.writeNow();
    return this.failure && `settings not saved: ${this.failure.message}`;
  }

  /** At close: writes what changed since the last write (readings, a slot being charged); no more after. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (worthText(this.o.current()) !== this.written) this.writeNow();
  }

  /** For the status of the nodes: why the file lags behind the settings in memory. */
  problem(): Told | undefined {
    if (!this.failure) return undefined;
    const { code } = this.failure;
    return code
      ? told('state.notSaved', 'settings not saved (__code__)', { code })
      : told('state.notSavedError', 'settings not saved (write error)');
  }

  private onTimer(): void {
    this.timer = undefined;
    if (worthText(this.o.current()) !== this.written) this.writeNow();
  }

  private writeNow(): void {
    this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const state = this.o.current();
    this.tried = settingsText(state.policy);
    try {
      this.o.write(state);
      this.written = worthText(state);
      this.failure = undefined;
    } catch (err) {
      this.failure = err as NodeJS.ErrnoException;
      this.tell(this.failure);
      if (!this.closed) this.timer = this.o.clock.setTimeout(() => this.onTimer(), COALESCE_MS);
    }
  }

  private tell(err: NodeJS.ErrnoException): void {
    const reason = err.code ?? err.message;
    const now = this.o.clock.now();
    const last = this.toldAt.get(reason);
    if (last !== undefined && now - last < QUIET_MS) return;
    this.toldAt.set(reason, now);
    this.o.warn(
      told(
        'state.writeFailed',
        'twc-master: could not write the settings file (__detail__); ' +
          'the settings are kept in memory and written again within a minute',
        { detail: err.message },
      ),
    );
  }
}

/**
 * The stored settings that did not come back as they were (restoreSettings keeps only valid values and
 * defaults the rest), so that the node can say which were lost rather than drop them without a word.
 */
export function unrestoredSettings(stored: unknown, restored: Readonly<PolicySettings>): string[] {
  if (typeof stored !== 'object' || stored === null) return [];
  const back = restored as unknown as Record<string, unknown>;
  return Object.entries(stored as Record<string, unknown>)
    .filter(([key, value]) => !isDeepStrictEqual(value, back[key]))
    .map(([key]) => key);
}
