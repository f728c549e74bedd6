import assert from 'node:assert/strict';
import { distinctLimitsMaster, scriptedMaster } from './scripted-slaves';

const A = 0x4142;
const B = 0x4243;

/** Wiring 50 total, 40 per unit, minimum 12; two units with cars that want power. */
function twoCharging(config = {}) {
  const rig = distinctLimitsMaster(config);
  rig.master.setAvailableAmps(30);
  rig.master.start();
  rig.clock.advance(1100);
  for (const id of [A, B]) {
    rig.bus.add(id, { state: 1, actual: 0, replyDelayMs: 5 });
    rig.bus.linkReady(id);
  }
  rig.clock.advance(20_000);
  return rig;
}

describe('start and stop commands reach the limits, one unit at a time', () => {
  it('a stopped unit is held at 0 A until it is started again; the other takes the freed amps', () => {
    const rig = twoCharging();
    const unit = (id: number) => rig.bus.slaves.get(id)!;
    const snap = (id: number) => rig.master.slaveSnapshots().find((s) => s.id === id)!;
    // What the units really obey (the last set-limit each heard), not what a keep-alive carries.
    assert.deepEqual([unit(A).obeyed, unit(B).obeyed], [15, 15]);
    rig.master.stopCharging(A);
    rig.clock.advance(10_000);
    assert.equal(unit(A).obeyed, 0, 'A obeys 0 A after the stop');
    assert.deepEqual([snap(A).chargingStopped, snap(A).lastAmpsOffered], [true, 0]);
    assert.equal(unit(B).obeyed, 30, 'B takes the whole 30 A (under its 40 A per unit)');
    assert.ok(rig.bus.sentKinds().includes('stopCharging'));
    rig.master.startCharging(A);
    rig.clock.advance(10_000);
    assert.equal(unit(A).obeyed, 15, 'A is offered again after the start');
    assert.equal(snap(A).chargingStopped, false);
  });

  it('when the last unit is dropped, the link-ready rounds start again at once, not at the next round', () => {
    // A short timeout drops the unit long before the idle round's 10 s come round again.
    const rig = scriptedMaster({ slaveTimeoutMs: 2000 });
    rig.master.start();
    rig.clock.advance(1100);
    rig.bus.add(A, { replyDelayMs: 5 });
    rig.bus.linkReady(A);
    rig.clock.advance(1500);
    assert.equal(rig.master.slaveSnapshots().length, 1);
    rig.bus.slaves.get(A)!.silent = true;
    let removedAt = 0;
    rig.master.on('slaveRemoved', () => (removedAt = rig.clock.now()));
    rig.clock.advance(5000);
    assert.ok(removedAt > 0 && removedAt < 1000 + 1100 + 10_000, `removed at ${removedAt}`);
    const next = rig.bus.sent.find((s) => s.at >= removedAt && s.msg.kind.startsWith('masterLinkReady'));
    assert.ok(
      next && next.at - removedAt < 50,
      `link-ready ${next ? next.at - removedAt : 'never'} ms after`,
    );
  });
});
