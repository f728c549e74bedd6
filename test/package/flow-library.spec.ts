import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import semver from 'semver';

/**
 * The Flow Library's scorecard checks (node-red-dev validate) that need no network; the tool itself stops
 * offline at its catalogue look-ups, so they are re-done here against the same rules.
 */
const root = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  license?: string;
  repository?: unknown;
  bugs?: unknown;
  keywords?: string[];
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  main?: string;
  bin?: Record<string, string>;
  'node-red': { version: string; nodes: Record<string, string> };
};

/** Node-RED releases the checks are judged against: the 4.1 line we test on and the current latest. */
const NODE_RED_RELEASES = ['4.1.15', '5.0.7'];
const LATEST_NODE_RED_MIN_NODE = '22.9.0';

function registeredTypes(html: string): { type: string; category: string }[] {
  const scripts = [...html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)].map(
    (m) => m[1],
  );
  return scripts.flatMap((js) =>
    [...js.matchAll(/RED\.nodes\.registerType\(\s*'([^']+)'\s*,\s*\{[\s\S]*?category:\s*'([^']+)'/g)].map(
      (m) => ({
        type: m[1],
        category: m[2],
      }),
    ),
  );
}

function exampleTypes(): Set<string> {
  const dir = path.join(root, 'examples');
  const types = new Set<string>();
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.json')) {
        const flow = JSON.parse(fs.readFileSync(p, 'utf8')) as { type: string }[];
        assert.ok(Array.isArray(flow), `${entry.name} is an array of nodes`);
        for (const n of flow) types.add(n.type);
      }
    }
  };
  walk(dir);
  return types;
}

describe('Flow Library checks (offline part of node-red-dev validate)', () => {
  it('P01 licence and a LICENSE file', () => {
    assert.equal(pkg.license, 'MIT');
    assert.ok(fs.existsSync(path.join(root, 'LICENSE')));
  });

  it('P03 repository or bugs', () => {
    assert.ok(pkg.repository || pkg.bugs);
  });

  it('P04 name: node-red-contrib- prefix', () => {
    assert.match(pkg.name, /^node-red-contrib-[a-z0-9-]+$/);
  });

  it('P05 keyword node-red', () => {
    assert.ok(pkg.keywords?.includes('node-red'));
  });

  it('P06 node-red version range admits the 4.1 line and the latest release', () => {
    for (const v of NODE_RED_RELEASES)
      assert.ok(semver.satisfies(v, pkg['node-red'].version), `${v} in ${pkg['node-red'].version}`);
    assert.ok(!semver.satisfies('4.0.9', pkg['node-red'].version), 'http-in raw bodies need 4.1');
  });

  it('the peer range npm checks is the node-red.version range, and never makes npm install a Node-RED', () => {
    assert.equal(pkg.peerDependencies?.['node-red'], pkg['node-red'].version);
    // A palette install into a user dir would otherwise pull a second Node-RED in beside the running one.
    assert.equal(pkg.peerDependenciesMeta?.['node-red']?.optional, true);
  });

  it('P07 engines.node admits what the latest Node-RED needs, and Node 20', () => {
    const range = pkg.engines?.node ?? '';
    assert.ok(semver.satisfies(LATEST_NODE_RED_MIN_NODE, range));
    assert.ok(semver.satisfies('20.20.2', range));
  });

  it('every file package.json names exists after the build (main, bin, the node files)', () => {
    const named = [
      ...(pkg.main ? [pkg.main] : []),
      ...Object.values(pkg.bin ?? {}),
      ...Object.values(pkg['node-red'].nodes),
    ];
    for (const file of named) assert.ok(fs.existsSync(path.join(root, file)), `${file} exists`);
  });

  it('D01 at most 6 dependencies', () => {
    assert.ok(Object.keys(pkg.dependencies ?? {}).length <= 6);
  });

  it('N01 every node file has its editor HTML beside it, registering the same type with literal settings', () => {
    for (const [type, file] of Object.entries(pkg['node-red'].nodes)) {
      const html = path.join(root, file.replace(/\.js$/, '.html'));
      assert.ok(fs.existsSync(html), `${html} exists`);
      const types = registeredTypes(fs.readFileSync(html, 'utf8'));
      assert.deepEqual(
        types.map((t) => t.type),
        [type],
      );
      const locale = path.join(root, 'nodes', 'locales', 'en-US', `${type}.json`);
      assert.ok(fs.existsSync(locale), `${locale} exists`);
      const js = fs.readFileSync(path.join(root, 'src', 'nodes', `${type}.ts`), 'utf8');
      assert.match(js, new RegExp(`registerType\\('${type}'`), 'the runtime registers the same type');
    }
  });

  it('N02 every non-config node appears in an example flow', () => {
    const used = exampleTypes();
    for (const [type, file] of Object.entries(pkg['node-red'].nodes)) {
      const [{ category }] = registeredTypes(
        fs.readFileSync(path.join(root, file.replace(/\.js$/, '.html')), 'utf8'),
      );
      if (category !== 'config') assert.ok(used.has(type), `${type} is used in examples/`);
    }
  });

  it('icons the nodes name exist where Node-RED looks for them: icons/ beside the node file', () => {
    for (const file of Object.values(pkg['node-red'].nodes)) {
      const html = fs.readFileSync(path.join(root, file.replace(/\.js$/, '.html')), 'utf8');
      for (const m of html.matchAll(/icon:\s*'([^']+)'/g))
        assert.ok(fs.existsSync(path.join(root, path.dirname(file), 'icons', m[1])), m[1]);
    }
  });
});
