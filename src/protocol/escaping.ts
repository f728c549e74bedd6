import { ESCAPE, ESCAPED_DELIMITER, ESCAPED_ESCAPE, FRAME_DELIMITER } from './constants';

/** SLIP escaping of a whole message, checksum included (docs/protocol.md §2.2): C0 → DB DC, DB → DB DD. */
export function escape(message: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (const b of message) {
    if (b === FRAME_DELIMITER) out.push(ESCAPE, ESCAPED_DELIMITER);
    else if (b === ESCAPE) out.push(ESCAPE, ESCAPED_ESCAPE);
    else out.push(b);
  }
  return Uint8Array.from(out);
}
