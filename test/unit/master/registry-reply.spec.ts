import assert from 'node:assert/strict';
import { resolveMasterConfig } from '../../../src/master/config';
import { SlaveRegistry } from '../../../src/master/slave-registry';
import type { SlaveHeartbeat } from '../../../src/protocol/messages';

const config = resolveMasterConfig({ wiringMaxAmpsAllTWCs: 50, wiringMaxAmpsPerTWC: 40, minAmpsPerTWC: 12 });
const reply = (limitAmps: number, actualAmps: number): SlaveHeartbeat => ({
  kind: 'slaveHeartbeat',
  sender: 1,
  receiver: 0x7777,
  state: 4,
  limitAmps,
  actualAmps,
  version: 2,
});

describe('SlaveRegistry.reply: timeliness', () => {
  it('a reply not said to be timely does not count toward confirming a 0', () => {
    const r = new SlaveRegistry(config);
    r.linkReady({ kind: 'slaveLinkReady', sender: 1, sign: 3, maxAmps: 32, version: 2 }, 0);
    r.candidates.probed(1);
    assert.equal(r.reply(reply(0, 0), 0)?.kind, 'added');
    const s = r.get(1)!;
    s.wire.sent(22);
    s.heartbeatsSent = 1;
    r.reply(reply(22, 0), 1000, true);
    s.wire.sent(0);
    const at = (n: number): number => {
      s.heartbeatsSent = n;
      return n * 1000;
    };
    r.reply(reply(22, 0), at(2));
    r.reply(reply(22, 0), at(3), true);
    r.reply(reply(22, 0), at(4), true);
    assert.equal(s.lastAmpsOffered, 22, 'two timely replies: the 22 A may still be in force');
    r.reply(reply(22, 0), at(5), true);
    assert.equal(s.lastAmpsOffered, 0);
  });
});
