import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { isPayload, PAYLOADS, payloadOf, TEXT_PAYLOADS, type PayloadName } from '../api/payloads';
import { TOKEN_REQUIRED } from '../http/auth';
import type { MasterEvents } from '../master/types';
import type { SlaveSnapshot } from '../master/slave-record';
import { findMaster, forHttp, httpAllowed } from './master-node';
import { watchBus } from './bus-watch';
import { oncePerTurn } from './once-per-turn';
import { translator } from './i18n';
import { mqttOutput, type MqttOutputProps } from '../mqtt/status-output';

interface StatusNodeProps extends MqttOutputProps {
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
/** How often MQTT mode compares what the broker holds with the bus, between events. */
const MQTT_REFRESH_MS = 5000;

export = function register(RED: NodeAPI): void {
  const t = translator(RED);
  function TwcStatus(this: Node, props: NodeDef & StatusNodeProps): void {
    RED.nodes.createNode(this, props);
    const chosen: PayloadName = isPayload(props.payload) ? props.payload : 'status';
    const intervalSeconds = Number(props.interval ?? 0);
    const found = findMaster(RED, props.master);
    if ('problem' in found) {
      this.status({ fill: 'red', shape: 'ring', text: t(`problem.${found.key}`, { reason: found.problem }) });
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

    const watch = watchBus(this, master, t);
    // Output "mqtt": TWCManager's status topics and Home Assistant's discovery (docs/api.md §7.1).
    const mqtt = mqttOutput(props, source, (messages) => this.send([messages] as never));
    // What the broker holds also ages (seconds since the last heartbeat), as the dot does.
    const mqttTimer = mqtt ? setInterval(() => mqtt.update(), MQTT_REFRESH_MS) : undefined;
    // Several events of one bus exchange become at most one message.
    const changed = oncePerTurn(() => {
      mqtt?.update();
      if (props.onChange && chosen !== 'events' && !mqtt) this.send(output(chosen, {}));
    });
    const listeners: (() => unknown)[] = CHANGE_EVENTS.map((event) => {
      const listener = (...args: unknown[]): void => {
        events.push({ event, at: new Date().toISOString(), data: args.length === 1 ? args[0] : args });
        if (events.length > EVENT_HISTORY) events.shift();
        if (event === 'slaveRemoved') mqtt?.removed(args[0] as SlaveSnapshot);
        if (chosen === 'events')
          this.send({ topic: 'events', payload: { event, data: args.length === 1 ? args[0] : args } });
        changed();
      };
      engine.on(event, listener as never);
      return () => engine.off(event, listener as never);
    });
    // A command changes what the views show (charge now, a setting) even when no offer on the wire changes.
    listeners.push(master.policy!.onChange(changed));
    mqtt?.update();
    const intervalTimer =
      Number.isFinite(intervalSeconds) && intervalSeconds > 0
        ? setInterval(() => (mqtt ? mqtt.republish() : this.send(output(chosen, {}))), intervalSeconds * 1000)
        : undefined;

    this.on('input', (msg: NodeMessageInFlow & { statusCode?: number }, send, done) => {
      // In MQTT mode any input (Home Assistant's birth message, say) sends every topic again.
      if (mqtt) return (mqtt.republish(), done());
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
      watch.close();
      mqtt?.close();
      if (mqttTimer) clearInterval(mqttTimer);
      if (intervalTimer) clearInterval(intervalTimer);
    });
  }
  RED.nodes.registerType('twc-status', TwcStatus, {
    // The dialog's outputs are this very list (RED.settings.twcStatusPayloads in the editor).
    settings: { twcStatusPayloads: { value: PAYLOADS, exportable: true } },
  } as never);
};
