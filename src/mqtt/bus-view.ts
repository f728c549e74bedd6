import type { ViewSource } from '../api/payloads';
import { getStatus } from '../api/status-view';
import type { BusView } from './topics';

/** The status topics' input, read from the same getStatus view the HTTP API answers (docs/api.md §7.2). */
export function readBusView(source: Omit<ViewSource, 'history'>, nowMs: number): BusView {
  const snapshot = source.engine.snapshot();
  const status = getStatus(snapshot, source.policy.active(), source.policy.current, source.install, nowMs);
  return {
    snapshot,
    install: source.install,
    currentPolicy: String(status.currentPolicy),
    maxAmpsForSlaves: Number(status.maxAmpsToDivideAmongSlaves),
    chargeNowAmps: typeof status.chargeNowAmps === 'number' ? status.chargeNowAmps : undefined,
  };
}
