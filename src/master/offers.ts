import { allocateAmps, safeWireOffer, type WireSlave } from './allocation';
import type { MasterConfig } from './config';
import type { SlaveRecord } from './slave-record';
import { withSpike } from './spike';

/**
 * The amps for `slave`'s next heartbeat: its share of what is available, through the spike rule, then
 * cut to what the wiring allows beside what the other slaves were last sent.
 */
export function offerForHeartbeat(
  slave: SlaveRecord,
  all: readonly SlaveRecord[],
  availableAmps: number,
  now: number,
  config: MasterConfig,
  reserved: readonly { id: number; amps: number }[] = [],
): number {
  // Amps still held for dropped slaves are not ours to share.
  const held = reserved.reduce((sum, r) => sum + r.amps, 0);
  const shares = allocateAmps(
    all.map((s) => ({
      id: s.id,
      capAmps: s.capAmps(config),
      minAmps: s.minAmps(config),
      wantsPower: s.wantsPower(),
      charging: s.charging,
    })),
    Math.max(0, Math.min(availableAmps, config.wiringMaxAmpsAllTWCs - held)),
    config,
  );
  const wanted = withSpike(slave, shares.get(slave.id) ?? 0, now, config);
  const wire = (s: SlaveRecord): WireSlave => ({
    id: s.id,
    capAmps: s.capAmps(config),
    minAmps: s.minAmps(config),
    offeredAmps: s.lastAmpsOffered,
  });
  const others = [
    ...all.filter((s) => s !== slave).map(wire),
    ...reserved.map((r) => ({ id: r.id, capAmps: r.amps, minAmps: 0, offeredAmps: r.amps })),
  ];
  return safeWireOffer(wire(slave), wanted, others, config);
}
