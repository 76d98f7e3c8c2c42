#!/usr/bin/env node
// `npm start`: try the extension in a real VS Code in your browser.
// Builds the extension, installs code-server on first use (test/e2e/ensure.mjs), writes an
// example workspace with a synthetic note, and starts code-server with the extension loaded
// from this checkout. Ctrl-C stops everything.
//
//   npm start                     use the server in your settings (medgemma.server.baseUrl)
//   npm start -- --sim            also start the built-in vLLM simulator and use it
//   npm start -- --port 8080      fixed port (default: 8765, or a free one if taken)
//   npm start -- --no-build       skip `node esbuild.mjs`
//   MEDGEMMA_SIM=1 npm start      same as --sim
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, TMP, VSCODE, freePort, startCodeServer } from '../test/e2e/codeserver.mjs';
import { ensure, which } from '../test/e2e/ensure.mjs';

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const useSim = argv.includes('--sim') || process.env.MEDGEMMA_SIM === '1';
const build = !argv.includes('--no-build');

// Invented for this project (no real patient, no copied text); CC0 1.0, public domain.
const EXAMPLE_NOTE = `EMERGENCY DEPARTMENT NOTE — SYNTHETIC EXAMPLE (invented; CC0)

Patient: Example Patient B, 34-year-old man
Arrival: walked in with his partner, 19:40

CHIEF COMPLAINT
Right ankle pain after a fall while running on a trail this afternoon.

HISTORY OF PRESENT ILLNESS
Rolled the right ankle inward on a tree root; heard a pop.
Able to take four steps immediately after, with pain.
No head strike, no loss of consciousness.
No numbness or tingling in the foot.
Took ibuprofen 400 mg once at 17:00.

PAST HISTORY
Asthma, mild intermittent; uses albuterol a few times a year.
No surgeries. No known drug allergies.

EXAMINATION
Temp 36.8 C, HR 82, BP 128/78, SpO2 99 % on room air.
Swelling and bruising over the lateral malleolus.
Tender at the anterior talofibular ligament; not tender at the posterior edge of either malleolus.
No tenderness at the base of the fifth metatarsal or the navicular.
Dorsalis pedis pulse 2+, capillary refill under 2 seconds, sensation intact.

ASSESSMENT
Lateral ankle sprain, right; Ottawa ankle rules negative, so no X-ray was taken.

PLAN
Rest, ice 20 minutes every 2-3 hours, compression wrap, elevation.
Ibuprofen 400 mg every 8 hours with food for up to 5 days, if needed.
Crutches given; weight bearing as tolerated.
Return if unable to bear weight after 5 days, numbness, or a cold or pale foot.
Follow up with primary care in 1 week.
`;

function writeExampleWorkspace() {
  const folder = join(TMP, 'example-workspace');
  mkdirSync(folder, { recursive: true });
  const note = join(folder, 'ed-ankle-sprain.txt');
  if (!existsSync(note)) writeFileSync(note, EXAMPLE_NOTE);
  // Rewritten each time (it is ours, not the user's), so it always matches this checkout.
  writeFileSync(
    join(folder, 'README.md'),
    [
      '# MedGemma example workspace',
      '',
      '`ed-ankle-sprain.txt` is a synthetic note invented for this project (CC0).',
      '',
      '- **MedGemma: Get Started** (Command Palette, F1) walks through the server, a sample note, paper and image.',
      '- Open the note and run **MedGemma: Summarize Note** from the Command Palette.',
      '- Select a few lines, right-click, **Summarize Selection**.',
      '- Ctrl/Cmd+click a citation like `[L12]` in the summary to see the note lines.',
      '- The summary is read-only; **Save Summary As…** in its title bar writes it to a file.',
      '- The status bar shows the server and model; click it to check the server.',
      '- The MedGemma icon in the activity bar opens the chat and the attached papers.',
      '',
    ].join('\n'),
  );
  return folder;
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function main() {
  if (build) {
    console.log('Building the extension (node esbuild.mjs)...');
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('the build failed (see above)');
  }
  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run node esbuild.mjs');
  ensure();
  const folder = writeExampleWorkspace();

  let sim;
  if (useSim) {
    const { tsImport } = await import('tsx/esm/api');
    const { startSim } = await tsImport(pathToFileURL(join(ROOT, 'test', 'sim', 'index.ts')).href, import.meta.url);
    // Demo answers (short, cited, complete) at about a 4B model's speed on one GPU.
    sim = await startSim({ demo: true, tokensPerSecond: 80 });
    console.log(`Simulator (fake vLLM, demo answers: no model runs) on ${sim.baseUrl}`);
  }

  const wanted = Number(opt('--port') || process.env.PORT || 8765);
  const port = (await portFree(wanted)) ? wanted : await freePort();
  const serverSetting = sim ? { 'medgemma.server.baseUrl': sim.baseUrl } : {};
  const cs = await startCodeServer({
    // With your server: settings and API key survive restarts. With the simulator: a fresh
    // profile each time, so its throwaway address never lands in your settings.
    name: sim ? 'start-sim' : 'start',
    keep: !sim,
    workspace: folder,
    port,
    // Today's VS Code, with the extension linked in as if installed: the newest workbench shows
    // no notifications in extension development mode (see VSCODE.latest in codeserver.mjs).
    vscode: 'latest',
    linkExtension: ROOT,
    // The example workspace's README says what to try: open it at start.
    userSettings: { ...serverSetting, 'workbench.startupEditor': 'readme' },
    machineSettings: serverSetting, // machine-scoped: the remote machine's value wins, so set both
  });

  const url = cs.workbenchUrl({ welcome: true });
  console.log(`
MedGemma for VS Code is running in ${VSCODE.latest.label} with this checkout linked in as an installed extension.
After a rebuild (npm run build or npm run watch), reload the window (Developer: Reload Window).

  Open:  ${url}

  Workspace:  ${folder}
  Server:     ${sim ? `${sim.baseUrl} (simulator)` : 'medgemma.server.baseUrl from your settings (Settings > Remote or User)'}
  Log:        ${cs.logFile}
`);
  if (which('code')) {
    console.log(`Or in desktop VS Code:\n  code --extensionDevelopmentPath=${ROOT} ${folder}\n`);
  }
  console.log('Press Ctrl-C to stop.');
  process.prependListener('SIGINT', () => console.log('\nStopping code-server...'));

  await new Promise((resolve) => {
    const timer = setInterval(() => {
      try {
        process.kill(cs.pid, 0);
      } catch {
        clearInterval(timer);
        console.error('code-server stopped.');
        resolve();
      }
    }, 1000);
  });
  await sim?.stop();
  process.exit(1);
}

main().catch((e) => {
  console.error(`npm start: ${e.message || e}`);
  process.exit(1);
});
