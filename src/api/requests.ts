/**
 * Validation of command inputs as TWCManager's API takes them: a JSON body whatever its type (object,
 * JSON text, raw Buffer), numbers that may arrive as numeric strings, and a 400 reason otherwise.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Turns a payload (object, JSON text or Buffer, possibly empty) into an object; '' and empty mean {}. */
export function bodyObject(payload: unknown): Parsed<Record<string, unknown>> {
  let value = payload;
  if (Buffer.isBuffer(value)) value = value.toString('utf8');
  if (typeof value === 'string') {
    if (value.trim() === '') return { ok: true, value: {} };
    try {
      value = JSON.parse(value);
    } catch {
      return { ok: false, error: 'the body is not valid JSON' };
    }
  }
  if (value === undefined || value === null) return { ok: true, value: {} };
  if (typeof value !== 'object' || Array.isArray(value))
    return { ok: false, error: 'the body must be a JSON object' };
  return { ok: true, value: value as Record<string, unknown> };
}

/** Like Python's int(): whole-number strings, or numbers truncated; anything else is not a number. */
export function integerLike(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return parseInt(value, 10);
  return undefined;
}

/** A finite number, also from a numeric string ("1234.5"). */
export function numberLike(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

export interface ChargeNowRequest {
  rate: number;
  duration: number;
}

export function parseChargeNow(payload: unknown): Parsed<ChargeNowRequest> {
  const body = bodyObject(payload);
  if (!body.ok) return body;
  const rate = integerLike(body.value.chargeNowRate);
  const duration = integerLike(body.value.chargeNowDuration);
  if (rate === undefined) return { ok: false, error: 'chargeNowRate must be a whole number of amps' };
  if (duration === undefined)
    return { ok: false, error: 'chargeNowDuration must be a whole number of seconds' };
  if (rate <= 0) return { ok: false, error: 'chargeNowRate must be greater than 0' };
  if (duration <= 0) return { ok: false, error: 'chargeNowDuration must be greater than 0' };
  return { ok: true, value: { rate, duration } };
}

export interface GreenEnergyRequest {
  generationW: number;
  consumptionW: number;
}

export function parseGreenEnergy(payload: unknown): Parsed<GreenEnergyRequest> {
  const body = bodyObject(payload);
  if (!body.ok) return body;
  const generationW = numberLike(body.value.generationW);
  const consumptionW = numberLike(body.value.consumptionW ?? 0);
  if (generationW === undefined) return { ok: false, error: 'generationW must be a number of watts' };
  if (consumptionW === undefined) return { ok: false, error: 'consumptionW must be a number of watts' };
  if (generationW < 0 || consumptionW < 0)
    return { ok: false, error: 'generationW and consumptionW must not be negative' };
  return { ok: true, value: { generationW, consumptionW } };
}

/** An optional TWCID in the body ({"TWCID": "4142"}); undefined means all Wall Connectors. */
export function parseTargetTwc(payload: unknown): Parsed<number | undefined> {
  const body = bodyObject(payload);
  if (!body.ok) return body;
  const raw = body.value.TWCID ?? body.value.twcid;
  if (raw === undefined || raw === '' || raw === null) return { ok: true, value: undefined };
  const m = typeof raw === 'string' ? /^(?:0x)?([0-9a-f]{4})$/i.exec(raw.trim()) : null;
  if (!m) return { ok: false, error: 'TWCID must be four hexadecimal digits, e.g. "4142"' };
  return { ok: true, value: parseInt(m[1], 16) };
}
