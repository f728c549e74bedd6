import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { STATE_FOLDER, STATE_FORMAT } from '../../src/bus/state-file';
import { SLOT_MS } from '../../src/history/charge-history';
import { API_MASTER_ID, apiFlow } from '../api/example-flow';
import { launchChromium, SHOTS } from '../support/browser';
import { getJson, postJson, until } from '../support/api-process';
import { freePort, startNodeRed, type NodeRedProcess } from '../support/node-red-process';

type Json = Record<string, unknown>;

const SECTIONS = ['status', 'charge', 'policy', 'schedule', 'green', 'graph-section', 'settings', 'debug'];
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/**
 * History as the real engine keeps it, written into the state file before Node-RED starts (the file's
 * format, src/bus/state-file.ts and src/history/charge-history.ts: [slot, charger W, generation W,
 * consumption W]): a day's sun, an evening charge at 7.4 kW and a shorter one at 3.7 kW.
 */
function writeHistory(userDir: string, nowMs: number): [number, number, number, number][] {
  const slot = Math.floor(nowMs / SLOT_MS) * SLOT_MS;
  const slots: [number, number, number, number][] = [];
  for (let i = 0; i < 96; i++) slots.push([slot - (40 * 12 - i) * SLOT_MS, 0, 4000 + 20 * i, 600]);
  for (let i = 0; i < 36; i++) slots.push([slot - (30 * 12 - i) * SLOT_MS, 7360, 0, 2000]);
  for (let i = 0; i < 18; i++) slots.push([slot - (6 * 12 - i) * SLOT_MS, 3680, 0, 1000]);
  fs.mkdirSync(path.join(userDir, STATE_FOLDER), { recursive: true });
  fs.writeFileSync(
    path.join(userDir, STATE_FOLDER, `${API_MASTER_ID}.json`),
    JSON.stringify({ format: STATE_FORMAT, history: { slots, open: undefined } }),
  );
  return slots;
}

