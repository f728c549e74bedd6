import assert from 'node:assert/strict';
import * as net from 'node:net';
import type { TwcMasterNode } from '../../src/nodes/master-node';
import { load, NODES, simulatorMaster, type Msg } from '../support/helper-flows';
import { helper, useHelperServer } from '../support/node-red';
import { freePort } from '../support/node-red-process';
import { delay, waitFor } from '../support/pty';

type Spy = { getCalls(): { thisValue: unknown; args: unknown[] }[] };
type Status = { fill?: string; shape?: string; text?: string };

/** What one node passed to one of its methods (the helper spies on the prototype, so on every node). */
function callsOf(id: string, method: 'warn' | 'error' | 'log' | 'status'): unknown[][] {
  const node = helper.getNode(id);
  const spy = (node as unknown as Record<string, Spy>)[method];
  return spy
    .getCalls()
    .filter((c) => c.thisValue === node)
    .map((c) => c.args);
}
const lastStatus = (id: string): Status => (callsOf(id, 'status').at(-1)?.[0] as Status | undefined) ?? {};

/** Messages a catch node for the whole flow passes on to `caught`. */
const caught: Msg[] = [];
const catching = [
  { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
  { id: 'caught', type: 'helper' },
];
async function loadCaught(flow: Record<string, unknown>[]): Promise<void> {
  caught.length = 0;
  // A catch node works on a flow tab: every node but the config node goes on one.
  const onTab = [...flow, ...catching].map((n) => (n.type === 'twc-master' ? n : { ...n, z: 'f1' }));
  await load([{ id: 'f1', type: 'tab' }, ...onTab]);
  helper.getNode('caught').on('input', (m: Msg) => caught.push(m));
}

function ask(id: string, msg: Msg): Promise<Msg> {
  return new Promise((resolve) => {
    helper.getNode('out').once('input', (m: Msg) => resolve(m));
    helper.getNode(id).receive(msg);
  });
}

const nodesOf = (m: Record<string, unknown>) => [
  m,
  { id: 's1', type: 'twc-status', master: 'm1', wires: [[]] },
  { id: 'c1', type: 'twc-command', master: 'm1', wires: [['out']] },
  { id: 'out', type: 'helper' },
];

const MISSING = '/dev/ttyDOESNOTEXIST';

describe('status that tells the truth (test helper)', function () {
  this.timeout(30000);
  useHelperServer();

  it('a missing serial port: each node’s error, caught once per fall, the whole reason; red dots; the master’s log', async () => {
    await loadCaught(nodesOf(simulatorMaster({ transport: 'serial', serialPort: MISSING })));
    await waitFor('two caught errors', 8000, () => caught.length >= 2);
    const m = helper.getNode('m1') as TwcMasterNode;
    const detail = m.engine!.snapshot().transport.detail;
    assert.match(detail, new RegExp(`^cannot open ${MISSING}: .*No such file or directory`));
    const full = `the bus is down: ${detail}. It is retried until it opens; until then nothing reaches the Wall Connectors.`;
    type Caught = Msg & { error?: { message?: string; source?: { id?: string } } };
    assert.deepEqual(
      (caught as Caught[]).map((c) => [c.error?.source?.id, c.error?.message, c.topic, c.payload]).sort(),
      ['c1', 's1'].map((id) => [id, full, 'busDown', { state: 'waiting', detail, reconnects: 0 }]),
    );
    // The master logs it too (its error has no message, so no catch node sees it twice).
    assert.deepEqual(callsOf('m1', 'error'), [[full]]);
    // Retries (after 1 s, then 2 s) are the same fall: nothing more.
    await delay(3500);
    assert.equal(caught.length, 2);
    assert.equal(callsOf('m1', 'error').length, 1);
    for (const id of ['s1', 'c1']) {
      const s = lastStatus(id);
      assert.equal(s.fill, 'red', id);
      assert.match(String(s.text), /^bus down: No such file or directory$/);
    }
    const r = await ask('c1', { topic: 'chargeNow', payload: { chargeNowRate: 16, chargeNowDuration: 60 } });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(
      [(r.payload as Record<string, unknown>).warningCode, (r.payload as Record<string, unknown>).warning],
      ['busDown', `the bus is not open (${detail}): nothing reaches the Wall Connectors`],
    );
    // The command's outcome follows the bus, which stays visible (and red).
    assert.deepEqual(lastStatus('c1'), {
      fill: 'red',
      shape: 'ring',
      text: `${String(lastStatus('s1').text)} · chargeNow: not in effect now`,
    });
  });

  it('a gateway that falls twice: caught once per fall, the master logs each fall and each return', async () => {
    const sockets = new Set<net.Socket>();
    const gateway = net.createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    const listen = (port = 0) =>
      new Promise<number>((resolve) =>
        gateway.listen(port, '127.0.0.1', () => resolve((gateway.address() as net.AddressInfo).port)),
      );
    const fall = () =>
      new Promise<void>((resolve) => {
        gateway.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    const port = await listen();
    try {
      await loadCaught(nodesOf(simulatorMaster({ transport: 'tcp', host: '127.0.0.1', tcpPort: port })));
      const m = helper.getNode('m1') as TwcMasterNode;
      const state = () => m.engine!.snapshot().transport.state;
      await waitFor('open', 5000, () => state() === 'open');
      await fall();
      await waitFor('the first fall caught', 5000, () => caught.length === 2);
      await delay(2500);
      assert.equal(caught.length, 2, 'retries are the same fall');
      await listen(port);
      await waitFor('open again', 10000, () => state() === 'open');
      assert.deepEqual(
        callsOf('m1', 'log')
          .map(String)
          .filter((l) => l.startsWith('the bus is open again')),
        [`the bus is open again: 127.0.0.1:${port}`],
      );
      await fall();
      await waitFor('the second fall caught', 5000, () => caught.length === 4);
      assert.equal(callsOf('m1', 'error').length, 2);
      assert.deepEqual(
        caught.map((c) => (c.payload as { state: string }).state),
        ['waiting', 'waiting', 'waiting', 'waiting'],
      );
    } finally {
      if (gateway.listening) await fall();
    }
  });

  it('charge-now below the minimum: 200 with the reason, yellow dots that say it; at the minimum green again', async () => {
    await load(nodesOf(simulatorMaster()));
    const m = helper.getNode('m1') as TwcMasterNode;
    await waitFor('two units', 8000, () => m.engine!.snapshot().slaves.length === 2);
    const low = await ask('c1', {
      topic: 'chargeNow',
      payload: { chargeNowRate: 5, chargeNowDuration: 600 },
    });
    assert.deepEqual(
      [low.statusCode, low.payload],
      [
        200,
        {
          status: 'success',
          rate: 5,
          duration: 600,
          warning:
            'Charge Now allows 5 A, below the minimum of 12 A per Wall Connector (minAmpsPerTWC): 0 A is offered',
          warningCode: 'belowMinimum',
        },
      ],
    );
    assert.deepEqual(lastStatus('c1'), {
      fill: 'yellow',
      shape: 'ring',
      text: `2 TWCs · ${Math.round(m.engine!.snapshot().totals.reportedAmpsActual)} A · Charge Now 5 A is below the 12 A minimum: 0 A · chargeNow: not in effect now`,
    });
    await waitFor('the status node too', 3000, () =>
      String(lastStatus('s1').text).endsWith('· Charge Now 5 A is below the 12 A minimum: 0 A'),
    );
    assert.equal(lastStatus('s1').fill, 'yellow');
    const ok = await ask('c1', {
      topic: 'chargeNow',
      payload: { chargeNowRate: 12, chargeNowDuration: 600 },
    });
    assert.deepEqual(ok.payload, { status: 'success', rate: 12, duration: 600 });
    assert.equal(lastStatus('c1').fill, 'green');
    assert.match(String(lastStatus('c1').text), /^2 TWCs · \d+ A · chargeNow: done$/);
  });

  it('stopped: a later charge-now says the stop is in force, naming the units, until a start', async () => {
    await load(nodesOf(simulatorMaster()));
    const m = helper.getNode('m1') as TwcMasterNode;
    await waitFor('two units', 8000, () => m.engine!.snapshot().slaves.length === 2);
    const order = m
      .engine!.snapshot()
      .slaves.map((s) => s.TWCID)
      .join(', ');
    const stop = await ask('c1', { topic: 'sendStopCommand' });
    assert.deepEqual(stop.payload, { status: 'success', twcs: 2 });
    const now = await ask('c1', {
      topic: 'chargeNow',
      payload: { chargeNowRate: 16, chargeNowDuration: 600 },
    });
    assert.deepEqual(now.payload, {
      status: 'success',
      rate: 16,
      duration: 600,
      warning: `stopped by sendStopCommand until sendStartCommand, so 0 A is offered to ${order}`,
      warningCode: 'stopped',
    });
    assert.equal(lastStatus('c1').fill, 'yellow');
    assert.match(
      String(lastStatus('c1').text),
      new RegExp(`· stopped until a start \\(${order}\\): 0 A · chargeNow: not in effect now$`),
    );
    const start = await ask('c1', { topic: 'sendStartCommand' });
    assert.deepEqual(start.payload, { status: 'success', twcs: 2 });
    assert.match(String(lastStatus('c1').text), /^2 TWCs · \d+ A · sendStartCommand: done$/);
    await waitFor('the status node follows', 3000, () => !String(lastStatus('s1').text).includes('stopped'));
  });

  it('an open API: every node yellow, one warning from the master; loopback or a token: neither', async () => {
    const port = await freePort();
    await load(nodesOf(simulatorMaster({ httpEnabled: true, listenPort: port, listenHost: '' })));
    const m = helper.getNode('m1') as TwcMasterNode;
    await waitFor('two units', 8000, () => m.engine!.snapshot().slaves.length === 2);
    await waitFor('yellow dots', 3000, () => String(lastStatus('s1').text).includes('API open'));
    for (const id of ['s1', 'c1']) {
      assert.equal(lastStatus(id).fill, 'yellow', id);
      assert.match(String(lastStatus(id).text), /^2 TWCs · \d+ A · API open to the network without a token$/);
    }
    const open = callsOf('m1', 'warn').filter((a) => String(a[0]).includes('has no API token'));
    assert.deepEqual(open, [
      [
        `twc-master: the TWCManager API on *:${port} has no API token and answers the whole network: anyone there can start, stop and set the charging. Set an API token, or the listen host 127.0.0.1.`,
      ],
    ]);
    await helper.unload();
    for (const [props, credentials] of [
      [{ listenHost: '127.0.0.1' }, {}],
      [{ listenHost: '' }, { m1: { apiToken: 'secret' } }],
    ] as const) {
      await helper.load(
        NODES as never,
        nodesOf(simulatorMaster({ httpEnabled: true, listenPort: await freePort(), ...props })) as never,
        credentials as never,
      );
      const again = helper.getNode('m1') as TwcMasterNode;
      await waitFor('two units', 8000, () => again.engine!.snapshot().slaves.length === 2);
      await waitFor('green', 3000, () => lastStatus('s1').fill === 'green');
      assert.equal(again.apiOpen, false);
      assert.equal(callsOf('m1', 'warn').filter((a) => String(a[0]).includes('has no API token')).length, 0);
      await helper.unload();
    }
  });

  it('the API port taken: the master’s error, and no node stays green', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await load(nodesOf(simulatorMaster({ httpEnabled: true, listenPort: port, listenHost: '127.0.0.1' })));
      const m = helper.getNode('m1') as TwcMasterNode;
      await waitFor('two units', 8000, () => m.engine!.snapshot().slaves.length === 2);
      await waitFor('the reason on the dot', 3000, () => String(lastStatus('s1').text).includes('in use'));
      for (const id of ['s1', 'c1']) {
        assert.equal(lastStatus(id).fill, 'yellow', id);
        assert.match(String(lastStatus(id).text), new RegExp(`^2 TWCs · \\d+ A · API port ${port} in use$`));
      }
      assert.deepEqual(callsOf('m1', 'error'), [
        [`twc-master: port ${port} is already in use; choose another listen port or stop what uses it`],
      ]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
