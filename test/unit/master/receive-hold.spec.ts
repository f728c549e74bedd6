import assert from 'node:assert/strict';
import { ReceiveHold } from '../../../src/master/receive-hold';

describe('ReceiveHold: waiting for a frame that may be arriving', () => {
  it('bytes arriving ask for a look at the bus 50 ms after them', () => {
    assert.equal(new ReceiveHold().arrived(1000), 1050);
  });

  it('no hold when nothing is arriving or the last byte is 50 ms old', () => {
    const hold = new ReceiveHold();
    hold.arrived(0);
    assert.equal(hold.until(10, false), undefined, 'the decoder is not inside a frame');
    assert.equal(hold.until(50, true), undefined, '50 ms after the last byte');
    assert.equal(hold.until(120, true), undefined);
    // Those quiet looks started no hold: one that starts now lasts its full 50 ms after the byte.
    hold.arrived(200);
    assert.equal(hold.until(205, true), 250);
  });

  it('one transmission is held at most 60 ms; after release() the next hold starts afresh', () => {
    const hold = new ReceiveHold();
    hold.arrived(0);
    assert.equal(hold.until(10, true), 50);
    hold.arrived(40);
    assert.equal(hold.until(45, true), 70, 'noise keeps coming: 60 ms after we first wanted to talk');
    assert.equal(hold.until(70, true), undefined);
    hold.release();
    hold.arrived(100);
    assert.equal(hold.until(105, true), 150);
  });
});
