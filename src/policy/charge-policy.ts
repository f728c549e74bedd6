import type { AmpsPolicy } from './available-amps';

/** TWCManager's policy names, literally: clients compare these strings. */
export type PolicyName =
  'Charge Now' | 'Scheduled Charging' | 'Track Green Energy' | 'Non Scheduled Charging';

export interface PolicySettings {
  /** Charge Now: the rate and when it ends (epoch seconds); 0/0 when inactive. */
  chargeNowAmps: number;
  chargeNowTimeEnd: number;
  /** Non Scheduled Charging: amps when nothing else applies (TWCManager's default 0: do not charge). */
  nonScheduledAmpsMax: number;
  /** Latest green-energy readings from any flow. */
  generationW: number;
  consumptionW: number;
}

export interface ActivePolicy {
  name: PolicyName;
  amps: number;
  isGreen: boolean;
}

export const DEFAULT_POLICY_SETTINGS: PolicySettings = {
  chargeNowAmps: 0,
  chargeNowTimeEnd: 0,
  nonScheduledAmpsMax: 0,
  generationW: 0,
  consumptionW: 0,
};

export class PolicyInputError extends Error {
  override name = 'PolicyInputError';
}

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new PolicyInputError(`${name} must be a whole number greater than 0`);
  }
  return value;
}

function finiteNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new PolicyInputError(`${name} must be a number`);
  return value;
}

/**
 * Which amps are available now, chosen the way TWCManager orders its policies: Charge Now while it lasts,
 * else Non Scheduled Charging. Charge Now ends by itself; the engine asks at every heartbeat.
 */
export class ChargePolicy implements AmpsPolicy {
  private settings: PolicySettings;

  constructor(
    settings: Partial<PolicySettings> = {},
    private readonly wallClock: () => number = Date.now,
  ) {
    this.settings = { ...DEFAULT_POLICY_SETTINGS, ...settings };
  }

  get current(): Readonly<PolicySettings> {
    return this.settings;
  }

  /** Charge at `amps` for `durationSeconds`, from now. */
  chargeNow(amps: number, durationSeconds: number): { rate: number; duration: number; timeEnd: number } {
    const rate = positiveInteger('chargeNowRate', amps);
    const duration = positiveInteger('chargeNowDuration', durationSeconds);
    const timeEnd = this.wallClock() / 1000 + duration;
    this.settings = { ...this.settings, chargeNowAmps: rate, chargeNowTimeEnd: timeEnd };
    return { rate, duration, timeEnd };
  }

  cancelChargeNow(): void {
    this.settings = { ...this.settings, chargeNowAmps: 0, chargeNowTimeEnd: 0 };
  }

  setGreenEnergy(generationW: number, consumptionW: number): void {
    const generation = finiteNumber('generationW', generationW);
    const consumption = finiteNumber('consumptionW', consumptionW);
    if (generation < 0 || consumption < 0)
      throw new PolicyInputError('generationW and consumptionW must not be negative');
    this.settings = { ...this.settings, generationW: generation, consumptionW: consumption };
  }

  setNonScheduledAmps(amps: number): void {
    const a = finiteNumber('nonScheduledAmpsMax', amps);
    if (a < 0) throw new PolicyInputError('nonScheduledAmpsMax must not be negative');
    this.settings = { ...this.settings, nonScheduledAmpsMax: a };
  }

  active(): ActivePolicy {
    const s = this.settings;
    if (s.chargeNowAmps > 0 && s.chargeNowTimeEnd > this.wallClock() / 1000) {
      return { name: 'Charge Now', amps: s.chargeNowAmps, isGreen: false };
    }
    return { name: 'Non Scheduled Charging', amps: s.nonScheduledAmpsMax, isGreen: false };
  }

  availableAmps(): number {
    return this.active().amps;
  }
}
