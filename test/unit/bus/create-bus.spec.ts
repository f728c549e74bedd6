import assert from 'node:assert/strict';
import { createBus, HISTORY_SAMPLE_MS } from '../../../src/bus/create-bus';
import { parseMasterSettings } from '../../../src/bus/settings';
import { ManualClock } from '../../../src/clock';
import { SLOT_MS } from '../../../src/history/charge-history';

/** Mon 23 Nov 2026, 23:00 local: outside daylight, so only the settings decide the policy. */
const T0 = new Date(2026, 10, 23, 23, 0).getTime();

/** One simulated 80 A Wall Connector with a 32 A car, reporting 240 V; 230 V configured. */
function bus() {
  const clock = new ManualClock();
  const settings = parseMasterSettings({
    transport: 'simulator',
    simulatedSlaves: '4142:80:32',
    wiringMaxAmpsAllTWCs: 80,
    wiringMaxAmpsPerTWC: 80,
    minAmpsPerTWC: 12,
    defaultVoltage: 230,
  });
  const b = createBus(settings, clock, { wallClock: () => T0 + clock.now() });
  const changes: string[] = [];
  return { clock, b, changes, onChange: () => changes.push('change') };
}

describe('createBus', () => {
  it('starts nothing until start(), and the engine follows the restored policy from its first offer', () => {
    const { clock, b, onChange } = bus();
    clock.advance(10_000);
    assert.equal(b.engine.snapshot().transport.state, 'closed', 'no bus traffic before start()');
    const end = (T0 + 10_000) / 1000 + 3600;
    b.start({ policy: { chargeNowAmps: 20, chargeNowTimeEnd: end } }, onChange);
    assert.equal(b.engine.snapshot().transport.state, 'open');
    assert.equal(b.policy.active().name, 'Charge Now');
    assert.equal(b.engine.availableAmps(), 20);
    clock.advance(30_000);
    const [slave] = b.engine.slaveSnapshots();
    assert.equal(slave?.TWCID, '4142');
    assert.equal(slave.lastAmpsOffered, 20);
  });

  it('turns watts into amps with the voltage the slaves report, not the configured one', () => {
    const { clock, b, onChange } = bus();
    b.start({}, onChange);
    b.policy.setSetting('nonScheduledAction', 3);
    b.policy.setGreenEnergy(4800, 0);
    // The engine asks at every heartbeat, so the green start delay runs out on its own.
    clock.advance(120_000);
    assert.equal(b.engine.slaveSnapshots()[0].voltsPhaseA, 240, 'the slave reported its voltage');
    assert.equal(b.policy.availableAmps(), 20, '4800 W at the reported 240 V (20.87 A at 230 V)');
  });

  it('samples the charger power into the history and reports each closed slot', () => {
    const { clock, b, changes, onChange } = bus();
    b.start({}, onChange);
    b.engine.setAvailableAmps(32);
    clock.advance(SLOT_MS + HISTORY_SAMPLE_MS);
    assert.ok(changes.length >= 1, 'a closed slot is worth saving');
    const drawn = b.history.entries(T0 + clock.now()).some((e) => e.charger_power > 0);
    assert.ok(drawn, 'the car’s draw is in the history');
  });

  it('samples generation and consumption as getStatus shows them, offsets applied', () => {
    const { clock, b, onChange } = bus();
    b.start({}, onChange);
    b.policy.setGreenEnergy(4000, 1000);
    b.policy.setOffset('heater', 500, 'W');
    clock.advance(HISTORY_SAMPLE_MS);
    const last = b.history.entries(T0 + clock.now()).at(-1)!;
    assert.deepEqual([last.generation_power, last.consumption_power], [4000, 1500]);
  });

  it('passes policy changes on, and stop() ends the sampler, the engine and any later start()', async () => {
    const { clock, b, changes, onChange } = bus();
    b.start({}, onChange);
    b.policy.chargeNow(16, 60);
    assert.deepEqual(changes, ['change']);
    await b.stop();
    assert.equal(b.engine.snapshot().transport.state, 'closed');
    assert.equal(clock.pending, 0, 'no timer left behind');
    b.start({}, onChange);
    assert.equal(b.engine.snapshot().transport.state, 'closed', 'a stopped bus stays stopped');
  });
});
