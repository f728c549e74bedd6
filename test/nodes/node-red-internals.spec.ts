import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { NodeAPI } from 'node-red';
import { ApiListener } from '../../src/http/listener';
import { ApiRouteTable, httpInRoutes } from '../../src/nodes/api-routes';
import { HTTP_IN_NODE, httpNodeApp, nodeRedHttpHost, rootApp } from '../../src/nodes/node-red-internals';
import { request } from '../support/http-client';
import { NODES } from '../support/helper-flows';
import { freePort } from '../support/node-red-process';
import { delay } from '../support/pty';
import { helper, NODE_RED_DIR, NODE_RED_VERSION } from '../support/node-red';

/**
 * The canary for src/nodes/node-red-internals.ts: every piece of Node-RED that the dedicated API port uses
 * without it being public node API, checked against the Node-RED that is installed. A failure names what
 * changed; the fix belongs in that one module.
 */
const changed = (what: string): string =>
  `Node-RED changed: ${what}. The dedicated API port relies on it; adapt src/nodes/node-red-internals.ts.`;

const nodeRedDir = NODE_RED_DIR;
/** The http-in and http-response nodes, from the node-red packages under test. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const httpInNode = require(require.resolve(HTTP_IN_NODE, { paths: [nodeRedDir] })) as (red: NodeAPI) => void;
/** The Express the runtime builds RED.httpNode with (what node-red's red.js mounts it on). */
const runtimeDir = path.dirname(require.resolve('@node-red/runtime/package.json', { paths: [nodeRedDir] }));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const express = require(require.resolve('express', { paths: [runtimeDir] })) as () => http.RequestListener & {
  use(path: string, app: unknown): void;
};

type Seen = { payload?: unknown; req?: { headers?: Record<string, unknown> } };

