import assert from 'node:assert/strict';
import fc from 'fast-check';
import { resolveMasterConfig } from '../../../src/master/config';
import { parseMasterSettings, SettingsError, type MasterNodeProps } from '../../../src/bus/settings';

/** The smallest valid twc-master node: a serial port and the two wiring limits, everything else defaulted. */
const base: MasterNodeProps = {
  serialPort: '/dev/ttyUSB0',
  wiringMaxAmpsAllTWCs: 40,
  wiringMaxAmpsPerTWC: 32,
};

/** Parses and returns the SettingsError's message; fails when nothing is thrown. */
function refusal(props: MasterNodeProps): string {
  let error: unknown;
  try {
    parseMasterSettings(props);
  } catch (err) {
    error = err;
  }
  assert.ok(error instanceof SettingsError, `expected a SettingsError, got ${String(error)}`);
  assert.equal(error.name, 'SettingsError');
  return error.message;
}

describe('parseMasterSettings (the twc-master node config)', () => {
  it('fills the documented defaults', () => {
    assert.deepEqual(parseMasterSettings(base), {
      transport: 'serial',
      serialPort: '/dev/ttyUSB0',
      baud: 9600,
      host: '',
      tcpPort: 8899,
      simulatedSlaves: '',
      slaves: [],
      fakeTWCID: '7777',
      wiringMaxAmpsAllTWCs: 40,
      wiringMaxAmpsPerTWC: 32,
      minAmpsPerTWC: 12,
      defaultVoltage: 240,
      numberOfPhases: 1,
      httpEnabled: false,
      listenPort: 8080,
      cancelStopsCharging: false,
      listenHost: undefined,
      allowedOrigins: [],
      engine: { fakeTWCID: 0x7777, wiringMaxAmpsAllTWCs: 40, wiringMaxAmpsPerTWC: 32, minAmpsPerTWC: 12 },
    });
  });

  it('takes every property as the editor saves it: numbers as strings, padded text, booleans as text', () => {
    const s = parseMasterSettings({
      name: 'garage',
      transport: 'tcp',
      serialPort: ' /dev/ttyS1 ',
      baud: ' 19200 ',
      host: ' 192.168.1.50 ',
      tcpPort: '502',
      fakeTWCID: ' ab12 ',
      wiringMaxAmpsAllTWCs: '64',
      wiringMaxAmpsPerTWC: '48',
      minAmpsPerTWC: '7',
      defaultVoltage: '230',
      numberOfPhases: '3',
      httpEnabled: 'true',
      listenPort: '8081',
      cancelStopsCharging: 'true',
      listenHost: ' 127.0.0.1 ',
      allowedOrigins: ' https://HA.example.com:443,http://10.0.0.9:1880 ',
    });
    assert.deepEqual(s, {
      transport: 'tcp',
      serialPort: '/dev/ttyS1',
      baud: 19200,
      host: '192.168.1.50',
      tcpPort: 502,
      simulatedSlaves: '',
      slaves: [],
      fakeTWCID: 'AB12',
      wiringMaxAmpsAllTWCs: 64,
      wiringMaxAmpsPerTWC: 48,
      minAmpsPerTWC: 7,
      defaultVoltage: 230,
      numberOfPhases: 3,
      httpEnabled: true,
      listenPort: 8081,
      cancelStopsCharging: true,
      listenHost: '127.0.0.1',
      allowedOrigins: ['https://ha.example.com', 'http://10.0.0.9:1880'],
      engine: { fakeTWCID: 0xab12, wiringMaxAmpsAllTWCs: 64, wiringMaxAmpsPerTWC: 48, minAmpsPerTWC: 7 },
    });
    const booleans = parseMasterSettings({ ...base, httpEnabled: true, cancelStopsCharging: true });
    assert.equal(booleans.httpEnabled, true);
    assert.equal(booleans.cancelStopsCharging, true);
    for (const no of [false, 'false', 1, 'yes', undefined]) {
      const s2 = parseMasterSettings({ ...base, httpEnabled: no, cancelStopsCharging: no });
      assert.equal(s2.httpEnabled, false, String(no));
      assert.equal(s2.cancelStopsCharging, false, String(no));
    }
    assert.equal(parseMasterSettings({ ...base, listenHost: '   ' }).listenHost, undefined);
  });

  it('allowedOrigins: a bad item is the node’s error, named', () => {
    assert.throws(
      () => parseMasterSettings({ ...base, allowedOrigins: 'https://ok.example, https://ha.example.com/x' }),
      (e: Error) =>
        e instanceof SettingsError &&
        e.message ===
          'allowedOrigins: "https://ha.example.com/x" must be an origin only: scheme, host and port, no path',
    );
  });

  it('parses the simulated slaves only for the simulator transport', () => {
    const sim = parseMasterSettings({
      transport: 'simulator',
      simulatedSlaves: ' 4142:80:32, 4243:32 ',
      wiringMaxAmpsAllTWCs: 40,
      wiringMaxAmpsPerTWC: 32,
    });
    assert.equal(sim.simulatedSlaves, '4142:80:32, 4243:32');
    assert.deepEqual(sim.slaves, [
      { id: 0x4142, maxAmps: 80, carAmps: 32 },
      { id: 0x4243, maxAmps: 32, carAmps: 0 },
    ]);
    assert.equal(sim.serialPort, '', 'no serial port needed');
    const serial = parseMasterSettings({ ...base, simulatedSlaves: '4142:80:32' });
    assert.deepEqual(serial.slaves, []);
    assert.equal(serial.simulatedSlaves, '4142:80:32');
    assert.match(
      refusal({ ...base, transport: 'simulator', simulatedSlaves: 'nonsense' }),
      /^simulatedSlaves: "nonsense" must be/,
    );
    assert.match(
      refusal({ ...base, transport: 'simulator' }),
      /^simulatedSlaves: no simulated Wall Connector/,
    );
  });

  it('requires the port or host of the chosen transport, and only that one', () => {
    assert.equal(
      refusal({ ...base, transport: 'usb' }),
      'transport must be serial, tcp or simulator (got "usb")',
    );
    assert.equal(refusal({ ...base, serialPort: '  ' }), 'serialPort is required, e.g. /dev/ttyUSB0');
    assert.equal(refusal({ ...base, serialPort: undefined }), 'serialPort is required, e.g. /dev/ttyUSB0');
    assert.equal(
      refusal({ ...base, transport: 'tcp', host: ' ', tcpPort: 502 }),
      'host of the RS-485 gateway is required',
    );
    assert.equal(
      refusal({ ...base, transport: 'tcp', tcpPort: 502 }),
      'host of the RS-485 gateway is required',
    );
    const tcp = parseMasterSettings({ ...base, serialPort: '', transport: 'tcp', host: 'gw', tcpPort: 502 });
    assert.equal(tcp.host, 'gw');
    assert.equal(parseMasterSettings({ ...base, host: '' }).transport, 'serial');
    // A TCP gateway has no default port; the other transports keep 8899 for when they switch to TCP.
    assert.equal(
      refusal({ ...base, transport: 'tcp', host: 'gw' }),
      'tcpPort must be a whole number from 1 to 65535 (got nothing)',
    );
    assert.equal(
      refusal({ ...base, transport: 'tcp', host: 'gw', tcpPort: '' }),
      'tcpPort must be a whole number from 1 to 65535 (got nothing)',
    );
    assert.equal(parseMasterSettings({ ...base, tcpPort: '' }).tcpPort, 8899);
    assert.equal(parseMasterSettings({ ...base, tcpPort: 7000 }).tcpPort, 7000);
  });

  it('fakeTWCID: exactly four hexadecimal digits', () => {
    assert.equal(parseMasterSettings({ ...base, fakeTWCID: 1234 }).engine.fakeTWCID, 0x1234);
    for (const bad of ['777', '77777', 'GGGG', 'x7777', '7777x', '']) {
      assert.equal(
        refusal({ ...base, fakeTWCID: bad }),
        `fakeTWCID must be four hexadecimal digits (got "${bad}")`,
      );
    }
    // The refusal names what was typed without the blanks around it.
    assert.equal(
      refusal({ ...base, fakeTWCID: ' 77 ' }),
      'fakeTWCID must be four hexadecimal digits (got "77")',
    );
    assert.equal(parseMasterSettings({ ...base, fakeTWCID: 'fFeE' }).fakeTWCID, 'FFEE');
  });

  describe('whole numbers in range, with the field named', () => {
    // Field, lowest and highest accepted, the nearest refused below and above, and whether it has a default.
    // wiringMaxAmpsPerTWC and minAmpsPerTWC also meet each other (12, the default minimum, and 32 in `base`).
    const ranges: [keyof MasterNodeProps, number, number, number, number, boolean][] = [
      ['wiringMaxAmpsAllTWCs', 1, 655, 0, 656, false],
      ['wiringMaxAmpsPerTWC', 12, 80, 0, 81, false],
      ['minAmpsPerTWC', 5, 32, 4, 81, true],
      ['baud', 1200, 115200, 1199, 115201, true],
      ['defaultVoltage', 100, 480, 99, 481, true],
      ['numberOfPhases', 1, 3, 0, 4, true],
      ['listenPort', 1, 65535, 0, 65536, true],
      ['tcpPort', 1, 65535, 0, 65536, true],
    ];
    for (const [field, lowest, highest, below, above, optional] of ranges) {
      it(`${field}: ${lowest} to ${highest}${optional ? ', defaulted' : ', required'}`, () => {
        assert.equal(parseMasterSettings({ ...base, [field]: lowest })[field as 'baud'], lowest);
        assert.equal(parseMasterSettings({ ...base, [field]: String(highest) })[field as 'baud'], highest);
        for (const bad of [
          below,
          above,
          String(above),
          lowest + 0.5,
          'lots',
          '1e400',
          null,
          true,
          [lowest],
        ]) {
          const msg = refusal({ ...base, [field]: bad });
          assert.ok(msg.startsWith(`${field} must be a whole number from `), msg);
          assert.ok(msg.endsWith(`(got ${JSON.stringify(bad)})`), msg);
        }
        if (!optional) {
          assert.match(refusal({ ...base, [field]: undefined }), /\(got nothing\)$/);
          assert.match(refusal({ ...base, [field]: '' }), /\(got nothing\)$/);
        }
      });
    }

    it('names the whole range in the message', () => {
      assert.equal(
        refusal({ ...base, wiringMaxAmpsAllTWCs: 656 }),
        'wiringMaxAmpsAllTWCs must be a whole number from 1 to 655 (got 656)',
      );
      assert.equal(
        refusal({ ...base, wiringMaxAmpsPerTWC: 0 }),
        'wiringMaxAmpsPerTWC must be a whole number from 1 to 80 (got 0)',
      );
      assert.equal(
        refusal({ ...base, minAmpsPerTWC: '4' }),
        'minAmpsPerTWC must be a whole number from 5 to 80 (got "4")',
      );
      assert.equal(
        refusal({ ...base, numberOfPhases: 4 }),
        'numberOfPhases must be a whole number from 1 to 3 (got 4)',
      );
    });

    it('wiringMaxAmpsPerTWC may go down to 1 when the minimum is lowered to fit', () => {
      assert.equal(
        refusal({ ...base, wiringMaxAmpsPerTWC: 1, minAmpsPerTWC: 5 }),
        'minAmpsPerTWC (5) must not exceed wiringMaxAmpsPerTWC (1)',
      );
      assert.equal(
        parseMasterSettings({ ...base, wiringMaxAmpsPerTWC: 5, minAmpsPerTWC: 5 }).minAmpsPerTWC,
        5,
      );
      assert.equal(
        refusal({ ...base, wiringMaxAmpsPerTWC: 11 }),
        'minAmpsPerTWC (12) must not exceed wiringMaxAmpsPerTWC (11)',
      );
    });
  });

  it('property: the three amp limits reach the engine each in its own field', () => {
    // Three distinct values, so a swap of any two fields (per-TWC and total above all) shows.
    const limits = fc
      .tuple(
        fc.integer({ min: 5, max: 80 }),
        fc.integer({ min: 5, max: 80 }),
        fc.integer({ min: 1, max: 655 }),
      )
      .filter(([min, per, all]) => min <= per && min !== per && per !== all && min !== all);
    fc.assert(
      fc.property(limits, fc.boolean(), ([min, per, all], asText) => {
        const v = (n: number): number | string => (asText ? ` ${n} ` : n);
        const s = parseMasterSettings({
          serialPort: '/dev/ttyUSB0',
          wiringMaxAmpsAllTWCs: v(all),
          wiringMaxAmpsPerTWC: v(per),
          minAmpsPerTWC: v(min),
        });
        assert.deepEqual(s.engine, {
          fakeTWCID: 0x7777,
          wiringMaxAmpsAllTWCs: all,
          wiringMaxAmpsPerTWC: per,
          minAmpsPerTWC: min,
        });
        assert.deepEqual(
          [s.wiringMaxAmpsAllTWCs, s.wiringMaxAmpsPerTWC, s.minAmpsPerTWC],
          [all, per, min],
          'the API views show the same',
        );
        // And the engine takes them as they are.
        const config = resolveMasterConfig(s.engine);
        assert.deepEqual(
          [config.wiringMaxAmpsAllTWCs, config.wiringMaxAmpsPerTWC, config.minAmpsPerTWC],
          [all, per, min],
        );
      }),
      { numRuns: 300 },
    );
  });
});
