import {
  SlaveState,
  type MasterHeartbeat,
  type ProtocolVersion,
  type TwcId,
  type TwcMessage,
} from '../protocol/messages';
import { HEARTBEAT_ERROR_COMMAND, HeartbeatCommand, vinPartOfRequest, vinPartText } from '../protocol/tables';
import { formatTwcId } from '../protocol/twcid';
import { SimulatedCar, type CarOptions } from './car';
import { checkSlaveFaults, GrantEcho, missed, withDoubles, type SlaveFaults } from './faults';

export interface SimulatedSlaveOptions {
  id: TwcId;
  /** Advertised in FD E2; 80 for a US unit, 32 for many EU installations. */
  maxAmps: number;
  sign?: number;
  version?: ProtocolVersion;
  /** Volts per phase; unused phases 0. */
  volts?: [number, number, number];
  lifetimeKwh?: number;
  car?: CarOptions;
  serial?: string;
  /** Answer FC B1 / FC B2 with FD B1 / FD B2 (unconfirmed on real units, docs/protocol.md §10 item 6). */
  ackStartStop?: boolean;
  /** Misbehaviour on demand (see SlaveFaults); none by default. */
  faults?: SlaveFaults;
  random?: () => number;
}

/** What the slave shows the outside, for tests and the CLI. */
export interface SimulatedSlaveState {
  id: TwcId;
  version: ProtocolVersion;
  state: number;
  /** What the limit field of its heartbeat replies shows (behind the real grant under staleEcho). */
  limitAmps: number;
  actualAmps: number;
  /**
   * The limit the unit really obeys now: the newest offer, 0 after FC B2 or once the master is gone. The
   * car never draws more, whatever the limit field says; sum it over the units to check a wiring limit.
   */
  offeredAmps: number;
  carConnected: boolean;
  lifetimeKwh: number;
  linked: boolean;
}

/** Silence from the master after which a slave advertises itself again (docs/protocol.md §7.1). */
export const MASTER_LOST_MS = 10000;
export const LINK_READY_INTERVAL_MS = 10000;
const FIRMWARE = { major: 4, minor: 5, revision: 3, extended: 0 };

/**
 * One simulated slave Wall Connector, as docs/protocol.md §7 describes a real one: pure state; the
 * bus hands it messages and the time, and sends what it returns.
 */
export class SimulatedSlave {
  id: TwcId;
  sign: number;
  readonly maxAmps: number;
  readonly version: ProtocolVersion;
  private readonly volts: [number, number, number];
  private kwh: number;
  private car: SimulatedCar | undefined;
  private readonly serial: string;
  private readonly ackStartStop: boolean;
  private readonly random: () => number;
  readonly faults: Readonly<SlaveFaults>;
  private offered = 0;
  private readonly grants: GrantEcho;
  private stopped = false;
  private errored = false;
  private masterSeenAt = Number.NEGATIVE_INFINITY;
  private nextLinkReadyAt = Number.NEGATIVE_INFINITY;
  private linkReady2Seen = 0;
  private lastLinkReady2At = Number.NEGATIVE_INFINITY;
  private lastTickAt: number | undefined;

  constructor(options: SimulatedSlaveOptions) {
    this.random = options.random ?? Math.random;
    this.id = options.id;
    this.sign = options.sign ?? Math.floor(this.random() * 256);
    this.maxAmps = options.maxAmps;
    this.version = options.version ?? 2;
    this.volts = options.volts ?? [240, 0, 0];
    this.kwh = options.lifetimeKwh ?? 0;
    this.serial = options.serial ?? `SIM${formatTwcId(options.id)}0001`;
    this.ackStartStop = options.ackStartStop ?? false;
    this.faults = checkSlaveFaults(options.faults);
    this.grants = new GrantEcho(this.faults.staleEcho ?? false);
    if (options.car) this.plugIn(options.car);
  }

  plugIn(car: CarOptions): void {
    this.car = new SimulatedCar(car, this.random);
  }

  unplug(): void {
    this.car = undefined;
    this.grants.reset();
  }

  get state(): SimulatedSlaveState {
    return {
      id: this.id,
      version: this.version,
      state: this.stateByte(),
      limitAmps: this.car ? this.grants.reported : 0,
      actualAmps: this.car?.actualAmps ?? 0,
      offeredAmps: this.allowedAmps(),
      carConnected: this.car !== undefined,
      lifetimeKwh: Math.floor(this.kwh),
      linked: this.masterSeenAt > Number.NEGATIVE_INFINITY,
    };
  }

  /** Advances the car and the meter; returns what the slave sends by itself (link-ready while unlinked). */
  tick(now: number): TwcMessage[] {
    const seconds = this.lastTickAt === undefined ? 0 : Math.max(0, now - this.lastTickAt) / 1000;
    this.lastTickAt = now;
    if (now - this.masterSeenAt > MASTER_LOST_MS) this.offered = 0;
    if (this.car) {
      this.car.follow(this.allowedAmps(), seconds);
      const watts = this.volts.reduce((sum, v) => sum + (v > 0 ? v * this.car!.actualAmps : 0), 0);
      this.kwh += (watts * seconds) / 3600 / 1000;
    }
    if (this.errored || now - this.masterSeenAt <= MASTER_LOST_MS || now < this.nextLinkReadyAt) return [];
    this.nextLinkReadyAt = now + LINK_READY_INTERVAL_MS;
    return [this.linkReady()];
  }

