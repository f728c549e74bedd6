import {
  SlaveState,
  type KwhReport,
  type ProtocolVersion,
  type SlaveHeartbeat,
  type TwcId,
} from '../protocol/messages';
import type { MasterConfig } from './config';
import { formatTwcId } from '../protocol/twcid';
import { WireLimit } from './wire-limit';

/** What the views see of one slave; plain data, safe to hand out. */
export interface SlaveSnapshot {
  id: TwcId;
  TWCID: string;
  version: ProtocolVersion;
  sign: number;
  state: number;
  maxAmps: number;
  minAmps: number;
  capAmps: number;
  reportedAmpsMax: number;
  reportedAmpsActual: number;
  /** The limit in force on the wire (see WireLimit): what the unit may be drawing under. */
  lastAmpsOffered: number;
  /** The last set-limit sent. */
  lastAmpsSent: number;
  carConnected: boolean;
  charging: boolean;
  chargingStopped: boolean;
  secondsSinceLastHeartbeat: number;
  lifetimekWh: number;
  voltsPhaseA: number;
  voltsPhaseB: number;
  voltsPhaseC: number;
  currentVIN: string;
  lastVIN: string;
  firmwareVersion: string;
  heartbeatsSent: number;
  repliesReceived: number;
  /** Two different answers to one heartbeat were heard lately: two units share this TWCID. */
  duplicateId: boolean;
}

/**
 * Firmware minimum current: 5 A on protocol 1, 6 A on 2, 1 A once a three-phase supply is seen
 * (docs/protocol.md §6.2).
 */
function firmwareMinAmps(version: ProtocolVersion, threePhase: boolean): number {
  if (threePhase) return 1;
  return version === 1 ? 5 : 6;
}

const NO_CAR_STATES: ReadonlySet<number> = new Set([SlaveState.Ready, SlaveState.Error]);

/**
 * How long a TWCID stays marked as shared by two units after the last pair of different answers. Its
 * units get 0 A meanwhile: both obey the one limit, so the wiring sum could not be kept.
 */
export const DUPLICATE_HOLD_MS = 60_000;

/** What a second reply to one heartbeat was. */
export type SecondReply = 'none' | 'doubled' | 'duplicate';

/** The master's knowledge of one slave, updated from what it sends. */
export class SlaveRecord {
  state: number = SlaveState.Ready;
  reportedAmpsMax = 0;
  reportedAmpsActual = 0;
  readonly wire: WireLimit;
  chargingStopped = false;
  lifetimeKwh = 0;
  volts: [number, number, number] = [0, 0, 0];
  threePhase = false;
  currentVIN = '';
  lastVIN = '';
  firmwareVersion = '';
  heartbeatsSent = 0;
  repliesReceived = 0;
  /** Since when the unit has not shown a lower limit we sent (its higher one still counts). */
  unconfirmedSince: number | undefined;
  /** Until when this TWCID counts as shared by two units. */
  duplicateUntil = Number.NEGATIVE_INFINITY;
  /** heartbeatsSent when the last reply came, its time and content: a second answer is told from these. */
  private answered = -1;
  private answeredAt = Number.NEGATIVE_INFINITY;
  // No reply is compared with this first value: the first reply is never a second one (answered starts
  // below heartbeatsSent, which counts up from 0), and each reply sets answer before the next is compared.
  // Stryker disable next-line StringLiteral: equivalent — the initial value is never read
  private answer = '';
  lastRxAt: number;
  nextHeartbeatAt: number;
  nextKwhAt: number;
  /** When the current spike started, while one is being held. */
  spikeStartedAt: number | undefined;
  /** VIN collection: the part asked for next (1-3), 0 when not collecting. */
  vinPart = 0;
  vinParts: [string, string, string] = ['', '', ''];
  vinAttempts = 0;
  vinAwaiting = false;
  nextVinAt = Number.POSITIVE_INFINITY;
  firmwareAsked = false;
  /** Start/stop commands waiting for the bus. */
  pendingCommands: ('startCharging' | 'stopCharging')[] = [];
  /** Vetted debug commands waiting for the bus (src/master/debug.ts). */
  debugQueries: Uint8Array[] = [];

  constructor(
    readonly id: TwcId,
    public sign: number,
    public maxAmps: number,
    public version: ProtocolVersion,
    now: number,
    inForceAmps = 0,
  ) {
    this.wire = new WireLimit(inForceAmps);
    this.lastRxAt = now;
    this.nextHeartbeatAt = now;
    this.nextKwhAt = now;
  }

  get carConnected(): boolean {
    return !NO_CAR_STATES.has(this.state);
  }

  /** The limit in force on the wire. */
  get lastAmpsOffered(): number {
    return this.wire.inForceAmps;
  }

  isDuplicate(now: number): boolean {
    return now < this.duplicateUntil;
  }

  get charging(): boolean {
    return this.reportedAmpsActual >= 1;
  }

  minAmps(config: MasterConfig): number {
    return Math.max(config.minAmpsPerTWC, firmwareMinAmps(this.version, this.threePhase));
  }

  /** Never above what the wiring or the unit itself allows. */
  capAmps(config: MasterConfig): number {
    return Math.floor(Math.min(config.wiringMaxAmpsPerTWC, this.maxAmps));
  }

  wantsPower(): boolean {
    return (this.carConnected || this.charging) && !this.chargingStopped;
  }

