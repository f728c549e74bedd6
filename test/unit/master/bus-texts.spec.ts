import assert from 'node:assert/strict';
import { busWarnings } from '../../../src/master/bus-warnings';
import { totalsOf } from '../../../src/master/types';
import { WarningThrottle } from '../../../src/master/warning-throttle';
import type { SlaveSnapshot } from '../../../src/master/slave-record';
import { slaveSnapshot } from '../../support/slave-snapshot';

const unit = (over: Partial<SlaveSnapshot>): SlaveSnapshot => slaveSnapshot('4142', over);

describe('bus totals, warning texts and their throttle', () => {
  it('totals count cars connected and charging separately, and keep actual amps to the centiamp', () => {
    const t = totalsOf([
      unit({
        carConnected: true,
        charging: true,
        reportedAmpsActual: 10.004,
        maxAmps: 80,
        lastAmpsOffered: 16,
        lifetimekWh: 3,
      }),
      unit({
        carConnected: true,
        charging: false,
        reportedAmpsActual: 0.333,
        maxAmps: 32,
        lastAmpsOffered: 12,
        lifetimekWh: 4,
      }),
      unit({
        carConnected: false,
        charging: false,
        reportedAmpsActual: 0.01,
        maxAmps: 40,
        lastAmpsOffered: 0,
        lifetimekWh: 5,
      }),
    ]);
    assert.deepEqual(t, {
      slaves: 3,
      carsConnected: 2,
      carsCharging: 1,
      maxAmps: 152,
      reportedAmpsActual: 10.35,
      lastAmpsOffered: 28,
      lifetimekWh: 12,
    });
  });

  it('every warning names the unit by its four hex digits and says what happens', () => {
    assert.deepEqual(busWarnings.busFull(0x0041, 3), {
      code: 'busFull',
      message: 'ignoring Wall Connector 0041: at most 3 slaves share one master',
      values: { twcid: '0041', maxSlaves: 3 },
    });
    assert.deepEqual(busWarnings.idCollision(0x7777), {
      code: 'idCollision',
      message: 'a Wall Connector uses our ID 7777; asking it to change',
      values: { twcid: '7777' },
    });
    assert.deepEqual(busWarnings.otherMaster(0xabcd), {
      code: 'otherMaster',
      message: 'another master (ABCD) is talking on the bus',
      values: { twcid: 'ABCD' },
    });
    assert.match(busWarnings.duplicateId(0x4142).message, /^two answers as 4142 to one heartbeat: .* 0 A/);
  });

  it('the throttle lets a text through once a minute, and forgets quiet texts once it holds many', () => {
    const t = new WarningThrottle();
    assert.equal(t.allow('duplicateId', 'x', 0), true);
    assert.equal(t.allow('duplicateId', 'x', 59_999), false);
    assert.equal(t.allow('duplicateId', 'x', 60_000), true);
    // Flood-prone codes are throttled by code, whatever the text.
    assert.equal(t.allow('busFull', 'a', 0), true);
    assert.equal(t.allow('busFull', 'b', 1), false);
    const saidAt = (t as unknown as { saidAt: Map<string, number> }).saidAt;
    // 300 texts at 1 s each: once the map grows past 256, the quiet ones go and the recent ones stay.
    for (let i = 0; i < 300; i++) t.allow('duplicateId', `t${i}`, 100_000 + i * 1000);
    assert.ok(saidAt.size <= 257, `size ${saidAt.size}`);
    assert.equal(saidAt.has('x'), false, 'a text quiet for minutes is forgotten');
    assert.ok(saidAt.has('t299') && saidAt.has('t250'), 'the recent ones are kept');
    // A text said exactly a minute ago is quiet again, so it is forgotten too.
    const u = new WarningThrottle();
    const uAt = (u as unknown as { saidAt: Map<string, number> }).saidAt;
    for (let i = 0; i < 256; i++) u.allow('duplicateId', `u${i}`, i === 0 ? 0 : 60_000);
    assert.equal(uAt.size, 256, 'no pruning at 256');
    u.allow('duplicateId', 'last', 60_000);
    assert.equal(uAt.has('u0'), false, 'said 60 s before: forgotten');
    assert.equal(uAt.size, 256);
  });
});
