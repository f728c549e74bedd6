import type { SlaveHeartbeat } from '../../../src/protocol/messages';

/** A heartbeat reply from unit 4142 to our 7777 (protocol 2), for the SlaveRecord specs. */
export const hb = (state: number, limitAmps: number, actualAmps: number): SlaveHeartbeat => ({
  kind: 'slaveHeartbeat',
  sender: 0x4142,
  receiver: 0x7777,
  state,
  limitAmps,
  actualAmps,
  version: 2,
});
