import assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import helper from 'node-red-node-test-helper';
import twcCommand from '../../src/nodes/twc-command';
import twcMaster from '../../src/nodes/twc-master';
import twcStatus from '../../src/nodes/twc-status';
import { waitFor } from '../support/pty';

helper.init(require.resolve('node-red'));
const root = path.resolve(__dirname, '..', '..', '..');
// Node-RED's core nodes, resolved from its own install, as the runtime would.
const fromNodeRed = createRequire(require.resolve('node-red'));
const injectNode: unknown = fromNodeRed('@node-red/nodes/core/common/20-inject.js');
const debugNode: unknown = fromNodeRed('@node-red/nodes/core/common/21-debug.js');

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
});
