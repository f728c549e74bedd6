import assert from 'node:assert/strict';
import fc from 'fast-check';
import { COALESCE_MS, StateKeeper, unrestoredSettings, type KeptState } from '../../../src/bus/state-keeper';
import type { Told } from '../../../src/bus/told';
import { ManualClock } from '../../../src/clock';
import { ChargeHistory, SLOT_MS } from '../../../src/history/charge-history';
import { ChargePolicy } from '../../../src/policy/charge-policy';
import { DEFAULT_POLICY_SETTINGS, restoreSettings } from '../../../src/policy/settings';

/** Mon 23 Nov 2026, 23:00 local, a slot boundary. */
const T0 = new Date(2026, 10, 23, 23, 0).getTime();

/** A policy and a history wired to a keeper as the twc-master wires them, with a write that can fail. */
function rig() {
  const clock = new ManualClock();
  const wall = (): number => T0 + clock.now();
  const policy = new ChargePolicy({}, { wallClock: wall });
  const history = new ChargeHistory();
  const writes: KeptState[] = [];
  const warnings: string[] = [];
  const told: Told[] = [];
  let failure: NodeJS.ErrnoException | undefined;
  const keeper = new StateKeeper({
    clock,
    current: () => ({ policy: policy.current, history: history.toJSON() }),
    write: (s) => {
      if (failure) throw failure;
      writes.push(JSON.parse(JSON.stringify(s)) as KeptState);
    },
    warn: (m) => {
      told.push(m);
      warnings.push(m.message);
    },
  });
  policy.onChange(() => keeper.changed());
  return {
    clock,
    policy,
    history,
    keeper,
    writes,
    warnings,
    told,
    /** A history sample now, telling the keeper when a slot closed (as the bus's sampler does). */
    sample: (watts: number) => {
      if (history.record(wall(), watts)) keeper.changed();
    },
    failWith: (code: string | undefined) => {
      failure = code ? Object.assign(new Error(`${code}: it failed, write`), { code }) : undefined;
    },
  };
}

