import type { ChargeHistory } from '../history/charge-history';
import type { TwcMaster } from '../master/engine';
import type { ChargePolicy } from '../policy/charge-policy';
import { getActivePolicyAction, getConfig, getPolicy } from './config-view';
import { hostUuid } from './host-uuid';
import type { InstallationSettings } from './installation';
import { pythonBytesRepr } from './last-response';
import { getSlaveTWCs } from './slaves-view';
import { getStatus } from './status-view';

/** What a twc-status node can answer: TWCManager's GET endpoints, plus the bus events it heard. */
export const PAYLOADS = [
  'status',
  'slaves',
  'config',
  'policy',
  'policyAction',
  'offsets',
  'history',
  'uuid',
  'lastTWCResponse',
  'events',
] as const;
export type PayloadName = (typeof PAYLOADS)[number];

/** Answered as text/plain over HTTP, as TWCManager does. */
export const TEXT_PAYLOADS: readonly string[] = ['uuid', 'lastTWCResponse'];

export const isPayload = (v: unknown): v is PayloadName =>
  typeof v === 'string' && (PAYLOADS as readonly string[]).includes(v);

/** One bus as the views read it. */
export interface ViewSource {
  engine: TwcMaster;
  policy: ChargePolicy;
  history: ChargeHistory;
  install: InstallationSettings;
}

/** The answer of one GET endpoint now; `events` is the node's own and not a view of the bus. */
export function payloadOf(name: Exclude<PayloadName, 'events'>, bus: ViewSource, nowMs: number): unknown {
  const { engine, policy, install } = bus;
  switch (name) {
    case 'status':
      return getStatus(engine.snapshot(), policy.active(), policy.current, install, nowMs);
    case 'slaves':
      return getSlaveTWCs(engine.snapshot(), install);
    case 'config':
      return getConfig(install, policy.current);
    case 'policy':
      return getPolicy();
    case 'policyAction':
      return getActivePolicyAction(policy.active());
    case 'offsets':
      return policy.current.consumptionOffset;
    case 'history':
      return bus.history.entries(nowMs);
    case 'uuid':
      return hostUuid();
    case 'lastTWCResponse':
      return pythonBytesRepr(engine.lastDebugResponse());
  }
}
