import assert from 'node:assert/strict';
import { OriginListError, parseAllowedOrigins } from '../../../src/bus/allowed-origins';
import { crossSiteRefusal } from '../../../src/http/origin';

describe('allowed origins, as typed in the twc-master', () => {
  it('normalises each origin the way a browser sends Origin', () => {
    assert.deepEqual(
      parseAllowedOrigins(' https://HA.example.com:443, http://192.168.1.5:8123\nhttp://hub.local:80 '),
      ['https://ha.example.com', 'http://192.168.1.5:8123', 'http://hub.local'],
    );
    assert.deepEqual(parseAllowedOrigins(''), []);
    assert.deepEqual(parseAllowedOrigins('http://a.b, http://a.b/'), ['http://a.b']);
  });

  it('refuses what is not an origin, naming it', () => {
    for (const [text, why] of [
      ['ha.example.com', /not an origin/],
      ['ftp://ha.example.com', /http:\/\/ or https:\/\//],
      ['https://ha.example.com/lovelace', /no path/],
      ['https://ha.example.com?x=1', /no path/],
      ['https://user@ha.example.com', /no path/],
    ] as const) {
      assert.throws(
        () => parseAllowedOrigins(`http://ok.example, ${text}`),
        (e: Error) => {
          assert.ok(e instanceof OriginListError);
          assert.match(e.message, why);
          assert.ok(e.message.includes(text));
          return true;
        },
      );
    }
  });
});

describe('the cross-site check', () => {
  const allowed = ['https://ha.example.com'];
  const judge = (method: string, headers: Record<string, string>) =>
    crossSiteRefusal(method, { host: '10.0.0.2:8080', ...headers }, allowed);

  it('lets clients that are not browsers through: no Origin, no Sec-Fetch-Site', () => {
    assert.equal(judge('POST', {}), undefined);
  });

  it('lets the API’s own pages through, by Sec-Fetch-Site or by Origin matching Host', () => {
    assert.equal(
      judge('POST', { 'sec-fetch-site': 'same-origin', origin: 'http://10.0.0.2:8080' }),
      undefined,
    );
    assert.equal(judge('POST', { 'sec-fetch-site': 'none' }), undefined);
    assert.equal(judge('POST', { origin: 'http://10.0.0.2:8080' }), undefined);
    assert.equal(judge('POST', { origin: 'https://10.0.0.2:8080' }), undefined);
  });

  it('refuses another site’s page, and another port of the same host (same-site is not same-origin)', () => {
    const cases: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' },
      { 'sec-fetch-site': 'same-site', origin: 'http://10.0.0.2:1881' },
      { origin: 'http://10.0.0.2:1881' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of cases) {
      const why = judge('POST', headers);
      assert.ok(why, JSON.stringify(headers));
      assert.match(why, /^cross-site request refused: /);
      assert.ok(why.includes(headers.origin ?? 'a cross-site page'), why);
    }
  });

  it('lets an allowed origin through, whatever Sec-Fetch-Site says', () => {
    assert.equal(
      judge('POST', { 'sec-fetch-site': 'cross-site', origin: 'https://ha.example.com' }),
      undefined,
    );
    assert.ok(judge('POST', { 'sec-fetch-site': 'cross-site', origin: 'https://ha.example.com:8443' }));
  });

  it('judges only requests that change something', () => {
    const evil = { 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' };
    for (const m of ['GET', 'head', 'OPTIONS']) assert.equal(judge(m, evil), undefined, m);
    for (const m of ['POST', 'put', 'PATCH', 'DELETE']) assert.ok(judge(m, evil), m);
  });
});
