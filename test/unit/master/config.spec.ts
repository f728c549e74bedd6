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

describe('master configuration: every field’s bounds', () => {
  // [field, lowest allowed, highest allowed], written out here rather than read from the code.
  const bounds: [string, number, number][] = [
    ['fakeTWCID', 0, 65535],
    ['masterSign', 0, 255],
    ['wiringMaxAmpsAllTWCs', 1, 655],
    ['minAmpsPerTWC', 5, 80],
    ['spikeAmpsToCancel6ALimit', 0, 80],
    ['heartbeatIntervalMs', 200, 10000],
    ['replyTimeoutMs', 20, 2000],
    ['slaveTimeoutMs', 2000, 600000],
    ['linkReadySpacingMs', 20, 5000],
    ['linkReadyRepeatMs', 1000, 600000],
    ['kwhPollIntervalMs', 1000, 3600000],
    ['vinRetryIntervalMs', 1000, 3600000],
    ['vinMaxAttempts', 0, 100],
    ['maxSlaves', 1, 3],
  ];
  // Per-unit wiring 80 keeps the cross-field rule (minimum ≤ per-unit wiring) out of the way; the per-unit
  // field's own bounds are checked below.
  const base = { wiringMaxAmpsPerTWC: 80, minAmpsPerTWC: 12 };
  for (const [field, min, max] of bounds) {
    it(`${field}: accepts ${min} and ${max}, rejects just outside, naming the field and its range`, () => {
      for (const ok of [min, max])
        assert.equal(resolveMasterConfig({ ...base, [field]: ok })[field as 'fakeTWCID'], ok);
      for (const bad of [min - 1, max + 1, min + 0.5, Number.NaN]) {
        assert.throws(
          () => resolveMasterConfig({ ...base, [field]: bad }),
          (e: unknown) =>
            e instanceof ConfigError &&
            e.name === 'ConfigError' &&
            e.message ===
              `${field} must be a whole number from ${min} to ${max} (got ${JSON.stringify(bad)})`,
          `${field} = ${bad}`,
        );
      }
    });
  }

  it('wiringMaxAmpsPerTWC: 1…80 by itself (a minimum of at least 5 then rules out 1…4)', () => {
    assert.equal(resolveMasterConfig({ wiringMaxAmpsPerTWC: 80, minAmpsPerTWC: 5 }).wiringMaxAmpsPerTWC, 80);
    assert.equal(resolveMasterConfig({ wiringMaxAmpsPerTWC: 5, minAmpsPerTWC: 5 }).wiringMaxAmpsPerTWC, 5);
    assert.throws(
      () => resolveMasterConfig({ wiringMaxAmpsPerTWC: 1, minAmpsPerTWC: 5 }),
      /minAmpsPerTWC \(5\) must not exceed wiringMaxAmpsPerTWC \(1\)/,
    );
    assert.throws(
      () => resolveMasterConfig({ wiringMaxAmpsPerTWC: 81, minAmpsPerTWC: 80 }),
      /wiringMaxAmpsPerTWC must be a whole number from 1 to 80 \(got 81\)/,
    );
    assert.throws(
      () => resolveMasterConfig({ wiringMaxAmpsPerTWC: 0 }),
      /wiringMaxAmpsPerTWC must be a whole number from 1 to 80 \(got 0\)/,
    );
    assert.throws(
      () => resolveMasterConfig({ wiringMaxAmpsPerTWC: 80, minAmpsPerTWC: 81 }),
      /minAmpsPerTWC must be a whole number from 5 to 80 \(got 81\)/,
    );
  });

  it('a minimum equal to the per-unit wiring is fine; one above it is named with both values', () => {
    assert.equal(resolveMasterConfig({ wiringMaxAmpsPerTWC: 16, minAmpsPerTWC: 16 }).minAmpsPerTWC, 16);
    assert.throws(
      () => resolveMasterConfig({ wiringMaxAmpsPerTWC: 16, minAmpsPerTWC: 17 }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message === 'minAmpsPerTWC (17) must not exceed wiringMaxAmpsPerTWC (16)',
    );
  });

  it('spikeAmpsToCancel6ALimit may be "auto" but no other string', () => {
    assert.equal(resolveMasterConfig({ spikeAmpsToCancel6ALimit: 'auto' }).spikeAmpsToCancel6ALimit, 'auto');
    assert.throws(
      () => resolveMasterConfig({ spikeAmpsToCancel6ALimit: 'on' as never }),
      /spikeAmpsToCancel6ALimit must be a whole number from 0 to 80 \(got "on"\)/,
    );
  });

  it('merges the given fields over the defaults without changing the defaults', () => {
    const c = resolveMasterConfig({ maxSlaves: 2 });
    assert.deepEqual(c, { ...DEFAULT_MASTER_CONFIG, maxSlaves: 2 });
    assert.equal(DEFAULT_MASTER_CONFIG.maxSlaves, 3);
  });
});
