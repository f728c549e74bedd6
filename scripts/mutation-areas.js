#!/usr/bin/env node
'use strict';
// After `stryker run`: the score of each area of the safety code on its own, so that a strong area cannot
// hide a weak one in the total. Fails when any area is below the break threshold of stryker.config.json.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const config = JSON.parse(fs.readFileSync(path.join(root, 'stryker.config.json'), 'utf8'));
const report = JSON.parse(fs.readFileSync(path.join(root, config.jsonReporter.fileName), 'utf8'));
const floor = config.thresholds.break;

/** `src/master/engine.ts` → `src/master`; a file mutated on its own is its own area. */
const areaOf = (file) => {
  const parts = file.split('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : file;
};

const areas = new Map();
for (const [file, { mutants }] of Object.entries(report.files)) {
  const a = areas.get(areaOf(file)) ?? { killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0 };
  for (const m of mutants) {
    if (m.status === 'Killed') a.killed++;
    else if (m.status === 'Timeout') a.timeout++;
    else if (m.status === 'Survived') a.survived++;
    else if (m.status === 'NoCoverage') a.noCoverage++;
    else if (m.status === 'Ignored') a.ignored++;
  }
  areas.set(areaOf(file), a);
}

let failed = false;
console.log(
  '| area | mutants | killed | timeout | survived | no coverage | ignored (static, or named equivalent) | score |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const [area, a] of [...areas].sort()) {
  const valid = a.killed + a.timeout + a.survived + a.noCoverage;
  const score = valid === 0 ? 100 : ((a.killed + a.timeout) / valid) * 100;
  if (score < floor) failed = true;
  console.log(
    `| \`${area}\` | ${valid} | ${a.killed} | ${a.timeout} | ${a.survived} | ${a.noCoverage} | ${a.ignored} | ${score.toFixed(2)} % |`,
  );
}
if (failed) {
  console.error(`an area scores below ${floor} %`);
  process.exit(1);
}
