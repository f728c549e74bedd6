import assert from 'node:assert/strict';
import { getActivePolicyAction, getConfig, getPolicy, getSlaveTWCs, getStatus } from '../../../src/api';
import { slaveSnapshot as slave } from '../../support/slave-snapshot';
import type { MasterSnapshot } from '../../../src/master/types';
import { INSTALL as install, masterSnapshot as snapshot } from '../../support/master-snapshot';
import { DEFAULT_POLICY_SETTINGS } from '../../../src/policy/settings';

const charging = snapshot([
  slave('4142', {
    state: 1,
    reportedAmpsActual: 31.5,
    lastAmpsOffered: 32,
    charging: true,
    carConnected: true,
    voltsPhaseA: 240,
    lifetimekWh: 1234,
    currentVIN: '5YJ3E1EA2JF000123',
  }),
  slave('4243', { maxAmps: 32 }),
]);
const idle = snapshot([slave('4142'), slave('4243', { maxAmps: 32 })]);

describe('API views', () => {
  it('getSlaveTWCs: members in join order, total last, TWCManager types', () => {
    const v = getSlaveTWCs(charging, install);
    assert.deepEqual(Object.keys(v), ['4142', '4243', 'total']);
    const a = v['4142'];
    assert.deepEqual(Object.keys(a), [
      'carsCharging',
      'chargerLoadInW',
      'currentVIN',
      'lastAmpsOffered',
      'lastHeartbeat',
      'lastVIN',
      'lifetimekWh',
      'maxAmps',
      'reportedAmpsActual',
      'state',
      'version',
      'voltsPhaseA',
      'voltsPhaseB',
      'voltsPhaseC',
      'TWCID',
      'chargeTime',
    ]);
    assert.equal(a.carsCharging, true);
    assert.equal(a.chargerLoadInW, 7560, '31.5 A × 240 V reported');
    assert.equal(a.TWCID, '4142');
    for (const k of [
      'lastAmpsOffered',
      'lastHeartbeat',
      'lifetimekWh',
      'maxAmps',
      'reportedAmpsActual',
      'state',
      'version',
      'voltsPhaseA',
    ]) {
      assert.equal(typeof a[k], 'number', k);
    }
    assert.equal(v['4243'].chargerLoadInW, 0);
    assert.deepEqual(v.total, {
      carsCharging: 1,
      lastAmpsOffered: 32,
      lifetimekWh: 1234,
      maxAmps: 32,
      reportedAmpsActual: 31.5,
      TWCID: 'total',
    });
  });

  it('getSlaveTWCs: the key set is the same whatever the state, and total alone with no TWC', () => {
    const keys = (s: MasterSnapshot) =>
      JSON.stringify(Object.values(getSlaveTWCs(s, install)).map((m) => Object.keys(m)));
    assert.equal(keys(charging), keys(idle));
    assert.deepEqual(getSlaveTWCs(snapshot([]), install), {
      total: {
        carsCharging: 0,
        lastAmpsOffered: 0,
        lifetimekWh: 0,
        maxAmps: 0,
        reportedAmpsActual: 0,
        TWCID: 'total',
      },
    });
  });

  it('getStatus: key order, "%.2f" strings, policy names, charge-now fields only while active', () => {
    const now = 1_700_000_000_000;
    const settings = {
      ...DEFAULT_POLICY_SETTINGS,
      chargeNowAmps: 24,
      chargeNowTimeEnd: now / 1000 + 60,
      generationW: 4800,
      consumptionW: 480,
    };
    const s = getStatus(
      charging,
      { name: 'Charge Now', amps: 24, isGreen: false, action: 1 },
      settings,
      install,
      now,
    );
    assert.deepEqual(Object.keys(s).slice(0, 5), [
      'carsCharging',
      'chargerLoadWatts',
      'chargerLoadAmps',
      'currentPolicy',
      'maxAmpsToDivideAmongSlaves',
    ]);
    assert.equal(s.carsCharging, 1);
    assert.equal(s.chargerLoadWatts, '7560.00');
    // Amps from watts use the slaves' reported voltage (240 V here), as TWCManager does.
    assert.equal(s.chargerLoadAmps, '31.50');
    assert.equal(s.maxAmpsToDivideAmongSlaves, '24.00');
    assert.equal(s.generationWatts, '4800.00');
    assert.equal(s.generationAmps, '20.00');
    assert.equal(s.consumptionAmps, '2.00');
    assert.equal(s.isGreenPolicy, 'No');
    assert.equal(s.chargeNowAmps, 24);
    assert.equal(s.chargeNowTimeEnd, now / 1000 + 60);
    assert.doesNotMatch(String(s.currentServerTime), /&nbsp;/);
    assert.equal((s.ScheduledCharging as { enabled: boolean }).enabled, false);
    const later = getStatus(
      charging,
      { name: 'Non Scheduled Charging', amps: 0, isGreen: false, action: 2 },
      settings,
      install,
      now + 120_000,
    );
    assert.equal('chargeNowAmps' in later, false);
    assert.equal(later.currentPolicy, 'Non Scheduled Charging');
  });

  it('watts use one supply for every unit: the average of unequal phase voltages × the phases', () => {
    const threePhase = snapshot([
      slave('4142', { reportedAmpsActual: 10, voltsPhaseA: 220, voltsPhaseB: 230, voltsPhaseC: 240 }),
      slave('4243', { reportedAmpsActual: 20, voltsPhaseA: 240, voltsPhaseB: 250, voltsPhaseC: 260 }),
    ]);
    // 240 V average on 3 phases: 720 W per amp for both (each unit's own sum would give 6900 and 15000).
    const v = getSlaveTWCs(threePhase, install);
    assert.deepEqual([v['4142'].chargerLoadInW, v['4243'].chargerLoadInW], [7200, 14400]);
    const s = getStatus(
      threePhase,
      { name: 'Non Scheduled Charging', amps: 0, isGreen: false, action: 2 },
      { ...DEFAULT_POLICY_SETTINGS, generationW: 7200 },
      install,
      0,
    );
    assert.equal(s.chargerLoadWatts, '21600.00');
    assert.equal(s.chargerLoadAmps, '30.00');
    assert.equal(s.generationAmps, '10.00');
  });

  it('getStatus never shows more amps to divide than the wiring allows', () => {
    const s = getStatus(
      idle,
      { name: 'Charge Now', amps: 64, isGreen: false, action: 1 },
      DEFAULT_POLICY_SETTINGS,
      install,
      0,
    );
    assert.equal(s.maxAmpsToDivideAmongSlaves, '40.00');
  });

  it('getConfig: the branches clients read, and no credential', () => {
    const c = getConfig(install, DEFAULT_POLICY_SETTINGS) as {
      config: Record<string, unknown>;
      interface: Record<string, { enabled: boolean }>;
      control: { HTTP: { listenPort: number } };
    };
    assert.equal(c.config.wiringMaxAmpsAllTWCs, 40);
    assert.equal(c.config.minAmpsPerTWC, 12);
    assert.equal(c.interface.RS485.enabled, true);
    assert.equal(c.control.HTTP.listenPort, 8080);
    assert.doesNotMatch(JSON.stringify(c), /token|password|apiKey/i);
  });

  it('getPolicy: TWCManager’s default list in evaluation order; getActivePolicyAction', () => {
    assert.deepEqual(
      getPolicy().map((p) => p.name),
      [
        'Charge Now',
        'Scheduled Charging',
        'Track Green Energy',
        'Non Scheduled Charging',
        'Track Green Energy',
      ],
    );
    assert.equal(getActivePolicyAction(undefined), null);
    assert.equal(getActivePolicyAction({ name: 'Charge Now', amps: 8, isGreen: false, action: 1 }), 1);
    assert.equal(
      getActivePolicyAction({ name: 'Non Scheduled Charging', amps: 0, isGreen: false, action: 2 }),
      2,
    );
    assert.equal(
      getActivePolicyAction({ name: 'Track Green Energy', amps: 10, isGreen: true, action: 3 }),
      3,
    );
  });
});
