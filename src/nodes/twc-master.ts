import type { NodeAPI, NodeDef } from 'node-red';
import { createBus } from '../bus/create-bus';
import { NODE_FIELDS, parseMasterSettings, type MasterNodeProps, type MasterSettings } from '../bus/settings';
import { SystemClock } from '../clock';
import { ApiListener } from '../http/listener';
import { servePage } from '../web/serve';
import { SERIAL_PORTS_ROUTE, type TwcMasterNode } from './master-node';
import { ApiRouteTable } from './api-routes';
import { nodeRedHttpHost } from './node-red-internals';
import { guardNodeRedPort } from './port-gate';
import { startWithState } from './state-store';
import { serialPortClass } from '../transport/serialport';

/** The dedicated API port; a bind error is the node's error, never a silent move to another port. */
function openListener(
  RED: NodeAPI,
  routes: ApiRouteTable,
  node: TwcMasterNode,
  settings: MasterSettings,
): ApiListener {
  const listener = new ApiListener(nodeRedHttpHost(RED, routes), {
    port: settings.listenPort,
    host: settings.listenHost,
    token: node.credentials?.apiToken,
    allowedOrigins: settings.allowedOrigins,
    page: true,
    warn: (m) => node.warn(`twc-master: ${m}`),
  });
  listener.listen().then(
    (port) => node.log(`TWCManager API and web page on port ${port}`),
    (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE'
          ? `port ${settings.listenPort} is already in use; choose another listen port or stop what uses it`
          : `cannot listen on port ${settings.listenPort}: ${err.message}`;
      node.error(`twc-master: ${why}`);
    },
  );
  return listener;
}

export = function register(RED: NodeAPI): void {
  const routes = ApiRouteTable.of(RED);
  guardNodeRedPort(RED, routes);

  function TwcMasterConfig(this: TwcMasterNode, props: NodeDef & MasterNodeProps): void {
    RED.nodes.createNode(this as never, props);
    try {
      this.settings = parseMasterSettings(props);
    } catch (err) {
      this.configError = (err as Error).message;
      this.error(`twc-master: ${this.configError}`);
      return;
    }
    const bus = createBus(this.settings, new SystemClock());
    const { engine, policy, history } = bus;
    // Every status and command node listens; a busy flow must not trip Node's leak warning.
    engine.setMaxListeners(0);
    engine.on('warning', (w) => this.warn(w.message));
    this.engine = engine;
    this.policy = policy;
    this.history = history;

    const state = startWithState(RED, this, bus);
    this.saveState = state.save;
    this.stateNotice = state.notice;
    const listener = this.settings.httpEnabled ? openListener(RED, routes, this, this.settings) : undefined;

    this.on('close', (_removed: boolean, done: () => void) => {
      state.close();
      // The port must be free before a redeployed twc-master opens it again.
      Promise.all([bus.stop(), listener?.close()]).then(
        () => done(),
        (err: unknown) => {
          this.error(`twc-master: closing the bus failed: ${(err as Error).message}`);
          done();
        },
      );
    });
  }

  RED.nodes.registerType('twc-master', TwcMasterConfig as never, {
    credentials: { apiToken: { type: 'password' } },
    // The dialog validates with the parser's own table (RED.settings.twcMasterFields in the editor).
    settings: { twcMasterFields: { value: NODE_FIELDS, exportable: true } },
  });

  RED.httpAdmin.get(SERIAL_PORTS_ROUTE, RED.auth.needsPermission('twc-master.read'), (_req, res) => {
    // SerialPort.list() needs udevadm on Linux; without it the editor still takes a typed path.
    serialPortClass()
      .list()
      .then(
        (ports) => res.json(ports.map((p) => ({ path: p.path, manufacturer: p.manufacturer ?? '' }))),
        () => res.json([]),
      );
  });

  // The web page on Node-RED's own port; it talks to the /api routes of the example flow.
  servePage(RED.httpNode);
};
