import type { IncomingHttpHeaders } from 'node:http';
import type { Node, NodeAPI } from 'node-red';
import type { ChargeHistory } from '../history/charge-history';
import type { TwcMaster } from '../master/engine';
import type { ChargePolicy } from '../policy/charge-policy';
import type { CommandTarget } from '../api/commands';
import { tokenPresented } from '../http/auth';
import type { MasterSettings } from '../bus/settings';

/** What status and command nodes hold a reference to: one engine per bus, never a copy. */
export interface TwcMasterNode extends Node<{ apiToken?: string }> {
  engine?: TwcMaster;
  policy?: ChargePolicy;
  history?: ChargeHistory;
  settings?: MasterSettings;
  /** Writes settings and history to the state file now; the reason when it could not. */
  saveState?: () => string | undefined;
  /** Why the settings are not what was saved, or are not saved (for the status of the nodes). */
  stateNotice?: () => string | undefined;
  /** Why there is no engine (bad settings), for the other nodes' red status. */
  configError?: string;
  /** The API is served beyond loopback without a token: every node of the bus shows it. */
  apiOpen?: boolean;
  /** Why the dedicated API port does not serve, in words, while that lasts. */
  apiProblem?: string;
  /** The nodes' status refreshers, told when apiOpen or apiProblem change. */
  statusWatchers?: Set<() => void>;
}

/** Why a status or command node has no bus: the API's English reason, and a key for the node's status. */
export interface MasterProblem {
  problem: string;
  /** twc-master.runtime.problem.<key>, with `reason` for a bad config. */
  key: 'noMaster' | 'notRunning' | 'badConfig';
}

/** Hosts that only this machine reaches: an API bound to one of them is not open to the network. */
const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

/** The dedicated API listens beyond this machine with no token: anyone on the network may change the charging. */
export function apiIsOpen(
  settings: Pick<MasterSettings, 'httpEnabled' | 'listenHost'>,
  token: string | undefined,
): boolean {
  return settings.httpEnabled && !token && !LOOPBACK.has((settings.listenHost ?? '').trim().toLowerCase());
}

/** Editor route for the port list; namespaced, because /serialports belongs to node-red-node-serialport. */
export const SERIAL_PORTS_ROUTE = '/twc-master/serialports';

/** The twc-master a status or command node points at, or why it cannot be used. */
export function findMaster(RED: NodeAPI, id: string | undefined): { master: TwcMasterNode } | MasterProblem {
  const node = id ? (RED.nodes.getNode(id) as TwcMasterNode | null) : null;
  if (!node) return { problem: 'no twc-master configured', key: 'noMaster' };
  if (!node.engine || !node.policy)
    return node.configError
      ? { problem: node.configError, key: 'badConfig' }
      : { problem: 'twc-master is not running', key: 'notRunning' };
  return { master: node };
}

export function commandTarget(master: TwcMasterNode): CommandTarget {
  return {
    engine: master.engine!,
    policy: master.policy!,
    cancelStopsCharging: master.settings?.cancelStopsCharging,
    save: master.saveState,
  };
}

/** A message as an http-in node makes it (any other message works too: it has no `req`). */
type HttpMsg = object & {
  req?: { headers?: IncomingHttpHeaders };
  res?: unknown;
};

/** A message from an http-in node, when the bus has an API token: does it carry it? */
export function httpAllowed(master: TwcMasterNode, message: object): boolean {
  const msg = message as HttpMsg;
  const token = master.credentials?.apiToken;
  if (!token || !msg.req) return true;
  return tokenPresented(msg.req.headers ?? {}, token);
}

/**
 * Readies a payload for an http-response node: JSON as text with its content type (so `?callback=` never
 * turns it into JSONP and a bare `null` or `3` still is JSON), plain text as text/plain.
 */
export function forHttp(
  msg: HttpMsg & { payload?: unknown; headers?: Record<string, string> },
  text = false,
): void {
  if (!msg.res) return;
  msg.headers = {
    ...(msg.headers ?? {}),
    'content-type': text ? 'text/plain; charset=utf-8' : 'application/json',
  };
  msg.payload = text ? String(msg.payload) : JSON.stringify(msg.payload ?? null);
}
