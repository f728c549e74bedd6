import assert from 'node:assert/strict';
import { COMMANDS, runCommand, type CommandTarget } from '../../../src/api/commands';
import { getConfig } from '../../../src/api/config-view';
import type { InstallationSettings } from '../../../src/api/installation';
import { INSTALL } from '../../support/master-snapshot';
import { parseLatLon } from '../../../src/api/requests';
import { getStatus, greenWindowFields } from '../../../src/api/status-view';
import { ManualClock } from '../../../src/clock';
import { TwcMaster } from '../../../src/master/engine';
import { ChargePolicy } from '../../../src/policy/charge-policy';
import {
  DEFAULT_POLICY_SETTINGS,
  LOCATION_UNSET,
  restoreSettings,
  type PolicySettings,
} from '../../../src/policy/settings';
import { FakeTransport } from '../../support/fake-transport';
import { inputError } from '../policy/policy-clock';

/** Berlin at midsummer, 10:00 UTC. */
const NOW_MS = Date.UTC(2024, 5, 21, 10);

function target(): CommandTarget & { changes: number } {
  const policy = new ChargePolicy({}, { wallClock: () => NOW_MS });
  const out = {
    engine: new TwcMaster({ transport: new FakeTransport(), clock: new ManualClock(0) }),
    policy,
    changes: 0,
  };
  policy.onChange(() => out.changes++);
  return out;
}

const send = (t: CommandTarget, body: unknown) =>
  runCommand('setLatLon', typeof body === 'string' ? body : JSON.stringify(body), t);

const location = (t: CommandTarget) => [t.policy.current.homeLat, t.policy.current.homeLon];

