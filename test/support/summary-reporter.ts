import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** What one mocha run leaves for scripts/test.js, which adds up the runs (one per Node-RED line). */
interface RunResults {
  /** Which run, e.g. `Node-RED 5.0.7 / Node 22.23.5` (TWC_TEST_RUN), or empty outside scripts/test.js. */
  run: string;
  passed: number;
  failed: number;
  skipped: number;
  /** Full titles of the failed tests and hooks, so the closing summary can name them per run. */
  failures: string[];
}

/**
 * mocha's own "N passing" line is not what CI reads; this reporter keeps the spec output and leaves the
 * counts in a file so that scripts/test.js can print the closing `N passed, N failed` line after c8's
 * coverage summary, over both runs.
 */
class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const results: RunResults = {
      run: process.env.TWC_TEST_RUN ?? '',
      passed: 0,
      failed: 0,
      skipped: 0,
      failures: [],
    };
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => results.passed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test) => {
      results.failed++;
      results.failures.push(test.fullTitle());
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, () => results.skipped++);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.TWC_TEST_RESULTS ?? path.resolve('build', 'test-results.json');
      fs.writeFileSync(file, JSON.stringify(results));
    });
  }
}

export = SummaryReporter;
