import assert from 'node:assert/strict';
import * as net from 'node:net';
import { hashSync } from 'bcryptjs';
import { freePort, startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { request } from '../support/http-client';
import { delay, waitFor } from '../support/pty';
import { API_MASTER_ID, apiFlow } from './example-flow';

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(150);
  }
}

const refused = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });

describe('the dedicated API listener', function () {
  this.timeout(120000);
  let red: NodeRedProcess | undefined;
  afterEach(async () => {
    await red?.stop();
    red = undefined;
  });

  it('an API token locks the API on both ports; the page stays open and getConfig never shows the token', async () => {
    const listenPort = await freePort();
    red = await startNodeRed(apiFlow({ listenPort, listenHost: '127.0.0.1' }), {
      credentials: { [API_MASTER_ID]: { apiToken: 's3cret-token' } },
    });
    const dedicated = `http://127.0.0.1:${listenPort}/`;
    await until('the dedicated port', async () => (await request(dedicated, 'GET', '/')).status === 200);
    for (const base of [red.url, dedicated]) {
      for (const [method, path] of [
        ['GET', '/api/getStatus'],
        ['POST', '/api/chargeNow'],
      ]) {
        const none = await request(base, method, path, { body: method === 'POST' ? '{}' : undefined });
        assert.equal(none.status, 401, `${base} ${path}`);
        assert.match(String(none.headers['content-type']), /^application\/json/);
        const wrong = await request(base, method, path, { headers: { Authorization: 'Bearer nope' } });
        assert.equal(wrong.status, 401);
      }
      const ok = await request(base, 'GET', '/api/getConfig', {
        headers: { Authorization: 'Bearer s3cret-token' },
      });
      assert.equal(ok.status, 200);
      assert.doesNotMatch(ok.text, /s3cret/);
      const charge = await request(base, 'POST', '/api/chargeNow', {
        body: '{"chargeNowRate":10,"chargeNowDuration":60}',
        headers: { Authorization: 'Bearer s3cret-token' },
      });
      assert.equal(charge.status, 200);
    }
    assert.equal((await request(dedicated, 'GET', '/')).status, 200);
    assert.equal((await request(red.url, 'GET', '/twc/')).status, 200);
  });

  it('honours Node-RED’s httpNodeAuth on both ports', async () => {
    const listenPort = await freePort();
    const hash = hashSync('garage-door', 4);
    red = await startNodeRed(apiFlow({ listenPort, listenHost: '127.0.0.1' }), {
      extraSettings: `httpNodeAuth: { user: 'home', pass: ${JSON.stringify(hash)} },`,
    });
    const dedicated = `http://127.0.0.1:${listenPort}/`;
    const basic = (user: string, pass: string): Record<string, string> => ({
      Authorization: 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64'),
    });
    await until(
      'the dedicated port',
      async () => (await request(dedicated, 'GET', '/api/getStatus')).status === 401,
    );
    for (const base of [red.url, dedicated]) {
      assert.equal((await request(base, 'GET', '/api/getStatus')).status, 401, base);
      assert.equal(
        (await request(base, 'GET', '/api/getStatus', { headers: basic('home', 'wrong') })).status,
        401,
      );
      const ok = await request(base, 'GET', '/api/getStatus', { headers: basic('home', 'garage-door') });
      assert.equal(ok.status, 200, base);
    }
  });

  it('honours httpNodeAuth given as middleware that uses Express’s helpers, on both ports', async () => {
    const listenPort = await freePort();
    red = await startNodeRed(apiFlow({ listenPort, listenHost: '127.0.0.1' }), {
      extraSettings: `httpNodeAuth: function (req, res, next) {
    if (req.get('x-api-key') === 'let-me-in') return next();
    res.status(403).json({ error: 'forbidden by middleware' });
  },`,
    });
    const dedicated = `http://127.0.0.1:${listenPort}/`;
    await until(
      'the dedicated port',
      async () => (await request(dedicated, 'GET', '/api/getStatus')).status === 403,
    );
    for (const base of [red.url, dedicated]) {
      const denied = await request(base, 'GET', '/api/getStatus');
      assert.equal(denied.status, 403, base);
      assert.deepEqual(denied.json(), { error: 'forbidden by middleware' });
      const ok = await request(base, 'GET', '/api/getStatus', { headers: { 'X-Api-Key': 'let-me-in' } });
      assert.equal(ok.status, 200, base);
    }
  });

  it('a port in use is a clear node error, never a silent move; a redeploy closes the old port', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const busy = (blocker.address() as net.AddressInfo).port;
    try {
      red = await startNodeRed(apiFlow({ listenPort: busy, listenHost: '127.0.0.1' }));
      const proc = red.proc;
      await waitFor('the error in the log', 20000, () =>
        /port \d+ is already in use; choose another listen port/.test(proc.stdout() + proc.stderr()),
      );
      assert.ok(await refused(busy + 1), 'nothing moved to the next port');
      await until(
        'the API on Node-RED’s port',
        async () => (await request(red!.url, 'GET', '/api/getStatus')).status === 200,
      );

      // Redeploy with a free port: it opens; a second redeploy moves it and releases the first.
      const first = await freePort();
      const deploy = async (listenPort: number): Promise<void> => {
        const res = await fetch(`${red!.url}flows`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
          body: JSON.stringify(apiFlow({ listenPort, listenHost: '127.0.0.1' })),
        });
        assert.ok(res.ok, `deploy: ${res.status}`);
      };
      await deploy(first);
      await until(
        'the first port',
        async () => (await request(`http://127.0.0.1:${first}/`, 'GET', '/api/getStatus')).status === 200,
      );
      const second = await freePort();
      await deploy(second);
      await until(
        'the second port',
        async () => (await request(`http://127.0.0.1:${second}/`, 'GET', '/api/getStatus')).status === 200,
      );
      assert.ok(await refused(first), 'the old port is closed');
    } finally {
      blocker.close();
    }
  });
});
