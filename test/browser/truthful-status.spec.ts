import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, SHOTS } from '../support/browser';
import { request } from '../support/http-client';
import { freePort, startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { until } from '../support/api-process';

// Issue 15's cases of a status that must tell the truth, as a user meets them: the editor's canvas of a
// real Node-RED, and the API answers of the same buses (docs/api.md §1.7).

const Z = 'truth-tab';
const MISSING = '/dev/ttyDOESNOTEXIST';

type FlowNode = Record<string, unknown> & { id: string; type: string };

/** Every field of a twc-master as the editor saves it, so the canvas marks no node as invalid. */
const MASTER_DEFAULTS = {
  transport: 'simulator',
  serialPort: '',
  baud: 9600,
  host: '',
  tcpPort: 8899,
  simulatedSlaves: '',
  fakeTWCID: '7777',
  wiringMaxAmpsAllTWCs: 32,
  wiringMaxAmpsPerTWC: 32,
  minAmpsPerTWC: 12,
  defaultVoltage: 240,
  numberOfPhases: 1,
  httpEnabled: false,
  listenPort: 8080,
  listenHost: '127.0.0.1',
  allowedOrigins: '',
  cancelStopsCharging: false,
};

/** One bus (its own rows on the canvas): a status node and command nodes, each behind an http-in route. */
let nextY = 50;
function bus(key: string, label: string, master: Record<string, unknown>, commands: string[]): FlowNode[] {
  const row = (): number => {
    const y = nextY;
    nextY += 56;
    return y;
  };
  const y = row();
  const nodes: FlowNode[] = [
    { id: `${key}-m`, type: 'twc-master', name: label, ...MASTER_DEFAULTS, ...master },
    {
      id: `${key}-in-s`,
      type: 'http in',
      z: Z,
      url: `/${key}/getStatus`,
      method: 'get',
      x: 150,
      y,
      wires: [[`${key}-s`]],
    },
    {
      id: `${key}-s`,
      type: 'twc-status',
      z: Z,
      name: `${label} status`,
      master: `${key}-m`,
      payload: 'status',
      onChange: false,
      interval: '0',
      x: 440,
      y,
      wires: [[`${key}-out`]],
    },
    { id: `${key}-out`, type: 'http response', z: Z, x: 820, y, wires: [] },
  ];
  for (const command of commands) {
    const cy = row();
    nodes.push(
      {
        id: `${key}-in-${command}`,
        type: 'http in',
        z: Z,
        url: `/${key}/${command}`,
        method: 'post',
        skipBodyParsing: true,
        x: 150,
        y: cy,
        wires: [[`${key}-${command}`]],
      },
      {
        id: `${key}-${command}`,
        type: 'twc-command',
        z: Z,
        name: `${label} ${command}`,
        master: `${key}-m`,
        command,
        x: 440,
        y: cy,
        wires: [[`${key}-out`]],
      },
    );
  }
  nextY += 14;
  return nodes;
}

describe('a status that tells the truth, on the editor’s canvas and in the API (headless Chromium)', function () {
  this.timeout(120000);
  let red: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  let closedPort: number;
  let apiPort: number;

  /** The status text under the node labelled `name`, once it matches `want`; and its colour. */
  async function statusOf(name: string, want: RegExp): Promise<{ text: string; fill: string }> {
    const node = page.locator('#red-ui-workspace-chart g.red-ui-flow-node-group', { hasText: name });
    const label = node.locator('.red-ui-flow-node-status-label');
    await page.waitForFunction(
      ([n, source]) => {
        for (const g of Array.from(
          document.querySelectorAll('#red-ui-workspace-chart g.red-ui-flow-node-group'),
        )) {
          if (g.querySelector('.red-ui-flow-node-label')?.textContent !== n) continue;
          const t = g.querySelector('.red-ui-flow-node-status-label')?.textContent ?? '';
          if (new RegExp(source).test(t)) return true;
        }
        return false;
      },
      [name, want.source] as const,
      { timeout: 20000 },
    );
    const text = (await label.first().textContent()) ?? '';
    const cls = (await node.first().locator('.red-ui-flow-node-status').getAttribute('class')) ?? '';
    const fill = /red-ui-flow-node-status-(?:dot|ring)-(\w+)/.exec(cls)?.[1] ?? '?';
    return { text, fill };
  }

  const post = async (route: string, body: unknown) => {
    const a = await request(red.url, 'POST', route, { body: JSON.stringify(body) });
    return { status: a.status, json: a.json() as Record<string, unknown> };
  };
  const notices = async (key: string) =>
    (
      (await request(red.url, 'GET', `/${key}/getStatus`)).json() as {
        notices: { code: string; message: string }[];
      }
    ).notices;

  before(async () => {
    closedPort = await freePort();
    apiPort = await freePort();
    const flow: FlowNode[] = [
      { id: Z, type: 'tab', label: 'Truth' },
      ...bus('tcp', 'Gateway down', { transport: 'tcp', host: '127.0.0.1', tcpPort: closedPort }, [
        'chargeNow',
      ]),
      ...bus('ser', 'Port missing', { transport: 'serial', serialPort: MISSING }, ['chargeNow']),
      ...bus('low', 'Below minimum', { transport: 'simulator', simulatedSlaves: '4142:32:32' }, [
        'chargeNow',
      ]),
      ...bus('stop', 'Stopped', { transport: 'simulator', simulatedSlaves: '4142:32:32' }, [
        'sendStopCommand',
        'chargeNow',
      ]),
      ...bus(
        'open',
        'Open API',
        {
          transport: 'simulator',
          simulatedSlaves: '4142:32:32',
          httpEnabled: true,
          listenPort: apiPort,
          listenHost: '',
        },
        [],
      ),
    ];
    red = await startNodeRed(flow);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(red.url);
    await page
      .locator('#red-ui-workspace-chart g.red-ui-flow-node-group')
      .first()
      .waitFor({ timeout: 30000 });
    await until('the flows', async () =>
      (await request(red.url, 'GET', '/low/getStatus')).status === 200 ? true : undefined,
    );
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const name = `truth-${this.currentTest.title.replace(/\W+/g, '-')}-FAILED.png`.toLowerCase();
      await page.screenshot({ path: path.join(SHOTS, name) }).catch(() => undefined);
    }
  });

  after(async () => {
    await browser?.close();
    await red?.stop();
  });

  it('the gateway down: red on both nodes, the reason in the log, busDown in the answers', async () => {
    const want = new RegExp(`^bus down: connect ECONNREFUSED 127\\.0\\.0\\.1:${closedPort}$`);
    assert.deepEqual(await statusOf('Gateway down status', want), {
      text: `bus down: connect ECONNREFUSED 127.0.0.1:${closedPort}`,
      fill: 'red',
    });
    const r = await post('/tcp/chargeNow', { chargeNowRate: 16, chargeNowDuration: 600 });
    assert.equal(r.status, 200);
    assert.equal(r.json.warningCode, 'busDown');
    assert.match(
      String(r.json.warning),
      new RegExp(
        `^the bus is not open \\(cannot connect to 127\\.0\\.0\\.1:${closedPort}: connect ECONNREFUSED`,
      ),
    );
    assert.deepEqual(
      (await notices('tcp')).map((n) => n.code),
      ['busDown'],
    );
    const cmd = await statusOf('Gateway down chargeNow', /chargeNow: not in effect now$/);
    assert.deepEqual(cmd, {
      text: `bus down: connect ECONNREFUSED 127.0.0.1:${closedPort} · chargeNow: not in effect now`,
      fill: 'red',
    });
    assert.match(
      red.proc.stdout() + red.proc.stderr(),
      new RegExp(`the bus is down: cannot connect to 127\\.0\\.0\\.1:${closedPort}: connect ECONNREFUSED`),
    );
  });

  it('a missing serial port: the cause on the dot, the whole message in the log and the answers', async () => {
    assert.deepEqual(await statusOf('Port missing status', /^bus down: /), {
      text: 'bus down: No such file or directory',
      fill: 'red',
    });
    const full = `cannot open ${MISSING}: Error: No such file or directory, cannot open ${MISSING}`;
    const log = red.proc.stdout() + red.proc.stderr();
    assert.ok(log.includes(`the bus is down: ${full}.`), log);
    const r = await post('/ser/chargeNow', { chargeNowRate: 16, chargeNowDuration: 600 });
    assert.deepEqual(
      [r.status, r.json.warningCode, r.json.warning],
      [200, 'busDown', `the bus is not open (${full}): nothing reaches the Wall Connectors`],
    );
  });

  it('charge-now below the minimum: 200 with belowMinimum, the notice in getStatus, yellow with the reason', async () => {
    await statusOf('Below minimum status', /^1 TWC · \d+ A$/);
    const r = await post('/low/chargeNow', { chargeNowRate: 5, chargeNowDuration: 600 });
    assert.deepEqual(r, {
      status: 200,
      json: {
        status: 'success',
        rate: 5,
        duration: 600,
        warning:
          'Charge Now allows 5 A, below the minimum of 12 A per Wall Connector (minAmpsPerTWC): 0 A is offered',
        warningCode: 'belowMinimum',
      },
    });
    assert.deepEqual(await notices('low'), [{ code: 'belowMinimum', message: r.json.warning }]);
    const s = await statusOf('Below minimum status', /Charge Now 5 A is below the 12 A minimum: 0 A$/);
    assert.equal(s.fill, 'yellow');
    const c = await statusOf('Below minimum chargeNow', /chargeNow: not in effect now$/);
    assert.match(
      c.text,
      /^1 TWC · \d+ A · Charge Now 5 A is below the 12 A minimum: 0 A · chargeNow: not in effect now$/,
    );
    assert.equal(c.fill, 'yellow');
  });

  it('stopped: a charge-now after the stop says so, in the answer, getStatus and on the canvas', async () => {
    await statusOf('Stopped status', /^1 TWC · \d+ A$/);
    const stop = await post('/stop/sendStopCommand', {});
    assert.deepEqual(stop, { status: 200, json: { status: 'success', twcs: 1 } });
    const r = await post('/stop/chargeNow', { chargeNowRate: 16, chargeNowDuration: 600 });
    const message = 'stopped by sendStopCommand until sendStartCommand, so 0 A is offered to 4142';
    assert.deepEqual([r.status, r.json.warningCode, r.json.warning], [200, 'stopped', message]);
    assert.deepEqual(await notices('stop'), [{ code: 'stopped', message }]);
    const s = await statusOf('Stopped status', /stopped until a start \(4142\): 0 A$/);
    assert.equal(s.fill, 'yellow');
    await statusOf(
      'Stopped chargeNow',
      /· stopped until a start \(4142\): 0 A · chargeNow: not in effect now$/,
    );
    await statusOf(
      'Stopped sendStopCommand',
      /· stopped until a start \(4142\): 0 A · sendStopCommand: done$/,
    );
  });

  it('an open API: yellow, said once in the log; its getStatus has no notice', async () => {
    const s = await statusOf('Open API status', /API open to the network without a token$/);
    assert.match(s.text, /^1 TWC · \d+ A · API open to the network without a token$/);
    assert.equal(s.fill, 'yellow');
    const log = red.proc.stdout() + red.proc.stderr();
    assert.equal(log.split('has no API token and answers the whole network').length - 1, 1, log);
    assert.ok(log.includes(`the TWCManager API on *:${apiPort} has no API token`));
    assert.deepEqual(await notices('open'), []);
    await page.screenshot({ path: path.join(SHOTS, 'truthful-status-canvas.png') });
  });
});
