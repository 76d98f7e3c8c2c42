// extensionTestsPath entry of the installed-VSIX tier (bundled to dist/test/installed/index.js,
// `vscode` and `mocha` external; see test/e2e/run-installed.mjs). It runs in the extension
// host next to the extension that code-server installed from the .vsix.
//
// Environment (set by run-installed.mjs, inherited by the extension host):
//   MEDGEMMA_INSTALLED_RESULTS     file to write {passed, failed, skipped, failures[]} to
//   MEDGEMMA_INSTALLED_EXTENSIONS  the --extensions-dir the VSIX was installed into
//   MEDGEMMA_INSTALLED_GREP        only tests whose full title matches this pattern
import * as fs from 'fs';
import Mocha from 'mocha';

/* eslint-disable @typescript-eslint/no-require-imports -- the reporter is CommonJS, and the
   suite must load after mocha's pre-require has set up its globals (an import runs first). */
const SummaryReporter = require('../summary-reporter');

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, slow: 5_000, reporter: SummaryReporter, grep: process.env.MEDGEMMA_INSTALLED_GREP || undefined });
  // What `mocha.addFile` + `loadFiles` do, for a module that is already bundled.
  mocha.suite.emit('pre-require', globalThis, 'installed', mocha);
  require('./smoke.test');
  return new Promise((resolve, reject) => {
    const failed: string[] = [];
    const runner = mocha.run((failures) => {
      const s = runner.stats;
      const results = { passed: s?.passes ?? 0, failed: s?.failures ?? failures, skipped: s?.pending ?? 0, failures: failed };
      const file = process.env.MEDGEMMA_INSTALLED_RESULTS;
      if (file) fs.writeFileSync(file, JSON.stringify(results, null, 2));
      if (failures) reject(new Error(`${failures} installed-VSIX test(s) failed`));
      else resolve();
    });
    runner.on('fail', (t, err) => failed.push(`${t.fullTitle()}: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`));
  });
}
