#!/usr/bin/env node
'use strict';
// The one test command: system packages, a second Node-RED line, both builds, mocha twice, then the
// closing line CI reads, counting both runs:
//   1. every test under c8, on the project's Node-RED (node_modules, 4.1.x) and this Node (20);
//   2. the tests that run Node-RED itself (nodes, api, e2e, browser) again on Node-RED 5.0.x under
//      Node 22, both installed in .nr5/ by scripts/ensure-node-red-5.sh (Node-RED 5 needs Node >= 22.9).
// Arguments go to mocha in both runs (e.g. `npm test -- --grep twc-status`). TWC_TEST_RUNS=nr4 or =nr5
// runs only one of the two.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const results = path.join(root, 'build', 'test-results.json');
/**
 * The spec folders of the second run: the nodes in the test helper's runtime, the API and the editor on a
 * real node-red process, and the end-to-end runs. test/fault (3 minutes of timing under load, the same
 * Node-RED calls as test/api) and test/package (package.json, no Node-RED) run once, in the first run.
 */
const NR5_SPECS = ['nodes', 'api', 'e2e', 'browser'].map((dir) => `build/test/${dir}/**/*.spec.js`);
const wanted = (process.env.TWC_TEST_RUNS || 'nr4,nr5').split(',');

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function finish(passed, failed, skipped) {
  const tail = skipped > 0 ? `, ${skipped} skipped` : '';
  console.log(`${passed} passed, ${failed} failed${tail}`);
  process.exit(failed > 0 ? 1 : 0);
}

/** `Node-RED 4.1.15 / Node 20.20.2`: the versions a run really used, for its heading and its summary. */
function label(nodeRedDir, nodeBin) {
  const nodeRed = JSON.parse(fs.readFileSync(path.join(nodeRedDir, 'package.json'), 'utf8')).version;
  const node = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '');
  return `Node-RED ${nodeRed} / Node ${node}`;
}

/** Runs one mocha run (`cmd args`) and reads what the summary reporter left for it. */
function suite(name, cmd, args, env) {
  const file = path.join(root, 'build', `test-results-${name}.json`);
  fs.rmSync(file, { force: true });
  console.log(`\n=== ${env.TWC_TEST_RUN} ===\n`);
  const status = run(cmd, args, { ...env, TWC_TEST_RESULTS: file });
  let counts = { run: env.TWC_TEST_RUN, passed: 0, failed: 1, skipped: 0, failures: ['(no results)'] };
  try {
    counts = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    console.error(`mocha ended without writing its results (${env.TWC_TEST_RUN})`);
  }
  if (status !== 0 && counts.failed === 0) {
    counts.failed = 1;
    counts.failures.push(`mocha exited with status ${status}`);
  }
  return counts;
}

if (run('bash', [path.join(root, 'scripts', 'ensure-system-deps.sh')]) !== 0) {
  console.error('could not install the system packages the tests need');
  finish(0, 1, 0);
}
let nr5 = {};
if (wanted.includes('nr5')) {
  const r = spawnSync('bash', [path.join(root, 'scripts', 'ensure-node-red-5.sh')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  nr5 = Object.fromEntries(
    r.stdout
      .split('\n')
      .filter((l) => /^TWC_\w+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  if (r.status !== 0 || !nr5.TWC_NODE_BIN || !nr5.TWC_NODE_RED_DIR) {
    console.error('could not install Node-RED 5 and Node.js 22 for the second test run');
    finish(0, 1, 0);
  }
}
// Specs of modules that moved or went must not run from an old build.
fs.rmSync(path.join(root, 'build'), { recursive: true, force: true });
if (
  run(process.execPath, [path.join(root, 'scripts', 'build.js')]) !== 0 ||
  run(bin('tsc'), ['-p', 'tsconfig.json']) !== 0
) {
  console.error('the TypeScript build failed');
  finish(0, 1, 0);
}

const runs = [];
const extra = process.argv.slice(2);
if (wanted.includes('nr4')) {
  const env = {
    TWC_NODE_RED_DIR: '',
    TWC_NODE_BIN: '',
    TWC_TEST_RUN: label(path.join(root, 'node_modules', 'node-red'), process.execPath),
  };
  const c8 = ['--reporter=text-summary', '--reports-dir=coverage', '--src=src'];
  const include = ['--include=build/src/**', '--include=dist/**'];
  runs.push(suite('nr4', bin('c8'), [...c8, ...include, bin('mocha'), ...extra], env));
}
if (wanted.includes('nr5')) {
  const env = { ...nr5, TWC_TEST_RUN: label(nr5.TWC_NODE_RED_DIR, nr5.TWC_NODE_BIN) };
  // The project's mocha settings but not its spec list, which is every test.
  const rc = JSON.parse(fs.readFileSync(path.join(root, '.mocharc.json'), 'utf8'));
  const options = ['--no-config', '--timeout', String(rc.timeout), '--reporter', rc.reporter];
  if (rc.exit) options.push('--exit');
  const mocha = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
  runs.push(suite('nr5', nr5.TWC_NODE_BIN, [mocha, ...options, ...NR5_SPECS, ...extra], env));
}

const total = { passed: 0, failed: 0, skipped: 0, runs };
console.log('');
for (const r of runs) {
  total.passed += r.passed;
  total.failed += r.failed;
  total.skipped += r.skipped;
  const skipped = r.skipped > 0 ? `, ${r.skipped} pending` : '';
  console.log(`${r.run} - ${r.passed} passing, ${r.failed} failing${skipped}`);
  for (const f of r.failures) console.log(`  failing: ${f}`);
}
fs.writeFileSync(results, JSON.stringify(total, null, 2));
finish(total.passed, total.failed, total.skipped);
