import * as fs from 'node:fs';
import * as http from 'node:http';
import type * as net from 'node:net';
import { apiFlow } from '../test/api/example-flow';
import { freePort, startNodeRed, type NodeRedProcess } from '../test/support/node-red-process';
import { delay } from '../test/support/pty';
import type { Row } from './bus-timing';
import { fmt } from './stats';

/** The page's poll interval (src/web/client/app.ts, LIVE_MS): what both ways of updating are measured at. */
const INTERVAL_MS = 2000;

/** What Chromium sends with a same-origin fetch: the request bytes a real page costs. */
const BROWSER_HEADERS = {
  'User-Agent':
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  Accept: '*/*',
  'Accept-Language': 'en-US,en;q=0.9',
  'Accept-Encoding': 'gzip, deflate, br, zstd',
  'Cache-Control': 'no-cache',
  Pragma: 'no-cache',
  'Sec-Fetch-Site': 'same-origin',
  'Sec-Fetch-Mode': 'cors',
  'Sec-Fetch-Dest': 'empty',
  'sec-ch-ua-platform': '"Linux"',
};

/**
 * The server-sent-events candidate, built from Node-RED's own nodes beside the example flow: a stream route
 * that keeps each response open, and a ticker that, while anyone listens, asks the same two twc-status views
 * the page polls and writes them once to every stream. A real SSE route would cost at least this much.
 */
function sseFlow(): Record<string, unknown>[] {
  const z = 'twc-api-tab';
  const status = (id: string, payload: string, next: string): Record<string, unknown> => ({
    id,
    type: 'twc-status',
    z,
    master: 'twc-api-master',
    payload,
    onChange: false,
    interval: 0,
    wires: [[next]],
  });
  const fn = (id: string, func: string, next: string[]): Record<string, unknown> => ({
    id,
    type: 'function',
    z,
    func,
    outputs: 1,
    wires: [next],
  });
  return [
    { id: 'sse-in', type: 'http in', z, url: '/bench/events', method: 'get', wires: [['sse-subscribe']] },
    fn(
      'sse-subscribe',
      `const res = msg.res._res;
res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
res.write(': open\\n\\n');
const clients = global.get('sseClients') || [];
clients.push(res);
global.set('sseClients', clients);
res.on('close', () => global.set('sseClients', (global.get('sseClients') || []).filter((c) => c !== res)));
return null;`,
      [],
    ),
    {
      id: 'sse-tick',
      type: 'inject',
      z,
      repeat: String(INTERVAL_MS / 1000),
      once: false,
      topic: '',
      payload: '',
      payloadType: 'date',
      wires: [['sse-gate']],
    },
    fn('sse-gate', `return (global.get('sseClients') || []).length ? { topic: 'status' } : null;`, [
      'sse-status',
    ]),
    status('sse-status', 'status', 'sse-keep'),
    fn('sse-keep', `msg.status = msg.payload; msg.topic = 'slaves'; return msg;`, ['sse-slaves']),
    status('sse-slaves', 'slaves', 'sse-push'),
    fn(
      'sse-push',
      `const text = 'data: ' + JSON.stringify({ status: msg.status, slaves: msg.payload }) + '\\n\\n';
for (const res of global.get('sseClients') || []) res.write(text);
return null;`,
      [],
    ),
  ];
}

function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Bytes on the wire both ways, from the client's sockets (every byte the server also handled). */
class Wire {
  private readonly sockets = new Set<net.Socket>();
  add(s: net.Socket): void {
    this.sockets.add(s);
  }
  bytes(): number {
    let n = 0;
    for (const s of this.sockets) n += s.bytesRead + s.bytesWritten;
    return n;
  }
}

function get(base: string, path: string, agent: http.Agent, wire: Wire): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(path, base), { agent, headers: BROWSER_HEADERS }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('socket', (s) => wire.add(s));
    req.on('error', reject);
  });
}