describe('StateKeeper (when the state file is written)', () => {
  it('a settings change is on disk before the call that made it returns', () => {
    const r = rig();
    r.policy.chargeNow(20, 3600);
    assert.equal(r.writes.length, 1);
    assert.equal(r.writes[0].policy.chargeNowAmps, 20);
    r.policy.setSetting('sunset', 18);
    r.policy.setOffset('Pool', 2, 'A');
    r.policy.setSchedule({ enabled: true, amps: 16, startingMinute: 60, endingMinute: 120 });
    assert.equal(r.writes.length, 4, 'one write per change');
    assert.deepEqual(r.writes[3].policy, JSON.parse(JSON.stringify(r.policy.current)));
    assert.equal(r.clock.pending, 0, 'nothing left for later');
  });

  it('a change that leaves the settings as they are writes nothing', () => {
    const r = rig();
    r.policy.setSetting('sunset', DEFAULT_POLICY_SETTINGS.sunset);
    r.policy.cancelChargeNow();
    assert.equal(r.writes.length, 0);
    r.clock.advance(10 * COALESCE_MS);
    assert.equal(r.writes.length, 0);
  });

  it('readings are written at most once a minute, the latest ones', () => {
    const r = rig();
    for (let i = 1; i <= 12; i++) {
      r.policy.setGreenEnergy(1000 + i, 300);
      r.clock.advance(5000);
    }
    assert.equal(r.writes.length, 1, 'one write in the first minute');
    assert.equal(r.writes[0].policy.generationW, 1012);
    r.policy.setGreenEnergy(5000, 300);
    r.clock.advance(COALESCE_MS - 1);
    assert.equal(r.writes.length, 1);
    r.clock.advance(1);
    assert.equal(r.writes.length, 2);
    assert.equal(r.writes[1].policy.generationW, 5000);
    r.policy.setGreenEnergy(5000, 300);
    r.clock.advance(COALESCE_MS);
    assert.equal(r.writes.length, 2, 'the same readings again: no write');
  });

  it('a settings change with readings pending writes both at once', () => {
    const r = rig();
    r.policy.setGreenEnergy(4200, 800);
    r.policy.setSetting('nonScheduledAmpsMax', 10);
    assert.equal(r.writes.length, 1);
    assert.deepEqual([r.writes[0].policy.generationW, r.writes[0].policy.nonScheduledAmpsMax], [4200, 10]);
    r.clock.advance(COALESCE_MS);
    assert.equal(r.writes.length, 1, 'nothing left to write');
  });

  it('history: a closed slot with charging in it is written within a minute; an idle one never', () => {
    const idle = rig();
    for (let t = 0; t < 3 * SLOT_MS; t += 5000) {
      idle.sample(0);
      idle.clock.advance(5000);
    }
    assert.equal(idle.writes.length, 0, 'an idle charger costs no write');

    const busy = rig();
    for (let t = 0; t < SLOT_MS; t += 5000) {
      busy.sample(7200);
      busy.clock.advance(5000);
    }
    assert.equal(busy.writes.length, 0, 'samples alone are not worth a write');
    busy.sample(0);
    busy.clock.advance(COALESCE_MS - 1);
    assert.equal(busy.writes.length, 0);
    busy.clock.advance(1);
    assert.equal(busy.writes.length, 1);
    assert.deepEqual(busy.writes[0].history.slots, [[T0, 7200, 0, 0]]);
  });

  it('saveSettings writes at once, even with nothing changed', () => {
    const r = rig();
    assert.equal(r.keeper.save(), undefined);
    assert.equal(r.keeper.save(), undefined);
    assert.equal(r.writes.length, 2);
    r.policy.setGreenEnergy(100, 50);
    r.keeper.save();
    assert.equal(r.writes[2].policy.generationW, 100);
    r.clock.advance(COALESCE_MS);
    assert.equal(r.writes.length, 3, 'the readings were saved already');
  });

  it('close writes what changed (readings, a slot being charged) and nothing otherwise', () => {
    const idle = rig();
    idle.sample(0);
    idle.keeper.close();
    assert.equal(idle.writes.length, 0);

    const busy = rig();
    busy.sample(7200);
    busy.policy.setGreenEnergy(3000, 100);
    busy.keeper.close();
    assert.equal(busy.writes.length, 1);
    assert.deepEqual(busy.writes[0].history.open, {
      slot: T0,
      sum: 7200,
      count: 1,
      generation: 0,
      consumption: 0,
    });
    assert.equal(busy.writes[0].policy.generationW, 3000);
    assert.equal(busy.clock.pending, 0, 'no timer left behind');
    busy.policy.setSetting('sunset', 17);
    busy.keeper.close();
    assert.equal(busy.writes.length, 1, 'closed: no more writes');
  });

  it('a write error: told once a minute per reason, shown, tried again, cleared by the next good write', () => {
    const r = rig();
    r.failWith('ENOSPC');
    r.policy.chargeNow(20, 3600);
    r.policy.setSetting('sunset', 18);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /could not write the settings file \(ENOSPC: it failed, write\)/);
    assert.equal(r.keeper.problem()?.message, 'settings not saved (ENOSPC)');
    assert.deepEqual(r.keeper.problem()?.values, { code: 'ENOSPC' });
    assert.deepEqual(r.told[0].values, { detail: 'ENOSPC: it failed, write' });
    assert.equal(r.keeper.save(), 'settings not saved: ENOSPC: it failed, write');
    r.failWith('EROFS');
    r.policy.setSetting('sunset', 17);
    assert.equal(r.warnings.length, 2, 'another reason is told at once');
    assert.equal(r.keeper.problem()?.message, 'settings not saved (EROFS)');
    r.failWith(undefined);
    r.clock.advance(COALESCE_MS);
    assert.equal(r.writes.length, 1, 'tried again within the minute');
    assert.equal(r.writes[0].policy.sunset, 17);
    assert.equal(r.writes[0].policy.chargeNowAmps, 20);
    assert.equal(r.keeper.problem(), undefined);
    r.failWith('ENOSPC');
    r.policy.setSetting('sunset', 16);
    assert.equal(r.warnings.length, 3, 'ENOSPC again, a minute after it was told');
    r.policy.setSetting('sunset', 15);
    assert.equal(r.warnings.length, 3);
    r.clock.advance(COALESCE_MS);
    assert.equal(r.warnings.length, 4, 'the retry a minute later fails and says so');
  });

  it('after a failed write the same settings are not tried on every reading, only once a minute', () => {
    const r = rig();
    let tries = 0;
    const failing = new StateKeeper({
      clock: r.clock,
      current: () => ({ policy: r.policy.current, history: r.history.toJSON() }),
      write: () => {
        tries++;
        throw Object.assign(new Error('EIO'), { code: 'EIO' });
      },
      warn: () => {},
    });
    r.policy.onChange(() => failing.changed());
    r.policy.setSetting('sunset', 18);
    for (let i = 0; i < 12; i++) {
      r.policy.setGreenEnergy(i, 0);
      r.clock.advance(5000);
    }
    assert.equal(tries, 2, 'the change, then one retry a minute later');
  });

  it('property: after each settings change the file holds it; writes stay within changes, saves and minutes', () => {
    type Op =
      | { op: 'setting'; value: number }
      | { op: 'reading'; watts: number }
      | { op: 'save' }
      | { op: 'wait'; ms: number }
      | { op: 'sample'; watts: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ op: fc.constant('setting' as const), value: fc.integer({ min: 0, max: 24 }) }),
      fc.record({ op: fc.constant('reading' as const), watts: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ op: fc.constant('save' as const) }),
      fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 3 * COALESCE_MS }) }),
      fc.record({ op: fc.constant('sample' as const), watts: fc.constantFrom(0, 7200) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const r = rig();
        let changes = 0;
        let saves = 0;
        for (const o of ops) {
          if (o.op === 'setting') {
            const before = r.policy.current.sunset;
            r.policy.setSetting('sunset', o.value);
            if (before !== o.value) changes++;
            assert.equal(r.writes.at(-1)?.policy.sunset ?? DEFAULT_POLICY_SETTINGS.sunset, o.value);
          } else if (o.op === 'reading') r.policy.setGreenEnergy(o.watts, 0);
          else if (o.op === 'save') {
            saves++;
            r.keeper.save();
            assert.deepEqual(r.writes.at(-1)?.policy, JSON.parse(JSON.stringify(r.policy.current)));
          } else if (o.op === 'wait') r.clock.advance(o.ms);
          else r.sample(o.watts);
        }
        const minutes = Math.floor(r.clock.now() / COALESCE_MS) + 1;
        assert.ok(r.writes.length <= changes + saves + minutes, `${r.writes.length} writes`);
        r.keeper.close();
        const last = r.writes.at(-1);
        const now = JSON.parse(JSON.stringify({ policy: r.policy.current, history: r.history.toJSON() }));
        if (last) {
          assert.deepEqual(last.policy, now.policy, 'after close the file holds the settings and readings');
          assert.deepEqual(last.history.slots, now.history.slots);
        } else assert.deepEqual(now.policy, JSON.parse(JSON.stringify(restoreSettings({}))));
      }),
    );
  });
});

describe('unrestoredSettings', () => {
  it('names the stored settings that did not come back as they were', () => {
    const stored = {
      chargeNowAmps: '20',
      sunset: 18,
      sunrise: 99,
      consumptionOffset: { Pool: { value: 2, unit: 'A' }, Bad: { value: 'x', unit: 'A' } },
      extra: { note: 'kept' },
      somethingNew: 1,
    };
    const restored = restoreSettings(stored);
    assert.deepEqual(unrestoredSettings(stored, restored), [
      'chargeNowAmps',
      'sunrise',
      'consumptionOffset',
      'somethingNew',
    ]);
  });

  it('nothing for settings that came back whole, in any key order, or for nothing stored', () => {
    const stored = { consumptionOffset: { Pool: { unit: 'W', value: 500 } }, sunset: 17 };
    assert.deepEqual(unrestoredSettings(stored, restoreSettings(stored)), []);
    for (const nothing of [undefined, null, 'text', 5])
      assert.deepEqual(unrestoredSettings(nothing, restoreSettings(nothing)), []);
  });
});
