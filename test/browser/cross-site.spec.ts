import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { hashSync } from 'bcryptjs';
import type { Browser, BrowserContext } from 'playwright-core';
import { API_MASTER_ID, apiFlow } from '../api/example-flow';
import { launchChromium, SHOTS } from '../support/browser';
import { apiUp } from '../support/api-process';
import { request } from '../support/http-client';
import { freePort, startNodeRed, type NodeRedProcess } from '../support/node-red-process';

const USER = 'home';
const PASS = 'garage-door';
const TOKEN = 'tok-5e1c';
const BASIC = 'Basic ' + Buffer.from(`${USER}:${PASS}`).toString('base64');

/** What a page on another site does to a TWCManager API it can reach: a form whose text body is JSON. */
const attackPage = (target: string): string => `<!doctype html><html><body>
<form id="f" method="POST" enctype="text/plain" action="${target}api/chargeNow">
<input name='{"chargeNowRate":77,"chargeNowDuration":3600,"x":"' value='"}'>
</form>
<script>
fetch(${JSON.stringify(target + 'api/setSetting')}, { method: 'POST', mode: 'no-cors', credentials: 'include',
  body: '{"setting":"nonScheduledAmpsMax","value":7}' }).finally(function () { document.getElementById('f').submit(); });
</script></body></html>`;

/** A page on an allowed origin that uses the API with the token, as a dashboard would. */
const allowedPage = (target: string): string => `<!doctype html><html><body><pre id="out">…</pre><script>
fetch(${JSON.stringify(target + 'api/chargeNow')}, { method: 'POST', credentials: 'include',
  headers: { 'Content-Type': 'application/json', 'X-TWC-Token': ${JSON.stringify(TOKEN)} },
  body: JSON.stringify({ chargeNowRate: 21, chargeNowDuration: 600 }) })
  .then(function (r) { return r.text().then(function (t) { document.getElementById('out').textContent = r.status + ' ' + t; }); })
  .catch(function (e) { document.getElementById('out').textContent = 'failed ' + e.message; });
</script></body></html>`;

