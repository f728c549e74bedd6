import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SavedState } from './create-bus';
import { told, type Told } from './told';

/** The envelope's version: a file of any other version is not taken for this one. */
export const STATE_FORMAT = 1;
/** The folder under Node-RED's user directory with one file per twc-master. */
export const STATE_FOLDER = 'twcmanager';
/** Damaged copies kept per file: the newest few, so that a crash loop cannot fill the SD card. */
export const KEPT_DAMAGED = 3;
/** Far above any real state (576 history slots and the settings are tens of kilobytes). */
const MAX_BYTES = 4 * 1024 * 1024;

export interface LoadedState {
  state: SavedState;
  /** The file, its backup (the file was damaged or missing), the defaults (both unusable), or nothing saved. */
  source: 'file' | 'backup' | 'defaults' | 'none';
  /** What went wrong and what was done about it, as a sentence for the log; absent when all was well. */
  notice?: string;
  /** The notice's parts (joined by `; `), for the nodes to say in the user's language. */
  noticeParts?: Told[];
}

type ReadResult = { state: SavedState } | { missing: true } | { damage: Told };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What JSON can hold besides an object, as the notice names it. */
const KINDS = {
  array: 'an array',
  null: 'null',
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
} as const;

function kindOf(v: unknown): Told {
  const kind = Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
  // JSON.parse yields no other kind; anything else is named by its type, untranslated.
  if (!Object.hasOwn(KINDS, kind)) return told('kind.other', '__type__', { type: kind });
  return told(`kind.${kind}`, KINDS[kind as keyof typeof KINDS]);
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Only the envelope is checked here; the fields inside are the policy's and the history's to check
 * (restoreSettings, ChargeHistory.restore), which keep what is valid and default the rest.
 */
function envelopeDamage(v: unknown): Told | undefined {
  if (!isObject(v)) return told('damage.notObject', 'it holds __kind__, not an object', { kind: kindOf(v) });
  if (v.format === undefined)
    return told('damage.formatMissing', 'its format is missing, not __format__', { format: STATE_FORMAT });
  if (v.format !== STATE_FORMAT)
    return told('damage.format', 'its format is __found__, not __format__', {
      found: JSON.stringify(v.format),
      format: STATE_FORMAT,
    });
  for (const field of ['policy', 'history'] as const)
    if (v[field] !== undefined && !isObject(v[field]))
      return told('damage.fieldNotObject', 'its __field__ is __kind__, not an object', {
        field,
        kind: kindOf(v[field]),
      });
  return undefined;
}

/** The system's own reason (an errno text), which has no translation of ours. */
const systemDamage = (err: unknown): Told => told('damage.system', '__detail__', { detail: errorText(err) });

function readState(file: string): ReadResult {
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) return { damage: told('damage.directory', 'it is a directory') };
    if (!stat.isFile()) return { damage: told('damage.notFile', 'it is not a regular file') };
    if (stat.size > MAX_BYTES)
      return { damage: told('damage.tooLarge', 'it is larger than __bytes__ bytes', { bytes: MAX_BYTES }) };
    bytes = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    return { damage: systemDamage(err) };
  }
  if (bytes.length === 0) return { damage: told('damage.empty', 'it is empty') };
  // What a power cut leaves when the size reached the disk before the data did.
  if (bytes.includes(0)) return { damage: told('damage.nul', 'it holds NUL bytes') };
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    return { damage: told('damage.notJson', 'it is not JSON: __detail__', { detail: errorText(err) }) };
  }
  const damage = envelopeDamage(parsed);
  if (damage) return { damage };
  const { policy, history } = parsed as SavedState;
  const state: SavedState = {};
  if (policy !== undefined) state.policy = policy;
  if (history !== undefined) state.history = history;
  return { state };
}

const STARTED_FROM_DEFAULTS = told('stateFile.startedDefaults', 'started from the defaults');

const noticeOf = (parts: Told[]): Pick<LoadedState, 'notice' | 'noticeParts'> => ({
  notice: parts.map((p) => p.message).join('; '),
  noticeParts: parts,
});

