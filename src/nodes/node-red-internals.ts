import type * as http from 'node:http';
import type { NodeAPI } from 'node-red';
import { basicAuthChecker, isBasicCredentials } from '../http/auth';
import { API_MAX_BODY_BYTES } from '../http/body';
import type { NodeAuth } from '../http/gate';
import type { HttpNodeHost, RequestHandler } from '../http/listener';
import type { ApiRouteTable } from './api-routes';

/**
 * Everything the dedicated API port takes from Node-RED that is not its public node API. The port serves
 * RED.httpNode on a server of its own, so it must redo what Node-RED's root app and the http-in node do
 * around a route, and that rests on how these files of the node-red packages work (4.1):
 *
 * - @node-red/nodes/core/network/21-httpin.js (HTTP_IN_NODE): an http-in node with "Do not parse body"
 *   saves `skipBodyParsing`, `method` and `url` on its flow object. Its `rawBodyCapture` reads such a route's
 *   body into `req.body` as a Buffer and sets `req._body` and `req.skipRawBodyParser`, so that body-parser's
 *   json/urlencoded parsers (which skip a request whose `req._body` is set) and the node's own
 *   `rawBodyParser` (which skips on either flag) leave it alone. It sits on Node-RED's root app, found
 *   through `app.parent`, which our port never passes through: handOverRawBody does its part.
 *   `getRouteKey` there is what routeKey mirrors; `apiMaxLength` ('5mb' unless set) its body limit.
 * - @node-red/runtime/lib/index.js: RED.httpNode is an Express app (`express()`), so it is a request handler
 *   `(req, res, next)` and carries Express's `app.request` / `app.response` prototypes.
 * - node-red/red.js: the root app runs `httpNodeAuth` (a `{user, pass}` or middleware) in front of
 *   RED.httpNode, after Express has given req/res its helpers (`req.get`, `res.status`): our port does both.
 * - @node-red/runtime/lib/flows/index.js: RED.nodes.eachNode walks the deployed flow objects (disabled
 *   ones, `d: true`, included), and every deploy ends with the runtime event `flows:started`.
 * - express 4 (lib/router): an app's middleware is the array `app._router.stack` of layers run in order, and
 *   `rawBodyCapture` above is put first in it. Our gate on Node-RED's port goes in front of it
 *   (guardNodeRedPort), so that no body of an API route is read before the locks and the limit are checked.
 *
 * test/nodes/node-red-internals.spec.ts runs these against a real Node-RED and says which one broke.
 */

/** The http-in node's source in the node-red packages, for the canary to load it from there. */
export const HTTP_IN_NODE = '@node-red/nodes/core/network/21-httpin.js';

/** Express's prototypes on an app, the way express() exposes them. */
interface ExpressApp extends RequestHandler {
  request?: object;
  response?: object;
  /** The app this one is mounted on (express sets it on mount). */
  parent?: ExpressApp;
  _router?: { stack: { handle: unknown }[] };
  /** Express 5's name for _router. */
  router?: { stack: { handle: unknown }[] };
}

type RawBodyRequest = http.IncomingMessage & { body?: unknown; _body?: boolean; skipRawBodyParser?: boolean };

/** getRouteKey of 21-httpin.js, except that `/` stays `/`: "METHOD path", doubled and trailing slashes gone. */
export const routeKey = (method: string, path: string): string =>
  `${method.toUpperCase()} ${path.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1')}`;

/** RED.httpNode as the request handler it is (an Express app). */
export function httpNodeApp(RED: NodeAPI): ExpressApp {
  return RED.httpNode as unknown as ExpressApp;
}

/** settings.httpNodeAuth as the gate runs it: `{user, pass}`, middleware, a list of middleware, or none. */
export function nodeAuth(RED: NodeAPI): NodeAuth {
  const app = httpNodeApp(RED);
  const auth = (RED.settings as unknown as Record<string, unknown>).httpNodeAuth;
  return {
    basic: isBasicCredentials(auth) ? basicAuthChecker(auth) : undefined,
    middleware:
      typeof auth === 'function'
        ? [auth as RequestHandler]
        : Array.isArray(auth)
          ? (auth as RequestHandler[])
          : [],
    prepareForMiddleware: (req, res) => {
      withExpressHelpers(app, req, res);
    },
  };
}

