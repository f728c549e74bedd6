import type { MasterConfig } from './config';
import type { SlaveRecord } from './slave-record';

/** How long the spike is held before going down to the target (docs/protocol.md §6.5). */
export const SPIKE_HOLD_MS = 5000;

/** 21 A for 80 A (US) units, 16 A otherwise, unless configured; 0 means the workaround is off. */
export function spikeAmpsFor(slave: SlaveRecord, config: MasterConfig): number {
  if (config.spikeAmpsToCancel6ALimit !== 'auto') return config.spikeAmpsToCancel6ALimit;
  return slave.maxAmps >= 80 ? 21 : 16;
}

/**
 * Cars from late 2017 may settle near 6 A when the limit is raised to a value below ~16 A. Raising
 * through a short spike makes them follow: when we raise a connected car to a target under the spike,
 * offer the spike for 5 s first. The wiring limits are applied afterwards, so a spike never breaks them.
 */
export function withSpike(slave: SlaveRecord, target: number, now: number, config: MasterConfig): number {
  const spike = spikeAmpsFor(slave, config);
  if (
    target <= 0 ||
    // Redundant but kept to say that 0 turns the workaround off: past target <= 0, target >= spike holds too.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (`false`, `spike < 0`) — see above
    spike <= 0 ||
    target >= spike
  ) {
    slave.spikeStartedAt = undefined;
    return target;
  }
  if (slave.spikeStartedAt !== undefined) {
    if (now - slave.spikeStartedAt < SPIKE_HOLD_MS) return spike;
    slave.spikeStartedAt = undefined;
    return target;
  }
  const raising = target > slave.wire.sentAmps && target > slave.reportedAmpsMax;
  if (raising && slave.carConnected) {
    slave.spikeStartedAt = now;
    return spike;
  }
  return target;
}
