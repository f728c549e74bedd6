import assert from 'node:assert/strict';
import { ChargePolicy, PolicyInputError } from '../../../src/policy/charge-policy';

describe('ChargePolicy', () => {
  let now = 1_700_000_000_000;
  const clock = () => now;

  it('charges now at the rate until the duration has passed, then falls back', () => {
    const p = new ChargePolicy({ nonScheduledAmpsMax: 6 }, clock);
    assert.deepEqual(p.active(), { name: 'Non Scheduled Charging', amps: 6, isGreen: false });
    const r = p.chargeNow(24, 3600);
    assert.deepEqual(r, { rate: 24, duration: 3600, timeEnd: now / 1000 + 3600 });
    assert.deepEqual(p.active(), { name: 'Charge Now', amps: 24, isGreen: false });
    now += 3599_000;
    assert.equal(p.availableAmps(), 24);
    now += 2_000;
    assert.deepEqual(p.active(), { name: 'Non Scheduled Charging', amps: 6, isGreen: false });
  });

  it('cancels charge now at once', () => {
    const p = new ChargePolicy({}, clock);
    p.chargeNow(16, 60);
    p.cancelChargeNow();
    assert.equal(p.availableAmps(), 0);
    assert.equal(p.current.chargeNowTimeEnd, 0);
  });

  it('rejects bad input without losing the setting it had', () => {
    const p = new ChargePolicy({}, clock);
    p.chargeNow(16, 60);
    for (const [rate, duration] of [
      [0, 60],
      [-5, 60],
      [16, 0],
      [12.5, 60],
      [Number.NaN, 60],
    ]) {
      assert.throws(() => p.chargeNow(rate, duration), PolicyInputError);
    }
    assert.throws(() => p.setGreenEnergy(-1, 0), /must not be negative/);
    assert.throws(() => p.setGreenEnergy(Number.POSITIVE_INFINITY, 0), /must be a number/);
    assert.equal(p.availableAmps(), 16);
    p.setGreenEnergy(5000, 1200);
    assert.equal(p.current.generationW, 5000);
  });
});
