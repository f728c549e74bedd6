import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ManualClock } from '../../../src/clock';
import { TwcMaster } from '../../../src/master/engine';
import { ChargePolicy, PolicyInputError } from '../../../src/policy/charge-policy';
import { FakeTransport } from '../../support/fake-transport';
import { ScriptedSlaves } from '../master/scripted-slaves';

type Op =
  | { op: 'chargeNow'; rate: number; duration: number }
  | { op: 'cancel' }
  | { op: 'green'; generationW: number; consumptionW: number }
  | { op: 'offset'; value: number; unit: 'A' | 'W' }
  | { op: 'schedule'; enabled: boolean; start: number; end: number; amps: number }
  | { op: 'setting'; key: 'nonScheduledAmpsMax' | 'nonScheduledAction'; value: number }
  | { op: 'wait'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('chargeNow' as const),
    rate: fc.integer({ min: -5, max: 120 }),
    duration: fc.integer({ min: -5, max: 7200 }),
  }),
  fc.record({ op: fc.constant('cancel' as const) }),
  fc.record({
    op: fc.constant('green' as const),
    generationW: fc.integer({ min: -100, max: 25000 }),
    consumptionW: fc.integer({ min: 0, max: 8000 }),
  }),
  fc.record({
    op: fc.constant('offset' as const),
    value: fc.integer({ min: -8000, max: 8000 }),
    unit: fc.constantFrom('A' as const, 'W' as const),
  }),
  fc.record({
    op: fc.constant('schedule' as const),
    enabled: fc.boolean(),
    start: fc.integer({ min: -1, max: 1440 }),
    end: fc.integer({ min: -1, max: 1440 }),
    amps: fc.integer({ min: 0, max: 100 }),
  }),
  fc.record({
    op: fc.constant('setting' as const),
    key: fc.constantFrom('nonScheduledAmpsMax' as const, 'nonScheduledAction' as const),
    value: fc.integer({ min: -2, max: 90 }),
  }),
  fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 3_600_000 }) }),
);

describe('policies driving the engine (fast-check)', function () {
  this.timeout(120000);

  it('whatever the inputs, the offers keep the invariants and follow the policy at the next heartbeat', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 6, max: 80 }),
        fc.integer({ min: 6, max: 32 }),
        fc.integer({ min: 0, max: 6 * 24 }),
        fc.array(opArb, { minLength: 1, maxLength: 25 }),
        (wiringAll, wiringPer, minAmps, startHours, ops) => {
          fc.pre(minAmps <= wiringPer);
          const clock = new ManualClock(0);
          // Wall-clock time moves with the engine's clock, from a random hour of a random day; long waits
          // jump it ahead (charge-now ends, schedules open and close) without hours of simulated heartbeats.
          const wall = { offset: new Date(2026, 10, 23, 0, 0).getTime() + startHours * 3_600_000 };
          const policy = new ChargePolicy({}, { wallClock: () => wall.offset + clock.now(), minAmps });
          const transport = new FakeTransport();
          const bus = new ScriptedSlaves(transport, clock);
          const master = new TwcMaster({
            transport,
            clock,
            policy,
            config: {
              wiringMaxAmpsAllTWCs: wiringAll,
              wiringMaxAmpsPerTWC: wiringPer,
              minAmpsPerTWC: minAmps,
              spikeAmpsToCancel6ALimit: 0,
            },
          });
          // The engine calls its listeners inside its own try/catch (a throw there becomes a warning), so
          // the listener only records what was on the wire; the assertions come after the run.
          const sent: { offers: number[]; caps: number[] }[] = [];
          const warnings: string[] = [];
          master.on('tx', (msg) => {
            if (msg.kind !== 'masterHeartbeat') return;
            const slaves = master.snapshot().slaves;
            sent.push({
              offers: slaves.map((s) => s.lastAmpsOffered),
              caps: slaves.map((s) => Math.min(wiringPer, s.maxAmps)),
            });
          });
          master.on('warning', (w) => warnings.push(`${w.code}: ${w.message}`));
          bus.add(0x4142, { maxAmps: 80, state: 1, actual: 10 });
          bus.add(0x4243, { maxAmps: 32, state: 1, actual: 10 });
          master.start();
          clock.advance(1100);
          bus.linkReady(0x4142);
          bus.linkReady(0x4243);
          clock.advance(3000);
          for (const op of ops) {
            try {
              switch (op.op) {
                case 'chargeNow':
                  policy.chargeNow(op.rate, op.duration);
                  break;
                case 'cancel':
                  policy.cancelChargeNow();
                  break;
                case 'green':
                  policy.setGreenEnergy(op.generationW, op.consumptionW);
                  break;
                case 'offset':
                  policy.setOffset('x', op.value, op.unit);
                  break;
                case 'schedule':
                  policy.setSchedule({
                    enabled: op.enabled,
                    startingMinute: op.start,
                    endingMinute: op.end,
                    amps: op.amps,
                  });
                  break;
                case 'setting':
                  policy.setSetting(op.key, op.value);
                  break;
                case 'wait':
                  wall.offset += op.ms;
                  break;
              }
            } catch (err) {
              if (!(err instanceof PolicyInputError)) throw err;
            }
            // A heartbeat round later the wire follows the policy. The policy may also have changed by
            // itself during that round (a charge-now ending, a schedule opening): then a slave heartbeated
            // just before the change still holds the earlier amps, so either value is allowed.
            clock.advance(1000);
            const earlier = policy.availableAmps();
            clock.advance(1100);
            const latest = policy.availableAmps();
            const allowed = Math.min(Math.max(earlier, latest), wiringAll);
            const offers = master.snapshot().slaves.map((s) => s.lastAmpsSent);
            const sum = offers.reduce((a, b) => a + b, 0);
            assert.ok(sum <= allowed + 1e-9, `offers ${offers.join('+')} above the policy's ${allowed} A`);
            if (allowed < minAmps) assert.equal(sum, 0, `offers ${offers.join('+')} with only ${allowed} A`);
          }
          assert.ok(sent.length > ops.length, `only ${sent.length} heartbeats seen`);
          for (const { offers, caps } of sent) {
            offers.forEach((offer, i) => {
              assert.ok(offer === 0 || offer >= minAmps, `offer ${offer} below the minimum ${minAmps}`);
              assert.ok(offer <= caps[i], `offer ${offer} above the cap ${caps[i]}`);
            });
            const sum = offers.reduce((a, b) => a + b, 0);
            assert.ok(sum <= wiringAll, `offers ${offers.join('+')} above ${wiringAll}`);
          }
          assert.deepEqual(
            warnings.filter((w) => w.startsWith('internalError')),
            [],
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
