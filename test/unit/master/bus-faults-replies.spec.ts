import assert from 'node:assert/strict';
import { busStatus } from '../../../src/nodes/node-status';
import { english } from '../../../src/nodes/i18n';
import type { MasterHeartbeat } from '../../../src/protocol/messages';
import { A, B, cadence, setup } from './fault-setup';
import type { ScriptedSlaves } from './scripted-slaves';

function limitsTo(bus: ScriptedSlaves, id: number, from = 0): { command: number; amps: number }[] {
  return bus
    .heartbeatsTo(id)
    .filter((h) => h.at >= from)
    .map((h) => h.msg as MasterHeartbeat);
}

describe('the engine under bus faults (scripted units, fake clock)', () => {
  it('a unit echoing a stale limit: every lowering is a set-limit, repeated, and the old limit stays in force', () => {
    const { clock, bus, master, breaches, link, warnings } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    const a = link(A, { staleEcho: true });
    clock.advance(5000);
    assert.equal(a.obeyed, 40, 'alone, A gets its per-unit cap');
    const joined = clock.now();
    link(B, {});
    clock.advance(10000);
    const toA = limitsTo(bus, A, joined);
    const lowered = toA.findIndex((m) => m.amps === 25);
    assert.ok(
      lowered >= 0,
      `A is lowered to its share: ${toA.map((m) => `${m.command}/${m.amps}`).join(' ')}`,
    );
    assert.ok(
      toA.slice(lowered).every((m) => m.command === 0x09 && m.amps === 25),
      'never a keep-alive while A shows the old limit',
    );
    const snapA = master.snapshot().slaves.find((s) => s.id === A)!;
    assert.deepEqual([snapA.lastAmpsSent, snapA.lastAmpsOffered], [25, 40], 'in force: the unconfirmed 40');
    const b = bus.slaves.get(B)!;
    assert.ok(b.obeyed <= 10, `B gets only what fits beside A's 40 in force: ${b.obeyed}`);
    assert.deepEqual(breaches, []);
    assert.equal(warnings.filter((w) => w.code === 'unconfirmedLimit').length, 0, 'not yet after 10 s');
    clock.advance(25000);
    const said = warnings.filter((w) => w.code === 'unconfirmedLimit');
    assert.equal(said.length, 1);
    assert.match(said[0].message, /4142 has not shown its new limit of 25 A for 3\d s; its 40 A still count/);
  });

  it('a lost lowering is sent again and its old limit is counted until the echo shows the new one', () => {
    const { clock, bus, master, breaches, link } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    const a = link(A, { lossEvery: 2 });
    clock.advance(6000);
    link(B, {});
    clock.advance(12000);
    assert.equal(a.obeyed, 25, 'A follows in the end');
    assert.equal(bus.slaves.get(B)!.obeyed, 25);
    assert.deepEqual(breaches, []);
  });

  it('a unit answering 2 s late links, keeps a heartbeat a second, and never counts as two units', () => {
    const { clock, master, warnings, breaches, link, heartbeatTimes } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    link(A, { replyDelayMs: 2000 });
    link(B, {});
    clock.advance(30000);
    assert.deepEqual(
      master.snapshot().slaves.map((s) => s.TWCID),
      ['4243', '4142'],
      'both linked (the late one when its answer came)',
    );
    for (const id of [A, B]) {
      const c = cadence(heartbeatTimes(id, 12000));
      assert.ok(c.mean <= 1200 && c.max < 5000, `${id.toString(16)}: ${JSON.stringify(c)}`);
    }
    assert.deepEqual(master.snapshot().alerts, []);
    assert.equal(warnings.filter((w) => w.code === 'duplicateId').length, 0);
    assert.deepEqual(breaches, []);
  });

  it('a unit whose lateness varies answers twice in one round, and is still not taken for two units', () => {
    const { clock, bus, master, warnings, link } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    // Replies to successive heartbeats 1.7 s and 0.4 s late: two land 300 ms apart between two heartbeats.
    const a = link(A, { replyDelays: [1700, 400] });
    for (let i = 0; i < 40; i++) {
      a.actual = 20 + (i % 7);
      clock.advance(250);
    }
    assert.ok(
      master.snapshot().slaves.some((s) => s.id === A),
      'linked',
    );
    assert.deepEqual(master.snapshot().alerts, []);
    assert.equal(warnings.filter((w) => w.code === 'duplicateId').length, 0);
    assert.ok(bus.slaves.get(A)!.obeyed > 0, 'and served');
  });

  it('identical double answers count too: twins with the same cars answer alike until both draw', () => {
    const { clock, bus, master, warnings, link } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    const a = link(A, { doubled: true });
    clock.advance(10000);
    assert.ok(master.busStats().doubledReplies >= 8, `doubled: ${master.busStats().doubledReplies}`);
    assert.deepEqual(master.snapshot().alerts, [{ code: 'duplicateId', message: 'two answers as 4142' }]);
    assert.equal(warnings.filter((w) => w.code === 'duplicateId').length, 1);
    assert.equal(a.obeyed, 0, 'no amps for an ID two units may share');
    a.doubled = false;
    clock.advance(70000);
    assert.deepEqual(master.snapshot().alerts, []);
    assert.equal(bus.slaves.get(A)!.obeyed, 40, 'served again a minute after the doubles stopped');
  });

  it('two units with one TWCID: a warning, a red status, 0 A for both, and back once one is gone', () => {
    const { clock, bus, master, warnings, link } = setup();
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    const a = link(A, { actual: 30, twinActual: 12 });
    link(B, {});
    clock.advance(8000);
    assert.equal(warnings.filter((w) => w.code === 'duplicateId').length, 1, 'warned once');
    assert.match(
      warnings.find((w) => w.code === 'duplicateId')!.message,
      /two answers as 4142 to one heartbeat: two Wall Connectors share this TWCID/,
    );
    const snap = master.snapshot();
    assert.deepEqual(snap.alerts, [{ code: 'duplicateId', message: 'two answers as 4142' }]);
    assert.deepEqual(busStatus({ snapshot: snap, facts: [] }, english), {
      fill: 'red',
      shape: 'ring',
      text: 'two answers as 4142',
    });
    assert.equal(snap.slaves.find((s) => s.id === A)?.duplicateId, true);
    assert.equal(a.obeyed, 0, 'the shared ID gets 0 A: both units would obey it');
    assert.equal(bus.slaves.get(B)!.obeyed, 40, 'the other unit is served');
    a.twinActual = undefined;
    clock.advance(70000);
    assert.deepEqual(master.snapshot().alerts, [], 'cleared a while after the second unit went');
    assert.ok(a.obeyed >= 12, `served again: ${a.obeyed}`);
  });
});
