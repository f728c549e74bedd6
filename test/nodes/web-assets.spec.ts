import assert from 'node:assert/strict';
import { PAGE_FILE, webAssets } from '../../src/web/assets';
import { pageAnswer } from '../../src/web/serve';

// Needs the build's dist/web/static, as every spec of this folder needs dist/.
describe('the web page’s files (src/web/assets.ts, serve.ts)', () => {
  it('answers the folder with the page, its files by name, and nothing else', () => {
    const html = pageAnswer('/', true);
    assert.ok(html && 'asset' in html && html.asset.type.startsWith('text/html'));
    assert.deepEqual(pageAnswer('/twc/', false), html);
    assert.deepEqual(pageAnswer('/twc', false), { redirect: 'twc/' });
    assert.deepEqual(pageAnswer('/twc', true), { redirect: 'twc/' });
    const js = pageAnswer('/twc/app.js', false);
    assert.ok(js && 'asset' in js && js.asset.type.startsWith('text/javascript'));
    assert.deepEqual(pageAnswer('/app.js', true), js, 'the dedicated port serves them at its root too');
    for (const path of ['/app.js', '/favicon.svg', '/'])
      assert.equal(pageAnswer(path, false), undefined, `${path} is not the page's on Node-RED's port`);
    for (const path of [
      '/api/getStatus',
      '/twc/x/app.js',
      '/twc/../package.json',
      '/twc/missing.js',
      '/index.html',
    ])
      assert.equal(pageAnswer(path, true), undefined, path);
  });

  it('every file the page and its modules name is one it serves', () => {
    const assets = webAssets();
    const html = assets.get(PAGE_FILE)!.body.toString();
    const named = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]);
    for (const [name, file] of assets)
      if (name.endsWith('.js'))
        named.push(...[...file.body.toString().matchAll(/from '\.\/([^']+)'/g)].map((m) => m[1]));
    assert.ok(named.includes('app.js') && named.includes('page.css') && named.includes('favicon.svg'));
    for (const name of named) assert.ok(assets.has(name), `${name} is named but not served`);
    // Relative to the page, so that any httpNodeRoot works: no absolute path, no other host.
    assert.doesNotMatch(html, /(?:src|href)="(?:\/|https?:)/);
  });
});
