#!/usr/bin/env node
// Host tier: runs the mocha suites of test/host/ inside the Node extension host of a real VS Code
// (code-server), opened in headless Chromium. Build first (`node esbuild.mjs`) and install the
// tools (`node test/e2e/ensure.mjs`).
//
// Two VS Code runs, on each VS Code version (the oldest we support and the newest):
//   trusted    workspace trust off: the extension's features, against the simulator that the
//              suites start inside the extension host
//   untrusted  workspace trust on and the folder left untrusted: nothing may be sent
//
//   node test/e2e/run-host.mjs [--only trusted|untrusted] [--vscode floor,latest] [--grep PATTERN]
//                              [--timeout SECONDS] [--verbose]
//
// Ends with the line "host: N passed, N failed, N skipped"; exit code 0 only when every run
// finished and nothing failed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, TMP, VSCODE, launchChromium, startCodeServer, vscodeVersions } from './codeserver.mjs';
import { isInstalled } from './ensure.mjs';
import { runExtensionTests } from './extension-tests.mjs';
import { addResults, exitWith, report } from './results.mjs';
import { makeWorkspace } from './workspace.mjs';

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const only = opt('--only');
const grep = opt('--grep');
const timeoutMs = Number(opt('--timeout') || process.env.MEDGEMMA_HOST_TIMEOUT || 420) * 1000;
const verbose = argv.includes('--verbose') || !!process.env.MEDGEMMA_E2E_VERBOSE;
const MODES = ['trusted', 'untrusted'].filter((m) => !only || m === only);
const VERSIONS = vscodeVersions(opt('--vscode'), 'floor,latest');
// The extension under test; another folder only to try the harness itself on a stub extension.
const DEV_PATH = process.env.MEDGEMMA_DEV_PATH || ROOT;

const t0 = Date.now();
const mark = (m) => console.log(`[host ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

function preflight() {
  if (!isInstalled()) throw new Error('code-server is not installed: run node test/e2e/ensure.mjs first');
  for (const f of [join(DEV_PATH, 'dist/extension.js'), join(ROOT, 'dist/test/host/index.js')]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run node esbuild.mjs first`);
  }
}

/** Runs one mode in its own code-server; returns {passed, failed, skipped, failures[], error?}. */
async function runMode(mode, vscode, browser) {
  const run = `${mode}@${vscode}`;
  const { folder } = makeWorkspace(`ws-host-${mode}`);
  const resultsFile = join(TMP, `host-results-${mode}.json`);
  const env = { MEDGEMMA_HOST_MODE: mode, MEDGEMMA_HOST_RESULTS: resultsFile };
  if (grep) env.MEDGEMMA_HOST_GREP = grep;
  const cs = await startCodeServer({ name: `host-${mode[0]}-${vscode[0]}`, workspace: folder, trust: mode === 'untrusted', env, vscode, payload: true });
  mark(`${run}: ${VSCODE[vscode].label} ready on ${cs.authority} in ${cs.readyMs} ms`);
  const page = await browser.context.newPage();
  try {
    return await runExtensionTests(page, cs, {
      label: `${run} host`,
      devPath: DEV_PATH,
      testsPath: join(ROOT, 'dist', 'test', 'host', 'index.js'),
      resultsFile,
      timeoutMs,
      verbose,
      mark,
      onFailure: () => page.screenshot({ path: join(ROOT, 'test-results', 'host', `${run}-failure.png`) }).catch(() => {}),
    });
  } finally {
    await page.close().catch(() => {});
    await cs.stop();
  }
}

async function main() {
  preflight();
  const browser = await launchChromium();
  const total = { passed: 0, failed: 0, skipped: 0, failures: [] };
  try {
    for (const vscode of VERSIONS) {
      for (const mode of MODES) addResults(total, `${mode}@${vscode}`, await runMode(mode, vscode, browser));
    }
  } finally {
    await browser.close();
  }
  mark('done');
  return report('host', total);
}

exitWith('host', main);
