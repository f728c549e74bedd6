/** "C0 FB E0 …": how bytes appear in logs, in docs/protocol.md and in tests. */
export function formatHex(bytes: Uint8Array | readonly number[]): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/** The inverse of formatHex; spaces are optional. Throws on anything that is not hex pairs. */
export function parseHex(text: string): Uint8Array {
  // Stryker: the /\s/g mutant of /\s+/g is equivalent: a global replace removes every blank either way.
  // Stryker disable next-line Regex: equivalent, see above
  const compact = text.replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(compact)) throw new Error(`not hex bytes: ${text}`);
  const out = new Uint8Array(compact.length / 2);
  // Stryker: `i <= out.length` is equivalent: a typed array ignores the write one past its end.
  // Stryker disable next-line EqualityOperator: equivalent, see above
  for (let i = 0; i < out.length; i++) out[i] = parseInt(compact.slice(i * 2, i * 2 + 2), 16);
  return out;
}
