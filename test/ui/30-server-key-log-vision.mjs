// Server settings as a user sets them: Set API Key (a password box) makes a server that needs
// a key answer, Clear API Key takes it away again; Show Log opens MedGemma's output, which never
// holds the key; with "medgemma.vision.baseUrl" set, an image question goes to that server
// (without the main server's key) and nothing else does.
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { ROOT } from '../e2e/codeserver.mjs';
import { openInAnnotator } from './08-image-annotator.mjs';

export const name = 'server: set and clear the API key, the log, a separate vision server';

const KEY = 'ui-test-secret-key-7f3a';
const auth = (r) => r.headers?.authorization ?? '';

async function checkServer(ui, expect) {
  const { page, wb } = ui;
  await wb.clearNotifications(page);
  await wb.runCommand(page, 'MedGemma: Check Server');
  const toast = await wb.waitForToast(page, expect, 30_000);
  return toast;
}

export async function run(ui) {
  const { page, wb, sim, cs } = ui;
  const machineFile = join(cs.dirs.data, 'Machine', 'settings.json');
  const machine = readFileSync(machineFile, 'utf8');
  const { startSim } = await tsImport(pathToFileURL(join(ROOT, 'test', 'sim', 'index.ts')).href, import.meta.url);
  const vision = await startSim({ models: [{ id: 'vision-4b', root: 'google/medgemma-4b-it' }], maxImages: 4 });
  sim.setOptions({ apiKey: KEY });
  try {
    // Without the key the server refuses: the status bar says so (it is not offline), and the
    // notification offers Set API Key, which opens a password box.
    const toast = await checkServer(ui, /refused the API key \(HTTP 401\): none is set/);
    await wb.statusItem(page, 'API key refused').waitFor({ timeout: 15_000 });
    await ui.shot('30-key-refused');
    await toast.locator('.monaco-button', { hasText: 'Set API Key' }).click();
    const input = page.locator(wb.sel.quickInputBox);
    // The palette's box becomes the key's box: wait for the key's title, then it must hide what is typed.
    await page.locator('.quick-input-widget', { hasText: 'MedGemma API key' }).waitFor({ timeout: 10_000 });
    if ((await input.getAttribute('type')) !== 'password') throw new Error('the API key box is not a password box');
    await input.fill(KEY);
    await page.keyboard.press('Enter');
    await wb.waitForToast(page, /MedGemma API key saved in secret storage/);
    let before = sim.requests.length;
    await checkServer(ui, /MedGemma server OK/);
    if (!sim.requests.slice(before).every((r) => auth(r) === `Bearer ${KEY}`)) throw new Error('a request after Set API Key went without the key');

    // Show Log: MedGemma's output channel; the key is nowhere in it.
    await wb.runCommand(page, 'MedGemma: Show Log');
    const logText = await wb.until('the MedGemma log with the server check in it', async () => {
      const all = await page.locator('.view-lines').allInnerTexts();
      const t = all.map((x) => x.replace(/\u00a0/g, ' ')).find((x) => /Check Server: reachable=true/.test(x));
      return t;
    }, 15_000).catch(async (e) => {
      ui.log(`view-lines: ${JSON.stringify((await page.locator('.view-lines').allInnerTexts()).map((x) => x.slice(0, 200)))}`);
      throw e;
    });
    if (!/Server connection reset: API key changed/.test(logText)) throw new Error('the log does not say the key changed');
    if (logText.includes(KEY)) throw new Error('the log shows the API key');
    await ui.shot('30-log');

    // A separate vision server: the image question goes there, without the main server's key.
    writeFileSync(machineFile, JSON.stringify({ ...JSON.parse(machine), 'medgemma.vision.baseUrl': vision.baseUrl, 'medgemma.vision.model': 'vision-4b' }, null, 2));
    await page.waitForTimeout(1500); // settings files are read on change
    const image = join(ui.folder, 'vision.dcm');
    copyFileSync(join(ROOT, 'test', 'fixtures', 'dicom', 'ct512-explicit-le.dcm'), image);
    before = sim.requests.length;
    const p = await openInAnnotator(ui, 'vision.dcm');
    await p.locator('#ask').click();
    await wb.until('the image question at the vision server', () => vision.requests.some((r) => /chat\/completions/.test(r.path)), 30_000);
    await p.locator('#image-answers .answer-text').first().waitFor({ timeout: 30_000 });
    const asked = vision.requests.find((r) => /chat\/completions/.test(r.path));
    if (asked.body.model !== 'vision-4b') throw new Error(`the vision server was asked for model ${asked.body.model}`);
    if (vision.requests.some((r) => auth(r))) throw new Error("the vision server received the main server's key");
    if (sim.requests.slice(before).some((r) => /chat\/completions/.test(r.path))) throw new Error('the image question also went to the main server');

    // Clear API Key: the main server refuses again.
    await wb.runCommand(page, 'MedGemma: Clear API Key');
    await wb.waitForToast(page, /MedGemma API key removed/);
    before = sim.requests.length;
    await checkServer(ui, /API key/i);
    if (sim.requests.slice(before).some((r) => auth(r))) throw new Error('a request after Clear API Key still carried the key');
    rmSync(`${image}.annotations.json`, { force: true });
  } finally {
    writeFileSync(machineFile, machine);
    sim.setOptions({ apiKey: undefined });
    await vision.stop();
  }
}