/** Node-RED node IDs are hex, but an imported flow may carry any text: it must stay one file name. */
const fileNameOf = (id: string): string => `${id.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;

/**
 * One twc-master's settings and history in a file of its own, written so that a power cut at any moment
 * leaves a readable copy: the new text goes to `.tmp` and is flushed, the current file becomes `.bak`,
 * `.tmp` takes its name, and the folder is flushed so that the renames themselves survive. A file that
 * cannot be read is kept aside (`.corrupt-N`), never overwritten, and the backup is taken instead.
 */
export class StateFile {
  readonly path: string;
  readonly backup: string;
  private readonly tmp: string;
  /** Whether the file now at `path` is one this instance read or wrote whole, and so may become `.bak`. */
  private trusted = false;

  constructor(
    readonly dir: string,
    id: string,
  ) {
    this.path = path.join(dir, fileNameOf(id));
    this.backup = `${this.path}.bak`;
    this.tmp = `${this.path}.tmp`;
  }

  /** Never throws: whatever is on disk, the answer is a state to start from and what happened. */
  load(): LoadedState {
    try {
      return this.loadOrThrow();
    } catch (err) {
      return {
        state: {},
        source: 'defaults',
        ...noticeOf([
          told('stateFile.couldNotRead', 'settings file __file__ could not be read (__reason__)', {
            file: this.path,
            reason: systemDamage(err),
          }),
          STARTED_FROM_DEFAULTS,
        ]),
      };
    }
  }

  /** Writes `state` durably; throws when it could not (the previous file and its backup stay). */
  write(state: SavedState): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const text = JSON.stringify({
      format: STATE_FORMAT,
      savedAt: new Date().toISOString(),
      policy: state.policy,
      history: state.history,
    });
    try {
      const fd = fs.openSync(this.tmp, 'w');
      try {
        fs.writeFileSync(fd, text);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch (err) {
      // A half-written .tmp is never read; removing it gives back the space a full disk needs. Should that
      // fail too, the write's own error is the one to tell.
      try {
        fs.rmSync(this.tmp, { force: true });
      } catch {
        /* see above */
      }
      throw err;
    }
    if (this.trusted) {
      try {
        fs.renameSync(this.path, this.backup);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    fs.renameSync(this.tmp, this.path);
    this.trusted = true;
    syncFolder(this.dir);
  }

  private loadOrThrow(): LoadedState {
    const main = readState(this.path);
    if ('state' in main) {
      this.trusted = true;
      return { state: main.state, source: 'file' };
    }
    const backup = readState(this.backup);
    if ('missing' in main && 'missing' in backup) return { state: {}, source: 'none' };
    const parts = [
      'damage' in main
        ? told('stateFile.unreadable', 'settings file __file__ is unreadable (__reason__)', {
            file: this.path,
            reason: main.damage,
          })
        : told('stateFile.missing', 'settings file __file__ is missing', { file: this.path }),
    ];
    if ('damage' in backup)
      parts.push(
        told('stateFile.backupUnreadable', 'its backup __file__ is unreadable too (__reason__)', {
          file: this.backup,
          reason: backup.damage,
        }),
      );
    parts.push(
      'state' in backup
        ? told('stateFile.restoredBackup', 'restored the last good copy from __file__', { file: this.backup })
        : STARTED_FROM_DEFAULTS,
    );
    if ('damage' in main) parts.push(this.keepAside(this.path));
    if ('damage' in backup) parts.push(this.keepAside(this.backup));
    if ('state' in backup) return { state: backup.state, source: 'backup', ...noticeOf(parts) };
    return { state: {}, source: 'defaults', ...noticeOf(parts) };
  }

  /** Moves a damaged file (or folder) out of the way under the next free number; says what it did. */
  private keepAside(file: string): Told {
    const prefix = `${path.basename(file)}.corrupt-`;
    try {
      const numbers = fs
        .readdirSync(this.dir)
        .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
        .map((name) => Number(name.slice(prefix.length)))
        .sort((a, b) => a - b);
      // Numbers, not times: a Raspberry Pi without a clock battery may boot into the past.
      const kept = `${file}.corrupt-${(numbers.at(-1) ?? 0) + 1}`;
      fs.renameSync(file, kept);
      for (const n of numbers.slice(0, Math.max(0, numbers.length + 1 - KEPT_DAMAGED)))
        fs.rmSync(`${file}.corrupt-${n}`, { recursive: true, force: true });
      return told('stateFile.keptAside', 'the damaged file was kept as __file__', { file: kept });
    } catch (err) {
      return told(
        'stateFile.notKeptAside',
        'the damaged file __file__ could not be kept aside (__reason__)',
        {
          file,
          reason: systemDamage(err),
        },
      );
    }
  }
}

/** Makes the renames durable. Windows cannot open a folder for flushing; there the renames must do. */
function syncFolder(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
