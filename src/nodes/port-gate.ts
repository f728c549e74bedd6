import type * as http from 'node:http';
import type { NodeAPI } from 'node-red';
import { API_MAX_BODY_BYTES } from '../http/body';
import { admit, requestPath, type NodeAuth } from '../http/gate';
import type { RequestHandler } from '../http/listener';
import { RefusalLog } from '../http/refusal-log';
import { told } from '../bus/told';
import type { ApiRouteTable } from './api-routes';
import { say, translator } from './i18n';
import type { TwcMasterNode } from './master-node';
import {
  handOverRawBody,
  httpNodeRoot,
  nodeAuth,
  putFirst,
  rootApp,
  runHttpNode,
} from './node-red-internals';

/** What the gate of one Node-RED runtime works with; a reloaded runtime (tests) replaces it. */
/** Said once per runtime when the gate cannot go first on Node-RED's app. */
export const gateNotInstalled = () =>
  told(
    'log.gateNotInstalled',
    'twc-master: cannot guard the API routes on Node-RED’s port (its Express app is not as expected); ' +
      'their body limit and cross-site check hold on the dedicated API port only',
  );

interface PortGateState {
  RED: NodeAPI;
  routes: ApiRouteTable;
  log: RefusalLog;
  /** Built once: its checker caches the last good password, as Node-RED's does. */
  auth: NodeAuth;
}

const installed = new WeakMap<object, PortGateState>();

/** The locks and allowed origins of the twc-masters a route feeds. */
function rulesOf(RED: NodeAPI, masterIds: readonly string[]) {
  const masters = masterIds
    .map((id) => RED.nodes.getNode(id) as TwcMasterNode | null)
    .filter((m): m is TwcMasterNode => !!m);
  const tokens = masters.map((m) => m.credentials?.apiToken).filter((t): t is string => !!t);
  // An origin may change settings only if every twc-master the route feeds allows it.
  const lists = masters.map((m) => m.settings?.allowedOrigins ?? []);
  const allowedOrigins = lists.length ? lists.reduce((a, b) => a.filter((o) => b.includes(o))) : [];
  return { tokens, allowedOrigins };
}

/**
 * The gate on Node-RED's own port, for the API's routes only (http-in routes that feed a twc-master); every
 * other request goes on as Node-RED would run it. It runs first on Node-RED's root app, ahead of the http-in
 * node's raw-body reader and of httpNodeAuth (src/nodes/node-red-internals.ts), checks what
 * src/http/gate.ts checks, reads a raw route's body within the API's limit, then runs RED.httpNode itself.
 */
export function guardNodeRedPort(RED: NodeAPI, routes: ApiRouteTable): void {
  const app = rootApp(RED);
  if (!app) return;
  const state: PortGateState = {
    RED,
    routes,
    log: new RefusalLog((m) => RED.log.warn(`twc-master: ${m}`)),
    auth: nodeAuth(RED),
  };
  const known = installed.has(app);
  installed.set(app, state);
  if (known) return;
  const gate: RequestHandler = function twcApiGate(req, res, next) {
    const s = installed.get(app);
    if (!s) return next();
    const root = httpNodeRoot(s.RED);
    const path = requestPath(req.url);
    if (!path.startsWith(root) && path !== root.slice(0, -1)) return next();
    const onPath = s.routes.onPath(path.slice(root.length - 1) || '/');
    const masters = [...new Set(onPath.flatMap((r) => r.masters))];
    if (masters.length === 0) return next();
    const method = (req.method ?? 'GET').toUpperCase();
    admit(req, res, {
      auth: s.auth,
      ...rulesOf(s.RED, masters),
      maxBodyBytes: API_MAX_BODY_BYTES,
      readBody: onPath.some((r) => r.raw && r.method === method),
      log: s.log,
    }).then(
      (admitted) => {
        if (!admitted) return;
        if (admitted.body) handOverRawBody(req as http.IncomingMessage, admitted.body);
        runHttpNode(s.RED, req, res, next);
      },
      (err: unknown) => next(err),
    );
  };
  if (!putFirst(app, gate)) {
    installed.delete(app);
    RED.log.warn(say(translator(RED), gateNotInstalled()));
  }
}
