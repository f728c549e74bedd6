import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';

/** Debian's broker, installed by scripts/ensure-system-deps.sh. */
export const MOSQUITTO = process.env.MOSQUITTO_PATH ?? '/usr/sbin/mosquitto';

export interface Broker {
  port: number;
  url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** A real mosquitto on a free port of 127.0.0.1, with a config of its own in a temporary directory. */
export async function startMosquitto(): Promise<Broker> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twc-mosquitto-'));
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(
    conf,
    `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\n`,
  );
  const child: ChildProcess = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`mosquitto did not start on port ${port}: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real MQTT client that keeps the last payload of every topic it hears, as a retained view of the broker. */
export class TopicWatcher {
  readonly latest = new Map<string, string>();
  readonly heard: { topic: string; payload: string; retain: boolean }[] = [];
  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      this.latest.set(topic, payload.toString('utf8'));
      this.heard.push({ topic, payload: payload.toString('utf8'), retain: packet.retain });
    });
  }

  static async connect(url: string, topics: string[]): Promise<TopicWatcher> {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
    const watcher = new TopicWatcher(client);
    await client.subscribeAsync(topics, { qos: 1 });
    return watcher;
  }

  publish(topic: string, payload: string): Promise<unknown> {
    return this.client.publishAsync(topic, payload, { qos: 1 });
  }

  /** Waits until `test` holds for what was heard; the reason is in the error when it never does. */
  async until(what: string, test: () => boolean, ms = 8000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Waits until nothing new has come for `quietMs` (the retained messages of a subscription are all in). */
  async settled(quietMs = 300): Promise<void> {
    let count = -1;
    while (count !== this.heard.length) {
      count = this.heard.length;
      await new Promise((r) => setTimeout(r, quietMs));
    }
  }

  end(): Promise<void> {
    return this.client.endAsync(true);
  }
}
