import assert from 'node:assert/strict';
import { pythonBytesRepr } from '../../../src/api/last-response';
import { ManualClock } from '../../../src/clock';
import { TwcMaster } from '../../../src/master/engine';
import { encodeFrame } from '../../../src/protocol';
import { FakeTransport } from '../../support/fake-transport';

describe('getLastTWCResponse: the last unusual frame from the bus', () => {
  it('keeps the last non-routine frame and ignores link-ready, heartbeats and kWh reports', () => {
    const clock = new ManualClock(0);
    const transport = new FakeTransport();
    const master = new TwcMaster({
      transport,
      clock,
      config: { wiringMaxAmpsAllTWCs: 32, wiringMaxAmpsPerTWC: 32 },
    });
    master.start();
    assert.equal(pythonBytesRepr(master.lastUnusualFrame()), 'None');
    const routine = [
      encodeFrame({ kind: 'slaveLinkReady', sender: 0x4142, sign: 0x77, maxAmps: 32, version: 2 }),
      encodeFrame({
        kind: 'kwhReport',
        sender: 0x4142,
        lifetimeKwh: 1234,
        voltsPhaseA: 240,
        voltsPhaseB: 0,
        voltsPhaseC: 0,
        ampsPhaseA: 0,
        ampsPhaseB: 0,
        ampsPhaseC: 0,
      }),
    ];
    for (const f of routine) transport.receive(f);
    clock.advance(100);
    assert.equal(master.lastUnusualFrame(), undefined, 'routine frames do not count');
    transport.receive(encodeFrame({ kind: 'vinReply', part: 1, sender: 0x4142, text: '5YJ3E1E' }));
    clock.advance(100);
    const kept = master.lastUnusualFrame();
    assert.ok(kept);
    assert.equal(kept[0], 0xfd);
    assert.equal(kept[1], 0xee, 'the VIN part 1 reply (FD EE)');
    assert.match(pythonBytesRepr(kept), /^bytearray\(b'\\xfd\\xeeAB5YJ3E1E/);
    void master.stop();
  });
});
