import type { TwcId } from '../protocol/messages';
import { formatTwcId } from '../protocol/twcid';

/** ISO 3779 / North American check-digit weights per position; position 9 is the check digit itself. */
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** Letters stand for digits in the check sum; I, O and Q never appear in a VIN (they look like 1 and 0). */
const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const LETTER_VALUES = '12345678123457923456789';

function valueOf(c: string): number {
  if (c >= '0' && c <= '9') return Number(c);
  const i = LETTERS.indexOf(c);
  if (i < 0 || c.length !== 1) throw new RangeError(`"${c}" cannot appear in a VIN`);
  return Number(LETTER_VALUES[i]);
}

/** The check digit (position 9) a 17-character VIN must carry; whatever is at position 9 now is ignored. */
export function vinCheckDigit(vin: string): string {
  if (vin.length !== 17) throw new RangeError(`a VIN has 17 characters, not ${vin.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += valueOf(vin[i]) * WEIGHTS[i];
  const rest = sum % 11;
  return rest === 10 ? 'X' : String(rest);
}

/**
 * A valid, deterministic VIN per slave: a Model 3 prefix, its check digit, and the TWCID in the serial
 * part so that each slave's VIN is its own. Masters such as TWCManager re-ask for a VIN whose check
 * digit is wrong, so a made-up one must still be well formed.
 */
export function simulatedVin(id: TwcId): string {
  const draft = `5YJ3E1EA0SF${formatTwcId(id)}01`;
  return draft.slice(0, 8) + vinCheckDigit(draft) + draft.slice(9);
}
