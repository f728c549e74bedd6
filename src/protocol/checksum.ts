/**
 * Sum of every byte after the class byte, modulo 256 (docs/protocol.md §2.3); `body` is the message without
 * its checksum.
 */
export function checksum(body: Uint8Array): number {
  let sum = 0;
  for (let i = 1; i < body.length; i++) sum += body[i];
  return sum & 0xff;
}

/** True when the last byte of `message` is the checksum of the bytes before it. */
export function hasValidChecksum(message: Uint8Array): boolean {
  return (
    message.length >= 2 && checksum(message.subarray(0, message.length - 1)) === message[message.length - 1]
  );
}
