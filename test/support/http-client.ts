import * as http from 'node:http';
import * as net from 'node:net';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json(): unknown;
}

export interface RequestOptions {
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Leave out Content-Length and send the body chunked (or nothing at all). */
  chunked?: boolean;
  timeoutMs?: number;
}

/** One HTTP request with exactly the headers given (fetch would add its own Content-Type). */
export function request(base: string, method: string, path: string, o: RequestOptions = {}): Promise<Answer> {
  const url = new URL(path, base);
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.body !== undefined && !o.chunked) headers['Content-Length'] = String(Buffer.byteLength(o.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
      },
    );
    req.setTimeout(o.timeoutMs ?? 10000, () =>
      req.destroy(new Error(`${method} ${path}: no answer in time`)),
    );
    req.on('error', reject);
    if (o.body !== undefined) req.write(o.body);
    req.end();
  });
}

/** A raw request line and headers (e.g. HTTP/1.0 without Content-Length); resolves with the status. */
export function rawRequest(
  base: string,
  text: string,
  timeoutMs = 10000,
): Promise<{ status: number; raw: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    let raw = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer in time to ${JSON.stringify(text.split('\r\n')[0])}`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(text));
    socket.on('data', (d: Buffer) => {
      raw += d.toString('latin1');
      // HTTP/1.0 answers close the connection; a complete 1.1 answer is enough too.
      const m = /\r\ncontent-length: (\d+)/i.exec(raw);
      const head = raw.indexOf('\r\n\r\n');
      if (m && head >= 0 && raw.length >= head + 4 + Number(m[1])) socket.end();
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(raw)?.[1] ?? 0), raw });
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
