/**
 * Reading command inputs as TWCManager's API takes them: a JSON body whatever its type (object, JSON text,
 * raw Buffer), numbers that may arrive as numeric strings, and a 400 reason when a field cannot be read as
 * what it should be. Whether a value is allowed (a rate above 0, watts not negative) is the policy's rule
 * (src/policy/charge-policy.ts), checked there once for the API and for flows calling the policy alike.
 */

import { DAY_NAMES, type ScheduleUpdate } from '../policy/charge-policy';
import { parseTwcId } from '../protocol/twcid';

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
  return { ok: true, value: { generationW, consumptionW } };
}

/** An optional TWCID in the body ({"TWCID": "4142"}); undefined means all Wall Connectors. */
export function parseTargetTwc(payload: unknown): Parsed<number | undefined> {
  const body = bodyObject(payload);
  if (!body.ok) return body;
  const raw = body.value.TWCID ?? body.value.twcid;
  if (raw === undefined || raw === '' || raw === null) return { ok: true, value: undefined };
  const id = typeof raw === 'string' ? parseTwcId(raw) : undefined;
  if (id === undefined) return { ok: false, error: 'TWCID must be four hexadecimal digits, e.g. "4142"' };
  return { ok: true, value: id };
}

/** Like Python's float(), plus JSON's `true`/`false` as 1/0. */
function floatLike(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return numberLike(value);
}

/** `true`, `false`, 1/0, or the strings "true"/"false"/"1"/"0"/"on"/"off" (not Python's bool("false")). */
function booleanLike(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (['true', '1', 'on', 'yes'].includes(v)) return true;
    if (['false', '0', 'off', 'no', ''].includes(v)) return false;
  }
  return undefined;
}

export interface OffsetRequest {
  name: string;
  value: number;
  unit: string;
}

export function parseAddOffset(payload: unknown): Parsed<OffsetRequest> {
  const body = bodyObject(payload);
  if (!body.ok) return body;
  const { offsetName, offsetValue, offsetUnit } = body.value;
  if (typeof offsetName !== 'string' && typeof offsetName !== 'number')
    return { ok: false, error: 'offsetName is required and must be a string' };
  const value = floatLike(offsetValue);
  if (value === undefined) return { ok: false, error: 'offsetValue must be a number' };
  if (typeof offsetUnit !== 'string') return { ok: false, error: 'offsetUnit must be "A" or "W"' };
  return { ok: true, value: { name: String(offsetName), value, unit: offsetUnit } };
}

export function parseDeleteOffset(payload: unknown): Parsed<string> {
  const body = bodyObject(payload);
  if (!body.ok) return body;
  const name = body.value.offsetName;
  if (typeof name !== 'string' || name === '')
    return { ok: false, error: 'offsetName is required and must be a string' };
  return { ok: true, value: name };
}

export interface SettingRequest {
  setting: string;
  value: unknown;
}

export function parseSetSetting(payload: unknown): Parsed<SettingRequest> {
  const body = bodyObject(payload);
  if (!body.ok) return body;
  const { setting, value } = body.value;
  if (typeof setting !== 'string' || setting === '')
    return { ok: false, error: 'setting is required and must be a string' };
  if (value === undefined || value === null) return { ok: false, error: 'value is required' };
  if (typeof value === 'object') return { ok: false, error: 'value must be a number or a string' };
  return { ok: true, value: { setting, value } };
}

/** setScheduledChargingSettings: every field optional; present ones must convert. */
export function parseSchedule(payload: unknown): Parsed<ScheduleUpdate> {
  const body = bodyObject(payload);
  if (!body.ok) return body;
  const b = body.value;
  const out: ScheduleUpdate = {};
  const present = (k: string): boolean => b[k] !== undefined;
  if (present('enabled')) {
    const v = booleanLike(b.enabled);
    if (v === undefined) return { ok: false, error: 'enabled must be true or false' };
    out.enabled = v;
  }
  for (const k of ['startingMinute', 'endingMinute', 'amps', 'flexBatterySize'] as const) {
    if (!present(k)) continue;
    const v = integerLike(b[k]);
    if (v === undefined) return { ok: false, error: `${k} must be a whole number` };
    out[k] = v;
  }
  if (present('flexStartEnabled')) {
    const v = booleanLike(b.flexStartEnabled);
    if (v === undefined) return { ok: false, error: 'flexStartEnabled must be true or false' };
    out.flexStartEnabled = v ? 1 : 0;
  }
  for (const d of DAY_NAMES) {
    if (!present(d)) continue;
    const v = booleanLike(b[d]);
    if (v === undefined) return { ok: false, error: `${d} must be true or false` };
    (out.days ??= {})[d] = v;
  }
  return { ok: true, value: out };
}

/** setConsumptionOffset: `offset`, a number of amps (numeric text too); whether it is in range is the policy's. */
export function parseConsumptionOffset(payload: unknown): Parsed<number> {
  const body = bodyObject(payload);
  if (!body.ok) return body;
  const raw = body.value.offset;
  if (raw === undefined || raw === null) return { ok: false, error: 'offset is required' };
  const amps = numberLike(raw);
  if (amps === undefined) return { ok: false, error: 'offset must be a number' };
  return { ok: true, value: amps };
}

/** setPolicy: `policy` must be there; whether it names a policy is the policy's rule (ChargePolicy.setPolicy). */
export function parsePolicyName(payload: unknown): Parsed<unknown> {
  const body = bodyObject(payload);
  if (!body.ok) return body;
  const name = body.value.policy;
  if (name === undefined || name === null) return { ok: false, error: 'policy field is required' };
  return { ok: true, value: name };
}

/**
 * Python's float() of a decimal text: digits with an optional point and exponent, blanks around. Not
 * JavaScript's Number(), which also reads "0x1A" and "0b1".
 */
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;

function decimalLike(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return typeof value === 'string' && DECIMAL.test(value) ? Number(value) : undefined;
}

export interface LatLonRequest {
  lat: number;
  lon: number;
}

/** setLatLon: both fields required, numbers or numeric text; the ranges are the policy's (docs/api.md §4.12). */
export function parseLatLon(payload: unknown): Parsed<LatLonRequest> {
  const body = bodyObject(payload);
  if (!body.ok) return body;
  const lat = decimalLike(body.value.lat);
  const lon = decimalLike(body.value.lon);
  if (lat === undefined) return { ok: false, error: 'lat is required and must be a number of degrees' };
  if (lon === undefined) return { ok: false, error: 'lon is required and must be a number of degrees' };
  return { ok: true, value: { lat, lon } };
}
