import assert from 'node:assert/strict';
import { pythonBytesRepr } from '../../../src/api/last-response';
import { hostUuid } from '../../../src/api/host-uuid';

describe('text answers: getLastTWCResponse and getUUID', () => {
  it('writes bytes as Python’s str() of a bytearray, or None', () => {
    assert.equal(pythonBytesRepr(undefined), 'None');
    assert.equal(pythonBytesRepr(new Uint8Array()), "bytearray(b'')");
    assert.equal(
      pythonBytesRepr(Uint8Array.from([0xfd, 0x1b, 0x41, 0x42, 0x27, 0x5c, 0x0a, 0x00, 0x7f])),
      String.raw`bytearray(b'\xfd\x1bAB\'\\\n\x00\x7f')`,
    );
  });

  it('getUUID: the lowest real MAC as a decimal number, stable, else one from the host name', () => {
    const nic = (mac: string, internal = false) => ({
      address: '10.0.0.2',
      netmask: '255.0.0.0',
      family: 'IPv4' as const,
      mac,
      internal,
      cidr: null,
    });
    const interfaces = {
      lo: [nic('00:00:00:00:00:00', true)],
      eth1: [nic('02:00:00:00:00:02')],
      eth0: [nic('00:1a:2b:3c:4d:5e')],
    };
    assert.equal(hostUuid(interfaces, 'h'), String(0x001a2b3c4d5e));
    assert.equal(hostUuid({ eth0: interfaces.eth0, eth1: interfaces.eth1 }, 'other'), String(0x001a2b3c4d5e));
    const noMac = hostUuid({ lo: interfaces.lo }, 'garage-pi');
    assert.match(noMac, /^\d+$/);
    assert.equal(hostUuid({ lo: interfaces.lo }, 'garage-pi'), noMac);
    assert.notEqual(hostUuid({ lo: interfaces.lo }, 'another-pi'), noMac);
    assert.ok(BigInt(noMac) < 2n ** 48n);
  });
});
