import assert from 'node:assert/strict';
import { resolveMasterConfig } from '../../../src/master/config';
import { SlaveRecord } from '../../../src/master/slave-record';
import { withSpike } from '../../../src/master/spike';

const config = resolveMasterConfig({ wiringMaxAmpsAllTWCs: 50, wiringMaxAmpsPerTWC: 40, minAmpsPerTWC: 5 });

describe('the spike rule: edges', () => {
  it('a spike being held ends at once when the target drops to 0', () => {
    const s = new SlaveRecord(1, 1, 48, 2, 0);
    s.applyHeartbeat(
      {
        kind: 'slaveHeartbeat',
        sender: 1,
        receiver: 0x7777,
        state: 4,
        limitAmps: 0,
        actualAmps: 0,
        version: 2,
      },
      0,
    );
    assert.equal(withSpike(s, 10, 1000, config), 16, 'a raise to 10 A goes through 16 A');
    assert.equal(withSpike(s, 0, 2000, config), 0, 'stopped 1 s into the hold');
    assert.equal(s.spikeStartedAt, undefined);
    assert.equal(withSpike(s, 10, 2500, config), 16, 'a raise after it starts a new hold');
    assert.equal(s.spikeStartedAt, 2500);
  });
});
