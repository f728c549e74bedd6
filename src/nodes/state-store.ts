import * as path from 'node:path';
import type { NodeAPI } from 'node-red';
import type { Bus, SavedState } from '../bus/create-bus';
import { STATE_FOLDER, StateFile, type LoadedState } from '../bus/state-file';
import { StateKeeper, unrestoredSettings } from '../bus/state-keeper';
import { SystemClock } from '../clock';
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

const STATUS_OF: Record<LoadedState['source'], string | undefined> = {
  file: undefined,
  none: undefined,
  backup: 'settings restored from backup',
  defaults: 'settings reset to defaults',
};

function userDirOf(RED: NodeAPI): string | undefined {
  const dir = (RED.settings as { userDir?: unknown }).userDir;
  return typeof dir === 'string' && dir !== '' ? dir : undefined;
}

/** The settings a release before the state file left in the node context, or nothing. */
function readContext(node: TwcMasterNode, done: (state: SavedState | undefined) => void): void {
  const fail = (err: Error): void => {
    node.warn(`twc-master: could not read the settings kept in the node context: ${err.message}`);
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
  const userDir = userDirOf(RED);
  if (!userDir) {
    node.warn(
      'twc-master: Node-RED has no user directory (settings.userDir); the settings are kept in memory only ' +
        'and are lost at a restart',
    );
    bus.start({}, () => {});
    return { close: () => {}, notice: () => undefined };
  }
  const file = new StateFile(path.join(userDir, STATE_FOLDER), node.id);
  let keeper: StateKeeper | undefined;
  let closed = false;
  let startNotice: string | undefined;

  const begin = (state: SavedState, from: string): StateKeeper => {
    bus.start(state, () => keeper?.changed());
    const kept = (keeper = new StateKeeper({
      clock: new SystemClock(),
      current: () => ({ policy: bus.policy.current, history: bus.history.toJSON() }),
      write: (s) => file.write(s),
      warn: (message) => node.warn(message),
    }));
    const reset = unrestoredSettings(state.policy, bus.policy.current);
    if (reset.length > 0) {
      node.warn(
        `twc-master: settings in ${from} that were not valid took their defaults: ${reset.join(', ')}`,
      );
      startNotice ??= 'some settings reset to defaults';
    }
    return kept;
  };

  const loaded = file.load();
  if (loaded.notice) node.warn(`twc-master: ${loaded.notice}`);
  startNotice = STATUS_OF[loaded.source];
  if (loaded.source !== 'none') {
    const kept = begin(loaded.state, loaded.source === 'backup' ? file.backup : file.path);
    // A good file again at once, so that the next start reads it rather than the backup again.
    if (loaded.source !== 'file') kept.save();
  } else {
    readContext(node, (old) => {
      if (closed) return;
      const kept = begin(old ?? {}, 'the node context');
      if (!old || kept.save()) return;
      const cannotClear = (err: Error): void =>
        node.warn(`twc-master: could not clear the old settings in the node context: ${err.message}`);
      try {
        node.context().set(CONTEXT_KEYS, [undefined, undefined], (err?: Error | null) => {
          if (err) cannotClear(err);
        });
      } catch (err) {
        cannotClear(err as Error);
      }
      node.log(`twc-master: settings moved from the node context to ${file.path}`);
    });
  }
  return {
    save: () => keeper?.save(),
    close: () => {
      closed = true;
      keeper?.close();
    },
    notice: () => keeper?.problem() ?? startNotice,
  };
}