async function servePage(html: (target: string) => string, target: string) {
  const server = http.createServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(html(target)),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const LOCKS = {
  'basic auth': { basic: true, token: false },
  'the API token': { basic: false, token: true },
  'both locks': { basic: true, token: true },
} as const;

describe('cross-site requests in headless Chromium', function () {
  this.timeout(180000);
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  for (const [lockName, lock] of Object.entries(LOCKS)) {
    describe(`with ${lockName}`, () => {
      let red: NodeRedProcess;
      let dedicated: string;
      let context: BrowserContext;
      const headers: Record<string, string> = {
        ...(lock.basic ? { Authorization: BASIC } : {}),
        ...(lock.token ? { 'X-TWC-Token': TOKEN } : {}),
      };

      before(async () => {
        const listenPort = await freePort();
        red = await startNodeRed(apiFlow({ listenPort, listenHost: '127.0.0.1' }), {
          credentials: lock.token ? { [API_MASTER_ID]: { apiToken: TOKEN } } : undefined,
          extraSettings: lock.basic
            ? `httpNodeAuth: { user: '${USER}', pass: ${JSON.stringify(hashSync(PASS, 4))} },`
            : '',
        });
        dedicated = `http://127.0.0.1:${listenPort}/`;
        await apiUp(dedicated, headers);
        // The browser knows the login, as one does after the user typed it once.
        context = await browser.newContext(
          lock.basic ? { httpCredentials: { username: USER, password: PASS } } : {},
        );
        await context.addInitScript((t) => localStorage.setItem('twcApiToken', t), TOKEN);
      });
      after(async () => {
        await context?.close();
        await red?.stop();
      });

      it('refuses a form POST and a no-cors fetch from a page on another port, on both ports', async () => {
        for (const target of [red.url, dedicated]) {
          const evil = await servePage(attackPage, target);
          const page = await context.newPage();
          const answers: { url: string; status: number }[] = [];
          page.on('response', (r) => {
            if (r.url().startsWith(target)) answers.push({ url: r.url(), status: r.status() });
          });
          try {
            const formAnswer = page.waitForResponse((r) => r.url() === `${target}api/chargeNow`, {
              timeout: 15000,
            });
            await page.goto(evil.url);
            await formAnswer;
            await page.waitForLoadState();
            await page.screenshot({
              path: path.join(SHOTS, `cross-site-${lockName.replace(/ /g, '-')}.png`),
            });
            // The token lock answers first (a page cannot add its header); with the login only, the check of
            // the origin does. A 401 may come first with the login: the browser's challenge, answered with it.
            const expected = lock.token ? 401 : 403;
            for (const route of ['/api/chargeNow', '/api/setSetting']) {
              const mine = answers.filter((a) => new URL(a.url).pathname === route);
              assert.ok(mine.length > 0, `${target}${route} was never answered: ${JSON.stringify(answers)}`);
              assert.equal(
                mine[mine.length - 1].status,
                expected,
                `${target}${route}: ${JSON.stringify(mine)}`,
              );
              assert.ok(
                mine.every((a) => a.status >= 400),
                `${target}${route}: ${JSON.stringify(mine)}`,
              );
            }
            if (!lock.token) {
              assert.match(
                (await page.textContent('body')) ?? '',
                /cross-site request refused: http:\/\/127\.0\.0\.1:\d+ is not this API's origin/,
              );
            }
          } finally {
            await page.close();
            await evil.close();
          }
        }
        const status = (await request(dedicated, 'GET', '/api/getStatus', { headers })).json() as Record<
          string,
          unknown
        >;
        assert.notEqual(status.chargeNowAmps, 77, 'charge now was not set');
        const config = (await request(dedicated, 'GET', '/api/getPolicy', { headers })).text;
        assert.doesNotMatch(config, /"nonScheduledAmpsMax":\s*7\b/);
      });

      it('the web page on its own origin still works, on both ports', async () => {
        for (const url of [dedicated, `${red.url}twc`]) {
          const page = await context.newPage();
          try {
            await page.goto(url);
            await page.locator('#twc-4142').waitFor({ timeout: 20000 });
            await page.fill('#rate', '19');
            await page.selectOption('#duration', '7200');
            await page.click('#charge-submit');
            await page.locator('#chargeNow', { hasText: /^19 A until/ }).waitFor({ timeout: 8000 });
            await page.click('#cancel');
            await page
              .locator('#charge-message', { hasText: 'Charge now cancelled.' })
              .waitFor({ timeout: 8000 });
          } finally {
            await page.close();
          }
        }
      });
    });
  }

  it('a page on an allowed origin may use the API with the token (CORS), others may not', async () => {
    const listenPort = await freePort();
    const friendPort = await freePort();
    const red = await startNodeRed(
      apiFlow({ listenPort, listenHost: '127.0.0.1', allowedOrigins: `http://127.0.0.1:${friendPort}` }),
      { credentials: { [API_MASTER_ID]: { apiToken: TOKEN } } },
    );
    const dedicated = `http://127.0.0.1:${listenPort}/`;
    const friend = http.createServer((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(allowedPage(dedicated)),
    );
    await new Promise<void>((r) => friend.listen(friendPort, '127.0.0.1', () => r()));
    const stranger = await servePage(allowedPage, dedicated);
    const context = await browser.newContext();
    try {
      await apiUp(dedicated, { 'X-TWC-Token': TOKEN });
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${friendPort}/`);
      await page.locator('#out', { hasText: /^\d|failed/ }).waitFor({ timeout: 15000 });
      assert.match((await page.textContent('#out')) ?? '', /^200 \{"status":"success","rate":21/);
      await page.goto(stranger.url);
      await page.locator('#out', { hasText: /^\d|failed/ }).waitFor({ timeout: 15000 });
      assert.match(
        (await page.textContent('#out')) ?? '',
        /^failed/,
        'the browser refuses the stranger (no CORS)',
      );
    } finally {
      await context.close();
      await stranger.close();
      await new Promise<void>((r) => friend.close(() => r()));
      await red.stop();
    }
  });
});
