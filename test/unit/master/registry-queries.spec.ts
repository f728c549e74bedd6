import assert from 'node:assert/strict';
import { resolveMasterConfig } from '../../../src/master/config';
import { nextQuery, nextQueryDueAt } from '../../../src/master/queries';
import { SlaveRecord } from '../../../src/master/slave-record';
import { SlaveRegistry } from '../../../src/master/slave-registry';
import type { SlaveHeartbeat, TwcMessage } from '../../../src/protocol/messages';

const config = resolveMasterConfig({
  wiringMaxAmpsAllTWCs: 50,
  wiringMaxAmpsPerTWC: 40,
  minAmpsPerTWC: 12,
  slaveTimeoutMs: 10_000,
  kwhPollIntervalMs: 7000,
  maxSlaves: 2,
});
const US = 0x7777;
const reply = (sender: number, over: Partial<SlaveHeartbeat> = {}): SlaveHeartbeat => ({
  kind: 'slaveHeartbeat',
  sender,
  receiver: US,
  state: 1,
  limitAmps: 20,
  actualAmps: 19,
  version: 2,
  ...over,
});
const announce = (sender: number, maxAmps = 32) =>
  ({ kind: 'slaveLinkReady', sender, sign: 3, maxAmps, version: 2 }) as const;

/** A registry with `ids` linked at time 0 (announced, probed, answered). */
function linked(...ids: number[]): SlaveRegistry {
  const r = new SlaveRegistry(config);
  for (const id of ids) {
    r.linkReady(announce(id), 0);
    r.candidates.probed(id);
    assert.equal(r.reply(reply(id), 0)?.kind, 'added');
  }
  return r;
}

