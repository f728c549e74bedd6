import assert from 'node:assert/strict';
import fc from 'fast-check';
import { busDiscovery, twcDiscovery } from '../../../src/mqtt/discovery';
import { MqttPublisher } from '../../../src/mqtt/publisher';
import { stateTopics } from '../../../src/mqtt/topics';
import { discoveryProblems } from '../../support/ha-discovery-schema';
import { slaveSnapshot } from '../../support/slave-snapshot';
import { busView, install } from './fixtures';

const settings = { prefix: 'TWC', discoveryPrefix: 'homeassistant', discovery: true };

describe('MQTT publisher: what goes to the broker and when (docs/api.md §7.1, §7.5)', () => {
  it('first everything, retained; then only what changed', () => {
    const p = new MqttPublisher(settings);
    const a = slaveSnapshot('4142');
    const first = p.update(busView([a]));
    assert.ok(first.every((m) => m.retain));
    const configs = first.filter((m) => m.topic.startsWith('homeassistant/'));
    assert.equal(
      configs.length,
      busDiscovery(settings, install).length + twcDiscovery(settings, '4142').length,
    );
    assert.ok(configs.every((m) => m.qos === 1));
    const states = first.filter((m) => !m.topic.startsWith('homeassistant/'));
    assert.deepEqual(new Map(states.map((m) => [m.topic, m.payload])), stateTopics(busView([a]), 'TWC'));
    // Configs go before the states they name.
    const isConfig = first.map((m) => m.topic.startsWith('homeassistant/'));
    assert.ok(isConfig.indexOf(false) > isConfig.lastIndexOf(true));

    assert.deepEqual(p.update(busView([a])), []);
    const changed = p.update(busView([{ ...a, reportedAmpsActual: 7.25 }]));
    assert.deepEqual(
      changed.map((m) => [m.topic, m.payload]),
      [
        ['TWC/all/totalAmpsInUse', '7.25'],
        ['TWC/4142/ampsInUse', '7.25'],
        ['TWC/4142/chargerLoadInW', String(Math.round(7.25 * 230))],
      ],
    );
    assert.equal(p.republish(busView([a])).length, first.length);
  });

  it('property: after any sequence of views, the broker’s retained state is the last view’s', () => {
    const slave = fc.record({
      id: fc.constantFrom('4142', '4243', '0A0B'),
      amps: fc.double({ min: 0, max: 80, noNaN: true }),
      state: fc.integer({ min: 0, max: 15 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uniqueArray(slave, { selector: (s) => s.id }), fc.boolean()), {
          minLength: 1,
          maxLength: 8,
        }),
        (views) => {
          const p = new MqttPublisher({ ...settings, discovery: false });
          const broker = new Map<string, string>();
          let last;
          for (const [slaves, open] of views) {
            last = busView(
              slaves.map((s) => slaveSnapshot(s.id, { reportedAmpsActual: s.amps, state: s.state })),
              open,
            );
            for (const m of p.update(last)) broker.set(m.topic, m.payload);
          }
          for (const [topic, payload] of stateTopics(last!, 'TWC'))
            assert.equal(broker.get(topic), payload, topic);
          // A unit no longer listed is unavailable, never left "online".
          for (const [topic, payload] of broker)
            if (topic.endsWith('/availability') && !stateTopics(last!, 'TWC').has(topic))
              assert.equal(payload, 'offline');
        },
      ),
    );
  });

  it('a unit that leaves a working bus: empty retained configs and topics; with the bus down: nothing', () => {
    const p = new MqttPublisher(settings);
    const a = slaveSnapshot('4142');
    const b = slaveSnapshot('4243');
    p.update(busView([a, b]));
    const cleared = p.removed(b);
    const expected = [
      ...twcDiscovery(settings, '4243').map((c) => c.topic),
      ...[...stateTopics(busView([b]), 'TWC').keys()].filter((t) => t.includes('4243')),
    ];
    assert.deepEqual(cleared.map((m) => m.topic).sort(), expected.sort());
    assert.ok(cleared.every((m) => m.payload === '' && m.retain));
    // It comes back: announced again in full.
    const back = p.update(busView([a, b]));
    assert.ok(back.some((m) => m.topic === 'homeassistant/sensor/TWC_4243/state/config'));

    const down = new MqttPublisher(settings);
    down.update(busView([a, b], false));
    assert.deepEqual(down.removed(b), []);
    const later = down.update(busView([a], false));
    assert.deepEqual(
      later.filter((m) => m.topic.includes('4243')).map((m) => [m.topic, m.payload]),
      [],
      'already offline with the bus',
    );
  });

  it('without discovery no config is sent; closing turns every availability offline', () => {
    const p = new MqttPublisher({ ...settings, discovery: false });
    const first = p.update(busView([slaveSnapshot('4142')]));
    assert.ok(first.every((m) => !m.topic.startsWith('homeassistant/')));
    assert.ok(p.removed(slaveSnapshot('4142')).every((m) => !m.topic.startsWith('homeassistant/')));
    p.update(busView([slaveSnapshot('4243')]));
    assert.deepEqual(
      p.closing().map((m) => [m.topic, m.payload]),
      [
        ['TWC/availability', 'offline'],
        ['TWC/4243/availability', 'offline'],
      ],
    );
  });
});

