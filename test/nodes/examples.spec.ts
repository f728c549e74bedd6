import assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TwcMasterNode } from '../../src/nodes/master-node';
import { coreNode, load } from '../support/helper-flows';
import { helper, useHelperServer } from '../support/node-red';
import { waitFor } from '../support/pty';

const root = path.resolve(__dirname, '..', '..', '..');
const injectNode = coreNode('common/20-inject.js');
const debugNode = coreNode('common/21-debug.js');
const functionNode = coreNode('function/10-function.js');
const changeNode = coreNode('function/15-change.js');

describe('the shipped example flow', function () {
  this.timeout(20000);
  useHelperServer();

  it('loads as it is and answers its inject nodes', async () => {
    const flow = JSON.parse(
      fs.readFileSync(path.join(root, 'examples', '01 - Status and commands on the simulator.json'), 'utf8'),
    ) as Record<string, unknown>[];
    await load(flow, [injectNode, debugNode]);
    // Once the simulated units have linked (before that a command answers with the noTwc warning).
    const status = helper.getNode('twc-ex1-status');
    await waitFor('green status', 8000, () => {
      const last = (status.status as unknown as { lastCall?: { args: [{ fill: string }] } }).lastCall;
      return last?.args[0].fill === 'green';
    });
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
  });

  it('the green-energy example feeds setGreenEnergy and turns on Track Green Energy', async () => {
    const flow = JSON.parse(
      fs.readFileSync(path.join(root, 'examples', '03 - Track green energy.json'), 'utf8'),
    ) as Record<string, unknown>[];
    await load(flow, [injectNode, debugNode, functionNode, changeNode]);
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
