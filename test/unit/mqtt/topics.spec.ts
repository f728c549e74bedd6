import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cleanPrefix, formatValue, stateTopics, TWC_TOPICS, twcTopics } from '../../../src/mqtt/topics';
import { slaveSnapshot } from '../../support/slave-snapshot';
import { busView } from './fixtures';

describe('MQTT status topics (docs/api.md §7.2, §7.3)', () => {
  it('writes floats with a decimal point, ints without, text as it is, as TWCManager’s Python does', () => {
    assert.equal(formatValue(32, 'float'), '32.0');
    assert.equal(formatValue(15.53, 'float'), '15.53');
    assert.equal(formatValue(0, 'float'), '0.0');
    assert.equal(formatValue(243, 'int'), '243');
    assert.equal(formatValue(242.6, 'int'), '243');
    assert.equal(formatValue('5YJ3E1EA7KF000001', 'text'), '5YJ3E1EA7KF000001');
    assert.equal(formatValue(Number.NaN, 'float'), '0.0');
    assert.equal(formatValue(Number.POSITIVE_INFINITY, 'int'), '0');
  });

  it('round trip: a float payload read back as a number is the value sent; an int is the value rounded', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = formatValue(x, 'float');
        assert.match(text, /\.|e/, 'always a float to Python');
        assert.equal(Number(text), x === 0 ? 0 : x);
        assert.equal(Number(formatValue(x, 'int')), Math.round(x) === 0 ? 0 : Math.round(x));
      }),
    );
  });

  it('publishes TWCManager’s keys per Wall Connector and for the bus, with availability from the port', () => {
    const a = slaveSnapshot('4142', {
      reportedAmpsMax: 32,
      reportedAmpsActual: 15.5,
      lastAmpsOffered: 16,
      state: 1,
      charging: true,
      lifetimekWh: 1234.4,
      voltsPhaseA: 229.6,
      currentVIN: 'VIN1',
      lastVIN: 'VIN0',
    });
    const topics = stateTopics(
      busView([a, slaveSnapshot('4243')], true, {
        currentPolicy: 'Charge Now',
        maxAmpsForSlaves: 16,
        chargeNowAmps: 16,
      }),
      'TWC',
    );
    assert.deepEqual(Object.fromEntries(topics), {
      'TWC/availability': 'online',
      'TWC/all/totalAmpsInUse': '15.5',
      'TWC/all/currentPolicy': 'Charge Now',
      'TWC/all/maxAmpsForSlaves': '16.0',
      'TWC/config/minAmpsPerTWC': '12',
      'TWC/all/chargeNowAmps': '16',
      'TWC/4142/availability': 'online',
      'TWC/4142/ampsMax': '32.0',
      'TWC/4142/ampsInUse': '15.5',
      'TWC/4142/state': '1',
      // 15.5 A at the configured 230 V (no voltage reported yet by 4243; 4142's 229.6 V is phase A).
      'TWC/4142/chargerLoadInW': String(Math.round(15.5 * 229.6)),
      'TWC/4142/ampsOffered': '16.0',
      'TWC/4142/lifetimekWh': '1234',
      'TWC/4142/voltagePhaseA': '230',
      'TWC/4142/voltagePhaseB': '0',
      'TWC/4142/voltagePhaseC': '0',
      'TWC/4142/carsCharging': '1',
      'TWC/4142/currentVehicleVIN': 'VIN1',
      'TWC/4142/lastVehicleVIN': 'VIN0',
      'TWC/4243/availability': 'online',
      'TWC/4243/ampsMax': '0.0',
      'TWC/4243/ampsInUse': '0.0',
      'TWC/4243/state': '0',
      'TWC/4243/chargerLoadInW': '0',
      'TWC/4243/ampsOffered': '0.0',
      'TWC/4243/lifetimekWh': '0',
      'TWC/4243/voltagePhaseA': '0',
      'TWC/4243/voltagePhaseB': '0',
      'TWC/4243/voltagePhaseC': '0',
      'TWC/4243/carsCharging': '0',
      'TWC/4243/currentVehicleVIN': '',
      'TWC/4243/lastVehicleVIN': '',
    });
  });

  it('the bus is offline while its port is not open; no charge-now is Home Assistant’s reset payload', () => {
    const topics = stateTopics(busView([slaveSnapshot('4142')], false), 'Home/TWC');
    assert.equal(topics.get('Home/TWC/availability'), 'offline');
    assert.equal(topics.get('Home/TWC/4142/availability'), 'offline');
    assert.equal(topics.get('Home/TWC/all/chargeNowAmps'), 'None');
  });

  it('the topics cleared for a unit are exactly its status topics', () => {
    const all = [...stateTopics(busView([slaveSnapshot('4142')]), 'TWC').keys()].filter((t) =>
      t.includes('4142'),
    );
    assert.deepEqual(twcTopics('TWC', '4142').sort(), all.sort());
    assert.equal(twcTopics('TWC', '4142').length, TWC_TOPICS.length + 1);
  });

  it('prefix: slashes at the ends dropped, wildcards and empty fall back', () => {
    assert.equal(cleanPrefix(' /TWC/ ', 'X'), 'TWC');
    assert.equal(cleanPrefix('home/twc', 'X'), 'home/twc');
    assert.equal(cleanPrefix('', 'X'), 'X');
    assert.equal(cleanPrefix(undefined, 'X'), 'X');
    assert.equal(cleanPrefix('a/#', 'X'), 'X');
    assert.equal(cleanPrefix('a/+/b', 'X'), 'X');
  });
});
