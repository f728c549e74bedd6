import type { Node, NodeAPI, NodeDef, NodeMessageInFlow, NodeStatus } from 'node-red';
import { COMMANDS, isCommand, runCommand } from '../api/commands';
import { TOKEN_REQUIRED } from '../http/auth';
import { RefusalLog } from '../http/refusal-log';
import { commandTarget, findMaster, forHttp, httpAllowed, type TwcMasterNode } from './master-node';
import { watchBus, type BusWatch } from './bus-watch';
import { translator } from './i18n';
import { commandStatus, type CommandOutcome } from './node-status';
import { fromMqtt, mqttPrefixOf } from '../mqtt/command-input';

interface CommandNodeProps {
  master?: string;
  command?: string;
  mqttPrefix?: string;
}

export = function register(RED: NodeAPI): void {
  const t = translator(RED);
  function TwcCommand(this: Node, props: NodeDef & CommandNodeProps): void {
    RED.nodes.createNode(this, props);
    // Command "mqtt": the command comes from the MQTT topic `<prefix>/control/<name>` (docs/api.md §7.4).
    const mqttPrefix = mqttPrefixOf(props);
    const fixed = mqttPrefix === undefined ? (props.command ?? '') : '';
    const found = findMaster(RED, props.master);
    // A flood of bad requests must not flood the log: once a minute per command and status, with a count.
    const refusals = new RefusalLog((m) => this.warn(m));
    // The bus's state always shows; the last command's outcome is added after it.
    let last: CommandOutcome | undefined;
    let watch: BusWatch | undefined;
    const noBus: NodeStatus | undefined =
      'problem' in found
        ? { fill: 'red', shape: 'ring', text: t(`problem.${found.key}`, { reason: found.problem }) }
        : undefined;
    if (noBus) this.status(noBus);
    else
      watch = watchBus(this, (found as { master: TwcMasterNode }).master, t, (bus, view) => {
        if (!last) return bus;
        // A warning that no longer holds (the bus came back) no longer marks the command.
        const holds = view.facts.some((f) => f.code === last?.warningCode);
        return commandStatus({ ...last, warningCode: holds ? last.warningCode : undefined }, bus, t);
      });
    this.on('close', () => watch?.close());

    this.on('input', (msg: NodeMessageInFlow & { statusCode?: number }, send, done) => {
      const mqtt = mqttPrefix === undefined ? undefined : fromMqtt(mqttPrefix, msg.topic, msg.payload);
      if (mqtt?.kind === 'ignore') return done();
      const name = mqtt ? mqtt.name : fixed || msg.topic;
      let result;
      if (mqtt?.kind === 'refuse') result = { statusCode: 400, payload: { error: mqtt.reason } };
      else if (!isCommand(name)) {
        const error = name
          ? `unknown command "${String(name)}"; one of ${COMMANDS.join(', ')}`
          : `no command: set one in the node or in msg.topic (${COMMANDS.join(', ')})`;
        result = { statusCode: 400, payload: { error } };
      } else if ('problem' in found) {
        result = { statusCode: 503, payload: { error: found.problem } };
      } else if (!httpAllowed(found.master, msg)) {
        result = {
          statusCode: 401,
          payload: { error: TOKEN_REQUIRED },
        };
      } else {
        result = runCommand(name, mqtt ? mqtt.input : msg.payload, commandTarget(found.master));
      }
      if (result.statusCode >= 400) {
        const kind = `${isCommand(name) ? name : '?'} ${result.statusCode}`;
        refusals.refused(
          kind,
          `${name || 'command'}: ${String(result.payload === '' ? '' : result.payload.error)}`,
        );
      }
      const warningCode =
        result.payload === '' ? undefined : (result.payload as Record<string, unknown>).warningCode;
      last = {
        name: String(name || '?'),
        statusCode: result.statusCode,
        warningCode: typeof warningCode === 'string' ? warningCode : undefined,
      };
      if (watch) watch.refresh();
      else if (noBus) this.status(commandStatus(last, noBus, t));
      msg.statusCode = result.statusCode;
      msg.payload = result.payload;
      // An empty body (checkArrival's 202) goes out as it is, not as the JSON text "".
      forHttp(msg, result.payload === '');
      send(msg);
      done();
    });
  }
  RED.nodes.registerType('twc-command', TwcCommand, {
    // The dialog's commands are this very list (RED.settings.twcCommandNames in the editor).
    settings: { twcCommandNames: { value: COMMANDS, exportable: true } },
  } as never);
};
