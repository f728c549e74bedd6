import type { AmpsPolicy } from './available-amps';
import { isDaylight } from './daylight';
import { DEFAULT_HYSTERESIS, GreenHysteresis, surplusAmps } from './green';
import { inSchedule } from './schedule';
import type { Supply } from './supply';
import {
  DEFAULT_POLICY_SETTINGS,
  isNumericSetting,
  NUMERIC_SETTINGS,
  patchProblem,
  plainZero,
  POLICY_NAMES,
  restoreSettings,
  settingNameProblem,
  settingTextProblem,
  type ConsumptionOffset,
  type NumericSetting,
  type PolicyName,
  type PolicySettings,
} from './settings';

export type { PolicyName } from './settings';

export interface ActivePolicy {
  name: PolicyName;
  amps: number;
  isGreen: boolean;
  /** getActivePolicyAction: 1 charge at a fixed rate, 2 do not charge, 3 track green energy. */
  action: 1 | 2 | 3;
}

export class PolicyInputError extends Error {
  override name = 'PolicyInputError';
}

export interface ScheduleUpdate {
  enabled?: boolean;
  startingMinute?: number;
  endingMinute?: number;
  amps?: number;
  days?: Partial<Record<(typeof DAY_NAMES)[number], boolean>>;
  flexBatterySize?: number;
  flexStartEnabled?: number;
}

export const DAY_NAMES = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;

export interface ChargePolicyOptions {
  /** Wall-clock milliseconds; schedules and charge-now ends are wall-clock times. */
  wallClock?: () => number;
  /** Volts and phases for turning watts into amps (the slaves' reported voltage when known). */
  supply?: () => Supply;
  /** minAmpsPerTWC: the green policy offers 0 or at least this. */
  minAmps?: number;
  startDelayMs?: number;
  stopDelayMs?: number;
}

/** The API's wording for a whole number out of range (the web page shows it), kept for every caller. */
function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new PolicyInputError(`${name} must be a whole number greater than 0`);
  if (value <= 0) throw new PolicyInputError(`${name} must be greater than 0`);
  return value;
}

/** A setting's value as text, as setSetting stores it; '' for what JSON cannot write (a BigInt, a cycle). */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value ?? null) ?? '';
  } catch {
    return '';
  }
}

/** A number, or numeric text (" 24 "); NaN for anything else. */
function asNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
}

function finiteNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new PolicyInputError(`${name} must be a number`);
  return value;
}

/**
 * The charging policies in TWCManager's order: Charge Now while it lasts, Scheduled Charging inside the
 * schedule, Track Green Energy in daylight (or always with nonScheduledAction 3), else Non Scheduled
 * Charging. The engine asks for the amps at every heartbeat, so expiry and schedules need no timer.
 */
export class ChargePolicy implements AmpsPolicy {
  private settings: PolicySettings;
  private readonly wallClock: () => number;
  private readonly supply: () => Supply;
  private readonly green: GreenHysteresis;
  private readonly listeners = new Set<(s: Readonly<PolicySettings>) => void>();

  constructor(settings: Partial<PolicySettings> = {}, options: ChargePolicyOptions = {}) {
    this.settings = { ...DEFAULT_POLICY_SETTINGS, consumptionOffset: {}, extra: {} };
    this.settings = this.checked(settings);
    this.wallClock = options.wallClock ?? Date.now;
    this.supply = options.supply ?? (() => ({ volts: 240, phases: 1 }));
    this.green = new GreenHysteresis({
      minAmps: options.minAmps ?? 6,
      startDelayMs: options.startDelayMs ?? DEFAULT_HYSTERESIS.startDelayMs,
      stopDelayMs: options.stopDelayMs ?? DEFAULT_HYSTERESIS.stopDelayMs,
    });
  }

  get current(): Readonly<PolicySettings> {
    return this.settings;
  }

  /** Takes back stored settings (see restoreSettings); nothing stored keeps the defaults. */
  restore(stored: unknown): void {
    if (stored === undefined || stored === null) return;
    this.settings = restoreSettings(stored);
  }

