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
  /**
   * The home location (setLatLon), degrees; LOCATION_UNSET (TWCManager's 10000) when unset. With both set,
   * Track Green Energy's daylight is the real sunrise to sunset there instead of sunrise/sunset (docs/api.md §6.7).
   */
  homeLat: number;
  homeLon: number;
  consumptionOffset: Record<string, ConsumptionOffset>;
  /** Latest readings from the flows (setGreenEnergy), in watts, offsets not applied. */
  generationW: number;
  consumptionW: number;
  /** Other keys stored through setSetting, kept as TWCManager keeps them: as text. */
  extra: Record<string, string>;
  /** setConsumptionOffset: amps counted as consumption (negative: as generation), TWCManager's name. */
  greenEnergyAmpsOffset: number;
  /** setPolicy: the policy in force whatever the rules choose; '' for none (docs/api.md §6.8). */
  policyOverride: PolicyName | '';
}

/** TWCManager's policy names, literally (clients compare these strings), in getPolicy's order. */
export const POLICY_NAMES = [
  'Charge Now',
  'Scheduled Charging',
  'Track Green Energy',
  'Non Scheduled Charging',
] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];
/** TWCManager's value of homeLat/homeLon when no location is known (far outside any coordinate). */
export const LOCATION_UNSET = 10000;

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
  homeLat: LOCATION_UNSET,
  homeLon: LOCATION_UNSET,
  consumptionOffset: {},
  generationW: 0,
  consumptionW: 0,
  extra: {},
  greenEnergyAmpsOffset: 0,
  policyOverride: '',
});

export interface SettingRange {
  min: number;
  max: number;
  /** Only whole numbers (a bitmap, a choice). */
  whole?: boolean;
  /** A value outside min…max that is accepted and kept too, meaning "not set". */
  unset?: number;
}

type Reading = 'generationW' | 'consumptionW';

/** The settings that hold one number: all but the readings and the two maps. */
export type NumericSetting = Exclude<
  keyof PolicySettings,
  Reading | 'consumptionOffset' | 'extra' | 'policyOverride'
>;

/**
 * THE range of every numeric setting: what the API accepts (chargeNow, setScheduledChargingSettings and
 * setSetting check against it) and what a restore keeps, so a value is either refused or survives a restart
 * (docs/api.md §4.11).
 */
export const NUMERIC_SETTINGS: Readonly<Record<NumericSetting, Readonly<SettingRange>>> = Object.freeze({
  chargeNowAmps: { min: 0, max: 655 },
  // 9999-12-31 23:59:59 UTC, in epoch seconds: the end of any date a client can print.
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
  homeLat: { min: -90, max: 90, unset: LOCATION_UNSET },
  homeLon: { min: -180, max: 180, unset: LOCATION_UNSET },
  // Amps, as volts × phases turn them into watts: beyond any home's supply either way.
  greenEnergyAmpsOffset: { min: -1000, max: 1000 },
});

/**
 * The bounds of what is stored besides the numbers, so no client can grow the state without limit
 * (docs/api.md §4.11). Lengths count characters (UTF-16 code units, as JavaScript counts them); a value is
 * counted as the text it is stored as.
 */
export const SETTINGS_BOUNDS = Object.freeze({
  /** setSetting's free-form settings (PolicySettings.extra): name length, value length, how many. */
  settingNameLength: 64,
  settingValueLength: 4096,
  freeFormSettings: 100,
  /** Consumption offsets: name length (TWCManager's: shorter than 32), how many, the largest value in A or W. */
  offsetNameLength: 31,
  offsets: 32,
  offsetValue: 1_000_000,
});