describe('SlaveRegistry', () => {
  it('only a probed candidate’s reply to us links it; with no room it is reported', () => {
    const r = new SlaveRegistry(config);
    r.linkReady(announce(1), 0);
    assert.equal(r.reply(reply(1), 1), undefined, 'not probed');
    r.candidates.probed(1);
    assert.equal(r.reply(reply(1, { receiver: 0x1234 }), 2), undefined, 'addressed to another master');
    assert.equal(r.reply({ kind: 'kwhReport', sender: 1 } as TwcMessage, 2), undefined, 'not a heartbeat');
    const added = r.reply(reply(1), 3);
    assert.equal(added?.kind, 'added');
    assert.deepEqual([r.size, r.get(1)?.reportedAmpsActual, r.get(1)?.lastRxAt], [1, 19, 3]);
    r.linkReady(announce(2), 4);
    r.linkReady(announce(3), 4);
    r.candidates.probed(2);
    r.candidates.probed(3);
    assert.equal(r.reply(reply(2), 5)?.kind, 'added');
    assert.equal(r.hasRoom, false);
    assert.deepEqual(r.reply(reply(3), 6), { kind: 'full', id: 3 });
    assert.deepEqual(r.linkReady(announce(4), 7), { kind: 'full' });
  });

  it('an announcement from a linked unit refreshes it and its sign, nothing else', () => {
    const r = linked(1);
    const out = r.linkReady({ kind: 'slaveLinkReady', sender: 1, sign: 9, maxAmps: 80, version: 1 }, 500);
    assert.equal(out.kind, 'known');
    const s = r.get(1)!;
    assert.deepEqual([s.lastRxAt, s.sign, s.maxAmps, s.version], [500, 9, 32, 2]);
    assert.deepEqual(r.linkReady(announce(US), 600), { kind: 'collision' });
    assert.equal(r.candidates.size, 0, 'our own ID is no candidate');
  });

  it('replies from linked units: only those to us count; kWh, VIN and firmware are taken in', () => {
    const r = linked(1);
    const s = r.get(1)!;
    assert.equal(r.reply(reply(1, { receiver: 0x1234, actualAmps: 5 }), 10), undefined);
    assert.equal(s.reportedAmpsActual, 19);
    assert.deepEqual(r.reply(reply(1, { actualAmps: 7 }), 20), { kind: 'changed', slave: s });
    assert.equal(r.reply(reply(1, { actualAmps: 7 }), 500), undefined, 'nothing changed');
    assert.equal(
      r.reply(
        { kind: 'firmwareVersion', sender: 1, major: 4, minor: 5, revision: 3, extended: 2 } as TwcMessage,
        40,
      ),
      undefined,
    );
    assert.deepEqual([s.firmwareVersion, s.lastRxAt], ['4.5.3.2', 40]);
    s.vinPart = 3;
    s.vinAwaiting = true;
    s.vinParts = ['ABC', 'DEF', ''];
    assert.deepEqual(r.reply({ kind: 'vinReply', part: 3, sender: 1, text: 'GHI' }, 50), {
      kind: 'vin',
      slave: s,
    });
    assert.equal(s.currentVIN, 'ABCDEFGHI');
    assert.equal(r.reply({ kind: 'vinReply', part: 1, sender: 1, text: 'X' }, 60), undefined);
    assert.equal(r.reply({ kind: 'masterLinkReady1', sender: 1, sign: 0 } as TwcMessage, 70), undefined);
    assert.equal(r.reply({ kind: 'unknown' } as unknown as TwcMessage, 80), undefined);
  });

  it('a second, different answer to one heartbeat marks a duplicate; the same one is a doubled frame', () => {
    const r = linked(1);
    const s = r.get(1)!;
    s.heartbeatsSent = 1;
    r.reply(reply(1, { actualAmps: 10 }), 1000);
    assert.deepEqual(r.reply(reply(1, { actualAmps: 10 }), 1020), { kind: 'doubled', slave: s });
    assert.deepEqual(r.reply(reply(1, { actualAmps: 3 }), 1040), { kind: 'duplicate', slave: s });
    assert.equal(s.reportedAmpsActual, 3, 'the duplicate is still taken in');
  });

  it('drops a unit silent for longer than the timeout and reserves what was in force for 30 s', () => {
    const r = linked(1);
    r.linkReady(announce(2), 0);
    r.candidates.probed(2);
    r.reply(reply(2, { state: 0, limitAmps: 0, actualAmps: 0 }), 5000);
    r.get(1)!.wire.sent(25);
    assert.deepEqual(r.expire(10_000), [], 'exactly the timeout: still there');
    const gone = r.expire(10_001);
    assert.deepEqual(
      gone.map((s) => s.id),
      [1],
    );
    assert.deepEqual(r.reservations(10_001), [{ id: 1, amps: 25 }]);
    assert.deepEqual(r.reservations(40_000), [{ id: 1, amps: 25 }]);
    assert.deepEqual(r.reservations(40_001), [], '30 s after it was dropped');
    assert.deepEqual(
      r.expire(15_001).map((s) => s.id),
      [2],
    );
    assert.deepEqual(r.reservations(15_001), [], 'nothing in force, nothing reserved');
  });

  it('a dropped unit that links again starts from its reserve, which it no longer holds apart', () => {
    const r = linked(1);
    r.get(1)!.wire.sent(25);
    r.expire(20_000);
    r.linkReady(announce(1), 21_000);
    r.candidates.probed(1);
    r.reply(reply(1, { state: 1, limitAmps: 25, actualAmps: 24 }), 21_010);
    assert.deepEqual([r.get(1)!.wire.sentAmps, r.get(1)!.lastAmpsOffered], [25, 25]);
    assert.deepEqual(r.reservations(21_010), []);
  });

  it('touchAll gives every slave a fresh timeout', () => {
    const r = linked(1, 2);
    r.touchAll(9000);
    assert.deepEqual(
      r.list().map((s) => s.lastRxAt),
      [9000, 9000],
    );
    assert.deepEqual(r.expire(19_000), []);
  });
});

