import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { basicAuthChecker, BEARER_REQUIRED, bearerMatches, type BasicCredentials } from './auth';

export type RequestHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  next: (err?: unknown) => void,
) => void;

/** The routes the listener serves and what it must do for them (src/nodes/node-red-internals.ts). */
export interface HttpNodeHost {
  /** The flows' routes (RED.httpNode). */
  app: RequestHandler;
  /** settings.httpNodeAuth: {user, pass}, or middleware. */
  httpNodeAuth?: unknown;
  /** Largest body accepted, in bytes (settings.apiMaxLength, 5 MB by default). */
  maxBodyBytes: number;
  /** Whether the route takes its body unparsed (an http-in node with skipBodyParsing). */
  takesRawBody(method: string, path: string): boolean;
  /** Gives the request the body read here, so that the route's own parsers leave it as it is. */
  handOverRawBody(req: http.IncomingMessage, body: Buffer): void;
  /** Readies req/res for httpNodeAuth middleware written for the app (Express's helpers). */
  prepareForMiddleware(req: http.IncomingMessage, res: http.ServerResponse): void;
}

export interface ListenerOptions {
  port: number;
  host?: string;
  /** When set, every request but the page needs `Authorization: Bearer <token>`. */
  token?: string;
  /** The web page served on `/`. */
  page: string;
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(Object.assign(new Error('request body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * TWCManager's own port: serves Node-RED's http-in routes (RED.httpNode) on a second port, plus the web page
 * on `/`. Bodies of routes that skip parsing are read here and handed over, so they arrive as the same raw
 * Buffer as on Node-RED's port, whose own raw-body capture sits on its root app, which this server bypasses.
 */
export class ApiListener {
  private server: http.Server | undefined;
  private readonly basicOk: ((header: string | undefined) => boolean) | undefined;
  private readonly authMiddleware: RequestHandler[] = [];

  constructor(
    private readonly host: HttpNodeHost,
    private readonly options: ListenerOptions,
  ) {
    const auth = host.httpNodeAuth;
    if (typeof auth === 'function') this.authMiddleware = [auth as RequestHandler];
    else if (Array.isArray(auth)) this.authMiddleware = auth as RequestHandler[];
    else if (auth && typeof auth === 'object' && 'user' in auth && 'pass' in auth)
      this.basicOk = basicAuthChecker(auth as BasicCredentials);
  }

  /** Listens; rejects with EADDRINUSE (or any bind error) rather than moving to another port. */
  listen(): Promise<number> {
    const server = http.createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 5000;
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const next = (err?: unknown): void => {
      if (err) {
        const status = (err as { status?: number }).status ?? 500;
        sendJson(res, status, { error: status === 413 ? 'request body too large' : 'internal error' });
      } else {
        this.route(req, res, path);
      }
    };
    if (req.method !== 'OPTIONS' && this.basicOk && !this.basicOk(req.headers.authorization)) {
      res.setHeader('WWW-Authenticate', 'Basic realm="Authorization Required"');
      sendJson(res, 401, { error: 'authorization required' });
      return;
    }
    if (this.authMiddleware.length > 0) this.host.prepareForMiddleware(req, res);
    this.runMiddleware(0, req, res, next);
  }

  private runMiddleware(
    i: number,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    done: (err?: unknown) => void,
  ): void {
    if (i >= this.authMiddleware.length || req.method === 'OPTIONS') return done();
    try {
      this.authMiddleware[i](req, res, (err?: unknown) =>
        err ? done(err) : this.runMiddleware(i + 1, req, res, done),
      );
    } catch (err) {
      done(err);
    }
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse, path: string): void {
    const isPage = (req.method === 'GET' || req.method === 'HEAD') && (path === '/' || path === '/twc');
    if (isPage) {
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': Buffer.byteLength(this.options.page),
        'Cache-Control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : this.options.page);
      return;
    }
    if (
      this.options.token &&
      req.method !== 'OPTIONS' &&
      !bearerMatches(req.headers.authorization, this.options.token)
    ) {
      sendJson(
        res,
        401,
        { error: BEARER_REQUIRED },
        {
          'WWW-Authenticate': 'Bearer',
        },
      );
      return;
    }
    const notFound = (err?: unknown): void =>
      err
        ? sendJson(res, 500, { error: 'internal error' })
        : sendJson(res, 404, { error: `no route for ${req.method} ${path}` });
    // GET and HEAD carry no body to capture: no need to look at the flows for them.
    const method = req.method ?? 'GET';
    if (method === 'GET' || method === 'HEAD' || !this.host.takesRawBody(method, path)) {
      this.host.app(req, res, notFound);
      return;
    }
    readBody(req, this.host.maxBodyBytes).then(
      (body) => {
        this.host.handOverRawBody(req, body);
        this.host.app(req, res, notFound);
      },
      (err: { status?: number }) =>
        sendJson(res, err.status ?? 400, { error: 'could not read the request body' }),
    );
  }
}
