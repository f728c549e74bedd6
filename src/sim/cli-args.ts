import { parseArgs } from 'node:util';
import type { ProtocolVersion, TwcId } from '../protocol/messages';
import { LINE_BYTES_PER_SECOND } from '../protocol/tables';
import { formatTwcId } from '../protocol/twcid';
import type { BusFaults } from './bus-faults';
import type { SlaveFaults } from './faults';
import { parseAmps, parseId, SimSpecError, specsFromArgs } from './spec';

export const USAGE = `Usage: twc-sim --device PATH --slave ID:AMPS [--slave ID:AMPS ...] [--car ID:AMPS ...]
               [--protocol 1|2] [--verbose] [fault options] [--seed N]

Puts simulated Tesla Wall Connector Gen 2 slaves on a serial device (9600 baud, 8N1).
  --device PATH     serial device, e.g. one end of: socat -d -d pty,raw,echo=0 pty,raw,echo=0
  --slave ID:AMPS   a slave with hexadecimal TWCID and the max amps it advertises (repeatable)
  --car ID:AMPS     a car plugged into that slave, taking at most AMPS (repeatable)
  --protocol 1|2    protocol version of the slaves (default 2)
  --verbose         print every frame in both directions
  --seed N          seed of every random choice (jitter, faults), so that a run can be repeated;
                    without it a seed is picked and printed at start

Faults of one unit (repeatable, each once per ID; ID must be a --slave, and the fault applies to
its --duplicate too):
  --stale-echo ID          heartbeat replies report the limit granted before the latest change
  --reply-delay ID:MS      answers everything MS milliseconds late (1 to 600000)
  --doubled-replies ID     sends every reply twice
  --keep-id ID             never takes a new ID when a master's link-ready carries its own, and
                           answers every master link-ready with one FD E2
  --loss ID:RATE           misses each frame from the master with probability RATE (0 to 1)
  --duplicate ID:MAXAMPS   a second unit with the same TWCID that advertises MAXAMPS
  --duplicate-car ID:AMPS  a car on that second unit (--car puts one on the first)
Faults of the bus:
  --link-ready-flood PER_SECOND[:ID,ID...]
                           FD E2 from random IDs, or only from the listed fake ones (up to 50/s)
  --noise BYTES_PER_SECOND random bytes between the frames (up to ${LINE_BYTES_PER_SECOND}, the full line)
  --absurd PER_SECOND      frames with valid checksums and absurd values (up to 50/s)
  --second-master ID:PER_SECOND
                           a rogue master with TWCID ID heartbeating the slaves (up to 50/s)`;

/** Frames a second on the line are bounded by 9600 baud anyway (an 18-byte frame takes ~19 ms). */
const MAX_FRAMES_PER_SECOND = 50;
const MAX_REPLY_DELAY_MS = 600000;

/** One unit on the simulated bus, before its random source is attached. */
export interface SimUnit {
  id: TwcId;
  maxAmps: number;
  carAmps: number;
  /** The second unit of a --duplicate pair. */
  duplicate: boolean;
  faults: SlaveFaults;
}

export interface SimConfig {
  device: string;
  version: ProtocolVersion;
  verbose: boolean;
  seed: number;
  units: SimUnit[];
  bus: BusFaults;
}

export type CliRequest = { help: true } | { help: false; config: SimConfig };

/** "ID:VALUE" split at the one colon; the flag's own example on error. */
function pair(flag: string, text: string, example: string): [string, string] {
  const fields = text.split(':');
  if (fields.length !== 2) throw new SimSpecError(`--${flag} ${text}: expected ${example}`);
  return [fields[0], fields[1]];
}

function parseRate(text: string, where: string, max: number): number {
  const rate = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(rate > 0 && rate <= max)) {
    throw new SimSpecError(`${where}: "${text}" must be a number above 0 and at most ${max}`);
  }
  return rate;
}

