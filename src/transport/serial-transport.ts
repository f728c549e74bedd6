import type { Clock } from '../clock';
import { SERIAL_LINE } from '../protocol/tables';
import {
  ReconnectingTransport,
  errorText,
  type Connection,
  type ConnectionCallbacks,
  type ReconnectOptions,
} from './reconnecting-transport';
import { serialPortClass } from './serialport';

export interface SerialTransportOptions extends ReconnectOptions {
  path: string;
  baudRate?: number;
}

/** RS-485 through a serial adapter: 8N1 (docs/protocol.md §1), reopened with back-off when it vanishes. */
export class SerialTransport extends ReconnectingTransport {
  readonly kind = 'serial';
  readonly description: string;
  private readonly path: string;
  private readonly baudRate: number;

  constructor(options: SerialTransportOptions, clock: Clock) {
    super(clock, options);
    this.path = options.path;
    this.baudRate = options.baudRate ?? SERIAL_LINE.baudRate;
    this.description = `${this.path} @ ${this.baudRate}`;
  }

  protected connect(callbacks: ConnectionCallbacks): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const SerialPort = serialPortClass();
      const port = new SerialPort({
        ...SERIAL_LINE,
        path: this.path,
        baudRate: this.baudRate,
        autoOpen: false,
      });
      let opened = false;
      // Without an 'error' listener an I/O error on a vanished device would be thrown by the emitter.
      port.on('error', (err) => {
        if (opened) callbacks.onLost(`${this.path}: ${errorText(err)}`);
      });
      port.on('close', () => {
        if (opened) callbacks.onLost(`${this.path} closed`);
      });
      port.on('data', (chunk: Buffer) => callbacks.onData(chunk));
      port.open((err) => {
        if (err) {
          reject(new Error(`cannot open ${this.path}: ${errorText(err)}`));
          return;
        }
        opened = true;
        resolve({
          write: (bytes) => {
            port.write(Buffer.from(bytes));
          },
          destroy: () => {
            opened = false;
            return new Promise<void>((done) => {
              if (!port.isOpen) {
                done();
                return;
              }
              port.close(() => done());
            });
          },
        });
      });
    });
  }
}
