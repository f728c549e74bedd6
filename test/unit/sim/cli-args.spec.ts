import assert from 'node:assert/strict';
import { busFor } from '../../../src/sim/cli';
import { parseCliArgs, USAGE, type SimConfig } from '../../../src/sim/cli-args';
import { SimSpecError } from '../../../src/sim/spec';

const BASE = ['--device', '/dev/null', '--slave', '4142:80', '--slave', '0041:32'];
const parse = (...args: string[]): SimConfig => {
  const request = parseCliArgs([...BASE, ...args], () => 99);
  assert.ok(!request.help);
  return request.config;
};

describe('twc-sim command line', () => {
  it('reads every fault flag into the units and the bus', () => {
    const config = parse(
      ...[
        '--car',
        '4142:32',
        '--stale-echo',
        '4142',
        '--reply-delay',
        '0041:2000',
        '--doubled-replies',
        '4142',
      ],
      ...['--keep-id', '0041', '--loss', '4142:0.25', '--duplicate', '4142:48', '--duplicate-car', '4142:16'],
      ...['--link-ready-flood', '5:A001,a002', '--noise', '960', '--absurd', '2.5'],
      ...['--second-master', '7878:3', '--seed', '1234', '--protocol', '1'],
    );
    assert.deepEqual(config, {
      device: '/dev/null',
      version: 1,
      verbose: false,
      seed: 1234,
      units: [
        {
          id: 0x4142,
          maxAmps: 80,
          carAmps: 32,
          duplicate: false,
          faults: { staleEcho: true, doubledReplies: true, lossRate: 0.25 },
        },
        {
          id: 0x0041,
          maxAmps: 32,
          carAmps: 0,
          duplicate: false,
          faults: { keepsId: true, replyDelayMs: 2000 },
        },
        {
          id: 0x4142,
          maxAmps: 48,
          carAmps: 16,
          duplicate: true,
          faults: { staleEcho: true, doubledReplies: true, lossRate: 0.25 },
        },
      ],
      bus: {
        linkReadyFlood: { perSecond: 5, ids: [0xa001, 0xa002] },
        noise: { bytesPerSecond: 960 },
        absurdFrames: { perSecond: 2.5 },
        secondMaster: { id: 0x7878, perSecond: 3 },
      },
    });
  });

  it('without faults: no faults, random flood IDs, and the seed it was given to pick', () => {
    const config = parse('--link-ready-flood', '2');
    assert.deepEqual(
      config.units.map((u) => u.faults),
      [{}, {}],
    );
    assert.deepEqual(config.bus, { linkReadyFlood: { perSecond: 2, ids: 'random' } });
    assert.equal(config.seed, 99);
    assert.deepEqual(
      parseCliArgs(['--help'], () => 0),
      { help: true },
    );
  });

  it('builds the bus the flags describe, the same for the same seed', () => {
    const config = parse('--duplicate', '4142:32', '--duplicate-car', '4142:16', '--car', '4142:32');
    config.seed = 5;
    const [a, b] = [busFor(config), busFor(config)];
    assert.deepEqual(
      a.slaves.map((s) => [s.id, s.maxAmps, s.sign]),
      b.slaves.map((s) => [s.id, s.maxAmps, s.sign]),
    );
    assert.deepEqual(
      a.slaves.map((s) => [s.id, s.maxAmps, s.state.carConnected]),
      [
        [0x4142, 80, true],
        [0x0041, 32, false],
        [0x4142, 32, true],
      ],
    );
    config.seed = 6;
    assert.notDeepEqual(
      busFor(config).slaves.map((s) => s.sign),
      a.slaves.map((s) => s.sign),
    );
  });

  it('documents every flag in the usage text', () => {
    const flags = ['device', 'slave', 'car', 'protocol', 'verbose', 'seed', 'stale-echo', 'reply-delay'];
    flags.push('doubled-replies', 'keep-id', 'loss', 'duplicate', 'duplicate-car', 'link-ready-flood');
    flags.push('noise', 'absurd', 'second-master');
    assert.deepEqual(
      flags.filter((f) => !USAGE.includes(`--${f} `) && !USAGE.includes(`--${f}\n`)),
      [],
    );
  });

  const bad: [string, string[], RegExp][] = [
    ['an unknown flag', ['--stale'], /Unknown option '--stale'/],
    ['a fault on no slave', ['--stale-echo', '9999'], /--stale-echo 9999: no --slave with ID 9999/],
    ['a fault ID that is not hex', ['--doubled-replies', '41'], /not a TWCID/],
    ['a fault given twice', ['--keep-id', '4142', '--keep-id', '4142'], /--keep-id is given twice for 4142/],
    ['a reply delay of 0', ['--reply-delay', '4142:0'], /whole number from 1 to 600000/],
    ['a reply delay in seconds', ['--reply-delay', '4142:2s'], /whole number/],
    ['a reply delay without ID', ['--reply-delay', '2000'], /expected ID:MS/],
    ['a loss above 1', ['--loss', '4142:1.5'], /probability from 0 to 1/],
    ['a negative loss', ['--loss', '4142:-0.1'], /probability/],
    ['a duplicate of no slave', ['--duplicate', '9999:32'], /no --slave with ID 9999/],
    ['a duplicate given twice', ['--duplicate', '4142:32', '--duplicate', '4142:40'], /given twice/],
    ['a duplicate of too many amps', ['--duplicate', '4142:81'], /from 1 to 80/],
    ['a duplicate car without duplicate', ['--duplicate-car', '4142:16'], /no --duplicate with ID 4142/],
    ['a flood of 0', ['--link-ready-flood', '0'], /above 0 and at most 50/],
    ['a flood too fast', ['--link-ready-flood', '51'], /at most 50/],
    ['a flood with a bad ID', ['--link-ready-flood', '5:A001,XYZ'], /not a TWCID/],
    ['a flood with an empty list', ['--link-ready-flood', '5:'], /PER_SECOND:ID,ID/],
    ['noise beyond the line', ['--noise', '961'], /at most 960/],
    ['noise that is not a number', ['--noise', 'lots'], /must be a number/],
    ['absurd frames too fast', ['--absurd', '100'], /at most 50/],
    ['a second master without rate', ['--second-master', '7878'], /expected ID:PER_SECOND/],
    ['a second master with a bad ID', ['--second-master', '78:2'], /not a TWCID/],
    ['a seed that is not a whole number', ['--seed', '1.5'], /--seed: "1.5" must be a whole number/],
    ['a seed beyond 32 bits', ['--seed', '4294967296'], /whole number from 0 to 4294967295/],
  ];
  for (const [name, args, message] of bad) {
    it(`rejects ${name} with a clear message`, () => {
      assert.throws(
        () => parseCliArgs([...BASE, ...args], () => 0),
        (e: unknown) => e instanceof SimSpecError && message.test(e.message),
      );
    });
  }
});
