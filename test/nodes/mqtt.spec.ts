import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { coreNode, load, simulatorMaster } from '../support/helper-flows';
import { helper, useHelperServer } from '../support/node-red';
import { startMosquitto, TopicWatcher, type Broker } from '../support/mosquitto';
import { discoveryProblems, DISCOVERY_TOPIC } from '../support/ha-discovery-schema';
import type { TwcMasterNode } from '../../src/nodes/master-node';
import type { SimulatorTransport } from '../../src/transport/simulator-transport';
import { POLICY_NAMES } from '../../src/policy/settings';

const mqttNodes = coreNode('network/10-mqtt.js');
const debugNode = coreNode('common/21-debug.js');
const EXAMPLE = path.resolve(__dirname, '..', '..', '..', 'examples', '04 - Home Assistant over MQTT.json');
const statusNode = coreNode('common/25-status.js');

/** The example's three nodes and the two that keep the broker up to date: real core mqtt nodes, a real broker. */
function flow(port: number, prefix = 'TWC'): Record<string, unknown>[] {
  return [
    simulatorMaster(),
    {
      id: 'b1',
      type: 'mqtt-broker',
      broker: '127.0.0.1',
      port,
      clientid: '',
      autoConnect: true,
      protocolVersion: 4,
      keepalive: 60,
      cleansession: true,
    },
    { id: 's1', type: 'twc-status', master: 'm1', payload: 'mqtt', mqttPrefix: prefix, wires: [['o1']] },
    { id: 'o1', type: 'mqtt out', broker: 'b1', topic: '', qos: '', retain: '' },
    // The broker connection's status re-sends every retained topic, as in the example flow.
    { id: 'st1', type: 'status', scope: ['o1'], wires: [['s1']] },
    {
      id: 'i1',
      type: 'mqtt in',
      broker: 'b1',
      topic: `${prefix}/control/#`,
      qos: '1',
      datatype: 'auto-detect',
      wires: [['c1']],
    },
    {
      id: 'c1',
      type: 'twc-command',
      master: 'm1',
      command: 'mqtt',
      mqttPrefix: prefix,
      wires: [['answers']],
    },
    { id: 'answers', type: 'helper' },
  ];
}

const engineOf = () => (helper.getNode('m1') as TwcMasterNode).engine!;
const policyOf = () => (helper.getNode('m1') as TwcMasterNode).policy!;
/** What the simulated Wall Connectors obey on the wire now, by TWCID. */
function simOffers(): Record<string, number> {
  const sim = (engineOf() as unknown as { transport: SimulatorTransport }).transport;
  return Object.fromEntries(
    sim.bus.slaves.map((s) => [s.id.toString(16).toUpperCase(), s.state.offeredAmps]),
  );
}
const engineOffers = (): Record<string, number> =>
  Object.fromEntries(
    engineOf()
      .snapshot()
      .slaves.map((s) => [s.TWCID, s.lastAmpsOffered]),
  );

function warnings(id: string): string[] {
  const spy = helper.getNode(id).warn as unknown as { args: unknown[][] };
  return spy.args.map((a) => String(a[0]));
}

const configsOf = (w: TopicWatcher): Map<string, Record<string, unknown>> =>
  new Map(
    [...w.latest]
      .filter(([t, p]) => t.startsWith('homeassistant/') && p !== '')
      .map(([t, p]) => [t, JSON.parse(p) as Record<string, unknown>]),
  );

