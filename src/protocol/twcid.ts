import type { TwcId } from './messages';

/**
 * "0041" for 0x41: four upper-case hex digits, the form TWCManager's API, its logs and the units' serial
 * numbers use. Masked to 16 bits so that a stray wider number still prints as an ID.
 */
export function formatTwcId(id: TwcId): string {
  return (id & 0xffff).toString(16).toUpperCase().padStart(4, '0');
}

/** Whether `value` is a TWCID as a number: a whole number that fits the two ID bytes. */
export function isTwcId(value: unknown): value is TwcId {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0xffff;
}

/**
 * The TWCID in `text`: four hex digits in either case, optionally after "0x", blanks around ignored
 * ("4142", " 0x41aB "). Undefined for anything else. The API, the node's settings and the simulator's
 * command line all read IDs with this, so an ID one of them takes is taken by all.
 */
export function parseTwcId(text: string): TwcId | undefined {
  const m = /^(?:0x)?([0-9a-f]{4})$/i.exec(text.trim());
  return m ? parseInt(m[1], 16) : undefined;
}
