import type { TwcId } from '../protocol/messages';

/** Everything the fake master needs to know about the installation; names follow TWCManager's. */
export interface MasterConfig {
  /** Our TWCID on the bus; TWCManager uses 7777. */
  fakeTWCID: TwcId;
  /** The sign byte of our link-ready messages. */
  masterSign: number;
  /** The breaker/wiring limit shared by all Wall Connectors. */
  wiringMaxAmpsAllTWCs: number;
  /** The wiring limit of each Wall Connector. */
  wiringMaxAmpsPerTWC: number;
  /** Below this an offer is 0 instead (cars misbehave at very low currents). */
  minAmpsPerTWC: number;
  /** Raise-to-spike workaround for cars stuck near 6 A (docs/protocol.md §6.5); 0 turns it off. */
  spikeAmpsToCancel6ALimit: number | 'auto';
  heartbeatIntervalMs: number;
  /** How long to wait for the reply to an addressed request before the bus is free again. */
  replyTimeoutMs: number;
  slaveTimeoutMs: number;
  linkReadySpacingMs: number;
  /** While no slave answers, the link-ready sequence is repeated this often. */
  linkReadyRepeatMs: number;
  kwhPollIntervalMs: number;
  vinRetryIntervalMs: number;
  vinMaxAttempts: number;
  maxSlaves: number;
}

export const DEFAULT_MASTER_CONFIG: MasterConfig = {
  fakeTWCID: 0x7777,
  masterSign: 0x77,
  // Installers always set the wiring (the node and the command line require it); these keep a bare engine
  // valid beside TWCManager's minimum of 12 A, the one default of the minimum everywhere.
  wiringMaxAmpsAllTWCs: 12,
  wiringMaxAmpsPerTWC: 12,
  minAmpsPerTWC: 12,
  spikeAmpsToCancel6ALimit: 'auto',
  heartbeatIntervalMs: 1000,
  replyTimeoutMs: 200,
  slaveTimeoutMs: 26000,
  linkReadySpacingMs: 100,
  linkReadyRepeatMs: 10000,
  kwhPollIntervalMs: 60000,
  vinRetryIntervalMs: 60000,
  vinMaxAttempts: 6,
  maxSlaves: 3,
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A whole-number setting's accepted range, both ends included. */
export interface Range {
  min: number;
  max: number;
}

/**
 * What the engine accepts for each setting: the one table of these ranges. The twc-master node's parser
 * and its editor dialog take the installation limits from here (src/bus/settings.ts); a test holds all
 * three to it.
 */
export const CONFIG_RANGES = {
  fakeTWCID: { min: 0, max: 0xffff },
  masterSign: { min: 0, max: 0xff },
  // 655.35 A is the most the protocol's centiamp field can carry.
  wiringMaxAmpsAllTWCs: { min: 1, max: 655 },
  // 80 A is the most a TWC2 takes.
  wiringMaxAmpsPerTWC: { min: 1, max: 80 },
  minAmpsPerTWC: { min: 5, max: 80 },
  spikeAmpsToCancel6ALimit: { min: 0, max: 80 },
  heartbeatIntervalMs: { min: 200, max: 10000 },
  replyTimeoutMs: { min: 20, max: 2000 },
  slaveTimeoutMs: { min: 2000, max: 600000 },
  linkReadySpacingMs: { min: 20, max: 5000 },
  linkReadyRepeatMs: { min: 1000, max: 600000 },
  kwhPollIntervalMs: { min: 1000, max: 3600000 },
  vinRetryIntervalMs: { min: 1000, max: 3600000 },
  vinMaxAttempts: { min: 0, max: 100 },
  maxSlaves: { min: 1, max: 3 },
} as const satisfies Record<keyof MasterConfig, Range>;

function wholeNumber(name: keyof MasterConfig, value: unknown): number {
  const { min, max } = CONFIG_RANGES[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

/** Merges the given fields over the defaults and checks every one; throws ConfigError with the field's name. */
export function resolveMasterConfig(partial: Partial<MasterConfig> = {}): MasterConfig {
  const c: MasterConfig = { ...DEFAULT_MASTER_CONFIG, ...partial };
  for (const name of Object.keys(CONFIG_RANGES) as (keyof MasterConfig)[]) {
    if (name === 'spikeAmpsToCancel6ALimit' && c[name] === 'auto') continue;
    wholeNumber(name, c[name]);
    if (name === 'minAmpsPerTWC' && c.minAmpsPerTWC > c.wiringMaxAmpsPerTWC) {
      throw new ConfigError(
        `minAmpsPerTWC (${c.minAmpsPerTWC}) must not exceed wiringMaxAmpsPerTWC (${c.wiringMaxAmpsPerTWC})`,
      );
    }
  }
  return c;
}
