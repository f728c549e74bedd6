import { allocateAmps, safeWireOffer, type WireSlave } from './allocation';
import type { MasterConfig } from './config';
import type { SlaveRecord } from './slave-record';
import { withSpike } from './spike';

/**
 * The amps for `slave`'s next heartbeat: its share of what is available, through the spike rule, then
 * cut to what the wiring allows beside the limits in force for the others (WireLimit) and the reserves of
 * dropped units. A TWCID shared by two units gets 0: both would obey it.
 */
export function offerForHeartbeat(
  slave: SlaveRecord,
  all: readonly SlaveRecord[],
  availableAmps: number,
  now: number,
  config: MasterConfig,
  reserved: readonly { id: number; amps: number }[] = [],
  /** Not above this (while the bus settles after opening). */
  ceilingAmps = Number.POSITIVE_INFINITY,
): number {
  // Amps still held for dropped slaves are not ours to share.
  const held = reserved.reduce((sum, r) => sum + r.amps, 0);
  const shares = allocateAmps(
    all.map((s) => ({
      id: s.id,
      capAmps: s.capAmps(config),
      minAmps: s.minAmps(config),
      wantsPower: s.wantsPower() && !s.isDuplicate(now),
      charging: s.charging,
    })),
    Math.max(0, Math.min(availableAmps, config.wiringMaxAmpsAllTWCs - held)),
    config,
  );
  // The ceiling first: a spike held back by it would otherwise run out before it went on the wire.
  const wanted = withSpike(slave, Math.min(shares.get(slave.id) ?? 0, ceilingAmps), now, config);
  const wire = (s: SlaveRecord, amps: number): WireSlave => ({
    id: s.id,
    capAmps: s.capAmps(config),
    minAmps: s.minAmps(config),
    offeredAmps: amps,
  });
  const others = [
    ...all.filter((s) => s !== slave).map((s) => wire(s, s.wire.inForceAmps)),
    ...reserved.map((r) => ({ id: r.id, capAmps: r.amps, minAmps: 0, offeredAmps: r.amps })),
  ];
  // Its own unconfirmed higher limit takes no room: a new limit up to it adds nothing to the sum, and one
  // above it replaces it. What it keeps when a raise does not fit is what it was last sent.
  return safeWireOffer(wire(slave, slave.wire.sentAmps), wanted, others, config);
}
