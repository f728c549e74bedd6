import { createHash } from 'node:crypto';
import * as os from 'node:os';

/**
 * getUUID: like TWCManager's uuid.getnode(), the machine's MAC address as a decimal number, so Home
 * Assistant keeps the same device across restarts and redeploys. The lowest non-internal MAC is used so the
 * answer does not depend on interface order; without one, a number derived from the host name.
 */
export function hostUuid(interfaces = os.networkInterfaces(), hostname = os.hostname()): string {
  const macs = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => !i.internal && i.mac && i.mac !== '00:00:00:00:00:00')
    .map((i) => i.mac.toLowerCase())
    .sort();
  if (macs.length > 0) return BigInt('0x' + macs[0].replace(/:/g, '')).toString(10);
  // A locally administered 48-bit number, as getnode() makes when it finds no MAC.
  const h = createHash('sha256').update(hostname).digest();
  return ((BigInt('0x' + h.subarray(0, 6).toString('hex')) | 0x010000000000n) & 0xffffffffffffn).toString(10);
}