/** `clients` pages polling getStatus and getSlaveTWCs every interval, each on its own keep-alive connection. */
async function polling(base: string, clients: number, seconds: number, wire: Wire): Promise<void> {
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
      await delay((INTERVAL_MS * i) / clients);
      while (Date.now() < end) {
        const next = Date.now() + INTERVAL_MS;
        await Promise.all([
          get(base, '/api/getStatus', agent, wire),
          get(base, '/api/getSlaveTWCs', agent, wire),
        ]);
        await delay(Math.max(0, next - Date.now()));
      }
      agent.destroy();
    }),
  );
}

/** `clients` pages each holding one event stream for the same time; returns how many events arrived. */
async function streams(base: string, clients: number, seconds: number, wire: Wire): Promise<number> {
  let events = 0;
  const open = await Promise.all(
    Array.from(
      { length: clients },
      () =>
        new Promise<http.ClientRequest>((resolve, reject) => {
          const req = http.get(new URL('/bench/events', base), { headers: BROWSER_HEADERS }, (res) => {
            res.on('data', (c: Buffer) => (events += (c.toString().match(/^data: /gm) ?? []).length));
            resolve(req);
          });
          req.on('socket', (s) => wire.add(s));
          req.on('error', reject);
        }),
    ),
  );
  await delay(seconds * 1000);
  for (const req of open) req.destroy();
  return events;
}

/**
 * The web page's live updates: polling the flow's two GET routes at the page's interval, against one
 * server-sent-events stream pushing the same two views at the same interval. Server CPU time (Node-RED's
 * process, from /proc) and bytes per client-minute, each over the same process idle in the same run.
 */
export async function benchPageLive(seconds: number, clients: number): Promise<Row[]> {
  const listenPort = await freePort();
  const red: NodeRedProcess = await startNodeRed([
    ...apiFlow({ listenPort, listenHost: '127.0.0.1' }),
    ...sseFlow(),
  ]);
  const base = `http://127.0.0.1:${listenPort}/`;
  try {
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`${base}api/getSlaveTWCs`).then(
        async (r) => r.ok && Object.keys((await r.json()) as object).length > 2,
        () => false,
      );
      if (ok) break;
      await delay(200);
    }
    const pid = red.proc.child.pid!;
    const window = async (run: () => Promise<unknown>): Promise<number> => {
      await delay(1000);
      const a = cpuSeconds(pid);
      await run();
      return cpuSeconds(pid) - a;
    };
    const idle = await window(() => delay(seconds * 1000));
    const pollWire = new Wire();
    const poll = await window(() => polling(base, clients, seconds, pollWire));
    const sseWire = new Wire();
    let events = 0;
    const sse = await window(async () => (events = await streams(base, clients, seconds, sseWire)));
    const clientMinutes = (clients * seconds) / 60;
    const perMin = (cpu: number): number => (Math.max(0, cpu - idle) * 1000) / clientMinutes;
    const pollCpu = perMin(poll);
    const sseCpu = perMin(sse);
    const pollBytes = pollWire.bytes() / clientMinutes / 1024;
    const sseBytes = sseWire.bytes() / clientMinutes / 1024;
    const ratio = (a: number, b: number): string => (b > 0 ? fmt(a / b, 2) : 'n/a');
    return [
      {
        name: `page live updates, ${clients} clients × ${seconds} s: Node-RED CPU idle (ms/s)`,
        value: fmt((idle * 1000) / seconds, 2),
        baseline: '—',
        ratio: '—',
      },
      {
        name: 'server CPU per client-minute above idle (ms): polling vs SSE',
        value: fmt(pollCpu, 1),
        baseline: fmt(sseCpu, 1),
        ratio: ratio(pollCpu, sseCpu),
      },
      {
        name: 'bytes per client-minute, both ways (KiB): polling vs SSE',
        value: fmt(pollBytes, 1),
        baseline: fmt(sseBytes, 1),
        ratio: ratio(pollBytes, sseBytes),
      },
      {
        name: 'updates per client-minute: polling vs SSE',
        value: fmt(60000 / INTERVAL_MS, 0),
        baseline: fmt(events / clientMinutes, 1),
        ratio: ratio(60000 / INTERVAL_MS, events / clientMinutes),
      },
    ];
  } finally {
    await red.stop();
  }
}
