/** A user offset on measured consumption (positive) or generation (negative), TWCManager's consumptionOffset. */
export interface ConsumptionOffset {
  value: number;
  unit: 'A' | 'W';
}

/**
 * Everything the policies read, under TWCManager's setting names so setSetting and clients speak the same
 * language. Hours are local time and may carry fractions (22.5 = 22:30).
 */
export interface PolicySettings {
  /** Charge Now: the rate and its end (epoch seconds); 0/0 when inactive. */
  chargeNowAmps: number;
  chargeNowTimeEnd: number;
  /** Scheduled Charging: amps, start and end hour (-1 unset), days (Monday = bit 0). */
  scheduledAmpsMax: number;
  scheduledAmpsStartHour: number;
  scheduledAmpsEndHour: number;
  scheduledAmpsDaysBitmap: number;
  scheduledAmpsFlexStart: number;
  scheduledAmpsBatterySize: number;
  /** Outside the schedule: 1 charge at nonScheduledAmpsMax, 2 do not charge, 3 track green energy around the clock. */
  nonScheduledAction: number;
  nonScheduledAmpsMax: number;
  /** Track Green Energy only between these hours (and not before the resume hour). */
  hourResumeTrackGreenEnergy: number;
  sunrise: number;
  sunset: number;
  consumptionOffset: Record<string, ConsumptionOffset>;
  /** Latest readings from the flows (setGreenEnergy), in watts, offsets not applied. */
  generationW: number;
  consumptionW: number;
  /** Other keys stored through setSetting, kept as TWCManager keeps them: as text. */
  extra: Record<string, string>;
}

export const DEFAULT_POLICY_SETTINGS: Readonly<PolicySettings> = Object.freeze({
  chargeNowAmps: 0,
  chargeNowTimeEnd: 0,
  scheduledAmpsMax: 0,
  scheduledAmpsStartHour: -1,
  scheduledAmpsEndHour: -1,
  scheduledAmpsDaysBitmap: 0x7f,
  scheduledAmpsFlexStart: 0,
  scheduledAmpsBatterySize: 100,
  nonScheduledAction: 1,
  nonScheduledAmpsMax: 0,
  hourResumeTrackGreenEnergy: 0,
  sunrise: 6,
  sunset: 20,
  consumptionOffset: {},
  generationW: 0,
  consumptionW: 0,
  extra: {},
});

/** The numeric settings setSetting may change, with the range each must stay in. */
export const NUMERIC_SETTINGS: Readonly<Record<string, { min: number; max: number; whole?: boolean }>> = {
  chargeNowAmps: { min: 0, max: 655 },
  chargeNowTimeEnd: { min: 0, max: 253402300799 },
  scheduledAmpsMax: { min: 0, max: 655 },
  scheduledAmpsStartHour: { min: -1, max: 24 },
  scheduledAmpsEndHour: { min: -1, max: 24 },
  scheduledAmpsDaysBitmap: { min: 0, max: 127, whole: true },
  scheduledAmpsFlexStart: { min: 0, max: 1, whole: true },
  scheduledAmpsBatterySize: { min: 0, max: 1000 },
  nonScheduledAction: { min: 0, max: 3, whole: true },
  nonScheduledAmpsMax: { min: 0, max: 655 },
  hourResumeTrackGreenEnergy: { min: -1, max: 24 },
  sunrise: { min: 0, max: 24 },
  sunset: { min: 0, max: 24 },
};

/** Characters TWCManager refuses in setting names, values and offset names. */
export const FORBIDDEN_CHARS = /[@#$%^&*"+<>;/]/;

/**
 * Settings read back from storage: known keys of the right type are kept, anything else falls back to its
 * default, so a damaged store can never put a non-number where the policies expect one.
 */
export function restoreSettings(stored: unknown): PolicySettings {
  const out: PolicySettings = { ...DEFAULT_POLICY_SETTINGS, consumptionOffset: {}, extra: {} };
  if (
    !stored ||
    // Stryker: `typeof stored !== 'object'` → false is equivalent: a primitive has none of the keys read
    // below, so it restores the defaults either way (`!stored` keeps null and undefined from being read).
    // Stryker disable next-line ConditionalExpression: equivalent, see above
    typeof stored !== 'object'
  )
    return out;
  const s = stored as Record<string, unknown>;
  for (const key of Object.keys(NUMERIC_SETTINGS)) {
    const v = s[key];
    const range = NUMERIC_SETTINGS[key];
    if (
      typeof v === 'number' &&
      Number.isFinite(v) &&
      v >= range.min &&
      v <= range.max &&
      (!range.whole || Number.isInteger(v))
    ) {
      (out as unknown as Record<string, number>)[key] = v;
    }
  }
  for (const key of ['generationW', 'consumptionW'] as const) {
    const v = s[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[key] = v;
  }
  if (
    s.consumptionOffset &&
    // Stryker: `typeof … === 'object'` → true is equivalent: the entries of a string or a number are no
    // {value, unit} objects and are skipped below (`s.consumptionOffset &&` keeps null out).
    // Stryker disable next-line ConditionalExpression: equivalent, see above
    typeof s.consumptionOffset === 'object'
  ) {
    for (const [name, o] of Object.entries(s.consumptionOffset as Record<string, unknown>)) {
      const off = o as Partial<ConsumptionOffset> | null;
      if (
        off &&
        typeof off.value === 'number' &&
        Number.isFinite(off.value) &&
        (off.unit === 'A' || off.unit === 'W')
      )
        out.consumptionOffset[name] = { value: off.value, unit: off.unit };
    }
  }
  if (s.extra && typeof s.extra === 'object') {
    for (const [k, v] of Object.entries(s.extra as Record<string, unknown>))
      if (typeof v === 'string') out.extra[k] = v;
  }
  return out;
}
