import assert from 'node:assert/strict';
import { load, simulatorMaster, type Msg } from '../support/helper-flows';
import { helper, useHelperServer } from '../support/node-red';
import { ChargePolicy } from '../../src/policy/charge-policy';
import type { TwcMasterNode } from '../../src/nodes/master-node';
import { waitFor } from '../support/pty';

const master = simulatorMaster;

/** Right after a deploy no simulated unit has linked yet: the answers say so (docs/api.md §1.7). */
const NO_TWC = {
  warning: 'no Wall Connector answers on the bus: nothing set here reaches a charger',
  warningCode: 'noTwc',
};

/** Sends `msg` into node `id` and resolves with what the helper node after it receives. */
function ask(id: string, msg: Msg): Promise<Msg> {
  return new Promise((resolve) => {
    const out = helper.getNode('out');
    out.once('input', (m: Msg) => resolve(m));
    helper.getNode(id).receive(msg);
  });
}

describe('Node-RED nodes (test helper)', function () {
  this.timeout(20000);
  useHelperServer();

  describe('twc-command', () => {
    const flow = [
      master(),
      { id: 'c1', type: 'twc-command', master: 'm1', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ];

    it('chargeNow answers as TWCManager and changes the policy at once', async () => {
      await load(flow);
      const r = await ask('c1', {
        topic: 'chargeNow',
        payload: { chargeNowRate: 24, chargeNowDuration: 3600 },
      });
      assert.deepEqual(
        [r.statusCode, r.payload],
        [200, { status: 'success', rate: 24, duration: 3600, ...NO_TWC }],
      );
      const m = helper.getNode('m1') as TwcMasterNode;
      assert.deepEqual(m.policy!.active(), { name: 'Charge Now', amps: 24, isGreen: false, action: 1 });
      assert.equal(m.engine!.availableAmps(), 24);
    });

    it('takes the body as JSON text, a Buffer, or with numbers as strings', async () => {
      await load(flow);
      for (const payload of [
        '{"chargeNowRate":8,"chargeNowDuration":60}',
        Buffer.from('{"chargeNowRate":"8","chargeNowDuration":"60"}'),
      ]) {
        const r = await ask('c1', { topic: 'chargeNow', payload });
        assert.deepEqual(
          [r.statusCode, r.payload],
          [200, { status: 'success', rate: 8, duration: 60, ...NO_TWC }],
        );
      }
    });

    it('cancelChargeNow, start and stop for all or one TWC, setGreenEnergy', async () => {
      await load(flow);
      const m = helper.getNode('m1') as TwcMasterNode;
      await waitFor('slaves linked', 5000, () => m.engine!.snapshot().slaves.length === 2);
      await ask('c1', { topic: 'chargeNow', payload: { chargeNowRate: 24, chargeNowDuration: 3600 } });
      let r = await ask('c1', { topic: 'cancelChargeNow', payload: '' });
      assert.deepEqual([r.statusCode, r.payload], [200, { status: 'success' }]);
      // Back to the normal policy for this hour (green tracking in daylight, as TWCManager does).
      assert.equal(m.policy!.active().name, new ChargePolicy().active().name);
      r = await ask('c1', { topic: 'sendStopCommand' });
      assert.deepEqual([r.statusCode, r.payload], [200, { status: 'success', twcs: 2 }]);
      assert.ok(m.engine!.snapshot().slaves.every((s) => s.chargingStopped));
      r = await ask('c1', { topic: 'sendStartCommand', payload: { TWCID: '4142' } });
      assert.deepEqual([r.statusCode, r.payload], [200, { status: 'success', twcs: 1 }]);
      // In the order they linked, which is the order their answers came: look them up by ID.
      const stopped = new Map(m.engine!.snapshot().slaves.map((s) => [s.TWCID, s.chargingStopped]));
      assert.deepEqual([stopped.get('4142'), stopped.get('4243')], [false, true]);
      r = await ask('c1', { topic: 'setGreenEnergy', payload: { generationW: '5200', consumptionW: 900 } });
      assert.equal(r.statusCode, 200);
      assert.equal(m.policy!.current.generationW, 5200);
    });

    const bad: [string, Msg, RegExp][] = [
      ['a missing body', { topic: 'chargeNow' }, /chargeNowRate must be a whole number/],
      [
        'a negative rate',
        { topic: 'chargeNow', payload: { chargeNowRate: -5, chargeNowDuration: 60 } },
        /greater than 0/,
      ],
      [
        'a zero duration',
        { topic: 'chargeNow', payload: { chargeNowRate: 5, chargeNowDuration: 0 } },
        /chargeNowDuration must be greater than 0/,
      ],
      [
        'a wrong type',
        { topic: 'chargeNow', payload: { chargeNowRate: [8], chargeNowDuration: 60 } },
        /chargeNowRate must be a whole number/,
      ],
      ['broken JSON', { topic: 'chargeNow', payload: '{"chargeNowRate":' }, /not valid JSON/],
      ['an array body', { topic: 'setGreenEnergy', payload: [1, 2] }, /must be a JSON object/],
      ['negative watts', { topic: 'setGreenEnergy', payload: { generationW: -1 } }, /must not be negative/],
      [
        'an unknown TWC',
        { topic: 'sendStopCommand', payload: { TWCID: '9999' } },
        /no Wall Connector with TWCID 9999/,
      ],
      [
        'a malformed TWCID',
        { topic: 'sendStartCommand', payload: { TWCID: 'abc' } },
        /four hexadecimal digits/,
      ],
      ['an unknown command', { topic: 'selfDestruct' }, /unknown command "selfDestruct"/],
      ['no command at all', {}, /no command/],
    ];
    for (const [name, msg, reason] of bad) {
      it(`answers ${name} with 400, a reason and a warning, and keeps the settings`, async () => {
        await load(flow);
        const m = helper.getNode('m1') as TwcMasterNode;
        await waitFor('slaves linked', 5000, () => m.engine!.snapshot().slaves.length === 2);
        m.policy!.chargeNow(20, 600);
        const c = helper.getNode('c1');
        const r = await ask('c1', msg);
        assert.equal(r.statusCode, 400);
        assert.match(String((r.payload as { error: string }).error), reason);
        assert.ok((c.warn as unknown as { called: boolean }).called, 'a node warning');
        assert.equal(m.policy!.active().amps, 20, 'the charge-now in force is untouched');
      });
    }

    it('warns of bad requests once a minute per command and status, not once per request', async () => {
      await load(flow);
      const c = helper.getNode('c1');
      for (let i = 0; i < 20; i++) {
        const r = await ask('c1', {
          topic: 'chargeNow',
          payload: { chargeNowRate: -i - 1, chargeNowDuration: 60 },
        });
        assert.equal(r.statusCode, 400);
      }
      const r = await ask('c1', { topic: `random${Math.random()}` });
      assert.equal(r.statusCode, 400);
      await ask('c1', { topic: `random${Math.random()}` });
      // The helper's spy is shared by every node: keep this node's calls.
      const spy = c.warn as unknown as { args: unknown[][]; thisValues: unknown[] };
      const warned = spy.args.filter((_, i) => spy.thisValues[i] === c).map((a) => String(a[0]));
      assert.equal(warned.length, 2, warned.join('\n'));
      assert.match(warned[0], /^chargeNow: chargeNowRate must be greater than 0$/);
      assert.match(warned[1], /^random.*: unknown command/);
    });

    it('cancelChargeNow with "Cancel stops charging" also sends the stop command to every TWC', async () => {
      for (const stops of [false, true]) {
        await load([master({ cancelStopsCharging: stops }), ...flow.slice(1)]);
        const m = helper.getNode('m1') as TwcMasterNode;
        await waitFor('slaves linked', 5000, () => m.engine!.snapshot().slaves.length === 2);
        const sent: number[] = [];
        m.engine!.on('tx', (msg) => {
          if (msg.kind === 'stopCharging') sent.push(msg.receiver);
        });
        await ask('c1', { topic: 'chargeNow', payload: { chargeNowRate: 24, chargeNowDuration: 3600 } });
        const r = await ask('c1', { topic: 'cancelChargeNow' });
        assert.deepEqual([r.statusCode, r.payload], [200, { status: 'success' }]);
        assert.notEqual(m.policy!.active().name, 'Charge Now');
        // Commands go out in the bus's next free slots.
        if (stops) await waitFor('stop commands on the wire', 5000, () => sent.length >= 2);
        else await new Promise((r) => setTimeout(r, 1500));
        assert.deepEqual(sent.sort(), stops ? [0x4142, 0x4243] : [], `cancelStopsCharging ${stops}`);
        await helper.unload();
      }
    });

    it('settings commands: offsets, schedule, setSetting, saveSettings, with 400/404 for bad input', async () => {
      await load(flow);
      const m = helper.getNode('m1') as TwcMasterNode;
      const cases: [string, unknown, number, unknown][] = [
        [
          'addConsumptionOffset',
          { offsetName: 'Pool', offsetValue: '500', offsetUnit: 'W' },
          200,
          { status: 'success', offsetName: 'Pool', offsetValue: 500, offsetUnit: 'W', ...NO_TWC },
        ],
        ['addConsumptionOffset', { offsetName: 'Pool', offsetValue: 0, offsetUnit: 'W' }, 400, undefined],
        ['addConsumptionOffset', { offsetName: 'Pool', offsetValue: 'x', offsetUnit: 'W' }, 400, undefined],
        ['deleteConsumptionOffset', { offsetName: 'Nope' }, 404, { error: 'Offset not found' }],
        [
          'deleteConsumptionOffset',
          { offsetName: 'Pool' },
          200,
          { status: 'success', offsetName: 'Pool', ...NO_TWC },
        ],
        [
          'deleteConsumptionOffset',
          { offsetName: 'Pool' },
          404,
          { error: 'No consumption offsets configured' },
        ],
        ['deleteConsumptionOffset', {}, 400, undefined],
        [
          'setScheduledChargingSettings',
          { enabled: true, startingMinute: 60, endingMinute: 120, amps: 16 },
          202,
          { status: 'success', ...NO_TWC },
        ],
        ['setScheduledChargingSettings', { startingMinute: -7 }, 400, undefined],
        ['setScheduledChargingSettings', { monday: 'perhaps' }, 400, undefined],
        ['setSetting', { setting: 'nonScheduledAmpsMax', value: '16' }, 204, { status: 'success' }],
        ['setSetting', { setting: 'nonScheduledAmpsMax', value: -1 }, 400, undefined],
        ['setSetting', { setting: 'nonScheduledAmpsMax' }, 400, undefined],
        ['setSetting', { value: 3 }, 400, undefined],
        ['saveSettings', '', 204, { status: 'success' }],
      ];
      for (const [topic, payload, status, body] of cases) {
        const r = await ask('c1', { topic, payload });
        assert.equal(
          r.statusCode,
          status,
          `${topic} ${JSON.stringify(payload)}: ${JSON.stringify(r.payload)}`,
        );
        if (body) assert.deepEqual(r.payload, body);
        else assert.equal(typeof (r.payload as { error: unknown }).error, 'string');
      }
      assert.equal(m.policy!.current.nonScheduledAmpsMax, 16);
      assert.equal(m.policy!.current.scheduledAmpsMax, 16);
      assert.equal(m.policy!.current.scheduledAmpsStartHour, 1);
    });

    it('uses the command fixed in the node over msg.topic', async () => {
      await load([
        master(),
        { id: 'c1', type: 'twc-command', master: 'm1', command: 'cancelChargeNow', wires: [['out']] },
        { id: 'out', type: 'helper' },
      ]);
      const r = await ask('c1', { topic: 'chargeNow', payload: { chargeNowRate: 8, chargeNowDuration: 60 } });
      assert.deepEqual(r.payload, { status: 'success', ...NO_TWC });
    });
  });

  describe('twc-master settings', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        'a missing wiring limit',
        { wiringMaxAmpsAllTWCs: '' },
        /wiringMaxAmpsAllTWCs must be a whole number from 1 to 655 \(got nothing\)/,
      ],
      ['a negative limit', { wiringMaxAmpsPerTWC: -3 }, /wiringMaxAmpsPerTWC must be a whole number/],
      ['text for a number', { minAmpsPerTWC: 'twelve' }, /minAmpsPerTWC must be a whole number/],
      [
        'a minimum above the wiring',
        { wiringMaxAmpsPerTWC: 10, minAmpsPerTWC: 12 },
        /must not exceed wiringMaxAmpsPerTWC/,
      ],
      ['bad simulated TWCs', { simulatedSlaves: '41Z2:80' }, /simulatedSlaves: .*not a TWCID/],
      ['a serial bus with no port', { transport: 'serial', serialPort: '' }, /serialPort is required/],
      ['an unknown transport', { transport: 'carrier-pigeon' }, /transport must be serial, tcp or simulator/],
      ['a bad master ID', { fakeTWCID: '77777' }, /fakeTWCID must be four hexadecimal digits/],
    ];
    for (const [name, extra, message] of cases) {
      it(`reports ${name} as a node error, a red status and 503 answers`, async () => {
        await load([
          master(extra),
          { id: 'c1', type: 'twc-command', master: 'm1', wires: [['out']] },
          { id: 's1', type: 'twc-status', master: 'm1', wires: [['out']] },
          { id: 'out', type: 'helper' },
        ]);
        const m = helper.getNode('m1') as TwcMasterNode;
        assert.match(m.configError ?? '', message);
        assert.ok((m.error as unknown as { called: boolean }).called);
        const status = (
          helper.getNode('s1').status as unknown as { lastCall: { args: [{ fill: string; text: string }] } }
        ).lastCall.args[0];
        assert.equal(status.fill, 'red');
        assert.match(status.text, message);
        const r = await ask('c1', { topic: 'cancelChargeNow' });
        assert.equal(r.statusCode, 503);
      });
    }

    it('lists the serial ports for the editor, or an empty list', async () => {
      await load([master()]);
      const res = await helper.request().get('/twc-master/serialports').expect(200);
      assert.ok(Array.isArray(res.body));
    });
  });
});
