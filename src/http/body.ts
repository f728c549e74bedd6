import type * as http from 'node:http';

/**
 * The largest body an API route takes. TWCManager's largest legitimate body (setScheduledChargingSettings
 * with every field, or a free-form setting at its size bound) is a few kilobytes.
 */
export const API_MAX_BODY_BYTES = 64 * 1024;

/** Writes the head of a JSON answer; returns its text. */
function jsonHead(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders,
): string {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  return text;
}

/** A JSON answer, unless one has gone out already. */
export function answerJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  if (!res.headersSent) res.end(jsonHead(res, status, body, headers));
}

/** How long a client may take to read a refusal before its connection is cut. */
export const LINGER_MS = 2000;

/**
 * A refusal, on a request whose body is not read. Nothing more of the body is read: the connection stays
 * open, unread, until the client has read the answer and closed it, or LINGER_MS have passed. Closing at
 * once would reset the connection under a client still sending, and a reset can destroy the answer before
 * the client reads it; reading the rest to throw it away would let any client make us read without end.
 */
export function answerAndClose(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  if (res.headersSent) return;
  const req = res.req;
  if (!req || req.complete || !bodyFollows(req)) return answerJson(res, status, body, headers);
  req.pause();
  // The whole answer goes out now; ending the response would close the socket.
  res.write(jsonHead(res, status, body, { Connection: 'close', ...headers }));
  const finish = (): void => {
    clearTimeout(timer);
    if (!res.writableEnded) res.end();
    req.socket?.destroy();
  };
  const timer = setTimeout(finish, LINGER_MS);
  timer.unref();
  req.socket?.once('end', finish);
  req.once('close', finish);
}

/** Whether the request has a body still to come (a length above 0, or chunks). */
function bodyFollows(req: http.IncomingMessage): boolean {
  const n = declaredLength(req);
  return (n !== undefined && n > 0) || req.headers['transfer-encoding'] !== undefined;
}

/** The declared length, or undefined when the body is chunked (or absent). */
function declaredLength(req: http.IncomingMessage): number | undefined {
  const v = req.headers['content-length'];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Whether the request announces a body longer than `limit`: refused before a byte of it is read. */
export function announcesTooMuch(req: http.IncomingMessage, limit: number): boolean {
  const n = declaredLength(req);
  return n !== undefined && n > limit;
}

export const TOO_LARGE = (limit: number): string =>
  `the request body is larger than the API takes (${limit} bytes)`;

/**
 * Reads a body of at most `limit` bytes. Past the limit it stops keeping what arrives and resolves with
 * undefined, so the caller can answer 413; Node discards the rest while the answer goes out.
 */
export function readLimitedBody(req: http.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size <= limit) chunks.push(c);
      else if (!over) {
        over = true;
        chunks.length = 0;
        req.off('data', onData);
        req.off('end', onEnd);
        resolve(undefined);
      }
    };
    const onEnd = (): void => resolve(Buffer.concat(chunks));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}
