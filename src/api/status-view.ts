import type { MasterSnapshot } from '../master/types';
import { DAY_NAMES, type ActivePolicy } from '../policy/charge-policy';
import { greenWindow } from '../policy/daylight';
import { greenWatts } from '../policy/green';
import { scheduleEnabled } from '../policy/schedule';
import type { PolicySettings } from '../policy/settings';
import { supplyOf, wattsPerAmp } from '../policy/supply';
import { chargerWatts, fixed2, type InstallationSettings } from './installation';
import { notices } from './notices';

/** TWCManager truncates the start to the whole hour (22:30 reads back as 22); -1 when unset. */
const startHourOf = (s: PolicySettings): number =>
  s.scheduledAmpsStartHour >= 0 ? Math.trunc(s.scheduledAmpsStartHour) : -1;

/** The `ScheduledCharging` object of getStatus, key for key (docs/api.md §3.1). */
export function scheduledCharging(s: PolicySettings): Record<string, unknown> {
  const startHour = startHourOf(s);
  const minute = (h: number): number => (h >= 0 ? Math.trunc(h * 60) : -1);
  const days = DAY_NAMES.map((d, i) => [d, (s.scheduledAmpsDaysBitmap & (1 << i)) !== 0] as const);
  return {
    enabled: scheduleEnabled(s),
    amps: Math.trunc(s.scheduledAmpsMax),
    startingMinute: minute(startHour),
    endingMinute: minute(s.scheduledAmpsEndHour),
    ...Object.fromEntries(days),
    flexStartEnabled: s.scheduledAmpsFlexStart,
    flexStartingMinute: minute(startHour),
    flexEndingMinute: minute(s.scheduledAmpsEndHour),
    ...Object.fromEntries(days.map(([d, on]) => [`flex${d[0].toUpperCase()}${d.slice(1)}`, on])),
    flexBatterySize: s.scheduledAmpsBatterySize,
  };
}

/** Local time as TWCManager's currentServerTime writes it: `YYYY-MM-DD, HH:MM`. */
function serverTime(nowMs: number): string {
  const d = new Date(nowMs);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}, ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** GET /api/getStatus, key for key in TWCManager's order (docs/api.md §3.1). */
export function getStatus(
  snapshot: MasterSnapshot,
  active: ActivePolicy,
  settings: PolicySettings,
  install: InstallationSettings,
  nowMs: number,
): Record<string, unknown> {
  const sup = supplyOf(snapshot.slaves, install);
  const supply = wattsPerAmp(sup);
  const green = greenWatts(settings, sup);
  const loadWatts = chargerWatts(snapshot.slaves, install);
  const startHour = startHourOf(settings);
  const maxAmps = Math.max(0, Math.min(active.amps, install.wiringMaxAmpsAllTWCs));
  const status: Record<string, unknown> = {
    carsCharging: snapshot.totals.carsCharging,
    chargerLoadWatts: fixed2(loadWatts),
    chargerLoadAmps: fixed2(loadWatts / supply),
    currentPolicy: active.name,
    maxAmpsToDivideAmongSlaves: fixed2(maxAmps),
    currentServerTime: serverTime(nowMs),
    consumptionAmps: fixed2(green.consumptionW / supply),
    consumptionWatts: fixed2(green.consumptionW),
    generationAmps: fixed2(green.generationW / supply),
    generationWatts: fixed2(green.generationW),
    isGreenPolicy: active.isGreen ? 'Yes' : 'No',
    scheduledChargingStartHour: startHour,
    scheduledChargingFlexStart: startHour,
    scheduledChargingEndHour: settings.scheduledAmpsEndHour >= 0 ? settings.scheduledAmpsEndHour : -1,
    ScheduledCharging: scheduledCharging(settings),
  };
  if (settings.chargeNowAmps > 0 && settings.chargeNowTimeEnd > nowMs / 1000) {
    status.chargeNowTimeEnd = settings.chargeNowTimeEnd;
    status.chargeNowAmps = settings.chargeNowAmps;
  }
  // Ours, last: why what is set does not reach the wire now (docs/api.md §1.7).
  return { ...status, ...greenWindowFields(settings, nowMs), notices: notices(snapshot, active, install) };
}

/** Ours, after TWCManager's keys: the daylight window Track Green Energy uses now (docs/api.md §6.7). */
export function greenWindowFields(settings: PolicySettings, nowMs: number): Record<string, unknown> {
  const w = greenWindow(settings, nowMs);
  return {
    greenWindowSource: w.source,
    greenWindowStart: w.startMs === null ? null : serverTime(w.startMs),
    greenWindowEnd: w.endMs === null ? null : serverTime(w.endMs),
    greenWindowAllDay: w.allDay,
  };
}
