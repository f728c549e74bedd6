import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { isPayload, PAYLOADS, payloadOf, TEXT_PAYLOADS, type PayloadName } from '../api/payloads';
import { TOKEN_REQUIRED } from '../http/auth';
import type { MasterEvents } from '../master/types';
import { findMaster, forHttp, httpAllowed } from './master-node';
import { busStatus } from './node-status';

interface StatusNodeProps {
  master?: string;
  payload?: string;
  onChange?: boolean;
  interval?: unknown;
}

/** Events that change what the views show. */
const CHANGE_EVENTS: (keyof MasterEvents)[] = [
  'transport',
  'slaveAdded',
  'slaveRemoved',
  'slaveChanged',
  'offer',
  'vin',
  'warning',
];
const EVENT_HISTORY = 50;

export = function register(RED: NodeAPI): void {
  function TwcStatus(this: Node, props: NodeDef & StatusNodeProps): void {
    RED.nodes.createNode(this, props);
    const chosen: PayloadName = isPayload(props.payload) ? props.payload : 'status';
    const intervalSeconds = Number(props.interval ?? 0);
    const found = findMaster(RED, props.master);
    if ('problem' in found) {
      this.status({ fill: 'red', shape: 'ring', text: found.problem });
      this.on('input', (msg: NodeMessageInFlow & { statusCode?: number }, send, done) => {
        msg.statusCode = 503;
        msg.payload = { error: found.problem };
        forHttp(msg);
        send(msg);
        done();
      });
      return;
    }
    const master = found.master;
    const engine = master.engine!;
    const source = { engine, policy: master.policy!, history: master.history!, install: master.settings! };
    const events: { event: string; at: string; data: unknown }[] = [];
    const output = (name: PayloadName, msg: Record<string, unknown>): Record<string, unknown> => {
      msg.topic = name;
      msg.payload = name === 'events' ? [...events] : payloadOf(name, source, Date.now());
      msg.statusCode = 200;
      return msg;
    };

    const refreshStatus = (): void => this.status(busStatus(engine.snapshot(), master.stateNotice?.()));
    let pending = false;
    const listeners = CHANGE_EVENTS.map((event) => {
      const listener = (...args: unknown[]): void => {
        events.push({ event, at: new Date().toISOString(), data: args.length === 1 ? args[0] : args });
        if (events.length > EVENT_HISTORY) events.shift();
        if (chosen === 'events')
          this.send({ topic: 'events', payload: { event, data: args.length === 1 ? args[0] : args } });
        // Several events of one bus exchange become one status update and at most one message.
        if (pending) return;
        pending = true;
        setImmediate(() => {
          pending = false;
          refreshStatus();
          if (props.onChange && chosen !== 'events') this.send(output(chosen, {}));
        });
      };
      engine.on(event, listener as never);
      return () => engine.off(event, listener as never);
    });
    refreshStatus();
    // The dot also ages: "seconds since last heartbeat" and a vanished port show without any event.
    const statusTimer = setInterval(refreshStatus, 5000);
    const intervalTimer =
      Number.isFinite(intervalSeconds) && intervalSeconds > 0
        ? setInterval(() => this.send(output(chosen, {})), intervalSeconds * 1000)
        : undefined;

    this.on('input', (msg: NodeMessageInFlow & { statusCode?: number }, send, done) => {
      if (!httpAllowed(master, msg)) {
        msg.statusCode = 401;
        msg.payload = { error: TOKEN_REQUIRED };
        forHttp(msg);
        send(msg);
        done();
        return;
      }
      const name = isPayload(msg.topic) ? msg.topic : chosen;
      const out = output(name, msg);
      forHttp(out, TEXT_PAYLOADS.includes(name));
      send(out as NodeMessageInFlow);
      done();
    });
    this.on('close', () => {
      for (const off of listeners) off();
      clearInterval(statusTimer);
      if (intervalTimer) clearInterval(intervalTimer);
    });
  }
  RED.nodes.registerType('twc-status', TwcStatus, {
    // The dialog's outputs are this very list (RED.settings.twcStatusPayloads in the editor).
    settings: { twcStatusPayloads: { value: PAYLOADS, exportable: true } },
  } as never);
};
