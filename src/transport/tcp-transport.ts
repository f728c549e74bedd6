import * as net from 'node:net';
import type { Clock } from '../clock';
import {
  ReconnectingTransport,
  errorText,
  type Connection,
  type ConnectionCallbacks,
  type ReconnectOptions,
} from './reconnecting-transport';

export interface TcpTransportOptions extends ReconnectOptions {
  host: string;
  port: number;
  /** How long one connection attempt may take. */
  connectTimeoutMs?: number;
}

/** An RS-485-to-Ethernet gateway in transparent mode: the socket carries the bus bytes both ways. */
export class TcpTransport extends ReconnectingTransport {
  readonly kind = 'tcp';
  readonly description: string;

  constructor(
    private readonly options: TcpTransportOptions,
    clock: Clock,
  ) {
    super(clock, options);
    this.description = `${options.host}:${options.port}`;
  }

  protected connect(callbacks: ConnectionCallbacks): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.options.host, port: this.options.port });
      socket.setNoDelay(true);
      let opened = false;
      const timeout = setTimeout(() => {
        socket.destroy();
        reject(new Error(`cannot connect to ${this.description}: timed out`));
      }, this.options.connectTimeoutMs ?? 5000);
      socket.on('error', (err) => {
        if (opened) callbacks.onLost(`${this.description}: ${errorText(err)}`);
        else {
          clearTimeout(timeout);
          reject(new Error(`cannot connect to ${this.description}: ${errorText(err)}`));
        }
      });
      socket.on('close', () => {
        if (opened) callbacks.onLost(`${this.description} closed the connection`);
      });
      socket.on('data', (chunk) => callbacks.onData(chunk));
      socket.once('connect', () => {
        clearTimeout(timeout);
        opened = true;
        resolve({
          write: (bytes) => {
            socket.write(bytes);
          },
          destroy: () => {
            opened = false;
            return new Promise<void>((done) => {
              if (socket.destroyed) {
                done();
                return;
              }
              socket.once('close', () => done());
              socket.destroy();
            });
          },
        });
      });
    });
  }
}
