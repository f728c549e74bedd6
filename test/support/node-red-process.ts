import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { NODE_BIN, RED_JS } from './node-red';
import { delay, startProcess, type RunningProcess } from './pty';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface NodeRedProcess {
  url: string;
  port: number;
  userDir: string;
  proc: RunningProcess;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A real `node-red` process loading this package from its folder (nodesDir), quiet and offline-safe. */
export interface StartOptions {
  /** More lines for settings.js, e.g. `httpNodeAuth: {...},`. */
  extraSettings?: string;
  /** flows_cred.json in clear (credentialSecret is false). */
  credentials?: Record<string, Record<string, string>>;
  /** Reuse a user dir (a restart). */
  userDir?: string;
  port?: number;
}

export async function startNodeRed(
  flows: unknown[] | null = [],
  options: StartOptions = {},
): Promise<NodeRedProcess> {
  const userDir = options.userDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'twc-nodered-'));
  const port = options.port ?? (await freePort());
  const extraSettings = options.extraSettings ?? '';
  // null keeps the flows file of a user dir being restarted.
  if (flows !== null) fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows));
  if (options.credentials)
    fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(options.credentials));
  fs.writeFileSync(
    path.join(userDir, 'settings.js'),
    `module.exports = {
  uiHost: '127.0.0.1',
  uiPort: ${port},
  flowFile: 'flows.json',
  credentialSecret: false,
  nodesDir: [${JSON.stringify(ROOT)}],
  editorTheme: { tours: false, palette: { catalogues: [] } },
  externalModules: { palette: { allowInstall: false } },
  telemetry: { enabled: false },
  logging: { console: { level: 'warn' } },
  ${extraSettings}
};\n`,
  );
  const proc = startProcess(NODE_BIN, [
    RED_JS,
    '--userDir',
    userDir,
    '--settings',
    path.join(userDir, 'settings.js'),
  ]);
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`node-red exited: ${proc.stderr()}${proc.stdout()}`);
    const ok = await fetch(`${url}settings`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await proc.kill();
      throw new Error(`node-red did not answer on ${url}: ${proc.stderr()}`);
    }
    await delay(100);
  }
  return { url, port, userDir, proc, stop: () => proc.kill() };
}