  /** Handles one message from the bus; returns the replies, in order. */
  receive(msg: TwcMessage, now: number): TwcMessage[] {
    if (this.errored || missed(this.faults, msg, this.random)) return [];
    return withDoubles(this.faults, this.respond(msg, now));
  }

  private respond(msg: TwcMessage, now: number): TwcMessage[] {
    switch (msg.kind) {
      case 'masterLinkReady1':
      case 'masterLinkReady2':
        return this.onMasterLinkReady(msg.kind, msg.sender, now);
      case 'masterHeartbeat':
        return msg.receiver === this.id ? this.onHeartbeat(msg, now) : [];
      default:
        break;
    }
    if (!('receiver' in msg) || msg.receiver !== this.id || msg.kind === 'slaveHeartbeat') return [];
    switch (msg.kind) {
      case 'startCharging':
      case 'stopCharging':
        this.stopped = msg.kind === 'stopCharging';
        if (this.stopped) this.car?.clamp(0);
        return this.ackStartStop
          ? [{ kind: msg.kind === 'startCharging' ? 'startAck' : 'stopAck', sender: this.id }]
          : [];
      default:
        break;
    }
    if (this.version === 1) return [];
    switch (msg.kind) {
      case 'kwhRequest': {
        const amps = this.car?.actualAmps ?? 0;
        const perPhase = this.volts.map((v) => (v > 0 ? amps : 0));
        return [
          {
            kind: 'kwhReport',
            sender: this.id,
            lifetimeKwh: Math.floor(this.kwh),
            voltsPhaseA: this.volts[0],
            voltsPhaseB: this.volts[1],
            voltsPhaseC: this.volts[2],
            ampsPhaseA: Math.floor(perPhase[0] * 2) / 2,
            ampsPhaseB: Math.floor(perPhase[1] * 2) / 2,
            ampsPhaseC: Math.floor(perPhase[2] * 2) / 2,
          },
        ];
      }
      case 'vinRequest1':
      case 'vinRequest2':
      case 'vinRequest3': {
        const part = vinPartOfRequest(msg.kind)!;
        return [{ kind: 'vinReply', part, sender: this.id, text: vinPartText(this.car?.vin ?? '', part) }];
      }
      case 'extFirmwareRequest':
        return [{ kind: 'firmwareVersion', sender: this.id, ...FIRMWARE }];
      case 'serialRequest':
        return [{ kind: 'serialNumber', sender: this.id, serial: this.serial }];
      default:
        return [];
    }
  }

  linkReady(): TwcMessage {
    return {
      kind: 'slaveLinkReady',
      sender: this.id,
      sign: this.sign,
      maxAmps: this.maxAmps,
      version: this.version,
    };
  }

  private onMasterLinkReady(
    kind: 'masterLinkReady1' | 'masterLinkReady2',
    sender: TwcId,
    now: number,
  ): TwcMessage[] {
    if (this.faults.keepsId) return [this.linkReady()];
    if (sender === this.id) {
      // The master has our ID: pick another, as real units do (docs/protocol.md §5.5).
      do this.id = Math.floor(this.random() * 0x10000);
      while (this.id === sender);
      this.sign = Math.floor(this.random() * 256);
      this.nextLinkReadyAt = Number.NEGATIVE_INFINITY;
      return [];
    }
    // A linking sequence starts with FC E1s: count its FB E2s afresh, however many came before.
    if (kind === 'masterLinkReady1') {
      this.linkReady2Seen = 0;
      return [];
    }
    if (now - this.lastLinkReady2At > 3000) this.linkReady2Seen = 0;
    this.lastLinkReady2At = now;
    // Real slaves ignore the first linkready2 and answer the second with five link-readies.
    if (++this.linkReady2Seen !== 2) return [];
    return Array.from({ length: 5 }, () => this.linkReady());
  }

  private onHeartbeat(msg: MasterHeartbeat, now: number): TwcMessage[] {
    this.masterSeenAt = now;
    this.linkReady2Seen = 0;
    if (msg.command === HEARTBEAT_ERROR_COMMAND) {
      this.errored = true;
      return [this.heartbeatReply(msg.sender, SlaveState.Error)];
    }
    if (msg.command === HeartbeatCommand.SetLimitV1 || msg.command === HeartbeatCommand.SetLimitV2) {
      this.offered = msg.amps;
      if (msg.amps > 0 && this.car) this.grants.grant(msg.amps);
    }
    this.car?.clamp(this.allowedAmps());
    return [this.heartbeatReply(msg.sender, this.stateByte())];
  }

  private allowedAmps(): number {
    return this.stopped ? 0 : this.offered;
  }

  private stateByte(): number {
    if (!this.car) return SlaveState.Ready;
    if (this.grants.current === 0) return SlaveState.PluggedReady;
    if (this.allowedAmps() === 0) return SlaveState.PluggedNotCharging;
    return this.car.actualAmps >= 1 ? SlaveState.Charging : SlaveState.Starting;
  }

  private heartbeatReply(master: TwcId, state: number): TwcMessage {
    return {
      kind: 'slaveHeartbeat',
      sender: this.id,
      receiver: master,
      state,
      limitAmps: this.car ? this.grants.reported : 0,
      actualAmps: this.car?.actualAmps ?? 0,
      version: this.version,
    };
  }
}
