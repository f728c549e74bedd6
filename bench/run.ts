import { benchBus, type Row } from './bus-timing';

/** `npm run bench`: every figure with the baseline measured in the same run, and their ratio. */
async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 30);
  const trials = Number(process.env.BENCH_TRIALS ?? 20);
  console.log(
    `bus benchmark over a socat pty: 3 simulated slaves, ${seconds} s cadence run, ${trials} latency trials`,
  );
  const rows: Row[] = await benchBus(seconds, trials);
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
