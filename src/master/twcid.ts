import type { TwcId } from '../protocol/messages';

/** "4142" for 0x4142: the form TWCManager's API and logs use. */
export function formatTwcId(id: TwcId): string {
  return id.toString(16).toUpperCase().padStart(4, '0');
}

/** Accepts "4142", "0x4142" or the number itself; undefined when it is not a 16-bit ID. */
export function parseTwcId(value: unknown): TwcId | undefined {
  if (typeof value === 'number')
    return Number.isInteger(value) && value >= 0 && value <= 0xffff ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^(?:0x)?([0-9a-f]{4})$/i.exec(value.trim());
  return m ? parseInt(m[1], 16) : undefined;
}
