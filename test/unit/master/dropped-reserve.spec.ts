import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/clock';
import { TwcMaster } from '../../../src/master/engine';
import { DROPPED_RESERVE_MS } from '../../../src/master/slave-registry';
import { FakeTransport } from '../../support/fake-transport';
import { ScriptedSlaves } from './scripted-slaves';

describe('a slave that falls silent keeps its amps reserved after it is dropped', () => {
  function setup() {
    const clock = new ManualClock(0);
    const transport = new FakeTransport();
    const bus = new ScriptedSlaves(transport, clock);
    const master = new TwcMaster({
      transport,
      clock,
      config: {
        wiringMaxAmpsAllTWCs: 60,
        wiringMaxAmpsPerTWC: 48,
        minAmpsPerTWC: 12,
        slaveTimeoutMs: 26000,
        spikeAmpsToCancel6ALimit: 0,
      },
    });
    bus.add(0x4142, { maxAmps: 80, state: 1, actual: 30 });
    bus.add(0x4243, { maxAmps: 80, state: 1, actual: 30 });
    master.setAvailableAmps(60);
    master.start();
    clock.advance(1100);
    bus.linkReady(0x4142);
    bus.linkReady(0x4243);
    clock.advance(4000);
    const offer = (id: number) => master.snapshot().slaves.find((s) => s.id === id)?.lastAmpsOffered;
    return { clock, bus, master, offer };
  }

  it('gives the silent unit’s amps to nobody until the car has surely stopped', () => {
    const { clock, bus, master, offer } = setup();
    assert.deepEqual([offer(0x4142), offer(0x4243)], [30, 30]);
    bus.slaves.get(0x4243)!.silent = true;
    clock.advance(27000);
    assert.equal(master.snapshot().slaves.length, 1, 'dropped after the timeout');
    // The silent unit may still hear us and draw 30 A for a while: 4142 stays at 30.
    clock.advance(DROPPED_RESERVE_MS - 3000);
    assert.equal(offer(0x4142), 30);
    clock.advance(5000);
    assert.equal(offer(0x4142), 48, 'after the reserve, the amps move on (up to the per-TWC wiring)');
  });

  it('a unit that links again starts from what it was last offered', () => {
    const { clock, bus, master, offer } = setup();
    bus.slaves.get(0x4243)!.silent = true;
    clock.advance(27000);
    bus.slaves.get(0x4243)!.silent = false;
    bus.linkReady(0x4243);
    clock.advance(50);
    assert.equal(master.snapshot().slaves.length, 2);
    // Whatever the heartbeats do next, the two offers never add up to more than the circuit.
    for (let i = 0; i < 40; i++) {
      clock.advance(250);
      const a = offer(0x4142) ?? 0;
      const b = offer(0x4243) ?? 0;
      assert.ok(a + b <= 60, `${a} + ${b}`);
    }
    assert.deepEqual([offer(0x4142), offer(0x4243)], [30, 30]);
  });
});
