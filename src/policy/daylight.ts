import type * as SunCalc from 'suncalc' with { 'resolution-mode': 'import' };
import { NUMERIC_SETTINGS, type PolicySettings } from './settings';

type Daylight = Pick<PolicySettings, 'sunrise' | 'sunset' | 'homeLat' | 'homeLon'>;

/**
 * The daylight window Track Green Energy uses now (docs/api.md §6.7): from the home location's sunrise to its
 * sunset when a location is set, else from the `sunrise` to the `sunset` hour of the local date.
 */
export interface GreenWindow {
  source: 'location' | 'hours';
  /** Epoch milliseconds; both null when the window does not open (polar night, sunrise hour ≥ sunset hour). */
  startMs: number | null;
  endMs: number | null;
  /** Daylight all day: polar day, or the hours 0 to 24. */
  allDay: boolean;
}

export interface Place {
  lat: number;
  lon: number;
}

const DAY_MS = 86_400_000;

// suncalc ships a CommonJS build for require() beside its ES module, but TypeScript's node16 mode reads only
// the ES module's types, so the types come from there and the code from the CommonJS build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getTimes } = require('suncalc') as typeof SunCalc;

/** The home location, or undefined while either coordinate is unset (or outside its range). */
export function homeLocation(s: Pick<PolicySettings, 'homeLat' | 'homeLon'>): Place | undefined {
  const inRange = (key: 'homeLat' | 'homeLon'): boolean =>
    s[key] >= NUMERIC_SETTINGS[key].min && s[key] <= NUMERIC_SETTINGS[key].max;
  return inRange('homeLat') && inRange('homeLon') ? { lat: s.homeLat, lon: s.homeLon } : undefined;
}

/**
 * Sunrise to sunset of the solar day around `nowMs` at `place` (the day whose solar noon is nearest), so the
 * day changes at solar midnight, when the sun is at its lowest: a window never opens or closes because the
 * date changed, whatever time zone the machine runs in. The sun never setting that day is daylight all day
 * (the solar day, midnight to midnight); never rising, no daylight.
 */
export function sunWindow(place: Place, nowMs: number): GreenWindow {
  const t = getTimes(new Date(nowMs), place.lat, place.lon);
  if (t.sunrise && t.sunset)
    return { source: 'location', startMs: t.sunrise.getTime(), endMs: t.sunset.getTime(), allDay: false };
  if (t.alwaysUp) {
    const start = t.nadir.getTime();
    return { source: 'location', startMs: start, endMs: start + DAY_MS, allDay: true };
  }
  return { source: 'location', startMs: null, endMs: null, allDay: false };
}

/**
 * The fixed hours on the local date of `nowMs`. TWCManager compares the whole hour of the clock, so a window
 * opens at the first whole hour not before `sunrise` and closes at the first not before `sunset`.
 */
export function hoursWindow(s: Pick<PolicySettings, 'sunrise' | 'sunset'>, nowMs: number): GreenWindow {
  const d = new Date(nowMs);
  const at = (hour: number): number => new Date(d.getFullYear(), d.getMonth(), d.getDate(), hour).getTime();
  const open = Math.ceil(s.sunrise);
  const close = Math.ceil(s.sunset);
  if (open >= close) return { source: 'hours', startMs: null, endMs: null, allDay: false };
  return { source: 'hours', startMs: at(open), endMs: at(close), allDay: open === 0 && close === 24 };
}

/** The window in use now: the location's when one is set, else the fixed hours. */
export function greenWindow(s: Daylight, nowMs: number): GreenWindow {
  const place = homeLocation(s);
  return place ? sunWindow(place, nowMs) : hoursWindow(s, nowMs);
}

/**
 * Whether it is daylight for Track Green Energy at `nowMs`. Without a location this is TWCManager's test of the
 * clock's hour, unchanged (also on the days the clock changes); with one, the instant lies in the sun's window.
 */
export function isDaylight(s: Daylight, nowMs: number): boolean {
  const place = homeLocation(s);
  if (!place) {
    const hour = new Date(nowMs).getHours();
    return hour >= s.sunrise && hour < s.sunset;
  }
  const w = sunWindow(place, nowMs);
  if (w.allDay) return true;
  return w.startMs !== null && w.endMs !== null && nowMs >= w.startMs && nowMs < w.endMs;
}
