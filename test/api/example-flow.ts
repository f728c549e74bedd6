import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../support/node-red-process';

export const API_FLOW_FILE = path.join(ROOT, 'examples', '02 - TWCManager HTTP API.json');
export const API_MASTER_ID = 'twc-api-master';

type FlowNode = Record<string, unknown> & { id: string; type: string };

/** The example flow file itself, with only the bus settings a test needs changed. */
export function apiFlow(masterChanges: Record<string, unknown>): FlowNode[] {
  const flow = JSON.parse(fs.readFileSync(API_FLOW_FILE, 'utf8')) as FlowNode[];
  return flow.map((n) => (n.id === API_MASTER_ID ? { ...n, ...masterChanges } : n));
}
