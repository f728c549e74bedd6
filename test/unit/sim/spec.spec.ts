import assert from 'node:assert/strict';
import { parseSlaveSpecs, SimSpecError, specsFromArgs } from '../../../src/sim/spec';

describe('simulated slave specs', () => {
  it('reads the compact form of the config node', () => {
    assert.deepEqual(parseSlaveSpecs('4142:80:32, 4243:32:0,ab01:48'), [
      { id: 0x4142, maxAmps: 80, carAmps: 32 },
      { id: 0x4243, maxAmps: 32, carAmps: 0 },
      { id: 0xab01, maxAmps: 48, carAmps: 0 },
    ]);
  });

  it('reads the CLI form', () => {
    assert.deepEqual(specsFromArgs(['4142:80', '4243:32'], ['4142:32']), [
      { id: 0x4142, maxAmps: 80, carAmps: 32 },
      { id: 0x4243, maxAmps: 32, carAmps: 0 },
    ]);
  });

  const bad: [string, () => unknown, RegExp][] = [
    ['empty', () => parseSlaveSpecs(' '), /no simulated Wall Connector/],
    ['bad hex', () => parseSlaveSpecs('41G2:80'), /not a TWCID/],
    ['amps out of range', () => parseSlaveSpecs('4142:81'), /from 1 to 80/],
    ['negative car', () => parseSlaveSpecs('4142:80:-3'), /from 0 to 80/],
    ['too many fields', () => parseSlaveSpecs('4142:80:32:1'), /ID:MAXAMPS/],
    ['duplicate', () => parseSlaveSpecs('4142:80,4142:32'), /given twice/],
    ['duplicate small ID', () => parseSlaveSpecs('0041:80,0041:32'), /TWCID 0041 is given twice/],
    ['no slave', () => specsFromArgs([], []), /at least one --slave/],
    ['car on unknown slave', () => specsFromArgs(['4142:80'], ['9999:32']), /no --slave with ID 9999/],
  ];
  for (const [name, f, message] of bad) {
    it(`rejects ${name} with a clear message`, () => {
      assert.throws(f, (e: unknown) => e instanceof SimSpecError && message.test(e.message));
    });
  }
});
