import assert from 'node:assert/strict';
import { ConfigError, DEFAULT_MASTER_CONFIG, resolveMasterConfig } from '../../../src/master/config';

describe('master configuration', () => {
  it('has valid defaults with TWCManager’s IDs', () => {
    const c = resolveMasterConfig();
    assert.deepEqual(c, DEFAULT_MASTER_CONFIG);
    assert.equal(c.fakeTWCID, 0x7777);
    assert.equal(c.masterSign, 0x77);
    assert.ok(c.minAmpsPerTWC <= c.wiringMaxAmpsPerTWC);
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    [
      'a negative wiring limit',
      { wiringMaxAmpsAllTWCs: -1 },
      /wiringMaxAmpsAllTWCs must be a whole number from 1/,
    ],
    ['fractional amps', { wiringMaxAmpsPerTWC: 32.5 }, /wiringMaxAmpsPerTWC must be a whole number/],
    ['a string', { minAmpsPerTWC: '12' }, /minAmpsPerTWC must be a whole number .* \(got "12"\)/],
    [
      'a minimum above the wiring',
      { wiringMaxAmpsPerTWC: 10, minAmpsPerTWC: 12 },
      /must not exceed wiringMaxAmpsPerTWC/,
    ],
    ['an ID beyond 16 bits', { fakeTWCID: 0x10000 }, /fakeTWCID/],
    ['four slaves', { maxSlaves: 4 }, /maxSlaves must be a whole number from 1 to 3/],
  ];
  for (const [name, partial, message] of bad) {
    it(`rejects ${name} naming the field`, () => {
      assert.throws(
        () => resolveMasterConfig(partial as never),
        (e: unknown) => e instanceof ConfigError && message.test(e.message),
      );
    });
  }
});
