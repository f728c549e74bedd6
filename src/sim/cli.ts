import { parseArgs } from 'node:util';
import { SerialPort } from 'serialport';
import { SystemClock } from '../clock';
import { formatHex } from '../protocol';
import type { ProtocolVersion, TwcMessage } from '../protocol/messages';
import { SimulatedBus } from './bus';
import { SimSpecError, simulatedVin, specsFromArgs } from './spec';
import { formatTwcId } from './twc-id';

const USAGE = `Usage: twc-sim --device PATH --slave ID:AMPS [--slave ID:AMPS ...] [--car ID:AMPS ...]
               [--protocol 1|2] [--verbose]

Puts simulated Tesla Wall Connector Gen 2 slaves on a serial device (9600 baud, 8N1).
  --device PATH     serial device, e.g. one end of: socat -d -d pty,raw,echo=0 pty,raw,echo=0
  --slave ID:AMPS   a slave with hexadecimal TWCID and the max amps it advertises (repeatable)
  --car ID:AMPS     a car plugged into that slave, taking at most AMPS (repeatable)
  --protocol 1|2    protocol version of the slaves (default 2)
  --verbose         print every frame in both directions`;

function describe(msg: TwcMessage): string {
  const { kind, ...fields } = msg;
  if (msg.kind === 'unknown') return `unknown ${formatHex(msg.bytes)}`;
  return `${kind} ${JSON.stringify(fields)}`;
}

export function main(argv: string[]): void {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        device: { type: 'string' },
        slave: { type: 'string', multiple: true, default: [] },
        car: { type: 'string', multiple: true, default: [] },
        protocol: { type: 'string', default: '2' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.device) fail('--device is required');
  if (values.protocol !== '1' && values.protocol !== '2') fail('--protocol must be 1 or 2');
  const version = Number(values.protocol) as ProtocolVersion;
  let specs;
  try {
    specs = specsFromArgs(values.slave, values.car);
  } catch (err) {
    if (err instanceof SimSpecError) fail(err.message);
    throw err;
  }
  const clock = new SystemClock();
  const bus = new SimulatedBus(
    specs.map((s) => ({
      id: s.id,
      maxAmps: s.maxAmps,
      version,
      car: s.carAmps > 0 ? { maxAmps: s.carAmps, vin: simulatedVin(s.id) } : undefined,
    })),
    clock,
    { wireTiming: true },
  );
  const device = values.device;
  const port = new SerialPort({
    path: device,
    baudRate: 9600,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    autoOpen: false,
  });
  const log = (line: string): void => {
    if (values.verbose) console.log(`${new Date().toISOString()} ${line}`);
  };
  bus.on('received', (m) => log(`rx ${describe(m)}`));
  bus.on('sent', (m) => log(`tx ${describe(m)}`));
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
    const list = specs.map(
      (s) => `${formatTwcId(s.id)} (${s.maxAmps} A${s.carAmps ? `, car ${s.carAmps} A` : ''})`,
    );
    console.log(`twc-sim: ${list.join(', ')} on ${device}, protocol ${version}`);
    bus.start();
  });
}

function fail(message: string): never {
  console.error(`twc-sim: ${message}\n\n${USAGE}`);
  process.exit(2);
}

if (require.main === module) main(process.argv.slice(2));
