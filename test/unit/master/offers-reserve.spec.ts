import assert from 'node:assert/strict';
import { resolveMasterConfig } from '../../../src/master/config';
import { offerForHeartbeat } from '../../../src/master/offers';
import { SlaveRecord } from '../../../src/master/slave-record';

// Total 40, per unit 32, minimum 6, spike off: a reserve of 10 leaves 30 to share.
const config = resolveMasterConfig({
  wiringMaxAmpsAllTWCs: 40,
  wiringMaxAmpsPerTWC: 32,
  minAmpsPerTWC: 6,
  spikeAmpsToCancel6ALimit: 0,
});
const unit = (id: number): SlaveRecord => {
  const s = new SlaveRecord(id, 1, 80, 2, 0);
  s.applyHeartbeat(
    {
      kind: 'slaveHeartbeat',
      sender: id,
      receiver: 0x7777,
      state: 4,
      limitAmps: 0,
      actualAmps: 0,
      version: 2,
    },
    0,
  );
  return s;
};

describe('offerForHeartbeat: reserves of dropped units', () => {
  it('are taken off the total before it is shared, not only off the room on the wire', () => {
    const a = unit(1);
    const b = unit(2);
    const reserve = [{ id: 9, amps: 10 }];
    assert.equal(offerForHeartbeat(a, [a, b], 100, 0, config, reserve), 15, 'half of 40 − 10');
    assert.equal(offerForHeartbeat(b, [a, b], 100, 0, config, reserve), 15);
  });
});
