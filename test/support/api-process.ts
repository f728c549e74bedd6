import assert from 'node:assert/strict';
import { request } from './http-client';
import { startNodeRed, type NodeRedProcess, type StartOptions } from './node-red-process';
import { delay } from './pty';

/** GET `path`, which must answer 200 with JSON. */
export async function getJson(base: string, path: string): Promise<unknown> {
  const a = await request(base, 'GET', path);
  assert.equal(a.status, 200, path);
  return a.json();
}

/** POST `body` as JSON to `path`, which must answer `status`. */
export async function postJson(base: string, path: string, body: unknown, status: number): Promise<void> {
  const a = await request(base, 'POST', path, { body: JSON.stringify(body) });
  assert.equal(a.status, status, `${path}: ${a.text}`);
}

/** Polls `get` until it gives something other than undefined (errors count as not yet). */
export async function until<T>(
  what: string,
  get: () => Promise<T | undefined>,
  timeoutMs = 30000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(200);
  }
}

/**
 * Until the example flow's API answers (Node-RED answers its editor before the flows have started), with
 * the credentials a locked API needs.
 */
export const apiUp = (base: string, headers: Record<string, string> = {}): Promise<true> =>
  until('the API', async () =>
    (await request(base, 'GET', '/api/getStatus', { headers })).status === 200 ? true : undefined,
  );

/**
 * Stops node-red the hard way, as a power cut would (SIGKILL: no close handler runs), and starts it again
 * on the same user directory, flows and port.
 */
export async function killAndRestart(
  red: NodeRedProcess,
  options: StartOptions = {},
): Promise<NodeRedProcess> {
  await red.proc.kill('SIGKILL');
  const next = await startNodeRed(null, { ...options, userDir: red.userDir, port: red.port });
  await apiUp(next.url);
  return next;
}
