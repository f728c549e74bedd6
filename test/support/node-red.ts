import { createRequire } from 'node:module';
import * as path from 'node:path';
import type NodeTestHelper from 'node-red-node-test-helper';

/**
 * The Node-RED this run tests against, and the Node.js that runs it. By default the project's own
 * (node_modules, Node-RED 4.1.x) under the Node that runs mocha; scripts/test.js runs the suite a second
 * time with TWC_NODE_RED_DIR and TWC_NODE_BIN naming the Node-RED 5.0.x and Node 22 that
 * scripts/ensure-node-red-5.sh installed in .nr5/. Every spec takes Node-RED from here, never from
 * `require('node-red')`, so that one run never mixes the two.
 */
export const NODE_RED_DIR = process.env.TWC_NODE_RED_DIR
  ? path.resolve(process.env.TWC_NODE_RED_DIR)
  : path.dirname(require.resolve('node-red/package.json'));

/** The Node.js binary for the processes the tests spawn (node-red, twc-sim, `npm start`). */
export const NODE_BIN = process.env.TWC_NODE_BIN ? path.resolve(process.env.TWC_NODE_BIN) : process.execPath;

/** node-red's own start script, as `node-red` on the command line runs it. */
export const RED_JS = path.join(NODE_RED_DIR, 'red.js');

/** Requires a module as Node-RED's own install resolves it (its core nodes, its internals). */
export const fromNodeRed = createRequire(path.join(NODE_RED_DIR, 'package.json'));

/** The version of that Node-RED, e.g. `4.1.15`. */
export const NODE_RED_VERSION = (fromNodeRed('./package.json') as { version: string }).version;

/**
 * node-red-node-test-helper, bound to that Node-RED: the copy installed beside it (for the project's own
 * Node-RED, the one in node_modules), so that its own lookup of `../node-red/package.json` agrees too.
 */
export const helper = fromNodeRed('node-red-node-test-helper') as typeof NodeTestHelper;
helper.init(fromNodeRed.resolve('node-red'));

/** Starts the helper's Node-RED server before this describe's tests, unloads after each, stops it after. */
export function useHelperServer(): void {
  before((done) => {
    helper.startServer(done);
  });
  after((done) => {
    helper.stopServer(done);
  });
  afterEach(() => helper.unload());
}
