import assert from 'node:assert/strict';
import { allocateAmps, safeWireOffer } from '../../../src/master/allocation';

describe('allocation: edges the invariants leave open', () => {
  it('a slave with no minimum is not served: its share goes to the others', () => {
    const offers = allocateAmps(
      [
        { id: 1, capAmps: 10, minAmps: 0, wantsPower: true, charging: true },
        { id: 2, capAmps: 20, minAmps: 6, wantsPower: true, charging: false },
      ],
      17,
      { wiringMaxAmpsAllTWCs: 30 },
    );
    assert.deepEqual(
      [...offers],
      [
        [1, 0],
        [2, 17],
      ],
    );
  });

  it('a wish that is not a finite number gives 0, never the previous offer', () => {
    const limits = { wiringMaxAmpsAllTWCs: 60 };
    const a = { id: 1, capAmps: 40, minAmps: 12, offeredAmps: 20 };
    const b = { id: 2, capAmps: 32, minAmps: 12, offeredAmps: 20.5 };
    for (const wanted of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      assert.equal(safeWireOffer(b, wanted, [a], limits), 0, String(wanted));
    }
    assert.equal(safeWireOffer(b, 27.5, [a], limits), 27, 'a finite wish is cut to whole amps');
  });
});
