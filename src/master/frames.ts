import { HeartbeatCommand } from '../protocol';
import type { MasterHeartbeat, ProtocolVersion, TwcId } from '../protocol/messages';
import type { MasterConfig } from './config';
import type { SlaveRecord } from './slave-record';

type Sender = Pick<MasterConfig, 'fakeTWCID'>;

/**
 * The heartbeat that carries `amps` to a linked unit. A set-limit until the unit shows it obeys it: every
 * lowering goes out, and again, until echoed (WireLimit.needsSetLimit); otherwise a keep-alive, which
 * changes no limit.
 */
export function heartbeatFor(slave: SlaveRecord, amps: number, config: Sender): MasterHeartbeat {
  const setLimit = slave.version === 1 ? HeartbeatCommand.SetLimitV1 : HeartbeatCommand.SetLimitV2;
  const command = slave.wire.needsSetLimit(amps) ? setLimit : HeartbeatCommand.KeepAlive;
  return {
    kind: 'masterHeartbeat',
    sender: config.fakeTWCID,
    receiver: slave.id,
    command,
    amps: command === HeartbeatCommand.KeepAlive ? 0 : amps,
    masterPluggedIn: false,
    version: slave.version,
  };
}

/**
 * A keep-alive heartbeat to an announced unit: one that answers takes a slot (CandidatePool). A keep-alive
 * changes no limit, so a unit coming back keeps what it may still be drawing (its reserve).
 */
export function probeFor(id: TwcId, version: ProtocolVersion, config: Sender): MasterHeartbeat {
  return {
    kind: 'masterHeartbeat',
    sender: config.fakeTWCID,
    receiver: id,
    command: HeartbeatCommand.KeepAlive,
    amps: 0,
    masterPluggedIn: false,
    version,
  };
}
