/**
 * Loaded only by `npm run mutate` (.mocharc.stryker.json). Stryker runs the tests that cover a mutant once
 * per mutant, and a surviving mutant runs every one of them to the end; capping each property at a time
 * budget keeps a full run within minutes. A property stopped by the cap passes with the runs it made, so
 * a mutant only these late runs would catch may survive here while `npm test` still runs them all.
 */
import fc from 'fast-check';

fc.configureGlobal({
  ...fc.readConfigureGlobal(),
  interruptAfterTimeLimit: 400,
  markInterruptAsFailure: false,
});
