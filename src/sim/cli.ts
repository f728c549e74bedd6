import { SerialPort } from 'serialport';
import { SystemClock } from '../clock';
import { formatHex } from '../protocol';
import type { TwcMessage } from '../protocol/messages';
import { formatTwcId } from '../protocol/twcid';
import { SERIAL_LINE } from '../protocol/tables';
import { SimulatedBus } from './bus';
import type { BusFaults } from './bus-faults';
import { parseCliArgs, USAGE, type SimConfig, type SimUnit } from './cli-args';
import { seededRandom } from './random';
import { SimSpecError, simulatedVin } from './spec';

/** One frame as --verbose prints it, TWCIDs in their four-digit form. */
export function describeMessage(msg: TwcMessage): string {
  const { kind, ...fields } = msg;
  if (msg.kind === 'unknown') return `unknown ${formatHex(msg.bytes)}`;
  const ids = (key: string, value: unknown) =>
    (key === 'sender' || key === 'receiver') && typeof value === 'number' ? formatTwcId(value) : value;
  return `${kind} ${JSON.stringify(fields, ids)}`;
}

/** One unit as the start-up line lists it. */
export function describeUnit(u: SimUnit): string {
  const faults = Object.entries(u.faults).map(([k, v]) => (v === true ? k : `${k} ${v}`));
  const extras = [...(u.carAmps ? [`car ${u.carAmps} A`] : []), ...faults];
  return `${formatTwcId(u.id)}${u.duplicate ? ' duplicate' : ''} (${u.maxAmps} A${extras.map((e) => `, ${e}`).join('')})`;
}

/** The bus faults as the start-up line lists them. */
export function describeBus(bus: BusFaults): string[] {
  const { linkReadyFlood: flood, noise, absurdFrames, secondMaster } = bus;
  return [
    ...(flood
      ? [
          `link-ready flood ${flood.perSecond}/s from ${flood.ids === 'random' || !flood.ids ? 'random IDs' : flood.ids.map(formatTwcId).join(',')}`,
        ]
      : []),
    ...(noise ? [`noise ${noise.bytesPerSecond} B/s`] : []),
    ...(absurdFrames ? [`absurd frames ${absurdFrames.perSecond}/s`] : []),
    ...(secondMaster ? [`second master ${formatTwcId(secondMaster.id)} at ${secondMaster.perSecond}/s`] : []),
  ];
}

/** The bus for a configuration; every random choice comes from the one seed, so a run can be repeated. */
export function busFor(config: SimConfig): SimulatedBus {
  const root = seededRandom(config.seed);
  const next = () => seededRandom(Math.floor(root() * 0x100000000));
  return new SimulatedBus(
    config.units.map((u) => ({
      id: u.id,
      maxAmps: u.maxAmps,
      version: config.version,
      // The duplicate's VIN differs from the original's, as a second car's would.
      car:
        u.carAmps > 0
          ? { maxAmps: u.carAmps, vin: simulatedVin(u.duplicate ? u.id ^ 0x8000 : u.id) }
          : undefined,
      faults: u.faults,
      random: next(),
    })),
    new SystemClock(),
    { wireTiming: true, ...config.bus, random: next() },
  );
}

export function main(argv: string[]): void {
  let config: SimConfig;
  try {
    const request = parseCliArgs(argv, () => Math.floor(Math.random() * 0x100000000));
    if (request.help) {
      console.log(USAGE);
      return;
    }
    config = request.config;
  } catch (err) {
    if (err instanceof SimSpecError) fail(err.message);
    throw err;
  }
  const bus = busFor(config);
  const { device, version } = config;
  const port = new SerialPort({ ...SERIAL_LINE, path: device, autoOpen: false });
  const log = (line: string): void => {
    if (config.verbose) console.log(`${new Date().toISOString()} ${line}`);
  };
  bus.on('received', (m) => log(`rx ${describeMessage(m)}`));
  bus.on('sent', (m) => log(`tx ${describeMessage(m)}`));
  bus.on('injected', (m, fault) => log(`tx ${fault} ${describeMessage(m)}`));
  bus.on('data', (frame) => port.write(Buffer.from(frame)));
  port.on('data', (chunk: Buffer) => bus.write(chunk));
  port.on('error', (err) => {
    console.error(`twc-sim: ${device}: ${err.message}`);
    shutdown(1);
  });
  port.on('close', () => shutdown(0));
  const shutdown = (code: number): void => {
    bus.stop();
    if (port.isOpen) port.close(() => process.exit(code));
    else process.exit(code);
  };
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  port.open((err) => {
    if (err) {
      console.error(`twc-sim: cannot open ${device}: ${err.message}`);
      process.exit(1);
    }
    const busFaults = describeBus(config.bus);
    console.log(
      `twc-sim: ${config.units.map(describeUnit).join(', ')} on ${device}, protocol ${version}, seed ${config.seed}` +
        (busFaults.length > 0 ? `; bus faults: ${busFaults.join(', ')}` : ''),
    );
    bus.start();
  });
}

function fail(message: string): never {
  console.error(`twc-sim: ${message}\n\n${USAGE}`);
  process.exit(2);
}

if (require.main === module) main(process.argv.slice(2));
