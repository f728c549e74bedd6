import assert from 'node:assert/strict';
import { answersDebug, debugMessage, DebugCommandError } from '../../../src/master/debug';
import { SlaveRecord } from '../../../src/master/slave-record';
import { formatHex, parseHex, type TwcMessage } from '../../../src/protocol';

const A = 0x4142;
const B = 0x4243;
const config = { fakeTWCID: 0x7777 };
const units = () => [new SlaveRecord(A, 1, 80, 1, 0), new SlaveRecord(B, 1, 80, 2, 0)];

describe('debugMessage and answersDebug', () => {
  it('completes the short form at the addressed unit’s own length, and copies a whole message', () => {
    const slaves = units();
    const v1 = debugMessage({ bytes: parseHex('FB1B') }, slaves, config);
    assert.equal(v1.slave.id, A);
    assert.equal(formatHex(v1.message), 'FB 1B 77 77 41 42 00 00 00 00 00 00 00 8C');
    const v2 = debugMessage({ bytes: parseHex('FBEC'), to: B }, slaves, config);
    assert.equal(v2.message.length, 16);
    const whole = parseHex('FB EB 77 77 42 43 00 00 00 00 00 00 00 00 00 5E');
    const sent = debugMessage({ bytes: whole, to: B }, slaves, config);
    assert.equal(sent.slave.id, B);
    assert.deepEqual(sent.message, whole);
    whole[6] = 1;
    assert.equal(sent.message[6], 0, 'a copy: the caller cannot change it after the gate');
  });

  it('a refusal is about the message alone: the same with or without units', () => {
    for (const slaves of [units(), []]) {
      assert.throws(() => debugMessage({ bytes: parseHex('FC19'), to: 0x1234 }, slaves, config), {
        name: 'RefusedCommandError',
        message: /^refused to send FC 19 77 77 12 34/,
      });
    }
  });

  it('a unit not on the bus is a DebugCommandError with status 400', () => {
    let caught: unknown;
    try {
      debugMessage({ bytes: parseHex('FB1B'), to: 0x0001 }, units(), config);
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof DebugCommandError);
    assert.deepEqual([caught.status, caught.name], [400, 'DebugCommandError']);
  });

  it('an answer is anything but a heartbeat or link-ready from the unit asked; never a master frame', () => {
    const yes: TwcMessage[] = [
      { kind: 'unknown', bytes: parseHex('FD 1B 41 42 04 05 03 00 00 00 00 00 00 00 00 EE') },
      { kind: 'firmwareVersion', sender: A, major: 4, minor: 5, revision: 3, extended: 0 },
      { kind: 'serialNumber', sender: A, serial: 'X' },
      { kind: 'vinReply', part: 1, sender: A, text: '' },
      {
        kind: 'kwhReport',
        sender: A,
        lifetimeKwh: 1,
        voltsPhaseA: 0,
        voltsPhaseB: 0,
        voltsPhaseC: 0,
        ampsPhaseA: 0,
        ampsPhaseB: 0,
        ampsPhaseC: 0,
      },
    ];
    const no: TwcMessage[] = [
      { kind: 'unknown', bytes: parseHex('FD 1B 42 43 04 05 03 00 00 00 00 00 00 00 00 EE') },
      { kind: 'firmwareVersion', sender: B, major: 4, minor: 5, revision: 3, extended: 0 },
      {
        kind: 'slaveHeartbeat',
        sender: A,
        receiver: 0x7777,
        state: 0,
        limitAmps: 0,
        actualAmps: 0,
        version: 2,
      },
      { kind: 'slaveLinkReady', sender: A, sign: 1, maxAmps: 80, version: 2 },
      { kind: 'firmwareRequest', sender: A, receiver: B, version: 2 },
      { kind: 'masterLinkReady1', sender: A, sign: 1 },
    ];
    assert.deepEqual(
      yes.map((m) => answersDebug(m, A)),
      yes.map(() => true),
    );
    assert.deepEqual(
      no.map((m) => answersDebug(m, A)),
      no.map(() => false),
    );
  });
});
