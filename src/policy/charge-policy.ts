import type { AmpsPolicy } from './available-amps';
import { DEFAULT_HYSTERESIS, GreenHysteresis, surplusAmps } from './green';
import { inSchedule } from './schedule';
import type { Supply } from './supply';
import {
  DEFAULT_POLICY_SETTINGS,
  FORBIDDEN_CHARS,
  NUMERIC_SETTINGS,
  restoreSettings,
  type ConsumptionOffset,
  type PolicySettings,
} from './settings';

/** TWCManager's policy names, literally: clients compare these strings. */
export type PolicyName =
  'Charge Now' | 'Scheduled Charging' | 'Track Green Energy' | 'Non Scheduled Charging';

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
    this.settings = { ...DEFAULT_POLICY_SETTINGS, consumptionOffset: {}, extra: {}, ...settings };
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
    const timeEnd = this.wallClock() / 1000 + duration;
    this.update({ chargeNowAmps: rate, chargeNowTimeEnd: timeEnd });
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
    const minute = (name: string, v: number): number => {
      if (!Number.isInteger(v) || v < -1 || v > 1440)
        throw new PolicyInputError(`${name} must be a minute of the day, 0 to 1440 (or -1)`);
      return v;
    };
    if (u.startingMinute !== undefined)
      next.scheduledAmpsStartHour = minute('startingMinute', u.startingMinute) / 60;
    if (u.endingMinute !== undefined) next.scheduledAmpsEndHour = minute('endingMinute', u.endingMinute) / 60;
    if (u.amps !== undefined) {
      if (!Number.isFinite(u.amps) || u.amps < 0 || u.amps > 655)
        throw new PolicyInputError('amps must be from 0 to 655');
      next.scheduledAmpsMax = Math.trunc(u.amps);
    }
    let bitmap = s.scheduledAmpsDaysBitmap;
    DAY_NAMES.forEach((d, i) => {
      const v = u.days?.[d];
      if (v !== undefined) bitmap = v ? bitmap | (1 << i) : bitmap & ~(1 << i);
    });
    next.scheduledAmpsDaysBitmap = bitmap;
    if (u.flexBatterySize !== undefined && u.flexBatterySize > 40)
      next.scheduledAmpsBatterySize = u.flexBatterySize;
    if (u.flexStartEnabled !== undefined) next.scheduledAmpsFlexStart = u.flexStartEnabled ? 1 : 0;
    if (u.enabled === false) next.scheduledAmpsMax = 0;
    if (u.enabled === true && (next.scheduledAmpsMax ?? s.scheduledAmpsMax) <= 0)
      throw new PolicyInputError('amps must be greater than 0 to enable the schedule');
    this.update(next);
  }

  /** addConsumptionOffset: TWCManager's rules for names, a non-zero value, unit A or W. */
  setOffset(name: string, value: number, unit: string): ConsumptionOffset {
    if (!name) throw new PolicyInputError('offsetName must not be empty');
    if (name.length >= 32) throw new PolicyInputError('offsetName must be shorter than 32 characters');
    if (FORBIDDEN_CHARS.test(name))
      throw new PolicyInputError('offsetName must not contain any of @#$%^&*"+<>;/');
    if (!Number.isFinite(value) || value === 0)
      throw new PolicyInputError('offsetValue must be a number other than 0');
    if (unit !== 'A' && unit !== 'W') throw new PolicyInputError('offsetUnit must be "A" or "W"');
    const offset: ConsumptionOffset = { value, unit };
    this.update({ consumptionOffset: { ...this.settings.consumptionOffset, [name]: offset } });
    return offset;
  }

  /** deleteConsumptionOffset; false when there is no offset of that name. */
  deleteOffset(name: string): boolean {
    if (!(name in this.settings.consumptionOffset)) return false;
    const rest = { ...this.settings.consumptionOffset };
    delete rest[name];
    this.update({ consumptionOffset: rest });
    return true;
  }

  /**
   * setSetting. Known numeric settings must hold a number in their range; other keys are stored as text
   * like TWCManager stores them, unless name or value holds a refused character.
   */
  setSetting(key: string, value: unknown): void {
    if (!key) throw new PolicyInputError('setting must be a non-empty name');
    const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
    if (FORBIDDEN_CHARS.test(key) || FORBIDDEN_CHARS.test(text))
      throw new PolicyInputError('setting and value must not contain any of @#$%^&*"+<>;/');
    const range = NUMERIC_SETTINGS[key];
    if (range) {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && value.trim() !== ''
            ? Number(value)
            : NaN;
      if (!Number.isFinite(n) || n < range.min || n > range.max || (range.whole && !Number.isInteger(n)))
        throw new PolicyInputError(
          `${key} must be a ${range.whole ? 'whole ' : ''}number from ${range.min} to ${range.max}`,
        );
      this.update({ [key]: n } as Partial<PolicySettings>);
      return;
    }
    if (key in this.settings && key !== 'extra') throw new PolicyInputError(`${key} cannot be set this way`);
    if (!text) throw new PolicyInputError('value must not be empty');
    this.update({ extra: { ...this.settings.extra, [key]: text } });
  }

  /** The policy in force now, chosen in TWCManager's order (docs/api.md §6.2). */
  active(): ActivePolicy {
    const s = this.settings;
    const nowMs = this.wallClock();
    if (this.chargeNowActive())
      return { name: 'Charge Now', amps: s.chargeNowAmps, isGreen: false, action: 1 };
    const at = new Date(nowMs);
    if (inSchedule(s, at))
      return { name: 'Scheduled Charging', amps: s.scheduledAmpsMax, isGreen: false, action: 1 };
    const hour = at.getHours();
    const daylight =
      hour >= s.sunrise &&
      hour < s.sunset &&
      s.hourResumeTrackGreenEnergy <= hour &&
      s.nonScheduledAction !== 2;
    if (daylight || s.nonScheduledAction === 3) {
      const amps = this.green.amps(surplusAmps(s, this.supply()), nowMs);
      return { name: 'Track Green Energy', amps, isGreen: true, action: 3 };
    }
    this.green.reset();
    const amps = s.nonScheduledAction === 2 ? 0 : s.nonScheduledAmpsMax;
    return { name: 'Non Scheduled Charging', amps, isGreen: false, action: amps > 0 ? 1 : 2 };
  }

  availableAmps(): number {
    return this.active().amps;
  }

  private update(patch: Partial<PolicySettings>): void {
    this.settings = { ...this.settings, ...patch };
    for (const l of this.listeners) l(this.settings);
  }
}
