import { chargerWatts } from '../api/installation';
import type { Clock, TimerHandle } from '../clock';
import { ChargeHistory } from '../history/charge-history';
import { TwcMaster } from '../master/engine';
import { ChargePolicy } from '../policy/charge-policy';
import { greenWatts } from '../policy/green';
import { supplyOf } from '../policy/supply';
import { SerialTransport } from '../transport/serial-transport';
import { SimulatorTransport } from '../transport/simulator-transport';
import { TcpTransport } from '../transport/tcp-transport';
import type { Transport } from '../transport/transport';
import type { MasterSettings } from './settings';

/** A history sample every few seconds: enough for five-minute averages, cheap on a Raspberry Pi. */
export const HISTORY_SAMPLE_MS = 5000;

/** Policy settings and history as they were saved; either may be missing (nothing saved yet). */
export interface SavedState {
  policy?: unknown;
  history?: unknown;
}

/** One RS-485 bus with everything that runs on it: what a twc-master node holds. */
export interface Bus {
  readonly engine: TwcMaster;
  readonly policy: ChargePolicy;
  readonly history: ChargeHistory;
  /**
   * Takes back the saved state, then starts the engine and the history sampler. `onChange` hears every
   * change worth saving (policy settings, a closed history slot). Starting only now means a restart never
   * offers the default amps before the saved settings are back.
   */
  start(saved: SavedState, onChange: () => void): void;
  /** Stops the sampler and the engine; resolves when the port is free for a redeployed bus. */
  stop(): Promise<void>;
}

export interface BusOptions {
  /** Wall-clock milliseconds, for the policy's schedules and the history's slots. */
  wallClock?: () => number;
}

function makeTransport(settings: MasterSettings, clock: Clock): Transport {
  switch (settings.transport) {
    case 'serial':
      return new SerialTransport({ path: settings.serialPort, baudRate: settings.baud }, clock);
    case 'tcp':
      return new TcpTransport({ host: settings.host, port: settings.tcpPort }, clock);
    case 'simulator':
      return new SimulatorTransport(settings.slaves, clock);
  }
}

/** Builds the engine, its charging policy and the charge history of one bus from validated settings. */
export function createBus(settings: MasterSettings, clock: Clock, options: BusOptions = {}): Bus {
  const wallClock = options.wallClock ?? Date.now;
  const engine = new TwcMaster({
    transport: makeTransport(settings, clock),
    clock,
    config: settings.engine,
  });
  // The policy turns watts into amps with the voltage the engine's slaves report, so it comes second.
  const policy = new ChargePolicy(
    {},
    {
      wallClock,
      minAmps: settings.minAmpsPerTWC,
      supply: () => supplyOf(engine.slaveSnapshots(), settings),
    },
  );
  engine.setPolicy(policy);
  const history = new ChargeHistory();
  let sampler: TimerHandle | undefined;
  let stopped = false;

  const sample = (onChange: () => void): void => {
    sampler = clock.setTimeout(() => sample(onChange), HISTORY_SAMPLE_MS);
    const slaves = engine.slaveSnapshots();
    const site = greenWatts(policy.current, supplyOf(slaves, settings));
    if (history.record(wallClock(), chargerWatts(slaves, settings), site)) onChange();
  };

  return {
    engine,
    policy,
    history,
    start(saved, onChange) {
      if (stopped) return;
      policy.restore(saved.policy);
      history.restore(saved.history, wallClock());
      policy.onChange(onChange);
      engine.start();
      sampler = clock.setTimeout(() => sample(onChange), HISTORY_SAMPLE_MS);
    },
    stop() {
      stopped = true;
      clock.clearTimeout(sampler);
      sampler = undefined;
      return engine.stop();
    },
  };
}