describe('Home Assistant discovery configs (docs/api.md §7.5)', () => {
  it('property: for any prefix and TWCID every config passes the schema and unique ids are unique', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9 _./-]{1,12}$/).filter((s) => s.replace(/\//g, '') !== ''),
        fc.uniqueArray(
          fc.integer({ min: 1, max: 0xfffe }).map((n) => n.toString(16).toUpperCase().padStart(4, '0')),
          { maxLength: 4 },
        ),
        (prefix, ids) => {
          const s = { prefix, discoveryPrefix: 'homeassistant' };
          const configs = [...busDiscovery(s, install), ...ids.flatMap((id) => twcDiscovery(s, id))];
          assert.deepEqual(
            configs.flatMap((c) => discoveryProblems(c.topic, c.config)),
            [],
          );
          const uids = configs.map((c) => c.config.unique_id);
          assert.equal(new Set(uids).size, uids.length);
          const topics = configs.map((c) => c.topic);
          assert.equal(new Set(topics).size, topics.length);
        },
      ),
    );
  });

  it('the number spans minAmpsPerTWC to wiringMaxAmpsAllTWCs; the select offers the four policies', () => {
    const configs = busDiscovery(settings, { ...install, minAmpsPerTWC: 6, wiringMaxAmpsAllTWCs: 48 });
    const number = configs.find((c) => c.component === 'number')!.config;
    assert.equal(number.min, 6);
    assert.equal(number.max, 48);
    assert.equal(number.command_topic, 'TWC/control/chargeNowAmps');
    assert.equal(number.state_topic, 'TWC/all/chargeNowAmps');
    const select = configs.find((c) => c.component === 'select')!.config;
    assert.deepEqual(select.options, [
      'Charge Now',
      'Scheduled Charging',
      'Track Green Energy',
      'Non Scheduled Charging',
    ]);
  });

  it('the schema check itself refuses what Home Assistant refuses', () => {
    const good = twcDiscovery(settings, '4142').find((c) => c.config.device_class === 'energy')!;
    assert.deepEqual(discoveryProblems(good.topic, good.config), []);
    const bad = (patch: Record<string, unknown>, drop?: string) => {
      const c: Record<string, unknown> = { ...good.config, ...patch };
      if (drop) delete c[drop];
      return discoveryProblems(good.topic, c);
    };
    assert.equal(bad({}, 'state_topic').length, 1);
    assert.equal(bad({ state_class: 'measurement' }).length, 1);
    assert.equal(bad({ unit_of_measurement: 'A' }).length, 1);
    assert.equal(bad({ colour: 'red' }).length, 1);
    assert.equal(bad({ availability_mode: 'some' }).length, 1);
    assert.equal(bad({ device: { identifiers: [] } }).length, 1);
    assert.equal(bad({}, 'unique_id').length, 1);
    assert.equal(discoveryProblems('homeassistant/sensor/a b/c/config', good.config).length, 1);
    const number = busDiscovery(settings, install).find((c) => c.component === 'number')!;
    assert.equal(discoveryProblems(number.topic, { ...number.config, min: 80, max: 12 }).length, 1);
    assert.equal(discoveryProblems(number.topic, { ...number.config, command_topic: 'TWC/#' }).length, 1);
  });
});
