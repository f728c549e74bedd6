import type { TwcId } from '../protocol/messages';

/** A TWCID as logs, serial numbers and messages show it: four upper-case hex digits, "0041" for 0x41. */
export function formatTwcId(id: TwcId): string {
  return (id & 0xffff).toString(16).toUpperCase().padStart(4, '0');
}
