import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, SHOTS } from '../support/browser';
import { apiFlow } from '../api/example-flow';
import { request } from '../support/http-client';
import { freePort, startNodeRed, type NodeRedProcess } from '../support/node-red-process';

describe('the TWCManager web page in headless Chromium', function () {
  this.timeout(120000);
  let red: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  let dedicated: string;
  const pageErrors: string[] = [];
  const external: string[] = [];

  before(async () => {
    const listenPort = await freePort();
    red = await startNodeRed(apiFlow({ listenPort, listenHost: '127.0.0.1' }));
    dedicated = `http://127.0.0.1:${listenPort}/`;
    browser = await launchChromium();
    // A phone-sized window: the page must be usable there.
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith('http://127.0.0.1')) external.push(r.url());
    });
  });

  after(async () => {
    await browser?.close();
    await red?.stop();
  });

  it('shows the policy, the amps and each TWC, live', async () => {
    await page.goto(dedicated);
    await page.locator('#twc-4142').waitFor({ timeout: 20000 });
    await page.locator('#twc-4243').waitFor();
    assert.match(
      (await page.locator('#currentPolicy').textContent()) ?? '',
      /Track Green Energy|Non Scheduled Charging/,
    );
    assert.equal(await page.locator('#cancel').isDisabled(), true);
  });

  it('charges now through the form and sees the policy and the amps change; cancel brings it back', async () => {
    await page.fill('#rate', '24');
    await page.selectOption('#duration', '7200');
    await page.click('#charge-submit');
    await page.locator('#currentPolicy', { hasText: 'Charge Now' }).waitFor({ timeout: 5000 });
    await page.locator('#maxAmps', { hasText: '24.00 A' }).waitFor();
    await page.locator('#chargeNow', { hasText: /^24 A until/ }).waitFor();
    // The offer reaches the Wall Connectors at their next heartbeat, and the page shows it within a refresh.
    await page.locator('#twc-4142 td:nth-child(3)', { hasText: /^(12|24)\.00$/ }).waitFor({ timeout: 8000 });
    await page.screenshot({ path: path.join(SHOTS, 'web-page-charge-now.png'), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than a phone screen`);
    const status = (await request(dedicated, 'GET', '/api/getStatus')).json() as Record<string, unknown>;
    assert.equal(status.chargeNowAmps, 24);
    assert.equal(await page.locator('#cancel').isDisabled(), false);

    await page.click('#cancel');
    await page
      .locator('#currentPolicy', { hasText: /Track Green Energy|Non Scheduled Charging/ })
      .waitFor({ timeout: 5000 });
    await page.locator('#message', { hasText: 'Charge now cancelled.' }).waitFor();
  });

  it('shows the green window: the fixed hours, then the sun’s at a location, polar day and night', async () => {
    await page.locator('#greenWindow', { hasText: /^06:00–20:00 · fixed hours$/ }).waitFor({ timeout: 5000 });
    const post = async (path: string, body: unknown): Promise<void> =>
      assert.equal((await request(dedicated, 'POST', path, { body: JSON.stringify(body) })).status, 204);
    await post('/api/setLatLon', { lat: 52.52, lon: 13.405 });
    const st = (await request(dedicated, 'GET', '/api/getStatus')).json() as Record<string, string>;
    const clock = (t: string): string => t.split(', ')[1];
    const shown = `${clock(st.greenWindowStart)}–${clock(st.greenWindowEnd)} · sunrise to sunset here`;
    await page.locator('#greenWindow', { hasText: shown }).waitFor({ timeout: 5000 });
    // The North Pole: polar day from late March to late September, polar night the rest of the year.
    await post('/api/setLatLon', { lat: 90, lon: 0 });
    const month = new Date().getUTCMonth();
    const polar =
      month >= 3 && month <= 7
        ? 'all day · polar day'
        : month >= 9 || month <= 1
          ? 'closed · polar night'
          : /polar|here/;
    await page.locator('#greenWindow', { hasText: polar }).waitFor({ timeout: 5000 });
    await post('/api/setSetting', { setting: 'homeLat', value: 10000 });
    await page.locator('#greenWindow', { hasText: 'fixed hours' }).waitFor({ timeout: 5000 });
  });

  it('shows a bad value as an error from the API, and start/stop answer', async () => {
    await page.fill('#rate', '0');
    await page.evaluate(() => (document.getElementById('rate') as HTMLInputElement).removeAttribute('min'));
    await page.click('#charge-submit');
    await page.locator('#message.error', { hasText: 'chargeNowRate must be greater than 0' }).waitFor();
    await page.click('#stop');
    await page.locator('#message', { hasText: 'Stop sent to every Wall Connector.' }).waitFor();
    await page.click('#start');
    await page.locator('#message', { hasText: 'Start sent to every Wall Connector.' }).waitFor();
  });

  it('writes every string from the bus as text, never as markup', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const p = await browser.newPage();
    // The bus answers as usual, except that a Wall Connector reports a hostile VIN and ID.
    await p.route('**/api/getSlaveTWCs', async (route) => {
      const real = (await (await route.fetch()).json()) as Record<string, Record<string, unknown>>;
      real['4142'] = { ...real['4142'], currentVIN: evil };
      real['<b>x</b>'] = { ...real['4243'], TWCID: '<b>x</b>' };
      await route.fulfill({ json: real });
    });
    await p.goto(dedicated);
    await p.locator('#twc-4142 td', { hasText: evil }).waitFor({ timeout: 10000 });
    assert.equal(await p.locator('#twcs img, #twcs b').count(), 0, 'no element made from bus data');
    assert.equal(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    await p.close();
  });

  it('works the same on /twc of Node-RED’s port, with no request leaving the machine and no script error', async () => {
    await page.goto(`${red.url}twc`);
    await page.locator('#twc-4142').waitFor({ timeout: 10000 });
    await page.screenshot({ path: path.join(SHOTS, 'web-page-node-red-port.png'), fullPage: true });
    assert.deepEqual(external, []);
    assert.deepEqual(pageErrors, []);
  });
});
