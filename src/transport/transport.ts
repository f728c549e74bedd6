import type { EventEmitter } from 'node:events';

export type TransportState = 'closed' | 'connecting' | 'open' | 'waiting';

export interface TransportStatus {
  state: TransportState;
  /** Why the transport is not open (the last error), or what it is connected to. */
  detail: string;
  /** Successful opens after the first one. */
  reconnects: number;
}

export interface TransportEvents {
  data: [chunk: Uint8Array];
  status: [status: TransportStatus];
}

/**
 * Bytes reach the engine only through a Transport. Implementations reconnect by themselves; a missing
 * device or an unreachable gateway is a reported state, never an exception.
 */
export interface Transport extends EventEmitter<TransportEvents> {
  readonly kind: 'serial' | 'tcp' | 'simulator';
  /** Human-readable target, e.g. "/dev/ttyUSB0 @ 9600" or "192.168.1.50:8899". */
  readonly description: string;
  readonly status: TransportStatus;
  /** Starts connecting; keeps reconnecting with back-off until close(). */
  open(): void;
  /** Stops reconnecting and releases the device; resolves once it is released. */
  close(): Promise<void>;
  /** Queues bytes for the wire; false when not open (the bytes are dropped). */
  write(bytes: Uint8Array): boolean;
}
