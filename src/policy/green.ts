import type { ConsumptionOffset, PolicySettings } from './settings';
import { wattsPerAmp, type Supply } from './supply';

const watts = (o: ConsumptionOffset, supply: Supply): number =>
  o.unit === 'W' ? o.value : o.value * wattsPerAmp(supply);

/** The sum of the user's offsets in watts; positive adds to consumption, negative to generation. */
export function offsetWatts(offsets: Record<string, ConsumptionOffset>, supply: Supply): number {
  return Object.values(offsets).reduce((sum, o) => sum + watts(o, supply), 0);
}

/** What the green policy reads; the amps offset of setConsumptionOffset may be left out (0). */
export type GreenInputs = Pick<PolicySettings, 'generationW' | 'consumptionW' | 'consumptionOffset'> &
  Partial<Pick<PolicySettings, 'greenEnergyAmpsOffset'>>;

/** Generation and consumption with the offsets applied, as getStatus shows them (docs/api.md §6.6). */
export function greenWatts(s: GreenInputs, supply: Supply): { generationW: number; consumptionW: number } {
  // setConsumptionOffset's amps count like one more offset in A (docs/api.md §6.6).
  const offset =
    offsetWatts(s.consumptionOffset, supply) + (s.greenEnergyAmpsOffset ?? 0) * wattsPerAmp(supply);
  return {
    generationW: Math.max(0, s.generationW) + Math.max(0, -offset),
    consumptionW: Math.max(0, s.consumptionW) + Math.max(0, offset),
  };
}

/** Surplus amps for the chargers: (generation − consumption) ÷ (volts × phases), never below 0, 2 decimals. */
export function surplusAmps(s: GreenInputs, supply: Supply): number {
  const { generationW, consumptionW } = greenWatts(s, supply);
  const amps = (generationW - consumptionW) / wattsPerAmp(supply);
  return Math.max(0, Math.round(amps * 100) / 100);
}

export interface HysteresisOptions {
  /** The least a car can charge with (minAmpsPerTWC). */
  minAmps: number;
  /** The surplus must have reached minAmps this long before charging starts. */
  startDelayMs: number;
  /** A surplus below minAmps stops charging only after this long; meanwhile minAmps are offered. */
  stopDelayMs: number;
}

export const DEFAULT_HYSTERESIS = { startDelayMs: 60_000, stopDelayMs: 180_000 };

/**
 * Turns the surplus into amps without switching the car on and off with every passing cloud: charging starts
 * after the surplus has held at least the minimum for a while, and stops only after it has stayed below it.
 */
export class GreenHysteresis {
  private charging = false;
  private since: number | undefined;

  constructor(private readonly options: HysteresisOptions) {}

  amps(surplus: number, nowMs: number): number {
    const { minAmps, startDelayMs, stopDelayMs } = this.options;
    const enough = surplus >= minAmps;
    if (this.charging === enough) {
      this.since = undefined;
      return enough ? surplus : 0;
    }
    this.since ??= nowMs;
    if (nowMs - this.since >= (this.charging ? stopDelayMs : startDelayMs)) {
      this.charging = enough;
      this.since = undefined;
      return enough ? surplus : 0;
    }
    return this.charging ? minAmps : 0;
  }

  reset(): void {
    this.charging = false;
    this.since = undefined;
  }
}
