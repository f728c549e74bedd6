import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, SHOTS } from '../support/browser';
import { request } from '../support/http-client';
import { RED_JS, NODE_BIN } from '../support/node-red';
import { freePort, ROOT } from '../support/node-red-process';
import { delay, startProcess, waitFor, type RunningProcess } from '../support/pty';

/**
 * The locales the package must ship. Every directory in nodes/locales is checked anyway; this list makes a
 * missing one fail.
 */
const REQUIRED_LOCALES = ['en-US', 'de'];

/** Every example shipped, as the import menu names them. */
const SHIPPED = fs
  .readdirSync(path.join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();
/**
 * Examples that need another package's nodes, which a fresh user dir does not have: their own tests run them
 * in a Node-RED that has the package. Every other example is deployed here.
 */
const NEEDS_OTHER_PACKAGES: Record<string, string> = { '05 - Dashboard 2.0': '@flowfuse/node-red-dashboard' };
const EXAMPLES = SHIPPED.filter((name) => !(name in NEEDS_OTHER_PACKAGES));

const PACKAGE = 'node-red-contrib-twcmanager';
type FlowNode = Record<string, unknown> & { id: string; type: string; z?: string };

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** What the packed tarball holds, as `npm pack --json` lists it. */
interface Packed {
  filename: string;
  files: { path: string }[];
}

describe('the package as users install it: npm pack, npm install into a fresh Node-RED user dir', function () {
  this.timeout(180000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twc-installed-'));
  const userDir = path.join(dir, 'user');
  let packed: Packed;
  let red: RunningProcess | undefined;
  let url = '';
  let browser: Browser | undefined;
  let page: Page | undefined;
  const installed = path.join(userDir, 'node_modules', PACKAGE);

  before(async () => {
    // The build is the tests' own (scripts/test.js builds first); --ignore-scripts packs exactly that.
    [packed] = JSON.parse(
      run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT),
    ) as Packed[];
    fs.mkdirSync(userDir);
    fs.writeFileSync(path.join(userDir, 'package.json'), '{"name":"node-red-user","private":true}\n');
    // From npm's cache when it has the dependencies, else from the registry.
    run(
      'npm',
      [
        'install',
        path.join(dir, packed.filename),
        '--omit=dev',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
      ],
      userDir,
    );
    const port = await freePort();
    fs.writeFileSync(
      path.join(userDir, 'settings.js'),
      `module.exports = {
  uiHost: '127.0.0.1',
  uiPort: ${port},
  flowFile: 'flows.json',
  credentialSecret: false,
  editorTheme: { tours: false, palette: { catalogues: [] } },
  externalModules: { palette: { allowInstall: false } },
  telemetry: { enabled: false },
  logging: { console: { level: 'info' } },
};\n`,
    );
    // No nodesDir: Node-RED finds the package in the user dir's node_modules, as after a palette install.
    red = startProcess(NODE_BIN, [
      RED_JS,
      '--userDir',
      userDir,
      '--settings',
      path.join(userDir, 'settings.js'),
    ]);
    url = `http://127.0.0.1:${port}/`;
    await waitFor('Node-RED to start its flows', 60000, () => {
      if (red!.child.exitCode !== null) throw new Error(`node-red exited: ${red!.stderr()}${red!.stdout()}`);
      return red!.stdout().includes('Started flows');
    });
  });

  after(async () => {
    await browser?.close();
    await red?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the tarball carries the runtime, and every source map in it points at files it carries', () => {
    const files = new Set(packed.files.map((f) => f.path));
    for (const f of ['package.json', 'README.md', 'LICENSE', 'bin/twc-sim.js', 'nodes/icons/twc.svg'])
      assert.ok(files.has(f), f);
    for (const f of Object.values(
      (
        JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
          'node-red': { nodes: object };
        }
      )['node-red'].nodes,
    ) as string[]) {
      assert.ok(files.has(f), f);
      assert.ok(files.has(f.replace(/\.js$/, '.html')), f);
    }
    assert.ok(![...files].some((f) => f.startsWith('build/') || f.startsWith('test/')), 'no tests');
    assert.ok(![...files].some((f) => /(^|\/)\.(build-state\.json|tsbuildinfo)$/.test(f)), 'no build state');
    const maps = [...files].filter((f) => f.endsWith('.map'));
    assert.ok(maps.length > 0, 'the maps are shipped (with their sources)');
    for (const map of maps) {
      const { sources } = JSON.parse(fs.readFileSync(path.join(installed, map), 'utf8')) as {
        sources: string[];
      };
      for (const s of sources) {
        const target = path.posix.join(path.posix.dirname(map), s);
        assert.ok(files.has(target), `${map} points at ${target}, which the tarball does not carry`);
      }
    }
  });

  it('twc-sim runs from the installed package as the README says (npx -p … twc-sim --help)', () => {
    const out = run('npx', ['--offline', '-p', PACKAGE, 'twc-sim', '--help'], userDir);
    assert.match(out, /^Usage: twc-sim --device PATH/m);
  });

  it('registers and serves the icon from the installed package', async () => {
    const icons = await request(url, 'GET', '/icons', { headers: { Accept: 'application/json' } });
    assert.equal(icons.status, 200);
    assert.deepEqual((icons.json() as Record<string, string[]>)[PACKAGE], ['twc.svg']);
    const svg = await request(url, 'GET', `/icons/${PACKAGE}/twc.svg`);
    assert.equal(svg.status, 200);
    assert.match(String(svg.headers['content-type']), /image\/svg\+xml/);
    assert.equal(svg.text, fs.readFileSync(path.join(ROOT, 'nodes', 'icons', 'twc.svg'), 'utf8'));
  });

  it('lists every example in the import menu (the library API), each the file shipped', async () => {
    const listing = await request(url, 'GET', `/library/examples/flows/${PACKAGE}`);
    assert.equal(listing.status, 200, listing.text);
    const shipped = SHIPPED;
    assert.ok(EXAMPLES.length >= 3, EXAMPLES.join());
    assert.deepEqual((listing.json() as { fn: string }[]).map((e) => e.fn).sort(), shipped.sort());
    for (const name of shipped) {
      const flow = await request(
        url,
        'GET',
        `/library/examples/flows/${PACKAGE}/${encodeURIComponent(name)}`,
      );
      assert.equal(flow.status, 200, name);
      assert.deepEqual(
        flow.json(),
        JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', `${name}.json`), 'utf8')),
      );
    }
  });

  it('serves the message catalogs of every locale directory', async () => {
    const locales = fs.readdirSync(path.join(ROOT, 'nodes', 'locales'));
    for (const l of REQUIRED_LOCALES) assert.ok(locales.includes(l), `nodes/locales/${l} exists`);
    for (const lng of locales) {
      // The route the editor loads every node's catalog from, for the language it runs in.
      const served = await request(url, 'GET', `/nodes/messages?lng=${lng}`, {
        headers: { Accept: 'application/json' },
      });
      assert.equal(served.status, 200);
      const catalogs = served.json() as Record<string, unknown>;
      const files = fs
        .readdirSync(path.join(ROOT, 'nodes', 'locales', lng))
        .filter((f) => f.endsWith('.json'));
      assert.ok(files.length > 0, lng);
      for (const f of files) {
        const mine = JSON.parse(
          fs.readFileSync(path.join(ROOT, 'nodes', 'locales', lng, f), 'utf8'),
        ) as unknown;
        assert.deepEqual(catalogs[`${PACKAGE}/${f.replace(/\.json$/, '')}`], mine, `${lng}/${f}`);
      }
    }
  });

  it('serves the help of every locale directory, in the language the editor asks for', async () => {
    for (const lng of fs.readdirSync(path.join(ROOT, 'nodes', 'locales'))) {
      const served = await request(url, 'GET', '/nodes', {
        headers: { Accept: 'text/html', 'Accept-Language': lng },
      });
      assert.equal(served.status, 200);
      const helps = fs
        .readdirSync(path.join(ROOT, 'nodes', 'locales', lng))
        .filter((f) => f.endsWith('.html'));
      for (const f of helps) {
        // The help's first paragraph, as the file has it.
        const html = fs.readFileSync(path.join(ROOT, 'nodes', 'locales', lng, f), 'utf8');
        const first = /<p>([^<]+)/.exec(html)![1];
        assert.ok(served.text.includes(first), `${lng}/${f}: ${first}`);
      }
    }
  });

  /** Deploys `flow` as the only flow and returns what Node-RED logged from the deploy until it settled. */
  async function deployAndListen(flow: FlowNode[]): Promise<string[]> {
    const from = red!.stdout().length + red!.stderr().length;
    const before = red!.stdout().split('Started flows').length;
    const a = await request(url, 'POST', '/flows', {
      body: JSON.stringify(flow),
      headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
    });
    assert.equal(a.status, 204, a.text);
    await waitFor('the flows to start', 20000, () => red!.stdout().split('Started flows').length > before);
    // The link-ready sequence takes a second; every unit is linked (and any wiring warning said) well before.
    await delay(3000);
    const text = (red!.stdout() + red!.stderr()).slice(from);
    return text.split('\n').filter((l) => /\[(warn|error)\]/.test(l));
  }

  async function example(name: string): Promise<FlowNode[]> {
    const flow = (
      await request(url, 'GET', `/library/examples/flows/${PACKAGE}/${encodeURIComponent(name)}`)
    ).json() as FlowNode[];
    const listenPort = await freePort();
    // Only the dedicated API port moves (8080 may be taken on the test machine).
    return flow.map((n) => (n.type === 'twc-master' ? { ...n, listenPort } : n));
  }

  it('the examples not deployed here are exactly those that use nodes this Node-RED does not have', async () => {
    const nodes = (
      await request(url, 'GET', '/nodes', { headers: { Accept: 'application/json' } })
    ).json() as {
      module: string;
      types: string[];
    }[];
    const known = new Set(['tab', 'group', 'junction', 'comment', ...nodes.flatMap((n) => n.types)]);
    // Node-RED 4 also loads the modules installed beside itself: the project's dev dependencies, here.
    const modules = new Set(nodes.map((n) => n.module));
    for (const name of SHIPPED) {
      const flow = (await example(name)).filter((n) => !n.type.startsWith('subflow'));
      const unknown = [...new Set(flow.map((n) => n.type).filter((t) => !known.has(t)))];
      const missing = name in NEEDS_OTHER_PACKAGES && !modules.has(NEEDS_OTHER_PACKAGES[name]);
      assert.equal(unknown.length > 0, missing, `${name}: ${unknown.join(', ')}`);
    }
  });

  it('a wrong wiring limit is seen by this check (example 01 with 80 A per unit warns)', async () => {
    const flow = (await example(EXAMPLES[0])).map((n) =>
      n.type === 'twc-master' ? { ...n, wiringMaxAmpsPerTWC: 80 } : n,
    );
    const said = await deployAndListen(flow);
    assert.ok(
      said.some((l) => /wiringMaxAmpsPerTWC \(80 A\) is above what 4243 supports/.test(l)),
      said.join('\n'),
    );
  });

  for (const name of EXAMPLES) {
    it(`example "${name}" deploys as shipped without a warning or an error`, async () => {
      assert.deepEqual(await deployAndListen(await example(name)), []);
    });
  }

  it('shows the icon in the palette and no node of any example overlaps another (headless Chromium)', async () => {
    const all: FlowNode[] = [];
    for (const name of EXAMPLES) all.push(...(await example(name)));
    assert.deepEqual(await deployAndListen(all), [], 'the examples together');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    const paletteIcon = page.locator(
      `.red-ui-palette-node[data-palette-type='twc-status'] .red-ui-palette-icon`,
    );
    await paletteIcon.waitFor({ timeout: 30000 });
    await paletteIcon.scrollIntoViewIfNeeded();
    await page
      .locator('#red-ui-palette')
      .screenshot({ path: path.join(SHOTS, 'installed-package-palette.png') });
    assert.match(
      await paletteIcon.evaluate((e) => getComputedStyle(e).backgroundImage),
      new RegExp(`icons/${PACKAGE}/twc\\.svg`),
    );
    const tabs = all.filter((n) => n.type === 'tab');
    assert.equal(tabs.length, EXAMPLES.length);
    for (const tab of tabs) {
      const boxes = await page.evaluate(async (id) => {
        const RED = (window as unknown as { RED: EditorRED }).RED;
        RED.workspaces.show(id);
        await new Promise((r) => setTimeout(r, 500));
        return RED.nodes
          .filterNodes({ z: id })
          .map((n) => ({ id: n.id, label: n.name || n.type, x: n.x, y: n.y, w: n.w, h: n.h }));
      }, tab.id);
      await page.screenshot({ path: path.join(SHOTS, `installed-example-${tab.id}.png`) });
      assert.ok(boxes.length > 3, `${tab.id} drew its nodes`);
      for (const b of boxes) {
        assert.ok(b.w > 0 && b.h > 0, `${b.id} was drawn`);
        assert.ok(b.x - b.w / 2 >= 0 && b.y - b.h / 2 >= 0, `${b.id} starts inside the workspace`);
      }
      for (const [i, a] of boxes.entries())
        for (const b of boxes.slice(i + 1)) {
          const apart = Math.abs(a.x - b.x) >= (a.w + b.w) / 2 || Math.abs(a.y - b.y) >= (a.h + b.h) / 2;
          assert.ok(apart, `${a.label} overlaps ${b.label} in ${tab.id}: ${JSON.stringify([a, b])}`);
        }
    }
  });
});

/** The bits of the editor's RED this test calls. */
interface EditorRED {
  workspaces: { show(id: string): void };
  nodes: {
    filterNodes(f: {
      z: string;
    }): { id: string; type: string; name?: string; x: number; y: number; w: number; h: number }[];
  };
}
