// The annotator's guards and exports, as a user meets them: the user's own image prompt
// (medgemma.image.prompts) fills the question box and is what is sent; a DICOM marked Burned In
// Annotation = YES asks before anything is sent (Cancel sends nothing); Export COCO writes the
// boxes without answers; a sidecar changed on disk by another program asks Load or Keep Mine;
// an image replaced by one of another size keeps its annotations and says they may be misplaced.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { ROOT } from '../e2e/codeserver.mjs';
import { drawBox, openInAnnotator, serveVision } from './08-image-annotator.mjs';

export const name = 'image annotator: own prompts, burned-in question, Export COCO, sidecar conflict';

const PROMPT = 'UI-TEST own prompt: list every structure you can see.';
const chats = (sim) => sim.requests.filter((r) => /chat\/completions/.test(r.path ?? ''));

/** The modal dialog with `text`; clicks `button` in it. */
async function answerModal(page, text, button) {
  const dialog = page.locator('.monaco-dialog-box', { hasText: text });
  await dialog.waitFor({ timeout: 20_000 });
  await dialog.locator('.monaco-button', { hasText: new RegExp(`^${button}$`) }).click();
  await dialog.waitFor({ state: 'detached', timeout: 10_000 });
}

export async function run(ui) {
  const { page, wb, sim } = ui;
  serveVision(ui);
  const { makeDicom } = await tsImport(pathToFileURL(join(ROOT, 'test', 'unit', 'images', 'make-dicom.ts')).href, import.meta.url);
  const pixels = Buffer.alloc(128 * 128 * 2);
  for (let i = 0; i < 128 * 128; i++) pixels.writeUInt16LE(((i % 128) * 32) & 0xfff, i * 2);
  const image = join(ui.folder, 'burned.dcm');
  const sidecar = `${image}.annotations.json`;
  const cocoFile = join(ui.folder, 'burned.coco.json');
  for (const f of [sidecar, cocoFile]) rmSync(f, { force: true });
  writeFileSync(image, makeDicom({ width: 128, height: 128, burnedIn: 'YES', pixels }));
  try {
    // run-ui.mjs sets the user's prompt for kind "other" (a DICOM of modality OT is one).
    const p = await openInAnnotator(ui, 'burned.dcm');
    if (await p.locator('#failed').count()) throw new Error(`the image did not open: ${await p.locator('#failed').innerText()}`);
    const prompt = await p.locator('#prompt').inputValue();
    ui.log(`prompt box: ${JSON.stringify(prompt)}`);
    if (prompt !== PROMPT) throw new Error(`the question box holds "${prompt}", not the user's own prompt (medgemma.image.prompts)`);
    await p.locator('#burned-in').waitFor({ timeout: 10_000 });

    // Burned-in annotation: Cancel sends nothing.
    let before = chats(sim).length;
    await p.locator('#ask').click();
    await ui.shot('29-burned-in-question');
    await answerModal(page, 'burned-in annotation', 'Cancel');
    await p.locator('text=Not sent: the image has burned-in annotation').first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500);
    if (chats(sim).length !== before) throw new Error('the image was sent although the user cancelled');

    // Send Anyway: one request with the image and the user's prompt.
    await p.locator('#ask').click();
    await answerModal(page, 'burned-in annotation', 'Send Anyway');
    await wb.until('the question to reach the server', () => chats(sim).length === before + 1, 30_000);
    const body = JSON.stringify(chats(sim).at(-1).body);
    if (!body.includes(PROMPT)) throw new Error("the user's prompt is not what was sent");
    if ((body.match(/data:image\/png;base64,/g) ?? []).length !== 1) throw new Error('a whole-image question should send one image');
    await p.locator('#image-answers .answer-text').first().waitFor({ timeout: 30_000 });

    // Draw a box; it is saved beside the image.
    await drawBox(page, p, 0.3, 0.3, 60, 50);
    await p.locator('.ann-item').first().waitFor();
    await p.locator('#label-input').fill('marker text');
    await wb.until('the sidecar with the box', () => existsSync(sidecar) && /marker text/.test(readFileSync(sidecar, 'utf8')), 15_000);

    // Export COCO: the save dialog offers burned.coco.json beside the image.
    await p.locator('#export-coco').click();
    const input = page.locator(wb.sel.quickInputBox);
    await input.waitFor({ state: 'visible' });
    await wb.until('the save dialog to offer burned.coco.json', async () => (await input.inputValue()) === cocoFile, 10_000);
    await page.keyboard.press('Enter');
    await wb.until('the COCO file', () => existsSync(cocoFile), 10_000);
    await wb.waitForToast(page, /Exported 1 annotation to burned\.coco\.json/);
    const coco = JSON.parse(readFileSync(cocoFile, 'utf8'));
    if (coco.images.length !== 1 || coco.annotations.length !== 1 || coco.categories[0].name !== 'marker text') throw new Error(`COCO content: ${JSON.stringify(coco).slice(0, 300)}`);
    if (coco.annotations[0].bbox.some((v) => typeof v !== 'number') || coco.annotations[0].bbox[2] <= 0) throw new Error(`COCO bbox: ${coco.annotations[0].bbox}`);
    if (/answers|Received:|UI-TEST/.test(JSON.stringify(coco))) throw new Error('the COCO export carries answers or prompts');

    // Another program changes the sidecar: the panel asks; Keep Mine writes ours back.
    const disk = JSON.parse(readFileSync(sidecar, 'utf8'));
    disk.annotations[0].label = 'changed elsewhere';
    writeFileSync(sidecar, JSON.stringify(disk, null, 2));
    const conflict = page.locator('.monaco-dialog-box', { hasText: 'changed on disk' });
    await conflict.waitFor({ timeout: 20_000 });
    await ui.shot('29-sidecar-conflict');
    await answerModal(page, 'changed on disk', 'Keep Mine');
    await wb.until('our annotations written back', () => /marker text/.test(readFileSync(sidecar, 'utf8')), 15_000);

    // Again, and this time Load From Disk: the panel shows the other program's label.
    const disk2 = JSON.parse(readFileSync(sidecar, 'utf8'));
    disk2.annotations[0].label = 'changed elsewhere';
    writeFileSync(sidecar, JSON.stringify(disk2, null, 2));
    await answerModal(page, 'changed on disk', 'Load From Disk');
    await p.locator('.ann-item', { hasText: 'changed elsewhere' }).first().waitFor({ timeout: 10_000 });
    if (!/changed elsewhere/.test(readFileSync(sidecar, 'utf8'))) throw new Error('Load From Disk changed the file on disk');

    // The image replaced by a smaller copy: reopened, the annotations are still listed and a
    // banner says the regions may be in the wrong place.
    await wb.closeAllEditors(page);
    writeFileSync(image, makeDicom({ width: 64, height: 64, burnedIn: 'YES', pixels: pixels.subarray(0, 64 * 64 * 2) }));
    const p2 = await openInAnnotator(ui, 'burned.dcm');
    const warning = p2.locator('.banner', { hasText: 'is not the image its annotations were made on' });
    await warning.waitFor({ timeout: 15_000 });
    const said = (await warning.innerText()).replace(/\s+/g, ' ').trim();
    ui.log(`banner: "${said}"`);
    if (!said.includes('they were drawn on a 128×128 image and this one is 64×64')) throw new Error(`the banner does not say what changed: "${said}"`);
    await p2.locator('.ann-item', { hasText: 'changed elsewhere' }).first().waitFor({ timeout: 10_000 });
    await ui.shot('29-image-resized');
  } finally {
    for (const f of [sidecar, cocoFile]) rmSync(f, { force: true });
  }
}
