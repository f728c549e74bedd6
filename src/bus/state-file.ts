import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SavedState } from './create-bus';

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
}

type ReadResult = { state: SavedState } | { missing: true } | { damage: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const kindOf = (v: unknown): string =>
  Array.isArray(v) ? 'an array' : v === null ? 'null' : `a ${typeof v}`;

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Only the envelope is checked here; the fields inside are the policy's and the history's to check
 * (restoreSettings, ChargeHistory.restore), which keep what is valid and default the rest.
 */
function envelopeDamage(v: unknown): string | undefined {
  if (!isObject(v)) return `it holds ${kindOf(v)}, not an object`;
  if (v.format !== STATE_FORMAT)
    return `its format is ${JSON.stringify(v.format) ?? 'missing'}, not ${STATE_FORMAT}`;
  for (const key of ['policy', 'history'] as const)
    if (v[key] !== undefined && !isObject(v[key])) return `its ${key} is ${kindOf(v[key])}, not an object`;
  return undefined;
}

function readState(file: string): ReadResult {
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) return { damage: 'it is a directory' };
    if (!stat.isFile()) return { damage: 'it is not a regular file' };
    if (stat.size > MAX_BYTES) return { damage: `it is larger than ${MAX_BYTES} bytes` };
    bytes = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    return { damage: errorText(err) };
  }
  if (bytes.length === 0) return { damage: 'it is empty' };
  // What a power cut leaves when the size reached the disk before the data did.
  if (bytes.includes(0)) return { damage: 'it holds NUL bytes' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    return { damage: `it is not JSON: ${errorText(err)}` };
  }
  const damage = envelopeDamage(parsed);
  if (damage) return { damage };
  const { policy, history } = parsed as SavedState;
  const state: SavedState = {};
  if (policy !== undefined) state.policy = policy;
  if (history !== undefined) state.history = history;
  return { state };
}

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
        notice: `settings file ${this.path} could not be read (${errorText(err)}); started from the defaults`,
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
    const told = [
      'damage' in main
        ? `settings file ${this.path} is unreadable (${main.damage})`
        : `settings file ${this.path} is missing`,
    ];
    if ('damage' in backup) told.push(`its backup ${this.backup} is unreadable too (${backup.damage})`);
    told.push(
      'state' in backup ? `restored the last good copy from ${this.backup}` : 'started from the defaults',
    );
    if ('damage' in main) told.push(this.keepAside(this.path));
    if ('damage' in backup) told.push(this.keepAside(this.backup));
    const notice = told.join('; ');
    if ('state' in backup) return { state: backup.state, source: 'backup', notice };
    return { state: {}, source: 'defaults', notice };
  }

  /** Moves a damaged file (or folder) out of the way under the next free number; says what it did. */
  private keepAside(file: string): string {
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
      return `the damaged file was kept as ${kept}`;
    } catch (err) {
      return `the damaged file ${file} could not be kept aside (${errorText(err)})`;
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
