import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { ManualClock } from '../../../src/clock';
import { TwcMaster } from '../../../src/master/engine';
import { SimulatedBus } from '../../../src/sim/bus';
import { seededRandom } from '../../../src/sim/random';
import type { Transport, TransportEvents, TransportStatus } from '../../../src/transport/transport';
import { WireMonitor } from '../../support/wire-monitor';

/** One simulated bus that outlives the engines on it, as real units outlive a redeploy. */
class SharedBusTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly kind = 'simulator';
  readonly description = 'shared simulated bus';
  private current: TransportStatus = { state: 'closed', detail: 'closed', reconnects: 0 };
  private readonly forward = (chunk: Uint8Array): void => {
    if (this.current.state === 'open') this.emit('data', chunk);
  };

  constructor(private readonly bus: SimulatedBus) {
    super();
  }

  get status(): TransportStatus {
    return { ...this.current };
  }

  open(): void {
    this.bus.on('data', this.forward);
    this.current = { ...this.current, state: 'open', detail: 'open' };
    this.emit('status', this.status);
  }

  close(): Promise<void> {
    this.bus.off('data', this.forward);
    this.current = { ...this.current, state: 'closed', detail: 'closed' };
    this.emit('status', this.status);
    return Promise.resolve();
  }

  write(bytes: Uint8Array): boolean {
    if (this.current.state !== 'open') return false;
    this.bus.write(bytes);
    return true;
  }
}

const LIMITS = { all: 60, per: 40, min: 12 };
const UNITS = [
  { id: 0x4142, maxAmps: 80, car: { maxAmps: 32 } },
  { id: 0x4243, maxAmps: 32, car: { maxAmps: 16 } },
  { id: 0x4344, maxAmps: 48, car: { maxAmps: 48 } },
];

describe('a redeploy: a new engine on a bus whose units still obey the old one', () => {
  it('never puts more than the circuit in force, and links every unit again', async () => {
    const clock = new ManualClock(0);
    const bus = new SimulatedBus(
      UNITS.map((u, i) => ({ ...u, random: seededRandom(i + 1) })),
      clock,
      { wireTiming: true, padByte: 0xfe, random: seededRandom(9) },
    );
    const monitor = new WireMonitor(
      LIMITS,
      (id) => UNITS.find((u) => u.id === id)?.maxAmps,
      () => clock.now(),
    );
    monitor.watch(bus);
    const obeyedBreaches: string[] = [];
    bus.on('received', () => {
      const sum = bus.slaves.reduce((t, s) => t + s.state.offeredAmps, 0);
      if (sum > LIMITS.all) obeyedBreaches.push(`${clock.now()}: units obey ${sum} A`);
    });
    bus.start();
    const config = {
      wiringMaxAmpsAllTWCs: LIMITS.all,
      wiringMaxAmpsPerTWC: LIMITS.per,
      minAmpsPerTWC: LIMITS.min,
    };
    for (let run = 0; run < 5; run++) {
      const master = new TwcMaster({ transport: new SharedBusTransport(bus), clock, config });
      master.setAvailableAmps(80);
      master.start();
      clock.advance(20000);
      assert.equal(master.snapshot().slaves.length, 3, `run ${run}: all three linked`);
      await master.stop();
      clock.advance(50 * run);
    }
    assert.deepEqual(monitor.violations, []);
    assert.deepEqual(obeyedBreaches, []);
    bus.stop();
  });
});
