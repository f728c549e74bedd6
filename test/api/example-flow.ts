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

/**
 * POST /api/setGreenEnergy on the example flow's bus, as a flow feeding readings would call it (TWCManager
 * itself has no such route, so the example flow has none).
 */
export function greenEnergyRoute(): FlowNode[] {
  const z = 'twc-api-tab';
  return [
    {
      id: 'test-green-in',
      type: 'http in',
      z,
      url: '/api/setGreenEnergy',
      method: 'post',
      skipBodyParsing: true,
      wires: [['test-green-twc']],
    },
    {
      id: 'test-green-twc',
      type: 'twc-command',
      z,
      master: API_MASTER_ID,
      command: 'setGreenEnergy',
      wires: [['test-green-out']],
    },
    { id: 'test-green-out', type: 'http response', z, wires: [] },
  ];
}