/** The app Node-RED's server runs, found as rawBodyCapture finds it: RED.httpNode's top parent. */
export function rootApp(RED: NodeAPI): ExpressApp | undefined {
  let app: ExpressApp | undefined = httpNodeApp(RED);
  if (!app?.parent) return undefined;
  while (app.parent) app = app.parent;
  return app;
}

/** Puts a middleware in front of everything else the root app runs; false when its stack is not there. */
export function putFirst(app: ExpressApp, handler: RequestHandler): boolean {
  const stack = (app._router ?? app.router)?.stack;
  const before = stack?.length;
  if (!stack || before === undefined) return false;
  (app as unknown as { use(h: RequestHandler): void }).use(handler);
  const i = stack.findIndex((l) => l.handle === handler);
  if (i < 0) return false;
  stack.unshift(stack.splice(i, 1)[0]);
  return true;
}

/** Where RED.httpNode is mounted on Node-RED's port (settings.httpNodeRoot), always ending in `/`. */
export function httpNodeRoot(RED: NodeAPI): string {
  const root = String((RED.settings as unknown as Record<string, unknown>).httpNodeRoot ?? '/');
  return root.endsWith('/') ? root : root + '/';
}

/**
 * Runs RED.httpNode for a request the root app has not handed to it yet, the way the root app's mount
 * would: the url relative to httpNodeRoot while it runs. `next` restores it, for the root app to go on.
 */
export function runHttpNode(
  RED: NodeAPI,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  next: (err?: unknown) => void,
): void {
  const root = httpNodeRoot(RED);
  const r = req as http.IncomingMessage & { baseUrl?: string };
  const url = req.url ?? '/';
  const baseUrl = r.baseUrl;
  if (root !== '/') {
    req.url = url.slice(root.length - 1) || '/';
    r.baseUrl = root.slice(0, -1);
  }
  httpNodeApp(RED)(req, res, (err?: unknown) => {
    req.url = url;
    r.baseUrl = baseUrl;
    next(err);
  });
}

/** What rawBodyCapture does: the body as a Buffer, and the flags that keep every later parser off it. */
export function handOverRawBody(req: http.IncomingMessage, body: Buffer): void {
  const r = req as RawBodyRequest;
  r.body = body;
  r._body = true;
  r.skipRawBodyParser = true;
}

/**
 * Gives req/res Express's request and response methods, as Node-RED's own Express app has done by the time
 * it calls httpNodeAuth middleware (`res.status()`, `req.get()`). False when the app has no such prototypes.
 */
export function withExpressHelpers(
  app: ExpressApp,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): boolean {
  if (!app.request || !app.response) return false;
  const r = req as http.IncomingMessage & { res?: unknown };
  const s = res as http.ServerResponse & { req?: unknown; locals?: object };
  r.res = res;
  s.req = req;
  Object.setPrototypeOf(req, app.request);
  Object.setPrototypeOf(res, app.response);
  s.locals ??= Object.create(null) as object;
  return true;
}

/** settings.apiMaxLength in body-parser's notation ('5mb', '100kb', bytes), 5 MB when unset or unreadable. */
export function apiMaxBytes(v: unknown): number {
  const m = /^(\d+(?:\.\d+)?)\s*(kb|mb|gb|b)?$/i.exec(String(v ?? '5mb').trim());
  if (!m) return 5 * 1024 * 1024;
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  return Math.floor(Number(m[1]) * unit);
}

/** The flows' http-in routes as the dedicated API port serves them. */
export function nodeRedHttpHost(RED: NodeAPI, routes: ApiRouteTable): HttpNodeHost {
  const settings = RED.settings as unknown as Record<string, unknown>;
  return {
    app: httpNodeApp(RED),
    auth: nodeAuth(RED),
    maxBodyBytes: apiMaxBytes(settings.apiMaxLength),
    apiMaxBodyBytes: API_MAX_BODY_BYTES,
    route: (method, path) => {
      const onPath = routes.onPath(path);
      return {
        api: onPath.some((r) => r.masters.length > 0),
        raw: onPath.some((r) => r.raw && r.method === method.toUpperCase()),
      };
    },
    handOverRawBody,
  };
}
