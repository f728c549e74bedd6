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
  wiringMaxAmpsAllTWCs: 6,
  wiringMaxAmpsPerTWC: 6,
  // TWCManager suggests 12, but beside its 6 A wiring default that would never charge; 6 A is the
  // lowest a protocol-2 unit takes and keeps the defaults valid. Installers set all three.
  minAmpsPerTWC: 6,
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

function wholeNumber(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

/**
 * Merges the given fields over the defaults and checks every one; throws ConfigError with the field's name.
 */
export function resolveMasterConfig(partial: Partial<MasterConfig> = {}): MasterConfig {
  const c: MasterConfig = { ...DEFAULT_MASTER_CONFIG, ...partial };
  wholeNumber('fakeTWCID', c.fakeTWCID, 0, 0xffff);
  wholeNumber('masterSign', c.masterSign, 0, 0xff);
  wholeNumber('wiringMaxAmpsAllTWCs', c.wiringMaxAmpsAllTWCs, 1, 655);
  wholeNumber('wiringMaxAmpsPerTWC', c.wiringMaxAmpsPerTWC, 1, 80);
  wholeNumber('minAmpsPerTWC', c.minAmpsPerTWC, 5, 80);
  if (c.minAmpsPerTWC > c.wiringMaxAmpsPerTWC) {
    throw new ConfigError(
      `minAmpsPerTWC (${c.minAmpsPerTWC}) must not exceed wiringMaxAmpsPerTWC (${c.wiringMaxAmpsPerTWC})`,
    );
  }
  if (c.spikeAmpsToCancel6ALimit !== 'auto')
    wholeNumber('spikeAmpsToCancel6ALimit', c.spikeAmpsToCancel6ALimit, 0, 80);
  wholeNumber('heartbeatIntervalMs', c.heartbeatIntervalMs, 200, 10000);
  wholeNumber('replyTimeoutMs', c.replyTimeoutMs, 20, 2000);
  wholeNumber('slaveTimeoutMs', c.slaveTimeoutMs, 2000, 600000);
  wholeNumber('linkReadySpacingMs', c.linkReadySpacingMs, 20, 5000);
  wholeNumber('linkReadyRepeatMs', c.linkReadyRepeatMs, 1000, 600000);
  wholeNumber('kwhPollIntervalMs', c.kwhPollIntervalMs, 1000, 3600000);
  wholeNumber('vinRetryIntervalMs', c.vinRetryIntervalMs, 1000, 3600000);
  wholeNumber('vinMaxAttempts', c.vinMaxAttempts, 0, 100);
  wholeNumber('maxSlaves', c.maxSlaves, 1, 3);
  return c;
}
