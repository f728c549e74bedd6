import type { NodeAPI, NodeDef } from 'node-red';
import { createBus } from '../bus/create-bus';
import { NODE_FIELDS, parseMasterSettings, type MasterNodeProps, type MasterSettings } from '../bus/settings';
import { SystemClock } from '../clock';
import { ApiListener } from '../http/listener';
import { servePage } from '../web/serve';
import { apiIsOpen, SERIAL_PORTS_ROUTE, type TwcMasterNode } from './master-node';
import { ApiRouteTable } from './api-routes';
import { nodeRedHttpHost } from './node-red-internals';
import { guardNodeRedPort } from './port-gate';
import { startWithState } from './state-store';
import { translator, type Translate } from './i18n';
import type { TransportStatus } from '../transport/transport';

/** Logs the bus going down once per fall (not per retry), with the whole reason, and its coming back. */
function logTransport(node: TwcMasterNode, t: Translate): (status: TransportStatus) => void {
  let down = false;
  return (status) => {
    if (status.state === 'open' && down) {
      down = false;
      node.log(t('log.busOpen', { detail: status.detail }));
    }
    if (status.state !== 'waiting' || down) return;
    down = true;
    node.error(t('error.busDown', { detail: status.detail }));
  };
}
import { serialPortClass } from '../transport/serialport';

/** The dedicated API port; a bind error is the node's error, never a silent move to another port. */
function openListener(
  RED: NodeAPI,
  routes: ApiRouteTable,
  node: TwcMasterNode,
  settings: MasterSettings,
  t: Translate,
): ApiListener {
  const listener = new ApiListener(nodeRedHttpHost(RED, routes), {
    port: settings.listenPort,
    host: settings.listenHost,
    token: node.credentials?.apiToken,
    allowedOrigins: settings.allowedOrigins,
    page: true,
    warn: (m) => node.warn(`twc-master: ${m}`),
  });
  const port = settings.listenPort;
  listener.listen().then(
    (bound) => node.log(t('log.apiListening', { port: bound })),
    (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE'
          ? t('error.apiPortInUse', { port })
          : t('error.apiListenFailed', { port, detail: err.message });
      node.error(why);
      // The nodes of the bus say it too, in a few words: the bus runs, its API does not.
      node.apiProblem =
        err.code === 'EADDRINUSE'
          ? t('status.apiPortInUse', { port })
          : t('status.apiListenFailed', { port });
      for (const refresh of node.statusWatchers ?? []) refresh();
    },
  );
  return listener;
}

export = function register(RED: NodeAPI): void {
  const routes = ApiRouteTable.of(RED);
  guardNodeRedPort(RED, routes);

  const t = translator(RED);

  function TwcMasterConfig(this: TwcMasterNode, props: NodeDef & MasterNodeProps): void {
    RED.nodes.createNode(this as never, props);
    this.statusWatchers = new Set();
    try {
      this.settings = parseMasterSettings(props);
    } catch (err) {
      this.configError = (err as Error).message;
      this.error(t('error.badConfig', { detail: this.configError }));
      return;
    }
    const bus = createBus(this.settings, new SystemClock());
    const { engine, policy, history } = bus;
    // Every status and command node listens; a busy flow must not trip Node's leak warning.
    engine.setMaxListeners(0);
    // Translated by code where the engine gives the values; its internal errors stay as they are.
    engine.on('warning', (w) => this.warn(w.values ? t(`warning.${w.code}`, w.values) : w.message));
    engine.on('transport', logTransport(this, t));
    this.engine = engine;
    this.policy = policy;
    this.history = history;

    const state = startWithState(RED, this, bus);
    this.saveState = state.save;
    this.stateNotice = state.notice;
    const listener = this.settings.httpEnabled
      ? openListener(RED, routes, this, this.settings, t)
      : undefined;
    // Once per deploy, from the bus; its nodes show it in their status.
    this.apiOpen = apiIsOpen(this.settings, this.credentials?.apiToken);
    if (this.apiOpen)
      this.warn(t('log.apiOpen', { host: this.settings.listenHost || '*', port: this.settings.listenPort }));

    this.on('close', (_removed: boolean, done: () => void) => {
      state.close();
      // The port must be free before a redeployed twc-master opens it again.
      Promise.all([bus.stop(), listener?.close()]).then(
        () => done(),
        (err: unknown) => {
          this.error(t('error.closeFailed', { detail: (err as Error).message }));
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
