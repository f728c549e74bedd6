import assert from 'node:assert/strict';
import { allocateAmps } from '../../../src/master/allocation';
import { resolveMasterConfig } from '../../../src/master/config';
import { offerForHeartbeat } from '../../../src/master/offers';
import { SlaveRecord } from '../../../src/master/slave-record';
import type { SlaveHeartbeat } from '../../../src/protocol/messages';

// Total 50, per unit 40, minimum 12, spike off.
const config = resolveMasterConfig({
  wiringMaxAmpsAllTWCs: 50,
  wiringMaxAmpsPerTWC: 40,
  minAmpsPerTWC: 12,
  spikeAmpsToCancel6ALimit: 0,
});
const hb = (state: number, limitAmps: number, actualAmps: number): SlaveHeartbeat => ({
  kind: 'slaveHeartbeat',
  sender: 1,
  receiver: 0x7777,
  state,
  limitAmps,
  actualAmps,
  version: 2,
});
const unit = (id: number, state = 4, maxAmps = 80): SlaveRecord => {
  const s = new SlaveRecord(id, 1, maxAmps, 2, 0);
  s.applyHeartbeat(hb(state, 0, 0), 0);
  return s;
};

describe('offerForHeartbeat', () => {
  it('alone, a unit gets the lowest of available, per-unit wiring and its own max', () => {
    assert.equal(offerForHeartbeat(unit(1), [unit(1)], 30, 0, config), 30);
    const a = unit(1);
    assert.equal(offerForHeartbeat(a, [a], 45, 0, config), 40);
    const small = unit(2, 4, 24);
    assert.equal(offerForHeartbeat(small, [small], 45, 0, config), 24);
  });

  it('amps reserved for dropped units are taken off the total and count as in force', () => {
    const a = unit(1);
    assert.equal(offerForHeartbeat(a, [a], 50, 0, config, [{ id: 9, amps: 22 }]), 28);
    assert.equal(
      offerForHeartbeat(a, [a], 50, 0, config, [
        { id: 9, amps: 22 },
        { id: 8, amps: 10 },
      ]),
      18,
      'each reserve counts',
    );
    assert.equal(
      offerForHeartbeat(a, [a], 50, 0, config, [{ id: 9, amps: 40 }]),
      0,
      '10 A left: below the minimum',
    );
    assert.equal(offerForHeartbeat(a, [a], 10, 0, config, [{ id: 9, amps: 45 }]), 0);
  });

  it('the others’ limits in force leave the room; a unit’s own unconfirmed higher limit does not', () => {
    const a = unit(1);
    const b = unit(2);
    b.wire.sent(30);
    // B's share is 25 but 30 is in force on its wire: A gets what fits beside it.
    assert.equal(offerForHeartbeat(a, [a, b], 50, 0, config), 20);
    a.wire.sent(40);
    a.wire.sent(20);
    assert.equal(a.wire.inForceAmps, 40);
    assert.equal(offerForHeartbeat(a, [a], 50, 0, config), 40, 'its own 40 in force is no obstacle');
  });

  it('a ceiling (while the bus settles) caps the share', () => {
    const a = unit(1);
    assert.equal(offerForHeartbeat(a, [a], 50, 0, config, [], 16), 16);
    assert.equal(offerForHeartbeat(a, [a], 50, 0, config, [], 10), 0, 'below the minimum: 0');
  });

  it('a shared TWCID gets 0 and its share goes to the others', () => {
    const a = unit(1);
    const b = unit(2);
    a.duplicateUntil = 1000;
    assert.equal(offerForHeartbeat(a, [a, b], 50, 999, config), 0);
    assert.equal(offerForHeartbeat(b, [a, b], 50, 999, config), 40);
    assert.equal(offerForHeartbeat(a, [a, b], 50, 1000, config), 25, 'the hold is over');
  });

  it('a unit that is stopped or has no car gets nothing, the others share', () => {
    const a = unit(1);
    const idle = unit(2, 0);
    assert.equal(offerForHeartbeat(idle, [a, idle], 50, 0, config), 0);
    assert.equal(offerForHeartbeat(a, [a, idle], 50, 0, config), 40);
    a.chargingStopped = true;
    assert.equal(offerForHeartbeat(a, [a], 50, 0, config), 0);
  });

  it('an available total above the wiring is cut to the wiring', () => {
    const [a, b] = [unit(1), unit(2)];
    assert.equal(offerForHeartbeat(a, [a, b], 500, 0, config), 25);
    assert.equal(offerForHeartbeat(a, [a, b], -5, 0, config), 0);
  });
});

describe('allocateAmps edges', () => {
  const limits = { wiringMaxAmpsAllTWCs: 100 };
  it('a minimum that just fits is served; a unit whose cap is its minimum gets exactly it', () => {
    const a = { id: 1, capAmps: 40, minAmps: 12, wantsPower: true, charging: false };
    const b = { id: 2, capAmps: 12, minAmps: 12, wantsPower: true, charging: false };
    assert.deepEqual(
      [...allocateAmps([a, b], 24, limits)],
      [
        [1, 12],
        [2, 12],
      ],
    );
    assert.deepEqual(
      [...allocateAmps([a, b], 30, limits)],
      [
        [1, 18],
        [2, 12],
      ],
    );
    const none = { id: 3, capAmps: 11, minAmps: 12, wantsPower: true, charging: true };
    assert.deepEqual([...allocateAmps([none], 30, limits)], [[3, 0]], 'cap below its minimum');
  });

  it('a remainder smaller than the open slaves goes one amp each, lowest ID first', () => {
    const s = (id: number, charging: boolean) => ({
      id,
      capAmps: 40,
      minAmps: 6,
      wantsPower: true,
      charging,
    });
    assert.deepEqual([...allocateAmps([s(3, true), s(1, false), s(2, true)], 20, limits)].sort(), [
      [1, 7],
      [2, 7],
      [3, 6],
    ]);
  });

  it('with room for one minimum, a later charging unit goes first even when listed last', () => {
    const waiting = { id: 1, capAmps: 40, minAmps: 12, wantsPower: true, charging: false };
    const charging = { id: 2, capAmps: 40, minAmps: 12, wantsPower: true, charging: true };
    assert.deepEqual(
      [...allocateAmps([waiting, charging], 15, limits)],
      [
        [1, 0],
        [2, 15],
      ],
    );
    assert.deepEqual(
      [...allocateAmps([charging, waiting], 15, limits)],
      [
        [2, 15],
        [1, 0],
      ],
    );
  });

  it('skips a minimum that does not fit and serves a smaller one after it', () => {
    const big = { id: 1, capAmps: 40, minAmps: 30, wantsPower: true, charging: true };
    const small = { id: 2, capAmps: 40, minAmps: 6, wantsPower: true, charging: false };
    const other = { id: 3, capAmps: 40, minAmps: 12, wantsPower: true, charging: false };
    assert.deepEqual([...allocateAmps([big, small, other], 25, limits)].sort(), [
      [1, 0],
      [2, 10],
      [3, 15],
    ]);
  });
});
