import assert from 'node:assert/strict';
import { apiUp } from '../support/api-process';
import { request } from '../support/http-client';
import { freePort, startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { LOCATION_UNSET } from '../../src/policy/settings';
import { apiFlow } from './example-flow';

type Json = Record<string, unknown>;

/** setLatLon through the example flow in a real Node-RED, on both ports (docs/api.md §4.12, §6.7). */
describe('setLatLon in a real Node-RED: 204 and stored, or 400 with the reason', function () {
  this.timeout(120000);
  let red: NodeRedProcess;
  let dedicated: string;

  before(async () => {
    const listenPort = await freePort();
    red = await startNodeRed(apiFlow({ listenPort, listenHost: '127.0.0.1' }));
    dedicated = `http://127.0.0.1:${listenPort}/`;
    await apiUp(red.url);
    await apiUp(dedicated);
  });
  after(async () => {
    await red?.stop();
  });

  const config = async (base: string): Promise<Json> =>
    ((await request(base, 'GET', '/api/getConfig')).json() as { settings: Json }).settings;
  const status = async (base: string): Promise<Json> =>
    (await request(base, 'GET', '/api/getStatus')).json() as Json;

  for (const which of ['the dedicated port', 'Node-RED’s port']) {
    const base = (): string => (which === 'the dedicated port' ? dedicated : red.url);

    it(`${which}: a location is 204 with no body, shown by getConfig and used by getStatus`, async () => {
      for (const [body, lat, lon] of [
        ['{"lat": 52.52, "lon": 13.405}', 52.52, 13.405],
        ['{"lat": "-33.8688", "lon": "151.2093"}', -33.8688, 151.2093],
      ] as const) {
        const a = await request(base(), 'POST', '/api/setLatLon', {
          body,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
        });
        assert.equal(a.status, 204, body);
        assert.equal(a.text, '', 'no body');
        assert.deepEqual(await config(base()), { homeLat: lat, homeLon: lon });
        const st = await status(base());
        assert.equal(st.greenWindowSource, 'location');
        assert.equal(typeof st.greenWindowAllDay, 'boolean');
      }
    });

    it(`${which}: missing, null, non-numeric, out of range and malformed bodies are 400 with JSON`, async () => {
      await request(base(), 'POST', '/api/setLatLon', { body: '{"lat": 10, "lon": 20}' });
      const bodies = [
        '',
        '{}',
        '{"lat": 10}',
        '{"lon": 20}',
        '{"lat": null, "lon": 20}',
        '{"lat": "ten", "lon": 20}',
        '{"lat": true, "lon": 20}',
        '{"lat": [10], "lon": 20}',
        '{"lat": 90.5, "lon": 20}',
        '{"lat": -90.5, "lon": 20}',
        '{"lat": 10, "lon": 180.5}',
        '{"lat": 10, "lon": "-999"}',
        '{"lat": "1e999", "lon": 20}',
        `{"lat": "${'9'.repeat(5000)}", "lon": 20}`,
        '{"lat": "10\\u0000", "lon": 20}',
        '{"lat": "１０", "lon": 20}',
        '[10, 20]',
        '{"lat": 10,',
      ];
      const answers = await Promise.all(
        bodies.map((body) => request(base(), 'POST', '/api/setLatLon', { body })),
      );
      answers.forEach((a, i) => {
        assert.equal(a.status, 400, bodies[i]);
        assert.match(String(a.headers['content-type']), /^application\/json/);
        const { error } = a.json() as { error: unknown };
        assert.equal(typeof error, 'string', bodies[i]);
        assert.match(String(error), /lat|lon|JSON/, bodies[i]);
      });
      assert.deepEqual(await config(base()), { homeLat: 10, homeLon: 20 }, 'nothing stored');
    });

    it(`${which}: setSetting homeLat 10000 unsets the location; the fixed hours are back`, async () => {
      await request(base(), 'POST', '/api/setLatLon', { body: '{"lat": 10, "lon": 20}' });
      const a = await request(base(), 'POST', '/api/setSetting', {
        body: JSON.stringify({ setting: 'homeLat', value: LOCATION_UNSET }),
      });
      assert.equal(a.status, 204);
      assert.deepEqual(await config(base()), { homeLat: LOCATION_UNSET, homeLon: 20 });
      const st = await status(base());
      assert.equal(st.greenWindowSource, 'hours');
      assert.match(String(st.greenWindowStart), /^\d{4}-\d\d-\d\d, 06:00$/);
      assert.match(String(st.greenWindowEnd), /^\d{4}-\d\d-\d\d, 20:00$/);
    });
  }

  it('GET /api/setLatLon is a 404, as every POST route by GET', async () => {
    assert.equal((await request(dedicated, 'GET', '/api/setLatLon')).status, 404);
  });
});
