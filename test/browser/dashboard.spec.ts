import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SLOT_MS } from '../../src/history/charge-history';
import { STATE_FOLDER, STATE_FORMAT } from '../../src/bus/state-file';
import { getJson, postJson, until } from '../support/api-process';
import { launchChromium, SHOTS } from '../support/browser';
import { ROOT, startNodeRed, type NodeRedProcess } from '../support/node-red-process';

const EXAMPLE = path.join(ROOT, 'examples', '05 - Dashboard 2.0.json');
const DASHBOARD = path.join(ROOT, 'node_modules', '@flowfuse', 'node-red-dashboard');
const MASTER = 'twc-ex5-master';
const PAGE = 'dashboard/wall-connectors';
/**
 * The README's screenshot, kept in the repository: rewritten when missing or asked for
 * (TWC_UPDATE_README_SHOT=1), so that a test run does not leave a changed image in the working tree.
 */
const README_SHOT = path.join(ROOT, 'docs', 'images', 'dashboard.png');

type Slaves = Record<string, { reportedAmpsActual: number; lastAmpsOffered: number; maxAmps: number }>;

/**
 * Routes of the test's own beside the example, so the test reads the bus the page shows through the same
 * twc-status and twc-command nodes the API uses; the example itself is loaded as it is.
 */
function probeTab(): Record<string, unknown>[] {
  const z = 'dash-probe';
  const route = (name: string, method: string, url: string, node: Record<string, unknown>, y: number) => [
    { id: `${z}-${name}-in`, type: 'http in', z, url, method, x: 100, y, wires: [[`${z}-${name}`]] },
    { id: `${z}-${name}`, z, master: MASTER, x: 300, y, wires: [[`${z}-out`]], ...node },
  ];
  return [
    { id: z, type: 'tab', label: 'test probes' },
    ...route('status', 'get', '/probe/status', { type: 'twc-status', payload: 'status' }, 40),
    ...route('slaves', 'get', '/probe/slaves', { type: 'twc-status', payload: 'slaves' }, 80),
    ...route('policy', 'get', '/probe/policy', { type: 'twc-status', payload: 'policy' }, 120),
    ...route('green', 'post', '/probe/green', { type: 'twc-command', command: 'setGreenEnergy' }, 160),
    { id: `${z}-out`, type: 'http response', z, x: 500, y: 100, wires: [] },
  ];
}

/** One stored slot as the state file keeps it: start, charger, generation and consumption watts. */
type Slot = [number, number, number, number];

/**
 * A stored 48-hour history, as the twc-master keeps it in its state file: four hours at 7.36 kW a day ago
 * and a solar-shaped charge a few hours ago, so the chart has something to show from the first moment.
 */
function seededHistory(nowMs: number): Slot[] {
  const slot = (hoursAgo: number): number => Math.floor((nowMs - hoursAgo * 3600_000) / SLOT_MS) * SLOT_MS;
  const slots: Slot[] = [];
  for (let t = slot(30); t <= slot(26); t += SLOT_MS) slots.push([t, 7360, 0, 450]);
  for (let t = slot(9); t <= slot(5); t += SLOT_MS) {
    const h = (t - slot(9)) / (slot(5) - slot(9));
    const sun = Math.round(1500 + 4000 * Math.sin(Math.PI * h));
    slots.push([t, sun, sun + 650, 700]);
  }
  return slots;
}

/** The number a gauge shows, e.g. 12 for "12 A". */
const gaugeValue = async (page: Page, n: number): Promise<number> =>
  Number.parseFloat(
    (await page.locator(`#nrdb-ui-widget-twc-ex5-gauge-${n} .nrdb-ui-gauge-value span`).textContent()) ?? '',
  );
const text = (page: Page, id: string) => page.locator(`#nrdb-ui-widget-twc-ex5-${id} .nrdb-ui-text-value`);

/** Warnings and errors in Node-RED's log, but for its own start-up notes that every test process prints. */
const logProblems = (red: NodeRedProcess): string[] =>
  (red.proc.stdout() + red.proc.stderr())
    .split('\n')
    .filter((l) => /\[(warn|error)\]/.test(l))
    .filter((l) => !/Projects disabled|Using unencrypted credentials/.test(l));

