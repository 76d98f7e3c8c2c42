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
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { ROOT, TMP, VSCODE, launchChromium, startCodeServer, tail, vscodeVersions } from './codeserver.mjs';
import { isInstalled } from './ensure.mjs';
import { makeWorkspace } from './workspace.mjs';

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const only = opt('--only');
const grep = opt('--grep');
const timeoutMs = Number(opt('--timeout') || process.env.MEDGEMMA_HOST_TIMEOUT || 240) * 1000;
const verbose = argv.includes('--verbose') || !!process.env.MEDGEMMA_E2E_VERBOSE;
const MODES = ['trusted', 'untrusted'].filter((m) => !only || m === only);
const VERSIONS = vscodeVersions(opt('--vscode'), 'floor,latest');
// The extension under test; another folder only to try the harness itself on a stub extension.
const DEV_PATH = process.env.MEDGEMMA_DEV_PATH || ROOT;

const t0 = Date.now();
const mark = (m) => console.log(`[host ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

// The workbench's own chatter, hidden unless --verbose: connection set-up, and the extension
// gallery it cannot reach from this network.
const WORKBENCH_NOISE = /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin extensions cache|\[Service Worker\]|ChatSessionStore:|\[ChatModelSelection\])|ENOTFOUND open-vsx\.org/;

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
  rmSync(resultsFile, { force: true });
  const env = { MEDGEMMA_HOST_MODE: mode, MEDGEMMA_HOST_RESULTS: resultsFile };
  if (grep) env.MEDGEMMA_HOST_GREP = grep;
  const cs = await startCodeServer({ name: `host-${mode[0]}-${vscode[0]}`, workspace: folder, trust: mode === 'untrusted', env, vscode, payload: true });
  mark(`${run}: ${VSCODE[vscode].label} ready on ${cs.authority} in ${cs.readyMs} ms`);
  const page = await browser.context.newPage();
  try {
    let finish;
    const exited = new Promise((r) => (finish = r));
    // The workbench calls these when extensionTestsPath is set: mocha's output and the exit code.
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      if (!verbose && WORKBENCH_NOISE.test(line)) return;
      if (type === 'error' || type === 'warn') console.log(`[vscode ${type}] ${line}`);
      else console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));
    page.on('crash', () => finish('page crashed'));
    await page.goto(cs.workbenchUrl({ devPath: DEV_PATH, testsPath: join(ROOT, 'dist', 'test', 'host', 'index.js') }));
    mark(`${run}: workbench loading; suites run in the extension host`);
    let timer;
    const code = await Promise.race([exited, new Promise((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)))]);
    clearTimeout(timer);
    mark(`${run}: VS Code exited with ${code}`);
    const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
    if (code === 'timeout' || !results) {
      const why = code === 'timeout' ? `TIMEOUT: the ${run} host suites did not finish in ${timeoutMs / 1000} s` : `the ${run} host run ended (${code}) without results`;
      console.log(`${why}\n--- code-server log (${cs.logFile}) ---\n${tail(cs.logFile, 40)}`);
      await page.screenshot({ path: join(ROOT, 'test-results', 'host', `${run}-failure.png`) }).catch(() => {});
      return { passed: results?.passed ?? 0, failed: (results?.failed ?? 0) + 1, skipped: results?.skipped ?? 0, failures: [why] };
    }
    if (results.failed) await page.screenshot({ path: join(ROOT, 'test-results', 'host', `${run}-failure.png`) }).catch(() => {});
    if (code !== 0 && results.failed === 0) {
      results.failed = 1;
      results.failures.push(`VS Code reported exit code ${code} although mocha counted no failure`);
    }
    return results;
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
      for (const mode of MODES) {
        const r = await runMode(mode, vscode, browser);
        total.passed += r.passed;
        total.failed += r.failed;
        total.skipped += r.skipped;
        total.failures.push(...r.failures.map((f) => `[${mode}@${vscode}] ${f}`));
      }
    }
  } finally {
    await browser.close();
  }
  mark('done');
  if (total.failures.length) console.log(`\nFailures:\n${total.failures.map((f) => `  - ${f}`).join('\n')}`);
  console.log(`host: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return total.failed === 0 && total.passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`host: ${e.message || e}`);
    console.log('host: 0 passed, 1 failed, 0 skipped');
    process.exit(1);
  },
);
