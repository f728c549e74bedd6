import type { SlaveSnapshot } from '../../../src/master/slave-record';
import { INSTALL, masterSnapshot } from '../../support/master-snapshot';
import type { BusView } from '../../../src/mqtt/topics';

export const install = INSTALL;

export function busView(slaves: SlaveSnapshot[], open = true, extra: Partial<BusView> = {}): BusView {
  return {
    snapshot: masterSnapshot(slaves, open),
    install,
    currentPolicy: 'Non Scheduled Charging',
    maxAmpsForSlaves: 0,
    chargeNowAmps: undefined,
    ...extra,
  };
}
