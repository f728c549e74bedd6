/**
 * Reading sendDebugCommand's body (docs/api.md §4.15): a named read-only query or `Custom` with hex bytes,
 * and the unit to ask. Whether the bytes may go on the bus is the engine's gate, not decided here.
 */
import type { DebugCommand } from '../master/debug';
import { parseHex, REQUEST_CODES, type RequestKind } from '../protocol';
import { parseTwcId } from '../protocol/twcid';
import { bodyObject, type Parsed } from './requests';

/** The named queries: TWCManager's debug page sends the first; the others ask for what the engine polls. */
export const DEBUG_QUERIES: Readonly<Record<string, RequestKind>> = {
  GetFirmwareVersion: 'firmwareRequest',
  GetExtendedFirmwareVersion: 'extFirmwareRequest',
  GetSerialNumber: 'serialRequest',
  GetLifetimeKwh: 'kwhRequest',
  GetVIN1: 'vinRequest1',
  GetVIN2: 'vinRequest2',
  GetVIN3: 'vinRequest3',
};

export const CUSTOM = 'Custom';
const NAMES = [CUSTOM, ...Object.keys(DEBUG_QUERIES)].join(', ');

const present = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

export function parseDebugCommand(payload: unknown): Parsed<DebugCommand> {
  const body = bodyObject(payload);
  if (!body.ok) return body;
  const { commandName, customCommand, subTWC } = body.value;
  if (typeof commandName !== 'string' || commandName === '')
    return { ok: false, error: `commandName must be one of ${NAMES}` };
  let to: number | undefined;
  if (present(subTWC)) {
    to = typeof subTWC === 'string' ? parseTwcId(subTWC) : undefined;
    if (to === undefined)
      return { ok: false, error: 'subTWC must be the TWCID of a linked unit, four hexadecimal digits' };
  }
  if (commandName !== CUSTOM) {
    const kind = Object.hasOwn(DEBUG_QUERIES, commandName) ? DEBUG_QUERIES[commandName] : undefined;
    if (kind === undefined) return { ok: false, error: `unknown commandName; one of ${NAMES}` };
    return { ok: true, value: { bytes: Uint8Array.from(REQUEST_CODES[kind]), to } };
  }
  if (typeof customCommand !== 'string' || customCommand.trim() === '')
    return { ok: false, error: 'customCommand is needed with Custom: hex bytes such as "FB1B"' };
  let bytes: Uint8Array;
  try {
    bytes = parseHex(customCommand);
  } catch {
    return { ok: false, error: 'customCommand must be pairs of hexadecimal digits, such as "FB1B"' };
  }
  return { ok: true, value: { bytes, to } };
}
