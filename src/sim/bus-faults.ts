import type { Clock, TimerHandle } from '../clock';
import type { TwcId, TwcMessage } from '../protocol/messages';
import { HeartbeatCommand, LINE_BYTES_PER_SECOND } from '../protocol/tables';
import { isTwcId } from '../protocol/twcid';
import { absurdMessage } from './absurd';
import type { SimulatedSlave } from './slave';

/** FD E2 link-ready frames from devices that are not there: random IDs, or a fixed list of fake IDs. */
export interface LinkReadyFlood {
  perSecond: number;
  /** 'random' (the default): a new random ID each time. A list: only these, and none of them ever answers. */
  ids?: 'random' | TwcId[];
}

/** Random bytes, any value including C0 and DB, in small chunks between the slaves' frames. */
export interface NoiseFault {
  /** Average rate, up to the full line rate of 960 bytes a second (9600 baud 8N1). */
  bytesPerSecond: number;
}

/**
 * Frames with a valid checksum and a known kind but absurd field values (see absurdMessage), from random
 * IDs and sometimes from the IDs of the simulated slaves.
 */
export interface AbsurdFrames {
  perSecond: number;
}

/**
 * A rogue second master: FC E1 link-ready and FB E0 set-limit heartbeats to the simulated slaves, which
 * hear them as if from the wire and answer them, while the bytes also reach our master.
 */
export interface SecondMaster {
  id: TwcId;
  perSecond: number;
}

/** Bus-level faults, all off by default, driven by the bus's clock and random source. */
export interface BusFaults {
  linkReadyFlood?: LinkReadyFlood;
  noise?: NoiseFault;
  absurdFrames?: AbsurdFrames;
  secondMaster?: SecondMaster;
}

export type BusFaultKind = 'linkReadyFlood' | 'absurdFrames' | 'secondMaster';

/** What the injector needs from the bus. */
export interface BusFaultTarget {
  clock: Clock;
  random: () => number;
  /** The slaves as they are now; their IDs may change. */
  slaves(): readonly SimulatedSlave[];
  /** The ID of the master once one has been heard. */
  masterId(): TwcId | undefined;
  frame(msg: TwcMessage, fault: BusFaultKind, heardBySlaves: boolean): void;
  noise(bytes: Uint8Array): void;
}

/** Above this a ManualClock would spin on sub-millisecond timers; far beyond what 9600 baud can carry. */
const MAX_FRAMES_PER_SECOND = 1000;
const NOISE_CHUNK_MAX = 8;
const FLOOD_MAX_AMPS = [32, 40, 48, 80];
const ROGUE_AMPS = [0, 6, 10, 16, 24, 32, 40, 48, 64, 80];

function checkRate(rate: number, what: string, max: number): void {
  if (!(Number.isFinite(rate) && rate > 0 && rate <= max)) {
    throw new RangeError(`${what} must be a number above 0 and at most ${max}, not ${rate}`);
  }
}

/** Throws a RangeError naming the first bad value. */
export function checkBusFaults(faults: BusFaults): void {
  const { linkReadyFlood, noise, absurdFrames, secondMaster } = faults;
  if (linkReadyFlood) {
    checkRate(linkReadyFlood.perSecond, 'linkReadyFlood.perSecond', MAX_FRAMES_PER_SECOND);
    const ids = linkReadyFlood.ids ?? 'random';
    if (ids !== 'random' && (!Array.isArray(ids) || ids.length === 0 || !ids.every(isTwcId))) {
      throw new RangeError("linkReadyFlood.ids must be 'random' or a non-empty list of 16-bit TWCIDs");
    }
  }
  if (noise) checkRate(noise.bytesPerSecond, 'noise.bytesPerSecond', LINE_BYTES_PER_SECOND);
  if (absurdFrames) checkRate(absurdFrames.perSecond, 'absurdFrames.perSecond', MAX_FRAMES_PER_SECOND);
  if (secondMaster) {
    checkRate(secondMaster.perSecond, 'secondMaster.perSecond', MAX_FRAMES_PER_SECOND);
    if (!isTwcId(secondMaster.id)) throw new RangeError('secondMaster.id must be a 16-bit TWCID');
  }
}

