import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerJson } from './body';
import { admit, requestPath, type NodeAuth, type RequestHandler } from './gate';
import { RefusalLog } from './refusal-log';
import { pageAnswer, writePageAnswer, type PageAnswer } from '../web/serve';

export type { RequestHandler } from './gate';

/** What a path is on this port: one of the API's routes (it feeds a twc-master), and how it takes its body. */
export interface RouteInfo {
  /** The route feeds a twc-status or twc-command node: the API's body limit applies. */
  api: boolean;
  /** An http-in node with "Do not parse the body": the body is read here and handed over. */
  raw: boolean;
}

/** The routes the listener serves and what it must do for them (src/nodes/node-red-internals.ts). */
export interface HttpNodeHost {
  /** The flows' routes (RED.httpNode). */
  app: RequestHandler;
  /** settings.httpNodeAuth as the gate runs it. */
  auth: NodeAuth;
  /** Largest body of a route that is not the API's, in bytes (settings.apiMaxLength, 5 MB by default). */
  maxBodyBytes: number;
  /** The API's own body limit. */
  apiMaxBodyBytes: number;
  route(method: string, path: string): RouteInfo;
  /** Gives the request the body read here, so that the route's own parsers leave it as it is. */
  handOverRawBody(req: http.IncomingMessage, body: Buffer): void;
}

export interface ListenerOptions {
  port: number;
  host?: string;
  /** When set, every request but the page needs the API token (src/http/auth.ts). */
  token?: string;
  /** Origins whose pages may change settings besides this port's own (src/http/origin.ts). */
  allowedOrigins?: readonly string[];
  /** Serve the web page on `/` and `/twc/` (src/web/serve.ts). */
  page: boolean;
  /** Where refused requests are told (throttled). */
  warn?: (message: string) => void;
}

/**
 * TWCManager's own port: serves Node-RED's http-in routes (RED.httpNode) on a second port, plus the web page
 * on `/`. Every request passes the gate first (src/http/gate.ts): the locks, the cross-site check, the body
 * limit. Bodies of routes that skip parsing are read there and handed over, so they arrive as the same raw
 * Buffer as on Node-RED's port.
 */
export class ApiListener {
  private server: http.Server | undefined;
  private readonly log: RefusalLog;

  constructor(
    private readonly host: HttpNodeHost,
    private readonly options: ListenerOptions,
  ) {
    this.log = new RefusalLog(options.warn ?? (() => undefined));
  }

  /** Listens; rejects with EADDRINUSE (or any bind error) rather than moving to another port. */
  listen(): Promise<number> {
    const server = http.createServer((req, res) => this.handle(req, res));
    // A client that waits for `100 Continue` gets the refusal instead, and never sends the body.
    server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) =>
      this.handle(req, res, () => res.writeContinue()),
    );
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

  private handle(req: http.IncomingMessage, res: http.ServerResponse, beforeBody?: () => void): void {
    const path = requestPath(req.url);
    const method = req.method ?? 'GET';
    let page: PageAnswer;
    try {
      page =
        this.options.page && (method === 'GET' || method === 'HEAD') ? pageAnswer(path, true) : undefined;
    } catch (err) {
      // An unbuilt checkout: say so rather than take the process down.
      return answerJson(res, 500, { error: (err as Error).message });
    }
    const isPage = page !== undefined;
    const route = isPage ? { api: false, raw: false } : this.host.route(method, path);
    admit(req, res, {
      auth: this.host.auth,
      tokens: this.options.token ? [this.options.token] : [],
      allowedOrigins: this.options.allowedOrigins ?? [],
      maxBodyBytes: route.api ? this.host.apiMaxBodyBytes : this.host.maxBodyBytes,
      readBody: route.raw,
      tokenExempt: isPage,
      log: this.log,
      beforeBody,
    }).then(
      (admitted) => {
        if (!admitted) return;
        if (page) return writePageAnswer(page, res, method === 'HEAD');
        if (admitted.body) this.host.handOverRawBody(req, admitted.body);
        this.host.app(req, res, (err?: unknown) =>
          err
            ? answerJson(res, 500, { error: 'internal error' })
            : answerJson(res, 404, { error: `no route for ${method} ${path}` }),
        );
      },
      () => answerJson(res, 500, { error: 'internal error' }),
    );
  }
}