  /** Called after every change of the settings (to persist them). */
  onChange(listener: (s: Readonly<PolicySettings>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Charge at `amps` for `durationSeconds`, from now; a repeat replaces both. */
  chargeNow(amps: number, durationSeconds: number): { rate: number; duration: number; timeEnd: number } {
    const rate = positiveInteger('chargeNowRate', amps);
    const duration = positiveInteger('chargeNowDuration', durationSeconds);
    const { max: most } = NUMERIC_SETTINGS.chargeNowAmps;
    if (rate > most) throw new PolicyInputError(`chargeNowRate must be at most ${most}`);
    const now = this.wallClock() / 1000;
    const { max: latest } = NUMERIC_SETTINGS.chargeNowTimeEnd;
    const timeEnd = now + duration;
    if (timeEnd > latest)
      throw new PolicyInputError(`chargeNowDuration must be at most ${Math.floor(latest - now)} seconds`);
    // A charge-now is asked for by name, so it ends an override as setPolicy("Charge Now") would.
    this.update({ chargeNowAmps: rate, chargeNowTimeEnd: timeEnd, policyOverride: '' });
    return { rate, duration, timeEnd };
  }

  cancelChargeNow(): void {
    this.update({ chargeNowAmps: 0, chargeNowTimeEnd: 0 });
  }

  chargeNowActive(): boolean {
    const s = this.settings;
    return s.chargeNowAmps > 0 && s.chargeNowTimeEnd > this.wallClock() / 1000;
  }

  setGreenEnergy(generationW: number, consumptionW: number): void {
    const generation = finiteNumber('generationW', generationW);
    const consumption = finiteNumber('consumptionW', consumptionW);
    if (generation < 0 || consumption < 0)
      throw new PolicyInputError('generationW and consumptionW must not be negative');
    this.update({ generationW: generation, consumptionW: consumption });
  }

  /**
   * setScheduledChargingSettings. Fields left out keep their value. Disabling keeps the hours and days so
   * that enabling again needs no other field.
   */
  setSchedule(u: ScheduleUpdate): void {
    const s = this.settings;
    const next: Partial<PolicySettings> = {};
    // Minutes of the day, -1 for unset (TWCManager's); the hours they become must be in the table's range.
    const hour = (name: string, v: number, key: NumericSetting): number => {
      const last = NUMERIC_SETTINGS[key].max * 60;
      if (!Number.isInteger(v) || v < -1 || v > last)
        throw new PolicyInputError(`${name} must be a minute of the day, 0 to ${last} (or -1)`);
      return v / 60;
    };
    if (u.startingMinute !== undefined)
      next.scheduledAmpsStartHour = hour('startingMinute', u.startingMinute, 'scheduledAmpsStartHour');
    if (u.endingMinute !== undefined)
      next.scheduledAmpsEndHour = hour('endingMinute', u.endingMinute, 'scheduledAmpsEndHour');
    if (u.amps !== undefined) {
      const { min, max } = NUMERIC_SETTINGS.scheduledAmpsMax;
      if (!(u.amps >= min && u.amps <= max)) throw new PolicyInputError(`amps must be from ${min} to ${max}`);
      next.scheduledAmpsMax = Math.trunc(u.amps);
    }
    let bitmap = s.scheduledAmpsDaysBitmap;
    DAY_NAMES.forEach((d, i) => {
      const v = u.days?.[d];
      if (v !== undefined) bitmap = v ? bitmap | (1 << i) : bitmap & ~(1 << i);
    });
    next.scheduledAmpsDaysBitmap = bitmap;
    // TWCManager ignores a battery of 40 kWh or less; above the table's range is refused, not ignored.
    if (u.flexBatterySize !== undefined && !(u.flexBatterySize <= 40)) {
      const { max } = NUMERIC_SETTINGS.scheduledAmpsBatterySize;
      if (!(u.flexBatterySize <= max))
        throw new PolicyInputError(`flexBatterySize must be at most ${max} (40 or less is ignored)`);
      next.scheduledAmpsBatterySize = u.flexBatterySize;
    }
    if (u.flexStartEnabled !== undefined) next.scheduledAmpsFlexStart = u.flexStartEnabled ? 1 : 0;
    if (u.enabled === false) next.scheduledAmpsMax = 0;
    if (u.enabled === true && (next.scheduledAmpsMax ?? s.scheduledAmpsMax) <= 0)
      throw new PolicyInputError('amps must be greater than 0 to enable the schedule');
    this.update(next);
  }

  /**
   * addConsumptionOffset: TWCManager's rules for names, a non-zero value, unit A or W, and our bounds
   * (offsetProblem, which update() applies to every offset).
   */
  setOffset(name: string, value: number, unit: string): ConsumptionOffset {
    const offset = { value, unit } as ConsumptionOffset;
    this.update({ consumptionOffset: { ...this.settings.consumptionOffset, [name]: offset } });
    return offset;
  }

  /** deleteConsumptionOffset; false when there is no offset of that name. */
  deleteOffset(name: string): boolean {
    if (!Object.hasOwn(this.settings.consumptionOffset, name)) return false;
    const rest = { ...this.settings.consumptionOffset };
    delete rest[name];
    this.update({ consumptionOffset: rest });
    return true;
  }

  /**
   * setSetting. Known numeric settings must hold a number in their range (NUMERIC_SETTINGS); other keys are
   * stored as text like TWCManager stores them, unless name or value holds a refused character, the name is
   * reserved, or a bound of SETTINGS_BOUNDS is exceeded.
   */
  setSetting(key: string, value: unknown): void {
    const text = asText(value);
    const problem = settingNameProblem(key) ?? settingTextProblem(key, text);
    if (problem) throw new PolicyInputError(problem);
    // update() refuses a number out of the table's range, a policy field that is no free-form setting,
    // an empty value and one free-form setting too many, each with its reason.
    if (isNumericSetting(key)) this.update({ [key]: asNumber(value) });
    else this.update({ extra: { ...this.settings.extra, [key]: text } });
  }

  /**
   * setLatLon: the home location, both coordinates at once, in degrees (lat −90…90, lon −180…180); from then
   * on Track Green Energy's daylight is the sun's at that place (docs/api.md §6.7).
   */
  setLocation(lat: number, lon: number): void {
    const coordinate = (key: 'homeLat' | 'homeLon', name: string, v: number): number => {
      const { min, max } = NUMERIC_SETTINGS[key];
      if (!(typeof v === 'number' && v >= min && v <= max))
        throw new PolicyInputError(`${name} must be a number from ${min} to ${max}`);
      return v;
    };
    this.update({ homeLat: coordinate('homeLat', 'lat', lat), homeLon: coordinate('homeLon', 'lon', lon) });
  }

  /** setConsumptionOffset: amps added to consumption (negative: to generation), within docs/api.md §4.11's range. */
  setConsumptionOffset(amps: number): void {
    this.update({ greenEnergyAmpsOffset: finiteNumber('offset', amps) });
  }

  /**
   * setPolicy: `name` is in force from now on, whatever the rules choose, until setPolicy names the policy
   * the rules choose anyway (which ends the override) or a chargeNow (docs/api.md §6.8). Returns the name.
   */
  setPolicy(name: unknown): PolicyName {
    if (typeof name !== 'string') throw new PolicyInputError('policy must be a string');
    if (name.trim() === '') throw new PolicyInputError('policy cannot be empty');
    const known = POLICY_NAMES.find((n) => n === name);
    if (!known) throw new PolicyInputError(`policy "${name}" is not one of getPolicy's policies`);
    this.update({ policyOverride: known === this.chosen(this.wallClock()) ? '' : known });
    return known;
  }

  /** The policy in force now: the override, else the rules' choice in TWCManager's order (docs/api.md §6.2). */
  active(): ActivePolicy {
    const s = this.settings;
    const nowMs = this.wallClock();
    const name = s.policyOverride || this.chosen(nowMs);
    if (name === 'Track Green Energy') {
      const amps = this.green.amps(surplusAmps(s, this.supply()), nowMs);
      return { name, amps, isGreen: true, action: 3 };
    }
    this.green.reset();
    // An override may name a policy whose own condition does not hold: a charge-now that is over gives 0 A.
    const amps =
      name === 'Charge Now'
        ? this.chargeNowActive()
          ? s.chargeNowAmps
          : 0
        : name === 'Scheduled Charging'
          ? s.scheduledAmpsMax
          : s.nonScheduledAction === 2
            ? 0
            : s.nonScheduledAmpsMax;
    return { name, amps, isGreen: false, action: amps > 0 ? 1 : 2 };
  }

  /** The first policy of docs/api.md §6.2 whose condition holds at `nowMs` (the override aside). */
  private chosen(nowMs: number): PolicyName {
    const s = this.settings;
    if (this.chargeNowActive()) return 'Charge Now';
    const at = new Date(nowMs);
    if (inSchedule(s, at)) return 'Scheduled Charging';
    const daylight =
      isDaylight(s, nowMs) && s.hourResumeTrackGreenEnergy <= at.getHours() && s.nonScheduledAction !== 2;
    return daylight || s.nonScheduledAction === 3 ? 'Track Green Energy' : 'Non Scheduled Charging';
  }

  availableAmps(): number {
    return this.active().amps;
  }

  /**
   * The settings with `patch` applied, if restoreSettings would keep every value of it (patchProblem): the
   * one check between an accepted value and one that comes back after a restart.
   */
  private checked(patch: Partial<PolicySettings>): PolicySettings {
    const problem = patchProblem(patch);
    if (problem) throw new PolicyInputError(problem);
    const plain = Object.entries(patch).map(([k, v]) => [k, plainZero(v)]);
    return { ...this.settings, ...(Object.fromEntries(plain) as Partial<PolicySettings>) };
  }

  private update(patch: Partial<PolicySettings>): void {
    this.settings = this.checked(patch);
    for (const l of this.listeners) l(this.settings);
  }
}