function parseInteger(text: string, where: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new SimSpecError(`${where}: "${text}" must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function parseProbability(text: string, where: string): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value > 1) {
    throw new SimSpecError(`${where}: "${text}" must be a probability from 0 to 1`);
  }
  return value;
}

/**
 * Reads twc-sim's command line. Every usage problem is a SimSpecError with a message for the user (the
 * CLI prints it with the usage text and exits with 2). `pickSeed` supplies the seed when none is given.
 */
export function parseCliArgs(argv: string[], pickSeed: () => number): CliRequest {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        device: { type: 'string' },
        slave: { type: 'string', multiple: true, default: [] },
        car: { type: 'string', multiple: true, default: [] },
        protocol: { type: 'string', default: '2' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
        seed: { type: 'string' },
        'stale-echo': { type: 'string', multiple: true, default: [] },
        'reply-delay': { type: 'string', multiple: true, default: [] },
        'doubled-replies': { type: 'string', multiple: true, default: [] },
        'keep-id': { type: 'string', multiple: true, default: [] },
        loss: { type: 'string', multiple: true, default: [] },
        duplicate: { type: 'string', multiple: true, default: [] },
        'duplicate-car': { type: 'string', multiple: true, default: [] },
        'link-ready-flood': { type: 'string' },
        noise: { type: 'string' },
        absurd: { type: 'string' },
        'second-master': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new SimSpecError((err as Error).message);
  }
  if (values.help) return { help: true };
  if (!values.device) throw new SimSpecError('--device is required');
  if (values.protocol !== '1' && values.protocol !== '2') throw new SimSpecError('--protocol must be 1 or 2');
  const units: SimUnit[] = specsFromArgs(values.slave, values.car).map((s) => ({
    ...s,
    duplicate: false,
    faults: {},
  }));
  const slaveIds = new Set(units.map((u) => u.id));

  const idOf = (flag: string, text: string): TwcId => {
    const id = parseId(text, `--${flag} ${text}`);
    if (!slaveIds.has(id)) throw new SimSpecError(`--${flag} ${text}: no --slave with ID ${formatTwcId(id)}`);
    return id;
  };
  const once = (flag: string, ids: TwcId[]): void => {
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice !== undefined) throw new SimSpecError(`--${flag} is given twice for ${formatTwcId(twice)}`);
  };

  const duplicateIds: TwcId[] = [];
  for (const text of values.duplicate) {
    const [id, amps] = pair('duplicate', text, 'ID:MAXAMPS, e.g. 4142:32');
    const twin = idOf('duplicate', id);
    duplicateIds.push(twin);
    units.push({
      id: twin,
      maxAmps: parseAmps(amps, `--duplicate ${text}`, 1),
      carAmps: 0,
      duplicate: true,
      faults: {},
    });
  }
  once('duplicate', duplicateIds);
  const carIds: TwcId[] = [];
  for (const text of values['duplicate-car']) {
    const [id, amps] = pair('duplicate-car', text, 'ID:AMPS, e.g. 4142:16');
    const twinId = parseId(id, `--duplicate-car ${text}`);
    const twin = units.find((u) => u.duplicate && u.id === twinId);
    if (!twin)
      throw new SimSpecError(`--duplicate-car ${text}: no --duplicate with ID ${formatTwcId(twinId)}`);
    carIds.push(twinId);
    twin.carAmps = parseAmps(amps, `--duplicate-car ${text}`, 1);
  }
  once('duplicate-car', carIds);

  const fault = <K extends keyof SlaveFaults>(id: TwcId, key: K, value: SlaveFaults[K]): void => {
    for (const u of units) if (u.id === id) u.faults[key] = value;
  };
  const flags: [flag: string, ids: TwcId[]][] = [];
  const simple = [
    ['stale-echo', 'staleEcho'],
    ['doubled-replies', 'doubledReplies'],
    ['keep-id', 'keepsId'],
  ] as const;
  for (const [flag, key] of simple) {
    const ids = values[flag].map((text) => idOf(flag, text));
    for (const id of ids) fault(id, key, true);
    flags.push([flag, ids]);
  }
  const delays = values['reply-delay'].map((text) => {
    const [id, ms] = pair('reply-delay', text, 'ID:MS, e.g. 4142:2000');
    const target = idOf('reply-delay', id);
    fault(target, 'replyDelayMs', parseInteger(ms, `--reply-delay ${text}`, 1, MAX_REPLY_DELAY_MS));
    return target;
  });
  flags.push(['reply-delay', delays]);
  const losses = values.loss.map((text) => {
    const [id, rate] = pair('loss', text, 'ID:RATE, e.g. 4142:0.2');
    const target = idOf('loss', id);
    fault(target, 'lossRate', parseProbability(rate, `--loss ${text}`));
    return target;
  });
  flags.push(['loss', losses]);
  for (const [flag, ids] of flags) once(flag, ids);

  return {
    help: false,
    config: {
      device: values.device,
      version: Number(values.protocol) as ProtocolVersion,
      verbose: values.verbose,
      seed: values.seed === undefined ? pickSeed() : parseInteger(values.seed, '--seed', 0, 0xffffffff),
      units,
      bus: busFaults(values),
    },
  };
}

function busFaults(values: {
  'link-ready-flood'?: string;
  noise?: string;
  absurd?: string;
  'second-master'?: string;
}): BusFaults {
  const bus: BusFaults = {};
  const flood = values['link-ready-flood'];
  if (flood !== undefined) {
    const [rate, list, ...rest] = flood.split(':');
    if (rest.length > 0 || list === '') {
      throw new SimSpecError(`--link-ready-flood ${flood}: expected PER_SECOND or PER_SECOND:ID,ID...`);
    }
    const where = `--link-ready-flood ${flood}`;
    bus.linkReadyFlood = {
      perSecond: parseRate(rate, where, MAX_FRAMES_PER_SECOND),
      ids: list === undefined ? 'random' : list.split(',').map((id) => parseId(id, where)),
    };
  }
  if (values.noise !== undefined) {
    bus.noise = { bytesPerSecond: parseRate(values.noise, '--noise', LINE_BYTES_PER_SECOND) };
  }
  if (values.absurd !== undefined) {
    bus.absurdFrames = { perSecond: parseRate(values.absurd, '--absurd', MAX_FRAMES_PER_SECOND) };
  }
  const rogue = values['second-master'];
  if (rogue !== undefined) {
    const [id, rate] = pair('second-master', rogue, 'ID:PER_SECOND, e.g. 7878:2');
    const where = `--second-master ${rogue}`;
    bus.secondMaster = { id: parseId(id, where), perSecond: parseRate(rate, where, MAX_FRAMES_PER_SECOND) };
  }
  return bus;
}
