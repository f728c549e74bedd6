import assert from 'node:assert/strict';
import { WireLimit } from '../../../src/master/wire-limit';

describe('WireLimit: edges', () => {
  it('a limit it starts from is sent again: the unit has not shown it yet', () => {
    const w = new WireLimit(17);
    assert.equal(w.needsSetLimit(17), true);
    w.replied(17, 12, true);
    assert.equal(w.needsSetLimit(17), false, 'now it has');
  });

  it('a unit showing less than a fractional limit we sent adds nothing in force', () => {
    const w = new WireLimit();
    w.sent(16.5);
    w.replied(16.4, 10, true);
    assert.equal(w.inForceAmps, 16.5, 'not rounded up to 17');
    w.replied(16.6, 10, true);
    assert.equal(w.inForceAmps, 17, 'showing more than we sent counts, in whole amps');
  });
});
