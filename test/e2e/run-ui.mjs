#!/usr/bin/env node
// UI tier: the scenarios of test/ui/*.mjs, run in order in ONE page of a real VS Code
// (code-server) in headless Chromium, as a user would: palette, context menu, clicks, notifications.
// The vLLM simulator runs in this process (test/sim, loaded through tsx); the settings point
// the extension at it before code-server starts. Build first (`node esbuild.mjs`).
//
//   node test/e2e/run-ui.mjs [--only SUBSTRING[,SUBSTRING…]] [--vscode latest|floor] [--headed] [--slow-ms N] [--verbose]
//                            [--update-docs]
//
// --update-docs copies the README's pictures (test-results/ui/readme-*.jpg, taken by
// 26-readme-tour.mjs) to docs/images/ when every scenario passed; `npm run docs:images` runs
// the scenarios they need.
//
// The scenarios run on the newest VS Code by default (test/e2e/codeserver.mjs VSCODE).
//
// Each scenario leaves a screenshot in test-results/ui/. Ends with the line
// "ui: N passed, N failed, N skipped"; exit code 0 only when nothing failed.
//
// A scenario module exports `name` and `run(ui)`; optional `skip(ui)` returns a reason to skip.
// `ui` is described by the object built in main() below.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, VSCODE, launchChromium, startCodeServer, tail, vscodeVersions } from './codeserver.mjs';
import { isInstalled } from './ensure.mjs';
import * as wb from './workbench.mjs';
import { exitWith, report } from './results.mjs';
import { makeWorkspace } from './workspace.mjs';

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const only = opt('--only');
const [VERSION, ...more] = vscodeVersions(opt('--vscode'), 'latest');
if (more.length) throw new Error('the UI tier runs on one VS Code version at a time');
const headed = argv.includes('--headed');
const verbose = argv.includes('--verbose') || !!process.env.MEDGEMMA_E2E_VERBOSE;
// The extension under test; another folder only to try the harness itself on a stub extension.
const DEV_PATH = process.env.MEDGEMMA_DEV_PATH || ROOT;
const UI_DIR = join(ROOT, 'test', 'ui');
const SHOTS = join(ROOT, 'test-results', 'ui');
/** Model id the simulator serves; the status bar must show it. */
export const UI_MODEL = 'medgemma-27b-text-it';

