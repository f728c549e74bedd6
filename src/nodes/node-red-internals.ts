import type * as http from 'node:http';
import type { NodeAPI } from 'node-red';
import type { HttpNodeHost, RequestHandler } from '../http/listener';

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
 *   ones, `d: true`, included).
 *
 * test/nodes/node-red-internals.spec.ts runs these against a real Node-RED and says which one broke.
 */

/** The http-in node's source in the node-red packages, for the canary to load it from there. */
export const HTTP_IN_NODE = '@node-red/nodes/core/network/21-httpin.js';

/** Express's prototypes on an app, the way express() exposes them. */
interface ExpressApp extends RequestHandler {
  request?: object;
  response?: object;
}

type RawBodyRequest = http.IncomingMessage & { body?: unknown; _body?: boolean; skipRawBodyParser?: boolean };

/** The http-in flow object fields read here, as 21-httpin.html saves them. */
interface HttpInConfig {
  type: string;
  d?: boolean;
  method?: string;
  url?: string;
  skipBodyParsing?: boolean;
}

/** getRouteKey of 21-httpin.js, except that `/` stays `/`: "METHOD path", doubled and trailing slashes gone. */
export const routeKey = (method: string, path: string): string =>
  `${method.toUpperCase()} ${path.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1')}`;

/** RED.httpNode as the request handler it is (an Express app). */
export function httpNodeApp(RED: NodeAPI): ExpressApp {
  return RED.httpNode as unknown as ExpressApp;
}

/** "METHOD path" of the deployed, enabled http-in nodes that hand over the raw body. */
export function rawBodyRoutes(RED: NodeAPI): Set<string> {
  const routes = new Set<string>();
  RED.nodes.eachNode((n) => {
    const h = n as unknown as HttpInConfig;
    if (h.type === 'http in' && h.skipBodyParsing && !h.d && h.url)
      routes.add(routeKey(h.method ?? 'get', h.url.startsWith('/') ? h.url : '/' + h.url));
  });
  return routes;
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
export function nodeRedHttpHost(RED: NodeAPI): HttpNodeHost {
  const app = httpNodeApp(RED);
  const settings = RED.settings as unknown as Record<string, unknown>;
  return {
    app,
    httpNodeAuth: settings.httpNodeAuth,
    maxBodyBytes: apiMaxBytes(settings.apiMaxLength),
    takesRawBody: (method, path) => rawBodyRoutes(RED).has(routeKey(method, path)),
    handOverRawBody,
    prepareForMiddleware: (req, res) => {
      withExpressHelpers(app, req, res);
    },
  };
}
