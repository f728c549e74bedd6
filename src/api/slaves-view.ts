import type { MasterSnapshot } from '../master/types';
import { supplyOf, wattsPerAmp } from '../policy/supply';
import type { InstallationSettings } from './installation';

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * GET /api/getSlaveTWCs (docs/api.md §3.2): one member per Wall Connector keyed by its
 * TWCID, in the order they joined, then `total` last. The key set never depends on the state, so clients
 * that diff polls see no keys come and go.
 */
export function getSlaveTWCs(
  snapshot: MasterSnapshot,
  install: InstallationSettings,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const perAmp = wattsPerAmp(supplyOf(snapshot.slaves, install));
  for (const s of snapshot.slaves) {
    out[s.TWCID] = {
      carsCharging: s.charging,
      chargerLoadInW: Math.round(s.reportedAmpsActual * perAmp),
      currentVIN: s.currentVIN,
      lastAmpsOffered: s.lastAmpsOffered,
      lastHeartbeat: round2(s.secondsSinceLastHeartbeat),
      lastVIN: s.lastVIN,
      lifetimekWh: Math.round(s.lifetimekWh),
      maxAmps: s.maxAmps,
      reportedAmpsActual: s.reportedAmpsActual,
      state: s.state,
      version: s.version,
      voltsPhaseA: Math.round(s.voltsPhaseA),
      voltsPhaseB: Math.round(s.voltsPhaseB),
      voltsPhaseC: Math.round(s.voltsPhaseC),
      TWCID: s.TWCID,
      chargeTime: '--:--:--',
    };
  }
  const t = snapshot.totals;
  out.total = {
    carsCharging: t.carsCharging,
    lastAmpsOffered: round2(t.lastAmpsOffered),
    lifetimekWh: Math.round(t.lifetimekWh),
    // TWCManager main reports the smallest unit's rating here (it was the sum up to v1.3.2).
    maxAmps: snapshot.slaves.length > 0 ? Math.min(...snapshot.slaves.map((s) => s.maxAmps)) : 0,
    reportedAmpsActual: round2(t.reportedAmpsActual),
    TWCID: 'total',
  };
  return out;
}
