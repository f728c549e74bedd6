import { NODE_FIELDS } from '../../src/bus/settings';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { COMMANDS } from '../../src/api/commands';
import { MQTT_MODE } from '../../src/mqtt/command-input';
import { launchChromium, SHOTS } from '../support/browser';
import { startNodeRed, type NodeRedProcess } from '../support/node-red-process';

async function addFromPalette(page: Page, type: string, x: number, y: number): Promise<void> {
  const chart = page.locator('#red-ui-workspace-chart');
  const box = await chart.boundingBox();
  assert.ok(box);
  await page
    .locator(`.red-ui-palette-node[data-palette-type='${type}']`)
    .dragTo(chart, { targetPosition: { x, y } });
}

async function openDialogOf(page: Page, label: string): Promise<void> {
  await page
    .locator('#red-ui-workspace-chart g.red-ui-flow-node-group', { hasText: label })
    .locator('rect.red-ui-flow-node')
    .dblclick();
  await page.locator('.red-ui-tray').first().waitFor();
}

describe('the Node-RED editor in headless Chromium', function () {
  this.timeout(120000);
  let red: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const f of fs.readdirSync(SHOTS)) if (f.endsWith('-failed.png')) fs.rmSync(path.join(SHOTS, f));
    red = await startNodeRed();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // With the stack, so that an error in Node-RED's own editor code says where it was thrown.
    page.on('pageerror', (e) => pageErrors.push(e.stack ?? e.message));
    await page.goto(red.url);
    await page.locator(".red-ui-palette-node[data-palette-type='twc-status']").waitFor({ timeout: 30000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const name = (this.currentTest.title.replace(/\W+/g, '-') + '-FAILED.png').toLowerCase();
      await page.screenshot({ path: path.join(SHOTS, name) }).catch(() => undefined);
    }
  });

  after(async () => {
    await browser?.close();
    await red?.stop();
  });

  it('shows the TWC nodes in their own palette category', async () => {
    for (const type of ['twc-status', 'twc-command']) {
      const node = page.locator(`.red-ui-palette-node[data-palette-type='${type}']`);
      assert.equal(await node.count(), 1, type);
    }
    const category = await page.locator('#red-ui-palette-container-TWC').count();
    assert.equal(category, 1, 'a TWC category');
  });

  it('adds twc-status, opens its dialog, and creates a twc-master with the port list and validation', async () => {
    await addFromPalette(page, 'twc-status', 300, 150);
    await openDialogOf(page, 'twc status');
    assert.equal(await page.locator('#node-input-payload').inputValue(), 'status');
    // Add a new bus from the dialog.
    await page.locator('#node-input-btn-master-add').click();
    await page.locator('#node-config-input-transport').waitFor();
    await page
      .locator('#twc-master-port-count')
      .filter({ hasText: /port\(s\) found|no ports found/ })
      .waitFor();
    // The dialog offers exactly what the machine's port list says.
    const ports = (await (await fetch(`${red.url}twc-master/serialports`)).json()) as { path: string }[];
    const offered = await page
      .locator('#twc-master-serialports option')
      .evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    assert.deepEqual(
      offered,
      ports.map((p) => p.path),
    );
    const portText = await page.locator('#twc-master-port-count').textContent();
    assert.match(portText ?? '', ports.length ? /\d+ port\(s\) found/ : /^no ports found: type the path$/);
    await page.fill('#node-config-input-serialPort', '/dev/ttyUSB0');
    await page.fill('#node-config-input-wiringMaxAmpsAllTWCs', '40');
    await page.fill('#node-config-input-wiringMaxAmpsPerTWC', 'abc');
    await page.locator('#node-config-input-minAmpsPerTWC').click();
    await page.waitForFunction(() =>
      document.querySelector('#node-config-input-wiringMaxAmpsPerTWC')?.classList.contains('input-error'),
    );
    await page.screenshot({ path: path.join(SHOTS, 'twc-master-dialog-invalid.png') });
    // The dialog's ranges and defaults are the node parser's, exported by the runtime.
    const fields = await page.evaluate(
      () =>
        (window as unknown as { RED: { settings: Record<string, unknown> } }).RED.settings.twcMasterFields,
    );
    assert.deepEqual(fields, JSON.parse(JSON.stringify(NODE_FIELDS)));
    assert.equal(await page.locator('#node-config-input-minAmpsPerTWC').inputValue(), '12');
    await page.fill('#node-config-input-wiringMaxAmpsPerTWC', '80');
    await page.locator('#node-config-input-minAmpsPerTWC').click();
    await page.waitForFunction(
      () =>
        !document.querySelector('#node-config-input-wiringMaxAmpsPerTWC')?.classList.contains('input-error'),
    );
    await page.fill('#node-config-input-wiringMaxAmpsPerTWC', '81');
    await page.locator('#node-config-input-minAmpsPerTWC').click();
    await page.waitForFunction(() =>
      document.querySelector('#node-config-input-wiringMaxAmpsPerTWC')?.classList.contains('input-error'),
    );
    // Allowed origins: a path is refused, with the reason as the field's tooltip; origins pass.
    const originError = () =>
      document.querySelector('#node-config-input-allowedOrigins')?.classList.contains('input-error');
    await page.fill('#node-config-input-allowedOrigins', 'https://ha.example.com, http://hub.local/lovelace');
    await page.locator('#node-config-input-name').click();
    await page.waitForFunction(originError);
    const reason = await page.evaluate(() => {
      const red = (window as unknown as { RED: { nodes: { getType(t: string): never } } }).RED;
      const def = red.nodes.getType('twc-master') as {
        _: unknown;
        defaults: { allowedOrigins: { validate(this: unknown, v: string, o: object): unknown } };
      };
      return def.defaults.allowedOrigins.validate.call(def, 'http://hub.local/lovelace', {});
    });
    assert.equal(
      reason,
      '"http://hub.local/lovelace" is not an origin like https://ha.example.com:8123 (no path)',
    );
    await page.fill('#node-config-input-allowedOrigins', 'https://ha.example.com, http://192.168.1.5:1880');
    await page.locator('#node-config-input-name').click();
    await page.waitForFunction(
      () => !document.querySelector('#node-config-input-allowedOrigins')?.classList.contains('input-error'),
    );
    // Simulator rows appear for the simulator and the serial rows go.
    await page.selectOption('#node-config-input-transport', 'simulator');
    assert.equal(await page.locator('#node-config-input-simulatedSlaves').isVisible(), true);
    assert.equal(await page.locator('#node-config-input-serialPort').isVisible(), false);
    await page.fill('#node-config-input-wiringMaxAmpsPerTWC', '32');
    await page.locator('#node-config-input-wiringMaxAmpsPerTWC').press('Tab');
    await page.waitForFunction(
      () =>
        !document.querySelector('#node-config-input-wiringMaxAmpsPerTWC')?.classList.contains('input-error'),
    );
    await page.click('#node-config-dialog-ok');
    // The MQTT fields show only for Output mqtt.
    assert.equal(await page.locator('#node-input-discoveryPrefix').isVisible(), false);
    await page.selectOption('#node-input-payload', MQTT_MODE);
    assert.equal(await page.locator('#node-input-discovery').isChecked(), true);
    assert.equal(await page.locator('#node-input-discoveryPrefix').inputValue(), 'homeassistant');
    await page.screenshot({ path: path.join(SHOTS, 'twc-status-dialog-mqtt.png') });
    await page.selectOption('#node-input-payload', 'status');
    await page.click('#node-dialog-ok');
  });

  it('adds twc-command and opens its dialog', async () => {
    await addFromPalette(page, 'twc-command', 300, 300);
    await openDialogOf(page, 'twc command');
    const options = await page
      .locator('#node-input-command option')
      .evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    assert.deepEqual(options, ['', ...COMMANDS, MQTT_MODE]);
    await page.selectOption('#node-input-master', { label: 'TWC simulator' });
    await page.screenshot({ path: path.join(SHOTS, 'twc-command-dialog.png') });
    // The MQTT prefix shows only for commands from the MQTT topic.
    assert.equal(await page.locator('#node-input-mqttPrefix').isVisible(), false);
    await page.selectOption('#node-input-command', MQTT_MODE);
    assert.equal(await page.locator('#node-input-mqttPrefix').inputValue(), 'TWC');
    await page.screenshot({ path: path.join(SHOTS, 'twc-command-dialog-mqtt.png') });
    await page.selectOption('#node-input-command', '');
    await page.click('#node-dialog-ok');
  });

  it('deploys the flow, and the nodes run', async () => {
    await page.click('#red-ui-header-button-deploy');
    await page
      .locator('#red-ui-notifications', { hasText: /Successfully deployed/ })
      .waitFor({ timeout: 10000 });
    await page
      .locator('#red-ui-workspace-chart .red-ui-flow-node-status-label', { hasText: /TWCs? ·/ })
      .first()
      .waitFor({ timeout: 15000 });
    await page.screenshot({ path: path.join(SHOTS, 'editor-deployed.png') });
    const flows = JSON.parse(fs.readFileSync(path.join(red.userDir, 'flows.json'), 'utf8')) as {
      type: string;
    }[];
    assert.deepEqual(
      flows.map((n) => n.type).sort(),
      ['tab', 'twc-command', 'twc-master', 'twc-status'].sort(),
    );
    assert.deepEqual(pageErrors, []);
  });
});
