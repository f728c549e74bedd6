import type * as http from 'node:http';
import { assetFor, CACHE_CONTROL, type WebAsset } from './assets';

/** The page's folder: `/twc/` on Node-RED's port (below httpNodeRoot), also `/` on the dedicated port. */
export const PAGE_FOLDER = 'twc';

/** What a GET of a path is for the page: one of its files, a move to the folder's own URL, or not the page's. */
export type PageAnswer = { asset: WebAsset } | { redirect: string } | undefined;

/**
 * `/twc` has to become `/twc/`: the page's URLs are relative (so that any httpNodeRoot works), and from
 * `/twc` they would point beside the folder instead of into it. The redirect is relative for the same reason.
 */
export function pageAnswer(path: string, atRoot: boolean): PageAnswer {
  if (path === `/${PAGE_FOLDER}`) return { redirect: `${PAGE_FOLDER}/` };
  const prefix = `/${PAGE_FOLDER}/`;
  const rest = path.startsWith(prefix) ? path.slice(prefix.length) : atRoot ? path.slice(1) : undefined;
  if (rest === undefined) return undefined;
  const asset = assetFor(rest);
  return asset ? { asset } : undefined;
}

/** Writes a page answer on a plain Node.js response. */
export function writePageAnswer(
  answer: NonNullable<PageAnswer>,
  res: http.ServerResponse,
  head: boolean,
): void {
  if ('redirect' in answer) {
    res.writeHead(302, { Location: answer.redirect, 'Content-Length': 0 });
    res.end();
    return;
  }
  const { type, body } = answer.asset;
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': body.length,
    'Cache-Control': CACHE_CONTROL,
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(head ? undefined : body);
}

/** What serveOn needs of an Express app (RED.httpNode). */
interface RouteApp {
  get(
    path: string,
    handler: (
      req: http.IncomingMessage & { originalUrl?: string },
      res: http.ServerResponse,
      next: () => void,
    ) => void,
  ): unknown;
}

/**
 * The page on Node-RED's port. Express matches `/twc` for `/twc/` too, so the path the browser asked for
 * (originalUrl, below httpNodeRoot or not) decides whether it is the folder.
 */
export function servePage(app: RouteApp): void {
  const handler = (
    req: http.IncomingMessage & { originalUrl?: string },
    res: http.ServerResponse,
    next: () => void,
  ): void => {
    const asked = new URL(req.originalUrl ?? req.url ?? '/', 'http://page').pathname;
    const file = asked.endsWith(`/${PAGE_FOLDER}`)
      ? `/${PAGE_FOLDER}`
      : `/${PAGE_FOLDER}/${asked.slice(asked.lastIndexOf('/') + 1)}`;
    const answer = pageAnswer(file, false);
    if (!answer) return next();
    writePageAnswer(answer, res, req.method === 'HEAD');
  };
  app.get(`/${PAGE_FOLDER}`, handler);
  app.get(`/${PAGE_FOLDER}/:file`, handler);
}