describe('the TWCManager web page in headless Chromium', function () {
  this.timeout(120000);
  let red: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  let base: string;
  let written: [number, number, number, number][];
  const pageErrors: string[] = [];
  const external: string[] = [];

  before(async () => {
    const listenPort = await freePort();
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twc-page-'));
    written = writeHistory(userDir, Date.now());
    red = await startNodeRed(apiFlow({ listenPort, listenHost: '127.0.0.1' }), { userDir });
    base = `http://127.0.0.1:${listenPort}/`;
    await until('the API', async () => ((await getJson(base, '/api/getStatus')) ? true : undefined));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: PHONE });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith('http://127.0.0.1')) external.push(r.url());
    });
    await page.goto(base);
    await page.locator('#twc-4142').waitFor({ timeout: 20000 });
  });

  after(async () => {
    await browser?.close();
    await red?.stop();
  });

  const status = async (): Promise<Json> => (await getJson(base, '/api/getStatus')) as Json;

  it('shows the policy, the amps and each Wall Connector as a card, live', async () => {
    await page.locator('#twc-4243').waitFor();
    assert.match(
      (await page.textContent('#currentPolicy')) ?? '',
      /Track Green Energy|Non Scheduled Charging/,
    );
    assert.match((await page.textContent('#twc-4142')) ?? '', /TWC 4142.*Offered.*In use.*Max80 A/s);
    assert.equal(await page.locator('#cancel').isDisabled(), true);
    const icon = await page.evaluate(() => document.querySelector('link[rel=icon]')?.getAttribute('href'));
    assert.equal(icon, './favicon.svg');
    const svg = await fetch(new URL('favicon.svg', base));
    assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
  });

  it('charges now through the form; the API and the cards show it; cancel brings the policy back', async () => {
    await page.fill('#rate', '24');
    await page.selectOption('#duration', '7200');
    await page.click('#charge-submit');
    await page.locator('#currentPolicy', { hasText: 'Charge Now' }).waitFor({ timeout: 5000 });
    await page.locator('#maxAmps', { hasText: '24.00 A' }).waitFor();
    await page.locator('#chargeNow', { hasText: /^24 A until/ }).waitFor();
    // The offer reaches the Wall Connectors at their next heartbeat, and the page shows it within a poll.
    await page.locator('#twc-4142[data-offered="24.00"]').waitFor({ timeout: 8000 });
    assert.equal((await status()).chargeNowAmps, 24);
    await page.click('#cancel');
    await page.locator('#chargeNow', { hasText: 'off' }).waitFor({ timeout: 5000 });
    await page.locator('#charge-message', { hasText: 'Charge now cancelled.' }).waitFor();
    assert.equal((await status()).chargeNowAmps, undefined);
  });

  it('puts a policy in force and ends the override with the rules’ own choice', async () => {
    const rules = String((await status()).currentPolicy);
    await page.selectOption('#policy-name', 'Scheduled Charging');
    await page.click('#policy-form button');
    await page.locator('#currentPolicy', { hasText: 'Scheduled Charging' }).waitFor({ timeout: 5000 });
    assert.equal((await status()).currentPolicy, 'Scheduled Charging');
    await page.locator('#policyAction', { hasText: /^[12] · / }).waitFor({ timeout: 5000 });
    await page.selectOption('#policy-name', rules);
    await page.click('#policy-form button');
    await page.locator('#currentPolicy', { hasText: rules }).waitFor({ timeout: 5000 });
  });

  it('saves a schedule that the API then reports, night crossing and days included', async () => {
    await page.fill('#sched-amps', '20');
    await page.fill('#sched-start', '22:00');
    await page.fill('#sched-end', '06:30');
    for (const d of ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'])
      await page.setChecked(`#sched-${d}`, d === 'monday' || d === 'friday');
    await page.click('#schedule-form button[type=submit]');
    await page.locator('#schedule-message', { hasText: 'Schedule saved.' }).waitFor();
    await page.locator('#scheduleState', { hasText: 'enabled' }).waitFor({ timeout: 5000 });
    const sc = (await status()).ScheduledCharging as Json;
    assert.deepEqual(
      [sc.amps, sc.startingMinute, sc.endingMinute, sc.monday, sc.tuesday, sc.friday, sc.enabled],
      [20, 1320, 390, true, false, true, true],
    );
  });

  it('adds and deletes a consumption offset, sets the amps offset and the home location', async () => {
    await page.fill('#offset-name', 'heat pump');
    await page.fill('#offset-value', '1500');
    await page.selectOption('#offset-unit', 'W');
    await page.click('#offset-form button');
    await page
      .locator('#offsets li[data-name="heat pump"]', { hasText: '1500 W' })
      .waitFor({ timeout: 5000 });
    assert.deepEqual((await getJson(base, '/api/getConsumptionOffsets')) as Json, {
      'heat pump': { value: 1500, unit: 'W' },
    });
    await page.locator('#consumption', { hasText: '1.50 kW' }).waitFor({ timeout: 5000 });
    await page.click('#offsets li[data-name="heat pump"] button');
    await page.locator('#offsets li.empty').waitFor({ timeout: 5000 });
    assert.deepEqual(await getJson(base, '/api/getConsumptionOffsets'), {});

    await page.fill('#amps-offset', '-2');
    await page.click('#amps-offset-form button');
    await page.locator('#green-message', { hasText: 'Amps offset set to -2 A.' }).waitFor();
    // A negative offset counts as generation (docs/api.md §6.6).
    await until('the generation', async () =>
      Number((await status()).generationWatts) > 0 ? true : undefined,
    );
    await page.locator('#generation', { hasNotText: /^0 W$/ }).waitFor({ timeout: 5000 });
    await postJson(base, '/api/setConsumptionOffset', { offset: 0 }, 204);

    await page.fill('#lat', '52.52');
    await page.fill('#lon', '13.405');
    await page.click('#location-form button');
    await page.locator('#greenWindow', { hasText: 'sunrise to sunset here' }).waitFor({ timeout: 5000 });
    const cfg = (await getJson(base, '/api/getConfig')) as { settings: Json };
    assert.deepEqual(cfg.settings, { homeLat: 52.52, homeLon: 13.405 });
  });

  it('sets a setting, shows the API’s reason for a bad one, and saves the settings', async () => {
    await page.fill('#setting-name', 'homeLat');
    await page.fill('#setting-value', '10000');
    await page.click('#setting-form button[type=submit]');
    await page.locator('#settings-message', { hasText: 'homeLat set to 10000.' }).waitFor();
    await page.locator('#greenWindow', { hasText: 'fixed hours' }).waitFor({ timeout: 5000 });
    assert.equal(((await getJson(base, '/api/getConfig')) as { settings: Json }).settings.homeLat, 10000);
    await page.fill('#setting-name', 'sunrise');
    await page.fill('#setting-value', '30');
    await page.click('#setting-form button[type=submit]');
    await page
      .locator('#settings-message.error', { hasText: 'sunrise must be a number from 0 to 24' })
      .waitFor();
    await page.click('#save-settings');
    await page.locator('#settings-message', { hasText: 'Settings written to the state file.' }).waitFor();
    await page.locator('#config dd', { hasText: '80' }).first().waitFor();
    assert.match((await page.textContent('#config')) ?? '', /config\.minAmpsPerTWC12/);
  });

  it('draws the 48-hour graph of charger load, generation and consumption from the history the engine restored', async () => {
    type Entry = { charger_power: number; generation_power: number; consumption_power: number };
    const history = (await getJson(base, '/api/getHistory')) as Entry[];
    assert.equal(history.length, 576);
    const series = [
      ['graph-charger', 'charger_power', 1],
      ['graph-generation', 'generation_power', 2],
      ['graph-consumption', 'consumption_power', 3],
    ] as const;
    const peak = Math.max(...history.flatMap((h) => series.map(([, key]) => h[key])));
    assert.equal(peak, Math.max(...written.flatMap(([, ...w]) => w)), 'the API serves the restored slots');
    await page.locator('#graph svg').waitFor();
    assert.equal(await page.getAttribute('#graph svg', 'data-max'), String(peak));
    for (const [id, key, column] of series) {
      const points = ((await page.getAttribute(`#${id}`, 'points')) ?? '').split(' ');
      assert.equal(points.length, history.length, id);
      // Each point is its entry's slot: the highest points (smallest y) are exactly the series' largest slots.
      const ys = points.map((p) => Number(p.split(',')[1]));
      const top = Math.min(...ys);
      const highest = Math.max(...history.map((h) => h[key]));
      const atTop = history.filter((_, i) => ys[i] === top).map((h) => h[key]);
      assert.deepEqual([...new Set(atTop)], [highest], id);
      assert.equal(atTop.length, written.filter((w) => w[column] === highest).length, id);
    }
    assert.deepEqual(await page.locator('#graph-legend li').allTextContents(), [
      'Charger load',
      'Generation',
      'Consumption',
    ]);
  });

  it('asks a Wall Connector a named debug question (its serial number) and shows its reply', async () => {
    await page.selectOption('#debug-twc', '4243');
    await page.selectOption('#debug-command', 'GetSerialNumber');
    await page.click('#debug-form button');
    await page.locator('#debug-message', { hasText: 'GetSerialNumber: reply from 4243.' }).waitFor({
      timeout: 10000,
    });
    const reply = (await page.textContent('#debug-reply')) ?? '';
    assert.match(reply, /^bytearray\(b'\\xfd\\xed/);
    const api = await fetch(new URL('api/getLastTWCResponse', base)).then((r) => r.text());
    assert.equal(reply, api);
    await page.selectOption('#debug-command', 'Custom');
    await page.fill('#debug-custom', 'FC19');
    await page.click('#debug-form button');
    await page.locator('#debug-message.error', { hasText: /refused to send/ }).waitFor();
  });

  it('shows getStatus’s notices and a command’s warning: charge now below the minimum', async () => {
    await page.fill('#rate', '5');
    await page.click('#charge-submit');
    await page.locator('#charge-message.warn').waitFor({ timeout: 5000 });
    const answer = await fetch(new URL('api/chargeNow', base), {
      method: 'POST',
      body: JSON.stringify({ chargeNowRate: 5, chargeNowDuration: 600 }),
    }).then((r) => r.json() as Promise<Json>);
    assert.equal(answer.warningCode, 'belowMinimum');
    assert.ok(String(await page.textContent('#charge-message')).endsWith(String(answer.warning)));
    const notices = (await status()).notices as { code: string; message: string }[];
    assert.ok(notices.some((n) => n.code === 'belowMinimum'));
    await page.locator('#notices li[data-code="belowMinimum"]').waitFor({ timeout: 5000 });
    assert.equal(await page.locator('#notices').isVisible(), true);
    await page.click('#cancel');
    await page.locator('#notices li[data-code="belowMinimum"]').waitFor({ state: 'detached', timeout: 5000 });
  });

  it('has every section readable at phone and desktop width, none wider than the screen', async () => {
    for (const [name, size] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      await page.setViewportSize(size);
      await page.locator('#graph svg').waitFor();
      // Drawn again for the new width, so its labels keep their size rather than scale with the box.
      await page.waitForFunction(() => {
        const chart = document.querySelector<SVGSVGElement>('#graph svg');
        const scale = chart ? chart.getBoundingClientRect().width / chart.viewBox.baseVal.width : 0;
        return scale > 0.95 && scale < 1.05;
      });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name}: the page is ${overflow} px wider than the window`);
      for (const id of SECTIONS) {
        const box = await page.locator(`#${id}`).boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= size.width, `${name}: #${id} is cut off`);
        await page.locator(`#${id}`).screenshot({ path: path.join(SHOTS, `web-page-${name}-${id}.png`) });
      }
      await page.screenshot({ path: path.join(SHOTS, `web-page-${name}.png`), fullPage: true });
    }
    await page.setViewportSize(PHONE);
  });

  it('writes every string from the bus as text, never as markup', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const p = await browser.newPage();
    await p.route('**/api/getSlaveTWCs', async (route) => {
      const real = (await (await route.fetch()).json()) as Record<string, Json>;
      real['4142'] = { ...real['4142'], currentVIN: evil };
      real['<b>x</b>'] = { ...real['4243'], TWCID: '<b>x</b>' };
      await route.fulfill({ json: real });
    });
    await p.route('**/api/getStatus', async (route) => {
      const real = (await (await route.fetch()).json()) as Json;
      await route.fulfill({ json: { ...real, notices: [{ code: '<i>c</i>', message: evil }] } });
    });
    await p.goto(base);
    await p.locator('#twc-4142 dd', { hasText: evil }).waitFor({ timeout: 10000 });
    await p.locator('#notices li', { hasText: evil }).waitFor();
    assert.equal(await p.locator('main img, main b, main i').count(), 0, 'no element made from bus data');
    assert.equal(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    await p.close();
  });

  it('works the same under /twc/ of Node-RED’s port, with no request leaving the machine and no script error', async () => {
    await page.goto(`${red.url}twc`);
    assert.equal(page.url(), `${red.url}twc/`);
    await page.locator('#twc-4142').waitFor({ timeout: 10000 });
    await page.locator('#graph svg').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'web-page-node-red-port.png'), fullPage: true });
    assert.deepEqual(external, []);
    assert.deepEqual(pageErrors, []);
  });
});
