// Mutation testing (StrykerJS): how well the unit and simulator tests catch changes to the code
// they cover. Run it with `npm run mutate [-- <folder or glob>]` (scripts/mutate.mjs), not with
// `npm test`: it takes minutes to hours. How to read the results: docs/mutation.md.
// `npm run mutate -- <paths> --tests <globs>` runs only those test files (comma-separated
// globs): a narrower set can only kill fewer mutants, so its score is a lower bound, and it
// makes the "static" mutants (module-level code, run against every test) affordable.
// A comma inside braces belongs to the glob ('test/unit/server/{a,b}.test.ts'), not between globs.
const tests = process.env.MUTATE_TESTS?.split(/,(?![^{]*\})/).filter(Boolean);
// `--skip-tests <regex>`: tests whose full title matches are not run (mocha's grep, negated);
// for tests that become minutes long once every pixel loop is instrumented. A lower bound too.
const skip = process.env.MUTATE_SKIP_TESTS;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  // Plain-Node code only: src/vscode, src/cli and webview-ui need a real VS Code or a browser,
  // which the mocha tests below do not have.
  mutate: ['src/core/**/*.ts', 'src/protocol/**/*.ts', '!**/*.d.ts'],

  // The tests `npm run test:unit` runs (test/unit and test/sim), with the same mocha setup
  // (test/.mocharc.json: tsx/cjs loader, spec globs, timeout). test/host and test/ui need a
  // real VS Code and are not part of it.
  testRunner: 'mocha',
  mochaOptions: { config: 'test/.mocharc.json', ...(tests?.length ? { spec: tests } : {}), ...(skip ? { grep: `^(?!.*(?:${skip}))` } : {}) },
  // Each mutant runs only the tests that reached its code in the first, instrumented run.
  coverageAnalysis: 'perTest',

  // Mutants that do not compile are dropped before any test runs.
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',

  // Reuse the results of the last run for mutants whose code and tests did not change.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',

  reporters: ['clear-text', 'html', 'json', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },

  // Two shared cores: one test runner, one checker.
  concurrency: 1,
  // Builds, caches and generated output: nothing the tests read.
  ignorePatterns: [
    'dist', 'reports', 'test-results', '.tmp', '.vscode-test', '*.vsix', '*.tgz',
    'test/e2e/node_modules', 'test/e2e/.cache',
  ],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
