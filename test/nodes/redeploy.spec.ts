import assert from 'node:assert/strict';
import { SerialPort } from 'serialport';
import type { TwcMasterNode } from '../../src/nodes/master-node';
import { load } from '../support/helper-flows';
import { helper } from '../support/node-red';
import { attachSerialSim, type SerialSim } from '../support/serial-sim';
import { delay, openPtyPair, waitFor, type PtyPair } from '../support/pty';

/** Resource kinds Node reports as keeping the process alive, counted. */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

describe('deploy and redeploy (test helper)', function () {
  this.timeout(120000);
  let pty: PtyPair;
  let sim: SerialSim;

  before(async () => {
    await new Promise<void>((resolve) => helper.startServer(resolve));
    pty = await openPtyPair();
    sim = await attachSerialSim(pty.a, [{ id: 0x4142, maxAmps: 32, car: { maxAmps: 16 } }]);
  });
  afterEach(() => helper.unload());
  after(async () => {
    await sim.close();
    await pty.close();
    await new Promise<void>((resolve) => helper.stopServer(resolve));
  });

  const flow = (n: number): Record<string, unknown>[] => [
    {
      id: 'm1',
      type: 'twc-master',
      name: `bus ${n}`,
      transport: 'serial',
      serialPort: pty.b,
      wiringMaxAmpsAllTWCs: 32,
      wiringMaxAmpsPerTWC: 32 - (n % 2),
      minAmpsPerTWC: 12,
    },
    { id: 's1', type: 'twc-status', master: 'm1', onChange: true, interval: 1, wires: [[]] },
    { id: 'c1', type: 'twc-command', master: 'm1', wires: [[]] },
  ];

  it('50 full redeploys leave no extra handles, timers or open ports', async () => {
    await load(flow(0));
    await waitFor(
      'linked',
      8000,
      () => (helper.getNode('m1') as TwcMasterNode).engine?.snapshot().slaves.length === 1,
    );
    await helper.unload();
    await delay(300);
    const before = resources();
    await load(flow(0));
    for (let i = 1; i <= 50; i++) {
      await helper.setFlows(flow(i) as never, 'full');
      const m = helper.getNode('m1') as TwcMasterNode;
      assert.equal(m.configError, undefined);
      assert.equal(m.name, `bus ${i}`);
    }
    // The last deployment really works on the port the 49 before it released.
    await waitFor(
      'linked after 50 redeploys',
      8000,
      () => (helper.getNode('m1') as TwcMasterNode).engine?.snapshot().slaves.length === 1,
    );
    await helper.unload();
    await delay(300);
    assert.deepEqual(resources(), before);
    // Nobody holds the port: an exclusive open succeeds.
    const port = new SerialPort({ path: pty.b, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    await new Promise<void>((resolve) => port.close(() => resolve()));
  });
});
