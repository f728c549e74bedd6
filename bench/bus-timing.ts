import { performance } from 'node:perf_hooks';
import { SerialPort } from 'serialport';
import { SystemClock } from '../src/clock';
import { TwcMaster } from '../src/master/engine';
import { encodeFrame, FrameDecoder } from '../src/protocol';
import { SerialTransport } from '../src/transport/serial-transport';
import { attachSerialSim } from '../test/support/serial-sim';
import { delay, openPtyPair } from '../test/support/pty';
import { fmt, mean, percentile, stddev } from './stats';

export interface Row {
  name: string;
  value: string;
  baseline: string;
  ratio: string;
}

const SLAVES = [
  { id: 0x4142, maxAmps: 80, car: { maxAmps: 32 } },
  { id: 0x4243, maxAmps: 32, car: { maxAmps: 16 } },
  { id: 0x4344, maxAmps: 48, car: { maxAmps: 48 } },
];

/**
 * Baseline: a bare Node timer writing one heartbeat-sized frame per second over the same kind of pty, read
 * on the other end — the jitter and transit time any program gets from Node timers and the tty layer.
 */
async function baseline(seconds: number): Promise<{ intervals: number[]; transit: number[] }> {
  const pty = await openPtyPair();
  const tx = new SerialPort({ path: pty.b, baudRate: 9600 });
  const rx = new SerialPort({ path: pty.a, baudRate: 9600 });
  await delay(200);
  const frame = Buffer.from(
    encodeFrame({
      kind: 'masterHeartbeat',
      sender: 0x7777,
      receiver: 0x4142,
      command: 0,
      amps: 0,
      masterPluggedIn: false,
      version: 2,
    }),
  );
  const decoder = new FrameDecoder();
  const arrivals: number[] = [];
  const transit: number[] = [];
  let sentAt = 0;
  rx.on('data', (chunk: Buffer) => {
    for (const _ of decoder.push(chunk)) {
      const now = performance.now();
      arrivals.push(now);
      transit.push(now - sentAt);
    }
  });
  const timer = setInterval(() => {
    sentAt = performance.now();
    tx.write(frame);
  }, 1000);
  await delay(seconds * 1000 + 300);
  clearInterval(timer);
  await new Promise<void>((r) => tx.close(() => r()));
  await new Promise<void>((r) => rx.close(() => r()));
  await pty.close();
  return { intervals: arrivals.slice(1).map((t, i) => t - arrivals[i]), transit };
}

/** Heartbeat cadence and jitter, and the latency of an amps change, with three simulated slaves. */
export async function benchBus(seconds: number, trials: number): Promise<Row[]> {
  const base = await baseline(Math.min(seconds, 15));
  const pty = await openPtyPair();
  const sim = await attachSerialSim(pty.a, SLAVES);
  const arrivals = new Map<number, number[]>();
  let watch: ((receiver: number, amps: number, command: number) => void) | undefined;
  sim.bus.on('received', (m) => {
    if (m.kind !== 'masterHeartbeat') return;
    const list = arrivals.get(m.receiver) ?? [];
    list.push(performance.now());
    arrivals.set(m.receiver, list);
    watch?.(m.receiver, m.amps, m.command);
  });
  const clock = new SystemClock();
  const master = new TwcMaster({
    transport: new SerialTransport({ path: pty.b }, clock),
    clock,
    config: {
      wiringMaxAmpsAllTWCs: 96,
      wiringMaxAmpsPerTWC: 48,
      minAmpsPerTWC: 12,
      spikeAmpsToCancel6ALimit: 0,
    },
  });
  master.setAvailableAmps(60);
  master.start();
  await delay(seconds * 1000);
  const intervals = [...arrivals.values()].flatMap((times) => times.slice(2).map((t, i) => t - times[i + 1]));

  // Latency: a new total until every slave has been sent its new share.
  const latencies: number[] = [];
  for (let i = 0; i < trials; i++) {
    const total = i % 2 === 0 ? 36 : 72;
    const share = total / 3;
    const reached = new Set<number>();
    const changedAt = performance.now();
    const done = new Promise<number>((resolve) => {
      watch = (receiver, amps, command) => {
        if (command !== 0 && amps === share) reached.add(receiver);
        if (reached.size === SLAVES.length) resolve(performance.now() - changedAt);
      };
    });
    master.setAvailableAmps(total);
    latencies.push(await done);
    watch = undefined;
    await delay(300 + Math.random() * 700);
  }
  const stats = master.busStats();
  await master.stop();
  await sim.close();
  await pty.close();

  const jitter = (xs: number[]): number =>
    percentile(
      xs.map((x) => Math.abs(x - 1000)),
      99,
    );
  const period = mean(intervals);
  return [
    {
      name: 'heartbeat interval per slave, mean (ms)',
      value: fmt(period),
      baseline: fmt(mean(base.intervals)),
      ratio: fmt(period / mean(base.intervals), 3),
    },
    {
      name: 'heartbeat interval, std dev (ms)',
      value: fmt(stddev(intervals), 2),
      baseline: fmt(stddev(base.intervals), 2),
      ratio: fmt(stddev(intervals) / stddev(base.intervals), 2),
    },
    {
      name: 'heartbeat jitter, p99 |interval − 1000| (ms)',
      value: fmt(jitter(intervals), 2),
      baseline: fmt(jitter(base.intervals), 2),
      ratio: fmt(jitter(intervals) / jitter(base.intervals), 2),
    },
    {
      name: `amps change → all 3 slaves sent it, median of ${trials} (ms)`,
      value: fmt(percentile(latencies, 50)),
      baseline: `${fmt(period)} (1 period)`,
      ratio: fmt(percentile(latencies, 50) / period, 3),
    },
    {
      name: `amps change → all 3 slaves sent it, max of ${trials} (ms)`,
      value: fmt(Math.max(...latencies)),
      baseline: `${fmt(period)} (1 period)`,
      ratio: fmt(Math.max(...latencies) / period, 3),
    },
    {
      name: 'pty transit of one frame, median (ms)',
      value: '—',
      baseline: fmt(percentile(base.transit, 50), 2),
      ratio: '—',
    },
    {
      name: 'bus: frames out / in / missed replies / checksum errors',
      value: `${stats.framesOut} / ${stats.framesIn} / ${stats.missedReplies} / ${stats.checksumErrors}`,
      baseline: '—',
      ratio: '—',
    },
  ];
}
