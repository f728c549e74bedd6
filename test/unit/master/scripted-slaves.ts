import { ManualClock } from '../../../src/clock';
import type { MasterConfig } from '../../../src/master/config';
import { TwcMaster } from '../../../src/master/engine';
import { decodeMessage, encodeFrame, FrameDecoder } from '../../../src/protocol';
import type { ProtocolVersion, TwcMessage } from '../../../src/protocol/messages';
import { FakeTransport } from '../../support/fake-transport';

export interface ScriptedSlave {
  id: number;
  version: ProtocolVersion;
  maxAmps: number;
  state: number;
  /** The limit it reports (bytes 7-8 of its reply). */
  limit: number;
  actual: number;
  silent: boolean;
  /** Faults: the reply reports the limit from before the last change; replies come this late; twice. */
  staleEcho?: boolean;
  replyDelayMs?: number;
  /** Reply delays taken in turn (a unit whose lateness varies); overrides replyDelayMs. */
  replyDelays?: number[];
  doubled?: boolean;
  /** Of the frames addressed to it, every lossEvery-th is not heard. */
  lossEvery?: number;
  /** A second unit with the same TWCID answers too, drawing this much. */
  twinActual?: number;
  /** What the unit really obeys: the last set-limit it heard, and when it last heard a heartbeat. */
  obeyed: number;
  heardAt: number;
  heard: number;
}

export interface Sent {
  at: number;
  msg: TwcMessage;
}

/**
 * Minimal slaves for engine unit tests: they answer heartbeats after a few ms with whatever the test put
 * in their fields, echo the granted limit, and let the test read every frame the master sent, decoded.
 */
export class ScriptedSlaves {
  readonly slaves = new Map<number, ScriptedSlave>();
  readonly sent: Sent[] = [];
  private readonly decoder = new FrameDecoder({ accept: 'request' });

  constructor(
    private readonly transport: FakeTransport,
    private readonly clock: ManualClock,
    private readonly replyDelayMs = 5,
  ) {
    transport.onWrite = (bytes) => this.onMasterBytes(bytes);
  }

  add(id: number, options: Partial<ScriptedSlave> = {}): ScriptedSlave {
    const slave: ScriptedSlave = {
      id,
      version: 2,
      maxAmps: 80,
      state: 0,
      limit: 0,
      actual: 0,
      silent: false,
      obeyed: 0,
      heardAt: Number.NEGATIVE_INFINITY,
      heard: 0,
      ...options,
    };
    this.slaves.set(id, slave);
    return slave;
  }

  linkReady(id: number): void {
    const s = this.slaves.get(id);
    if (!s) throw new Error(`no scripted slave ${id}`);
    this.send({ kind: 'slaveLinkReady', sender: id, sign: 0x2a, maxAmps: s.maxAmps, version: s.version });
  }

  send(msg: TwcMessage): void {
    this.transport.receive(encodeFrame(msg));
  }

  /** Called after every master frame the slaves have taken in (for monitors). */
  onFrame: ((msg: TwcMessage) => void) | undefined;

  sentKinds(): string[] {
    return this.sent.map((s) => s.msg.kind);
  }

  heartbeatsTo(id: number): Sent[] {
    return this.sent.filter((s) => s.msg.kind === 'masterHeartbeat' && s.msg.receiver === id);
  }

  private onMasterBytes(bytes: Uint8Array): void {
    for (const raw of this.decoder.push(bytes)) {
      const msg = decodeMessage(raw);
      this.sent.push({ at: this.clock.now(), msg });
      if (msg.kind !== 'masterHeartbeat') {
        this.onFrame?.(msg);
        continue;
      }
      const slave = this.slaves.get(msg.receiver);
      if (slave && !(++slave.heard % (slave.lossEvery ?? Infinity) === 0)) this.hear(slave, msg);
      this.onFrame?.(msg);
    }
  }

  private hear(slave: ScriptedSlave, msg: TwcMessage & { kind: 'masterHeartbeat' }): void {
    slave.heardAt = this.clock.now();
    const before = slave.obeyed;
    if (msg.command === 0x05 || msg.command === 0x09) {
      slave.obeyed = msg.amps;
      // A stale echo stays one change behind: it shows the limit from before the latest change.
      if (slave.state !== 0 && !slave.staleEcho) slave.limit = msg.amps;
      else if (slave.state !== 0 && msg.amps !== before) slave.limit = before;
    }
    if (slave.silent) return;
    const reply = (actual: number): void =>
      this.send({
        kind: 'slaveHeartbeat',
        sender: slave.id,
        receiver: msg.sender,
        state: slave.state,
        limitAmps: slave.limit,
        // It draws under what it obeys; the reported limit caps it too unless that report is stale.
        actualAmps: Math.min(actual, slave.obeyed, slave.staleEcho ? Infinity : slave.limit),
        version: slave.version,
      });
    const delays = slave.replyDelays;
    const at = delays ? delays[slave.heard % delays.length] : (slave.replyDelayMs ?? this.replyDelayMs);
    this.clock.setTimeout(() => reply(slave.actual), at);
    if (slave.doubled) this.clock.setTimeout(() => reply(slave.actual), at + 20);
    if (slave.twinActual !== undefined) this.clock.setTimeout(() => reply(slave.twinActual!), at + 25);
  }
}

/** An engine on a fake transport with scripted units behind it, under a ManualClock starting at `start`. */
export function scriptedMaster(config: Partial<MasterConfig>, start = 1000) {
  const clock = new ManualClock(start);
  const transport = new FakeTransport();
  const bus = new ScriptedSlaves(transport, clock);
  const master = new TwcMaster({ transport, clock, config });
  return { clock, transport, bus, master };
}

/** Wiring that tells the limits apart — total 50, per unit 40, minimum 12 — with the spike off. */
export const DISTINCT_LIMITS: Partial<MasterConfig> = {
  wiringMaxAmpsAllTWCs: 50,
  wiringMaxAmpsPerTWC: 40,
  minAmpsPerTWC: 12,
  spikeAmpsToCancel6ALimit: 0,
};

/** scriptedMaster() on DISTINCT_LIMITS, with `config` over them. */
export const distinctLimitsMaster = (config: Partial<MasterConfig> = {}) =>
  scriptedMaster({ ...DISTINCT_LIMITS, ...config });