async function linked(): Promise<void> {
  const deadline = Date.now() + 8000;
  while (engineOf().snapshot().slaves.length < 2) {
    if (Date.now() > deadline) throw new Error('the simulated Wall Connectors did not link');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('MQTT and Home Assistant discovery (real mosquitto, core mqtt nodes)', function () {
  this.timeout(40000);
  useHelperServer();
  let broker: Broker;
  let watcher: TopicWatcher | undefined;
  before(async () => {
    broker = await startMosquitto();
  });
  after(async () => {
    await broker.stop();
  });
  afterEach(async () => {
    await watcher?.end();
    watcher = undefined;
  });

  it('retains a discovery config per entity that Home Assistant’s schema accepts, field by field', async () => {
    await load(flow(broker.port), [mqttNodes, statusNode]);
    await linked();
    // A client that connects later sees only what is retained.
    await new Promise((r) => setTimeout(r, 1500));
    watcher = await TopicWatcher.connect(broker.url, ['homeassistant/#', 'TWC/#']);
    await watcher.until('the configs of both Wall Connectors', () =>
      ['4142', '4243'].every((id) => watcher!.latest.has(`homeassistant/sensor/TWC_${id}/ampsInUse/config`)),
    );
    await watcher.settled();
    assert.ok(
      watcher.heard.every((m) => m.retain),
      'everything a late client hears is retained',
    );
    const configs = configsOf(watcher);
    const problems = [...configs].flatMap(([t, c]) => discoveryProblems(t, c));
    assert.deepEqual(problems, []);
    const byComponent = (c: string) => [...configs.keys()].filter((t) => DISCOVERY_TOPIC.exec(t)![2] === c);
    assert.equal(byComponent('sensor').length, 4 + 2 * 11);
    assert.equal(byComponent('binary_sensor').length, 2);
    assert.equal(byComponent('number').length, 1);
    assert.equal(byComponent('button').length, 3 + 2 * 2);
    assert.equal(byComponent('select').length, 1);
    const ids = [...configs.values()].map((c) => c.unique_id);
    assert.equal(new Set(ids).size, ids.length, 'unique ids are unique');

    // Every topic a config names is retained on the broker: states and availability are there for it.
    for (const [t, c] of configs) {
      // An empty text (no VIN known yet) is no retained message at all, as with TWCManager.
      if (typeof c.state_topic === 'string' && !c.state_topic.endsWith('VehicleVIN'))
        assert.ok(watcher.latest.has(c.state_topic), `${t}: ${c.state_topic}`);
      for (const a of c.availability as { topic: string }[])
        assert.equal(watcher.latest.get(a.topic), 'online', t);
    }
    const number = configs.get('homeassistant/number/TWC_bus/chargeNowAmps/config')!;
    assert.equal(number.min, 12, 'minAmpsPerTWC');
    assert.equal(number.max, 80, 'wiringMaxAmpsAllTWCs');
    const select = configs.get('homeassistant/select/TWC_bus/policy/config')!;
    assert.deepEqual(select.options, [...POLICY_NAMES]);
    assert.ok(POLICY_NAMES.includes(watcher.latest.get(select.state_topic as string) as never));
    const twc = configs.get('homeassistant/sensor/TWC_4142/lifetimekWh/config')!;
    assert.deepEqual((twc.device as { identifiers: string[] }).identifiers, [
      'node-red-contrib-twcmanager_TWC_4142',
    ]);
    assert.equal((twc.device as { via_device: string }).via_device, 'node-red-contrib-twcmanager_TWC_bus');

    // A restart (a new deploy) announces the very same entities: ids never depend on the run.
    const before = new Map([...configs].map(([t, c]) => [t, c.unique_id]));
    await helper.unload();
    await watcher.end();
    await load(flow(broker.port), [mqttNodes, statusNode]);
    await linked();
    watcher = await TopicWatcher.connect(broker.url, ['homeassistant/#']);
    await watcher.until('the configs again', () => configsOf(watcher!).size >= before.size);
    await watcher.settled();
    assert.deepEqual(new Map([...configsOf(watcher)].map(([t, c]) => [t, c.unique_id])), before);
  });

  it('state topics follow the simulated chargers, in TWCManager’s formats', async () => {
    await load(flow(broker.port), [mqttNodes, statusNode]);
    await linked();
    watcher = await TopicWatcher.connect(broker.url, ['TWC/#']);
    const s = () =>
      engineOf()
        .snapshot()
        .slaves.find((x) => x.TWCID === '4142')!;
    // The car on 4142 draws once something is offered.
    policyOf().chargeNow(20, 3600);
    engineOf().setPolicy(policyOf());
    await watcher.until('ampsInUse of 4142 as the engine reads it, while the car draws', () => {
      const v = watcher!.latest.get('TWC/4142/ampsInUse');
      return v !== undefined && Number(v) === s().reportedAmpsActual && s().reportedAmpsActual > 10;
    });
    await watcher.until('the offer', () => watcher!.latest.get('TWC/4142/ampsOffered') === '20.0');
    assert.match(watcher.latest.get('TWC/4142/ampsMax')!, /^\d+\.\d+$/, 'a float, as Python writes it');
    assert.equal(watcher.latest.get('TWC/4142/state'), String(s().state));
    assert.equal(watcher.latest.get('TWC/4142/carsCharging'), s().charging ? '1' : '0');
    assert.equal(watcher.latest.get('TWC/4243/carsCharging'), '0');
    assert.equal(watcher.latest.get('TWC/config/minAmpsPerTWC'), '12');
    assert.equal(watcher.latest.get('TWC/all/currentPolicy'), policyOf().active().name);
    assert.equal(watcher.latest.get('TWC/4142/currentVehicleVIN'), s().currentVIN);
    await watcher.until(
      'total amps',
      () =>
        Number(watcher!.latest.get('TWC/all/totalAmpsInUse')) ===
        engineOf().snapshot().totals.reportedAmpsActual,
    );
  });

  it('TWC/control/chargeNow and the discovery number both change the amps on the wire; bad payloads change nothing', async () => {
    await load(flow(broker.port), [mqttNodes, statusNode]);
    await linked();
    watcher = await TopicWatcher.connect(broker.url, ['homeassistant/#', 'TWC/#']);
    await watcher.until('the number config', () =>
      watcher!.latest.has('homeassistant/number/TWC_bus/chargeNowAmps/config'),
    );
    // Nothing is offered yet outside a charge-now on this bus (no green energy, nonScheduledAmpsMax 0).
    policyOf().setPolicy('Non Scheduled Charging');
    await watcher.until('no offer', () => simOffers()['4142'] === 0);

    await watcher.publish('TWC/control/chargeNow', '20,3600');
    await watcher.until(
      '20 A on the wire to 4142',
      () => simOffers()['4142'] === 20 && engineOffers()['4142'] === 20,
    );
    assert.equal(policyOf().current.chargeNowAmps, 20);
    await watcher.until('the number shows 20', () => watcher!.latest.get('TWC/all/chargeNowAmps') === '20');

    // Home Assistant's number publishes the value alone on the command topic its config names.
    const number = JSON.parse(watcher.latest.get('homeassistant/number/TWC_bus/chargeNowAmps/config')!) as {
      command_topic: string;
    };
    await watcher.publish(number.command_topic, '16');
    await watcher.until(
      '16 A on the wire to 4142',
      () => simOffers()['4142'] === 16 && engineOffers()['4142'] === 16,
    );

    // Refused: the same checks as the HTTP API, a warning each, and the offer stays.
    const bad: [string, string][] = [
      ['TWC/control/chargeNow', 'sixteen'],
      ['TWC/control/chargeNowAmps', '16.5'],
      ['TWC/control/chargeNowAmps', '5000'],
      ['TWC/control/nonScheduledAction', '7'],
      ['TWC/control/policy', 'Go Fast'],
      ['TWC/control/stop', ''],
    ];
    const warned = warnings('c1').length;
    const answers: { topic?: string; statusCode?: number; payload?: { error?: string } }[] = [];
    (helper.getNode('answers') as unknown as NodeJS.EventEmitter).on('input', (m: (typeof answers)[number]) =>
      answers.push(m),
    );
    for (const [t, p] of bad) await watcher.publish(t, p);
    await watcher.until('an answer to each', () => answers.length === bad.length);
    assert.deepEqual(
      answers.map((a) => [a.topic, a.statusCode]),
      bad.map(([t]) => [t, 400]),
    );
    // One warning per kind of refusal at once; repeats of a kind are counted into a later one (RefusalLog).
    await watcher.until('a warning for every kind of refusal', () => warnings('c1').length >= warned + 4);
    const text = warnings('c1').slice(warned).join('\n');
    assert.match(text, /amps,seconds/);
    assert.match(answers[1].payload!.error!, /whole number/);
    assert.match(answers[2].payload!.error!, /at most/);
    assert.match(text, /nonScheduledAction/);
    assert.match(text, /Go Fast/);
    assert.match(text, /stop/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(policyOf().current.chargeNowAmps, 16);
    assert.equal(policyOf().current.nonScheduledAction, 1);
    assert.equal(simOffers()['4142'], 16);

    // A button: cancel charge now (TWCManager's chargeNowEnd) and the offer goes back to nothing.
    const cancel = JSON.parse(watcher.latest.get('homeassistant/button/TWC_bus/cancelChargeNow/config')!) as {
      command_topic: string;
      payload_press: string;
    };
    await watcher.publish(cancel.command_topic, cancel.payload_press);
    await watcher.until('the offer ends', () => simOffers()['4142'] === 0);
    await watcher.until('the number resets', () => watcher!.latest.get('TWC/all/chargeNowAmps') === 'None');
  });

  it('the policy select and a Wall Connector’s stop button act through the same commands', async () => {
    await load(flow(broker.port), [mqttNodes, statusNode]);
    await linked();
    watcher = await TopicWatcher.connect(broker.url, ['homeassistant/#', 'TWC/#']);
    await watcher.until('configs', () =>
      watcher!.latest.has('homeassistant/button/TWC_4142/stopCharging/config'),
    );
    const select = JSON.parse(watcher.latest.get('homeassistant/select/TWC_bus/policy/config')!) as {
      command_topic: string;
    };
    await watcher.publish(select.command_topic, 'Charge Now');
    await watcher.until(
      'the policy in force',
      () => watcher!.latest.get('TWC/all/currentPolicy') === 'Charge Now',
    );
    const stop = JSON.parse(watcher.latest.get('homeassistant/button/TWC_4142/stopCharging/config')!) as {
      command_topic: string;
      payload_press: string;
    };
    await watcher.publish(stop.command_topic, stop.payload_press);
    await watcher.until('4142 stopped, 4243 not', () => {
      const slaves = engineOf().snapshot().slaves;
      return (
        slaves.find((x) => x.TWCID === '4142')!.chargingStopped &&
        !slaves.find((x) => x.TWCID === '4243')!.chargingStopped
      );
    });
  });

  it('a Wall Connector that leaves a working bus for good is removed from Home Assistant', async () => {
    await load(flow(broker.port), [mqttNodes, statusNode]);
    await linked();
    watcher = await TopicWatcher.connect(broker.url, ['homeassistant/#', 'TWC/#']);
    await watcher.until(
      'configs of 4243',
      () => watcher!.latest.get('homeassistant/sensor/TWC_4243/state/config') !== undefined,
    );
    const engine = engineOf() as unknown as {
      config: { slaveTimeoutMs: number };
      transport: SimulatorTransport;
    };
    engine.config.slaveTimeoutMs = 2000;
    const sim = engine.transport.bus;
    sim.slaves.splice(
      sim.slaves.findIndex((s) => s.id === 0x4243),
      1,
    );
    const left = () => [...watcher!.latest].filter(([t, p]) => t.includes('4243') && p !== '');
    await watcher.until('its configs and topics cleared', () => left().length === 0, 10000);
    // Cleared means gone from the broker: a client that connects now gets nothing retained of 4243.
    const late = await TopicWatcher.connect(broker.url, ['homeassistant/#', 'TWC/#']);
    await late.until('the retained topics', () =>
      late.latest.has('homeassistant/sensor/TWC_4142/state/config'),
    );
    await late.settled();
    // Only what the broker kept counts: a clearing message still on its way reaches a new subscriber as a
    // live (not retained) message, and clears nothing less for that.
    const retained4243 = late.heard.filter((m) => m.retain && m.topic.includes('4243')).map((m) => m.topic);
    await late.end();
    assert.deepEqual(retained4243, []);
    assert.notEqual(watcher.latest.get('homeassistant/sensor/TWC_4142/state/config'), '');
  });

  it('example 04 deploys as it is (only the broker’s port is the test’s) and works both ways', async () => {
    const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>[];
    const brokerNode = example.find((n) => n.type === 'mqtt-broker')!;
    assert.deepEqual([brokerNode.broker, brokerNode.port], ['localhost', '1883']);
    assert.equal(example.find((n) => n.type === 'twc-status')!.mqttPrefix, 'TWC');
    brokerNode.broker = '127.0.0.1';
    brokerNode.port = String(broker.port);
    await load(example, [mqttNodes, statusNode, debugNode]);
    watcher = await TopicWatcher.connect(broker.url, ['homeassistant/#', 'TWC/#']);
    await watcher.until('both Wall Connectors announced', () =>
      ['4142', '4243'].every((id) => watcher!.latest.has(`homeassistant/sensor/TWC_${id}/state/config`)),
    );
    await watcher.settled();
    assert.deepEqual(
      [...configsOf(watcher)].flatMap(([t, c]) => discoveryProblems(t, c)),
      [],
    );
    const engine = (helper.getNode('twc-ex4-master') as TwcMasterNode).engine!;
    await watcher.publish('TWC/control/chargeNow', '16,3600');
    await watcher.until('16 A offered to 4142', () =>
      engine.snapshot().slaves.some((x) => x.TWCID === '4142' && x.lastAmpsOffered === 16),
    );
    await watcher.until('and published', () => watcher!.latest.get('TWC/4142/ampsOffered') === '16.0');
    // The test helper's Node-RED has no user directory: that warning is the harness's, not the example's.
    const own = warnings('twc-ex4-master').filter((w) => !/no user directory/.test(w));
    assert.deepEqual(own, [], 'deploys without warnings');
    // Home Assistant's birth message makes the node send everything again.
    const heard = watcher.heard.length;
    await watcher.publish('homeassistant/status', 'online');
    await watcher.until('everything again', () => watcher!.heard.length - heard > 40);
  });
});
