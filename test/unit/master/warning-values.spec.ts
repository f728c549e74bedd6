import assert from 'node:assert/strict';
import { busWarnings, unconfirmedLimitWarning } from '../../../src/master/bus-warnings';
import { resolveMasterConfig } from '../../../src/master/config';
import { SlaveRecord } from '../../../src/master/slave-record';
import type { MasterWarning } from '../../../src/master/types';
import { english } from '../../../src/nodes/i18n';

/** The node locale's English for a warning, filled with the warning's own values. */
const translated = (w: MasterWarning): string => english(`warning.${w.code}`, w.values);

describe('engine warnings carry their values, and the node locale says them as the engine does', () => {
  const config = resolveMasterConfig({ wiringMaxAmpsAllTWCs: 80, wiringMaxAmpsPerTWC: 40, minAmpsPerTWC: 6 });

  it('each builder: the values named, and the English catalog text filled with them is the message', () => {
    const unit = new SlaveRecord(0x4142, 0x2a, 32, 2, 0);
    const warnings: [MasterWarning, Record<string, string | number>][] = [
      [busWarnings.duplicateId(0x4142), { twcid: '4142' }],
      [busWarnings.busFull(0x0041, 3), { twcid: '0041', maxSlaves: 3 }],
      [busWarnings.idCollision(0x7777), { twcid: '7777' }],
      [busWarnings.otherMaster(0xabcd), { twcid: 'ABCD' }],
      [busWarnings.wiringAboveUnitMax(unit, config), { wiring: 40, twcid: '4142', unitMax: 32, cap: 32 }],
    ];
    for (const [w, values] of warnings) {
      assert.deepEqual(w.values, values, w.code);
      assert.equal(translated(w), w.message, w.code);
    }
  });

  it('an unconfirmed lowering: the unit, the limits and the seconds, worded as the catalog words it', () => {
    const unit = new SlaveRecord(0x4243, 0x2a, 32, 2, 0, 20);
    unit.wire.sent(10);
    assert.equal(unconfirmedLimitWarning(unit, 1000), undefined);
    const w = unconfirmedLimitWarning(unit, 32_600);
    assert.ok(w);
    assert.deepEqual(w.values, { twcid: '4243', sent: 10, seconds: 32, inForce: 20 });
    assert.equal(
      w.message,
      '4243 has not shown its new limit of 10 A for 32 s; its 20 A still count against the wiring limit',
    );
    assert.equal(translated(w), w.message);
  });
});
