import { EventEmitter } from 'node:events';
import type { Clock } from '../clock';
import { SimulatedBus } from '../sim/bus';
import { simulatedVin, type SlaveSpec } from '../sim/spec';
import type { Transport, TransportEvents, TransportStatus } from './transport';

/** The built-in simulator as a transport: simulated slaves in this process, no hardware needed. */
export class SimulatorTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly kind = 'simulator';
  readonly description: string;
  readonly bus: SimulatedBus;
  private current: TransportStatus = { state: 'closed', detail: 'not opened', reconnects: 0 };

  constructor(specs: SlaveSpec[], clock: Clock) {
    super();
    this.bus = new SimulatedBus(
      specs.map((s) => ({
        id: s.id,
        maxAmps: s.maxAmps,
        car: s.carAmps > 0 ? { maxAmps: s.carAmps, vin: simulatedVin(s.id) } : undefined,
      })),
      clock,
    );
    this.description = `simulator (${specs.length} Wall Connector${specs.length === 1 ? '' : 's'})`;
    this.bus.on('data', (chunk) => this.emit('data', chunk));
  }

  get status(): TransportStatus {
    return { ...this.current };
  }

  open(): void {
    if (this.current.state === 'open') return;
    this.bus.start();
    this.setStatus({ state: 'open', detail: this.description });
  }

  close(): Promise<void> {
    this.bus.stop();
    this.setStatus({ state: 'closed', detail: 'closed' });
    return Promise.resolve();
  }

  write(bytes: Uint8Array): boolean {
    if (this.current.state !== 'open') return false;
    this.bus.write(bytes);
    return true;
  }

  private setStatus(s: Omit<TransportStatus, 'reconnects'>): void {
    this.current = { ...this.current, ...s };
    this.emit('status', this.status);
  }
}
