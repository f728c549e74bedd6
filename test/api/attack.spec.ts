import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { promisify } from 'node:util';
import { hashSync } from 'bcryptjs';
import { freePort, startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { apiUp } from '../support/api-process';
import { rawRequest, request } from '../support/http-client';
import { delay } from '../support/pty';
import { API_FLOW_FILE, API_MASTER_ID, apiFlow } from './example-flow';

const TOKEN = 'tok-3f9a';
const USER = 'home';
const PASS = 'garage-door';
const BASIC = 'Basic ' + Buffer.from(`${USER}:${PASS}`).toString('base64');
const BOTH = { Authorization: BASIC, 'X-TWC-Token': TOKEN };
const MB = 1024 * 1024;
/** Both credentials as curl takes them. */
const BOTH_CURL = ['-u', `${USER}:${PASS}`, '-H', `X-TWC-Token: ${TOKEN}`];

/** Runs the real curl; resolves with "<status> <bytes of body uploaded>". */
async function curl(url: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('curl', [
    '-s',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code} %{size_upload}',
    ...args,
    url,
  ]);
  return stdout;
}

/** The example flow's routes, read from the flow file itself so that a new route is covered too. */
function flowRoutes(method: 'get' | 'post'): string[] {
  const flow = JSON.parse(fs.readFileSync(API_FLOW_FILE, 'utf8')) as {
    type: string;
    method?: string;
    url?: string;
  }[];
  return flow.filter((n) => n.type === 'http in' && n.method === method).map((n) => n.url!);
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

interface FloodResult {
  status: number;
  json: unknown;
  /** Body bytes written before the answer came. */
  sentBeforeAnswer: number;
}

/**
 * A POST of `size` bytes (declared in Content-Length, or chunked) that writes its body only while no answer
 * has come, 1 MB at a time. With `holdBody` nothing of the body is sent: an answer then proves the server
 * did not wait for it. A reset before the answer rejects: the client must always see the answer.
 */
function flood(
  base: string,
  path: string,
  o: { size: number; chunked?: boolean; holdBody?: boolean; headers?: Record<string, string> },
): Promise<FloodResult> {
  // The path as given: `new URL('//api/x', base)` would read "api" as a host.
  const url = new URL(base);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(o.headers ?? {}) };
  if (!o.chunked) headers['Content-Length'] = String(o.size);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(
      { host: url.hostname, port: url.port, method: 'POST', path, headers, agent: false },
      (res) => {
        answered = true;
        const at = sent;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          req.destroy();
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode ?? 0, json, sentBeforeAnswer: at });
        });
      },
    );
    req.setTimeout(30000, () => req.destroy(new Error(`${path}: no answer in 30 s`)));
    req.on('error', (err) => {
      if (!answered) reject(new Error(`${path}: ${err.message} before any answer`));
    });
    req.flushHeaders();
    if (o.holdBody) return;
    const chunk = Buffer.alloc(MB, 0x20);
    const pump = (): void => {
      while (!answered && sent < o.size && !req.destroyed) {
        const n = Math.min(MB, o.size - sent);
        sent += n;
        if (!req.write(n === MB ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      if (!answered && sent >= o.size) req.end();
    };
    pump();
  });
}