describe(`Node-RED ${NODE_RED_VERSION} internals the API port relies on (canary)`, function () {
  this.timeout(30000);
  let RED: NodeAPI;
  let ownPort: http.Server;
  let own: string;
  let dedicated: string;

  before(async () => {
    await new Promise<void>((resolve) => helper.startServer(resolve));
    const root = express();
    // As red.js does: RED.httpNode mounted on a root app before the nodes load, so that 21-httpin.js puts
    // its raw-body capture on that root app, out of the dedicated port's way.
    const mountLikeNodeRed = (red: NodeAPI): void => {
      RED = red;
      root.use('/', red.httpNode);
    };
    const listenPort = await freePort();
    await helper.load(
      [mountLikeNodeRed, httpInNode, ...NODES] as never,
      [
        {
          id: 'm1',
          type: 'twc-master',
          transport: 'simulator',
          simulatedSlaves: '4142:32:0',
          wiringMaxAmpsAllTWCs: 32,
          wiringMaxAmpsPerTWC: 32,
          minAmpsPerTWC: 12,
          httpEnabled: true,
          listenPort,
          listenHost: '127.0.0.1',
        },
        {
          id: 'in-raw',
          type: 'http in',
          url: '/canary/raw',
          method: 'post',
          skipBodyParsing: true,
          wires: [['seen', 'reply']],
        },
        {
          id: 'in-put',
          type: 'http in',
          url: 'canary/put',
          method: 'put',
          skipBodyParsing: true,
          wires: [['seen', 'reply']],
        },
        {
          id: 'in-parsed',
          type: 'http in',
          url: '/canary/parsed',
          method: 'post',
          wires: [['seen', 'reply']],
        },
        {
          id: 'in-off',
          type: 'http in',
          url: '/canary/off',
          method: 'post',
          skipBodyParsing: true,
          d: true,
          wires: [[]],
        },
        {
          id: 'in-api',
          type: 'http in',
          url: '/canary/api',
          method: 'post',
          skipBodyParsing: true,
          wires: [['seen', 'api-command']],
        },
        { id: 'api-command', type: 'twc-command', master: 'm1', command: 'saveSettings', wires: [['reply']] },
        { id: 'seen', type: 'helper' },
        { id: 'reply', type: 'http response', statusCode: '200' },
      ] as never,
    );
    ownPort = http.createServer(root);
    await new Promise<void>((r) => ownPort.listen(0, '127.0.0.1', () => r()));
    own = `http://127.0.0.1:${(ownPort.address() as AddressInfo).port}/`;
    dedicated = `http://127.0.0.1:${listenPort}/`;
    for (let i = 0; ; i++) {
      const page = await request(dedicated, 'GET', '/').catch(() => undefined);
      if (page?.status === 200) break;
      if (i > 100) throw new Error('the twc-master never opened its API port');
      await delay(100);
    }
  });

  after(async () => {
    await new Promise<void>((r) => ownPort?.close(() => r()));
    await helper.unload();
    await new Promise<void>((resolve) => helper.stopServer(resolve));
  });

  /** The next message the http-in nodes pass on, or a rejection naming what never arrived. */
  function nextSeen(what: string): Promise<Seen> {
    const node = helper.getNode('seen');
    return new Promise<Seen>((resolve, reject) => {
      const timer = setTimeout(() => {
        node.off('input', seen);
        reject(new Error(changed(`${what}: the http-in node never passed the request on`)));
      }, 5000);
      const seen = (msg: Seen): void => {
        clearTimeout(timer);
        resolve(msg);
      };
      node.once('input', seen);
    });
  }

  /** What the http-in node at `route` put in msg.payload when `body` was sent to it on `base`. */
  async function payloadAt(base: string, method: string, route: string, body: Buffer, type: string) {
    const what = `${method} ${route} (${type}) on ${base === own ? 'Node-RED’s own port' : 'the API port'}`;
    const seen = nextSeen(what);
    // A refused request never reaches the node; its own assertion below says why.
    seen.catch(() => undefined);
    const answer = await request(base, method, route, {
      body,
      headers: { 'Content-Type': type },
      timeoutMs: 5000,
    }).catch((err: Error) => ({ status: 0, text: err.message }));
    assert.equal(answer.status, 200, changed(`${what} answered ${answer.status} ${answer.text}`));
    return (await seen).payload;
  }

  it('RED.httpNode is an Express app: a request handler carrying app.request and app.response', () => {
    const app = httpNodeApp(RED);
    assert.equal(typeof app, 'function', changed('RED.httpNode is no longer callable as (req, res, next)'));
    const req = app.request as Record<string, unknown> | undefined;
    const res = app.response as Record<string, unknown> | undefined;
    assert.ok(
      typeof req?.get === 'function' && typeof res?.status === 'function' && typeof res?.json === 'function',
      changed('RED.httpNode lacks Express’s app.request.get / app.response.status and .json prototypes'),
    );
  });

  it('deployed http-in nodes still show type, method, url, skipBodyParsing, d and wires to RED.nodes.eachNode', () => {
    const nodes: never[] = [];
    RED.nodes.eachNode((n) => {
      nodes.push(n as never);
    });
    const routes = httpInRoutes(nodes).map((r) => `${r.method} ${String(r.pattern)} ${r.raw} ${r.masters}`);
    assert.deepEqual(
      routes.sort(),
      [
        'POST /^\\/canary\\/api\\/?$/i true m1',
        'POST /^\\/canary\\/parsed\\/?$/i false ',
        'POST /^\\/canary\\/raw\\/?$/i true ',
        'PUT /^\\/canary\\/put\\/?$/i true ',
      ],
      changed(
        'the http-in flow objects no longer carry method / url / skipBodyParsing / d / wires as before',
      ),
    );
  });

  it('our gate runs first on Node-RED’s root app, ahead of the http-in node’s raw-body reader', () => {
    const app = rootApp(RED) as unknown as { _router?: { stack: { handle: { name?: string } }[] } };
    const stack = app?._router?.stack ?? [];
    const names = stack.map((l) => l.handle.name ?? '');
    assert.ok(names.includes('rawBodyCapture'), changed('the root app has no rawBodyCapture layer'));
    assert.equal(names[0], 'twcApiGate', changed(`the root app's first layers are ${names.slice(0, 3)}`));
  });

  it('Node-RED’s own port: an API route refuses an oversize body with a 413 and takes a small one raw', async () => {
    // Past the gate the route would answer saveSettings' 204: the 413 is the gate's.
    const big = await request(own, 'POST', '/canary/api', { body: Buffer.alloc(70 * 1024, 0x20) });
    assert.equal(big.status, 413, changed(`an oversize API body answered ${big.status} ${big.text}`));
    const small = Buffer.from('{}');
    const payload = await payloadAt(own, 'POST', '/canary/api', small, 'application/json');
    assert.ok(Buffer.isBuffer(payload) && payload.equals(small), changed('the API route lost its raw body'));
    // A user's own raw route keeps Node-RED's own limit (none): 70 kB passes.
    const other = await payloadAt(own, 'POST', '/canary/raw', Buffer.alloc(70 * 1024, 0x20), 'text/plain');
    assert.equal((other as Buffer).length, 70 * 1024);
  });

  it('Node-RED’s own port hands a skipBodyParsing route the raw body as a Buffer', async () => {
    const body = Buffer.from('{"chargeNowRate": 8}');
    const payload = await payloadAt(own, 'POST', '/canary/raw', body, 'application/json');
    assert.ok(
      Buffer.isBuffer(payload) && payload.equals(body),
      changed(`"Do not parse body" no longer gives msg.payload the raw Buffer (got ${String(payload)})`),
    );
  });

  it('req.body with req._body and req.skipRawBodyParser keep every parser off the body on the API port', async () => {
    for (const [route, method, type] of [
      ['/canary/raw', 'POST', 'application/json'],
      ['/canary/raw', 'POST', 'application/x-www-form-urlencoded'],
      ['/canary/raw', 'POST', 'text/plain; charset=utf-8'],
      ['/canary/put', 'PUT', 'application/json'],
    ]) {
      const body = Buffer.from(`{"chargeNowRate": 8, "note": "héllo ${type}"}`);
      const payload = await payloadAt(dedicated, method, route, body, type);
      assert.ok(
        Buffer.isBuffer(payload) && payload.equals(body),
        changed(
          `with req._body and req.skipRawBodyParser set, ${type} on ${method} ${route} was parsed ` +
            `anyway (msg.payload ${JSON.stringify(payload)})`,
        ),
      );
    }
  });

  it('a route that parses its body still gets JSON parsed when called through RED.httpNode', async () => {
    const payload = await payloadAt(
      dedicated,
      'POST',
      '/canary/parsed',
      Buffer.from('{"chargeNowRate": 8}'),
      'application/json',
    );
    assert.deepEqual(payload, { chargeNowRate: 8 }, changed('RED.httpNode no longer parses a JSON body'));
  });

  it('httpNodeAuth middleware written for Express runs with its helpers on the API port', async () => {
    const listener = new ApiListener(
      (() => {
        const host = nodeRedHttpHost(RED, ApiRouteTable.of(RED));
        const check = (
          req: { get(name: string): string | undefined },
          res: { status(code: number): { json(body: unknown): void } },
          next: () => void,
        ): void =>
          req.get('x-api-key') === 'let-me-in' ? next() : res.status(403).json({ error: 'forbidden' });
        return { ...host, auth: { ...host.auth, middleware: [check as never] } };
      })(),
      { port: 0, host: '127.0.0.1', page: false },
    );
    const base = `http://127.0.0.1:${await listener.listen()}/`;
    try {
      const denied = await request(base, 'POST', '/canary/parsed', { body: '{}' });
      assert.deepEqual(
        [denied.status, denied.text],
        [403, '{"error":"forbidden"}'],
        changed('req.get / res.status().json() are missing once Express’s prototypes are set'),
      );
      const body = Buffer.from('{"a": 1}');
      const seen = nextSeen('a raw body after httpNodeAuth');
      seen.catch(() => undefined);
      const ok = await request(base, 'POST', '/canary/raw', {
        body,
        headers: { 'X-Api-Key': 'let-me-in', 'Content-Type': 'application/json' },
      });
      assert.equal(ok.status, 200, changed(`a raw body after httpNodeAuth answered ${ok.status} ${ok.text}`));
      const payload = (await seen).payload;
      assert.ok(
        Buffer.isBuffer(payload) && payload.equals(body),
        changed('the raw body is lost after httpNodeAuth'),
      );
    } finally {
      await listener.close();
    }
  });

  it('a deploy is announced with flows:started, so the route table is read again', async () => {
    let started = 0;
    const count = (): void => {
      started++;
    };
    RED.events.on('flows:started', count);
    try {
      const table = ApiRouteTable.of(RED);
      assert.equal(table.onPath('/canary/raw').length, 1);
      const flows: { id: string; url?: string }[] = [];
      RED.nodes.eachNode((n) => {
        flows.push({ ...(n as unknown as { id: string; url?: string }) });
      });
      await helper.setFlows(
        flows.map((n) => (n.id === 'in-raw' ? { ...n, url: '/canary/moved' } : n)) as never,
        'nodes',
      );
      assert.ok(started >= 1, changed('a deploy no longer emits flows:started on RED.events'));
      assert.equal(table.onPath('/canary/raw').length, 0);
      assert.equal(table.onPath('/canary/moved').length, 1);
      await helper.setFlows(flows as never, 'nodes');
      assert.equal(table.onPath('/canary/raw').length, 1);
    } finally {
      RED.events.off('flows:started', count);
    }
  });
});
