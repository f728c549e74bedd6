import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../support/node-red-process';

interface Step {
  name: string;
  inputs(): string[];
  outputs(): string[];
  run(): boolean;
}
interface BuildScript {
  STEPS: Step[];
  build(o: {
    clean?: boolean;
    log?: (m: string) => void;
    steps?: Step[];
    base?: string;
    out?: string;
  }): boolean;
}
const script = createRequire(__filename)(path.join(ROOT, 'scripts', 'build.js')) as BuildScript;

/** scripts/build.js, the build `npm start` runs first: it must run a step exactly when its inputs changed. */
describe('scripts/build.js runs only the steps whose inputs changed', () => {
  let base: string;
  let runs: string[];
  let fail: boolean;
  const log: string[] = [];
  const write = (f: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(base, f)), { recursive: true });
    fs.writeFileSync(path.join(base, f), text);
  };
  const sources = (): string[] =>
    fs
      .readdirSync(path.join(base, 'src'))
      .sort()
      .map((f) => `src/${f}`);
  const compile: Step = {
    name: 'compile',
    inputs: sources,
    outputs: () => sources().map((f) => f.replace(/^src/, 'out')),
    run: () => {
      runs.push('compile');
      if (fail) return false;
      for (const f of sources()) write(f.replace(/^src/, 'out'), fs.readFileSync(path.join(base, f), 'utf8'));
      return true;
    },
  };
  const stamp: Step = {
    name: 'stamp',
    inputs: () => ['config.json'],
    outputs: () => ['out/stamp'],
    run: () => {
      runs.push('stamp');
      write('out/stamp', 'x');
      return true;
    },
  };
  const build = (clean = false): boolean =>
    script.build({
      clean,
      steps: [compile, stamp],
      base,
      out: path.join(base, 'out'),
      log: (m) => log.push(m),
    });

  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'twc-build-'));
    write('src/a.ts', 'a');
    write('src/b.ts', 'b');
    write('config.json', '{}');
    runs = [];
    fail = false;
    assert.equal(build(), true);
    assert.deepEqual(runs, ['compile', 'stamp'], 'the first build runs every step');
    runs = [];
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it('runs nothing when nothing changed', () => {
    assert.equal(build(), true);
    assert.deepEqual(runs, []);
  });

  it('runs only the step whose input changed', () => {
    write('src/a.ts', 'a2');
    build();
    assert.deepEqual(runs, ['compile']);
    write('config.json', '{"x":1}');
    build();
    assert.deepEqual(runs, ['compile', 'stamp']);
  });

  it('runs a step again when one of its outputs went missing', () => {
    fs.rmSync(path.join(base, 'out', 'b.ts'));
    build();
    assert.deepEqual(runs, ['compile']);
    assert.ok(fs.existsSync(path.join(base, 'out', 'b.ts')));
  });

  it('a module deleted from the sources does not live on in the output: the output is built from nothing', () => {
    fs.rmSync(path.join(base, 'src', 'b.ts'));
    build();
    assert.deepEqual(runs, ['compile', 'stamp']);
    assert.ok(!fs.existsSync(path.join(base, 'out', 'b.ts')));
    assert.ok(fs.existsSync(path.join(base, 'out', 'a.ts')));
  });

  it('a step that failed runs again next time, and --clean runs everything', () => {
    write('src/a.ts', 'a3');
    fail = true;
    assert.equal(build(), false);
    fail = false;
    assert.equal(build(), true);
    assert.deepEqual(runs, ['compile', 'compile']);
    runs = [];
    build(true);
    assert.deepEqual(runs, ['compile', 'stamp']);
  });

  it("the project's steps read every source file and the compiler settings", () => {
    const inputs = new Set(script.STEPS.flatMap((s) => s.inputs()));
    const walk = (d: string): string[] =>
      fs
        .readdirSync(path.join(ROOT, d), { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    for (const f of walk('src')) assert.ok(inputs.has(f), f);
    for (const f of ['tsconfig.base.json', 'tsconfig.build.json', 'tsconfig.web.json'])
      assert.ok(inputs.has(f), f);
  });
});
