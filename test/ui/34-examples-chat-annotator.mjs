// Training examples from the chat and the annotator, clicked as a user would: "Save Example"
// under a chat answer -> "Save It as It Is"; "Save Example" under a region's answer in the
// annotator -> "Correct It First" -> type the correction in the copy -> the title-bar button.
// The examples hold the conversation as sent and, for the image, the very PNGs the model got
// (a close-up and the context, at most 896 px) as files of the dataset.
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../e2e/codeserver.mjs';
import { answerDone, ask, lastAnswer, newChat, openChat } from './chat.mjs';
import { drawBox, openInAnnotator, serveVision } from './08-image-annotator.mjs';

export const name = 'Save Example from a chat answer and from an annotator answer (corrected)';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'dicom', 'ct512-explicit-le.dcm');
const CORRECTION = 'Soft-tissue mass in the anterior mediastinum, about 4 cm. [reviewed]';

export function skip() {
  return existsSync(FIXTURE) ? undefined : `fixture ${FIXTURE} not found`;
}

const readExamples = (file) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);

async function pick(ui, label) {
  const row = ui.page.locator(ui.wb.sel.quickRow).filter({ hasText: label }).first();
  await row.waitFor({ timeout: 10_000 });
  await row.click();
}

export async function run(ui) {
  const { page, wb } = ui;
  const dataset = join(ui.folder, '.medgemma', 'dataset');
  const file = join(dataset, 'examples.jsonl');
  rmSync(dataset, { recursive: true, force: true });

  // The chat: ask, then "Save Example" under the answer.
  const chat = await openChat(ui);
  await newChat(ui, chat);
  await ask(chat, 'Which labs should be repeated for Ms. Abernathy before the next visit?');
  await answerDone(chat);
  await lastAnswer(chat).getByRole('button', { name: /^Save Example: keep this answer as a training example/ }).click();
  await pick(ui, 'Save It as It Is');
  const chatToast = await wb.waitForToast(page, /Saved the answer as a training example/, 15_000);
  ui.log(`chat: ${(await chatToast.innerText()).replace(/\s+/g, ' ').trim()}`);
  const [c] = readExamples(file);
  if (c?.kind !== 'chat' || c.review.action !== 'accepted') throw new Error(`chat example: ${JSON.stringify(c).slice(0, 300)}`);
  if (JSON.stringify(c).includes('Abernathy')) throw new Error('the patient\'s name was saved');
  await wb.clearNotifications(page);

  // The annotator: a region, a question, "Save Example" under its answer, corrected first.
  serveVision(ui);
  const image = join(ui.folder, 'ct-example.dcm');
  copyFileSync(FIXTURE, image);
  rmSync(`${image}.annotations.json`, { force: true });
  const p = await openInAnnotator(ui, 'ct-example.dcm');
  await drawBox(page, p, 0.4, 0.35, 120, 90);
  await p.locator('.ann-item').first().waitFor();
  await p.locator('#ask').click();
  await p.locator('#detail .answer-text').first().waitFor({ timeout: 60_000 });
  await p.locator('#detail .answer .save-example').first().click();
  await pick(ui, 'Correct It First');
  await wb.until('the answer\'s editable copy', async () => (await page.locator(wb.sel.activeTab).allInnerTexts()).some((t) => /Untitled-\d/.test(t)), 15_000);
  await wb.focusActiveEditor(page);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(CORRECTION);
  await ui.shot('34-annotator-correction');
  const copyGroup = page.locator('.editor-group-container').filter({ has: page.locator('.tab.active', { hasText: /Untitled-\d/ }) }).last();
  await copyGroup.locator('.editor-actions .action-label[aria-label^="Save as Training Example"]').click();
  const toast = await wb.waitForToast(page, /Saved the answer as a training example \(corrected/, 15_000);
  ui.log(`annotator: ${(await toast.innerText()).replace(/\s+/g, ' ').trim()}`);
  await ui.shot('34-annotator-saved');

  const all = readExamples(file);
  const img = all.find((e) => e.kind === 'image');
  if (!img) throw new Error(`no image example among ${all.length}`);
  if (img.chosen !== CORRECTION || !/^Received:/.test(img.rejected ?? '')) throw new Error(`label ${JSON.stringify(img.chosen)}, draft ${JSON.stringify((img.rejected ?? '').slice(0, 80))}`);
  if (img.source?.file !== 'ct-example.dcm') throw new Error(`source ${JSON.stringify(img.source)}`);
  const files = img.messages.flatMap((m) => m.content.filter((x) => x.type === 'image').map((x) => x.file));
  if (files.length !== 2) throw new Error(`a region question sent 2 images; the example holds ${files.length}`);
  for (const f of files) {
    const png = readFileSync(join(dataset, f));
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    if (png.toString('latin1', 1, 4) !== 'PNG' || w > 896 || h > 896) throw new Error(`${f} is not a model image (${w}x${h})`);
    ui.log(`image ${f.slice(0, 20)}…: ${w}x${h}, ${png.length} bytes`);
  }
  await wb.closeAllEditors(page);

  // The Training Data view lists both, by kind; a row opens the example as a page.
  await wb.runCommand(page, 'MedGemma: Focus on Training Data View');
  const viewPane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /Training Data/i }) });
  const rows = await wb.until('the two examples in the Training Data view', async () => {
    const t = (await viewPane.locator('.monaco-list-row').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
    return t.length >= 4 && t;
  }, 15_000);
  ui.log(`Training Data view: ${rows.join(' | ')}`);
  if (!rows.some((r) => /^Chat answers/.test(r)) || !rows.some((r) => /^Image answers/.test(r)) || !rows.some((r) => /^ct-example\.dcm.*corrected/.test(r))) throw new Error(`the view does not list the examples by kind: ${rows.join(' | ')}`);
  await ui.shot('34-training-data-view');
  await viewPane.locator('.monaco-list-row', { hasText: 'ct-example.dcm' }).click();
  await wb.until('the example page', async () => (await page.locator('.tabs-container .tab', { hasText: /\.md/ }).allInnerTexts()).some((t) => /\.md/.test(t)), 10_000);
  const pageText = await wb.activeEditorText(page);
  if (!/# Training example/.test(pageText) || !pageText.includes(CORRECTION.slice(0, 30))) throw new Error(`the example page shows: ${pageText.slice(0, 300)}`);
  await ui.shot('34-example-page');
  await wb.closeAllEditors(page);
}
