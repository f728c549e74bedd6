import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { API_MASTER_ID, apiFlow } from '../api/example-flow';
import { apiUp } from '../support/api-process';
import { launchChromium, SHOTS } from '../support/browser';
import { request } from '../support/http-client';
import { freePort, startNodeRed, type NodeRedProcess } from '../support/node-red-process';

const TOKEN = 'page-test-token';

describe('the web page under a non-default httpNodeRoot, behind the API token', function () {
  this.timeout(120000);
  let red: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  let nodeRoot: string;
  let dedicated: string;
  const pageErrors: string[] = [];

  before(async () => {
    const listenPort = await freePort();
    red = await startNodeRed(apiFlow({ listenPort, listenHost: '127.0.0.1' }), {
      extraSettings: "httpNodeRoot: '/home/red',",
      credentials: { [API_MASTER_ID]: { apiToken: TOKEN } },
    });
    nodeRoot = `${red.url}home/red/`;
    dedicated = `http://127.0.0.1:${listenPort}/`;
    await apiUp(dedicated, { 'X-TWC-Token': TOKEN });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  after(async () => {
    await browser?.close();
    await red?.stop();
  });

  it('serves the page, its files and its icon below httpNodeRoot, and nothing of it at the root', async () => {
    const folder = await request(nodeRoot, 'GET', 'twc');
    assert.equal(folder.status, 302);
    assert.equal(folder.headers.location, 'twc/', 'a relative move, right under any root');
    for (const [file, type] of [
      ['', 'text/html'],
      ['app.js', 'text/javascript'],
      ['page.css', 'text/css'],
      ['favicon.svg', 'image/svg+xml'],
    ]) {
      const a = await request(nodeRoot, 'GET', `twc/${file}`);
      assert.equal(a.status, 200, file);
      assert.ok(String(a.headers['content-type']).startsWith(type), `${file}: ${a.headers['content-type']}`);
    }
    assert.equal((await request(nodeRoot, 'GET', 'twc/..%2f..%2fpackage.json')).status, 404);
    assert.equal((await request(red.url, 'GET', 'twc/')).status, 404, 'the editor’s root has no page');
  });

  it('asks for the token, then shows the bus and runs a command with it, under httpNodeRoot', async () => {
    await page.goto(`${nodeRoot}twc`);
    assert.equal(page.url(), `${nodeRoot}twc/`);
    await page.locator('#token-box').waitFor({ timeout: 10000 });
    assert.equal(await page.locator('#twcs .card').count(), 0, 'nothing of the bus without the token');
    await page.screenshot({ path: path.join(SHOTS, 'web-page-locked-token.png'), fullPage: false });
    await page.fill('#token', TOKEN);
    await page.click('#token-form button');
    await page.locator('#twc-4142').waitFor({ timeout: 10000 });
    assert.equal(await page.locator('#token-box').isVisible(), false);
    await page.locator('#graph svg').waitFor();
    await page.fill('#rate', '20');
    await page.click('#charge-submit');
    await page.locator('#currentPolicy', { hasText: 'Charge Now' }).waitFor({ timeout: 5000 });
    const status = await request(nodeRoot, 'GET', 'api/getStatus', { headers: { 'X-TWC-Token': TOKEN } });
    assert.equal((status.json() as Record<string, unknown>).chargeNowAmps, 20);
    assert.equal((await request(nodeRoot, 'GET', 'api/getStatus')).status, 401);
    await page.screenshot({ path: path.join(SHOTS, 'web-page-locked-node-root.png'), fullPage: true });
  });

  it('works on the dedicated port with the token the browser kept, on / and on /twc/', async () => {
    for (const at of ['', 'twc/']) {
      await page.goto(`${dedicated}${at}`);
      // localStorage is per origin: the dedicated port is another origin and asks once more.
      if (at === '') {
        await page.locator('#token-box').waitFor({ timeout: 10000 });
        await page.fill('#token', TOKEN);
        await page.click('#token-form button');
      }
      await page.locator('#twc-4142').waitFor({ timeout: 10000 });
      await page.locator('#currentPolicy', { hasText: 'Charge Now' }).waitFor({ timeout: 5000 });
    }
    await page.click('#cancel');
    await page.locator('#chargeNow', { hasText: 'off' }).waitFor({ timeout: 5000 });
    assert.deepEqual(pageErrors, []);
  });
});
