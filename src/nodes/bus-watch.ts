import type { Node, NodeStatus } from 'node-red';
import { noticeFacts } from '../api/notices';
import type { MasterEvents } from '../master/types';
import type { TransportStatus } from '../transport/transport';
import type { Translate } from './i18n';
import type { TwcMasterNode } from './master-node';
import { busStatus, type BusView } from './node-status';
import { oncePerTurn } from './once-per-turn';

/** Events that change what a node's status shows. */
const STATUS_EVENTS: (keyof MasterEvents)[] = [
  'transport',
  'slaveAdded',
  'slaveRemoved',
  'slaveChanged',
  'offer',
  'warning',
];

/** The dot also ages: "seconds since last heartbeat" and a vanished port show without any event. */
const STATUS_REFRESH_MS = 5000;

export interface BusWatch {
  view(): BusView;
  /** Shows the status now (the bus, decorated by the node's own part). */
  refresh(): void;
  close(): void;
}

/** What a node tells a catch node about a bus that went down: enough to act on without the log. */
export type BusDownMessage = {
  topic: 'busDown';
  payload: { state: TransportStatus['state']; detail: string; reconnects: number };
};

/**
 * Keeps a status or command node's dot on its bus's state, and reports the bus going down as the node's
 * error: a catch node in the node's flow sees it (a config node has no flow), once per fall, not once per
 * retry, with the whole reason. `decorate` adds the node's own part (twc-command's last command).
 */
export function watchBus(
  node: Node,
  master: TwcMasterNode,
  t: Translate,
  decorate: (bus: NodeStatus, view: BusView) => NodeStatus = (bus) => bus,
): BusWatch {
  const engine = master.engine!;
  const policy = master.policy!;
  const view = (): BusView => {
    const snapshot = engine.snapshot();
    return {
      snapshot,
      facts: noticeFacts(snapshot, policy.active(), engine.config),
      settingsNotice: master.stateNotice?.(),
      apiOpen: master.apiOpen,
      apiProblem: master.apiProblem,
    };
  };
  let closed = false;
  const refresh = (): void => {
    if (closed) return;
    const v = view();
    node.status(decorate(busStatus(v, t), v));
  };

  let down = false;
  const transportChanged = (status: TransportStatus): void => {
    if (status.state === 'open') down = false;
    if (status.state !== 'waiting' || down) return;
    down = true;
    const msg: BusDownMessage = {
      topic: 'busDown',
      payload: { state: status.state, detail: status.detail, reconnects: status.reconnects },
    };
    node.error(t('error.busDown', { detail: status.detail }), msg);
  };

  // Several events of one bus exchange become one status update.
  const soon = oncePerTurn(refresh);
  for (const event of STATUS_EVENTS) engine.on(event, soon);
  engine.on('transport', transportChanged);
  const offPolicy = policy.onChange(soon);
  master.statusWatchers?.add(soon);
  const timer = setInterval(refresh, STATUS_REFRESH_MS);
  transportChanged(engine.snapshot().transport);
  refresh();
  return {
    view,
    refresh,
    close() {
      closed = true;
      for (const event of STATUS_EVENTS) engine.off(event, soon);
      engine.off('transport', transportChanged);
      offPolicy();
      master.statusWatchers?.delete(soon);
      clearInterval(timer);
    },
  };
}
