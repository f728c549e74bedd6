import { NODE_FIELDS } from '../../src/bus/settings';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { COMMANDS } from '../../src/api/commands';
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

/** The reason Node-RED shows for an invalid field: the tooltip that appears when the pointer is on it. */
async function reasonShownFor(page: Page, selector: string, shot?: string): Promise<string> {
  // From elsewhere: a tooltip opens when the pointer enters the field.
  await page.mouse.move(5, 5);
  await page.locator(selector).hover();
  const tip = page.locator('.red-ui-popover:visible .red-ui-popover-content').last();
  await tip.waitFor();
  const text = (await tip.textContent()) ?? '';
  if (shot) await page.screenshot({ path: path.join(SHOTS, shot) });
  // Away again, so that the next tooltip is the only one showing.
  await page.mouse.move(5, 5);
  await tip.waitFor({ state: 'hidden' });
  return text;
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
    // The sidebar's rotating tips: Node-RED 5.0's tip timer once threw inside its own code (reading 'html'
    // of its tip box) during a long run here, which is not ours to judge.
    await page.evaluate(() =>
      (window as unknown as { RED: { actions: { invoke(a: string, v: boolean): void } } }).RED.actions.invoke(
        'core:toggle-show-tips',
        false,
      ),
    );
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
    const ports = (await (await fetch(`${red.url}twc-master/serialports`)).json()) as {
      path: string;
      manufacturer: string;
    }[];
    const offered = await page
      .locator('#twc-master-serialports option')
      .evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    assert.deepEqual(
      offered,
      ports.map((p) => p.path),
    );
    const portText = await page.locator('#twc-master-port-count').textContent();
    assert.equal(
      portText,
      ports.length
        ? `${ports.length} port(s) found: pick one or type the path`
        : 'no ports found: type the path, or plug the adapter in and refresh',
    );
    // The refresh button asks the runtime again: an adapter plugged in meanwhile is offered at once.
    // (The answer is the real route's, with one port added, as a newly plugged adapter would be.)
    let asked = 0;
    await page.route('**/twc-master/serialports', async (route) => {
      asked += 1;
      const real = (await (await route.fetch()).json()) as { path: string; manufacturer: string }[];
      await route.fulfill({ json: [...real, { path: '/dev/ttyTWC-plugged', manufacturer: 'FTDI' }] });
    });
    await page.click('#twc-master-refresh-ports');
    await page
      .locator('#twc-master-port-count')
      .filter({ hasText: `${ports.length + 1} port(s) found` })
      .waitFor();
    assert.equal(asked, 1);
    assert.deepEqual(
      await page
        .locator('#twc-master-serialports option')
        .evaluateAll((els) => els.map((e) => [(e as HTMLOptionElement).value, e.textContent])),
      [
        ...ports.map((p) => [p.path, p.manufacturer ? `${p.path} (${p.manufacturer})` : p.path]),
        ['/dev/ttyTWC-plugged', '/dev/ttyTWC-plugged (FTDI)'],
      ],
    );
    await page.screenshot({ path: path.join(SHOTS, 'twc-master-dialog-ports.png') });
    await page.unroute('**/twc-master/serialports');
    // Unplugged again: the next refresh drops it.
    await page.click('#twc-master-refresh-ports');
    await page
      .locator('#twc-master-port-count')
      .filter({ hasText: portText ?? '' })
      .waitFor();
    assert.equal(await page.locator('#twc-master-serialports option').count(), ports.length);
    await page.fill('#node-config-input-serialPort', '/dev/ttyUSB0');
    await page.fill('#node-config-input-wiringMaxAmpsAllTWCs', '40');
    await page.fill('#node-config-input-wiringMaxAmpsPerTWC', 'abc');
    await page.locator('#node-config-input-minAmpsPerTWC').click();
    await page.waitForFunction(() =>
      document.querySelector('#node-config-input-wiringMaxAmpsPerTWC')?.classList.contains('input-error'),
    );
    // Node-RED shows the validator's reason as the field's tooltip.
    assert.equal(
      await reasonShownFor(page, '#node-config-input-wiringMaxAmpsPerTWC', 'twc-master-dialog-invalid.png'),
      'Max amps per TWC: a whole number of amps from 1 to 80',
    );
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
    // The minimum against a per-unit limit below it: the reason names that limit.
    await page.fill('#node-config-input-wiringMaxAmpsPerTWC', '10');
    await page.locator('#node-config-input-wiringMaxAmpsPerTWC').press('Tab');
    assert.equal(
      await reasonShownFor(page, '#node-config-input-minAmpsPerTWC', 'twc-master-dialog-min-reason.png'),
      'Min amps per TWC: at most Max amps per TWC (10 A)',
    );
    await page.fill('#node-config-input-wiringMaxAmpsPerTWC', '81');
    await page.locator('#node-config-input-wiringMaxAmpsPerTWC').press('Tab');
    // Allowed origins: a path is refused, with the reason as the field's tooltip; origins pass.
    const originError = () =>
      document.querySelector('#node-config-input-allowedOrigins')?.classList.contains('input-error');
    await page.fill('#node-config-input-allowedOrigins', 'https://ha.example.com, http://hub.local/lovelace');
    await page.locator('#node-config-input-name').click();
    await page.waitForFunction(originError);
    assert.equal(
      await reasonShownFor(page, '#node-config-input-allowedOrigins', 'twc-master-dialog-origin-reason.png'),
      'Allowed origins: "http://hub.local/lovelace" is not an origin like https://ha.example.com:8123 (no path)',
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
    // A bad interval kept on OK: the node is marked, and its mark lists the reason with the field's label.
    await page.fill('#node-input-interval', '100000');
    await page.locator('#node-input-name').click();
    assert.equal(
      await reasonShownFor(page, '#node-input-interval'),
      'Every (s): seconds from 0 to 86400 (0: only on input and on change)',
    );
    await page.click('#node-dialog-ok');
    const badge = page
      .locator('#red-ui-workspace-chart g.red-ui-flow-node-group', { hasText: 'twc status' })
      .locator('.red-ui-flow-node-error');
    await badge.hover();
    // The canvas draws this tooltip in SVG, a text element per line.
    const tip = page.locator('g.red-ui-flow-port-tooltip', { hasText: 'Every (s)' });
    await tip.waitFor();
    assert.deepEqual(await tip.locator('text').evaluateAll((els) => els.map((e) => e.textContent?.trim())), [
      'Invalid properties:',
      '- Every (s): seconds from 0 to 86400 (0: only on input and on change)',
    ]);
    await page.screenshot({ path: path.join(SHOTS, 'twc-status-invalid-badge.png') });
    await page.mouse.move(5, 5);
    await openDialogOf(page, 'twc status');
    await page.fill('#node-input-interval', '0');
    await page.click('#node-dialog-ok');
    await badge.waitFor({ state: 'hidden' });
  });

  it('adds twc-command and opens its dialog', async () => {
    await addFromPalette(page, 'twc-command', 300, 300);
    await openDialogOf(page, 'twc command');
    const options = await page
      .locator('#node-input-command option')
      .evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    assert.deepEqual(options, ['', ...COMMANDS]);
    await page.selectOption('#node-input-master', { label: 'TWC simulator' });
    await page.screenshot({ path: path.join(SHOTS, 'twc-command-dialog.png') });
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

  it('speaks German to a German browser: palette, dialogs, reasons and help', async () => {
    const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1400, height: 900 } });
    const de = await context.newPage();
    const errors: string[] = [];
    de.on('pageerror', (e) => errors.push(e.stack ?? e.message));
    try {
      await de.goto(red.url);
      const palette = (type: string) => de.locator(`.red-ui-palette-node[data-palette-type='${type}']`);
      await palette('twc-status').waitFor({ timeout: 30000 });
      assert.equal(await palette('twc-status').getAttribute('data-palette-label'), 'TWC-Status');
      assert.equal(await palette('twc-command').getAttribute('data-palette-label'), 'TWC-Befehl');
      // The help sidebar shows the German help.
      await de.evaluate(() =>
        (
          window as unknown as { RED: { sidebar: { help: { show(t: string): void } } } }
        ).RED.sidebar.help.show('twc-status'),
      );
      await de.locator('.red-ui-help', { hasText: 'Der Zustand eines Busses' }).first().waitFor();
      await de.screenshot({ path: path.join(SHOTS, 'editor-de-help.png') });
      // The dialog of the deployed twc-status, and of its bus.
      await openDialogOf(de, 'TWC-Status');
      const label = async (id: string) =>
        (await de.locator(`label[for='${id}']`).innerText()).replace(/\s+/g, ' ').trim();
      assert.equal(await label('node-input-payload'), 'Ausgabe');
      assert.equal(await label('node-input-onChange'), 'Bei Änderung senden');
      assert.equal(
        await de.locator('#node-input-payload option[value="offsets"]').innerText(),
        'Verbrauchskorrekturen (getConsumptionOffsets)',
      );
      await de.screenshot({ path: path.join(SHOTS, 'editor-de-twc-status-dialog.png') });
      await de.locator('#node-input-btn-master-edit').click();
      await de.locator('#node-config-input-transport').waitFor();
      assert.equal(await label('node-config-input-wiringMaxAmpsPerTWC'), 'Max. Strom je TWC');
      assert.equal(
        await de.locator('#node-config-input-transport option[value="simulator"]').innerText(),
        'Simulator (ohne Hardware)',
      );
      await de.fill('#node-config-input-wiringMaxAmpsPerTWC', '90');
      await de.locator('#node-config-input-name').click();
      assert.equal(
        await reasonShownFor(de, '#node-config-input-wiringMaxAmpsPerTWC', 'editor-de-twc-master-dialog.png'),
        'Max. Strom je TWC: eine ganze Zahl von 1 bis 80 A',
      );
      await de.click('#node-config-dialog-cancel');
      await de.click('#node-dialog-cancel');
      // The commands keep their API names, with what they do in German.
      await openDialogOf(de, 'TWC-Befehl');
      assert.equal(await label('node-input-command'), 'Befehl');
      assert.equal(
        await de.locator('#node-input-command option[value="chargeNow"]').innerText(),
        'chargeNow — jetzt mit festem Ladestrom laden',
      );
      assert.equal(await de.locator('#node-input-command option[value=""]').innerText(), 'aus msg.topic');
      await de.screenshot({ path: path.join(SHOTS, 'editor-de-twc-command-dialog.png') });
      await de.click('#node-dialog-cancel');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