  /**
   * Tells a second answer to the same heartbeat from the first. A unit answers at once (docs/protocol.md
   * §7.1), so two answers within the reply window are two units with one TWCID, or a bus that repeats
   * frames ('doubled': the same bytes). Both count as a shared ID: two units with the same cars answer
   * alike until their draws differ, and by then both draw the one limit. Late replies come one per
   * heartbeat and are not mistaken for a second unit.
   */
  secondReply(hb: SlaveHeartbeat, now: number, windowMs: number): SecondReply {
    const content = `${hb.state}/${hb.limitAmps}/${hb.actualAmps}`;
    const second = this.answered === this.heartbeatsSent && now - this.answeredAt <= windowMs;
    const same = content === this.answer;
    this.answered = this.heartbeatsSent;
    this.answeredAt = now;
    this.answer = content;
    if (!second) return 'none';
    this.duplicateUntil = now + DUPLICATE_HOLD_MS;
    return same ? 'doubled' : 'duplicate';
  }

  /**
   * Applies a heartbeat reply (`timely`: within the reply window of our latest heartbeat to it); returns
   * true when something the views show has changed.
   */
  applyHeartbeat(hb: SlaveHeartbeat, now: number, timely = false): boolean {
    const wasConnected = this.carConnected || this.charging;
    const changed =
      hb.state !== this.state ||
      hb.limitAmps !== this.reportedAmpsMax ||
      hb.actualAmps !== this.reportedAmpsActual;
    this.state = hb.state;
    this.reportedAmpsMax = hb.limitAmps;
    this.reportedAmpsActual = hb.actualAmps;
    this.wire.replied(hb.limitAmps, hb.actualAmps, timely);
    this.lastRxAt = now;
    this.repliesReceived++;
    const connected = this.carConnected || this.charging;
    if (!wasConnected && connected) this.carArrived(now);
    if (wasConnected && !connected) this.carLeft();
    return changed;
  }

  applyKwh(report: KwhReport, now: number): void {
    this.lastRxAt = now;
    this.lifetimeKwh = report.lifetimeKwh;
    this.volts = [report.voltsPhaseA, report.voltsPhaseB, report.voltsPhaseC];
    this.threePhase = this.volts.every((v) => v >= 200);
  }

  /** Stores one VIN part; returns the complete VIN when this was the last part. */
  applyVinPart(part: 1 | 2 | 3, text: string, now: number): string | undefined {
    this.lastRxAt = now;
    if (this.vinPart !== part || !this.vinAwaiting) return undefined;
    this.vinAwaiting = false;
    this.vinParts[part - 1] = text;
    if (part < 3) {
      this.vinPart = part + 1;
      this.nextVinAt = now;
      return undefined;
    }
    this.vinPart = 0;
    // All parts empty means the car sends no VIN (not a Tesla, or CAN off): asking again will not help.
    this.nextVinAt = Number.POSITIVE_INFINITY;
    const vin = this.vinParts.join('');
    if (vin.length === 0) return undefined;
    this.currentVIN = vin;
    return vin;
  }

  /** The VIN part to ask for now, if any. A round whose reply never came starts again from part 1. */
  vinRequestDue(now: number, config: MasterConfig): 1 | 2 | 3 | undefined {
    if (this.version !== 2 || this.currentVIN || now < this.nextVinAt) return undefined;
    if (this.vinAwaiting) this.vinPart = 0;
    if (this.vinPart === 0) {
      if (this.vinAttempts >= config.vinMaxAttempts) {
        this.nextVinAt = Number.POSITIVE_INFINITY;
        return undefined;
      }
      this.vinAttempts++;
      this.vinPart = 1;
      this.vinParts = ['', '', ''];
    }
    this.vinAwaiting = true;
    this.nextVinAt = now + config.vinRetryIntervalMs;
    return this.vinPart as 1 | 2 | 3;
  }

  snapshot(now: number, config: MasterConfig): SlaveSnapshot {
    return {
      id: this.id,
      TWCID: formatTwcId(this.id),
      version: this.version,
      sign: this.sign,
      state: this.state,
      maxAmps: this.maxAmps,
      minAmps: this.minAmps(config),
      capAmps: this.capAmps(config),
      reportedAmpsMax: this.reportedAmpsMax,
      reportedAmpsActual: this.reportedAmpsActual,
      lastAmpsOffered: this.lastAmpsOffered,
      lastAmpsSent: this.wire.sentAmps,
      carConnected: this.carConnected,
      charging: this.charging,
      chargingStopped: this.chargingStopped,
      secondsSinceLastHeartbeat: Math.max(0, Math.round((now - this.lastRxAt) / 100) / 10),
      lifetimekWh: this.lifetimeKwh,
      voltsPhaseA: this.volts[0],
      voltsPhaseB: this.volts[1],
      voltsPhaseC: this.volts[2],
      currentVIN: this.currentVIN,
      lastVIN: this.lastVIN,
      firmwareVersion: this.firmwareVersion,
      heartbeatsSent: this.heartbeatsSent,
      repliesReceived: this.repliesReceived,
      duplicateId: this.isDuplicate(now),
    };
  }

  private carArrived(now: number): void {
    this.vinAttempts = 0;
    this.vinPart = 0;
    this.vinAwaiting = false;
    this.nextVinAt = now;
  }

  private carLeft(): void {
    if (this.currentVIN) this.lastVIN = this.currentVIN;
    this.currentVIN = '';
    this.vinPart = 0;
    this.vinAwaiting = false;
    this.nextVinAt = Number.POSITIVE_INFINITY;
  }
}
