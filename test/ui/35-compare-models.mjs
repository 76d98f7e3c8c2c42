// Is the adapter better? Explorer -> right-click a folder of notes -> "MedGemma: Compare Models
// on Notes…" -> the model picker (every model ticked) -> Enter -> progress -> the report opens
// as a preview: the table and one bar chart per measure, drawn; then Side by Side… opens two
// summaries of one note in a diff editor.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../e2e/codeserver.mjs';

export const name = 'Compare Models on Notes: folder from the Explorer, report preview with charts, side by side';

const FOLDER = 'compare-notes';

export async function run(ui) {
  const { page, wb } = ui;
  // A base model and its adapter that turns negated findings into present ones.
  ui.sim.setOptions({
    models: [
      { id: ui.model, root: 'google/medgemma-27b-text-it' },
      { id: 'notes-lora', root: '/adapters/notes-lora', parent: ui.model, flipNegation: true },
    ],
  });
  await wb.runCommand(page, 'MedGemma: Check Server');
  const dir = join(ui.folder, FOLDER);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  for (const f of ['ed-chest-pain.txt', 'radiology-cxr-report.txt']) copyFileSync(join(ROOT, 'test', 'fixtures', 'notes', f), join(dir, f));

  await wb.explorerContextCommand(page, FOLDER, 'MedGemma: Compare Models on Notes…');
  const rows = page.locator(wb.sel.quickRow);
  await rows.first().waitFor({ timeout: 15_000 });
  const offered = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  ui.log(`models offered: ${offered.join(' | ')}`);
  if (!offered.some((t) => /notes-lora ?LoRA adapter on/.test(t))) throw new Error(`the adapter is not offered as one: ${offered.join(' | ')}`);
  await ui.shot('35-pick-models');
  await page.keyboard.press('Enter');

  // The report opens as a markdown preview (a webview): the charts are images that loaded.
  const { value: drawn } = await wb.inSomeFrame(page, 'the report preview with its charts', async (f) => {
    const imgs = await f.locator('img').evaluateAll((els) => els.map((e) => ({ alt: e.getAttribute('alt'), w: e.naturalWidth })));
    return imgs.length >= 4 && imgs.every((i) => i.w > 0) && imgs;
  }, 90_000);
  ui.log(`charts drawn: ${drawn.map((i) => `${i.alt} (${i.w} px)`).join(', ')}`);
  await page.waitForTimeout(500);
  await ui.shot('35-report-preview');
  const toast = await wb.waitForToast(page, /^.*Compared .+ on 2 notes/, 15_000);
  ui.log(`notification: ${(await toast.innerText()).replace(/\s+/g, ' ').trim()}`);

  // Side by Side…: pick the note; two models, so no second question.
  await toast.getByRole('button', { name: 'Side by Side…' }).click();
  const note = page.locator(wb.sel.quickRow).filter({ hasText: 'ed-chest-pain.txt' }).first();
  await note.waitFor({ timeout: 10_000 });
  await note.click();
  await wb.until('the diff editor', async () => (await page.locator('.tabs-container .tab.active').allInnerTexts()).some((t) => /ed-chest-pain\.txt: .+ ↔ notes-lora/.test(t.replace(/\s+/g, ' '))), 15_000);
  await page.waitForTimeout(500);
  await ui.shot('35-side-by-side');
  await wb.closeAllEditors(page);
}
