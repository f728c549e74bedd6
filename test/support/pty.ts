import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A pseudo-terminal pair made by socat: what one side writes, the other reads, through the real tty
 * layer and the real `serialport` binding. The two ends are stable symlinks, so a test can destroy the
 * pair and make it again at the same paths (a USB adapter pulled out and plugged back in).
 */
export interface PtyPair {
  /** Path of end A (give it to one program). */
  a: string;
  /** Path of end B (give it to the other). */
  b: string;
  /** Kills socat; both ends vanish. */
  close(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

/** Makes a pty pair; `dir` and `names` let a test recreate it at the same paths. */
export async function openPtyPair(
  dir?: string,
  names: [string, string] = ['ttyA', 'ttyB'],
): Promise<PtyPair> {
  const base = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'twc-pty-'));
  const a = path.join(base, names[0]);
  const b = path.join(base, names[1]);
  for (const p of [a, b]) fs.rmSync(p, { force: true });
  const socat = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
  live.add(socat);
  const exited = new Promise<void>((resolve) => socat.once('exit', () => resolve()));
  socat.once('exit', () => live.delete(socat));
  const deadline = Date.now() + 5000;
  while (!(fs.existsSync(a) && fs.existsSync(b))) {
    if (socat.exitCode !== null || Date.now() > deadline) {
      socat.kill('SIGKILL');
      throw new Error('socat did not create the pty pair (is socat installed?)');
    }
    await delay(20);
  }
  return {
    a,
    b,
    close: async () => {
      if (socat.exitCode === null && socat.signalCode === null) {
        socat.kill('SIGTERM');
        await exited;
      }
    },
  };
}

export interface RunningProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code; kills the process if it has not ended within `timeoutMs`. */
  exit(timeoutMs: number): Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts a program and collects its output; it is killed when the test process exits. */
export function startProcess(cmd: string, args: string[], options: SpawnOptions = {}): RunningProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  live.add(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit: async (timeoutMs) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => T | undefined | false,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(20);
  }
}

/** Anything a test starts and must end: an engine or demo (stop), a simulator or pty (close), a process (kill). */
export type Stoppable =
  { stop(): Promise<unknown> } | { close(): Promise<unknown> } | { kill(): Promise<unknown> };

/** Ends each thing started, one after the other in the order given (what depends on the others first). */
export async function stopAll(...things: (Stoppable | undefined)[]): Promise<void> {
  for (const t of things) {
    if (t === undefined) continue;
    if ('stop' in t) await t.stop();
    else if ('close' in t) await t.close();
    else await t.kill();
  }
}
