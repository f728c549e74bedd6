import assert from 'node:assert/strict';
import fc from 'fast-check';
import { COMMANDS, runCommand, type CommandTarget } from '../../../src/api/commands';
import { ManualClock } from '../../../src/clock';
import { TwcMaster } from '../../../src/master/engine';
import { CHARGE_NOW_SECONDS, controlRequest } from '../../../src/mqtt/control';
import { ChargePolicy } from '../../../src/policy/charge-policy';
import { FakeTransport } from '../../support/fake-transport';

const NOW_MS = Date.UTC(2026, 10, 23, 23);

function target(): CommandTarget {
  const policy = new ChargePolicy({}, { wallClock: () => NOW_MS });
  return { engine: new TwcMaster({ transport: new FakeTransport(), clock: new ManualClock(0) }), policy };
}

/** A message as `mqtt in` delivers it, run as twc-command runs it. */
function deliver(t: CommandTarget, topic: string, payload: unknown) {
  const req = controlRequest('TWC', topic, payload);
  if (req.kind !== 'run') return req;
  return { ...req, result: runCommand(req.command, req.input, t) };
}

describe('MQTT control topics (docs/api.md §7.4)', () => {
  it('TWCManager’s chargeNow "amps,seconds" sets the rate and the end, as the API', () => {
    const t = target();
    const r = deliver(t, 'TWC/control/chargeNow', Buffer.from('16,3600'));
    assert.equal(r.kind, 'run');
    assert.deepEqual('result' in r && r.result, {
      statusCode: 200,
      // The engine of this test never opens its bus, so the answer says so, as the API's does.
      payload: {
        status: 'success',
        rate: 16,
        duration: 3600,
        warning: 'the bus is not open (not opened): nothing reaches the Wall Connectors',
        warningCode: 'busDown',
      },
    });
    assert.equal(t.policy.current.chargeNowAmps, 16);
    assert.equal(t.policy.current.chargeNowTimeEnd, NOW_MS / 1000 + 3600);
  });

  it('property: any "a,s" is chargeNow with exactly a and s, accepted or refused as the API would', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 1000 }), fc.integer({ min: -5, max: 100000 }), (a, s) => {
        const viaMqtt = target();
        const viaApi = target();
        const r = deliver(viaMqtt, 'TWC/control/chargeNow', ` ${a} , ${s}`);
        const api = runCommand('chargeNow', { chargeNowRate: a, chargeNowDuration: s }, viaApi);
        assert.ok('result' in r);
        assert.deepEqual(r.result, api);
        assert.deepEqual(viaMqtt.policy.current, viaApi.policy.current);
      }),
    );
  });

  it('the JSON body of the API works on chargeNow too; mqtt in may have parsed it already', () => {
    const t = target();
    const r = deliver(t, 'TWC/control/chargeNow', { chargeNowRate: 20, chargeNowDuration: 60 });
    assert.ok('result' in r && r.result.statusCode === 200);
    assert.equal(t.policy.current.chargeNowAmps, 20);
    const text = deliver(target(), 'TWC/control/chargeNow', '{"chargeNowRate":18,"chargeNowDuration":60}');
    assert.ok('result' in text && text.result.statusCode === 200);
  });

  it('chargeNowAmps (Home Assistant’s number) charges now for 24 h; chargeNowEnd cancels', () => {
    const t = target();
    const r = deliver(t, 'TWC/control/chargeNowAmps', 16);
    assert.ok('result' in r);
    assert.deepEqual(r.result.payload, {
      status: 'success',
      rate: 16,
      duration: CHARGE_NOW_SECONDS,
      warning: 'the bus is not open (not opened): nothing reaches the Wall Connectors',
      warningCode: 'busDown',
    });
    assert.equal(CHARGE_NOW_SECONDS, 86400);
    deliver(t, 'TWC/control/chargeNowEnd', 'PRESS');
    assert.equal(t.policy.current.chargeNowAmps, 0);
  });

  it('nonScheduledAmpsMax, nonScheduledAction and policy go through setSetting and setPolicy', () => {
    const t = target();
    deliver(t, 'TWC/control/nonScheduledAmpsMax', '24');
    deliver(t, 'TWC/control/nonScheduledAction', Buffer.from('2'));
    assert.equal(t.policy.current.nonScheduledAmpsMax, 24);
    assert.equal(t.policy.current.nonScheduledAction, 2);
    const p = deliver(t, 'TWC/control/policy', 'Track Green Energy');
    assert.ok('result' in p && p.result.statusCode === 200);
    assert.equal(t.policy.active().name, 'Track Green Energy');
  });

  it('any API command by its name, with its JSON body or none', () => {
    // chargeNow's empty payload is TWCManager's form without its "amps,seconds": refused above.
    for (const name of COMMANDS.filter((c) => c !== 'chargeNow')) {
      const r = controlRequest('TWC', `TWC/control/${name}`, '');
      assert.equal(r.kind, 'run', name);
    }
    const r = controlRequest('TWC', 'TWC/control/sendStopCommand', '{"TWCID":"4142"}');
    assert.deepEqual(r, {
      kind: 'run',
      name: 'sendStopCommand',
      command: 'sendStopCommand',
      input: '{"TWCID":"4142"}',
    });
  });

  it('bad payloads are refused, with the reason, and change nothing', () => {
    const t = target();
    const before = structuredClone(t.policy.current);
    const cases: [string, unknown, RegExp][] = [
      ['TWC/control/chargeNow', '16', /amps,seconds/],
      ['TWC/control/chargeNow', '16,60,1', /amps,seconds/],
      ['TWC/control/chargeNow', 'a,b', /whole number/],
      ['TWC/control/chargeNow', '1000,60', /at most 655/],
      ['TWC/control/chargeNowAmps', '16.5', /whole number/],
      ['TWC/control/chargeNowAmps', '', /whole number/],
      ['TWC/control/nonScheduledAction', '7', /nonScheduledAction/],
      ['TWC/control/nonScheduledAmpsMax', 'lots', /nonScheduledAmpsMax|number/],
      ['TWC/control/policy', 'Go Fast', /Go Fast/],
      ['TWC/control/setPolicy', 'not json', /JSON/],
      ['TWC/control/stop', '', /stop/],
      ['TWC/control/reboot', '', /unknown control topic/],
    ];
    for (const [topic, payload, reason] of cases) {
      const r = deliver(t, topic, payload);
      const error =
        r.kind === 'refuse'
          ? r.reason
          : 'result' in r && r.result.statusCode === 400
            ? String((r.result.payload as { error: string }).error)
            : '';
      assert.match(error, reason, `${topic} ${String(payload)}`);
    }
    assert.deepEqual(t.policy.current, before);
  });

  it('topics outside <prefix>/control/ are ignored: status topics, other prefixes, no topic', () => {
    for (const topic of [
      'TWC/4142/ampsInUse',
      'TWC/control',
      'OTHER/control/chargeNow',
      'TWCX/control/stop',
      undefined,
      42,
    ])
      assert.deepEqual(controlRequest('TWC', topic, '16,60'), { kind: 'ignore' }, String(topic));
    assert.equal(controlRequest('home/twc', 'home/twc/control/chargeNowEnd', '').kind, 'run');
  });
});