/** Characters TWCManager refuses in setting names, values and offset names. */
export const FORBIDDEN_CHARS = /[@#$%^&*"+<>;/]/;

/**
 * Names that are members of every object (`__proto__`, `constructor`, `toString`, …): a lookup by such a
 * name finds the prototype's member, and an assignment to `__proto__` replaces the prototype, so they never
 * name a setting or an offset.
 */
export function isReservedName(name: string): boolean {
  return Object.hasOwn(Object.prototype, name);
}

export function isNumericSetting(key: string): key is NumericSetting {
  return Object.hasOwn(NUMERIC_SETTINGS, key);
}

/** Why `value` is no value of the numeric setting `key`, or undefined. */
export function numberProblem(key: NumericSetting, value: unknown): string | undefined {
  const { min, max, whole, unset } = NUMERIC_SETTINGS[key];
  if (typeof value === 'number' && value >= min && value <= max && (!whole || Number.isInteger(value)))
    return undefined;
  if (unset !== undefined && value === unset) return undefined;
  const orUnset = unset === undefined ? '' : ` (or ${unset}: not set)`;
  return `${key} must be a ${whole ? 'whole ' : ''}number from ${min} to ${max}${orUnset}`;
}

function readingProblem(key: Reading, value: unknown): string | undefined {
  if (Number.isFinite(value) && (value as number) >= 0) return undefined;
  return `${key} must be a number, not negative`;
}

/** Why `name` cannot name a consumption offset, or undefined (TWCManager's rules, and no reserved name). */
function offsetNameProblem(name: string): string | undefined {
  const longest = SETTINGS_BOUNDS.offsetNameLength;
  if (!name) return 'offsetName must not be empty';
  if (name.length > longest) return `offsetName must be shorter than ${longest + 1} characters`;
  if (FORBIDDEN_CHARS.test(name)) return 'offsetName must not contain any of @#$%^&*"+<>;/';
  if (isReservedName(name)) return `offsetName "${name}" is a reserved name`;
  return undefined;
}

/** Why `offset` cannot be stored as the offset `name`, or undefined: the rules of addConsumptionOffset. */
export function offsetProblem(name: string, offset: unknown): string | undefined {
  const o = (offset ?? {}) as Record<string, unknown>;
  const largest = SETTINGS_BOUNDS.offsetValue;
  const problem = offsetNameProblem(name);
  if (problem) return problem;
  if (!Number.isFinite(o.value) || o.value === 0) return 'offsetValue must be a number other than 0';
  if (Math.abs(o.value as number) > largest) return `offsetValue must be from -${largest} to ${largest}`;
  if (o.unit !== 'A' && o.unit !== 'W') return 'offsetUnit must be "A" or "W"';
  return undefined;
}

/** Why `key` cannot name a setting at all, or undefined. */
export function settingNameProblem(key: string): string | undefined {
  const longest = SETTINGS_BOUNDS.settingNameLength;
  if (!key) return 'setting must be a non-empty name';
  if (key.length > longest) return `setting must be at most ${longest} characters`;
  if (isReservedName(key)) return `setting "${key}" is a reserved name`;
  return undefined;
}

/** Why `text` cannot be the value of setting `key`, or undefined. */
export function settingTextProblem(key: string, text: string): string | undefined {
  const longest = SETTINGS_BOUNDS.settingValueLength;
  if (text.length > longest) return `value must be at most ${longest} characters`;
  if (FORBIDDEN_CHARS.test(key) || FORBIDDEN_CHARS.test(text))
    return 'setting and value must not contain any of @#$%^&*"+<>;/';
  return undefined;
}

/** Why `value` cannot be the policy override, or undefined: '' (none) or a name of POLICY_NAMES. */
export function overrideProblem(value: unknown): string | undefined {
  if (value === '' || (POLICY_NAMES as readonly unknown[]).includes(value)) return undefined;
  return `policy must be one of ${POLICY_NAMES.map((n) => `"${n}"`).join(', ')}`;
}

/** A policy setting (other than the free-form ones): only its own API changes it, never as text. */
function isPolicyField(key: string): boolean {
  return Object.hasOwn(DEFAULT_POLICY_SETTINGS, key) && key !== 'extra';
}

/** Why `value` cannot be stored as the free-form setting `key`, or undefined. */
export function freeFormProblem(key: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return `${key} must be text`;
  const problem = settingNameProblem(key) ?? settingTextProblem(key, value);
  if (problem) return problem;
  if (isPolicyField(key)) return `${key} cannot be set this way`;
  if (value === '') return 'value must not be empty';
  return undefined;
}

type EntryProblem = (key: string, value: unknown) => string | undefined;

function entriesProblem(value: object, entryProblem: EntryProblem, most: number, tooMany: string) {
  const entries = Object.entries(value);
  for (const [k, v] of entries) {
    const problem = entryProblem(k, v);
    if (problem) return problem;
  }
  return entries.length > most ? tooMany : undefined;
}

const MANY_OFFSETS = `at most ${SETTINGS_BOUNDS.offsets} consumption offsets; delete one before adding another`;
const MANY_SETTINGS = `at most ${SETTINGS_BOUNDS.freeFormSettings} free-form settings; replace one instead of adding another`;

/**
 * Why `patch` holds a value that restoreSettings would not keep, or undefined. ChargePolicy stores nothing
 * that fails it, which is what makes every accepted value survive a restart.
 */
export function patchProblem(patch: Partial<PolicySettings>): string | undefined {
  for (const [key, value] of Object.entries(patch) as [keyof PolicySettings, unknown][]) {
    const problem =
      key === 'consumptionOffset'
        ? entriesProblem(value as object, offsetProblem, SETTINGS_BOUNDS.offsets, MANY_OFFSETS)
        : key === 'extra'
          ? entriesProblem(value as object, freeFormProblem, SETTINGS_BOUNDS.freeFormSettings, MANY_SETTINGS)
          : key === 'generationW' || key === 'consumptionW'
            ? readingProblem(key, value)
            : key === 'policyOverride'
              ? overrideProblem(value)
              : numberProblem(key, value);
    if (problem) return problem;
  }
  return undefined;
}

/** JSON writes −0 as 0; storing 0 keeps what is in force equal to what comes back. */
export const plainZero = <T>(value: T): T => (value === 0 ? (0 as T) : value);

/** The entries of a stored map that pass `problem`, the first `most` of them. */
function keptEntries(stored: unknown, problem: EntryProblem, most: number): [string, unknown][] {
  if (!stored || typeof stored !== 'object') return [];
  return Object.entries(stored)
    .filter(([k, v]) => problem(k, v) === undefined)
    .slice(0, most);
}

/**
 * Settings read back from storage by the rules the API applies (the same checks as ChargePolicy's): a value
 * that fails them falls back to its default, offsets and free-form settings that fail are dropped and at
 * most their bound is kept, so a damaged store can never put a non-number where the policies expect one.
 * The maps are built from entries, so a stored `__proto__` can never become a prototype.
 */
export function restoreSettings(stored: unknown): PolicySettings {
  const out: PolicySettings = { ...DEFAULT_POLICY_SETTINGS, consumptionOffset: {}, extra: {} };
  if (
    !stored ||
    // Stryker: `typeof stored !== 'object'` → false is equivalent: a primitive has no own keys, so it
    // restores the defaults either way (`!stored` keeps null and undefined from being read).
    // Stryker disable next-line ConditionalExpression: equivalent, see above
    typeof stored !== 'object'
  )
    return out;
  const own = (key: string): unknown =>
    Object.hasOwn(stored, key) ? (stored as Record<string, unknown>)[key] : undefined;
  const numbers = out as unknown as Record<string, unknown>;
  for (const key of Object.keys(NUMERIC_SETTINGS) as NumericSetting[])
    if (numberProblem(key, own(key)) === undefined) numbers[key] = plainZero(own(key));
  for (const key of ['generationW', 'consumptionW'] as const)
    if (readingProblem(key, own(key)) === undefined) numbers[key] = plainZero(own(key));
  if (overrideProblem(own('policyOverride')) === undefined)
    out.policyOverride = own('policyOverride') as PolicySettings['policyOverride'];
  const offsets = keptEntries(own('consumptionOffset'), offsetProblem, SETTINGS_BOUNDS.offsets);
  out.consumptionOffset = Object.fromEntries(
    offsets.map(([name, o]) => {
      const { value, unit } = o as ConsumptionOffset;
      return [name, { value, unit }];
    }),
  );
  out.extra = Object.fromEntries(
    keptEntries(own('extra'), freeFormProblem, SETTINGS_BOUNDS.freeFormSettings),
  ) as Record<string, string>;
  return out;
}
