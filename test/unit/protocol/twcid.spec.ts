import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/clock';
import { parseTargetTwc } from '../../../src/api/requests';
import { TwcMaster } from '../../../src/master/engine';
import { parseMasterSettings, SettingsError } from '../../../src/bus/settings';
import { formatTwcId, isTwcId, parseTwcId, type TwcMessage } from '../../../src/protocol';
import * as sim from '../../../src/sim';
import { describeBus, describeMessage, describeUnit } from '../../../src/sim/cli';
import { parseCliArgs } from '../../../src/sim/cli-args';
import { SimulatedSlave } from '../../../src/sim/slave';
import { parseId, parseSlaveSpecs, SimSpecError, simulatedVin } from '../../../src/sim/spec';
import { FakeTransport } from '../../support/fake-transport';

/** The value `f` returns, or undefined when it throws an error of the class `refusal`. */
function orRefused<T>(refusal: new (...args: never[]) => Error, f: () => T): T | undefined {
  try {
    return f();
  } catch (err) {
    if (err instanceof refusal) return undefined;
    throw err;
  }
}

describe('TWCIDs (src/protocol/twcid.ts)', () => {
  it('prints every TWCID as four upper-case hex digits', () => {
    assert.deepEqual([0x41, 0, 0xabcd, 0x0a0b].map(formatTwcId), ['0041', '0000', 'ABCD', '0A0B']);
  });

  it('0x0041 is "0041" everywhere: master, simulator, its VINs, serial numbers and verbose output', () => {
    assert.equal(sim.formatTwcId, formatTwcId, 'the simulator exports the one formatter');
    const heartbeat: TwcMessage = {
      kind: 'masterHeartbeat',
      sender: 0x41,
      receiver: 0x0a0b,
      command: 0,
      amps: 0,
      masterPluggedIn: false,
      version: 2,
    };
    assert.equal(
      describeMessage(heartbeat),
      'masterHeartbeat {"sender":"0041","receiver":"0A0B","command":0,"amps":0,"masterPluggedIn":false,"version":2}',
    );
    assert.equal(
      describeUnit({ id: 0x41, maxAmps: 32, carAmps: 0, duplicate: false, faults: {} }),
      '0041 (32 A)',
    );
    assert.deepEqual(
      describeBus({
        linkReadyFlood: { perSecond: 5, ids: [0x41, 0x0a0b] },
        secondMaster: { id: 0x41, perSecond: 2 },
      }),
      ['link-ready flood 5/s from 0041,0A0B', 'second master 0041 at 2/s'],
    );
    assert.match(simulatedVin(0x41), /^5YJ3E1EA.SF004101$/);
    const slave = new SimulatedSlave({ id: 0x41, maxAmps: 32, random: () => 0.5 });
    assert.deepEqual(
      slave.receive({ kind: 'serialRequest', sender: 0x7777, receiver: 0x41, version: 2 }, 0),
      [{ kind: 'serialNumber', sender: 0x41, serial: 'SIM00410001' }],
    );
    assert.throws(() => parseSlaveSpecs('0041:80,0041:32'), /TWCID 0041 is given twice/);
    const master = new TwcMaster({
      transport: new FakeTransport(),
      clock: new ManualClock(0),
      config: { wiringMaxAmpsAllTWCs: 32, wiringMaxAmpsPerTWC: 32, minAmpsPerTWC: 12, fakeTWCID: 0x41 },
    });
    assert.equal(master.snapshot().fakeTWCID, '0041');
    assert.throws(() => master.startCharging(0x41), /no Wall Connector with TWCID 0041 is on the bus/);
  });

  const accepted: [string, number][] = [
    ['4142', 0x4142],
    ['0041', 0x41],
    ['abCD', 0xabcd],
    ['FFFF', 0xffff],
    ['0000', 0],
    ['0x4142', 0x4142],
    ['0XaB01', 0xab01],
    [' 4142 ', 0x4142],
    ['\t0x0a0b\n', 0x0a0b],
  ];
  const refused = ['', ' ', '41', '414', '41420', 'GGGG', 'x4142', '4142x', '0x', '0x414', '41 42', '+4142'];
  refused.push('-041', '0x 4142', '0x0x4142', '41.2', '４１４２');

  it('reads four hex digits, optionally after 0x, blanks around ignored; nothing else', () => {
    for (const [text, id] of accepted) assert.equal(parseTwcId(text), id, JSON.stringify(text));
    for (const text of refused) assert.equal(parseTwcId(text), undefined, JSON.stringify(text));
  });

  it('every caller takes and refuses the same TWCIDs: API, node settings, simulator specs and command line', () => {
    const settings = { serialPort: '/dev/ttyUSB0', wiringMaxAmpsAllTWCs: 40, wiringMaxAmpsPerTWC: 32 };
    const callers: [string, (text: string) => number | undefined][] = [
      [
        'POST body TWCID',
        (text) => {
          const parsed = parseTargetTwc({ TWCID: text });
          return parsed.ok ? parsed.value : undefined;
        },
      ],
      [
        'fakeTWCID setting',
        (text) =>
          orRefused(
            SettingsError,
            () => parseMasterSettings({ ...settings, fakeTWCID: text }).engine.fakeTWCID,
          ),
      ],
      ['simulator spec ID', (text) => orRefused(SimSpecError, () => parseId(text, 'test'))],
      [
        'twc-sim --slave',
        (text) =>
          orRefused(SimSpecError, () => {
            const request = parseCliArgs(['--device', '/dev/null', '--slave', `${text}:80`], () => 1);
            assert.ok(!request.help);
            return request.config.units[0].id;
          }),
      ],
    ];
    for (const [caller, parse] of callers) {
      for (const [text, id] of accepted) assert.equal(parse(text), id, `${caller} ${JSON.stringify(text)}`);
      for (const text of refused) assert.equal(parse(text), undefined, `${caller} ${JSON.stringify(text)}`);
    }
    // The compact "ID:MAX[:CAR]" list separates its entries by blanks, so only blank-free IDs reach the parser.
    for (const [text, id] of accepted.filter(([t]) => t.trim() === t))
      assert.equal(parseSlaveSpecs(`${text}:80`)[0].id, id, text);
    for (const text of refused.filter((t) => t !== '' && !/\s/.test(t)))
      assert.throws(() => parseSlaveSpecs(`${text}:80`), /is not a TWCID/, text);
  });

  it('a numeric TWCID is a whole number that fits two bytes', () => {
    for (const id of [0, 0x41, 0xffff]) assert.equal(isTwcId(id), true, String(id));
    for (const bad of [-1, 0x10000, 1.5, NaN, '4142', undefined])
      assert.equal(isTwcId(bad), false, String(bad));
  });

  it('the settings keep the ID in its printed form, whichever way it was written', () => {
    const settings = { serialPort: '/dev/ttyUSB0', wiringMaxAmpsAllTWCs: 40, wiringMaxAmpsPerTWC: 32 };
    assert.equal(parseMasterSettings({ ...settings, fakeTWCID: ' 0xab12' }).fakeTWCID, 'AB12');
  });
});
