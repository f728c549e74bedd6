import assert from 'node:assert/strict';
import { runCommand } from '../../../src/api/commands';
import { DEBUG_QUERIES, parseDebugCommand } from '../../../src/api/debug-command';
import { MAX_PENDING_DEBUG } from '../../../src/master/debug';
import { ChargePolicy } from '../../../src/policy/charge-policy';
import { formatHex, READ_ONLY_CODES, REQUEST_CODES } from '../../../src/protocol';
import { scriptedMaster } from '../master/scripted-slaves';

const A = 0x4142;

describe('sendDebugCommand: reading the body', () => {
  it('each named query is a read-only request, by the request table', () => {
    for (const [name, kind] of Object.entries(DEBUG_QUERIES)) {
      const parsed = parseDebugCommand({ commandName: name });
      assert.ok(parsed.ok, name);
      assert.deepEqual([...parsed.value.bytes], [...REQUEST_CODES[kind]]);
      assert.ok(READ_ONLY_CODES.has((parsed.value.bytes[0] << 8) | parsed.value.bytes[1]), name);
    }
    assert.equal(Object.keys(DEBUG_QUERIES).length, READ_ONLY_CODES.size, 'one name for each');
  });

  it('Custom takes hex with or without blanks, and subTWC names the unit', () => {
    const parsed = parseDebugCommand(
      JSON.stringify({ commandName: 'Custom', customCommand: ' fb 1B ', subTWC: '4142' }),
    );
    assert.ok(parsed.ok);
    assert.deepEqual([formatHex(parsed.value.bytes), parsed.value.to], ['FB 1B', A]);
    for (const absent of [undefined, null, ''])
      assert.deepEqual(parseDebugCommand({ commandName: 'GetVIN1', subTWC: absent }), {
        ok: true,
        value: { bytes: Uint8Array.of(0xfb, 0xee), to: undefined },
      });
  });

  const refusals: [unknown, RegExp][] = [
    [{}, /^commandName must be one of Custom, GetFirmwareVersion/],
    [{ commandName: 42 }, /^commandName must be one of/],
    [{ commandName: '' }, /^commandName must be one of/],
    [{ commandName: 'FB19' }, /^unknown commandName; one of Custom, /],
    [{ commandName: 'toString' }, /^unknown commandName/],
    [{ commandName: 'Custom' }, /^customCommand is needed with Custom/],
    [{ commandName: 'Custom', customCommand: '  ' }, /^customCommand is needed/],
    [{ commandName: 'Custom', customCommand: ['FB1B'] }, /^customCommand is needed/],
    [{ commandName: 'Custom', customCommand: 'FB1' }, /^customCommand must be pairs of hexadecimal/],
    [{ commandName: 'Custom', customCommand: 'FBXX' }, /^customCommand must be pairs/],
    [{ commandName: 'GetVIN1', subTWC: 4142 }, /^subTWC must be the TWCID of a linked unit/],
    [{ commandName: 'GetVIN1', subTWC: '41420' }, /^subTWC must be/],
    ['{"commandName": ', /^the body is not valid JSON/],
  ];
  for (const [body, error] of refusals) {
    it(`400 for ${JSON.stringify(body)}`, () => {
      const parsed = parseDebugCommand(body);
      assert.equal(parsed.ok, false);
      assert.match(parsed.ok ? '' : parsed.error, error);
    });
  }
});

describe('sendDebugCommand through runCommand: the status codes', () => {
  function rig() {
    const r = scriptedMaster({ wiringMaxAmpsAllTWCs: 32, wiringMaxAmpsPerTWC: 32 });
    r.master.start();
    r.clock.advance(1100);
    r.bus.add(A);
    r.bus.linkReady(A);
    r.clock.advance(3000);
    const target = { engine: r.master, policy: new ChargePolicy({}) };
    const run = (body: unknown) => runCommand('sendDebugCommand', JSON.stringify(body), target);
    return { ...r, run };
  }

  it('204 when queued, 400 with the gate’s reason when refused, 429 when the queue is full', () => {
    const r = rig();
    assert.equal(r.run({ commandName: 'GetFirmwareVersion' }).statusCode, 204);
    const refused = r.run({ commandName: 'Custom', customCommand: 'FC19' });
    assert.equal(refused.statusCode, 400);
    assert.match(
      String((refused.payload as Record<string, unknown>).error),
      /^refused to send FC 19 .*one-time-programmable/,
    );
    assert.deepEqual(r.run({ commandName: 'GetVIN1', subTWC: '0001' }), {
      statusCode: 400,
      payload: { error: 'no Wall Connector with TWCID 0001 is on the bus' },
    });
    for (let i = 1; i < MAX_PENDING_DEBUG; i++)
      assert.equal(r.run({ commandName: 'GetVIN1' }).statusCode, 204);
    const full = r.run({ commandName: 'GetVIN2' });
    assert.equal(full.statusCode, 429);
    assert.match(String((full.payload as Record<string, unknown>).error), /still waiting for the bus/);
  });
});
