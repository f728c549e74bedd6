import { SerialPort } from 'serialport';
import { SystemClock } from '../../src/clock';
import { SimulatedBus, type SimulatedBusOptions } from '../../src/sim/bus';
import type { SimulatedSlaveOptions } from '../../src/sim/slave';

/**
 * Simulated slaves in the test process on one end of a pty, through the real serialport binding, with a
 * hook to put bytes on the wire between the slaves' frames (garbage, noise).
 */
export interface SerialSim {
  bus: SimulatedBus;
  /** Writes `bytes` on the wire after the frames already queued, never inside one. */
  inject(bytes: Uint8Array): Promise<void>;
  /** Every chunk the other end put on the wire, as it arrived: a bus capture. */
  readonly heard: { at: number; bytes: Buffer }[];
  close(): Promise<void>;
}

export async function attachSerialSim(
  path: string,
  slaves: SimulatedSlaveOptions[],
  options: SimulatedBusOptions = {},
): Promise<SerialSim> {
  const bus = new SimulatedBus(slaves, new SystemClock(), { wireTiming: true, padByte: 0xfe, ...options });
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  port.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const write = (bytes: Uint8Array): Promise<void> =>
    new Promise((resolve) => {
      port.write(Buffer.from(bytes));
      port.drain(() => resolve());
    });
  bus.on('data', (frame) => void write(frame));
  const heard: { at: number; bytes: Buffer }[] = [];
  port.on('data', (chunk: Buffer) => {
    heard.push({ at: Date.now(), bytes: chunk });
    bus.write(chunk);
  });
  bus.start();
  return {
    bus,
    inject: write,
    heard,
    close: () =>
      new Promise<void>((resolve) => {
        bus.stop();
        if (port.isOpen) port.close(() => resolve());
        else resolve();
      }),
  };
}
