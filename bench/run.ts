import { benchApi } from './api-bench';
import { benchBus, type Row } from './bus-timing';
import { benchPageLive } from './page-live';
import { benchStartup } from './startup';

/** `npm run bench`: every figure with the baseline measured in the same run, and their ratio. */
async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 30);
  const trials = Number(process.env.BENCH_TRIALS ?? 20);
  console.log(
    `bus benchmark over a socat pty: 3 simulated slaves, ${seconds} s cadence run, ${trials} latency trials`,
  );
  const only = process.env.BENCH_ONLY ?? 'bus,api,page,startup';
  const rows: Row[] = [];
  if (only.includes('bus')) rows.push(...(await benchBus(seconds, trials)));
  if (only.includes('api')) {
    const loadSeconds = Number(process.env.BENCH_LOAD_SECONDS ?? 5);
    const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 20);
    console.log(
      `API benchmark: Node-RED with the example flow on a pty with 3 twc-sim slaves, ${loadSeconds} s per load run, ${trials} command trials, ${idleSeconds} s idle footprint`,
    );
    rows.push(...(await benchApi(loadSeconds, trials, idleSeconds)));
  }
  if (only.includes('page')) {
    const pageSeconds = Number(process.env.BENCH_PAGE_SECONDS ?? 20);
    const clients = Number(process.env.BENCH_PAGE_CLIENTS ?? 20);
    console.log(`web page live updates: ${clients} clients, ${pageSeconds} s each of idle, polling and SSE`);
    rows.push(...(await benchPageLive(pageSeconds, clients)));
  }
  if (only.includes('startup')) {
    const startTrials = Number(process.env.BENCH_STARTUP_TRIALS ?? 5);
    console.log(
      `start-up benchmark: npm start and node-red on a built checkout, the first heartbeat over a pty, ${startTrials} trials each`,
    );
    rows.push(...(await benchStartup(startTrials)));
  }
  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(
      ...[
        ['figure', 'value', 'baseline', 'ratio'],
        ...rows.map((r) => [r.name, r.value, r.baseline, r.ratio]),
      ].map((c) => c[i].length),
    ),
  );
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(['figure', 'value', 'baseline', 'ratio']));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line([r.name, r.value, r.baseline, r.ratio]));
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
