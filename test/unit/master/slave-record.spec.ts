import assert from 'node:assert/strict';
import { resolveMasterConfig } from '../../../src/master/config';
import { SlaveRecord } from '../../../src/master/slave-record';
import { spikeAmpsFor, withSpike } from '../../../src/master/spike';
import type { KwhReport } from '../../../src/protocol/messages';
import { hb } from './slave-frames';

const config = resolveMasterConfig({ wiringMaxAmpsAllTWCs: 50, wiringMaxAmpsPerTWC: 40, minAmpsPerTWC: 5 });
const kwh = (a: number, b: number, c: number): KwhReport => ({
  kind: 'kwhReport',
  sender: 0x4142,
  lifetimeKwh: 1234,
  voltsPhaseA: a,
  voltsPhaseB: b,
  voltsPhaseC: c,
  ampsPhaseA: 0,
  ampsPhaseB: 0,
  ampsPhaseC: 0,
});

describe('SlaveRecord', () => {
  it('tells a second unit from a repeated frame and from a late reply, within the reply window only', () => {
    const s = new SlaveRecord(0x4142, 1, 80, 2, 0);
    s.heartbeatsSent = 1;
    assert.equal(s.secondReply(hb(1, 20, 10), 1000, 200), 'none');
    assert.equal(s.secondReply(hb(1, 20, 10), 1100, 200), 'doubled', 'the same bytes again');
    assert.equal(s.secondReply(hb(1, 20, 11), 1300, 200), 'duplicate', 'different, 200 ms later: two units');
    assert.equal(s.isDuplicate(1300 + 59_999), true);
    assert.equal(s.isDuplicate(1300 + 60_000), false);
    assert.equal(s.secondReply(hb(1, 20, 12), 1501, 200), 'none', '201 ms after the last: a late reply');
    s.heartbeatsSent = 2;
    assert.equal(s.secondReply(hb(1, 20, 13), 1600, 200), 'none', 'an answer to the next heartbeat');
  });

  it('each of state, limit and draw makes two answers different', () => {
    for (const other of [hb(3, 20, 10), hb(1, 21, 10), hb(1, 20, 9)]) {
      const s = new SlaveRecord(0x4142, 1, 80, 2, 0);
      s.heartbeatsSent = 4;
      s.secondReply(hb(1, 20, 10), 0, 200);
      assert.equal(s.secondReply(other, 10, 200), 'duplicate', JSON.stringify(other));
      assert.equal(s.snapshot(10, config).duplicateId, true);
    }
  });

  it('reports a change of state, limit or draw, and nothing else', () => {
    const s = new SlaveRecord(0x4142, 1, 80, 2, 0);
    assert.equal(s.applyHeartbeat(hb(0, 0, 0), 10), false);
    assert.equal(s.applyHeartbeat(hb(4, 0, 0), 20), true);
    assert.equal(s.applyHeartbeat(hb(4, 16, 0), 30), true);
    assert.equal(s.applyHeartbeat(hb(4, 16, 0.5), 40), true);
    assert.equal(s.applyHeartbeat(hb(4, 16, 0.5), 50), false);
    assert.deepEqual([s.lastRxAt, s.repliesReceived], [50, 5]);
  });

  it('the firmware minimum: 6 A on protocol 2, 5 A on 1, 1 A once all three phases show 200 V or more', () => {
    const v2 = new SlaveRecord(1, 1, 80, 2, 0);
    const v1 = new SlaveRecord(2, 1, 80, 1, 0);
    assert.deepEqual([v2.minAmps(config), v1.minAmps(config)], [6, 5]);
    v2.applyKwh(kwh(230, 230, 199), 5);
    assert.equal(v2.minAmps(config), 6, 'one phase below 200 V: single-phase');
    v2.applyKwh(kwh(200, 200, 200), 6);
    assert.equal(v2.minAmps(config), 5, 'three-phase: the configured minimum rules');
    assert.deepEqual([v2.lastRxAt, v2.lifetimeKwh], [6, 1234]);
    const snap = v2.snapshot(6, config);
    assert.deepEqual([snap.voltsPhaseA, snap.voltsPhaseB, snap.voltsPhaseC], [200, 200, 200]);
    assert.equal(new SlaveRecord(3, 1, 80, 2, 0).minAmps(resolveMasterConfig({ minAmpsPerTWC: 6 })), 6);
  });

  it('its cap is the lower of the per-unit wiring and its own max, in whole amps', () => {
    assert.equal(new SlaveRecord(1, 1, 32.5, 2, 0).capAmps(config), 32);
    assert.equal(new SlaveRecord(1, 1, 80, 2, 0).capAmps(config), 40);
  });

  it('wants power with a car connected or drawing, unless stopped', () => {
    const s = new SlaveRecord(1, 1, 80, 2, 0);
    assert.equal(s.wantsPower(), false, 'ready, no car');
    s.applyHeartbeat(hb(0, 0, 1), 1);
    assert.deepEqual([s.carConnected, s.charging, s.wantsPower()], [false, true, true]);
    s.applyHeartbeat(hb(2, 0, 0), 2);
    assert.deepEqual([s.carConnected, s.wantsPower()], [false, false], 'error: no car');
    s.applyHeartbeat(hb(4, 0, 0), 3);
    assert.equal(s.wantsPower(), true);
    s.chargingStopped = true;
    assert.equal(s.wantsPower(), false);
  });

  it('collects the VIN in three parts while a car is connected, and keeps the last one when it leaves', () => {
    const c = resolveMasterConfig({ vinRetryIntervalMs: 5000, vinMaxAttempts: 2 });
    const s = new SlaveRecord(1, 1, 80, 2, 0);
    assert.equal(s.vinRequestDue(0, c), undefined, 'no car');
    s.applyHeartbeat(hb(4, 0, 0), 100);
    assert.equal(s.vinRequestDue(100, c), 1);
    assert.equal(s.applyVinPart(2, 'XXXXXXX', 110), undefined, 'not the part asked for');
    assert.equal(s.applyVinPart(1, '5YJ3E1E', 120), undefined);
    assert.equal(s.applyVinPart(1, '5YJ3E1E', 121), undefined, 'not awaited any more');
    assert.equal(s.vinRequestDue(121, c), 2);
    assert.equal(s.applyVinPart(2, 'A1KF123', 130), undefined);
    assert.equal(s.vinRequestDue(130, c), 3);
    assert.equal(s.applyVinPart(3, '456', 140), '5YJ3E1EA1KF123456');
    assert.equal(s.vinRequestDue(10_000_000, c), undefined, 'known: not asked again');
    assert.equal(s.snapshot(140, c).currentVIN, '5YJ3E1EA1KF123456');
    s.applyHeartbeat(hb(0, 0, 0), 150);
    const snap = s.snapshot(150, c);
    assert.deepEqual([snap.currentVIN, snap.lastVIN], ['', '5YJ3E1EA1KF123456']);
    assert.equal(s.vinRequestDue(10_000_000, c), undefined, 'car gone: nothing to ask');
  });

  it('a VIN round whose reply never came starts again from part 1 after the retry time, a few times only', () => {
    const c = resolveMasterConfig({ vinRetryIntervalMs: 5000, vinMaxAttempts: 2 });
    const s = new SlaveRecord(1, 1, 80, 2, 0);
    s.applyHeartbeat(hb(4, 0, 0), 0);
    assert.equal(s.vinRequestDue(0, c), 1);
    s.applyVinPart(1, 'ABC', 10);
    assert.equal(s.vinRequestDue(10, c), 2);
    assert.equal(s.vinRequestDue(4999 + 10, c), undefined, 'waiting for part 2');
    assert.equal(s.vinRequestDue(5000 + 10, c), 1, 'part 2 never came: from the start');
    assert.equal(s.vinRequestDue(10_010, c), undefined, 'two attempts used up');
    assert.equal(s.vinRequestDue(100_000, c), undefined);
    s.applyHeartbeat(hb(0, 0, 0), 100_001);
    s.applyHeartbeat(hb(4, 0, 0), 100_002);
    assert.equal(s.vinRequestDue(100_002, c), 1, 'a new car: new attempts');
  });

  it('a car that sends empty VIN parts is not asked again', () => {
    const c = resolveMasterConfig({ vinRetryIntervalMs: 5000 });
    const s = new SlaveRecord(1, 1, 80, 2, 0);
    s.applyHeartbeat(hb(4, 0, 0), 0);
    for (const part of [1, 2, 3] as const) {
      assert.equal(s.vinRequestDue(part, c), part);
      assert.equal(s.applyVinPart(part, '', part), undefined);
    }
    assert.equal(s.vinRequestDue(1_000_000, c), undefined);
    assert.equal(s.snapshot(0, c).currentVIN, '');
  });

  it('protocol 1 units are never asked for a VIN', () => {
    const s = new SlaveRecord(1, 1, 80, 1, 0);
    s.applyHeartbeat(hb(4, 0, 0), 0);
    assert.equal(s.vinRequestDue(0, config), undefined);
  });

  it('the snapshot shows the seconds since it was last heard to a tenth, never negative', () => {
    const s = new SlaveRecord(0x0a0b, 7, 48, 2, 1000, 17);
    assert.equal(s.snapshot(2260, config).secondsSinceLastHeartbeat, 1.3);
    assert.equal(s.snapshot(2240, config).secondsSinceLastHeartbeat, 1.2);
    assert.equal(s.snapshot(500, config).secondsSinceLastHeartbeat, 0);
    const snap = s.snapshot(1000, config);
    assert.deepEqual(
      [
        snap.TWCID,
        snap.sign,
        snap.maxAmps,
        snap.capAmps,
        snap.minAmps,
        snap.lastAmpsOffered,
        snap.lastAmpsSent,
      ],
      ['0A0B', 7, 48, 40, 6, 17, 17],
    );
  });
});