/** Runs the configured bus faults on the clock; stop() clears every timer it set. */
export class BusFaultInjector {
  private readonly timers = new Map<string, TimerHandle>();
  private readonly rogueSign: number;
  private rogueTurn = 0;

  constructor(
    private readonly faults: BusFaults,
    private readonly target: BusFaultTarget,
  ) {
    checkBusFaults(faults);
    this.rogueSign = faults.secondMaster ? Math.floor(target.random() * 256) : 0;
  }

  start(): void {
    const { linkReadyFlood, noise, absurdFrames, secondMaster } = this.faults;
    if (linkReadyFlood) this.every('flood', linkReadyFlood.perSecond, () => this.flood(linkReadyFlood));
    if (absurdFrames) this.every('absurd', absurdFrames.perSecond, () => this.absurd());
    if (secondMaster) this.every('rogue', secondMaster.perSecond, () => this.rogue(secondMaster));
    if (noise) this.noise(noise.bytesPerSecond, 0);
  }

  stop(): void {
    for (const handle of this.timers.values()) this.target.clock.clearTimeout(handle);
    this.timers.clear();
  }

  /** Jittered intervals (0.5 to 1.5 of the mean) keep the rate while avoiding lock-step with the master. */
  private every(name: string, perSecond: number, fn: () => void): void {
    const { clock, random } = this.target;
    const next = (): void => {
      this.timers.set(name, clock.setTimeout(run, (1000 / perSecond) * (0.5 + random())));
    };
    const run = (): void => {
      fn();
      next();
    };
    next();
  }

  private noise(bytesPerSecond: number, delayMs: number): void {
    const { clock, random } = this.target;
    this.timers.set(
      'noise',
      clock.setTimeout(() => {
        const chunk = Uint8Array.from({ length: 1 + Math.floor(random() * NOISE_CHUNK_MAX) }, () =>
          Math.floor(random() * 256),
        );
        this.target.noise(chunk);
        this.noise(bytesPerSecond, (chunk.length * 1000) / bytesPerSecond);
      }, delayMs),
    );
  }

  private randomId(): TwcId {
    return Math.floor(this.target.random() * 0x10000);
  }

  private flood(flood: LinkReadyFlood): void {
    const { random } = this.target;
    const ids = flood.ids ?? 'random';
    this.target.frame(
      {
        kind: 'slaveLinkReady',
        sender: ids === 'random' ? this.randomId() : ids[Math.floor(random() * ids.length)],
        sign: Math.floor(random() * 256),
        maxAmps: FLOOD_MAX_AMPS[Math.floor(random() * FLOOD_MAX_AMPS.length)],
        version: random() < 0.5 ? 1 : 2,
      },
      'linkReadyFlood',
      false,
    );
  }

  private absurd(): void {
    const { random } = this.target;
    const slaves = this.target.slaves();
    const sender =
      slaves.length > 0 && random() < 0.5 ? slaves[Math.floor(random() * slaves.length)].id : this.randomId();
    const master = this.target.masterId() ?? this.randomId();
    this.target.frame(absurdMessage(random, sender, master), 'absurdFrames', false);
  }

  private rogue(rogue: SecondMaster): void {
    const { random } = this.target;
    const slaves = this.target.slaves();
    // A link-ready now and then, as a master does that looks for slaves; set-limit heartbeats otherwise.
    if (slaves.length === 0 || this.rogueTurn++ % 4 === 0) {
      this.target.frame(
        { kind: 'masterLinkReady1', sender: rogue.id, sign: this.rogueSign },
        'secondMaster',
        true,
      );
      return;
    }
    const slave = slaves[this.rogueTurn % slaves.length];
    this.target.frame(
      {
        kind: 'masterHeartbeat',
        sender: rogue.id,
        receiver: slave.id,
        command: slave.version === 1 ? HeartbeatCommand.SetLimitV1 : HeartbeatCommand.SetLimitV2,
        amps: ROGUE_AMPS[Math.floor(random() * ROGUE_AMPS.length)],
        masterPluggedIn: false,
        version: slave.version,
      },
      'secondMaster',
      true,
    );
  }
}