describe('the API under attack: body limits and locks that combine, on both ports', function () {
  this.timeout(180000);
  let red: NodeRedProcess;
  let dedicated: string;
  let bases: [string, string][];

  before(async () => {
    const listenPort = await freePort();
    red = await startNodeRed(apiFlow({ listenPort, listenHost: '127.0.0.1' }), {
      credentials: { [API_MASTER_ID]: { apiToken: TOKEN } },
      extraSettings: `httpNodeAuth: { user: '${USER}', pass: ${JSON.stringify(hashSync(PASS, 4))} },`,
    });
    dedicated = `http://127.0.0.1:${listenPort}/`;
    bases = [
      ['Node-RED’s port', red.url],
      ['the API port', dedicated],
    ];
    await apiUp(dedicated, BOTH);
  });

  after(async () => {
    await red?.stop();
  });

  it('a 100 MB POST to every POST route is a 413 with a JSON reason, and the process grows by less than 20 MB', async () => {
    const posts = flowRoutes('post');
    assert.ok(posts.length >= 9, `the example flow has ${posts.length} POST routes`);
    const pid = red.proc.child.pid!;
    // Warm up what a first request allocates (JIT, buffers), then take the baseline.
    for (const [, base] of bases)
      await request(base, 'POST', '/api/saveSettings', { body: '{}', headers: BOTH });
    const baseline = rssBytes(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 20);
    const seen: string[] = [];
    try {
      for (const [where, base] of bases) {
        for (const route of posts) {
          for (const chunked of [false, true]) {
            const r = await flood(base, route, { size: 100 * MB, chunked, headers: BOTH });
            seen.push(`${where} ${route} ${chunked ? 'chunked' : 'declared'}: ${r.status}`);
            assert.equal(r.status, 413, `${where} ${route} (${chunked ? 'chunked' : 'declared'})`);
            assert.match(
              String((r.json as { error?: string }).error),
              /larger than the API takes \(65536 bytes\)/,
            );
            // Answered before the body was through (that a declared length is refused unread, the next
            // test shows by sending none of it).
            assert.ok(r.sentBeforeAnswer < 100 * MB, `${where} ${route}: answered only after the whole body`);
          }
        }
      }
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, rssBytes(pid));
    assert.equal(seen.length, posts.length * 4);
    assert.ok(
      peak - baseline < 20 * MB,
      `RSS grew by ${((peak - baseline) / MB).toFixed(1)} MB (from ${(baseline / MB).toFixed(0)} MB)`,
    );
    // Still serving.
    for (const [, base] of bases)
      assert.equal((await request(base, 'GET', '/api/getStatus', { headers: BOTH })).status, 200);
  });

  it('another spelling of a route (doubled slashes) is guarded too: the raw-body reader never gets it', async () => {
    for (const [where, base] of bases) {
      for (const path of ['//api/chargeNow', '/api//setSetting', '/api/saveSettings//']) {
        const r = await flood(base, path, { size: 300 * MB, holdBody: true, headers: BOTH });
        assert.equal(r.status, 413, `${where} ${path}`);
        const stranger = await flood(base, path, { size: 300 * MB, holdBody: true });
        assert.equal(stranger.status, 401, `${where} ${path} without credentials`);
      }
      // An absolute-form target names the route by its full URL.
      const target = new URL('/api/chargeNow', base).href;
      const head = (extra: string) =>
        `POST ${target} HTTP/1.1\r\nHost: ${new URL(base).host}\r\nContent-Length: ${300 * MB}\r\n${extra}\r\n`;
      const both = `Authorization: ${BASIC}\r\nX-TWC-Token: ${TOKEN}\r\n`;
      assert.equal((await rawRequest(base, head(both), 5000)).status, 413, `${where} absolute-form`);
      assert.equal(
        (await rawRequest(base, head(''), 5000)).status,
        401,
        `${where} absolute-form, no credentials`,
      );
    }
  });

  it('an oversize POST without the credentials is a 401 before a byte of its body is sent', async () => {
    for (const [where, base] of bases) {
      for (const [who, headers] of [
        ['no credentials', {}],
        ['only the login', { Authorization: BASIC }],
        ['only the token', { 'X-TWC-Token': TOKEN }],
      ] as const) {
        const r = await flood(base, '/api/chargeNow', { size: 300 * MB, holdBody: true, headers });
        assert.equal(r.status, 401, `${where}, ${who}`);
        assert.equal(r.sentBeforeAnswer, 0);
        assert.equal(
          typeof (r.json as { error?: unknown }).error,
          'string',
          `${where}, ${who}: ${JSON.stringify(r.json)}`,
        );
      }
      // With both, a declared oversize is refused as such, also before the body.
      const r = await flood(base, '/api/chargeNow', { size: 300 * MB, holdBody: true, headers: BOTH });
      assert.equal(r.status, 413, where);
    }
  });

  it('basic auth and the token together: both credentials pass every route, either alone is a 401', async () => {
    const gets = flowRoutes('get');
    for (const [where, base] of bases) {
      for (const route of gets) {
        assert.equal((await request(base, 'GET', route, { headers: BOTH })).status, 200, `${where} ${route}`);
        assert.equal((await request(base, 'GET', route, { headers: { Authorization: BASIC } })).status, 401);
        assert.equal(
          (await request(base, 'GET', route, { headers: { Authorization: `Bearer ${TOKEN}` } })).status,
          401,
          `${where} ${route}: the token alone`,
        );
      }
      const charge = await request(base, 'POST', '/api/chargeNow', {
        body: '{"chargeNowRate":16,"chargeNowDuration":60}',
        headers: BOTH,
      });
      assert.equal(charge.status, 200, `${where}: ${charge.text}`);
      const wrongToken = await request(base, 'POST', '/api/chargeNow', {
        body: '{"chargeNowRate":16,"chargeNowDuration":60}',
        headers: { Authorization: BASIC, 'X-TWC-Token': 'tok-wrong' },
      });
      assert.equal(wrongToken.status, 401);
      assert.match(String((wrongToken.json() as { error: string }).error), /X-TWC-Token/);
    }
    // The page needs the login, not the token (it asks for the token itself).
    assert.equal((await request(dedicated, 'GET', '/', { headers: { Authorization: BASIC } })).status, 200);
    assert.equal((await request(red.url, 'GET', '/twc/', { headers: { Authorization: BASIC } })).status, 200);
    assert.equal((await request(dedicated, 'GET', '/')).status, 401);
  });

  it('curl -d with both credentials works on both ports (no Origin: not a browser)', async () => {
    for (const [where, base] of bases) {
      const answer = await curl(new URL('/api/chargeNow', base).href, [
        ...BOTH_CURL,
        '-d',
        '{"chargeNowRate":18,"chargeNowDuration":60}',
      ]);
      assert.equal(answer, '200 43', where);
    }
  });

  it('a client that waits for 100 Continue gets the refusal instead, and never sends the body', async () => {
    const file = `${red.userDir}/big.json`;
    fs.writeFileSync(file, Buffer.alloc(8 * MB, 0x20));
    const url = new URL('/api/setSetting', dedicated).href;
    const big = ['-H', 'Expect: 100-continue', '--expect100-timeout', '20', '--data-binary', `@${file}`];
    assert.equal(await curl(url, [...BOTH_CURL, ...big]), '413 0');
    assert.equal(await curl(url, big), '401 0');
    // Let through, it is told to go on and its body arrives.
    const small = ['-H', 'Expect: 100-continue', '-d', '{"chargeNowRate":12,"chargeNowDuration":60}'];
    assert.equal(await curl(new URL('/api/chargeNow', dedicated).href, [...BOTH_CURL, ...small]), '200 43');
  });

  it('OPTIONS and unknown routes are behind the locks', async () => {
    for (const [where, base] of bases) {
      const options = await request(base, 'OPTIONS', '/api/chargeNow');
      assert.equal(options.status, 401, `${where}: OPTIONS without credentials`);
      assert.equal(options.headers.allow, undefined, 'no Allow header for a stranger');
      assert.equal((await request(base, 'GET', '/api/nothingHere')).status, 401, `${where}: unknown route`);
    }
    const unknown = await request(dedicated, 'GET', '/api/nothingHere', { headers: BOTH });
    assert.equal(unknown.status, 404);
    assert.match(String((unknown.json() as { error: string }).error), /no route for GET \/api\/nothingHere/);
  });

  it('refused requests are told in the log once a minute per kind, with how many were refused', async () => {
    const before = red.proc.stdout() + red.proc.stderr();
    const count = (text: string): number =>
      (text.match(/refused POST \/api\/setSetting \(401\)/g) ?? []).length;
    for (let i = 0; i < 30; i++)
      for (const [, base] of bases)
        await request(base, 'POST', '/api/setSetting', { body: '{}', headers: { Authorization: BASIC } });
    await delay(300);
    const log = (red.proc.stdout() + red.proc.stderr()).slice(before.length);
    // One gate on each port; each may have told a token refusal of an earlier test already this minute.
    assert.ok(count(log) <= 2, `${count(log)} refusal warnings for 60 refusals:\n${log}`);
  });
});
