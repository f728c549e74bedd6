import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../clock';
import type { Transport, TransportEvents, TransportState, TransportStatus } from './transport';

export interface ReconnectOptions {
  /** First wait after a failure; doubles on each further failure. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** What a concrete connection (a serial port, a socket) must offer to the shared reconnect logic. */
export interface Connection {
  write(bytes: Uint8Array): void;
  /** Releases the connection; resolves when the OS resource is free. */
  destroy(): Promise<void>;
}

export interface ConnectionCallbacks {
  onData(chunk: Uint8Array): void;
  /** The connection ended or failed after it was open. */
  onLost(reason: string): void;
}

/**
 * The reconnect-with-back-off behaviour shared by the serial and TCP transports: one attempt at a time,
 * a status event on every change, and a close() that cancels any pending attempt.
 */
export abstract class ReconnectingTransport extends EventEmitter<TransportEvents> implements Transport {
  abstract readonly kind: 'serial' | 'tcp';
  abstract readonly description: string;

  private current: TransportStatus = { state: 'closed', detail: 'not opened', reconnects: 0 };
  private connection: Connection | undefined;
  private retryTimer: TimerHandle | undefined;
  private delayMs: number;
  private opens = 0;
  private wanted = false;
  private generation = 0;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;

  protected constructor(
    protected readonly clock: Clock,
    options: ReconnectOptions = {},
  ) {
    super();
    this.initialDelayMs = options.initialDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 15000;
    this.delayMs = this.initialDelayMs;
  }

  /** Opens the underlying resource; rejects with a message a user can act on. */
  protected abstract connect(callbacks: ConnectionCallbacks): Promise<Connection>;

  get status(): TransportStatus {
    return { ...this.current };
  }

  open(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.attempt();
  }

  async close(): Promise<void> {
    this.wanted = false;
    this.generation++;
    this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const connection = this.connection;
    this.connection = undefined;
    if (connection) await connection.destroy();
    this.setStatus('closed', 'closed');
  }

  write(bytes: Uint8Array): boolean {
    if (!this.connection || this.current.state !== 'open') return false;
    try {
      this.connection.write(bytes);
      return true;
    } catch (err) {
      this.lost(this.generation, errorText(err));
      return false;
    }
  }

  private attempt(): void {
    if (!this.wanted) return;
    const generation = ++this.generation;
    this.setStatus('connecting', `opening ${this.description}`);
    this.connect({
      onData: (chunk) => {
        if (generation === this.generation) this.emit('data', chunk);
      },
      onLost: (reason) => this.lost(generation, reason),
    }).then(
      (connection) => {
        if (generation !== this.generation || !this.wanted) {
          void connection.destroy();
          return;
        }
        this.connection = connection;
        this.delayMs = this.initialDelayMs;
        if (this.opens++ > 0) this.current.reconnects++;
        this.setStatus('open', this.description);
      },
      (err: unknown) => {
        if (generation === this.generation) this.retryLater(errorText(err));
      },
    );
  }

  private lost(generation: number, reason: string): void {
    if (generation !== this.generation || !this.wanted) return;
    const connection = this.connection;
    this.connection = undefined;
    this.generation++;
    const retry = (): void => this.retryLater(reason);
    if (connection) connection.destroy().then(retry, retry);
    else retry();
  }

  private retryLater(reason: string): void {
    if (!this.wanted) return;
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.maxDelayMs);
    this.setStatus('waiting', reason);
    this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      this.attempt();
    }, delay);
  }

  private setStatus(state: TransportState, detail: string): void {
    if (this.current.state === state && this.current.detail === detail) return;
    this.current = { ...this.current, state, detail };
    this.emit('status', this.status);
  }
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
