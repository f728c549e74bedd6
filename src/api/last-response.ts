/**
 * GET /api/getLastTWCResponse is Python's str() of a bytearray, or `None`; the Debug page of TWCManager
 * shows it as it is, so we write the same form.
 */
export function pythonBytesRepr(bytes: Uint8Array | undefined): string {
  if (!bytes) return 'None';
  let body = '';
  for (const b of bytes) {
    if (b === 0x5c) body += '\\\\';
    else if (b === 0x27) body += "\\'";
    else if (b === 0x09) body += '\\t';
    else if (b === 0x0a) body += '\\n';
    else if (b === 0x0d) body += '\\r';
    else if (b >= 0x20 && b < 0x7f) body += String.fromCharCode(b);
    else body += '\\x' + b.toString(16).padStart(2, '0');
  }
  return `bytearray(b'${body}')`;
}
