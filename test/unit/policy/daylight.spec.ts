import assert from 'node:assert/strict';
import fc from 'fast-check';
import type * as SunCalc from 'suncalc' with { 'resolution-mode': 'import' };
import {
  greenWindow,
  homeLocation,
  hoursWindow,
  isDaylight,
  sunWindow,
  type GreenWindow,
} from '../../../src/policy/daylight';
import { DEFAULT_POLICY_SETTINGS, LOCATION_UNSET } from '../../../src/policy/settings';
import { policyAt } from './policy-clock';

// As src/policy/daylight.ts: the types of suncalc's ES module, the code of its CommonJS build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getPosition } = require('suncalc') as typeof SunCalc;

const MINUTE = 60_000;
const utc = (iso: string): number => Date.parse(iso);

const BERLIN = { lat: 52.52, lon: 13.405 };
const SYDNEY = { lat: -33.8688, lon: 151.2093 };
const NEW_YORK = { lat: 40.7128, lon: -74.006 };
const EQUATOR = { lat: 0, lon: 0 };
const TROMSO = { lat: 69.6492, lon: 18.9553 };

const at = (place: { lat: number; lon: number }) => ({
  ...DEFAULT_POLICY_SETTINGS,
  homeLat: place.lat,
  homeLon: place.lon,
});

/**
 * Reference sunrise and sunset, UTC, to the minute, from NOAA's solar calculator equations (NOAA Global
 * Monitoring Laboratory, "General Solar Position Calculations" / its sunrise-sunset spreadsheet; the sun's
 * centre 0.833° below the horizon), worked out independently of suncalc. They match the published
 * almanac times (Berlin 04:43/21:33 CEST at midsummer, 08:15/15:54 CET at midwinter; Sydney 05:41/20:05
 * AEDT in December).
 */
const REFERENCE: [string, { lat: number; lon: number }, string, string, string][] = [
  ['Berlin, midsummer', BERLIN, '2024-06-21T10:00Z', '2024-06-21T02:43Z', '2024-06-21T19:33Z'],
  ['Berlin, midwinter', BERLIN, '2024-12-21T10:00Z', '2024-12-21T07:15Z', '2024-12-21T14:54Z'],
  ['Sydney, December', SYDNEY, '2024-12-21T02:00Z', '2024-12-20T18:41Z', '2024-12-21T09:05Z'],
  ['Sydney, June', SYDNEY, '2024-06-21T02:00Z', '2024-06-20T21:00Z', '2024-06-21T06:53Z'],
  ['New York, June', NEW_YORK, '2024-06-21T16:00Z', '2024-06-21T09:25Z', '2024-06-22T00:30Z'],
  ['the equator at 0°, equinox', EQUATOR, '2024-03-20T12:00Z', '2024-03-20T06:03Z', '2024-03-20T18:10Z'],
];

/** Within `minutes` of the reference. */
function near(actual: number | null, iso: string, minutes: number, what: string): void {
  assert.ok(actual !== null, `${what}: a time`);
  const off = Math.abs(actual - utc(iso)) / MINUTE;
  assert.ok(
    off <= minutes,
    `${what}: ${new Date(actual).toISOString()} is ${off.toFixed(1)} min from ${iso}`,
  );
}

