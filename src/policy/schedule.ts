import type { PolicySettings } from './settings';

type Schedule = Pick<
  PolicySettings,
  'scheduledAmpsMax' | 'scheduledAmpsStartHour' | 'scheduledAmpsEndHour' | 'scheduledAmpsDaysBitmap'
>;

/** A schedule exists: amps, both ends and at least one day (TWCManager's rule, docs/api.md §6.5). */
export function scheduleEnabled(s: Schedule): boolean {
  return (
    s.scheduledAmpsMax > 0 &&
    s.scheduledAmpsStartHour >= 0 &&
    s.scheduledAmpsEndHour >= 0 &&
    s.scheduledAmpsDaysBitmap > 0
  );
}

/** Monday = 0 … Sunday = 6, as Python's tm_wday and the days bitmap count. */
const weekday = (d: Date): number => (d.getDay() + 6) % 7;

/**
 * Inside the schedule at local time `at`. The start counts in whole hours, the end with its fraction, and a
 * window that crosses midnight belongs to the day it started on.
 */
export function inSchedule(s: Schedule, at: Date): boolean {
  if (!scheduleEnabled(s)) return false;
  const start = Math.trunc(s.scheduledAmpsStartHour);
  const end = s.scheduledAmpsEndHour;
  const now = at.getHours() + at.getMinutes() / 60;
  const day = (wd: number): boolean => (s.scheduledAmpsDaysBitmap & (1 << wd)) !== 0;
  const today = weekday(at);
  if (start <= end) return start <= now && now < end && day(today);
  return (now >= start && day(today)) || (now < end && day((today + 6) % 7));
}
