import { decodeMessage, encodeFrame, FrameDecoder } from '../../../src/protocol';
import type { ManualClock } from '../../../src/clock';
import type { ProtocolVersion, TwcMessage } from '../../../src/protocol/messages';
import type { FakeTransport } from '../../support/fake-transport';

export interface ScriptedSlave {
  id: number;
  version: ProtocolVersion;
  maxAmps: number;
  state: number;
  limit: number;
  actual: number;
  silent: boolean;
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
      if (msg.kind !== 'masterHeartbeat') continue;
      const slave = this.slaves.get(msg.receiver);
      if (!slave || slave.silent) continue;
      if ((msg.command === 0x05 || msg.command === 0x09) && slave.state !== 0) slave.limit = msg.amps;
      this.clock.setTimeout(() => {
        this.send({
          kind: 'slaveHeartbeat',
          sender: slave.id,
          receiver: msg.sender,
          state: slave.state,
          limitAmps: slave.limit,
          actualAmps: Math.min(slave.actual, slave.limit),
          version: slave.version,
        });
      }, this.replyDelayMs);
    }
  }
}
