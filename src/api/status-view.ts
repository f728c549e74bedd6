import type { MasterSnapshot } from '../master/types';
import type { ActivePolicy, PolicySettings } from '../policy/charge-policy';
import { fixed2, slaveWatts, type InstallationSettings } from './installation';

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** The schedule part of getStatus; scheduled charging itself comes with the policy work, so it is off. */
function scheduledCharging(): Record<string, unknown> {
  const days = Object.fromEntries(DAYS.map((d) => [d, true]));
  const flexDays = Object.fromEntries(DAYS.map((d) => [`flex${d[0].toUpperCase()}${d.slice(1)}`, true]));
  return {
    enabled: false,
    amps: 0,
    startingMinute: -1,
    endingMinute: -1,
    ...days,
    flexStartEnabled: 0,
    flexStartingMinute: -1,
    flexEndingMinute: -1,
    ...flexDays,
    flexBatterySize: 100,
  };
}

function serverTime(nowMs: number): string {
  const d = new Date(nowMs);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}, ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** GET /api/getStatus, key for key in TWCManager's order (twcmanager-api-reference.md §3.1). */
export function getStatus(
  snapshot: MasterSnapshot,
  active: ActivePolicy,
  settings: PolicySettings,
  install: InstallationSettings,
  nowMs: number,
): Record<string, unknown> {
  const supply = install.defaultVoltage * install.numberOfPhases;
  const loadWatts = snapshot.slaves.reduce(
    (sum, s) =>
      sum + slaveWatts(s.reportedAmpsActual, [s.voltsPhaseA, s.voltsPhaseB, s.voltsPhaseC], install),
    0,
  );
  const maxAmps = Math.max(0, Math.min(active.amps, install.wiringMaxAmpsAllTWCs));
  const status: Record<string, unknown> = {
    carsCharging: snapshot.totals.carsCharging,
    chargerLoadWatts: fixed2(loadWatts),
    chargerLoadAmps: fixed2(loadWatts / supply),
    currentPolicy: active.name,
    maxAmpsToDivideAmongSlaves: fixed2(maxAmps),
    currentServerTime: serverTime(nowMs),
    consumptionAmps: fixed2(settings.consumptionW / supply),
    consumptionWatts: fixed2(settings.consumptionW),
    generationAmps: fixed2(settings.generationW / supply),
    generationWatts: fixed2(settings.generationW),
    isGreenPolicy: active.isGreen ? 'Yes' : 'No',
    scheduledChargingStartHour: -1,
    scheduledChargingFlexStart: -1,
    scheduledChargingEndHour: -1,
    ScheduledCharging: scheduledCharging(),
  };
  if (settings.chargeNowAmps > 0 && settings.chargeNowTimeEnd > nowMs / 1000) {
    status.chargeNowTimeEnd = settings.chargeNowTimeEnd;
    status.chargeNowAmps = settings.chargeNowAmps;
  }
  return status;
}
