import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { COMMANDS, isCommand, runCommand } from '../api/commands';
import { TOKEN_REQUIRED } from '../http/auth';
import { RefusalLog } from '../http/refusal-log';
import { commandTarget, findMaster, forHttp, httpAllowed } from './master-node';
import { commandStatus } from './node-status';

interface CommandNodeProps {
  master?: string;
  command?: string;
}

export = function register(RED: NodeAPI): void {
  function TwcCommand(this: Node, props: NodeDef & CommandNodeProps): void {
    RED.nodes.createNode(this, props);
    const fixed = props.command ?? '';
    const found = findMaster(RED, props.master);
    // A flood of bad requests must not flood the log: once a minute per command and status, with a count.
    const refusals = new RefusalLog((m) => this.warn(m));
    if ('problem' in found) this.status({ fill: 'red', shape: 'ring', text: found.problem });
    else {
      const notice = found.master.stateNotice?.();
      if (notice) this.status({ fill: 'yellow', shape: 'ring', text: notice });
    }

    this.on('input', (msg: NodeMessageInFlow & { statusCode?: number }, send, done) => {
      const name = fixed || msg.topic;
      let result;
      if (!isCommand(name)) {
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
        result = runCommand(name, msg.payload, commandTarget(found.master));
      }
      if (result.statusCode >= 400) {
        const kind = `${isCommand(name) ? name : '?'} ${result.statusCode}`;
        refusals.refused(
          kind,
          `${name || 'command'}: ${String(result.payload === '' ? '' : result.payload.error)}`,
        );
      }
      const notice = 'master' in found ? found.master.stateNotice?.() : undefined;
      this.status(commandStatus(String(name || '?'), result.statusCode, notice));
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
