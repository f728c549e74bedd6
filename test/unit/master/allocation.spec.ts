import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  allocateAmps,
  safeWireOffer,
  type AllocationSlave,
  type WireSlave,
} from '../../../src/master/allocation';

const slaveArb = (id: number): fc.Arbitrary<AllocationSlave> =>
  fc.record({
    id: fc.constant(id),
    capAmps: fc.integer({ min: 0, max: 80 }),
    minAmps: fc.integer({ min: 1, max: 32 }),
    wantsPower: fc.boolean(),
    charging: fc.boolean(),
  });

const slavesArb = fc
  .integer({ min: 0, max: 3 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => slaveArb(i + 1))));
const availableArb = fc.oneof(
  fc.integer({ min: -20, max: 200 }),
  fc.double({ min: -50, max: 300, noNaN: false }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
);

describe('allocateAmps', () => {
  it('keeps the three invariants and never offers to a slave that does not want power', () => {
    fc.assert(
      fc.property(
        slavesArb,
        availableArb,
        fc.integer({ min: 1, max: 200 }),
        (slaves, available, wiringMax) => {
          const offers = allocateAmps(slaves, available, { wiringMaxAmpsAllTWCs: wiringMax });
          let sum = 0;
          for (const s of slaves) {
            const o = offers.get(s.id);
            assert.ok(o !== undefined, 'every slave gets an answer');
            assert.ok(Number.isInteger(o), `whole amps, got ${o}`);
            assert.ok(o === 0 || o >= s.minAmps, `0 or at least the minimum, got ${o} < ${s.minAmps}`);
            assert.ok(o <= s.capAmps, `not above the cap, got ${o} > ${s.capAmps}`);
            if (!s.wantsPower) assert.equal(o, 0);
            sum += o;
          }
          assert.ok(sum <= wiringMax, `sum ${sum} above wiring limit ${wiringMax}`);
          const budget = Number.isFinite(available) ? Math.max(0, Math.floor(available)) : 0;
          assert.ok(sum <= budget, `sum ${sum} above available ${available}`);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('leaves no amps unused that a waiting slave could take', () => {
    fc.assert(
      fc.property(
        slavesArb,
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 200 }),
        (slaves, available, wiringMax) => {
          const offers = allocateAmps(slaves, available, { wiringMaxAmpsAllTWCs: wiringMax });
          const budget = Math.min(available, wiringMax);
          const sum = [...offers.values()].reduce((a, b) => a + b, 0);
          const left = budget - sum;
          for (const s of slaves) {
            const o = offers.get(s.id) ?? 0;
            if (o > 0 && left > 0)
              assert.equal(o, s.capAmps, 'amps left over while a served slave is below its cap');
            if (o === 0 && s.wantsPower && s.capAmps >= s.minAmps) {
              assert.ok(
                left < s.minAmps,
                `slave ${s.id} left out with ${left} A spare and minimum ${s.minAmps}`,
              );
            }
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('shares equally, whole amps, and serves charging cars first', () => {
    const a = { id: 1, capAmps: 32, minAmps: 12, wantsPower: true, charging: false };
    const b = { id: 2, capAmps: 32, minAmps: 12, wantsPower: true, charging: true };
    assert.deepEqual(
      [...allocateAmps([a, b], 40, { wiringMaxAmpsAllTWCs: 80 })],
      [
        [1, 20],
        [2, 20],
      ],
    );
    assert.deepEqual([...allocateAmps([a, b], 41, { wiringMaxAmpsAllTWCs: 80 })].sort(), [
      [1, 21],
      [2, 20],
    ]);
    // Only room for one minimum: the charging car keeps it.
    assert.deepEqual([...allocateAmps([a, b], 20, { wiringMaxAmpsAllTWCs: 80 })].sort(), [
      [1, 0],
      [2, 20],
    ]);
    // Caps send the surplus to the other slave.
    const small = { id: 3, capAmps: 16, minAmps: 12, wantsPower: true, charging: false };
    assert.deepEqual([...allocateAmps([small, a], 60, { wiringMaxAmpsAllTWCs: 80 })].sort(), [
      [1, 32],
      [3, 16],
    ]);
    // Wiring limit below what the policy offers.
    assert.deepEqual([...allocateAmps([a], 80, { wiringMaxAmpsAllTWCs: 25 })], [[1, 25]]);
  });
});

describe('safeWireOffer', () => {
  const wireArb = (id: number): fc.Arbitrary<WireSlave> =>
    fc
      .record({ capAmps: fc.integer({ min: 0, max: 80 }), minAmps: fc.integer({ min: 1, max: 20 }) })
      .map((r) => ({ id, ...r, offeredAmps: 0 }));

  it('keeps the wire within the limits at every instant while offers move between slaves', () => {
    fc.assert(
      fc.property(
        fc.tuple(wireArb(1), wireArb(2), wireArb(3)),
        fc.integer({ min: 1, max: 150 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: -5, max: 100 })), {
          maxLength: 60,
        }),
        (slaves, wiringMax, steps) => {
          const limits = { wiringMaxAmpsAllTWCs: wiringMax };
          for (const [index, wanted] of steps) {
            const slave = slaves[index];
            const others = slaves.filter((s) => s !== slave);
            slave.offeredAmps = safeWireOffer(slave, wanted, others, limits);
            const sum = slaves.reduce((t, s) => t + s.offeredAmps, 0);
            assert.ok(sum <= wiringMax, `wire sum ${sum} > ${wiringMax}`);
            for (const s of slaves) {
              assert.ok(s.offeredAmps === 0 || s.offeredAmps >= s.minAmps);
              assert.ok(s.offeredAmps <= s.capAmps);
              assert.ok(Number.isInteger(s.offeredAmps));
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('lowers at once and raises only as far as the others leave room', () => {
    const limits = { wiringMaxAmpsAllTWCs: 60 };
    const a = { id: 1, capAmps: 40, minAmps: 12, offeredAmps: 40 };
    const b = { id: 2, capAmps: 40, minAmps: 12, offeredAmps: 20 };
    assert.equal(safeWireOffer(b, 40, [a], limits), 20, 'b keeps 20 until a comes down');
    assert.equal(safeWireOffer(a, 20, [b], limits), 20, 'a comes down at once');
    a.offeredAmps = 20;
    assert.equal(safeWireOffer(b, 40, [a], limits), 40);
    assert.equal(safeWireOffer(b, 8, [a], limits), 0, 'below the minimum means 0');
  });
});
