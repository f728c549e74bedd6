import type { Node, NodeAPI } from 'node-red';
import type { TwcMaster } from '../master/engine';
import type { ChargePolicy } from '../policy/charge-policy';
import type { MasterSettings } from './master-settings';

/** What status and command nodes hold a reference to: one engine per bus, never a copy. */
export interface TwcMasterNode extends Node {
  engine?: TwcMaster;
  policy?: ChargePolicy;
  settings?: MasterSettings;
  /** Why there is no engine (bad settings), for the other nodes' red status. */
  configError?: string;
}

/** Editor route for the port list; namespaced, because /serialports belongs to node-red-node-serialport. */
export const SERIAL_PORTS_ROUTE = '/twc-master/serialports';

/** The twc-master a status or command node points at, or why it cannot be used. */
export function findMaster(
  RED: NodeAPI,
  id: string | undefined,
): { master: TwcMasterNode } | { problem: string } {
  const node = id ? (RED.nodes.getNode(id) as TwcMasterNode | null) : null;
  if (!node) return { problem: 'no twc-master configured' };
  if (!node.engine || !node.policy) return { problem: node.configError ?? 'twc-master is not running' };
  return { master: node };
}
