import assert from 'node:assert/strict';
import { resolveMasterConfig } from '../../../src/master/config';
import { SlaveRecord } from '../../../src/master/slave-record';
import { hb } from './slave-frames';

const config = resolveMasterConfig({ wiringMaxAmpsAllTWCs: 50, wiringMaxAmpsPerTWC: 40, minAmpsPerTWC: 5 });
const vinConfig = resolveMasterConfig({ vinRetryIntervalMs: 5000, vinMaxAttempts: 3 });

/** Asks for and answers the three VIN parts at `at`, `at`+1, `at`+2. */
function collectVin(s: SlaveRecord, parts: [string, string, string], at: number): string | undefined {
  let vin: string | undefined;
  for (const part of [1, 2, 3] as const) {
    assert.equal(s.vinRequestDue(at + part, vinConfig), part);
    vin = s.applyVinPart(part, parts[part - 1], at + part);
  }
  return vin;
}

describe('SlaveRecord: edges of the VIN, the reply bookkeeping and the snapshot', () => {
  it('a new unit shows no VIN, no last VIN and no firmware version, and awaits no VIN part', () => {
    const s = new SlaveRecord(0x4142, 1, 48, 2, 0);
    const snap = s.snapshot(0, config);
    assert.deepEqual([snap.currentVIN, snap.lastVIN, snap.firmwareVersion], ['', '', '']);
    assert.deepEqual(s.vinParts, ['', '', '']);
    assert.equal(s.vinAwaiting, false);
  });

  it('the first reply ever is never a second one, however wide the window', () => {
    const s = new SlaveRecord(0x4142, 1, 48, 2, 0);
    s.heartbeatsSent = 1;
    assert.equal(s.secondReply(hb(1, 20, 10), 1000, Number.POSITIVE_INFINITY), 'none');
    assert.equal(s.snapshot(1000, config).duplicateId, false);
  });

  it('a reply not said to be timely does not count toward confirming a 0', () => {
    const s = new SlaveRecord(0x4142, 1, 48, 2, 0, 20);
    s.wire.sent(0);
    assert.equal(s.lastAmpsOffered, 20, 'the 20 A stays in force until the 0 is shown');
    s.applyHeartbeat(hb(4, 20, 0), 1000);
    s.applyHeartbeat(hb(4, 20, 0), 2000, true);
    s.applyHeartbeat(hb(4, 20, 0), 3000, true);
    assert.equal(s.lastAmpsOffered, 20, 'two timely replies: not yet');
    s.applyHeartbeat(hb(4, 20, 0), 4000, true);
    assert.equal(s.lastAmpsOffered, 0, 'the third timely one');
  });

  it('stores each VIN part in its place, and a new round starts from empty parts', () => {
    const s = new SlaveRecord(1, 1, 80, 2, 0);
    s.applyHeartbeat(hb(4, 0, 0), 0);
    assert.equal(s.vinAwaiting, false, 'a car arrived: nothing asked yet');
    assert.equal(s.vinRequestDue(0, vinConfig), 1);
    assert.equal(s.applyVinPart(1, '5YJ3E1E', 10), undefined);
    assert.deepEqual(s.vinParts, ['5YJ3E1E', '', '']);
    assert.equal(s.vinRequestDue(10, vinConfig), 2);
    assert.equal(s.applyVinPart(2, 'A1KF123', 20), undefined);
    assert.deepEqual(s.vinParts, ['5YJ3E1E', 'A1KF123', '']);
    assert.equal(s.vinRequestDue(20, vinConfig), 3);
    // Part 3 never comes: after the retry time the round starts again, from nothing.
    assert.equal(s.vinRequestDue(5020, vinConfig), 1);
    assert.deepEqual(s.vinParts, ['', '', '']);
  });

  it('a part other than the one asked for is ignored, even the last', () => {
    const s = new SlaveRecord(1, 1, 80, 2, 0);
    s.applyHeartbeat(hb(4, 0, 0), 0);
    assert.equal(s.vinRequestDue(0, vinConfig), 1);
    assert.equal(s.applyVinPart(3, '456', 10), undefined);
    assert.equal(s.snapshot(10, config).currentVIN, '');
    assert.equal(s.applyVinPart(1, '5YJ3E1E', 20), undefined, 'the part asked for still counts');
    assert.deepEqual(s.vinParts, ['5YJ3E1E', '', '']);
  });

  it('the VIN stays while the car stays, through a change from waiting to charging', () => {
    const s = new SlaveRecord(1, 1, 80, 2, 0);
    s.applyHeartbeat(hb(4, 0, 0), 0);
    assert.equal(collectVin(s, ['5YJ3E1E', 'A1KF123', '456'], 0), '5YJ3E1EA1KF123456');
    s.applyHeartbeat(hb(1, 16, 15.5), 100);
    s.applyHeartbeat(hb(1, 16, 15.5), 1100);
    const snap = s.snapshot(1100, config);
    assert.deepEqual([snap.currentVIN, snap.lastVIN], ['5YJ3E1EA1KF123456', '']);
  });

  it('a car without a VIN leaving keeps the last VIN of the car before it', () => {
    const s = new SlaveRecord(1, 1, 80, 2, 0);
    s.applyHeartbeat(hb(4, 0, 0), 0);
    assert.equal(collectVin(s, ['5YJ3E1E', 'A1KF123', '456'], 0), '5YJ3E1EA1KF123456');
    s.applyHeartbeat(hb(0, 0, 0), 100);
    assert.equal(s.vinAwaiting, false, 'the car left: no part awaited');
    s.applyHeartbeat(hb(4, 0, 0), 200);
    assert.equal(collectVin(s, ['', '', ''], 200), undefined, 'this car sends no VIN');
    s.applyHeartbeat(hb(0, 0, 0), 300);
    const snap = s.snapshot(300, config);
    assert.deepEqual([snap.currentVIN, snap.lastVIN], ['', '5YJ3E1EA1KF123456']);
  });
});