describe('the spike rule', () => {
  const unit = (maxAmps: number) => {
    const s = new SlaveRecord(1, 1, maxAmps, 2, 0);
    s.applyHeartbeat(hb(4, 0, 0), 0);
    return s;
  };

  it('21 A for an 80 A unit, 16 A below that, or what is configured', () => {
    assert.equal(spikeAmpsFor(unit(80), config), 21);
    assert.equal(spikeAmpsFor(unit(79), config), 16);
    assert.equal(spikeAmpsFor(unit(80), resolveMasterConfig({ spikeAmpsToCancel6ALimit: 19 })), 19);
  });

  it('a raise below the spike goes through it for 5 s; not when already there or above', () => {
    const s = unit(48);
    assert.equal(withSpike(s, 10, 1000, config), 16);
    assert.equal(withSpike(s, 10, 5999, config), 16);
    assert.equal(withSpike(s, 10, 6000, config), 10, 'after 5 s: the target');
    s.wire.sent(10);
    assert.equal(withSpike(s, 12, 7000, config), 16, 'a raise again');
    assert.equal(withSpike(s, 16, 7100, config), 16, 'at the spike: no hold');
    assert.equal(s.spikeStartedAt, undefined);
    s.wire.sent(12);
    assert.equal(withSpike(s, 12, 8000, config), 12, 'no raise over what was sent');
    assert.equal(withSpike(s, 0, 8100, config), 0);
  });

  it('no spike without a car, for a target the unit already shows, or with the spike off', () => {
    const empty = new SlaveRecord(1, 1, 48, 2, 0);
    assert.equal(withSpike(empty, 10, 0, config), 10);
    const showing = unit(48);
    showing.applyHeartbeat(hb(4, 10, 0), 1);
    assert.equal(withSpike(showing, 10, 2, config), 10);
    assert.equal(withSpike(showing, 11, 3, config), 16);
    assert.equal(withSpike(unit(48), 10, 0, resolveMasterConfig({ spikeAmpsToCancel6ALimit: 0 })), 10);
  });
});
