import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/**
 * mocha's own "N passing" line is not what CI reads; this reporter keeps the spec output and leaves the
 * counts in a file so that scripts/test.js can print the closing `N passed, N failed` line after c8's
 * coverage summary.
 */
class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => passed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, () => failed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, () => skipped++);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.TWC_TEST_RESULTS ?? path.resolve('build', 'test-results.json');
      fs.writeFileSync(file, JSON.stringify({ passed, failed, skipped }));
    });
  }
}

export = SummaryReporter;