describe('setLatLon', () => {
  it('comes right after saveSettings, before the other routes TWCManager added', () => {
    assert.equal(COMMANDS[COMMANDS.indexOf('saveSettings') + 1], 'setLatLon');
    assert.equal(COMMANDS[COMMANDS.indexOf('setLatLon') + 1], 'setConsumptionOffset');
  });

  it('valid coordinates: 204, both stored, as numbers also from decimal text', () => {
    const cases: [unknown, number, number][] = [
      [{ lat: 52.52, lon: 13.405 }, 52.52, 13.405],
      [{ lat: '52.52', lon: '-13.405' }, 52.52, -13.405],
      [{ lat: ' 1e1 ', lon: '+.5' }, 10, 0.5],
      [{ lat: -90, lon: -180 }, -90, -180],
      [{ lat: 90, lon: 180 }, 90, 180],
      [{ lat: 0, lon: 0, other: 'ignored' }, 0, 0],
      [{ lat: '-0', lon: -0 }, 0, 0],
    ];
    for (const [body, lat, lon] of cases) {
      const t = target();
      const r = send(t, body);
      assert.equal(r.statusCode, 204, JSON.stringify(body));
      assert.deepEqual(location(t), [lat, lon], JSON.stringify(body));
      assert.ok(Object.is(t.policy.current.homeLat, lat), 'no −0 stored');
      assert.equal(t.changes, 1, 'one change, written once');
    }
  });

  it('invalid input: 400 with the reason, and neither coordinate stored', () => {
    const LAT = 'lat is required and must be a number of degrees';
    const LON = 'lon is required and must be a number of degrees';
    const cases: [unknown, string][] = [
      [{}, LAT],
      ['', LAT],
      [{ lon: 13 }, LAT],
      [{ lat: 52 }, LON],
      [{ lat: null, lon: 13 }, LAT],
      [{ lat: 52, lon: null }, LON],
      [{ lat: 'north', lon: 13 }, LAT],
      [{ lat: '', lon: 13 }, LAT],
      [{ lat: ' ', lon: 13 }, LAT],
      [{ lat: '0x1A', lon: 13 }, LAT],
      [{ lat: '0b1', lon: 13 }, LAT],
      [{ lat: '4_5', lon: 13 }, LAT],
      [{ lat: '1.2.3', lon: 13 }, LAT],
      [{ lat: 'Infinity', lon: 13 }, LAT],
      [{ lat: 'NaN', lon: 13 }, LAT],
      [{ lat: '5e', lon: 13 }, LAT],
      [{ lat: '.', lon: 13 }, LAT],
      [{ lat: true, lon: 13 }, LAT],
      [{ lat: [52], lon: 13 }, LAT],
      [{ lat: { v: 52 }, lon: 13 }, LAT],
      [{ lat: 52, lon: '13 east' }, LON],
      [{ lat: 52, lon: false }, LON],
      [{ lat: 90.0001, lon: 0 }, 'lat must be a number from -90 to 90'],
      [{ lat: -91, lon: 0 }, 'lat must be a number from -90 to 90'],
      [{ lat: '1e300', lon: 0 }, 'lat must be a number from -90 to 90'],
      [{ lat: LOCATION_UNSET, lon: 0 }, 'lat must be a number from -90 to 90'],
      [{ lat: 0, lon: 180.5 }, 'lon must be a number from -180 to 180'],
      [{ lat: 0, lon: '-181' }, 'lon must be a number from -180 to 180'],
      [{ lat: 0, lon: LOCATION_UNSET }, 'lon must be a number from -180 to 180'],
      ['{"lat": 1,', 'the body is not valid JSON'],
      ['[1, 2]', 'the body must be a JSON object'],
      ['"52,13"', 'the body must be a JSON object'],
    ];
    for (const [body, error] of cases) {
      const t = target();
      t.policy.setLocation(10, 20);
      const r = send(t, body);
      assert.deepEqual([r.statusCode, r.payload], [400, { error }], JSON.stringify(body));
      assert.deepEqual(location(t), [10, 20], `${JSON.stringify(body)}: nothing stored`);
    }
  });

  it('a body from a flow as an object or a Buffer reads as JSON does', () => {
    assert.deepEqual(parseLatLon({ lat: 1, lon: 2 }), { ok: true, value: { lat: 1, lon: 2 } });
    assert.deepEqual(parseLatLon(Buffer.from('{"lat":"3","lon":4}')), {
      ok: true,
      value: { lat: 3, lon: 4 },
    });
    assert.deepEqual(parseLatLon({ lat: Number.NaN, lon: 2 }), {
      ok: false,
      error: 'lat is required and must be a number of degrees',
    });
    assert.deepEqual(parseLatLon({ lat: 1, lon: Number.POSITIVE_INFINITY }), {
      ok: false,
      error: 'lon is required and must be a number of degrees',
    });
  });

  it('the policy refuses what is no coordinate, also from a flow that passes text', () => {
    const policy = new ChargePolicy();
    assert.equal(
      inputError(() => policy.setLocation('52' as unknown as number, 13)),
      'lat must be a number from -90 to 90',
    );
    assert.equal(
      inputError(() => policy.setLocation(Number.NaN, 13)),
      'lat must be a number from -90 to 90',
    );
    assert.equal(
      inputError(() => policy.setLocation(52, '13' as unknown as number)),
      'lon must be a number from -180 to 180',
    );
    assert.equal(
      inputError(() => policy.setLocation(52, -180.1)),
      'lon must be a number from -180 to 180',
    );
    assert.deepEqual([policy.current.homeLat, policy.current.homeLon], [LOCATION_UNSET, LOCATION_UNSET]);
  });

  it('setSetting takes homeLat/homeLon in range or 10000 (unset), and nothing else', () => {
    const policy = new ChargePolicy();
    policy.setLocation(52.52, 13.405);
    policy.setSetting('homeLat', '48.1');
    assert.equal(policy.current.homeLat, 48.1);
    policy.setSetting('homeLon', LOCATION_UNSET);
    assert.equal(policy.current.homeLon, LOCATION_UNSET);
    assert.equal(
      inputError(() => policy.setSetting('homeLat', 9999)),
      'homeLat must be a number from -90 to 90 (or 10000: not set)',
    );
    assert.equal(
      inputError(() => policy.setSetting('homeLon', 'east')),
      'homeLon must be a number from -180 to 180 (or 10000: not set)',
    );
  });

  it('a restore keeps a location and "unset", and drops what is neither', () => {
    const back = (stored: Record<string, unknown>): number[] => {
      const s = restoreSettings(JSON.parse(JSON.stringify(stored)));
      return [s.homeLat, s.homeLon];
    };
    assert.deepEqual(back({ homeLat: 52.52, homeLon: -13.405 }), [52.52, -13.405]);
    assert.deepEqual(back({ homeLat: -90, homeLon: 180 }), [-90, 180]);
    assert.deepEqual(back({ homeLat: LOCATION_UNSET, homeLon: 5 }), [LOCATION_UNSET, 5]);
    assert.deepEqual(back({}), [LOCATION_UNSET, LOCATION_UNSET], 'settings from before setLatLon');
    assert.deepEqual(back({ homeLat: 91, homeLon: '13' }), [LOCATION_UNSET, LOCATION_UNSET]);
    assert.deepEqual(back({ homeLat: 9999, homeLon: null }), [LOCATION_UNSET, LOCATION_UNSET]);
    const t = target();
    send(t, { lat: 69.6492, lon: 18.9553 });
    const policy = new ChargePolicy();
    policy.restore(JSON.parse(JSON.stringify(t.policy.current)));
    assert.deepEqual([policy.current.homeLat, policy.current.homeLon], [69.6492, 18.9553]);
  });
});