describe('queries between heartbeats', () => {
  const slave = (id: number, version: 1 | 2 = 2) => new SlaveRecord(id, 1, 80, version, 0);

  it('commands first (for any slave), then the firmware once, then the VIN, then kWh', () => {
    const a = slave(1);
    const b = slave(2);
    b.pendingCommands.push('stopCharging');
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      const q = nextQuery([a, b], 0, config);
      if (q && q.request.kind !== 'unknown') order.push(`${q.request.kind}>${q.request.receiver}`);
    }
    assert.deepEqual(order, [
      'stopCharging>2',
      'extFirmwareRequest>1',
      'extFirmwareRequest>2',
      'kwhRequest>1',
      'kwhRequest>2',
    ]);
    assert.equal(nextQuery([a, b], 6999, config), undefined);
    assert.equal(nextQuery([a, b], 7000, config)?.request.kind, 'kwhRequest', 'every kwhPollIntervalMs');
    const q = nextQuery([a, b], 7000, config)!;
    assert.deepEqual(q.request, { kind: 'kwhRequest', sender: US, receiver: 2, version: 2 });
  });

  it('protocol 1 gets commands only', () => {
    const v1 = slave(1, 1);
    v1.applyHeartbeat(reply(1, { state: 4 }), 0);
    assert.equal(nextQuery([v1], 0, config), undefined);
    assert.equal(nextQueryDueAt([v1]), Number.POSITIVE_INFINITY);
    v1.pendingCommands.push('startCharging');
    assert.equal(nextQueryDueAt([v1]), Number.NEGATIVE_INFINITY);
    assert.deepEqual(nextQuery([v1], 0, config)?.request, {
      kind: 'startCharging',
      sender: US,
      receiver: 1,
      version: 1,
    });
    assert.equal(nextQuery([v1], 0, config)?.isReply, undefined);
  });

  it('each reply is recognised by its kind, its sender and (for the VIN) its part', () => {
    const a = slave(1);
    a.applyHeartbeat(reply(1, { state: 4 }), 0);
    const fw = nextQuery([a], 0, config)!;
    const firmware = {
      kind: 'firmwareVersion',
      sender: 1,
      major: 1,
      minor: 2,
      revision: 3,
      extended: 4,
    } as TwcMessage;
    assert.equal(fw.isReply!(firmware), true);
    assert.equal(fw.isReply!({ ...firmware, sender: 2 } as TwcMessage), false);
    assert.equal(fw.isReply!({ kind: 'vinReply', part: 1, sender: 1, text: '' }), false);
    const vin = nextQuery([a], 0, config)!;
    assert.equal(vin.request.kind, 'vinRequest1');
    assert.equal(vin.isReply!({ kind: 'vinReply', part: 1, sender: 1, text: '' }), true);
    assert.equal(vin.isReply!({ kind: 'vinReply', part: 2, sender: 1, text: '' }), false);
    assert.equal(vin.isReply!({ kind: 'vinReply', part: 1, sender: 2, text: '' }), false);
    assert.equal(vin.isReply!(firmware), false);
    a.applyVinPart(1, 'ABC', 1);
    assert.equal(nextQuery([a], 1, config)?.request.kind, 'vinRequest2');
    a.applyVinPart(2, 'DEF', 2);
    assert.equal(nextQuery([a], 2, config)?.request.kind, 'vinRequest3');
    const kwh = nextQuery([a], 3, config)!;
    assert.equal(kwh.request.kind, 'kwhRequest');
    const report = { kind: 'kwhReport', sender: 1 } as TwcMessage;
    assert.equal(kwh.isReply!(report), true);
    assert.equal(kwh.isReply!({ ...report, sender: 2 } as TwcMessage), false);
    assert.equal(kwh.isReply!(firmware), false);
  });

  it('nextQueryDueAt: now while the firmware is unknown, else the earliest kWh or VIN time', () => {
    const a = slave(1);
    assert.equal(nextQueryDueAt([a]), Number.NEGATIVE_INFINITY);
    a.firmwareAsked = true;
    a.nextKwhAt = 9000;
    assert.equal(nextQueryDueAt([a]), 9000);
    a.nextVinAt = 4000;
    assert.equal(nextQueryDueAt([a]), 4000);
    a.currentVIN = 'KNOWN';
    assert.equal(nextQueryDueAt([a]), 9000, 'a known VIN is not asked for');
    const b = slave(2);
    b.firmwareAsked = true;
    b.nextKwhAt = 3000;
    assert.equal(nextQueryDueAt([a, b]), 3000);
  });
});
