import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChargePolicy } from '../../../src/policy/charge-policy';
import { surplusAmps } from '../../../src/policy/green';
import { POLICY_NAMES, restoreSettings, type PolicyName } from '../../../src/policy/settings';
import { at, inputError, MON, policyAt } from './policy-clock';

// setPolicy's override and setConsumptionOffset's amps offset (docs/api.md §6.8, §4.13, §6.6).

const NIGHT = at(MON, 23);
const NOON = at(MON, 12);

describe('setConsumptionOffset: the green amps offset', () => {
  it('counts as consumption when positive and as generation when negative, in A × volts × phases', () => {
    const { policy } = policyAt(NOON, { generationW: 2400, consumptionW: 0 });
    assert.equal(surplusAmps(policy.current, { volts: 240, phases: 1 }), 10);
    policy.setConsumptionOffset(2.5);
    assert.equal(policy.current.greenEnergyAmpsOffset, 2.5);
    assert.equal(surplusAmps(policy.current, { volts: 240, phases: 1 }), 7.5);
    assert.equal(surplusAmps(policy.current, { volts: 230, phases: 3 }), 0.98);
    policy.setConsumptionOffset(-2);
    assert.equal(surplusAmps(policy.current, { volts: 240, phases: 1 }), 12);
  });

  it('adds to the named offsets rather than replacing them', () => {
    const { policy } = policyAt(NOON, { generationW: 4800 });
    policy.setOffset('pool', 2, 'A');
    policy.setConsumptionOffset(3);
    assert.equal(surplusAmps(policy.current, { volts: 240, phases: 1 }), 15);
  });

  it('is applied by Track Green Energy (the amps it offers)', () => {
    const { policy, clock } = policyAt(NOON, { generationW: 4800 });
    clock.now += 60_000;
    policy.active();
    clock.now += 60_000;
    assert.equal(policy.active().amps, 20);
    policy.setConsumptionOffset(4);
    assert.equal(policy.active().amps, 16);
  });

  it('takes the whole range and refuses what is outside it or not a number', () => {
    const { policy } = policyAt(NOON);
    for (const ok of [-1000, 1000, 0, 0.01]) {
      policy.setConsumptionOffset(ok);
      assert.equal(policy.current.greenEnergyAmpsOffset, ok);
    }
    for (const bad of [1000.01, -1000.01, 1e9])
      assert.equal(
        inputError(() => policy.setConsumptionOffset(bad)),
        'greenEnergyAmpsOffset must be a number from -1000 to 1000',
      );
    for (const bad of [NaN, Infinity, '5' as unknown as number])
      assert.equal(
        inputError(() => policy.setConsumptionOffset(bad)),
        'offset must be a number',
      );
    assert.equal(policy.current.greenEnergyAmpsOffset, 0.01, 'a refusal changes nothing');
  });

  it('survives a restart, and a stored value out of range restores as 0', () => {
    const { policy } = policyAt(NOON);
    policy.setConsumptionOffset(-7.25);
    const back = restoreSettings(JSON.parse(JSON.stringify(policy.current)));
    assert.equal(back.greenEnergyAmpsOffset, -7.25);
    assert.equal(restoreSettings({ greenEnergyAmpsOffset: 5000 }).greenEnergyAmpsOffset, 0);
  });
});

