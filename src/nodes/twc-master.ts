import type { NodeAPI, NodeDef } from 'node-red';
import { SerialPort } from 'serialport';
import { chargerWatts } from '../api/installation';
import { supplyOf } from '../api/status-view';
import { SystemClock } from '../clock';
import { ChargeHistory } from '../history/charge-history';
import { TwcMaster } from '../master/engine';
import { ChargePolicy } from '../policy/charge-policy';
import { SerialTransport } from '../transport/serial-transport';
import { SimulatorTransport } from '../transport/simulator-transport';
import { TcpTransport } from '../transport/tcp-transport';
import type { Transport } from '../transport/transport';
import { TWC_PAGE } from '../web/page';
import { ApiListener, routeKey } from './http-listener';
import { SERIAL_PORTS_ROUTE, type TwcMasterNode } from './master-node';
import { parseMasterSettings, type MasterNodeProps, type MasterSettings } from './master-settings';
import { StateStore } from './state-store';

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

/** A history sample every few seconds: enough for five-minute averages, cheap on a Raspberry Pi. */
const HISTORY_SAMPLE_MS = 5000;

function parseSize(v: unknown): number {
  const m = /^(\d+(?:\.\d+)?)\s*(kb|mb|gb|b)?$/i.exec(String(v ?? '5mb').trim());
  if (!m) return 5 * 1024 * 1024;
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  return Math.floor(Number(m[1]) * unit);
}

export = function register(RED: NodeAPI): void {
  /** "METHOD path" of the deployed http-in nodes that hand over the raw body. */
  const rawBodyRoutes = (): Set<string> => {
    const routes = new Set<string>();
    RED.nodes.eachNode((n) => {
      const h = n as unknown as {
        type: string;
        d?: boolean;
        method?: string;
        url?: string;
        skipBodyParsing?: boolean;
      };
      if (h.type === 'http in' && h.skipBodyParsing && !h.d && h.url)
        routes.add(routeKey(h.method ?? 'get', h.url.startsWith('/') ? h.url : '/' + h.url));
    });
    return routes;
  };

  function TwcMasterConfig(this: TwcMasterNode, props: NodeDef & MasterNodeProps): void {
    RED.nodes.createNode(this as never, props);
    try {
      this.settings = parseMasterSettings(props);
    } catch (err) {
      this.configError = (err as Error).message;
      this.error(`twc-master: ${this.configError}`);
      return;
    }
    const settings = this.settings;
    const clock = new SystemClock();
    const engineRef: { engine?: TwcMaster } = {};
    const policy = new ChargePolicy(
      {},
      {
        minAmps: settings.minAmpsPerTWC,
        supply: () =>
          engineRef.engine
            ? supplyOf({ slaves: engineRef.engine.slaveSnapshots() }, settings)
            : { volts: settings.defaultVoltage, phases: settings.numberOfPhases },
      },
    );
    const history = new ChargeHistory();
    const engine = new TwcMaster({
      transport: makeTransport(settings, clock),
      clock,
      config: settings.engine,
      policy,
    });
    engineRef.engine = engine;
    // Every status and command node listens; a busy flow must not trip Node's leak warning.
    engine.setMaxListeners(0);
    engine.on('warning', (w) => this.warn(w.message));
    this.engine = engine;
    this.policy = policy;
    this.history = history;

    const store = new StateStore(this.context(), (err) =>
      this.warn(`twc-master: could not store settings: ${err}`),
    );
    this.saveState = () => store.save(policy.current, history.toJSON());
    const saveSoon = (): void => store.saveSoon(policy.current, history.toJSON());
    let closed = false;
    let sampler: NodeJS.Timeout | undefined;
    let listener: ApiListener | undefined;

    // The engine starts once the stored settings are back, so a restart never offers default amps first.
    store.load((state) => {
      if (closed) return;
      policy.restore(state.policy);
      history.restore(state.history, Date.now());
      policy.onChange(saveSoon);
      engine.start();
      sampler = setInterval(() => {
        const watts = chargerWatts(engine.slaveSnapshots(), settings);
        if (history.record(Date.now(), watts)) saveSoon();
      }, HISTORY_SAMPLE_MS);
    });

    if (settings.httpEnabled) {
      const routerApp = RED.httpNode as unknown as ConstructorParameters<typeof ApiListener>[0]['app'];
      listener = new ApiListener(
        {
          app: routerApp,
          httpNodeAuth: (RED.settings as unknown as Record<string, unknown>).httpNodeAuth,
          rawBodyRoutes,
          maxBodyBytes: parseSize((RED.settings as unknown as Record<string, unknown>).apiMaxLength),
        },
        {
          port: settings.listenPort,
          host: settings.listenHost,
          token: this.credentials?.apiToken,
          page: TWC_PAGE,
        },
      );
      listener.listen().then(
        (port) => this.log(`TWCManager API and web page on port ${port}`),
        (err: NodeJS.ErrnoException) => {
          const why =
            err.code === 'EADDRINUSE'
              ? `port ${settings.listenPort} is already in use; choose another listen port or stop what uses it`
              : `cannot listen on port ${settings.listenPort}: ${err.message}`;
          this.error(`twc-master: ${why}`);
        },
      );
    }

    this.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      if (sampler) clearInterval(sampler);
      this.saveState?.();
      // The port must be free before a redeployed twc-master opens it again.
      Promise.all([engine.stop(), listener?.close()]).then(
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
  });

  RED.httpAdmin.get(SERIAL_PORTS_ROUTE, RED.auth.needsPermission('twc-master.read'), (_req, res) => {
    // SerialPort.list() needs udevadm on Linux; without it the editor still takes a typed path.
    SerialPort.list().then(
      (ports) => res.json(ports.map((p) => ({ path: p.path, manufacturer: p.manufacturer ?? '' }))),
      () => res.json([]),
    );
  });

  // The web page on Node-RED's own port; it talks to the /api routes of the example flow.
  RED.httpNode.get('/twc', (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('html').send(TWC_PAGE);
  });
};
