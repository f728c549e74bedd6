import { EventEmitter } from 'node:events';
import type {
  Transport,
  TransportEvents,
  TransportState,
  TransportStatus,
} from '../../src/transport/transport';

/**
 * An in-memory Transport for unit tests of the engine alone: records every write, lets the test inject
 * received bytes and change the connection state. Optionally answers writes through `onWrite`.
 */
export class FakeTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly kind = 'simulator';
  readonly description = 'fake';
  readonly writes: Uint8Array[] = [];
  onWrite: ((bytes: Uint8Array) => void) | undefined;
  private current: TransportStatus = { state: 'closed', detail: 'not opened', reconnects: 0 };
  private opened = 0;

  constructor(private readonly openOnRequest = true) {
    super();
  }

  get status(): TransportStatus {
    return { ...this.current };
  }

  open(): void {
    if (this.openOnRequest) this.setState('open');
  }

  close(): Promise<void> {
    this.setState('closed');
    return Promise.resolve();
  }

  write(bytes: Uint8Array): boolean {
    if (this.current.state !== 'open') return false;
    this.writes.push(bytes);
    this.onWrite?.(bytes);
    return true;
  }

  receive(bytes: Uint8Array | number[]): void {
    this.emit('data', bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes));
  }

  setState(state: TransportState, detail: string = state): void {
    if (state === 'open' && this.opened++ > 0) this.current.reconnects++;
    this.current = { ...this.current, state, detail };
    this.emit('status', this.status);
  }
}