describe('getConfig and getStatus show the location and the window in use', () => {
  // The simulator's bus with a 6 A minimum.
  const install: InstallationSettings = {
    ...INSTALL,
    transport: 'simulator',
    serialPort: '',
    minAmpsPerTWC: 6,
  };

  it('getConfig: a settings branch with homeLat and homeLon, 10000 while unset', () => {
    const t = target();
    assert.deepEqual(getConfig(install, t.policy.current).settings, {
      homeLat: LOCATION_UNSET,
      homeLon: LOCATION_UNSET,
    });
    send(t, { lat: '52.52', lon: 13.405 });
    const c = getConfig(install, t.policy.current);
    assert.deepEqual(c.settings, { homeLat: 52.52, homeLon: 13.405 });
    assert.deepEqual(Object.keys(c), ['config', 'interface', 'control', 'policy', 'settings']);
  });

  /** Local time as currentServerTime writes it. */
  const local = (ms: number): string => {
    const d = new Date(ms);
    const p = (n: number): string => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}, ${p(d.getHours())}:${p(d.getMinutes())}`;
  };

  it('the window: sunrise to sunset at the location, the fixed hours without one, polar day and night', () => {
    const s = (over: Partial<PolicySettings>): PolicySettings => ({ ...DEFAULT_POLICY_SETTINGS, ...over });
    const berlin = greenWindowFields(s({ homeLat: 52.52, homeLon: 13.405 }), NOW_MS);
    assert.deepEqual(berlin, {
      greenWindowSource: 'location',
      // Sunrise 02:43:11 and sunset 19:33:23 UTC, shown to the minute.
      greenWindowStart: local(Date.UTC(2024, 5, 21, 2, 43, 11)),
      greenWindowEnd: local(Date.UTC(2024, 5, 21, 19, 33, 23)),
      greenWindowAllDay: false,
    });
    const fixed = new Date(2024, 5, 21, 12).getTime();
    assert.deepEqual(greenWindowFields(s({}), fixed), {
      greenWindowSource: 'hours',
      greenWindowStart: '2024-06-21, 06:00',
      greenWindowEnd: '2024-06-21, 20:00',
      greenWindowAllDay: false,
    });
    const polarDay = greenWindowFields(s({ homeLat: 69.6492, homeLon: 18.9553 }), NOW_MS);
    assert.equal(polarDay.greenWindowAllDay, true);
    assert.equal(typeof polarDay.greenWindowStart, 'string');
    const polarNight = greenWindowFields(
      s({ homeLat: 69.6492, homeLon: 18.9553 }),
      Date.UTC(2024, 11, 21, 10),
    );
    assert.deepEqual(polarNight, {
      greenWindowSource: 'location',
      greenWindowStart: null,
      greenWindowEnd: null,
      greenWindowAllDay: false,
    });
  });

  it('getStatus: the window fields come after all of TWCManager’s keys, charge-now included', () => {
    const snapshot = target().engine.snapshot();
    const settings = { ...DEFAULT_POLICY_SETTINGS, chargeNowAmps: 16, chargeNowTimeEnd: NOW_MS / 1000 + 60 };
    const st = getStatus(
      snapshot,
      { name: 'Charge Now', amps: 16, isGreen: false, action: 1 },
      settings,
      install,
      NOW_MS,
    );
    assert.deepEqual(Object.keys(st).slice(-7), [
      'chargeNowTimeEnd',
      'chargeNowAmps',
      'greenWindowSource',
      'greenWindowStart',
      'greenWindowEnd',
      'greenWindowAllDay',
      'notices',
    ]);
    assert.equal(st.greenWindowSource, 'hours');
  });
});
