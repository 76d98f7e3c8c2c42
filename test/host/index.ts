// extensionTestsPath entry (bundled by esbuild.mjs to dist/test/host/index.js, `vscode` and
// `mocha` external). VS Code calls run() inside the extension host of a real VS Code
// (code-server, see test/e2e/run-host.mjs). Suites are required lazily, after mocha has set up
// its globals, so each *.test.ts can use suite()/test() at top level.
//
// Environment (set by run-host.mjs on code-server, inherited by the extension host):
//   MEDGEMMA_HOST_MODE     'trusted' (default) or 'untrusted': which suites to load
//   MEDGEMMA_HOST_RESULTS  file to write {passed, failed, skipped, failures[]} to
//   MEDGEMMA_HOST_GREP     only tests whose full title matches this pattern
import * as fs from 'fs';
import Mocha from 'mocha';

/* eslint-disable @typescript-eslint/no-require-imports -- the reporter is CommonJS, and the
   suites load per mode: an import is always evaluated, a require() only when reached (esbuild
   bundles each one). */
const SummaryReporter = require('../summary-reporter');

/** Loads the suites of one mode. */
function loadSuites(mode: string): void {
  if (mode === 'untrusted') {
    require('./untrusted.test');
    require('./batch.test'); // its untrusted suite
    require('./mcp.test');
    require('./participant.test');
    require('./model-provider.test');
    require('./tools.test');
    require('./lora.test');
    return;
  }
  require('./extension.test');
  require('./summarize.test');
  require('./images.test');
  require('./papers.test');
  require('./chat.test');
  require('./model-links.test');
  require('./privacy.test');
  require('./batch.test');
  require('./vertex.test');
  require('./mcp.test');
  require('./participant.test');
  require('./model-provider.test');
  require('./tools.test');
  require('./lora.test');
  require('./dataset.test');
  require('./compare.test');
  require('./zotero.test');
}
/* eslint-enable @typescript-eslint/no-require-imports */

export function run(): Promise<void> {
  const mode = process.env.MEDGEMMA_HOST_MODE || 'trusted';
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: 60_000,
    slow: 5_000,
    reporter: SummaryReporter,
    grep: process.env.MEDGEMMA_HOST_GREP || undefined,
  });
  // What `mocha.addFile` + `loadFiles` do, for modules that are already bundled.
  mocha.suite.emit('pre-require', globalThis, `host-${mode}`, mocha);
  loadSuites(mode);
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const s = runner.stats;
      const results = {
        mode,
        passed: s?.passes ?? 0,
        failed: s?.failures ?? failures,
        skipped: s?.pending ?? 0,
        failures: failed,
      };
      const file = process.env.MEDGEMMA_HOST_RESULTS;
      if (file) fs.writeFileSync(file, JSON.stringify(results, null, 2));
      if (failures) reject(new Error(`${failures} host test(s) failed`));
      else resolve();
    });
    const failed: string[] = [];
    runner.on('fail', (t, err) => failed.push(`${t.fullTitle()}: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`));
  });
}
