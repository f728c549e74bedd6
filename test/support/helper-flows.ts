import helper from 'node-red-node-test-helper';
import twcCommand from '../../src/nodes/twc-command';
import twcMaster from '../../src/nodes/twc-master';
import twcStatus from '../../src/nodes/twc-status';

export type Msg = { topic?: string; payload?: unknown; statusCode?: number };

/** Our three node types, for node-red-node-test-helper. */
export const NODES = [twcMaster, twcStatus, twcCommand];

/** Flow objects carry our nodes' own properties, which the helper's types do not know. */
export const load = (flow: Record<string, unknown>[]): Promise<void> => helper.load(NODES, flow as never);

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
