import assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import helper from 'node-red-node-test-helper';
import twcCommand from '../../src/nodes/twc-command';
import twcMaster from '../../src/nodes/twc-master';
import twcStatus from '../../src/nodes/twc-status';
import type { TwcMasterNode } from '../../src/nodes/master-node';
import { waitFor } from '../support/pty';

helper.init(require.resolve('node-red'));
const root = path.resolve(__dirname, '..', '..', '..');
// Node-RED's core nodes, resolved from its own install, as the runtime would.
const fromNodeRed = createRequire(require.resolve('node-red'));
const injectNode: unknown = fromNodeRed('@node-red/nodes/core/common/20-inject.js');
const debugNode: unknown = fromNodeRed('@node-red/nodes/core/common/21-debug.js');
const functionNode: unknown = fromNodeRed('@node-red/nodes/core/function/10-function.js');
const changeNode: unknown = fromNodeRed('@node-red/nodes/core/function/15-change.js');

describe('the shipped example flow', function () {
  this.timeout(20000);
  before((done) => {
    helper.startServer(done);
  });
  after((done) => {
    helper.stopServer(done);
  });
  afterEach(() => helper.unload());

  it('loads as it is and answers its inject nodes', async () => {
    const flow = JSON.parse(
      fs.readFileSync(path.join(root, 'examples', '01 - Status and commands on the simulator.json'), 'utf8'),
    ) as {
      id: string;
      wires?: string[][];
    }[];
    await helper.load([twcMaster, twcStatus, twcCommand, injectNode, debugNode] as never, flow as never);
    // The helper's spies emit call:<method> on the node.
    const command = helper.getNode('twc-ex1-command') as unknown as EventEmitter;
    const answer = new Promise<{ statusCode: number; payload: unknown }>((resolve) =>
      command.on('call:send', (call: { args: [{ statusCode: number; payload: unknown }] }) =>
        resolve(call.args[0]),
      ),
    );
    helper.getNode('twc-ex1-charge').receive({});
    const m = await answer;
    assert.deepEqual([m.statusCode, m.payload], [200, { status: 'success', rate: 24, duration: 3600 }]);
    const status = helper.getNode('twc-ex1-status');
    await waitFor('green status', 8000, () => {
      const last = (status.status as unknown as { lastCall?: { args: [{ fill: string }] } }).lastCall;
      return last?.args[0].fill === 'green';
    });
  });

  it('the green-energy example feeds setGreenEnergy and turns on Track Green Energy', async () => {
    const flow = JSON.parse(
      fs.readFileSync(path.join(root, 'examples', '03 - Track green energy.json'), 'utf8'),
    ) as { id: string }[];
    await helper.load(
      [twcMaster, twcStatus, twcCommand, injectNode, debugNode, functionNode, changeNode] as never,
      flow as never,
    );
    const master = helper.getNode('twc-ex3-master') as unknown as TwcMasterNode;
    // The inject that fires once sets nonScheduledAction 3: green tracking around the clock.
    await waitFor('green tracking on', 8000, () => master.policy?.current.nonScheduledAction === 3);
    assert.equal(master.policy!.active().name, 'Track Green Energy');
    // The "MQTT" message goes through the change node's mapping into the policy.
    helper.getNode('twc-ex3-mqtt').receive({});
    await waitFor('the MQTT readings', 8000, () => master.policy!.current.generationW === 4200);
    assert.equal(master.policy!.current.consumptionW, 750);
    // And the simulated inverter's readings arrive on their own.
    helper.getNode('twc-ex3-sun').receive({});
    await waitFor('the inverter readings', 8000, () => master.policy!.current.consumptionW === 600);
    assert.equal(master.policy!.active().isGreen, true);
  });
});