describe('setPolicy: the override', () => {
  it('refuses what is not a name of getPolicy, each with its reason, and changes nothing', () => {
    const { policy } = policyAt(NIGHT);
    const cases: [unknown, string][] = [
      [12345, 'policy must be a string'],
      [['Charge Now'], 'policy must be a string'],
      [{ name: 'Charge Now' }, 'policy must be a string'],
      ['', 'policy cannot be empty'],
      ['   ', 'policy cannot be empty'],
      ['charge now', `policy "charge now" is not one of getPolicy's policies`],
      ['Charge Now ', `policy "Charge Now " is not one of getPolicy's policies`],
      [
        "'; DROP TABLE settings; --",
        `policy "'; DROP TABLE settings; --" is not one of getPolicy's policies`,
      ],
    ];
    for (const [name, reason] of cases)
      assert.equal(
        inputError(() => policy.setPolicy(name)),
        reason,
      );
    assert.equal(policy.current.policyOverride, '');
  });

  it('puts each policy in force with its own amps and action, whatever the rules choose', () => {
    const settings = { nonScheduledAmpsMax: 10, scheduledAmpsMax: 20, generationW: 0 };
    const { policy } = policyAt(NIGHT, settings);
    assert.equal(policy.active().name, 'Non Scheduled Charging');
    assert.equal(policy.setPolicy('Scheduled Charging'), 'Scheduled Charging');
    assert.deepEqual(policy.active(), { name: 'Scheduled Charging', amps: 20, isGreen: false, action: 1 });
    policy.setPolicy('Charge Now');
    assert.deepEqual(policy.active(), { name: 'Charge Now', amps: 0, isGreen: false, action: 2 });
    policy.setPolicy('Track Green Energy');
    assert.deepEqual(policy.active(), { name: 'Track Green Energy', amps: 0, isGreen: true, action: 3 });
    policy.setSetting('nonScheduledAction', 3);
    policy.setPolicy('Non Scheduled Charging');
    assert.equal(policy.current.policyOverride, 'Non Scheduled Charging', 'the rules choose green now');
    assert.deepEqual(policy.active(), {
      name: 'Non Scheduled Charging',
      amps: 10,
      isGreen: false,
      action: 1,
    });
    policy.setSetting('nonScheduledAction', 2);
    assert.deepEqual(policy.active(), { name: 'Non Scheduled Charging', amps: 0, isGreen: false, action: 2 });
  });

  it('an overridden Charge Now whose charge-now is over offers 0 A, not the stale rate', () => {
    const { policy, clock } = policyAt(NIGHT, { nonScheduledAmpsMax: 8 });
    policy.chargeNow(16, 600);
    clock.now += 700_000;
    policy.setPolicy('Charge Now');
    assert.equal(policy.current.policyOverride, 'Charge Now');
    assert.deepEqual(policy.active(), { name: 'Charge Now', amps: 0, isGreen: false, action: 2 });
  });

  it('an overridden Track Green Energy starts charging after its delay (its state is not reset)', () => {
    const { policy, clock } = policyAt(NIGHT, { generationW: 2400 });
    policy.setPolicy('Track Green Energy');
    assert.equal(policy.active().amps, 0);
    clock.now += 60_000;
    assert.equal(policy.active().amps, 10);
  });

  it('holds across the hours and the schedule; setPolicy with the rules’ choice ends it', () => {
    const { policy, clock } = policyAt(NIGHT, { nonScheduledAmpsMax: 8 });
    policy.setPolicy('Track Green Energy');
    clock.now = at(MON + 1, 12);
    assert.equal(policy.active().name, 'Track Green Energy');
    clock.now = at(MON + 1, 23);
    assert.equal(policy.active().name, 'Track Green Energy', 'night does not end it');
    policy.setPolicy('Non Scheduled Charging');
    assert.equal(policy.current.policyOverride, '', 'the rules choose it anyway: no override left');
    clock.now = at(MON + 2, 12);
    assert.equal(policy.active().name, 'Track Green Energy', 'the rules again');
  });

  it('a chargeNow ends it; cancelChargeNow does not', () => {
    const { policy } = policyAt(NIGHT, { nonScheduledAmpsMax: 8 });
    policy.setPolicy('Scheduled Charging');
    policy.cancelChargeNow();
    assert.equal(policy.current.policyOverride, 'Scheduled Charging');
    policy.chargeNow(16, 600);
    assert.equal(policy.current.policyOverride, '');
    assert.deepEqual(policy.active(), { name: 'Charge Now', amps: 16, isGreen: false, action: 1 });
  });

  it('survives a restart; a stored value that is no policy name restores as none', () => {
    const { policy } = policyAt(NIGHT);
    policy.setPolicy('Scheduled Charging');
    const stored = JSON.parse(JSON.stringify(policy.current)) as unknown;
    assert.equal(restoreSettings(stored).policyOverride, 'Scheduled Charging');
    for (const bad of ['Nope', 5, null, ['Charge Now']])
      assert.equal(restoreSettings({ policyOverride: bad }).policyOverride, '');
    assert.equal(restoreSettings({ policyOverride: '' }).policyOverride, '');
  });

  it('a policy built with an override that is no policy name is refused with the names', () => {
    assert.equal(
      inputError(() => new ChargePolicy({ policyOverride: 'Nope' as PolicyName })),
      'policy must be one of "Charge Now", "Scheduled Charging", "Track Green Energy", "Non Scheduled Charging"',
    );
    assert.equal(new ChargePolicy({ policyOverride: 'Charge Now' }).current.policyOverride, 'Charge Now');
  });

  it('is no free-form setting: setSetting cannot write it', () => {
    const { policy } = policyAt(NIGHT);
    assert.equal(
      inputError(() => policy.setSetting('policyOverride', 'Charge Now')),
      'policyOverride cannot be set this way',
    );
  });

  it('property: whatever was asked last is in force, or the rules’ choice when it was that', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<PolicyName>(...POLICY_NAMES), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 23 }),
        (names, hour) => {
          const { policy } = policyAt(at(MON, hour), { nonScheduledAmpsMax: 6 });
          const rules = policy.active().name;
          for (const n of names) policy.setPolicy(n);
          const last = names[names.length - 1];
          assert.equal(policy.active().name, last);
          assert.equal(policy.current.policyOverride, last === rules ? '' : last);
        },
      ),
    );
  });
});