const t0 = Date.now();
const mark = (m) => console.log(`[ui ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

async function loadSim() {
  const { tsImport } = await import('tsx/esm/api');
  const mod = await tsImport(pathToFileURL(join(ROOT, 'test', 'sim', 'index.ts')).href, import.meta.url);
  return mod.startSim ?? mod.default?.startSim;
}

async function loadScenarios() {
  const files = readdirSync(UI_DIR).filter((f) => /^\d+.*\.mjs$/.test(f)).sort();
  const out = [];
  for (const f of files) {
    const mod = await import(pathToFileURL(join(UI_DIR, f)).href);
    const named = only?.split(',').some((o) => f.includes(o) || mod.name?.includes(o));
    // A scenario that exports onlyWhenNamed (the README pictures) runs only when --only names it.
    if (named || (!only && !mod.onlyWhenNamed)) out.push({ file: f, ...mod });
  }
  return out;
}

/** Back to a known state between scenarios: no notifications, no editors, the server up. */
async function reset(ui) {
  const { page } = ui;
  await page.keyboard.press('Escape');
  await wb.clearNotifications(page).catch(() => {});
  await wb.closeAllEditors(page).catch(async (e) => { await page.screenshot({ path: join(SHOTS, 'reset-FAILED.png') }); mark(`reset: could not close editors: ${e.message}`); });
  ui.sim.setFault(undefined);
  if (!ui.simRunning) {
    await ui.sim.restart();
    ui.simRunning = true;
  }
}

/** The README's pictures into docs/images/ (without the "readme-" prefix), after a clean run. */
function updateDocImages(results) {
  const shots = existsSync(SHOTS) ? readdirSync(SHOTS).filter((f) => /^readme-.+\.jpg$/.test(f)) : [];
  if (results.failed || !shots.length) {
    mark(`docs/images not updated: ${results.failed ? 'a scenario failed' : 'no readme-*.jpg taken (run 26-readme-tour)'}`);
    return;
  }
  const dir = join(ROOT, 'docs', 'images');
  mkdirSync(dir, { recursive: true });
  for (const f of shots) copyFileSync(join(SHOTS, f), join(dir, f.replace(/^readme-/, '')));
  mark(`docs/images: ${shots.map((f) => f.replace(/^readme-/, '')).join(', ')}`);
}

async function main() {
  if (!isInstalled()) throw new Error('code-server is not installed: run node test/e2e/ensure.mjs first');
  if (!existsSync(join(DEV_PATH, 'dist', 'extension.js'))) throw new Error(`${join(DEV_PATH, 'dist', 'extension.js')} is missing: run node esbuild.mjs first`);
  if (!only) rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });

  const scenarios = await loadScenarios();
  const startSim = await loadSim();
  if (typeof startSim !== 'function') throw new Error('test/sim/index.ts exports no startSim');
  const sim = await startSim({ models: [{ id: UI_MODEL, root: 'google/medgemma-27b-text-it' }], tokensPerSecond: 150 });
  mark(`simulator on ${sim.baseUrl}`);

  const { folder, note } = makeWorkspace('ws-ui');
  // The server settings are machine-scoped: in a remote window (code-server is one) VS Code
  // 1.139 reads them from the remote machine's settings only (1.100 also from the user's).
  const serverSettings = {
    'medgemma.server.baseUrl': sim.baseUrl,
    // Image questions go to a vision model the simulator serves beside the text model (test/ui/08-image-annotator.mjs).
    'medgemma.vision.model': 'medgemma-4b-it',
    // The Zotero library test/ui/36-zotero.mjs builds beside the workspace.
    'medgemma.papers.zoteroFolder': `${folder}-zotero`,
  };
  const cs = await startCodeServer({
    name: 'ui',
    vscode: VERSION,
    workspace: folder,
    linkExtension: DEV_PATH,
    machineSettings: serverSettings,
    userSettings: {
      ...serverSettings,
      'medgemma.summary.defaultTemplate': 'brief',
      // The simulator's answers are long; a summary cut at the limit would hide the ending.
      'medgemma.summary.maxTokens': 4096,
      // Room for long hostile answers (21-23-hostile-*.mjs); the simulator cuts at max_tokens.
      'medgemma.chat.maxTokens': 8000,
      'medgemma.image.maxTokens': 4000,
      // The user's own prompt for images of kind "other" (test/ui/29-*.mjs). Set here, before
      // VS Code starts: once VS Code has written this file itself, it misses outside changes.
      'medgemma.image.prompts': { other: { whole: 'UI-TEST own prompt: list every structure you can see.' } },
      // Screenshots a person can read.
      'window.zoomLevel': 0,
      'editor.minimap.enabled': false,
      'workbench.editor.enablePreview': false,
    },
  });
  mark(`${VSCODE[VERSION].label} ready on ${cs.authority} in ${cs.readyMs} ms`);
  const browser = await launchChromium({ headless: !headed });
  const { page } = browser;
  page.setDefaultTimeout(30_000);
  if (verbose) page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));

  const results = { passed: 0, failed: 0, skipped: 0, failures: [] };
  try {
    await page.goto(cs.workbenchUrl());
    await wb.waitForWorkbench(page);
    mark('workbench loaded');

    const ui = {
      page,
      sim,
      simRunning: true,
      cs,
      wb,
      folder,
      notePath: note,
      noteText: readFileSync(note, 'utf8'),
      model: UI_MODEL,
      log: (m) => mark(`  ${m}`),
      /** Saves test-results/ui/<name>.png (or .jpg with {jpeg: true}: the README's pictures, a fifth the size). */
      shot: async (name, { jpeg = false } = {}) => {
        const file = join(SHOTS, `${name}.${jpeg ? 'jpg' : 'png'}`);
        await page.screenshot(jpeg ? { path: file, type: 'jpeg', quality: 85 } : { path: file });
        mark(`  screenshot ${file.slice(ROOT.length + 1)}`);
      },
      /** Stops the simulator (the next scenario restarts it). */
      stopSim: async () => {
        await sim.stop();
        ui.simRunning = false;
      },
    };

    for (const s of scenarios) {
      const label = `${s.file} — ${s.name}`;
      const reason = s.skip ? await s.skip(ui) : undefined;
      if (reason && process.env.CI === 'true') {
        // CI must never pass by skipping (e.g. a fixture missing from the repository).
        results.failed++;
        results.failures.push(`${label}: skipped under CI=true: ${reason}`);
        mark(`✘ ${label}: skipped under CI=true: ${reason}`);
        continue;
      }
      if (reason) {
        results.skipped++;
        mark(`- SKIP ${label}: ${reason}`);
        continue;
      }
      const ts = Date.now();
      try {
        await reset(ui);
        await s.run(ui);
        results.passed++;
        mark(`✔ ${label} (${((Date.now() - ts) / 1000).toFixed(1)} s)`);
      } catch (e) {
        results.failed++;
        const msg = (e?.message || String(e)).split('\n')[0];
        results.failures.push(`${label}: ${msg}`);
        mark(`✘ ${label}: ${e?.stack || e}`);
        const file = join(SHOTS, `${s.file.replace(/\.mjs$/, '')}-FAILED.png`);
        await page.screenshot({ path: file }).catch(() => {});
        mark(`  screenshot of the failure: ${file.slice(ROOT.length + 1)}; notifications: ${JSON.stringify(await wb.toastTexts(page).catch(() => []))}`);
      }
    }
  } catch (e) {
    results.failed++;
    results.failures.push(`setup: ${e?.message || e}`);
    console.log(`setup failed: ${e?.stack || e}\n--- code-server log ---\n${tail(cs.logFile)}`);
    await page.screenshot({ path: join(SHOTS, 'setup-FAILED.png') }).catch(() => {});
  } finally {
    await browser.close();
    await cs.stop();
    await sim.stop().catch(() => {}); // harmless when a scenario stopped it already
  }
  if (argv.includes('--update-docs')) updateDocImages(results);
  return report('ui', results);
}

exitWith('ui', main);
