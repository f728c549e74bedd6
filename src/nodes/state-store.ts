import * as path from 'node:path';
import type { NodeAPI } from 'node-red';
import type { Bus, SavedState } from '../bus/create-bus';
import { STATE_FOLDER, StateFile, type LoadedState } from '../bus/state-file';
import { StateKeeper, unrestoredSettings } from '../bus/state-keeper';
import { told, type Told } from '../bus/told';
import { SystemClock } from '../clock';
import { say, translator, type Translate } from './i18n';
import type { TwcMasterNode } from './master-node';

/** Where releases before the state file kept the settings: the twc-master's node context. */
const CONTEXT_KEYS = ['twcPolicySettings', 'twcChargeHistory'];

/** What the twc-master node holds of its state once the bus has started. */
export interface MasterState {
  /** saveSettings: writes now; the reason when it could not. Absent when kept in memory only. */
  save?: () => string | undefined;
  /** Writes what changed since the last write. */
  close(): void;
  /** Short text for the status of the nodes when the settings are not what was saved, or not saved. */
  notice(): string | undefined;
}

/**
 * What the twc-master says of its state, with the English as the default; twc-master.runtime.state.* of
 * the node locales says it in the user's language.
 */
export const stateTexts = {
  noUserDir: (): Told =>
    told(
      'state.noUserDir',
      'twc-master: Node-RED has no user directory (settings.userDir); the settings are kept in memory only ' +
        'and are lost at a restart',
    ),
  contextReadFailed: (detail: string): Told =>
    told(
      'state.contextReadFailed',
      'twc-master: could not read the settings kept in the node context: __detail__',
      {
        detail,
      },
    ),
  contextClearFailed: (detail: string): Told =>
    told(
      'state.contextClearFailed',
      'twc-master: could not clear the old settings in the node context: __detail__',
      { detail },
    ),
  movedFromContext: (file: string): Told =>
    told('state.movedFromContext', 'twc-master: settings moved from the node context to __file__', { file }),
  /** `from` is the file's path, or fromContext(). */
  settingsReset: (from: string | Told, names: readonly string[]): Told =>
    told(
      'state.settingsReset',
      'twc-master: settings in __from__ that were not valid took their defaults: __names__',
      {
        from,
        names: names.join(', '),
      },
    ),
  fromContext: (): Told => told('state.fromContext', 'the node context'),
  /** The load's notice, already in the user's language. */
  fileNotice: (notice: string): Told => told('state.fileNotice', 'twc-master: __notice__', { notice }),
  restoredFromBackup: (): Told => told('state.restoredFromBackup', 'settings restored from backup'),
  resetToDefaults: (): Told => told('state.resetToDefaults', 'settings reset to defaults'),
  someReset: (): Told => told('state.someReset', 'some settings reset to defaults'),
};

const STATUS_OF: Record<LoadedState['source'], (() => Told) | undefined> = {
  file: undefined,
  none: undefined,
  backup: stateTexts.restoredFromBackup,
  defaults: stateTexts.resetToDefaults,
};

function userDirOf(RED: NodeAPI): string | undefined {
  const dir = (RED.settings as { userDir?: unknown }).userDir;
  return typeof dir === 'string' && dir !== '' ? dir : undefined;
}

/** The settings a release before the state file left in the node context, or nothing. */
function readContext(node: TwcMasterNode, t: Translate, done: (state: SavedState | undefined) => void): void {
  const fail = (err: Error): void => {
    node.warn(say(t, stateTexts.contextReadFailed(err.message)));
    done(undefined);
  };
  try {
    node.context().get(CONTEXT_KEYS, (err: Error | null, policy?: unknown, history?: unknown) => {
      if (err) fail(err);
      else done(policy === undefined && history === undefined ? undefined : { policy, history });
    });
  } catch (err) {
    fail(err as Error);
  }
}

/**
 * Loads the twc-master's state from its file (`<userDir>/twcmanager/<id>.json`), starts the bus with it
 * and keeps the file up to date from then on. Never throws: a damaged file means the backup or the
 * defaults, said in the log and in the status of the nodes.
 */
export function startWithState(RED: NodeAPI, node: TwcMasterNode, bus: Bus): MasterState {
  const t = translator(RED);
  const userDir = userDirOf(RED);
  if (!userDir) {
    node.warn(say(t, stateTexts.noUserDir()));
    bus.start({}, () => {});
    return { close: () => {}, notice: () => undefined };
  }
  const file = new StateFile(path.join(userDir, STATE_FOLDER), node.id);
  let keeper: StateKeeper | undefined;
  let closed = false;
  let startNotice: Told | undefined;

  const begin = (state: SavedState, from: string | Told): StateKeeper => {
    bus.start(state, () => keeper?.changed());
    const kept = (keeper = new StateKeeper({
      clock: new SystemClock(),
      current: () => ({ policy: bus.policy.current, history: bus.history.toJSON() }),
      write: (s) => file.write(s),
      warn: (text) => node.warn(say(t, text)),
    }));
    const reset = unrestoredSettings(state.policy, bus.policy.current);
    if (reset.length > 0) {
      node.warn(say(t, stateTexts.settingsReset(from, reset)));
      startNotice ??= stateTexts.someReset();
    }
    return kept;
  };

  const loaded = file.load();
  if (loaded.noticeParts)
    node.warn(say(t, stateTexts.fileNotice(loaded.noticeParts.map((p) => say(t, p)).join('; '))));
  startNotice = STATUS_OF[loaded.source]?.();
  if (loaded.source !== 'none') {
    const kept = begin(loaded.state, loaded.source === 'backup' ? file.backup : file.path);
    // A good file again at once, so that the next start reads it rather than the backup again.
    if (loaded.source !== 'file') kept.save();
  } else {
    readContext(node, t, (old) => {
      if (closed) return;
      const kept = begin(old ?? {}, stateTexts.fromContext());
      if (!old || kept.save()) return;
      const cannotClear = (err: Error): void => node.warn(say(t, stateTexts.contextClearFailed(err.message)));
      try {
        node.context().set(CONTEXT_KEYS, [undefined, undefined], (err?: Error | null) => {
          if (err) cannotClear(err);
        });
      } catch (err) {
        cannotClear(err as Error);
      }
      node.log(say(t, stateTexts.movedFromContext(file.path)));
    });
  }
  return {
    save: () => keeper?.save(),
    close: () => {
      closed = true;
      keeper?.close();
    },
    notice: () => {
      const text = keeper?.problem() ?? startNotice;
      return text && say(t, text);
    },
  };
}
