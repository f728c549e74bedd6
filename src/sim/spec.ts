import type { TwcId } from '../protocol/messages';
import { formatTwcId, parseTwcId } from '../protocol/twcid';

export { simulatedVin } from './vin';

/** One simulated Wall Connector as a user writes it: ID, advertised max amps, and the car's amps (0: none). */
export interface SlaveSpec {
  id: TwcId;
  maxAmps: number;
  carAmps: number;
}

export class SimSpecError extends Error {
  override name = 'SimSpecError';
}

export function parseId(text: string, where: string): TwcId {
  const id = parseTwcId(text);
  if (id === undefined) {
    throw new SimSpecError(`${where}: "${text}" is not a TWCID (four hexadecimal digits, e.g. 4142)`);
  }
  return id;
}

export function parseAmps(text: string, where: string, min: number): number {
  const amps = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(amps) || amps < min || amps > 80) {
    throw new SimSpecError(`${where}: "${text}" must be a number of amps from ${min} to 80`);
  }
  return amps;
}

/** The compact form the config node uses: "4142:80:32,4243:32:0" (id:max amps[:car amps]). */
export function parseSlaveSpecs(text: string): SlaveSpec[] {
  const parts = text
    .split(/[,\s]+/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (parts.length === 0) throw new SimSpecError('no simulated Wall Connector given (e.g. 4142:80:32)');
  const specs = parts.map((part) => {
    const fields = part.split(':');
    if (fields.length < 2 || fields.length > 3) {
      throw new SimSpecError(`"${part}" must be ID:MAXAMPS or ID:MAXAMPS:CARAMPS, e.g. 4142:80:32`);
    }
    return {
      id: parseId(fields[0], part),
      maxAmps: parseAmps(fields[1], part, 1),
      carAmps: fields.length === 3 ? parseAmps(fields[2], part, 0) : 0,
    };
  });
  return checkUnique(specs);
}

/** The CLI form: --slave 4142:80 (repeatable) and --car 4142:32 (a car on a listed slave). */
export function specsFromArgs(slaves: string[], cars: string[]): SlaveSpec[] {
  if (slaves.length === 0)
    throw new SimSpecError('give at least one --slave ID:MAXAMPS, e.g. --slave 4142:80');
  const specs = slaves.map((s) => {
    const fields = s.split(':');
    if (fields.length !== 2) throw new SimSpecError(`--slave ${s}: expected ID:MAXAMPS, e.g. 4142:80`);
    return {
      id: parseId(fields[0], `--slave ${s}`),
      maxAmps: parseAmps(fields[1], `--slave ${s}`, 1),
      carAmps: 0,
    };
  });
  checkUnique(specs);
  for (const c of cars) {
    const fields = c.split(':');
    if (fields.length !== 2) throw new SimSpecError(`--car ${c}: expected ID:AMPS, e.g. 4142:32`);
    const id = parseId(fields[0], `--car ${c}`);
    const slave = specs.find((s) => s.id === id);
    if (!slave) throw new SimSpecError(`--car ${c}: no --slave with ID ${formatTwcId(id)}`);
    slave.carAmps = parseAmps(fields[1], `--car ${c}`, 1);
  }
  return specs;
}

function checkUnique(specs: SlaveSpec[]): SlaveSpec[] {
  const seen = new Set<number>();
  for (const s of specs) {
    if (seen.has(s.id)) throw new SimSpecError(`TWCID ${formatTwcId(s.id)} is given twice`);
    seen.add(s.id);
  }
  return specs;
}
