// Runs mocha suites inside a code-server's extension host and collects their results: shared by
// the host tier (the development folder) and the installed tier (the installed VSIX).
//
// With extensionTestsPath in the workbench URL, VS Code runs the suites and calls two functions
// on the page: codeAutomationLog (mocha's output) and codeAutomationExit (the exit code). The
// suites write their counts to resultsFile (test/host/index.ts, test/installed/index.ts).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { format } from 'node:util';
import { tail } from './codeserver.mjs';
import { failedRun } from './results.mjs';

/** The workbench's own chatter, hidden unless verbose: connection set-up, and the extension
 * gallery it cannot reach from this network. */
export const WORKBENCH_NOISE = /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin extensions cache|\[Service Worker\]|ChatSessionStore:|\[ChatModelSelection\])|ENOTFOUND open-vsx\.org/;

/**
 * Opens the workbench on `page` with the suites of `testsPath` beside the extension in
 * `devPath`, waits until VS Code exits (or `timeoutMs`), and returns
 * {passed, failed, skipped, failures[]} from `resultsFile`. A timeout, a crash or an exit code
 * that mocha's counts do not explain is a failure; `onFailure` (e.g. a screenshot) runs then.
 */
export async function runExtensionTests(page, cs, { label, devPath, testsPath, resultsFile, timeoutMs, verbose = false, mark = console.log, onFailure = async () => {} }) {
  rmSync(resultsFile, { force: true });
  let finish;
  const exited = new Promise((r) => (finish = r));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = format(...(Array.isArray(args) ? args : [args]));
    if (!verbose && WORKBENCH_NOISE.test(line)) return;
    console.log(type === 'error' || type === 'warn' ? `[vscode ${type}] ${line}` : line);
  });
  await page.exposeFunction('codeAutomationExit', (code) => finish(code));
  page.on('crash', () => finish('page crashed'));
  await page.goto(cs.workbenchUrl({ devPath, testsPath }));
  mark(`${label}: workbench loading; suites run in the extension host`);
  let timer;
  const code = await Promise.race([exited, new Promise((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)))]);
  clearTimeout(timer);
  mark(`${label}: VS Code exited with ${code}`);
  const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
  if (code === 'timeout' || !results) {
    const why = code === 'timeout' ? `TIMEOUT: the ${label} suites did not finish in ${timeoutMs / 1000} s` : `the ${label} run ended (${code}) without results`;
    console.log(`${why}\n--- code-server log (${cs.logFile}) ---\n${tail(cs.logFile, 40)}`);
    await onFailure();
    return failedRun(why, results);
  }
  if (results.failed) await onFailure();
  if (code !== 0 && results.failed === 0) {
    results.failed = 1;
    results.failures.push(`VS Code reported exit code ${code} although mocha counted no failure`);
  }
  return results;
}
