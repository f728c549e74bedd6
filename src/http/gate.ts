import type * as http from 'node:http';
import { answerAndClose, announcesTooMuch, readLimitedBody, TOO_LARGE } from './body';
import { TOKEN_HEADER, TOKEN_REQUIRED, tokenPresented } from './auth';
import { crossSiteRefusal } from './origin';
import type { RefusalLog } from './refusal-log';

export type RequestHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  next: (err?: unknown) => void,
) => void;

/** Node-RED's httpNodeAuth as the gate runs it: a `{user, pass}` checker, or middleware. */
export interface NodeAuth {
  basic?: (header: string | undefined) => boolean;
  middleware: RequestHandler[];
  /** Readies req/res for middleware written for an Express app (`res.status()`, `req.get()`). */
  prepareForMiddleware(req: http.IncomingMessage, res: http.ServerResponse): void;
}

/** What one request must show before anything of its body is read (docs/api.md §1.6). */
export interface GateRules {
  auth: NodeAuth;
  /** API tokens of the twc-masters the route feeds; each must be presented (usually one, or none). */
  tokens: readonly string[];
  /** Origins whose pages may change settings; the request's own origin always may. */
  allowedOrigins: readonly string[];
  /** Body limit in bytes; a longer body gets a 413 before it is read. */
  maxBodyBytes: number;
  /** Read the body here (a route that takes it raw), or leave it to the route's own parsers. */
  readBody: boolean;
  /** The web page: the API token is not needed to load it (it asks for the token itself). */
  tokenExempt?: boolean;
  log: RefusalLog;
  /** Called once the request may send its body (a `100 Continue` for a client that waits for one). */
  beforeBody?: () => void;
}

/** What passed the gate: the body when it was read here. */
export interface Admitted {
  body?: Buffer;
}

/**
 * The path of a request as Express routes it: from an origin-form (`/api/x?y`) or an absolute-form
 * (`http://host/api/x`) target alike, so that no spelling of an API route passes the gate unrecognised.
 */
export function requestPath(url: string | undefined): string {
  const target = url ?? '/';
  // Not URL() for an origin-form: it would read `//api/x` as the host "api".
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return target.split('?')[0];
  try {
    return new URL(target).pathname;
  } catch {
    return target.split('?')[0];
  }
}

const ALLOW_HEADERS = `Content-Type, Authorization, ${TOKEN_HEADER}`;

/** Credentials are allowed for an allowed origin: its pages may use the cached basic-auth login. */
function corsHeaders(origin: string): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    Vary: 'Origin',
  };
}

function runMiddleware(
  list: RequestHandler[],
  req: http.IncomingMessage,
  res: http.ServerResponse,
  done: (err?: unknown) => void,
  i = 0,
): void {
  if (i >= list.length) return done();
  try {
    list[i](req, res, (err?: unknown) => (err ? done(err) : runMiddleware(list, req, res, done, i + 1)));
  } catch (err) {
    done(err);
  }
}

/**
 * The checks in front of every API route, in this order: Node-RED's httpNodeAuth, the API token, the
 * cross-site check, the body limit. Resolves with what passed, or undefined when the request has been
 * answered (401, 403, 413, or by the auth middleware itself). Nothing of a refused body is kept.
 */
export function admit(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  rules: GateRules,
): Promise<Admitted | undefined> {
  const method = (req.method ?? 'GET').toUpperCase();
  const path = requestPath(req.url);
  const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
  const allowedOrigin = origin !== undefined && rules.allowedOrigins.includes(origin) ? origin : undefined;
  const refuse = (status: number, kind: string, reason: string, headers = {}): undefined => {
    rules.log.refused(kind, `refused ${method} ${path} (${status}): ${reason}`);
    answerAndClose(res, status, { error: reason }, headers);
    return undefined;
  };

  // A browser's preflight carries no credentials by design; only an allowed origin's is answered.
  if (method === 'OPTIONS' && allowedOrigin && req.headers['access-control-request-method']) {
    res.writeHead(204, {
      ...corsHeaders(allowedOrigin),
      'Access-Control-Allow-Methods': 'GET, HEAD, POST',
      'Access-Control-Allow-Headers': ALLOW_HEADERS,
      'Access-Control-Max-Age': '600',
    });
    res.end();
    return Promise.resolve(undefined);
  }
  const { auth } = rules;
  if (auth.basic && !auth.basic(req.headers.authorization))
    return Promise.resolve(
      refuse(401, 'login', 'authorization required', {
        'WWW-Authenticate': 'Basic realm="Authorization Required"',
      }),
    );
  return new Promise<boolean>((resolve) => {
    if (auth.middleware.length === 0) return resolve(true);
    auth.prepareForMiddleware(req, res);
    runMiddleware(auth.middleware, req, res, (err) => {
      if (err) {
        const status = (err as { status?: number }).status ?? 500;
        answerAndClose(res, status >= 400 && status < 600 ? status : 500, {
          error: status === 401 || status === 403 ? 'authorization required' : 'internal error',
        });
      }
      resolve(!err);
    });
  }).then(async (passed) => {
    if (!passed || res.headersSent) return undefined;
    if (!rules.tokenExempt && rules.tokens.some((t) => !tokenPresented(req.headers, t)))
      return refuse(401, 'token', TOKEN_REQUIRED, { 'WWW-Authenticate': 'Bearer' });
    const crossSite = crossSiteRefusal(method, req.headers, rules.allowedOrigins);
    if (crossSite) return refuse(403, 'cross-site', crossSite);
    if (allowedOrigin) for (const [k, v] of Object.entries(corsHeaders(allowedOrigin))) res.setHeader(k, v);
    if (announcesTooMuch(req, rules.maxBodyBytes))
      return refuse(413, 'too-large', TOO_LARGE(rules.maxBodyBytes));
    rules.beforeBody?.();
    if (!rules.readBody || method === 'GET' || method === 'HEAD') return {};
    const body = await readLimitedBody(req, rules.maxBodyBytes).catch(() => null);
    if (body === null) return refuse(400, 'unreadable', 'the request body could not be read');
    if (body === undefined) return refuse(413, 'too-large', TOO_LARGE(rules.maxBodyBytes));
    return { body };
  });
}
