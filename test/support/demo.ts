import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NODE_BIN, NODE_RED_DIR } from './node-red';
import { freePort, ROOT } from './node-red-process';
import { delay, waitFor } from './pty';

/** `npm start` exactly as the README says, in a user dir of its own, with its output collected. */
export interface Demo {
  child: ChildProcess;
  api: string;
  listenPort: number;
  uiPort: number;
  dir: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startDemo(args: string[]): Promise<Demo> {
  const [listenPort, uiPort] = [await freePort(), await freePort()];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twc-demo-'));
  let out = '';
  // Its own process group, so Node-RED below it stops with it.
  const child = spawn(
    'npm',
    ['start', '--', ...args, '--listen-port', String(listenPort), '--ui-port', String(uiPort)],
    {
      cwd: ROOT,
      // npm and the scripts it runs find `node` on PATH: the tests' Node first, and their Node-RED.
      env: {
        ...process.env,
        PATH: `${path.dirname(NODE_BIN)}${path.delimiter}${process.env.PATH ?? ''}`,
        TWC_NODE_RED_DIR: NODE_RED_DIR,
        TWC_DEMO_DIR: dir,
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor('the demo to print its URLs', 90000, () => {
    if (child.exitCode !== null) throw new Error(`npm start exited: ${out}`);
    return out.includes('TWC demo is running');
  });
  return {
    child,
    api: `http://127.0.0.1:${listenPort}/`,
    listenPort,
    uiPort,
    dir,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(-child.pid!, 'SIGTERM');
        await Promise.race([exited, delay(10000)]);
      }
      // Node-RED may still be flushing its context store as it goes.
      for (let attempt = 0; ; attempt++) {
        try {
          fs.rmSync(dir, { recursive: true, force: true });
          break;
        } catch (err) {
          if (attempt >= 20) throw err;
          await delay(250);
        }
      }
    },
  };
}
