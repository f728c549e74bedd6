import twcCommand from '../../src/nodes/twc-command';
import twcMaster from '../../src/nodes/twc-master';
import twcStatus from '../../src/nodes/twc-status';
import { fromNodeRed, helper } from './node-red';

export type Msg = { topic?: string; payload?: unknown; statusCode?: number };

/** Our three node types, for node-red-node-test-helper. */
export const NODES = [twcMaster, twcStatus, twcCommand];

/** Node-RED's core nodes by their file under @node-red/nodes/core, resolved from its own install as the runtime would. */
export const coreNode = (file: string): unknown => fromNodeRed(`@node-red/nodes/core/${file}`);

/**
 * Our nodes and any core nodes given, with `flow`. Flow objects carry our nodes' own properties, which the
 * helper's types do not know.
 */
export const load = (flow: Record<string, unknown>[], coreNodes: unknown[] = []): Promise<void> =>
  helper.load([...NODES, ...coreNodes] as never, flow as never);

/** A twc-master `m1` on two simulated Wall Connectors (4142: 80 A with a 32 A car; 4243: 32 A, no car). */
export const simulatorMaster = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'm1',
  type: 'twc-master',
  transport: 'simulator',
  simulatedSlaves: '4142:80:32,4243:32:0',
  wiringMaxAmpsAllTWCs: 80,
  wiringMaxAmpsPerTWC: 80,
  minAmpsPerTWC: 12,
  ...extra,
});