describe('daylight from the home location', () => {
  for (const [name, place, now, rise, set] of REFERENCE) {
    it(`${name}: sunrise and sunset within 2 minutes of NOAA's, and daylight between them`, () => {
      const w = greenWindow(at(place), utc(now));
      assert.equal(w.source, 'location');
      assert.equal(w.allDay, false);
      near(w.startMs, rise, 2, 'sunrise');
      near(w.endMs, set, 2, 'sunset');
      const s = at(place);
      // Three minutes inside and outside each end: the 2-minute tolerance cannot blur them.
      assert.equal(isDaylight(s, utc(rise) - 3 * MINUTE), false, 'before sunrise');
      assert.equal(isDaylight(s, utc(rise) + 3 * MINUTE), true, 'after sunrise');
      assert.equal(isDaylight(s, utc(set) - 3 * MINUTE), true, 'before sunset');
      assert.equal(isDaylight(s, utc(set) + 3 * MINUTE), false, 'after sunset');
    });
  }

  it('sunrise is daylight, sunset is not: the window is [sunrise, sunset)', () => {
    const s = at(BERLIN);
    const w = greenWindow(s, utc('2024-06-21T10:00Z'));
    assert.equal(isDaylight(s, w.startMs!), true);
    assert.equal(isDaylight(s, w.startMs! - 1), false);
    assert.equal(isDaylight(s, w.endMs! - 1), true);
    assert.equal(isDaylight(s, w.endMs!), false);
  });

  it('Tromsø in June: polar day, daylight all day, at solar midnight too', () => {
    const s = at(TROMSO);
    for (const iso of ['2024-06-21T10:00Z', '2024-06-21T22:45Z', '2024-06-21T23:30Z', '2024-06-22T03:00Z']) {
      const w = greenWindow(s, utc(iso));
      assert.equal(w.allDay, true, iso);
      assert.ok(w.startMs! <= utc(iso) && utc(iso) < w.endMs!, `${iso} in the solar day shown`);
      assert.equal(w.endMs! - w.startMs!, 24 * 60 * MINUTE, 'one solar day');
      assert.equal(isDaylight(s, utc(iso)), true, iso);
    }
  });

  it('polar day is daylight also in the minutes between mean and true solar midnight', () => {
    // suncalc picks the day by mean solar time; in mid-July the sun runs 6 minutes behind it, so at 22:47 UTC
    // the new solar day has begun by the mean clock but its true midnight (22:50) is still ahead.
    const t = utc('2024-07-15T22:47Z');
    const w = greenWindow(at(TROMSO), t);
    assert.equal(w.allDay, true);
    assert.ok(w.startMs! > t, 'the solar day shown begins a few minutes later');
    assert.equal(isDaylight(at(TROMSO), t), true);
  });

  it('Tromsø in December: polar night, no daylight at noon, no window', () => {
    const s = at(TROMSO);
    for (const iso of ['2024-12-21T10:45Z', '2024-12-21T00:00Z']) {
      assert.deepEqual(greenWindow(s, utc(iso)), {
        source: 'location',
        startMs: null,
        endMs: null,
        allDay: false,
      } satisfies GreenWindow);
      assert.equal(isDaylight(s, utc(iso)), false, iso);
    }
  });

  it('Tromsø before the polar night: a short day, from 09:37 to 11:24 UTC on 24 November 2024', () => {
    const w = sunWindow(TROMSO, utc('2024-11-24T10:30Z'));
    near(w.startMs, '2024-11-24T09:37Z', 3, 'sunrise');
    near(w.endMs, '2024-11-24T11:24Z', 3, 'sunset');
    assert.equal(isDaylight(at(TROMSO), utc('2024-11-24T12:00Z')), false);
  });

  it('the day changes at solar midnight: just before and after, the windows of two days, both closed', () => {
    const s = at(BERLIN);
    // Berlin's solar midnight on 20/21 June 2024 is at 23:08 UTC (suncalc's nadir; NOAA: 23:08).
    const before = greenWindow(s, utc('2024-06-20T23:00Z'));
    const after = greenWindow(s, utc('2024-06-20T23:16Z'));
    near(before.startMs, '2024-06-20T02:43Z', 2, 'the 20th, before solar midnight');
    near(after.startMs, '2024-06-21T02:43Z', 2, 'the 21st, after solar midnight');
    assert.equal(isDaylight(s, utc('2024-06-20T23:00Z')), false);
    assert.equal(isDaylight(s, utc('2024-06-20T23:16Z')), false);
    // Sydney: the window of a day spans the UTC date change, and is one window.
    const sydney = greenWindow(at(SYDNEY), utc('2024-12-20T23:59Z'));
    assert.equal(sydney.startMs, greenWindow(at(SYDNEY), utc('2024-12-21T00:01Z')).startMs);
    assert.equal(isDaylight(at(SYDNEY), utc('2024-12-20T23:59Z')), true);
  });

  it('the sun is up inside the window and down outside it, anywhere below the polar circles (property)', () => {
    // Apparent altitude of the sun's centre: about −0.3° at sunrise and sunset (its upper edge at the
    // horizon, refraction included); the margins keep clear of that line.
    fc.assert(
      fc.property(
        fc.double({ min: -65, max: 65, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.integer({ min: utc('2000-01-01T00:00Z'), max: utc('2100-01-01T00:00Z') }),
        (lat, lon, t) => {
          const altitude = getPosition(new Date(t), lat, lon).altitude;
          const day = isDaylight({ ...DEFAULT_POLICY_SETTINGS, homeLat: lat, homeLon: lon }, t);
          if (altitude > -0.1) assert.equal(day, true, `altitude ${altitude}`);
          if (altitude < -0.6) assert.equal(day, false, `altitude ${altitude}`);
          const w = greenWindow({ ...DEFAULT_POLICY_SETTINGS, homeLat: lat, homeLon: lon }, t);
          assert.equal(day, w.startMs! <= t && t < w.endMs!);
        },
      ),
    );
  });
});

describe('daylight without a location: the fixed hours, as before', () => {
  const local = (d: number, h: number, m = 0): number => new Date(2026, 10, d, h, m).getTime();

  it('a location is set only when both coordinates are in range', () => {
    const place = (homeLat: number, homeLon: number) => homeLocation({ homeLat, homeLon });
    assert.deepEqual(place(52.5, 13.4), { lat: 52.5, lon: 13.4 });
    assert.deepEqual(place(-90, -180), { lat: -90, lon: -180 });
    assert.deepEqual(place(90, 180), { lat: 90, lon: 180 });
    assert.equal(place(LOCATION_UNSET, 13.4), undefined);
    assert.equal(place(52.5, LOCATION_UNSET), undefined);
    assert.equal(place(90.001, 0), undefined);
    assert.equal(place(-90.001, 0), undefined);
    assert.equal(place(0, 180.001), undefined);
    assert.equal(place(0, -180.001), undefined);
    assert.equal(place(LOCATION_UNSET, LOCATION_UNSET), undefined);
  });

  it('the window of the local date: from the sunrise hour to the sunset hour, whole hours up', () => {
    const s = { sunrise: 6, sunset: 20 };
    assert.deepEqual(hoursWindow(s, local(24, 3)), {
      source: 'hours',
      startMs: local(24, 6),
      endMs: local(24, 20),
      allDay: false,
    } satisfies GreenWindow);
    assert.deepEqual(hoursWindow({ sunrise: 6.5, sunset: 19.25 }, local(24, 23, 59)), {
      source: 'hours',
      startMs: local(24, 7),
      endMs: local(24, 20),
      allDay: false,
    } satisfies GreenWindow);
    assert.deepEqual(hoursWindow({ sunrise: 0, sunset: 24 }, local(24, 12)), {
      source: 'hours',
      startMs: local(24, 0),
      endMs: local(25, 0),
      allDay: true,
    } satisfies GreenWindow);
    // Hour 23 < 23.5: the hour before midnight is daylight too.
    assert.equal(hoursWindow({ sunrise: 0, sunset: 23.5 }, local(24, 12)).allDay, true);
    assert.equal(hoursWindow({ sunrise: 0, sunset: 23 }, local(24, 12)).allDay, false);
    assert.equal(hoursWindow({ sunrise: 0.5, sunset: 24 }, local(24, 12)).allDay, false);
    for (const closed of [
      { sunrise: 20, sunset: 6 },
      { sunrise: 8, sunset: 8 },
      { sunrise: 7.5, sunset: 8 },
    ])
      assert.deepEqual(hoursWindow(closed, local(24, 12)), {
        source: 'hours',
        startMs: null,
        endMs: null,
        allDay: false,
      } satisfies GreenWindow);
    assert.equal(hoursWindow({ sunrise: 7, sunset: 7.5 }, local(24, 12)).startMs, local(24, 7));
    assert.equal(greenWindow({ ...DEFAULT_POLICY_SETTINGS }, local(24, 12)).source, 'hours');
  });

  it('daylight is TWCManager’s test of the whole hour, and the window shown agrees (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 24, noNaN: true }),
        fc.double({ min: 0, max: 24, noNaN: true }),
        // 23 to 29 November 2026: no clock change in either hemisphere.
        fc.integer({ min: local(23, 0), max: local(30, 0) - 1 }),
        (sunrise, sunset, t) => {
          const s = { ...DEFAULT_POLICY_SETTINGS, sunrise, sunset };
          const hour = new Date(t).getHours();
          assert.equal(isDaylight(s, t), hour >= sunrise && hour < sunset);
          const w = greenWindow(s, t);
          assert.equal(isDaylight(s, t), w.startMs !== null && w.startMs <= t && t < w.endMs!);
        },
      ),
    );
  });
});

