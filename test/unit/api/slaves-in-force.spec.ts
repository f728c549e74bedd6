import assert from 'node:assert/strict';
import { getSlaveTWCs, type InstallationSettings } from '../../../src/api';
import { scriptedMaster } from '../master/scripted-slaves';

const install = {
  defaultVoltage: 230,
  numberOfPhases: 1,
} as InstallationSettings;

describe('getSlaveTWCs: lastAmpsOffered is the limit in force on the wire', () => {
  it('shows the old, higher limit of a unit that has not confirmed a lowering, and the total of both', () => {
    const { clock, bus, master } = scriptedMaster({
      wiringMaxAmpsAllTWCs: 50,
      wiringMaxAmpsPerTWC: 40,
      minAmpsPerTWC: 12,
      spikeAmpsToCancel6ALimit: 0,
    });
    master.setAvailableAmps(50);
    master.start();
    clock.advance(1100);
    bus.add(0x4142, { maxAmps: 80, state: 1, actual: 40, staleEcho: true });
    bus.linkReady(0x4142);
    clock.advance(5000);
    bus.add(0x4243, { maxAmps: 32, state: 1, actual: 30 });
    bus.linkReady(0x4243);
    clock.advance(8000);
    const view = getSlaveTWCs(master.snapshot(), install);
    assert.equal(bus.slaves.get(0x4142)!.obeyed, 25, 'the unit itself obeys its new share');
    assert.equal(view['4142'].lastAmpsOffered, 40, 'but has not shown it: 40 A stay in force');
    assert.equal(view['4243'].lastAmpsOffered, 0, 'the 10 A left beside it are below the 12 A minimum');
    assert.equal(view.total.lastAmpsOffered, 40);
  });
});
