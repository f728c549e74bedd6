import type { NodeAPI, NodeDef } from 'node-red';
import { SerialPort } from 'serialport';
import { SystemClock } from '../clock';
import { TwcMaster } from '../master/engine';
import { ChargePolicy } from '../policy/charge-policy';
import { SerialTransport } from '../transport/serial-transport';
import { SimulatorTransport } from '../transport/simulator-transport';
import { TcpTransport } from '../transport/tcp-transport';
import type { Transport } from '../transport/transport';
import { SERIAL_PORTS_ROUTE, type TwcMasterNode } from './master-node';
import { parseMasterSettings, type MasterNodeProps, type MasterSettings } from './master-settings';

function makeTransport(settings: MasterSettings, clock: SystemClock): Transport {
  switch (settings.transport) {
    case 'serial':
      return new SerialTransport({ path: settings.serialPort, baudRate: settings.baud }, clock);
    case 'tcp':
      return new TcpTransport({ host: settings.host, port: settings.tcpPort }, clock);
    case 'simulator':
      return new SimulatorTransport(settings.slaves, clock);
  }
}

export = function register(RED: NodeAPI): void {
  function TwcMasterConfig(this: TwcMasterNode, props: NodeDef & MasterNodeProps): void {
    RED.nodes.createNode(this, props);
    try {
      this.settings = parseMasterSettings(props);
    } catch (err) {
      this.configError = (err as Error).message;
      this.error(`twc-master: ${this.configError}`);
      return;
    }
    const clock = new SystemClock();
    this.policy = new ChargePolicy();
    const engine = new TwcMaster({
      transport: makeTransport(this.settings, clock),
      clock,
      config: this.settings.engine,
      policy: this.policy,
    });
    // Every status and command node listens; a busy flow must not trip Node's leak warning.
    engine.setMaxListeners(0);
    engine.on('warning', (w) => this.warn(w.message));
    this.engine = engine;
    engine.start();
    this.on('close', (_removed: boolean, done: () => void) => {
      // The port must be free before a redeployed twc-master opens it again.
      engine.stop().then(
        () => done(),
        (err: unknown) => {
          this.error(`twc-master: closing the bus failed: ${(err as Error).message}`);
          done();
        },
      );
    });
  }

  RED.nodes.registerType('twc-master', TwcMasterConfig);

  RED.httpAdmin.get(SERIAL_PORTS_ROUTE, RED.auth.needsPermission('twc-master.read'), (_req, res) => {
    // SerialPort.list() needs udevadm on Linux; without it the editor still takes a typed path.
    SerialPort.list().then(
      (ports) => res.json(ports.map((p) => ({ path: p.path, manufacturer: p.manufacturer ?? '' }))),
      () => res.json([]),
    );
  });
};
