import assert from 'node:assert/strict';
import fc from 'fast-check';
import { simulatedVin, vinCheckDigit } from '../../../src/sim/vin';

/**
 * Written apart from src/sim/vin.ts, from ISO 3779 (North American form): the transliteration table as a
 * map, the weights, and remainder 10 written as X.
 */
function independentlyValid(vin: string): boolean {
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) return false;
  const table: Record<string, number> = {};
  'ABCDEFGH'.split('').forEach((c, i) => (table[c] = i + 1));
  'JKLMN'.split('').forEach((c, i) => (table[c] = i + 1));
  table.P = 7;
  table.R = 9;
  'STUVWXYZ'.split('').forEach((c, i) => (table[c] = i + 2));
  for (let d = 0; d <= 9; d++) table[String(d)] = d;
  const weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
  const sum = [...vin].reduce((acc, c, i) => acc + table[c] * weights[i], 0);
  const expected = sum % 11 === 10 ? 'X' : String(sum % 11);
  return vin[8] === expected;
}

describe('simulated VINs', () => {
  it('the independent validator accepts known good VINs and rejects a wrong check digit', () => {
    // The first is the VIN of test vector TV10b of docs/protocol.md §8.1; the second a textbook example.
    for (const good of ['5YJ3E1EA2JF000123', '1M8GDM9AXKP042788']) assert.ok(independentlyValid(good), good);
    for (const bad of ['5YJ3E1EA0JF000123', '5YJ3E1EA0SF414201', '1M8GDM9A1KP042788', '5YJ3E1EI2JF000123'])
      assert.ok(!independentlyValid(bad), bad);
  });

  it('vinCheckDigit agrees with the known VINs, remainder 10 included', () => {
    assert.equal(vinCheckDigit('5YJ3E1EA2JF000123'), '2');
    assert.equal(vinCheckDigit('1M8GDM9AXKP042788'), 'X');
    assert.throws(() => vinCheckDigit('5YJ3E1EA2JF00012O'), /cannot appear in a VIN/);
  });

  it('every simulated VIN for any 16-bit TWCID is valid and deterministic (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (id) => {
        const vin = simulatedVin(id);
        assert.ok(independentlyValid(vin), `${vin} for ${id.toString(16)}`);
        assert.equal(simulatedVin(id), vin);
      }),
      { numRuns: 2000 },
    );
  });

  it('no two TWCIDs share a VIN, and every one of them is valid', () => {
    const seen = new Set<string>();
    let invalid = 0;
    for (let id = 0; id <= 0xffff; id++) {
      const vin = simulatedVin(id);
      seen.add(vin);
      if (!independentlyValid(vin)) invalid++;
    }
    assert.equal(invalid, 0);
    assert.equal(seen.size, 0x10000);
  });

  it('a remainder of 10 gives X in the ninth position', () => {
    const xs = Array.from({ length: 0x10000 }, (_, id) => simulatedVin(id)).filter((v) => v[8] === 'X');
    assert.ok(xs.length > 0, 'some simulated VIN has the check digit X');
  });
});