describe('Track Green Energy follows the window in use', () => {
  const green = { generationW: 5000, consumptionW: 0 };

  it('Berlin at midsummer: green from sunrise (02:43 UTC) to sunset (19:33 UTC), not on the fixed hours', () => {
    const { policy, clock } = policyAt(utc('2024-06-21T02:40Z'), green);
    policy.setLocation(BERLIN.lat, BERLIN.lon);
    const name = (iso: string): string => {
      clock.now = utc(iso);
      return policy.active().name;
    };
    assert.equal(name('2024-06-21T02:40Z'), 'Non Scheduled Charging');
    assert.equal(name('2024-06-21T02:46Z'), 'Track Green Energy');
    assert.equal(name('2024-06-21T19:30Z'), 'Track Green Energy');
    assert.equal(name('2024-06-21T19:36Z'), 'Non Scheduled Charging');
    // Unset again: the fixed hours of the local clock are back.
    policy.setSetting('homeLat', LOCATION_UNSET);
    const t = new Date(2024, 5, 21, 5, 30).getTime();
    assert.equal(name(new Date(t).toISOString()), 'Non Scheduled Charging');
  });

  it('polar day in Tromsø: green at solar midnight; polar night: never green, even at noon', () => {
    const day = policyAt(utc('2024-06-21T22:45Z'), green);
    day.policy.setLocation(TROMSO.lat, TROMSO.lon);
    assert.equal(day.policy.active().name, 'Track Green Energy');
    const night = policyAt(utc('2024-12-21T10:45Z'), { ...green, sunrise: 0, sunset: 24 });
    assert.equal(night.policy.active().name, 'Track Green Energy', 'the fixed hours would say daylight');
    night.policy.setLocation(TROMSO.lat, TROMSO.lon);
    assert.equal(night.policy.active().name, 'Non Scheduled Charging');
  });

  it('the location leaves the rest of the rules alone: action 2, action 3, the resume hour', () => {
    const noon = utc('2024-06-21T10:00Z');
    const off = policyAt(noon, { ...green, nonScheduledAction: 2 });
    off.policy.setLocation(BERLIN.lat, BERLIN.lon);
    assert.equal(off.policy.active().name, 'Non Scheduled Charging');
    const always = policyAt(utc('2024-06-21T23:00Z'), { ...green, nonScheduledAction: 3 });
    always.policy.setLocation(BERLIN.lat, BERLIN.lon);
    assert.equal(always.policy.active().name, 'Track Green Energy', 'around the clock');
    const hour = new Date(noon).getHours();
    const late = policyAt(noon, { ...green, hourResumeTrackGreenEnergy: hour + 1 });
    late.policy.setLocation(BERLIN.lat, BERLIN.lon);
    assert.equal(late.policy.active().name, 'Non Scheduled Charging', 'before the resume hour');
    const resumed = policyAt(noon, { ...green, hourResumeTrackGreenEnergy: hour });
    resumed.policy.setLocation(BERLIN.lat, BERLIN.lon);
    assert.equal(resumed.policy.active().name, 'Track Green Energy', 'at the resume hour');
  });
});
