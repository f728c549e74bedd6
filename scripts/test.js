#!/usr/bin/env node
'use strict';
// The one test command: system packages, both builds, mocha under c8, then the closing line CI reads.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const results = path.join(root, 'build', 'test-results.json');

function run(cmd, args) {
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TWC_TEST_RESULTS: results },
  });
  return r.status ?? 1;
}

function finish(passed, failed, skipped) {
  const tail = skipped > 0 ? `, ${skipped} skipped` : '';
  console.log(`${passed} passed, ${failed} failed${tail}`);
  process.exit(failed > 0 ? 1 : 0);
}

if (run('bash', [path.join(root, 'scripts', 'ensure-system-deps.sh')]) !== 0) {
  console.error('could not install the system packages the tests need');
  finish(0, 1, 0);
}
if (
  run(process.execPath, [path.join(root, 'scripts', 'build.js')]) !== 0 ||
  run(bin('tsc'), ['-p', 'tsconfig.json']) !== 0
) {
  console.error('the TypeScript build failed');
  finish(0, 1, 0);
}
fs.rmSync(results, { force: true });
const status = run(bin('c8'), [
  '--reporter=text-summary',
  '--reports-dir=coverage',
  '--src=src',
  '--include=build/src/**',
  '--include=dist/**',
  bin('mocha'),
  ...process.argv.slice(2),
]);
let counts = { passed: 0, failed: 1, skipped: 0 };
try {
  counts = JSON.parse(fs.readFileSync(results, 'utf8'));
} catch {
  console.error('mocha ended without writing its results');
}
if (status !== 0 && counts.failed === 0) counts.failed = 1;
finish(counts.passed, counts.failed, counts.skipped);