describe('the Dashboard 2.0 example in headless Chromium', function () {
  this.timeout(120000);
  let red: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  /** What the dashboard's socket sent the page for the chart: the points it draws. */
  const chartFrames: string[] = [];
  let history: Slot[];

  before(async () => {
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twc-dashboard-'));
    // Node-RED loads a module from <userDir>/node_modules as if installed from the palette; the Node-RED of
    // node_modules also finds it beside itself, but the 5.0 run's Node-RED lives apart, in .nr5/.
    fs.mkdirSync(path.join(userDir, 'node_modules', '@flowfuse'), { recursive: true });
    fs.symlinkSync(DASHBOARD, path.join(userDir, 'node_modules', '@flowfuse', 'node-red-dashboard'), 'dir');
    history = seededHistory(Date.now());
    fs.mkdirSync(path.join(userDir, STATE_FOLDER));
    fs.writeFileSync(
      path.join(userDir, STATE_FOLDER, `${MASTER}.json`),
      JSON.stringify({ format: STATE_FORMAT, history: { slots: history } }),
    );
    const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>[];
    red = await startNodeRed([...example, ...probeTab()], { userDir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Socket.IO starts on HTTP long-polling and moves to a WebSocket: the chart's data can come by either.
    const keep = (data: string): void => {
      if (data.includes('twc-ex5-chart')) chartFrames.push(data);
    };
    page.on('websocket', (ws) =>
      ws.on('framereceived', (f) =>
        keep(typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8')),
      ),
    );
    page.on('response', (r) => {
      if (r.url().includes('/dashboard/socket.io/') && r.request().method() === 'GET')
        r.text().then(keep, () => undefined);
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const name = (this.currentTest.title.replace(/\W+/g, '-') + '-FAILED.png').toLowerCase();
      await page.screenshot({ path: path.join(SHOTS, name), fullPage: true }).catch(() => undefined);
    }
  });

  after(async () => {
    await browser?.close();
    await red?.stop();
  });

  it('deploys as it is: no warning and no error in the log, every node valid in the editor', async () => {
    await until('the probes', async () => (await getJson(red.url, '/probe/slaves')) as Slaves);
    const editor = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await editor.goto(red.url);
    await editor.waitForFunction(
      () =>
        (window as unknown as { RED?: { nodes: { node(id: string): unknown } } }).RED?.nodes.node(
          'twc-ex5-chart',
        ),
      undefined,
      { timeout: 30000 },
    );
    const invalid = await editor.evaluate(() => {
      type N = { id: string; type: string; valid?: boolean; z?: string };
      const RED = (
        window as unknown as {
          RED: { nodes: { eachNode(f: (n: N) => void): void; eachConfig(f: (n: N) => void): void } };
        }
      ).RED;
      const bad: string[] = [];
      const check = (n: N): void => {
        if (n.z !== 'dash-probe' && n.valid === false) bad.push(`${n.type} ${n.id}`);
      };
      RED.nodes.eachNode(check);
      RED.nodes.eachConfig(check);
      return bad;
    });
    await editor.close();
    assert.deepEqual(invalid, [], 'nodes the editor marks invalid');
    assert.deepEqual(logProblems(red), []);
  });

  it('shows a gauge per Wall Connector, with its rating and offer, following the simulated chargers', async () => {
    await page.goto(`${red.url}${PAGE}`);
    for (const [n, id] of [
      [1, '4142'],
      [2, '4243'],
    ] as const) {
      const gauge = page.locator(`#nrdb-ui-widget-twc-ex5-gauge-${n}`);
      await gauge
        .locator('.nrdb-ui-gauge-title', { hasText: `Wall Connector ${id}` })
        .waitFor({ timeout: 20000 });
      await gauge.locator('#limits text', { hasText: /^32$/ }).waitFor();
      await gauge.locator('.nrdb-ui-gauge-value label', { hasText: /^0 A offered$/ }).waitFor();
    }
    const status = (await getJson(red.url, '/probe/status')) as Record<string, unknown>;
    await text(page, 'text-policy')
      .filter({ hasText: String(status.currentPolicy) })
      .waitFor();
    await text(page, 'text-charge-now').filter({ hasText: /^off$/ }).waitFor();
  });

  it('charges now from the form: the offer changes on the page and on the bus, and the gauges follow', async () => {
    await page.getByLabel('Amps').fill('24');
    await page.getByLabel('Hours').fill('2');
    await page.getByRole('button', { name: 'Charge now' }).click();
    await text(page, 'text-answer')
      .filter({ hasText: /^chargeNow: / })
      .waitFor({ timeout: 5000 });
    assert.equal(await text(page, 'text-answer').textContent(), 'chargeNow: success');
    await text(page, 'text-policy')
      .filter({ hasText: /^Charge Now$/ })
      .waitFor({ timeout: 5000 });
    await text(page, 'text-offered')
      .filter({ hasText: /^24 A$/ })
      .waitFor();
    await text(page, 'text-charge-now')
      .filter({ hasText: /^24 A, 1[12]\d min left$/ })
      .waitFor();
    const status = (await getJson(red.url, '/probe/status')) as Record<string, unknown>;
    assert.equal(status.chargeNowAmps, 24);
    assert.equal(status.currentPolicy, 'Charge Now');
    // The engine shares the 24 A between the two units at their next heartbeats (with TWCManager's
    // brief 16 A spike for a car that starts slow); each gauge shows what its unit is offered and what its
    // car draws, as the bus reports them at that moment.
    for (const [n, id] of [
      [1, '4142'],
      [2, '4243'],
    ] as const) {
      const gauge = page.locator(`#nrdb-ui-widget-twc-ex5-gauge-${n}`);
      await until(`gauge ${n} to follow ${id}`, async () => {
        const unit = ((await getJson(red.url, '/probe/slaves')) as Slaves)[id];
        const label = await gauge.locator('.nrdb-ui-gauge-value label').textContent();
        const shown = await gaugeValue(page, n);
        return unit.lastAmpsOffered > 0 &&
          label === `${unit.lastAmpsOffered} A offered` &&
          shown > 0 &&
          Math.abs(shown - unit.reportedAmpsActual) <= 1
          ? true
          : undefined;
      });
    }
  });

  it('draws the stored 48-hour history and the live readings on the chart; takes the README screenshot', async () => {
    await postJson(red.url, '/probe/green', { generationW: 5200, consumptionW: 900 }, 200);
    // What the inject node's button in the editor does: its five-minute reading, now.
    assert.equal((await fetch(`${red.url}inject/twc-ex5-chart-tick`, { method: 'POST' })).status, 200);
    await page.locator('#nrdb-ui-widget-twc-ex5-chart canvas').first().waitFor();
    // The socket brought the page every stored slot of the history as a point of each of the three lines.
    const points = chartFrames.join('\n');
    for (const [slot, ...watts] of [history[0], history[history.length - 1]])
      ['Charger load', 'Generation', 'Consumption'].forEach((series, i) =>
        assert.ok(
          points.includes(`"series":"${series}","x":${slot},"y":${watts[i]}`),
          `slot ${new Date(slot).toISOString()} (${series} ${watts[i]} W) sent to the chart`,
        ),
      );
    await until('the live reading on the chart', async () =>
      chartFrames.some((f) => f.includes('"series":"Generation","x":') && f.includes('"y":5200'))
        ? true
        : undefined,
    );
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(SHOTS, 'dashboard.png'), fullPage: true });
    if (process.env.TWC_UPDATE_README_SHOT === '1' || !fs.existsSync(README_SHOT)) {
      fs.mkdirSync(path.dirname(README_SHOT), { recursive: true });
      fs.copyFileSync(path.join(SHOTS, 'dashboard.png'), README_SHOT);
    }
  });

  it('a bad rate is refused with its reason; stop and start answer; the policy list is getPolicy’s and setPolicy takes effect', async () => {
    await page.getByLabel('Amps').fill('0');
    await page.getByRole('button', { name: 'Charge now' }).click();
    await text(page, 'text-answer')
      .filter({ hasText: /^chargeNow: chargeNowRate must be greater than 0/ })
      .waitFor({ timeout: 5000 });
    assert.equal(((await getJson(red.url, '/probe/status')) as Record<string, unknown>).chargeNowAmps, 24);
    await page.getByRole('button', { name: 'Stop' }).click();
    await text(page, 'text-answer')
      .filter({ hasText: /^sendStopCommand: / })
      .waitFor({ timeout: 5000 });
    await page.getByRole('button', { name: 'Start' }).click();
    await text(page, 'text-answer')
      .filter({ hasText: /^sendStartCommand: / })
      .waitFor({ timeout: 5000 });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await text(page, 'text-answer')
      .filter({ hasText: /^cancelChargeNow: success$/ })
      .waitFor({ timeout: 5000 });
    await text(page, 'text-charge-now').filter({ hasText: /^off$/ }).waitFor({ timeout: 5000 });

    const names = [
      ...new Set(((await getJson(red.url, '/probe/policy')) as { name: string }[]).map((p) => p.name)),
    ];
    await page.locator('#nrdb-ui-widget-twc-ex5-policy .v-field').click();
    const options = page.locator('.v-overlay-container .v-list-item-title');
    await options.first().waitFor();
    assert.deepEqual(await options.allTextContents(), names);
    await options.filter({ hasText: 'Non Scheduled Charging' }).click();
    await text(page, 'text-answer')
      .filter({ hasText: /^setPolicy: success$/ })
      .waitFor({ timeout: 5000 });
    await text(page, 'text-policy')
      .filter({ hasText: /^Non Scheduled Charging$/ })
      .waitFor({ timeout: 5000 });
    const status = (await getJson(red.url, '/probe/status')) as Record<string, unknown>;
    assert.equal(status.currentPolicy, 'Non Scheduled Charging');
    assert.deepEqual(pageErrors, []);
    // Nothing else on the way warned (the widgets' expressions, the commands, the chart): only the refusal.
    const problems = logProblems(red);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /\[warn\] \[twc-command:.*\] chargeNow: chargeNowRate must be greater than 0/);
  });
});
