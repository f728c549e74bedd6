import assert from 'node:assert/strict';
import { surplusAmps } from '../../../src/policy/green';
import { supplyOf, wattsPerAmp } from '../../../src/policy/supply';

const configured = { defaultVoltage: 230, numberOfPhases: 1 };
const unit = (a: number, b = 0, c = 0) => ({ voltsPhaseA: a, voltsPhaseB: b, voltsPhaseC: c });

describe('the supply from the phase voltages', () => {
  it('is the configured one until a unit reports a voltage', () => {
    assert.deepEqual(supplyOf([], configured), { volts: 230, phases: 1 });
    assert.deepEqual(supplyOf([unit(0)], { defaultVoltage: 400, numberOfPhases: 3 }), {
      volts: 400,
      phases: 3,
    });
  });

  it('is the average of unequal phase voltages times the phases in use', () => {
    const s = supplyOf([unit(230, 240, 250)], configured);
    assert.deepEqual(s, { volts: 240, phases: 3 });
    assert.equal(wattsPerAmp(s), 720);
    // 7200 W spare is 10 A on every phase.
    assert.equal(surplusAmps({ generationW: 7200, consumptionW: 0, consumptionOffset: {} }, s), 10);
  });

  it('averages over every reporting unit, as TWCManager does, not each unit on its own', () => {
    const s = supplyOf([unit(220, 230, 240), unit(240, 250, 260), unit(0)], configured);
    assert.deepEqual(s, { volts: 240, phases: 3 });
    // A unit on one phase next to three-phase units counts as three.
    assert.deepEqual(supplyOf([unit(230), unit(230, 230, 230)], configured), { volts: 230, phases: 3 });
    assert.deepEqual(supplyOf([unit(250), unit(0, 0, 0)], configured), { volts: 250, phases: 1 });
  });
});
