import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runCommand } from '../../../src/api/commands';
import {
  COMMAND_NOTICES,
  commandWarning,
  fillText,
  NOTICE_CODES,
  NOTICE_TEXTS,
  noticeFacts,
  notices,
} from '../../../src/api/notices';
import { ManualClock } from '../../../src/clock';
import { TwcMaster } from '../../../src/master/engine';
import type { SlaveSnapshot } from '../../../src/master/slave-record';
import { ChargePolicy } from '../../../src/policy/charge-policy';
import type { TransportState } from '../../../src/transport/transport';
import { FakeTransport } from '../../support/fake-transport';
import { slaveSnapshot as slave } from '../../support/slave-snapshot';

const limits = { minAmpsPerTWC: 12, wiringMaxAmpsAllTWCs: 40 };
const open = { state: 'open' as const, detail: 'fake', reconnects: 0 };
const bus = (slaves: SlaveSnapshot[], transport: { state: TransportState; detail: string } = open) => ({
  transport: { reconnects: 0, ...transport },
  slaves,
});
const policy = (amps: number, name = 'Charge Now' as const) => ({ name, amps });

describe('notices: why what is set cannot take effect (docs/api.md §1.7)', () => {
  it('a bus that is not open says why, with the transport’s whole reason', () => {
    const detail =
      'cannot open /dev/ttyDOESNOTEXIST: Error: No such file or directory, cannot open /dev/ttyDOESNOTEXIST';
    assert.deepEqual(notices(bus([], { state: 'waiting', detail }), policy(0), limits), [
      { code: 'busDown', message: `the bus is not open (${detail}): nothing reaches the Wall Connectors` },
    ]);
    // Connecting counts as not open too; no noTwc on top of it (the bus hides what is behind it).
    assert.deepEqual(
      noticeFacts(bus([], { state: 'connecting', detail: 'opening 10.0.0.1:8899' }), policy(0), limits),
      [{ code: 'busDown', values: { detail: 'opening 10.0.0.1:8899' } }],
    );
  });

  it('an open bus with no unit is noTwc; with a unit nothing', () => {
    assert.deepEqual(
      notices(bus([]), policy(0), limits).map((n) => n.code),
      ['noTwc'],
    );
    assert.deepEqual(notices(bus([slave('4142')]), policy(16), limits), []);
  });

  it('below the minimum: the policy’s amps, within the wiring, against the smallest unit minimum', () => {
    const two = [slave('4142', { minAmps: 12 }), slave('4243', { minAmps: 14 })];
    assert.deepEqual(notices(bus(two), policy(5), limits), [
      {
        code: 'belowMinimum',
        message:
          'Charge Now allows 5 A, below the minimum of 12 A per Wall Connector (minAmpsPerTWC): 0 A is offered',
      },
    ]);
    assert.deepEqual(notices(bus(two), policy(11.9), limits)[0].message.includes('allows 11 A'), true);
    assert.deepEqual(notices(bus(two), policy(12), limits), []);
    assert.deepEqual(notices(bus(two), policy(0), limits), []);
    // The wiring cuts the total first: 80 A allowed on 8 A of wiring is 8 A, below 12.
    assert.equal(
      notices(bus(two), policy(80), { minAmpsPerTWC: 6, wiringMaxAmpsAllTWCs: 8 })[0].message,
      'Charge Now allows 8 A, below the minimum of 12 A per Wall Connector (minAmpsPerTWC): 0 A is offered',
    );
    // Without units the configured minimum is the one.
    assert.deepEqual(
      noticeFacts(bus([]), policy(7, 'Non Scheduled Charging' as never), { ...limits, minAmpsPerTWC: 8 }),
      [
        { code: 'noTwc', values: {} },
        { code: 'belowMinimum', values: { policy: 'Non Scheduled Charging', amps: 7, min: 8 } },
      ],
    );
  });

  it('stopped units are named, until a start', () => {
    const units = [
      slave('4142', { chargingStopped: true }),
      slave('4243'),
      slave('4344', { chargingStopped: true }),
    ];
    assert.deepEqual(notices(bus(units), policy(16), limits), [
      {
        code: 'stopped',
        message: 'stopped by sendStopCommand until sendStartCommand, so 0 A is offered to 4142, 4344',
      },
    ]);
  });

  it('a command is warned of the first notice that concerns it; a start or stop not of another unit’s stop', () => {
    const facts = noticeFacts(bus([slave('4142', { chargingStopped: true })]), policy(5), limits);
    assert.deepEqual(
      facts.map((f) => f.code),
      ['stopped', 'belowMinimum'],
    );
    assert.equal(commandWarning('chargeNow', facts).warningCode, 'stopped');
    assert.equal(commandWarning('sendStartCommand', facts).warningCode, 'belowMinimum');
    assert.deepEqual(commandWarning('sendStopCommand', facts), {});
    assert.deepEqual(commandWarning('setSetting', facts), {});
    assert.deepEqual(commandWarning('__proto__', facts), {});
  });

  it('property: each code holds exactly when its condition does, in the table’s order, with no value left out', () => {
    const unit = fc.record({ minAmps: fc.integer({ min: 1, max: 40 }), stopped: fc.boolean() });
    fc.assert(
      fc.property(
        fc.constantFrom<TransportState>('open', 'open', 'waiting', 'connecting', 'closed'),
        fc.array(unit, { maxLength: 4 }),
        fc.double({ min: -5, max: 100, noNaN: true }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 80 }),
        (state, units, amps, minAmpsPerTWC, wiringMaxAmpsAllTWCs) => {
          const slaves = units.map((u, i) =>
            slave((0x4142 + i).toString(16), { minAmps: u.minAmps, chargingStopped: u.stopped }),
          );
          const lim = { minAmpsPerTWC, wiringMaxAmpsAllTWCs };
          const list = notices(bus(slaves, { state, detail: 'd' }), policy(amps), lim);
          const codes = list.map((n) => n.code);
          const offered = Math.floor(Math.max(0, Math.min(amps, wiringMaxAmpsAllTWCs)));
          const min = slaves.length ? Math.min(...units.map((u) => u.minAmps)) : minAmpsPerTWC;
          assert.equal(codes.includes('busDown'), state !== 'open');
          assert.equal(codes.includes('noTwc'), state === 'open' && slaves.length === 0);
          assert.equal(
            codes.includes('stopped'),
            units.some((u) => u.stopped),
          );
          assert.equal(codes.includes('belowMinimum'), offered > 0 && offered < min);
          assert.deepEqual(
            codes,
            NOTICE_CODES.filter((c) => codes.includes(c)),
          );
          for (const n of list) assert.doesNotMatch(n.message, /\{\w+\}/);
        },
      ),
    );
  });

  it('every text’s placeholders are the values its fact carries', () => {
    assert.equal(fillText('{a} and {b}', { a: 1 }), '1 and {b}');
    for (const code of NOTICE_CODES) assert.ok(NOTICE_TEXTS[code].length > 20, code);
    for (const codes of Object.values(COMMAND_NOTICES))
      for (const c of codes) assert.ok(NOTICE_CODES.includes(c));
  });

  it('runCommand: a 200 keeps its status code and adds warning and warningCode; a 204 stays empty of them', () => {
    const engine = new TwcMaster({ transport: new FakeTransport(false), clock: new ManualClock(0) });
    const target = { engine, policy: new ChargePolicy({}, { wallClock: () => 0 }) };
    const r = runCommand('chargeNow', JSON.stringify({ chargeNowRate: 16, chargeNowDuration: 60 }), target);
    assert.deepEqual(r, {
      statusCode: 200,
      payload: {
        status: 'success',
        rate: 16,
        duration: 60,
        warning: 'the bus is not open (not opened): nothing reaches the Wall Connectors',
        warningCode: 'busDown',
      },
    });
    const set = runCommand('setSetting', JSON.stringify({ setting: 'x', value: 'y' }), target);
    assert.deepEqual(set, { statusCode: 204, payload: { status: 'success' } });
    const bad = runCommand('chargeNow', JSON.stringify({ chargeNowRate: 0, chargeNowDuration: 60 }), target);
    assert.equal(bad.statusCode, 400);
    assert.equal('warning' in (bad.payload as object), false);
  });
});
