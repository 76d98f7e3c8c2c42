#!/usr/bin/env node
// Installed tier: the packages as users get them.
//   1. The VSIX (`npm run package` writes it): code-server installs it with --install-extension
//      into a fresh extensions folder outside the repository (so no node_modules can stand in for
//      a file the package lacks), then the suite of test/installed/smoke.test.ts runs in that
//      code-server's extension host against the installed copy. The tests reach the extension
//      host as a tiny test-only extension (dist/test/installed/, given its own package.json
//      here): VS Code runs extensionTestsPath only beside an extensionDevelopmentPath.
//   2. The CLI: test/installed/npm-package.test.ts (npm pack, npm install -g, medgemma ...).
//
//   node test/e2e/run-installed.mjs [--vscode floor,latest] [--grep PATTERN] [--timeout SECONDS] [--verbose]
//
// The VSIX suite runs on each VS Code version of codeserver.mjs (VSCODE), like the host tier. Ends with the line
// "installed: N passed, N failed, N skipped"; exit code 0 only when nothing failed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT, TMP, VSCODE, codeServerVersion, installExtension, launchChromium, startCodeServer, vscodeVersions } from './codeserver.mjs';
import { runExtensionTests } from './extension-tests.mjs';
import { addResults, exitWith, failedRun, report } from './results.mjs';
import { isInstalled } from './ensure.mjs';
import { makeWorkspace } from './workspace.mjs';

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const grep = opt('--grep');
const VERSIONS = vscodeVersions(opt('--vscode'), 'floor,latest');
const timeoutMs = Number(opt('--timeout') || 240) * 1000;
const verbose = argv.includes('--verbose') || !!process.env.MEDGEMMA_E2E_VERBOSE;

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const VSIX = join(ROOT, `${manifest.name}-${manifest.version}.vsix`);
const TESTS = join(ROOT, 'dist', 'test', 'installed');

const t0 = Date.now();
const mark = (m) => console.log(`[installed ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

/** A node_modules in any folder above `dir` would let Node find a package the VSIX lacks. */
function assertNoNodeModulesAbove(dir) {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) throw new Error(`${join(d, 'node_modules')} exists above the installed extension: use a TMPDIR without one`);
    if (dirname(d) === d) return;
  }
}

/** "activated in N ms (CPU N ms)", from the extension's log in the code-server's logs folder. */
function activationMs(dataDir) {
  const found = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name === 'MedGemma.log') found.push(join(d, e.name));
    }
  };
  if (existsSync(join(dataDir, 'logs'))) walk(join(dataDir, 'logs'));
  for (const f of found) {
    const m = /activated in ([\d.]+ ms \(CPU [\d.]+ ms\))/.exec(readFileSync(f, 'utf8'));
    if (m) return m[1];
  }
  return undefined;
}

/** The VSIX suite in code-server; returns {passed, failed, skipped, failures[]}. */
async function vsixSuite(vscode) {
  if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: run npm run package first`);
  if (!existsSync(join(TESTS, 'index.js'))) throw new Error(`${join(TESTS, 'index.js')} is missing: run node esbuild.mjs first`);
  const base = mkdtempSync(join(tmpdir(), 'mg-vsix-'));
  try {
    const extensions = join(base, 'ext');
    mkdirSync(extensions);
    assertNoNodeModulesAbove(extensions);
    installExtension(VSIX, extensions, vscode);
    const installed = readdirSync(extensions).filter((d) => d.startsWith(`${manifest.publisher}.${manifest.name}-`));
    if (installed.length !== 1) throw new Error(`expected one installed ${manifest.name} in ${extensions}, found: ${readdirSync(extensions).join(', ')}`);
    mark(`installed ${installed[0]} from ${VSIX.slice(ROOT.length + 1)} with code-server ${codeServerVersion(vscode)} (${VSCODE[vscode].label})`);
    // The test-only extension that carries the suites (an id of its own, no code of its own).
    writeFileSync(join(TESTS, 'package.json'), JSON.stringify({ name: 'medgemma-installed-tests', publisher: 'medgemma-test', version: '0.0.0', engines: { vscode: '^1.100.0' } }));

    const { folder } = makeWorkspace('ws-installed');
    const resultsFile = join(TMP, 'installed-results.json');
    const env = { MEDGEMMA_INSTALLED_RESULTS: resultsFile, MEDGEMMA_INSTALLED_EXTENSIONS: extensions };
    if (grep) env.MEDGEMMA_INSTALLED_GREP = grep;
    const cs = await startCodeServer({ name: `inst-${vscode[0]}`, workspace: folder, env, extensionsDir: extensions, vscode, payload: true });
    mark(`code-server ready on ${cs.authority} in ${cs.readyMs} ms`);
    const browser = await launchChromium();
    try {
      const results = await runExtensionTests(browser.page, cs, { label: `installed@${vscode}`, devPath: TESTS, testsPath: join(TESTS, 'index.js'), resultsFile, timeoutMs, verbose, mark });
      const ms = activationMs(cs.dirs.data);
      mark(ms === undefined ? 'activation time: no "activated in" line in the extension log' : `activate() of the installed extension: ${ms}`);
      return results;
    } finally {
      await browser.close();
      await cs.stop();
    }
  } finally {
    rmSync(join(TESTS, 'package.json'), { force: true });
    rmSync(base, { recursive: true, force: true });
  }
}

/** The npm-package suite in Node (mocha); its closing count line is the result. */
function npmSuite() {
  return new Promise((resolve) => {
    const args = ['mocha', '--require', 'tsx/cjs', '--reporter', 'test/summary-reporter.js', 'test/installed/npm-package.test.ts'];
    if (grep) args.push('--grep', grep);
    const child = spawn('npx', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      out += d;
    });
    child.on('close', (code) => {
      const m = [...out.matchAll(/^(\d+) passed, (\d+) failed, (\d+) skipped$/gm)].pop();
      const r = m ? { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3]) } : { passed: 0, failed: 1, skipped: 0 };
      if (code !== 0 && r.failed === 0) r.failed = 1;
      resolve({ ...r, failures: r.failed ? [`npm package suite: exit ${code}`] : [] });
    });
  });
}

async function main() {
  if (!isInstalled()) throw new Error('code-server is not installed: run node test/e2e/ensure.mjs first');
  const total = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const suites = [...VERSIONS.map((v) => [`vsix@${v}`, () => vsixSuite(v)]), ['npm', npmSuite]];
  for (const [name, suite] of suites) {
    let r;
    try {
      r = await suite();
    } catch (e) {
      r = failedRun(e.message || String(e));
    }
    addResults(total, name, r);
  }
  mark('done');
  return report('installed', total);
}

exitWith('installed', main);
