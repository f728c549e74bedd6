import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { basicAuthChecker } from '../../../src/http/auth';
import { admit, requestPath, type GateRules, type NodeAuth } from '../../../src/http/gate';
import { RefusalLog } from '../../../src/http/refusal-log';
import { request } from '../../support/http-client';

const LIMIT = 1000;
const noAuth: NodeAuth = { middleware: [], prepareForMiddleware: () => undefined };

/** A server whose every request goes through the gate, answering 200 with what it admitted. */
async function gated(rules: Partial<GateRules>) {
  const warnings: string[] = [];
  const continued: string[] = [];
  const log = new RefusalLog((m) => warnings.push(m));
  const server = http.createServer((req, res) => {
    void admit(req, res, {
      auth: noAuth,
      tokens: [],
      allowedOrigins: ['https://ha.example.com'],
      maxBodyBytes: LIMIT,
      readBody: true,
      log,
      beforeBody: () => continued.push(req.url ?? ''),
      ...rules,
    }).then((a) => {
      if (!a) return;
      const text = JSON.stringify({ body: a.body?.toString('utf8') ?? null });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { base, warnings, continued, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('the gate in front of the API', () => {
  it('reads the path of an origin-form and of an absolute-form target alike', () => {
    assert.equal(requestPath('/api/chargeNow?x=1'), '/api/chargeNow');
    assert.equal(requestPath('http://evil.example:8080/api/chargeNow?x'), '/api/chargeNow');
    assert.equal(requestPath('//api/chargeNow'), '//api/chargeNow');
    assert.equal(requestPath(undefined), '/');
  });

  it('checks the login, then the token (its own header or Bearer), then the origin, then the size', async () => {
    const creds = { user: 'home', pass: '5f4dcc3b5aa765d61d8327deb882cf99' }; // MD5 of "password"
    const g = await gated({
      auth: { ...noAuth, basic: basicAuthChecker(creds) },
      tokens: ['t0k'],
    });
    const login = 'Basic ' + Buffer.from('home:password').toString('base64');
    try {
      const none = await request(g.base, 'POST', '/api/x', { body: '{}' });
      assert.equal(none.status, 401);
      assert.equal(none.headers['www-authenticate'], 'Basic realm="Authorization Required"');
      assert.deepEqual(none.json(), { error: 'authorization required' });
      const noToken = await request(g.base, 'POST', '/api/x', {
        body: '{}',
        headers: { Authorization: login },
      });
      assert.equal(noToken.status, 401);
      assert.equal(noToken.headers['www-authenticate'], 'Bearer');
      assert.match((noToken.json() as { error: string }).error, /X-TWC-Token: <token>/);
      const both = { Authorization: login, 'X-TWC-Token': 't0k' };
      const ok = await request(g.base, 'POST', '/api/x', { body: '{"a":1}', headers: both });
      assert.deepEqual([ok.status, ok.json()], [200, { body: '{"a":1}' }]);
      const evil = await request(g.base, 'POST', '/api/x', {
        body: '{}',
        headers: { ...both, Origin: 'http://evil.example', 'Sec-Fetch-Site': 'cross-site' },
      });
      assert.equal(evil.status, 403);
      assert.match(
        (evil.json() as { error: string }).error,
        /http:\/\/evil\.example is not this API's origin/,
      );
      const big = await request(g.base, 'POST', '/api/x', { body: 'x'.repeat(LIMIT + 1), headers: both });
      assert.equal(big.status, 413);
      assert.deepEqual(g.continued, ['/api/x'], 'only the admitted request was let send its body');
      assert.deepEqual(
        g.warnings.map((w) => w.replace(/: .*/, '')),
        [
          'refused POST /api/x (401)',
          'refused POST /api/x (401)',
          'refused POST /api/x (403)',
          'refused POST /api/x (413)',
        ],
        'a missing login and a missing token are kinds of their own',
      );
      const bearer = await request(g.base, 'GET', '/api/x', {
        headers: { Authorization: 'Bearer t0k' },
      });
      assert.equal(bearer.status, 401, 'Bearer alone does not pass the login');
      assert.equal(g.warnings.length, 4, 'a second missing login inside the minute is not told again');
    } finally {
      await g.close();
    }
  });

  it('takes the token as Bearer when there is no login, and every token of the route must be there', async () => {
    const g = await gated({ tokens: ['one', 'two'] });
    const one = await gated({ tokens: ['one'] });
    try {
      assert.equal(
        (await request(one.base, 'GET', '/', { headers: { Authorization: 'Bearer one' } })).status,
        200,
      );
      assert.equal(
        (await request(one.base, 'GET', '/', { headers: { Authorization: 'bearer  one ' } })).status,
        200,
      );
      assert.equal((await request(one.base, 'GET', '/', { headers: { 'X-TWC-Token': 'one' } })).status, 200);
      assert.equal((await request(one.base, 'GET', '/', { headers: { 'X-TWC-Token': 'on' } })).status, 401);
      assert.equal((await request(one.base, 'GET', '/', { headers: { 'X-TWC-Token': '' } })).status, 401);
      assert.equal((await request(g.base, 'GET', '/', { headers: { 'X-TWC-Token': 'one' } })).status, 401);
      const exempt = await gated({ tokens: ['one'], tokenExempt: true });
      assert.equal((await request(exempt.base, 'GET', '/')).status, 200);
      await exempt.close();
    } finally {
      await g.close();
      await one.close();
    }
  });

  it('reads a body of exactly the limit, refuses one byte more, chunked or declared', async () => {
    const g = await gated({});
    try {
      for (const chunked of [false, true]) {
        const fits = await request(g.base, 'POST', '/', { body: 'a'.repeat(LIMIT), chunked });
        assert.equal(fits.status, 200);
        assert.equal((fits.json() as { body: string }).body.length, LIMIT);
        const over = await request(g.base, 'POST', '/', { body: 'a'.repeat(LIMIT + 1), chunked });
        assert.equal(over.status, 413, `chunked ${chunked}`);
        assert.equal(over.headers.connection, 'close');
        assert.deepEqual(over.json(), {
          error: `the request body is larger than the API takes (${LIMIT} bytes)`,
        });
      }
      const parsedElsewhere = await gated({ readBody: false });
      const notRead = await request(parsedElsewhere.base, 'POST', '/', { body: 'abc' });
      assert.deepEqual(notRead.json(), { body: null }, 'the body is left to the route');
      await parsedElsewhere.close();
    } finally {
      await g.close();
    }
  });

  it('answers an allowed origin’s preflight without credentials, and adds CORS headers to its answers', async () => {
    const g = await gated({ tokens: ['t'] });
    try {
      const pre = await request(g.base, 'OPTIONS', '/api/chargeNow', {
        headers: { Origin: 'https://ha.example.com', 'Access-Control-Request-Method': 'POST' },
      });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers['access-control-allow-origin'], 'https://ha.example.com');
      assert.equal(pre.headers['access-control-allow-credentials'], 'true');
      assert.match(String(pre.headers['access-control-allow-headers']), /x-twc-token/);
      const other = await request(g.base, 'OPTIONS', '/api/chargeNow', {
        headers: { Origin: 'https://other.example', 'Access-Control-Request-Method': 'POST' },
      });
      assert.equal(other.status, 401, 'anyone else’s OPTIONS is behind the lock');
      assert.equal(other.headers['access-control-allow-origin'], undefined);
      const post = await request(g.base, 'POST', '/api/chargeNow', {
        body: '{}',
        headers: { Origin: 'https://ha.example.com', 'Sec-Fetch-Site': 'cross-site', 'X-TWC-Token': 't' },
      });
      assert.equal(post.status, 200);
      assert.equal(post.headers['access-control-allow-origin'], 'https://ha.example.com');
      assert.equal(post.headers.vary, 'Origin');
    } finally {
      await g.close();
    }
  });

  it('runs httpNodeAuth middleware: its own refusal stands, its error is a JSON answer', async () => {
    const prepared: string[] = [];
    const g = await gated({
      auth: {
        middleware: [
          (req, res, next) => {
            if (req.headers['x-key'] === 'ok') return next();
            if (req.headers['x-key'] === 'throw') throw new Error('boom');
            if (req.headers['x-key'] === 'err') return next(Object.assign(new Error('no'), { status: 403 }));
            res.writeHead(418).end('teapot');
          },
        ],
        prepareForMiddleware: (req) => prepared.push(req.url ?? ''),
      },
    });
    try {
      assert.equal((await request(g.base, 'GET', '/a', { headers: { 'X-Key': 'ok' } })).status, 200);
      const own = await request(g.base, 'GET', '/b');
      assert.deepEqual([own.status, own.text], [418, 'teapot']);
      const thrown = await request(g.base, 'GET', '/c', { headers: { 'X-Key': 'throw' } });
      assert.deepEqual([thrown.status, thrown.json()], [500, { error: 'internal error' }]);
      const err = await request(g.base, 'GET', '/d', { headers: { 'X-Key': 'err' } });
      assert.deepEqual([err.status, err.json()], [403, { error: 'authorization required' }]);
      assert.deepEqual(prepared, ['/a', '/b', '/c', '/d']);
    } finally {
      await g.close();
    }
  });
});
