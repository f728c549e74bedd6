import assert from 'node:assert/strict';
import { ChargePolicy } from '../../src/policy/charge-policy';
import { load, NODES, simulatorMaster, type Msg } from '../support/helper-flows';
import { helper, useHelperServer } from '../support/node-red';
import type { TwcMasterNode } from '../../src/nodes/master-node';
import { openPtyPair, waitFor } from '../support/pty';

const master = simulatorMaster;
const statusFlow = (props: Record<string, unknown> = {}) => [
  master(),
  { id: 's1', type: 'twc-status', master: 'm1', wires: [['out']], ...props },
  { id: 'out', type: 'helper' },
];

function next(msg?: Msg): Promise<Msg> {
  return new Promise((resolve) => {
    helper.getNode('out').once('input', (m: Msg) => resolve(m));
    if (msg) helper.getNode('s1').receive(msg);
  });
}

function lastStatus(id: string): { fill?: string; shape?: string; text?: string } {
  const spy = helper.getNode(id).status as unknown as {
    lastCall?: { args: [{ fill?: string; text?: string }] };
  };
  return spy.lastCall?.args[0] ?? {};
}

describe('twc-status (test helper)', function () {
  this.timeout(20000);
  useHelperServer();

  it('answers any input with getStatus by default', async () => {
    await load(statusFlow());
    const m = await next({ payload: 'anything' });
    assert.equal(m.topic, 'status');
    assert.equal(m.statusCode, 200);
    const p = m.payload as Record<string, unknown>;
    // The default policy of this hour: green tracking in daylight, else Non Scheduled Charging.
    assert.equal(p.currentPolicy, new ChargePolicy().active().name);
    assert.equal(typeof p.carsCharging, 'number');
    assert.equal(p.maxAmpsToDivideAmongSlaves, '0.00');
  });

  it('chooses the payload by msg.topic: slaves, config, policy, events', async () => {
    await load(statusFlow());
    const m1 = helper.getNode('m1') as TwcMasterNode;
    await waitFor('linked', 5000, () => m1.engine!.snapshot().slaves.length === 2);
    const slaves = (await next({ topic: 'slaves' })).payload as Record<string, { TWCID: string }>;
    assert.deepEqual(Object.keys(slaves), ['4142', '4243', 'total']);
    assert.equal(slaves.total.TWCID, 'total');
    const config = (await next({ topic: 'config' })).payload as { config: { wiringMaxAmpsAllTWCs: number } };
    assert.equal(config.config.wiringMaxAmpsAllTWCs, 80);
    const policy = (await next({ topic: 'policy' })).payload as { name: string }[];
    assert.equal(policy[0].name, 'Charge Now');
    const events = (await next({ topic: 'events' })).payload as { event: string }[];
    assert.ok(events.some((e) => e.event === 'slaveAdded'));
  });

  it('policyAction, offsets, history, uuid and lastTWCResponse; text and JSON for http-in messages', async () => {
    await load(statusFlow());
    const m1 = helper.getNode('m1') as TwcMasterNode;
    await waitFor('linked', 5000, () => m1.engine!.snapshot().slaves.length === 2);
    const action = (await next({ topic: 'policyAction' })).payload;
    assert.ok([1, 2, 3].includes(action as number), String(action));
    m1.policy!.setOffset('Pool', 500, 'W');
    assert.deepEqual((await next({ topic: 'offsets' })).payload, { Pool: { value: 500, unit: 'W' } });
    const history = (await next({ topic: 'history' })).payload as {
      timestamp: string;
      charger_power: number;
    }[];
    assert.equal(history.length, 576);
    assert.match(String((await next({ topic: 'uuid' })).payload), /^\d+$/);
    assert.match(String((await next({ topic: 'lastTWCResponse' })).payload), /^(None|bytearray\(b'.*'\))$/s);
    // From an http-in node (msg.res present): JSON as text with its type, uuid as plain text.
    const res = {};
    const viaHttp = (await next({ topic: 'policyAction', res, req: { headers: {} } } as Msg)) as Msg & {
      headers: Record<string, string>;
    };
    assert.equal(viaHttp.payload, JSON.stringify(action));
    assert.equal(viaHttp.headers['content-type'], 'application/json');
    const uuid = (await next({ topic: 'uuid', res, req: { headers: {} } } as Msg)) as Msg & {
      headers: Record<string, string>;
    };
    assert.match(uuid.headers['content-type'], /^text\/plain/);
  });

  it('answers 401 to http-in messages without the bus’s API token', async () => {
    await helper.load(NODES as never, statusFlow() as never, { m1: { apiToken: 'tok' } } as never);
    const res = {};
    const denied = await next({ topic: 'status', res, req: { headers: {} } } as Msg);
    assert.equal(denied.statusCode, 401);
    const wrong = await next({
      topic: 'status',
      res,
      req: { headers: { authorization: 'Bearer nope' } },
    } as Msg);
    assert.equal(wrong.statusCode, 401);
    const ok = await next({ topic: 'status', res, req: { headers: { authorization: 'Bearer tok' } } } as Msg);
    assert.equal(ok.statusCode, 200);
    // Flows without http-in (no msg.req) are not affected.
    assert.equal((await next({ topic: 'status' })).statusCode, 200);
  });

  it('uses the payload chosen in the node for other topics', async () => {
    await load(statusFlow({ payload: 'slaves' }));
    const m = await next({ topic: 'whatever' });
    assert.equal(m.topic, 'slaves');
  });

  it('sends on change when asked, and on an interval', async () => {
    await load(statusFlow({ onChange: true }));
    const m = await next();
    assert.equal(m.topic, 'status');
    await helper.unload();
    await load(statusFlow({ interval: 0.2, payload: 'config' }));
    const started = Date.now();
    await next();
    await next();
    assert.ok(Date.now() - started < 2000);
  });

  it('sends on change when a command changes the settings, though nothing on the wire changes', async () => {
    // One unit and no car: once it has linked, nothing on the bus changes by itself.
    await load([
      master({ simulatedSlaves: '4243:32:0', wiringMaxAmpsPerTWC: 32 }),
      ...statusFlow({ onChange: true, payload: 'offsets' }).slice(1),
    ]);
    const m1 = helper.getNode('m1') as TwcMasterNode;
    await waitFor('linked', 5000, () => m1.engine!.snapshot().slaves.length === 1);
    const seen: Msg[] = [];
    helper.getNode('out').on('input', (m: Msg) => seen.push(m));
    // Quiet first: the bus's own changes (linking, first offers) are over.
    let quietSince = Date.now();
    let count = 0;
    await waitFor('a quiet bus', 15000, () => {
      if (seen.length !== count) [count, quietSince] = [seen.length, Date.now()];
      return Date.now() - quietSince > 1500;
    });
    const before = seen.length;
    m1.policy!.setOffset('kettle', 1, 'W');
    await new Promise((r) => setTimeout(r, 300));
    const after = seen.slice(before).map((m) => m.payload as Record<string, unknown>);
    assert.ok(
      after.some((p) => 'kettle' in p),
      `an offsets message naming the new offset within 300 ms: ${JSON.stringify(after)}`,
    );
  });

  it('emits every bus event with the events payload', async () => {
    await load(statusFlow({ payload: 'events' }));
    const m = await next();
    assert.equal(m.topic, 'events');
    assert.ok(typeof (m.payload as { event: string }).event === 'string');
  });

  it('shows the bus on its status dot: green with TWCs and amps', async () => {
    await load(statusFlow());
    await waitFor(
      'green dot',
      8000,
      () => lastStatus('s1').fill === 'green' && /^2 TWCs · \d+ A$/.test(lastStatus('s1').text ?? ''),
    );
  });

  it('yellow when no TWC answers, red with the reason when the port fails', async () => {
    await load([
      master({ transport: 'tcp', host: '127.0.0.1', tcpPort: 9 }),
      { id: 's1', type: 'twc-status', master: 'm1', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    await waitFor('red dot', 8000, () => lastStatus('s1').fill === 'red');
    assert.match(lastStatus('s1').text ?? '', /^bus down: connect ECONNREFUSED 127\.0\.0\.1:9$/);
    await helper.unload();
    // A real port with nobody on the other end: open, but no Wall Connector answers.
    const pty = await openPtyPair();
    try {
      await load([
        master({ transport: 'serial', serialPort: pty.b }),
        { id: 's1', type: 'twc-status', master: 'm1', wires: [['out']] },
        { id: 'out', type: 'helper' },
      ]);
      await waitFor('yellow dot', 8000, () => lastStatus('s1').fill === 'yellow');
      assert.equal(lastStatus('s1').text, 'no TWC answering');
      await helper.unload();
    } finally {
      await pty.close();
    }
  });

  it('answers 503 and shows red when the bus is missing', async () => {
    await load([
      { id: 's1', type: 'twc-status', master: 'nope', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    assert.deepEqual(lastStatus('s1'), { fill: 'red', shape: 'ring', text: 'no twc-master configured' });
    const m = await next({});
    assert.equal(m.statusCode, 503);
  });
});
